// Port 0x61, system control port B of the PC/AT: timer 2's gate and the speaker bit in, OUT2 and
// the refresh toggle out (IBM PC/AT Technical Reference, "System Board", port 061h).
#include <doctest/doctest.h>

#include "devices/timer/system_control_port.h"
#include "pit_rig.h"
#include "recording_visitor.h"

using namespace lantern;
using lantern::testing::PitRig;

namespace {
struct Port61Rig : PitRig {
    SystemControlPortB port{pit};
    Port61Rig() { port.reset(); }
    std::uint8_t read61() { return static_cast<std::uint8_t>(port.read(0, 1)); }
    void write61(std::uint8_t v) { port.write(0, v, 1); }
};
}  // namespace

TEST_SUITE("port61") {
    TEST_CASE("bits 0-3 read back; bits 4-7 are status and ignore writes") {
        Port61Rig r;
        CHECK((r.read61() & 0xEF) == 0x00);
        CHECK_FALSE(r.pit.gate(2));
        r.write61(0xFF);
        CHECK((r.read61() & 0xCF) == 0x0F);  // 6 and 7 (parity, channel check) read 0
        CHECK(r.pit.gate(2));
        CHECK(r.port.timer2_gate());
        CHECK(r.port.speaker_data());
        r.write61(0x02);
        CHECK_FALSE(r.pit.gate(2));
        CHECK(r.port.peek(0, 1) == r.read61());
    }

    TEST_CASE("bit 4 toggles every 18 PIT ticks (15.08 us), from time alone") {
        Port61Rig r;
        const std::pair<std::uint64_t, std::uint8_t> expected[] = {
            {0, 0x00},  {17, 0x00}, {18, 0x10},   {35, 0x10},   {36, 0x00},
            {53, 0x00}, {54, 0x10}, {1800, 0x00}, {1818, 0x10}, {1835, 0x10}};
        for (auto [tick, bit] : expected) {
            CAPTURE(tick);
            r.to_tick(tick);
            CHECK((r.read61() & 0x10) == bit);
        }
        // Reprogramming counter 1 does not change it (see system_control_port.h).
        r.program(0x74, 2);
        r.to_tick(1836);
        CHECK((r.read61() & 0x10) == 0);
        r.to_cycle(r.cycle_of(1854) - 1);
        CHECK((r.read61() & 0x10) == 0);
        r.to_tick(1854);
        CHECK((r.read61() & 0x10) == 0x10);
    }

    TEST_CASE("bit 5 is OUT2; bit 0 gates counter 2; the speaker hears OUT2 AND bit 1") {
        Port61Rig r;
        r.to_tick(10);
        r.program(0xB6, 8);  // counter 2, mode 3, count 8
        CHECK((r.read61() & 0x20) == 0x20);  // the control word set OUT2 high
        r.to_tick(20);
        CHECK((r.read61() & 0x20) == 0x20);  // GATE2 low: not counting, OUT2 stays high
        r.write61(0x01);                     // gate on: the rising edge reloads on tick 21
        CHECK((r.read61() & 0x20) == 0x20);
        r.to_tick(24);
        CHECK((r.read61() & 0x20) == 0x20);
        r.to_tick(25);
        CHECK((r.read61() & 0x20) == 0x00);  // 4 ticks high, then 4 low
        CHECK_FALSE(r.port.speaker_level());
        r.to_tick(29);
        CHECK((r.read61() & 0x20) == 0x20);
        CHECK_FALSE(r.port.speaker_level());  // bit 1 off
        r.write61(0x03);
        CHECK(r.port.speaker_level());
        r.to_tick(33);
        CHECK_FALSE(r.port.speaker_level());
        const auto history = r.pit.out2_history();
        REQUIRE(history.size() >= 3);
        CHECK(history.back().cycle == r.cycle_of(33));
        CHECK_FALSE(history.back().level);
        CHECK(history[history.size() - 2].cycle == r.cycle_of(29));
    }

    TEST_CASE("inspect shows the written bits and the derived ones") {
        Port61Rig r;
        r.write61(0x03);
        r.to_tick(20);
        testing::RecordingVisitor v;
        r.port.inspect(v);
        CHECK(v.has("port61.control=3"));
        CHECK(v.has("port61.timer2_gate=1"));
        CHECK(v.has("port61.speaker_data=1"));
        CHECK(v.has("port61.refresh_toggle=1"));
    }
}
