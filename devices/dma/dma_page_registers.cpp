#include "devices/dma/dma_page_registers.h"

#include <cstdio>

namespace lantern {

unsigned DmaPageRegisters::register_for_channel(unsigned channel) {
    // IBM PC/AT Technical Reference, I/O address map: page registers 0x80-0x8F.
    static constexpr std::array<std::uint8_t, 8> kMap{0x7, 0x3, 0x1, 0x2, 0xF, 0xB, 0x9, 0xA};
    return kMap[channel & 7];
}

void DmaPageRegisters::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const std::uint32_t index = offset + b;
        if (index >= kCount) break;
        const auto byte = static_cast<std::uint8_t>(value >> (8 * b));
        regs_[index] = byte;
        if (index == 0 && port80_observer_) port80_observer_(byte);
    }
}

std::uint32_t DmaPageRegisters::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const std::uint32_t index = offset + b;
        const std::uint8_t byte = index < kCount ? regs_[index] : 0xFF;
        value |= static_cast<std::uint32_t>(byte) << (8 * b);
    }
    return value;
}

void DmaPageRegisters::inspect(StateVisitor& v) {
    StateGroup g(v, "dma_pages");
    for (unsigned i = 0; i < kCount; ++i) {
        char name[8];
        std::snprintf(name, sizeof name, "port%02X", static_cast<unsigned>(kFirstPort + i));
        v.visit(name, regs_[i], "74LS612 page register");
    }
}

}  // namespace lantern
