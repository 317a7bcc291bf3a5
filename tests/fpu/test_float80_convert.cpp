// Exact-value tests of the conversions: integers (FILD/FIST/FISTTP), float32/float64
// (FLD/FST), packed BCD (FBLD/FBSTP) and the indefinites (SDM Vol. 1, 4.8.3.7, Table 4-3).
#include <doctest/doctest.h>

#include <cstdint>

#include "cpu/fpu/float80.h"

using namespace lantern::fpu;

namespace {
constexpr Float80 f(std::uint16_t se, std::uint64_t sig) { return {sig, se}; }
constexpr FpControl with_rc(RoundingMode rc) { return {rc, PrecisionControl::Extended, exc::kAll}; }
const FpControl kRN = with_rc(RoundingMode::Nearest);
}  // namespace

TEST_SUITE("float80_convert") {
TEST_CASE("integers to Float80 are exact") {
    CHECK(from_int(0) == kPositiveZero);
    CHECK(from_int(-1) == f(0xBFFF, 0x8000000000000000u));
    CHECK(from_int(INT64_MIN) == f(0xC03E, 0x8000000000000000u));
    CHECK(from_int(INT64_MAX) == f(0x403D, 0xFFFFFFFFFFFFFFFEu));
    CHECK(from_int(12) == f(0x4002, 0xC000000000000000u));
}

TEST_CASE("FIST rounding, range and the integer indefinite") {
    const Float80 two_half = f(0x4000, 0xA000000000000000u);
    const IntResult rn = to_int(two_half, 32, false, kRN);
    CHECK(rn.value == 2);
    CHECK(rn.flags == exc::PE);
    CHECK_FALSE(rn.rounded_up);
    CHECK(to_int(two_half, 32, false, with_rc(RoundingMode::Up)).value == 3);
    CHECK(to_int(two_half, 32, false, with_rc(RoundingMode::Up)).rounded_up);
    CHECK(to_int(two_half.negated(), 16, false, with_rc(RoundingMode::Down)).value == -3);
    // 32767.5 rounds to 32768: out of range for m16int.
    const IntResult over = to_int(f(0x400D, 0xFFFF000000000000u), 16, false, kRN);
    CHECK(over.value == -32768);
    CHECK(over.flags == exc::IE);
    // -32768.5 is a tie that rounds to the even -32768: in range.
    CHECK(to_int(f(0xC00E, 0x8000800000000000u), 16, false, kRN).value == -32768);
    CHECK(to_int(kPositiveInfinity, 64, false, kRN).value == INT64_MIN);
    CHECK(to_int(kIndefinite, 32, false, kRN).flags == exc::IE);
    CHECK(to_int(f(0x403E, 0x8000000000000000u), 64, false, kRN).flags == exc::IE);  // 2^63
    CHECK(to_int(f(0xC03E, 0x8000000000000000u), 64, false, kRN).value == INT64_MIN); // -2^63 fits
    // FISTTP truncates regardless of RC.
    CHECK(to_int(f(0xC000, 0xACCCCCCCCCCCCCCDu), 32, true, with_rc(RoundingMode::Down)).value == -2);
}

TEST_CASE("float32 and float64 loads") {
    CHECK(load_f32(0x3F800000u).value == kOne);
    CHECK(load_f32(0x80000000u).value == kNegativeZero);
    const FpResult den = load_f32(0x00000001u);  // 2^-149
    CHECK(den.value == f(16383 - 149, 0x8000000000000000u));
    CHECK(den.flags == exc::DE);
    const FpResult snan = load_f32(0x7F800001u);
    CHECK(snan.value == f(0x7FFF, 0xC000010000000000u));
    CHECK(snan.flags == exc::IE);
    CHECK(widen_f32(0x7F800001u).value == f(0x7FFF, 0x8000010000000000u));  // kept signalling
    CHECK(load_f32(0xFF800000u).value == kNegativeInfinity);
    CHECK(load_f64(0x3FB999999999999Au).value == f(0x3FFB, 0xCCCCCCCCCCCCD000u));
    CHECK(load_f64(0x0000000000000001u).value == f(16383 - 1074, 0x8000000000000000u));
    CHECK(load_f64(0xFFF8000000000000u).value == kIndefinite);
}

TEST_CASE("float32 and float64 stores") {
    const Float80 third = f(0x3FFD, 0xAAAAAAAAAAAAAAABu);
    CHECK(to_f32(third, kRN).bits == 0x3EAAAAABu);
    CHECK(to_f32(third, kRN).rounded_up);
    CHECK(to_f32(third, with_rc(RoundingMode::Down)).bits == 0x3EAAAAAAu);
    CHECK(to_f64(f(0x3FFB, 0xCCCCCCCCCCCCCCCDu), kRN).bits == 0x3FB999999999999Au);
    // Overflow: infinity to nearest, the largest finite value toward zero.
    const F32Result big = to_f32(f(16383 + 128, 0x8000000000000000u), kRN);
    CHECK(big.bits == 0x7F800000u);
    CHECK(big.flags == (exc::OE | exc::PE));
    CHECK(to_f32(f(16383 + 128, 0x8000000000000000u), with_rc(RoundingMode::TowardZero)).bits == 0x7F7FFFFFu);
    // Underflow: 2^-150 is a tie between 0 and the smallest denormal; even wins.
    const F32Result tie = to_f32(f(16383 - 150, 0x8000000000000000u), kRN);
    CHECK(tie.bits == 0u);
    CHECK(tie.flags == (exc::UE | exc::PE));
    const F32Result exact = to_f32(f(16383 - 149, 0x8000000000000000u), kRN);
    CHECK(exact.bits == 1u);
    CHECK(exact.flags == 0);
    // NaNs keep their top fraction bits and are quieted; unsupported gives the indefinite.
    CHECK(to_f32(f(0x7FFF, 0x8000010000000000u), kRN).bits == 0x7FC00001u);
    CHECK(to_f32(f(0x7FFF, 0x8000010000000000u), kRN).flags == exc::IE);
    CHECK(to_f64(f(0x3FFF, 0x4000000000000000u), kRN).bits == 0xFFF8000000000000u);
    CHECK(to_f64(kNegativeInfinity, kRN).bits == 0xFFF0000000000000u);
}

TEST_CASE("packed BCD") {
    Bcd80 v{0x78, 0x56, 0x34, 0x12, 0x90, 0x78, 0x56, 0x34, 0x12, 0x80};  // -123456789012345678
    CHECK(from_bcd(v) == from_int(-123456789012345678));
    const BcdResult r = to_bcd(from_int(-123456789012345678), kRN);
    CHECK(r.bcd == v);
    CHECK(r.flags == 0);
    const BcdResult half = to_bcd(f(0x4009, 0x9A50000000000000u), kRN);  // 1234.5 -> 1234 (even)
    CHECK(half.bcd == Bcd80{0x34, 0x12, 0, 0, 0, 0, 0, 0, 0, 0});
    CHECK(half.flags == exc::PE);
    const BcdResult big = to_bcd(from_int(1000000000000000000), kRN);  // 10^18: 19 digits
    CHECK(big.bcd == kBcdIndefinite);
    CHECK(big.flags == exc::IE);
    CHECK(to_bcd(kNegativeZero, kRN).bcd == Bcd80{0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80});
    CHECK(to_bcd(kIndefinite, kRN).bcd == kBcdIndefinite);
}
}
