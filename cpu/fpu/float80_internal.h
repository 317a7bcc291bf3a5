// Internal helpers shared by the float80_*.cpp files: unpacking, the one rounding routine every
// result goes through, and NaN propagation. Not part of the FPU's public API.
#pragma once

#include "cpu/fpu/float80.h"
#include "cpu/fpu/uint128.h"

namespace lantern::fpu::detail {

// A finite nonzero value sign * sig * 2^(exp - 16383 - 63) with sig normalised (bit 63 set).
// Denormals and pseudo-denormals unpack with the exponent they really have (biased 1, SDM
// Vol. 1, 8.2.2), then normalise, so `exp` may be below 1.
struct Unpacked {
    bool sign = false;
    std::int32_t exp = 0;
    std::uint64_t sig = 0;
};
Unpacked unpack(Float80 x);  // x must be Normal, Denormal or PseudoDenormal

// A destination format for rounding: significand precision and normal exponent range, all in
// the extended format's biased scale (a float32 destination is {24, 16383-126, 16383+127}).
struct Format {
    unsigned precision = 64;
    std::int32_t min_exp = 1;
    std::int32_t max_exp = 0x7FFE;
};
inline constexpr Format kExtended{64, 1, 0x7FFE};
inline constexpr Format kDouble{53, 16383 - 1022, 16383 + 1023};
inline constexpr Format kSingle{24, 16383 - 126, 16383 + 127};
// FADD/FMUL/FDIV/FSQRT under PC: the precision shrinks but the exponent range stays extended
// (SDM Vol. 1, 8.1.5.2).
Format register_format(PrecisionControl pc);

// The x87 detects tininess *after* rounding: "the result of rounding with unbounded exponent
// (taking into account precision control) is non-zero and tiny" (SDM Vol. 1, 4.9.1.5). The
// differential test against the host confirms it; flip this to see the difference.
inline constexpr bool kTininessAfterRounding = true;

// Result of rounding, before encoding: `sig` holds `precision` significant bits left-aligned
// in 64 (top bit clear only for a denormal/zero result at `exp` == min_exp).
struct Rounded {
    bool sign = false;
    bool infinity = false;
    std::int32_t exp = 0;
    std::uint64_t sig = 0;
    std::uint8_t flags = 0;
    bool rounded_up = false;
};

// Rounds the exact value sign * sig * 2^(exp - 16383 - 127) (sig nonzero, any normalisation;
// `sig` may carry sticky bits in its low end) into `f` under `c`. `wrap_unmasked`: register
// destination, so unmasked OE/UE deliver the 24576-wrapped result (SDM Vol. 1, 8.5.4, 8.5.5).
Rounded round_value(bool sign, std::int32_t exp, U128 sig, Format f, FpControl c, bool wrap_unmasked);

// round_value for a register destination, encoded as a Float80.
FpResult round_pack(bool sign, std::int32_t exp, U128 sig, Format f, FpControl c);
// Same for a 64-bit significand: value = sign * sig * 2^(exp - 16383 - 63).
inline FpResult round_pack64(bool sign, std::int32_t exp, std::uint64_t sig, Format f, FpControl c) {
    return round_pack(sign, exp, U128{sig, 0}, f, c);
}

// Drops `drop` low bits of `v` and rounds per `rc`; `incremented` tells C1.
struct Dropped {
    U128 kept{};
    bool inexact = false;
    bool incremented = false;
};
Dropped round_drop(U128 v, unsigned drop, bool sign, RoundingMode rc);

constexpr Float80 quieted(Float80 x) { return {x.significand | 0x4000000000000000u, x.sign_exponent}; }

// NaN propagation for the x87 (SDM Vol. 1, Table 4-7): an SNaN raises IE and is quieted; a QNaN
// wins over an SNaN; of two NaNs of the same kind the larger significand wins (ties: the
// positive one).
FpResult propagate_nan(Float80 a, Float80 b);
FpResult propagate_nan(Float80 a);

inline FpResult invalid() { return {kIndefinite, exc::IE, false}; }

constexpr bool is_unsupported(FpClass c) { return c == FpClass::Unsupported; }
constexpr bool is_nan_class(FpClass c) { return c == FpClass::QuietNaN || c == FpClass::SignalingNaN; }
constexpr bool is_denormal_class(FpClass c) { return c == FpClass::Denormal || c == FpClass::PseudoDenormal; }
constexpr bool is_finite_nonzero(FpClass c) { return c == FpClass::Normal || is_denormal_class(c); }

// Exact result of an operation that produced zero: +0, or -0 when RC is Down (IEEE 754 6.3).
inline Float80 exact_zero_sum(RoundingMode rc) { return rc == RoundingMode::Down ? kNegativeZero : kPositiveZero; }

// A signed integer as an exact Float80 (|v| <= 2^64 via the magnitude form).
Float80 from_magnitude(bool sign, std::uint64_t magnitude);

}  // namespace lantern::fpu::detail
