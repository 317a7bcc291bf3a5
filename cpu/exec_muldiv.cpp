// Multiplication, division, decimal adjust and sign extension:
// MUL IMUL DIV IDIV AAA AAS DAA DAS AAM AAD CBW CWD SALC.
#include <cstdint>

#include "cpu/alu.h"
#include "cpu/exec.h"
#include "cpu/interpreter.h"

namespace lantern::exec {

namespace {

void set_flags(Interpreter& c, std::uint32_t flags, std::uint32_t which) {
    auto& ef = c.state().eflags;
    ef = (ef & ~which) | (flags & which);
}

// MUL/IMUL define only CF and OF; SF, ZF, PF and AF are undefined. These models leave SZP as
// the high half of the product would set them and clear AF.
void mul_flags(Interpreter& c, bool overflow, std::uint32_t high, unsigned width) {
    std::uint32_t f = alu::szp(high, width);
    if (overflow) f |= flag::CF | flag::OF;
    set_flags(c, f, flag::OSZAPC);
}

}  // namespace

void mul(Interpreter& c, const Insn& i) {
    const unsigned w = i.width;
    const std::uint32_t src = c.read_op(i, 0) & alu::mask(w);
    if (w == 1) {
        const std::uint32_t p = c.reg(0, 1) * src;
        c.set_reg(0, 2, p);
        mul_flags(c, (p >> 8) != 0, p >> 8, 1);
    } else if (w == 2) {
        const std::uint32_t p = c.reg(0, 2) * src;
        c.set_reg(0, 2, p);
        c.set_reg(2, 2, p >> 16);
        mul_flags(c, (p >> 16) != 0, p >> 16, 2);
    } else {
        const std::uint64_t p = static_cast<std::uint64_t>(c.reg(0, 4)) * src;
        c.set_reg(0, 4, static_cast<std::uint32_t>(p));
        c.set_reg(2, 4, static_cast<std::uint32_t>(p >> 32));
        mul_flags(c, (p >> 32) != 0, static_cast<std::uint32_t>(p >> 32), 4);
    }
}

void imul(Interpreter& c, const Insn& i) {
    const unsigned w = i.width;
    const std::uint32_t src = c.read_op(i, 0);
    // On the 8086 a REP prefix negates the product (microcode side effect; 8086 test suite notes).
    const bool negate = c.is_8086() && i.rep != RepPrefix::None;
    if (w == 1) {
        std::int32_t p = static_cast<std::int8_t>(c.reg(0, 1)) * static_cast<std::int8_t>(src);
        if (negate) p = -p;
        c.set_reg(0, 2, static_cast<std::uint32_t>(p));
        const bool fits = p == static_cast<std::int8_t>(p);
        mul_flags(c, !fits, static_cast<std::uint32_t>(p) >> 8, 1);
    } else if (w == 2) {
        std::int32_t p = static_cast<std::int16_t>(c.reg(0, 2)) * static_cast<std::int16_t>(src);
        if (negate) p = -p;
        c.set_reg(0, 2, static_cast<std::uint32_t>(p));
        c.set_reg(2, 2, static_cast<std::uint32_t>(p) >> 16);
        const bool fits = p == static_cast<std::int16_t>(p);
        mul_flags(c, !fits, static_cast<std::uint32_t>(p) >> 16, 2);
    } else {
        const std::int64_t p = static_cast<std::int64_t>(static_cast<std::int32_t>(c.reg(0, 4))) *
                               static_cast<std::int32_t>(src);
        c.set_reg(0, 4, static_cast<std::uint32_t>(p));
        c.set_reg(2, 4, static_cast<std::uint32_t>(static_cast<std::uint64_t>(p) >> 32));
        const bool fits = p == static_cast<std::int32_t>(p);
        mul_flags(c, !fits, static_cast<std::uint32_t>(static_cast<std::uint64_t>(p) >> 32), 4);
    }
}

namespace {
// IMUL with a register destination: the product truncated to the operand size.
void imul_truncated(Interpreter& c, const Insn& i, std::uint32_t a_raw, std::uint32_t b_raw) {
    const unsigned w = i.opsize;
    const std::int64_t a = static_cast<std::int32_t>(alu::sign_extend(a_raw, w));
    const std::int64_t b = static_cast<std::int32_t>(alu::sign_extend(b_raw, w));
    const std::int64_t p = a * b;
    const std::uint32_t r = static_cast<std::uint32_t>(p) & alu::mask(w);
    c.set_reg(i.reg, w, r);
    const bool fits = p == static_cast<std::int64_t>(static_cast<std::int32_t>(alu::sign_extend(r, w)));
    mul_flags(c, !fits, static_cast<std::uint32_t>(static_cast<std::uint64_t>(p) >> (w * 8)), w);
}
}  // namespace

// IMUL r, r/m, imm (80186+).
void imul3(Interpreter& c, const Insn& i) { imul_truncated(c, i, c.read_op(i, 1), c.read_op(i, 2)); }

// IMUL r, r/m (386+, 0F AF).
void imul2(Interpreter& c, const Insn& i) { imul_truncated(c, i, c.read_op(i, 0), c.read_op(i, 1)); }

void div(Interpreter& c, const Insn& i) {
    const unsigned w = i.width;
    const std::uint32_t src = c.read_op(i, 0) & alu::mask(w);
    if (src == 0) c.fault(vec::DE);
    if (w == 1) {
        const std::uint32_t dividend = c.reg(0, 2);
        const std::uint32_t q = dividend / src, r = dividend % src;
        if (q > 0xFF) c.fault(vec::DE);
        c.set_reg(0, 1, q);
        c.set_reg(4, 1, r);  // AH
    } else if (w == 2) {
        const std::uint32_t dividend = (c.reg(2, 2) << 16) | c.reg(0, 2);
        const std::uint32_t q = dividend / src, r = dividend % src;
        if (q > 0xFFFF) c.fault(vec::DE);
        c.set_reg(0, 2, q);
        c.set_reg(2, 2, r);
    } else {
        const std::uint64_t dividend = (static_cast<std::uint64_t>(c.reg(2, 4)) << 32) | c.reg(0, 4);
        const std::uint64_t q = dividend / src, r = dividend % src;
        if (q > 0xFFFFFFFFull) c.fault(vec::DE);
        c.set_reg(0, 4, static_cast<std::uint32_t>(q));
        c.set_reg(2, 4, static_cast<std::uint32_t>(r));
    }
}

void idiv(Interpreter& c, const Insn& i) {
    const unsigned w = i.width;
    const std::int32_t src = static_cast<std::int32_t>(alu::sign_extend(c.read_op(i, 0), w));
    if (src == 0) c.fault(vec::DE);
    // The 8086 rejects the most negative quotient (-128 / -32768) as an overflow; the 286
    // accepts it (80286 PRM, IDIV). A REP prefix on the 8086 negates the quotient.
    const bool is8086 = c.is_8086();
    const bool negate = is8086 && i.rep != RepPrefix::None;
    if (w == 1) {
        const std::int32_t dividend = static_cast<std::int16_t>(c.reg(0, 2));
        std::int32_t q = dividend / src;
        const std::int32_t r = dividend % src;
        if (negate) q = -q;
        if (q > 127 || q < (is8086 ? -127 : -128)) c.fault(vec::DE);
        c.set_reg(0, 1, static_cast<std::uint32_t>(q));
        c.set_reg(4, 1, static_cast<std::uint32_t>(r));
    } else if (w == 2) {
        const std::int64_t dividend = static_cast<std::int32_t>((c.reg(2, 2) << 16) | c.reg(0, 2));
        std::int64_t q = dividend / src;
        const std::int64_t r = dividend % src;
        if (negate) q = -q;
        if (q > 32767 || q < (is8086 ? -32767 : -32768)) c.fault(vec::DE);
        c.set_reg(0, 2, static_cast<std::uint32_t>(q));
        c.set_reg(2, 2, static_cast<std::uint32_t>(r));
    } else {
        const auto dividend =
            static_cast<std::int64_t>((static_cast<std::uint64_t>(c.reg(2, 4)) << 32) | c.reg(0, 4));
        // INT64_MIN / -1 overflows the host too: it is a divide error on the CPU anyway.
        if (dividend == INT64_MIN && src == -1) c.fault(vec::DE);
        const std::int64_t q = dividend / src, r = dividend % src;
        if (q > INT32_MAX || q < INT32_MIN) c.fault(vec::DE);
        c.set_reg(0, 4, static_cast<std::uint32_t>(q));
        c.set_reg(2, 4, static_cast<std::uint32_t>(r));
    }
}

// ---- Decimal adjust (SDM Vol. 2, AAA/AAS/DAA/DAS/AAM/AAD pseudo-code) ----

void aaa(Interpreter& c, const Insn&) {
    std::uint32_t al = c.reg(0, 1);
    std::uint32_t f = 0;
    if ((al & 0x0F) > 9 || c.get_flag(flag::AF)) {
        if (c.is_8086()) {
            c.set_reg(0, 1, al + 6);
            c.set_reg(4, 1, c.reg(4, 1) + 1);
        } else {
            c.set_reg(0, 2, c.reg(0, 2) + 0x106);
        }
        f |= flag::AF | flag::CF;
    }
    c.set_reg(0, 1, c.reg(0, 1) & 0x0F);
    set_flags(c, f | alu::szp(c.reg(0, 1), 1), flag::OSZAPC);
}

void aas(Interpreter& c, const Insn&) {
    std::uint32_t al = c.reg(0, 1);
    std::uint32_t f = 0;
    if ((al & 0x0F) > 9 || c.get_flag(flag::AF)) {
        if (c.is_8086()) {
            c.set_reg(0, 1, al - 6);
            c.set_reg(4, 1, c.reg(4, 1) - 1);
        } else {
            c.set_reg(0, 2, c.reg(0, 2) - 6);
            c.set_reg(4, 1, c.reg(4, 1) - 1);
        }
        f |= flag::AF | flag::CF;
    }
    c.set_reg(0, 1, c.reg(0, 1) & 0x0F);
    set_flags(c, f | alu::szp(c.reg(0, 1), 1), flag::OSZAPC);
}

// The second adjustment's threshold is AL > 99h on the 286 and later, but AL > 9Fh on the
// 8086 when AF was set on entry (measured on an 8086 by the SingleStepTests suite).
namespace {
std::uint32_t decimal_high_threshold(const Interpreter& c) {
    return (c.is_8086() && c.get_flag(flag::AF)) ? 0x9F : 0x99;
}
}  // namespace

void daa(Interpreter& c, const Insn&) {
    std::uint32_t al = c.reg(0, 1);
    const std::uint32_t old_al = al;
    const bool old_cf = c.get_flag(flag::CF);
    const std::uint32_t threshold = decimal_high_threshold(c);
    std::uint32_t f = 0;
    if ((al & 0x0F) > 9 || c.get_flag(flag::AF)) {
        al += 6;
        f |= flag::AF;
    }
    if (old_al > threshold || old_cf) {
        al += 0x60;
        f |= flag::CF;
    }
    al &= 0xFF;
    c.set_reg(0, 1, al);
    set_flags(c, f | alu::szp(al, 1), flag::OSZAPC);
}

void das(Interpreter& c, const Insn&) {
    std::uint32_t al = c.reg(0, 1);
    const std::uint32_t old_al = al;
    const bool old_cf = c.get_flag(flag::CF);
    const std::uint32_t threshold = decimal_high_threshold(c);
    std::uint32_t f = 0;
    if ((al & 0x0F) > 9 || c.get_flag(flag::AF)) {
        // The 286 keeps the borrow of this step in CF (SDM pseudo-code); the 8086 does not.
        if (!c.is_8086() && al < 6) f |= flag::CF;
        al -= 6;
        f |= flag::AF;
    }
    if (old_al > threshold || old_cf) {
        al -= 0x60;
        f |= flag::CF;
    }
    al &= 0xFF;
    c.set_reg(0, 1, al);
    set_flags(c, f | alu::szp(al, 1), flag::OSZAPC);
}

void aam(Interpreter& c, const Insn& i) {
    std::uint32_t base = i.imm & 0xFF;
    if (base == 0) {
        // The divide error leaves flags as the hardware's division step set them (measured by
        // the SingleStepTests suites): the 8086 as for a zero result, the 286 ZF=SF=0, PF=1.
        set_flags(c, c.is_8086() ? alu::szp(0, 1) : flag::PF, flag::OSZAPC);
        c.fault(0);
    }
    std::uint32_t al = c.reg(0, 1);
    c.set_reg(4, 1, al / base);
    c.set_reg(0, 1, al % base);
    set_flags(c, alu::szp(c.reg(0, 1), 1), flag::OSZAPC);
}

void aad(Interpreter& c, const Insn& i) {
    // The hardware forms AL + AH * imm8 with its adder, so OF, AF and CF come from that add.
    std::uint32_t base = i.imm & 0xFF;
    auto r = alu::add(c.reg(0, 1), (c.reg(4, 1) * base) & 0xFF, 0, 1);
    c.set_reg(0, 2, r.value);
    set_flags(c, r.flags, flag::OSZAPC);
}

// CBW/CWDE and CWD/CDQ by operand size.
void cbw(Interpreter& c, const Insn& i) {
    if (i.opsize == 4)
        c.set_reg(0, 4, alu::sign_extend(c.reg(0, 2), 2));
    else
        c.set_reg(0, 2, alu::sign_extend(c.reg(0, 1), 1));
}

void cwd(Interpreter& c, const Insn& i) {
    if (i.opsize == 4)
        c.set_reg(2, 4, (c.reg(0, 4) & 0x80000000u) ? 0xFFFFFFFFu : 0);
    else
        c.set_reg(2, 2, (c.reg(0, 2) & 0x8000) ? 0xFFFF : 0);
}

// SALC (undocumented, D6): AL = CF ? FF : 00.
void salc(Interpreter& c, const Insn&) { c.set_reg(0, 1, c.get_flag(flag::CF) ? 0xFF : 0x00); }

}  // namespace lantern::exec
