// Conversions between Float80 and the other x87 memory formats: integers (FILD/FIST/FISTTP),
// single and double real (FLD/FST m32fp/m64fp) and packed BCD (FBLD/FBSTP). SDM Vol. 1, 4.2 and
// 4.7 give the formats; 4.8.3.7 the indefinites; Vol. 2 the per-instruction exception lists.
#include "cpu/fpu/float80_internal.h"

#include <bit>

namespace lantern::fpu {

using namespace detail;

Float80 from_int(std::int64_t v) {
    const bool neg = v < 0;
    const std::uint64_t mag = neg ? ~static_cast<std::uint64_t>(v) + 1 : static_cast<std::uint64_t>(v);
    // FILD of zero gives +0 (there is no signed zero among the integers).
    return from_magnitude(neg, mag);
}

IntResult to_int(Float80 a, unsigned bits, bool truncate, FpControl c) {
    const std::int64_t indefinite = bits >= 64 ? INT64_MIN : -(std::int64_t{1} << (bits - 1));
    const FpClass ca = classify(a);
    // NaN, infinity and unsupported operands are all invalid for integer stores (SDM Vol. 2, FIST).
    if (is_unsupported(ca) || is_nan_class(ca) || ca == FpClass::Infinity) return {indefinite, exc::IE, false};
    if (ca == FpClass::Zero) return {0, 0, false};
    const Unpacked u = unpack(a);
    const std::int32_t e = u.exp - 16383;
    if (e >= 64) return {indefinite, exc::IE, false};
    const std::int64_t drop = 64 + 63 - std::int64_t{e};
    const RoundingMode rc = truncate ? RoundingMode::TowardZero : c.rc;
    const Dropped d = round_drop(U128{u.sig, 0}, drop > 200 ? 200u : static_cast<unsigned>(drop), u.sign, rc);
    const std::uint64_t limit = u.sign ? (std::uint64_t{1} << (bits - 1)) : (std::uint64_t{1} << (bits - 1)) - 1;
    if (d.kept.hi != 0 || d.kept.lo > limit) return {indefinite, exc::IE, false};
    const std::uint64_t mag = d.kept.lo;
    IntResult r{};
    r.value = u.sign ? static_cast<std::int64_t>(~mag + 1) : static_cast<std::int64_t>(mag);
    r.flags = d.inexact ? exc::PE : 0;
    r.rounded_up = d.incremented;
    return r;
}

namespace {

// Widening a binary interchange format: `frac_bits` fraction bits, exponent bias `bias`.
FpResult widen(bool sign, std::uint32_t field, std::uint64_t frac, unsigned frac_bits, std::uint32_t max_field,
               std::int32_t bias) {
    if (field == 0) {
        if (frac == 0) return {Float80::make(sign, 0, 0), 0, false};
        // Denormal source: exact in extended, but the operand is denormal (DE).
        const int lz = std::countl_zero(frac);
        const std::int32_t exp = 16383 + 63 - lz - (bias - 1 + static_cast<std::int32_t>(frac_bits));
        return {Float80::make(sign, static_cast<std::uint16_t>(exp), frac << lz), exc::DE, false};
    }
    const std::uint64_t sig = 0x8000000000000000u | (frac << (63 - frac_bits));
    if (field == max_field) return {Float80::make(sign, 0x7FFF, sig), 0, false};  // inf or NaN, kind kept
    return {Float80::make(sign, static_cast<std::uint16_t>(field - bias + 16383), sig), 0, false};
}

FpResult quiet_if_signaling(FpResult r) {
    if (classify(r.value) == FpClass::SignalingNaN) {
        r.value = quieted(r.value);
        r.flags |= exc::IE;
    }
    return r;
}

// Narrowing into a binary interchange format; returns the encoded bits. `frac_bits` is the
// fraction width (23 or 52), `field_bias` the format's bias.
struct Narrowed {
    std::uint64_t bits = 0;
    std::uint8_t flags = 0;
    bool rounded_up = false;
};

Narrowed narrow(Float80 a, FpControl c, Format f, unsigned frac_bits, std::int32_t field_bias) {
    const unsigned sign_pos = frac_bits + (frac_bits == 23 ? 8 : 11);
    const std::uint64_t sign_bit = std::uint64_t{a.sign()} << sign_pos;
    const std::uint64_t exp_all_ones = (frac_bits == 23 ? 0xFFull : 0x7FFull) << frac_bits;
    const std::uint64_t quiet_bit = std::uint64_t{1} << (frac_bits - 1);
    const FpClass ca = classify(a);
    if (is_unsupported(ca)) return {(std::uint64_t{1} << sign_pos) | exp_all_ones | quiet_bit, exc::IE, false};  // indefinite
    if (is_nan_class(ca)) {
        // The NaN's top fraction bits survive; the quiet bit is forced (SDM Vol. 1, 4.8.3.5).
        const std::uint64_t frac = (a.significand & 0x7FFFFFFFFFFFFFFFu) >> (63 - frac_bits);
        return {sign_bit | exp_all_ones | quiet_bit | frac,
                ca == FpClass::SignalingNaN ? exc::IE : std::uint8_t{0}, false};
    }
    if (ca == FpClass::Infinity) return {sign_bit | exp_all_ones, 0, false};
    if (ca == FpClass::Zero) return {sign_bit, 0, false};
    // FST m32fp/m64fp never reports DE for a denormal source (SDM Vol. 2, FST lists no #D).
    const Unpacked u = unpack(a);
    const Rounded r = round_value(u.sign, u.exp, U128{u.sig, 0}, f, c, false);
    Narrowed n{};
    n.flags = r.flags;
    n.rounded_up = r.rounded_up;
    const std::uint64_t sig = r.sig >> (63 - frac_bits);  // integer bit at frac_bits
    if (r.infinity) {
        n.bits = sign_bit | exp_all_ones;
    } else if ((r.sig >> 63) == 0) {
        n.bits = sign_bit | sig;  // denormal or zero
    } else {
        // With OE/UE unmasked the value is not stored; clamp so the encoding stays well formed.
        const std::int64_t max_field = static_cast<std::int64_t>(exp_all_ones >> frac_bits) - 1;
        std::int64_t field = std::int64_t{r.exp} - 16383 + field_bias;
        if (field < 1) field = 1;
        if (field > max_field) field = max_field;
        n.bits = sign_bit | (static_cast<std::uint64_t>(field) << frac_bits) | (sig & ((std::uint64_t{1} << frac_bits) - 1));
    }
    return n;
}

}  // namespace

FpResult widen_f32(std::uint32_t bits) {
    return widen((bits >> 31) != 0, (bits >> 23) & 0xFFu, bits & 0x7FFFFFu, 23, 0xFF, 127);
}

FpResult widen_f64(std::uint64_t bits) {
    return widen((bits >> 63) != 0, static_cast<std::uint32_t>((bits >> 52) & 0x7FFu), bits & 0xFFFFFFFFFFFFFu, 52,
                 0x7FF, 1023);
}

FpResult load_f32(std::uint32_t bits) { return quiet_if_signaling(widen_f32(bits)); }
FpResult load_f64(std::uint64_t bits) { return quiet_if_signaling(widen_f64(bits)); }

F32Result to_f32(Float80 a, FpControl c) {
    const Narrowed n = narrow(a, c, kSingle, 23, 127);
    return {static_cast<std::uint32_t>(n.bits), n.flags, n.rounded_up};
}

F64Result to_f64(Float80 a, FpControl c) {
    const Narrowed n = narrow(a, c, kDouble, 52, 1023);
    return {n.bits, n.flags, n.rounded_up};
}

Float80 from_bcd(const Bcd80& bcd) {
    // Most significant digit pair is byte 8. Digits above 9 are "undefined" on hardware; they
    // are simply weighted as their nibble value here, which keeps the result deterministic.
    std::uint64_t mag = 0;
    for (int i = 8; i >= 0; --i) {
        mag = mag * 10 + (bcd[i] >> 4);
        mag = mag * 10 + (bcd[i] & 0xFu);
    }
    return from_magnitude((bcd[9] & 0x80u) != 0, mag);
}

BcdResult to_bcd(Float80 a, FpControl c) {
    BcdResult r{};
    const FpClass ca = classify(a);
    if (is_unsupported(ca) || is_nan_class(ca) || ca == FpClass::Infinity) {
        r.bcd = kBcdIndefinite;
        r.flags = exc::IE;
        return r;
    }
    std::uint64_t mag = 0;
    if (ca != FpClass::Zero) {
        const IntResult i = to_int(a, 64, false, c);
        const std::uint64_t m = (i.flags & exc::IE) ? ~0ull
                                : i.value < 0 ? ~static_cast<std::uint64_t>(i.value) + 1
                                              : static_cast<std::uint64_t>(i.value);
        if (m > 999999999999999999ull) {  // 18 digits (SDM Vol. 2, FBSTP)
            r.bcd = kBcdIndefinite;
            r.flags = exc::IE;
            return r;
        }
        mag = m;
        r.flags = i.flags;
        r.rounded_up = i.rounded_up;
    }
    for (int i = 0; i < 9; ++i) {
        const unsigned lo = static_cast<unsigned>(mag % 10);
        mag /= 10;
        const unsigned hi = static_cast<unsigned>(mag % 10);
        mag /= 10;
        r.bcd[i] = static_cast<std::uint8_t>((hi << 4) | lo);
    }
    r.bcd[9] = a.sign() ? 0x80 : 0x00;  // -0 keeps its sign
    return r;
}

}  // namespace lantern::fpu
