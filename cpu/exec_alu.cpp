// Integer arithmetic and logic: ADD ADC SUB SBB CMP AND OR XOR TEST INC DEC NEG NOT.
#include "cpu/alu.h"
#include "cpu/exec.h"
#include "cpu/interpreter.h"

namespace lantern::exec {

namespace {

void set_arith_flags(Interpreter& c, std::uint32_t flags, std::uint32_t which = flag::OSZAPC) {
    auto& ef = c.state().eflags;
    ef = (ef & ~which) | (flags & which);
}

enum class BinOp { Add, Adc, Sub, Sbb, Cmp, And, Or, Xor, Test };

void binary(Interpreter& c, const Insn& i, BinOp op) {
    const unsigned w = i.width;
    std::uint32_t a = c.read_op(i, 0);
    std::uint32_t b = c.read_op(i, 1);
    const unsigned carry = c.get_flag(flag::CF) ? 1 : 0;
    alu::Result r{};
    switch (op) {
        case BinOp::Add: r = alu::add(a, b, 0, w); break;
        case BinOp::Adc: r = alu::add(a, b, carry, w); break;
        case BinOp::Sub: case BinOp::Cmp: r = alu::sub(a, b, 0, w); break;
        case BinOp::Sbb: r = alu::sub(a, b, carry, w); break;
        case BinOp::And: case BinOp::Test: r = alu::logic(a & b, w); break;
        case BinOp::Or: r = alu::logic(a | b, w); break;
        case BinOp::Xor: r = alu::logic(a ^ b, w); break;
    }
    if (op != BinOp::Cmp && op != BinOp::Test) c.write_op(i, 0, r.value);
    set_arith_flags(c, r.flags);
}

}  // namespace

void add(Interpreter& c, const Insn& i) { binary(c, i, BinOp::Add); }
void adc(Interpreter& c, const Insn& i) { binary(c, i, BinOp::Adc); }
void sub(Interpreter& c, const Insn& i) { binary(c, i, BinOp::Sub); }
void sbb(Interpreter& c, const Insn& i) { binary(c, i, BinOp::Sbb); }
void cmp(Interpreter& c, const Insn& i) { binary(c, i, BinOp::Cmp); }
void and_(Interpreter& c, const Insn& i) { binary(c, i, BinOp::And); }
void or_(Interpreter& c, const Insn& i) { binary(c, i, BinOp::Or); }
void xor_(Interpreter& c, const Insn& i) { binary(c, i, BinOp::Xor); }
void test(Interpreter& c, const Insn& i) { binary(c, i, BinOp::Test); }

// INC and DEC leave CF alone (SDM Vol. 2, INC).
void inc(Interpreter& c, const Insn& i) {
    auto r = alu::add(c.read_op(i, 0), 1, 0, i.width);
    c.write_op(i, 0, r.value);
    set_arith_flags(c, r.flags, flag::OSZAPC & ~flag::CF);
}

void dec(Interpreter& c, const Insn& i) {
    auto r = alu::sub(c.read_op(i, 0), 1, 0, i.width);
    c.write_op(i, 0, r.value);
    set_arith_flags(c, r.flags, flag::OSZAPC & ~flag::CF);
}

void neg(Interpreter& c, const Insn& i) {
    auto r = alu::sub(0, c.read_op(i, 0), 0, i.width);
    c.write_op(i, 0, r.value);
    set_arith_flags(c, r.flags);
}

void not_(Interpreter& c, const Insn& i) { c.write_op(i, 0, ~c.read_op(i, 0)); }

}  // namespace lantern::exec
