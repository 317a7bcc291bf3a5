// Descriptors, segment register loads, and far control transfers (JMP/CALL/RET/IRET) in every
// mode, with the protected-mode privilege rules of SDM Vol. 3, chapter 5.
#include "cpu/interpreter.h"

#include "cpu/cpuid.h"

namespace lantern {

namespace {
constexpr std::uint16_t kSelectorIndexMask = 0xFFFC;
bool is_null(std::uint16_t sel) { return (sel & kSelectorIndexMask) == 0; }
unsigned rpl(std::uint16_t sel) { return sel & 3; }
}  // namespace

// ---------------------------------------------------------------------------------------------
// Descriptors

Descriptor Interpreter::parse_descriptor(std::uint32_t lo, std::uint32_t hi) {
    Descriptor d;
    d.raw_lo = lo;
    d.raw_hi = hi;
    d.base = (lo >> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000u);
    d.limit = (lo & 0xFFFF) | (hi & 0x000F0000u);
    d.access = static_cast<std::uint16_t>(((hi >> 8) & 0xFF) | (((hi >> 20) & 0xF) << 8));
    if (d.access & seg_attr::G) d.limit = (d.limit << 12) | 0xFFF;
    // Gates (SDM Vol. 3, 5.8.3, 6.11): selector, offset, parameter count.
    d.gate_selector = static_cast<std::uint16_t>(lo >> 16);
    d.gate_offset = (lo & 0xFFFF) | (hi & 0xFFFF0000u);
    d.gate_params = static_cast<std::uint8_t>(hi & 0x1F);
    return d;
}

bool Interpreter::try_read_descriptor(std::uint16_t selector, Descriptor& d) {
    const bool local = (selector & 4) != 0;
    std::uint32_t base = 0, limit = 0;
    if (local) {
        if (is_null(s_.ldtr.selector) || !(s_.ldtr.access & seg_attr::Present)) return false;
        base = s_.ldtr.base;
        limit = s_.ldtr.limit;
    } else {
        base = s_.gdtr.base;
        limit = s_.gdtr.limit;
    }
    const std::uint32_t index = selector & 0xFFF8u;
    if (index + 7 > limit) return false;
    std::uint32_t lo = read_linear(base + index, 4);
    std::uint32_t hi = read_linear(base + index + 4, 4);
    if (model_ == CpuModel::I80286) {
        hi &= 0x0000FFFFu;  // bytes 6-7 are reserved on the 286: 24-bit bases, no G/D bits
    }
    d = parse_descriptor(lo, hi);
    if (model_ == CpuModel::I80286 && !d.is_system()) d.gate_offset &= 0xFFFF;
    return true;
}

Descriptor Interpreter::read_descriptor(std::uint16_t selector, std::uint8_t fault_vector) {
    Descriptor d;
    if (!try_read_descriptor(selector, d)) fault(fault_vector, selector & kSelectorIndexMask);
    return d;
}

void Interpreter::set_descriptor_accessed(std::uint16_t selector, Descriptor& d) {
    if (d.access & seg_attr::Accessed) return;
    d.access |= seg_attr::Accessed;
    const std::uint32_t base = (selector & 4) ? s_.ldtr.base : s_.gdtr.base;
    const std::uint32_t addr = base + (selector & 0xFFF8u) + 5;
    phys_write(addr, read_linear(addr, 1) | 1u, 1, false);
}

namespace {
SegmentCache cache_from(std::uint16_t selector, const Descriptor& d) {
    return SegmentCache{selector, d.base, d.limit, d.access};
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// Segment register loads

void Interpreter::load_segment_real(Seg s, std::uint16_t selector) {
    SegmentCache& sc = s_.segment(s);
    sc.selector = selector;
    sc.base = static_cast<std::uint32_t>(selector) << 4;
    if (v86()) {
        // Virtual-8086 segments are always 64 KiB, writable, DPL 3 (SDM Vol. 3, 20.1.1).
        sc.limit = 0xFFFF;
        sc.access = static_cast<std::uint16_t>(s == Seg::CS ? 0x00FB : 0x00F3);
    } else if (at_least(CpuModel::I80386)) {
        // Real mode keeps the cached limit and size bits ("unreal" mode works) but the segment
        // becomes usable again (SDM Vol. 3, 9.9.2; as the hardware and Bochs do).
        sc.access = static_cast<std::uint16_t>((sc.access & 0x0F00u) | (s == Seg::CS ? 0x9B : 0x93));
    }
    if (s == Seg::SS) s_.interrupt_shadow = true;  // MOV/POP SS hold off interrupts one insn
}

void Interpreter::load_segment(Seg s, std::uint16_t selector) {
    if (!pmode_segments()) {
        load_segment_real(s, selector);
        return;
    }
    if (s == Seg::SS) {
        s_.interrupt_shadow = true;
        if (is_null(selector)) fault(vec::GP, 0);
        Descriptor d = read_descriptor(selector, vec::GP);
        // SDM Vol. 2, MOV: RPL = CPL, writable data, DPL = CPL; not present -> #SS.
        if (rpl(selector) != cpl() || !d.is_data() || !(d.access & seg_attr::Writable) || d.dpl() != cpl())
            fault(vec::GP, selector & kSelectorIndexMask);
        if (!d.present()) fault(vec::SS, selector & kSelectorIndexMask);
        set_descriptor_accessed(selector, d);
        s_.segment(Seg::SS) = cache_from(selector, d);
        return;
    }
    load_data_segment_protected(s, selector);
}

void Interpreter::load_data_segment_protected(Seg s, std::uint16_t selector) {
    if (is_null(selector)) {
        // A null selector may be loaded into DS/ES/FS/GS; using it raises #GP(0).
        s_.segment(s) = SegmentCache{selector, 0, 0, 0};
        return;
    }
    Descriptor d = read_descriptor(selector, vec::GP);
    const bool readable_code = d.is_code() && (d.access & seg_attr::Readable);
    if (!(d.is_data() || readable_code)) fault(vec::GP, selector & kSelectorIndexMask);
    const bool conforming_code = d.is_code() && (d.access & seg_attr::Conforming);
    if (!conforming_code && (rpl(selector) > d.dpl() || cpl() > d.dpl()))
        fault(vec::GP, selector & kSelectorIndexMask);
    if (!d.present()) fault(vec::NP, selector & kSelectorIndexMask);
    set_descriptor_accessed(selector, d);
    s_.segment(s) = cache_from(selector, d);
}

void Interpreter::load_cs_protected(std::uint16_t selector, const Descriptor& d, unsigned new_cpl) {
    s_.segment(Seg::CS) = cache_from(static_cast<std::uint16_t>((selector & kSelectorIndexMask) | new_cpl), d);
    s_.cpl = static_cast<std::uint8_t>(new_cpl);
}

void Interpreter::load_ss_protected(std::uint16_t selector, const Descriptor& d) {
    s_.segment(Seg::SS) = cache_from(selector, d);
}

void Interpreter::invalidate_outer_segments() {
    // After a return to an outer level, data segment registers the new CPL may not use become
    // null (SDM Vol. 2, RET: "FOR each SegReg in (ES, FS, GS, and DS)").
    for (Seg s : {Seg::ES, Seg::DS, Seg::FS, Seg::GS}) {
        SegmentCache& sc = s_.segment(s);
        const unsigned dpl = (sc.access >> 5) & 3;
        const bool conforming_code = (sc.access & (seg_attr::Code | seg_attr::Conforming)) ==
                                     (seg_attr::Code | seg_attr::Conforming);
        if ((sc.access & seg_attr::S) && !conforming_code && dpl < cpl()) sc = SegmentCache{0, 0, 0, 0};
    }
}

std::uint32_t Interpreter::near_target(std::uint32_t ip, unsigned opsize) {
    const std::uint32_t target = opsize == 4 ? ip : (ip & 0xFFFF);
    if (!is_8086() && target > s_.segment(Seg::CS).limit) fault(vec::GP, 0);
    return target;
}

void Interpreter::jump_far(std::uint16_t cs, std::uint32_t ip) {
    // Real and v86 mode keep CS's limit across the load, and a target past it is #GP(0) at the
    // transfer (SDM Vol. 2, JMP real-address mode: "IF tempEIP is beyond code segment limit").
    if (!is_8086() && ip > s_.segment(Seg::CS).limit) fault(vec::GP, 0);
    load_segment_real(Seg::CS, cs);
    next_eip_ = ip;
}

// ---------------------------------------------------------------------------------------------
// JMP and CALL far (SDM Vol. 2, JMP and CALL "far" pseudo-code)

namespace {
bool is_call_gate(const Descriptor& d) { return d.is_system() && (d.type() == 0x4 || d.type() == 0xC); }
bool is_task_gate(const Descriptor& d) { return d.is_system() && d.type() == 0x5; }
bool is_available_tss(const Descriptor& d) { return d.is_system() && (d.type() == 0x1 || d.type() == 0x9); }
}  // namespace

// JMP or CALL to a TSS descriptor or through a task gate (SDM Vol. 3, 7.3): the descriptor's
// DPL must admit CPL and RPL; a gate must name an available TSS in the GDT.
void Interpreter::switch_task_through(std::uint16_t selector, const Descriptor& d, TaskSwitchReason why) {
    const std::uint16_t err = selector & kSelectorIndexMask;
    if (d.dpl() < cpl() || d.dpl() < rpl(selector)) fault(vec::GP, err);
    if (!d.present()) fault(vec::NP, err);
    std::uint16_t tss_sel = selector;
    Descriptor tss = d;
    if (is_task_gate(d)) {
        tss_sel = d.gate_selector;
        if (tss_sel & 4) fault(vec::GP, tss_sel & kSelectorIndexMask);
        tss = read_descriptor(tss_sel, vec::GP);
        if (!is_available_tss(tss)) fault(vec::GP, tss_sel & kSelectorIndexMask);
        if (!tss.present()) fault(vec::NP, tss_sel & kSelectorIndexMask);
    }
    task_switch(tss_sel, tss, why, false, 0);
}

// JMP or CALL straight to a code segment (SDM Vol. 2, JMP/CALL "far"): a conforming segment
// needs DPL <= CPL, a non-conforming one RPL <= CPL and DPL = CPL; then present, then the offset
// (truncated to the operand size) inside the limit. Returns the offset to load.
std::uint32_t Interpreter::check_direct_code_target(std::uint16_t selector, const Descriptor& d,
                                                     std::uint32_t offset, unsigned opsize) {
    const std::uint16_t err = selector & kSelectorIndexMask;
    if (d.access & seg_attr::Conforming) {
        if (d.dpl() > cpl()) fault(vec::GP, err);
    } else if (rpl(selector) > cpl() || d.dpl() != cpl()) {
        fault(vec::GP, err);
    }
    if (!d.present()) fault(vec::NP, err);
    if (opsize == 2) offset &= 0xFFFF;
    if (offset > d.limit) fault(vec::GP, 0);
    return offset;
}

void Interpreter::far_jump(std::uint16_t selector, std::uint32_t offset, unsigned opsize) {
    if (!pmode_segments()) {
        jump_far(selector, opsize == 4 ? offset : (offset & 0xFFFF));
        return;
    }
    if (is_null(selector)) fault(vec::GP, 0);
    Descriptor d = read_descriptor(selector, vec::GP);
    const std::uint16_t err = selector & kSelectorIndexMask;
    if (d.is_code()) {
        offset = check_direct_code_target(selector, d, offset, opsize);
        set_descriptor_accessed(selector, d);
        load_cs_protected(selector, d, cpl());
        next_eip_ = offset;
        return;
    }
    if (is_call_gate(d)) {
        if (d.dpl() < cpl() || d.dpl() < rpl(selector)) fault(vec::GP, err);
        if (!d.present()) fault(vec::NP, err);
        const std::uint16_t target = d.gate_selector;
        if (is_null(target)) fault(vec::GP, 0);
        Descriptor cd = read_descriptor(target, vec::GP);
        if (!cd.is_code()) fault(vec::GP, target & kSelectorIndexMask);
        if ((cd.access & seg_attr::Conforming) ? cd.dpl() > cpl() : cd.dpl() != cpl())
            fault(vec::GP, target & kSelectorIndexMask);
        if (!cd.present()) fault(vec::NP, target & kSelectorIndexMask);
        std::uint32_t eip = d.type() == 0x4 ? (d.gate_offset & 0xFFFF) : d.gate_offset;
        if (eip > cd.limit) fault(vec::GP, 0);
        set_descriptor_accessed(target, cd);
        load_cs_protected(target, cd, cpl());
        next_eip_ = eip;
        return;
    }
    if (is_task_gate(d) || is_available_tss(d)) {
        switch_task_through(selector, d, TaskSwitchReason::Jump);
        return;
    }
    fault(vec::GP, err);
}

std::uint32_t Interpreter::tss_stack_pointer(unsigned dpl, std::uint16_t& ss_out) {
    // SS:ESP for a privilege level from the current TSS (SDM Vol. 3, 7.2.1; 286: 7.x 16-bit TSS).
    const bool tss32 = (s_.tr.access & 0x0F) == 0x9 || (s_.tr.access & 0x0F) == 0xB;
    if (tss32) {
        const std::uint32_t off = 4 + dpl * 8;
        if (off + 5 > s_.tr.limit) fault(vec::TS, s_.tr.selector & kSelectorIndexMask);
        ss_out = static_cast<std::uint16_t>(read_linear(s_.tr.base + off + 4, 2));
        return read_linear(s_.tr.base + off, 4);
    }
    const std::uint32_t off = 2 + dpl * 4;
    if (off + 3 > s_.tr.limit) fault(vec::TS, s_.tr.selector & kSelectorIndexMask);
    ss_out = static_cast<std::uint16_t>(read_linear(s_.tr.base + off + 2, 2));
    return read_linear(s_.tr.base + off, 2);
}

void Interpreter::stack_switch_call(const Descriptor& gate, std::uint16_t cs_sel, const Descriptor& cs_desc,
                                    std::uint16_t ret_cs, std::uint32_t ret_ip, unsigned gate_width) {
    // CALL through a gate to a more privileged level (SDM Vol. 3, 5.8.5): new stack from the
    // TSS, then old SS:ESP, the parameters and the return address on it.
    const unsigned new_cpl = cs_desc.dpl();
    std::uint16_t new_ss = 0;
    const std::uint32_t new_esp = tss_stack_pointer(new_cpl, new_ss);
    if (is_null(new_ss)) fault(vec::TS, 0);
    Descriptor ssd;
    if (!try_read_descriptor(new_ss, ssd)) fault(vec::TS, new_ss & kSelectorIndexMask);
    if (rpl(new_ss) != new_cpl || ssd.dpl() != new_cpl || !ssd.is_data() || !(ssd.access & seg_attr::Writable))
        fault(vec::TS, new_ss & kSelectorIndexMask);
    if (!ssd.present()) fault(vec::SS, new_ss & kSelectorIndexMask);

    const std::uint16_t old_ss = s_.segment(Seg::SS).selector;
    const std::uint32_t old_esp = s_.gpr[4];
    const SegmentCache old_ss_cache = s_.segment(Seg::SS);
    const unsigned params = gate.gate_params & 0x1F;
    // Read the parameters from the old stack before switching.
    std::uint32_t param_values[32] = {};
    const std::uint32_t old_sp = sp();
    for (unsigned n = 0; n < params; ++n)
        param_values[n] = read_mem(Seg::SS, (old_sp + n * gate_width) & sp_mask(), gate_width);

    set_descriptor_accessed(new_ss, ssd);
    load_ss_protected(new_ss, ssd);
    s_.gpr[4] = new_esp;
    if (!stack32()) s_.gpr[4] &= 0xFFFF;
    try {
        // Room for the whole frame first, else #SS(new SS) (SDM Vol. 2, CALL "CALL-TO-MORE-
        // PRIVILEGE": "IF stack limit does not allow push of parameters and return address").
        if (!stack_has_room(4 + params, gate_width)) fault(vec::SS, new_ss & kSelectorIndexMask);
        push(old_ss, gate_width);
        push(old_esp, gate_width);
        for (unsigned n = params; n-- > 0;) push(param_values[n], gate_width);
        push(ret_cs, gate_width);
        push(ret_ip, gate_width);
    } catch (...) {
        s_.segment(Seg::SS) = old_ss_cache;
        s_.gpr[4] = old_esp;
        throw;
    }
    (void)old_ss;
    load_cs_protected(cs_sel, cs_desc, new_cpl);
}

void Interpreter::far_call(std::uint16_t selector, std::uint32_t offset, unsigned opsize) {
    const std::uint16_t ret_cs = s_.segment(Seg::CS).selector;
    const std::uint32_t ret_ip = next_eip_;
    if (!pmode_segments()) {
        // Check the target and that both pushes fit before writing either (a faulting CALL
        // changes nothing).
        if (!is_8086() && (opsize == 4 ? offset : (offset & 0xFFFF)) > s_.segment(Seg::CS).limit)
            fault(vec::GP, 0);
        const std::uint32_t old_sp = sp();
        push(ret_cs, opsize);
        try {
            push(ret_ip, opsize);
        } catch (...) {
            set_sp(old_sp);
            throw;
        }
        jump_far(selector, opsize == 4 ? offset : (offset & 0xFFFF));
        return;
    }
    if (is_null(selector)) fault(vec::GP, 0);
    Descriptor d = read_descriptor(selector, vec::GP);
    const std::uint16_t err = selector & kSelectorIndexMask;
    if (d.is_code()) {
        offset = check_direct_code_target(selector, d, offset, opsize);
        const std::uint32_t old_sp = sp();
        push(ret_cs, opsize);
        try {
            push(ret_ip, opsize);
        } catch (...) {
            set_sp(old_sp);
            throw;
        }
        set_descriptor_accessed(selector, d);
        load_cs_protected(selector, d, cpl());
        next_eip_ = offset;
        return;
    }
    if (is_call_gate(d)) {
        if (d.dpl() < cpl() || d.dpl() < rpl(selector)) fault(vec::GP, err);
        if (!d.present()) fault(vec::NP, err);
        const std::uint16_t target = d.gate_selector;
        if (is_null(target)) fault(vec::GP, 0);
        Descriptor cd = read_descriptor(target, vec::GP);
        if (!cd.is_code() || cd.dpl() > cpl()) fault(vec::GP, target & kSelectorIndexMask);
        if (!cd.present()) fault(vec::NP, target & kSelectorIndexMask);
        const unsigned gate_width = d.type() == 0xC ? 4 : 2;
        const std::uint32_t eip = gate_width == 4 ? d.gate_offset : (d.gate_offset & 0xFFFF);
        if (eip > cd.limit) fault(vec::GP, 0);
        set_descriptor_accessed(target, cd);
        if (!(cd.access & seg_attr::Conforming) && cd.dpl() < cpl()) {
            stack_switch_call(d, target, cd, ret_cs, ret_ip, gate_width);
        } else {
            const std::uint32_t old_sp = sp();
            push(ret_cs, gate_width);
            try {
                push(ret_ip, gate_width);
            } catch (...) {
                set_sp(old_sp);
                throw;
            }
            load_cs_protected(target, cd, cpl());
        }
        next_eip_ = eip;
        return;
    }
    if (is_task_gate(d) || is_available_tss(d)) {
        switch_task_through(selector, d, TaskSwitchReason::Call);
        return;
    }
    fault(vec::GP, err);
}

// ---------------------------------------------------------------------------------------------
// RET far and IRET

void Interpreter::far_return(unsigned opsize, std::uint32_t pop_bytes) {
    const std::uint32_t w = opsize;
    const std::uint32_t sp0 = sp();
    const std::uint32_t ip = read_mem(Seg::SS, sp0, w);
    const auto cs = static_cast<std::uint16_t>(read_mem(Seg::SS, (sp0 + w) & sp_mask(), w));
    if (!pmode_segments()) {
        jump_far(cs, ip);  // may fault: SP moves only after it
        set_sp((sp0 + 2 * w + pop_bytes) & sp_mask());
        return;
    }
    if (is_null(cs)) fault(vec::GP, 0);
    if (rpl(cs) < cpl()) fault(vec::GP, cs & kSelectorIndexMask);
    Descriptor d = read_descriptor(cs, vec::GP);
    if (!d.is_code()) fault(vec::GP, cs & kSelectorIndexMask);
    if ((d.access & seg_attr::Conforming) ? d.dpl() > rpl(cs) : d.dpl() != rpl(cs))
        fault(vec::GP, cs & kSelectorIndexMask);
    if (!d.present()) fault(vec::NP, cs & kSelectorIndexMask);
    if (ip > d.limit) fault(vec::GP, 0);
    if (rpl(cs) == cpl()) {
        set_sp((sp0 + 2 * w + pop_bytes) & sp_mask());
        set_descriptor_accessed(cs, d);
        load_cs_protected(cs, d, cpl());
        next_eip_ = ip;
        return;
    }
    // Return to an outer level: SS:ESP follow the parameters on the stack.
    const std::uint32_t at = (sp0 + 2 * w + pop_bytes) & sp_mask();
    const std::uint32_t new_esp = read_mem(Seg::SS, at, w);
    const auto new_ss = static_cast<std::uint16_t>(read_mem(Seg::SS, (at + w) & sp_mask(), w));
    if (is_null(new_ss)) fault(vec::GP, 0);
    Descriptor ssd = read_descriptor(new_ss, vec::GP);
    if (rpl(new_ss) != rpl(cs) || !ssd.is_data() || !(ssd.access & seg_attr::Writable) || ssd.dpl() != rpl(cs))
        fault(vec::GP, new_ss & kSelectorIndexMask);
    if (!ssd.present()) fault(vec::SS, new_ss & kSelectorIndexMask);
    set_descriptor_accessed(cs, d);
    set_descriptor_accessed(new_ss, ssd);
    load_cs_protected(cs, d, rpl(cs));
    load_ss_protected(new_ss, ssd);
    const std::uint32_t esp = (new_esp + pop_bytes);
    if (stack32()) s_.gpr[4] = esp; else s_.set_reg16(Reg::SP, static_cast<std::uint16_t>(esp));
    next_eip_ = ip;
    invalidate_outer_segments();
}

void Interpreter::interrupt_return(unsigned opsize) {
    const std::uint32_t w = opsize;
    if (!protected_mode()) {
        const std::uint32_t sp0 = sp();
        const std::uint32_t ip = read_mem(Seg::SS, sp0, w);
        const auto cs = static_cast<std::uint16_t>(read_mem(Seg::SS, (sp0 + w) & sp_mask(), w));
        const std::uint32_t f = read_mem(Seg::SS, (sp0 + 2 * w) & sp_mask(), w);
        jump_far(cs, ip);  // may fault: SP moves only after it
        set_sp((sp0 + 3 * w) & sp_mask());
        write_flags(f, w);
        return;
    }
    if (v86()) {
        // IRET in virtual-8086 mode is IOPL-sensitive (SDM Vol. 3, 20.2.7).
        if (iopl() < 3) fault(vec::GP, 0);
        const std::uint32_t sp0 = sp();
        const std::uint32_t ip = read_mem(Seg::SS, sp0, w);
        const auto cs = static_cast<std::uint16_t>(read_mem(Seg::SS, (sp0 + w) & sp_mask(), w));
        const std::uint32_t f = read_mem(Seg::SS, (sp0 + 2 * w) & sp_mask(), w);
        set_sp((sp0 + 3 * w) & sp_mask());
        load_segment_real(Seg::CS, cs);
        next_eip_ = ip & (w == 4 ? 0xFFFFFFFFu : 0xFFFFu);
        // IOPL and VM cannot change from v86 mode.
        const std::uint32_t keep = s_.eflags & (flag::IOPL | flag::VM);
        const std::uint32_t mask = w == 4 ? 0x00247FD5u : 0x7FD5u;
        s_.eflags = (s_.eflags & ~mask) | (f & mask);
        s_.eflags = (s_.eflags & ~(flag::IOPL | flag::VM)) | keep | 0x2u;
        s_.eflags &= ~flag::RF;
        return;
    }
    if (s_.eflags & flag::NT) {
        // Return from a nested task through the TSS back link (SDM Vol. 3, 7.3).
        const auto link = static_cast<std::uint16_t>(read_linear(s_.tr.base, 2));
        if (link & 4) fault(vec::TS, link & kSelectorIndexMask);
        Descriptor tss;
        if (!try_read_descriptor(link, tss)) fault(vec::TS, link & kSelectorIndexMask);
        if (!(tss.is_system() && (tss.type() == 0x3 || tss.type() == 0xB)))
            fault(vec::TS, link & kSelectorIndexMask);
        if (!tss.present()) fault(vec::NP, link & kSelectorIndexMask);
        task_switch(link, tss, TaskSwitchReason::Iret, false, 0);
        return;
    }
    const std::uint32_t sp0 = sp();
    const std::uint32_t ip = read_mem(Seg::SS, sp0, w);
    const auto cs = static_cast<std::uint16_t>(read_mem(Seg::SS, (sp0 + w) & sp_mask(), w));
    const std::uint32_t f = read_mem(Seg::SS, (sp0 + 2 * w) & sp_mask(), w);

    if (w == 4 && (f & flag::VM) && cpl() == 0) {
        // Return to virtual-8086 mode (SDM Vol. 2, IRET "RETURN-TO-VIRTUAL-8086-MODE").
        const std::uint32_t base = sp0 + 12;
        const std::uint32_t new_esp = read_mem(Seg::SS, base, 4);
        const auto new_ss = static_cast<std::uint16_t>(read_mem(Seg::SS, base + 4, 4));
        const auto es = static_cast<std::uint16_t>(read_mem(Seg::SS, base + 8, 4));
        const auto ds = static_cast<std::uint16_t>(read_mem(Seg::SS, base + 12, 4));
        const auto fs = static_cast<std::uint16_t>(read_mem(Seg::SS, base + 16, 4));
        const auto gs = static_cast<std::uint16_t>(read_mem(Seg::SS, base + 20, 4));
        s_.eflags = (f & 0x003F7FD5u) | 0x2u;  // VM set from the image
        s_.cpl = 3;
        for (auto [seg, sel] : {std::pair{Seg::CS, cs}, std::pair{Seg::SS, new_ss}, std::pair{Seg::ES, es},
                                std::pair{Seg::DS, ds}, std::pair{Seg::FS, fs}, std::pair{Seg::GS, gs}})
            load_segment_real(seg, sel);
        s_.interrupt_shadow = false;
        s_.gpr[4] = new_esp;
        next_eip_ = ip & 0xFFFF;
        return;
    }

    if (is_null(cs)) fault(vec::GP, 0);
    if (rpl(cs) < cpl()) fault(vec::GP, cs & kSelectorIndexMask);
    Descriptor d = read_descriptor(cs, vec::GP);
    if (!d.is_code()) fault(vec::GP, cs & kSelectorIndexMask);
    if ((d.access & seg_attr::Conforming) ? d.dpl() > rpl(cs) : d.dpl() != rpl(cs))
        fault(vec::GP, cs & kSelectorIndexMask);
    if (!d.present()) fault(vec::NP, cs & kSelectorIndexMask);
    const std::uint32_t eip = w == 4 ? ip : (ip & 0xFFFF);
    if (eip > d.limit) fault(vec::GP, 0);

    // EFLAGS as IRET restores them: IOPL only at CPL 0, IF only if CPL <= IOPL; RF and AC/ID
    // with a 32-bit image; VM only through the v86 path above.
    auto apply_flags = [&](unsigned old_cpl) {
        std::uint32_t changeable = 0x4FD5u | flag::NT;
        if (w == 4) {
            changeable |= flag::RF;
            if (at_least(CpuModel::I80486)) changeable |= flag::AC;
            if (has_cpuid(model_)) changeable |= flag::ID;  // as POPFD (interpreter.cpp)
        }
        if (old_cpl == 0) changeable |= flag::IOPL;
        if (old_cpl <= iopl()) changeable |= flag::IF; else changeable &= ~flag::IF;
        s_.eflags = (s_.eflags & ~changeable) | (f & changeable) | 0x2u;
        s_.eflags &= ~(0x8028u | flag::VM);
    };

    if (rpl(cs) == cpl()) {
        const unsigned old_cpl = cpl();
        set_sp((sp0 + 3 * w) & sp_mask());
        set_descriptor_accessed(cs, d);
        load_cs_protected(cs, d, cpl());
        next_eip_ = eip;
        apply_flags(old_cpl);
        return;
    }
    const std::uint32_t at = (sp0 + 3 * w) & sp_mask();
    const std::uint32_t new_esp = read_mem(Seg::SS, at, w);
    const auto new_ss = static_cast<std::uint16_t>(read_mem(Seg::SS, (at + w) & sp_mask(), w));
    if (is_null(new_ss)) fault(vec::GP, 0);
    Descriptor ssd = read_descriptor(new_ss, vec::GP);
    if (rpl(new_ss) != rpl(cs) || !ssd.is_data() || !(ssd.access & seg_attr::Writable) || ssd.dpl() != rpl(cs))
        fault(vec::GP, new_ss & kSelectorIndexMask);
    if (!ssd.present()) fault(vec::SS, new_ss & kSelectorIndexMask);
    const unsigned old_cpl = cpl();
    set_descriptor_accessed(cs, d);
    set_descriptor_accessed(new_ss, ssd);
    load_cs_protected(cs, d, rpl(cs));
    load_ss_protected(new_ss, ssd);
    if (stack32()) s_.gpr[4] = new_esp; else s_.set_reg16(Reg::SP, static_cast<std::uint16_t>(new_esp));
    next_eip_ = eip;
    apply_flags(old_cpl);
    invalidate_outer_segments();
}

// ---------------------------------------------------------------------------------------------
// Control registers

void Interpreter::write_cr(int n, std::uint32_t v) {
    switch (n) {
        case 0: {
            // 286: only the MSW exists. 386+: PG requires PE (#GP otherwise); ET is hardwired to 1
            // when a coprocessor is present (486+ always).
            if (model_ == CpuModel::I80286) {
                s_.cr[0] = (s_.cr[0] & ~0xFu) | (v & 0xF) | (s_.cr[0] & 1) | 0xFFF0u;
                return;
            }
            if ((v & cr0::PG) && !(v & cr0::PE)) fault(vec::GP, 0);
            if ((v & cr0::NW) && !(v & cr0::CD)) fault(vec::GP, 0);
            std::uint32_t mask = cr0::PE | cr0::MP | cr0::EM | cr0::TS | cr0::PG | cr0::ET;
            if (at_least(CpuModel::I80486)) mask |= cr0::NE | cr0::WP | cr0::AM | cr0::NW | cr0::CD;
            const std::uint32_t old = s_.cr[0];
            s_.cr[0] = (v & mask) | cr0::ET;
            if ((old ^ s_.cr[0]) & (cr0::PG | cr0::WP | cr0::PE)) flush_tlb(true);
            if (!(s_.cr[0] & cr0::PE)) s_.cpl = 0;
            return;
        }
        case 2: s_.cr[2] = v; return;
        case 3:
            s_.cr[3] = v;
            flush_tlb(false);  // global pages survive a CR3 load (SDM Vol. 3, 4.10.4.1)
            return;
        case 4: {
            std::uint32_t allowed = 0;
            if (at_least(CpuModel::Pentium)) allowed |= cr4::VME | cr4::PVI | cr4::TSD | cr4::DE | cr4::PSE | cr4::MCE;
            if (at_least(CpuModel::P6)) allowed |= cr4::PGE | cr4::PCE;
            if (v & ~allowed) fault(vec::GP, 0);
            const std::uint32_t old = s_.cr[4];
            s_.cr[4] = v;
            if ((old ^ v) & (cr4::PSE | cr4::PGE | cr4::PAE)) flush_tlb(true);
            return;
        }
        default: fault(vec::UD);
    }
}

}  // namespace lantern
