// WideFloat: a 128-bit-significand software float used only inside the transcendental
// instructions, so that a handful of operations (each truncating at 2^-127 relative) still leave
// the answer far more accurate than the 64-bit result it is rounded to. Integer-only, like the
// rest of the FPU. Not an IEEE format: no NaNs, infinities or rounding modes.
#pragma once

#include "cpu/fpu/float80_internal.h"

namespace lantern::fpu::detail {

struct WideFloat {
    bool sign = false;
    std::int32_t exp = 0;  // unbiased: value = sig * 2^(exp - 127)
    U128 sig{};            // bit 127 set, or all zero for 0

    constexpr bool is_zero() const { return sig.is_zero(); }
    constexpr WideFloat negated() const { return {!sign, exp, sig}; }
    constexpr WideFloat abs() const { return {false, exp, sig}; }
};

// A constant given as exponent and 128-bit significand (bit 127 = integer bit).
constexpr WideFloat wide_constant(std::int32_t exp, std::uint64_t hi, std::uint64_t lo) {
    return {false, exp, U128{hi, lo}};
}

WideFloat wide_from(Float80 x);  // finite values only (zero, normal, denormal)
WideFloat wide_from_int(std::int64_t v);
WideFloat wide_normalize(bool sign, std::int32_t exp, U128 sig);  // value = sig * 2^(exp - 127)

WideFloat wide_add(WideFloat a, WideFloat b);
inline WideFloat wide_sub(WideFloat a, WideFloat b) { return wide_add(a, b.negated()); }
WideFloat wide_mul(WideFloat a, WideFloat b);
WideFloat wide_div(WideFloat a, WideFloat b);
WideFloat wide_div_small(WideFloat a, std::uint32_t d);  // a / d for a small positive integer d
inline WideFloat wide_scale(WideFloat a, std::int32_t n) {
    if (!a.is_zero()) a.exp += n;
    return a;
}
int wide_compare_magnitude(WideFloat a, WideFloat b);

// Rounds to a Float80 under `c` (extended precision, register destination). `inexact` jams a
// sticky bit: the caller knows the exact result is irrational, so it must never look exact.
FpResult wide_round(WideFloat w, FpControl c, bool inexact);

}  // namespace lantern::fpu::detail
