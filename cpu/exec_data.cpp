// Data movement: MOV (incl. segment registers), XCHG, LEA, LES/LDS/LSS/LFS/LGS, PUSH/POP and
// friends, flag transfers, XLAT, IN/OUT, MOVZX/MOVSX, and the instructions that do nothing here.
#include "cpu/alu.h"
#include "cpu/exec.h"
#include "cpu/exec_fpu.h"
#include "cpu/interpreter.h"

namespace lantern::exec {

void mov(Interpreter& c, const Insn& i) {
    // MOV r/m, Sreg with a 32-bit register destination zero-extends on the P6 family (SDM
    // Vol. 2, MOV: "the upper bits are cleared" on recent processors); memory stores 16 bits.
    if (i.info->operands[1] == Operand::Sw && !i.is_mem && i.opsize == 4) {
        c.set_reg(i.rm, 4, c.read_op(i, 1));
        return;
    }
    c.write_op(i, 0, c.read_op(i, 1));
}

// MOV Sreg, r/m16. The 8086 decodes only two bits of the reg field, so 8E /4../7 reach ES..DS
// and MOV CS works (8086 test suite notes); later models raise #UD for CS and undefined Sregs.
void mov_to_seg(Interpreter& c, const Insn& i) {
    unsigned sreg = i.reg;
    if (c.is_8086()) {
        sreg &= 3;
    } else if (sreg == 1 || sreg > (c.at_least(CpuModel::I80386) ? 5u : 3u)) {
        c.fault(vec::UD);
    }
    const auto v = static_cast<std::uint16_t>(c.read_op(i, 1));
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
        if (!c.is_8086()) c.fault(vec::UD);
        return;
    }
    c.set_reg(i.reg, i.opsize, c.ea_offset());
}

namespace {
void load_far_pointer(Interpreter& c, const Insn& i, Seg seg) {
    if (!i.is_mem) {
        if (!c.is_8086()) c.fault(vec::UD);
        return;
    }
    const std::uint32_t off = c.read_mem(c.ea_seg(), c.ea_offset(), i.opsize);
    const auto sel = static_cast<std::uint16_t>(c.read_mem(c.ea_seg(), c.ea_plus(i, i.opsize), 2));
    c.load_segment(seg, sel);
    c.set_reg(i.reg, i.opsize, off);
}
}  // namespace

void les(Interpreter& c, const Insn& i) { load_far_pointer(c, i, Seg::ES); }
void lds(Interpreter& c, const Insn& i) { load_far_pointer(c, i, Seg::DS); }
void lss(Interpreter& c, const Insn& i) { load_far_pointer(c, i, Seg::SS); }
void lfs(Interpreter& c, const Insn& i) { load_far_pointer(c, i, Seg::FS); }
void lgs(Interpreter& c, const Insn& i) { load_far_pointer(c, i, Seg::GS); }

// PUSH of any operand form. PUSH SP pushes the decremented value on the 8086 and the value
// before the push from the 286 on (80286 PRM, PUSH; the classic 8086-vs-286 test).
void push(Interpreter& c, const Insn& i) {
    const Operand o = i.info->operands[0];
    const unsigned w = i.opsize;
    std::uint32_t v = 0;
    if (o == Operand::Zv && (i.opcode & 7) == 4) {
        v = c.reg(4, w);
        if (c.is_8086()) v = (v - 2) & 0xFFFF;
    } else if (o == Operand::Eb) {
        // 8086 FE /6 and /7 run the FF microcode with a byte operand. Undefined; modelled as
        // pushing the operand zero-extended (no test data covers it).
        v = c.read_op(i, 0) & 0xFF;
    } else if (o == Operand::Ibs) {
        v = i.imm;
    } else {
        v = c.read_op(i, 0);
        if (o == Operand::Ev && !i.is_mem && i.rm == 4 && c.is_8086()) v = (v - 2) & 0xFFFF;
    }
    c.push(v, w);
}

namespace {
// From the 386 on a faulting instruction leaves the general registers as they were, so it can
// be restarted (SDM Vol. 3, 6.5 "Faults"): a #PF handler that maps the page and IRETs then runs
// it again from the start. The 286 keeps some of its progress (see pop).
template <class Body>
void undone_on_fault(Interpreter& c, Body&& body) {
    if (!c.at_least(CpuModel::I80386)) {
        body();
        return;
    }
    const auto saved = c.state().gpr;
    try {
        body();
    } catch (const CpuFault&) {
        c.state().gpr = saved;
        throw;
    }
}
}  // namespace

// POP r/m increments SP before it computes and writes the destination (SDM Vol. 2, POP); if
// that write faults, the 286 keeps SP incremented (measured by the SingleStepTests 286 suite);
// the 386 and later restore it.
void pop(Interpreter& c, const Insn& i) {
    undone_on_fault(c, [&] {
        const std::uint32_t v = c.pop(i.opsize);
        if (i.is_mem && i.addrsize == 4 && i.has_sib && (i.sib & 7) == 4) {
            // [ESP+...] addresses use the incremented ESP.
            c.write_mem(c.ea_seg(), c.ea_offset() + i.opsize, v, i.opsize);
            return;
        }
        c.write_op(i, 0, v);
    });
}

void pop_seg(Interpreter& c, const Insn& i) {
    // Read without moving SP first: a faulting segment load leaves SP as it was.
    const std::uint32_t sp = c.sp();
    const auto v = static_cast<std::uint16_t>(c.read_mem(Seg::SS, sp, 2));
    switch (i.info->operands[0]) {
        case Operand::ES: c.load_segment(Seg::ES, v); break;
        case Operand::SS: c.load_segment(Seg::SS, v); break;
        case Operand::DS: c.load_segment(Seg::DS, v); break;
        case Operand::FS: c.load_segment(Seg::FS, v); break;
        case Operand::GS: c.load_segment(Seg::GS, v); break;
        case Operand::CS: c.jump_far(v, c.next_ip()); break;  // 8086 POP CS (0F)
        default: break;
    }
    c.set_sp((sp + i.opsize) & c.sp_mask());
}

// PUSHA/POPA (80186+), PUSHAD/POPAD (386+): AX CX DX BX SP(original) BP SI DI.
// A push or pop that faults part-way leaves (E)SP and the registers as they were on the 386+.
void pusha(Interpreter& c, const Insn& i) {
    undone_on_fault(c, [&] {
        const unsigned w = i.opsize;
        const std::uint32_t sp = c.reg(4, w);
        for (int r = 0; r < 8; ++r) c.push(r == 4 ? sp : c.reg(r, w), w);
    });
}

void popa(Interpreter& c, const Insn& i) {
    undone_on_fault(c, [&] {
        const unsigned w = i.opsize;
        for (int r = 7; r >= 0; --r) {
            const std::uint32_t v = c.pop(w);
            if (r != 4) c.set_reg(r, w, v);
        }
    });
}

// PUSHF/POPF are IOPL-sensitive in virtual-8086 mode (SDM Vol. 3, 20.2.7).
void pushf(Interpreter& c, const Insn& i) {
    if (c.v86() && c.iopl() < 3) c.fault(vec::GP, 0);
    if (i.opsize == 4)
        c.push(c.read_eflags(), 4);
    else
        c.push(c.read_flags16(), 2);
}

void popf(Interpreter& c, const Insn& i) {
    if (c.v86() && c.iopl() < 3) c.fault(vec::GP, 0);
    const std::uint32_t v = c.pop(i.opsize);
    if (c.v86()) {
        // IOPL cannot change in v86 mode even at IOPL 3.
        const std::uint32_t keep = c.flags() & flag::IOPL;
        c.write_flags((v & ~flag::IOPL) | keep, i.opsize);
    } else {
        c.write_flags(v, i.opsize);
    }
}

void lahf(Interpreter& c, const Insn&) { c.set_reg(4, 1, (c.flags() & 0xD5) | 0x02); }

void sahf(Interpreter& c, const Insn&) {
    auto& ef = c.state().eflags;
    ef = (ef & ~0xD5u) | (c.reg(4, 1) & 0xD5u);
}

void xlat(Interpreter& c, const Insn& i) {
    const std::uint32_t off = i.addrsize == 4 ? c.reg(3, 4) + c.reg(0, 1) : ((c.r16(Reg::BX) + c.reg(0, 1)) & 0xFFFF);
    c.set_reg(0, 1, c.read_mem(c.data_seg(i, Seg::DS), off, 1));
}

void in(Interpreter& c, const Insn& i) {
    const auto port = static_cast<std::uint16_t>(c.read_op(i, 1));
    c.check_io(port, i.width);
    c.write_op(i, 0, c.io_in(port, i.width));
}

void out(Interpreter& c, const Insn& i) {
    const auto port = static_cast<std::uint16_t>(c.read_op(i, 0));
    c.check_io(port, i.width);
    c.io_out(port, c.read_op(i, 1) & alu::mask(i.width), i.width);
}

void movzx(Interpreter& c, const Insn& i) { c.set_reg(i.reg, i.opsize, c.read_op(i, 1)); }

void movsx(Interpreter& c, const Insn& i) {
    const unsigned src_width = i.info->operands[1] == Operand::Eb ? 1 : 2;
    c.set_reg(i.reg, i.opsize, alu::sign_extend(c.read_op(i, 1), src_width));
}

// WAIT: with no coprocessor (8086, 286) the BUSY/TEST pin is inactive, so WAIT falls through.
// From the 386 on it is the x87's synchronisation point: #NM if CR0.MP and TS, then any pending
// unmasked x87 exception (exec_fpu.cpp).
void wait(Interpreter& c, const Insn&) {
    if (c.at_least(CpuModel::I80386)) x87_wait(c);
}

// ESC without a coprocessor: the CPU computes the operand address and, on the 8086, reads it
// for the (absent) 8087 (8086 UM 2-49); nothing else changes.
void esc(Interpreter& c, const Insn& i) {
    // CR0.EM or TS: #NM, so an OS can emulate or lazily switch the FPU (SDM Vol. 3, 2.5).
    if (c.at_least(CpuModel::I80286) && (c.state().cr[0] & (cr0::EM | cr0::TS))) c.fault(vec::NM);
    if (!i.is_mem) return;
    if (c.is_8086()) {
        (void)c.read_mem(c.ea_seg(), c.ea_offset(), 1);
    } else if (c.at_least(CpuModel::I80386)) {
        return;
    } else {
        // The 286 still checks the operand's first word against the segment limit (measured:
        // D8 with the operand at offset FFFF raises #GP in real mode).
        c.check_limit(c.ea_seg(), c.ea_offset(), 2);
    }
}

}  // namespace lantern::exec
