// Data movement: MOV (incl. segment registers), XCHG, LEA, LES/LDS, PUSH/POP and friends,
// flag transfers, XLAT, IN/OUT, and the instructions that do nothing on this machine.
#include "cpu/alu.h"
#include "cpu/exec.h"
#include "cpu/interpreter.h"

namespace lantern::exec {

void mov(Interpreter& c, const Insn& i) { c.write_op(i, 0, c.read_op(i, 1)); }

// MOV Sreg, r/m16. The 8086 decodes only two bits of the reg field, so 8E /4../7 reach ES..DS
// and MOV CS works (8086 test suite notes); the 286 raises #UD for CS and for /4../7.
void mov_to_seg(Interpreter& c, const Insn& i) {
    unsigned sreg = i.reg;
    if (c.is_8086()) {
        sreg &= 3;
    } else if (sreg == 1 || sreg > 3) {
        c.fault(6);
    }
    auto v = static_cast<std::uint16_t>(c.read_op(i, 1));
    if (sreg == 1) {
        c.jump_far(v, c.next_ip());
    } else {
        c.load_segment(static_cast<Seg>(sreg), v);
    }
}

void xchg(Interpreter& c, const Insn& i) {
    std::uint32_t a = c.read_op(i, 0);
    std::uint32_t b = c.read_op(i, 1);
    c.write_op(i, 0, b);
    c.write_op(i, 1, a);
}

void nop(Interpreter&, const Insn&) {}

void lea(Interpreter& c, const Insn& i) {
    if (!i.is_mem) {
        // Undefined on the 8086 (it reuses the last computed address); #UD from the 286 on.
        if (!c.is_8086()) c.fault(6);
        return;
    }
    c.write_op(i, 0, c.ea_offset());
}

namespace {
void load_far_pointer(Interpreter& c, const Insn& i, Seg seg) {
    if (!i.is_mem) {
        if (!c.is_8086()) c.fault(6);
        return;
    }
    std::uint32_t off = c.read_mem(c.ea_seg(), c.ea_offset(), 2);
    auto sel = static_cast<std::uint16_t>(c.read_mem(c.ea_seg(), (c.ea_offset() + 2) & 0xFFFF, 2));
    c.write_op(i, 0, off);
    c.load_segment(seg, sel);
}
}  // namespace

void les(Interpreter& c, const Insn& i) { load_far_pointer(c, i, Seg::ES); }
void lds(Interpreter& c, const Insn& i) { load_far_pointer(c, i, Seg::DS); }

// PUSH of any operand form. PUSH SP pushes the decremented value on the 8086 and the value
// before the push from the 286 on (80286 PRM, PUSH; the classic 8086-vs-286 test).
void push(Interpreter& c, const Insn& i) {
    const Operand o = i.info->operands[0];
    std::uint32_t v = 0;
    if (o == Operand::Zv && (i.opcode & 7) == 4) {
        v = c.r16(Reg::SP);
        if (c.is_8086()) v = (v - 2) & 0xFFFF;
    } else if (o == Operand::Eb) {
        // 8086 FE /6 and /7 run the FF microcode with a byte operand. Undefined; modelled as
        // pushing the operand zero-extended (no test data covers it).
        v = c.read_op(i, 0) & 0xFF;
    } else {
        v = c.read_op(i, 0);
        if (o == Operand::Ev && !i.is_mem && i.rm == 4 && c.is_8086()) v = (v - 2) & 0xFFFF;
    }
    c.push16(static_cast<std::uint16_t>(v));
}

// POP r/m16 increments SP before it computes and writes the destination (SDM Vol. 2, POP); if
// that write faults, SP stays incremented (measured by the SingleStepTests 286 suite).
void pop(Interpreter& c, const Insn& i) { c.write_op(i, 0, c.pop16()); }

void pop_seg(Interpreter& c, const Insn& i) {
    std::uint16_t v = c.pop16();
    switch (i.info->operands[0]) {
        case Operand::ES: c.load_segment(Seg::ES, v); break;
        case Operand::SS: c.load_segment(Seg::SS, v); break;
        case Operand::DS: c.load_segment(Seg::DS, v); break;
        case Operand::CS: c.jump_far(v, c.next_ip()); break;  // 8086 POP CS (0F)
        default: break;
    }
}

// PUSHA/POPA (80186+): AX CX DX BX SP(original) BP SI DI.
void pusha(Interpreter& c, const Insn&) {
    std::uint16_t sp = c.r16(Reg::SP);
    for (int r = 0; r < 8; ++r) c.push16(r == 4 ? sp : static_cast<std::uint16_t>(c.reg(r, 2)));
}

void popa(Interpreter& c, const Insn&) {
    for (int r = 7; r >= 0; --r) {
        std::uint16_t v = c.pop16();
        if (r != 4) c.set_reg(r, 2, v);
    }
}

void pushf(Interpreter& c, const Insn&) { c.push16(c.read_flags16()); }
void popf(Interpreter& c, const Insn&) { c.write_flags16(c.pop16()); }

void lahf(Interpreter& c, const Insn&) {
    c.set_reg(4, 1, (c.flags() & 0xD5) | 0x02);
}

void sahf(Interpreter& c, const Insn&) {
    auto& ef = c.state().eflags;
    ef = (ef & ~0xD5u) | (c.reg(4, 1) & 0xD5u);
}

void xlat(Interpreter& c, const Insn& i) {
    std::uint32_t off = (c.r16(Reg::BX) + c.reg(0, 1)) & 0xFFFF;
    c.set_reg(0, 1, c.read_mem(c.data_seg(i, Seg::DS), off, 1));
}

void in(Interpreter& c, const Insn& i) {
    auto port = static_cast<std::uint16_t>(c.read_op(i, 1));
    c.write_op(i, 0, c.bus().io_read(port, i.width));
}

void out(Interpreter& c, const Insn& i) {
    auto port = static_cast<std::uint16_t>(c.read_op(i, 0));
    c.bus().io_write(port, c.read_op(i, 1) & alu::mask(i.width), i.width);
}

// WAIT: with no coprocessor the BUSY/TEST pin is inactive, so WAIT falls through.
void wait(Interpreter&, const Insn&) {}

// ESC without a coprocessor: the CPU computes the operand address and, on the 8086, reads it
// for the (absent) 8087 (8086 UM 2-49); nothing else changes.
void esc(Interpreter& c, const Insn& i) {
    if (!i.is_mem) return;
    if (c.is_8086()) {
        (void)c.read_mem(c.ea_seg(), c.ea_offset(), 1);
    } else {
        // The 286 still checks the operand's first word against the segment limit (measured:
        // D8 with the operand at offset FFFF raises #GP in real mode).
        c.check_limit(c.ea_seg(), c.ea_offset(), 2);
    }
}

}  // namespace lantern::exec
