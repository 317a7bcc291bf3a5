// The x87 execution unit: one function per instruction family, operating on an FpuState.
//
// The interpreter's handler for an x87 row does only the CPU-side work: check CR0.EM/TS (#NM),
// check FpuState::exception_pending() before a waiting instruction (#MF or FERR#), compute the
// effective address, read the memory operand, call one of these functions, write back any value
// they return, and record FCS:FIP/FOP/FDS:FDP with note_instruction(). Functions that store to
// memory return std::nullopt when an unmasked exception means memory must not be written.
//
// Register operands are ST-relative indices (0..7), exactly as encoded in the instruction.
#pragma once

#include <cstdint>
#include <optional>

#include "cpu/fpu/float80.h"
#include "cpu/fpu/fpu_state.h"

namespace lantern::fpu::exec {

// A memory source operand already widened to extended format. `flags` carries DE for a
// denormal m32fp/m64fp, which must be reported by the arithmetic using it.
struct Operand {
    Float80 value{};
    std::uint8_t flags = 0;
};
Operand operand_f32(std::uint32_t bits);
Operand operand_f64(std::uint64_t bits);
Operand operand_int(std::int64_t v);  // m16int / m32int (FIADD, FICOM, ...)

// The arithmetic rows in ModR/M reg order (D8 /0../7, minus the two compares):
// ST(dst) = ST(dst) op ST(src), with Sub/Div meaning dst - src and SubR/DivR src - dst.
enum class ArithOp : std::uint8_t { Add, Mul, Sub, SubR, Div, DivR };

// FADD/FMUL/FSUB/FSUBR/FDIV/FDIVR m32fp/m64fp and FIxxx m16int/m32int: ST(0) = ST(0) op m.
void arith_mem(FpuState& s, ArithOp op, Operand m);
// Register forms, optionally popping (FADDP etc.). Intel's DC/DE rows name ST(i) the
// destination: e.g. DE E8+i "FSUBP ST(i), ST(0)" is arith_reg(s, Sub, i, 0, true).
void arith_reg(FpuState& s, ArithOp op, unsigned dst, unsigned src, bool pop);

// ---- Loads (push) ----
void fld(FpuState& s, Float80 v);  // FLD m80fp: raw, no exceptions besides stack overflow
void fld_f32(FpuState& s, std::uint32_t bits);
void fld_f64(FpuState& s, std::uint64_t bits);
void fld_sti(FpuState& s, unsigned i);
void fild(FpuState& s, std::int64_t v);
void fbld(FpuState& s, const Bcd80& bcd);
void fld_constant(FpuState& s, FpConstant k);  // FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ

// ---- Stores ----
std::optional<std::uint32_t> fst_f32(FpuState& s, bool pop);
std::optional<std::uint64_t> fst_f64(FpuState& s, bool pop);
std::optional<Float80> fstp_f80(FpuState& s);
void fst_sti(FpuState& s, unsigned i, bool pop);  // FST/FSTP ST(i)
// FIST/FISTP m16/m32/m64int (`truncate` false) and FISTTP (`truncate` true, always pops).
// The value is returned sign-extended; the caller writes `bits` of it.
std::optional<std::int64_t> fist(FpuState& s, unsigned bits, bool pop, bool truncate);
std::optional<Bcd80> fbstp(FpuState& s);

// ---- Comparisons ----
// FCOM/FCOMP m32fp/m64fp, FICOM/FICOMP: `pops` = 0 or 1.
void fcom_mem(FpuState& s, Operand m, unsigned pops);
// FCOM/FCOMP/FCOMPP/FUCOM/FUCOMP/FUCOMPP ST(i): `pops` = 0, 1 or 2.
void fcom_reg(FpuState& s, unsigned i, bool unordered, unsigned pops);
// FCOMI/FCOMIP/FUCOMI/FUCOMIP: the ZF/PF/CF result, which the CPU writes (and clears OF, SF,
// AF) even when an unmasked exception aborted the instruction, as the hardware does.
struct EflagsCompare {
    bool zf = false;
    bool pf = false;
    bool cf = false;
};
EflagsCompare fcomi(FpuState& s, unsigned i, bool unordered, bool pop);
void ftst(FpuState& s);
void fxam(FpuState& s);

// ---- One-register operations on ST(0) ----
void fchs(FpuState& s);
void fabs(FpuState& s);
void fsqrt(FpuState& s);
void frndint(FpuState& s);
void f2xm1(FpuState& s);
void fsin(FpuState& s);
void fcos(FpuState& s);

// ---- Two-register and stack-growing operations ----
void fscale(FpuState& s);
void fprem(FpuState& s, bool ieee);  // FPREM (false) / FPREM1 (true)
void fpatan(FpuState& s);
void fyl2x(FpuState& s);
void fyl2xp1(FpuState& s);
void fxtract(FpuState& s);
void fsincos(FpuState& s);
void fptan(FpuState& s);

// ---- Stack and control ----
void fxch(FpuState& s, unsigned i);
void fcmov(FpuState& s, unsigned i);  // the CPU evaluates the condition and calls this if true
void ffree(FpuState& s, unsigned i);
void ffreep(FpuState& s, unsigned i);  // DF C0+i, undocumented: FFREE then pop
void fincstp(FpuState& s);
void fdecstp(FpuState& s);
inline void fninit(FpuState& s) { s.finit(); }
inline void fnclex(FpuState& s) { s.clear_exceptions(); }
inline std::uint16_t fnstsw(const FpuState& s) { return s.status; }
inline std::uint16_t fnstcw(const FpuState& s) { return s.stored_control(); }
inline void fldcw(FpuState& s, std::uint16_t v) { s.load_control(v); }

// Records FCS:FIP and FOP for a non-control instruction (SDM Vol. 1, 8.1.8-8.1.9); `operand`
// is the memory operand's FDS:FDP when there is one.
void note_instruction(FpuState& s, FpuPointer ip, std::uint16_t opcode11,
                      std::optional<FpuPointer> operand = std::nullopt);

}  // namespace lantern::fpu::exec
