// FSIN/FCOS/FSINCOS/FPTAN/FPATAN/F2XM1/FYL2X/FYL2XP1 in integer arithmetic.
//
// Method: reduce the argument exactly (a 448-bit 2/pi for the trig functions, a 65-entry atan
// table for FPATAN, the binary exponent for the logarithms), evaluate a Taylor/atanh series in
// WideFloat (128-bit significands, truncating, ~2^-120 relative error after all steps), then
// round once to 64 bits per RC. The result is therefore the correctly rounded value except
// when the true value lies within ~2^-120 relative of a rounding boundary, and is always within
// 1 ulp. PC does not apply to these instructions (SDM Vol. 1, 8.1.5.2). Special operands follow
// the result tables on each instruction's page in SDM Vol. 2.
#include <cstddef>

#include "cpu/fpu/trig_tables.h"
#include "cpu/fpu/wide_float.h"

namespace lantern::fpu {

using namespace detail;

namespace {

WideFloat wc(const WideConstant& k) { return wide_constant(k.exp, k.hi, k.lo); }
const WideFloat kWideOne = wide_constant(0, 0x8000000000000000u, 0);

// Stop a series once the term no longer reaches the sum's 130th bit.
bool negligible(const WideFloat& term, const WideFloat& sum) {
    return term.is_zero() || (!sum.is_zero() && term.exp < sum.exp - 132);
}

// sin(r), |r| <= pi/4: r - r^3/3! + r^5/5! - ...
WideFloat series_sin(WideFloat r) {
    const WideFloat r2 = wide_mul(r, r);
    WideFloat sum = r, term = r;
    for (std::uint32_t k = 1; k < 40; ++k) {
        term = wide_div_small(wide_mul(term, r2), (2 * k) * (2 * k + 1)).negated();
        sum = wide_add(sum, term);
        if (negligible(term, sum)) break;
    }
    return sum;
}

// cos(r), |r| <= pi/4: 1 - r^2/2! + r^4/4! - ...
WideFloat series_cos(WideFloat r) {
    const WideFloat r2 = wide_mul(r, r);
    WideFloat sum = kWideOne, term = kWideOne;
    for (std::uint32_t k = 1; k < 40; ++k) {
        term = wide_div_small(wide_mul(term, r2), (2 * k - 1) * (2 * k)).negated();
        sum = wide_add(sum, term);
        if (negligible(term, sum)) break;
    }
    return sum;
}

// atan(t), |t| <= 1/128: t - t^3/3 + t^5/5 - ...
WideFloat series_atan(WideFloat t) {
    const WideFloat t2 = wide_mul(t, t);
    WideFloat sum = t, power = t;
    for (std::uint32_t k = 1; k < 40; ++k) {
        power = wide_mul(power, t2).negated();
        const WideFloat term = wide_div_small(power, 2 * k + 1);
        sum = wide_add(sum, term);
        if (negligible(term, sum)) break;
    }
    return sum;
}

// 2 * atanh(s) = ln((1+s)/(1-s)), |s| <= ~0.2: 2 * (s + s^3/3 + s^5/5 + ...)
WideFloat series_ln_ratio(WideFloat s) {
    const WideFloat s2 = wide_mul(s, s);
    WideFloat sum = s, power = s;
    for (std::uint32_t k = 1; k < 80; ++k) {
        power = wide_mul(power, s2);
        const WideFloat term = wide_div_small(power, 2 * k + 1);
        sum = wide_add(sum, term);
        if (negligible(term, sum)) break;
    }
    return wide_scale(sum, 1);
}

// e^t - 1 for |t| <= ~0.7: t + t^2/2! + t^3/3! + ...
WideFloat series_expm1(WideFloat t) {
    WideFloat sum = t, term = t;
    for (std::uint32_t n = 2; n < 60; ++n) {
        term = wide_div_small(wide_mul(term, t), n);
        sum = wide_add(sum, term);
        if (negligible(term, sum)) break;
    }
    return sum;
}

// ---- Trigonometric argument reduction ----

struct Reduced {
    WideFloat r{};
    unsigned quadrant = 0;  // x = quadrant * pi/2 + r (mod 2 pi)
};

// Bits [lo, lo + count) of a little-endian limb array (count <= 64; out-of-range bits are 0).
std::uint64_t bits_of(const std::uint64_t* limbs, int nlimbs, int lo, int count) {
    std::uint64_t v = 0;
    for (int i = count - 1; i >= 0; --i) {
        const int b = lo + i;
        const std::uint64_t bit = (b >= 0 && b < 64 * nlimbs) ? (limbs[b / 64] >> (b % 64)) & 1u : 0;
        v = (v << 1) | bit;
    }
    return v;
}

// A nonnegative multi-limb integer times 2^(scale) as a WideFloat (top 128 bits kept).
WideFloat wide_from_limbs(bool sign, const std::uint64_t* limbs, int nlimbs, std::int32_t scale) {
    int top = nlimbs - 1;
    while (top >= 0 && limbs[top] == 0) --top;
    if (top < 0) return {sign, 0, {}};
    const U128 v{limbs[top], top >= 1 ? limbs[top - 1] : 0};
    const std::uint64_t next = top >= 2 ? limbs[top - 2] : 0;
    const int lz = clz128(v);
    U128 sig = shl128(v, static_cast<unsigned>(lz));
    if (lz) sig.lo |= next >> (64 - lz);
    // v sits at bit 64*(top-1); value = sig * 2^(64*(top-1) - lz + scale).
    return {sign, 64 * (top - 1) - lz + scale + 127, sig};
}

Reduced reduce(Float80 x_abs, TrigReduction mode) {
    const WideFloat w = wide_from(x_abs);
    if (wide_compare_magnitude(w, wc(kPiOver4)) <= 0) return {w, 0};
    const Unpacked u = unpack(x_abs);
    const int e = u.exp - 16383;  // -1 <= e <= 62
    // x * 2/pi = u.sig * C * 2^(e - 511), with C = floor(2/pi * 2^448): a 512-bit product.
    std::uint64_t p[8] = {};
    for (int i = 0; i < 7; ++i) {
        const U128 t = mul64(u.sig, kTwoOverPi448[i]);
        const U128 acc = add128(U128{0, p[i]}, U128{t.hi, t.lo});
        p[i] = acc.lo;
        p[i + 1] += acc.hi;  // cannot overflow: p[i+1] is still zero here
    }
    const int unit = 511 - e;  // bit index with weight 2^0
    std::uint64_t k = bits_of(p, 8, unit, 63);
    // 256 fraction bits below the binary point.
    std::uint64_t frac[4] = {bits_of(p, 8, unit - 256, 64), bits_of(p, 8, unit - 192, 64),
                             bits_of(p, 8, unit - 128, 64), bits_of(p, 8, unit - 64, 64)};
    bool negative = false;
    if (frac[3] >> 63) {  // fraction >= 1/2: round k up and take 1 - fraction, negated
        ++k;
        negative = true;
        std::uint64_t borrow = 1;
        for (auto& limb : frac) {  // two's complement negate
            limb = ~limb + borrow;
            borrow = (borrow && limb == 0) ? 1 : 0;
        }
    }
    Reduced red{};
    red.quadrant = static_cast<unsigned>(k & 3u);
    if (mode == TrigReduction::Exact) {
        red.r = wide_mul(wide_from_limbs(negative, frac, 4, -256), wc(kPiOver2));
        return red;
    }
    // Hardware66: r = x - k * pi66/2 exactly, on a 2^-65 grid (x = (sig << (e + 2)) * 2^-65).
    const U128 x_scaled = shl128(U128{0, u.sig}, static_cast<unsigned>(e + 2));
    const U128 pi66{kPi66High >> 62, (kPi66High << 2) | 3u};
    const U128 kp_lo = mul64(k, pi66.lo);
    const U128 kp_hi = mul64(k, pi66.hi);
    std::uint64_t kp[3] = {kp_lo.lo, kp_lo.hi + kp_hi.lo, kp_hi.hi + (kp_lo.hi + kp_hi.lo < kp_lo.hi ? 1u : 0u)};
    std::uint64_t xs[3] = {x_scaled.lo, x_scaled.hi, 0};
    // d = xs - kp (three limbs, two's complement)
    std::uint64_t d[3] = {};
    std::uint64_t borrow = 0;
    for (int i = 0; i < 3; ++i) {
        const std::uint64_t t = xs[i] - kp[i];
        const std::uint64_t b1 = xs[i] < kp[i] ? 1u : 0u;
        d[i] = t - borrow;
        const std::uint64_t b2 = t < borrow ? 1u : 0u;
        borrow = b1 | b2;
    }
    bool neg = false;
    if (d[2] >> 63) {
        neg = true;
        std::uint64_t carry = 1;
        for (auto& limb : d) {
            limb = ~limb + carry;
            carry = (carry && limb == 0) ? 1 : 0;
        }
    }
    red.r = wide_from_limbs(neg, d, 3, -65);
    return red;
}

bool at_least_2_63(Float80 a) { return a.exponent() >= 16383 + 63; }

// Tiny arguments. Measured on an Intel Xeon (RD/RU probes over x = 2^-d): FSIN returns x itself
// for |x| < 2^-68 and FPTAN for |x| < 2^-32, flagged inexact with C1 = 0, in every rounding
// mode; above those bounds both round correctly. Returning x is within the 1 ulp Intel
// documents, and doing the same keeps the status word identical to the chip's (a correctly
// rounded result one ulp away could cross into the denormals and change UE).
constexpr int kSinIdentityExponent = 16383 - 68;
constexpr int kTanIdentityExponent = 16383 - 32;
bool below(Float80 a, int biased_exponent) { return a.exponent() < biased_exponent; }
FpResult identity_inexact(Float80 a, FpControl c) {
    const Unpacked u = unpack(a);
    FpResult r = round_pack64(u.sign, u.exp, u.sig, kExtended, c);  // exact; wraps if UE unmasked
    r.flags |= exc::PE;
    if (a.exponent() == 0) r.flags |= exc::DE;
    // A true denormal result is tiny and "inexact": underflow (a pseudo-denormal is not tiny).
    if (classify(a) == FpClass::Denormal && c.masked(exc::UE)) r.flags |= exc::UE;
    r.rounded_up = false;
    return r;
}

// sin and cos of |x| via the reduced argument.
struct SinCos {
    WideFloat sin{};
    WideFloat cos{};
};
SinCos sincos_abs(Float80 x_abs, TrigReduction mode) {
    const Reduced red = reduce(x_abs, mode);
    const WideFloat s = series_sin(red.r), c = series_cos(red.r);
    switch (red.quadrant) {
    case 0: return {s, c};
    case 1: return {c, s.negated()};
    case 2: return {s.negated(), c.negated()};
    default: return {c.negated(), s};
    }
}

// Common operand screening for the one-operand trig instructions.
bool trig_special(Float80 a, FpResult& out) {
    const FpClass ca = classify(a);
    if (is_unsupported(ca) || ca == FpClass::Infinity) {
        out = invalid();
        return true;
    }
    if (is_nan_class(ca)) {
        out = propagate_nan(a);
        return true;
    }
    return false;
}

std::uint8_t de_of(Float80 a) { return is_denormal(a) ? exc::DE : 0; }

FpResult with_de(FpResult r, std::uint8_t de) {
    r.flags |= de;
    return r;
}

}  // namespace

TrigResult fsin(Float80 a, FpControl c, TrigReduction mode) {
    TrigResult r{};
    if (trig_special(a, r.value)) return r;
    if (classify(a) == FpClass::Zero) return {{a, 0, false}, false};
    if (at_least_2_63(a)) return {{a, 0, false}, true};
    if (below(a, kSinIdentityExponent)) return {identity_inexact(a, c), false};
    const SinCos sc = sincos_abs(a.abs(), mode);
    r.value = with_de(wide_round(a.sign() ? sc.sin.negated() : sc.sin, c, true), de_of(a));
    return r;
}

TrigResult fcos(Float80 a, FpControl c, TrigReduction mode) {
    TrigResult r{};
    if (trig_special(a, r.value)) return r;
    if (classify(a) == FpClass::Zero) return {{kOne, 0, false}, false};
    if (at_least_2_63(a)) return {{a, 0, false}, true};
    const SinCos sc = sincos_abs(a.abs(), mode);
    r.value = with_de(wide_round(sc.cos, c, true), de_of(a));
    return r;
}

TrigPairResult fsincos(Float80 a, FpControl c, TrigReduction mode) {
    TrigPairResult r{};
    if (trig_special(a, r.first)) {
        r.second = r.first;
        return r;
    }
    if (classify(a) == FpClass::Zero) return {{a, 0, false}, {kOne, 0, false}, false};
    if (at_least_2_63(a)) return {{a, 0, false}, {}, true};
    const SinCos sc = sincos_abs(a.abs(), mode);
    r.first = below(a, kSinIdentityExponent) ? identity_inexact(a, c)
                               : with_de(wide_round(a.sign() ? sc.sin.negated() : sc.sin, c, true), de_of(a));
    r.second = with_de(wide_round(sc.cos, c, true), de_of(a));
    return r;
}

TrigPairResult fptan(Float80 a, FpControl c, TrigReduction mode) {
    TrigPairResult r{};
    r.second = {kOne, 0, false};
    if (trig_special(a, r.first)) {
        r.second = r.first;  // a NaN result is pushed in place of the 1.0 as well (measured)
        return r;
    }
    if (classify(a) == FpClass::Zero) return {{a, 0, false}, {kOne, 0, false}, false};
    if (at_least_2_63(a)) return {{a, 0, false}, {}, true};
    if (below(a, kTanIdentityExponent)) {
        r.first = identity_inexact(a, c);
        return r;
    }
    const SinCos sc = sincos_abs(a.abs(), mode);
    const WideFloat t = wide_div(sc.sin, sc.cos);
    r.first = with_de(wide_round(a.sign() ? t.negated() : t, c, true), de_of(a));
    return r;
}

FpResult fpatan(Float80 y, Float80 x, FpControl c) {
    const FpClass cy = classify(y), cx = classify(x);
    if (is_unsupported(cy) || is_unsupported(cx)) return invalid();
    if (is_nan_class(cy) || is_nan_class(cx)) return propagate_nan(y, x);
    const std::uint8_t de = (is_denormal_class(cy) || is_denormal_class(cx)) ? exc::DE : 0;
    auto constant = [&](const WideConstant& k) {
        WideFloat w = wc(k);
        w.sign = y.sign();
        return with_de(wide_round(w, c, true), de);
    };
    // SDM Vol. 2, FPATAN Table 3-29 (no invalid case: atan2(0, 0) is +/-0 or +/-pi).
    if (cy == FpClass::Infinity) {
        if (cx == FpClass::Infinity) return constant(x.sign() ? kThreePiOver4 : kPiOver4);
        return constant(kPiOver2);
    }
    if (cx == FpClass::Infinity) {
        if (!x.sign()) return {Float80::make(y.sign(), 0, 0), de, false};
        return constant(kPi);
    }
    if (cy == FpClass::Zero) {
        if (!x.sign()) return {Float80::make(y.sign(), 0, 0), de, false};
        return constant(kPi);
    }
    if (cx == FpClass::Zero) return constant(kPiOver2);

    const WideFloat ay = wide_from(y).abs(), ax = wide_from(x).abs();
    const bool swapped = wide_compare_magnitude(ay, ax) > 0;
    const WideFloat t = swapped ? wide_div(ax, ay) : wide_div(ay, ax);  // 0 < t <= 1
    // k = round(64 t); atan(t) = atan(k/64) + atan((t - k/64) / (1 + t k/64)).
    std::uint32_t k = 0;
    if (t.exp >= -7) {
        const std::uint64_t t128 = (t.sig.hi >> (63 - (t.exp + 7)));  // floor(128 t)
        k = static_cast<std::uint32_t>((t128 + 1) >> 1);
    }
    WideFloat result = t;
    if (k == 0) {
        result = series_atan(t);
    } else {
        const WideFloat ck = wide_scale(wide_from_int(k), -6);
        const WideFloat u = wide_div(wide_sub(t, ck), wide_add(kWideOne, wide_mul(t, ck)));
        result = wide_add(wc(kAtanTable[k]), series_atan(u));
    }
    if (swapped) result = wide_sub(wc(kPiOver2), result);
    if (x.sign()) result = wide_sub(wc(kPi), result);
    result.sign = y.sign();
    return with_de(wide_round(result, c, true), de);
}

FpResult f2xm1(Float80 a, FpControl c) {
    const FpClass ca = classify(a);
    if (is_unsupported(ca)) return invalid();
    if (is_nan_class(ca)) return propagate_nan(a);
    if (ca == FpClass::Zero) return {a, 0, false};
    if (ca == FpClass::Infinity) return {a.sign() ? Float80::make(true, 16383, 0x8000000000000000u) : a, 0, false};
    const std::uint8_t de = de_of(a);
    const WideFloat x = wide_from(a);
    // The documented domain is -1 <= x <= +1 (SDM Vol. 2, F2XM1: "outside that range the
    // result is undefined"). Measured on an Intel Xeon: |x| > 1 leaves ST(0) unchanged and
    // reports PE only; that is what is emulated.
    const int cmp = wide_compare_magnitude(x, kWideOne);
    if (cmp > 0) return {a, static_cast<std::uint8_t>(exc::PE | de), false};
    if (cmp == 0)  // 2^1 - 1 = 1 and 2^-1 - 1 = -1/2 exactly, yet the chips still report PE
        return {a.sign() ? Float80::make(true, 16382, 0x8000000000000000u) : kOne,
                static_cast<std::uint8_t>(exc::PE | de), false};
    return with_de(wide_round(series_expm1(wide_mul(x, wc(kLn2))), c, true), de);
}

namespace {

// y * L for the log instructions when L is special: L = +/-inf (log of 0 or inf) or +/-0.
FpResult log_product_special(Float80 y, bool l_infinite, bool l_negative, bool from_zero, std::uint8_t de) {
    const FpClass cy = classify(y);
    const bool sign = y.sign() != l_negative;
    if (l_infinite) {
        if (cy == FpClass::Zero) return invalid();  // 0 * inf
        // log2(0) = -inf is a divide by zero when y is finite (SDM Vol. 2, FYL2X, #Z).
        const std::uint8_t ze = (from_zero && cy != FpClass::Infinity) ? exc::ZE : 0;
        return {sign ? kNegativeInfinity : kPositiveInfinity, static_cast<std::uint8_t>(ze | (ze ? 0 : de)), false};
    }
    if (cy == FpClass::Infinity) return invalid();  // inf * 0
    return {Float80::make(sign, 0, 0), de, false};
}

// The product y * L for finite nonzero y and a WideFloat logarithm L.
FpResult log_product(Float80 y, WideFloat l, bool inexact, FpControl c, std::uint8_t de) {
    const FpClass cy = classify(y);
    if (cy == FpClass::Infinity) return {(y.sign() != l.sign) ? kNegativeInfinity : kPositiveInfinity, de, false};
    if (cy == FpClass::Zero) return {Float80::make(y.sign() != l.sign, 0, 0), de, false};
    return with_de(wide_round(wide_mul(wide_from(y), l), c, inexact), de);
}

}  // namespace

FpResult fyl2x(Float80 y, Float80 x, FpControl c) {
    const FpClass cy = classify(y), cx = classify(x);
    if (is_unsupported(cy) || is_unsupported(cx)) return invalid();
    if (is_nan_class(cy) || is_nan_class(cx)) return propagate_nan(y, x);
    const std::uint8_t de = (is_denormal_class(cy) || is_denormal_class(cx)) ? exc::DE : 0;
    if (cx == FpClass::Zero) return log_product_special(y, true, true, true, de);
    if (x.sign()) return invalid();  // log of a negative number (SDM Vol. 2, FYL2X Table 3-49)
    if (cx == FpClass::Infinity) return log_product_special(y, true, false, false, de);
    const Unpacked u = unpack(x);
    std::int32_t e = u.exp - 16383;
    // m in [sqrt(1/2), sqrt(2)) so log2(x) = e + log2(m) never cancels.
    WideFloat m{false, 0, U128{u.sig, 0}};
    if (u.sig > 0xB504F333F9DE6484u) {
        m.exp = -1;
        ++e;
    }
    if (u.sig == 0x8000000000000000u) {  // x = 2^e: log2 is the exact integer e
        if (e == 0) return log_product_special(y, false, false, false, de);
        // The product is exact here, but Intel chips compute it approximately and always
        // report PE (measured), so PE is raised too; the value stays the exact one.
        FpResult r = log_product(y, wide_from_int(e), false, c, de);
        if (classify(y) != FpClass::Infinity && classify(y) != FpClass::Zero) {
            r.flags |= exc::PE;
            // "Inexact" and tiny is an underflow (with UE unmasked round_value already said so).
            if (r.value.exponent() == 0 && c.masked(exc::UE)) r.flags |= exc::UE;
        }
        return r;
    }
    const WideFloat s = wide_div(wide_sub(m, kWideOne), wide_add(m, kWideOne));
    const WideFloat log2m = wide_mul(series_ln_ratio(s), wc(kLog2E));
    return log_product(y, wide_add(wide_from_int(e), log2m), true, c, de);
}

FpResult fyl2xp1(Float80 y, Float80 x, FpControl c) {
    const FpClass cy = classify(y), cx = classify(x);
    if (is_unsupported(cy) || is_unsupported(cx)) return invalid();
    if (is_nan_class(cy) || is_nan_class(cx)) return propagate_nan(y, x);
    const std::uint8_t de = (is_denormal_class(cy) || is_denormal_class(cx)) ? exc::DE : 0;
    if (cx == FpClass::Zero) return log_product_special(y, false, x.sign(), false, de);
    if (cx == FpClass::Infinity) {
        if (x.sign()) return invalid();
        return log_product_special(y, true, false, false, de);
    }
    // Documented for |x| < 1 - sqrt(2)/2; evaluated for any x > -1 here.
    const WideFloat w = wide_from(x);
    const int cmp_minus_one = x.sign() ? wide_compare_magnitude(w, kWideOne) : -1;
    if (cmp_minus_one > 0) return invalid();
    if (cmp_minus_one == 0) return log_product_special(y, true, true, true, de);
    // ln(1 + x) = 2 atanh(x / (2 + x)): no cancellation for small x.
    const WideFloat s = wide_div(w, wide_add(wide_scale(kWideOne, 1), w));
    const WideFloat l = wide_mul(series_ln_ratio(s), wc(kLog2E));
    return log_product(y, l, true, c, de);
}

}  // namespace lantern::fpu
