#include "cpu/interpreter.h"

namespace lantern {

std::string_view stop_reason_name(StopReason r) {
    switch (r) {
        case StopReason::BudgetExhausted: return "budget exhausted";
        case StopReason::Halted: return "halted with interrupts disabled";
        case StopReason::StopRequested: return "stop requested";
        case StopReason::Shutdown: return "shutdown (triple fault)";
        case StopReason::InstructionLimit: return "instruction limit reached";
    }
    return "?";
}

Interpreter::Interpreter(CpuModel model, CpuBus& bus)
    : model_(model),
      column_(timing_column(model)),
      bus_(bus),
      map_(model),
      s_(reset_state(model)),
      addr_mask_(address_mask(model)) {}

void Interpreter::reset() {
    s_ = reset_state(model_);
    last_interrupt_ = {};
}

unsigned Interpreter::max_instruction_length() const {
    // 80286 PRM 2.4: an instruction longer than 10 bytes (redundant prefixes) faults. The 8086
    // has no limit; prefixes are capped only so a runaway prefix stream still decodes.
    return is_8086() ? 255 : 10;
}

std::uint8_t Interpreter::fetch_code_byte(unsigned i) {
    const SegmentCache& cs = s_.segment(Seg::CS);
    std::uint32_t off = (s_.eip + i) & 0xFFFF;
    return bus_.mem_read8(linear_to_physical(cs.base + off));
}

Insn Interpreter::decode_at_ip() {
    return decode(map_, [this](unsigned n) { return fetch_code_byte(n); }, max_instruction_length());
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
        execute_one();
        ++executed;
        if (bus_.stop_requested()) return StopReason::StopRequested;
    }
    return s_.shutdown ? StopReason::Shutdown : StopReason::BudgetExhausted;
}

// A repeated string instruction is interruptible between iterations (8086 User's Manual,
// "REP"); it also pauses at the end of a time slice so devices can catch up.
bool Interpreter::interrupt_due() const {
    if (s_.nmi_pending) return true;
    return get_flag(flag::IF) && bus_.intr_pending();
}

bool Interpreter::slice_over() const { return s_.cycles + extra_cycles_ >= budget_end_; }

void Interpreter::deliver_pending_interrupts() {
    if (s_.interrupt_shadow) {
        s_.interrupt_shadow = false;
        return;
    }
    if (s_.nmi_pending) {
        s_.nmi_pending = false;
        s_.halted = false;
        next_eip_ = s_.eip;
        interrupt(2, false, s_.eip);
        s_.eip = next_eip_;
        s_.cycles += is_8086() ? 50 : 23;
        return;
    }
    if (get_flag(flag::IF) && bus_.intr_pending()) {
        std::uint8_t vector = bus_.intr_acknowledge();
        s_.halted = false;
        next_eip_ = s_.eip;
        interrupt(vector, false, s_.eip);
        s_.eip = next_eip_;
        s_.cycles += is_8086() ? 61 : 23;  // INTA sequence + INT (8086 UM Table 2-21)
    }
}

void Interpreter::step() {
    // A single step runs the whole instruction, however many repetitions a REP prefix asks for.
    budget_end_ = UINT64_MAX;
    execute_one();
}

void Interpreter::execute_one() {
    deliver_pending_interrupts();
    if (s_.shutdown) return;
    if (s_.halted) {
        s_.cycles += 1;
        return;
    }

    insn_start_eip_ = s_.eip;
    extra_cycles_ = 0;
    const bool trap = get_flag(flag::TF);
    Insn i = decode_at_ip();
    next_eip_ = (s_.eip + i.length) & 0xFFFF;
    try {
        if (i.too_long) fault(13, 0);
        if (i.info->has(attr::Invalid) && !is_8086()) fault(6);
        if (i.is_mem) compute_ea(i);
        i.info->handler(*this, i);
    } catch (const CpuFault& f) {
        // Faults restart the instruction (80286 PRM 9.2), except the 8086's divide error,
        // which pushes the address of the next instruction (8086 test suite notes).
        std::uint32_t return_ip = insn_start_eip_;
        if (is_8086() && f.vector == 0) return_ip = next_eip_;
        next_eip_ = return_ip;
        interrupt(f.vector, true, return_ip);
    }
    s_.eip = next_eip_;
    s_.cycles += instruction_cycles(i) + extra_cycles_;
    ++s_.instructions;

    // Single-step trap after the instruction if TF was set when it began (8086 UM 2-29).
    if (trap && !s_.interrupt_shadow) {
        next_eip_ = s_.eip;
        interrupt(1, true, s_.eip);
        s_.eip = next_eip_;
    }
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
// Effective addresses and memory

void Interpreter::compute_ea(const Insn& i) {
    // 16-bit addressing forms (SDM Vol. 2, Table 2-1); BP-based forms default to SS.
    std::uint32_t off = 0;
    Seg seg = Seg::DS;
    switch (i.rm) {
        case 0: off = r16(Reg::BX) + r16(Reg::SI); break;
        case 1: off = r16(Reg::BX) + r16(Reg::DI); break;
        case 2: off = r16(Reg::BP) + r16(Reg::SI); seg = Seg::SS; break;
        case 3: off = r16(Reg::BP) + r16(Reg::DI); seg = Seg::SS; break;
        case 4: off = r16(Reg::SI); break;
        case 5: off = r16(Reg::DI); break;
        case 6:
            if (i.mod == 0) {
                off = 0;
            } else {
                off = r16(Reg::BP);
                seg = Seg::SS;
            }
            break;
        case 7: off = r16(Reg::BX); break;
    }
    ea_off_ = (off + i.disp) & 0xFFFF;
    ea_seg_ = data_seg(i, seg);
}

std::uint32_t Interpreter::read_mem(Seg s, std::uint32_t offset, unsigned width) {
    const SegmentCache& sc = s_.segment(s);
    if (!is_8086() && offset + width - 1 > sc.limit) limit_fault(s);
    if (width == 1) return bus_.mem_read8(linear_to_physical(sc.base + offset));
    if (is_8086()) {
        // The 8086 wraps each byte's offset within the 64 KiB segment; odd word accesses take
        // two bus cycles (+4 clocks, 8086 UM Table 2-21 note).
        if (offset & 1) extra_cycles_ += 4;
        std::uint32_t lo = bus_.mem_read8(linear_to_physical(sc.base + offset));
        std::uint32_t hi = bus_.mem_read8(linear_to_physical(sc.base + ((offset + 1) & 0xFFFF)));
        return lo | (hi << 8);
    }
    std::uint32_t v = 0;
    for (unsigned b = 0; b < width; ++b)
        v |= static_cast<std::uint32_t>(bus_.mem_read8(linear_to_physical(sc.base + offset + b))) << (8 * b);
    return v;
}

void Interpreter::write_mem(Seg s, std::uint32_t offset, std::uint32_t value, unsigned width) {
    const SegmentCache& sc = s_.segment(s);
    if (!is_8086() && offset + width - 1 > sc.limit) limit_fault(s);
    if (width == 1) {
        bus_.mem_write8(linear_to_physical(sc.base + offset), static_cast<std::uint8_t>(value));
        return;
    }
    if (is_8086()) {
        if (offset & 1) extra_cycles_ += 4;
        bus_.mem_write8(linear_to_physical(sc.base + offset), static_cast<std::uint8_t>(value));
        bus_.mem_write8(linear_to_physical(sc.base + ((offset + 1) & 0xFFFF)),
                        static_cast<std::uint8_t>(value >> 8));
        return;
    }
    for (unsigned b = 0; b < width; ++b)
        bus_.mem_write8(linear_to_physical(sc.base + offset + b), static_cast<std::uint8_t>(value >> (8 * b)));
}

void Interpreter::check_limit(Seg s, std::uint32_t offset, unsigned width) {
    if (!is_8086() && offset + width - 1 > s_.segment(s).limit) limit_fault(s);
}

void Interpreter::limit_fault(Seg s) {
    // In real mode the 286 raises #GP(0) for any operand beyond offset FFFF, stack included
    // (measured by the SingleStepTests 286 suite: POP/RET/LEAVE at SP=FFFF give vector 13);
    // #SS is a protected-mode exception.
    (void)s;
    fault(13, 0);
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

void Interpreter::load_segment(Seg s, std::uint16_t selector) {
    SegmentCache& sc = s_.segment(s);
    sc.selector = selector;
    sc.base = static_cast<std::uint32_t>(selector) << 4;
    if (s == Seg::SS) s_.interrupt_shadow = true;  // MOV/POP SS hold off interrupts one insn
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
        case Operand::AX:
            return i.width;
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
            // The 8086 decodes two bits of the Sreg field; the 286 has no segment 4..7.
            if (!is_8086() && i.reg > 3) fault(6);
            return s_.seg[i.reg & 3].selector;
        case Operand::Ib: return i.imm & 0xFF;
        case Operand::Iw: return i.imm & 0xFFFF;
        case Operand::Iv: case Operand::Ibs: case Operand::Jb: case Operand::Jv:
            return i.imm;
        case Operand::Ob: case Operand::Ov:
            return read_mem(data_seg(i, Seg::DS), i.imm & 0xFFFF, w);
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
            write_mem(data_seg(i, Seg::DS), i.imm & 0xFFFF, value, w);
            break;
        case Operand::Zb: case Operand::Zv:
            set_reg(i.opcode & 7, w, value);
            break;
        case Operand::AL: set_reg(0, 1, value); break;
        case Operand::CL: set_reg(1, 1, value); break;
        case Operand::AX: set_reg(0, w, value); break;
        case Operand::DX: set_reg(2, 2, value); break;
        default: break;
    }
}

// ---------------------------------------------------------------------------------------------
// Stack, flags, control transfer

void Interpreter::push16(std::uint16_t v) {
    std::uint16_t sp = static_cast<std::uint16_t>(r16(Reg::SP) - 2);
    write_mem(Seg::SS, sp, v, 2);  // write first: a faulting push leaves SP unchanged
    set_r16(Reg::SP, sp);
}

std::uint16_t Interpreter::pop16() {
    std::uint16_t sp = r16(Reg::SP);
    auto v = static_cast<std::uint16_t>(read_mem(Seg::SS, sp, 2));
    set_r16(Reg::SP, static_cast<std::uint16_t>(sp + 2));
    return v;
}

std::uint16_t Interpreter::read_flags16() const {
    // The 8086 reads FLAGS bits 12-15 as ones; the 286 in real mode as zeros (80286 PRM 3.3,
    // the classic CPU-detection test). Bits 3 and 5 are always 0, bit 1 always 1.
    std::uint16_t f = static_cast<std::uint16_t>((s_.eflags & 0x7FD5) | 0x0002);
    if (is_8086()) f |= 0xF000;
    return f;
}

void Interpreter::write_flags16(std::uint16_t v) {
    std::uint32_t keep = s_.eflags & 0xFFFF0000u;
    std::uint32_t f = (v & 0x0FD5u) | 0x0002u;
    if (is_8086()) f |= 0xF000u;
    // In real mode the 286 cannot set IOPL or NT (80286 test suite notes; PRM 10.3).
    s_.eflags = keep | f;
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

void Interpreter::jump_far(std::uint16_t cs, std::uint32_t ip) {
    SegmentCache& sc = s_.segment(Seg::CS);
    sc.selector = cs;
    sc.base = static_cast<std::uint32_t>(cs) << 4;
    next_eip_ = ip & 0xFFFF;
}

void Interpreter::interrupt(std::uint8_t vector, bool is_exception, std::uint32_t return_ip) {
    // Real-mode interrupt (8086 UM 2-25; 80286 PRM 5.4): push FLAGS, CS, IP; clear IF and TF;
    // load CS:IP from the vector table (at IDTR.base on the 286 and later).
    std::uint16_t image = read_flags16();
    std::uint32_t vec_off = static_cast<std::uint32_t>(vector) * 4;
    try {
        if (!is_8086() && vec_off + 3 > s_.idtr.limit) fault(13, static_cast<std::uint16_t>(vec_off | 2));
        push16(image);
        std::uint32_t flags_addr =
            linear_to_physical(s_.segment(Seg::SS).base + r16(Reg::SP));
        set_flag(flag::IF, false);
        set_flag(flag::TF, false);
        push16(s_.segment(Seg::CS).selector);
        push16(static_cast<std::uint16_t>(return_ip));
        std::uint32_t base = is_8086() ? 0 : s_.idtr.base;
        auto ip = static_cast<std::uint16_t>(bus_.mem_read8(linear_to_physical(base + vec_off)) |
                                             (bus_.mem_read8(linear_to_physical(base + vec_off + 1)) << 8));
        auto cs = static_cast<std::uint16_t>(bus_.mem_read8(linear_to_physical(base + vec_off + 2)) |
                                             (bus_.mem_read8(linear_to_physical(base + vec_off + 3)) << 8));
        jump_far(cs, ip);
        last_interrupt_ = InterruptRecord{true, vector, is_exception, flags_addr};
    } catch (const CpuFault& f) {
        // A fault while delivering: double fault, and a fault in that shuts the CPU down
        // (80286 PRM 9.8; real mode has no #DF handler checks beyond the vector).
        if (vector == 8 || is_8086()) {
            s_.shutdown = true;
            return;
        }
        interrupt(8, true, return_ip);
    }
}

void Interpreter::fault(std::uint8_t vector) { throw CpuFault{vector, false, 0}; }
void Interpreter::fault(std::uint8_t vector, std::uint16_t error_code) {
    throw CpuFault{vector, true, error_code};
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
        v.visit("ldtr", s_.ldtr.selector);
        v.visit("tr", s_.tr.selector);
        for (int c = 0; c < 5; ++c) {
            const char name[4] = {'c', 'r', static_cast<char>('0' + c), 0};
            v.visit(name, s_.cr[c]);
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
}

}  // namespace lantern
