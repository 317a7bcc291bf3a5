#include "gui/headless_run.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "cpu/interpreter.h"
#include "devices/input/ascii_keys.h"
#include "devices/vga/png_writer.h"
#include "devices/vga/vga_render.h"

namespace lantern {

namespace {

// Conditions are looked at every 10 ms of virtual time: often enough that a script reacts
// within a frame, rarely enough to cost nothing. The slicing is invisible to the guest (the
// CPU is cycle-exact), so scripted runs repeat exactly.
constexpr std::uint64_t kCheckIntervalMs = 10;

Cycles ns_to_cycles(std::uint64_t ns, std::uint64_t hz) {
    return static_cast<Cycles>((static_cast<unsigned __int128>(ns) * hz) / 1'000'000'000u);
}

// Bytes typed at the terminal since the last look (non-blocking); false at end of input.
bool read_stdin(std::string& out) {
    for (;;) {
        pollfd p{STDIN_FILENO, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0 || !(p.revents & (POLLIN | POLLHUP))) return true;
        char buf[256];
        const ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        out.append(buf, static_cast<std::size_t>(n));
        if (n < static_cast<ssize_t>(sizeof buf)) return true;
    }
}

}  // namespace

std::string write_text_dump(Machine& machine, const std::string& path) {
    if (!machine.board()) return "--text-dump needs the PC board's display (this machine has none)";
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text_dump(machine.board()->vga());
        if (!out) return "cannot write " + path + ": " + std::strerror(errno);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) return "cannot write " + path + ": " + std::strerror(errno);
    return {};
}

std::string write_screenshot(Machine& machine, const std::string& path) {
    if (!machine.board()) return "--screenshot needs the PC board's display (this machine has none)";
    const std::string tmp = path + ".tmp.png";
    if (!write_png(render(machine.board()->vga()), tmp)) return "cannot write " + path;
    if (std::rename(tmp.c_str(), path.c_str()) != 0) return "cannot write " + path + ": " + std::strerror(errno);
    return {};
}

HeadlessRunEnd run_headless(Machine& machine, const HeadlessRunSpec& spec) {
    using Clock = std::chrono::steady_clock;
    const std::uint64_t hz = machine.config().cpu_freq_hz;
    const Cycles check = std::max<Cycles>(1, hz * kCheckIntervalMs / 1000);
    const Cycles ms = std::max<Cycles>(1, hz / 1000);
    const CpuState& cpu = machine.interpreter().state();
    const std::uint64_t start_instructions = cpu.instructions;
    const Clock::time_point start = Clock::now();
    PcBoard* board = machine.board();

    std::size_t step = 0;
    Cycles wait_until = 0;          // for a Wait step in progress
    bool waiting = false;
    std::size_t serial_from = 0;    // wait-serial looks past the previous match
    Cycles typing_until = 0, serial_until = 0;
    bool stdin_open = spec.stdin_to_serial && board != nullptr;
    HeadlessRunEnd end;

    auto screen_has = [&](const std::string& t) {
        return board && text_dump(board->vga()).find(t) != std::string::npos;
    };
    auto serial_find = [&](const std::string& t, std::size_t from) {
        return spec.com1 ? spec.com1->seen().find(t, from) : std::string::npos;
    };

    for (;;) {
        // Carry out the script's steps until one has to wait.
        while (step < spec.script.steps.size()) {
            const ScriptStep& s = spec.script.steps[step];
            const Cycles now = cpu.cycles;
            bool done = true;
            switch (s.kind) {
                case ScriptStep::Kind::Wait:
                    if (!waiting) {
                        waiting = true;
                        wait_until = now + ns_to_cycles(s.wait_ns, hz);
                    }
                    done = now >= wait_until;
                    if (done) waiting = false;
                    break;
                case ScriptStep::Kind::WaitScreen: done = screen_has(s.text); break;
                case ScriptStep::Kind::WaitSerial: {
                    const std::size_t at = serial_find(s.text, serial_from);
                    done = at != std::string::npos;
                    if (done) serial_from = at + s.text.size();
                    break;
                }
                case ScriptStep::Kind::Type:
                    if (board) typing_until = post_text(board->input(), s.text, std::max(now + ms, typing_until), 40 * ms).end;
                    break;
                case ScriptStep::Kind::Keys:
                    if (board) {
                        Cycles t = std::max(now + ms, typing_until);
                        for (const auto& chord : s.keys) {
                            for (Key k : chord) board->input().post(InputEvent{t, KeyInput{k, true}}), t += ms;
                            t += 20 * ms;
                            for (auto k = chord.rbegin(); k != chord.rend(); ++k)
                                board->input().post(InputEvent{t, KeyInput{*k, false}}), t += ms;
                            t += 20 * ms;
                        }
                        typing_until = t;
                    }
                    break;
                case ScriptStep::Kind::Serial:
                    if (board) {
                        Cycles t = std::max(now + ms, serial_until);
                        for (char c : s.text)
                            board->input().post(InputEvent{t, SerialByteInput{0, static_cast<std::uint8_t>(c)}}), t += ms;
                        serial_until = t;
                    }
                    break;
                case ScriptStep::Kind::TextDump:
                case ScriptStep::Kind::Screenshot: {
                    const std::string why = s.kind == ScriptStep::Kind::TextDump ? write_text_dump(machine, s.text)
                                                                                : write_screenshot(machine, s.text);
                    if (!why.empty()) {
                        end.kind = HeadlessRunEnd::Kind::Error;
                        end.message = "--input line " + std::to_string(s.line) + ": " + why;
                        return end;
                    }
                    break;
                }
                case ScriptStep::Kind::Exit:
                    end.kind = HeadlessRunEnd::Kind::ScriptExit;
                    end.exit_status = s.exit_status;
                    return end;
            }
            if (!done) break;
            ++step;
        }

        if (!spec.until_screen.empty() && screen_has(spec.until_screen)) {
            end.kind = HeadlessRunEnd::Kind::UntilMet;
            return end;
        }
        if (!spec.until_serial.empty() && serial_find(spec.until_serial, 0) != std::string::npos) {
            end.kind = HeadlessRunEnd::Kind::UntilMet;
            return end;
        }

        RunLimits limits;
        limits.stop_at_cycle = cpu.cycles + check;
        if (waiting) limits.stop_at_cycle = std::min(limits.stop_at_cycle, std::max(wait_until, cpu.cycles + 1));
        if (spec.limits.max_instructions != 0) {
            const std::uint64_t done = cpu.instructions - start_instructions;
            if (done >= spec.limits.max_instructions) {
                end.result.reason = MachineStop::InstructionLimit;
                end.result.instructions = done;
                return end;
            }
            limits.max_instructions = spec.limits.max_instructions - done;
        }
        if (spec.limits.host_timeout.count() > 0) {
            const auto left = spec.limits.host_timeout - (Clock::now() - start);
            if (left <= std::chrono::nanoseconds(0)) {
                end.result.reason = MachineStop::HostTimeout;
                return end;
            }
            limits.host_timeout = std::chrono::duration_cast<std::chrono::nanoseconds>(left);
        }
        end.result = machine.run(limits);
        if (end.result.reason != MachineStop::CycleLimit) {
            end.result.instructions = cpu.instructions - start_instructions;
            return end;
        }
        if (stdin_open) {
            std::string typed;
            stdin_open = read_stdin(typed);
            // One byte a millisecond, as `serial` steps do: the UART's receiver never overflows.
            Cycles t = std::max(cpu.cycles + 1, serial_until);
            for (char c : typed)
                board->input().post(InputEvent{t, SerialByteInput{0, static_cast<std::uint8_t>(c)}}), t += ms;
            serial_until = t;
        }
    }
}

}  // namespace lantern
