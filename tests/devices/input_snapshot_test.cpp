#include <doctest/doctest.h>

#include <vector>

#include "devices/input/input_queue.h"
#include "devices/rtc/rtc146818.h"
#include "ps2_test_board.h"
#include "recording_visitor.h"
#include "state_snapshot.h"

using namespace lantern;
using namespace lantern::testing;

TEST_SUITE("input_snapshot") {
    TEST_CASE("RTC: a restored clock keeps its time and its periodic interrupt schedule") {
        Scheduler s1;
        IrqLine i1;
        Rtc146818 a(s1, 8'000'000, i1);
        a.write(0, 0x0B, 1);
        a.write(1, 0x42, 1);  // PIE
        run_until(s1, 30'000'000);
        StateSnapshot snap;
        s1.inspect(snap);
        a.inspect(snap);

        Scheduler s2;
        IrqLine i2;
        Rtc146818 b(s2, 8'000'000, i2);
        snap.load = true;
        s2.inspect(snap);
        b.inspect(snap);
        CHECK(s2.now() == s1.now());
        CHECK(s2.next_event() == s1.next_event());
        CHECK(i2.level() == i1.level());
        std::vector<Cycles> ra, rb;
        i1.connect([&](bool l) { if (l) ra.push_back(s1.now()); });
        i2.connect([&](bool l) { if (l) rb.push_back(s2.now()); });
        for (int k = 0; k < 5; ++k) {
            for (auto [sched, rtc] : {std::pair{&s1, &a}, std::pair{&s2, &b}}) {
                run_until(*sched, sched->next_event());
                rtc->write(0, 0x0C, 1);
                rtc->read(1, 1);
            }
        }
        CHECK(ra == rb);
        CHECK(a.current_time() == b.current_time());
        CHECK(a.current_time() == RtcDateTime{2000, 1, 1, 0, 0, 3});
    }

    TEST_CASE("RTC inspect shows the registers as the guest would read them now") {
        Scheduler s;
        IrqLine i;
        Rtc146818 rtc(s, 8'000'000, i);
        run_until(s, 8'000'000 * 61 + 20'000);
        RecordingVisitor v;
        rtc.inspect(v);
        CHECK(v.has("rtc.registers.seconds=1"));
        CHECK(v.has("rtc.registers.minutes=1"));
        CHECK(v.has("rtc.registers.reg_d=128"));
        CHECK(v.has_prefix("rtc.ram=<128 bytes>"));
    }

    TEST_CASE("8042 + keyboard + mouse: bytes in flight survive a snapshot") {
        Ps2Board a;
        a.boot();
        a.kbd.key_event(Key::Right, true);  // E0 74: E0 on the wire, 74 waiting
        a.cmd(0xD4);
        a.data(0xF2);
        run_until(a.sched, a.sched.now() + 100);
        StateSnapshot snap;
        a.sched.inspect(snap);
        a.kbc.inspect(snap);
        a.kbd.inspect(snap);
        a.mouse.inspect(snap);

        Ps2Board b;
        snap.load = true;
        b.sched.inspect(snap);
        b.kbc.inspect(snap);
        b.kbd.inspect(snap);
        b.mouse.inspect(snap);
        std::vector<std::pair<Cycles, std::uint8_t>> ga, gb;
        for (int n = 0; n < 6; ++n) {
            if (auto v = a.next(20'000'000)) ga.push_back({a.sched.now(), *v});
            if (auto v = b.next(20'000'000)) gb.push_back({b.sched.now(), *v});
        }
        CHECK(ga == gb);
        CHECK(ga.size() == 6);  // FA 00 from the mouse, E0 4D, then the typematic repeat E0 4D
        CHECK(b.kbd.key_down(Key::Right));
    }

    TEST_CASE("input queue: pending events survive a snapshot") {
        Scheduler s1;
        InputQueue q1(s1);
        q1.post({100, KeyInput{Key::Z, true}});
        q1.post({200, MouseMoveInput{-5, 7}});
        q1.post({200, SerialByteInput{1, 0x7F}});
        StateSnapshot snap;
        q1.inspect(snap);
        Scheduler s2;
        InputQueue q2(s2);
        snap.load = true;
        q2.inspect(snap);
        CHECK(q2.pending_events() == q1.pending_events());
        CHECK(s2.next_event() == 100);
    }
}
