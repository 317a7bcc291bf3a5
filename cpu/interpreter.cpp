// The run loop, decoding, cycle accounting, registers, operands, flags and inspection.
#include "cpu/interpreter.h"

#include <algorithm>
#include <new>
#include <type_traits>

#include "cpu/cpu_model.h"
#include "cpu/cpuid.h"

namespace lantern {

std::string_view stop_reason_name(StopReason r) {
    switch (r) {
        case StopReason::BudgetExhausted: return "budget exhausted";
        case StopReason::Halted: return "halted with interrupts disabled";
        case StopReason::StopRequested: return "stop requested";
        case StopReason::Shutdown: return "shutdown (triple fault)";
        case StopReason::InstructionLimit: return "instruction limit reached";
        case StopReason::Breakpoint: return "breakpoint";
    }
    return "?";
}

Interpreter::Interpreter(CpuModel model, CpuBus& bus)
    : model_(model),
      column_(timing_column(model)),
      bus_(bus),
      map_(model),
      s_(reset_state(model)),
      addr_mask_(address_mask(model)),
      code_cache_(map_, max_instruction_length(), bus) {}

void Interpreter::reset() {
    s_ = reset_state(model_);
    last_interrupt_ = {};
    flush_tlb(true);
    code_cache_.flush();  // a power-on reset clears RAM behind the bus
}

unsigned Interpreter::max_instruction_length() const {
    // 80286 PRM 2.4: at most 10 bytes; 386 and later: 15 (SDM Vol. 2, 2.3.11). The 8086 has no
    // limit; prefixes are capped only so a runaway prefix stream still decodes.
    if (is_8086()) return 255;
    return model_ == CpuModel::I80286 ? 10 : 15;
}

static_assert(std::is_trivially_destructible_v<Insn>, "execute_one keeps an Insn in a union it never destroys");

const Insn* Interpreter::fetch_insn(Insn& scratch) {
    if (code_cache_.enabled())
        if (const Insn* c = cached_insn()) return c;
    return ::new (static_cast<void*>(&scratch)) Insn(decode_at_ip());  // Insn is trivially destructible
}

const Insn* Interpreter::cached_insn() {
    // Exactly the checks and the translation the first code byte's fetch makes
    // (fetch_code_byte), in the same order, so a fault or a TLB fill happens just as it would;
    // then the cached record is used only if every byte of it could be fetched the same way:
    // no IP wrap, inside the CS limit (80286 PRM 2.4 / SDM Vol. 3A 5.3), all in one page
    // (guaranteed by the cache). Otherwise the slow path decodes it and faults where it must.
    const SegmentCache& cs = s_.segment(Seg::CS);
    std::uint32_t phys = 0;
    std::uint64_t room = 0;  // bytes fetchable from EIP without a wrap or a limit fault
    if (is_8086()) {
        const std::uint32_t off = s_.eip & 0xFFFF;
        phys = (cs.base + off) & addr_mask_;
        room = 0x10000u - off;
    } else {
        const std::uint32_t off = s_.eip & ip_mask();
        // An expand-down CS cannot be loaded in protected mode; should one appear, leave its
        // limit rules to the slow path (within_limit).
        constexpr std::uint16_t kKind = seg_attr::S | seg_attr::Code | seg_attr::ExpandDown;
        if (off > cs.limit || (cs.access & kKind) == (seg_attr::S | seg_attr::ExpandDown)) return nullptr;
        const std::uint32_t linear = cs.base + off;
        phys = (s_.cr[0] & cr0::PG) ? translate(linear, Access::Execute, cpl() == 3) : (linear & addr_mask_);
        room = static_cast<std::uint64_t>(std::min(cs.limit, ip_mask())) + 1 - off;
    }
    const Insn* c = code_cache_.lookup(phys, code32());
    return (c && c->length <= room) ? c : nullptr;
}

Insn Interpreter::decode_at_ip() {
    return decode(map_, [this](unsigned n) { return fetch_code_byte(n); }, max_instruction_length(),
                  code32());
}

// ---------------------------------------------------------------------------------------------
// Running

StopReason Interpreter::run(Cycles budget, std::uint64_t max_instructions) {
    budget_end_ = s_.cycles + budget;
    std::uint64_t executed = 0;
    while (s_.cycles < budget_end_) {
        if (s_.shutdown) return StopReason::Shutdown;
        if (s_.halted) {
            bool can_wake = s_.nmi_pending || (get_flag(flag::IF) && bus_.intr_pending());
            if (!can_wake) {
                if (!get_flag(flag::IF) && !s_.nmi_pending) return StopReason::Halted;
                s_.cycles = budget_end_;  // idle until the next device event
                return StopReason::BudgetExhausted;
            }
        }
        if (executed >= max_instructions) return StopReason::InstructionLimit;
        if (observe_instructions_ && !s_.halted && !skip_breakpoint_once_ &&
            observer_->before_instruction(s_.segment(Seg::CS).base + s_.eip)) {
            skip_breakpoint_once_ = true;  // continuing from here executes this instruction
            return StopReason::Breakpoint;
        }
        skip_breakpoint_once_ = false;
        execute_one();
        ++executed;
        if (observer_stop_) {
            observer_stop_ = false;
            return StopReason::Breakpoint;
        }
        if (bus_.stop_requested()) return StopReason::StopRequested;
    }
    return s_.shutdown ? StopReason::Shutdown : StopReason::BudgetExhausted;
}

bool Interpreter::interrupt_due() const {
    if (s_.nmi_pending) return true;
    return get_flag(flag::IF) && bus_.intr_pending();
}

bool Interpreter::slice_over() const { return s_.cycles + extra_cycles_ >= budget_end_; }

bool Interpreter::deliver_pending_interrupts() {
    if (s_.interrupt_shadow) {
        s_.interrupt_shadow = false;
        return false;
    }
    if (s_.nmi_pending) {
        s_.nmi_pending = false;
        s_.halted = false;
        next_eip_ = s_.eip;
        interrupt(vec::NMI, false, s_.eip);
        s_.eip = next_eip_;
        s_.cycles += is_8086() ? 50 : 23;
        return true;
    }
    if (get_flag(flag::IF) && bus_.intr_pending()) {
        std::uint8_t vector = bus_.intr_acknowledge();
        s_.halted = false;
        next_eip_ = s_.eip;
        interrupt(vector, false, s_.eip);
        s_.eip = next_eip_;
        s_.cycles += is_8086() ? 61 : 23;  // INTA sequence + INT (8086 UM Table 2-21)
        return true;
    }
    return false;
}

void Interpreter::step() {
    // A single step runs the whole instruction, however many repetitions a REP prefix asks for.
    budget_end_ = UINT64_MAX;
    execute_one();
}

void Interpreter::execute_one() {
    // With the debugger watching instructions, delivering a hardware interrupt is a step of its
    // own, so a breakpoint on the handler's first instruction is seen before it runs.
    if (deliver_pending_interrupts() && observe_instructions_) return;
    if (s_.shutdown) return;
    if (s_.halted) {
        s_.cycles += 1;
        return;
    }

    insn_start_eip_ = s_.eip;
    extra_cycles_ = 0;
    const Cycles start_cycles = s_.cycles;
    bool retired = true;
    const bool trap = get_flag(flag::TF);
    const bool resume = get_flag(flag::RF);
    data_breakpoint_hits_ = 0;
    // The record is used in place (a cached one is never moved or freed during an instruction);
    // `ip` stays null when fetching or decoding faulted. The scratch record for the slow path is
    // left unconstructed until needed: zeroing it for every cached instruction showed in the
    // profile.
    union Scratch {
        Scratch() {}
        Insn insn;
    } scratch;
    const Insn* ip = nullptr;
    try {
        if ((s_.dr[7] & 0xFF) && !resume) check_code_breakpoints();
        ip = fetch_insn(scratch.insn);
        const Insn& i = *ip;
        next_eip_ = (s_.eip + i.length) & ip_mask();
        // 80286 PRM 2.4 / SDM Vol. 2, 2.3.11: an over-long instruction raises #GP(0) (286:
        // measured as #GP too, not #UD).
        if (i.too_long) fault(vec::GP, 0);
        if (i.info->has(attr::Invalid) && !is_8086()) fault(vec::UD);
        if (i.lock && !is_8086() && at_least(CpuModel::I80386) &&
            (!i.info->has(attr::Lockable) || !i.is_mem))
            fault(vec::UD);  // LOCK on a form that cannot be locked (SDM Vol. 2, LOCK)
        if (i.is_mem) compute_ea(i);
        i.info->handler(*this, i);
    } catch (const CpuFault& f) {
        // Faults restart the instruction (80286 PRM 9.2; SDM Vol. 3, 6.5), except the 8086's
        // divide error, which pushes the address of the next instruction (8086 test suite notes).
        std::uint32_t return_ip = insn_start_eip_;
        if (is_8086() && f.vector == vec::DE && ip) return_ip = next_eip_;
        s_.rep_resume = false;
        // Faults push RF=1 so the restarted instruction does not hit its own instruction
        // breakpoint again; an instruction-breakpoint #DB does not (SDM Vol. 3, 17.3.1.1).
        const bool code_breakpoint = f.vector == vec::DB && !ip;
        if (at_least(CpuModel::I80386) && !code_breakpoint && f.vector != vec::BP && f.vector != vec::OF)
            s_.eflags |= flag::RF;
        raise_exception(f, return_ip);
        data_breakpoint_hits_ = 0;
        retired = false;
    }
    // RF is cleared when an instruction completes (SDM Vol. 3, 17.3.1.1).
    if (resume && (s_.eflags & flag::RF) && ip && !ip->info->has(attr::ModeChange)) s_.eflags &= ~flag::RF;
    s_.eip = next_eip_;
    if (ip) s_.cycles += instruction_cycles(*ip);
    s_.cycles += extra_cycles_;
    ++s_.instructions;
    if (s_.perf_evtsel[0] & perf::kEnable) [[unlikely]]
        count_performance_events(s_, s_.cycles - start_cycles, retired);

    // Debug traps after the instruction: data breakpoints hit (B0-B3), the single-step trap
    // if TF was set when it began (8086 UM 2-29; SDM Vol. 3, 17.3.1.4), the TSS T bit (BT).
    const bool single_step = trap && !s_.interrupt_shadow;
    const bool task_trap = task_trap_pending_;
    task_trap_pending_ = false;
    if ((single_step || data_breakpoint_hits_ || task_trap) && !s_.shutdown) {
        next_eip_ = s_.eip;
        s_.dr[6] |= data_breakpoint_hits_;
        if (single_step) s_.dr[6] |= 1u << 14;  // BS
        data_breakpoint_hits_ = 0;
        interrupt(vec::DB, true, s_.eip);
        s_.eip = next_eip_;
    }
}

void Interpreter::raise_exception(const CpuFault& f, std::uint32_t return_ip) {
    next_eip_ = return_ip;
    deliver(f.vector, true, false, f.has_error_code, f.error_code, return_ip);
}

Cycles Interpreter::instruction_cycles(const Insn& i) const {
    const Timing& t = timing(i);
    if (i.info->has(attr::Rep)) return i.prefix_count * (is_8086() ? 2 : 0);  // strings count their own
    Cycles c = i.is_mem ? t.mem : t.reg;
    if (is_8086()) {
        c += i.prefix_count * 2;
        if (i.is_mem) c += ea_cycles_8086(i);
    }
    return c;
}

// 8086 Family User's Manual, Table 2-20: effective-address calculation time.
Cycles Interpreter::ea_cycles_8086(const Insn& i) const {
    if (i.mod == 0 && i.rm == 6) return 6;  // direct address
    static constexpr std::uint8_t base_index[8] = {7, 8, 8, 7, 5, 5, 5, 5};
    Cycles c = base_index[i.rm];
    if (i.mod != 0) c += 4;  // + displacement
    return c;
}

// ---------------------------------------------------------------------------------------------
// Registers and operands

std::uint32_t Interpreter::reg(int r, unsigned width) const {
    switch (width) {
        case 1: return r < 4 ? (s_.gpr[r] & 0xFF) : ((s_.gpr[r - 4] >> 8) & 0xFF);
        case 2: return s_.gpr[r] & 0xFFFF;
        default: return s_.gpr[r];
    }
}

void Interpreter::set_reg(int r, unsigned width, std::uint32_t v) {
    switch (width) {
        case 1:
            if (r < 4)
                s_.gpr[r] = (s_.gpr[r] & 0xFFFFFF00u) | (v & 0xFF);
            else
                s_.gpr[r - 4] = (s_.gpr[r - 4] & 0xFFFF00FFu) | ((v & 0xFF) << 8);
            break;
        case 2: s_.gpr[r] = (s_.gpr[r] & 0xFFFF0000u) | (v & 0xFFFF); break;
        default: s_.gpr[r] = v; break;
    }
}

namespace {
unsigned width_of(Operand o, const Insn& i) {
    switch (o) {
        case Operand::Eb: case Operand::Gb: case Operand::Ib: case Operand::Zb: case Operand::AL:
        case Operand::CL: case Operand::Ob: case Operand::Xb: case Operand::Yb:
            return 1;
        case Operand::Ew: case Operand::Gw: case Operand::Sw: case Operand::Iw: case Operand::DX:
            return 2;
        case Operand::Ev: case Operand::Gv: case Operand::Zv: case Operand::Ov:
        case Operand::Xv: case Operand::Yv: case Operand::Iv:
            return i.opsize;
        case Operand::Rd: case Operand::Cd: case Operand::Dd:
            return 4;
        default:
            return i.width;
    }
}
}  // namespace

std::uint32_t Interpreter::read_op(const Insn& i, int index) {
    Operand o = i.info->operands[index];
    unsigned w = width_of(o, i);
    switch (o) {
        case Operand::Eb: case Operand::Ev: case Operand::Ew:
            if (!i.is_mem) return reg(i.rm, w);
            return read_mem(ea_seg_, ea_off_, w);
        case Operand::Gb: case Operand::Gv: case Operand::Gw:
            return reg(i.reg, w);
        case Operand::Sw:
            // The 8086 decodes two bits of the Sreg field; the 286 has ES..DS, the 386 adds
            // FS and GS; anything else is #UD.
            if (is_8086()) return s_.seg[i.reg & 3].selector;
            if (i.reg > (at_least(CpuModel::I80386) ? 5 : 3)) fault(vec::UD);
            return s_.seg[i.reg].selector;
        case Operand::Ib: return i.imm & 0xFF;
        case Operand::Iw: return i.imm & 0xFFFF;
        case Operand::Iv: case Operand::Ibs: case Operand::Jb: case Operand::Jv:
            return i.imm;
        case Operand::Ob: case Operand::Ov:
            return read_mem(data_seg(i, Seg::DS), i.addrsize == 4 ? i.imm : (i.imm & 0xFFFF), w);
        case Operand::Zb: case Operand::Zv:
            return reg(i.opcode & 7, w);
        case Operand::AL: return reg(0, 1);
        case Operand::CL: return reg(1, 1);
        case Operand::AX: return reg(0, w);
        case Operand::DX: return reg(2, 2);
        case Operand::ES: return s_.seg[0].selector;
        case Operand::CS: return s_.seg[1].selector;
        case Operand::SS: return s_.seg[2].selector;
        case Operand::DS: return s_.seg[3].selector;
        case Operand::FS: return s_.seg[4].selector;
        case Operand::GS: return s_.seg[5].selector;
        case Operand::One: return 1;
        case Operand::Rd: return reg(i.rm, 4);
        default: return 0;
    }
}

void Interpreter::write_op(const Insn& i, int index, std::uint32_t value) {
    Operand o = i.info->operands[index];
    unsigned w = width_of(o, i);
    switch (o) {
        case Operand::Eb: case Operand::Ev: case Operand::Ew:
            if (!i.is_mem)
                set_reg(i.rm, w, value);
            else
                write_mem(ea_seg_, ea_off_, value, w);
            break;
        case Operand::Gb: case Operand::Gv: case Operand::Gw:
            set_reg(i.reg, w, value);
            break;
        case Operand::Ob: case Operand::Ov:
            write_mem(data_seg(i, Seg::DS), i.addrsize == 4 ? i.imm : (i.imm & 0xFFFF), value, w);
            break;
        case Operand::Zb: case Operand::Zv:
            set_reg(i.opcode & 7, w, value);
            break;
        case Operand::AL: set_reg(0, 1, value); break;
        case Operand::CL: set_reg(1, 1, value); break;
        case Operand::AX: set_reg(0, w, value); break;
        case Operand::DX: set_reg(2, 2, value); break;
        case Operand::Rd: set_reg(i.rm, 4, value); break;
        default: break;
    }
}

// ---------------------------------------------------------------------------------------------
// Flags

std::uint16_t Interpreter::read_flags16() const {
    // The 8086 reads FLAGS bits 12-15 as ones; the 286 in real mode as zeros (80286 PRM 3.3,
    // the classic CPU-detection test). Bits 3 and 5 are always 0, bit 1 always 1.
    std::uint16_t f = static_cast<std::uint16_t>((s_.eflags & 0x7FD5) | 0x0002);
    if (is_8086()) f |= 0xF000;
    return f;
}

std::uint32_t Interpreter::read_eflags() const {
    // PUSHFD: VM and RF read as 0 in the image (SDM Vol. 2, PUSHF/PUSHFD).
    return (s_.eflags & ~(flag::VM | flag::RF) & 0x003F7FD5u) | 0x2u;
}

void Interpreter::write_flags(std::uint32_t v, unsigned width) {
    // POPF/POPFD rules (SDM Vol. 2, POPF): IOPL changes only at CPL 0, IF only when
    // CPL <= IOPL; VM, VIP and VIF are never changed; RF is cleared.
    std::uint32_t changeable = 0x0FD5u;  // OF DF IF TF SF ZF AF PF CF
    if (is_8086()) {
        s_.eflags = (s_.eflags & 0xFFFF0000u) | (v & 0x0FD5u) | 0xF002u;
        return;
    }
    if (model_ == CpuModel::I80286 && !protected_mode()) {
        // In real mode the 286 cannot set IOPL or NT (80286 test suite notes; PRM 10.3).
        s_.eflags = (v & 0x0FD5u) | 0x0002u;
        return;
    }
    changeable |= flag::NT | flag::IOPL;
    if (width == 4 && at_least(CpuModel::I80486)) changeable |= flag::AC;
    // EFLAGS.ID is writable exactly on the models with CPUID, the 486 (a DX4) included: its
    // toggle is how software finds CPUID (SDM Vol. 1, 3.4.3.3; Vol. 2, CPUID).
    if (width == 4 && has_cpuid(model_)) changeable |= flag::ID;
    if (protected_mode()) {
        if (cpl() > 0) changeable &= ~flag::IOPL;
        if (cpl() > iopl()) changeable &= ~flag::IF;
    }
    if (width == 2) changeable &= 0xFFFFu;
    std::uint32_t keep = s_.eflags & ~changeable & ~flag::RF;
    s_.eflags = (keep | (v & changeable)) | 0x2u;
    s_.eflags &= ~0x8028u;  // bits 3, 5 and 15 are always 0
}

bool Interpreter::condition(unsigned cc) const {
    const std::uint32_t f = s_.eflags;
    const bool of = f & flag::OF, cf = f & flag::CF, zf = f & flag::ZF, sf = f & flag::SF,
               pf = f & flag::PF;
    bool r = false;
    switch (cc >> 1) {
        case 0: r = of; break;
        case 1: r = cf; break;
        case 2: r = zf; break;
        case 3: r = cf || zf; break;
        case 4: r = sf; break;
        case 5: r = pf; break;
        case 6: r = sf != of; break;
        case 7: r = zf || (sf != of); break;
    }
    return (cc & 1) ? !r : r;
}

void Interpreter::fault(std::uint8_t vector) { throw CpuFault{vector, false, 0}; }
void Interpreter::fault(std::uint8_t vector, std::uint32_t error_code) {
    throw CpuFault{vector, true, error_code};
}

void Interpreter::require_cpl0() {
    if (protected_mode() && (v86() || cpl() != 0)) fault(vec::GP, 0);
}

// ---------------------------------------------------------------------------------------------
// Inspection

void Interpreter::inspect(StateVisitor& v) {
    static constexpr const char* kRegNames[8] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    static constexpr const char* kSegNames[6] = {"es", "cs", "ss", "ds", "fs", "gs"};
    {
        StateGroup g(v, "registers");
        for (int r = 0; r < 8; ++r) v.visit(kRegNames[r], s_.gpr[r]);
        v.visit("eip", s_.eip);
        v.visit("eflags", s_.eflags);
        v.visit("cpl", s_.cpl, "current privilege level");
    }
    {
        StateGroup g(v, "segments");
        for (int sidx = 0; sidx < kSegCount; ++sidx) {
            StateGroup sg(v, kSegNames[sidx]);
            v.visit("selector", s_.seg[sidx].selector);
            v.visit("base", s_.seg[sidx].base);
            v.visit("limit", s_.seg[sidx].limit);
            v.visit("access", s_.seg[sidx].access);
        }
    }
    {
        StateGroup g(v, "system");
        v.visit("gdtr.base", s_.gdtr.base);
        v.visit("gdtr.limit", s_.gdtr.limit);
        v.visit("idtr.base", s_.idtr.base);
        v.visit("idtr.limit", s_.idtr.limit);
        auto visit_cache = [&v](const char* name, SegmentCache& c) {
            StateGroup sg(v, name);
            v.visit("selector", c.selector);
            v.visit("base", c.base);
            v.visit("limit", c.limit);
            v.visit("access", c.access);
        };
        visit_cache("ldtr", s_.ldtr);
        visit_cache("tr", s_.tr);
        for (int c = 0; c < 5; ++c) {
            const char name[4] = {'c', 'r', static_cast<char>('0' + c), 0};
            v.visit(name, s_.cr[c]);
        }
        for (int d = 0; d < 8; ++d) {
            const char name[4] = {'d', 'r', static_cast<char>('0' + d), 0};
            v.visit(name, s_.dr[d]);
        }
    }
    {
        StateGroup g(v, "msr");
        v.visit("tsc_offset", s_.tsc_offset);
        v.visit("sysenter_cs", s_.sysenter_cs);
        v.visit("sysenter_esp", s_.sysenter_esp);
        v.visit("sysenter_eip", s_.sysenter_eip);
        if (model() >= CpuModel::P6) {
            v.visit("perf_evtsel0", s_.perf_evtsel[0], "PerfEvtSel0 (186h): event, USR/OS, EN");
            v.visit("perf_evtsel1", s_.perf_evtsel[1], "PerfEvtSel1 (187h)");
            v.visit("perf_ctr0", s_.perf_ctr[0], "PerfCtr0 (C1h), 40 bits");
            v.visit("perf_ctr1", s_.perf_ctr[1], "PerfCtr1 (C2h), 40 bits");
        }
    }
    {
        StateGroup g(v, "execution");
        v.visit("cycles", s_.cycles, "CPU cycles since reset");
        v.visit("instructions", s_.instructions, "instructions retired since reset");
        v.visit("halted", s_.halted);
        v.visit("shutdown", s_.shutdown);
        v.visit("nmi_pending", s_.nmi_pending);
        v.visit("interrupt_shadow", s_.interrupt_shadow);
        v.visit("rep_resume", s_.rep_resume);
    }
    if (at_least(CpuModel::I80386)) {
        StateGroup g(v, "fpu");
        s_.fpu.inspect(v);
    }
    code_cache_.inspect(v);
    if (v.loading()) {
        flush_tlb(true);
        debug_registers_changed();
    }
}

}  // namespace lantern
