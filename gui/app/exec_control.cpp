#include "gui/app/exec_control.h"

#include <algorithm>

#include "cpu/interpreter.h"

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

ExecControl::ExecControl(Machine& machine) : machine_(machine), dbg_(machine) { update_tap(); }

ExecControl::~ExecControl() {
    dbg_.abandon_run();
    dbg_.set_tap(nullptr, 0);
}

void ExecControl::update_tap() {
    unsigned kinds = static_cast<unsigned>(ObserveKind::Interrupts) | static_cast<unsigned>(ObserveKind::Io);
    if (track_memory_) kinds |= static_cast<unsigned>(ObserveKind::Memory);
    dbg_.set_tap(this, kinds);
}

void ExecControl::toggle_breakpoint(std::uint32_t linear) {
    // The gutter's breakpoints are the debugger's linear execution breakpoints; one placed while
    // a goal runs counts from the next slice's goal (the debugger reads its table as a run begins).
    auto& all = dbg_.breakpoints().all();
    const auto it = std::find_if(all.begin(), all.end(), [&](const Breakpoint& b) {
        return b.kind == BreakKind::Exec && b.address_kind == AddressKind::Linear && b.address == linear &&
               b.owner == BreakOwner::Gui;
    });
    if (it != all.end()) {
        dbg_.breakpoints().remove(it->id);
        breakpoints_.erase(linear);
    } else {
        Breakpoint b;
        b.address = linear;
        b.owner = BreakOwner::Gui;
        dbg_.breakpoints().add(b);
        breakpoints_.insert(linear);
    }
    dbg_.refresh_breakpoints();  // a goal running in slices sees the change from the next slice
}

void ExecControl::set_track_memory(bool on) {
    track_memory_ = on;
    if (!on) writes_.clear();
    update_tap();
}

void ExecControl::cancel_goals() { dbg_.abandon_run(); }

SliceEnd ExecControl::finish(const StopInfo& stop) {
    last_reason_ = stop.reason;
    switch (stop.kind) {
        case StopKind::GuestExit: return SliceEnd::DebugExit;
        case StopKind::Halted: return SliceEnd::Halted;
        case StopKind::Shutdown: return SliceEnd::Shutdown;
        case StopKind::PowerOff: return SliceEnd::PowerOff;
        case StopKind::Interrupted: return SliceEnd::Interrupted;
        default: return SliceEnd::Breakpoint;  // a breakpoint, or a step over/out/run-to reached
    }
}

SliceEnd ExecControl::step_instruction() {
    dbg_.abandon_run();
    const StopInfo stop = dbg_.step(1);
    return stop.kind == StopKind::Step ? (last_reason_ = stop.reason, SliceEnd::Target) : finish(stop);
}

void ExecControl::begin_step_over() {
    dbg_.abandon_run();
    dbg_.begin_next();
}

void ExecControl::begin_step_out() {
    dbg_.abandon_run();
    dbg_.begin_finish();
}

void ExecControl::begin_run_to(std::uint32_t linear) {
    dbg_.abandon_run();
    dbg_.begin_until(linear);
}

void ExecControl::begin_run() {
    dbg_.abandon_run();
    dbg_.begin_continue();
}

SliceEnd ExecControl::run_slice(Cycles target_cycle) {
    if (!dbg_.run_active()) dbg_.begin_continue();
    if (const std::optional<StopInfo> stop = dbg_.run_slice(target_cycle)) return finish(*stop);
    return SliceEnd::Target;
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
