#include <doctest/doctest.h>

#include <vector>

#include "devices/input/ps2_mouse.h"
#include "run_until.h"

using namespace lantern;
using lantern::testing::run_until;
using Bytes = std::vector<std::uint8_t>;

namespace {

constexpr std::uint64_t kCpuHz = 8'000'000;

struct Mouse {
    Scheduler sched;
    Ps2Mouse mouse{sched, kCpuHz};
    std::vector<std::pair<Cycles, std::uint8_t>> out;
    Mouse() {
        mouse.set_output_listener([this] {
            while (mouse.has_output()) out.push_back({sched.now(), mouse.pop_output()});
        });
        run_until(sched, 2'400'000);
        out.clear();
    }
    Bytes take() {
        Bytes b;
        for (auto& [t, v] : out) b.push_back(v);
        out.clear();
        return b;
    }
    Bytes cmd(std::initializer_list<std::uint8_t> bytes) {
        for (auto v : bytes) mouse.receive(v);
        return take();
    }
};

}  // namespace

TEST_SUITE("ps2_mouse") {
    TEST_CASE("reset, identify, status request, defaults") {
        Mouse m;
        CHECK(m.cmd({0xFF}) == Bytes{0xFA});
        run_until(m.sched, m.sched.now() + 2'400'000);
        CHECK(m.take() == Bytes{0xAA, 0x00});
        CHECK(m.cmd({0xF2}) == Bytes{0xFA, 0x00});
        CHECK(m.cmd({0xE9}) == Bytes{0xFA, 0x00, 0x02, 100});
        CHECK(m.cmd({0xF3, 40, 0xE8, 3, 0xE7, 0xF0, 0xF4}) == Bytes{0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA});
        CHECK(m.cmd({0xE9}) == Bytes{0xFA, 0x40 | 0x20 | 0x10, 0x03, 40});
        CHECK(m.cmd({0xF6, 0xE9}) == Bytes{0xFA, 0xFA, 0x00, 0x02, 100});
        CHECK(m.cmd({0xF3, 33}) == Bytes{0xFA, 0xFE});  // not a valid rate
        CHECK(m.cmd({0xE8, 9}) == Bytes{0xFA, 0xFE});
        CHECK(m.cmd({0x00}) == Bytes{0xFE});
        CHECK(m.cmd({0xEE, 0x55, 0xEC, 0x77}) == Bytes{0xFA, 0x55, 0xFA, 0xFE});  // wrap mode echoes
    }

    TEST_CASE("packet format: negative deltas, sign bits, buttons") {
        Mouse m;
        m.cmd({0xE8, 3, 0xF4});  // 8 counts/mm: host counts pass unchanged
        m.mouse.move(-10, 20);   // left and down
        m.mouse.set_buttons(0x05);
        run_until(m.sched, m.sched.now());
        // Y up is positive: 20 down is -20. Sign bits X (0x10) and Y (0x20), bit 3 set, left+middle.
        CHECK(m.take() == Bytes{0x08 | 0x10 | 0x20 | 0x04 | 0x01, 0xF6, 0xEC});
    }

    TEST_CASE("overflow: counts beyond the 9-bit range set the overflow bit and saturate") {
        Mouse m;
        m.cmd({0xE8, 3, 0xF4});
        m.mouse.move(300, -1000);
        run_until(m.sched, m.sched.now());
        CHECK(m.take() == Bytes{0x08 | 0x40 | 0x80, 0xFF, 0xFF});
        m.mouse.move(-700, 0);
        run_until(m.sched, m.sched.now() + 100'000);
        CHECK(m.take() == Bytes{0x08 | 0x40 | 0x10, 0x00, 0x00});  // -256
    }

    TEST_CASE("resolution scales host counts, keeping the remainder") {
        Mouse m;
        m.cmd({0xE8, 0, 0xF4});  // 1 count/mm: 8 host counts each
        m.mouse.move(13, 0);
        run_until(m.sched, m.sched.now());
        CHECK(m.take() == Bytes{0x08, 0x01, 0x00});
        m.mouse.move(3, 0);
        run_until(m.sched, m.sched.now() + 100'000);
        CHECK(m.take() == Bytes{0x08, 0x01, 0x00});  // the carried 5 + 3 make one more count
    }

    TEST_CASE("stream packets come at most once per sampling interval") {
        Mouse m;
        m.cmd({0xE8, 3, 0xF3, 100, 0xF4});
        const Cycles t0 = m.sched.now();
        m.mouse.move(1, 0);
        run_until(m.sched, t0);
        REQUIRE(m.out.size() == 3);
        CHECK(m.out[0].first == t0);
        m.out.clear();
        m.mouse.move(2, 0);
        m.mouse.move(3, 0);
        run_until(m.sched, t0 + 79'999);
        CHECK(m.out.empty());
        run_until(m.sched, t0 + 80'000);  // 10 ms at 100 samples/s
        CHECK(m.take() == Bytes{0x08, 0x05, 0x00});
        CHECK(m.mouse.sample_period_cycles() == 80'000);
    }

    TEST_CASE("IntelliMouse: rates 200, 100, 80 switch to ID 3 and a fourth wheel byte") {
        Mouse m;
        CHECK(m.cmd({0xF3, 200, 0xF3, 100, 0xF3, 80, 0xF2}) ==
              Bytes{0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0xFA, 0x03});
        m.cmd({0xE8, 3, 0xF4});
        m.mouse.wheel(-2);
        m.mouse.move(1, -1);
        run_until(m.sched, m.sched.now());
        CHECK(m.take() == Bytes{0x08, 0x01, 0x01, 0xFE});
        m.mouse.wheel(20);
        run_until(m.sched, m.sched.now() + 100'000);
        CHECK(m.take() == Bytes{0x08, 0x00, 0x00, 0x07});  // clamped to +7
        CHECK(m.cmd({0xFF}) == Bytes{0xFA});
        run_until(m.sched, m.sched.now() + 2'400'000);
        CHECK(m.take() == Bytes{0xAA, 0x00});  // reset returns to a plain mouse
        CHECK(m.mouse.device_id() == 0);
    }

    TEST_CASE("remote mode: no stream packets; EB reads one") {
        Mouse m;
        m.cmd({0xE8, 3, 0xF0, 0xF4});
        m.mouse.move(5, 0);
        run_until(m.sched, m.sched.now() + 1'000'000);
        CHECK(m.take().empty());
        CHECK(m.cmd({0xEB}) == Bytes{0xFA, 0x08, 0x05, 0x00});
    }

    TEST_CASE("scaling 2:1 applies in stream mode") {
        Mouse m;
        m.cmd({0xE8, 3, 0xE7, 0xF4});
        m.mouse.move(4, 0);
        run_until(m.sched, m.sched.now());
        CHECK(m.take() == Bytes{0x08, 0x06, 0x00});
    }
}
