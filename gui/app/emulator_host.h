// EmulatorHost: the emulator on its own thread, run in time slices, with the GUI talking to it
// through a command queue and reading it between slices.
//
// Threads. The emulator thread owns the Session (the Machine, its ExecControl, the console
// buffers). It runs the machine in slices that end at an exact CPU cycle (ExecControl::run_slice)
// and holds the session lock only while a slice or a command runs. The GUI thread
// - posts commands (run, pause, step, reset, key presses, memory edits...), which the emulator
//   thread executes in order between slices, and
// - once per frame calls with_session() to copy what the open panes show; the emulator thread
//   yields the lock to it at the next slice boundary (a slice lasts a few milliseconds).
//
// Time. The guest sees only virtual time (CPU cycles). The host's clock only paces: in real-time
// mode the thread lets virtual time advance as fast as the host's, at the model's clock or at a
// chosen MHz, and sleeps when it is ahead; "as fast as possible" never sleeps. Where a slice ends
// is invisible to the guest, so a run of N cycles ends in the same state at any speed.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "devices/byte_sink.h"
#include "devices/machine.h"
#include "devices/serial/serial_backend.h"
#include "gui/app/exec_control.h"

namespace lantern::gui {

enum class SpeedMode : std::uint8_t { RealTime, FixedMhz, Unlimited };
struct SpeedSetting {
    SpeedMode mode = SpeedMode::RealTime;
    std::uint64_t fixed_khz = 4'773;  // FixedMhz: the chosen clock, in kHz
};

enum class RunState : std::uint8_t { Paused, Running, PoweredOff };
std::string_view run_state_name(RunState s);

// Keeps the last `capacity` bytes of a text stream (the guest's consoles).
class TextBuffer final : public ByteSink {
public:
    explicit TextBuffer(std::size_t capacity = 64 * 1024) : capacity_(capacity) {}
    void put(std::uint8_t byte) override;
    void flush() override {
        if (tee_) tee_->flush();
    }
    void set_tee(ByteSink* tee) { tee_ = tee; }  // every byte is also written there
    const std::string& text() const { return text_; }
    std::uint64_t total() const { return total_; }
    void clear() {
        text_.clear();
        total_ = 0;
    }

private:
    std::size_t capacity_;
    ByteSink* tee_ = nullptr;
    std::string text_{};
    std::uint64_t total_ = 0;
};

// What the emulator thread owns. Touched only with the session lock held.
struct Session {
    MachineConfig config{};
    std::unique_ptr<Machine> machine{};
    std::unique_ptr<ExecControl> exec{};
    TextBuffer debugcon{};   // port 0xE9
    TextBuffer serial_out{}; // COM1 transmit, when the board has a UART
    std::unique_ptr<SerialBackend> serial_backend{};  // feeds serial_out
    RunState state = RunState::Paused;
    std::string message{};   // why the last run or step ended
    CpuState before_last_action{};  // the CPU as the last step/run began: panes highlight changes
    std::uint64_t generation = 0;    // bumped when the machine is rebuilt or reset
    Cycles run_until = kNever;       // a "run N cycles" request ends here
    SpeedSetting speed{};
    double mips = 0.0;               // host-measured instructions per second / 1e6
    bool needs_pace_reset = true;
};

class EmulatorHost {
public:
    using Command = std::function<void(Session&)>;

    // Builds the machine (std::invalid_argument if `config` cannot be built) and starts the thread.
    EmulatorHost(MachineConfig config, ByteSink* debugcon_tee = nullptr);
    ~EmulatorHost();
    EmulatorHost(const EmulatorHost&) = delete;
    EmulatorHost& operator=(const EmulatorHost&) = delete;

    // Queues a command; returns its ticket. completed() reaches the ticket once it has run.
    std::uint64_t post(Command command);
    std::uint64_t completed() const { return completed_.load(std::memory_order_acquire); }

    // Runs `fn` with the session locked, between slices (GUI thread).
    template <class F>
    void with_session(F&& fn) {
        gui_waiting_.fetch_add(1, std::memory_order_acq_rel);
        std::unique_lock lock(session_mutex_);
        gui_waiting_.fetch_sub(1, std::memory_order_acq_rel);
        fn(session_);
    }

    // ---- The controls (each posts a command) ----
    std::uint64_t run();
    std::uint64_t pause();
    std::uint64_t step_instruction();
    std::uint64_t step_over();
    std::uint64_t step_out();
    std::uint64_t run_to(std::uint32_t linear);
    std::uint64_t run_cycles(Cycles n);  // then pause (exactly n cycles later, or at a stop)
    std::uint64_t reset();
    std::uint64_t power_off();
    std::uint64_t power_on();
    std::uint64_t set_speed(SpeedSetting speed);
    std::uint64_t toggle_breakpoint(std::uint32_t linear);
    std::uint64_t reconfigure(MachineConfig config);  // a new machine (settings window)
    // Bytes arriving on COM1 from its far end (the serial console's input line).
    std::uint64_t serial_input(std::string bytes);

    // Session helpers for commands (emulator thread, lock held).
    static void build_machine(Session& s, MachineConfig config);
    // Why a run ended, in words for the status bar.
    static std::string describe_stop(SliceEnd e, Machine& m);

private:
    void thread_main();
    bool drain_commands();  // false when asked to quit
    void run_one_slice();

    Session session_{};
    std::mutex session_mutex_{};
    std::atomic<int> gui_waiting_{0};

    std::mutex queue_mutex_{};
    std::condition_variable queue_cv_{};
    std::deque<std::pair<std::uint64_t, Command>> queue_{};
    std::uint64_t next_ticket_ = 1;
    std::atomic<std::uint64_t> completed_{0};
    bool quit_ = false;  // under queue_mutex_

    // Pacing (emulator thread only).
    using Clock = std::chrono::steady_clock;
    Clock::time_point pace_time_{};
    Cycles pace_cycles_ = 0;
    Cycles unlimited_slice_cycles_ = 200'000;
    Clock::time_point mips_time_{};
    std::uint64_t mips_instructions_ = 0;

    std::thread thread_{};
};

}  // namespace lantern::gui
