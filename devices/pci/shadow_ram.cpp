#include "devices/pci/shadow_ram.h"

#include <stdexcept>

namespace lantern {

ShadowRam::ShadowRam(MemoryMap& memory, std::span<std::uint8_t> dram, std::span<const std::uint8_t> isa_view)
    : memory_(memory), dram_(dram), isa_view_(isa_view) {
    if (dram.size() != kSize || isa_view.size() != kSize)
        throw std::invalid_argument("ShadowRam: DRAM and ISA view must each be 256 KiB");
    for (unsigned i = 0; i < segments_.size(); ++i) {
        const I440fxHostBridge::Segment s = I440fxHostBridge::pam_segment(i);
        segments_[i].base = s.base;
        segments_[i].size = s.size;
        set_pam(s.base, s.size, false, false);
    }
}

ShadowRam::~ShadowRam() {
    for (Segment& s : segments_) {
        if (s.state >= 0) memory_.unmap(s.base);
    }
}

ShadowRam::Segment* ShadowRam::find(std::uint32_t base, std::uint32_t size) {
    for (Segment& s : segments_) {
        if (s.base == base && s.size == size) return &s;
    }
    return nullptr;
}

void ShadowRam::set_pam(std::uint32_t base, std::uint32_t size, bool read_dram, bool write_dram) {
    Segment* s = find(base, size);
    if (!s) return;
    const int state = (read_dram ? 1 : 0) | (write_dram ? 2 : 0);
    if (state == s->state) return;
    if (s->state >= 0) memory_.unmap(s->base);
    const std::size_t off = base - kBase;
    const std::span<std::uint8_t> dram = dram_.subspan(off, size);
    const std::span<const std::uint8_t> rom = isa_view_.subspan(off, size);
    switch (state) {
        case 0: memory_.map_rom(base, rom, "pam_isa"); break;
        case 1: memory_.map_rom(base, dram, "pam_dram_read_only"); break;
        case 2:
            s->device.dram = dram;
            s->device.rom = rom;
            memory_.map_mmio(base, size, s->device, "pam_dram_write_only");
            break;
        default: memory_.map_ram(base, dram, "pam_dram"); break;
    }
    s->state = state;
}

std::uint32_t ShadowRam::WriteThrough::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i)
        v |= std::uint32_t(offset + i < rom.size() ? rom[offset + i] : 0xFF) << (8 * i);
    return v;
}

void ShadowRam::WriteThrough::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    for (unsigned i = 0; i < size && i < 4; ++i) {
        if (offset + i < dram.size()) dram[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
}

}  // namespace lantern
