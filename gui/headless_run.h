// The headless run loop of `lantern run`: runs the Machine in slices of virtual time, carries
// out an --input script, ends on --until-screen/--until-serial, and feeds what is typed on the
// terminal into COM1 when --serial stdio (the one live input a headless run has).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "devices/machine.h"
#include "devices/serial/serial_backend.h"
#include "gui/input_script.h"

namespace lantern {

// Passes COM1's output on to the user's back-end and keeps it, so the script and --until-serial
// can look for text in it.
class TeeSerialBackend final : public SerialBackend {
public:
    explicit TeeSerialBackend(std::unique_ptr<SerialBackend> out) : out_(std::move(out)) {}
    void transmit(std::uint8_t byte, Cycles when) override {
        if (out_) out_->transmit(byte, when);
        seen_.push_back(static_cast<char>(byte));
    }
    ModemLines modem_lines() const override { return out_ ? out_->modem_lines() : kTerminalReady; }
    void flush() override {
        if (out_) out_->flush();
    }
    std::string describe() const override { return out_ ? out_->describe() : "none"; }
    // Everything COM1 sent since `from` (a position in the whole output).
    const std::string& seen() const { return seen_; }

private:
    std::unique_ptr<SerialBackend> out_;
    std::string seen_{};
};

struct HeadlessRunSpec {
    RunLimits limits{};                  // --max-instructions, --timeout (host)
    InputScript script{};
    std::string until_screen{};
    std::string until_serial{};
    bool stdin_to_serial = false;        // --serial stdio: the terminal types into COM1
    TeeSerialBackend* com1 = nullptr;    // COM1's output, when the board has one
};

struct HeadlessRunEnd {
    enum class Kind : std::uint8_t { Machine, UntilMet, ScriptExit, Error };
    Kind kind = Kind::Machine;
    RunResult result{};  // for Machine: how the machine stopped
    int exit_status = 0; // for ScriptExit
    std::string message{};  // for Error (a dump could not be written)
};

HeadlessRunEnd run_headless(Machine& machine, const HeadlessRunSpec& spec);

// --text-dump / --screenshot: write the screen of `machine` (empty string when it worked).
std::string write_text_dump(Machine& machine, const std::string& path);
std::string write_screenshot(Machine& machine, const std::string& path);

}  // namespace lantern
