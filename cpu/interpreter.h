// The table-driven interpreter: decodes with OpcodeMap, executes the row's handler, charges the
// row's cycles for the selected model.
//
// The implementation is split by concern: interpreter.cpp (the run loop, decode, cycles,
// inspection), cpu_memory.cpp (effective addresses, segment checks, paging and the TLB, the
// stack), cpu_segments.cpp (descriptors, segment loads, far transfers), cpu_interrupts.cpp
// (interrupts and exceptions in every mode), cpu_tasks.cpp (hardware task switching) and the
// exec_*.cpp instruction families.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "cpu/block_cache.h"
#include "cpu/cpu_backend.h"
#include "cpu/cpu_bus.h"
#include "cpu/cpu_model.h"
#include "cpu/cpu_observer.h"
#include "cpu/decoder.h"
#include "cpu/state_visitor.h"

namespace lantern {

// An exception or interrupt the CPU delivered, for the debugger and the conformance runner.
struct InterruptRecord {
    bool valid = false;
    std::uint8_t vector = 0;
    bool is_exception = false;       // raised by the CPU itself (#DE, #UD, #GP, ...)
    std::uint32_t flags_address = 0; // physical address of the FLAGS image pushed on the stack
};

// Thrown inside the interpreter when an instruction faults; never escapes step()/run().
struct CpuFault {
    std::uint8_t vector;
    bool has_error_code = false;
    std::uint32_t error_code = 0;
};

// Exception vectors (SDM Vol. 3, Table 6-1).
namespace vec {
inline constexpr std::uint8_t DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7,
                              DF = 8, TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16,
                              AC = 17;
}

// What a memory access is for: protection checks and the page-fault error code differ.
enum class Access : std::uint8_t { Read, Write, Execute };

// A decoded segment descriptor (SDM Vol. 3, 3.4.5 and 5.8 for gates).
struct Descriptor {
    std::uint32_t base = 0;
    std::uint32_t limit = 0;     // in bytes (granularity applied)
    std::uint16_t access = 0;    // as SegmentCache::access
    std::uint16_t gate_selector = 0;
    std::uint32_t gate_offset = 0;
    std::uint8_t gate_params = 0;
    std::uint32_t raw_lo = 0, raw_hi = 0;

    unsigned dpl() const { return (access >> 5) & 3; }
    bool present() const { return (access & 0x80) != 0; }
    bool is_system() const { return (access & 0x10) == 0; }
    unsigned type() const { return access & 0x0F; }
    bool is_code() const { return !is_system() && (access & 0x08); }
    bool is_data() const { return !is_system() && !(access & 0x08); }
};

class Interpreter final : public CpuBackend, public Inspectable {
public:
    Interpreter(CpuModel model, CpuBus& bus);

    // CpuBackend
    using CpuBackend::run;
    StopReason run(Cycles budget, std::uint64_t max_instructions) override;
    void get_state(CpuState& out) const override { out = s_; }
    void set_state(const CpuState& in) override {
        s_ = in;
        flush_tlb(true);
        debug_registers_changed();
    }
    bool cycle_exact() const override { return true; }

    // Executes exactly one instruction (delivering a pending interrupt first if one is due);
    // a halted CPU with nothing to wake it only advances time by one cycle.
    void step();
    void reset();
    void raise_nmi() { s_.nmi_pending = true; }

    CpuModel model() const { return model_; }
    const OpcodeMap& opcode_map() const { return map_; }
    CpuState& state() { return s_; }
    const CpuState& state() const { return s_; }
    const InterruptRecord& last_interrupt() const { return last_interrupt_; }
    void clear_last_interrupt() { last_interrupt_ = {}; }

    // The debugger's hooks: `kinds` is a mask of ObserveKind; 0 (or a null observer) turns
    // observation off entirely.
    void set_observer(CpuObserver* observer, unsigned kinds) {
        observer_ = observer;
        observe_instructions_ = observer && (kinds & static_cast<unsigned>(ObserveKind::Instructions));
        observe_memory_ = observer && (kinds & static_cast<unsigned>(ObserveKind::Memory));
        observe_interrupts_ = observer && (kinds & static_cast<unsigned>(ObserveKind::Interrupts));
        observe_io_ = observer && (kinds & static_cast<unsigned>(ObserveKind::Io));
    }
    // After a breakpoint stop, the next run() executes the instruction instead of stopping again.
    void clear_breakpoint_latch() { skip_breakpoint_once_ = false; }
    // Linear -> physical through the current paging state, without side effects or faults
    // (for the debugger); false when the page is not present.
    bool peek_translate(std::uint32_t linear, std::uint32_t& physical) const;

    // The decoded-block cache (cpu/block_cache.h): on by default; off (--no-block-cache) every
    // instruction is decoded from memory. Either way every result and cycle count is the same.
    void set_block_cache_enabled(bool on) { code_cache_.set_enabled(on); }
    bool block_cache_enabled() const { return code_cache_.enabled(); }
    const BlockCache& block_cache() const { return code_cache_; }

    // Decodes the instruction at CS:EIP without executing it (reads memory, no other effect).
    Insn decode_at_ip();
    unsigned max_instruction_length() const;

    // Inspectable
    std::string_view inspect_name() const override { return "cpu"; }
    void inspect(StateVisitor& v) override;

    // ---- Below: the execution API that instruction handlers (exec_*.cpp) use. ----
    CpuBus& bus() { return bus_; }

    // Modes.
    bool protected_mode() const { return (s_.cr[0] & 1) != 0; }
    bool v86() const { return (s_.eflags & flag::VM) != 0; }
    // Protected mode proper: segment registers hold selectors into descriptor tables.
    bool pmode_segments() const { return protected_mode() && !v86(); }
    unsigned cpl() const { return s_.cpl; }
    unsigned iopl() const { return (s_.eflags >> 12) & 3; }
    bool code32() const { return (s_.seg[1].access & seg_attr::DB) != 0; }
    bool stack32() const { return (s_.seg[2].access & seg_attr::DB) != 0; }
    std::uint32_t ip_mask() const { return code32() ? 0xFFFFFFFFu : 0xFFFFu; }

    // Operand access by operand index, following the row's operand forms.
    std::uint32_t read_op(const Insn& i, int index);
    void write_op(const Insn& i, int index, std::uint32_t value);

    // Registers.
    std::uint32_t reg(int r, unsigned width) const;       // width 1 (AL..BH encoding), 2, 4
    void set_reg(int r, unsigned width, std::uint32_t v);
    std::uint16_t r16(Reg r) const { return s_.reg16(r); }
    void set_r16(Reg r, std::uint16_t v) { s_.set_reg16(r, v); }
    // Registers addressed with the instruction's address size (string and loop instructions).
    std::uint32_t areg(const Insn& i, Reg r) const {
        return i.addrsize == 4 ? s_.gpr[static_cast<int>(r)] : s_.reg16(r);
    }
    void set_areg(const Insn& i, Reg r, std::uint32_t v) { set_reg(static_cast<int>(r), i.addrsize, v); }

    // Segment registers: MOV/POP/LxS semantics in every mode (descriptor checks in protected mode).
    void load_segment(Seg s, std::uint16_t selector);
    // Real-mode style load (base = selector << 4), also used by v86 mode.
    void load_segment_real(Seg s, std::uint16_t selector);

    // Memory through a segment: protection and limit checks, paging, bus access.
    std::uint32_t read_mem(Seg s, std::uint32_t offset, unsigned width);
    // Port I/O for instructions: the debugger's I/O hook, then the bus.
    std::uint32_t io_in(std::uint16_t port, unsigned width);
    void io_out(std::uint16_t port, std::uint32_t value, unsigned width);
    void write_mem(Seg s, std::uint32_t offset, std::uint32_t value, unsigned width);
    // Checks that [offset, offset+width) may be accessed without touching memory.
    void check_access(Seg s, std::uint32_t offset, unsigned width, Access a);
    // Checks that [offset, offset+width) may be written, paging included, without writing: the
    // x87 stores of up to 108 bytes use it so a fault leaves memory untouched (exec_fpu.cpp).
    void check_write(Seg s, std::uint32_t offset, unsigned width);
    // Linear memory with supervisor rights (descriptor tables, TSS): paging applies.
    std::uint32_t read_linear(std::uint32_t linear, unsigned width, bool user = false);
    void write_linear(std::uint32_t linear, std::uint32_t value, unsigned width, bool user = false);
    // Raises the model's limit fault if [offset, offset+width) is not inside the segment.
    void check_limit(Seg s, std::uint32_t offset, unsigned width);
    bool within_limit(Seg s, std::uint32_t offset, unsigned width) const;
    [[noreturn]] void limit_fault(Seg s);
    // The segment and offset of the ModR/M memory operand of the current instruction.
    Seg ea_seg() const { return ea_seg_; }
    std::uint32_t ea_offset() const { return ea_off_; }
    // Offset + delta wrapped to the instruction's address size (the second word of a far pointer).
    std::uint32_t ea_plus(const Insn& i, std::uint32_t delta) const {
        return i.addrsize == 4 ? ea_off_ + delta : ((ea_off_ + delta) & 0xFFFF);
    }
    // Default data segment unless overridden.
    Seg data_seg(const Insn& i, Seg dflt) const {
        return i.seg_override >= 0 ? static_cast<Seg>(i.seg_override) : dflt;
    }

    // Stack (SS:SP or SS:ESP by SS.B).
    void push(std::uint32_t v, unsigned width);
    std::uint32_t pop(unsigned width);
    void push16(std::uint16_t v) { push(v, 2); }
    std::uint16_t pop16() { return static_cast<std::uint16_t>(pop(2)); }
    std::uint32_t sp() const { return stack32() ? s_.gpr[4] : s_.reg16(Reg::SP); }
    void set_sp(std::uint32_t v) {
        if (stack32()) s_.gpr[4] = v; else s_.set_reg16(Reg::SP, static_cast<std::uint16_t>(v));
    }
    std::uint32_t sp_mask() const { return stack32() ? 0xFFFFFFFFu : 0xFFFFu; }

    // Flags.
    std::uint32_t flags() const { return s_.eflags; }
    bool get_flag(std::uint32_t f) const { return (s_.eflags & f) != 0; }
    void set_flag(std::uint32_t f, bool on) { s_.eflags = on ? (s_.eflags | f) : (s_.eflags & ~f); }
    std::uint16_t read_flags16() const;   // PUSHF image, with the model's fixed bits
    std::uint32_t read_eflags() const;    // PUSHFD image (VM and RF read as 0)
    // POPF/IRET/SAHF path: applies the model's fixed bits and the privilege rules for IOPL/IF.
    void write_flags(std::uint32_t v, unsigned width);
    void write_flags16(std::uint16_t v) { write_flags(v, 2); }
    bool condition(unsigned cc) const;    // Jcc/SETcc/CMOVcc condition codes 0..15

    // Control flow.
    std::uint32_t next_ip() const { return next_eip_; }
    void jump_near(std::uint32_t ip, unsigned opsize) { next_eip_ = near_target(ip, opsize); }
    void jump_near(std::uint32_t ip) { next_eip_ = near_target(ip, code32() ? 4 : 2); }
    // A near transfer's target, masked to the operand size and checked against the CS limit:
    // past it the transfer itself raises #GP(0) (SDM Vol. 2, JMP/CALL/RET/Jcc/LOOP: "IF tempEIP
    // is not within code segment limit THEN #GP(0)"), so CALL checks before it pushes.
    std::uint32_t near_target(std::uint32_t ip, unsigned opsize);
    // JMP/CALL far in any mode (gates, task switches in protected mode).
    void far_jump(std::uint16_t selector, std::uint32_t offset, unsigned opsize);
    void far_call(std::uint16_t selector, std::uint32_t offset, unsigned opsize);
    void far_return(unsigned opsize, std::uint32_t pop_bytes);
    void interrupt_return(unsigned opsize);
    // Real-mode style CS:IP load.
    void jump_far(std::uint16_t cs, std::uint32_t ip);
    // Delivers an interrupt or exception (software INT n: `software` = true).
    void interrupt(std::uint8_t vector, bool is_exception, std::uint32_t return_ip);
    void software_interrupt(std::uint8_t vector, std::uint32_t return_ip);
    void halt() { s_.halted = true; }

    // Privilege and I/O checks (protected and v86 mode).
    void require_cpl0();                    // #GP(0) unless CPL 0 (and not v86)
    void check_io(std::uint16_t port, unsigned width);  // IOPL / TSS I/O bitmap

    // Control registers with their side effects (TLB flushes, mode changes).
    void write_cr(int n, std::uint32_t v);
    void invalidate_page(std::uint32_t linear);
    void flush_tlb(bool global);

    // Debug registers (SDM Vol. 3, 17.2): call after DR7 changes so data breakpoints are armed.
    void debug_registers_changed();

    // Descriptor tables.
    Descriptor read_descriptor(std::uint16_t selector, std::uint8_t fault_vector);
    bool try_read_descriptor(std::uint16_t selector, Descriptor& d);
    void set_descriptor_accessed(std::uint16_t selector, Descriptor& d);
    static Descriptor parse_descriptor(std::uint32_t lo, std::uint32_t hi);

    // Task switching (SDM Vol. 3, 7.3).
    enum class TaskSwitchReason : std::uint8_t { Jump, Call, Iret, Interrupt };
    void task_switch(std::uint16_t selector, const Descriptor& tss, TaskSwitchReason why,
                     bool push_error, std::uint32_t error_code);
    void switch_task_through(std::uint16_t selector, const Descriptor& d, TaskSwitchReason why);
    std::uint32_t check_direct_code_target(std::uint16_t selector, const Descriptor& d,
                                           std::uint32_t offset, unsigned opsize);

    // Cycles: handlers add data-dependent costs (per repetition, per bit, taken branches).
    void add_cycles(Cycles c) { extra_cycles_ += c; }
    const Timing& timing(const Insn& i) const {
        return i.info->timing[static_cast<int>(column_)];
    }
    bool is_8086() const { return model_ == CpuModel::I8086 || model_ == CpuModel::I80186; }
    bool at_least(CpuModel m) const { return model_ >= m; }

    // String instructions pause between iterations when an interrupt is due (then restart) or
    // at the end of a time slice (then continue without paying their start-up again).
    bool interrupt_due() const;  // an NMI or an unmasked INTR is waiting
    bool slice_over() const;     // the cycle budget of this run() is spent
    void repeat_instruction() { next_eip_ = insn_start_eip_; }

    [[noreturn]] void fault(std::uint8_t vector);
    [[noreturn]] void fault(std::uint8_t vector, std::uint32_t error_code);

private:
    void execute_one();
    // The instruction at CS:EIP: a block-cache record, or decoded into `scratch`.
    const Insn* fetch_insn(Insn& scratch);
    const Insn* cached_insn();    // null: decode it byte by byte (see block_cache.h)
    bool deliver_pending_interrupts();  // true when an interrupt was delivered
    void deliver(std::uint8_t vector, bool is_exception, bool software, bool has_error,
                 std::uint32_t error_code, std::uint32_t return_ip);
    void deliver_real(std::uint8_t vector, bool is_exception, std::uint32_t return_ip);
    void deliver_protected(std::uint8_t vector, bool is_exception, bool software, bool has_error,
                           std::uint32_t error_code, std::uint32_t return_ip);
    void raise_exception(const CpuFault& f, std::uint32_t return_ip);
    void compute_ea(const Insn& i);
    std::uint8_t fetch_code_byte(unsigned i);
    Cycles instruction_cycles(const Insn& i) const;
    Cycles ea_cycles_8086(const Insn& i) const;
    std::uint32_t linearize(Seg s, std::uint32_t offset, unsigned width, Access a);
    std::uint32_t translate(std::uint32_t linear, Access a, bool user);
    std::uint32_t page_walk(std::uint32_t linear, Access a, bool user);
    std::uint32_t phys_read(std::uint32_t linear, unsigned width, Access a, bool user);
    void phys_write(std::uint32_t linear, std::uint32_t value, unsigned width, bool user);
    void load_cs_protected(std::uint16_t selector, const Descriptor& d, unsigned new_cpl);
    void load_ss_protected(std::uint16_t selector, const Descriptor& d);
    void load_data_segment_protected(Seg s, std::uint16_t selector);
    void invalidate_outer_segments();
    void stack_switch_call(const Descriptor& gate, std::uint16_t cs_sel, const Descriptor& cs_desc,
                           std::uint16_t ret_cs, std::uint32_t ret_ip, unsigned gate_width);
    std::uint32_t tss_stack_pointer(unsigned dpl, std::uint16_t& ss_out);
    bool stack_has_room(unsigned pushes, unsigned width) const;  // on SS:eSP, before pushing
    void check_code_breakpoints();
    void notify_memory(std::uint32_t linear, unsigned width, bool write);
    void notify_memory_8086(std::uint32_t base, std::uint32_t offset, unsigned width, bool write);
    void note_data_access(std::uint32_t linear, unsigned width, bool write);

    CpuModel model_;
    TimingColumn column_;
    CpuBus& bus_;
    OpcodeMap map_;
    CpuState s_;
    std::uint32_t addr_mask_;
    BlockCache code_cache_;
    InterruptRecord last_interrupt_;

    // Translation lookaside buffer: linear page -> physical page with the permissions the walk
    // found (SDM Vol. 3, 4.10). Direct-mapped; flushed on CR3 loads (keeping global pages when
    // CR4.PGE is set), INVLPG and paging-mode changes.
    struct TlbEntry {
        std::uint32_t linear_page = 0xFFFFFFFFu;
        std::uint32_t phys_page = 0;
        bool user = false;       // U/S allowed at both levels
        bool writable = false;   // R/W allowed at both levels
        bool dirty = false;      // D already set in memory
        bool global = false;
    };
    static constexpr std::size_t kTlbEntries = 256;
    std::array<TlbEntry, kTlbEntries> tlb_{};

    // Per-instruction scratch.
    std::uint32_t insn_start_eip_ = 0;
    std::uint32_t next_eip_ = 0;
    Seg ea_seg_ = Seg::DS;
    std::uint32_t ea_off_ = 0;
    Cycles extra_cycles_ = 0;
    Cycles budget_end_ = 0;
    int exception_depth_ = 0;   // nested exception delivery: #DF, then shutdown
    bool fault_in_new_task_ = false;  // a task switch faulted past its commit point (cpu_tasks.cpp)
    bool data_breakpoints_armed_ = false;  // some DR7 slot watches data (checked per access)
    std::uint32_t data_breakpoint_hits_ = 0;  // B0-B3 hit by the current instruction
    bool task_trap_pending_ = false;          // switched to a task whose TSS has T set

    // Observation (debugger).
    CpuObserver* observer_ = nullptr;
    bool observe_instructions_ = false, observe_memory_ = false, observe_interrupts_ = false,
         observe_io_ = false;
    bool observer_stop_ = false;         // a trap-style hook asked to stop after this instruction
    bool skip_breakpoint_once_ = false;  // resume past the breakpoint we stopped at
};

}  // namespace lantern
