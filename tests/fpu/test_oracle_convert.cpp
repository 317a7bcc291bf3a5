// Differential tests of the conversions against the host x87: FIST/FISTP/FISTTP to 16/32/64-bit
// integers, FST m32/m64, FLD m32/m64 and FBSTP/FBLD, over every RC x PC, all exceptions masked.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "tests/fpu/host_x87.h"
#include "tests/fpu/test_util.h"

using namespace lantern::fpu;
using namespace lantern::fpu::test;

#if defined(LANTERN_HOST_X87)

namespace {

constexpr int kIterations = 3000;
constexpr std::uint16_t kC1 = 0x0200;

struct Counter {
    int count = 0;
    int total = 0;
    void check(bool ok, const std::string& what) {
        ++total;
        if (!ok && ++count <= 8) MESSAGE(what);
    }
};

std::string fmt(const char* op, std::uint16_t cw, Float80 a, std::uint16_t sw, unsigned long long host_v,
                unsigned long long ours_v, int flags) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "%s cw=%04X a=%s host=%llX sw=%04X ours=%llX flags=%02X", op, cw, hex(a).c_str(),
                  host_v, sw, ours_v, flags);
    return buf;
}

// Operands that land in and just beyond the integer ranges.
Float80 integer_biased(Rng& rng) {
    if (rng.below(3) == 0) return random_operand(rng, Mix::Everything);
    const int e = 16383 + static_cast<int>(rng.below(68)) - 2;
    std::uint64_t sig = random_significand(rng);
    if (rng.coin()) sig = 0x8000000000000000u >> 0 | (sig & (rng.coin() ? 0x7FFFFFFFFFFFFFFFu : 0xFFFFu));
    return Float80::make(rng.coin(), static_cast<std::uint16_t>(e), sig);
}

}  // namespace

TEST_SUITE("oracle_convert") {
TEST_CASE("FIST/FISTP/FISTTP to 16, 32 and 64 bits") {
    Counter n;
    Rng rng(21);
    for (unsigned rc = 0; rc < 4; ++rc)
        for (unsigned pc = 0; pc < 4; ++pc) {
            const std::uint16_t cw = control_word(rc, pc);
            const FpControl c = FpControl::from_control_word(cw);
            for (int i = 0; i < kIterations; ++i) {
                const Float80 a = integer_biased(rng);
                for (int trunc = 0; trunc < 2; ++trunc) {
                    auto check = [&](const char* op, long long hv, std::uint16_t sw, unsigned bits) {
                        const IntResult r = to_int(a, bits, trunc != 0, c);
                        const bool ok = hv == r.value && (sw & 0x3F) == r.flags && ((sw & kC1) != 0) == r.rounded_up;
                        n.check(ok, fmt(op, cw, a, sw, static_cast<unsigned long long>(hv),
                                        static_cast<unsigned long long>(r.value), r.flags));
                    };
                    if (trunc) {
                        auto h16 = host::fisttp16(a, cw);
                        check("fisttp16", h16.value, h16.sw, 16);
                        auto h32 = host::fisttp32(a, cw);
                        check("fisttp32", h32.value, h32.sw, 32);
                        auto h64 = host::fisttp64(a, cw);
                        check("fisttp64", h64.value, h64.sw, 64);
                    } else {
                        auto h16 = host::fistp16(a, cw);
                        check("fistp16", h16.value, h16.sw, 16);
                        auto h32 = host::fistp32(a, cw);
                        check("fistp32", h32.value, h32.sw, 32);
                        auto h64 = host::fistp64(a, cw);
                        check("fistp64", h64.value, h64.sw, 64);
                    }
                }
            }
        }
    CHECK_MESSAGE(n.count == 0, n.count << " mismatches of " << n.total);
}

TEST_CASE("FST m32fp / m64fp rounding, denormals, overflow and NaNs") {
    Counter n;
    Rng rng(22);
    for (unsigned rc = 0; rc < 4; ++rc)
        for (unsigned pc = 0; pc < 4; ++pc) {
            const std::uint16_t cw = control_word(rc, pc);
            const FpControl c = FpControl::from_control_word(cw);
            for (int i = 0; i < kIterations; ++i) {
                Float80 a = random_operand(rng, Mix::Everything);
                // Pull exponents into the float32/float64 boundary regions half of the time.
                if (rng.coin() && a.exponent() != 0 && a.exponent() != 0x7FFF) {
                    static constexpr int centres[] = {16383 - 126, 16383 + 127, 16383 - 1022, 16383 + 1023,
                                                      16383 - 149, 16383 - 1074};
                    const int e = centres[rng.below(6)] + static_cast<int>(rng.below(60)) - 30;
                    a = Float80::make(a.sign(), static_cast<std::uint16_t>(e), a.significand | 0x8000000000000000u);
                }
                const auto h32 = host::fstp32(a, cw);
                const F32Result r32 = to_f32(a, c);
                n.check(h32.value == r32.bits && (h32.sw & 0x3F) == r32.flags && ((h32.sw & kC1) != 0) == r32.rounded_up,
                        fmt("fst32", cw, a, h32.sw, h32.value, r32.bits, r32.flags));
                const auto h64 = host::fstp64(a, cw);
                const F64Result r64 = to_f64(a, c);
                n.check(h64.value == r64.bits && (h64.sw & 0x3F) == r64.flags && ((h64.sw & kC1) != 0) == r64.rounded_up,
                        fmt("fst64", cw, a, h64.sw, h64.value, r64.bits, r64.flags));
            }
        }
    CHECK_MESSAGE(n.count == 0, n.count << " mismatches of " << n.total);
}

TEST_CASE("FLD m32fp / m64fp: exact widening, DE on denormals, SNaN quieting") {
    Counter n;
    Rng rng(23);
    for (int i = 0; i < 20000; ++i) {
        std::uint32_t f = static_cast<std::uint32_t>(rng.next());
        std::uint64_t d = rng.next();
        switch (rng.below(5)) {
        case 0: f &= 0x807FFFFFu; d &= 0x800FFFFFFFFFFFFFu; break;               // denormals / zeros
        case 1: f |= 0x7F800000u; d |= 0x7FF0000000000000u; break;               // inf / NaN
        case 2: f &= 0xFF800000u; d &= 0xFFF0000000000000u; break;               // exact powers, zeros, inf
        default: break;
        }
        const host::Out hf = host::flds(f, control_word(0, 3));
        const FpResult rf = load_f32(f);
        n.check(hf.st0 == rf.value && (hf.sw & 0x3F) == rf.flags, fmt("fld32", 0, rf.value, hf.sw, f, 0, rf.flags));
        const host::Out hd = host::fldl(d, control_word(0, 3));
        const FpResult rd = load_f64(d);
        n.check(hd.st0 == rd.value && (hd.sw & 0x3F) == rd.flags, fmt("fld64", 0, rd.value, hd.sw, d, 0, rd.flags));
    }
    CHECK_MESSAGE(n.count == 0, n.count << " mismatches of " << n.total);
}

TEST_CASE("FBSTP and FBLD") {
    Counter n;
    Rng rng(24);
    for (unsigned rc = 0; rc < 4; ++rc) {
        const std::uint16_t cw = control_word(rc, 3);
        const FpControl c = FpControl::from_control_word(cw);
        for (int i = 0; i < kIterations; ++i) {
            Float80 a = integer_biased(rng);
            if (rng.coin()) a = Float80::make(rng.coin(), static_cast<std::uint16_t>(16383 + 56 + rng.below(6)), random_significand(rng));
            const auto h = host::fbstp(a, cw);
            const BcdResult r = to_bcd(a, c);
            const bool ok = std::memcmp(h.value.b, r.bcd.data(), 10) == 0 && (h.sw & 0x3F) == r.flags &&
                            ((h.sw & kC1) != 0) == r.rounded_up;
            unsigned long long hv = 0, ov = 0;
            std::memcpy(&hv, h.value.b, 8);
            std::memcpy(&ov, r.bcd.data(), 8);
            n.check(ok, fmt("fbstp", cw, a, h.sw, hv, ov, r.flags));
            // Round trip through FBLD when the store was valid.
            if (!(r.flags & exc::IE)) {
                host::Bcd in{};
                std::memcpy(in.b, r.bcd.data(), 10);
                const host::Out l = host::fbld(in, cw);
                n.check(l.st0 == from_bcd(r.bcd), fmt("fbld", cw, l.st0, l.sw, 0, 0, 0));
            }
        }
    }
    CHECK_MESSAGE(n.count == 0, n.count << " mismatches of " << n.total);
}
}

#else
TEST_SUITE("oracle_convert") {
TEST_CASE("host x87 oracle unavailable") { MESSAGE("skipped: the differential tests need an x86 host"); }
}
#endif
