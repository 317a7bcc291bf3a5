// Differential tests against the host x87 for the x87-specific operations: FCOM/FUCOM/FTST,
// FRNDINT, FSCALE, FXTRACT, FPREM/FPREM1 and the FLDxx constants. All exceptions masked.
#include <doctest/doctest.h>

#include <string>

#include "tests/fpu/host_x87.h"
#include "tests/fpu/test_util.h"

using namespace lantern::fpu;
using namespace lantern::fpu::test;

#if defined(LANTERN_HOST_X87)

namespace {

constexpr int kIterations = 3000;
constexpr std::uint16_t kC0 = 0x0100, kC1 = 0x0200, kC2 = 0x0400, kC3 = 0x4000;

std::uint16_t relation_codes(Relation r) {
    switch (r) {
    case Relation::Less: return kC0;
    case Relation::Equal: return kC3;
    case Relation::Greater: return 0;
    default: return kC0 | kC2 | kC3;
    }
}

struct Counter {
    int count = 0;
    int total = 0;
    template <class F>
    void check(bool ok, F&& describe) {
        ++total;
        if (!ok && ++count <= 8) MESSAGE(describe());
    }
};

std::string describe(const char* op, std::uint16_t cw, Float80 a, Float80 b, const host::Out& h, const std::string& ours) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s cw=%04X a=%s b=%s host: st0=%s st1=%s sw=%04X | ours: %s", op, cw, hex(a).c_str(),
                  hex(b).c_str(), hex(h.st0).c_str(), hex(h.st1).c_str(), h.sw, ours.c_str());
    return buf;
}

template <class Body>
void sweep_all(std::uint64_t seed, int iterations, Body body) {
    Rng rng(seed);
    for (unsigned rc = 0; rc < 4; ++rc)
        for (unsigned pc = 0; pc < 4; ++pc) {
            const std::uint16_t cw = control_word(rc, pc);
            for (int i = 0; i < iterations; ++i) body(rng, cw, FpControl::from_control_word(cw));
        }
}

}  // namespace

TEST_SUITE("oracle_misc") {
TEST_CASE("FCOM, FUCOM and FTST condition codes and flags") {
    Counter n;
    sweep_all(11, kIterations / 4, [&](Rng& rng, std::uint16_t cw, FpControl) {
        const Float80 a = random_operand(rng, Mix::Everything);
        const Float80 b = rng.below(4) == 0 ? a : random_operand(rng, Mix::Everything, a.exponent());
        for (int kind = 0; kind < 3; ++kind) {
            const host::Out h = kind == 0 ? host::fcom(a, b, cw) : kind == 1 ? host::fucom(a, b, cw) : host::ftst(a, b, cw);
            const CompareResult r = compare(a, kind == 2 ? kPositiveZero : b, kind == 1);
            const std::uint16_t want = h.sw & (0x3F | kC0 | kC1 | kC2 | kC3);
            const std::uint16_t got = static_cast<std::uint16_t>(r.flags | relation_codes(r.relation));
            n.check(want == got, [&] { return describe(kind == 0 ? "fcom" : kind == 1 ? "fucom" : "ftst", cw, a, b, h,
                                                       std::to_string(got)); });
        }
    });
    CHECK_MESSAGE(n.count == 0, n.count << " mismatches of " << n.total);
}

TEST_CASE("FRNDINT, FSCALE, FXTRACT") {
    Counter n;
    sweep_all(12, kIterations, [&](Rng& rng, std::uint16_t cw, FpControl c) {
        const Float80 a = random_operand(rng, Mix::Everything);
        {
            const host::Out h = host::frndint(a, kOne, cw);
            const FpResult r = round_to_integer(a, c);
            const bool ok = h.st0 == r.value && (h.sw & 0x3F) == r.flags && ((h.sw & kC1) != 0) == r.rounded_up;
            n.check(ok, [&] { return describe("frndint", cw, a, kOne, h, hex(r.value) + " f=" + std::to_string(r.flags)); });
        }
        {
            Float80 b = random_operand(rng, Mix::Everything);
            if (rng.coin()) b = from_int(static_cast<std::int64_t>(rng.below(40000)) - 20000);
            const host::Out h = host::fscale(a, b, cw);
            const FpResult r = scale(a, b, c);
            const bool ok = h.st0 == r.value && (h.sw & 0x3F) == r.flags && ((h.sw & kC1) != 0) == r.rounded_up;
            n.check(ok, [&] { return describe("fscale", cw, a, b, h, hex(r.value) + " f=" + std::to_string(r.flags)); });
        }
        {
            const host::Out h = host::fxtract(a, kOne, cw);
            const ExtractResult r = extract(a);
            const bool ok = h.st0 == r.significand && h.st1 == r.exponent && (h.sw & 0x3F) == r.flags;
            n.check(ok, [&] { return describe("fxtract", cw, a, kOne, h, hex(r.significand) + " " + hex(r.exponent)); });
        }
    });
    CHECK_MESSAGE(n.count == 0, n.count << " mismatches of " << n.total);
}

TEST_CASE("FPREM and FPREM1: remainder, quotient bits and C2") {
    Counter n;
    sweep_all(13, kIterations, [&](Rng& rng, std::uint16_t cw, FpControl c) {
        const Float80 a = random_operand(rng, Mix::Everything);
        const Float80 b = random_operand(rng, Mix::Everything, a.exponent());
        for (int ieee = 0; ieee < 2; ++ieee) {
            const host::Out h = ieee ? host::fprem1(a, b, cw) : host::fprem(a, b, cw);
            const RemainderResult r = partial_remainder(a, b, ieee != 0, c);
            std::uint16_t codes = r.incomplete ? kC2 : 0;
            if (r.quotient_valid) {
                if (r.quotient_bits & 4) codes |= kC0;
                if (r.quotient_bits & 2) codes |= kC3;
                if (r.quotient_bits & 1) codes |= kC1;
            }
            const std::uint16_t mask = 0x3F | kC0 | kC1 | kC2 | kC3;
            const bool ok = h.st0 == r.value && (h.sw & mask) == ((codes | r.flags) & mask);
            n.check(ok, [&] { return describe(ieee ? "fprem1" : "fprem", cw, a, b, h,
                                             hex(r.value) + " codes=" + std::to_string(codes | r.flags)); });
        }
    });
    CHECK_MESSAGE(n.count == 0, n.count << " mismatches of " << n.total);
}

TEST_CASE("FLDxx constants in every rounding mode") {
    const struct {
        FpConstant k;
        host::Out (*op)(Float80, Float80, std::uint16_t);
    } table[] = {{FpConstant::One, host::fld1},   {FpConstant::L2T, host::fldl2t}, {FpConstant::L2E, host::fldl2e},
                 {FpConstant::Pi, host::fldpi},   {FpConstant::LG2, host::fldlg2}, {FpConstant::LN2, host::fldln2}};
    for (unsigned rc = 0; rc < 4; ++rc)
        for (const auto& t : table) {
            const host::Out h = t.op(kOne, kOne, control_word(rc, 3));
            CHECK_MESSAGE(h.st0 == load_constant(t.k, static_cast<RoundingMode>(rc)),
                          "constant " << int(t.k) << " rc " << rc << " host " << hex(h.st0));
            CHECK((h.sw & 0x3F) == 0);
        }
}
}

#else
TEST_SUITE("oracle_misc") {
TEST_CASE("host x87 oracle unavailable") { MESSAGE("skipped: the differential tests need an x86 host"); }
}
#endif
