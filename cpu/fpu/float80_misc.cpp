// The x87-specific operations that are not plain IEEE arithmetic: FCOM/FUCOM, FRNDINT, FSCALE,
// FXTRACT, FPREM/FPREM1 and the FLDxx constants (SDM Vol. 2, the instruction pages of each).
#include "cpu/fpu/float80_internal.h"

namespace lantern::fpu {

using namespace detail;

namespace {

std::uint8_t denormal_flag(FpClass ca, FpClass cb) {
    return (is_denormal_class(ca) || is_denormal_class(cb)) ? exc::DE : 0;
}

// Magnitude order for non-NaN values: zero < finite < infinity, finite by (exp, sig).
int compare_magnitude(Float80 a, FpClass ca, Float80 b, FpClass cb) {
    auto rank = [](FpClass c) { return c == FpClass::Zero ? 0 : c == FpClass::Infinity ? 2 : 1; };
    const int ra = rank(ca), rb = rank(cb);
    if (ra != rb || ra != 1) return ra < rb ? -1 : ra > rb ? 1 : 0;
    const Unpacked x = unpack(a), y = unpack(b);
    if (x.exp != y.exp) return x.exp < y.exp ? -1 : 1;
    if (x.sig != y.sig) return x.sig < y.sig ? -1 : 1;
    return 0;
}

}  // namespace

CompareResult compare(Float80 a, Float80 b, bool quiet) {
    const FpClass ca = classify(a), cb = classify(b);
    if (is_unsupported(ca) || is_unsupported(cb)) return {Relation::Unordered, exc::IE};
    if (is_nan_class(ca) || is_nan_class(cb)) {
        // FCOM: any NaN is invalid. FUCOM: only an SNaN is (SDM Vol. 2, FUCOM "Operation").
        const bool signaling = ca == FpClass::SignalingNaN || cb == FpClass::SignalingNaN;
        return {Relation::Unordered, (!quiet || signaling) ? exc::IE : std::uint8_t{0}};
    }
    const std::uint8_t de = denormal_flag(ca, cb);
    const bool a_zero = ca == FpClass::Zero, b_zero = cb == FpClass::Zero;
    if (a_zero && b_zero) return {Relation::Equal, de};  // +0 == -0
    const bool sa = a.sign() && !a_zero, sb = b.sign() && !b_zero;
    if (sa != sb) return {sa ? Relation::Less : Relation::Greater, de};
    int m = compare_magnitude(a, ca, b, cb);
    if (sa) m = -m;
    return {m < 0 ? Relation::Less : m > 0 ? Relation::Greater : Relation::Equal, de};
}

FpResult round_to_integer(Float80 a, FpControl c) {
    const FpClass ca = classify(a);
    if (is_unsupported(ca)) return invalid();
    if (is_nan_class(ca)) return propagate_nan(a);
    if (ca == FpClass::Zero || ca == FpClass::Infinity) return {a, 0, false};
    const std::uint8_t de = is_denormal_class(ca) ? exc::DE : 0;
    const Unpacked u = unpack(a);
    const std::int32_t e = u.exp - 16383;
    if (e >= 63) return {a, de, false};  // no fraction bits left
    const std::int64_t drop = 64 + 63 - std::int64_t{e};
    const Dropped d = round_drop(U128{u.sig, 0}, drop > 200 ? 200u : static_cast<unsigned>(drop), u.sign, c.rc);
    FpResult r{from_magnitude(u.sign, d.kept.lo), de, d.incremented};
    if (d.inexact) r.flags |= exc::PE;
    return r;
}

FpResult scale(Float80 a, Float80 b, FpControl c) {
    const FpClass ca = classify(a), cb = classify(b);
    if (is_unsupported(ca) || is_unsupported(cb)) return invalid();
    if (is_nan_class(ca) || is_nan_class(cb)) return propagate_nan(a, b);
    const std::uint8_t de = denormal_flag(ca, cb);
    if (cb == FpClass::Infinity) {
        // SDM Vol. 2, FSCALE Table 3-42: 0 * 2^+inf and inf * 2^-inf are invalid.
        if (!b.sign()) {
            if (ca == FpClass::Zero) return invalid();
            return {a.sign() ? kNegativeInfinity : kPositiveInfinity, de, false};
        }
        if (ca == FpClass::Infinity) return invalid();
        return {Float80::make(a.sign(), 0, 0), de, false};
    }
    if (ca == FpClass::Zero || ca == FpClass::Infinity) return {a, de, false};
    // trunc(b), clamped: anything beyond +/-2^20 over- or underflows just the same.
    std::int32_t n = 0;
    if (cb != FpClass::Zero) {
        const Unpacked ub = unpack(b);
        const std::int32_t e = ub.exp - 16383;
        std::int32_t mag = 0;
        if (e >= 20)
            mag = 1 << 20;
        else if (e >= 0)
            mag = static_cast<std::int32_t>(ub.sig >> (63 - e));
        n = ub.sign ? -mag : mag;
    }
    // ST(1) = +/-0 leaves a denormal ST(0) as it is, with no underflow check even when UE is
    // unmasked (measured); a pseudo-denormal still comes back normalised. Any other
    // |ST(1)| < 1 goes through rounding like a real scale and can signal underflow.
    if (cb == FpClass::Zero && ca == FpClass::Denormal) return {a, de, false};
    const Unpacked ua = unpack(a);
    FpResult r = round_pack64(ua.sign, ua.exp + n, ua.sig, kExtended, c);
    r.flags |= de;
    return r;
}

ExtractResult extract(Float80 a) {
    const FpClass ca = classify(a);
    if (is_unsupported(ca)) return {kIndefinite, kIndefinite, exc::IE};
    if (is_nan_class(ca)) {
        const FpResult n = propagate_nan(a);
        return {n.value, n.value, n.flags};
    }
    if (ca == FpClass::Zero) return {kNegativeInfinity, a, exc::ZE};  // SDM Vol. 2, FXTRACT
    if (ca == FpClass::Infinity) return {kPositiveInfinity, a, 0};
    const Unpacked u = unpack(a);
    const std::int32_t e = u.exp - 16383;
    const Float80 exponent = from_magnitude(e < 0, static_cast<std::uint64_t>(e < 0 ? -std::int64_t{e} : e));
    return {exponent, Float80::make(u.sign, 16383, u.sig), is_denormal_class(ca) ? exc::DE : std::uint8_t{0}};
}

RemainderResult partial_remainder(Float80 a, Float80 b, bool ieee, FpControl c) {
    const FpClass ca = classify(a), cb = classify(b);
    RemainderResult r{};
    if (is_unsupported(ca) || is_unsupported(cb)) {
        r.value = kIndefinite;
        r.flags = exc::IE;
        return r;
    }
    if (is_nan_class(ca) || is_nan_class(cb)) {
        const FpResult n = propagate_nan(a, b);
        r.value = n.value;
        r.flags = n.flags;
        return r;
    }
    const std::uint8_t de = denormal_flag(ca, cb);
    if (ca == FpClass::Infinity || cb == FpClass::Zero) {  // SDM Vol. 2, FPREM Table 3-30
        r.value = kIndefinite;
        r.flags = exc::IE;  // IE hides DE, as for every invalid arithmetic operation
        return r;
    }
    r.quotient_valid = true;
    if (cb == FpClass::Infinity || ca == FpClass::Zero) {
        r.value = a;
        // x rem inf = x. A pseudo-denormal comes back normalised; a true denormal is returned
        // untouched, with no underflow check even when UE is unmasked (both measured).
        if (ca != FpClass::Zero && ca != FpClass::Denormal) {
            const Unpacked x = unpack(a);
            r.value = round_pack64(x.sign, x.exp, x.sig, kExtended, c).value;
        }
        r.flags = de;
        return r;
    }
    const Unpacked x = unpack(a), y = unpack(b);
    const std::int32_t d = x.exp - y.exp;
    bool sign = x.sign;
    std::uint64_t quotient = 0;
    std::uint64_t rem = x.sig;
    std::int32_t rem_exp = x.exp;
    if (d >= 64) {
        // Partial reduction (SDM Vol. 2, FPREM "Operation"): the chip reduces the exponent
        // difference by an implementation-dependent N in 32..63; measured on x86 hardware as
        // N = 32 + (D mod 32). The quotient is always truncated here, even for FPREM1.
        const std::int32_t n = 32 + (d & 31);
        const DivResult64 q = div128by64(shl128(U128{0, x.sig}, static_cast<unsigned>(n)), y.sig);
        quotient = q.quotient;
        rem = q.remainder;
        rem_exp = y.exp + (d - n);
        r.incomplete = true;
    } else if (d >= 0) {
        const DivResult64 q = div128by64(shl128(U128{0, x.sig}, static_cast<unsigned>(d)), y.sig);
        quotient = q.quotient;
        rem = q.remainder;
        rem_exp = y.exp;
    }
    if (ieee && !r.incomplete && d >= -1) {
        // Round the quotient to nearest-even: compare the remainder with half the divisor, both
        // on the divisor's scale (for d == -1 the remainder is x itself at half scale).
        const bool half_scale = d == -1;
        const std::uint64_t divisor = y.sig;
        // twice_rem vs divisor, without overflowing 64 bits.
        int cmp = 0;
        if (half_scale) {
            cmp = x.sig < divisor ? -1 : x.sig > divisor ? 1 : 0;  // 2 * (x/2) vs divisor
        } else {
            cmp = rem < divisor - rem ? -1 : rem > divisor - rem ? 1 : 0;
        }
        if (cmp > 0 || (cmp == 0 && (quotient & 1u))) {
            ++quotient;
            sign = !sign;
            if (half_scale) {
                // |b| - |a| with |a| = x.sig * 2^(y.exp-1-...): work at one extra bit.
                const U128 diff = sub128(U128{divisor, 0}, shr128(U128{x.sig, 0}, 1));
                const FpResult v = round_pack(sign, y.exp, diff, kExtended, c);
                r.value = v.value;
                r.flags = de | v.flags;
                r.quotient_bits = static_cast<std::uint8_t>(quotient & 7u);
                return r;
            }
            rem = divisor - rem;
        }
    }
    // After a partial reduction the chips report C0 = C1 = C3 = 0 (measured); only C2 is set.
    r.quotient_bits = r.incomplete ? 0 : static_cast<std::uint8_t>(quotient & 7u);
    if (rem == 0) {
        r.value = Float80::make(x.sign, 0, 0);
        r.flags = de;
        return r;
    }
    // The remainder is exact; rounding only normalises it (and may denormalise it).
    const FpResult v = round_pack64(sign, rem_exp, rem, kExtended, c);
    r.value = v.value;
    r.flags = de | v.flags;
    return r;
}

namespace {
struct ConstantBits {
    std::uint16_t exponent = 0;
    std::uint64_t hi = 0;  // significand bits 127..64 (bit 127 = integer bit)
    std::uint64_t lo = 0;
};
// Significands to 128 bits, computed with 700-bit arithmetic.
constexpr ConstantBits kConstantTable[] = {
    {16383, 0x8000000000000000u, 0},                                   // 1
    {16384, 0xD49A784BCD1B8AFEu, 0x492BF6FF4DAFDB4Cu},                 // log2(10)
    {16383, 0xB8AA3B295C17F0BBu, 0xBE87FED0691D3E88u},                 // log2(e)
    {16384, 0xC90FDAA22168C234u, 0xC4C6628B80DC1CD1u},                 // pi
    {16381, 0x9A209A84FBCFF798u, 0x8F8959AC0B7C9178u},                 // log10(2)
    {16382, 0xB17217F7D1CF79ABu, 0xC9E3B39803F2F6AFu},                 // ln(2)
};
}  // namespace

Float80 load_constant(FpConstant k, RoundingMode rc) {
    if (k == FpConstant::Zero) return kPositiveZero;
    const ConstantBits& cb = kConstantTable[static_cast<int>(k)];
    // SDM Vol. 1, 8.3.5 describes 66-bit internal constants rounded per RC; a tie-to-even on
    // those 66 bits would give FLDLG2 = ...F798 in round-to-nearest, but the chips return the
    // correctly rounded ...F799 (measured), so round the 128-bit value: same answer in all
    // other cases.
    const Dropped d = round_drop(U128{cb.hi, cb.lo}, 64, false, rc);
    // No constant rounds up to a power of two, so the carry case cannot occur.
    return Float80::make(false, cb.exponent, d.kept.lo);
}

}  // namespace lantern::fpu
