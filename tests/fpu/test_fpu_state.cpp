// FpuState: reset values, the register stack and tags, stack faults, exception delivery
// (masked responses, ES/B for #MF/FERR#), FXAM classes and the StateVisitor walk.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "cpu/fpu/fpu_exec.h"
#include "cpu/fpu/fpu_state.h"
#include "cpu/state_visitor.h"

using namespace lantern::fpu;

namespace {

// Records every field by its dotted path; with `load` set it writes values back.
class MapVisitor : public lantern::StateVisitor {
public:
    bool load = false;
    std::map<std::string, std::uint64_t> values;
    bool loading() const override { return load; }
    void begin_group(std::string_view name) override { path_.emplace_back(name); }
    void end_group() override { path_.pop_back(); }
    void field(std::string_view name, std::uint64_t& value, unsigned, std::string_view) override {
        std::string key;
        for (const auto& p : path_) key += p + ".";
        key += name;
        if (load)
            value = values.at(key);
        else
            values[key] = value;
    }
    void text(std::string_view, std::string&) override {}
    void bytes(std::string_view, std::span<std::uint8_t>) override {}

private:
    std::vector<std::string> path_;
};

std::uint16_t flags_of(const FpuState& s) { return s.status & 0x7F; }

}  // namespace

TEST_SUITE("fpu_state") {
TEST_CASE("reset values") {
    FpuState s{};
    CHECK(s.control == 0x037F);
    CHECK(s.status == 0);
    CHECK(s.tags == 0xFFFF);
    s.power_on_reset();  // SDM Vol. 3, Table 9-1
    CHECK(s.control == 0x0040);
    CHECK(s.tags == 0x5555);
    CHECK(s.regs[3] == kPositiveZero);
    s.finit();
    CHECK(s.control == 0x037F);
    CHECK(s.tags == 0xFFFF);
}

TEST_CASE("push, pop, TOP wrap-around and tags") {
    FpuState s{};
    s.push(kOne);
    CHECK(s.top() == 7);
    CHECK(s.tag(7) == Tag::Valid);
    s.push(kPositiveZero);
    s.push(kIndefinite);
    s.push(Float80::make(false, 0, 1));
    CHECK(s.top() == 4);
    CHECK(s.tag(6) == Tag::Zero);
    CHECK(s.tag(5) == Tag::Special);
    CHECK(s.tag(4) == Tag::Special);  // denormal
    CHECK(s.st(3) == kOne);
    CHECK(s.physical(3) == 7);
    s.pop();
    CHECK(s.top() == 5);
    CHECK(s.tag(4) == Tag::Empty);
    CHECK(s.tags == 0x1BFF);  // R7 valid, R6 zero, R5 special, R0-R4 empty
}

TEST_CASE("control word: reserved bits, ES re-derived by FLDCW, FCLEX") {
    FpuState s{};
    s.load_control(0x0000);
    CHECK(s.stored_control() == 0x0040);
    s.load_control(0xFFFF);
    CHECK(s.stored_control() == 0x1F7F);
    s.status |= exc::PE;  // a masked, recorded exception...
    CHECK_FALSE(s.exception_pending());
    s.load_control(0x035F);  // ...becomes pending when PM is cleared
    CHECK(s.exception_pending());
    CHECK((s.status & sw::B) != 0);
    exec::fnclex(s);
    CHECK(s.status == 0);
}

TEST_CASE("stack overflow and underflow, masked and unmasked") {
    FpuState s{};
    for (int i = 0; i < 8; ++i) exec::fld(s, kOne);
    exec::fld(s, kOne);  // ninth push: overflow, masked: the indefinite is pushed
    CHECK(flags_of(s) == (exc::IE | exc::SF));
    CHECK((s.status & sw::C1) != 0);
    CHECK(s.st(0) == kIndefinite);
    CHECK_FALSE(s.exception_pending());

    FpuState e{};
    exec::arith_reg(e, exec::ArithOp::Add, 0, 1, false);  // both empty: underflow
    CHECK(flags_of(e) == (exc::IE | exc::SF));
    CHECK((e.status & sw::C1) == 0);
    CHECK(e.st(0) == kIndefinite);

    FpuState u{};
    u.load_control(0x037E);  // IM clear: invalid unmasked
    exec::fld(u, kOne);
    exec::fsqrt(u);
    CHECK(u.st(0) == kOne);
    exec::fchs(u);
    exec::fsqrt(u);  // sqrt(-1): unmasked IE, ST(0) unchanged, #MF pending
    CHECK(u.st(0) == kOne.negated());
    CHECK(u.exception_pending());
    CHECK((u.status & (sw::ES | sw::B)) == (sw::ES | sw::B));
    const std::uint16_t before = u.top();
    u.clear_exceptions();
    exec::arith_reg(u, exec::ArithOp::Add, 0, 3, true);  // ST(3) empty: unmasked underflow
    CHECK(u.top() == before);                              // nothing popped
    CHECK(u.exception_pending());
}

TEST_CASE("signal(): unmasked IE/ZE/DE stop the result; OE/UE to memory suppress the store") {
    FpuState s{};
    s.load_control(0x0340);  // everything unmasked
    CHECK_FALSE(s.signal(exc::IE));
    CHECK(s.signal(exc::PE));  // inexact alone still delivers
    s.clear_exceptions();
    CHECK_FALSE(s.signal(exc::DE | exc::PE));
    CHECK(flags_of(s) == exc::DE);  // nothing below DE's priority is recorded
    s.clear_exceptions();
    CHECK(s.signal(exc::OE | exc::PE, false));  // a register gets the wrapped value
    s.clear_exceptions();
    CHECK_FALSE(s.signal(exc::OE | exc::PE, true));
    CHECK(flags_of(s) == exc::OE);  // memory: not stored, PE not reported
}

TEST_CASE("FXAM classes (C3 C2 C0, C1 = sign)") {
    struct {
        Float80 v;
        std::uint16_t codes;
    } table[] = {
        {Float80::make(false, 0x3FFF, 0x4000000000000000u), 0},                 // unsupported
        {kIndefinite, sw::C0 | sw::C1},                                          // NaN, negative
        {kOne, sw::C2},                                                          // normal
        {kNegativeInfinity, sw::C2 | sw::C0 | sw::C1},                           // infinity
        {kPositiveZero, sw::C3},                                                 // zero
        {Float80::make(false, 0, 0x123), sw::C3 | sw::C2},                       // denormal
        {Float80::make(false, 0, 0x8000000000000000u), sw::C3 | sw::C2},         // pseudo-denormal
    };
    for (const auto& t : table) {
        FpuState s{};
        exec::fld(s, t.v);
        exec::fxam(s);
        CHECK((s.status & sw::ConditionCodes) == t.codes);
    }
    FpuState empty{};
    exec::fxam(empty);
    CHECK((empty.status & (sw::C3 | sw::C2 | sw::C0)) == (sw::C3 | sw::C0));
}

TEST_CASE("inspect walks every field and restores them") {
    FpuState s{};
    exec::fld(s, kOne);
    exec::fld_constant(s, FpConstant::Pi);
    s.last_instruction = {0x0008, 0x1234};
    s.last_opcode = 0x5EF;
    MapVisitor save;
    s.inspect(save);
    CHECK(save.values.at("fcw") == 0x037F);
    CHECK(save.values.at("fsw") == 0x3000);
    CHECK(save.values.at("regs.r6.sign_exponent") == 0x4000);
    CHECK(save.values.at("fip.offset") == 0x1234);
    CHECK(save.values.size() == 4 + 4 + 16);
    FpuState restored{};
    MapVisitor load = save;
    load.load = true;
    restored.inspect(load);
    CHECK(restored == s);
}
}
