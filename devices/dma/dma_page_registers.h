// DmaPageRegisters: the IBM PC/AT's DMA page register file at ports 0x80-0x8F.
//
// The 8237 counts only 16 address bits; the AT adds the upper address lines from a 74LS612 memory
// mapper: sixteen 8-bit registers, all readable and writable, of which eight give a DMA channel its
// A16-A23 (IBM PC/AT Technical Reference, "DMA Page Registers", I/O address map):
//   0x87 channel 0   0x83 channel 1   0x81 channel 2   0x82 channel 3
//   0x8F channel 4 (cascade; the refresh page)   0x8B channel 5   0x89 channel 6   0x8A channel 7
// The other eight (0x80, 0x84-0x86, 0x88, 0x8C-0x8E) are plain scratch registers. 0x80 is one of
// them, which is why BIOSes use it for POST codes: a write is harmless and a POST card on the bus
// snoops it. To keep Lantern's PostCode device working the page file forwards every write to port
// 0x80 to an observer (the board connects PostCode::write), while reads return the register as the
// 74LS612 would.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <utility>

#include "devices/io_device.h"

namespace lantern {

class DmaPageRegisters final : public IoDevice {
public:
    static constexpr std::uint16_t kFirstPort = 0x80;
    static constexpr unsigned kCount = 16;

    // The page register (0-15) that holds board DMA channel `channel`'s (0-7) high address bits.
    static unsigned register_for_channel(unsigned channel);

    std::uint8_t page_for_channel(unsigned channel) const { return regs_[register_for_channel(channel)]; }
    std::uint8_t reg(unsigned index) const { return regs_[index & 0xF]; }

    // Called with every byte written to register 0 (port 0x80).
    void set_port80_observer(std::function<void(std::uint8_t)> observer) { port80_observer_ = std::move(observer); }

    // Power-on: the 74LS612 has no reset input, but Lantern starts from a known state (zeros).
    void reset() { regs_.fill(0); }

    std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return "dma_pages"; }
    void inspect(StateVisitor& v) override;

private:
    std::array<std::uint8_t, kCount> regs_{};
    std::function<void(std::uint8_t)> port80_observer_{};
};

}  // namespace lantern
