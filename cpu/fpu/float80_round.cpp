// Classification, the rounding core and NaN propagation: the pieces every Float80 operation
// shares. Rounding follows IEEE 754 as the x87 implements it (SDM Vol. 1, 4.8.4, 4.9.1.4-6).
#include "cpu/fpu/float80_internal.h"

#include <bit>

namespace lantern::fpu {

std::array<std::uint8_t, 10> Float80::to_bytes() const {
    std::array<std::uint8_t, 10> b{};
    for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(significand >> (8 * i));
    b[8] = static_cast<std::uint8_t>(sign_exponent);
    b[9] = static_cast<std::uint8_t>(sign_exponent >> 8);
    return b;
}

Float80 Float80::from_bytes(const std::uint8_t* bytes) {
    Float80 r{};
    for (int i = 0; i < 8; ++i) r.significand |= std::uint64_t{bytes[i]} << (8 * i);
    r.sign_exponent = static_cast<std::uint16_t>(bytes[8] | (bytes[9] << 8));
    return r;
}

// SDM Vol. 1, Table 8-3 lists which exponent/integer-bit combinations are supported.
FpClass classify(Float80 x) {
    const std::uint16_t e = x.exponent();
    const bool j = (x.significand >> 63) != 0;
    if (e == 0) {
        if (x.significand == 0) return FpClass::Zero;
        return j ? FpClass::PseudoDenormal : FpClass::Denormal;
    }
    if (!j) return FpClass::Unsupported;  // unnormal, pseudo-infinity, pseudo-NaN
    if (e == 0x7FFF) {
        const std::uint64_t fraction = x.significand & 0x7FFFFFFFFFFFFFFFu;
        if (fraction == 0) return FpClass::Infinity;
        return (fraction >> 62) ? FpClass::QuietNaN : FpClass::SignalingNaN;
    }
    return FpClass::Normal;
}

namespace detail {

Unpacked unpack(Float80 x) {
    Unpacked u{x.sign(), x.exponent(), x.significand};
    if (u.exp == 0) u.exp = 1;  // denormals share the smallest normal exponent
    const int lz = std::countl_zero(u.sig);
    u.sig <<= lz;
    u.exp -= lz;
    return u;
}

Format register_format(PrecisionControl pc) {
    switch (pc) {
    case PrecisionControl::Single: return {24, 1, 0x7FFE};
    case PrecisionControl::Double: return {53, 1, 0x7FFE};
    default: return kExtended;
    }
}

Dropped round_drop(U128 v, unsigned drop, bool sign, RoundingMode rc) {
    Dropped d{};
    if (drop == 0) {
        d.kept = v;
        return d;
    }
    U128 rest{};
    U128 half{};
    if (drop >= 129) {
        d.kept = {};
        rest = v;
        d.inexact = !v.is_zero();
        // rest < 2^128 <= half: strictly below one half ulp.
        half = {~0ull, ~0ull};
    } else {
        d.kept = shr128(v, drop);
        rest = sub128(v, shl128(d.kept, drop));
        half = shl128(U128{0, 1}, drop - 1);
        d.inexact = !rest.is_zero();
    }
    if (!d.inexact) return d;
    bool up = false;
    switch (rc) {
    case RoundingMode::Nearest:
        up = rest > half || (rest == half && drop < 129 && (d.kept.lo & 1u));
        break;
    case RoundingMode::Down: up = sign; break;
    case RoundingMode::Up: up = !sign; break;
    case RoundingMode::TowardZero: up = false; break;
    }
    if (up) d.kept = add128(d.kept, U128{0, 1});
    d.incremented = up;
    return d;
}

Rounded round_value(bool sign, std::int32_t exp, U128 sig, Format f, FpControl c, bool wrap_unmasked) {
    Rounded r{};
    r.sign = sign;
    const int lz = clz128(sig);
    sig = shl128(sig, static_cast<unsigned>(lz));
    exp -= lz;

    const unsigned p = f.precision;
    const unsigned drop = 128 - p;
    const U128 carry_limit = shl128(U128{0, 1}, p);

    // Step 1: round to p bits with an unbounded exponent.
    Dropped d = round_drop(sig, drop, sign, c.rc);
    std::int32_t rexp = exp;
    if (d.kept == carry_limit) {
        d.kept = shr128(d.kept, 1);
        ++rexp;
    }
    const std::uint64_t unbounded_sig = d.kept.lo << (64 - p);
    const std::uint8_t inexact_flag = d.inexact ? exc::PE : 0;

    if (rexp > f.max_exp) {
        // Overflow (SDM Vol. 1, 4.9.1.4, Table 4-10).
        // Unmasked: deliver the result with the exponent wrapped by 24576 (SDM Vol. 1, 8.5.4),
        // unless even that is out of range (massive overflow, e.g. from FSCALE): then the chips
        // deliver the masked response (measured).
        if (!c.masked(exc::OE) && !(wrap_unmasked && rexp - 24576 > f.max_exp)) {
            r.flags = exc::OE | inexact_flag;
            r.exp = wrap_unmasked ? rexp - 24576 : rexp;
            r.sig = unbounded_sig;
            r.rounded_up = d.incremented;
            return r;
        }
        r.flags = exc::OE | exc::PE;
        const bool massive = !c.masked(exc::OE);  // only reached unmasked when wrapping failed
        const bool to_infinity = massive || c.rc == RoundingMode::Nearest || (c.rc == RoundingMode::Up && !sign) ||
                                 (c.rc == RoundingMode::Down && sign);
        if (to_infinity) {
            r.infinity = true;
            r.rounded_up = true;
        } else {
            r.exp = f.max_exp;
            r.sig = ~0ull << (64 - p);
            r.rounded_up = false;
        }
        return r;
    }

    const bool tiny = kTininessAfterRounding ? rexp < f.min_exp : exp < f.min_exp;
    if (!tiny) {
        r.exp = rexp;
        r.sig = unbounded_sig;
        r.flags = inexact_flag;
        r.rounded_up = d.incremented;
        return r;
    }

    if (!c.masked(exc::UE) && !(wrap_unmasked && rexp + 24576 < f.min_exp)) {
        // Unmasked underflow is signalled on tininess alone, exact or not (SDM Vol. 1, 4.9.1.5).
        r.flags = exc::UE | inexact_flag;
        r.exp = wrap_unmasked ? rexp + 24576 : rexp;
        r.sig = unbounded_sig;
        r.rounded_up = d.incremented;
        return r;
    }

    if (!c.masked(exc::UE)) {
        // Massive underflow with UE unmasked: the wrapped exponent is still too small, and the
        // chips deliver a signed zero (measured with FSCALE).
        r.exp = f.min_exp;
        r.sig = 0;
        r.flags = exc::UE | exc::PE;
        return r;
    }

    // Masked underflow: denormalise, then round at the destination's fixed lowest bit.
    const std::int64_t shift = std::int64_t{f.min_exp} - exp;
    const unsigned total_drop = shift > 200 ? 200u : drop + static_cast<unsigned>(shift);
    const Dropped dd = round_drop(sig, total_drop, sign, c.rc);
    r.exp = f.min_exp;
    r.sig = dd.kept.lo << (64 - p);  // a carry into bit p-1 makes it the smallest normal
    r.flags = dd.inexact ? (exc::UE | exc::PE) : 0;
    r.rounded_up = dd.incremented;
    return r;
}

FpResult round_pack(bool sign, std::int32_t exp, U128 sig, Format f, FpControl c) {
    const Rounded r = round_value(sign, exp, sig, f, c, true);
    FpResult out{};
    out.flags = r.flags;
    out.rounded_up = r.rounded_up;
    if (r.infinity) {
        out.value = sign ? kNegativeInfinity : kPositiveInfinity;
    } else if (r.sig == 0) {
        out.value = Float80::make(sign, 0, 0);
    } else if ((r.sig >> 63) == 0) {
        out.value = Float80::make(sign, 0, r.sig);  // denormal: exp is the minimum, encoded as 0
    } else {
        out.value = Float80::make(sign, static_cast<std::uint16_t>(r.exp & 0x7FFF), r.sig);
    }
    return out;
}

FpResult propagate_nan(Float80 a, Float80 b) {
    const FpClass ca = classify(a), cb = classify(b);
    const bool a_nan = is_nan_class(ca), b_nan = is_nan_class(cb);
    FpResult r{};
    if (ca == FpClass::SignalingNaN || cb == FpClass::SignalingNaN) r.flags = exc::IE;
    if (!b_nan) {
        r.value = quieted(a);
        return r;
    }
    if (!a_nan) {
        r.value = quieted(b);
        return r;
    }
    // Both NaN: a QNaN beats an SNaN; otherwise the larger significand.
    if (ca != cb) {
        r.value = ca == FpClass::QuietNaN ? a : b;
        return r;
    }
    const std::uint64_t ma = a.significand, mb = b.significand;
    Float80 pick = a;
    if (ma < mb)
        pick = b;
    else if (ma == mb && a.sign() && !b.sign())
        pick = b;
    r.value = quieted(pick);
    return r;
}

FpResult propagate_nan(Float80 a) {
    FpResult r{};
    if (classify(a) == FpClass::SignalingNaN) r.flags = exc::IE;
    r.value = quieted(a);
    return r;
}

Float80 from_magnitude(bool sign, std::uint64_t magnitude) {
    if (magnitude == 0) return Float80::make(sign, 0, 0);
    const int lz = std::countl_zero(magnitude);
    return Float80::make(sign, static_cast<std::uint16_t>(16383 + 63 - lz), magnitude << lz);
}

}  // namespace detail
}  // namespace lantern::fpu
