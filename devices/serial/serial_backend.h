// What sits at the far end of an emulated serial port's cable.
//
// A SerialBackend receives each character the UART finishes shifting out (with the CPU cycle its
// last stop bit ended) and tells the UART the levels of the modem-status lines it drives (CTS, DSR,
// RI, DCD). Back-ends are host-facing: `none` discards, `file:PATH` records the guest's output in a
// file, `stdio` writes it to the terminal.
//
// Nothing here ever feeds the emulated machine on its own. Host input (a key typed at the terminal
// that `stdio` is attached to) enters only through HostSerialInput, which the front-end polls
// between CPU slices and which stamps each byte with the cycle it is injected at, so a run is
// reproducible from the recorded (byte, cycle) pairs; the emulated path never reads stdin.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/cpu_state.h"
#include "devices/input/input_queue.h"

namespace lantern {

// RS-232 modem-status inputs as the UART sees them (true = asserted / ON).
struct ModemLines {
    bool cts = false;  // Clear To Send
    bool dsr = false;  // Data Set Ready
    bool ri = false;   // Ring Indicator
    bool dcd = false;  // Data Carrier Detect
    bool operator==(const ModemLines&) const = default;
};

// A ready terminal or null-modem partner: DSR, CTS and DCD on, no ring. What the IBM BIOS's
// INT 14h waits for before it sends (PC/AT Technical Reference, BIOS listing, RS232_IO).
inline constexpr ModemLines kTerminalReady{true, true, false, true};

class SerialBackend {
public:
    virtual ~SerialBackend() = default;
    // The UART finished sending `byte` (its last stop bit ended at CPU cycle `when`).
    virtual void transmit(std::uint8_t byte, Cycles when) = 0;
    // Levels of the lines the far end drives; read when the back-end is attached and at reset.
    virtual ModemLines modem_lines() const { return kTerminalReady; }
    virtual void flush() {}
    // The spec it was made from: "none", "stdio", "file:PATH".
    virtual std::string describe() const = 0;
};

// Nothing plugged in: output is discarded, no input ever arrives, and every modem-status line is
// off (an empty connector: the RS-232 receivers read an open input as OFF).
class NullSerialBackend final : public SerialBackend {
public:
    void transmit(std::uint8_t, Cycles) override {}
    ModemLines modem_lines() const override { return {}; }
    std::string describe() const override { return "none"; }
};

// Writes every transmitted byte to the host's stdout, unchanged, and flushes at once so a prompt
// without a newline shows up (a serial line is at most ~11,520 bytes/s: flushing costs nothing).
class StdioSerialBackend final : public SerialBackend {
public:
    void transmit(std::uint8_t byte, Cycles) override {
        std::fputc(byte, stdout);
        std::fflush(stdout);
    }
    void flush() override { std::fflush(stdout); }
    std::string describe() const override { return "stdio"; }
};

// Appends each transmitted byte to a file opened (and truncated) once, when the back-end is made,
// as QEMU's `-serial file:` and Lantern's `--debugcon file:` do. Bytes are buffered; flush() and
// the destructor write them out.
class FileSerialBackend final : public SerialBackend {
public:
    // nullptr and a one-line `error` ("cannot write PATH: reason") if the file cannot be opened.
    static std::unique_ptr<FileSerialBackend> open(const std::string& path, std::string& error);
    ~FileSerialBackend() override;
    FileSerialBackend(const FileSerialBackend&) = delete;
    FileSerialBackend& operator=(const FileSerialBackend&) = delete;

    void transmit(std::uint8_t byte, Cycles) override;
    void flush() override;
    std::string describe() const override { return "file:" + path_; }
    const std::string& path() const { return path_; }

private:
    FileSerialBackend(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}
    std::FILE* file_ = nullptr;
    std::string path_{};
};

// Keeps what the guest sent, with the cycle each byte finished: tests, and the GUI's terminal pane.
class CaptureSerialBackend final : public SerialBackend {
public:
    struct Sent {
        std::uint8_t byte = 0;
        Cycles when = 0;
        bool operator==(const Sent&) const = default;
    };
    explicit CaptureSerialBackend(ModemLines lines = kTerminalReady) : lines_(lines) {}
    void transmit(std::uint8_t byte, Cycles when) override { sent_.push_back({byte, when}); }
    ModemLines modem_lines() const override { return lines_; }
    std::string describe() const override { return "capture"; }

    const std::vector<Sent>& sent() const { return sent_; }
    std::string text() const;
    void clear() { sent_.clear(); }

private:
    ModemLines lines_{};
    std::vector<Sent> sent_{};
};

// A parsed `--serial` value: "stdio", "none" or "file:PATH".
struct SerialSpec {
    enum class Kind : std::uint8_t { None, Stdio, File };
    Kind kind = Kind::None;
    std::string path{};  // for File
    bool operator==(const SerialSpec&) const = default;
};

// nullopt and a one-line `error` naming the bad text and the accepted forms.
std::optional<SerialSpec> parse_serial_spec(std::string_view text, std::string& error);
// Makes the back-end; nullptr and `error` if a file cannot be opened.
std::unique_ptr<SerialBackend> make_serial_backend(const SerialSpec& spec, std::string& error);

// Host input for a `stdio` serial port. The front-end calls poll() between CPU slices (never from
// a device, an event or an instruction): it takes the bytes the host has ready without blocking
// and hands each one on stamped with the cycle it is injected at, which is the only thing a
// recording needs to replay the run exactly.
class HostSerialInput {
public:
    using Deliver = std::function<void(std::uint8_t byte, Cycles when)>;

    // Borrows `fd` (0 for stdin); never closes it and never changes its flags (stdin is shared
    // with the shell).
    explicit HostSerialInput(int fd) : fd_(fd) {}

    // Reads at most `max_bytes` bytes that are available now and calls `deliver(byte, now)` for
    // each, in order. Returns how many it delivered. Bytes beyond `max_bytes` stay with the host
    // (in the pipe or terminal buffer) for a later poll, so a guest that reads slowly loses
    // nothing to the host side.
    std::size_t poll(Cycles now, std::size_t max_bytes, const Deliver& deliver);
    // The host closed the input (end of file or a read error): nothing more will come.
    bool at_end() const { return at_end_; }
    std::uint64_t bytes_delivered() const { return bytes_delivered_; }

    static constexpr std::size_t kMaxBytesPerPoll = 256;

    // The usual `deliver`: each byte becomes a SerialByteInput for COM`port + 1` on Lantern's
    // input queue, which hands it to the board's serial sink at its stamped cycle and shows it
    // to a trace recorder, so a replay can post the same events back.
    static Deliver to_input_queue(InputQueue& queue, std::uint8_t port) {
        return [&queue, port](std::uint8_t byte, Cycles when) {
            queue.post(InputEvent{when, SerialByteInput{port, byte}});
        };
    }

private:
    int fd_ = -1;
    bool at_end_ = false;
    std::uint64_t bytes_delivered_ = 0;
};

}  // namespace lantern
