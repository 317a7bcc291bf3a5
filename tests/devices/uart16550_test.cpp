// 16550A register semantics, interrupts, FIFOs, errors, modem control and loopback, each checked
// against the PC16550D datasheet's description.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "recording_visitor.h"
#include "uart_rig.h"

using namespace lantern;
using namespace lantern::testing;

namespace {

// 115200 baud on a 7.3728 MHz CPU: one crystal tick is exactly 4 cycles, one bit 16 ticks, an
// 8N1 character 160 ticks (640 cycles); a received character is sampled 152 ticks after its
// start bit (the middle of its stop bit).
constexpr std::uint64_t kCpuHz = 7'372'800;
constexpr Cycles kCharCycles = 640;
constexpr Cycles kSampleCycles = 608;

// Saves every field and byte block by path, and loads them back: a snapshot in miniature.
class SnapshotVisitor final : public StateVisitor {
public:
    bool loading() const override { return loading_; }
    void begin_group(std::string_view name) override { path_.emplace_back(name); }
    void end_group() override { path_.pop_back(); }
    void field(std::string_view name, std::uint64_t& value, unsigned, std::string_view) override {
        const std::string key = key_of(name);
        if (loading_) value = fields_.at(key);
        else fields_[key] = value;
    }
    void text(std::string_view name, std::string& value) override {
        const std::string key = key_of(name);
        if (loading_) value = texts_.at(key);
        else texts_[key] = value;
    }
    void bytes(std::string_view name, std::span<std::uint8_t> data) override {
        const std::string key = key_of(name);
        if (loading_) {
            const auto& b = blobs_.at(key);
            std::copy(b.begin(), b.end(), data.begin());
        } else {
            blobs_[key].assign(data.begin(), data.end());
        }
    }
    void start_loading() { loading_ = true; }

private:
    std::string key_of(std::string_view name) const {
        std::string k;
        for (const auto& p : path_) k += p + ".";
        return k + std::string(name);
    }
    bool loading_ = false;
    std::vector<std::string> path_;
    std::map<std::string, std::uint64_t> fields_;
    std::map<std::string, std::string> texts_;
    std::map<std::string, std::vector<std::uint8_t>> blobs_;
};

}  // namespace

TEST_SUITE("uart16550") {
    TEST_CASE("reset values (datasheet, UART Reset Configuration)") {
        UartRig r(kCpuHz);
        CHECK(r.in(kIer) == 0x00);
        CHECK(r.in(kIirFcr) == 0x01);  // no interrupt pending, FIFOs off
        CHECK(r.in(kLcr) == 0x00);
        CHECK(r.in(kMcr) == 0x00);
        CHECK(r.in(kLsr) == 0x60);     // THRE and TEMT
        CHECK(r.in(kMsr) == 0xB0);     // a ready terminal: CTS, DSR, DCD; no deltas at reset
        r.out(kScr, 0xA5);
        CHECK(r.in(kScr) == 0xA5);
        CHECK_FALSE(r.irq.level());

        UartRig bare(kCpuHz, ModemLines{});  // nothing plugged in
        CHECK(bare.in(kMsr) == 0x00);
    }

    TEST_CASE("DLAB switches offsets 0 and 1 to the divisor latch; IER and MCR read back their bits only") {
        UartRig r(kCpuHz);
        r.out(kIer, 0xFF);
        CHECK(r.in(kIer) == 0x0F);  // bits 4-7 are always 0
        r.out(kIer, 0x00);
        r.out(kLcr, 0x83);
        r.out(kRbrThr, 0x0C);
        r.out(kIer, 0x00);
        CHECK(r.in(kRbrThr) == 0x0C);
        CHECK(r.in(kIer) == 0x00);
        CHECK(r.uart.divisor() == 12);  // 1,843,200 / (16 * 12) = 9600 baud
        CHECK(r.in(kLsr) == 0x60);      // writing the latch sent nothing
        r.out(kLcr, 0x03);
        CHECK(r.in(kLcr) == 0x03);
        CHECK(r.in(kIer) == 0x00);  // IER again, untouched by the DLM write
        r.out(kMcr, 0xFF);
        CHECK(r.in(kMcr) == 0x1F);  // bits 5-7 are always 0
        // A word access reads two consecutive registers, as an 8-bit ISA device answers.
        CHECK(r.ports.read(kCom1Base + 3, 2) == 0x1F03);
        // A divisor of 0 counts as 65,536.
        r.set_line(0);
        CHECK(r.uart.divisor() == 0x10000);
    }

    TEST_CASE("THRE interrupt: reading IIR clears it, writing THR clears it, re-enabling ETBEI re-arms it") {
        UartRig r(kCpuHz);
        r.set_line(1);
        r.out(kMcr, 0x08);  // OUT2: let INTR onto the IRQ line
        r.out(kIer, 0x02);
        CHECK(r.iir_id() == 0x02);  // THR is empty: the interrupt is pending at once
        CHECK(r.irq.level());
        CHECK(r.in(kIirFcr) == 0x02);  // the read that reports it clears it
        CHECK(r.in(kIirFcr) == 0x01);
        CHECK_FALSE(r.irq.level());
        r.out(kIer, 0x02);  // no change: nothing re-armed
        CHECK(r.iir_id() == 0x01);
        r.out(kIer, 0x00);
        r.out(kIer, 0x02);  // 0 -> 1 with THRE set: raised again
        CHECK(r.iir_id() == 0x02);
        r.out(kRbrThr, 'x');  // writing THR clears it
        CHECK(r.iir_id() == 0x01);
        CHECK_FALSE(r.irq.level());
        // When the character moves to the shift register THRE sets and interrupts again.
        r.run_to(400);
        CHECK(r.iir_id() == 0x02);
        CHECK(r.irq.level());
    }

    TEST_CASE("IIR priorities: line status > data available > THRE > modem status") {
        UartRig r(kCpuHz, ModemLines{});
        r.set_line(1);
        r.out(kMcr, 0x08);
        r.uart.receive('1', 0);
        r.uart.receive('2', 0);  // overruns the first (16450 mode)
        r.run_to(2 * kCharCycles);
        r.uart.set_modem_lines(kTerminalReady);  // CTS, DSR, DCD come on: deltas
        r.out(kIer, 0x0F);
        CHECK(r.in(kIirFcr) == 0x06);
        CHECK(r.in(kLsr) == 0x63);  // DR, OE, THRE, TEMT; reading it clears the line status
        CHECK(r.in(kIirFcr) == 0x04);
        CHECK(r.in(kRbrThr) == '2');  // the overrun destroyed '1'
        CHECK(r.in(kIirFcr) == 0x02);  // clears THRE as it reports it
        CHECK(r.in(kIirFcr) == 0x00);
        CHECK(r.in(kMsr) == 0xBB);  // CTS DSR DCD with DCTS DDSR DDCD
        CHECK(r.in(kIirFcr) == 0x01);
        CHECK(r.in(kMsr) == 0xB0);
        CHECK_FALSE(r.irq.level());
    }

    TEST_CASE("FIFO trigger levels 1, 4, 8 and 14 (FCR bits 7-6)") {
        const std::pair<std::uint8_t, std::size_t> levels[] = {{0x01, 1}, {0x41, 4}, {0x81, 8}, {0xC1, 14}};
        for (const auto& [fcr, trigger] : levels) {
            CAPTURE(trigger);
            UartRig r(kCpuHz);
            r.set_line(1);
            r.out(kIirFcr, fcr);
            r.out(kIer, 0x01);
            for (int i = 0; i < 16; ++i) r.uart.receive(static_cast<std::uint8_t>('a' + i), 0);
            for (std::size_t n = 1; n <= 16; ++n) {
                r.run_to((n - 1) * kCharCycles + kSampleCycles);
                CHECK(r.in(kIirFcr) == (n >= trigger ? 0xC4 : 0xC1));
            }
            // Reading below the trigger level clears the interrupt.
            for (std::size_t left = 16; left > 0; --left) {
                CHECK(r.iir_id() == (left >= trigger ? 0x04 : 0x01));
                CHECK(r.in(kRbrThr) == 'a' + (16 - left));
            }
            CHECK(r.in(kLsr) == 0x60);
        }
    }

    TEST_CASE("character timeout: 4 character times after the last character or read") {
        UartRig r(kCpuHz);
        r.set_line(1);
        r.out(kIirFcr, 0x81);  // trigger level 8
        r.out(kIer, 0x01);
        for (int i = 0; i < 3; ++i) r.uart.receive(static_cast<std::uint8_t>('x' + i), 0);
        // The third character is sampled at tick 2*160 + 152 = 472; timeout 4 * 160 later, at
        // tick 1112 = cycle 4448.
        r.run_to(4447);
        CHECK(r.in(kIirFcr) == 0xC1);
        r.run_to(4448);
        CHECK(r.in(kIirFcr) == 0xCC);
        CHECK(r.in(kRbrThr) == 'x');  // one read clears it and restarts the timer
        CHECK(r.in(kIirFcr) == 0xC1);
        r.run_to(4448 + 4 * kCharCycles - 1);
        CHECK(r.in(kIirFcr) == 0xC1);
        r.run_to(4448 + 4 * kCharCycles);
        CHECK(r.in(kIirFcr) == 0xCC);
        CHECK(r.in(kRbrThr) == 'y');
        CHECK(r.in(kRbrThr) == 'z');
        r.run_to(20'000);
        CHECK(r.in(kIirFcr) == 0xC1);  // empty FIFO: no timeout
    }

    TEST_CASE("a new character restarts the timeout; 16450 mode has none") {
        UartRig r(kCpuHz);
        r.set_line(1);
        r.out(kIirFcr, 0xC1);  // trigger 14
        r.out(kIer, 0x01);
        r.uart.receive('a', 0);
        r.uart.receive('b', 2000);  // sampled at 2000 + 608 = 2608, before a's timeout (3168)
        r.run_to(3168);
        CHECK(r.iir_id() == 0x01);
        r.run_to(2608 + 4 * kCharCycles);
        CHECK(r.iir_id() == 0x0C);

        UartRig plain(kCpuHz);
        plain.set_line(1);
        plain.uart.receive('a', 0);
        plain.run_to(10'000);
        CHECK(plain.in(kIirFcr) == 0x01);  // no IER bits: nothing
        plain.out(kIer, 0x01);
        CHECK(plain.in(kIirFcr) == 0x04);  // 16450 mode: data available, never a timeout
    }

    TEST_CASE("FCR: FIFO enable, RCVR and XMIT reset, and the write that lacks FCR0") {
        UartRig r(kCpuHz);
        r.set_line(1);
        r.out(kIirFcr, 0x01);
        CHECK((r.in(kIirFcr) & 0xC0) == 0xC0);
        for (int i = 0; i < 5; ++i) r.uart.receive(static_cast<std::uint8_t>(i), 0);
        r.run_to(5 * kCharCycles);
        for (int i = 0; i < 5; ++i) r.out(kRbrThr, static_cast<std::uint8_t>(0x40 + i));
        CHECK((r.in(kLsr) & 0x61) == 0x01);
        r.out(kIirFcr, 0x02);  // FCR0 = 0: disables the FIFOs (clearing them), ignores bit 1
        CHECK((r.in(kIirFcr) & 0xC0) == 0x00);
        CHECK((r.in(kLsr) & 0x01) == 0);
        r.out(kIirFcr, 0x01);
        r.uart.receive('q', r.scheduler.now());
        r.run_to(r.scheduler.now() + kCharCycles);
        CHECK((r.in(kLsr) & 0x01) == 1);
        r.out(kIirFcr, 0x03);  // RCVR FIFO reset
        CHECK((r.in(kLsr) & 0x01) == 0);
        for (int i = 0; i < 3; ++i) r.out(kRbrThr, 'z');
        CHECK((r.in(kLsr) & 0x20) == 0);
        r.run_to(r.scheduler.now() + 100);  // the first 'z' is in the shift register now
        CHECK((r.in(kLsr) & 0x60) == 0x00);
        r.out(kIirFcr, 0x05);  // XMIT FIFO reset: THRE at once; the shift register finishes
        CHECK((r.in(kLsr) & 0x60) == 0x20);
        r.run_to(r.scheduler.now() + 2 * kCharCycles);
        CHECK((r.in(kLsr) & 0x60) == 0x60);
        CHECK(r.backend.text() == "z");
    }

    TEST_CASE("XMIT FIFO: 16 bytes go out back to back; a 17th is lost") {
        UartRig r(kCpuHz);
        r.set_line(1);
        r.out(kIirFcr, 0x07);
        for (int i = 0; i < 17; ++i) r.out(kRbrThr, static_cast<std::uint8_t>('A' + i));
        r.run_to(100'000);
        CHECK(r.backend.text() == "ABCDEFGHIJKLMNOP");
        // Back to back: each ends one character time after the one before.
        for (std::size_t i = 1; i < r.backend.sent().size(); ++i)
            CHECK(r.backend.sent()[i].when - r.backend.sent()[i - 1].when == kCharCycles);
    }

    TEST_CASE("16550 transmitter interrupt delay: one lone byte interrupts a character time late") {
        UartRig r(kCpuHz);
        r.set_line(1);
        r.out(kMcr, 0x08);
        r.out(kIirFcr, 0x01);
        r.out(kIer, 0x02);
        CHECK(r.in(kIirFcr) == 0xC2);  // enabling ETBEI with THRE set
        // First THRE after changing FCR0: immediate. THR at cycle 0 (tick 0): start bit at
        // tick 16, THRE at 24 = cycle 96.
        r.out(kRbrThr, 'a');
        r.run_to(96);
        CHECK(r.iir_id() == 0x02);
        CHECK(r.in(kIirFcr) == 0xC2);
        r.run_to(1000);  // 'a' is done (tick 176)
        // Now a lone byte: THR at tick 250, start at 272, THRE at 280 (cycle 1120), but the
        // interrupt waits 1 character minus the last stop bit: 160 - 16 = 144 ticks, until tick
        // 424 = cycle 1696.
        r.out(kRbrThr, 'b');
        r.run_to(1120);
        CHECK((r.in(kLsr) & 0x20) == 0x20);
        CHECK(r.iir_id() == 0x01);
        r.run_to(1695);
        CHECK(r.iir_id() == 0x01);
        r.run_to(1696);
        CHECK(r.iir_id() == 0x02);
        r.in(kIirFcr);
        // Two bytes at once: the FIFO-empty interrupt is immediate again.
        r.run_to(4000);  // tick 1000
        r.out(kRbrThr, 'c');
        r.out(kRbrThr, 'd');
        // c starts at tick 1008, d at 1168; THRE at 1176 = cycle 4704, interrupt with it.
        r.run_to(4703);
        CHECK(r.iir_id() == 0x01);
        r.run_to(4704);
        CHECK(r.iir_id() == 0x02);
    }

    TEST_CASE("overrun: 16450 mode keeps the newest; FIFO mode keeps the first 16") {
        UartRig r(kCpuHz);
        r.set_line(1);
        r.uart.receive('1', 0);
        r.uart.receive('2', 0);
        r.run_to(2 * kCharCycles);
        CHECK(r.in(kLsr) == 0x63);
        CHECK(r.in(kLsr) == 0x61);  // OE reset by the read
        CHECK(r.in(kRbrThr) == '2');
        CHECK(r.in(kLsr) == 0x60);

        UartRig f(kCpuHz);
        f.set_line(1);
        f.out(kIirFcr, 0x01);
        for (int i = 0; i < 17; ++i) f.uart.receive(static_cast<std::uint8_t>('a' + i), 0);
        f.run_to(16 * kCharCycles);
        CHECK(f.in(kLsr) == 0x61);  // 16 characters: full, no overrun yet
        f.run_to(17 * kCharCycles);
        CHECK(f.in(kLsr) == 0x63);  // the 17th: overrun, and it is not stored
        for (int i = 0; i < 16; ++i) CHECK(f.in(kRbrThr) == 'a' + i);
        CHECK(f.in(kLsr) == 0x60);
    }

    TEST_CASE("parity, framing and break errors; LSR7 while an error is in the FIFO") {
        UartRig r(kCpuHz);
        r.set_line(1, 0x1B);  // 8E1
        r.out(kIirFcr, 0x01);
        r.out(kIer, 0x04);
        const LineFormat odd = LineFormat::from_lcr(0x0B);
        const LineFormat even = LineFormat::from_lcr(0x1B);
        r.uart.receive('a', 0);
        r.uart.receive_frame(WireFrame::encode('b', odd), 0);  // wrong parity for 8E1
        r.uart.receive('c', 0);
        r.run_to(3 * 704);  // 11-bit characters: 176 ticks each
        CHECK(r.in(kLsr) == 0xE1);     // 'a' at the top is clean; LSR7: an error below it
        CHECK(r.iir_id() == 0x01);     // nothing revealed yet
        CHECK(r.in(kLsr) == 0xE1);     // still an error behind the top
        CHECK(r.in(kRbrThr) == 'a');
        CHECK(r.iir_id() == 0x06);     // 'b' reached the top: its PE is revealed
        CHECK(r.in(kLsr) == 0xE5);
        CHECK(r.in(kLsr) == 0x61);     // nothing behind 'b' is bad: LSR7 clears
        CHECK(r.in(kRbrThr) == 'b');   // the character is still delivered
        CHECK(r.in(kRbrThr) == 'c');

        // A missing stop bit: framing error.
        WireFrame no_stop = WireFrame::encode('d', even);
        no_stop.levels = static_cast<std::uint16_t>(no_stop.levels & ~(1u << 9));
        r.uart.receive_frame(no_stop, r.scheduler.now());
        r.run_to(r.scheduler.now() + 704);
        CHECK(r.in(kLsr) == 0xE9);
        CHECK(r.in(kRbrThr) == 'd');

        // A break: one zero character with BI (and FE: the stop bit is at space).
        r.uart.receive_break(r.scheduler.now());
        r.run_to(r.scheduler.now() + 704);
        CHECK(r.in(kLsr) == 0xF9);
        CHECK(r.in(kRbrThr) == 0x00);
    }

    TEST_CASE("OUT2 gates INTR onto the IRQ line") {
        UartRig r(kCpuHz);
        r.set_line(1);
        r.out(kIer, 0x01);
        r.uart.receive('!', 0);
        r.run_to(kCharCycles);
        CHECK(r.uart.intr());
        CHECK_FALSE(r.irq.level());  // OUT2 off: the card keeps INTR off the bus
        r.out(kMcr, 0x08);
        CHECK(r.irq.level());
        r.out(kMcr, 0x00);
        CHECK_FALSE(r.irq.level());
        r.out(kMcr, 0x08);
        r.in(kRbrThr);
        CHECK_FALSE(r.irq.level());
    }

    TEST_CASE("loopback: MCR drives MSR, transmitted characters come back, nothing leaves") {
        UartRig r(kCpuHz, ModemLines{});
        r.set_line(1);
        r.out(kMcr, 0x1A);  // loopback, RTS, OUT2: Linux's 16550 probe expects MSR & F0 == 90
        CHECK(r.in(kMsr) == 0x99);  // CTS (RTS) and DCD (OUT2) came on: DCTS, DDCD
        CHECK(r.in(kMsr) == 0x90);
        r.out(kMcr, 0x1F);  // DTR -> DSR, OUT1 -> RI
        CHECK(r.in(kMsr) == 0xF2);
        r.out(kMcr, 0x1B);  // OUT1 off: the trailing edge of RI sets TERI
        CHECK(r.in(kMsr) == 0xB4);
        r.out(kMcr, 0x1A);
        r.in(kMsr);

        r.out(kIer, 0x0F);
        CHECK(r.uart.intr());        // THRE
        CHECK_FALSE(r.irq.level());  // OUT2 is forced inactive in loopback
        r.in(kIirFcr);
        r.out(kRbrThr, 0x55);
        // THR at tick 0: start bit at 16, sampled at 16 + 152 = 168 ticks = cycle 672.
        r.run_to(671);
        CHECK((r.in(kLsr) & 0x01) == 0);
        r.run_to(672);
        CHECK(r.in(kIirFcr) == 0x04);
        CHECK(r.in(kRbrThr) == 0x55);
        r.run_to(10'000);
        CHECK(r.backend.sent().empty());
        // Far-end input is disconnected in loopback.
        r.uart.receive('x', r.scheduler.now());
        r.run_to(r.scheduler.now() + kCharCycles);
        CHECK((r.in(kLsr) & 0x01) == 0);
        // Leaving loopback: the far end's lines are back (all off), output reaches the back-end.
        r.out(kMcr, 0x08);
        CHECK(r.in(kMsr) == 0x09);
        r.out(kRbrThr, 'o');
        r.run_to(r.scheduler.now() + 2 * kCharCycles);
        CHECK(r.backend.text() == "o");
    }

    TEST_CASE("loopback simulates parity errors and breaks") {
        UartRig r(kCpuHz);
        r.set_line(1, 0x1B);  // 8E1
        r.out(kMcr, 0x10);
        r.out(kRbrThr, 0x01);
        // Switch to odd parity while the character is on the wire: the receiver checks it odd.
        r.run_to(100);
        r.out(kLcr, 0x0B);
        r.run_to(2000);
        CHECK(r.in(kLsr) == 0x65);
        CHECK(r.in(kRbrThr) == 0x01);
        // Set break: after a whole character time at space, one zero character with BI.
        r.out(kLcr, 0x4B);
        r.run_to(r.scheduler.now() + 703);
        CHECK((r.in(kLsr) & 0x01) == 0);
        r.run_to(r.scheduler.now() + 1);
        CHECK((r.in(kLsr) & 0x19) == 0x19);
        CHECK(r.in(kRbrThr) == 0x00);
        r.run_to(r.scheduler.now() + 5000);
        CHECK((r.in(kLsr) & 0x01) == 0);  // only one per break
    }

    TEST_CASE("modem status interrupt from the far end's lines") {
        UartRig r(kCpuHz, ModemLines{});
        r.out(kMcr, 0x08);
        r.out(kIer, 0x08);
        CHECK(r.iir_id() == 0x01);
        r.uart.set_modem_lines(ModemLines{false, false, false, true});  // carrier
        CHECK(r.iir_id() == 0x00);
        CHECK(r.irq.level());
        CHECK(r.in(kMsr) == 0x88);  // DCD with DDCD; reading clears the delta and the interrupt
        CHECK_FALSE(r.irq.level());
        r.uart.set_modem_lines(ModemLines{false, false, true, true});  // ringing
        CHECK(r.iir_id() == 0x01);  // RI's leading edge sets no delta
        CHECK(r.in(kMsr) == 0xC0);
        r.uart.set_modem_lines(ModemLines{false, false, false, true});  // the ring ends: TERI
        CHECK(r.iir_id() == 0x00);
        CHECK(r.in(kMsr) == 0x84);
        CHECK_FALSE(r.irq.level());
    }

    TEST_CASE("peek has no side effects") {
        UartRig r(kCpuHz);
        r.set_line(1);
        r.out(kMcr, 0x08);
        r.out(kIer, 0x0F);
        r.uart.receive('p', 0);
        r.uart.receive('q', 0);
        r.uart.set_modem_lines(ModemLines{});
        r.run_to(2 * kCharCycles);
        std::uint8_t before[8];
        for (unsigned i = 0; i < 8; ++i) before[i] = static_cast<std::uint8_t>(r.ports.peek(kCom1Base + i, 1));
        for (unsigned i = 0; i < 8; ++i) CHECK(r.ports.peek(kCom1Base + i, 1) == before[i]);
        CHECK(before[kLsr] == 0x63);
        CHECK(r.in(kIirFcr) == 0x06);
    }

    TEST_CASE("inspect lists registers, FIFOs and pending events; a snapshot restores them and re-arms") {
        auto build = [](UartRig& r) {
            r.set_line(2, 0x1B);
            r.out(kIirFcr, 0x41);
            r.out(kIer, 0x0F);
            r.out(kMcr, 0x0B);
            for (int i = 0; i < 6; ++i) r.out(kRbrThr, static_cast<std::uint8_t>('0' + i));
            for (int i = 0; i < 9; ++i) r.uart.receive(static_cast<std::uint8_t>('k' + i), 500 + 10 * i);
        };
        UartRig a(kCpuHz);
        build(a);
        a.run_to(3000);  // mid-character both ways
        RecordingVisitor listing;
        a.uart.inspect(listing);
        CHECK(listing.has("com1.registers.lcr=27"));
        CHECK(listing.has("com1.registers.fcr=65"));
        CHECK(listing.has_prefix("com1.rx_fifo.count="));
        CHECK(listing.has_prefix("com1.far_end.char0.levels="));
        CHECK(listing.has_prefix("com1.events.tx_end="));

        CHECK(a.backend.text() == "01");
        a.backend.clear();
        SnapshotVisitor snap;
        a.uart.inspect(snap);
        UartRig b(kCpuHz);
        b.run_to(3000);
        snap.start_loading();
        b.uart.inspect(snap);
        a.run_to(40'000);
        b.run_to(40'000);
        CHECK(a.backend.text() == "2345");  // '0' and '1' went before the snapshot
        CHECK(a.backend.sent() == b.backend.sent());
        RecordingVisitor va, vb;
        a.uart.inspect(va);
        b.uart.inspect(vb);
        CHECK(va.lines == vb.lines);
        for (unsigned i = 0; i < 8; ++i) CHECK(a.ports.peek(kCom1Base + i, 1) == b.ports.peek(kCom1Base + i, 1));
        CHECK(a.uart.chars_received() == 9);
    }

    TEST_CASE("reset cancels what was in flight") {
        UartRig r(kCpuHz);
        r.set_line(1);
        r.out(kIirFcr, 0x01);
        r.out(kRbrThr, 'x');
        r.uart.receive('y', 0);
        r.scheduler.reset();
        r.uart.reset();
        CHECK(r.scheduler.pending_count() == 0);
        CHECK(r.in(kLsr) == 0x60);
        CHECK(r.in(kIirFcr) == 0x01);
        CHECK(r.uart.divisor() == 1);  // the divisor latch is not reset
        r.run_to(10'000);
        CHECK(r.backend.sent().empty());
    }

    TEST_CASE("a hostile guest cannot break it") {
        // Random writes and reads to all eight ports (and wider accesses past the end) mixed
        // with far-end input: nothing may crash, and the FIFOs never claim more than 16 bytes.
        UartRig r(kCpuHz);
        std::uint32_t seed = 12345;
        auto next = [&seed] {
            seed = seed * 1103515245u + 12345u;
            return seed >> 8;
        };
        Cycles t = 0;
        for (int i = 0; i < 200'000; ++i) {
            const std::uint32_t x = next();
            const unsigned reg = x % 8;
            switch ((x >> 3) % 4) {
                case 0: r.out(reg, static_cast<std::uint8_t>(x >> 5)); break;
                case 1: r.in(reg); break;
                case 2: r.ports.write(static_cast<std::uint16_t>(kCom1Base + reg), x, 4); break;
                case 3: r.uart.receive(static_cast<std::uint8_t>(x >> 5), t); break;
            }
            if ((x & 0x30) == 0) {
                // Keep the divisor small so characters finish within the run.
                r.set_line(static_cast<std::uint16_t>(1 + (x >> 20) % 4), static_cast<std::uint8_t>(x >> 12) & 0x7F);
            }
            t += (x >> 24) % 64;
            r.run_to(t);
        }
        RecordingVisitor v;
        r.uart.inspect(v);
        for (const auto& line : v.lines) {
            if (line.rfind("com1.rx_fifo.count=", 0) == 0 || line.rfind("com1.tx_fifo.count=", 0) == 0)
                CHECK(std::stoul(line.substr(line.find('=') + 1)) <= 16);
        }
        CHECK(r.uart.receive_space() <= kUartHostQueueDepth);
    }
}
