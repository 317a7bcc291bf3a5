// WideFloat arithmetic: truncating 128-bit operations for the transcendental kernels.
#include "cpu/fpu/wide_float.h"

namespace lantern::fpu::detail {

WideFloat wide_normalize(bool sign, std::int32_t exp, U128 sig) {
    if (sig.is_zero()) return {sign, 0, {}};
    const int lz = clz128(sig);
    return {sign, exp - lz, shl128(sig, static_cast<unsigned>(lz))};
}

WideFloat wide_from(Float80 x) {
    if (classify(x) == FpClass::Zero) return {x.sign(), 0, {}};
    const Unpacked u = unpack(x);
    return {u.sign, u.exp - 16383, U128{u.sig, 0}};
}

WideFloat wide_from_int(std::int64_t v) {
    const bool neg = v < 0;
    const std::uint64_t mag = neg ? ~static_cast<std::uint64_t>(v) + 1 : static_cast<std::uint64_t>(v);
    return wide_normalize(neg, 127, U128{0, mag});
}

int wide_compare_magnitude(WideFloat a, WideFloat b) {
    if (a.is_zero() || b.is_zero()) return a.is_zero() ? (b.is_zero() ? 0 : -1) : 1;
    if (a.exp != b.exp) return a.exp < b.exp ? -1 : 1;
    return a.sig < b.sig ? -1 : (b.sig < a.sig ? 1 : 0);
}

WideFloat wide_add(WideFloat a, WideFloat b) {
    if (a.is_zero()) return b;
    if (b.is_zero()) return a;
    if (wide_compare_magnitude(a, b) < 0) std::swap(a, b);  // |a| >= |b|
    const std::int64_t d = std::int64_t{a.exp} - b.exp;
    // One bit of headroom for the carry. b's bits below a's last kept bit are jammed into a
    // sticky bit, so a negligible correction term (sin x = x - x^3/6 for tiny x) still pulls
    // the sum to the correct side of a representable value, which directed rounding needs.
    const U128 big = shr128(a.sig, 1);
    const U128 small = shr128_jam(b.sig, d >= 200 ? 200u : static_cast<unsigned>(d) + 1);
    const U128 sum = a.sign == b.sign ? add128(big, small) : sub128(big, small);
    return wide_normalize(a.sign, a.exp + 1, sum);
}

WideFloat wide_mul(WideFloat a, WideFloat b) {
    if (a.is_zero() || b.is_zero()) return {a.sign != b.sign, 0, {}};
    const U256 p = mul128(a.sig, b.sig);  // value = p * 2^(ea + eb - 254)
    // Keep the top 128 bits (plus the next one if the product's top bit is clear).
    U128 top = p.hi;
    std::int32_t exp = a.exp + b.exp + 1;
    if ((top.hi >> 63) == 0) {
        top = add128(shl128(top, 1), U128{0, p.lo.hi >> 63});
        exp -= 1;
    }
    return {a.sign != b.sign, exp, top};
}

WideFloat wide_div(WideFloat a, WideFloat b) {
    if (a.is_zero()) return {a.sign != b.sign, 0, {}};
    // Restoring division, 128 quotient bits. rem < 2 * divisor always; `carry` is rem's bit 128.
    U128 rem = a.sig;
    const U128 d = b.sig;
    std::int32_t exp = a.exp - b.exp;
    bool carry = false;
    if (rem < d) {  // quotient < 1: pre-shift so the first quotient bit is 1
        carry = (rem.hi >> 63) != 0;
        rem = shl128(rem, 1);
        exp -= 1;
    }
    U128 q{};
    for (int i = 0; i < 128; ++i) {
        q = shl128(q, 1);
        if (carry || rem >= d) {
            rem = sub128(rem, d);
            q.lo |= 1;
        }
        carry = (rem.hi >> 63) != 0;
        rem = shl128(rem, 1);
    }
    return {a.sign != b.sign, exp, q};
}

WideFloat wide_div_small(WideFloat a, std::uint32_t d) {
    if (a.is_zero()) return a;
    // Long division by a 32-bit divisor, 32 bits at a time, with 64 extra quotient bits so
    // the normalised result keeps 128 significant bits.
    std::uint32_t words[6] = {static_cast<std::uint32_t>(a.sig.hi >> 32), static_cast<std::uint32_t>(a.sig.hi),
                              static_cast<std::uint32_t>(a.sig.lo >> 32), static_cast<std::uint32_t>(a.sig.lo), 0, 0};
    std::uint64_t rem = 0;
    std::uint32_t q[6] = {};
    for (int i = 0; i < 6; ++i) {
        const std::uint64_t cur = (rem << 32) | words[i];
        q[i] = static_cast<std::uint32_t>(cur / d);
        rem = cur % d;
    }
    // q[0..5] is a 192-bit quotient = (sig * 2^64) / d; take its top nonzero 128 bits.
    const U128 hi{(std::uint64_t{q[0]} << 32) | q[1], (std::uint64_t{q[2]} << 32) | q[3]};
    const std::uint64_t lo = (std::uint64_t{q[4]} << 32) | q[5];
    const int lz = clz128(hi);  // < 32 because d < 2^32
    U128 sig = shl128(hi, static_cast<unsigned>(lz));
    if (lz) sig.lo |= lo >> (64 - lz);
    return {a.sign, a.exp - lz, sig};
}

FpResult wide_round(WideFloat w, FpControl c, bool inexact) {
    if (w.is_zero()) return {Float80::make(w.sign, 0, 0), static_cast<std::uint8_t>(inexact ? exc::PE : 0), false};
    U128 sig = w.sig;
    if (inexact) sig.lo |= 1;
    // Clamp absurd exponents so the biased value stays in int32 range; rounding still over/underflows.
    std::int64_t e = std::int64_t{w.exp} + 16383;
    if (e > 0x20000) e = 0x20000;
    if (e < -0x20000) e = -0x20000;
    return round_pack(w.sign, static_cast<std::int32_t>(e), sig, kExtended, c);
}

}  // namespace lantern::fpu::detail
