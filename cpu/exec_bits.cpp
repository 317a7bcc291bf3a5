// 386 and later bit and exchange instructions: BT/BTS/BTR/BTC, BSF/BSR, SHLD/SHRD, SETcc,
// CMOVcc, BSWAP, XADD, CMPXCHG, CMPXCHG8B.
#include "cpu/alu.h"
#include "cpu/exec.h"
#include "cpu/interpreter.h"

namespace lantern::exec {

namespace {

void set_flags(Interpreter& c, std::uint32_t flags, std::uint32_t which) {
    auto& ef = c.state().eflags;
    ef = (ef & ~which) | (flags & which);
}

enum class BitOp { Test, Set, Reset, Complement };

// BT family (SDM Vol. 2, BT): with a register bit offset and a memory operand the offset is a
// signed bit string index that may reach outside the addressed word; an immediate offset is
// taken modulo the operand size.
void bit_op(Interpreter& c, const Insn& i, BitOp op) {
    const unsigned w = i.opsize;
    const unsigned bits = w * 8;
    const bool imm = i.info->operands[1] == Operand::Ib;
    std::uint32_t offset = c.read_op(i, 1);
    std::uint32_t value = 0;
    Seg seg = c.ea_seg();
    std::uint32_t addr = c.ea_offset();
    if (i.is_mem && !imm) {
        const auto signed_offset = static_cast<std::int32_t>(alu::sign_extend(offset, w));
        const std::int32_t word = signed_offset >> (w == 4 ? 5 : 4);  // arithmetic shift: floor
        addr += static_cast<std::uint32_t>(word) * w;
        if (i.addrsize == 2) addr &= 0xFFFF;
        value = c.read_mem(seg, addr, w);
    } else {
        value = c.read_op(i, 0);
    }
    const unsigned bit = offset & (bits - 1);
    const bool old = (value >> bit) & 1;
    c.set_flag(flag::CF, old);
    std::uint32_t result = value;
    switch (op) {
        case BitOp::Test: return;
        case BitOp::Set: result |= 1u << bit; break;
        case BitOp::Reset: result &= ~(1u << bit); break;
        case BitOp::Complement: result ^= 1u << bit; break;
    }
    if (i.is_mem && !imm)
        c.write_mem(seg, addr, result, w);
    else
        c.write_op(i, 0, result);
}

}  // namespace

void bt(Interpreter& c, const Insn& i) { bit_op(c, i, BitOp::Test); }
void bts(Interpreter& c, const Insn& i) { bit_op(c, i, BitOp::Set); }
void btr(Interpreter& c, const Insn& i) { bit_op(c, i, BitOp::Reset); }
void btc(Interpreter& c, const Insn& i) { bit_op(c, i, BitOp::Complement); }

// BSF/BSR: ZF=1 and the destination unchanged for a zero source (what P6 processors do; the
// manual calls the destination undefined).
void bsf(Interpreter& c, const Insn& i) {
    const std::uint32_t src = c.read_op(i, 1) & alu::mask(i.opsize);
    if (src == 0) {
        c.set_flag(flag::ZF, true);
        return;
    }
    unsigned n = 0;
    while (!((src >> n) & 1)) ++n;
    c.add_cycles(c.timing(i).extra * n / 8);
    c.set_reg(i.reg, i.opsize, n);
    set_flags(c, 0, flag::ZF);
}

void bsr(Interpreter& c, const Insn& i) {
    const std::uint32_t src = c.read_op(i, 1) & alu::mask(i.opsize);
    if (src == 0) {
        c.set_flag(flag::ZF, true);
        return;
    }
    unsigned n = i.opsize * 8 - 1;
    while (!((src >> n) & 1)) --n;
    c.set_reg(i.reg, i.opsize, n);
    set_flags(c, 0, flag::ZF);
}

// SHLD/SHRD (SDM Vol. 2): the count is taken modulo 32; a 16-bit operand with a count above 16
// is undefined and shifts the 48-bit pattern dest:src:dest, as the P6 does.
void shld(Interpreter& c, const Insn& i) {
    const unsigned w = i.opsize;
    const unsigned count = c.read_op(i, 2) & 0x1F;
    const std::uint32_t dest = c.read_op(i, 0), src = c.read_op(i, 1);
    if (count == 0) return;
    std::uint32_t result = 0;
    bool cf = false;
    if (w == 4) {
        const std::uint64_t x = (static_cast<std::uint64_t>(dest) << 32) | src;
        result = static_cast<std::uint32_t>((x << count) >> 32);
        cf = (x >> (64 - count)) & 1;
    } else {
        const std::uint64_t x = (static_cast<std::uint64_t>(dest & 0xFFFF) << 32) |
                                (static_cast<std::uint64_t>(src & 0xFFFF) << 16) | (dest & 0xFFFF);
        result = static_cast<std::uint32_t>((x << count) >> 32) & 0xFFFF;
        cf = (x >> (48 - count)) & 1;
    }
    c.write_op(i, 0, result);
    const bool of = ((result ^ dest) & alu::sign_bit(w)) != 0;
    set_flags(c, alu::szp(result, w) | (cf ? flag::CF : 0) | (of ? flag::OF : 0), flag::OSZAPC);
}

void shrd(Interpreter& c, const Insn& i) {
    const unsigned w = i.opsize;
    const unsigned count = c.read_op(i, 2) & 0x1F;
    const std::uint32_t dest = c.read_op(i, 0), src = c.read_op(i, 1);
    if (count == 0) return;
    std::uint32_t result = 0;
    bool cf = false;
    if (w == 4) {
        const std::uint64_t x = (static_cast<std::uint64_t>(src) << 32) | dest;
        result = static_cast<std::uint32_t>(x >> count);
        cf = (x >> (count - 1)) & 1;
    } else {
        const std::uint64_t x = (static_cast<std::uint64_t>(dest & 0xFFFF) << 32) |
                                (static_cast<std::uint64_t>(src & 0xFFFF) << 16) | (dest & 0xFFFF);
        result = static_cast<std::uint32_t>(x >> count) & 0xFFFF;
        cf = (x >> (count - 1)) & 1;
    }
    c.write_op(i, 0, result);
    const bool of = ((result ^ dest) & alu::sign_bit(w)) != 0;
    set_flags(c, alu::szp(result, w) | (cf ? flag::CF : 0) | (of ? flag::OF : 0), flag::OSZAPC);
}

void setcc(Interpreter& c, const Insn& i) { c.write_op(i, 0, c.condition(i.opcode & 0xF) ? 1 : 0); }

// CMOVcc reads its source (and may fault on it) whatever the condition (SDM Vol. 2, CMOVcc).
void cmovcc(Interpreter& c, const Insn& i) {
    const std::uint32_t v = c.read_op(i, 1);
    if (c.condition(i.opcode & 0xF)) c.set_reg(i.reg, i.opsize, v);
}

// BSWAP with a 16-bit operand is undefined; P6 processors clear the low word.
void bswap(Interpreter& c, const Insn& i) {
    const int r = i.opcode & 7;
    if (i.opsize == 2) {
        c.set_reg(r, 2, 0);
        return;
    }
    const std::uint32_t v = c.reg(r, 4);
    c.set_reg(r, 4, (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24));
}

void xadd(Interpreter& c, const Insn& i) {
    const unsigned w = i.width;
    const std::uint32_t dest = c.read_op(i, 0), src = c.read_op(i, 1);
    const auto r = alu::add(dest, src, 0, w);
    // TEMP = SRC + DEST; SRC = DEST; DEST = TEMP (SDM Vol. 2, XADD): with one register as both
    // operands the destination's write comes last and wins (XADD EAX, EAX doubles EAX). A memory
    // destination is written first instead, so a faulting write leaves the source register alone.
    if (i.is_mem) {
        c.write_op(i, 0, r.value);
        c.write_op(i, 1, dest);
    } else {
        c.write_op(i, 1, dest);
        c.write_op(i, 0, r.value);
    }
    set_flags(c, r.flags, flag::OSZAPC);
}

void cmpxchg(Interpreter& c, const Insn& i) {
    const unsigned w = i.width;
    const std::uint32_t dest = c.read_op(i, 0);
    const std::uint32_t acc = c.reg(0, w);
    const auto r = alu::sub(acc, dest, 0, w);
    set_flags(c, r.flags, flag::OSZAPC);
    if (r.value == 0) {
        c.write_op(i, 0, c.read_op(i, 1));
    } else {
        c.write_op(i, 0, dest);  // the destination is always written (a locked read-modify-write)
        c.set_reg(0, w, dest);
    }
}

void cmpxchg8b(Interpreter& c, const Insn& i) {
    if (!i.is_mem) c.fault(vec::UD);
    const std::uint32_t lo = c.read_mem(c.ea_seg(), c.ea_offset(), 4);
    const std::uint32_t hi = c.read_mem(c.ea_seg(), c.ea_plus(i, 4), 4);
    if (lo == c.reg(0, 4) && hi == c.reg(2, 4)) {
        c.write_mem(c.ea_seg(), c.ea_offset(), c.reg(3, 4), 4);
        c.write_mem(c.ea_seg(), c.ea_plus(i, 4), c.reg(1, 4), 4);
        c.set_flag(flag::ZF, true);
    } else {
        c.write_mem(c.ea_seg(), c.ea_offset(), lo, 4);
        c.write_mem(c.ea_seg(), c.ea_plus(i, 4), hi, 4);
        c.set_reg(0, 4, lo);
        c.set_reg(2, 4, hi);
        c.set_flag(flag::ZF, false);
    }
}

}  // namespace lantern::exec
