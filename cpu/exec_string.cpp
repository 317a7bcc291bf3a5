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

// One iteration. Each memory operand's index register (SI or DI) advances *before* the access
// is checked, and a repeated instruction decrements CX before its last read: the 286 shows
// both when an access faults at offset FFFF (SingleStepTests 286 suite: MOVSW at SI=FFFF
// faults with SI already advanced). A faulting write additionally decrements CX once more
// (same source). CMPS reads ES:DI before DS:SI. With no faults these orders are invisible, so
// the 8086 shares the code.
class StringIteration {
public:
    StringIteration(Interpreter& c, const Insn& i)
        : c_(c), i_(i), w_(i.width), repeated_(i.rep != RepPrefix::None),
          delta_(c.get_flag(flag::DF) ? 0u - i.width : i.width),
          mask_(i.addrsize == 4 ? 0xFFFFFFFFu : 0xFFFFu) {}

    std::uint32_t read_source(bool last_read) { return read(Reg::SI, c_.data_seg(i_, Seg::DS), last_read); }
    std::uint32_t read_dest(bool last_read) { return read(Reg::DI, Seg::ES, last_read); }

    void write_dest(std::uint32_t v, bool count_first) {
        const std::uint32_t di = advance(Reg::DI);
        if (count_first) count();
        try {
            c_.write_mem(Seg::ES, di, v, w_);
        } catch (const CpuFault&) {
            count();
            throw;
        }
    }
    void count() {
        if (repeated_) c_.set_areg(i_, Reg::CX, (c_.areg(i_, Reg::CX) - 1) & mask_);
    }

private:
    std::uint32_t read(Reg index, Seg seg, bool last_read) {
        const std::uint32_t off = advance(index);
        if (last_read) count();
        return c_.read_mem(seg, off, w_);
    }
    std::uint32_t advance(Reg index) {
        const std::uint32_t old = c_.areg(i_, index);
        c_.set_areg(i_, index, (old + delta_) & mask_);
        return old;
    }

    Interpreter& c_;
    const Insn& i_;
    unsigned w_;
    bool repeated_;
    std::uint32_t delta_;
    std::uint32_t mask_;
};

void string_iteration(Interpreter& c, const Insn& i, StrOp op) {
    const unsigned w = i.width;
    StringIteration it(c, i);
    auto& ef = c.state().eflags;
    switch (op) {
        case StrOp::Movs: {
            std::uint32_t v = it.read_source(true);
            it.write_dest(v, false);
            break;
        }
        case StrOp::Cmps: {
            std::uint32_t b = it.read_dest(false);
            std::uint32_t a = it.read_source(true);
            ef = (ef & ~flag::OSZAPC) | alu::sub(a, b, 0, w).flags;
            break;
        }
        case StrOp::Scas: {
            std::uint32_t b = it.read_dest(true);
            ef = (ef & ~flag::OSZAPC) | alu::sub(c.reg(0, w), b, 0, w).flags;
            break;
        }
        case StrOp::Lods:
            c.set_reg(0, w, it.read_source(true));
            break;
        case StrOp::Stos:
            it.write_dest(c.reg(0, w), true);
            break;
        case StrOp::Ins:
            c.check_io(c.r16(Reg::DX), w);
            it.write_dest(c.io_in(c.r16(Reg::DX), w), true);
            break;
        case StrOp::Outs: {
            c.check_io(c.r16(Reg::DX), w);
            std::uint32_t v = it.read_source(true);
            c.io_out(c.r16(Reg::DX), v, w);
            break;
        }
    }
}

// One iteration, as each model leaves it when an access faults. The 286 shows the order of its
// steps (above); from the 386 on a faulting iteration is undone: a fault is restartable, and ECX,
// ESI and EDI say how many iterations completed (SDM Vol. 3, 6.5 "Faults"; Vol. 2, REP: "the
// registers ... indicate the state of the instruction at the point of the fault"), so a #PF
// handler that maps the page lets REP MOVS finish the copy without losing a byte.
void string_step(Interpreter& c, const Insn& i, StrOp op) {
    if (!c.at_least(CpuModel::I80386)) {
        string_iteration(c, i, op);
        return;
    }
    auto& gpr = c.state().gpr;
    const std::uint32_t cx = gpr[static_cast<int>(Reg::CX)], si = gpr[static_cast<int>(Reg::SI)],
                        di = gpr[static_cast<int>(Reg::DI)];
    try {
        string_iteration(c, i, op);
    } catch (const CpuFault&) {
        gpr[static_cast<int>(Reg::CX)] = cx;
        gpr[static_cast<int>(Reg::SI)] = si;
        gpr[static_cast<int>(Reg::DI)] = di;
        throw;
    }
}

void string_op(Interpreter& c, const Insn& i, StrOp op) {
    const Timing& t = c.timing(i);
    if (i.rep == RepPrefix::None) {
        c.add_cycles(t.reg);
        string_step(c, i, op);
        return;
    }
    // Start-up cost, unless this is the continuation of a repetition paused by a time slice.
    // An interrupt does make the hardware restart the instruction from scratch.
    if (!c.state().rep_resume) c.add_cycles(t.mem);
    c.state().rep_resume = false;
    const bool conditional = op == StrOp::Cmps || op == StrOp::Scas;
    while (c.areg(i, Reg::CX) != 0) {
        string_step(c, i, op);  // decrements CX
        c.add_cycles(t.extra);
        if (conditional) {
            const bool zf = c.get_flag(flag::ZF);
            if (i.rep == RepPrefix::RepE && !zf) return;
            if (i.rep == RepPrefix::RepNE && zf) return;
        }
        if (c.areg(i, Reg::CX) != 0) {
            if (c.interrupt_due()) {
                c.repeat_instruction();  // the interrupt is taken, then the instruction restarts
                return;
            }
            if (c.slice_over()) {
                c.repeat_instruction();  // devices catch up; the repetition then continues
                c.state().rep_resume = true;
                return;
            }
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
