// FADD/FSUB/FMUL/FDIV/FSQRT on Float80: exact integer arithmetic on the significands followed by
// one rounding (round_value), so every result is the correctly rounded IEEE 754 result in the
// precision PC selects (SDM Vol. 1, 8.1.5.2). Special operands follow the FADD/FMUL/FDIV/FSQRT
// result tables in SDM Vol. 2 (e.g. Table 3-18 "FADD/FADDP/FIADD Results").
#include "cpu/fpu/float80_internal.h"

#include <utility>

namespace lantern::fpu {

using namespace detail;

namespace {

// Unsupported encodings are invalid; NaNs propagate. Returns true when `out` is the answer.
bool handle_nan_or_unsupported(Float80 a, Float80 b, FpClass ca, FpClass cb, FpResult& out) {
    if (is_unsupported(ca) || is_unsupported(cb)) {
        out = invalid();
        return true;
    }
    if (is_nan_class(ca) || is_nan_class(cb)) {
        out = propagate_nan(a, b);
        return true;
    }
    return false;
}

std::uint8_t denormal_flag(FpClass ca, FpClass cb) {
    return (is_denormal_class(ca) || is_denormal_class(cb)) ? exc::DE : 0;
}

FpResult with_flags(FpResult r, std::uint8_t extra) {
    r.flags |= extra;
    return r;
}

// a + b where neither is a NaN or unsupported.
FpResult add_core(Float80 a, Float80 b, FpClass ca, FpClass cb, FpControl c) {
    const std::uint8_t de = denormal_flag(ca, cb);
    const Format f = register_format(c.pc);
    if (ca == FpClass::Infinity || cb == FpClass::Infinity) {
        if (ca == FpClass::Infinity && cb == FpClass::Infinity && a.sign() != b.sign())
            return invalid();  // inf - inf (DE is not reported with IE)
        return {ca == FpClass::Infinity ? a : b, de, false};
    }
    if (ca == FpClass::Zero && cb == FpClass::Zero) {
        const Float80 z = a.sign() == b.sign() ? a : exact_zero_sum(c.rc);
        return {z, 0, false};
    }
    // x + 0 still rounds x to the current precision (and denormals still underflow-check).
    if (cb == FpClass::Zero || ca == FpClass::Zero) {
        const Unpacked u = unpack(cb == FpClass::Zero ? a : b);
        return with_flags(round_pack64(u.sign, u.exp, u.sig, f, c), de);
    }
    Unpacked x = unpack(a), y = unpack(b);
    if (x.exp < y.exp || (x.exp == y.exp && x.sig < y.sig)) std::swap(x, y);  // |x| >= |y|
    const unsigned d = static_cast<unsigned>(x.exp - y.exp);
    // One spare bit on top keeps the sum of two 64-bit significands inside 128 bits; the 63
    // guard bits below make the jammed sticky bit harmless even after cancellation.
    const U128 big = shr128(U128{x.sig, 0}, 1);
    const U128 small = shr128_jam(shr128(U128{y.sig, 0}, 1), d);
    if (x.sign == y.sign) return with_flags(round_pack(x.sign, x.exp + 1, add128(big, small), f, c), de);
    const U128 diff = sub128(big, small);
    if (diff.is_zero()) return {exact_zero_sum(c.rc), de, false};
    return with_flags(round_pack(x.sign, x.exp + 1, diff, f, c), de);
}

}  // namespace

FpResult add(Float80 a, Float80 b, FpControl c) {
    const FpClass ca = classify(a), cb = classify(b);
    FpResult r{};
    if (handle_nan_or_unsupported(a, b, ca, cb, r)) return r;
    return add_core(a, b, ca, cb, c);
}

FpResult sub(Float80 a, Float80 b, FpControl c) {
    const FpClass ca = classify(a), cb = classify(b);
    FpResult r{};
    if (handle_nan_or_unsupported(a, b, ca, cb, r)) return r;  // NaN signs are never flipped
    return add_core(a, b.negated(), ca, cb, c);
}

FpResult mul(Float80 a, Float80 b, FpControl c) {
    const FpClass ca = classify(a), cb = classify(b);
    FpResult r{};
    if (handle_nan_or_unsupported(a, b, ca, cb, r)) return r;
    const std::uint8_t de = denormal_flag(ca, cb);
    const bool sign = a.sign() != b.sign();
    if (ca == FpClass::Infinity || cb == FpClass::Infinity) {
        if (ca == FpClass::Zero || cb == FpClass::Zero) return invalid();  // 0 * inf
        return {sign ? kNegativeInfinity : kPositiveInfinity, de, false};
    }
    if (ca == FpClass::Zero || cb == FpClass::Zero) return {Float80::make(sign, 0, 0), de, false};
    const Unpacked x = unpack(a), y = unpack(b);
    // sig_x * sig_y is exact in 128 bits; bit 127 or 126 is the leading one.
    return with_flags(round_pack(sign, x.exp + y.exp - 16383 + 1, mul64(x.sig, y.sig), register_format(c.pc), c), de);
}

FpResult div(Float80 a, Float80 b, FpControl c) {
    const FpClass ca = classify(a), cb = classify(b);
    FpResult r{};
    if (handle_nan_or_unsupported(a, b, ca, cb, r)) return r;
    const std::uint8_t de = denormal_flag(ca, cb);
    const bool sign = a.sign() != b.sign();
    if (ca == FpClass::Infinity) {
        if (cb == FpClass::Infinity) return invalid();  // inf / inf
        return {sign ? kNegativeInfinity : kPositiveInfinity, de, false};
    }
    if (cb == FpClass::Infinity) return {Float80::make(sign, 0, 0), de, false};
    if (cb == FpClass::Zero) {
        if (ca == FpClass::Zero) return invalid();  // 0 / 0
        // Divide by zero (SDM Vol. 1, 4.9.1.3): the masked response is a signed infinity.
        return {sign ? kNegativeInfinity : kPositiveInfinity, exc::ZE, false};
    }
    if (ca == FpClass::Zero) return {Float80::make(sign, 0, 0), de, false};
    const Unpacked x = unpack(a), y = unpack(b);
    // Two 64-bit quotient digits of (sig_x / 2) / sig_y; the first cannot overflow because
    // sig_x / 2 < 2^63 <= sig_y. The final remainder becomes the sticky bit.
    const DivResult64 q1 = div128by64(shr128(U128{x.sig, 0}, 1), y.sig);
    const DivResult64 q2 = div128by64(U128{q1.remainder, 0}, y.sig);
    const U128 q{q1.quotient, q2.quotient | (q2.remainder != 0 ? 1u : 0u)};
    return with_flags(round_pack(sign, x.exp - y.exp + 16383, q, register_format(c.pc), c), de);
}

FpResult sqrt(Float80 a, FpControl c) {
    const FpClass ca = classify(a);
    if (is_unsupported(ca)) return invalid();
    if (is_nan_class(ca)) return propagate_nan(a);
    const std::uint8_t de = is_denormal_class(ca) ? exc::DE : 0;
    if (ca == FpClass::Zero) return {a, 0, false};  // sqrt(-0) = -0
    if (a.sign()) return invalid();  // negative nonzero, including -inf; IE hides DE
    if (ca == FpClass::Infinity) return {a, 0, false};

    const Unpacked u = unpack(a);
    const std::int32_t e = u.exp - 16383;
    // Radicand as a 192-bit string whose top two bits are the integer part: m/2^63 in [1,2)
    // for an even exponent, m/2^62 in [2,4) for an odd one, so sqrt's exponent is floor(e/2).
    std::uint64_t w0 = u.sig, w1 = 0;
    if ((e & 1) == 0) {
        w1 = u.sig << 63;
        w0 = u.sig >> 1;
    }
    // Bit-by-bit restoring square root: 66 result bits (64 + guard + round) from 66 bit pairs.
    U128 root{}, rem{};
    for (int i = 0; i < 66; ++i) {
        const int bit = 191 - 2 * i;  // position of the pair's high bit in w0:w1:0
        auto radicand_bit = [&](int pos) -> std::uint64_t {
            if (pos >= 128) return (w0 >> (pos - 128)) & 1u;
            if (pos >= 64) return (w1 >> (pos - 64)) & 1u;
            return 0;
        };
        const std::uint64_t pair = (radicand_bit(bit) << 1) | radicand_bit(bit - 1);
        rem = add128(shl128(rem, 2), U128{0, pair});
        const U128 trial = add128(shl128(root, 2), U128{0, 1});
        root = shl128(root, 1);
        if (rem >= trial) {
            rem = sub128(rem, trial);
            root = add128(root, U128{0, 1});
        }
    }
    U128 sig = shl128(root, 62);
    if (!rem.is_zero()) sig.lo |= 1;
    return with_flags(round_pack(false, (e >> 1) + 16383, sig, register_format(c.pc), c), de);
}

}  // namespace lantern::fpu
