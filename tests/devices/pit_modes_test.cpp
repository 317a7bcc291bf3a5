// The 8254's six modes, pulse by pulse, against the datasheet's timing descriptions (8254
// datasheet, "Mode Definitions"). The rig's clock is 4 CPU cycles per PIT tick (the IBM PC's),
// and every check is made at the exact first cycle of a tick and one cycle before it.
#include <doctest/doctest.h>

#include <vector>

#include "pit_rig.h"

using namespace lantern;
using lantern::testing::PitRig;

namespace {
// Control words: SC1 SC0 | RW1 RW0 = 11 (LSB then MSB) | M2 M1 M0 | BCD.
constexpr std::uint8_t control(unsigned counter, unsigned mode, bool bcd = false) {
    return static_cast<std::uint8_t>((counter << 6) | 0x30 | (mode << 1) | (bcd ? 1 : 0));
}

std::vector<std::pair<Cycles, bool>> edges(const PitRig& r, std::initializer_list<std::pair<std::uint64_t, bool>> ticks) {
    std::vector<std::pair<Cycles, bool>> e;
    for (auto [t, level] : ticks) e.emplace_back(r.cycle_of(t), level);
    return e;
}
}  // namespace

TEST_SUITE("pit_modes") {
    TEST_CASE("mode 0: OUT low at once, high N + 1 pulses after the count is written, then stays high") {
        PitRig r;
        r.to_cycle(r.cycle_of(10) + 2);  // mid-tick: the write falls between pulses 10 and 11
        r.program(control(0, 0), 3);
        CHECK_FALSE(r.pit.out(0));
        CHECK(r.pit.counter(0).null_count);
        CHECK(r.ce_at(0, 11) == 3);  // the load pulse does not decrement
        CHECK_FALSE(r.pit.counter(0).null_count);
        CHECK(r.ce_at(0, 12) == 2);
        CHECK(r.ce_at(0, 13) == 1);
        r.to_cycle(r.cycle_of(14) - 1);
        CHECK_FALSE(r.pit.out(0));
        CHECK(r.out_at(0, 14));
        CHECK(r.ce_at(0, 15) == 0xFFFF);  // the counter wraps and goes on; OUT stays high
        r.to_tick(14 + 65536 + 10);
        CHECK(r.pit.out(0));
        CHECK(r.edges0 == edges(r, {{14, true}}));
        CHECK(r.pit.next_out_event(0) == kNever);  // nothing more to see: no event
    }

    TEST_CASE("mode 0: GATE low stops counting; a new count sets OUT low; the first byte stops counting") {
        PitRig r;
        r.pit.set_gate(2, false);
        r.to_tick(10);
        r.program(control(2, 0), 5);
        CHECK(r.ce_at(2, 11) == 5);  // loaded even with GATE low
        CHECK(r.ce_at(2, 20) == 5);  // but not counted
        r.pit.set_gate(2, true);
        CHECK(r.ce_at(2, 21) == 4);
        CHECK(r.ce_at(2, 25) == 0);
        CHECK(r.pit.out(2));
        // A new count: OUT low immediately, loaded on the next pulse.
        r.program(control(2, 0), 2);  // (the control word also sets OUT low)
        r.out(0x42, 7);
        r.out(0x42, 0);
        CHECK_FALSE(r.pit.out(2));
        CHECK(r.ce_at(2, 26) == 7);
        CHECK(r.out_at(2, 33));
        // Two-byte rewrite: the first byte disables counting and sets OUT low, the second loads.
        r.out(0x42, 3);
        CHECK_FALSE(r.pit.out(2));
        CHECK(r.ce_at(2, 40) == 0);  // frozen at the 0 it reached on tick 33
        r.out(0x42, 0);
        CHECK(r.ce_at(2, 41) == 3);
        CHECK(r.out_at(2, 44));
    }

    TEST_CASE("mode 1: a trigger starts a one-shot of N pulses; retriggering restarts it") {
        PitRig r;
        r.pit.set_gate(2, false);
        r.to_tick(5);
        r.program(control(2, 1), 3);
        CHECK(r.pit.out(2));            // OUT initially high
        CHECK(r.ce_at(2, 15) == 0);     // nothing loads without a trigger (CE was never loaded)
        CHECK(r.pit.counter(2).null_count);
        r.to_cycle(r.cycle_of(20) + 1);
        r.pit.set_gate(2, true);         // trigger between pulses 20 and 21
        CHECK(r.pit.out(2));
        CHECK_FALSE(r.out_at(2, 21));   // OUT low on the pulse after the trigger
        CHECK(r.latched(2) == 3);
        CHECK_FALSE(r.out_at(2, 23));
        CHECK(r.out_at(2, 24));         // N = 3 pulses low
        // GATE level does not matter in mode 1: the counter keeps counting.
        r.pit.set_gate(2, false);
        CHECK(r.ce_at(2, 26) == 0xFFFE);
        // Retrigger in the middle of a one-shot: it lasts N pulses from the new trigger.
        r.to_cycle(r.cycle_of(30) + 1);
        r.pit.set_gate(2, true);
        CHECK_FALSE(r.out_at(2, 31));
        r.pit.set_gate(2, false);
        r.to_cycle(r.cycle_of(32) + 1);
        r.pit.set_gate(2, true);
        CHECK_FALSE(r.out_at(2, 35));
        CHECK(r.out_at(2, 36));
        // A new count does not disturb the one-shot in progress; the next trigger uses it.
        r.pit.set_gate(2, false);
        r.to_cycle(r.cycle_of(40) + 1);
        r.pit.set_gate(2, true);  // loads 3 on pulse 41
        r.to_tick(42);
        r.out(0x42, 10);
        r.out(0x42, 0);
        CHECK_FALSE(r.out_at(2, 43));
        CHECK(r.out_at(2, 44));
        r.pit.set_gate(2, false);
        r.to_cycle(r.cycle_of(50) + 1);
        r.pit.set_gate(2, true);
        CHECK_FALSE(r.out_at(2, 60));
        CHECK(r.out_at(2, 61));
    }

    TEST_CASE("mode 2: OUT low for one pulse every N pulses, first N pulses after the write") {
        PitRig r;
        r.to_tick(10);
        r.program(control(0, 2), 4);
        CHECK(r.pit.out(0));
        CHECK(r.ce_at(0, 11) == 4);
        CHECK(r.ce_at(0, 13) == 2);
        CHECK(r.ce_at(0, 14) == 1);   // CE never reads 0 in mode 2
        CHECK_FALSE(r.pit.out(0));
        CHECK(r.ce_at(0, 15) == 4);
        r.to_tick(40);
        // OUT0 went high at the control word (it was low before), then the pulses.
        CHECK(r.edges0.front() == std::make_pair(r.cycle_of(10), true));
        CHECK(std::vector(r.edges0.begin() + 1, r.edges0.end()) ==
              edges(r, {{14, false}, {15, true}, {18, false}, {19, true}, {22, false}, {23, true}, {26, false},
                        {27, true}, {30, false}, {31, true}, {34, false}, {35, true}, {38, false}, {39, true}}));
    }

    TEST_CASE("mode 2: a new count takes effect at the end of the period; GATE low forces OUT high") {
        PitRig r;
        r.pit.set_gate(2, true);
        r.to_tick(10);
        r.program(control(2, 2), 4);  // loads at 11, low at 14, reload at 15
        r.to_tick(12);
        r.out(0x42, 6);
        r.out(0x42, 0);
        CHECK(r.pit.counter(2).null_count);
        CHECK_FALSE(r.out_at(2, 14));  // the current period is not disturbed
        CHECK(r.ce_at(2, 15) == 6);    // the new count from the next period
        CHECK_FALSE(r.pit.counter(2).null_count);
        CHECK_FALSE(r.out_at(2, 20));
        // GATE low while OUT is low: OUT high at once, no pulse needed; counting stops.
        r.to_cycle(r.cycle_of(20) + 2);
        r.pit.set_gate(2, false);
        CHECK(r.pit.out(2));
        CHECK(r.ce_at(2, 30) == 1);
        // GATE high again: the trigger reloads on the next pulse, then a full period follows.
        r.to_cycle(r.cycle_of(30) + 2);
        r.pit.set_gate(2, true);
        CHECK(r.ce_at(2, 31) == 6);
        CHECK(r.out_at(2, 35));
        CHECK_FALSE(r.out_at(2, 36));
        CHECK(r.out_at(2, 37));
    }

    TEST_CASE("mode 3, even count: a square wave, N/2 pulses high and N/2 low, CE counting by two") {
        PitRig r;
        r.to_tick(10);
        r.program(control(0, 3), 4);
        CHECK(r.ce_at(0, 11) == 4);
        CHECK(r.ce_at(0, 12) == 2);
        CHECK(r.ce_at(0, 13) == 4);
        CHECK_FALSE(r.pit.out(0));
        r.to_tick(30);
        CHECK(std::vector(r.edges0.begin() + 1, r.edges0.end()) ==
              edges(r, {{13, false}, {15, true}, {17, false}, {19, true}, {21, false}, {23, true}, {25, false},
                        {27, true}, {29, false}}));
    }

    TEST_CASE("mode 3, odd count: (N + 1)/2 pulses high, (N - 1)/2 low, CE loaded with N - 1") {
        PitRig r;
        r.to_tick(10);
        r.program(control(0, 3), 5);
        CHECK(r.ce_at(0, 11) == 4);
        CHECK(r.ce_at(0, 12) == 2);
        CHECK(r.ce_at(0, 13) == 0);  // expired; OUT goes low one pulse later
        CHECK(r.pit.out(0));
        CHECK(r.ce_at(0, 14) == 4);
        CHECK_FALSE(r.pit.out(0));
        r.to_tick(32);
        CHECK(std::vector(r.edges0.begin() + 1, r.edges0.end()) ==
              edges(r, {{14, false}, {16, true}, {19, false}, {21, true}, {24, false}, {26, true}, {29, false},
                        {31, true}}));
    }

    TEST_CASE("mode 3: a new count waits for the end of the half-cycle; a trigger reloads at once") {
        PitRig r;
        r.pit.set_gate(2, true);
        r.to_tick(10);
        r.program(control(2, 3), 8);  // high 11-14, low 15-18, high 19-
        r.to_tick(12);
        r.out(0x42, 4);
        r.out(0x42, 0);
        CHECK(r.out_at(2, 14));
        CHECK_FALSE(r.out_at(2, 15));  // the half-cycle of 8 ends as it would have
        CHECK(r.latched(2) == 4);      // and the next one counts the new 4
        CHECK(r.out_at(2, 17));
        // A trigger after a new count loads it on the next pulse, OUT high.
        r.out(0x42, 10);
        r.out(0x42, 0);
        r.pit.set_gate(2, false);
        CHECK(r.pit.out(2));
        r.to_cycle(r.cycle_of(18) + 1);
        r.pit.set_gate(2, true);
        CHECK(r.ce_at(2, 19) == 10);
        CHECK(r.out_at(2, 23));
        CHECK_FALSE(r.out_at(2, 24));
    }

    TEST_CASE("mode 4: one strobe, N + 1 pulses after the count is written") {
        PitRig r;
        r.to_tick(10);
        r.program(control(0, 4), 3);
        CHECK(r.pit.out(0));
        CHECK(r.ce_at(0, 11) == 3);
        r.to_tick(20);
        CHECK(std::vector(r.edges0.begin() + 1, r.edges0.end()) == edges(r, {{14, false}, {15, true}}));
        CHECK(r.pit.next_out_event(0) == kNever);
        // A new count restarts the sequence (the first byte alone changes nothing).
        r.out(0x40, 2);
        r.to_tick(25);
        CHECK(r.pit.out(0));
        r.out(0x40, 0);
        CHECK(r.ce_at(0, 26) == 2);
        CHECK_FALSE(r.out_at(0, 28));
        CHECK(r.out_at(0, 29));
        // GATE low disables counting in mode 4 (counter 2 has a gate).
        r.pit.set_gate(2, false);
        r.program(control(2, 4), 2);
        CHECK(r.ce_at(2, 31) == 2);
        CHECK(r.ce_at(2, 40) == 2);
        r.pit.set_gate(2, true);
        CHECK(r.out_at(2, 41));
        CHECK_FALSE(r.out_at(2, 42));
        CHECK(r.out_at(2, 43));
    }

    TEST_CASE("mode 5: a trigger starts the count; one strobe N + 1 pulses later; retriggerable") {
        PitRig r;
        r.pit.set_gate(2, false);
        r.to_tick(5);
        r.program(control(2, 5), 3);
        CHECK(r.out_at(2, 15));
        r.to_cycle(r.cycle_of(20) + 3);
        r.pit.set_gate(2, true);
        CHECK(r.ce_at(2, 21) == 3);
        CHECK(r.out_at(2, 23));
        CHECK_FALSE(r.out_at(2, 24));
        CHECK(r.out_at(2, 25));
        CHECK(r.out_at(2, 40));  // one strobe only
        // Retrigger before terminal count: counting restarts from N.
        r.pit.set_gate(2, false);
        r.to_cycle(r.cycle_of(50) + 1);
        r.pit.set_gate(2, true);
        r.pit.set_gate(2, false);
        r.to_cycle(r.cycle_of(52) + 1);
        r.pit.set_gate(2, true);
        CHECK(r.out_at(2, 55));
        CHECK_FALSE(r.out_at(2, 56));
        CHECK(r.out_at(2, 57));
    }

    TEST_CASE("BCD counting: four decades, 0 means 10000") {
        PitRig r;
        r.to_tick(10);
        r.program(control(0, 2, true), 0x0010);  // a period of 10 pulses
        CHECK(r.ce_at(0, 11) == 0x0010);
        CHECK(r.ce_at(0, 12) == 0x0009);
        CHECK(r.ce_at(0, 19) == 0x0002);
        CHECK_FALSE(r.out_at(0, 20));
        CHECK(r.ce_at(0, 21) == 0x0010);
        CHECK(r.pit.out(0));

        r.program(control(0, 0, true), 0x0000);
        CHECK(r.ce_at(0, 22) == 0x0000);
        CHECK(r.ce_at(0, 23) == 0x9999);
        CHECK(r.ce_at(0, 1022) == 0x9000);
        CHECK_FALSE(r.out_at(0, 22 + 9999));
        CHECK(r.out_at(0, 22 + 10000));
        CHECK(r.pit.counter(0).status_byte() == 0xB1);  // OUT, RW = 3, mode 0, BCD
    }

    TEST_CASE("the BCD arithmetic, non-BCD digits included") {
        PitCounter c;
        c.bcd = true;
        CHECK(c.count_down(0x0000, 1) == 0x9999);
        CHECK(c.count_down(0x1234, 1234) == 0x0000);
        CHECK(c.count_down(0x1234, 1235) == 0x9999);
        CHECK(c.count_down(0x0100, 1) == 0x0099);
        CHECK(c.count_down(0x5000, 10000 * 7 + 1) == 0x4999);
        // A digit above 9 counts down until it joins the sequence: A0h -> 99h after one.
        CHECK(c.count_down(0x00A0, 1) == 0x0099);
        CHECK(c.steps_to_zero(0x00A0) == 100);
        CHECK(c.steps_to_zero(0x000F) == 15);
        CHECK(c.count_down(0x000F, 15) == 0x0000);
        CHECK(c.steps_to_zero(0xFFFF) == 16665);
        CHECK(c.count_down(0xFFFF, 16665) == 0x0000);
        CHECK(c.steps_to_zero(0x0000) == 10000);
        c.bcd = false;
        CHECK(c.count_down(0x0000, 1) == 0xFFFF);
        CHECK(c.count_down(0x1234, 0x10000 + 0x34) == 0x1200);
        CHECK(c.steps_to_zero(0) == 65536);
    }
}
