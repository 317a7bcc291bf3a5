#include "devices/timer/system_control_port.h"

namespace lantern {

void SystemControlPortB::reset() {
    control_ = 0;
    pit_.set_gate(2, false);
}

std::uint8_t SystemControlPortB::status_bits(bool out2) const {
    const bool refresh = ((pit_.now_ticks() / kRefreshPeriodPitTicks) & 1) != 0;
    return static_cast<std::uint8_t>((control_ & 0x0F) | (refresh ? 0x10 : 0) | (out2 ? 0x20 : 0));
}

std::uint32_t SystemControlPortB::read(std::uint32_t offset, unsigned size) {
    if (offset != 0 || size != 1) return peek(offset, size);  // one byte-wide port
    return status_bits(pit_.out(2));
}

std::uint32_t SystemControlPortB::peek(std::uint32_t offset, unsigned size) const {
    if (offset != 0) return open_bus_value(size);
    return status_bits(pit_.peek_out(2)) | (open_bus_value(size) & ~0xFFu);
}

void SystemControlPortB::write(std::uint32_t offset, std::uint32_t value, unsigned) {
    if (offset != 0) return;
    control_ = static_cast<std::uint8_t>(value & 0x0F);  // bits 4-7 are read-only status
    pit_.set_gate(2, timer2_gate());
}

void SystemControlPortB::inspect(StateVisitor& v) {
    StateGroup g(v, "port61");
    v.visit("control", control_, "bits 0-3 as written: timer 2 gate, speaker data, parity/channel check disable");
    if (v.loading()) {
        pit_.set_gate(2, timer2_gate());
        return;
    }
    bool gate = timer2_gate();
    bool data = speaker_data();
    bool refresh = ((pit_.now_ticks() / kRefreshPeriodPitTicks) & 1) != 0;
    v.visit("timer2_gate", gate, "bit 0: GATE2 of the 8254");
    v.visit("speaker_data", data, "bit 1: the speaker sounds OUT2 AND this bit");
    v.visit("refresh_toggle", refresh, "bit 4: toggles every 18 PIT ticks (15.08 us)");
}

}  // namespace lantern
