// Input Status 1 follows the raster the CRTC registers and the dot clock define, at any CPU
// clock. Expected cycles come from the IBM mode tables by hand: mode 03h has 100 character
// clocks of 9 dots per line at 28.322 MHz and 449 lines, vertical retrace on lines 412-413;
// mode 12h has 100 clocks of 8 dots at 25.175 MHz and 525 lines, retrace on lines 490-491.
#include <doctest/doctest.h>

#include "vga_rig.h"

using namespace lantern;
using lantern::testing::VgaRig;

namespace {

struct ModeTiming {
    const lantern::testing::VgaMode* mode;
    std::uint64_t dot_hz;
    std::uint64_t line_dots;
    std::uint64_t lines;
    std::uint64_t retrace_first, retrace_end;  // [first, end) lines
    std::uint64_t display_chars, char_dots, display_lines;
};

const ModeTiming kTimings[] = {
    {&lantern::testing::kMode03, 28'322'000, 900, 449, 412, 414, 80, 9, 400},
    {&lantern::testing::kMode12, 25'175'000, 800, 525, 490, 492, 80, 8, 480},
};

// The first CPU cycle at which `dots` dot clocks have elapsed: ceil(dots * cpu / dot).
Cycles cycle_of_dot(std::uint64_t dots, std::uint64_t cpu_hz, std::uint64_t dot_hz) {
    return (dots * cpu_hz + dot_hz - 1) / dot_hz;
}

std::uint8_t status_at(VgaRig& r, Cycles c) {
    r.scheduler.advance_to(c);
    return r.in(0x3DA);
}

}  // namespace

TEST_SUITE("vga_timing") {
    TEST_CASE("vertical retrace and display enable at 4.77 MHz and at 33 MHz") {
        for (const std::uint64_t cpu_hz : {std::uint64_t{4'772'727}, std::uint64_t{33'000'000}}) {
            for (const ModeTiming& t : kTimings) {
                CAPTURE(cpu_hz);
                CAPTURE(t.dot_hz);
                VgaRig r(cpu_hz);
                r.set_mode(*t.mode);
                const std::uint64_t frame = t.line_dots * t.lines;
                for (std::uint64_t f = 0; f < 3; f += 2) {  // frames 0 and 2
                    const std::uint64_t base = f * frame;
                    const Cycles start = cycle_of_dot(base + t.retrace_first * t.line_dots, cpu_hz, t.dot_hz);
                    const Cycles end = cycle_of_dot(base + t.retrace_end * t.line_dots, cpu_hz, t.dot_hz);
                    CHECK((status_at(r, start - 1) & 0x08) == 0);
                    CHECK((status_at(r, start) & 0x08) == 0x08);
                    CHECK((status_at(r, start) & 0x01) == 0x01);  // retrace is outside the display
                    CHECK((status_at(r, end - 1) & 0x08) == 0x08);
                    CHECK((status_at(r, end) & 0x08) == 0);
                }
                // Display enable: inside the first line's 80 characters, then blanking.
                const std::uint64_t f3 = 3 * frame;
                const Cycles in_display = cycle_of_dot(f3 + 5 * t.line_dots, cpu_hz, t.dot_hz);
                const Cycles hblank = cycle_of_dot(f3 + 5 * t.line_dots + t.display_chars * t.char_dots, cpu_hz, t.dot_hz);
                const Cycles below = cycle_of_dot(f3 + t.display_lines * t.line_dots, cpu_hz, t.dot_hz);
                CHECK(status_at(r, in_display) == 0x00);
                CHECK(status_at(r, hblank - 1) == 0x00);
                CHECK(status_at(r, hblank) == 0x01);
                CHECK(status_at(r, below - 1) == 0x01);  // still in the last line's blanking
                CHECK(status_at(r, below) == 0x01);
                CHECK(r.vga.raster_position(below).line == t.display_lines);
                CHECK(r.vga.frame_number() == 3);
            }
        }
    }

    TEST_CASE("the dot clock follows Misc Output and the Clocking Mode divide-by-2") {
        VgaRig r(10'000'000);
        r.set_mode(lantern::testing::kMode03);
        CHECK(r.vga.timing().dot_clock_hz == 28'322'000);
        r.out(0x3C2, 0x63);  // clock select 0
        CHECK(r.vga.timing().dot_clock_hz == 25'175'000);
        r.seq(1, 0x08);
        CHECK(r.vga.timing().dot_clock_hz == 12'587'500);
        const VgaTiming t = r.vga.timing();
        CHECK(t.frame_dots == 900u * 449u);
        // With the clock halved a frame takes twice as many CPU cycles.
        const Cycles frame_cycles = cycle_of_dot(t.frame_dots, 10'000'000, 12'587'500);
        r.scheduler.advance_to(frame_cycles);
        CHECK(r.vga.frame_number() == 1);
        r.scheduler.advance_to(frame_cycles * 2 - 1);
        CHECK(r.vga.frame_number() == 1);
    }

    TEST_CASE("a read of Input Status 1 depends only on the cycle, not on earlier reads") {
        VgaRig a(8'000'000), b(8'000'000);
        a.set_mode(lantern::testing::kMode12);
        b.set_mode(lantern::testing::kMode12);
        for (Cycles c = 0; c < 400'000; c += 997) {
            a.scheduler.advance_to(c);
            (void)a.in(0x3DA);
        }
        b.scheduler.advance_to(a.scheduler.now());
        CHECK(a.in(0x3DA) == b.in(0x3DA));
        CHECK(a.vga.io_peek(0x3DA) == a.in(0x3DA));
    }

    TEST_CASE("the vertical interrupt latch (Input Status 0 bit 7) catches the next retrace") {
        const std::uint64_t cpu_hz = 8'000'000;
        VgaRig r(cpu_hz);
        r.set_mode(lantern::testing::kMode12);
        CHECK((r.in(0x3C2) & 0x80) == 0);  // CR11 bit 4 = 0 in the mode table: cleared
        r.scheduler.advance_to(cycle_of_dot(10 * 800, cpu_hz, 25'175'000));
        r.crtc(0x11, 0x1C);  // bit 4 = 1: armed at line 10
        CHECK((r.in(0x3C2) & 0x80) == 0);
        const Cycles start = cycle_of_dot(490 * 800, cpu_hz, 25'175'000);
        r.scheduler.advance_to(start - 1);
        CHECK((r.in(0x3C2) & 0x80) == 0);
        r.scheduler.advance_to(start);
        CHECK((r.in(0x3C2) & 0x80) == 0x80);
        r.scheduler.advance_to(start + 100'000);  // stays pending after the retrace
        CHECK((r.in(0x3C2) & 0x80) == 0x80);
        r.crtc(0x11, 0x0C);  // clear
        CHECK((r.in(0x3C2) & 0x80) == 0);
    }

    TEST_CASE("DISPI modes keep a 60 Hz raster for software that polls 3DA") {
        VgaRig r(33'000'000);
        r.dispi(dispi::kIndexXRes, 800);
        r.dispi(dispi::kIndexYRes, 600);
        r.dispi(dispi::kIndexBpp, 16);
        r.dispi(dispi::kIndexEnable, dispi::kEnabled);
        const VgaTiming t = r.vga.timing();
        CHECK(t.synthetic);
        CHECK(t.dot_clock_hz == t.frame_dots * 60);
        r.scheduler.advance_to(33'000'000);  // one second
        CHECK(r.vga.frame_number() == 60);
        bool saw_retrace = false, saw_display = false;
        for (Cycles c = 33'000'000; c < 33'000'000 + 33'000'000 / 60; c += 1000) {
            r.scheduler.advance_to(c);
            const std::uint8_t s = r.in(0x3DA);
            saw_retrace |= (s & 0x08) != 0;
            saw_display |= (s & 0x01) == 0;
        }
        CHECK(saw_retrace);
        CHECK(saw_display);
    }
}
