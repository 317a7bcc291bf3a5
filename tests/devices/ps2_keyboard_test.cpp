#include <doctest/doctest.h>

#include <vector>

#include "devices/input/ps2_keyboard.h"
#include "run_until.h"

using namespace lantern;
using lantern::testing::run_until;

namespace {

constexpr std::uint64_t kCpuHz = 8'000'000;

// The keyboard alone: every byte it queues is taken at once and stamped with the cycle.
struct Kbd {
    Scheduler sched;
    Ps2Keyboard kbd{sched, kCpuHz};
    std::vector<std::pair<Cycles, std::uint8_t>> out;
    bool take = true;
    Kbd() {
        kbd.set_output_listener([this] {
            while (take && kbd.has_output()) out.push_back({sched.now(), kbd.pop_output()});
        });
        run_until(sched, 2'400'000);  // basic assurance test
        out.clear();
    }
};

Cycles ceil_div(std::uint64_t a, std::uint64_t b) { return (a + b - 1) / b; }

}  // namespace

TEST_SUITE("ps2_keyboard") {
    TEST_CASE("power-on: AA after the 300 ms self-test, then scanning") {
        Scheduler sched;
        Ps2Keyboard kbd(sched, kCpuHz);
        CHECK_FALSE(kbd.scanning());
        run_until(sched, 2'399'999);
        CHECK_FALSE(kbd.has_output());
        run_until(sched, 2'400'000);
        CHECK(kbd.pop_output() == 0xAA);
        CHECK(kbd.scanning());
    }

    TEST_CASE("typematic repeat in virtual time: default 500 ms delay, 10.9 characters/s") {
        Kbd k;
        const Cycles t0 = 5'000'000;
        run_until(k.sched, t0);
        k.kbd.key_event(Key::A, true);
        // delay = 2 * 60/240 s; period = (8 + 3) * 2 / 240 s: cycle n = t0 + ceil((120 + 22 n) * 8e6 / 240).
        run_until(k.sched, t0 + ceil_div((120 + 22 * 5) * kCpuHz, 240));
        std::vector<std::pair<Cycles, std::uint8_t>> want = {{t0, 0x1C}};
        for (std::uint64_t n = 0; n <= 5; ++n) want.push_back({t0 + ceil_div((120 + 22 * n) * kCpuHz, 240), 0x1C});
        CHECK(k.out == want);
        CHECK(k.kbd.typematic_delay_cycles() == 4'000'000);
        k.kbd.key_event(Key::A, false);
        const Cycles released = k.sched.now();
        run_until(k.sched, released + 10'000'000);
        CHECK(k.out.size() == want.size() + 2);  // F0 1C, and no more repeats
        CHECK(k.out.back() == std::pair<Cycles, std::uint8_t>{released, 0x1C});
    }

    TEST_CASE("F3 sets the rate: 00 = 30 characters/s after 250 ms; only the last key repeats") {
        Kbd k;
        k.kbd.receive(0xF3);
        k.kbd.receive(0x00);
        k.out.clear();
        const Cycles t0 = k.sched.now();
        k.kbd.key_event(Key::Q, true);
        k.kbd.key_event(Key::W, true);  // W is now the repeating key
        run_until(k.sched, t0 + ceil_div((60 + 8 * 2) * kCpuHz, 240));
        std::vector<std::pair<Cycles, std::uint8_t>> want = {{t0, 0x15}, {t0, 0x1D}};
        for (std::uint64_t n = 0; n <= 2; ++n) want.push_back({t0 + ceil_div((60 + 8 * n) * kCpuHz, 240), 0x1D});
        CHECK(k.out == want);
        k.kbd.key_event(Key::W, false);  // releasing it stops repeats though Q is still held
        CHECK(k.out.back().second == 0x1D);  // F0 1D
        k.out.clear();
        run_until(k.sched, k.sched.now() + 8'000'000);
        CHECK(k.out.empty());
    }

    TEST_CASE("extended keys, Print Screen and Pause in set 2; Pause has no break and never repeats") {
        Kbd k;
        auto bytes = [&] {
            std::vector<std::uint8_t> b;
            for (auto& [t, v] : k.out) b.push_back(v);
            k.out.clear();
            return b;
        };
        k.kbd.key_event(Key::Insert, true);
        k.kbd.key_event(Key::Insert, false);
        CHECK(bytes() == std::vector<std::uint8_t>{0xE0, 0x70, 0xE0, 0xF0, 0x70});
        k.kbd.key_event(Key::PrintScreen, true);
        k.kbd.key_event(Key::PrintScreen, false);
        CHECK(bytes() == std::vector<std::uint8_t>{0xE0, 0x12, 0xE0, 0x7C, 0xE0, 0xF0, 0x7C, 0xE0, 0xF0, 0x12});
        k.kbd.key_event(Key::RightShift, true);
        k.kbd.key_event(Key::PrintScreen, true);
        k.kbd.key_event(Key::PrintScreen, false);
        k.kbd.key_event(Key::RightShift, false);
        CHECK(bytes() == std::vector<std::uint8_t>{0x59, 0xE0, 0x7C, 0xE0, 0xF0, 0x7C, 0xF0, 0x59});
        k.kbd.key_event(Key::Pause, true);
        run_until(k.sched, k.sched.now() + 8'000'000);
        k.kbd.key_event(Key::Pause, false);
        CHECK(bytes() == std::vector<std::uint8_t>{0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77});
    }

    TEST_CASE("set-1 codes equal the 8042's translation of set 2 for every key") {
        for (std::size_t i = 0; i < kKeyCount; ++i) {
            const Key key = static_cast<Key>(i);
            const ScanSequence s2 = set2_make(key);
            ScanSequence t;
            for (std::uint8_t j = 0; j < s2.length; ++j) t.add(translate_set2_to_set1(s2.bytes[j]));
            if (key != Key::Pause) CHECK(set1_make(key) == t);
            CHECK(set2_break(key).length != 1);  // a break is never a single byte
        }
        CHECK(set1_make(Key::Space) == ScanSequence{{0x39}, 1});
        CHECK(set1_break(Key::Z) == ScanSequence{{0xAC}, 1});
        CHECK(set1_make(Key::NonUsBackslash) == ScanSequence{{0x56}, 1});
    }

    TEST_CASE("the buffer is bounded: a full keyboard queues the overrun code") {
        Kbd k;
        k.take = false;
        for (int i = 0; i < 40; ++i) {
            k.kbd.key_event(Key::A, true);
            k.kbd.key_event(Key::A, false);
        }
        CHECK(k.kbd.output_size() == Ps2Device::kFifoBytes + 1);
        std::vector<std::uint8_t> b;
        while (k.kbd.has_output()) b.push_back(k.kbd.pop_output());
        CHECK(b[0] == 0x1C);
        CHECK(b[15] == 0x1C);  // the sixth make fitted; its break did not
        CHECK(b[16] == 0x00);  // overrun (set 2), queued once
    }

    TEST_CASE("parameters: a command byte where a parameter is due starts the new command") {
        Kbd k;
        k.kbd.receive(0xED);
        k.kbd.receive(0xF2);  // not an LED byte: Identify runs
        std::vector<std::uint8_t> b;
        for (auto& [t, v] : k.out) b.push_back(v);
        CHECK(b == std::vector<std::uint8_t>{0xFA, 0xFA, 0xAB, 0x83});
    }
}
