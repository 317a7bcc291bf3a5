#include "gui/app/emulator_host.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "cpu/interpreter.h"
#include "devices/input/input_queue.h"
#include "devices/serial/uart16550.h"
#include "gui/app/machine_parts.h"

namespace lantern::gui {

std::string_view run_state_name(RunState s) {
    switch (s) {
        case RunState::Paused: return "paused";
        case RunState::Running: return "running";
        case RunState::PoweredOff: return "powered off";
    }
    return "?";
}

void TextBuffer::put(std::uint8_t byte) {
    if (tee_) tee_->put(byte);
    ++total_;
    text_.push_back(static_cast<char>(byte));
    if (text_.size() > capacity_) text_.erase(0, text_.size() - capacity_ / 2);  // amortised
}

namespace {

// COM1's far end in the GUI: what the guest sends lands in the serial console pane.
class PaneSerialBackend final : public SerialBackend {
public:
    explicit PaneSerialBackend(TextBuffer& out) : out_(out) {}
    void transmit(std::uint8_t byte, Cycles) override { out_.put(byte); }
    std::string describe() const override { return "gui"; }

private:
    TextBuffer& out_;
};

}  // namespace

EmulatorHost::EmulatorHost(MachineConfig config, ByteSink* debugcon_tee) {
    session_.debugcon.set_tee(debugcon_tee);
    build_machine(session_, std::move(config));
    session_.before_last_action = session_.machine->interpreter().state();
    thread_ = std::thread([this] { thread_main(); });
}

EmulatorHost::~EmulatorHost() {
    {
        std::lock_guard q(queue_mutex_);
        quit_ = true;
    }
    queue_cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    std::lock_guard lock(session_mutex_);
    session_.debugcon.flush();
    session_.exec.reset();  // detaches from the CPU before the machine goes
    if (session_.machine) {
        if (Uart16550* com1 = find_uart(*session_.machine, 0)) com1->set_backend(nullptr);
        session_.machine->debug_console().set_sink(nullptr);
    }
    session_.machine.reset();
}

void EmulatorHost::build_machine(Session& s, MachineConfig config) {
    s.exec.reset();
    if (s.machine) {
        if (Uart16550* com1 = find_uart(*s.machine, 0)) com1->set_backend(nullptr);
    }
    s.machine.reset();
    s.config = config;
    s.machine = std::make_unique<Machine>(std::move(config));
    s.machine->debug_console().set_sink(&s.debugcon);
    if (Uart16550* com1 = find_uart(*s.machine, 0)) {
        s.serial_backend = std::make_unique<PaneSerialBackend>(s.serial_out);
        com1->set_backend(s.serial_backend.get());
    }
    s.exec = std::make_unique<ExecControl>(*s.machine);
    s.debugcon.clear();
    s.serial_out.clear();
    s.state = RunState::Paused;
    s.run_until = kNever;
    s.before_last_action = s.machine->interpreter().state();
    ++s.generation;
    s.needs_pace_reset = true;
}

std::string EmulatorHost::describe_stop(SliceEnd e, Machine& m) {
    switch (e) {
        case SliceEnd::DebugExit:
            return "the guest wrote " + std::to_string(m.debug_exit().value()) +
                   " to port F4 (debug exit): the program has ended; Reset runs it again";
        case SliceEnd::Halted:
            return (m.interpreter().state().eflags & flag::IF) ? "halted: HLT, and no device can raise an interrupt"
                                                                : "halted: HLT with interrupts off";
        default: return std::string(slice_end_name(e));
    }
}

std::uint64_t EmulatorHost::post(Command command) {
    std::uint64_t ticket;
    {
        std::lock_guard q(queue_mutex_);
        ticket = next_ticket_++;
        queue_.emplace_back(ticket, std::move(command));
    }
    queue_cv_.notify_all();
    return ticket;
}

bool EmulatorHost::drain_commands() {
    for (;;) {
        std::pair<std::uint64_t, Command> item;
        {
            std::lock_guard q(queue_mutex_);
            if (quit_) return false;
            if (queue_.empty()) return true;
            item = std::move(queue_.front());
            queue_.pop_front();
        }
        {
            std::lock_guard lock(session_mutex_);
            item.second(session_);
        }
        completed_.store(item.first, std::memory_order_release);
    }
}

void EmulatorHost::thread_main() {
    for (;;) {
        if (!drain_commands()) return;
        bool running = false;
        {
            std::lock_guard lock(session_mutex_);
            running = session_.state == RunState::Running;
            if (!running) session_.mips = 0.0;
        }
        if (!running) {
            std::unique_lock q(queue_mutex_);
            queue_cv_.wait_for(q, std::chrono::milliseconds(100), [this] { return quit_ || !queue_.empty(); });
            continue;
        }
        run_one_slice();
        // Let a waiting GUI frame in before the next slice takes the lock again.
        while (gui_waiting_.load(std::memory_order_acquire) > 0) std::this_thread::yield();
    }
}

void EmulatorHost::run_one_slice() {
    std::unique_lock lock(session_mutex_);
    Session& s = session_;
    Machine& m = *s.machine;
    const CpuState& cpu = m.interpreter().state();
    const Cycles start = cpu.cycles;
    const Clock::time_point host_now = Clock::now();
    if (s.needs_pace_reset) {
        pace_time_ = host_now;
        pace_cycles_ = start;
        mips_time_ = host_now;
        mips_instructions_ = cpu.instructions;
        s.needs_pace_reset = false;
    }

    const std::uint64_t freq_hz = s.speed.mode == SpeedMode::RealTime   ? s.config.cpu_freq_hz
                                  : s.speed.mode == SpeedMode::FixedMhz ? s.speed.fixed_khz * 1000
                                                                        : 0;
    Cycles target;
    if (freq_hz != 0) {
        const double elapsed_s = std::chrono::duration<double>(host_now - pace_time_).count();
        Cycles allowed = pace_cycles_ + static_cast<Cycles>(elapsed_s * static_cast<double>(freq_hz));
        if (allowed <= start) {
            // Ahead of the host's clock: wait (a command wakes us early).
            const double ahead_s = static_cast<double>(start - allowed + 1) / static_cast<double>(freq_hz);
            lock.unlock();
            std::unique_lock q(queue_mutex_);
            queue_cv_.wait_for(q, std::chrono::duration<double>(std::min(ahead_s, 0.010)),
                               [this] { return quit_ || !queue_.empty(); });
            return;
        }
        if (allowed - start > freq_hz / 10) {
            // More than 100 ms behind (the host is too slow for this speed): go on from here
            // rather than racing to catch up.
            pace_time_ = host_now;
            pace_cycles_ = start;
            allowed = start + std::max<Cycles>(1, freq_hz / 100);
        }
        target = std::min<Cycles>(allowed, start + std::max<Cycles>(1, freq_hz / 50));  // <= 20 ms a slice
    } else {
        target = start + unlimited_slice_cycles_;
    }
    if (s.run_until != kNever) target = std::min(target, s.run_until);

    const Clock::time_point t0 = Clock::now();
    const SliceEnd e = target > start ? s.exec->run_slice(target) : SliceEnd::Target;
    const Clock::time_point t1 = Clock::now();

    if (freq_hz == 0) {
        // Aim for slices of about 2 ms of host time, so pauses and GUI frames stay prompt; move
        // only part of the way each time, since one slow slice (the host busy elsewhere) says
        // little about the next.
        const double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
        const Cycles ran = cpu.cycles - start;
        if (ms > 0.05 && ran > 0) {
            const double want = static_cast<double>(ran) * 2.0 / ms;
            const double next = 0.75 * static_cast<double>(unlimited_slice_cycles_) + 0.25 * want;
            unlimited_slice_cycles_ = static_cast<Cycles>(std::clamp(next, 10'000.0, 20'000'000.0));
        }
    }
    if (e != SliceEnd::Target) {
        s.state = RunState::Paused;
        // A breakpoint or a reached goal in the debugger's own words ("Breakpoint 1, linear ...").
        s.message = e == SliceEnd::Breakpoint && !s.exec->last_reason().empty() ? s.exec->last_reason()
                                                                               : describe_stop(e, m);
        s.run_until = kNever;
    } else if (s.run_until != kNever && cpu.cycles >= s.run_until) {
        s.state = RunState::Paused;
        s.message = "ran to cycle " + std::to_string(cpu.cycles);
        s.run_until = kNever;
    }
    const double since = std::chrono::duration<double>(t1 - mips_time_).count();
    if (since >= 0.5) {
        s.mips = static_cast<double>(cpu.instructions - mips_instructions_) / since / 1e6;
        mips_time_ = t1;
        mips_instructions_ = cpu.instructions;
    }
}

// ---- Controls ----

namespace {
bool powered(const Session& s) { return s.state != RunState::PoweredOff; }
void begin_action(Session& s) {
    s.before_last_action = s.machine->interpreter().state();
    s.message.clear();
}
}  // namespace

std::uint64_t EmulatorHost::run() {
    return post([](Session& s) {
        if (!powered(s) || s.state == RunState::Running) return;
        begin_action(s);
        s.exec->begin_run();
        s.run_until = kNever;
        s.state = RunState::Running;
        s.needs_pace_reset = true;
    });
}

std::uint64_t EmulatorHost::pause() {
    return post([](Session& s) {
        if (s.state != RunState::Running) return;
        s.state = RunState::Paused;
        s.exec->cancel_goals();
        s.run_until = kNever;
        s.message = "paused";
    });
}

namespace {
void stop_running(Session& s) {
    if (s.state == RunState::Running) {
        s.state = RunState::Paused;
        s.exec->cancel_goals();
        s.run_until = kNever;
    }
}
}  // namespace

std::uint64_t EmulatorHost::step_instruction() {
    return post([](Session& s) {
        if (!powered(s)) return;
        stop_running(s);
        begin_action(s);
        const SliceEnd e = s.exec->step_instruction();
        s.message = e == SliceEnd::Target ? "stepped one instruction" : describe_stop(e, *s.machine);
    });
}

std::uint64_t EmulatorHost::step_over() {
    return post([](Session& s) {
        if (!powered(s)) return;
        stop_running(s);
        begin_action(s);
        s.exec->begin_step_over();
        s.state = RunState::Running;
        s.needs_pace_reset = true;
    });
}

std::uint64_t EmulatorHost::step_out() {
    return post([](Session& s) {
        if (!powered(s)) return;
        stop_running(s);
        begin_action(s);
        s.exec->begin_step_out();
        s.state = RunState::Running;
        s.needs_pace_reset = true;
    });
}

std::uint64_t EmulatorHost::run_to(std::uint32_t linear) {
    return post([linear](Session& s) {
        if (!powered(s)) return;
        stop_running(s);
        begin_action(s);
        s.exec->begin_run_to(linear);
        s.state = RunState::Running;
        s.needs_pace_reset = true;
    });
}

std::uint64_t EmulatorHost::run_cycles(Cycles n) {
    return post([n](Session& s) {
        if (!powered(s)) return;
        stop_running(s);
        begin_action(s);
        s.exec->begin_run();
        s.run_until = s.machine->interpreter().state().cycles + n;
        s.state = RunState::Running;
        s.needs_pace_reset = true;
    });
}

std::uint64_t EmulatorHost::reset() {
    return post([](Session& s) {
        if (!powered(s)) return;
        s.machine->reset();
        s.exec->cancel_goals();
        s.exec->clear_log();
        s.debugcon.clear();
        s.serial_out.clear();
        s.run_until = kNever;
        s.before_last_action = s.machine->interpreter().state();
        s.message = "reset";
        ++s.generation;
        s.needs_pace_reset = true;
        if (s.state == RunState::Running) s.exec->begin_run();
    });
}

std::uint64_t EmulatorHost::power_off() {
    return post([](Session& s) {
        s.exec->cancel_goals();
        s.run_until = kNever;
        s.state = RunState::PoweredOff;
        s.message = "powered off";
    });
}

std::uint64_t EmulatorHost::power_on() {
    return post([](Session& s) {
        if (powered(s)) return;
        s.machine->reset();
        s.exec->clear_log();
        s.debugcon.clear();
        s.serial_out.clear();
        s.before_last_action = s.machine->interpreter().state();
        ++s.generation;
        s.message = "powered on";
        s.exec->begin_run();
        s.state = RunState::Running;
        s.needs_pace_reset = true;
    });
}

std::uint64_t EmulatorHost::set_speed(SpeedSetting speed) {
    return post([speed](Session& s) {
        s.speed = speed;
        s.needs_pace_reset = true;
    });
}

std::uint64_t EmulatorHost::toggle_breakpoint(std::uint32_t linear) {
    return post([linear](Session& s) { s.exec->toggle_breakpoint(linear); });
}

std::uint64_t EmulatorHost::reconfigure(MachineConfig config) {
    return post([config = std::move(config)](Session& s) mutable {
        if (const std::string why = validate(config); !why.empty()) {
            s.message = "settings not applied: " + why;
            return;
        }
        const SpeedSetting speed = s.speed;
        build_machine(s, std::move(config));
        s.speed = speed;
        s.message = "new machine: " + std::string(cpu_model_name(s.config.cpu_model));
    });
}

std::uint64_t EmulatorHost::serial_input(std::string bytes) {
    // Typed bytes enter through the input queue like every outside input (so a trace records
    // them), or straight into the UART's receive side when the board has no queue.
    return post([bytes = std::move(bytes)](Session& s) {
        InputQueue* q = find_input_queue(*s.machine);
        Uart16550* com1 = find_uart(*s.machine, 0);
        const Cycles now = s.machine->scheduler().now();
        for (const char c : bytes) {
            const auto b = static_cast<std::uint8_t>(c);
            if (q) q->post_now(SerialByteInput{0, b});
            else if (com1) com1->receive(b, now);
        }
    });
}

}  // namespace lantern::gui
