// The x87 as the CPU sees it: #NM (CR0.EM/TS/MP), pending exceptions (#MF with CR0.NE = 1,
// FERR# with NE = 0), the FSAVE/FRSTOR and FSTENV images in their 16/32-bit, real/protected
// layouts with FCS:FIP, FOP and FDS:FDP, stores that fault without touching memory, and the 286,
// which has no FPU and still treats D8-DF as ESC.
#include <doctest/doctest.h>

#include "x87_rig.h"

using namespace x87test;
using fpu::Float80;

namespace {
constexpr std::uint64_t kPi64 = 0x400921FB54442D18u;

// The return EIP an exception handler finds on its stack (32-bit gate, no error code).
std::uint32_t pushed_eip(const Rig& r) { return static_cast<std::uint32_t>(r.get(kStack - 12, 4)); }
}  // namespace

TEST_CASE("x87: #NM with CR0.EM or CR0.TS; WAIT only with MP and TS") {
    struct Case {
        std::uint32_t bits;
        bool wait;        // program is WAIT (else FNINIT, a non-waiting x87 instruction)
        bool expect_nm;
    };
    const Case cases[] = {
        {cr0::EM, false, true},           {cr0::TS, false, true},          {cr0::MP | cr0::TS, false, true},
        {cr0::EM, true, false},           {cr0::TS, true, false},          {cr0::MP | cr0::TS, true, true},
        {cr0::MP, true, false},           {cr0::MP | cr0::EM, true, false}, {0, false, false},
    };
    for (const Case& k : cases) {
        INFO("cr0 bits " << k.bits << (k.wait ? " wait" : " fninit"));
        Rig r;
        r.cr0() |= k.bits;
        Code c(true);
        if (k.wait)
            c.fwait();
        else
            c.fninit();
        c.hlt();
        r.run(c);
        CHECK(r.faulted(vec::NM) == k.expect_nm);
        if (k.expect_nm) CHECK(pushed_eip(r) == kCode);  // a fault: the instruction restarts
    }
}

TEST_CASE("x87: an unmasked zero divide raises #MF at the next waiting instruction (CR0.NE = 1)") {
    Rig r;
    const std::uint32_t CW = kData, S = kData + 0x10;
    r.put32(CW, 0x037B);  // ZM clear
    Code c(true);
    c.fninit().mem(0xD9, 5, CW).reg(0xD9, 0xE8).reg(0xD9, 0xEE);  // fldcw; fld1; fldz
    const std::uint32_t fdiv_at = c.here();
    c.reg(0xDE, 0xF9);                                     // fdivp st1, st0: 1 / 0
    c.reg(0xDF, 0xE0).store_ax(S);                         // fnstsw ax: no wait, no fault
    const std::uint32_t fault_at = c.here();
    c.reg(0xD9, 0xE8);                                     // fld1: waits, #MF
    c.hlt();
    r.run(c);
    REQUIRE(r.faulted(vec::MF));
    CHECK(pushed_eip(r) == fault_at);
    const auto sw = static_cast<std::uint16_t>(r.get(S, 2));
    CHECK((sw & (fpu::exc::ZE | fpu::sw::ES | fpu::sw::B)) == (fpu::exc::ZE | fpu::sw::ES | fpu::sw::B));
    const fpu::FpuState& f = r.fpu();
    CHECK(f.top() == 6);  // the aborted FDIVP did not pop
    CHECK(f.st(0) == fpu::kPositiveZero);
    // The pointers name the FDIVP, the last non-control instruction; FNSTSW is a control one.
    CHECK(f.last_instruction.offset == fdiv_at);
    CHECK(f.last_instruction.selector == kCodeSel);
    CHECK(f.last_opcode == 0x6F9);
    CHECK(r.bus.ferr_edges.empty());  // NE = 1: no FERR#
}

TEST_CASE("x87: with CR0.NE = 0 a pending error asserts FERR# instead, and FNCLEX drops it") {
    Rig r;
    r.cr0() &= ~cr0::NE;
    const std::uint32_t CW = kData;
    r.put32(CW, 0x037B);
    Code c(true);
    c.fninit().mem(0xD9, 5, CW).reg(0xD9, 0xE8).reg(0xD9, 0xEE).reg(0xDE, 0xF9);
    c.reg(0xD9, 0xE8);  // a waiting instruction: no #MF, FERR# (the board's IRQ13)
    c.hlt();
    r.run(c);
    CHECK(r.no_exception());
    CHECK(r.bus.ferr);
    REQUIRE(!r.bus.ferr_edges.empty());
    CHECK(r.bus.ferr_edges.front());
    CHECK(r.fpu().top() == 5);  // FLD1 ran

    Code d(true);
    d.reg(0xDB, 0xE2).hlt();  // fnclex
    r.cpu.state().halted = false;
    r.cpu.state().eip = kCode;
    r.run(d);
    CHECK(!r.bus.ferr);
    CHECK(r.bus.ferr_edges.back() == false);
}

TEST_CASE("x87: WAIT reports a pending exception like any waiting instruction") {
    Rig r;
    r.put32(kData, 0x037E);  // IM clear
    Code c(true);
    c.fninit().mem(0xD9, 5, kData).reg(0xD9, 0xE8).reg(0xD8, 0xC1);  // fadd st0, st1: underflow
    const std::uint32_t wait_at = c.here();
    c.fwait().hlt();
    r.run(c);
    REQUIRE(r.faulted(vec::MF));
    CHECK(pushed_eip(r) == wait_at);
    CHECK((r.fpu().status & (fpu::exc::IE | fpu::sw::SF)) == (fpu::exc::IE | fpu::sw::SF));
    CHECK(r.fpu().st(0) == fpu::kOne);  // unmasked: no indefinite written
}

TEST_CASE("x87: FNSAVE/FRSTOR 32-bit protected-mode image") {
    Rig r;
    const std::uint32_t A = kData, S = kData + 0x100, R = kData + 0x200;
    r.put64(A, kPi64);
    Code c(true);
    c.fninit();
    const std::uint32_t fld_at = c.here();
    c.mem(0xDD, 0, A);
    const std::uint32_t fld1_at = c.here();
    c.reg(0xD9, 0xE8);
    c.mem(0xDD, 6, S);                          // fnsave [S]
    c.reg(0xDF, 0xE0).store_ax(R + 0x40);       // fnstsw ax after FNSAVE: initialised
    c.mem(0xDD, 4, S);                          // frstor [S]
    c.mem(0xDB, 7, R).mem(0xDB, 7, R + 16);     // 1.0, pi
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    CHECK(r.get(S + 0, 4) == 0xFFFF037Fu);                      // FCW (upper half reads FFFF)
    CHECK(r.get(S + 4, 4) == (0xFFFF0000u | (6u << 11)));      // FSW: TOP = 6
    CHECK(r.get(S + 8, 4) == 0xFFFF0FFFu);                      // FTW: R6, R7 valid
    CHECK(r.get(S + 12, 4) == fld1_at);                         // FIP
    CHECK(r.get(S + 16, 4) == (kCodeSel | (0x1E8u << 16)));     // FCS, FOP (D9 E8)
    CHECK(r.get(S + 20, 4) == A);                               // FDP: FLD1 has no operand,
    CHECK(r.get(S + 24, 4) == (0xFFFF0000u | kDataSel));        // so it is still FLD's
    CHECK(r.get80(S + 28) == fpu::kOne);                        // ST(0)
    CHECK(r.get80(S + 38) == from_f64(kPi64));                  // ST(1)
    CHECK(r.get(R + 0x40, 2) == 0);
    CHECK(r.get80(R) == fpu::kOne);
    CHECK(r.get80(R + 16) == from_f64(kPi64));
    CHECK(r.fpu().last_operand.offset == R + 16);  // FRSTOR's own operand is not recorded
    CHECK(fld_at != fld1_at);
}

TEST_CASE("x87: the 16-bit image with an operand-size prefix, and FSTENV masking") {
    Rig r;
    const std::uint32_t A = kData, S = kData + 0x100, E = kData + 0x200;
    r.put64(A, kPi64);
    Code c(true);
    c.fninit();
    const std::uint32_t fld_at = c.here();
    c.mem(0xDD, 0, A);
    c.o16().mem(0xD9, 6, E);  // fnstenv [E], 14 bytes: masks every exception
    c.o16().mem(0xDD, 6, S);  // fnsave [S], 94 bytes
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    CHECK(r.get(E + 0, 2) == 0x037F);
    CHECK(r.get(E + 2, 2) == (7u << 11));
    CHECK(r.get(E + 4, 2) == 0x3FFF);
    CHECK(r.get(E + 6, 2) == (fld_at & 0xFFFF));
    CHECK(r.get(E + 8, 2) == kCodeSel);
    CHECK(r.get(E + 10, 2) == (A & 0xFFFF));
    CHECK(r.get(E + 12, 2) == kDataSel);
    CHECK(r.get(E + 14, 2) == 0);  // nothing past the 14 bytes
    CHECK(r.get(S + 0, 2) == 0x037F);
    CHECK(r.get(S + 2, 2) == (7u << 11));
    CHECK(r.get(S + 4, 2) == 0x3FFF);
    CHECK(r.get80(S + 14) == from_f64(kPi64));
    CHECK(r.get(S + 94, 2) == 0);
    CHECK(r.fpu().control == fpu::cw::kFinit);  // FNSAVE reinitialised the FPU
}

TEST_CASE("x87: real-mode images hold linear addresses and FOP (P6)") {
    Rig r(CpuModel::P6, false);
    const std::uint32_t A = 0x40, S = 0x100;  // offsets in the data segment (2000:0000)
    r.put64(kData + A, kPi64);
    Code c(false);
    c.fninit();
    const std::uint32_t fld_ip = c.here() - kCode;
    c.mem(0xDD, 0, A);
    c.mem(0xDD, 6, S);  // fnsave [S]: 16-bit real-mode layout
    c.hlt();
    r.run(c);
    REQUIRE(r.no_exception());
    const std::uint32_t fip = kCode + fld_ip, fdp = kData + A;  // CS = 1000, DS = 2000
    const std::uint32_t img = kData + S;
    CHECK(r.get(img + 6, 2) == (fip & 0xFFFF));
    CHECK(r.get(img + 8, 2) == (((fip >> 16) << 12) | 0x506));  // FIP 19:16, FOP (DD 06)
    CHECK(r.get(img + 10, 2) == (fdp & 0xFFFF));
    CHECK(r.get(img + 12, 2) == ((fdp >> 16) << 12));
    CHECK(r.get80(img + 14) == from_f64(kPi64));
}

TEST_CASE("x87: a store that faults leaves memory and the stack untouched") {
    SUBCASE("segment limit") {
        Rig r;
        // DS: limit FFFF, byte granular; FSTP TWORD at FFF8 runs two bytes past it.
        r.cpu.state().segment(Seg::DS) = SegmentCache{kDataSel, 0, 0xFFFF, 0x93 | seg_attr::DB};
        for (std::uint32_t a = 0xFFF0; a < 0x10000; ++a) r.put8(a, 0xAA);
        Code c(true);
        c.fninit().reg(0xD9, 0xEB).mem(0xDB, 7, 0xFFF8).hlt();
        r.run(c);
        CHECK(r.faulted(vec::GP));
        for (std::uint32_t a = 0xFFF0; a < 0x10000; ++a) CHECK(r.get(a, 1) == 0xAA);
        CHECK(r.fpu().top() == 7);  // FSTP did not pop
    }
    SUBCASE("page fault on the second page") {
        Rig r;
        // Identity-map the first 4 MiB with 4 KiB pages, all present except 0x50000.
        constexpr std::uint32_t kPd = 0x100000, kPt = 0x101000;
        r.put32(kPd, kPt | 3);
        for (std::uint32_t p = 0; p < 1024; ++p) r.put32(kPt + 4 * p, p == 0x50 ? 0 : ((p << 12) | 3));
        r.cpu.state().cr[3] = kPd;
        r.cr0() |= cr0::PG;
        for (std::uint32_t a = 0x4FFF0; a < 0x50000; ++a) r.put8(a, 0xAA);
        Code c(true);
        c.fninit().reg(0xD9, 0xEB).mem(0xDB, 7, 0x4FFFA).hlt();  // bytes 4FFFA-50003
        r.cpu.set_state(r.cpu.state());                           // flush the TLB
        r.run(c);
        REQUIRE(r.faulted(vec::PF));
        CHECK(r.cpu.state().cr[2] == 0x50000);
        CHECK(r.get(kStack - 16, 4) == 2);  // error code: write, not present
        for (std::uint32_t a = 0x4FFF0; a < 0x50000; ++a) CHECK(r.get(a, 1) == 0xAA);
        CHECK(r.fpu().top() == 7);
        CHECK(r.fpu().st(0) == fpu::load_constant(fpu::FpConstant::Pi, fpu::RoundingMode::Nearest));
    }
}

TEST_CASE("x87: the 286 has no coprocessor: D8-DF are ESC, WAIT falls through") {
    Rig r(CpuModel::I80286, false);
    const fpu::FpuState before = r.fpu();
    Code c(false);
    c.reg(0xDB, 0xE3);      // fninit
    c.bytes({0xD9, 0x07});  // fld dword [bx]
    c.reg(0xD8, 0xC3);      // fadd st0, st3: a masked stack underflow on a 387
    c.fwait().hlt();
    r.run(c);
    CHECK(r.no_exception());
    CHECK(r.fpu() == before);
    CHECK(r.stop_linear() == kCode + 7);

    // The same bytes on a 386 are x87 instructions.
    Rig r386(CpuModel::I80386, false);
    r386.run(c);
    CHECK(r386.no_exception());
    CHECK(r386.fpu().top() == 7);
    CHECK((r386.fpu().status & fpu::sw::SF) != 0);
}
