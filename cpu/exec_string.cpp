// String instructions: MOVS CMPS SCAS LODS STOS INS OUTS, with REP/REPE/REPNE.
//
// Timing rows: `reg` is the cost of one unrepeated execution, `mem` the fixed cost of a
// repeated one and `extra` the cost per repetition (8086 UM Table 2-21: e.g. REP MOVS 9+17n;
// 80286 PRM: REP MOVS 5+4n).
#include "cpu/alu.h"
#include "cpu/exec.h"
#include "cpu/interpreter.h"

namespace lantern::exec {

namespace {

enum class StrOp { Movs, Cmps, Scas, Lods, Stos, Ins, Outs };

// One iteration; returns false when a REPE/REPNE condition ends the repetition.
void string_step(Interpreter& c, const Insn& i, StrOp op) {
    const unsigned w = i.width;
    const Seg src_seg = c.data_seg(i, Seg::DS);
    const std::uint16_t si = c.r16(Reg::SI), di = c.r16(Reg::DI);
    const std::uint16_t delta = static_cast<std::uint16_t>(c.get_flag(flag::DF) ? -static_cast<int>(w) : static_cast<int>(w));
    auto& ef = c.state().eflags;
    switch (op) {
        case StrOp::Movs: {
            std::uint32_t v = c.read_mem(src_seg, si, w);
            c.write_mem(Seg::ES, di, v, w);
            c.set_r16(Reg::SI, static_cast<std::uint16_t>(si + delta));
            c.set_r16(Reg::DI, static_cast<std::uint16_t>(di + delta));
            break;
        }
        case StrOp::Cmps: {
            std::uint32_t a = c.read_mem(src_seg, si, w);
            std::uint32_t b = c.read_mem(Seg::ES, di, w);
            auto r = alu::sub(a, b, 0, w);
            ef = (ef & ~flag::OSZAPC) | r.flags;
            c.set_r16(Reg::SI, static_cast<std::uint16_t>(si + delta));
            c.set_r16(Reg::DI, static_cast<std::uint16_t>(di + delta));
            break;
        }
        case StrOp::Scas: {
            std::uint32_t b = c.read_mem(Seg::ES, di, w);
            auto r = alu::sub(c.reg(0, w), b, 0, w);
            ef = (ef & ~flag::OSZAPC) | r.flags;
            c.set_r16(Reg::DI, static_cast<std::uint16_t>(di + delta));
            break;
        }
        case StrOp::Lods:
            c.set_reg(0, w, c.read_mem(src_seg, si, w));
            c.set_r16(Reg::SI, static_cast<std::uint16_t>(si + delta));
            break;
        case StrOp::Stos:
            c.write_mem(Seg::ES, di, c.reg(0, w), w);
            c.set_r16(Reg::DI, static_cast<std::uint16_t>(di + delta));
            break;
        case StrOp::Ins: {
            // The destination is checked before the port is read (80286 PRM, INS).
            std::uint32_t v = c.bus().io_read(c.r16(Reg::DX), w);
            c.write_mem(Seg::ES, di, v, w);
            c.set_r16(Reg::DI, static_cast<std::uint16_t>(di + delta));
            break;
        }
        case StrOp::Outs: {
            std::uint32_t v = c.read_mem(src_seg, si, w);
            c.bus().io_write(c.r16(Reg::DX), v, w);
            c.set_r16(Reg::SI, static_cast<std::uint16_t>(si + delta));
            break;
        }
    }
}

void string_op(Interpreter& c, const Insn& i, StrOp op) {
    const Timing& t = c.timing(i);
    if (i.rep == RepPrefix::None) {
        c.add_cycles(t.reg);
        string_step(c, i, op);
        return;
    }
    c.add_cycles(t.mem);
    const bool conditional = op == StrOp::Cmps || op == StrOp::Scas;
    while (c.r16(Reg::CX) != 0) {
        string_step(c, i, op);
        c.set_r16(Reg::CX, static_cast<std::uint16_t>(c.r16(Reg::CX) - 1));
        c.add_cycles(t.extra);
        if (conditional) {
            const bool zf = c.get_flag(flag::ZF);
            if (i.rep == RepPrefix::RepE && !zf) return;
            if (i.rep == RepPrefix::RepNE && zf) return;
        }
        if (c.r16(Reg::CX) != 0 && c.should_yield_string()) {
            c.repeat_instruction();  // resume here after the interrupt or the time slice
            return;
        }
    }
}

}  // namespace

void movs(Interpreter& c, const Insn& i) { string_op(c, i, StrOp::Movs); }
void cmps(Interpreter& c, const Insn& i) { string_op(c, i, StrOp::Cmps); }
void scas(Interpreter& c, const Insn& i) { string_op(c, i, StrOp::Scas); }
void lods(Interpreter& c, const Insn& i) { string_op(c, i, StrOp::Lods); }
void stos(Interpreter& c, const Insn& i) { string_op(c, i, StrOp::Stos); }
void ins(Interpreter& c, const Insn& i) { string_op(c, i, StrOp::Ins); }
void outs(Interpreter& c, const Insn& i) { string_op(c, i, StrOp::Outs); }

}  // namespace lantern::exec
