#include "devices/pic/elcr.h"

namespace lantern {

void Elcr::reset() {
    elcr1_ = elcr2_ = 0;
    pic_.set_level_triggered(0);
}

std::uint32_t Elcr::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const std::uint32_t at = offset + b;
        const std::uint8_t byte = at == 0 ? elcr1_ : at == 1 ? elcr2_ : 0xFF;
        value |= static_cast<std::uint32_t>(byte) << (8 * b);
    }
    return value;
}

void Elcr::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const std::uint8_t byte = static_cast<std::uint8_t>(value >> (8 * b));
        if (offset + b == 0) elcr1_ = byte & kWritable1;
        else if (offset + b == 1) elcr2_ = byte & kWritable2;
    }
    pic_.set_level_triggered(this->value());
}

void Elcr::inspect(StateVisitor& v) {
    StateGroup g(v, "elcr");
    v.visit("elcr1", elcr1_, "IRQ0-7: 1 = level-triggered (bits 0-2 reserved)");
    v.visit("elcr2", elcr2_, "IRQ8-15: 1 = level-triggered (bits 0 and 5 reserved)");
    if (v.loading()) pic_.set_level_triggered(value());
}

}  // namespace lantern
