// Shifts and rotates (group 2): ROL ROR RCL RCR SHL SHR SAR, and the 8086's undocumented
// SETMO/SETMOC (D0-D3 /6).
//
// The count is applied one bit at a time, as the 8086 microcode does; that gives the exact
// 8086 results for counts above the operand width (the 8086 does not mask CL), and the same
// results as the closed forms on later models, which mask the count to 5 bits
// (80286 PRM, SAL/SAR/SHL/SHR: "the count is masked to five bits").
#include "cpu/alu.h"
#include "cpu/exec.h"
#include "cpu/interpreter.h"

namespace lantern::exec {

namespace {

enum class ShiftOp { Rol, Ror, Rcl, Rcr, Shl, Shr, Sar };

void shift(Interpreter& c, const Insn& i, ShiftOp op) {
    const unsigned w = i.width;
    const std::uint32_t m = alu::mask(w), msb = alu::sign_bit(w);
    unsigned count = c.read_op(i, 1) & 0xFF;
    if (!c.is_8086()) count &= 0x1F;
    c.add_cycles(static_cast<Cycles>(c.timing(i).extra) * count);
    // The operand is read even for a zero count (a 286 faults on it at offset FFFF), but a
    // zero count changes neither the destination nor the flags.
    std::uint32_t v = c.read_op(i, 0) & m;
    if (count == 0) return;
    bool cf = c.get_flag(flag::CF);
    bool of = c.get_flag(flag::OF);
    std::uint32_t before = v;
    for (unsigned n = 0; n < count; ++n) {
        before = v;
        switch (op) {
            case ShiftOp::Rol:
                cf = (v & msb) != 0;
                v = ((v << 1) | (cf ? 1 : 0)) & m;
                of = ((v & msb) != 0) != cf;
                break;
            case ShiftOp::Ror:
                cf = (v & 1) != 0;
                v = (v >> 1) | (cf ? msb : 0);
                of = ((v ^ (v << 1)) & msb) != 0;
                break;
            case ShiftOp::Rcl: {
                bool out = (v & msb) != 0;
                v = ((v << 1) | (cf ? 1 : 0)) & m;
                cf = out;
                of = ((v & msb) != 0) != cf;
                break;
            }
            case ShiftOp::Rcr: {
                bool out = (v & 1) != 0;
                of = ((v & msb) != 0) != cf;
                v = (v >> 1) | (cf ? msb : 0);
                cf = out;
                break;
            }
            case ShiftOp::Shl:
                cf = (v & msb) != 0;
                v = (v << 1) & m;
                of = ((v & msb) != 0) != cf;
                break;
            case ShiftOp::Shr:
                cf = (v & 1) != 0;
                of = (v & msb) != 0;
                v >>= 1;
                break;
            case ShiftOp::Sar:
                cf = (v & 1) != 0;
                v = (v >> 1) | (v & msb);
                of = false;
                break;
        }
    }
    (void)before;
    c.write_op(i, 0, v);
    auto& ef = c.state().eflags;
    ef = (ef & ~(flag::CF | flag::OF)) | (cf ? flag::CF : 0) | (of ? flag::OF : 0);
    if (op == ShiftOp::Shl || op == ShiftOp::Shr || op == ShiftOp::Sar) {
        // SF, ZF, PF from the result; AF is undefined (cleared here).
        ef = (ef & ~(flag::SF | flag::ZF | flag::PF | flag::AF)) | alu::szp(v, w);
    }
}

}  // namespace

void rol(Interpreter& c, const Insn& i) { shift(c, i, ShiftOp::Rol); }
void ror(Interpreter& c, const Insn& i) { shift(c, i, ShiftOp::Ror); }
void rcl(Interpreter& c, const Insn& i) { shift(c, i, ShiftOp::Rcl); }
void rcr(Interpreter& c, const Insn& i) { shift(c, i, ShiftOp::Rcr); }
void shl(Interpreter& c, const Insn& i) { shift(c, i, ShiftOp::Shl); }
void shr(Interpreter& c, const Insn& i) { shift(c, i, ShiftOp::Shr); }
void sar(Interpreter& c, const Insn& i) { shift(c, i, ShiftOp::Sar); }

// SETMO / SETMOC: write all ones to the operand (SETMOC only when CL is non-zero); the flags
// are those of an OR with all ones: CF = OF = AF = 0, SF = 1, ZF = 0, PF = 1.
void setmo(Interpreter& c, const Insn& i) {
    const unsigned count = c.read_op(i, 1) & 0xFF;
    if (count == 0) return;
    const unsigned w = i.width;
    c.write_op(i, 0, alu::mask(w));
    auto& ef = c.state().eflags;
    ef = (ef & ~flag::OSZAPC) | alu::szp(alu::mask(w), w);
}

}  // namespace lantern::exec
