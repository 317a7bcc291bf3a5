// The debug devices every Lantern machine has, for test programs and for people learning:
//
//   0xE9  DebugConsole - the Bochs/QEMU "port E9 hack": each byte written is printed on the host
//         (Bochs User Manual, "Port E9 Hack"; QEMU's -debugcon). Reading returns 0xE9 so a guest
//         can detect it.
//   0xF4  DebugExit - QEMU's isa-debug-exit convention: writing v asks the emulator to stop with
//         exit status (v << 1) | 1. A test ROM reports "all passed" with v = 0 (status 1).
//   0x80  PostCode - the manufacturing/POST diagnostic port BIOSes write progress codes to (a
//         "POST card" on real hardware shows them); the last code is kept for the debugger.
//
// None of them has timing or interrupts; they are host-facing helpers, documented as such.
#pragma once

#include <cstdint>

#include "devices/byte_sink.h"
#include "devices/io_device.h"

namespace lantern {

inline constexpr std::uint16_t kDebugConsolePort = 0xE9;
inline constexpr std::uint16_t kDebugExitPort = 0xF4;
inline constexpr std::uint16_t kPostCodePort = 0x80;

class DebugConsole final : public IoDevice {
public:
    // `sink` may be nullptr (output discarded); the console does not own it.
    void set_sink(ByteSink* sink) { sink_ = sink; }
    ByteSink* sink() const { return sink_; }
    std::uint64_t bytes_written() const { return bytes_written_; }

    std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return "debugcon"; }
    void inspect(StateVisitor& v) override;

private:
    ByteSink* sink_ = nullptr;
    std::uint64_t bytes_written_ = 0;
};

class DebugExit final : public IoDevice {
public:
    bool requested() const { return requested_; }
    std::uint32_t value() const { return value_; }
    // The process exit status QEMU's isa-debug-exit gives for the written value.
    int exit_status() const { return static_cast<int>((value_ << 1) | 1u); }
    void clear() { requested_ = false; value_ = 0; }

    std::uint32_t read(std::uint32_t, unsigned) override { return 0; }
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t, unsigned) const override { return 0; }

    std::string_view inspect_name() const override { return "debug_exit"; }
    void inspect(StateVisitor& v) override;

private:
    bool requested_ = false;
    std::uint32_t value_ = 0;
};

class PostCode final : public IoDevice {
public:
    std::uint8_t last_code() const { return last_code_; }
    std::uint64_t writes() const { return writes_; }

    std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    // Reads back the last code (as a POST card's latch would be seen through a mirror port).
    std::uint32_t peek(std::uint32_t, unsigned) const override { return last_code_; }

    std::string_view inspect_name() const override { return "post_code"; }
    void inspect(StateVisitor& v) override;

private:
    std::uint8_t last_code_ = 0;
    std::uint64_t writes_ = 0;
};

}  // namespace lantern
