// Hardware task switching through TSS descriptors and task gates, 16- and 32-bit TSS formats
// (SDM Vol. 3, 7.3 "Task Switching"; 80286 PRM chapter 8).
#include "cpu/interpreter.h"

namespace lantern {

namespace {
constexpr std::uint16_t kBusy = 0x2;  // TSS descriptor type bit 1 (available 1/9, busy 3/B)

struct TssImage {
    std::uint32_t cr3 = 0, eip = 0, eflags = 0;
    std::array<std::uint32_t, 8> gpr{};
    std::array<std::uint16_t, 6> seg{};  // ES CS SS DS FS GS
    std::uint16_t ldt = 0;
    bool trap = false;
};
}  // namespace

void Interpreter::task_switch(std::uint16_t selector, const Descriptor& tss, TaskSwitchReason why,
                              bool push_error, std::uint32_t error_code) {
    const bool new32 = (tss.type() & 0x8) != 0;
    const std::uint32_t min_limit = new32 ? 0x67 : 0x2B;
    if (tss.limit < min_limit) fault(vec::TS, selector & 0xFFFC);

    const bool old32 = (s_.tr.access & 0x8) != 0;
    const std::uint32_t old_base = s_.tr.base;

    // Read the whole new image first, so a fault while reading leaves the old task intact.
    TssImage n;
    const std::uint32_t b = tss.base;
    if (new32) {
        n.cr3 = read_linear(b + 0x1C, 4);
        n.eip = read_linear(b + 0x20, 4);
        n.eflags = read_linear(b + 0x24, 4);
        for (int r = 0; r < 8; ++r) n.gpr[r] = read_linear(b + 0x28 + 4 * r, 4);
        for (int sidx = 0; sidx < 6; ++sidx) n.seg[sidx] = static_cast<std::uint16_t>(read_linear(b + 0x48 + 4 * sidx, 2));
        n.ldt = static_cast<std::uint16_t>(read_linear(b + 0x60, 2));
        n.trap = (read_linear(b + 0x64, 2) & 1) != 0;
    } else {
        n.eip = read_linear(b + 0x0E, 2);
        n.eflags = read_linear(b + 0x10, 2);
        for (int r = 0; r < 8; ++r) n.gpr[r] = read_linear(b + 0x12 + 2 * r, 2);
        for (int sidx = 0; sidx < 4; ++sidx) n.seg[sidx] = static_cast<std::uint16_t>(read_linear(b + 0x22 + 2 * sidx, 2));
        n.ldt = static_cast<std::uint16_t>(read_linear(b + 0x2A, 2));
    }

    // Busy bits and the old task's NT (SDM Vol. 3, 7.3 steps 5-6).
    auto set_busy = [&](std::uint16_t sel, bool busy) {
        const std::uint32_t addr = s_.gdtr.base + (sel & 0xFFF8u) + 5;
        std::uint32_t byte5 = read_linear(addr, 1);
        byte5 = busy ? (byte5 | kBusy) : (byte5 & ~static_cast<std::uint32_t>(kBusy));
        write_linear(addr, byte5, 1);
    };
    if (why == TaskSwitchReason::Jump || why == TaskSwitchReason::Iret) set_busy(s_.tr.selector, false);
    std::uint32_t saved_eflags = s_.eflags;
    if (why == TaskSwitchReason::Iret) saved_eflags &= ~flag::NT;

    // Save the outgoing state (CR3 and LDTR are not saved).
    if (old32) {
        write_linear(old_base + 0x20, next_eip_, 4);
        write_linear(old_base + 0x24, saved_eflags, 4);
        for (int r = 0; r < 8; ++r) write_linear(old_base + 0x28 + 4 * r, s_.gpr[r], 4);
        for (int sidx = 0; sidx < 6; ++sidx) write_linear(old_base + 0x48 + 4 * sidx, s_.seg[sidx].selector, 2);
    } else {
        write_linear(old_base + 0x0E, next_eip_ & 0xFFFF, 2);
        write_linear(old_base + 0x10, saved_eflags & 0xFFFF, 2);
        for (int r = 0; r < 8; ++r) write_linear(old_base + 0x12 + 2 * r, s_.gpr[r] & 0xFFFF, 2);
        for (int sidx = 0; sidx < 4; ++sidx) write_linear(old_base + 0x22 + 2 * sidx, s_.seg[sidx].selector, 2);
    }

    const std::uint16_t old_tr = s_.tr.selector;
    if (why == TaskSwitchReason::Call || why == TaskSwitchReason::Interrupt) {
        write_linear(b, old_tr, 2);  // back link
        n.eflags |= flag::NT;
    }
    if (why != TaskSwitchReason::Iret) set_busy(selector, true);

    // Commit: TR, CR0.TS, then the new task's registers (SDM Vol. 3, 7.3 steps 8-10).
    s_.tr = SegmentCache{selector, tss.base, tss.limit, static_cast<std::uint16_t>(tss.access | kBusy)};
    s_.cr[0] |= cr0::TS;
    if (new32) {
        s_.cr[3] = n.cr3;
        flush_tlb(false);
    }
    if (new32) {
        s_.eflags = (n.eflags & 0x003F7FD5u) | 0x2u;
        s_.gpr = n.gpr;
        next_eip_ = n.eip;
    } else {
        s_.eflags = (s_.eflags & 0xFFFF0000u & ~(flag::VM | flag::RF)) | (n.eflags & 0x7FD5u) | 0x2u;
        for (int r = 0; r < 8; ++r) s_.gpr[r] = (s_.gpr[r] & 0xFFFF0000u) | (n.gpr[r] & 0xFFFF);
        next_eip_ = n.eip & 0xFFFF;
    }
    for (int sidx = 0; sidx < 6; ++sidx) s_.seg[sidx].selector = n.seg[sidx];

    // Past the commit point a fault belongs to the new task: its state is loaded, and the
    // exception is raised in it with CS:EIP at its first instruction (SDM Vol. 3, Interrupt 10
    // #TS, "Saved Instruction Pointer"). The delivery paths read that from insn_start_eip_.
    try {
        // LDT, then segments, checked in the new task's context: faults are #TS.
        s_.ldtr.selector = n.ldt;
        if ((n.ldt & 0xFFFC) == 0) {
            s_.ldtr = SegmentCache{n.ldt, 0, 0, 0};
        } else {
            if (n.ldt & 4) fault(vec::TS, n.ldt & 0xFFFC);
            Descriptor ld;
            if (!try_read_descriptor(n.ldt, ld) || !(ld.is_system() && ld.type() == 0x2))
                fault(vec::TS, n.ldt & 0xFFFC);
            if (!ld.present()) fault(vec::TS, n.ldt & 0xFFFC);
            s_.ldtr = SegmentCache{n.ldt, ld.base, ld.limit, ld.access};
        }

        if (s_.eflags & flag::VM) {
            s_.cpl = 3;
            for (int sidx = 0; sidx < 6; ++sidx) load_segment_real(static_cast<Seg>(sidx), n.seg[sidx]);
            s_.interrupt_shadow = false;
        } else {
            const std::uint16_t cs = n.seg[1];
            Descriptor cd;
            if ((cs & 0xFFFC) == 0 || !try_read_descriptor(cs, cd) || !cd.is_code())
                fault(vec::TS, cs & 0xFFFC);
            const unsigned new_cpl = cs & 3;
            if ((cd.access & seg_attr::Conforming) ? cd.dpl() > new_cpl : cd.dpl() != new_cpl)
                fault(vec::TS, cs & 0xFFFC);
            if (!cd.present()) fault(vec::NP, cs & 0xFFFC);
            s_.segment(Seg::CS) = SegmentCache{cs, cd.base, cd.limit, cd.access};
            s_.cpl = static_cast<std::uint8_t>(new_cpl);

            const std::uint16_t ss = n.seg[2];
            Descriptor sd;
            if ((ss & 0xFFFC) == 0 || !try_read_descriptor(ss, sd) || !sd.is_data() ||
                !(sd.access & seg_attr::Writable) || sd.dpl() != new_cpl || (ss & 3) != new_cpl)
                fault(vec::TS, ss & 0xFFFC);
            if (!sd.present()) fault(vec::SS, ss & 0xFFFC);
            s_.segment(Seg::SS) = SegmentCache{ss, sd.base, sd.limit, sd.access};

            for (Seg sg : {Seg::ES, Seg::DS, Seg::FS, Seg::GS}) {
                const std::uint16_t sel = n.seg[static_cast<int>(sg)];
                if ((sel & 0xFFFC) == 0) {
                    s_.segment(sg) = SegmentCache{sel, 0, 0, 0};
                    continue;
                }
                Descriptor d;
                if (!try_read_descriptor(sel, d)) fault(vec::TS, sel & 0xFFFC);
                const bool ok = d.is_data() || (d.is_code() && (d.access & seg_attr::Readable));
                const bool conforming = d.is_code() && (d.access & seg_attr::Conforming);
                if (!ok || (!conforming && ((sel & 3) > d.dpl() || new_cpl > d.dpl())))
                    fault(vec::TS, sel & 0xFFFC);
                if (!d.present()) fault(vec::NP, sel & 0xFFFC);
                s_.segment(sg) = SegmentCache{sel, d.base, d.limit, d.access};
            }
        }

        if (push_error) push(error_code, new32 ? 4 : 2);
        if (next_eip_ > s_.segment(Seg::CS).limit) fault(vec::GP, 0);
    } catch (const CpuFault&) {
        insn_start_eip_ = next_eip_;
        fault_in_new_task_ = true;
        throw;
    }
    if (n.trap) {
        s_.dr[6] |= 1u << 15;  // BT: the debug trap fires after the switch (SDM Vol. 3, 17.3.1.5)
        task_trap_pending_ = true;
    }
}

}  // namespace lantern
