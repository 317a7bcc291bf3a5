// Debugger: the core the command line, the gdb stub and (later) the GUI all drive. It knows
// nothing of any of them: it holds breakpoints and symbols, runs the Machine until something
// worth stopping for happens, and says why it stopped.
//
// How it watches without costing anything when idle: the CPU calls a CpuObserver only for the
// kinds of event it was asked for (cpu/cpu_observer.h, one flag per kind on the hot path). The
// debugger asks only while it runs the machine, and only for what its breakpoints, the current
// goal (step over, finish, ...) and the trace need; with no breakpoints it asks for nothing, and
// between runs it detaches completely. Device events reach it through Machine::set_event_sink,
// likewise set only while a device breakpoint exists.
//
// Determinism: the debugger only reads the machine (side-effect-free peeks), and splits runs into
// slices the guest cannot see (the CPU is cycle-exact whatever its budget). Only explicit user
// actions (set a register, write memory) change what the guest computes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/cpu_observer.h"
#include "cpu/interpreter.h"
#include "debugger/breakpoints.h"
#include "debugger/disassembler.h"
#include "debugger/expression.h"
#include "debugger/symbols.h"
#include "devices/device_event.h"
#include "devices/machine.h"

namespace lantern {

enum class StopKind : std::uint8_t {
    Breakpoint,      // an Exec breakpoint, before its instruction
    Watchpoint,      // after the instruction that accessed the data
    IoBreak,         // after the instruction that accessed the port
    InterruptBreak,  // at the handler's entry
    ModeChange,      // before the first instruction in the new mode
    DeviceEvent,     // at the instruction boundary after the device reported the event
    MagicBreak,      // after an `xchg bx, bx` (with magic breakpoints on)
    ConditionError,  // a breakpoint's condition could not be evaluated
    Step,            // the instructions asked for were executed
    Next,            // stepped over a call, INT, REP string instruction or LOOP
    Finish,          // the current routine returned
    Until,           // reached the address asked for
    Cycles,          // ran the cycles asked for
    Interrupted,     // the user (Ctrl-C) or gdb (0x03) interrupted the run
    GuestExit,       // the guest wrote port 0xF4
    Halted,          // HLT with nothing that can ever wake the CPU
    Shutdown,        // triple fault
    PowerOff,        // the OS powered the machine off (ACPI S5)
};

struct StopInfo {
    StopKind kind = StopKind::Step;
    int breakpoint = 0;           // the breakpoint that stopped the machine, 0 if none
    std::string reason{};         // one line: "Breakpoint 1, linear 0x000f0105"
    std::uint32_t data_address = 0;         // Watchpoint: the linear address accessed
    AccessKind data_access = AccessKind::Write;
    std::uint32_t exit_value = 0;           // GuestExit: the value written to port 0xF4
    std::uint64_t instructions = 0;         // retired during this run
};

// Which modes the CPU is in (CR0.PE, CR0.PG, EFLAGS.VM).
struct CpuModeBits {
    bool pe = false, pg = false, vm = false;
    bool operator==(const CpuModeBits&) const = default;
};

class Debugger final : public CpuObserver, public DeviceEventSink, public ExpressionContext {
public:
    explicit Debugger(Machine& machine);
    ~Debugger() override;
    Debugger(const Debugger&) = delete;
    Debugger& operator=(const Debugger&) = delete;

    Machine& machine() { return machine_; }
    const Machine& machine() const { return machine_; }
    Interpreter& cpu() { return cpu_; }
    const Interpreter& cpu() const { return cpu_; }
    BreakpointTable& breakpoints() { return breakpoints_; }
    SymbolTable& symbols() { return symbols_; }
    const SymbolTable& symbols() const { return symbols_; }

    // ---- Run control: each runs until its goal or a breakpoint, and says why it stopped. ----
    StopInfo continue_run();
    StopInfo step(std::uint64_t count = 1);
    // Steps over CALL, INT n, REP string instructions and LOOP (runs to the next instruction at
    // the same stack depth); any other instruction is a single step.
    StopInfo next();
    // Runs until the current routine returns: after the first RET/RETF/IRET executed with the
    // stack pointer at or above where it is now.
    StopInfo finish();
    StopInfo run_until(std::uint32_t linear);
    // Runs at least `cycles` CPU cycles: stops at the first instruction boundary at or past them.
    StopInfo run_cycles(Cycles cycles);

    // ---- Sliced runs, for a front-end that draws between slices (the GUI): begin a goal, run
    // it in slices that end at a CPU cycle (nullopt: the slice ended, the goal goes on; the
    // guest cannot tell where a run was cut), until a slice returns why it stopped. A single
    // step is step(1). abandon_run() drops the goal (a pause). ----
    void begin_continue();
    void begin_next();
    void begin_finish();
    void begin_until(std::uint32_t linear);
    std::optional<StopInfo> run_slice(Cycles until_cycle);
    void abandon_run();
    bool run_active() const { return run_active_; }
    // Breakpoints added, removed or toggled while a sliced run is active take effect from its
    // next slice.
    void refresh_breakpoints();
    // A passive observer that also sees every data access, port access and interrupt of the runs
    // (the GUI's I/O log and write highlights); its answers are ignored. `kinds`: ObserveKind bits.
    void set_tap(CpuObserver* tap, unsigned kinds);

    // `xchg bx, bx` stops the machine after it executes (Bochs' magic breakpoint).
    void set_magic_break(bool on) { magic_break_ = on; }
    bool magic_break() const { return magic_break_; }
    // Trace: one line per instruction about to execute, and one per interrupt delivered.
    using LineSink = std::function<void(const std::string&)>;
    void set_trace(LineSink sink) { trace_ = std::move(sink); }
    bool tracing() const { return static_cast<bool>(trace_); }
    // Called about every 20 ms of host time while the machine runs; returning true interrupts
    // the run (the terminal's Ctrl-C, gdb's 0x03). Empty: runs are never interrupted.
    void set_poll(std::function<bool()> poll) { poll_ = std::move(poll); }

    // The ObserveKind mask the CPU gets for a plain `continue` with the current breakpoints and
    // options: 0 when nothing needs watching (the CPU then checks only its flags).
    unsigned observe_kinds_for_continue() const;

    // ---- The machine's state, for commands. ----
    CpuState& state();
    const CpuState& state() const;
    std::uint32_t linear_pc() const;   // CS.base + EIP
    CpuModeBits mode() const;
    bool code32() const;               // CS.D: 32-bit code
    // Linear -> physical through paging (and the A20 gate / address bus); false if not present.
    bool translate(std::uint32_t linear, std::uint32_t& physical) const;
    bool read_linear(std::uint32_t linear, std::span<std::uint8_t> out) const;
    bool read_physical(std::uint32_t physical, std::span<std::uint8_t> out) const;
    bool write_linear(std::uint32_t linear, std::span<const std::uint8_t> bytes);
    void write_physical(std::uint32_t physical, std::span<const std::uint8_t> bytes);
    // Sets a register by its expression name (eax, ax, al, eip, cs, eflags, cf, cr0, ...).
    bool set_register(std::string_view name, std::uint64_t value, std::string& error);
    ExpressionResult evaluate(std::string_view expression) const { return evaluate_expression(expression, *this); }

    // A descriptor from the GDT or LDT, read without side effects (no accessed bit is set).
    std::optional<Descriptor> read_descriptor(std::uint16_t selector, std::string& error) const;
    // The base of a code or data segment's descriptor (protected mode).
    std::optional<std::uint32_t> descriptor_base(std::uint16_t selector) const;
    // Disassembles the instruction at a linear address as code of the current CS size.
    Disassembly disassemble_at(std::uint32_t linear, std::uint32_t ip, bool code32) const;
    // "[0x000f0105] f000:0105 <test_main+0x5> mov ax, 0x1234 ; b8 34 12": the current instruction.
    std::string current_instruction_line() const;
    std::string instruction_line(std::uint32_t linear, std::uint16_t cs, std::uint32_t ip, bool code32) const;

    // ExpressionContext
    std::optional<std::uint64_t> register_value(std::string_view name) const override;
    std::optional<std::uint32_t> segment_base(std::string_view name) const override;
    std::optional<std::uint64_t> symbol_value(std::string_view name) const override;
    std::optional<std::uint32_t> read_memory(std::uint32_t linear, unsigned width) const override;

    // CpuObserver (called by the CPU while the debugger runs it)
    bool before_instruction(std::uint32_t linear_ip) override;
    bool memory_access(std::uint32_t linear, std::uint32_t physical, unsigned width, bool write) override;
    bool interrupt(std::uint8_t vector, bool exception, bool software) override;
    bool io_access(std::uint16_t port, unsigned width, bool write, std::uint32_t value) override;
    // DeviceEventSink
    void device_event(const DeviceEvent& event) override;

private:
    enum class Goal : std::uint8_t { Continue, Step, Next, Finish, Until, Cycles };
    StopInfo resume(Goal goal);
    void start_run(Goal goal);
    // Runs the goal started last until it stops, and ends the run.
    StopInfo run_to_end();
    // Runs the current goal until it stops (its StopInfo) or the CPU reaches `until_cycle`.
    std::optional<StopInfo> advance(Cycles until_cycle);
    StopInfo end_run_with(StopInfo out);
    unsigned observe_kinds(Goal goal) const;
    // Records a stop if `b` matches for real (enabled, condition true, ignore count spent).
    bool hit(Breakpoint& b, StopKind kind, const std::string& what);
    void set_pending(StopInfo info);
    bool interrupt_due() const;
    std::string instruction_address() const;  // "0x000f0090 <bump>": where the CPU is
    bool is_return_instruction(std::uint32_t linear) const;

    Machine& machine_;
    Interpreter& cpu_;
    BreakpointTable breakpoints_{};
    SymbolTable symbols_{};
    bool magic_break_ = false;
    LineSink trace_{};
    std::function<bool()> poll_{};

    // The current run.
    Goal goal_ = Goal::Continue;
    std::optional<StopInfo> pending_{};   // the first reason to stop found during this run
    std::vector<int> temporary_hits_{};    // tbreaks to delete once the run returns
    std::uint32_t resume_linear_ = 0;      // where the run began: its first instruction is not
    std::uint64_t resume_instructions_ = 0;  // stopped at again (it is what we stopped at)
    CpuModeBits last_mode_{};
    std::uint32_t goal_linear_ = 0;        // Next, Until: where to stop
    std::uint16_t goal_ss_ = 0;            // Next, Finish: the stack the goal belongs to
    std::uint32_t goal_sp_ = 0;
    Cycles goal_cycles_ = 0;               // Cycles: stop at or after this CPU cycle
    std::uint64_t step_count_ = 1;         // Step: instructions to execute
    std::uint64_t steps_left_ = 0;         // Step: still to execute in this run
    std::uint64_t run_start_instructions_ = 0;
    bool run_active_ = false;              // between start_run and end_run_with
    CpuObserver* tap_ = nullptr;
    unsigned tap_kinds_ = 0;
    bool stop_before_next_ = false;        // Finish, magic: stop before the next instruction
    StopKind stop_next_kind_ = StopKind::Finish;
    std::vector<std::uint32_t> exec_linear_{};  // sorted linear Exec addresses (the hot lookup)
    bool exec_other_ = false;              // some physical or seg:offset Exec breakpoint
};

}  // namespace lantern
