// ClockDomain: exact conversion between CPU cycles and the ticks of another clock.
//
// Virtual time is counted in CPU cycles (integers); a device on its own crystal (the 8253/8254 PIT
// at 1,193,182 Hz, the RTC at 32,768 Hz, a UART's baud clock) converts through the exact rational
// ratio of the two frequencies. On the IBM PC both the 4.77 MHz CPU clock and the PIT clock come from
// the 14.31818 MHz crystal (/3 and /12: IBM PC Technical Reference, "System Board"), so the ratio is
// exactly 4 cycles per tick however the frequencies are rounded when written down — `from_ratio`
// expresses that; `from_frequencies` covers the general case.
//
// No floating point: products use 128-bit intermediates so a 64-bit cycle count never overflows or
// rounds, and the same inputs give the same answer on every host.
#pragma once

#include <cstdint>
#include <numeric>
#include <stdexcept>

#include "cpu/cpu_state.h"

namespace lantern {

class ClockDomain {
public:
    // `cpu_cycles` CPU cycles take exactly as long as `ticks` device ticks.
    static ClockDomain from_ratio(std::uint64_t cpu_cycles, std::uint64_t ticks) {
        return ClockDomain(cpu_cycles, ticks);
    }
    static ClockDomain from_frequencies(std::uint64_t cpu_freq_hz, std::uint64_t device_freq_hz) {
        return ClockDomain(cpu_freq_hz, device_freq_hz);
    }

    // The first CPU cycle at which `ticks` device ticks have elapsed: ceil(ticks * num / den).
    // Rounding up means an event scheduled "at tick n" never fires before tick n has happened.
    Cycles to_cycles(std::uint64_t ticks) const {
        const U128 p = static_cast<U128>(ticks) * num_;
        return narrow((p + den_ - 1) / den_);
    }
    // Whole device ticks elapsed after `cycles` CPU cycles: floor(cycles * den / num).
    // to_ticks(to_cycles(n)) == n whenever the device clock is slower than the CPU's.
    std::uint64_t to_ticks(Cycles cycles) const {
        const U128 p = static_cast<U128>(cycles) * den_;
        return narrow(p / num_);
    }

    // The reduced ratio: `num` CPU cycles per `den` device ticks.
    std::uint64_t num() const { return num_; }
    std::uint64_t den() const { return den_; }

private:
    __extension__ typedef unsigned __int128 U128;

    ClockDomain(std::uint64_t num, std::uint64_t den) {
        if (num == 0 || den == 0) throw std::invalid_argument("ClockDomain: zero frequency");
        const std::uint64_t g = std::gcd(num, den);
        num_ = num / g;
        den_ = den / g;
    }
    static std::uint64_t narrow(U128 v) {
        if (v > static_cast<U128>(UINT64_MAX)) throw std::overflow_error("ClockDomain: result exceeds 64 bits");
        return static_cast<std::uint64_t>(v);
    }

    std::uint64_t num_ = 1;
    std::uint64_t den_ = 1;
};

}  // namespace lantern
