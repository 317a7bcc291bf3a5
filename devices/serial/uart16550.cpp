// Uart16550 registers, interrupts and inspection. The transmitter, the receiver and their timing
// are in uart16550_line.cpp.
#include "devices/serial/uart16550.h"

namespace lantern {

namespace {

// IER bits (datasheet, "Interrupt Enable Register").
constexpr std::uint8_t kIerRda = 0x01;   // ERBFI: received data available (and FIFO timeout)
constexpr std::uint8_t kIerThre = 0x02;  // ETBEI
constexpr std::uint8_t kIerRls = 0x04;   // ELSI: receiver line status
constexpr std::uint8_t kIerMsr = 0x08;   // EDSSI: modem status

// MCR bits (datasheet, "MODEM Control Register").
constexpr std::uint8_t kMcrDtr = 0x01;
constexpr std::uint8_t kMcrRts = 0x02;
constexpr std::uint8_t kMcrOut1 = 0x04;
constexpr std::uint8_t kMcrOut2 = 0x08;
constexpr std::uint8_t kMcrLoop = 0x10;

// FCR bits (datasheet, "FIFO Control Register").
constexpr std::uint8_t kFcrEnable = 0x01;
constexpr std::uint8_t kFcrRxReset = 0x02;
constexpr std::uint8_t kFcrTxReset = 0x04;
constexpr std::uint8_t kFcrProgrammed = 0xC9;  // FIFO enable, DMA mode select, RCVR trigger

// MSR bits (datasheet, "MODEM Status Register").
constexpr std::uint8_t kMsrDcts = 0x01, kMsrDdsr = 0x02, kMsrTeri = 0x04, kMsrDdcd = 0x08;
constexpr std::uint8_t kMsrCts = 0x10, kMsrDsr = 0x20, kMsrRi = 0x40, kMsrDcd = 0x80;

}  // namespace

Uart16550::Uart16550(Scheduler& scheduler, IrqLine& irq, ClockDomain xin_clock, SerialBackend* backend,
                     std::string_view name)
    : scheduler_(scheduler), irq_(irq), xin_(xin_clock), backend_(backend), name_(name) {
    static constexpr std::array<std::string_view, kTimerCount> kSuffix = {
        ".tx_start", ".thre", ".tx_end", ".thre_delayed", ".rx_timeout", ".rx_sample", ".loop_sample", ".loop_break"};
    for (std::size_t i = 0; i < kTimerCount; ++i) {
        deadline_[i] = kNoDeadline;
        event_[i] = kNoEvent;
        event_name_[i] = name_ + std::string(kSuffix[i]);
    }
    reset();
}

Uart16550::~Uart16550() {
    for (std::size_t i = 0; i < kTimerCount; ++i) disarm(static_cast<Timer>(i));
}

void Uart16550::map(PortMap& ports, std::uint16_t base) { ports.map(base, kUartPortCount, *this, name_); }

void Uart16550::reset() {
    for (std::size_t i = 0; i < kTimerCount; ++i) disarm(static_cast<Timer>(i));
    ier_ = 0;
    fcr_ = 0;
    lcr_ = 0;
    mcr_ = 0;
    lsr_errors_ = 0;
    lsr_fifo_error_ = false;
    thre_ = true;
    thre_pending_ = false;
    timeout_pending_ = false;
    tx_held_two_ = false;
    fcr0_changed_ = false;
    rx_data_.clear();
    rx_errors_.clear();
    tx_fifo_.clear();
    rx_data_.set_limit(1);
    rx_errors_.set_limit(1);
    tx_fifo_.set_limit(1);
    tsr_busy_ = false;
    loop_frame_ = WireFrame{};
    host_head_ = 0;
    host_count_ = 0;
    const std::uint64_t now = now_tick();
    bit_clock_origin_tick_ = now;
    tx_start_tick_ = now;
    host_start_tick_ = now;
    line_free_tick_ = now;
    tx_chars_ = rx_chars_ = overruns_ = tx_overflows_ = host_dropped_ = 0;
    far_lines_ = backend_ ? backend_->modem_lines() : ModemLines{};
    // "MSR bits 0-3 low, bits 4-7 input signals".
    msr_ = static_cast<std::uint8_t>((far_lines_.cts ? kMsrCts : 0) | (far_lines_.dsr ? kMsrDsr : 0) |
                                     (far_lines_.ri ? kMsrRi : 0) | (far_lines_.dcd ? kMsrDcd : 0));
    update_irq();
}

void Uart16550::set_backend(SerialBackend* backend) {
    backend_ = backend;
    set_modem_lines(backend_ ? backend_->modem_lines() : ModemLines{});
}

void Uart16550::set_modem_lines(ModemLines lines) {
    far_lines_ = lines;
    update_msr();
    update_irq();
}

std::uint32_t Uart16550::divisor() const {
    // The divisor is 1 to 2^16 - 1; a 0 makes the 16-bit down-counter run a full 65,536 counts.
    const std::uint32_t d = static_cast<std::uint32_t>(dlm_) << 8 | dll_;
    return d == 0 ? 0x10000u : d;
}

bool Uart16550::loopback() const { return (mcr_ & kMcrLoop) != 0; }

bool Uart16550::irq_output() const {
    // In loopback "the four MODEM Control outputs are forced to their inactive state", which
    // takes OUT2 - and with it the card's IRQ driver - off the bus.
    return intr() && (mcr_ & kMcrOut2) != 0 && !loopback();
}

void Uart16550::update_irq() { irq_.set_level(irq_output()); }

// ---- Port access ----

std::uint32_t Uart16550::read(std::uint32_t offset, unsigned size) {
    // An 8-bit ISA device: a wider access is split into byte cycles at consecutive ports, as the
    // AT's bus controller does; bytes past the UART's 8 ports float high.
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i) {
        const std::uint32_t o = offset + i;
        const std::uint32_t b = o < kUartPortCount ? read_byte(o) : 0xFFu;
        v |= b << (8 * i);
    }
    return v;
}

void Uart16550::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    for (unsigned i = 0; i < size && i < 4; ++i) {
        const std::uint32_t o = offset + i;
        if (o < kUartPortCount) write_byte(o, static_cast<std::uint8_t>(value >> (8 * i)));
    }
}

std::uint32_t Uart16550::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i) {
        const std::uint32_t o = offset + i;
        const std::uint32_t b = o < kUartPortCount ? peek_byte(o) : 0xFFu;
        v |= b << (8 * i);
    }
    return v;
}

std::uint8_t Uart16550::peek_byte(std::uint32_t offset) const {
    const bool dlab = (lcr_ & lcr::kDlab) != 0;
    switch (offset) {
        case 0: return dlab ? dll_ : (rx_data_.empty() ? rbr_ : rx_data_.front());
        case 1: return dlab ? dlm_ : ier_;
        case 2: return iir_value();
        case 3: return lcr_;
        case 4: return mcr_;
        case 5: return lsr_value();
        case 6: return msr_;
        case 7: return scr_;
        default: return 0xFF;
    }
}

std::uint8_t Uart16550::read_byte(std::uint32_t offset) {
    const bool dlab = (lcr_ & lcr::kDlab) != 0;
    switch (offset) {
        case 0:
            if (dlab) return dll_;
            return read_rbr();
        case 2: {
            const std::uint8_t v = iir_value();
            // THRE: "Reset: Reading the IIR Register (if source of interrupt)".
            if ((v & 0x0F) == iir::kThre) {
                thre_pending_ = false;
                update_irq();
            }
            return v;
        }
        case 5: return read_lsr();
        case 6: {
            const std::uint8_t v = msr_;
            msr_ &= 0xF0;  // the delta bits reset when the MSR is read
            update_irq();
            return v;
        }
        default: return peek_byte(offset);
    }
}

void Uart16550::write_byte(std::uint32_t offset, std::uint8_t value) {
    const bool dlab = (lcr_ & lcr::kDlab) != 0;
    switch (offset) {
        case 0:
            if (dlab) write_divisor(false, value);
            else write_thr(value);
            break;
        case 1:
            if (dlab) write_divisor(true, value);
            else write_ier(value);
            break;
        case 2: write_fcr(value); break;
        case 3: write_lcr(value); break;
        case 4: write_mcr(value); break;
        // LSR and MSR: "intended for read operations only. Writing to this register is not
        // recommended as this operation is only used for factory testing" - ignored here.
        case 5:
        case 6: break;
        case 7: scr_ = value; break;
        default: break;
    }
}

// ---- Registers ----

std::uint8_t Uart16550::interrupt_id() const {
    // Datasheet, "Interrupt Control Functions": highest priority first.
    const bool fifo = (fcr_ & kFcrEnable) != 0;
    // RCVR trigger level, FCR bits 7-6: 1, 4, 8 or 14 bytes.
    static constexpr std::array<std::size_t, 4> kTrigger = {1, 4, 8, 14};
    const std::size_t trigger = fifo ? kTrigger[(fcr_ >> 6) & 3] : 1;
    if ((ier_ & kIerRls) && (lsr_errors_ & lsr::kErrors)) return iir::kLineStatus;
    if (ier_ & kIerRda) {
        if (fifo && timeout_pending_) return iir::kCharTimeout;
        // 16450 mode: data ready. FIFO mode: "when the FIFO has reached its programmed trigger
        // level; it is cleared as soon as the FIFO drops below its programmed trigger level".
        if (rx_data_.size() >= trigger) return iir::kDataAvailable;
    }
    if ((ier_ & kIerThre) && thre_pending_) return iir::kThre;
    if ((ier_ & kIerMsr) && (msr_ & 0x0F)) return iir::kModemStatus;
    return iir::kNone;
}

std::uint8_t Uart16550::iir_value() const {
    // Bits 6-7 "are set when FCR0 = 1"; bits 4-5 always read 0.
    return static_cast<std::uint8_t>(interrupt_id() | ((fcr_ & kFcrEnable) ? iir::kFifosEnabled : 0));
}

std::uint8_t Uart16550::lsr_value() const {
    std::uint8_t v = lsr_errors_ & lsr::kErrors;
    if (!rx_data_.empty()) v |= lsr::kDataReady;
    if (thre_) v |= lsr::kThre;
    if (thre_ && !tsr_busy_) v |= lsr::kTemt;  // THR (or XMIT FIFO) and shift register both empty
    // "In the 16450 mode this is a 0."
    if ((fcr_ & kFcrEnable) && lsr_fifo_error_) v |= lsr::kFifoError;
    return v;
}

std::uint8_t Uart16550::read_lsr() {
    const std::uint8_t v = lsr_value();
    // OE, PE, FE and BI "are reset whenever the CPU reads the contents of the LSR"; LSR7 "is
    // cleared when the CPU reads the LSR, if there are no subsequent errors in the FIFO". The
    // error of the character at the top was just reported, so only those behind it count.
    lsr_errors_ = 0;
    lsr_fifo_error_ = rx_errors_beyond_top();
    update_irq();
    return v;
}

bool Uart16550::rx_errors_beyond_top() const {
    for (std::size_t i = 1; i < rx_errors_.size(); ++i)
        if (rx_errors_.at(i) != 0) return true;
    return false;
}

std::uint8_t Uart16550::read_rbr() {
    if (rx_data_.empty()) return rbr_;  // nothing new: the latch still shows the last character
    rbr_ = rx_data_.pop();
    rx_errors_.pop();
    if (fcr_ & kFcrEnable) {
        // "When a timeout interrupt has occurred it is cleared and the timer reset when the CPU
        // reads one character from the RCVR FIFO"; otherwise a read just restarts the timer.
        timeout_pending_ = false;
        // A character's PE/FE/BI "is revealed to the CPU when its associated character is at
        // the top of the FIFO".
        if (!rx_errors_.empty()) lsr_errors_ |= rx_errors_.front();
        restart_rx_timeout(now_tick());
    }
    update_irq();
    return rbr_;
}

void Uart16550::write_ier(std::uint8_t value) {
    const std::uint8_t old = ier_;
    ier_ = value & 0x0F;  // bits 4-7 are always 0
    // Enabling ETBEI while THRE is set raises the THRE interrupt again, which is how drivers
    // (and Linux's UART_BUG_THRE probe) restart transmission after clearing it with an IIR read.
    if (!(old & kIerThre) && (ier_ & kIerThre) && thre_) thre_pending_ = true;
    update_irq();
}

void Uart16550::write_fcr(std::uint8_t value) {
    const bool enable = (value & kFcrEnable) != 0;
    if (enable != ((fcr_ & kFcrEnable) != 0)) {
        // "When changing from the FIFO Mode to the 16450 Mode and vice versa, data is
        // automatically cleared from the FIFOs."
        fcr_ = static_cast<std::uint8_t>((fcr_ & ~kFcrEnable) | (enable ? kFcrEnable : 0));
        const std::size_t depth = enable ? kUartFifoDepth : 1;
        clear_rx_fifo();
        clear_tx_fifo();
        rx_data_.set_limit(depth);
        rx_errors_.set_limit(depth);
        tx_fifo_.set_limit(depth);
        fcr0_changed_ = true;
    }
    // FCR0 "must be a 1 when other FCR bits are written to or they will not be programmed".
    if (enable) {
        fcr_ = value & kFcrProgrammed;
        if (value & kFcrRxReset) clear_rx_fifo();  // self-clearing; the shift register keeps going
        if (value & kFcrTxReset) clear_tx_fifo();
    }
    update_irq();
}

void Uart16550::clear_rx_fifo() {
    rx_data_.clear();
    rx_errors_.clear();
    lsr_fifo_error_ = false;
    timeout_pending_ = false;
    disarm(Timer::RxTimeout);
}

void Uart16550::clear_tx_fifo() {
    tx_fifo_.clear();
    tx_held_two_ = false;
    // A start bit not yet begun has nothing left to send; a character already in the shift
    // register finishes ("The shift register is not cleared").
    disarm(Timer::TxStart);
    disarm(Timer::ThreSet);
    if (!thre_) {
        thre_ = true;
        disarm(Timer::ThreDelay);
        thre_pending_ = true;
    }
}

void Uart16550::write_lcr(std::uint8_t value) {
    const bool break_was_on = (lcr_ & lcr::kBreak) != 0;
    lcr_ = value;
    if (break_was_on != ((lcr_ & lcr::kBreak) != 0)) break_changed(break_was_on);
    // A far-end character not yet started goes out in the new format.
    if (armed(Timer::HostSample) && host_start_tick_ > now_tick()) arm_host_head();
}

void Uart16550::write_divisor(bool high, std::uint8_t value) {
    (high ? dlm_ : dll_) = value;
    // "Upon loading either of the Divisor Latches, a 16-bit Baud counter is immediately loaded":
    // the bit clock restarts now. A character already on the wire finishes at its old rate.
    const std::uint64_t now = now_tick();
    bit_clock_origin_tick_ = now;
    if (armed(Timer::TxStart)) arm(Timer::TxStart, next_start_tick(now));
    if (armed(Timer::HostSample) && host_start_tick_ > now) arm_host_head();
}

void Uart16550::write_mcr(std::uint8_t value) {
    const std::uint8_t old = mcr_;
    mcr_ = value & 0x1F;  // bits 5-7 are always 0
    if ((old ^ mcr_) & kMcrLoop) {
        // Leaving loopback reconnects SIN, which idles at mark: what was looping back is lost.
        disarm(Timer::LoopSample);
        disarm(Timer::LoopBreak);
        if (loopback() && (lcr_ & lcr::kBreak)) break_changed(false);
    }
    update_msr();
    update_irq();
}

void Uart16550::update_msr() {
    // Loopback: "the four MODEM Control inputs (CTS, DSR, RI, and DCD) are disconnected; and the
    // four MODEM Control outputs (DTR, RTS, OUT1, and OUT2) are internally connected to the four
    // MODEM Control inputs" - RTS to CTS, DTR to DSR, OUT1 to RI, OUT2 to DCD.
    ModemLines in = far_lines_;
    if (loopback()) {
        in.cts = (mcr_ & kMcrRts) != 0;
        in.dsr = (mcr_ & kMcrDtr) != 0;
        in.ri = (mcr_ & kMcrOut1) != 0;
        in.dcd = (mcr_ & kMcrOut2) != 0;
    }
    const std::uint8_t now = static_cast<std::uint8_t>((in.cts ? kMsrCts : 0) | (in.dsr ? kMsrDsr : 0) |
                                                       (in.ri ? kMsrRi : 0) | (in.dcd ? kMsrDcd : 0));
    const std::uint8_t was = msr_ & 0xF0;
    const std::uint8_t changed = now ^ was;
    std::uint8_t delta = msr_ & 0x0F;
    if (changed & kMsrCts) delta |= kMsrDcts;
    if (changed & kMsrDsr) delta |= kMsrDdsr;
    if (changed & kMsrDcd) delta |= kMsrDdcd;
    // TERI: "the RI input to the chip has changed from a low to a high state" - the end of a
    // ring (the input pin is active low, so that is RI going from on to off).
    if ((was & kMsrRi) && !(now & kMsrRi)) delta |= kMsrTeri;
    msr_ = static_cast<std::uint8_t>(now | delta);
}

// ---- Inspection and snapshots ----

void Uart16550::inspect(StateVisitor& v) {
    StateGroup g(v, name_);
    {
        StateGroup r(v, "registers");
        std::uint8_t iir_now = iir_value();
        std::uint8_t lsr_now = lsr_value();
        v.visit("rbr", rbr_, "receiver buffer latch: the last character read");
        v.visit("ier", ier_, "interrupt enable: 1 data available, 2 THRE, 4 line status, 8 modem status");
        v.visit("iir", iir_now, "interrupt identification (computed; loading ignores it)");
        v.visit("fcr", fcr_, "FIFO control as programmed: 1 enable, 8 DMA mode, C0 RCVR trigger");
        v.visit("lcr", lcr_, "line control: word length, stop bits, parity, break, DLAB");
        v.visit("mcr", mcr_, "modem control: 1 DTR, 2 RTS, 4 OUT1, 8 OUT2 (IRQ enable), 10 loopback");
        v.visit("lsr", lsr_now, "line status (computed; loading ignores it)");
        v.visit("msr", msr_, "modem status: deltas in bits 0-3, CTS DSR RI DCD in bits 4-7");
        v.visit("scr", scr_, "scratch");
        v.visit("dll", dll_, "divisor latch, low byte");
        v.visit("dlm", dlm_, "divisor latch, high byte");
    }
    {
        StateGroup s(v, "status");
        v.visit("lsr_errors", lsr_errors_, "OE/PE/FE/BI latched until the LSR is read");
        v.visit("lsr_fifo_error", lsr_fifo_error_, "LSR7: an error is somewhere in the RCVR FIFO");
        v.visit("thre", thre_, "transmitter holding register (XMIT FIFO) empty");
        v.visit("thre_pending", thre_pending_, "THRE interrupt pending (an IIR read that shows it clears it)");
        v.visit("timeout_pending", timeout_pending_, "FIFO character timeout pending");
        v.visit("tx_held_two", tx_held_two_, "XMIT FIFO held two bytes since THRE last set");
        v.visit("fcr0_changed", fcr0_changed_, "FIFO mode changed: the next THRE interrupt is immediate");
        v.visit("far_cts", far_lines_.cts, "CTS from the far end");
        v.visit("far_dsr", far_lines_.dsr, "DSR from the far end");
        v.visit("far_ri", far_lines_.ri, "RI from the far end");
        v.visit("far_dcd", far_lines_.dcd, "DCD from the far end");
    }
    rx_data_.inspect(v, "rx_fifo");
    rx_errors_.inspect(v, "rx_fifo_errors");
    tx_fifo_.inspect(v, "tx_fifo");
    {
        StateGroup t(v, "transmitter");
        v.visit("tsr", tsr_, "transmitter shift register");
        v.visit("tsr_busy", tsr_busy_, "a character is on the wire");
        v.visit("start_tick", tx_start_tick_, "crystal tick its start bit began");
        v.visit("bit_clock_origin_tick", bit_clock_origin_tick_, "phase of the transmit bit clock");
        v.visit("loop_levels", loop_frame_.levels, "loopback: line levels of the character in flight");
        v.visit("loop_break", loop_frame_.line_break, "loopback: that character is a break");
    }
    {
        StateGroup h(v, "far_end");
        v.visit("count", host_count_, "characters the far end has queued");
        v.visit("head", host_head_, "index of the next one");
        v.visit("start_tick", host_start_tick_, "crystal tick the current one's start bit began");
        v.visit("line_free_tick", line_free_tick_, "when the far end may start the next one");
        if (v.loading()) {
            host_head_ %= kUartHostQueueDepth;
            if (host_count_ > kUartHostQueueDepth) host_count_ = kUartHostQueueDepth;
        }
        for (std::size_t i = 0; i < host_count_; ++i) {
            HostChar& c = host_queue_[(host_head_ + i) % kUartHostQueueDepth];
            StateGroup e(v, "char" + std::to_string(i));
            v.visit("levels", c.levels, "line levels after the start bit (bit 0 first)");
            v.visit("line_break", c.line_break, "a break rather than a character");
            v.visit("framed", c.framed, "levels are explicit (else: a byte framed when sent)");
            v.visit("when_tick", c.when_tick, "crystal tick it was handed to the far end");
        }
    }
    {
        StateGroup t(v, "events");
        static constexpr std::array<std::string_view, kTimerCount> kNames = {
            "tx_start", "thre", "tx_end", "thre_delayed", "rx_timeout", "rx_sample", "loop_sample", "loop_break"};
        for (std::size_t i = 0; i < kTimerCount; ++i)
            v.visit(kNames[i], deadline_[i], "crystal tick it fires at (all ones: not armed)");
    }
    {
        StateGroup c(v, "counters");
        v.visit("chars_transmitted", tx_chars_, "characters shifted out");
        v.visit("chars_received", rx_chars_, "characters that reached the receiver");
        v.visit("overruns", overruns_, "characters lost to overrun");
        v.visit("tx_overflows", tx_overflows_, "THR writes lost to a full THR or XMIT FIFO");
        v.visit("far_end_dropped", host_dropped_, "far-end characters lost (queue full, or loopback)");
    }
    if (v.loading()) {
        ier_ &= 0x0F;
        mcr_ &= 0x1F;
        lsr_errors_ &= lsr::kErrors;
        rearm_all();
        update_irq();
    }
}

}  // namespace lantern
