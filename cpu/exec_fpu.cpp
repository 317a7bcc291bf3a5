// x87 instructions: the CPU side of every row in opcodes_x87.def. The arithmetic lives in
// cpu/fpu (fpu_exec.h, fpu_image.h); a handler here only
//   1. raises #NM when CR0.EM or CR0.TS is set (SDM Vol. 3, 2.5 and Table 2-2), so an OS can
//      emulate the x87 or switch its state lazily;
//   2. for a waiting instruction, delivers an unmasked exception left pending by an earlier one:
//      #MF with CR0.NE = 1, FERR# (CpuBus::fpu_error) with NE = 0 (SDM Vol. 1, 8.6-8.7);
//   3. moves the memory operand in its own size through read_mem/write_mem, checking every byte
//      of a store before writing any, so a fault leaves memory and the FPU untouched;
//   4. calls one cpu/fpu function and records FCS:FIP, FOP and FDS:FDP for a non-control
//      instruction (SDM Vol. 1, 8.1.8-8.1.9).
// The non-waiting forms are FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV and FNSAVE (SDM Vol. 1,
// 8.3.11); the 8087's FNENI/FNDISI are no-ops here and non-waiting as their names say.
#include <algorithm>
#include <array>
#include <optional>

#include "cpu/exec.h"
#include "cpu/exec_fpu.h"
#include "cpu/fpu/fpu_exec.h"
#include "cpu/fpu/fpu_image.h"
#include "cpu/interpreter.h"

namespace lantern {

// Declared with the memory API in interpreter.h; defined here because only x87 stores need it.
// The translation of each page sets the accessed and dirty bits as the store itself would.
void Interpreter::check_write(Seg s, std::uint32_t offset, unsigned width) {
    check_access(s, offset, width, Access::Write);
    if (!(s_.cr[0] & cr0::PG) || width == 0) return;
    const std::uint32_t first = s_.segment(s).base + offset;
    const std::uint32_t last_page = (first + width - 1) & ~0xFFFu;
    for (std::uint32_t page = first & ~0xFFFu;; page += 0x1000) {
        translate(std::max(page, first), Access::Write, cpl() == 3);
        if (page == last_page) break;
    }
}

namespace exec {

namespace {

using fpu::FpuState;
namespace fx = fpu::exec;

// ---------------------------------------------------------------------------------------------
// The frame every x87 instruction runs in

constexpr unsigned kWaiting = 0;
constexpr unsigned kNoWait = 1;   // FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV, FNSAVE
constexpr unsigned kControl = 2;  // leaves FCS:FIP, FOP and FDS:FDP alone

void check_available(Interpreter& c) {
    if (c.state().cr[0] & (cr0::EM | cr0::TS)) c.fault(vec::NM);
}

// SDM Vol. 3, 2.5 (CR0.NE): with NE set the pending error raises #MF before the instruction;
// with NE clear the processor asserts FERR# (a PC routes it to IRQ13) and, unless IGNNE# is
// asserted, stops before the instruction until an interrupt arrives. We never stop: FERR# went up
// when the error occurred (see finish()), so on a PC the IRQ13 handler has normally run already;
// the CPU then proceeds as it does once the board's port-F0h logic asserts IGNNE#.
void check_pending(Interpreter& c) {
    if (!c.state().fpu.exception_pending()) return;
    if (c.state().cr[0] & cr0::NE) c.fault(vec::MF);
    c.bus().fpu_error(true);
}

// FERR# follows ES (the 387's ERROR#, the 486's FERR#): report the edges an instruction made.
// Assertion only in the MS-DOS-compatible mode (NE = 0); real chips assert it with NE = 1 too,
// but PC software with NE = 1 ignores IRQ13, so the board is spared spurious interrupts.
void report_error_pin(Interpreter& c, bool es_before) {
    const bool es = c.state().fpu.exception_pending();
    if (es == es_before) return;
    if (!es)
        c.bus().fpu_error(false);
    else if (!(c.state().cr[0] & cr0::NE))
        c.bus().fpu_error(true);
}

// FOP is the low three bits of the escape byte and the ModR/M byte. FIP points at the
// instruction's first byte, prefixes included; FDS:FDP at the memory operand, if any.
void record_pointers(Interpreter& c, const Insn& i) {
    const CpuState& s = c.state();
    const auto fop = static_cast<std::uint16_t>(((i.opcode & 7u) << 8) | i.modrm);
    std::optional<fpu::FpuPointer> operand;
    if (i.is_mem) operand = fpu::FpuPointer{s.segment(c.ea_seg()).selector, c.ea_offset()};
    fx::note_instruction(c.state().fpu, {s.segment(Seg::CS).selector, s.eip & c.ip_mask()}, fop, operand);
}

// Runs `body` between the checks and the bookkeeping. A fault inside `body` (a memory operand)
// unwinds before anything is recorded; bodies that store commit FPU changes only after the store.
template <class Body>
void run_x87(Interpreter& c, const Insn& i, unsigned kind, Body&& body) {
    check_available(c);
    if (!(kind & kNoWait)) check_pending(c);
    const bool es_before = c.state().fpu.exception_pending();
    body(c.state().fpu);
    if (!(kind & kControl)) record_pointers(c, i);
    report_error_pin(c, es_before);
}

// ---------------------------------------------------------------------------------------------
// Memory operands

unsigned operand_bytes(Operand o) {
    switch (o) {
        case Operand::M16int: case Operand::M2byte: return 2;
        case Operand::M32int: case Operand::M32fp: return 4;
        case Operand::M64int: case Operand::M64fp: return 8;
        case Operand::M80fp: case Operand::M80bcd: return 10;
        default: return 0;
    }
}

// Reads `n` bytes at the ModR/M operand: the segment check covers the whole operand first, then
// dwords (and a final word) are read in address order.
template <std::size_t N>
std::array<std::uint8_t, N> read_bytes(Interpreter& c, const Insn& i, unsigned n = N) {
    std::array<std::uint8_t, N> b{};
    c.check_access(c.ea_seg(), c.ea_offset(), n, Access::Read);
    for (unsigned k = 0; k < n;) {
        const unsigned w = n - k >= 4 ? 4 : 2;
        const std::uint32_t v = c.read_mem(c.ea_seg(), c.ea_plus(i, k), w);
        for (unsigned j = 0; j < w; ++j) b[k + j] = static_cast<std::uint8_t>(v >> (8 * j));
        k += w;
    }
    return b;
}

// Writes `n` bytes at the ModR/M operand after checking all of them (segment and paging).
void write_bytes(Interpreter& c, const Insn& i, const std::uint8_t* b, unsigned n) {
    c.check_write(c.ea_seg(), c.ea_offset(), n);
    for (unsigned k = 0; k < n;) {
        const unsigned w = n - k >= 4 ? 4 : 2;
        std::uint32_t v = 0;
        for (unsigned j = 0; j < w; ++j) v |= static_cast<std::uint32_t>(b[k + j]) << (8 * j);
        c.write_mem(c.ea_seg(), c.ea_plus(i, k), v, w);
        k += w;
    }
}

std::uint64_t little_endian(const std::uint8_t* b, unsigned n) {
    std::uint64_t v = 0;
    for (unsigned k = 0; k < n; ++k) v |= static_cast<std::uint64_t>(b[k]) << (8 * k);
    return v;
}

void put_little_endian(std::uint8_t* b, std::uint64_t v, unsigned n) {
    for (unsigned k = 0; k < n; ++k) b[k] = static_cast<std::uint8_t>(v >> (8 * k));
}

// The source operand of an arithmetic or compare instruction, widened to extended format.
fx::Operand read_source(Interpreter& c, const Insn& i) {
    const Operand o = i.info->operands[0];
    const auto b = read_bytes<8>(c, i, operand_bytes(o));
    switch (o) {
        case Operand::M32fp: return fx::operand_f32(static_cast<std::uint32_t>(little_endian(b.data(), 4)));
        case Operand::M64fp: return fx::operand_f64(little_endian(b.data(), 8));
        case Operand::M32int: return fx::operand_int(static_cast<std::int32_t>(little_endian(b.data(), 4)));
        default: return fx::operand_int(static_cast<std::int16_t>(little_endian(b.data(), 2)));
    }
}

// Real-address and virtual-8086 mode use the real-mode environment layout (SDM Vol. 1, 8.1.10).
fpu::EnvMode env_mode(const Interpreter& c) {
    return c.pmode_segments() ? fpu::EnvMode::Protected : fpu::EnvMode::Real;
}

// D8/DC/DA/DE /reg and the register forms, in ModR/M reg order (/2 and /3 are the compares).
constexpr fx::ArithOp kArith[8] = {fx::ArithOp::Add, fx::ArithOp::Mul, fx::ArithOp::Add, fx::ArithOp::Add,
                                   fx::ArithOp::Sub, fx::ArithOp::SubR, fx::ArithOp::Div, fx::ArithOp::DivR};

}  // namespace

// ---------------------------------------------------------------------------------------------
// WAIT

void x87_wait(Interpreter& c) {
    const std::uint32_t cr = c.state().cr[0];
    if ((cr & cr0::MP) && (cr & cr0::TS)) c.fault(vec::NM);
    check_pending(c);
}

// ---------------------------------------------------------------------------------------------
// Arithmetic and comparisons

void x87_arith_mem(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::arith_mem(f, kArith[i.reg], read_source(c, i)); });
}

void x87_com_mem(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fcom_mem(f, read_source(c, i), i.reg & 1u); });
}

// D8: ST(0) = ST(0) op ST(i). DC and DE (then pop): ST(i) = ST(i) op ST(0), where Intel's
// encoding swaps the reversed forms: DC E0+i is FSUBR ST(i), ST(0), DC E8+i FSUB (SDM Vol. 2,
// FSUB/FSUBR, FDIV/FDIVR), so reg 4-7 map through reg ^ 1.
void x87_arith_reg(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) {
        if (i.opcode == 0xD8) return fx::arith_reg(f, kArith[i.reg], 0, i.rm, false);
        const unsigned reg = i.reg >= 4 ? i.reg ^ 1u : i.reg;
        fx::arith_reg(f, kArith[reg], i.rm, 0, i.opcode == 0xDE);
    });
}

void x87_fcom(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fcom_reg(f, i.rm, false, 0); });
}
void x87_fcomp(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fcom_reg(f, i.rm, false, 1); });
}
void x87_fcompp(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fcom_reg(f, 1, false, 2); });
}
void x87_fucom(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fcom_reg(f, i.rm, true, 0); });
}
void x87_fucomp(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fcom_reg(f, i.rm, true, 1); });
}
void x87_fucompp(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fcom_reg(f, 1, true, 2); });
}

// FCOMI/FUCOMI (DB F0+i / E8+i) and the popping DF forms: ZF, PF, CF from the comparison, OF,
// SF and AF cleared (SDM Vol. 2, FCOMI), written even when an unmasked IE aborts the compare.
void x87_fcomi(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) {
        const fx::EflagsCompare r = fx::fcomi(f, i.rm, i.reg == 5, i.opcode == 0xDF);
        c.set_flag(flag::OF | flag::SF | flag::AF, false);
        c.set_flag(flag::ZF, r.zf);
        c.set_flag(flag::PF, r.pf);
        c.set_flag(flag::CF, r.cf);
    });
}

void x87_ftst(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::ftst(f); }); }
void x87_fxam(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fxam(f); }); }

// ---------------------------------------------------------------------------------------------
// Loads and stores

void x87_load(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) {
        const Operand o = i.info->operands[0];
        const auto b = read_bytes<10>(c, i, operand_bytes(o));
        switch (o) {
            case Operand::M32fp: return fx::fld_f32(f, static_cast<std::uint32_t>(little_endian(b.data(), 4)));
            case Operand::M64fp: return fx::fld_f64(f, little_endian(b.data(), 8));
            case Operand::M80fp: return fx::fld(f, fpu::Float80::from_bytes(b.data()));
            case Operand::M16int: return fx::fild(f, static_cast<std::int16_t>(little_endian(b.data(), 2)));
            case Operand::M32int: return fx::fild(f, static_cast<std::int32_t>(little_endian(b.data(), 4)));
            case Operand::M64int: return fx::fild(f, static_cast<std::int64_t>(little_endian(b.data(), 8)));
            default: return fx::fbld(f, b);  // M80bcd
        }
    });
}

// FST/FSTP m32fp/m64fp, FSTP m80fp, FIST/FISTP m16/m32int, FISTP m64int, FBSTP: /2 keeps the
// stack, /3, /6 and /7 pop. The store is computed on a copy of the FPU state, memory written
// (or left alone when an unmasked exception suppresses the store), and then the copy committed,
// so a page fault on the destination restarts the instruction with nothing changed.
void x87_store(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) {
        const Operand o = i.info->operands[0];
        const bool pop = i.reg != 2;
        const unsigned n = operand_bytes(o);
        c.check_write(c.ea_seg(), c.ea_offset(), n);
        FpuState next = f;
        std::array<std::uint8_t, 10> b{};
        bool store = false;
        auto put = [&](auto v, unsigned bytes) {
            if (!v) return;
            put_little_endian(b.data(), static_cast<std::uint64_t>(*v), bytes);
            store = true;
        };
        switch (o) {
            case Operand::M32fp: put(fx::fst_f32(next, pop), 4); break;
            case Operand::M64fp: put(fx::fst_f64(next, pop), 8); break;
            case Operand::M16int: put(fx::fist(next, 16, pop, false), 2); break;
            case Operand::M32int: put(fx::fist(next, 32, pop, false), 4); break;
            case Operand::M64int: put(fx::fist(next, 64, pop, false), 8); break;
            case Operand::M80fp:
                if (auto v = fx::fstp_f80(next)) {
                    b = v->to_bytes();
                    store = true;
                }
                break;
            default:  // M80bcd
                if (auto v = fx::fbstp(next)) {
                    b = *v;
                    store = true;
                }
                break;
        }
        if (store) write_bytes(c, i, b.data(), n);
        f = next;
    });
}

void x87_fld_sti(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fld_sti(f, i.rm); });
}
void x87_fst_sti(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fst_sti(f, i.rm, false); });
}
// DD D8+i, and the aliases D9 D8+i (FSTP1), DF D0+i (FSTP8) and DF D8+i (FSTP9).
void x87_fstp_sti(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fst_sti(f, i.rm, true); });
}

// D9 E8-EE: FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ, in FpConstant order.
void x87_fldconst(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fld_constant(f, static_cast<fpu::FpConstant>(i.rm)); });
}

// FCMOVcc (P6): DA /0-/3 move if B, E, BE, U; DB /0-/3 if NB, NE, NBE, NU. Condition codes as
// Jcc numbers them (B = 2, E = 4, BE = 6, P = 10; odd is the negation).
void x87_fcmov(Interpreter& c, const Insn& i) {
    static constexpr unsigned kCondition[4] = {2, 4, 6, 10};
    run_x87(c, i, kWaiting, [&](FpuState& f) {
        if (c.condition(kCondition[i.reg & 3] + (i.opcode == 0xDB ? 1 : 0))) fx::fcmov(f, i.rm);
    });
}

// ---------------------------------------------------------------------------------------------
// Register-stack housekeeping and one-register operations

void x87_fxch(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [&](FpuState& f) { fx::fxch(f, i.rm); }); }
void x87_ffree(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [&](FpuState& f) { fx::ffree(f, i.rm); }); }
void x87_ffreep(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [&](FpuState& f) { fx::ffreep(f, i.rm); }); }
void x87_fnop(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState&) {}); }
void x87_fincstp(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fincstp(f); }); }
void x87_fdecstp(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fdecstp(f); }); }
void x87_fchs(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fchs(f); }); }
void x87_fabs(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fabs(f); }); }
void x87_fsqrt(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fsqrt(f); }); }
void x87_frndint(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::frndint(f); }); }
void x87_fscale(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fscale(f); }); }
void x87_fxtract(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fxtract(f); }); }
void x87_fprem(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fprem(f, false); }); }
void x87_fprem1(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fprem(f, true); }); }
void x87_f2xm1(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::f2xm1(f); }); }
void x87_fyl2x(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fyl2x(f); }); }
void x87_fyl2xp1(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fyl2xp1(f); }); }
void x87_fpatan(Interpreter& c, const Insn& i) { run_x87(c, i, kWaiting, [](FpuState& f) { fx::fpatan(f); }); }

// FSIN, FCOS, FSINCOS and FPTAN reduce their argument modulo pi/2 with the 66-bit pi the x87
// holds internally (SDM Vol. 1, 8.3.10), not with an exact one: results for large arguments
// match the chips only with TrigReduction::Hardware66, so every model uses it.
namespace {
template <class Fn>
void trig(Interpreter& c, const Insn& i, Fn fn) {
    run_x87(c, i, kWaiting, [&](FpuState& f) {
        f.trig_reduction = fpu::TrigReduction::Hardware66;
        fn(f);
    });
}
}  // namespace

void x87_fsin(Interpreter& c, const Insn& i) { trig(c, i, [](FpuState& f) { fx::fsin(f); }); }
void x87_fcos(Interpreter& c, const Insn& i) { trig(c, i, [](FpuState& f) { fx::fcos(f); }); }
void x87_fsincos(Interpreter& c, const Insn& i) { trig(c, i, [](FpuState& f) { fx::fsincos(f); }); }
// FPTAN pushes 1.0 after tan(x) (SDM Vol. 2, FPTAN), for compatibility with the 8087/287.
void x87_fptan(Interpreter& c, const Insn& i) { trig(c, i, [](FpuState& f) { fx::fptan(f); }); }

// ---------------------------------------------------------------------------------------------
// Control instructions

void x87_fninit(Interpreter& c, const Insn& i) {
    run_x87(c, i, kNoWait | kControl, [](FpuState& f) { fx::fninit(f); });
}
void x87_fnclex(Interpreter& c, const Insn& i) {
    run_x87(c, i, kNoWait | kControl, [](FpuState& f) { fx::fnclex(f); });
}

// DB E0 FNENI and DB E1 FNDISI (8087 interrupt enable/disable) and DB E4 FSETPM (the 287's
// switch to protected-mode addressing): the 387 and later execute them as no-ops that leave
// every register alone. FSETPM has no no-wait form, so it waits like FNOP.
void x87_ignored(Interpreter& c, const Insn& i) {
    run_x87(c, i, (i.rm == 4 ? kWaiting : kNoWait) | kControl, [](FpuState&) {});
}

// FNSTSW AX (DF E0) and FNSTSW m2byte (DD /7).
void x87_fnstsw(Interpreter& c, const Insn& i) {
    run_x87(c, i, kNoWait | kControl, [&](FpuState& f) {
        if (i.is_mem)
            c.write_mem(c.ea_seg(), c.ea_offset(), fx::fnstsw(f), 2);
        else
            c.set_reg(0, 2, fx::fnstsw(f));
    });
}

void x87_fnstcw(Interpreter& c, const Insn& i) {
    run_x87(c, i, kNoWait | kControl, [&](FpuState& f) { c.write_mem(c.ea_seg(), c.ea_offset(), fx::fnstcw(f), 2); });
}

// FLDCW may unmask a pending exception: ES goes up, and the next waiting instruction reports it.
void x87_fldcw(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting | kControl, [&](FpuState& f) {
        fx::fldcw(f, static_cast<std::uint16_t>(c.read_mem(c.ea_seg(), c.ea_offset(), 2)));
    });
}

// The environment (14 or 28 bytes) and the save area (94 or 108 bytes) take the 32-bit layout
// with a 32-bit operand size and the protected-mode layout in protected mode (SDM Vol. 1,
// 8.1.10, Figures 8-9 to 8-12). FNSTENV masks all exceptions and FNSAVE reinitialises the FPU
// afterwards, so both run on a copy that is committed once the image is in memory.
void x87_fnstenv(Interpreter& c, const Insn& i) {
    run_x87(c, i, kNoWait | kControl, [&](FpuState& f) {
        FpuState next = f;
        if (i.opsize == 4) {
            const fpu::Env32 e = fpu::fstenv32(next, env_mode(c));
            write_bytes(c, i, e.data(), e.size());
        } else {
            const fpu::Env16 e = fpu::fstenv16(next, env_mode(c));
            write_bytes(c, i, e.data(), e.size());
        }
        f = next;
    });
}

void x87_fldenv(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting | kControl, [&](FpuState& f) {
        if (i.opsize == 4)
            fpu::fldenv32(f, read_bytes<28>(c, i), env_mode(c));
        else
            fpu::fldenv16(f, read_bytes<14>(c, i), env_mode(c));
    });
}

void x87_fnsave(Interpreter& c, const Insn& i) {
    run_x87(c, i, kNoWait | kControl, [&](FpuState& f) {
        FpuState next = f;
        if (i.opsize == 4) {
            const fpu::SaveImage32 img = fpu::fsave32(next, env_mode(c));
            write_bytes(c, i, img.data(), img.size());
        } else {
            const fpu::SaveImage16 img = fpu::fsave16(next, env_mode(c));
            write_bytes(c, i, img.data(), img.size());
        }
        f = next;
    });
}

void x87_frstor(Interpreter& c, const Insn& i) {
    run_x87(c, i, kWaiting | kControl, [&](FpuState& f) {
        if (i.opsize == 4)
            fpu::frstor32(f, read_bytes<108>(c, i), env_mode(c));
        else
            fpu::frstor16(f, read_bytes<94>(c, i), env_mode(c));
    });
}

}  // namespace exec
}  // namespace lantern
