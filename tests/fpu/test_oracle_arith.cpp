// Differential tests of the Float80 arithmetic against the host's x87, all exceptions masked:
// every RC x PC combination, edge-biased random operands, bit-exact value, flags and C1.
#include <doctest/doctest.h>

#include "tests/fpu/host_x87.h"
#include "tests/fpu/test_util.h"

using namespace lantern::fpu;
using namespace lantern::fpu::test;

#if defined(LANTERN_HOST_X87)

namespace {

constexpr int kIterations = 4000;  // per RC x PC combination

struct Mismatch {
    int count = 0;
    void report(const char* op, Float80 a, Float80 b, std::uint16_t cw, Float80 want, std::uint16_t want_sw,
                Float80 got, std::uint8_t got_flags, bool got_c1) {
        if (++count <= 8)
            MESSAGE(std::string(op) << " cw=" << std::hex << cw << " a=" << hex(a) << " b=" << hex(b) << " host=" << hex(want)
                       << " sw=" << want_sw << " ours=" << hex(got) << " flags=" << int(got_flags)
                       << " c1=" << got_c1);
    }
};

template <class Ours, class Host>
void sweep(const char* name, Ours ours, Host host, Mix mix, bool unary = false) {
    Mismatch mm;
    Rng rng(0x1A2B3C4D5E6F7788u ^ std::hash<std::string>{}(name));
    for (unsigned rc = 0; rc < 4; ++rc)
        for (unsigned pc = 0; pc < 4; ++pc) {
            const std::uint16_t cw = control_word(rc, pc);
            const FpControl c = FpControl::from_control_word(cw);
            for (int i = 0; i < kIterations; ++i) {
                const Float80 a = random_operand(rng, mix);
                const Float80 b = unary ? kOne : random_operand(rng, mix, a.exponent());
                const host::Out h = host(a, b, cw);
                const FpResult r = ours(a, b, c);
                const bool c1 = (h.sw >> 9) & 1u;
                if (!(h.st0 == r.value) || (h.sw & 0x3F) != r.flags || c1 != r.rounded_up)
                    mm.report(name, a, b, cw, h.st0, h.sw, r.value, r.flags, r.rounded_up);
            }
        }
    CHECK_MESSAGE(mm.count == 0, std::string(name) << ": " << mm.count << " mismatches of " << 16 * kIterations);
}

}  // namespace

TEST_SUITE("oracle_arith") {
TEST_CASE("add/sub/mul/div match the host x87 bit for bit") {
    for (Mix mix : {Mix::Finite, Mix::Everything}) {
        sweep("fadd", [](Float80 a, Float80 b, FpControl c) { return add(a, b, c); }, host::fadd, mix);
        sweep("fsub", [](Float80 a, Float80 b, FpControl c) { return sub(a, b, c); }, host::fsub, mix);
        sweep("fmul", [](Float80 a, Float80 b, FpControl c) { return mul(a, b, c); }, host::fmul, mix);
        sweep("fdiv", [](Float80 a, Float80 b, FpControl c) { return div(a, b, c); }, host::fdiv, mix);
    }
}
TEST_CASE("sqrt matches the host x87 bit for bit") {
    for (Mix mix : {Mix::Finite, Mix::Everything})
        sweep("fsqrt", [](Float80 a, Float80, FpControl c) { return lantern::fpu::sqrt(a, c); }, host::fsqrt, mix, true);
}
}

#else
TEST_SUITE("oracle_arith") {
TEST_CASE("host x87 oracle unavailable") { MESSAGE("skipped: the differential tests need an x86 host"); }
}
#endif
