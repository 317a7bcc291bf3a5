// When things happen on a 16550A's wire, to the CPU cycle. The expected cycles are worked out by
// hand from the datasheet's rules (see the comments) and the exact crystal/CPU clock ratio:
// cycle(t) = ceil(t * cpu_hz / 1,843,200) for crystal tick t.
#include <doctest/doctest.h>

#include "recording_visitor.h"
#include "uart_rig.h"

using namespace lantern;
using lantern::testing::UartRig;
using namespace lantern::testing;

namespace {

struct Expect {
    std::uint64_t cpu_hz;
    std::uint16_t divisor;
    Cycles start;  // first cycle of the start bit
    Cycles thre;   // first cycle LSR shows THRE
    Cycles temt;   // first cycle LSR shows TEMT (and the back-end has the byte)
};

// The divisor latch is written at cycle 0 (bit clock phase 0 = crystal tick 0) and THR at cycle
// 1000, i.e. at crystal tick w = floor(1000 * 1843200 / cpu_hz): 386 at 4.772727 MHz, 230 at
// 8 MHz. With D = divisor, one bit is 16D ticks:
//   start bit: the first bit-clock edge >= w + 8D (tIRS)      S = ceil((w + 8D) / 16D) * 16D
//   THRE:      8 BAUDOUT cycles after the start bit (tSXA)    S + 8D
//   TEMT:      after start + 8 data + 1 stop bits             S + 160D
// 9600 baud (D = 12):  PC: S = 576, THRE 672, TEMT 2496 ticks; AT: S = 384, THRE 480, TEMT 2304.
// 115200 baud (D = 1): PC: S = 400, THRE 408, TEMT 560;        AT: S = 240, THRE 248, TEMT 400.
constexpr Expect kCases[] = {
    {4'772'727, 12, 1492, 1741, 6464},   // IBM PC 5150 clock, 9600 8N1: 4972 cycles a character
    {8'000'000, 12, 1667, 2084, 10000},  // IBM PC/AT 5170 clock, 9600 8N1: 8333.3 cycles
    {4'772'727, 1, 1036, 1057, 1451},    // 115200 8N1
    {8'000'000, 1, 1042, 1077, 1737},
};

std::uint8_t lsr_at(UartRig& r, Cycles c) {
    r.run_to(c);
    return r.in(kLsr);
}

}  // namespace

TEST_SUITE("uart16550_timing") {
    TEST_CASE("a transmitted byte: THRE and TEMT at the exact cycle (8N1, two baud rates, two CPU clocks)") {
        for (const Expect& e : kCases) {
            CAPTURE(e.cpu_hz);
            CAPTURE(e.divisor);
            UartRig r(e.cpu_hz);
            r.set_line(e.divisor, 0x03);
            r.run_to(1000);
            r.out(kRbrThr, 'A');
            CHECK(r.in(kLsr) == 0x00);  // THR full, shift register idle but about to start
            CHECK((lsr_at(r, e.thre - 1) & 0x60) == 0x00);
            CHECK((lsr_at(r, e.thre) & 0x60) == 0x20);  // THR empty, character on the wire
            CHECK((lsr_at(r, e.temt - 1) & 0x60) == 0x20);
            CHECK(r.backend.sent().empty());
            CHECK((lsr_at(r, e.temt) & 0x60) == 0x60);
            REQUIRE(r.backend.sent().size() == 1);
            CHECK(r.backend.sent()[0] == CaptureSerialBackend::Sent{'A', e.temt});
        }
    }

    TEST_CASE("back-to-back characters follow each other with no gap; THRE lags each start by 8 BAUDOUT") {
        // 115200 8N1 on the PC clock: A starts at tick 400 and ends at 560. B waits in THR, starts
        // at 560 (THRE at 568 = cycle 1471) and ends at 720 (cycle 1865).
        UartRig r(4'772'727);
        r.set_line(1);
        r.run_to(1000);
        r.out(kRbrThr, 'A');
        r.run_to(1100);
        CHECK((r.in(kLsr) & 0x60) == 0x20);
        r.out(kRbrThr, 'B');
        CHECK((r.in(kLsr) & 0x60) == 0x00);
        CHECK((lsr_at(r, 1470) & 0x60) == 0x00);
        CHECK(r.backend.sent().size() == 1);  // A went at cycle 1451
        CHECK((lsr_at(r, 1471) & 0x60) == 0x20);
        CHECK((lsr_at(r, 1864) & 0x60) == 0x20);
        CHECK((lsr_at(r, 1865) & 0x60) == 0x60);
        REQUIRE(r.backend.sent().size() == 2);
        CHECK(r.backend.sent()[0] == CaptureSerialBackend::Sent{'A', 1451});
        CHECK(r.backend.sent()[1] == CaptureSerialBackend::Sent{'B', 1865});
    }

    TEST_CASE("word length, stop bits and parity set a character's length on the wire") {
        // At 7.3728 MHz a crystal tick is exactly 4 cycles. 9600 baud: one bit = 192 ticks. THR
        // written at cycle 0: the start bit begins at tick 192 (first edge >= 96).
        struct Format {
            std::uint8_t lcr;
            unsigned half_bits;  // start + data + parity + stop, in half bits
        };
        const Format formats[] = {
            {0x03, 20},  // 8N1: 10 bits
            {0x1A, 20},  // 7E1: 1 + 7 + 1 + 1 = 10 bits
            {0x1E, 22},  // 7E2: 1 + 7 + 1 + 2 = 11 bits
            {0x0B, 22},  // 8O1: 11 bits
            {0x01, 16},  // 6N1: 8 bits
            {0x04, 15},  // 5 data bits, STB=1: 1.5 stop bits, 7.5 bits
            {0x07, 22},  // 8N2: 1 + 8 + 2 = 11 bits
        };
        for (const Format& f : formats) {
            CAPTURE(int(f.lcr));
            UartRig r(7'372'800);
            r.set_line(12, f.lcr);
            r.out(kRbrThr, 0x5A);
            const unsigned half_bits = f.half_bits;
            const Cycles temt = 4 * (192 + half_bits * 96);
            CHECK((lsr_at(r, temt - 1) & 0x40) == 0);
            CHECK((lsr_at(r, temt) & 0x40) != 0);
        }
    }

    TEST_CASE("the bit clock is free-running: its phase restarts when the divisor latch is loaded") {
        // 7.3728 MHz (4 cycles a tick), 9600 baud. The divisor is loaded at cycle 400 (tick 100),
        // so bit-clock edges fall at ticks 100 + 192k. THR written at cycle 800 (tick 200):
        // the first edge >= 200 + 96 is 484, so THRE shows at 484 + 96 = 580 ticks = cycle 2320.
        UartRig r(7'372'800);
        r.run_to(400);
        r.set_line(12);
        r.run_to(800);
        r.out(kRbrThr, 'x');
        CHECK((lsr_at(r, 2319) & 0x20) == 0);
        CHECK((lsr_at(r, 2320) & 0x20) != 0);
    }

    TEST_CASE("a received character reaches RBR in the middle of its stop bit, at line speed") {
        // 9600 8N1 on the PC clock. Two bytes handed to the far end at cycle 5000 (crystal tick
        // 1931, the first at or after it). The first is sampled 9.5 bits = 1824 ticks after its
        // start bit: tick 3755, cycle 9724. The second starts when the first's stop bit ends
        // (tick 1931 + 1920 = 3851) and is sampled at tick 5675, cycle 14695.
        UartRig r(4'772'727);
        r.set_line(12);
        r.run_to(5000);
        CHECK(r.uart.receive('h', 5000));
        CHECK(r.uart.receive('i', 5000));
        CHECK((lsr_at(r, 9723) & 0x01) == 0);
        CHECK((lsr_at(r, 9724) & 0x01) == 1);
        CHECK(r.in(kRbrThr) == 'h');
        CHECK((lsr_at(r, 14694) & 0x01) == 0);
        CHECK((lsr_at(r, 14695) & 0x01) == 1);
        CHECK(r.in(kRbrThr) == 'i');
    }

    TEST_CASE("receive timing depends only on the (byte, cycle) inputs, not on how time is sliced") {
        // The same input fed to two UARTs, one advanced in big steps and one cycle-by-cycle in
        // places, ends in identical state and identical output.
        auto drive = [](UartRig& r, Cycles step) {
            r.set_line(3, 0x1B);  // 38400 8E1
            r.out(kIirFcr, 0x81);  // FIFOs on, trigger 8
            r.out(kIer, 0x0F);
            r.out(kMcr, 0x0B);
            const char* text = "deterministic";
            for (int i = 0; text[i]; ++i) r.uart.receive(static_cast<std::uint8_t>(text[i]), 100 + 37 * i);
            for (Cycles c = 0; c <= 60'000; c += step) {
                r.run_to(c);
                if (c % 9000 < step) r.in(kRbrThr);
                if (c % 7000 < step) r.out(kRbrThr, static_cast<std::uint8_t>(c / 7000));
            }
            r.run_to(60'000);
        };
        UartRig a, b;
        drive(a, 1000);
        drive(b, 1);
        CHECK(a.backend.sent() == b.backend.sent());
        CHECK(a.uart.chars_received() == b.uart.chars_received());
        CHECK(a.uart.chars_received() == 13);
        RecordingVisitor va, vb;
        a.uart.inspect(va);
        b.uart.inspect(vb);
        CHECK(va.lines == vb.lines);
    }
}
