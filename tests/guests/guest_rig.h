// GuestRig: a whole PC (the Machine with its board) for tests that boot real guests — our BIOS or
// SeaBIOS, FreeDOS, bootloaders, Linux — and watch what they print on the screen, the serial
// ports, the firmware log (port 0x402) and the debug console (port 0xE9).
//
// Runs go in fixed slices of instructions, so a test sees the same thing at the same point every
// time (the machine is deterministic; so are the places a test looks at it). Input goes through
// the board's InputQueue stamped in virtual time, like every outside input.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bios/embedded_bios.h"
#include "cpu/interpreter.h"
#include "devices/byte_sink.h"
#include "devices/input/ascii_keys.h"
#include "devices/machine.h"
#include "devices/serial/serial_backend.h"
#include "devices/vga/vga_render.h"

namespace lantern::test {

// A serial back-end that keeps what the guest sent.
class CaptureSerial final : public SerialBackend {
public:
    void transmit(std::uint8_t byte, Cycles) override { text_.push_back(static_cast<char>(byte)); }
    std::string describe() const override { return "capture"; }
    const std::string& text() const { return text_; }

private:
    std::string text_{};
};

struct GuestOptions {
    CpuModel cpu = CpuModel::P6;
    std::uint32_t memory_mib = 0;     // 0: the model's default
    std::vector<std::uint8_t> bios{}; // empty: the Lantern BIOS
    PcBoardConfig board{};            // its serial[] is filled in by the rig
};

class GuestRig {
public:
    static constexpr std::uint64_t kSliceInstructions = 1'000'000;

    explicit GuestRig(GuestOptions options) : machine_(make_config(std::move(options), serial_)) {
        machine_.debug_console().set_sink(&debugcon_);
        machine_.board()->set_firmware_log(&firmware_log_);
    }

    Machine& machine() { return machine_; }
    PcBoard& board() { return *machine_.board(); }
    std::string screen() { return text_dump(board().vga()); }
    const std::string& serial(unsigned port = 0) const { return serial_.at(port).text(); }
    const std::string& firmware_log() const { return firmware_log_.text(); }
    const std::string& debugcon() const { return debugcon_.text(); }
    const RunResult& last_result() const { return last_; }
    std::uint64_t instructions() { return machine_.interpreter().state().instructions; }
    Cycles cycles() { return machine_.interpreter().state().cycles; }
    double virtual_seconds() {
        return static_cast<double>(cycles()) / static_cast<double>(machine_.config().cpu_freq_hz);
    }
    // Host seconds spent inside run_until so far (for reports, never for assertions).
    double host_seconds() const { return host_seconds_; }

    // Runs in slices until `done()` holds (checked after every slice), the machine stops on its
    // own (debug exit, halt, shutdown, power off), or `max_instructions` more have run.
    bool run_until(const std::function<bool()>& done, std::uint64_t max_instructions) {
        const auto start = std::chrono::steady_clock::now();
        bool reached = done();
        for (std::uint64_t run = 0; !reached && run < max_instructions; run += kSliceInstructions) {
            RunLimits limits;
            limits.max_instructions = kSliceInstructions;
            last_ = machine_.run(limits);
            reached = done();
            if (last_.reason != MachineStop::InstructionLimit) break;
        }
        host_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return reached;
    }
    bool run_until_screen(std::string_view text, std::uint64_t max_instructions) {
        return run_until([&] { return screen().find(text) != std::string::npos; }, max_instructions);
    }
    bool run_until_serial(std::string_view text, std::uint64_t max_instructions, unsigned port = 0) {
        return run_until([&] { return serial(port).find(text) != std::string::npos; }, max_instructions);
    }
    bool run_until_firmware_log(std::string_view text, std::uint64_t max_instructions) {
        return run_until([&] { return firmware_log().find(text) != std::string::npos; }, max_instructions);
    }

    // Types ASCII text on the PS/2 keyboard, a key every 40 ms of virtual time from 1 ms from now.
    void type_text(std::string_view ascii) {
        const Cycles ms = machine_.config().cpu_freq_hz / 1000;
        const Cycles from = std::max(cycles() + ms, typing_until_);
        typing_until_ = post_text(board().input(), ascii, from, 40 * ms).end;
    }
    // Sends bytes into COMn's receiver, one every millisecond of virtual time (a 9600-baud line's
    // pace, slow enough for any divisor the guest programs).
    void send_serial(std::string_view bytes, unsigned port = 0) {
        const Cycles ms = machine_.config().cpu_freq_hz / 1000;
        Cycles when = std::max(cycles() + ms, serial_until_);
        for (char c : bytes) {
            board().input().post(InputEvent{when, SerialByteInput{static_cast<std::uint8_t>(port),
                                                                   static_cast<std::uint8_t>(c)}});
            when += ms;
        }
        serial_until_ = when;
    }

private:
    static MachineConfig make_config(GuestOptions o, std::array<CaptureSerial, 4>& serial) {
        MachineConfig c;
        c.cpu_model = o.cpu;
        c.memory_mib = o.memory_mib ? o.memory_mib : default_memory_mib(o.cpu);
        c.cpu_freq_hz = default_cpu_freq_hz(o.cpu);
        if (o.bios.empty()) {
            const auto rom = assets::bios_rom();
            c.bios_image.assign(rom.begin(), rom.end());
        } else {
            c.bios_image = std::move(o.bios);
        }
        c.pc_board = true;
        c.board = std::move(o.board);
        for (unsigned i = 0; i < serial.size(); ++i) c.board.serial[i] = &serial[i];
        return c;
    }

    std::array<CaptureSerial, 4> serial_{};  // before machine_: the board holds pointers to them
    StringSink firmware_log_{};
    StringSink debugcon_{};
    Machine machine_;
    RunResult last_{};
    Cycles typing_until_ = 0;
    Cycles serial_until_ = 0;
    double host_seconds_ = 0;
};

// The folder with the Debian i386 guests (.ci/fetch-guests): $LANTERN_GUEST_DIR, else
// ~/.cache/lantern/guests. Empty when vmlinuz-686 is not there.
inline std::string guest_dir() {
    std::filesystem::path dir;
    if (const char* env = std::getenv("LANTERN_GUEST_DIR"); env && *env)
        dir = env;
    else if (const char* home = std::getenv("HOME"); home && *home)
        dir = std::filesystem::path(home) / ".cache/lantern/guests";
    if (dir.empty() || !std::filesystem::exists(dir / "vmlinuz-686")) return {};
    return dir.string();
}

}  // namespace lantern::test
