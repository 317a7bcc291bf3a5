// Elcr: the Edge/Level Control Registers of the PCI-to-ISA bridges (Intel PIIX/PIIX3/PIIX4
// datasheets, "ELCR1 / ELCR2 - Edge/Level Control Registers", I/O ports 04D0h and 04D1h).
//
// Bit n of the 16 makes IRQ n level-triggered (1) or edge-triggered (0), overriding ICW1 LTIM
// per input; a PCI interrupt shared by several devices needs a level. IRQ0, 1, 2 (timer,
// keyboard, cascade), 8 (RTC) and 13 (FPU error) are wired edge-only on the board: those bits
// are reserved, read 0 and ignore writes.
//
// ISA-only boards (PC, XT, AT) have no ELCR: the board maps it only where a PIIX would be.
#pragma once

#include <cstdint>

#include "devices/io_device.h"
#include "devices/pic/dual_pic.h"

namespace lantern {

inline constexpr std::uint16_t kElcrPort = 0x4D0;  // 0x4D0-0x4D1

class Elcr final : public IoDevice {
public:
    static constexpr std::uint8_t kWritable1 = 0xF8;  // IRQ3-7
    static constexpr std::uint8_t kWritable2 = 0xDE;  // IRQ9-12, 14, 15

    explicit Elcr(DualPic& pic) : pic_(pic) {}

    // Power-on: every IRQ edge-triggered.
    void reset();
    std::uint16_t value() const { return static_cast<std::uint16_t>(elcr1_ | (elcr2_ << 8)); }

    std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return "elcr"; }
    void inspect(StateVisitor& v) override;

private:
    DualPic& pic_;
    std::uint8_t elcr1_ = 0;
    std::uint8_t elcr2_ = 0;
};

}  // namespace lantern
