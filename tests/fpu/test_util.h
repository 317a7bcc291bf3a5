// Shared helpers for the FPU tests: a fixed-seed generator of edge-biased Float80 operands and
// printable forms for failure messages.
#pragma once

#include <cstdint>
#include <cstdio>
#include <ios>
#include <functional>
#include <string>

#include "cpu/fpu/float80.h"

namespace lantern::fpu::test {

// SplitMix64: tiny, deterministic on every host, good enough to spread test operands.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15u);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        return z ^ (z >> 31);
    }
    std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(next() % n); }
    bool coin() { return (next() & 1u) != 0; }

private:
    std::uint64_t state_ = 0;
};

inline std::string hex(Float80 v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04X:%016llX", v.sign_exponent, static_cast<unsigned long long>(v.significand));
    return buf;
}

// Significand shapes that stress rounding: all ones, single bits, runs that end exactly at
// the 24/53/64-bit rounding positions, halfway patterns, and plain random bits.
inline std::uint64_t random_significand(Rng& r) {
    switch (r.below(10)) {
    case 0: return ~0ull;
    case 1: return 0x8000000000000000u | (1ull << r.below(63));
    case 2: return 0x8000000000000000u;
    case 3: return ~0ull << r.below(64);                     // ones then zeros
    case 4: return 0x8000000000000000u | (r.next() & ((1ull << 40) - 1)) | (1ull << 39);  // PC24 halfway region
    case 5: return (r.next() | 0x8000000000000000u) & ~((1ull << r.below(64)) - 1);
    case 6: return 0x8000000000000000u | (r.next() >> r.below(64));
    default: return r.next() | 0x8000000000000000u;
    }
}

enum class Mix { Finite, Everything };

// An operand; `near` (when given) pulls the exponent close to it so sums cancel and products
// land near the overflow/underflow thresholds.
inline Float80 random_operand(Rng& r, Mix mix, int near_exp = -1) {
    const bool sign = r.coin();
    std::uint64_t sig = random_significand(r);
    int exp = 0;
    const unsigned pick = r.below(mix == Mix::Everything ? 24 : 18);
    switch (pick) {
    case 0: exp = static_cast<int>(r.below(0x7FFF)); break;
    case 1: exp = 1 + static_cast<int>(r.below(4)); break;                   // bottom of the range
    case 2: exp = 0x7FFE - static_cast<int>(r.below(4)); break;              // top of the range
    case 3: exp = 0; sig >>= r.below(64); if (sig == 0) sig = 1; break;      // denormal
    case 4: exp = 16383 + static_cast<int>(r.below(140)) - 70; break;        // around 1.0
    case 5: exp = 16383 + static_cast<int>(r.below(16)) - 8; break;
    case 6: case 7: case 8: case 9:
        exp = near_exp >= 0 ? near_exp + static_cast<int>(r.below(130)) - 65 : 16383 + static_cast<int>(r.below(40)) - 20;
        break;
    case 10: exp = 16383 - 8000 + static_cast<int>(r.below(16000)); break;
    case 11: exp = static_cast<int>(r.below(200)); break;                    // product/quotient underflow
    case 12: exp = 0x7FFE - static_cast<int>(r.below(200)); break;           // overflow side
    case 13: exp = 16383 + static_cast<int>(r.below(64)); sig = r.next() | 0x8000000000000000u;
        sig &= ~0ull << (63 - (exp - 16383)); break;                          // integers
    case 14: exp = near_exp >= 0 ? 32766 - near_exp + static_cast<int>(r.below(6)) - 3 : 16383; break;  // a*b ~ max
    case 15: exp = near_exp >= 0 ? 16383 + 16383 - near_exp - 1 + static_cast<int>(r.below(70)) - 60 : 16383; break;
    case 16: exp = near_exp >= 0 ? near_exp : 16383; break;
    case 17: exp = 16383 - 16382 - 20 + static_cast<int>(r.below(40)); break;
    // Specials (Mix::Everything only).
    case 18: return Float80::make(sign, 0, 0);
    case 19: return Float80::make(sign, 0x7FFF, 0x8000000000000000u);
    case 20: return Float80::make(sign, 0x7FFF, 0xC000000000000000u | (r.next() >> r.below(64) >> 2));  // QNaN
    case 21: return Float80::make(sign, 0x7FFF, 0x8000000000000000u | (r.next() >> 2) | 1);           // SNaN
    case 22: return Float80::make(sign, 0, sig | 0x8000000000000000u);                                 // pseudo-denormal
    default: return Float80::make(sign, static_cast<std::uint16_t>(1 + r.below(0x7FFE)), sig & 0x7FFFFFFFFFFFFFFFu);  // unnormal
    }
    if (exp < 0) exp = 0;
    if (exp > 0x7FFE) exp = 0x7FFE;
    if (exp == 0) sig &= 0x7FFFFFFFFFFFFFFFu;
    if (exp == 0 && sig == 0) sig = 1;
    return Float80::make(sign, static_cast<std::uint16_t>(exp), sig);
}

// The control words the differential tests sweep: every RC x PC with all exceptions masked.
inline std::uint16_t control_word(unsigned rc, unsigned pc, std::uint8_t masks = 0x3F) {
    return static_cast<std::uint16_t>(0x0040u | (rc << 10) | (pc << 8) | masks);
}

}  // namespace lantern::fpu::test
