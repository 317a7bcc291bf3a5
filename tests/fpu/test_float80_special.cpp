// Exact-value tests of the Float80 arithmetic: the special-operand tables of the SDM Vol. 2
// instruction pages (FADD, FMUL, FDIV, FSQRT, FPREM, FSCALE, FXTRACT, FRNDINT, FCOM), NaN
// propagation (Vol. 1, Table 4-7), unsupported encodings (Vol. 1, 8.2.2), rounding per RC/PC,
// masked overflow/underflow responses and C1.
#include <doctest/doctest.h>

#include "cpu/fpu/float80.h"

using namespace lantern::fpu;

namespace {

constexpr FpControl rc_pc(RoundingMode rc, PrecisionControl pc = PrecisionControl::Extended) {
    return {rc, pc, exc::kAll};
}
const FpControl kRN = rc_pc(RoundingMode::Nearest);
const FpControl kRD = rc_pc(RoundingMode::Down);
const FpControl kRU = rc_pc(RoundingMode::Up);
const FpControl kRZ = rc_pc(RoundingMode::TowardZero);

constexpr Float80 f(std::uint16_t se, std::uint64_t sig) { return {sig, se}; }
const Float80 kTwo = f(0x4000, 0x8000000000000000u);
const Float80 kThree = f(0x4000, 0xC000000000000000u);
const Float80 kMax = f(0x7FFE, 0xFFFFFFFFFFFFFFFFu);
const Float80 kMinNormal = f(0x0001, 0x8000000000000000u);
const Float80 kQNaN = f(0x7FFF, 0xC000000000001234u);
const Float80 kSNaN = f(0x7FFF, 0x8000000000001234u);
const Float80 kUnnormal = f(0x3FFF, 0x4000000000000000u);
const Float80 kPseudoInf = f(0x7FFF, 0x0000000000000000u);
const Float80 kPseudoNaN = f(0x7FFF, 0x4000000000000001u);
const Float80 kPseudoDenormal = f(0x0000, 0x8000000000000001u);

}  // namespace

TEST_SUITE("float80_special") {
TEST_CASE("classification (SDM Vol. 1, Table 8-3)") {
    CHECK(classify(kPositiveZero) == FpClass::Zero);
    CHECK(classify(kOne) == FpClass::Normal);
    CHECK(classify(f(0, 1)) == FpClass::Denormal);
    CHECK(classify(kPseudoDenormal) == FpClass::PseudoDenormal);
    CHECK(classify(kPositiveInfinity) == FpClass::Infinity);
    CHECK(classify(kQNaN) == FpClass::QuietNaN);
    CHECK(classify(kSNaN) == FpClass::SignalingNaN);
    CHECK(classify(kIndefinite) == FpClass::QuietNaN);
    CHECK(classify(kUnnormal) == FpClass::Unsupported);
    CHECK(classify(kPseudoInf) == FpClass::Unsupported);
    CHECK(classify(kPseudoNaN) == FpClass::Unsupported);
}

TEST_CASE("FADD/FSUB signed zeros and infinities") {
    CHECK(add(kPositiveZero, kNegativeZero, kRN).value == kPositiveZero);
    CHECK(add(kPositiveZero, kNegativeZero, kRD).value == kNegativeZero);
    CHECK(add(kNegativeZero, kNegativeZero, kRN).value == kNegativeZero);
    CHECK(sub(kOne, kOne, kRN).value == kPositiveZero);
    CHECK(sub(kOne, kOne, kRD).value == kNegativeZero);
    const FpResult ii = add(kPositiveInfinity, kNegativeInfinity, kRN);
    CHECK(ii.value == kIndefinite);
    CHECK(ii.flags == exc::IE);
    CHECK(sub(kPositiveInfinity, kPositiveInfinity, kRN).flags == exc::IE);
    CHECK(add(kNegativeInfinity, kMax, kRN).value == kNegativeInfinity);
    CHECK(add(kNegativeInfinity, kMax, kRN).flags == 0);
    CHECK(add(kOne, kTwo, kRN).value == kThree);
    CHECK(add(kOne, kTwo, kRN).flags == 0);
}

TEST_CASE("FMUL/FDIV special operands") {
    CHECK(mul(kPositiveZero, kNegativeInfinity, kRN).flags == exc::IE);
    CHECK(mul(kNegativeZero, kTwo, kRN).value == kNegativeZero);
    CHECK(mul(kNegativeInfinity, kTwo.negated(), kRN).value == kPositiveInfinity);
    const FpResult z = div(kOne.negated(), kPositiveZero, kRN);
    CHECK(z.value == kNegativeInfinity);
    CHECK(z.flags == exc::ZE);
    CHECK(div(kPositiveZero, kNegativeZero, kRN).flags == exc::IE);
    CHECK(div(kPositiveInfinity, kNegativeInfinity, kRN).value == kIndefinite);
    CHECK(div(kTwo, kNegativeInfinity, kRN).value == kNegativeZero);
    // 1/3 rounds up in the last place to nearest; C1 reports it.
    const FpResult third = div(kOne, kThree, kRN);
    CHECK(third.value == f(0x3FFD, 0xAAAAAAAAAAAAAAABu));
    CHECK(third.flags == exc::PE);
    CHECK(third.rounded_up);
    CHECK(div(kOne, kThree, kRZ).value == f(0x3FFD, 0xAAAAAAAAAAAAAAAAu));
    CHECK_FALSE(div(kOne, kThree, kRZ).rounded_up);
}

TEST_CASE("FSQRT") {
    CHECK(sqrt(kNegativeZero, kRN).value == kNegativeZero);
    CHECK(sqrt(kPositiveInfinity, kRN).value == kPositiveInfinity);
    CHECK(sqrt(kOne.negated(), kRN).flags == exc::IE);
    CHECK(sqrt(kNegativeInfinity, kRN).value == kIndefinite);
    CHECK(sqrt(f(0x4001, 0x8000000000000000u), kRN).value == kTwo);  // sqrt(4) = 2 exactly
    CHECK(sqrt(f(0x4001, 0x8000000000000000u), kRN).flags == 0);
    const FpResult r2 = sqrt(kTwo, kRN);
    CHECK(r2.value == f(0x3FFF, 0xB504F333F9DE6484u));
    CHECK(r2.flags == exc::PE);
    CHECK_FALSE(r2.rounded_up);
    CHECK(sqrt(kTwo, kRU).value == f(0x3FFF, 0xB504F333F9DE6485u));
    // PC = 24 bits rounds the same root to single precision inside the extended format.
    CHECK(sqrt(kTwo, rc_pc(RoundingMode::Nearest, PrecisionControl::Single)).value == f(0x3FFF, 0xB504F30000000000u));
}

TEST_CASE("NaN propagation (SDM Vol. 1, Table 4-7)") {
    const FpResult s = add(kSNaN, kOne, kRN);
    CHECK(s.value == f(0x7FFF, 0xC000000000001234u));
    CHECK(s.flags == exc::IE);
    const FpResult q = add(kOne, kQNaN, kRN);
    CHECK(q.value == kQNaN);
    CHECK(q.flags == 0);
    // QNaN beats SNaN, but the SNaN still raises IE.
    const Float80 other_q = f(0x7FFF, 0xC000000000000001u);
    CHECK(mul(kSNaN, other_q, kRN).value == other_q);
    CHECK(mul(kSNaN, other_q, kRN).flags == exc::IE);
    // Two QNaNs: the larger significand wins; NaN signs are never flipped by FSUB.
    CHECK(sub(kQNaN, other_q, kRN).value == kQNaN);
    CHECK(sub(kOne, kQNaN.negated(), kRN).value == kQNaN.negated());
}

TEST_CASE("unsupported encodings are invalid; pseudo-denormals are denormal operands") {
    for (const Float80 u : {kUnnormal, kPseudoInf, kPseudoNaN}) {
        CHECK(add(u, kOne, kRN).value == kIndefinite);
        CHECK(add(u, kOne, kRN).flags == exc::IE);
        CHECK(sqrt(u, kRN).flags == exc::IE);
        CHECK(compare(u, kOne, true).flags == exc::IE);
    }
    const FpResult p = add(kPseudoDenormal, kPositiveZero, kRN);
    CHECK(p.value == f(0x0001, 0x8000000000000001u));  // same value, now encoded as normal
    CHECK(p.flags == exc::DE);
}

TEST_CASE("masked overflow: infinity or the largest finite value per RC") {
    const FpResult rn = mul(kMax, kTwo, kRN);
    CHECK(rn.value == kPositiveInfinity);
    CHECK(rn.flags == (exc::OE | exc::PE));
    CHECK(rn.rounded_up);
    CHECK(mul(kMax, kTwo, kRZ).value == kMax);
    CHECK(mul(kMax, kTwo, kRD).value == kMax);
    CHECK(mul(kMax.negated(), kTwo, kRD).value == kNegativeInfinity);
    CHECK(mul(kMax.negated(), kTwo, kRU).value == kMax.negated());
    // With PC = 24 the largest finite result has a 24-bit significand.
    CHECK(mul(kMax, kTwo, rc_pc(RoundingMode::TowardZero, PrecisionControl::Single)).value ==
          f(0x7FFE, 0xFFFFFF0000000000u));
}

TEST_CASE("masked underflow: denormal results and tininess after rounding") {
    // Exact denormal: no exception at all when UE is masked.
    const FpResult half = mul(kMinNormal, f(0x3FFE, 0x8000000000000000u), kRN);
    CHECK(half.value == f(0x0000, 0x4000000000000000u));
    CHECK(half.flags == 0);
    // Inexact denormal: UE and PE.
    const FpResult third = div(kMinNormal, kThree, kRN);
    CHECK(third.value == f(0x0000, 0x2AAAAAAAAAAAAAABu));
    CHECK(third.flags == (exc::UE | exc::PE));
    // 0.(24 ones)1 x 2^-16382 at PC = 24 rounds up to the smallest normal: tiny before rounding
    // but not after, so only PE (and DE for the denormal operand) - the x87 rule (SDM Vol. 1,
    // 4.9.1.5), confirmed against hardware by the oracle tests.
    const FpResult edge = add(f(0x0000, 0x7FFFFFC000000000u), kPositiveZero,
                              rc_pc(RoundingMode::Nearest, PrecisionControl::Single));
    CHECK(edge.value == kMinNormal);
    CHECK(edge.flags == (exc::DE | exc::PE));
    CHECK(edge.rounded_up);
    // Unmasked underflow delivers the result with the exponent wrapped by +24576.
    const FpControl ue_unmasked{RoundingMode::Nearest, PrecisionControl::Extended,
                                static_cast<std::uint8_t>(exc::kAll & ~exc::UE)};
    const FpResult wrapped = mul(kMinNormal, f(0x3FFE, 0x8000000000000000u), ue_unmasked);
    CHECK(wrapped.value == f(0x6000, 0x8000000000000000u));
    CHECK(wrapped.flags == exc::UE);
}

TEST_CASE("rounding per RC and PC") {
    const Float80 tiny = f(0x3FBF, 0x8000000000000000u);  // 2^-64: half an ulp of 1.0
    CHECK(add(kOne, tiny, kRN).value == kOne);              // tie, even
    CHECK(add(kOne, tiny, kRU).value == f(0x3FFF, 0x8000000000000001u));
    CHECK(add(kOne, tiny, kRU).rounded_up);
    CHECK(sub(kOne, tiny, kRD).value == f(0x3FFE, 0xFFFFFFFFFFFFFFFFu));
    CHECK(sub(kOne, tiny, kRZ).value == f(0x3FFE, 0xFFFFFFFFFFFFFFFFu));
    const Float80 half_ulp53 = f(0x3FCA, 0x8000000000000000u);  // 2^-53
    const FpControl d_rn = rc_pc(RoundingMode::Nearest, PrecisionControl::Double);
    const FpControl d_ru = rc_pc(RoundingMode::Up, PrecisionControl::Double);
    CHECK(add(kOne, half_ulp53, d_rn).value == kOne);
    CHECK(add(kOne, half_ulp53, d_ru).value == f(0x3FFF, 0x8000000000000800u));
}

TEST_CASE("FRNDINT") {
    const Float80 two_and_half = f(0x4000, 0xA000000000000000u);
    CHECK(round_to_integer(two_and_half, kRN).value == kTwo);
    CHECK(round_to_integer(two_and_half, kRU).value == kThree);
    CHECK(round_to_integer(two_and_half, kRU).rounded_up);
    CHECK(round_to_integer(two_and_half.negated(), kRD).value == kThree.negated());
    CHECK(round_to_integer(two_and_half, kRZ).value == kTwo);
    CHECK(round_to_integer(two_and_half, kRZ).flags == exc::PE);
    CHECK(round_to_integer(f(0xBFFD, 0x9999999999999999u), kRU).value == kNegativeZero);  // -0.3 -> -0
    CHECK(round_to_integer(kThree, kRN).flags == 0);
    CHECK(round_to_integer(kSNaN, kRN).flags == exc::IE);
}

TEST_CASE("FSCALE and FXTRACT") {
    const Float80 three_point_nine = f(0x4000, 0xF999999999999999u);
    CHECK(scale(kOne, three_point_nine, kRN).value == f(0x4002, 0x8000000000000000u));           // 2^3
    CHECK(scale(kOne, three_point_nine.negated(), kRN).value == f(0x3FFC, 0x8000000000000000u)); // 2^-3
    CHECK(scale(kPositiveZero, kPositiveInfinity, kRN).flags == exc::IE);
    CHECK(scale(kPositiveInfinity, kNegativeInfinity, kRN).flags == exc::IE);
    CHECK(scale(kTwo.negated(), kNegativeInfinity, kRN).value == kNegativeZero);
    const ExtractResult e8 = extract(f(0x4002, 0xC000000000000000u));  // 12
    CHECK(e8.exponent == kThree);
    CHECK(e8.significand == f(0x3FFF, 0xC000000000000000u));
    const ExtractResult z = extract(kNegativeZero);
    CHECK(z.flags == exc::ZE);
    CHECK(z.exponent == kNegativeInfinity);
    CHECK(z.significand == kNegativeZero);
    const ExtractResult d = extract(f(0x0000, 0x0000000000000001u));  // 2^-16445
    CHECK(d.flags == exc::DE);
    CHECK(d.exponent == from_int(-16445));
    CHECK(d.significand == kOne);
}

TEST_CASE("FPREM and FPREM1 quotient bits") {
    const Float80 seven = from_int(7);
    const RemainderResult r = partial_remainder(seven, kTwo, false, kRN);
    CHECK(r.value == kOne);
    CHECK(r.quotient_bits == 3);  // Q = 3: Q2 = 0 (C0), Q1 = 1 (C3), Q0 = 1 (C1)
    CHECK_FALSE(r.incomplete);
    const RemainderResult r1 = partial_remainder(seven, kTwo, true, kRN);
    CHECK(r1.value == kOne.negated());  // 7 - 4 * 2
    CHECK(r1.quotient_bits == 4);
    CHECK(partial_remainder(seven.negated(), kTwo, false, kRN).value == kOne.negated());
    CHECK(partial_remainder(seven, kPositiveZero, false, kRN).flags == exc::IE);
    CHECK(partial_remainder(kPositiveInfinity, kTwo, false, kRN).flags == exc::IE);
    CHECK(partial_remainder(kNegativeZero, kTwo, false, kRN).value == kNegativeZero);
    // Exponent difference >= 64: a partial reduction, C2 = 1.
    const RemainderResult big = partial_remainder(f(0x4100, 0xC90FDAA22168C234u), kThree, false, kRN);
    CHECK(big.incomplete);
}

TEST_CASE("FCOM/FUCOM relations and invalid cases") {
    CHECK(compare(kPositiveZero, kNegativeZero, false).relation == Relation::Equal);
    CHECK(compare(kOne.negated(), kPositiveZero, false).relation == Relation::Less);
    CHECK(compare(kPositiveInfinity, kMax, false).relation == Relation::Greater);
    CHECK(compare(kQNaN, kOne, false).flags == exc::IE);   // FCOM: any NaN
    CHECK(compare(kQNaN, kOne, true).flags == 0);          // FUCOM: QNaN is quiet
    CHECK(compare(kSNaN, kOne, true).flags == exc::IE);
    CHECK(compare(kSNaN, kOne, true).relation == Relation::Unordered);
    CHECK(compare(f(0, 5), f(0, 4), false).flags == exc::DE);
}

TEST_CASE("FLDxx constants rounded per RC") {
    CHECK(load_constant(FpConstant::Pi, RoundingMode::Nearest) == f(0x4000, 0xC90FDAA22168C235u));
    CHECK(load_constant(FpConstant::Pi, RoundingMode::Down) == f(0x4000, 0xC90FDAA22168C234u));
    CHECK(load_constant(FpConstant::L2E, RoundingMode::Nearest) == f(0x3FFF, 0xB8AA3B295C17F0BCu));
    CHECK(load_constant(FpConstant::L2E, RoundingMode::TowardZero) == f(0x3FFF, 0xB8AA3B295C17F0BBu));
    CHECK(load_constant(FpConstant::LG2, RoundingMode::Nearest) == f(0x3FFD, 0x9A209A84FBCFF799u));
    CHECK(load_constant(FpConstant::LN2, RoundingMode::Up) == f(0x3FFE, 0xB17217F7D1CF79ACu));
    CHECK(load_constant(FpConstant::L2T, RoundingMode::Nearest) == f(0x4000, 0xD49A784BCD1B8AFEu));
    CHECK(load_constant(FpConstant::One, RoundingMode::Up) == kOne);
    CHECK(load_constant(FpConstant::Zero, RoundingMode::Down) == kPositiveZero);
}
}
