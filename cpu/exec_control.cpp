// Control transfer: Jcc, JMP, CALL, RET, LOOP/JCXZ, INT/INTO/IRET, ENTER/LEAVE, BOUND, HLT,
// flag-bit instructions, and the #UD handler for invalid opcodes.
#include "cpu/alu.h"
#include "cpu/exec.h"
#include "cpu/interpreter.h"

namespace lantern::exec {

namespace {
// Conditional branches: the row's `reg` cycles are the not-taken cost and `extra` the taken
// cost (8086 UM Table 2-21: Jcc 16/4; 80286 PRM: 7+m/3).
void branch_if(Interpreter& c, const Insn& i, bool taken) {
    if (!taken) return;
    const Timing& t = c.timing(i);
    if (t.extra > t.reg) c.add_cycles(t.extra - t.reg);
    c.jump_near(c.next_ip() + i.imm, i.opsize);
}

// LOOP and JCXZ count in CX or ECX by the address size (SDM Vol. 2, LOOP). The new count is
// written after the branch, so a branch that faults (#GP past the CS limit) leaves it.
std::uint32_t decremented_count(Interpreter& c, const Insn& i) {
    return (c.areg(i, Reg::CX) - 1) & (i.addrsize == 4 ? 0xFFFFFFFFu : 0xFFFFu);
}
}  // namespace

void jcc(Interpreter& c, const Insn& i) { branch_if(c, i, c.condition(i.opcode & 0xF)); }
void loop(Interpreter& c, const Insn& i) {
    const std::uint32_t n = decremented_count(c, i);
    branch_if(c, i, n != 0);
    c.set_areg(i, Reg::CX, n);
}
void loope(Interpreter& c, const Insn& i) {
    const std::uint32_t n = decremented_count(c, i);
    branch_if(c, i, n != 0 && c.get_flag(flag::ZF));
    c.set_areg(i, Reg::CX, n);
}
void loopne(Interpreter& c, const Insn& i) {
    const std::uint32_t n = decremented_count(c, i);
    branch_if(c, i, n != 0 && !c.get_flag(flag::ZF));
    c.set_areg(i, Reg::CX, n);
}
void jcxz(Interpreter& c, const Insn& i) { branch_if(c, i, c.areg(i, Reg::CX) == 0); }

void jmp_near(Interpreter& c, const Insn& i) { c.jump_near(c.next_ip() + i.imm, i.opsize); }

void jmp_far(Interpreter& c, const Insn& i) {
    c.far_jump(static_cast<std::uint16_t>(i.imm2), i.imm, i.opsize);
}

void jmp_ind(Interpreter& c, const Insn& i) { c.jump_near(c.read_op(i, 0), i.opsize); }

namespace {
// Reads the far pointer of a `Mp` operand. A register operand is undefined on the 8086 (it
// uses whatever the last address computation left) and #UD from the 286 on.
bool read_far_pointer(Interpreter& c, const Insn& i, std::uint16_t& sel, std::uint32_t& off) {
    if (!i.is_mem) {
        if (!c.is_8086()) c.fault(vec::UD);
        return false;
    }
    const unsigned w = c.is_8086() ? 2 : i.opsize;
    off = c.read_mem(c.ea_seg(), c.ea_offset(), w);
    sel = static_cast<std::uint16_t>(c.read_mem(c.ea_seg(), c.ea_plus(i, w), 2));
    return true;
}
}  // namespace

void jmp_far_ind(Interpreter& c, const Insn& i) {
    std::uint16_t sel = 0;
    std::uint32_t off = 0;
    if (read_far_pointer(c, i, sel, off)) c.far_jump(sel, off, i.opsize);
}

// CALL checks its target against the CS limit before pushing (near_target).
void call_near(Interpreter& c, const Insn& i) {
    const std::uint32_t target = c.near_target(c.next_ip() + i.imm, i.opsize);
    c.push(c.next_ip(), i.opsize);
    c.jump_near(target, i.opsize);
}

void call_ind(Interpreter& c, const Insn& i) {
    // 8086 FE /2: byte operand, undefined high half.
    const std::uint32_t target = c.near_target(c.read_op(i, 0), i.opsize);
    c.push(c.next_ip(), i.opsize);
    c.jump_near(target, i.opsize);
}

void call_far(Interpreter& c, const Insn& i) {
    c.far_call(static_cast<std::uint16_t>(i.imm2), i.imm, i.opsize);
}

void call_far_ind(Interpreter& c, const Insn& i) {
    std::uint16_t sel = 0;
    std::uint32_t off = 0;
    if (read_far_pointer(c, i, sel, off)) c.far_call(sel, off, i.opsize);
}

// RET reads and checks the return address before SP moves: a target past the CS limit is #GP(0)
// with the stack as it was.
void ret_near(Interpreter& c, const Insn& i) {
    const std::uint32_t sp = c.sp();
    const std::uint32_t ip = c.near_target(c.read_mem(Seg::SS, sp, i.opsize), i.opsize);
    const std::uint32_t release = i.info->operands[0] == Operand::Iw ? (i.imm & 0xFFFF) : 0;
    c.set_sp((sp + i.opsize + release) & c.sp_mask());
    c.jump_near(ip, i.opsize);
}

void ret_far(Interpreter& c, const Insn& i) {
    const std::uint32_t pop_bytes = i.info->operands[0] == Operand::Iw ? (i.imm & 0xFFFF) : 0;
    c.far_return(i.opsize, pop_bytes);
}

// INT n is IOPL-sensitive in virtual-8086 mode; INT3, INTO and INT1 are not (SDM Vol. 3, 20.2.7).
void int_n(Interpreter& c, const Insn& i) {
    if (c.v86() && c.iopl() < 3) c.fault(vec::GP, 0);
    c.software_interrupt(static_cast<std::uint8_t>(i.imm), c.next_ip());
}

void int3(Interpreter& c, const Insn&) { c.software_interrupt(vec::BP, c.next_ip()); }

// INT1 / ICEBP (F1, 386+): a debug exception delivered like a hardware one (no DPL check).
void int1(Interpreter& c, const Insn&) { c.interrupt(vec::DB, false, c.next_ip()); }

void into(Interpreter& c, const Insn& i) {
    if (!c.get_flag(flag::OF)) return;
    c.add_cycles(c.timing(i).extra);
    c.software_interrupt(vec::OF, c.next_ip());
}

void iret(Interpreter& c, const Insn& i) { c.interrupt_return(i.opsize); }

// ENTER size, level (80186+; SDM Vol. 2, ENTER).
namespace {
void enter_frame(Interpreter& c, const Insn& i) {
    const unsigned w = i.opsize;
    const std::uint32_t size = i.imm & 0xFFFF;
    const unsigned level = i.imm2 & 0x1F;
    c.push(c.reg(5, w), w);
    const std::uint32_t frame = c.sp();
    if (level > 0) {
        std::uint32_t bp = c.stack32() ? c.reg(5, 4) : c.reg(5, 2);
        for (unsigned n = 1; n < level; ++n) {
            bp = (bp - w) & c.sp_mask();
            c.push(c.read_mem(Seg::SS, bp, w), w);
        }
        c.push(frame, w);
        c.add_cycles(c.timing(i).extra * level);
    }
    c.set_reg(5, w, frame);
    c.set_sp((c.sp() - size) & c.sp_mask());
}
}  // namespace

// A push that faults part-way leaves (E)SP as it was on the 386+ (SDM Vol. 3, 6.5: faults are
// restartable); EBP only changes at the end.
void enter(Interpreter& c, const Insn& i) {
    const std::uint32_t old_sp = c.sp();
    try {
        enter_frame(c, i);
    } catch (const CpuFault&) {
        if (c.at_least(CpuModel::I80386)) c.set_sp(old_sp);
        throw;
    }
}

// LEAVE reads the saved BP before it changes SP: a fault at BP=FFFF leaves SP untouched
// (measured by the SingleStepTests 286 suite).
void leave(Interpreter& c, const Insn& i) {
    const unsigned w = i.opsize;
    const std::uint32_t bp = c.stack32() ? c.reg(5, 4) : c.reg(5, 2);
    const std::uint32_t saved = c.read_mem(Seg::SS, bp, w);
    c.set_sp((bp + w) & c.sp_mask());
    c.set_reg(5, w, saved);
}

// BOUND r, m&m: #BR (vector 5) when the index is outside [lower, upper], signed.
void bound(Interpreter& c, const Insn& i) {
    if (!i.is_mem) c.fault(vec::UD);
    const unsigned w = i.opsize;
    const auto index = static_cast<std::int32_t>(alu::sign_extend(c.read_op(i, 0), w));
    const auto lower = static_cast<std::int32_t>(alu::sign_extend(c.read_mem(c.ea_seg(), c.ea_offset(), w), w));
    const auto upper = static_cast<std::int32_t>(alu::sign_extend(c.read_mem(c.ea_seg(), c.ea_plus(i, w), w), w));
    if (index < lower || index > upper) c.fault(vec::BR);
}

void hlt(Interpreter& c, const Insn&) {
    c.require_cpl0();
    c.halt();
}

void clc(Interpreter& c, const Insn&) { c.set_flag(flag::CF, false); }
void stc(Interpreter& c, const Insn&) { c.set_flag(flag::CF, true); }
void cmc(Interpreter& c, const Insn&) { c.set_flag(flag::CF, !c.get_flag(flag::CF)); }
void cld(Interpreter& c, const Insn&) { c.set_flag(flag::DF, false); }
void std(Interpreter& c, const Insn&) { c.set_flag(flag::DF, true); }

// CLI/STI need CPL <= IOPL in protected mode, IOPL 3 in v86 mode (SDM Vol. 2, CLI).
void cli(Interpreter& c, const Insn&) {
    if (c.protected_mode() && (c.v86() ? c.iopl() < 3 : c.cpl() > c.iopl())) c.fault(vec::GP, 0);
    c.set_flag(flag::IF, false);
}

void sti(Interpreter& c, const Insn&) {
    if (c.protected_mode() && (c.v86() ? c.iopl() < 3 : c.cpl() > c.iopl())) c.fault(vec::GP, 0);
    // STI enables interrupts after the next instruction (SDM Vol. 2, STI).
    if (!c.get_flag(flag::IF)) c.state().interrupt_shadow = true;
    c.set_flag(flag::IF, true);
}

// Invalid opcode: #UD on the 80186 and later. The 8086 has no invalid opcodes; every slot
// of its map is claimed by a real or alias row, so this is never reached there.
void invalid(Interpreter& c, const Insn&) { c.fault(vec::UD); }

}  // namespace lantern::exec
