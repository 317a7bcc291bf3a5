// The x87 execution unit (see fpu_exec.h). Every instruction follows the same pattern: check the
// stack for faults (SDM Vol. 1, 8.5.1.1), compute with the Float80 functions, hand the flags to
// FpuState::signal() and deliver the result only if it says so. C1 reports "rounded up" after a
// rounding instruction and 0 otherwise (SDM Vol. 1, 8.1.3.3).
#include "cpu/fpu/fpu_exec.h"

namespace lantern::fpu::exec {

namespace {

// Set C3/C2/C0 from a comparison (SDM Vol. 2, FCOM Table 3-21) and clear C1.
void set_relation_codes(FpuState& s, Relation r) {
    switch (r) {
    case Relation::Greater: s.set_condition_codes(false, false, false, false); break;
    case Relation::Less: s.set_condition_codes(false, false, false, true); break;
    case Relation::Equal: s.set_condition_codes(true, false, false, false); break;
    case Relation::Unordered: s.set_condition_codes(true, true, false, true); break;
    }
}

FpResult compute(ArithOp op, Float80 dst, Float80 src, FpControl c) {
    switch (op) {
    case ArithOp::Add: return add(dst, src, c);
    case ArithOp::Mul: return mul(dst, src, c);
    case ArithOp::Sub: return sub(dst, src, c);
    case ArithOp::SubR: return sub(src, dst, c);
    case ArithOp::Div: return div(dst, src, c);
    case ArithOp::DivR: return div(src, dst, c);
    }
    return {};
}

// A denormal m32fp/m64fp source reports DE unless a NaN or a higher-priority IE/ZE took over.
std::uint8_t merge_operand_flags(std::uint8_t flags, Float80 other, const Operand& m) {
    if ((m.flags & exc::DE) && !(flags & (exc::IE | exc::ZE)) && !is_nan(other) && !is_nan(m.value))
        flags |= exc::DE;
    return flags;
}

// Deliver a one-register result into ST(i).
void deliver(FpuState& s, unsigned i, const FpResult& r) {
    if (s.signal(r.flags)) {
        s.set_st(i, r.value);
        s.set_c1(r.rounded_up);
    }
}

// Stack underflow on a register destination: the masked response writes the indefinite.
void underflow_into(FpuState& s, unsigned i) {
    if (s.stack_underflow()) s.set_st(i, kIndefinite);
}

// Stack check for an instruction that pushes: true when the push may go ahead.
bool room_to_push(FpuState& s) {
    if (s.is_empty(7)) return true;
    if (s.stack_overflow()) s.push(kIndefinite);
    return false;
}

void push_result(FpuState& s, const FpResult& r) {
    if (!room_to_push(s)) return;
    // Measured: FLD m32fp/m64fp of a denormal loads it even with DE unmasked (the exception is
    // still flagged and pending), unlike the arithmetic instructions.
    const bool denormal_only = r.flags == exc::DE;
    if (s.signal(r.flags) || denormal_only) {
        s.push(r.value);
        s.set_c1(false);
    }
}

template <class Fn>
void unary(FpuState& s, Fn fn) {
    if (s.is_empty(0)) return underflow_into(s, 0);
    deliver(s, 0, fn(s.st(0), s.fp_control()));
}

// ST(1) = fn(ST(1), ST(0)), then pop: FPATAN, FYL2X, FYL2XP1.
template <class Fn>
void binary_pop(FpuState& s, Fn fn) {
    if (s.is_empty(0) || s.is_empty(1)) {
        if (s.stack_underflow()) {
            s.set_st(1, kIndefinite);
            s.pop();
        }
        return;
    }
    const FpResult r = fn(s.st(1), s.st(0), s.fp_control());
    if (s.signal(r.flags)) {
        s.set_st(1, r.value);
        s.set_c1(r.rounded_up);
        s.pop();
    }
}

void pop_n(FpuState& s, unsigned n) {
    for (unsigned i = 0; i < n; ++i) s.pop();
}

}  // namespace

Operand operand_f32(std::uint32_t bits) {
    const FpResult r = widen_f32(bits);
    return {r.value, r.flags};
}
Operand operand_f64(std::uint64_t bits) {
    const FpResult r = widen_f64(bits);
    return {r.value, r.flags};
}
Operand operand_int(std::int64_t v) { return {from_int(v), 0}; }

void arith_mem(FpuState& s, ArithOp op, Operand m) {
    if (s.is_empty(0)) return underflow_into(s, 0);
    FpResult r = compute(op, s.st(0), m.value, s.fp_control());
    r.flags = merge_operand_flags(r.flags, s.st(0), m);
    deliver(s, 0, r);
}

void arith_reg(FpuState& s, ArithOp op, unsigned dst, unsigned src, bool pop) {
    if (s.is_empty(dst) || s.is_empty(src)) {
        if (s.stack_underflow()) {
            s.set_st(dst, kIndefinite);
            if (pop) s.pop();
        }
        return;
    }
    const FpResult r = compute(op, s.st(dst), s.st(src), s.fp_control());
    if (s.signal(r.flags)) {
        s.set_st(dst, r.value);
        s.set_c1(r.rounded_up);
        if (pop) s.pop();
    }
}

// ---- Loads ----

void fld(FpuState& s, Float80 v) { push_result(s, {v, 0, false}); }
void fld_f32(FpuState& s, std::uint32_t bits) { push_result(s, load_f32(bits)); }
void fld_f64(FpuState& s, std::uint64_t bits) { push_result(s, load_f64(bits)); }
void fild(FpuState& s, std::int64_t v) { push_result(s, {from_int(v), 0, false}); }
void fbld(FpuState& s, const Bcd80& bcd) { push_result(s, {from_bcd(bcd), 0, false}); }
void fld_constant(FpuState& s, FpConstant k) { push_result(s, {load_constant(k, s.fp_control().rc), 0, false}); }

void fld_sti(FpuState& s, unsigned i) {
    if (s.is_empty(i)) {
        if (s.stack_underflow()) s.push(kIndefinite);
        return;
    }
    push_result(s, {s.st(i), 0, false});
}

// ---- Stores ----

namespace {
// Common shape of the memory stores: underflow gives the format's indefinite when masked.
template <class T, class Convert>
std::optional<T> store(FpuState& s, bool pop, T indefinite, Convert convert) {
    if (s.is_empty(0)) {
        if (!s.stack_underflow()) return std::nullopt;
        if (pop) s.pop();
        return indefinite;
    }
    const auto r = convert(s.st(0));
    if (!s.signal(r.flags, true)) return std::nullopt;
    s.set_c1(r.rounded_up);
    if (pop) s.pop();
    return r.value_out;
}

template <class T>
struct Converted {
    T value_out{};
    std::uint8_t flags = 0;
    bool rounded_up = false;
};
}  // namespace

std::optional<std::uint32_t> fst_f32(FpuState& s, bool pop) {
    const FpControl c = s.fp_control();
    return store<std::uint32_t>(s, pop, 0xFFC00000u, [&](Float80 v) {
        const F32Result r = to_f32(v, c);
        return Converted<std::uint32_t>{r.bits, r.flags, r.rounded_up};
    });
}

std::optional<std::uint64_t> fst_f64(FpuState& s, bool pop) {
    const FpControl c = s.fp_control();
    return store<std::uint64_t>(s, pop, 0xFFF8000000000000u, [&](Float80 v) {
        const F64Result r = to_f64(v, c);
        return Converted<std::uint64_t>{r.bits, r.flags, r.rounded_up};
    });
}

std::optional<Float80> fstp_f80(FpuState& s) {
    return store<Float80>(s, true, kIndefinite, [](Float80 v) { return Converted<Float80>{v, 0, false}; });
}

std::optional<std::int64_t> fist(FpuState& s, unsigned bits, bool pop, bool truncate) {
    const FpControl c = s.fp_control();
    const std::int64_t indefinite = bits >= 64 ? INT64_MIN : -(std::int64_t{1} << (bits - 1));
    return store<std::int64_t>(s, pop || truncate, indefinite, [&](Float80 v) {
        const IntResult r = to_int(v, bits, truncate, c);
        return Converted<std::int64_t>{r.value, r.flags, r.rounded_up};
    });
}

std::optional<Bcd80> fbstp(FpuState& s) {
    const FpControl c = s.fp_control();
    return store<Bcd80>(s, true, kBcdIndefinite, [&](Float80 v) {
        const BcdResult r = to_bcd(v, c);
        return Converted<Bcd80>{r.bcd, r.flags, r.rounded_up};
    });
}

void fst_sti(FpuState& s, unsigned i, bool pop) {
    // FST ST(i) copies the register verbatim: no conversion, so no IE even for an SNaN.
    if (s.is_empty(0)) {
        if (s.stack_underflow()) {
            s.set_st(i, kIndefinite);
            if (pop) s.pop();
        }
        return;
    }
    s.set_st(i, s.st(0));
    s.set_c1(false);
    if (pop) s.pop();
}

// ---- Comparisons ----

namespace {
void compare_and_pop(FpuState& s, CompareResult r, unsigned pops) {
    const bool ok = s.signal(r.flags);
    // Measured: with IE unmasked the codes still read "unordered" but nothing is popped.
    set_relation_codes(s, r.relation);
    if (ok) pop_n(s, pops);
}
}  // namespace

void fcom_mem(FpuState& s, Operand m, unsigned pops) {
    if (s.is_empty(0)) return compare_and_pop(s, {Relation::Unordered, exc::IE | exc::SF}, pops);
    CompareResult r = compare(s.st(0), m.value, false);
    r.flags = merge_operand_flags(r.flags, s.st(0), m);
    compare_and_pop(s, r, pops);
}

void fcom_reg(FpuState& s, unsigned i, bool unordered, unsigned pops) {
    if (s.is_empty(0) || s.is_empty(i)) return compare_and_pop(s, {Relation::Unordered, exc::IE | exc::SF}, pops);
    compare_and_pop(s, compare(s.st(0), s.st(i), unordered), pops);
}

EflagsCompare fcomi(FpuState& s, unsigned i, bool unordered, bool pop) {
    // Measured on hardware: FCOMI leaves C0-C3 alone (even C1, which the SDM says is cleared),
    // and writes EFLAGS even when an unmasked IE or DE aborts it (then without popping).
    const bool c1 = (s.status & sw::C1) != 0;
    CompareResult r{Relation::Unordered, exc::IE | exc::SF};
    bool ok = true;
    if (s.is_empty(0) || s.is_empty(i)) {
        ok = s.stack_underflow();
    } else {
        r = compare(s.st(0), s.st(i), unordered);
        ok = s.signal(r.flags);
        s.set_c1(c1);
    }
    if (ok && pop) s.pop();
    switch (r.relation) {
    case Relation::Greater: return {false, false, false};
    case Relation::Less: return {false, false, true};
    case Relation::Equal: return {true, false, false};
    default: return {true, true, true};
    }
}

void ftst(FpuState& s) {
    if (s.is_empty(0)) return compare_and_pop(s, {Relation::Unordered, exc::IE | exc::SF}, 0);
    compare_and_pop(s, compare(s.st(0), kPositiveZero, false), 0);
}

void fxam(FpuState& s) { s.examine(); }

// ---- One-register operations ----

void fchs(FpuState& s) {
    if (s.is_empty(0)) return underflow_into(s, 0);
    s.set_st(0, s.st(0).negated());
    s.set_c1(false);
}

void fabs(FpuState& s) {
    if (s.is_empty(0)) return underflow_into(s, 0);
    s.set_st(0, s.st(0).abs());
    s.set_c1(false);
}

void fsqrt(FpuState& s) { unary(s, [](Float80 a, FpControl c) { return sqrt(a, c); }); }
void frndint(FpuState& s) { unary(s, [](Float80 a, FpControl c) { return round_to_integer(a, c); }); }
void f2xm1(FpuState& s) { unary(s, [](Float80 a, FpControl c) { return lantern::fpu::f2xm1(a, c); }); }

namespace {
template <class Fn>
void trig(FpuState& s, Fn fn) {
    s.set_c2(false);
    if (s.is_empty(0)) return underflow_into(s, 0);
    const TrigResult r = fn(s.st(0), s.fp_control(), s.trig_reduction);
    if (r.out_of_range) return s.set_c2(true);  // SDM Vol. 2, FSIN: operand left unchanged
    deliver(s, 0, r.value);
}
}  // namespace

void fsin(FpuState& s) { trig(s, [](Float80 a, FpControl c, TrigReduction m) { return lantern::fpu::fsin(a, c, m); }); }
void fcos(FpuState& s) { trig(s, [](Float80 a, FpControl c, TrigReduction m) { return lantern::fpu::fcos(a, c, m); }); }

// ---- Two-register and stack-growing operations ----

void fscale(FpuState& s) {
    if (s.is_empty(0) || s.is_empty(1)) return underflow_into(s, 0);
    deliver(s, 0, scale(s.st(0), s.st(1), s.fp_control()));
}

void fprem(FpuState& s, bool ieee) {
    s.set_c2(false);
    if (s.is_empty(0) || s.is_empty(1)) return underflow_into(s, 0);
    const RemainderResult r = partial_remainder(s.st(0), s.st(1), ieee, s.fp_control());
    if (!s.signal(r.flags)) return;
    s.set_st(0, r.value);
    s.set_c2(r.incomplete);
    s.set_c1(false);  // measured: a NaN or invalid result clears C1 and C2, keeps C0 and C3
    if (r.quotient_valid) {
        // C0 = Q2, C3 = Q1, C1 = Q0 (SDM Vol. 2, FPREM "FPU Flags Affected").
        s.set_condition_codes((r.quotient_bits & 2) != 0, r.incomplete, (r.quotient_bits & 1) != 0,
                              (r.quotient_bits & 4) != 0);
    }
}

void fpatan(FpuState& s) { binary_pop(s, [](Float80 y, Float80 x, FpControl c) { return lantern::fpu::fpatan(y, x, c); }); }
void fyl2x(FpuState& s) { binary_pop(s, [](Float80 y, Float80 x, FpControl c) { return lantern::fpu::fyl2x(y, x, c); }); }
void fyl2xp1(FpuState& s) { binary_pop(s, [](Float80 y, Float80 x, FpControl c) { return lantern::fpu::fyl2xp1(y, x, c); }); }

namespace {
// ST(0) = first, then push second: FXTRACT, FSINCOS, FPTAN. Both a stack underflow on ST(0)
// and an overflow on the push deliver two indefinites when masked.
void replace_and_push(FpuState& s, Float80 first, Float80 second, std::uint8_t flags, bool c1) {
    if (!s.signal(flags)) return;
    s.set_st(0, first);
    s.push(second);
    s.set_c1(c1);
}

bool two_result_stack_check(FpuState& s) {
    if (s.is_empty(0)) {
        if (s.stack_underflow()) {
            s.set_st(0, kIndefinite);
            s.push(kIndefinite);
        }
        return false;
    }
    if (!s.is_empty(7)) {
        if (s.stack_overflow()) {
            s.set_st(0, kIndefinite);
            s.push(kIndefinite);
        }
        return false;
    }
    return true;
}
}  // namespace

void fxtract(FpuState& s) {
    if (!two_result_stack_check(s)) return;
    const ExtractResult r = extract(s.st(0));
    replace_and_push(s, r.exponent, r.significand, r.flags, false);
}

void fsincos(FpuState& s) {
    s.set_c2(false);
    if (!two_result_stack_check(s)) return;
    const TrigPairResult r = lantern::fpu::fsincos(s.st(0), s.fp_control(), s.trig_reduction);
    if (r.out_of_range) return s.set_c2(true);
    replace_and_push(s, r.first.value, r.second.value, r.first.flags | r.second.flags, r.second.rounded_up);
}

void fptan(FpuState& s) {
    s.set_c2(false);
    if (!two_result_stack_check(s)) return;
    const TrigPairResult r = lantern::fpu::fptan(s.st(0), s.fp_control(), s.trig_reduction);
    if (r.out_of_range) return s.set_c2(true);
    replace_and_push(s, r.first.value, r.second.value, r.first.flags, r.first.rounded_up);
}

// ---- Stack and control ----

void fxch(FpuState& s, unsigned i) {
    if (s.is_empty(0) || s.is_empty(i)) {
        if (!s.stack_underflow()) return;
        // Masked response: empty registers take the indefinite, then the exchange happens.
        if (s.is_empty(0)) s.set_st(0, kIndefinite);
        if (s.is_empty(i)) s.set_st(i, kIndefinite);
    } else {
        s.set_c1(false);
    }
    const Float80 a = s.st(0);
    const Float80 b = s.st(i);
    s.set_st(0, b);
    s.set_st(i, a);
}

void fcmov(FpuState& s, unsigned i) {
    if (s.is_empty(0) || s.is_empty(i)) return underflow_into(s, 0);
    s.set_st(0, s.st(i));
}

void ffree(FpuState& s, unsigned i) {
    s.set_tag(s.physical(i), Tag::Empty);
    s.set_c1(false);  // C0-C3 are "undefined"; measured: C1 cleared, the others kept
}

void ffreep(FpuState& s, unsigned i) {
    ffree(s, i);
    s.pop();
}

void fincstp(FpuState& s) {
    s.set_top(s.top() + 1);  // TOP moves, tags do not (SDM Vol. 2, FINCSTP)
    s.set_c1(false);
}

void fdecstp(FpuState& s) {
    s.set_top(s.top() - 1);
    s.set_c1(false);
}

void note_instruction(FpuState& s, FpuPointer ip, std::uint16_t opcode11, std::optional<FpuPointer> operand) {
    s.last_instruction = ip;
    s.last_opcode = static_cast<std::uint16_t>(opcode11 & 0x7FFu);
    if (operand) s.last_operand = *operand;
}

}  // namespace lantern::fpu::exec
