// ExecControl: run, step, step over, step out, run to cursor and breakpoints for the GUI, driven
// through Machine::run and the CPU's CpuObserver hooks.
//
// This is the small adapter the GUI talks to until the debugger core (debugger/) lands; then its
// implementation becomes calls into that core and the panes do not change. It also keeps the I/O
// and interrupt log and the recent-write list the panes show, both fed by the same hooks.
//
// Everything here runs on the emulator thread with the machine lock held.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cpu/cpu_observer.h"
#include "cpu/cpu_state.h"
#include "devices/machine.h"

namespace lantern::gui {

// One line of the I/O and interrupt log.
struct LogEntry {
    enum class Kind : std::uint8_t { PortRead, PortWrite, HardwareInterrupt, SoftwareInterrupt, Exception };
    Kind kind = Kind::PortRead;
    Cycles cycle = 0;
    std::uint16_t port = 0;
    std::uint8_t width = 0;
    std::uint8_t vector = 0;
    std::uint32_t value = 0;
    std::uint16_t cs = 0;   // where the CPU was (the instruction doing the I/O, or interrupted)
    std::uint32_t eip = 0;
};

// A fixed-capacity ring: the newest `capacity` items, oldest first when read.
template <class T, std::size_t N>
class Ring {
public:
    void push(const T& v) {
        items_[(start_ + size_) % N] = v;
        if (size_ < N) ++size_;
        else start_ = (start_ + 1) % N;
        ++total_;
    }
    std::size_t size() const { return size_; }
    const T& operator[](std::size_t i) const { return items_[(start_ + i) % N]; }  // 0 = oldest
    std::uint64_t total() const { return total_; }  // pushed since the last clear
    void clear() { start_ = size_ = 0; total_ = 0; }

private:
    std::array<T, N> items_{};
    std::size_t start_ = 0;
    std::size_t size_ = 0;
    std::uint64_t total_ = 0;
};

// Why a run slice ended.
enum class SliceEnd : std::uint8_t {
    Target,       // reached the cycle it was asked to run to (keep going)
    Breakpoint,   // a breakpoint, or the end of a step over / step out / run to cursor
    DebugExit,    // the guest wrote port 0xF4
    Halted,       // halted for good
    Shutdown,     // triple fault
    PowerOff,     // the OS powered the machine off
    Interrupted,  // stopped on request
};

class ExecControl final : public CpuObserver {
public:
    static constexpr std::size_t kLogCapacity = 8192;
    static constexpr std::size_t kRecentWrites = 4096;

    explicit ExecControl(Machine& machine);
    ~ExecControl() override;
    ExecControl(const ExecControl&) = delete;
    ExecControl& operator=(const ExecControl&) = delete;

    // ---- Breakpoints, by linear address of the instruction's first byte ----
    void toggle_breakpoint(std::uint32_t linear);
    const std::set<std::uint32_t>& breakpoints() const { return breakpoints_; }

    // ---- Stepping: each returns how the step ended ----
    SliceEnd step_instruction();
    // Step over: a CALL, INT, LOOP or REP string instruction runs to the instruction after it
    // (through `run_to`'s temporary breakpoint); anything else is a single step.
    // Returns nullopt when it started a run (the caller keeps calling run_slice).
    std::optional<SliceEnd> begin_step_over();
    // Step out: runs until a RET/RETF/IRET executes with the stack at or above where it began.
    void begin_step_out();
    // Run to the instruction at `linear` (or any breakpoint).
    void begin_run_to(std::uint32_t linear);
    // A plain run: only breakpoints stop it.
    void begin_run();
    // Runs the machine until `target_cycle` or something stops it.
    SliceEnd run_slice(Cycles target_cycle);
    // Forgets step-over / step-out / run-to goals (after a pause).
    void cancel_goals();

    // ---- What the panes show ----
    void set_track_memory(bool on);
    bool track_memory() const { return track_memory_; }
    const Ring<LogEntry, kLogCapacity>& log() const { return log_; }
    void clear_log() { log_.clear(); }
    // Physical addresses of the most recent data writes (one entry per byte written).
    const Ring<std::uint32_t, kRecentWrites>& recent_writes() const { return writes_; }

    // CpuObserver
    bool before_instruction(std::uint32_t linear_ip) override;
    bool memory_access(std::uint32_t linear, std::uint32_t physical, unsigned width, bool write) override;
    bool interrupt(std::uint8_t vector, bool exception, bool software) override;
    bool io_access(std::uint16_t port, unsigned width, bool write, std::uint32_t value) override;

private:
    void attach();
    void arm_resume();
    std::uint32_t stack_pointer() const;
    SliceEnd from_run(const RunResult& r, bool slice_event_fired);

    Machine& machine_;
    std::set<std::uint32_t> breakpoints_{};
    std::optional<std::uint32_t> run_to_{};
    bool step_out_ = false;
    std::uint32_t step_out_sp_ = 0;
    bool step_out_returning_ = false;  // the instruction just executed was that return
    bool goal_reached_ = false;
    bool hit_ = false;              // before_instruction asked the CPU to stop
    bool resume_pending_ = false;   // the next instruction is the one we resume from
    std::uint32_t resume_ip_ = 0;
    bool track_memory_ = true;
    Ring<LogEntry, kLogCapacity> log_{};
    Ring<std::uint32_t, kRecentWrites> writes_{};
};

std::string_view slice_end_name(SliceEnd e);

}  // namespace lantern::gui
