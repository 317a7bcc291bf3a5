// Uart16550's transmitter, receiver, the far end's transmitter and the timed events between them.
// Times are crystal (XIN) ticks: one BAUDOUT cycle is `divisor` ticks, one bit 16 BAUDOUT cycles.
#include <algorithm>
#include <stdexcept>

#include "devices/serial/uart16550.h"

namespace lantern {

namespace {
constexpr std::uint8_t kFcrEnable = 0x01;
}  // namespace

std::uint64_t Uart16550::now_tick() const { return xin_.to_ticks(scheduler_.now()); }

std::uint64_t Uart16550::ceil_tick(Cycles c) const {
    // The first crystal tick at or after cycle `c`.
    std::uint64_t t = xin_.to_ticks(c);
    if (xin_.to_cycles(t) < c) ++t;
    return t;
}

std::uint64_t Uart16550::frame_ticks(const LineFormat& f) const {
    // Half a bit is 8 BAUDOUT cycles.
    return static_cast<std::uint64_t>(f.frame_half_bits()) * 8u * divisor();
}

std::uint64_t Uart16550::sample_ticks(const LineFormat& f) const {
    // From the start bit's leading edge to the middle of the first stop bit.
    return (2ull * f.bits_before_stop() + 1u) * 8u * divisor();
}

std::uint64_t Uart16550::next_start_tick(std::uint64_t write_tick) const {
    // The first edge of the free-running bit clock at least 8 BAUDOUT cycles after the write
    // (tIRS 8-24 BAUDOUT cycles: the synchroniser, then up to one bit time to the next edge).
    const std::uint64_t bit = bit_ticks();
    const std::uint64_t earliest = write_tick + 8ull * divisor();
    const std::uint64_t origin = bit_clock_origin_tick_;
    if (earliest <= origin) return origin;
    return origin + (earliest - origin + bit - 1) / bit * bit;
}

// ---- Transmitter ----

void Uart16550::write_thr(std::uint8_t value) {
    if (tx_fifo_.full()) {
        // 16450 mode: a second write before the transfer replaces the character in THR. FIFO
        // mode: a 17th byte has nowhere to go and is lost.
        ++tx_overflows_;
        if (tx_fifo_.limit() == 1) tx_fifo_.replace_back(value);
    } else {
        tx_fifo_.push(value);
    }
    if (tx_fifo_.size() >= 2) tx_held_two_ = true;
    // THRE "is reset to logic 0 concurrently with the loading of the Transmitter Holding
    // Register by the CPU", and writing THR resets a pending THRE interrupt.
    thre_ = false;
    thre_pending_ = false;
    disarm(Timer::ThreSet);
    disarm(Timer::ThreDelay);
    if (!tsr_busy_ && !armed(Timer::TxStart)) arm(Timer::TxStart, next_start_tick(now_tick()));
    update_irq();
}

void Uart16550::tx_start(std::uint64_t tick) {
    if (tx_fifo_.empty()) return;
    // The start bit begins: the character moves from THR (the top of the XMIT FIFO) into the
    // shift register, framed in the format programmed now.
    const LineFormat f = format();
    tsr_ = static_cast<std::uint8_t>(tx_fifo_.pop() & f.data_mask());  // only these bits go out
    tsr_busy_ = true;
    tx_start_tick_ = tick;
    arm(Timer::TxEnd, tick + frame_ticks(f));
    if (loopback()) {
        // "The output of the Transmitter Shift Register is looped back into the Receiver Shift
        // Register input."
        loop_frame_ = WireFrame::encode(tsr_, f);
        arm(Timer::LoopSample, tick + sample_ticks(f));
    }
    if (tx_fifo_.empty()) arm(Timer::ThreSet, tick + 8ull * divisor());
}

void Uart16550::tx_thre_set(std::uint64_t tick) {
    if (!tx_fifo_.empty() || thre_) return;
    thre_ = true;
    // The 16550's transmitter interrupt delay (datasheet, "FIFO Interrupt Mode Operation"): the
    // XMIT-FIFO-empty interrupt "will be delayed 1 character time minus the last stop bit time
    // whenever the following occurs: THRE=1 and there have not been at least two bytes at the
    // same time in the XMIT FIFO since the last THRE=1. The first transmitter interrupt after
    // changing FCR0 will be immediate".
    if ((fcr_ & kFcrEnable) && !tx_held_two_ && !fcr0_changed_) {
        const LineFormat f = format();
        const std::uint64_t last_stop = (f.stop_half_bits == 3 ? 8ull : 16ull) * divisor();
        arm(Timer::ThreDelay, tick + frame_ticks(f) - last_stop);
    } else {
        thre_pending_ = true;
    }
    tx_held_two_ = false;
    fcr0_changed_ = false;
    update_irq();
}

void Uart16550::tx_end(std::uint64_t tick) {
    tsr_busy_ = false;
    ++tx_chars_;
    // Loopback holds SOUT at mark and a break holds it at space: either way the far end sees no
    // character.
    if (!loopback() && !(lcr_ & lcr::kBreak) && backend_) backend_->transmit(tsr_, xin_.to_cycles(tick));
    // A character waiting in THR starts at once: the next start bit follows the last stop bit.
    if (!tx_fifo_.empty()) tx_start(tick);
    update_irq();
}

void Uart16550::break_changed(bool was_on) {
    // Outside loopback the break only holds SOUT at space (the back-ends have no way to show it).
    // In loopback it is the datasheet's "break simulation": once the looped-back line has been at
    // space for a whole character time the receiver reports a break.
    if (!loopback()) return;
    const bool on = (lcr_ & lcr::kBreak) != 0;
    if (on && !was_on) arm(Timer::LoopBreak, now_tick() + frame_ticks(format()));
    else if (!on) disarm(Timer::LoopBreak);
}

// ---- Receiver ----

void Uart16550::rx_deliver(const WireFrame& frame, std::uint64_t tick) {
    const ReceivedChar c = ReceivedChar::decode(frame, format());
    const std::uint8_t errors = static_cast<std::uint8_t>((c.parity_error ? lsr::kParityError : 0) |
                                                          (c.framing_error ? lsr::kFramingError : 0) |
                                                          (c.line_break ? lsr::kBreak : 0));
    ++rx_chars_;
    const bool fifo = (fcr_ & kFcrEnable) != 0;
    if (!fifo) {
        // 16450 mode: "the next character was transferred into the RBR, thereby destroying the
        // previous character".
        if (!rx_data_.empty()) {
            lsr_errors_ |= lsr::kOverrun;
            ++overruns_;
            rx_data_.clear();
            rx_errors_.clear();
        }
        rx_data_.push(c.data);
        rx_errors_.push(errors);
        lsr_errors_ |= errors;
    } else if (rx_data_.full()) {
        // "An overrun error will occur only after the FIFO is full and the next character has
        // been completely received in the shift register ... The character in the shift
        // register is overwritten, but it is not transferred to the FIFO."
        lsr_errors_ |= lsr::kOverrun;
        ++overruns_;
    } else {
        const bool at_top = rx_data_.empty();
        rx_data_.push(c.data);
        rx_errors_.push(errors);
        if (at_top) lsr_errors_ |= errors;
        if (errors) lsr_fifo_error_ = true;
    }
    // "The timeout timer is reset after a new character is received."
    if (fifo) restart_rx_timeout(tick);
    update_irq();
}

void Uart16550::restart_rx_timeout(std::uint64_t tick) {
    // "At least one character is in the FIFO; the most recent serial character received was
    // longer than 4 continuous character times ago (if 2 stop bits are programmed the second one
    // is included in this time delay); the most recent CPU read of the FIFO was longer than 4
    // continuous character times ago."
    if ((fcr_ & kFcrEnable) && !rx_data_.empty()) arm(Timer::RxTimeout, tick + 4 * frame_ticks(format()));
    else disarm(Timer::RxTimeout);
}

// ---- The far end's transmitter ----

bool Uart16550::receive(std::uint8_t byte, Cycles when) {
    // Framed when its start bit goes on the wire, in the format the UART has then.
    return enqueue_host(HostChar{byte, false, false, ceil_tick(when)});
}

bool Uart16550::receive_frame(WireFrame frame, Cycles when) {
    return enqueue_host(HostChar{frame.levels, frame.line_break, true, ceil_tick(when)});
}

bool Uart16550::enqueue_host(const HostChar& c) {
    if (host_count_ >= kUartHostQueueDepth) {
        ++host_dropped_;
        return false;
    }
    host_queue_[(host_head_ + host_count_) % kUartHostQueueDepth] = c;
    if (++host_count_ == 1) arm_host_head();
    return true;
}

void Uart16550::arm_host_head() {
    if (host_count_ == 0) {
        disarm(Timer::HostSample);
        return;
    }
    const HostChar& c = host_queue_[host_head_ % kUartHostQueueDepth];
    // The far end starts when it is handed the character, or when its previous one is done.
    host_start_tick_ = std::max(c.when_tick, line_free_tick_);
    const LineFormat f = format();
    // A break is recognised once the line has been at space for a whole character time.
    arm(Timer::HostSample, host_start_tick_ + (c.line_break ? frame_ticks(f) : sample_ticks(f)));
}

void Uart16550::host_sample(std::uint64_t tick) {
    if (host_count_ == 0) return;
    const HostChar c = host_queue_[host_head_ % kUartHostQueueDepth];
    host_head_ = (host_head_ + 1) % kUartHostQueueDepth;
    --host_count_;
    const LineFormat f = format();
    const WireFrame frame = c.framed ? WireFrame{c.levels, c.line_break}
                                     : WireFrame::encode(static_cast<std::uint8_t>(c.levels), f);
    // After a break the line must be back at mark for half a bit before the next start bit.
    line_free_tick_ = c.line_break ? tick + 8ull * divisor() : host_start_tick_ + frame_ticks(f);
    // In loopback "the receiver Serial Input (SIN) is disconnected": the character is lost.
    if (loopback()) ++host_dropped_;
    else rx_deliver(frame, tick);
    arm_host_head();
}

// ---- Timers ----

void Uart16550::arm(Timer t, std::uint64_t tick) {
    disarm(t);
    const std::size_t i = static_cast<std::size_t>(t);
    deadline_[i] = tick;
    event_[i] = scheduler_.at(xin_.to_cycles(tick), [this, t](Cycles) { fire(t); }, event_name_[i]);
}

void Uart16550::disarm(Timer t) {
    const std::size_t i = static_cast<std::size_t>(t);
    if (event_[i] != kNoEvent) scheduler_.cancel(event_[i]);
    event_[i] = kNoEvent;
    deadline_[i] = kNoDeadline;
}

void Uart16550::rearm_all() {
    // After a snapshot load: drop the events armed before it and schedule the loaded deadlines.
    for (std::size_t i = 0; i < kTimerCount; ++i) {
        if (event_[i] != kNoEvent) scheduler_.cancel(event_[i]);
        event_[i] = kNoEvent;
        if (deadline_[i] == kNoDeadline) continue;
        try {
            const Timer t = static_cast<Timer>(i);
            event_[i] = scheduler_.at(xin_.to_cycles(deadline_[i]), [this, t](Cycles) { fire(t); }, event_name_[i]);
        } catch (const std::overflow_error&) {
            deadline_[i] = kNoDeadline;  // a corrupt deadline past the end of time: never fires
        }
    }
}

void Uart16550::fire(Timer t) {
    const std::size_t i = static_cast<std::size_t>(t);
    const std::uint64_t tick = deadline_[i];
    deadline_[i] = kNoDeadline;
    event_[i] = kNoEvent;
    switch (t) {
        case Timer::TxStart:
            tx_start(tick);
            update_irq();
            break;
        case Timer::ThreSet: tx_thre_set(tick); break;
        case Timer::TxEnd: tx_end(tick); break;
        case Timer::ThreDelay:
            if (thre_) thre_pending_ = true;
            update_irq();
            break;
        case Timer::RxTimeout:
            if ((fcr_ & kFcrEnable) && !rx_data_.empty()) timeout_pending_ = true;
            update_irq();
            break;
        case Timer::HostSample: host_sample(tick); break;
        case Timer::LoopSample:
            // Under a break the looped-back line is at space: the break, not this character,
            // is what the receiver gets (LoopBreak).
            if (loopback() && !(lcr_ & lcr::kBreak)) rx_deliver(loop_frame_, tick);
            break;
        case Timer::LoopBreak:
            if (loopback() && (lcr_ & lcr::kBreak)) rx_deliver(WireFrame::spacing_break(), tick);
            break;
        case Timer::Count: break;
    }
}

}  // namespace lantern
