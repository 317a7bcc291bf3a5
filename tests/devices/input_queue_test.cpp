#include <doctest/doctest.h>

#include <vector>

#include "devices/input/input_queue.h"
#include "run_until.h"

using namespace lantern;
using lantern::testing::run_until;

TEST_SUITE("input_queue") {
    TEST_CASE("events are delivered at their stamped cycles, in stamp order, ties in posting order") {
        Scheduler sched;
        InputQueue q(sched);
        std::vector<std::pair<Cycles, std::string>> seen;
        InputSinks sinks;
        sinks.key = [&](const KeyInput& k) { seen.push_back({sched.now(), "key" + std::to_string(int(k.key)) + (k.down ? "d" : "u")}); };
        sinks.mouse_move = [&](const MouseMoveInput& m) { seen.push_back({sched.now(), "move" + std::to_string(m.dx) + "," + std::to_string(m.dy)}); };
        sinks.mouse_buttons = [&](const MouseButtonsInput& b) { seen.push_back({sched.now(), "btn" + std::to_string(b.buttons)}); };
        sinks.mouse_wheel = [&](const MouseWheelInput& w) { seen.push_back({sched.now(), "wheel" + std::to_string(w.dz)}); };
        sinks.serial = [&](const SerialByteInput& s) { seen.push_back({sched.now(), "ser" + std::to_string(s.byte)}); };
        q.set_sinks(sinks);
        std::vector<InputEvent> recorded;
        q.set_recorder([&](const InputEvent& e) { recorded.push_back(e); });

        CHECK(q.post({500, KeyInput{Key::A, true}}));
        CHECK(q.post({100, MouseMoveInput{-3, 4}}));
        CHECK(q.post({500, KeyInput{Key::A, false}}));
        CHECK(q.post({300, SerialByteInput{0, 0x41}}));
        CHECK(q.post({100, MouseButtonsInput{1}}));
        CHECK(q.post({700, MouseWheelInput{-1}}));
        CHECK(q.pending() == 6);
        CHECK(sched.next_event() == 100);

        run_until(sched, 499);
        CHECK(seen.size() == 3);
        run_until(sched, 1000);
        const std::vector<std::pair<Cycles, std::string>> want = {
            {100, "move-3,4"}, {100, "btn1"}, {300, "ser65"}, {500, "key45d"}, {500, "key45u"}, {700, "wheel-1"}};
        CHECK(seen == want);
        REQUIRE(recorded.size() == 6);
        CHECK(recorded[3] == InputEvent{500, KeyInput{Key::A, true}});
        CHECK(q.pending() == 0);
        CHECK(q.delivered() == 6);
        CHECK(sched.pending_count() == 0);
    }

    TEST_CASE("a stamp in the past takes effect now; replaying the recording repeats the delivery") {
        Scheduler sched;
        sched.advance_to(1000);
        InputQueue q(sched);
        std::vector<InputEvent> recorded;
        q.set_recorder([&](const InputEvent& e) { recorded.push_back(e); });
        q.post({10, KeyInput{Key::Enter, true}});
        q.post_now(KeyInput{Key::Enter, false});
        run_until(sched, 2000);
        REQUIRE(recorded.size() == 2);
        CHECK(recorded[0].when == 1000);
        CHECK(recorded[1].when == 1000);

        Scheduler sched2;
        sched2.advance_to(1000);
        InputQueue replay(sched2);
        std::vector<InputEvent> again;
        replay.set_recorder([&](const InputEvent& e) { again.push_back(e); });
        for (const auto& e : recorded) replay.post(e);
        run_until(sched2, 2000);
        CHECK(again == recorded);
    }

    TEST_CASE("the queue is bounded") {
        Scheduler sched;
        InputQueue q(sched);
        for (std::size_t i = 0; i < InputQueue::kCapacity; ++i) REQUIRE(q.post({5, MouseWheelInput{1}}));
        CHECK_FALSE(q.post({5, MouseWheelInput{1}}));
        q.clear();
        CHECK(q.pending() == 0);
        CHECK(sched.pending_count() == 0);
    }
}
