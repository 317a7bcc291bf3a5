// Vga memory: the CPU's view of the four planes through the Graphics Controller (latches, write
// modes 0-3, read modes 0-1, chain-4 and odd/even addressing), the DISPI banked window and
// linear framebuffer, and the DISPI registers.
//
// The data path follows FreeVGA "Graphics Controller Registers" / "VGA Memory Organization" and
// the IBM VGA technical reference's write-mode diagrams:
//   read:  every read loads the four latches from the addressed byte of each plane; read mode 0
//          returns one plane's byte, read mode 1 the colour-compare result.
//   write: mode 0 rotates the CPU byte, replaces planes enabled in Enable Set/Reset with their
//          Set/Reset bit, applies the logical operation with the latch, then the Bit Mask
//          chooses per bit between that result and the latch; mode 1 writes the latches; mode 2
//          expands CPU bits 0-3 to whole planes; mode 3 uses Set/Reset for every plane and the
//          rotated CPU byte ANDed with the Bit Mask as the mask. The Map Mask (and odd/even or
//          chain-4 plane selection) decides which planes are written.
#include "devices/vga/vga.h"

#include <algorithm>

namespace lantern {

namespace {

constexpr std::uint8_t expand(unsigned bit) { return bit ? 0xFF : 0x00; }

std::uint8_t rotate_right(std::uint8_t v, unsigned count) {
    count &= 7;
    return count == 0 ? v : static_cast<std::uint8_t>((v >> count) | (v << (8 - count)));
}

unsigned bytes_per_pixel(unsigned bpp) {
    switch (bpp) {
        case 15: case 16: return 2;
        case 24: return 3;
        case 32: return 4;
        default: return 1;
    }
}

bool valid_bpp(unsigned bpp) {
    return bpp == 4 || bpp == 8 || bpp == 15 || bpp == 16 || bpp == 24 || bpp == 32;
}

}  // namespace

std::uint32_t VbeState::pitch_bytes() const {
    return bpp == 4 ? virt_width / 8u : std::uint32_t{virt_width} * bytes_per_pixel(bpp);
}

std::uint32_t VbeState::start_offset() const {
    const std::uint32_t x = bpp == 4 ? x_offset / 8u : std::uint32_t{x_offset} * bytes_per_pixel(bpp);
    return std::uint32_t{y_offset} * pitch_bytes() + x;
}

// --- The legacy window --------------------------------------------------------------------

// FreeVGA Graphics Controller Miscellaneous register, Memory Map Select: 0 A0000-BFFFF,
// 1 A0000-AFFFF, 2 B0000-B7FFF, 3 B8000-BFFFF. Misc Output bit 1 (RAM Enable) off, or the
// subsystem disabled through 3C3, and the card answers no memory cycle at all.
std::int64_t Vga::aperture_offset(std::uint32_t w) const {
    if ((regs_.subsystem_enable & 0x01) == 0 || (regs_.misc_output & 0x02) == 0) return -1;
    if (w >= kVgaWindowSize) return -1;
    switch ((regs_.gc[6] >> 2) & 0x03) {
        case 0: return w;
        case 1: return w < 0x10000 ? std::int64_t{w} : -1;
        case 2: return (w >= 0x10000 && w < 0x18000) ? std::int64_t{w} - 0x10000 : -1;
        default: return w >= 0x18000 ? std::int64_t{w} - 0x18000 : -1;
    }
}

// Bochs: in the 4-bpp DISPI modes the planes are 4 MiB long and the bank selects which 64 KiB
// of each plane the window shows.
std::uint32_t Vga::planar_base() const {
    return (vbe_.enabled() && vbe_.bpp == 4) ? std::uint32_t{vbe_.bank} << 16 : 0;
}

std::uint8_t Vga::window_read(std::uint32_t offset) {
    const std::int64_t a = aperture_offset(offset);
    if (a < 0) return 0xFF;
    if (banked_linear()) return lfb_read((std::uint32_t{vbe_.bank} << 16) + static_cast<std::uint32_t>(a));
    return planar_read(static_cast<std::uint32_t>(a), true);
}

std::uint8_t Vga::window_peek(std::uint32_t offset) const {
    const std::int64_t a = aperture_offset(offset);
    if (a < 0) return 0xFF;
    if (banked_linear()) return lfb_read((std::uint32_t{vbe_.bank} << 16) + static_cast<std::uint32_t>(a));
    return const_cast<Vga*>(this)->planar_read(static_cast<std::uint32_t>(a), false);
}

void Vga::window_write(std::uint32_t offset, std::uint8_t value) {
    const std::int64_t a = aperture_offset(offset);
    if (a < 0) return;
    if (banked_linear()) {
        lfb_write((std::uint32_t{vbe_.bank} << 16) + static_cast<std::uint32_t>(a), value);
        return;
    }
    planar_write(static_cast<std::uint32_t>(a), value);
}

std::uint8_t Vga::planar_read(std::uint32_t a, bool side_effects) {
    const bool chain4 = (regs_.seq[4] & 0x08) != 0;
    const bool host_odd_even = (regs_.gc[5] & 0x10) != 0;  // GC Mode bit 4: odd/even reads
    const bool chain_odd_even = (regs_.gc[6] & 0x02) != 0; // GC Misc bit 1: A0 replaced
    unsigned plane = regs_.gc[4] & 0x03;                    // Read Map Select
    std::uint32_t off = a;
    if (chain4) {
        // Sequencer Memory Mode, Chain 4: A0-A1 pick the plane; the byte sits at the address
        // with those bits clear (mode 13h uses every fourth byte of each plane).
        plane = a & 0x03;
        off = a & ~0x03u;
    } else if (host_odd_even) {
        plane = (plane & 0x02) | (a & 0x01);
    }
    if (!chain4 && chain_odd_even) off = (a & ~0x01u) | ((a >> 16) & 0x01);
    off = planar_base() + (off & 0xFFFF);

    std::array<std::uint8_t, 4> data{};
    for (unsigned p = 0; p < 4; ++p) data[p] = plane_byte(p, off);
    if (side_effects) regs_.latch = data;

    if ((regs_.gc[5] & 0x08) == 0) return data[plane];
    // Read mode 1: a bit is 1 where every plane enabled in Color Don't Care matches its Color
    // Compare bit.
    std::uint8_t differ = 0;
    for (unsigned p = 0; p < 4; ++p) {
        if ((regs_.gc[7] >> p) & 1u) differ |= static_cast<std::uint8_t>(data[p] ^ expand((regs_.gc[2] >> p) & 1u));
    }
    return static_cast<std::uint8_t>(~differ);
}

void Vga::planar_write(std::uint32_t a, std::uint8_t value) {
    const bool chain4 = (regs_.seq[4] & 0x08) != 0;
    const bool odd_even_write = (regs_.seq[4] & 0x04) == 0;  // Memory Mode bit 2 is "disable"
    const bool chain_odd_even = (regs_.gc[6] & 0x02) != 0;
    unsigned planes = 0x0F;
    std::uint32_t off = a;
    if (chain4) {
        planes = 1u << (a & 0x03);
        off = a & ~0x03u;
    } else if (odd_even_write) {
        // Even addresses reach maps 0 and 2, odd addresses maps 1 and 3.
        planes = (a & 0x01) ? 0x0A : 0x05;
    }
    if (!chain4 && chain_odd_even) off = (a & ~0x01u) | ((a >> 16) & 0x01);
    off = planar_base() + (off & 0xFFFF);
    planes &= regs_.seq[2] & 0x0F;  // Map Mask

    const unsigned write_mode = regs_.gc[5] & 0x03;
    const unsigned op = (regs_.gc[3] >> 3) & 0x03;
    const std::uint8_t rotated = rotate_right(value, regs_.gc[3] & 0x07);
    std::uint8_t mask = regs_.gc[8];
    std::array<std::uint8_t, 4> out{};
    for (unsigned p = 0; p < 4; ++p) {
        const std::uint8_t latch = regs_.latch[p];
        if (write_mode == 1) {
            out[p] = latch;
            continue;
        }
        std::uint8_t d = 0;
        switch (write_mode) {
            case 0: d = ((regs_.gc[1] >> p) & 1u) ? expand((regs_.gc[0] >> p) & 1u) : rotated; break;
            case 2: d = expand((value >> p) & 1u); break;
            default: d = expand((regs_.gc[0] >> p) & 1u); break;
        }
        switch (op) {
            case 1: d &= latch; break;
            case 2: d |= latch; break;
            case 3: d ^= latch; break;
            default: break;
        }
        const std::uint8_t m = write_mode == 3 ? static_cast<std::uint8_t>(mask & rotated) : mask;
        out[p] = static_cast<std::uint8_t>((d & m) | (latch & ~m));
    }
    for (unsigned p = 0; p < 4; ++p) {
        if ((planes >> p) & 1u) vram_[p * kVgaPlaneStride + (off & (kVgaPlaneStride - 1))] = out[p];
    }
}

// --- Linear framebuffer -------------------------------------------------------------------

std::uint8_t Vga::lfb_read(std::uint32_t offset) const {
    return offset < kVgaVramBytes ? vram_[offset] : 0xFF;
}

void Vga::lfb_write(std::uint32_t offset, std::uint8_t value) {
    if (offset < kVgaVramBytes) vram_[offset] = value;
}

std::uint32_t Vga::MemoryWindow::read(std::uint32_t offset, unsigned size) {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
        const std::uint8_t b = linear_ ? vga_.lfb_read(offset + i) : vga_.window_read(offset + i);
        v |= std::uint32_t{b} << (8 * i);
    }
    return v;
}

void Vga::MemoryWindow::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    // A 16-bit access is two byte cycles at the VGA, low byte first (the latches end up
    // holding the high byte's planes).
    for (unsigned i = 0; i < size; ++i) {
        const auto b = static_cast<std::uint8_t>(value >> (8 * i));
        if (linear_) vga_.lfb_write(offset + i, b);
        else vga_.window_write(offset + i, b);
    }
}

std::uint32_t Vga::MemoryWindow::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i) {
        const std::uint8_t b = linear_ ? vga_.lfb_read(offset + i) : vga_.window_peek(offset + i);
        v |= std::uint32_t{b} << (8 * i);
    }
    return v;
}

// --- DISPI --------------------------------------------------------------------------------
// Register semantics per Bochs (iodev/display/vga.cc vbe_read/vbe_write): XRES, YRES and BPP
// only change while the extension is disabled; enabling resets the virtual screen to the mode
// and clears the visible memory unless NOCLEARMEM; GETCAPS makes XRES/YRES/BPP read their
// maxima; VIRT_HEIGHT follows from VIRT_WIDTH and the memory size.

std::uint16_t Vga::dispi_read(std::uint16_t port) const {
    if (port == kDispiPortBase) return vbe_.index;  // any other port: the data register
    const bool caps = (vbe_.enable & dispi::kGetCaps) != 0;
    switch (vbe_.index) {
        case dispi::kIndexId: return vbe_.id;
        case dispi::kIndexXRes: return caps ? dispi::kMaxXRes : vbe_.xres;
        case dispi::kIndexYRes: return caps ? dispi::kMaxYRes : vbe_.yres;
        case dispi::kIndexBpp: return caps ? dispi::kMaxBpp : vbe_.bpp;
        case dispi::kIndexEnable: return vbe_.enable;
        case dispi::kIndexBank: return vbe_.bank;
        case dispi::kIndexVirtWidth: return vbe_.virt_width;
        case dispi::kIndexVirtHeight: return vbe_.virt_height;
        case dispi::kIndexXOffset: return vbe_.x_offset;
        case dispi::kIndexYOffset: return vbe_.y_offset;
        case dispi::kIndexVideoMemory64K: return static_cast<std::uint16_t>(kVgaVramBytes >> 16);
        default: return 0;
    }
}

void Vga::dispi_write(std::uint16_t port, std::uint16_t value) {
    if (port == kDispiPortBase) {
        vbe_.index = value;
        return;
    }
    switch (vbe_.index) {
        case dispi::kIndexId:
            if (value >= dispi::kId0 && value <= dispi::kId5) vbe_.id = value;
            break;
        case dispi::kIndexXRes:
            if (!vbe_.enabled() && value <= dispi::kMaxXRes) vbe_.xres = value;
            break;
        case dispi::kIndexYRes:
            if (!vbe_.enabled() && value <= dispi::kMaxYRes) vbe_.yres = value;
            break;
        case dispi::kIndexBpp:
            if (vbe_.enabled()) break;
            if (value == 0) value = 8;  // Bochs: 0 means 8 for old BIOSes
            if (valid_bpp(value)) vbe_.bpp = value;
            break;
        case dispi::kIndexEnable: vbe_enable(value); break;
        case dispi::kIndexBank: {
            // 64 KiB banks over 16 MiB, or over one 4 MiB plane in the planar 4-bpp modes.
            const unsigned banks = (vbe_.bpp == 4 ? kVgaPlaneStride : kVgaVramBytes) >> 16;
            if (value < banks) vbe_.bank = value;
            break;
        }
        case dispi::kIndexVirtWidth: vbe_set_virtual_width(value); break;
        case dispi::kIndexXOffset: vbe_.x_offset = value; break;
        case dispi::kIndexYOffset: {
            // Refused when the visible screen would run past the end of memory.
            const std::uint64_t limit = vbe_.bpp == 4 ? kVgaPlaneStride : kVgaVramBytes;
            const std::uint64_t end = std::uint64_t{value} * vbe_.pitch_bytes() +
                                      std::uint64_t{vbe_.pitch_bytes()} * vbe_.yres;
            if (end <= limit) vbe_.y_offset = value;
            break;
        }
        default: break;  // VIRT_HEIGHT and VIDEO_MEMORY_64K are read-only
    }
}

void Vga::vbe_enable(std::uint16_t value) {
    set_dac_8bit((value & dispi::k8BitDac) != 0);
    const bool was_enabled = vbe_.enabled();
    vbe_.enable = value & (dispi::kEnabled | dispi::kGetCaps | dispi::k8BitDac | dispi::kLfbEnabled |
                           dispi::kNoClearMem);
    if (vbe_.enabled() != was_enabled) display_enabled();
    if (!vbe_.enabled() || was_enabled) return;

    vbe_.virt_width = vbe_.xres;
    vbe_.virt_height = vbe_.yres;
    vbe_.x_offset = 0;
    vbe_.y_offset = 0;
    if ((value & dispi::kNoClearMem) == 0) {
        const std::uint64_t visible = std::uint64_t{vbe_.pitch_bytes()} * vbe_.yres;
        if (vbe_.bpp == 4) {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(visible, kVgaPlaneStride));
            for (unsigned p = 0; p < 4; ++p)
                std::fill_n(vram_.begin() + p * kVgaPlaneStride, n, std::uint8_t{0});
        } else {
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(visible, kVgaVramBytes));
            std::fill_n(vram_.begin(), n, std::uint8_t{0});
        }
    }
    // As QEMU does: a graphics mode with the 64 KiB window at A0000, so the banked window works
    // whatever the VGA registers held.
    regs_.gc[6] = static_cast<std::uint8_t>((regs_.gc[6] & ~0x0C) | 0x04 | 0x01);
}

void Vga::vbe_set_virtual_width(std::uint16_t width) {
    if (width == 0) return;
    // Bochs: the virtual height is what fits in memory; if that is less than the visible
    // height, the width is reduced instead so the visible height fits.
    const std::uint64_t capacity = vbe_.bpp == 4 ? std::uint64_t{kVgaVramBytes} * 2
                                                 : kVgaVramBytes / bytes_per_pixel(vbe_.bpp);
    std::uint64_t new_width = width;
    std::uint64_t new_height = capacity / new_width;
    if (new_height < vbe_.yres && vbe_.yres > 0) {
        new_height = vbe_.yres;
        new_width = capacity / new_height;
    }
    vbe_.virt_width = static_cast<std::uint16_t>(std::min<std::uint64_t>(new_width, 0xFFFF));
    vbe_.virt_height = static_cast<std::uint16_t>(std::min<std::uint64_t>(new_height, 0xFFFF));
}

std::uint32_t Vga::DispiWindow::peek(std::uint32_t offset, unsigned size) const {
    // Offset 0 is the 16-bit index, offset 1 the 16-bit data; a byte read sees the low byte, a
    // byte read at offset 2 (1D0) the data's high byte.
    if (offset >= 2) return vga_.dispi_read(kDispiPortBase + 1) >> 8;
    const std::uint16_t v = vga_.dispi_read(static_cast<std::uint16_t>(kDispiPortBase + offset));
    return size >= 2 ? v : (v & 0xFFu);
}

void Vga::DispiWindow::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    if (offset >= 2) return;  // the high byte alone cannot be written
    // A byte write stores the zero-extended byte (Bochs' handlers take the bus value as is).
    const std::uint16_t v = static_cast<std::uint16_t>(size >= 2 ? (value & 0xFFFF) : (value & 0xFF));
    vga_.dispi_write(static_cast<std::uint16_t>(kDispiPortBase + offset), v);
}

}  // namespace lantern
