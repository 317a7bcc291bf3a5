#include "devices/debug_ports.h"

namespace lantern {

void DebugConsole::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    if (offset != 0) return;
    // An OUT DX, AX to E9 prints the low byte only, as in Bochs and QEMU: the port is 8 bits.
    (void)size;
    ++bytes_written_;
    if (sink_) sink_->put(static_cast<std::uint8_t>(value));
}

std::uint32_t DebugConsole::peek(std::uint32_t offset, unsigned) const {
    // Bochs returns 0xE9 on a read so software can probe for the hack.
    return offset == 0 ? kDebugConsolePort : 0xFF;
}

void DebugConsole::inspect(StateVisitor& v) {
    StateGroup g(v, "debugcon");
    v.visit("bytes_written", bytes_written_, "bytes the guest has printed on port 0xE9");
}

void DebugExit::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    if (offset != 0) return;
    // QEMU's isa-debug-exit takes the whole access (iosize); we keep the bytes written, so
    // OUT 0xF4, AL gives 0..255 and OUT DX, AX a word.
    value_ = size >= 4 ? value : (value & ((1u << (8 * size)) - 1));
    requested_ = true;
}

void DebugExit::inspect(StateVisitor& v) {
    StateGroup g(v, "debug_exit");
    v.visit("requested", requested_, "the guest wrote port 0xF4: the run stops");
    v.visit("value", value_, "value written; exit status is (value << 1) | 1");
}

void PostCode::write(std::uint32_t offset, std::uint32_t value, unsigned) {
    if (offset != 0) return;
    last_code_ = static_cast<std::uint8_t>(value);
    ++writes_;
}

void PostCode::inspect(StateVisitor& v) {
    StateGroup g(v, "post_code");
    v.visit("last_code", last_code_, "last byte written to port 0x80");
    v.visit("writes", writes_, "number of POST codes written");
}

}  // namespace lantern
