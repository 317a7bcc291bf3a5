// The x87 rows run through the interpreter: loads and stores in every memory format, arithmetic
// (results checked against the cpu/fpu core functions, not against the interpreter), compares
// and their flags, FNSTSW AX, stack faults, FCMOVcc, FXAM and FPTAN. 32-bit flat protected mode
// on the P6 unless a test says otherwise; programs are assembled by x87_rig.h's emitter.
#include <doctest/doctest.h>

#include "x87_rig.h"

using namespace x87test;
using fpu::Float80;

namespace {
constexpr std::uint64_t kPi64 = 0x400921FB54442D18u;  // pi as a double
constexpr std::uint64_t kE64 = 0x4005BF0A8B145769u;   // e as a double
constexpr std::uint64_t kQNaN64 = 0x7FF8000000000000u;
}  // namespace

TEST_CASE("x87: FLD and FSTP round-trip every memory format") {
    Rig r;
    struct Format {
        std::uint8_t load_esc;
        unsigned load_reg;
        std::uint8_t store_esc;
        unsigned store_reg;
        unsigned bytes;
        std::uint64_t lo;
        std::uint16_t hi;  // bytes 8-9 of the 10-byte formats
    };
    const Format formats[] = {
        {0xD9, 0, 0xD9, 3, 4, 0xC0490FDBu, 0},                     // m32fp: -pi
        {0xDD, 0, 0xDD, 3, 8, kPi64, 0},                           // m64fp
        {0xDB, 5, 0xDB, 7, 10, 0xC90FDAA22168C235u, 0xC000},       // m80fp: -pi, full precision
        {0xDF, 0, 0xDF, 3, 2, 0xCFC7, 0},                          // m16int: -12345
        {0xDB, 0, 0xDB, 3, 4, 0x87654321u, 0},                     // m32int
        {0xDF, 5, 0xDF, 7, 8, 0x8000000000000001u, 0},             // m64int: -(2^63 - 1)
        {0xDF, 4, 0xDF, 6, 10, 0x9078563412785634u, 0x8012},       // m80bcd: -123456789012345678
    };
    Code c(true);
    c.fninit();
    for (unsigned k = 0; k < std::size(formats); ++k) {
        const Format& f = formats[k];
        const std::uint32_t src = kData + 16 * k, dst = kData + 0x100 + 16 * k;
        r.put64(src, f.lo);
        if (f.bytes == 10) r.put32(src + 8, f.hi);
        c.mem(f.load_esc, f.load_reg, src).mem(f.store_esc, f.store_reg, dst);
    }
    c.hlt();
    r.run(c);
    CHECK(r.no_exception());
    for (unsigned k = 0; k < std::size(formats); ++k) {
        INFO("format " << k);
        const Format& f = formats[k];
        const std::uint32_t dst = kData + 0x100 + 16 * k;
        CHECK(r.get(dst, f.bytes < 8 ? f.bytes : 8) == (f.bytes < 8 ? f.lo & ((1ull << (8 * f.bytes)) - 1) : f.lo));
        if (f.bytes == 10) CHECK(r.get(dst + 8, 2) == f.hi);
    }
    CHECK((r.fpu().status & (fpu::exc::kAll | fpu::sw::TopMask)) == 0);
    CHECK(r.fpu().tags == 0xFFFF);
}

TEST_CASE("x87: FST and FIST keep the value on the stack; FSTP m32fp of an empty ST(0)") {
    Rig r;
    r.put64(kData, kE64);
    Code c(true);
    c.fninit().mem(0xDD, 0, kData).mem(0xD9, 2, kData + 0x10).mem(0xDB, 2, kData + 0x20).mem(0xDF, 2, kData + 0x30);
    c.reg(0xDD, 0xD8);             // fstp st0: empty again
    c.mem(0xD9, 3, kData + 0x40);  // fstp dword: stack underflow, masked: stores the indefinite
    c.hlt();
    r.run(c);
    CHECK(r.get(kData + 0x10, 4) == fpu::to_f32(from_f64(kE64), kDefaultControl).bits);
    CHECK(r.get(kData + 0x20, 4) == 3);
    CHECK(r.get(kData + 0x30, 2) == 3);
    CHECK(r.get(kData + 0x40, 4) == 0xFFC00000u);
    CHECK((r.fpu().status & (fpu::exc::IE | fpu::sw::SF)) == (fpu::exc::IE | fpu::sw::SF));
    CHECK(r.fpu().top() == 1);  // the masked response still pops
}

TEST_CASE("x87: arithmetic matches the core, in every operand order") {
    Rig r;
    const std::uint32_t A = kData, B = kData + 8, I = kData + 16, R = kData + 0x100;
    r.put64(A, kPi64);
    r.put64(B, kE64);
    r.put32(I, static_cast<std::uint32_t>(-7));
    Code c(true);
    c.fninit();
    auto out = [&](unsigned k) { c.mem(0xDB, 7, R + 16 * k); };  // fstp tword [R+16k]
    c.mem(0xDD, 0, A).mem(0xDC, 0, B); out(0);                     // fadd qword [B]
    c.mem(0xDD, 0, A).mem(0xDC, 6, B); out(1);                     // fdiv qword [B]
    c.mem(0xDD, 0, A).mem(0xDD, 0, B).reg(0xDE, 0xE9); out(2);     // fsubp st1, st0: A - B
    c.mem(0xDD, 0, A).mem(0xDD, 0, B).reg(0xDE, 0xE1); out(3);     // fsubrp st1, st0: B - A
    c.mem(0xDD, 0, A).mem(0xDD, 0, B).reg(0xDC, 0xF9);             // fdiv st1, st0: ST1 = A / B
    c.reg(0xDD, 0xD8); out(4);                                     // fstp st0, then the quotient
    c.mem(0xDD, 0, A).mem(0xDD, 0, B).reg(0xD8, 0xF9); out(5);     // fdivr st0, st1: ST0 = A / B
    c.reg(0xDD, 0xD8);
    c.mem(0xDD, 0, A).mem(0xDA, 1, I); out(6);                     // fimul dword [I]
    c.mem(0xDD, 0, A).reg(0xD9, 0xFA); out(7);                     // fsqrt
    c.mem(0xDD, 0, A).reg(0xD8, 0xC8); out(8);                     // fmul st0, st0
    c.mem(0xDD, 0, B).reg(0xD9, 0xFE); out(9);                     // fsin
    c.mem(0xDD, 0, A).mem(0xDC, 5, B); out(10);                    // fsubr qword [B]: B - A
    c.mem(0xDD, 0, A).reg(0xD9, 0xFE); out(11);                    // fsin of pi (as a double)
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    const Float80 a = from_f64(kPi64), b = from_f64(kE64);
    const fpu::FpControl k = kDefaultControl;
    CHECK(r.get80(R + 0) == fpu::add(a, b, k).value);
    CHECK(r.get80(R + 16) == fpu::div(a, b, k).value);
    CHECK(r.get80(R + 32) == fpu::sub(a, b, k).value);
    CHECK(r.get80(R + 48) == fpu::sub(b, a, k).value);
    CHECK(r.get80(R + 64) == fpu::div(a, b, k).value);
    CHECK(r.get80(R + 80) == fpu::div(a, b, k).value);
    CHECK(r.get80(R + 96) == fpu::mul(a, fpu::from_int(-7), k).value);
    CHECK(r.get80(R + 112) == fpu::sqrt(a, k).value);
    CHECK(r.get80(R + 128) == fpu::mul(a, a, k).value);
    CHECK(r.get80(R + 144) == fpu::fsin(b, k, fpu::TrigReduction::Hardware66).value.value);
    CHECK(r.get80(R + 160) == fpu::sub(b, a, k).value);
    // Near a multiple of pi the chips' 66-bit pi shows: the hardware reduction, not the exact one.
    const Float80 sin_hw = fpu::fsin(a, k, fpu::TrigReduction::Hardware66).value.value;
    CHECK(sin_hw != fpu::fsin(a, k, fpu::TrigReduction::Exact).value.value);
    CHECK(r.get80(R + 176) == sin_hw);
    CHECK(r.fpu().top() == 0);
    CHECK(r.fpu().tags == 0xFFFF);
    CHECK((r.fpu().status & fpu::exc::PE) != 0);
}

TEST_CASE("x87: FCOM/FUCOM condition codes through FNSTSW AX") {
    Rig r;
    const std::uint32_t A = kData, B = kData + 8, N = kData + 16, S = kData + 0x100;
    r.put64(A, kPi64);
    r.put64(B, kE64);
    r.put64(N, kQNaN64);
    Code c(true);
    c.fninit().mem(0xDD, 0, B).mem(0xDD, 0, A);  // ST0 = pi, ST1 = e
    c.reg(0xD8, 0xD1).reg(0xDF, 0xE0).store_ax(S);        // fcom st1: greater
    c.mem(0xDC, 2, A).reg(0xDF, 0xE0).store_ax(S + 2);    // fcom qword [A]: equal
    c.reg(0xD9, 0xC9).reg(0xD8, 0xD1).reg(0xDF, 0xE0).store_ax(S + 4);  // fxch; fcom st1: less
    c.mem(0xDD, 0, N).reg(0xDD, 0xE1).reg(0xDF, 0xE0).store_ax(S + 6);  // fucom st1 with a QNaN
    c.reg(0xDB, 0xE2);                                    // fnclex
    c.reg(0xD8, 0xD1).reg(0xDF, 0xE0).store_ax(S + 8);    // fcom st1 with a QNaN: IE
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    CHECK(codes(static_cast<std::uint16_t>(r.get(S, 2))) == Codes{false, false, false, false});
    CHECK(codes(static_cast<std::uint16_t>(r.get(S + 2, 2))) == Codes{true, false, false, false});
    CHECK(codes(static_cast<std::uint16_t>(r.get(S + 4, 2))) == Codes{false, false, false, true});
    const auto fucom = static_cast<std::uint16_t>(r.get(S + 6, 2));
    CHECK(codes(fucom) == Codes{true, true, false, true});
    CHECK((fucom & fpu::exc::IE) == 0);  // a QNaN is no invalid operation for FUCOM
    const auto fcom = static_cast<std::uint16_t>(r.get(S + 8, 2));
    CHECK(codes(fcom) == Codes{true, true, false, true});
    CHECK((fcom & fpu::exc::IE) != 0);  // but it is for FCOM
    // FNSTSW AX stores TOP too: three values pushed.
    CHECK(((fcom & fpu::sw::TopMask) >> fpu::sw::TopShift) == 5);
}

TEST_CASE("x87: FCOMI/FCOMIP/FUCOMI set ZF, PF, CF and clear OF, SF, AF (P6)") {
    Rig r;
    const std::uint32_t A = kData, B = kData + 8, N = kData + 16;
    r.put64(A, kPi64);
    r.put64(B, kE64);
    r.put64(N, kQNaN64);
    Code c(true);
    c.fninit().mem(0xDD, 0, A).mem(0xDD, 0, B);  // ST0 = e, ST1 = pi
    c.set_flags(0x000008D7).reg(0xDB, 0xF1).pushfd();  // fcomi st0, st1: less
    c.reg(0xD9, 0xC9).reg(0xDB, 0xF1).pushfd();        // fxch; fcomi: greater
    c.reg(0xDF, 0xF1).pushfd();                        // fcomip: greater, pops
    c.reg(0xD9, 0xC0).reg(0xDB, 0xE9).pushfd();        // fld st0; fucomi: equal
    c.mem(0xDD, 0, N).reg(0xDB, 0xE9).pushfd();        // fucomi with a QNaN: unordered
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    auto flags_at = [&](unsigned k) { return static_cast<std::uint32_t>(r.get(kStack - 4 * (k + 1), 4)) & 0xFFF; };
    constexpr std::uint32_t kMask = flag::OF | flag::SF | flag::AF | flag::ZF | flag::PF | flag::CF;
    CHECK((flags_at(0) & kMask) == flag::CF);
    CHECK((flags_at(1) & kMask) == 0);
    CHECK((flags_at(2) & kMask) == 0);
    CHECK((flags_at(3) & kMask) == flag::ZF);
    CHECK((flags_at(4) & kMask) == (flag::ZF | flag::PF | flag::CF));
    CHECK(r.fpu().top() == 5);  // e, e, NaN: FCOMIP popped pi
    CHECK((r.fpu().status & fpu::exc::IE) == 0);
    // C0-C3 are not FCOMI's business.
    CHECK(codes(r.fpu().status) == Codes{false, false, false, false});
}

TEST_CASE("x87: FCOMI and FCMOVcc are #UD before the P6") {
    Rig r(CpuModel::Pentium);
    Code c(true);
    c.fninit().reg(0xD9, 0xE8).reg(0xD9, 0xEE).reg(0xDB, 0xF1).hlt();
    r.run(c);
    CHECK(r.faulted(vec::UD));
    Rig r2(CpuModel::Pentium);
    Code c2(true);
    c2.fninit().reg(0xD9, 0xE8).reg(0xD9, 0xEE).reg(0xDA, 0xC1).hlt();
    r2.run(c2);
    CHECK(r2.faulted(vec::UD));
}

TEST_CASE("x87: stack overflow and underflow, masked") {
    Rig r;
    Code c(true);
    c.fninit();
    for (int k = 0; k < 8; ++k) c.reg(0xD9, 0xE8);  // fld1 x 8: full
    c.reg(0xD9, 0xEB);                               // fldpi: overflow
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    const std::uint16_t sw = r.fpu().status;
    CHECK((sw & (fpu::exc::IE | fpu::sw::SF)) == (fpu::exc::IE | fpu::sw::SF));
    CHECK((sw & fpu::sw::C1) != 0);  // C1 = 1: overflow
    CHECK(r.fpu().st(0) == fpu::kIndefinite);
    CHECK((sw & fpu::sw::ES) == 0);  // masked: nothing pending

    Rig u;
    Code d(true);
    d.fninit().reg(0xD9, 0xE8).reg(0xD8, 0xC1).hlt();  // fld1; fadd st0, st1 (ST1 empty)
    u.run(d);
    REQUIRE(u.no_exception());
    CHECK((u.fpu().status & (fpu::exc::IE | fpu::sw::SF | fpu::sw::C1)) == (fpu::exc::IE | fpu::sw::SF));
    CHECK(u.fpu().st(0) == fpu::kIndefinite);
    CHECK(u.fpu().top() == 7);
}

TEST_CASE("x87: FCMOVcc moves ST(i) to ST(0) when the condition holds (P6)") {
    Rig r;
    const std::uint32_t R = kData + 0x100;
    Code c(true);
    c.fninit().reg(0xD9, 0xE8).reg(0xD9, 0xEE);  // ST0 = 0, ST1 = 1
    c.bytes({0xF9}).reg(0xDA, 0xC1);  // stc; fcmovb st0, st1: taken
    c.mem(0xDB, 7, R).reg(0xD9, 0xEE);  // store, fldz
    c.reg(0xDB, 0xC1);                  // fcmovnb: CF still 1, not taken
    c.mem(0xDB, 7, R + 16).reg(0xD9, 0xEE);
    c.bytes({0x31, 0xC0});              // xor eax, eax: ZF = 1, PF = 1, CF = 0
    c.reg(0xDA, 0xC9);                  // fcmove: taken
    c.mem(0xDB, 7, R + 32).reg(0xD9, 0xEE);
    c.reg(0xDB, 0xD9);                  // fcmovnu: PF = 1, not taken
    c.mem(0xDB, 7, R + 48).reg(0xD9, 0xEE);
    c.reg(0xDA, 0xD1);                  // fcmovbe: ZF = 1, taken
    c.mem(0xDB, 7, R + 64);
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    CHECK(r.get80(R) == fpu::kOne);
    CHECK(r.get80(R + 16) == fpu::kPositiveZero);
    CHECK(r.get80(R + 32) == fpu::kOne);
    CHECK(r.get80(R + 48) == fpu::kPositiveZero);
    CHECK(r.get80(R + 64) == fpu::kOne);
}

TEST_CASE("x87: FXAM classifies ST(0), C1 = sign") {
    Rig r;
    const std::uint32_t V = kData, S = kData + 0x100;
    r.put64(V, 0xFFF0000000000000u);                                // -inf
    r.put64(V + 8, kQNaN64);                                        // NaN
    r.put64(V + 16, 0xBFF8000000000000u);                           // -1.5
    r.put80(V + 32, Float80::make(false, 0, 0x0000000000000001u));  // denormal
    Code c(true);
    c.fninit().reg(0xD9, 0xE5).reg(0xDF, 0xE0).store_ax(S);                    // empty
    c.reg(0xD9, 0xEE).reg(0xD9, 0xE5).reg(0xDF, 0xE0).store_ax(S + 2);         // +0
    c.mem(0xDD, 0, V).reg(0xD9, 0xE5).reg(0xDF, 0xE0).store_ax(S + 4);         // -inf
    c.mem(0xDD, 0, V + 8).reg(0xD9, 0xE5).reg(0xDF, 0xE0).store_ax(S + 6);     // NaN
    c.mem(0xDD, 0, V + 16).reg(0xD9, 0xE5).reg(0xDF, 0xE0).store_ax(S + 8);    // normal
    c.mem(0xDB, 5, V + 32).reg(0xD9, 0xE5).reg(0xDF, 0xE0).store_ax(S + 10);   // denormal
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    auto at = [&](unsigned k) { return codes(static_cast<std::uint16_t>(r.get(S + 2 * k, 2))); };
    CHECK(at(0).c3);  // empty: C3 C2 C0 = 101
    CHECK(!at(0).c2);
    CHECK(at(0).c0);
    CHECK(at(1) == Codes{true, false, false, false});   // zero, positive
    CHECK(at(2) == Codes{false, true, true, true});     // infinity, negative
    CHECK(at(3) == Codes{false, false, false, true});   // NaN
    CHECK(at(4) == Codes{false, true, true, false});    // normal, negative
    CHECK(at(5) == Codes{true, true, false, false});    // denormal
}

TEST_CASE("x87: FPTAN replaces ST(0) with tan and pushes 1.0; constants") {
    Rig r;
    const std::uint32_t X = kData, R = kData + 0x100;
    r.put64(X, 0x3FE0000000000000u);  // 0.5
    Code c(true);
    c.fninit().mem(0xDD, 0, X).reg(0xD9, 0xF2);  // fptan
    c.mem(0xDB, 7, R).mem(0xDB, 7, R + 16);
    c.reg(0xD9, 0xEB).mem(0xDB, 7, R + 32);      // fldpi
    c.reg(0xD9, 0xEC).mem(0xDB, 7, R + 48);      // fldlg2
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    CHECK(r.get80(R) == fpu::kOne);
    CHECK(r.get80(R + 16) == fpu::fptan(from_f64(0x3FE0000000000000u), kDefaultControl,
                                        fpu::TrigReduction::Hardware66).first.value);
    CHECK(r.get80(R + 32) == fpu::load_constant(fpu::FpConstant::Pi, fpu::RoundingMode::Nearest));
    CHECK(r.get80(R + 48) == fpu::load_constant(fpu::FpConstant::LG2, fpu::RoundingMode::Nearest));
    CHECK(r.fpu().top() == 0);
}

TEST_CASE("x87: register-stack housekeeping and the undocumented aliases") {
    Rig r;
    const std::uint32_t R = kData + 0x100;
    Code c(true);
    c.fninit().reg(0xD9, 0xE8).reg(0xD9, 0xEB);  // ST0 = pi, ST1 = 1
    c.reg(0xDD, 0xC9);                           // FXCH4 st1: ST0 = 1, ST1 = pi
    c.reg(0xD9, 0xD9);                           // FSTP1 st1: ST1 = 1, pop -> ST0 = 1
    c.mem(0xDB, 7, R);                           // 1.0, stack empty
    c.reg(0xD9, 0xEB).reg(0xDF, 0xC0);           // fldpi; ffreep st0: empty again
    c.reg(0xD9, 0xE8).reg(0xD9, 0xF6).reg(0xD9, 0xF7);  // fld1; fdecstp; fincstp
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    CHECK(r.get80(R) == fpu::kOne);
    CHECK(r.fpu().top() == 7);
    CHECK(r.fpu().st(0) == fpu::kOne);
    CHECK(r.fpu().tags == 0x3FFF);  // only R7 in use
}
