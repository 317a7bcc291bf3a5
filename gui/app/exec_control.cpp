#include "gui/app/exec_control.h"

#include "cpu/interpreter.h"
#include "debugger/disassembler.h"
#include "gui/app/machine_inspector.h"

namespace lantern::gui {

std::string_view slice_end_name(SliceEnd e) {
    switch (e) {
        case SliceEnd::Target: return "ran";
        case SliceEnd::Breakpoint: return "breakpoint";
        case SliceEnd::DebugExit: return "the guest wrote port F4 (debug exit)";
        case SliceEnd::Halted: return "halted for good";
        case SliceEnd::Shutdown: return "shutdown (triple fault)";
        case SliceEnd::PowerOff: return "powered off by the guest";
        case SliceEnd::Interrupted: return "stopped";
    }
    return "?";
}

ExecControl::ExecControl(Machine& machine) : machine_(machine) { attach(); }

ExecControl::~ExecControl() { machine_.interpreter().set_observer(nullptr, 0); }

void ExecControl::attach() {
    // Instruction hooks only while something needs them: a breakpoint costs nothing until set.
    unsigned kinds = static_cast<unsigned>(ObserveKind::Interrupts) | static_cast<unsigned>(ObserveKind::Io);
    if (!breakpoints_.empty() || run_to_ || step_out_ || resume_pending_)
        kinds |= static_cast<unsigned>(ObserveKind::Instructions);
    if (track_memory_) kinds |= static_cast<unsigned>(ObserveKind::Memory);
    machine_.interpreter().set_observer(this, kinds);
}

void ExecControl::toggle_breakpoint(std::uint32_t linear) {
    if (!breakpoints_.erase(linear)) breakpoints_.insert(linear);
    attach();
}

void ExecControl::set_track_memory(bool on) {
    track_memory_ = on;
    if (!on) writes_.clear();
    attach();
}

void ExecControl::cancel_goals() {
    run_to_.reset();
    step_out_ = false;
    step_out_returning_ = false;
    attach();
}

std::uint32_t ExecControl::stack_pointer() const {
    const CpuState& s = machine_.interpreter().state();
    const bool big = (s.segment(Seg::SS).access & seg_attr::DB) != 0;
    return big ? s.gpr[static_cast<int>(Reg::SP)] : s.reg16(Reg::SP);
}

void ExecControl::arm_resume() {
    // The instruction the CPU sits on runs even if it carries a breakpoint: pressing Run or Step
    // on a breakpoint means "go on from here".
    resume_ip_ = current_linear_ip(machine_.interpreter().state());
    resume_pending_ = true;
    hit_ = false;
    goal_reached_ = false;
    attach();
}

SliceEnd ExecControl::step_instruction() {
    arm_resume();
    RunLimits limits;
    limits.max_instructions = 1;
    const SliceEnd e = from_run(machine_.run(limits), false);
    resume_pending_ = false;
    attach();
    return e;
}

std::optional<SliceEnd> ExecControl::begin_step_over() {
    MachineInspector inspector(machine_);
    const Disassembly d = inspector.disassemble_at_ip();
    if (!d.valid || !d.step_over) return step_instruction();
    const CpuState& s = machine_.interpreter().state();
    const std::uint32_t next_ip = (s.eip + d.length) & (code32(s) ? 0xFFFFFFFFu : 0xFFFFu);
    begin_run_to(s.segment(Seg::CS).base + next_ip);
    return std::nullopt;
}

void ExecControl::begin_step_out() {
    cancel_goals();
    step_out_ = true;
    step_out_sp_ = stack_pointer();
    arm_resume();
}

void ExecControl::begin_run_to(std::uint32_t linear) {
    cancel_goals();
    run_to_ = linear;
    arm_resume();
}

void ExecControl::begin_run() {
    cancel_goals();
    arm_resume();
}

SliceEnd ExecControl::from_run(const RunResult& r, bool slice_event_fired) {
    switch (r.reason) {
        case MachineStop::DebugExit: return SliceEnd::DebugExit;
        case MachineStop::Halted: return SliceEnd::Halted;
        case MachineStop::Shutdown: return SliceEnd::Shutdown;
        case MachineStop::PowerOff: return SliceEnd::PowerOff;
        case MachineStop::CycleLimit: return SliceEnd::Target;
        case MachineStop::InstructionLimit: return SliceEnd::Target;
        case MachineStop::HostTimeout: return SliceEnd::Interrupted;
        case MachineStop::StopRequested:
            if (hit_) return SliceEnd::Breakpoint;
            return slice_event_fired ? SliceEnd::Target : SliceEnd::Interrupted;
    }
    return SliceEnd::Interrupted;
}

SliceEnd ExecControl::run_slice(Cycles target_cycle) {
    Scheduler& scheduler = machine_.scheduler();
    if (machine_.interpreter().state().cycles >= target_cycle) return SliceEnd::Target;
    // The slice ends at an exact cycle through an ordinary scheduler event that only asks the
    // machine to stop: the CPU is cycle-exact, so where a run is cut is invisible to the guest.
    // The event exists only while run() runs, so neither a pane nor a snapshot ever sees it.
    bool fired = false;
    const EventId id = scheduler.at(
        target_cycle,
        [this, &fired](Cycles) {
            fired = true;
            machine_.request_stop();
        },
        "gui.slice_end");
    hit_ = false;
    const RunResult r = machine_.run();
    scheduler.cancel(id);
    const SliceEnd e = from_run(r, fired);
    if (e != SliceEnd::Target) {
        resume_pending_ = false;
        if (goal_reached_) cancel_goals();
        attach();
    }
    return e;
}

bool ExecControl::before_instruction(std::uint32_t linear_ip) {
    if (resume_pending_) {
        resume_pending_ = false;
        if (linear_ip == resume_ip_) return false;
    }
    if (step_out_returning_) {
        goal_reached_ = true;
        hit_ = true;
        return true;
    }
    if (run_to_ && *run_to_ == linear_ip) {
        goal_reached_ = true;
        hit_ = true;
        return true;
    }
    if (breakpoints_.contains(linear_ip)) {
        hit_ = true;
        return true;
    }
    if (step_out_) {
        MachineInspector inspector(machine_);
        const Disassembly d = inspector.disassemble_at_ip();
        if ((d.flow == FlowKind::Return || d.flow == FlowKind::InterruptReturn) && stack_pointer() >= step_out_sp_)
            step_out_returning_ = true;  // stop before the instruction the return goes to
    }
    return false;
}

bool ExecControl::memory_access(std::uint32_t, std::uint32_t physical, unsigned width, bool write) {
    if (write && physical != 0xFFFFFFFFu) {
        for (unsigned i = 0; i < width && i < 16; ++i) writes_.push(physical + i);
    }
    return false;
}

bool ExecControl::interrupt(std::uint8_t vector, bool exception, bool software) {
    const CpuState& s = machine_.interpreter().state();
    LogEntry e;
    e.kind = exception  ? LogEntry::Kind::Exception
             : software ? LogEntry::Kind::SoftwareInterrupt
                        : LogEntry::Kind::HardwareInterrupt;
    e.cycle = s.cycles;
    e.vector = vector;
    e.cs = s.segment(Seg::CS).selector;
    e.eip = s.eip;
    log_.push(e);
    return false;
}

bool ExecControl::io_access(std::uint16_t port, unsigned width, bool write, std::uint32_t value) {
    const CpuState& s = machine_.interpreter().state();
    LogEntry e;
    e.kind = write ? LogEntry::Kind::PortWrite : LogEntry::Kind::PortRead;
    e.cycle = s.cycles;
    e.port = port;
    e.width = static_cast<std::uint8_t>(width);
    e.value = value;
    e.cs = s.segment(Seg::CS).selector;
    e.eip = s.eip;
    log_.push(e);
    return false;
}

}  // namespace lantern::gui
