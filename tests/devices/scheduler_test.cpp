#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "devices/scheduler.h"
#include "recording_visitor.h"

using namespace lantern;

TEST_SUITE("scheduler") {
    TEST_CASE("events fire in time order, ties in scheduling order") {
        Scheduler s;
        std::vector<std::string> log;
        auto note = [&](std::string what) { return [&log, what](Cycles) { log.push_back(what); }; };
        s.at(300, note("c"), "c");
        s.at(100, note("a1"), "a1");
        s.at(200, note("b"), "b");
        s.at(100, note("a2"), "a2");  // same time as a1, scheduled later: fires after it
        s.at(100, note("a3"), "a3");
        CHECK(s.next_event() == 100);
        CHECK(s.pending_count() == 5);

        s.advance_to(150);
        CHECK(s.run_due_events() == 3);
        CHECK(log == std::vector<std::string>{"a1", "a2", "a3"});
        CHECK(s.next_event() == 200);

        s.advance_to(1000);
        CHECK(s.run_due_events() == 2);
        CHECK(log == std::vector<std::string>{"a1", "a2", "a3", "b", "c"});
        CHECK(s.next_event() == kNever);
    }

    TEST_CASE("callbacks get the scheduled time, not the late one") {
        Scheduler s;
        Cycles seen = 0;
        s.at(100, [&](Cycles when) { seen = when; }, "e");
        s.advance_to(107);  // an instruction ran past the event
        s.run_due_events();
        CHECK(seen == 100);
        CHECK(s.now() == 107);
    }

    TEST_CASE("cancel removes exactly one event") {
        Scheduler s;
        int fired = 0;
        const EventId a = s.at(10, [&](Cycles) { fired += 1; }, "a");
        const EventId b = s.at(10, [&](Cycles) { fired += 10; }, "b");
        CHECK(a != kNoEvent);
        CHECK(a != b);
        CHECK(s.pending(a));
        CHECK(s.cancel(a));
        CHECK_FALSE(s.pending(a));
        CHECK_FALSE(s.cancel(a));        // already cancelled
        CHECK_FALSE(s.cancel(12345));    // never existed
        CHECK_FALSE(s.cancel(kNoEvent));
        s.advance_to(10);
        s.run_due_events();
        CHECK(fired == 10);
        CHECK_FALSE(s.cancel(b));        // already fired
    }

    TEST_CASE("a periodic event re-arms itself without drift") {
        Scheduler s;
        std::vector<Cycles> times;
        Scheduler::Callback tick;
        tick = [&](Cycles when) {
            times.push_back(when);
            if (times.size() < 4) s.at(when + 50, tick, "tick");
        };
        s.at(50, tick, "tick");
        // The CPU overshoots each event by a few cycles; the period stays exact.
        for (Cycles t : {53u, 104u, 151u, 209u}) {
            s.advance_to(t);
            s.run_due_events();
        }
        CHECK(times == std::vector<Cycles>{50, 100, 150, 200});
    }

    TEST_CASE("events scheduled in the past or by a callback for now fire in the same run") {
        Scheduler s;
        std::vector<int> order;
        s.advance_to(500);
        s.at(400, [&](Cycles) {
            order.push_back(1);
            s.at(450, [&](Cycles) { order.push_back(3); }, "late");
        }, "past");
        s.at(420, [&](Cycles) { order.push_back(2); }, "past2");
        CHECK(s.run_due_events() == 3);
        CHECK(order == std::vector<int>{1, 2, 3});
    }

    TEST_CASE("a callback may cancel a later event") {
        Scheduler s;
        bool second = false;
        EventId later = kNoEvent;
        s.at(5, [&](Cycles) { CHECK(s.cancel(later)); }, "canceller");
        later = s.at(5, [&](Cycles) { second = true; }, "victim");
        s.advance_to(5);
        CHECK(s.run_due_events() == 1);
        CHECK_FALSE(second);
    }

    TEST_CASE("after() is relative to now; time never goes backward") {
        Scheduler s;
        s.advance_to(1000);
        s.after(25, [](Cycles) {}, "x");
        CHECK(s.next_event() == 1025);
        CHECK_THROWS_AS(s.advance_to(999), std::logic_error);
        s.reset();
        CHECK(s.now() == 0);
        CHECK(s.next_event() == kNever);
    }

    TEST_CASE("inspect lists pending events in firing order") {
        Scheduler s;
        s.at(200, [](Cycles) {}, "pit.channel0");
        s.at(100, [](Cycles) {}, "uart.tx");
        s.advance_to(42);
        testing::RecordingVisitor v;
        s.inspect(v);
        CHECK(v.has("scheduler.now=42"));
        CHECK(v.has("scheduler.pending=2"));
        CHECK(v.has("scheduler.event0.when=100"));
        CHECK(v.has("scheduler.event0.name=uart.tx"));
        CHECK(v.has("scheduler.event1.when=200"));
        CHECK(v.has("scheduler.event1.name=pit.channel0"));
    }
}
