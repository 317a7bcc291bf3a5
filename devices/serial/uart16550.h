// Uart16550: the National Semiconductor NS16550A / PC16550D UART with FIFOs, as on PC serial
// ports COM1-COM4 (PC16550D datasheet, June 1995; register and bit names below are the
// datasheet's).
//
//   offset  DLAB=0 read / write      DLAB=1        offset  register
//   0       RBR / THR                DLL           4       MCR  modem control
//   1       IER                      DLM           5       LSR  line status (read only)
//   2       IIR (read) / FCR (write)               6       MSR  modem status (read only)
//   3       LCR  line control                      7       SCR  scratch
//
// Timing. The baud generator divides the 1.8432 MHz crystal (XIN) by the divisor latch to make
// BAUDOUT, the 16x clock; one bit lasts 16 BAUDOUT cycles. All of the UART's times are kept in
// XIN ticks and converted to CPU cycles with an exact ClockDomain, so a character takes exactly
// (start + data + parity + stop) bit times of virtual time at any CPU clock:
//   - transmitter: the bit clock is free-running (phase zero at reset and at each divisor-latch
//     write, when "a 16-bit Baud counter is immediately loaded"). After a THR write to an idle
//     transmitter the start bit begins at the first bit-clock edge at least 8 BAUDOUT cycles
//     later (datasheet AC table: tIRS, "delay from initial INTR reset to transmit start", 8-24
//     BAUDOUT cycles). The character moves from THR into the shift register at the start bit;
//     THRE sets 8 BAUDOUT cycles later (tSXA, "delay from start to TXRDY active", and tSTI,
//     "delay from stop to interrupt (THRE)", both 8), so an idle write sees THRE after 16-32
//     BAUDOUT cycles (tSI, 16-34). TEMT sets when the last stop bit ends with nothing waiting;
//     otherwise the next start bit follows at once.
//   - receiver: a character is transferred to RBR / the RCVR FIFO in the middle of its first
//     stop bit, where the receiver samples it ("the receiver checks the first Stop-bit only").
//   - FIFO timeout: 4 character times (start + data + parity + all stop bits) after the later of
//     the last character received and the last RBR read (datasheet, "FIFO Interrupt Mode
//     Operation").
//   - the 16550's transmitter interrupt delay: in FIFO mode the THRE interrupt is held back "1
//     character time minus the last stop bit time" unless the XMIT FIFO held two bytes at once
//     since THRE last set, or FCR0 changed since the last one (ibid.).
//
// Host input arrives through receive()/receive_frame(): the far end starts sending at the cycle
// given (or when the line is free) at the UART's own programmed rate and format, one character at
// a time, so a burst of host input reaches the FIFO at line speed, as from a real terminal.
//
// Interrupts: INTR follows the datasheet's priority scheme (IIR). On a PC the card gates INTR onto
// the ISA IRQ line with OUT2 (IBM PC Asynchronous Communications Adapter; every compatible card
// since), and in loopback mode the OUT2 pin is forced inactive, so the IRQ line is low then.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "cpu/state_visitor.h"
#include "devices/clock_domain.h"
#include "devices/io_device.h"
#include "devices/irq_line.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"
#include "devices/serial/byte_fifo.h"
#include "devices/serial/serial_backend.h"
#include "devices/serial/serial_line.h"

namespace lantern {

inline constexpr std::uint64_t kUartCrystalHz = 1'843'200;  // 16 x 115,200: every PC serial card
inline constexpr std::uint32_t kUartPortCount = 8;
inline constexpr std::size_t kUartFifoDepth = 16;
inline constexpr std::size_t kUartHostQueueDepth = 256;  // characters the far end may have queued

// The usual PC assignments (IBM PC/AT Technical Reference, I/O address map; COM3/COM4 by
// convention, sharing IRQ 4 and IRQ 3).
inline constexpr std::uint16_t kCom1Base = 0x3F8, kCom2Base = 0x2F8, kCom3Base = 0x3E8, kCom4Base = 0x2E8;
inline constexpr unsigned kCom1Irq = 4, kCom2Irq = 3, kCom3Irq = 4, kCom4Irq = 3;

// LSR bits (datasheet, "Line Status Register").
namespace lsr {
inline constexpr std::uint8_t kDataReady = 0x01;
inline constexpr std::uint8_t kOverrun = 0x02;
inline constexpr std::uint8_t kParityError = 0x04;
inline constexpr std::uint8_t kFramingError = 0x08;
inline constexpr std::uint8_t kBreak = 0x10;
inline constexpr std::uint8_t kThre = 0x20;
inline constexpr std::uint8_t kTemt = 0x40;
inline constexpr std::uint8_t kFifoError = 0x80;
inline constexpr std::uint8_t kErrors = kOverrun | kParityError | kFramingError | kBreak;
}  // namespace lsr

// IIR identification codes, bits 3-0 (datasheet, "Interrupt Control Functions" table).
namespace iir {
inline constexpr std::uint8_t kNone = 0x01;
inline constexpr std::uint8_t kLineStatus = 0x06;
inline constexpr std::uint8_t kDataAvailable = 0x04;
inline constexpr std::uint8_t kCharTimeout = 0x0C;
inline constexpr std::uint8_t kThre = 0x02;
inline constexpr std::uint8_t kModemStatus = 0x00;
inline constexpr std::uint8_t kFifosEnabled = 0xC0;
}  // namespace iir

class Uart16550 final : public IoDevice {
public:
    // `xin_clock` converts CPU cycles to ticks of the 1.8432 MHz crystal (crystal_clock() builds
    // it from the CPU frequency). `backend` may be nullptr (nothing attached); the UART does not
    // own it. `irq` is the card's IRQ output (already gated by OUT2). `name` ("com1") is what the
    // debugger and the scheduler show.
    Uart16550(Scheduler& scheduler, IrqLine& irq, ClockDomain xin_clock, SerialBackend* backend,
              std::string_view name);
    Uart16550(Scheduler& scheduler, IrqLine& irq, std::uint64_t cpu_freq_hz, SerialBackend* backend,
              std::string_view name)
        : Uart16550(scheduler, irq, crystal_clock(cpu_freq_hz), backend, name) {}
    ~Uart16550() override;
    Uart16550(const Uart16550&) = delete;
    Uart16550& operator=(const Uart16550&) = delete;

    static ClockDomain crystal_clock(std::uint64_t cpu_freq_hz) {
        return ClockDomain::from_frequencies(cpu_freq_hz, kUartCrystalHz);
    }

    // Claims the 8 ports at `base` (COM1: 0x3F8).
    void map(PortMap& ports, std::uint16_t base);
    // Master reset (datasheet, "UART Reset Configuration" table): IER, IIR, FCR, LCR, MCR cleared,
    // LSR = THRE | TEMT, MSR deltas cleared; RBR, THR, the divisor latch and SCR keep their values.
    // The characters the far end had in flight are dropped too. Call after Scheduler::reset().
    void reset();
    // Attaches another back-end (nullptr: nothing attached) and takes its modem-status lines.
    void set_backend(SerialBackend* backend);
    SerialBackend* backend() const { return backend_; }

    // ---- The far end of the cable (host input) ----
    // The far end starts sending `byte`, framed in the UART's current format, at cycle `when`
    // (or as soon as the character before it has finished). Returns false and drops it when
    // kUartHostQueueDepth characters are already waiting.
    bool receive(std::uint8_t byte, Cycles when);
    // The same with explicit line levels: a parity or framing error, or a break.
    bool receive_frame(WireFrame frame, Cycles when);
    bool receive_break(Cycles when) { return receive_frame(WireFrame::spacing_break(), when); }
    // How many more characters receive() accepts now.
    std::size_t receive_space() const { return kUartHostQueueDepth - host_count_; }
    // The far end changes CTS/DSR/RI/DCD now (a modem answering, a cable plugged in).
    void set_modem_lines(ModemLines lines);

    // ---- Observers (for tests and the board) ----
    bool intr() const { return interrupt_id() != iir::kNone; }  // the chip's INTR pin
    bool irq_output() const;                                     // INTR gated by OUT2
    std::uint32_t divisor() const;                               // 1..65536 (0 counts as 65536)
    // Virtual time is kept in crystal ticks; these convert for tests and the GUI.
    std::uint64_t bit_ticks() const { return 16ull * divisor(); }
    const ClockDomain& xin_clock() const { return xin_; }
    std::uint64_t chars_transmitted() const { return tx_chars_; }
    std::uint64_t chars_received() const { return rx_chars_; }

    // ---- IoDevice ----
    std::uint32_t read(std::uint32_t offset, unsigned size) override;
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return name_; }
    // Every register, both FIFOs with their error bits, the shift register, the far end's queue,
    // the pending interrupt sources and the deadline of every timed event. Loading re-arms the
    // events from those deadlines.
    void inspect(StateVisitor& v) override;

private:
    // Timed things, each at most once in flight; `deadline_` holds its XIN tick.
    enum class Timer : std::uint8_t {
        TxStart,     // the next start bit begins: THR / XMIT FIFO -> shift register
        ThreSet,     // THRE rises, 8 BAUDOUT cycles after the start bit
        TxEnd,       // the last stop bit ends
        ThreDelay,   // the 16550's delayed XMIT-FIFO-empty interrupt
        RxTimeout,   // FIFO character timeout
        HostSample,  // the far end's current character reaches its stop-bit sample point
        LoopSample,  // loopback: the transmitted character reaches the receiver's sample point
        LoopBreak,   // loopback: a break has lasted a whole character time
        Count
    };
    static constexpr std::size_t kTimerCount = static_cast<std::size_t>(Timer::Count);
    static constexpr std::uint64_t kNoDeadline = ~0ull;

    struct HostChar {
        std::uint16_t levels = 0xFFFF;  // explicit line levels, or the data byte when !framed
        bool line_break = false;
        bool framed = false;            // false: frame the byte in the format of its start bit
        std::uint64_t when_tick = 0;
    };
    bool enqueue_host(const HostChar& c);

    std::uint8_t read_byte(std::uint32_t offset);
    void write_byte(std::uint32_t offset, std::uint8_t value);
    std::uint8_t peek_byte(std::uint32_t offset) const;

    // Registers (uart16550.cpp).
    std::uint8_t interrupt_id() const;  // IIR without the FIFO bits
    std::uint8_t iir_value() const;
    std::uint8_t lsr_value() const;
    std::uint8_t read_rbr();
    std::uint8_t read_lsr();
    void write_ier(std::uint8_t value);
    void write_fcr(std::uint8_t value);
    void write_lcr(std::uint8_t value);
    void write_mcr(std::uint8_t value);
    void write_divisor(bool high, std::uint8_t value);
    void update_msr();
    void update_irq();
    void clear_rx_fifo();
    void clear_tx_fifo();
    bool rx_errors_beyond_top() const;
    bool loopback() const;

    // Transmitter, receiver and timers (uart16550_line.cpp).
    std::uint64_t now_tick() const;
    std::uint64_t ceil_tick(Cycles c) const;
    LineFormat format() const { return LineFormat::from_lcr(lcr_); }
    std::uint64_t frame_ticks(const LineFormat& f) const;
    std::uint64_t sample_ticks(const LineFormat& f) const;
    std::uint64_t next_start_tick(std::uint64_t write_tick) const;
    void write_thr(std::uint8_t value);
    void tx_start(std::uint64_t tick);
    void tx_thre_set(std::uint64_t tick);
    void tx_end(std::uint64_t tick);
    void rx_deliver(const WireFrame& frame, std::uint64_t tick);
    void restart_rx_timeout(std::uint64_t tick);
    void arm_host_head();
    void host_sample(std::uint64_t tick);
    void break_changed(bool was_on);
    void arm(Timer t, std::uint64_t tick);
    void disarm(Timer t);
    bool armed(Timer t) const { return deadline_[static_cast<std::size_t>(t)] != kNoDeadline; }
    std::uint64_t deadline(Timer t) const { return deadline_[static_cast<std::size_t>(t)]; }
    void fire(Timer t);
    void rearm_all();

    Scheduler& scheduler_;
    IrqLine& irq_;
    ClockDomain xin_;
    SerialBackend* backend_ = nullptr;
    std::string name_{};

    // Registers.
    std::uint8_t rbr_ = 0;         // the last character read (what RBR shows when empty)
    std::uint8_t ier_ = 0;
    std::uint8_t fcr_ = 0;         // FCR as last programmed (bits 0, 3, 6, 7)
    std::uint8_t lcr_ = 0;
    std::uint8_t mcr_ = 0;
    std::uint8_t lsr_errors_ = 0;  // LSR bits 1-4, latched until the LSR is read
    bool lsr_fifo_error_ = false;  // LSR bit 7
    bool thre_ = true;             // LSR bit 5 (set 8 BAUDOUT cycles after a transfer)
    std::uint8_t msr_ = 0;
    std::uint8_t scr_ = 0;
    std::uint8_t dll_ = 0;
    std::uint8_t dlm_ = 0;
    ModemLines far_lines_{};       // what the far end drives on CTS/DSR/RI/DCD

    // Interrupt sources that are latched rather than computed from state.
    bool thre_pending_ = false;      // THRE interrupt (cleared by an IIR read that shows it)
    bool timeout_pending_ = false;   // character timeout (cleared by an RBR read)
    bool tx_held_two_ = false;       // the XMIT FIFO held 2+ bytes since THRE last set
    bool fcr0_changed_ = false;      // FIFO mode toggled since the last THRE

    // FIFOs; in 16450 mode both run at a depth of one (RBR and THR).
    ByteFifo<kUartFifoDepth> rx_data_{};
    ByteFifo<kUartFifoDepth> rx_errors_{};  // PE/FE/BI of each character, in LSR bit positions
    ByteFifo<kUartFifoDepth> tx_fifo_{};

    // Transmitter shift register.
    std::uint8_t tsr_ = 0;
    bool tsr_busy_ = false;
    std::uint64_t tx_start_tick_ = 0;
    std::uint64_t bit_clock_origin_tick_ = 0;  // phase of the free-running transmit bit clock
    WireFrame loop_frame_{};                   // loopback: the character on its way to the receiver

    // The far end's transmitter: characters waiting to go down the wire.
    std::array<HostChar, kUartHostQueueDepth> host_queue_{};
    std::size_t host_head_ = 0;
    std::size_t host_count_ = 0;
    std::uint64_t host_start_tick_ = 0;  // start bit of the character in flight
    std::uint64_t line_free_tick_ = 0;   // when the far end may start its next character

    std::array<std::uint64_t, kTimerCount> deadline_{};
    std::array<EventId, kTimerCount> event_{};
    std::array<std::string, kTimerCount> event_name_{};

    // Statistics for the debugger (not visible to the guest).
    std::uint64_t tx_chars_ = 0;
    std::uint64_t rx_chars_ = 0;
    std::uint64_t overruns_ = 0;
    std::uint64_t tx_overflows_ = 0;  // THR writes lost to a full THR / XMIT FIFO
    std::uint64_t host_dropped_ = 0;  // far-end characters lost (queue full, or loopback)
};

}  // namespace lantern
