// The execution unit end to end: short instruction sequences as a program would issue them, and
// the FSTENV/FSAVE/FXSAVE images (layouts from SDM Vol. 1, 8.1.10, Figures 8-9..8-12; Vol. 2
// FXSAVE Table 3-53).
#include <doctest/doctest.h>

#include <array>

#include "cpu/fpu/fpu_exec.h"
#include "cpu/fpu/fpu_image.h"

using namespace lantern::fpu;
using exec::ArithOp;

namespace {
constexpr Float80 f(std::uint16_t se, std::uint64_t sig) { return {sig, se}; }
std::uint16_t codes(const FpuState& s) { return s.status & (sw::C3 | sw::C2 | sw::C1 | sw::C0); }
}  // namespace

TEST_SUITE("fpu_exec") {
TEST_CASE("(1 + 2) * 3 - 4 / 8 via the stack") {
    FpuState s{};
    exec::fld_constant(s, FpConstant::One);
    exec::fild(s, 2);
    exec::arith_reg(s, ArithOp::Add, 1, 0, true);              // FADDP ST(1), ST(0)
    exec::arith_mem(s, ArithOp::Mul, exec::operand_int(3));    // FIMUL m16int
    exec::fld_f32(s, 0x40800000u);                             // FLD 4.0f
    exec::arith_mem(s, ArithOp::Div, exec::operand_f64(0x4020000000000000u));  // FDIV 8.0
    exec::arith_reg(s, ArithOp::Sub, 1, 0, true);              // FSUBP: ST(1) = 9 - 0.5
    CHECK(s.st(0) == f(0x4002, 0x8800000000000000u));          // 8.5
    CHECK(s.top() == 7);
    CHECK((s.status & exc::kAll) == 0);
    CHECK(exec::fist(s, 16, true, false) == 8);                // 8.5 -> 8 (to even), pops
    CHECK((s.status & exc::PE) != 0);
    CHECK(s.tags == 0xFFFF);
}

TEST_CASE("reversed forms: FSUBR and FDIVR") {
    FpuState s{};
    exec::fild(s, 10);
    exec::fild(s, 4);
    exec::arith_reg(s, ArithOp::SubR, 0, 1, false);  // ST(0) = ST(1) - ST(0) = 6
    CHECK(s.st(0) == from_int(6));
    exec::arith_mem(s, ArithOp::DivR, exec::operand_int(3));  // ST(0) = 3 / 6
    CHECK(s.st(0) == f(0x3FFE, 0x8000000000000000u));
}

TEST_CASE("comparisons: FCOM codes, FUCOMPP pops, FCOMI flags, FTST") {
    FpuState s{};
    exec::fild(s, 5);
    exec::fild(s, 3);
    exec::fcom_reg(s, 1, false, 0);
    CHECK(codes(s) == sw::C0);  // 3 < 5
    exec::fcom_mem(s, exec::operand_f32(0x40400000u), 0);  // vs 3.0f
    CHECK(codes(s) == sw::C3);
    const exec::EflagsCompare e = exec::fcomi(s, 1, false, false);
    CHECK(e.cf);
    CHECK_FALSE(e.zf);
    exec::ftst(s);
    CHECK(codes(s) == 0);  // 3 > 0
    exec::fcom_reg(s, 1, true, 2);
    CHECK(s.tags == 0xFFFF);
    exec::fld(s, kIndefinite);
    exec::fcom_reg(s, 0, true, 0);  // FUCOM with a QNaN: unordered, no IE
    CHECK(codes(s) == (sw::C3 | sw::C2 | sw::C0));
    CHECK((s.status & exc::IE) == 0);
    exec::fcom_reg(s, 0, false, 0);  // FCOM: IE
    CHECK((s.status & exc::IE) != 0);
}

TEST_CASE("FXCH, FFREE, FINCSTP/FDECSTP, FCMOV, FST ST(i)") {
    FpuState s{};
    exec::fild(s, 1);
    exec::fild(s, 2);
    exec::fxch(s, 1);
    CHECK(s.st(0) == from_int(1));
    CHECK(s.st(1) == from_int(2));
    exec::fcmov(s, 1);
    CHECK(s.st(0) == from_int(2));
    exec::fincstp(s);
    CHECK(s.top() == 7);
    CHECK_FALSE(s.is_empty(7));  // FINCSTP does not free the register it leaves
    exec::fdecstp(s);
    exec::ffree(s, 1);
    CHECK(s.is_empty(1));
    exec::fst_sti(s, 1, false);  // FST into the freed ST(1)
    CHECK(s.st(1) == from_int(2));
    CHECK_FALSE(s.is_empty(1));
}

TEST_CASE("stores: masked and unmasked responses") {
    FpuState s{};
    exec::fld(s, f(0x7FFE, 0x8000000000000000u));
    CHECK(exec::fst_f32(s, false) == 0x7F800000u);  // overflow, masked: +inf
    s.clear_exceptions();
    s.load_control(0x0377);  // OM clear
    CHECK_FALSE(exec::fst_f32(s, true).has_value());  // memory left unchanged, no pop
    CHECK(s.top() == 7);
    CHECK(s.exception_pending());
    FpuState e{};
    CHECK(exec::fst_f64(e, true) == 0xFFF8000000000000u);  // empty: underflow, double indefinite
    CHECK(exec::fist(e, 32, true, false) == INT32_MIN);
    CHECK(exec::fbstp(e) == kBcdIndefinite);
}

TEST_CASE("trig: out-of-range arguments set C2; FPTAN pushes 1.0; FXTRACT pushes") {
    FpuState s{};
    const Float80 huge = f(0x403E, 0x8000000000000000u);  // 2^63
    exec::fld(s, huge);
    exec::fsin(s);
    CHECK((s.status & sw::C2) != 0);
    CHECK(s.st(0) == huge);
    exec::fld_constant(s, FpConstant::Zero);
    exec::fptan(s);
    CHECK((s.status & sw::C2) == 0);
    CHECK(s.st(0) == kOne);
    CHECK(s.st(1) == kPositiveZero);
    FpuState x{};
    exec::fild(x, 12);
    exec::fxtract(x);
    CHECK(x.st(0) == f(0x3FFF, 0xC000000000000000u));
    CHECK(x.st(1) == from_int(3));
}

TEST_CASE("FPREM condition codes") {
    FpuState s{};
    exec::fild(s, 2);
    exec::fild(s, 7);
    exec::fprem(s, false);  // 7 = 3 * 2 + 1
    CHECK(s.st(0) == kOne);
    CHECK(codes(s) == (sw::C3 | sw::C1));  // Q1 = 1, Q0 = 1, Q2 = 0, C2 = 0 (complete)
}

TEST_CASE("FSTENV/FLDENV 16-bit real mode: 20-bit pointers and FOP") {
    FpuState s{};
    exec::fld_constant(s, FpConstant::One);
    exec::note_instruction(s, {0x1234, 0x5678}, 0x1E8, FpuPointer{0xF000, 0x0010});
    const Env16 env = fstenv16(s, EnvMode::Real);
    // FIP linear = 0x12340 + 0x5678 = 0x179B8; FDP linear = 0xF0000 + 0x10 = 0xF0010.
    CHECK(env == Env16{0x7F, 0x03, 0x00, 0x38, 0xFF, 0x3F, 0xB8, 0x79, 0xE8, 0x11, 0x10, 0x00, 0x00, 0xF0});
    CHECK(s.control == 0x037F);  // FSTENV masks all (already masked here)
    FpuState t{};
    fldenv16(t, env, EnvMode::Real);
    CHECK(t.last_instruction.offset == 0x179B8);
    CHECK(t.last_opcode == 0x1E8);
    CHECK(t.top() == 7);
    CHECK(t.tag(7) == Tag::Zero);  // non-empty in the image, so recomputed from t.R7 (+0)
}

TEST_CASE("FSTENV 32-bit protected layout and masking") {
    FpuState s{};
    s.load_control(0x0372);  // some exceptions unmasked
    exec::fld(s, kOne);
    exec::note_instruction(s, {0x0008, 0x00401000}, 0x0D9, FpuPointer{0x0010, 0x00402000});
    const Env32 env = fstenv32(s, EnvMode::Protected);
    CHECK(env[0] == 0x72);
    CHECK(env[2] == 0xFF);
    CHECK(env[3] == 0xFF);
    CHECK(env[12] == 0x00);
    CHECK(env[13] == 0x10);
    CHECK(env[14] == 0x40);
    CHECK(env[16] == 0x08);
    CHECK(env[18] == 0xD9);  // FOP in bits 16-26 of the CS dword
    CHECK(env[20] == 0x00);
    CHECK(env[21] == 0x20);
    CHECK(env[24] == 0x10);
    CHECK(s.control == 0x037F);  // all exceptions masked afterwards
}

TEST_CASE("FSAVE/FRSTOR round trip and FINIT after FSAVE") {
    FpuState s{};
    s.load_control(0x0F7F);
    exec::fild(s, 42);
    exec::fld_constant(s, FpConstant::Pi);
    exec::fld(s, Float80::make(true, 0, 5));  // a denormal: tag special
    s.status |= exc::PE;
    FpuState copy = s;
    const SaveImage32 img = fsave32(copy, EnvMode::Protected);
    CHECK(copy.control == 0x037F);
    CHECK(copy.tags == 0xFFFF);
    CHECK(img[28] == 5);                  // ST(0) first
    CHECK(img[28 + 10 + 9] == 0x40);      // ST(1) = pi, sign/exponent high byte
    FpuState back{};
    frstor32(back, img, EnvMode::Protected);
    CHECK(back.control == s.control);
    CHECK(back.status == s.status);
    CHECK(back.tags == s.tags);
    for (unsigned i = 0; i < 3; ++i) CHECK(back.st(i) == s.st(i));
    const SaveImage16 img16 = fsave16(s, EnvMode::Protected);
    FpuState back16{};
    frstor16(back16, img16, EnvMode::Protected);
    CHECK(back16.st(1) == back.st(1));
    CHECK(back16.tags == back.tags);
}

TEST_CASE("FRSTOR re-arms a pending unmasked exception") {
    FpuState s{};
    exec::fld(s, kOne);
    s.status |= exc::ZE;
    SaveImage32 img = fsave32(s, EnvMode::Protected);
    img[0] = 0x7B;  // ZM clear in the saved control word
    FpuState t{};
    frstor32(t, img, EnvMode::Protected);
    CHECK(t.exception_pending());
}

TEST_CASE("FXSAVE/FXRSTOR: abridged tags, register slots, untouched SSE area") {
    FpuState s{};
    exec::fild(s, 7);
    exec::fld_constant(s, FpConstant::Zero);
    exec::note_instruction(s, {0x0008, 0x1000}, 0x1EE);
    std::array<std::uint8_t, 512> img{};
    img.fill(0xAB);
    fxsave(s, img);
    CHECK(img[4] == 0xC0);   // R6 and R7 in use
    CHECK(img[6] == 0xEE);   // FOP low byte
    CHECK(img[24] == 0xAB);  // MXCSR is the caller's
    CHECK(img[32 + 9] == 0x00);       // ST(0) = +0
    CHECK(img[32 + 10] == 0x00);      // reserved bytes of the slot cleared
    CHECK(img[48 + 9] == 0x40);       // ST(1) = 7
    FpuState t{};
    fxrstor(t, img);
    CHECK(t.tags == s.tags);  // 0x1FFF: R6 zero, R7 valid, recomputed from contents
    CHECK(t.st(1) == from_int(7));
    CHECK(t.last_instruction.offset == 0x1000);
}
}
