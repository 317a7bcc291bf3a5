// Effective addresses, segment protection and limit checks, paging with its TLB, and the stack.
#include "cpu/interpreter.h"

namespace lantern {

// ---------------------------------------------------------------------------------------------
// Effective addresses

void Interpreter::compute_ea(const Insn& i) {
    std::uint32_t off = 0;
    Seg seg = Seg::DS;
    if (i.addrsize == 2) {
        // 16-bit addressing forms (SDM Vol. 2, Table 2-1); BP-based forms default to SS.
        switch (i.rm) {
            case 0: off = r16(Reg::BX) + r16(Reg::SI); break;
            case 1: off = r16(Reg::BX) + r16(Reg::DI); break;
            case 2: off = r16(Reg::BP) + r16(Reg::SI); seg = Seg::SS; break;
            case 3: off = r16(Reg::BP) + r16(Reg::DI); seg = Seg::SS; break;
            case 4: off = r16(Reg::SI); break;
            case 5: off = r16(Reg::DI); break;
            case 6:
                if (i.mod != 0) {
                    off = r16(Reg::BP);
                    seg = Seg::SS;
                }
                break;
            case 7: off = r16(Reg::BX); break;
        }
        ea_off_ = (off + i.disp) & 0xFFFF;
    } else {
        // 32-bit forms with SIB (SDM Vol. 2, Tables 2-2 and 2-3): ESP/EBP bases default to SS.
        if (i.has_sib) {
            const unsigned scale = i.sib >> 6, index = (i.sib >> 3) & 7, base = i.sib & 7;
            if (base == 5 && i.mod == 0) {
                off = 0;  // disp32, no base
            } else {
                off = s_.gpr[base];
                if (base == 4 || base == 5) seg = Seg::SS;
            }
            if (index != 4) off += s_.gpr[index] << scale;
        } else if (i.mod == 0 && i.rm == 5) {
            off = 0;  // disp32
        } else {
            off = s_.gpr[i.rm];
            if (i.rm == 5) seg = Seg::SS;  // [EBP+disp]; rm 4 means SIB
        }
        ea_off_ = off + i.disp;
    }
    ea_seg_ = data_seg(i, seg);
}

// ---------------------------------------------------------------------------------------------
// Segmentation

void Interpreter::limit_fault(Seg s) {
    // In real mode the 286 raises #GP(0) for any operand beyond offset FFFF, stack included
    // (measured by the SingleStepTests 286 suite: POP/RET/LEAVE at SP=FFFF give vector 13).
    // The 386 and later, and protected mode, raise #SS(0) for the stack segment.
    if (s == Seg::SS && (at_least(CpuModel::I80386) || protected_mode())) fault(vec::SS, 0);
    fault(vec::GP, 0);
}

bool Interpreter::within_limit(Seg s, std::uint32_t offset, unsigned width) const {
    const SegmentCache& sc = s_.segment(s);
    const std::uint64_t last = static_cast<std::uint64_t>(offset) + width - 1;
    const bool expand_down = (sc.access & (seg_attr::S | seg_attr::Code | seg_attr::ExpandDown)) ==
                             (seg_attr::S | seg_attr::ExpandDown);
    if (expand_down && pmode_segments()) {
        // Valid offsets are limit+1 .. FFFF (or FFFFFFFF when B is set) (SDM Vol. 3, 5.3).
        const std::uint64_t upper = (sc.access & seg_attr::DB) ? 0xFFFFFFFFull : 0xFFFFull;
        return offset > sc.limit && last <= upper;
    }
    return last <= sc.limit;
}

void Interpreter::check_limit(Seg s, std::uint32_t offset, unsigned width) {
    if (is_8086()) return;
    if (!within_limit(s, offset, width)) limit_fault(s);
}

void Interpreter::check_access(Seg s, std::uint32_t offset, unsigned width, Access a) {
    if (is_8086()) return;
    if (pmode_segments()) {
        const SegmentCache& sc = s_.segment(s);
        // A null or unusable segment register (SDM Vol. 3, 5.4.1).
        if (!(sc.access & seg_attr::Present)) fault(s == Seg::SS ? vec::SS : vec::GP, 0);
        const bool code = (sc.access & seg_attr::Code) != 0;
        if (a == Access::Write && (code || !(sc.access & seg_attr::Writable)))
            fault(s == Seg::SS ? vec::SS : vec::GP, 0);
        if (a == Access::Read && code && !(sc.access & seg_attr::Readable)) fault(vec::GP, 0);
    }
    check_limit(s, offset, width);
}

std::uint32_t Interpreter::linearize(Seg s, std::uint32_t offset, unsigned width, Access a) {
    check_access(s, offset, width, a);
    // Alignment check (486+, SDM Vol. 3, 6.15 #AC): CR0.AM, EFLAGS.AC, CPL 3.
    if (width > 1 && (offset & (width - 1)) && at_least(CpuModel::I80486) && (s_.cr[0] & cr0::AM) &&
        (s_.eflags & flag::AC) && cpl() == 3)
        fault(vec::AC, 0);
    const std::uint32_t lin = s_.segment(s).base + offset;
    if (data_breakpoints_armed_) note_data_access(lin, width, a == Access::Write);
    return lin;
}

// ---------------------------------------------------------------------------------------------
// Paging (SDM Vol. 3, 4.3 "32-bit paging")

void Interpreter::flush_tlb(bool global) {
    for (auto& e : tlb_)
        if (global || !e.global) e.linear_page = 0xFFFFFFFFu;
}

void Interpreter::invalidate_page(std::uint32_t linear) {
    TlbEntry& e = tlb_[(linear >> 12) % kTlbEntries];
    if (e.linear_page == (linear >> 12)) e.linear_page = 0xFFFFFFFFu;
    // A 4 MiB page may be cached under any of its 4 KiB pages: be thorough.
    for (auto& t : tlb_)
        if ((t.linear_page >> 10) == (linear >> 22)) t.linear_page = 0xFFFFFFFFu;
}

std::uint32_t Interpreter::translate(std::uint32_t linear, Access a, bool user) {
    if (!(s_.cr[0] & cr0::PG)) return linear & addr_mask_;
    const std::uint32_t page = linear >> 12;
    const TlbEntry& e = tlb_[page % kTlbEntries];
    if (e.linear_page == page) {
        const bool write = a == Access::Write;
        const bool allowed = (!user || e.user) &&
                             (!write || e.writable || (!user && !(s_.cr[0] & cr0::WP)));
        if (allowed && (!write || e.dirty)) return (e.phys_page << 12) | (linear & 0xFFF);
    }
    return page_walk(linear, a, user);
}

std::uint32_t Interpreter::page_walk(std::uint32_t linear, Access a, bool user) {
    const bool write = a == Access::Write;
    auto page_fault = [&](bool present) {
        s_.cr[2] = linear;
        std::uint32_t code = (present ? 1u : 0u) | (write ? 2u : 0u) | (user ? 4u : 0u);
        fault(vec::PF, code);
    };
    const std::uint32_t pde_addr = (s_.cr[3] & 0xFFFFF000u) + ((linear >> 22) << 2);
    std::uint32_t pde = bus_.mem_read32(pde_addr);
    if (!(pde & 1)) page_fault(false);
    const bool big = (pde & 0x80) && (s_.cr[4] & cr4::PSE) && at_least(CpuModel::Pentium);
    std::uint32_t pte_addr = 0, pte = 0;
    bool us = (pde & 4) != 0, rw = (pde & 2) != 0;
    if (!big) {
        pte_addr = (pde & 0xFFFFF000u) + (((linear >> 12) & 0x3FF) << 2);
        pte = bus_.mem_read32(pte_addr);
        if (!(pte & 1)) page_fault(false);
        us = us && (pte & 4);
        rw = rw && (pte & 2);
    }
    // Protection (SDM Vol. 3, 4.6): user accesses need U/S and, to write, R/W at every level;
    // supervisor writes to read-only pages fault only when CR0.WP is set (486+).
    if (user && !us) page_fault(true);
    if (write && !rw && (user || ((s_.cr[0] & cr0::WP) && at_least(CpuModel::I80486)))) page_fault(true);

    // Accessed and dirty bits (SDM Vol. 3, 4.8).
    if (!(pde & 0x20) || (big && write && !(pde & 0x40))) {
        pde |= 0x20;
        if (big && write) pde |= 0x40;
        bus_.mem_write32(pde_addr, pde);
    }
    std::uint32_t phys_page = 0;
    bool dirty = false, global = false;
    if (big) {
        phys_page = ((pde & 0xFFC00000u) >> 12) | ((linear >> 12) & 0x3FF);
        dirty = (pde & 0x40) != 0;
        global = (pde & 0x100) != 0;
    } else {
        if (!(pte & 0x20) || (write && !(pte & 0x40))) {
            pte |= 0x20;
            if (write) pte |= 0x40;
            bus_.mem_write32(pte_addr, pte);
        }
        phys_page = pte >> 12;
        dirty = (pte & 0x40) != 0;
        global = (pte & 0x100) != 0;
    }
    TlbEntry& e = tlb_[(linear >> 12) % kTlbEntries];
    e.linear_page = linear >> 12;
    e.phys_page = phys_page;
    e.user = us;
    e.writable = rw;
    e.dirty = dirty;
    e.global = global && (s_.cr[4] & cr4::PGE);
    return (phys_page << 12) | (linear & 0xFFF);
}

std::uint32_t Interpreter::phys_read(std::uint32_t linear, unsigned width, Access a, bool user) {
    if (width == 1) return bus_.mem_read8(translate(linear, a, user));
    const bool paging = (s_.cr[0] & cr0::PG) != 0;
    if (paging && ((linear & 0xFFF) + width > 0x1000)) {
        // Crosses a page boundary: each byte through its own translation.
        std::uint32_t v = 0;
        for (unsigned b = 0; b < width; ++b)
            v |= static_cast<std::uint32_t>(bus_.mem_read8(translate(linear + b, a, user))) << (8 * b);
        return v;
    }
    const std::uint32_t p = translate(linear, a, user);
    if (!paging && ((p + width - 1) & addr_mask_) < p) {
        // Wraps around the top of the model's address space (the 286 at 16 MiB).
        std::uint32_t v = 0;
        for (unsigned b = 0; b < width; ++b)
            v |= static_cast<std::uint32_t>(bus_.mem_read8((p + b) & addr_mask_)) << (8 * b);
        return v;
    }
    return width == 2 ? bus_.mem_read16(p) : bus_.mem_read32(p);
}

void Interpreter::phys_write(std::uint32_t linear, std::uint32_t value, unsigned width, bool user) {
    if (width == 1) {
        bus_.mem_write8(translate(linear, Access::Write, user), static_cast<std::uint8_t>(value));
        return;
    }
    const bool paging = (s_.cr[0] & cr0::PG) != 0;
    if (paging && ((linear & 0xFFF) + width > 0x1000)) {
        // Translate every byte first so a fault on the second page writes nothing.
        std::uint32_t phys[4];
        for (unsigned b = 0; b < width; ++b) phys[b] = translate(linear + b, Access::Write, user);
        for (unsigned b = 0; b < width; ++b) bus_.mem_write8(phys[b], static_cast<std::uint8_t>(value >> (8 * b)));
        return;
    }
    const std::uint32_t p = translate(linear, Access::Write, user);
    if (!paging && ((p + width - 1) & addr_mask_) < p) {
        for (unsigned b = 0; b < width; ++b)
            bus_.mem_write8((p + b) & addr_mask_, static_cast<std::uint8_t>(value >> (8 * b)));
        return;
    }
    if (width == 2)
        bus_.mem_write16(p, static_cast<std::uint16_t>(value));
    else
        bus_.mem_write32(p, value);
}

// ---------------------------------------------------------------------------------------------
// Memory through segments

// The debugger's view of an 8086 data access: a word at offset FFFFh is two bytes at the two
// ends of the segment, as the bus sees them.
void Interpreter::notify_memory_8086(std::uint32_t base, std::uint32_t offset, unsigned width, bool write) {
    if (width == 2 && offset == 0xFFFF) {
        notify_memory((base + offset) & addr_mask_, 1, write);
        notify_memory(base & addr_mask_, 1, write);
    } else {
        notify_memory((base + offset) & addr_mask_, width, write);
    }
}

std::uint32_t Interpreter::read_mem(Seg s, std::uint32_t offset, unsigned width) {
    if (is_8086()) {
        const SegmentCache& sc = s_.segment(s);
        if (observe_memory_) notify_memory_8086(sc.base, offset, width, false);
        if (width == 1) return bus_.mem_read8((sc.base + offset) & addr_mask_);
        // The 8086 wraps each byte's offset within the 64 KiB segment; odd word accesses take
        // two bus cycles (+4 clocks, 8086 UM Table 2-21 note).
        if (offset & 1) extra_cycles_ += 4;
        std::uint32_t lo = bus_.mem_read8((sc.base + offset) & addr_mask_);
        std::uint32_t hi = bus_.mem_read8((sc.base + ((offset + 1) & 0xFFFF)) & addr_mask_);
        return lo | (hi << 8);
    }
    const std::uint32_t lin = linearize(s, offset, width, Access::Read);
    if (observe_memory_) notify_memory(lin, width, false);
    return phys_read(lin, width, Access::Read, cpl() == 3);
}

void Interpreter::write_mem(Seg s, std::uint32_t offset, std::uint32_t value, unsigned width) {
    if (is_8086()) {
        const SegmentCache& sc = s_.segment(s);
        if (observe_memory_) notify_memory_8086(sc.base, offset, width, true);
        if (width == 1) {
            bus_.mem_write8((sc.base + offset) & addr_mask_, static_cast<std::uint8_t>(value));
            return;
        }
        if (offset & 1) extra_cycles_ += 4;
        bus_.mem_write8((sc.base + offset) & addr_mask_, static_cast<std::uint8_t>(value));
        bus_.mem_write8((sc.base + ((offset + 1) & 0xFFFF)) & addr_mask_, static_cast<std::uint8_t>(value >> 8));
        return;
    }
    const std::uint32_t lin = linearize(s, offset, width, Access::Write);
    if (observe_memory_) notify_memory(lin, width, true);
    phys_write(lin, value, width, cpl() == 3);
}

void Interpreter::notify_memory(std::uint32_t linear, unsigned width, bool write) {
    std::uint32_t phys = linear;
    if (!peek_translate(linear, phys)) phys = 0xFFFFFFFFu;
    if (observer_->memory_access(linear, phys, width, write)) observer_stop_ = true;
}

bool Interpreter::peek_translate(std::uint32_t linear, std::uint32_t& physical) const {
    if (!(s_.cr[0] & cr0::PG)) {
        physical = linear & addr_mask_;
        return true;
    }
    const std::uint32_t pde = bus_.peek_read32((s_.cr[3] & 0xFFFFF000u) + ((linear >> 22) << 2));
    if (!(pde & 1)) return false;
    if ((pde & 0x80) && (s_.cr[4] & cr4::PSE)) {
        physical = (pde & 0xFFC00000u) | (linear & 0x3FFFFFu);
        return true;
    }
    const std::uint32_t pte = bus_.peek_read32((pde & 0xFFFFF000u) + (((linear >> 12) & 0x3FF) << 2));
    if (!(pte & 1)) return false;
    physical = (pte & 0xFFFFF000u) | (linear & 0xFFF);
    return true;
}

std::uint32_t Interpreter::io_in(std::uint16_t port, unsigned width) {
    const std::uint32_t v = bus_.io_read(port, width);
    if (observe_io_ && observer_->io_access(port, width, false, v)) observer_stop_ = true;
    return v;
}

void Interpreter::io_out(std::uint16_t port, std::uint32_t value, unsigned width) {
    if (observe_io_ && observer_->io_access(port, width, true, value)) observer_stop_ = true;
    bus_.io_write(port, value, width);
}

std::uint32_t Interpreter::read_linear(std::uint32_t linear, unsigned width, bool user) {
    return phys_read(linear, width, Access::Read, user);
}

void Interpreter::write_linear(std::uint32_t linear, std::uint32_t value, unsigned width, bool user) {
    phys_write(linear, value, width, user);
}

std::uint8_t Interpreter::fetch_code_byte(unsigned i) {
    const SegmentCache& cs = s_.segment(Seg::CS);
    if (is_8086()) return bus_.mem_read8((cs.base + ((s_.eip + i) & 0xFFFF)) & addr_mask_);
    const std::uint32_t off = (s_.eip + i) & ip_mask();
    if (at_least(CpuModel::I80286)) check_limit(Seg::CS, off, 1);
    return bus_.mem_read8(translate(cs.base + off, Access::Execute, cpl() == 3));
}

// ---------------------------------------------------------------------------------------------
// Stack

void Interpreter::push(std::uint32_t v, unsigned width) {
    const std::uint32_t new_sp = (sp() - width) & sp_mask();
    write_mem(Seg::SS, new_sp, v, width);  // write first: a faulting push leaves SP unchanged
    set_sp(new_sp);
}

bool Interpreter::stack_has_room(unsigned pushes, unsigned width) const {
    // A transfer to an inner privilege level checks that its whole frame fits the new stack
    // before pushing anything, and reports #SS with the new SS selector (SDM Vol. 2, CALL and
    // INT n: "IF new stack does not have room ... THEN #SS(NewSS selector)").
    const std::uint32_t top = sp();
    for (unsigned k = 1; k <= pushes; ++k)
        if (!within_limit(Seg::SS, (top - k * width) & sp_mask(), width)) return false;
    return true;
}

std::uint32_t Interpreter::pop(unsigned width) {
    const std::uint32_t old = sp();
    const std::uint32_t v = read_mem(Seg::SS, old, width);
    set_sp((old + width) & sp_mask());
    return v;
}

}  // namespace lantern
