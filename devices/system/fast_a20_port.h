// FastA20Port: PS/2 System Control Port A at 0x92 ("fast A20" and "fast reset"), as chipsets
// from the PS/2 on provide it (IBM PS/2 Hardware Interface Technical Reference, "System Control
// Port A"): bit 1 gates address line 20, a 0 -> 1 transition of bit 0 resets the CPU. The other
// bits are kept and read back. The board ORs the two A20 sources: A20 is on when either this
// port or the 8042's output port enables it.
#pragma once

#include <cstdint>
#include <functional>

#include "devices/io_device.h"
#include "devices/port_map.h"

namespace lantern {

class FastA20Port final : public IoDevice {
public:
    static constexpr std::uint16_t kPort = 0x92;
    static constexpr std::uint8_t kFastReset = 0x01, kA20 = 0x02;

    FastA20Port(std::function<void(bool)> set_a20, std::function<void()> reset_cpu)
        : set_a20_(std::move(set_a20)), reset_cpu_(std::move(reset_cpu)) {}

    void map(PortMap& ports) { ports.map(kPort, 1, *this, "port92"); }
    // System reset: the port returns to 0 (A20 off through this path).
    void reset();

    std::uint8_t value() const { return value_; }
    bool a20_enabled() const { return (value_ & kA20) != 0; }

    std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned) const override { return offset == 0 ? value_ : 0xFF; }

    std::string_view inspect_name() const override { return "port92"; }
    void inspect(StateVisitor& v) override;

private:
    std::function<void(bool)> set_a20_;
    std::function<void()> reset_cpu_;
    std::uint8_t value_ = 0;
};

}  // namespace lantern
