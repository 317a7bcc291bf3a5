#include <doctest/doctest.h>

#include <cstdint>

#include "devices/clock_domain.h"

using namespace lantern;

namespace {
constexpr std::uint64_t kPitHz = 1'193'182;  // 8253 PIT input clock on every PC (14.31818 MHz / 12)
}

TEST_SUITE("clock_domain") {
    TEST_CASE("one second of PIT ticks is exactly one second of CPU cycles") {
        for (std::uint64_t cpu_hz : {4'770'000ull, 4'772'727ull, 6'000'000ull, 8'000'000ull, 12'000'000ull,
                                     25'000'000ull, 33'000'000ull, 66'666'667ull, 1'000'000'000ull}) {
            CAPTURE(cpu_hz);
            const auto pit = ClockDomain::from_frequencies(cpu_hz, kPitHz);
            CHECK(pit.to_cycles(kPitHz) == cpu_hz);
            CHECK(pit.to_ticks(cpu_hz) == kPitHz);
            // An hour, too: no drift accumulates.
            CHECK(pit.to_cycles(kPitHz * 3600) == cpu_hz * 3600);
            CHECK(pit.to_ticks(cpu_hz * 3600) == kPitHz * 3600);
        }
    }

    TEST_CASE("the IBM PC's crystal gives exactly 4 CPU cycles per PIT tick") {
        // 14.31818 MHz / 3 for the CPU, / 12 for the PIT (IBM PC Technical Reference).
        const auto pit = ClockDomain::from_ratio(12, 3);
        CHECK(pit.num() == 4);
        CHECK(pit.den() == 1);
        CHECK(pit.to_cycles(65536) == 262144);  // one full count of a PIT channel
        CHECK(pit.to_ticks(262147) == 65536);
    }

    TEST_CASE("the ratio is reduced") {
        const auto d = ClockDomain::from_frequencies(33'000'000, 1'193'182);
        CHECK(d.num() == 16'500'000);
        CHECK(d.den() == 596'591);
    }

    TEST_CASE("rounding: ticks -> first cycle at or after, cycles -> whole ticks elapsed") {
        const auto d = ClockDomain::from_frequencies(4'770'000, kPitHz);  // about 3.9977 cycles per tick
        CHECK(d.to_cycles(0) == 0);
        CHECK(d.to_cycles(1) == 4);  // 3.9977 rounds up
        CHECK(d.to_ticks(3) == 0);
        CHECK(d.to_ticks(4) == 1);
        for (std::uint64_t n = 0; n < 20'000; ++n) {
            const Cycles c = d.to_cycles(n);
            CHECK(d.to_ticks(c) == n);                  // tick n has happened at cycle c...
            if (c > 0) CHECK(d.to_ticks(c - 1) < n);    // ...and not one cycle earlier
        }
    }

    TEST_CASE("128-bit intermediates: huge counts neither overflow nor round") {
        const auto d = ClockDomain::from_frequencies(33'000'000, kPitHz);
        const Cycles big = (1ull << 62) + 12345;  // about 4,400 years at 33 MHz
        __extension__ typedef unsigned __int128 U128;
        const auto expected_ticks = static_cast<std::uint64_t>(static_cast<U128>(big) * 596'591 / 16'500'000);
        CHECK(d.to_ticks(big) == expected_ticks);
        CHECK(d.to_ticks(d.to_cycles(expected_ticks)) == expected_ticks);
        // A result beyond 64 bits is an error, not a silent wrap.
        const auto slow = ClockDomain::from_ratio(1'000'000, 1);
        CHECK_THROWS_AS((void)slow.to_cycles(1ull << 60), std::overflow_error);
    }

    TEST_CASE("zero frequencies are rejected") {
        CHECK_THROWS_AS((void)ClockDomain::from_frequencies(0, kPitHz), std::invalid_argument);
        CHECK_THROWS_AS((void)ClockDomain::from_ratio(4, 0), std::invalid_argument);
    }
}
