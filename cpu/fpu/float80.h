// Float80: the x87 double extended-precision format, implemented in integer arithmetic.
//
// Layout (Intel SDM Vol. 1, 4.2.2 and Figure 4-3): 1 sign bit, a 15-bit exponent biased by
// 16383, and a 64-bit significand whose bit 63 is the *explicit* integer bit. Every operation
// here is a pure function of its operands and an FpControl (RC, PC, exception masks) and reports
// the x87 exception flags it raised plus whether the result was rounded up (the C1 bit). Nothing
// touches host floating point, so results are bit-identical on every host.
//
// Responses follow the x87 rules (SDM Vol. 1, 4.9 and 8.5): with an exception masked the
// operation delivers the masked response (QNaN indefinite, +/-inf or largest finite, denormal);
// with OE/UE unmasked a register result is delivered with its exponent wrapped by 24576
// (SDM 8.5.4/8.5.5); with IE/DE/ZE unmasked the caller (FpuState) must not store the value.
#pragma once

#include <array>
#include <cstdint>

namespace lantern::fpu {

struct Float80 {
    std::uint64_t significand = 0;   // bit 63 = explicit integer bit
    std::uint16_t sign_exponent = 0; // bit 15 = sign, bits 14..0 = biased exponent

    static constexpr std::uint16_t kBias = 16383;
    static constexpr std::uint16_t kMaxExponent = 0x7FFF;

    static constexpr Float80 make(bool sign, std::uint16_t exponent, std::uint64_t significand) {
        return {significand, static_cast<std::uint16_t>((sign ? 0x8000u : 0u) | (exponent & 0x7FFFu))};
    }
    constexpr bool sign() const { return (sign_exponent & 0x8000u) != 0; }
    constexpr std::uint16_t exponent() const { return sign_exponent & 0x7FFFu; }
    constexpr Float80 with_sign(bool s) const { return make(s, exponent(), significand); }
    constexpr Float80 negated() const { return with_sign(!sign()); }
    constexpr Float80 abs() const { return with_sign(false); }

    // Little-endian memory image, as FLD/FSTP m80 and FSAVE use it.
    std::array<std::uint8_t, 10> to_bytes() const;
    static Float80 from_bytes(const std::uint8_t* bytes);

    constexpr bool operator==(const Float80&) const = default;
};

// Frequently used encodings (SDM Vol. 1, Table 4-3 and 4.8.3.7).
inline constexpr Float80 kPositiveZero = Float80::make(false, 0, 0);
inline constexpr Float80 kNegativeZero = Float80::make(true, 0, 0);
inline constexpr Float80 kPositiveInfinity = Float80::make(false, 0x7FFF, 0x8000000000000000u);
inline constexpr Float80 kNegativeInfinity = Float80::make(true, 0x7FFF, 0x8000000000000000u);
inline constexpr Float80 kOne = Float80::make(false, 0x3FFF, 0x8000000000000000u);
// "Real indefinite": the QNaN every masked invalid operation returns.
inline constexpr Float80 kIndefinite = Float80::make(true, 0x7FFF, 0xC000000000000000u);

// Control word RC field (SDM Vol. 1, Table 4-8).
enum class RoundingMode : std::uint8_t { Nearest = 0, Down = 1, Up = 2, TowardZero = 3 };
// Control word PC field (SDM Vol. 1, Table 8-2). Reserved (01) behaves as Extended here; see
// the differential tests for what the host does.
enum class PrecisionControl : std::uint8_t { Single = 0, Reserved = 1, Double = 2, Extended = 3 };

// Exception flag bits, in status-word / control-word-mask order (SDM Vol. 1, 8.1.3.1).
namespace exc {
inline constexpr std::uint8_t IE = 0x01;  // invalid operation
inline constexpr std::uint8_t DE = 0x02;  // denormal operand
inline constexpr std::uint8_t ZE = 0x04;  // zero divide
inline constexpr std::uint8_t OE = 0x08;  // overflow
inline constexpr std::uint8_t UE = 0x10;  // underflow
inline constexpr std::uint8_t PE = 0x20;  // precision (inexact)
inline constexpr std::uint8_t SF = 0x40;  // stack fault (status word only, always with IE)
inline constexpr std::uint8_t kAll = 0x3F;
}  // namespace exc

// The parts of the control word an arithmetic operation needs.
struct FpControl {
    RoundingMode rc = RoundingMode::Nearest;
    PrecisionControl pc = PrecisionControl::Extended;
    std::uint8_t masks = exc::kAll;  // 1 = masked

    static constexpr FpControl from_control_word(std::uint16_t cw) {
        return {static_cast<RoundingMode>((cw >> 10) & 3u), static_cast<PrecisionControl>((cw >> 8) & 3u),
                static_cast<std::uint8_t>(cw & exc::kAll)};
    }
    constexpr bool masked(std::uint8_t flag) const { return (masks & flag) != 0; }
};

// A rounded result: the value to deliver, the exception flags raised, and C1 ("rounded up":
// the delivered magnitude is larger than the exact one, SDM Vol. 1, 8.1.3.3).
struct FpResult {
    Float80 value{};
    std::uint8_t flags = 0;
    bool rounded_up = false;
};

// Operand classes. Unsupported covers the encodings the 387 and later reject with IE:
// pseudo-NaN, pseudo-infinity and unnormals (SDM Vol. 1, 8.2.2, Table 8-3).
enum class FpClass : std::uint8_t {
    Zero, Normal, Denormal, PseudoDenormal, Infinity, QuietNaN, SignalingNaN, Unsupported
};
FpClass classify(Float80 x);
inline bool is_nan(Float80 x) {
    const FpClass c = classify(x);
    return c == FpClass::QuietNaN || c == FpClass::SignalingNaN;
}
inline bool is_denormal(Float80 x) {
    const FpClass c = classify(x);
    return c == FpClass::Denormal || c == FpClass::PseudoDenormal;
}

// ---- Basic arithmetic (float80_arith.cpp). PC applies to these five (SDM Vol. 1, 8.1.5.2). ----
FpResult add(Float80 a, Float80 b, FpControl c);
FpResult sub(Float80 a, Float80 b, FpControl c);  // a - b
FpResult mul(Float80 a, Float80 b, FpControl c);
FpResult div(Float80 a, Float80 b, FpControl c);  // a / b
FpResult sqrt(Float80 a, FpControl c);

// ---- Comparison, rounding and the stack-free x87 helpers (float80_misc.cpp). ----
enum class Relation : std::uint8_t { Less, Equal, Greater, Unordered };
struct CompareResult {
    Relation relation = Relation::Unordered;
    std::uint8_t flags = 0;
};
// `quiet`: FUCOM-style (only SNaN/unsupported raise IE); otherwise FCOM-style (any NaN raises IE).
CompareResult compare(Float80 a, Float80 b, bool quiet);

FpResult round_to_integer(Float80 a, FpControl c);  // FRNDINT: RC only, never PC
FpResult scale(Float80 a, Float80 b, FpControl c);  // FSCALE: a * 2^trunc(b)

struct ExtractResult {  // FXTRACT: ST(0) = significand, ST(1) = exponent
    Float80 exponent{};
    Float80 significand{};
    std::uint8_t flags = 0;
};
ExtractResult extract(Float80 a);

struct RemainderResult {  // FPREM / FPREM1
    Float80 value{};
    std::uint8_t flags = 0;
    std::uint8_t quotient_bits = 0;  // Q2 Q1 Q0 in bits 2..0 (-> C0, C3, C1); 0 when incomplete
    bool incomplete = false;         // -> C2
    bool quotient_valid = false;     // false: NaN/invalid result, C0/C3 kept and C1 cleared
};
RemainderResult partial_remainder(Float80 a, Float80 b, bool ieee, FpControl c);

// The FLDxx constants (SDM Vol. 1, 8.3.5): rounded from a 66-bit internal value per RC.
enum class FpConstant : std::uint8_t { One, L2T, L2E, Pi, LG2, LN2, Zero };
Float80 load_constant(FpConstant k, RoundingMode rc);

// ---- Conversions (float80_convert.cpp). ----
Float80 from_int(std::int64_t v);  // FILD, FIADD etc.: always exact

struct IntResult {
    std::int64_t value = 0;
    std::uint8_t flags = 0;
    bool rounded_up = false;
};
// FIST/FISTP (`truncate` = false, rounds per RC) and FISTTP (`truncate` = true). `bits` is 16,
// 32 or 64; out-of-range, NaN and infinity give IE and the integer indefinite (sign bit only).
IntResult to_int(Float80 a, unsigned bits, bool truncate, FpControl c);

// FLD m32fp/m64fp. `load_*` applies FLD's rules (SNaN -> IE + QNaN, denormal -> DE);
// `widen_*` keeps an SNaN signalling so the arithmetic instruction using the operand raises IE.
FpResult widen_f32(std::uint32_t bits);
FpResult widen_f64(std::uint64_t bits);
FpResult load_f32(std::uint32_t bits);
FpResult load_f64(std::uint64_t bits);

struct F32Result {
    std::uint32_t bits = 0;
    std::uint8_t flags = 0;
    bool rounded_up = false;
};
struct F64Result {
    std::uint64_t bits = 0;
    std::uint8_t flags = 0;
    bool rounded_up = false;
};
// FST m32fp/m64fp: rounded per RC into the destination's precision and exponent range.
F32Result to_f32(Float80 a, FpControl c);
F64Result to_f64(Float80 a, FpControl c);

// Packed BCD (SDM Vol. 1, 4.7): 18 digits, two per byte from byte 0 up, sign in bit 79.
using Bcd80 = std::array<std::uint8_t, 10>;
Float80 from_bcd(const Bcd80& bcd);  // FBLD: exact; invalid digits are undefined on hardware
struct BcdResult {
    Bcd80 bcd{};
    std::uint8_t flags = 0;
    bool rounded_up = false;
};
BcdResult to_bcd(Float80 a, FpControl c);  // FBSTP
inline constexpr Bcd80 kBcdIndefinite{0, 0, 0, 0, 0, 0, 0, 0xC0, 0xFF, 0xFF};

// ---- Transcendentals (float80_transcendental.cpp). Always rounded to 64 bits per RC. ----
// Correctly rounded from a ~120-bit intermediate (so within 1 ulp, and in practice exact),
// except where the chips' own documented-as-undefined or 1-ulp behaviour is reproduced for
// status-word fidelity: FSIN/FPTAN return x for |x| < 2^-68 / 2^-32, F2XM1 returns x (PE) for
// |x| > 1, FYL2X reports PE even for exact powers of two. FYL2XP1 outside |x| < 1 - sqrt(2)/2
// is evaluated mathematically (the chips return assorted values there).
// The trig results carry `out_of_range` (C2 = 1, operand left unchanged) for |x| >= 2^63.
struct TrigResult {
    FpResult value{};
    bool out_of_range = false;
};
struct TrigPairResult {  // FSINCOS (sin, cos) and FPTAN (tan, 1.0)
    FpResult first{};
    FpResult second{};
    bool out_of_range = false;
};
// How the argument of FSIN/FCOS/FSINCOS/FPTAN is reduced modulo pi/2. Exact uses a 448-bit pi
// and gives the mathematically correct answer; Hardware66 reduces with the 66-bit pi the x87
// uses (SDM Vol. 1, 8.3.10) and so reproduces real-chip results for large arguments.
enum class TrigReduction : std::uint8_t { Exact, Hardware66 };

TrigResult fsin(Float80 a, FpControl c, TrigReduction r = TrigReduction::Exact);
TrigResult fcos(Float80 a, FpControl c, TrigReduction r = TrigReduction::Exact);
TrigPairResult fsincos(Float80 a, FpControl c, TrigReduction r = TrigReduction::Exact);
TrigPairResult fptan(Float80 a, FpControl c, TrigReduction r = TrigReduction::Exact);
FpResult fpatan(Float80 y, Float80 x, FpControl c);  // atan2(ST(1), ST(0))
FpResult f2xm1(Float80 a, FpControl c);              // 2^a - 1
FpResult fyl2x(Float80 y, Float80 x, FpControl c);   // y * log2(x)
FpResult fyl2xp1(Float80 y, Float80 x, FpControl c); // y * log2(x + 1)

}  // namespace lantern::fpu
