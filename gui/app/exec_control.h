// ExecControl: the GUI's run controls - run, step, step over, step out, run to cursor and
// breakpoints - as commands of the debugger core (debugger/debugger.h), the same core the CLI
// debugger and the gdb stub drive. The GUI runs the debugger's goals in slices that end at a CPU
// cycle (Debugger::run_slice), so the window stays responsive and the guest cannot tell where a
// run was cut.
//
// It also keeps the I/O and interrupt log and the recent-write list the panes show: a passive
// observer the debugger passes every port access, interrupt and data write to (Debugger::set_tap).
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
#include "debugger/debugger.h"
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
    // Step over: a CALL, INT, LOOP or REP string instruction runs to the instruction after it;
    // anything else is a single step. The goal then runs through run_slice.
    void begin_step_over();
    // Step out: runs until a RET/RETF/IRET executes with the stack at or above where it began.
    void begin_step_out();
    // Run to the instruction at `linear` (or any breakpoint).
    void begin_run_to(std::uint32_t linear);
    // A plain run: only breakpoints stop it.
    void begin_run();
    // Runs the goal begun last until `target_cycle` or something stops it.
    SliceEnd run_slice(Cycles target_cycle);
    // Forgets the goal (after a pause).
    void cancel_goals();
    // Why the last run or step stopped, in the debugger's words ("Breakpoint 1, linear ...").
    const std::string& last_reason() const { return last_reason_; }

    Debugger& debugger() { return dbg_; }

    // ---- What the panes show ----
    void set_track_memory(bool on);
    bool track_memory() const { return track_memory_; }
    const Ring<LogEntry, kLogCapacity>& log() const { return log_; }
    void clear_log() { log_.clear(); }
    // Physical addresses of the most recent data writes (one entry per byte written).
    const Ring<std::uint32_t, kRecentWrites>& recent_writes() const { return writes_; }

    // CpuObserver: the debugger's tap (it only ever sees data, port and interrupt events)
    bool before_instruction(std::uint32_t) override { return false; }
    bool memory_access(std::uint32_t linear, std::uint32_t physical, unsigned width, bool write) override;
    bool interrupt(std::uint8_t vector, bool exception, bool software) override;
    bool io_access(std::uint16_t port, unsigned width, bool write, std::uint32_t value) override;

private:
    void update_tap();
    SliceEnd finish(const StopInfo& stop);

    Machine& machine_;
    Debugger dbg_;
    std::set<std::uint32_t> breakpoints_{};   // linear addresses of the gutter's breakpoints
    std::string last_reason_{};
    bool track_memory_ = true;
    Ring<LogEntry, kLogCapacity> log_{};
    Ring<std::uint32_t, kRecentWrites> writes_{};
};

std::string_view slice_end_name(SliceEnd e);

}  // namespace lantern::gui
