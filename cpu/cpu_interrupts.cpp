// Interrupt and exception delivery in real, protected and virtual-8086 mode, with the double-
// fault and shutdown rules (SDM Vol. 3, chapter 6; 8086 UM 2-25; 80286 PRM chapter 9).
#include "cpu/interpreter.h"

namespace lantern {

namespace {
// SDM Vol. 3, Table 6-4: contributory exceptions.
bool contributory(std::uint8_t v) { return v == 0 || (v >= 10 && v <= 13); }
bool pushes_error_code(std::uint8_t v) {
    return v == vec::DF || (v >= vec::TS && v <= vec::PF) || v == vec::AC;
}
}  // namespace

void Interpreter::interrupt(std::uint8_t vector, bool is_exception, std::uint32_t return_ip) {
    deliver(vector, is_exception, false, false, 0, return_ip);
}

void Interpreter::software_interrupt(std::uint8_t vector, std::uint32_t return_ip) {
    deliver(vector, false, true, false, 0, return_ip);
}

void Interpreter::deliver(std::uint8_t vector, bool is_exception, bool software, bool has_error,
                          std::uint32_t error_code, std::uint32_t return_ip) {
    if (s_.shutdown) return;
    fault_in_new_task_ = false;
    if (observe_interrupts_ && observer_->interrupt(vector, is_exception, software)) observer_stop_ = true;
    // Errors codes exist only in protected mode, for the vectors that define them.
    has_error = has_error && protected_mode() && pushes_error_code(vector);
    ++exception_depth_;
    try {
        if (protected_mode())
            deliver_protected(vector, is_exception, software, has_error, error_code, return_ip);
        else
            deliver_real(vector, is_exception, return_ip);
        --exception_depth_;
    } catch (const CpuFault& f) {
        --exception_depth_;
        // A fault while delivering (SDM Vol. 3, Table 6-5): a fault in #DF shuts down; two
        // contributory faults, or a page fault followed by a page fault or contributory fault,
        // become #DF; otherwise the second fault is handled instead.
        if (is_8086() || vector == vec::DF || exception_depth_ > 2) {
            s_.shutdown = true;
            return;
        }
        // A fault raised while delivering INT n, INT3 or INTO is a fault of that instruction: it
        // is reported with the instruction's own address, like any fault (SDM Vol. 3, 6.5). A
        // virtual-8086 monitor relies on it to find the INT that raised #GP (SDM Vol. 3, 20.2.7).
        if (software) return_ip = insn_start_eip_;
        // A task gate whose switch faulted past its commit point: the fault is the new task's.
        if (fault_in_new_task_) return_ip = insn_start_eip_;
        const bool double_fault =
            !is_exception ? false
                          : ((contributory(vector) && contributory(f.vector)) ||
                             (vector == vec::PF && (contributory(f.vector) || f.vector == vec::PF)));
        if (model_ == CpuModel::I80286 && !protected_mode()) {
            deliver(vec::DF, true, false, true, 0, return_ip);
        } else if (double_fault) {
            deliver(vec::DF, true, false, true, 0, return_ip);
        } else {
            deliver(f.vector, true, false, f.has_error_code, f.error_code, return_ip);
        }
    }
}

void Interpreter::deliver_real(std::uint8_t vector, bool is_exception, std::uint32_t return_ip) {
    // Real-mode interrupt (8086 UM 2-25; 80286 PRM 5.4): push FLAGS, CS, IP; clear IF and TF;
    // load CS:IP from the vector table (at IDTR.base on the 286 and later).
    const std::uint16_t image = read_flags16();
    const std::uint32_t vec_off = static_cast<std::uint32_t>(vector) * 4;
    if (!is_8086() && vec_off + 3 > s_.idtr.limit) fault(vec::GP, vec_off | 2);
    push(image, 2);
    const std::uint32_t flags_addr = (s_.segment(Seg::SS).base + sp()) & addr_mask_;
    set_flag(flag::IF, false);
    set_flag(flag::TF, false);
    if (at_least(CpuModel::I80486)) set_flag(flag::AC, false);
    set_flag(flag::RF, false);
    push(s_.segment(Seg::CS).selector, 2);
    push(return_ip & 0xFFFF, 2);
    const std::uint32_t base = is_8086() ? 0 : s_.idtr.base;
    const auto ip = static_cast<std::uint16_t>(read_linear(base + vec_off, 2));
    const auto cs = static_cast<std::uint16_t>(read_linear(base + vec_off + 2, 2));
    jump_far(cs, ip);
    last_interrupt_ = InterruptRecord{true, vector, is_exception, flags_addr};
}

void Interpreter::deliver_protected(std::uint8_t vector, bool is_exception, bool software, bool has_error,
                                    std::uint32_t error_code, std::uint32_t return_ip) {
    const std::uint32_t ext = software ? 0 : 1;  // EXT bit of error codes raised on the way
    const std::uint32_t idt_err = static_cast<std::uint32_t>(vector) * 8 + 2 + ext;
    if (static_cast<std::uint32_t>(vector) * 8 + 7 > s_.idtr.limit) fault(vec::GP, idt_err);
    const std::uint32_t lo = read_linear(s_.idtr.base + vector * 8u, 4);
    std::uint32_t hi = read_linear(s_.idtr.base + vector * 8u + 4, 4);
    if (model_ == CpuModel::I80286) hi &= 0xFFFF;
    const Descriptor gate = parse_descriptor(lo, hi);
    const unsigned type = gate.type();
    if (!gate.is_system() || !(type == 0x5 || type == 0x6 || type == 0x7 || type == 0xE || type == 0xF))
        fault(vec::GP, idt_err);
    if (software && gate.dpl() < cpl()) fault(vec::GP, idt_err & ~1u);
    if (!gate.present()) fault(vec::NP, idt_err);

    if (type == 0x5) {
        // Task gate: the handler is a task (SDM Vol. 3, 6.12.2).
        const std::uint16_t tss_sel = gate.gate_selector;
        if (tss_sel & 4) fault(vec::TS, (tss_sel & 0xFFFC) | ext);
        Descriptor tss;
        if (!try_read_descriptor(tss_sel, tss)) fault(vec::TS, (tss_sel & 0xFFFC) | ext);
        if (!(tss.is_system() && (tss.type() == 0x1 || tss.type() == 0x9))) fault(vec::TS, (tss_sel & 0xFFFC) | ext);
        if (!tss.present()) fault(vec::NP, (tss_sel & 0xFFFC) | ext);
        next_eip_ = return_ip;
        task_switch(tss_sel, tss, TaskSwitchReason::Interrupt, has_error, error_code);
        last_interrupt_ = InterruptRecord{true, vector, is_exception, 0};
        return;
    }

    const std::uint16_t target = gate.gate_selector;
    if ((target & 0xFFFC) == 0) fault(vec::GP, ext);
    Descriptor cd;
    if (!try_read_descriptor(target, cd)) fault(vec::GP, (target & 0xFFFC) | ext);
    if (!cd.is_code() || cd.dpl() > cpl()) fault(vec::GP, (target & 0xFFFC) | ext);
    if (!cd.present()) fault(vec::NP, (target & 0xFFFC) | ext);
    const unsigned w = type >= 0xE ? 4 : 2;
    const std::uint32_t eip = w == 4 ? gate.gate_offset : (gate.gate_offset & 0xFFFF);
    if (eip > cd.limit) fault(vec::GP, ext);
    const bool inner = !(cd.access & seg_attr::Conforming) && cd.dpl() < cpl();
    const bool from_v86 = v86();
    if (from_v86 && (!inner || cd.dpl() != 0)) fault(vec::GP, (target & 0xFFFC) | ext);

    const std::uint32_t old_eflags = s_.eflags;
    const std::uint16_t old_cs = s_.segment(Seg::CS).selector;
    const CpuState saved = s_;
    try {
        if (inner) {
            // Stack switch to the handler's level (SDM Vol. 3, 6.12.1).
            std::uint16_t new_ss = 0;
            const std::uint32_t new_esp = tss_stack_pointer(cd.dpl(), new_ss);
            if ((new_ss & 0xFFFC) == 0) fault(vec::TS, ext);
            Descriptor ssd;
            if (!try_read_descriptor(new_ss, ssd)) fault(vec::TS, (new_ss & 0xFFFC) | ext);
            if ((new_ss & 3) != cd.dpl() || ssd.dpl() != cd.dpl() || !ssd.is_data() ||
                !(ssd.access & seg_attr::Writable))
                fault(vec::TS, (new_ss & 0xFFFC) | ext);
            if (!ssd.present()) fault(vec::SS, (new_ss & 0xFFFC) | ext);
            const std::uint16_t old_ss = s_.segment(Seg::SS).selector;
            const std::uint32_t old_esp = s_.gpr[4];
            const std::uint16_t old_es = s_.segment(Seg::ES).selector, old_ds = s_.segment(Seg::DS).selector,
                                old_fs = s_.segment(Seg::FS).selector, old_gs = s_.segment(Seg::GS).selector;
            s_.segment(Seg::SS) = SegmentCache{new_ss, ssd.base, ssd.limit, ssd.access};
            s_.gpr[4] = (ssd.access & seg_attr::DB) ? new_esp : (new_esp & 0xFFFF);
            s_.cpl = static_cast<std::uint8_t>(cd.dpl());  // pushes are supervisor accesses now
            // The whole frame must fit the new stack: else #SS(new SS + EXT) (SDM Vol. 2, INT n).
            const unsigned frame = (from_v86 ? 9u : 5u) + (has_error ? 1u : 0u);
            if (!stack_has_room(frame, w)) fault(vec::SS, (new_ss & 0xFFFC) | ext);
            if (from_v86) {
                push(old_gs, w);
                push(old_fs, w);
                push(old_ds, w);
                push(old_es, w);
            }
            push(old_ss, w);
            push(old_esp, w);
        }
        // Same level: no room on the current stack is #SS(EXT) (SDM Vol. 2, INT n).
        if (!inner && !stack_has_room(has_error ? 4u : 3u, w)) fault(vec::SS, ext);
        push(w == 4 ? old_eflags : (old_eflags & 0xFFFF), w);
        last_interrupt_ = InterruptRecord{true, vector, is_exception, s_.segment(Seg::SS).base + sp()};
        push(old_cs, w);
        push(return_ip, w);
        if (has_error) push(error_code, w);
    } catch (...) {
        const Cycles c = s_.cycles;
        s_ = saved;
        s_.cycles = c;
        throw;
    }
    if (from_v86) {
        for (Seg s : {Seg::ES, Seg::DS, Seg::FS, Seg::GS}) s_.segment(s) = SegmentCache{0, 0, 0, 0};
    }
    const unsigned new_cpl = inner ? cd.dpl() : cpl();
    s_.segment(Seg::CS) =
        SegmentCache{static_cast<std::uint16_t>((target & 0xFFFC) | new_cpl), cd.base, cd.limit, cd.access};
    s_.cpl = static_cast<std::uint8_t>(new_cpl);
    // Interrupt gates clear IF; every gate clears TF, NT, RF and VM (SDM Vol. 3, 6.12.1.3).
    s_.eflags &= ~(flag::TF | flag::NT | flag::RF | flag::VM);
    if (type == 0x6 || type == 0xE) s_.eflags &= ~flag::IF;
    next_eip_ = eip;
}

}  // namespace lantern
