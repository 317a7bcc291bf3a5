// The table-driven interpreter: decodes with OpcodeMap, executes the row's handler, charges the
// row's cycles for the selected model.
#pragma once

#include <cstdint>
#include <string_view>

#include "cpu/cpu_backend.h"
#include "cpu/cpu_bus.h"
#include "cpu/cpu_model.h"
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
    std::uint16_t error_code = 0;
};

class Interpreter final : public CpuBackend, public Inspectable {
public:
    Interpreter(CpuModel model, CpuBus& bus);

    // CpuBackend
    using CpuBackend::run;
    StopReason run(Cycles budget, std::uint64_t max_instructions) override;
    void get_state(CpuState& out) const override { out = s_; }
    void set_state(const CpuState& in) override { s_ = in; }
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

    // Decodes the instruction at CS:EIP without executing it (no side effects on the bus
    // beyond memory reads).
    Insn decode_at_ip();
    unsigned max_instruction_length() const;

    // Inspectable
    std::string_view inspect_name() const override { return "cpu"; }
    void inspect(StateVisitor& v) override;

    // ---- Below: the execution API that instruction handlers (exec_*.cpp) use. ----
    CpuBus& bus() { return bus_; }

    // Operand access by operand index, following the row's operand forms.
    std::uint32_t read_op(const Insn& i, int index);
    void write_op(const Insn& i, int index, std::uint32_t value);

    // Registers.
    std::uint32_t reg(int r, unsigned width) const;       // width 1 (AL..BH encoding), 2, 4
    void set_reg(int r, unsigned width, std::uint32_t v);
    std::uint16_t r16(Reg r) const { return s_.reg16(r); }
    void set_r16(Reg r, std::uint16_t v) { s_.set_reg16(r, v); }
    void load_segment(Seg s, std::uint16_t selector);     // real mode: base = selector << 4

    // Memory through a segment: segment limit checks (286+), linear -> physical, bus access.
    std::uint32_t read_mem(Seg s, std::uint32_t offset, unsigned width);
    void write_mem(Seg s, std::uint32_t offset, std::uint32_t value, unsigned width);
    // Raises the model's limit fault if [offset, offset+width) is not inside the segment.
    void check_limit(Seg s, std::uint32_t offset, unsigned width);
    [[noreturn]] void limit_fault(Seg s);
    // The segment and offset of the ModR/M memory operand of the current instruction.
    Seg ea_seg() const { return ea_seg_; }
    std::uint32_t ea_offset() const { return ea_off_; }
    // Default data segment unless overridden.
    Seg data_seg(const Insn& i, Seg dflt) const {
        return i.seg_override >= 0 ? static_cast<Seg>(i.seg_override) : dflt;
    }

    // Stack.
    void push16(std::uint16_t v);
    std::uint16_t pop16();
    std::uint16_t sp_mask() const { return 0xFFFF; }

    // Flags.
    std::uint32_t flags() const { return s_.eflags; }
    bool get_flag(std::uint32_t f) const { return (s_.eflags & f) != 0; }
    void set_flag(std::uint32_t f, bool on) { s_.eflags = on ? (s_.eflags | f) : (s_.eflags & ~f); }
    void write_flags16(std::uint16_t v);  // POPF/IRET/SAHF path: keeps the model's fixed bits
    std::uint16_t read_flags16() const;   // PUSHF image, with the model's fixed bits
    bool condition(unsigned cc) const;    // Jcc/SETcc condition codes 0..15

    // Control flow.
    std::uint32_t next_ip() const { return next_eip_; }
    void jump_near(std::uint32_t ip) { next_eip_ = ip & 0xFFFF; }
    void jump_far(std::uint16_t cs, std::uint32_t ip);
    void interrupt(std::uint8_t vector, bool is_exception, std::uint32_t return_ip);
    void halt() { s_.halted = true; }

    // Cycles: handlers add data-dependent costs (per repetition, per bit, taken branches).
    void add_cycles(Cycles c) { extra_cycles_ += c; }
    const Timing& timing(const Insn& i) const {
        return i.info->timing[static_cast<int>(column_)];
    }
    bool is_8086() const { return model_ == CpuModel::I8086 || model_ == CpuModel::I80186; }
    bool at_least(CpuModel m) const { return model_ >= m; }

    // String instructions that must stop early (interrupt due, budget spent) rewind to restart.
    bool interrupt_due() const;  // an NMI or an unmasked INTR is waiting
    bool slice_over() const;     // the cycle budget of this run() is spent
    void repeat_instruction() { next_eip_ = insn_start_eip_; }

    [[noreturn]] void fault(std::uint8_t vector);
    [[noreturn]] void fault(std::uint8_t vector, std::uint16_t error_code);

private:
    void execute_one();
    void deliver_pending_interrupts();
    void compute_ea(const Insn& i);
    std::uint32_t linear_to_physical(std::uint32_t linear) const { return linear & addr_mask_; }
    std::uint8_t fetch_code_byte(unsigned i);
    Cycles instruction_cycles(const Insn& i) const;
    Cycles ea_cycles_8086(const Insn& i) const;

    CpuModel model_;
    TimingColumn column_;
    CpuBus& bus_;
    OpcodeMap map_;
    CpuState s_;
    std::uint32_t addr_mask_;
    InterruptRecord last_interrupt_;

    // Per-instruction scratch.
    std::uint32_t insn_start_eip_ = 0;
    std::uint32_t next_eip_ = 0;
    Seg ea_seg_ = Seg::DS;
    std::uint32_t ea_off_ = 0;
    Cycles extra_cycles_ = 0;
    Cycles budget_end_ = 0;
};

}  // namespace lantern
