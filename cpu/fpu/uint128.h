// U128: a portable unsigned 128-bit integer for the software FPU.
//
// The emulated x87 must give bit-identical results on every host, so all FPU arithmetic is done
// in integers. GCC and Clang on 64-bit hosts have `unsigned __int128`, MSVC and 32-bit hosts do
// not; this struct spells the few operations we need out in 64-bit halves so the results do not
// depend on which compiler built Lantern.
#pragma once

#include <bit>
#include <cstdint>

namespace lantern::fpu {

struct U128 {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;

    constexpr bool is_zero() const { return (hi | lo) == 0; }
    constexpr bool operator==(const U128&) const = default;
    friend constexpr bool operator<(const U128& a, const U128& b) {
        return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
    }
    friend constexpr bool operator>=(const U128& a, const U128& b) { return !(a < b); }
    friend constexpr bool operator>(const U128& a, const U128& b) { return b < a; }
    friend constexpr bool operator<=(const U128& a, const U128& b) { return !(b < a); }
};

constexpr U128 add128(U128 a, U128 b) {
    U128 r{a.hi + b.hi, a.lo + b.lo};
    if (r.lo < a.lo) ++r.hi;
    return r;
}

constexpr U128 sub128(U128 a, U128 b) {
    U128 r{a.hi - b.hi, a.lo - b.lo};
    if (a.lo < b.lo) --r.hi;
    return r;
}

constexpr U128 shl128(U128 a, unsigned n) {
    if (n == 0) return a;
    if (n >= 128) return {};
    if (n >= 64) return {a.lo << (n - 64), 0};
    return {(a.hi << n) | (a.lo >> (64 - n)), a.lo << n};
}

constexpr U128 shr128(U128 a, unsigned n) {
    if (n == 0) return a;
    if (n >= 128) return {};
    if (n >= 64) return {0, a.hi >> (n - 64)};
    return {a.hi >> n, (a.lo >> n) | (a.hi << (64 - n))};
}

// Shift right, OR-ing every bit shifted out into bit 0 ("jamming"): the result still tells
// whether the exact value had anything below its last kept bit, which is all rounding needs.
constexpr U128 shr128_jam(U128 a, unsigned n) {
    if (n == 0) return a;
    if (n >= 128) return {0, a.is_zero() ? 0u : 1u};
    const U128 kept = shr128(a, n);
    const bool lost = !(shl128(kept, n) == a);
    return {kept.hi, kept.lo | (lost ? 1u : 0u)};
}

constexpr int clz128(U128 a) {
    return a.hi ? std::countl_zero(a.hi) : 64 + std::countl_zero(a.lo);
}

// Full 64x64 -> 128 product, built from 32-bit partial products.
constexpr U128 mul64(std::uint64_t a, std::uint64_t b) {
    const std::uint64_t a_lo = a & 0xFFFFFFFFu, a_hi = a >> 32;
    const std::uint64_t b_lo = b & 0xFFFFFFFFu, b_hi = b >> 32;
    const std::uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
    const std::uint64_t mid = (ll >> 32) + (lh & 0xFFFFFFFFu) + (hl & 0xFFFFFFFFu);
    return {hh + (lh >> 32) + (hl >> 32) + (mid >> 32), (mid << 32) | (ll & 0xFFFFFFFFu)};
}

// 128x128 -> 256 product, returned as (high 128, low 128).
struct U256 {
    U128 hi{};
    U128 lo{};
};

constexpr U256 mul128(U128 a, U128 b) {
    const U128 ll = mul64(a.lo, b.lo), lh = mul64(a.lo, b.hi);
    const U128 hl = mul64(a.hi, b.lo), hh = mul64(a.hi, b.hi);
    // Column sums with explicit carries.
    U128 mid = add128(lh, hl);
    const std::uint64_t mid_carry = mid < lh ? 1u : 0u;
    U128 lo = ll;
    U128 hi = hh;
    const U128 mid_lo_shift{mid.lo, 0};
    const U128 new_lo = add128(lo, mid_lo_shift);
    if (new_lo < lo) hi = add128(hi, U128{0, 1});
    lo = new_lo;
    hi = add128(hi, U128{mid_carry, mid.hi});
    return {hi, lo};
}

// Quotient and remainder of a 128-bit value by a 64-bit divisor, for a quotient known to fit
// in 64 bits (n.hi < d). Restoring division, one quotient bit per step: slow but obviously right.
struct DivResult64 {
    std::uint64_t quotient = 0;
    std::uint64_t remainder = 0;
};

constexpr DivResult64 div128by64(U128 n, std::uint64_t d) {
    std::uint64_t rem = n.hi;
    std::uint64_t q = 0;
    for (int i = 63; i >= 0; --i) {
        const bool top = (rem >> 63) != 0;
        rem = (rem << 1) | ((n.lo >> i) & 1u);
        q <<= 1;
        if (top || rem >= d) {
            rem -= d;
            q |= 1;
        }
    }
    return {q, rem};
}

}  // namespace lantern::fpu
