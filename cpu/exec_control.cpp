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
    c.add_cycles(t.extra - t.reg);
    c.jump_near(c.next_ip() + i.imm);
}
}  // namespace

void jcc(Interpreter& c, const Insn& i) { branch_if(c, i, c.condition(i.opcode & 0xF)); }

void loop(Interpreter& c, const Insn& i) {
    auto cx = static_cast<std::uint16_t>(c.r16(Reg::CX) - 1);
    c.set_r16(Reg::CX, cx);
    branch_if(c, i, cx != 0);
}

void loope(Interpreter& c, const Insn& i) {
    auto cx = static_cast<std::uint16_t>(c.r16(Reg::CX) - 1);
    c.set_r16(Reg::CX, cx);
    branch_if(c, i, cx != 0 && c.get_flag(flag::ZF));
}

void loopne(Interpreter& c, const Insn& i) {
    auto cx = static_cast<std::uint16_t>(c.r16(Reg::CX) - 1);
    c.set_r16(Reg::CX, cx);
    branch_if(c, i, cx != 0 && !c.get_flag(flag::ZF));
}

void jcxz(Interpreter& c, const Insn& i) { branch_if(c, i, c.r16(Reg::CX) == 0); }

void jmp_near(Interpreter& c, const Insn& i) { c.jump_near(c.next_ip() + i.imm); }

void jmp_far(Interpreter& c, const Insn& i) { c.jump_far(static_cast<std::uint16_t>(i.imm2), i.imm); }

void jmp_ind(Interpreter& c, const Insn& i) { c.jump_near(c.read_op(i, 0)); }

namespace {
// Reads the far pointer of a `Mp` operand. A register operand is undefined on the 8086 (it
// uses whatever the last address computation left) and #UD from the 286 on.
bool read_far_pointer(Interpreter& c, const Insn& i, std::uint16_t& sel, std::uint16_t& off) {
    if (!i.is_mem) {
        if (!c.is_8086()) c.fault(6);
        return false;
    }
    off = static_cast<std::uint16_t>(c.read_mem(c.ea_seg(), c.ea_offset(), 2));
    sel = static_cast<std::uint16_t>(c.read_mem(c.ea_seg(), (c.ea_offset() + 2) & 0xFFFF, 2));
    return true;
}
}  // namespace

void jmp_far_ind(Interpreter& c, const Insn& i) {
    std::uint16_t sel = 0, off = 0;
    if (read_far_pointer(c, i, sel, off)) c.jump_far(sel, off);
}

void call_near(Interpreter& c, const Insn& i) {
    c.push16(static_cast<std::uint16_t>(c.next_ip()));
    c.jump_near(c.next_ip() + i.imm);
}

void call_ind(Interpreter& c, const Insn& i) {
    std::uint32_t target = c.read_op(i, 0);
    if (i.width == 1) target = c.read_op(i, 0);  // 8086 FE /2: byte operand, undefined high half
    c.push16(static_cast<std::uint16_t>(c.next_ip()));
    c.jump_near(target);
}

void call_far(Interpreter& c, const Insn& i) {
    c.push16(c.state().segment(Seg::CS).selector);
    c.push16(static_cast<std::uint16_t>(c.next_ip()));
    c.jump_far(static_cast<std::uint16_t>(i.imm2), i.imm);
}

void call_far_ind(Interpreter& c, const Insn& i) {
    std::uint16_t sel = 0, off = 0;
    if (!read_far_pointer(c, i, sel, off)) return;
    c.push16(c.state().segment(Seg::CS).selector);
    c.push16(static_cast<std::uint16_t>(c.next_ip()));
    c.jump_far(sel, off);
}

void ret_near(Interpreter& c, const Insn& i) {
    std::uint16_t ip = c.pop16();
    if (i.info->operands[0] == Operand::Iw)
        c.set_r16(Reg::SP, static_cast<std::uint16_t>(c.r16(Reg::SP) + i.imm));
    c.jump_near(ip);
}

void ret_far(Interpreter& c, const Insn& i) {
    std::uint16_t ip = c.pop16();
    std::uint16_t cs = c.pop16();
    if (i.info->operands[0] == Operand::Iw)
        c.set_r16(Reg::SP, static_cast<std::uint16_t>(c.r16(Reg::SP) + i.imm));
    c.jump_far(cs, ip);
}

void int_n(Interpreter& c, const Insn& i) {
    c.interrupt(static_cast<std::uint8_t>(i.imm), false, c.next_ip());
}

void int3(Interpreter& c, const Insn&) { c.interrupt(3, false, c.next_ip()); }

void into(Interpreter& c, const Insn& i) {
    if (!c.get_flag(flag::OF)) return;
    const Timing& t = c.timing(i);
    c.add_cycles(t.extra);
    c.interrupt(4, false, c.next_ip());
}

void iret(Interpreter& c, const Insn&) {
    std::uint16_t ip = c.pop16();
    std::uint16_t cs = c.pop16();
    std::uint16_t f = c.pop16();
    c.jump_far(cs, ip);
    c.write_flags16(f);
}

// ENTER size, level (80186+; SDM Vol. 2, ENTER, 16-bit operand size).
void enter(Interpreter& c, const Insn& i) {
    const std::uint16_t size = static_cast<std::uint16_t>(i.imm);
    const unsigned level = i.imm2 & 0x1F;
    c.push16(c.r16(Reg::BP));
    const std::uint16_t frame = c.r16(Reg::SP);
    if (level > 0) {
        std::uint16_t bp = c.r16(Reg::BP);
        for (unsigned n = 1; n < level; ++n) {
            bp = static_cast<std::uint16_t>(bp - 2);
            c.push16(static_cast<std::uint16_t>(c.read_mem(Seg::SS, bp, 2)));
        }
        c.push16(frame);
        c.add_cycles(c.timing(i).extra * level);
    }
    c.set_r16(Reg::BP, frame);
    c.set_r16(Reg::SP, static_cast<std::uint16_t>(c.r16(Reg::SP) - size));
}

// LEAVE reads the saved BP before it changes SP: a fault at BP=FFFF leaves SP untouched
// (measured by the SingleStepTests 286 suite).
void leave(Interpreter& c, const Insn&) {
    const std::uint16_t bp = c.r16(Reg::BP);
    auto saved = static_cast<std::uint16_t>(c.read_mem(Seg::SS, bp, 2));
    c.set_r16(Reg::SP, static_cast<std::uint16_t>(bp + 2));
    c.set_r16(Reg::BP, saved);
}

// BOUND r16, m16&16: #BR (vector 5) when the index is outside [lower, upper], signed.
void bound(Interpreter& c, const Insn& i) {
    if (!i.is_mem) c.fault(6);
    auto index = static_cast<std::int16_t>(c.read_op(i, 0));
    auto lower = static_cast<std::int16_t>(c.read_mem(c.ea_seg(), c.ea_offset(), 2));
    auto upper = static_cast<std::int16_t>(c.read_mem(c.ea_seg(), (c.ea_offset() + 2) & 0xFFFF, 2));
    if (index < lower || index > upper) c.fault(5);
}

void hlt(Interpreter& c, const Insn&) { c.halt(); }

void clc(Interpreter& c, const Insn&) { c.set_flag(flag::CF, false); }
void stc(Interpreter& c, const Insn&) { c.set_flag(flag::CF, true); }
void cmc(Interpreter& c, const Insn&) { c.set_flag(flag::CF, !c.get_flag(flag::CF)); }
void cld(Interpreter& c, const Insn&) { c.set_flag(flag::DF, false); }
void std(Interpreter& c, const Insn&) { c.set_flag(flag::DF, true); }
void cli(Interpreter& c, const Insn&) { c.set_flag(flag::IF, false); }

void sti(Interpreter& c, const Insn&) {
    // STI enables interrupts after the next instruction (SDM Vol. 2, STI).
    if (!c.get_flag(flag::IF)) c.state().interrupt_shadow = true;
    c.set_flag(flag::IF, true);
}

// Invalid opcode: #UD on the 80186 and later. The 8086 has no invalid opcodes; every slot
// of its map is claimed by a real or alias row, so this is never reached there.
void invalid(Interpreter& c, const Insn&) { c.fault(6); }

}  // namespace lantern::exec
