// System instructions: descriptor-table registers, LDTR/TR, access checks (LAR/LSL/VERR/VERW/
// ARPL), control and debug registers, caches and TLB, MSRs and the TSC, SYSENTER/SYSEXIT, and
// the I/O permission check shared by IN/OUT/INS/OUTS.
#include "cpu/cpuid.h"
#include "cpu/exec.h"
#include "cpu/interpreter.h"

namespace lantern::exec {

namespace {
// Instructions that exist only in protected mode raise #UD in real and v86 mode.
void require_protected(Interpreter& c) {
    if (!c.protected_mode() || c.v86()) c.fault(vec::UD);
}

void store_table_register(Interpreter& c, const Insn& i, const DescriptorTableRegister& r) {
    if (!i.is_mem) c.fault(vec::UD);
    c.write_mem(c.ea_seg(), c.ea_offset(), r.limit, 2);
    std::uint32_t base = r.base;
    // 80286 PRM, SGDT: the sixth byte reads FF on the 286 (24-bit bases); a 386+ with a 16-bit
    // operand size stores 24 bits and a zero byte (SDM Vol. 2, SGDT).
    if (c.model() == CpuModel::I80286)
        base = (base & 0xFFFFFF) | 0xFF000000u;
    else if (i.opsize == 2)
        base &= 0xFFFFFF;
    c.write_mem(c.ea_seg(), c.ea_plus(i, 2), base, 4);
}

void load_table_register(Interpreter& c, const Insn& i, DescriptorTableRegister& r) {
    if (!i.is_mem) c.fault(vec::UD);
    c.require_cpl0();
    const auto limit = static_cast<std::uint16_t>(c.read_mem(c.ea_seg(), c.ea_offset(), 2));
    std::uint32_t base = c.read_mem(c.ea_seg(), c.ea_plus(i, 2), 4);
    if (i.opsize == 2 || c.model() == CpuModel::I80286) base &= 0xFFFFFF;
    r.limit = limit;
    r.base = base;
}
}  // namespace

void sgdt(Interpreter& c, const Insn& i) { store_table_register(c, i, c.state().gdtr); }
void sidt(Interpreter& c, const Insn& i) { store_table_register(c, i, c.state().idtr); }
void lgdt(Interpreter& c, const Insn& i) { load_table_register(c, i, c.state().gdtr); }
void lidt(Interpreter& c, const Insn& i) { load_table_register(c, i, c.state().idtr); }

// SMSW stores the low 16 bits of CR0 (a 32-bit register destination gets all of CR0 on 386+).
void smsw(Interpreter& c, const Insn& i) {
    if (!i.is_mem && i.opsize == 4) {
        c.set_reg(i.rm, 4, c.state().cr[0]);
        return;
    }
    c.write_op(i, 0, c.state().cr[0] & 0xFFFF);
}

// LMSW loads PE, MP, EM and TS; it cannot clear PE (80286 PRM, LMSW; SDM Vol. 2, LMSW).
void lmsw(Interpreter& c, const Insn& i) {
    c.require_cpl0();
    const std::uint32_t v = c.read_op(i, 0) & 0xF;
    const std::uint32_t cr = c.state().cr[0];
    const std::uint32_t msw = (cr & ~0xEu) | (v & 0xE) | (cr & 1) | (v & 1);
    if (c.model() == CpuModel::I80286) {
        c.state().cr[0] = msw | 0xFFF0u;
    } else {
        c.write_cr(0, msw);
    }
}

void clts(Interpreter& c, const Insn&) {
    c.require_cpl0();
    c.state().cr[0] &= ~cr0::TS;
}

// SLDT/STR: a 32-bit register destination is zero-extended (SDM Vol. 2, SLDT).
void sldt(Interpreter& c, const Insn& i) {
    require_protected(c);
    if (!i.is_mem) c.set_reg(i.rm, i.opsize, c.state().ldtr.selector);
    else c.write_op(i, 0, c.state().ldtr.selector);
}

void str_(Interpreter& c, const Insn& i) {
    require_protected(c);
    if (!i.is_mem) c.set_reg(i.rm, i.opsize, c.state().tr.selector);
    else c.write_op(i, 0, c.state().tr.selector);
}

void lldt(Interpreter& c, const Insn& i) {
    require_protected(c);
    c.require_cpl0();
    const auto sel = static_cast<std::uint16_t>(c.read_op(i, 0));
    if ((sel & 0xFFFC) == 0) {
        c.state().ldtr = SegmentCache{sel, 0, 0, 0};
        return;
    }
    if (sel & 4) c.fault(vec::GP, sel & 0xFFFC);
    Descriptor d = c.read_descriptor(sel, vec::GP);
    if (!d.is_system() || d.type() != 0x2) c.fault(vec::GP, sel & 0xFFFC);
    if (!d.present()) c.fault(vec::NP, sel & 0xFFFC);
    c.state().ldtr = SegmentCache{sel, d.base, d.limit, d.access};
}

void ltr(Interpreter& c, const Insn& i) {
    require_protected(c);
    c.require_cpl0();
    const auto sel = static_cast<std::uint16_t>(c.read_op(i, 0));
    if ((sel & 0xFFFC) == 0) c.fault(vec::GP, 0);
    if (sel & 4) c.fault(vec::GP, sel & 0xFFFC);
    Descriptor d = c.read_descriptor(sel, vec::GP);
    if (!d.is_system() || (d.type() != 0x1 && d.type() != 0x9)) c.fault(vec::GP, sel & 0xFFFC);
    if (!d.present()) c.fault(vec::NP, sel & 0xFFFC);
    // Mark the TSS busy in the GDT (SDM Vol. 2, LTR).
    const std::uint32_t addr = c.state().gdtr.base + (sel & 0xFFF8u) + 5;
    c.write_linear(addr, c.read_linear(addr, 1) | 0x2u, 1);
    c.state().tr = SegmentCache{sel, d.base, d.limit, static_cast<std::uint16_t>(d.access | 0x2)};
}

namespace {
// The descriptor checks LAR, LSL, VERR and VERW share: readable without faulting, and visible
// at the current privilege (conforming code segments ignore privilege).
bool visible_descriptor(Interpreter& c, std::uint16_t sel, Descriptor& d) {
    if ((sel & 0xFFFC) == 0) return false;
    if (!c.try_read_descriptor(sel, d)) return false;
    const bool conforming_code = d.is_code() && (d.access & seg_attr::Conforming);
    if (!conforming_code && (d.dpl() < c.cpl() || d.dpl() < (sel & 3u))) return false;
    return true;
}
}  // namespace

void verr(Interpreter& c, const Insn& i) {
    require_protected(c);
    Descriptor d;
    const auto sel = static_cast<std::uint16_t>(c.read_op(i, 0));
    const bool ok = visible_descriptor(c, sel, d) && !d.is_system() &&
                    (d.is_data() || (d.access & seg_attr::Readable));
    c.set_flag(flag::ZF, ok);
}

void verw(Interpreter& c, const Insn& i) {
    require_protected(c);
    Descriptor d;
    const auto sel = static_cast<std::uint16_t>(c.read_op(i, 0));
    const bool ok = visible_descriptor(c, sel, d) && d.is_data() && (d.access & seg_attr::Writable);
    c.set_flag(flag::ZF, ok);
}

void lar(Interpreter& c, const Insn& i) {
    require_protected(c);
    Descriptor d;
    const auto sel = static_cast<std::uint16_t>(c.read_op(i, 1));
    bool ok = visible_descriptor(c, sel, d);
    if (ok && d.is_system()) {
        // Valid system types for LAR (SDM Vol. 2, LAR table): TSS, LDT, gates.
        static constexpr bool valid[16] = {false, true, true, true, true, true, false, false,
                                           false, true, false, true, true, false, false, false};
        ok = valid[d.type()];
    }
    c.set_flag(flag::ZF, ok);
    if (ok) c.set_reg(i.reg, i.opsize, d.raw_hi & (i.opsize == 4 ? 0x00F0FF00u : 0xFF00u));
}

void lsl(Interpreter& c, const Insn& i) {
    require_protected(c);
    Descriptor d;
    const auto sel = static_cast<std::uint16_t>(c.read_op(i, 1));
    bool ok = visible_descriptor(c, sel, d);
    if (ok && d.is_system()) {
        static constexpr bool valid[16] = {false, true, true, true, false, false, false, false,
                                           false, true, false, true, false, false, false, false};
        ok = valid[d.type()];
    }
    c.set_flag(flag::ZF, ok);
    if (ok) c.set_reg(i.reg, i.opsize, d.limit);
}

// ARPL: #UD in real and v86 mode; adjusts a selector's RPL up to the source's.
void arpl(Interpreter& c, const Insn& i) {
    require_protected(c);
    const std::uint32_t dst = c.read_op(i, 0);
    const std::uint32_t src = c.read_op(i, 1);
    if ((dst & 3) < (src & 3)) {
        c.write_op(i, 0, (dst & ~3u) | (src & 3));
        c.set_flag(flag::ZF, true);
    } else {
        c.set_flag(flag::ZF, false);
    }
}

void invlpg(Interpreter& c, const Insn& i) {
    if (!i.is_mem) c.fault(vec::UD);
    c.require_cpl0();
    c.invalidate_page(c.state().segment(c.ea_seg()).base + c.ea_offset());
}

// Caches are not modelled (writes reach memory at once), so INVD and WBINVD only check privilege.
void invd(Interpreter& c, const Insn&) { c.require_cpl0(); }
void wbinvd(Interpreter& c, const Insn&) { c.require_cpl0(); }

void mov_from_cr(Interpreter& c, const Insn& i) {
    c.require_cpl0();
    const unsigned n = i.reg;
    if (n == 1 || n > 4 || (n == 4 && !c.at_least(CpuModel::Pentium))) c.fault(vec::UD);
    c.set_reg(i.rm, 4, c.state().cr[n]);
}

void mov_to_cr(Interpreter& c, const Insn& i) {
    c.require_cpl0();
    const unsigned n = i.reg;
    if (n == 1 || n > 4 || (n == 4 && !c.at_least(CpuModel::Pentium))) c.fault(vec::UD);
    c.write_cr(static_cast<int>(n), c.reg(i.rm, 4));
}

// DR4/DR5 alias DR6/DR7 unless CR4.DE is set, then they are #UD (SDM Vol. 3, 17.2.2).
namespace {
unsigned debug_register(Interpreter& c, unsigned n) {
    if (n == 4 || n == 5) {
        if (c.state().cr[4] & cr4::DE) c.fault(vec::UD);
        return n + 2;
    }
    return n;
}
}  // namespace

void mov_from_dr(Interpreter& c, const Insn& i) {
    c.require_cpl0();
    if (c.state().dr[7] & (1u << 13)) {
        c.state().dr[7] &= ~(1u << 13);
        c.state().dr[6] |= 1u << 13;
        c.fault(vec::DB);
    }
    c.set_reg(i.rm, 4, c.state().dr[debug_register(c, i.reg)]);
}

void mov_to_dr(Interpreter& c, const Insn& i) {
    c.require_cpl0();
    if (c.state().dr[7] & (1u << 13)) {
        // DR7.GD: any debug-register access faults first, with BD set (SDM Vol. 3, 17.2.4).
        c.state().dr[7] &= ~(1u << 13);
        c.state().dr[6] |= 1u << 13;
        c.fault(vec::DB);
    }
    const unsigned n = debug_register(c, i.reg);
    std::uint32_t v = c.reg(i.rm, 4);
    if (n == 6) v = (v & 0x0000E00Fu) | 0xFFFF0FF0u;   // reserved bits read as 1
    if (n == 7) v = (v & 0xFFFF2BFFu) | 0x00000400u;   // bit 10 reads as 1
    c.state().dr[n] = v;
    c.debug_registers_changed();
}

// ---- Model-specific registers and the time-stamp counter (SDM Vol. 4) ----

void rdtsc(Interpreter& c, const Insn&) {
    if ((c.state().cr[4] & cr4::TSD) && c.protected_mode() && (c.v86() || c.cpl() != 0)) c.fault(vec::GP, 0);
    const std::uint64_t tsc = c.state().cycles + c.state().tsc_offset;
    c.set_reg(0, 4, static_cast<std::uint32_t>(tsc));
    c.set_reg(2, 4, static_cast<std::uint32_t>(tsc >> 32));
}

void rdmsr(Interpreter& c, const Insn&) {
    c.require_cpl0();
    std::uint64_t v = 0;
    if (!read_msr(c.model(), c.state(), c.reg(1, 4), v)) c.fault(vec::GP, 0);
    c.set_reg(0, 4, static_cast<std::uint32_t>(v));
    c.set_reg(2, 4, static_cast<std::uint32_t>(v >> 32));
}

void wrmsr(Interpreter& c, const Insn&) {
    c.require_cpl0();
    const std::uint64_t v = (static_cast<std::uint64_t>(c.reg(2, 4)) << 32) | c.reg(0, 4);
    if (!write_msr(c.model(), c.state(), c.reg(1, 4), v)) c.fault(vec::GP, 0);
}

// No performance counters are modelled: RDPMC reads zero where it is allowed (SDM Vol. 2, RDPMC).
void rdpmc(Interpreter& c, const Insn&) {
    if (c.reg(1, 4) > 1) c.fault(vec::GP, 0);
    if (!(c.state().cr[4] & cr4::PCE) && c.protected_mode() && (c.v86() || c.cpl() != 0)) c.fault(vec::GP, 0);
    // EDX:EAX = the 40-bit counter ECX names (SDM Vol. 2, RDPMC).
    const std::uint64_t v = c.state().perf_ctr[c.reg(1, 4)];
    c.set_reg(0, 4, static_cast<std::uint32_t>(v));
    c.set_reg(2, 4, static_cast<std::uint32_t>(v >> 32));
}

void cpuid(Interpreter& c, const Insn&) {
    const CpuidLeaf r = cpuid_leaf(c.model(), c.reg(0, 4), c.reg(1, 4));
    c.set_reg(0, 4, r.eax);
    c.set_reg(3, 4, r.ebx);
    c.set_reg(1, 4, r.ecx);
    c.set_reg(2, 4, r.edx);
}

// SYSENTER/SYSEXIT: flat segments derived from IA32_SYSENTER_CS (SDM Vol. 2, SYSENTER).
void sysenter(Interpreter& c, const Insn&) {
    CpuState& s = c.state();
    if (!c.protected_mode() || (s.sysenter_cs & 0xFFFC) == 0) c.fault(vec::GP, 0);
    s.eflags &= ~(flag::VM | flag::IF | flag::RF);
    s.segment(Seg::CS) = SegmentCache{static_cast<std::uint16_t>(s.sysenter_cs & 0xFFFC), 0, 0xFFFFFFFFu, 0x0C9B};
    s.segment(Seg::SS) = SegmentCache{static_cast<std::uint16_t>((s.sysenter_cs + 8) & 0xFFFC), 0, 0xFFFFFFFFu, 0x0C93};
    s.cpl = 0;
    s.gpr[4] = s.sysenter_esp;
    c.jump_near(s.sysenter_eip, 4);
}

void sysexit(Interpreter& c, const Insn&) {
    CpuState& s = c.state();
    if (!c.protected_mode() || c.v86() || c.cpl() != 0 || (s.sysenter_cs & 0xFFFC) == 0) c.fault(vec::GP, 0);
    s.segment(Seg::CS) = SegmentCache{static_cast<std::uint16_t>((s.sysenter_cs + 16) | 3), 0, 0xFFFFFFFFu, 0x0CFB};
    s.segment(Seg::SS) = SegmentCache{static_cast<std::uint16_t>((s.sysenter_cs + 24) | 3), 0, 0xFFFFFFFFu, 0x0CF3};
    s.cpl = 3;
    s.gpr[4] = s.gpr[1];  // ECX
    c.jump_near(s.gpr[2], 4);  // EDX
}

}  // namespace lantern::exec

namespace lantern {

// I/O permission (SDM Vol. 1, 18.5): in protected mode with CPL > IOPL, and always in v86 mode,
// every byte of the access must have a clear bit in the 32-bit TSS's I/O permission bitmap.
void Interpreter::check_io(std::uint16_t port, unsigned width) {
    if (!protected_mode()) return;
    if (!v86() && cpl() <= iopl()) return;
    const bool tss32 = (s_.tr.access & 0x0F) == 0x9 || (s_.tr.access & 0x0F) == 0xB;
    if (!tss32 || s_.tr.limit < 0x67) fault(vec::GP, 0);
    const std::uint32_t map_base = read_linear(s_.tr.base + 0x66, 2);
    const std::uint32_t byte = map_base + port / 8;
    if (byte + 1 > s_.tr.limit) fault(vec::GP, 0);
    const std::uint32_t bits = read_linear(s_.tr.base + byte, 2);
    const std::uint32_t mask = ((1u << width) - 1) << (port & 7);
    if (bits & mask) fault(vec::GP, 0);
}

}  // namespace lantern
