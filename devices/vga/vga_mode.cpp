#include "devices/vga/vga_mode.h"

#include <bit>

namespace lantern {

VgaDisplayMode display_mode(const Vga& vga) {
    VgaDisplayMode m;
    m.monochrome_io = !vga.color_io();
    if (vga.vbe().enabled()) {
        m.dispi = true;
        m.graphics = true;
        m.width = vga.vbe().xres;
        m.height = vga.vbe().yres;
        m.bits_per_pixel = vga.vbe().bpp;
        return m;
    }
    m.graphics = (vga.gc(6) & 0x01) != 0;
    m.chain4 = (vga.seq(4) & 0x08) != 0;
    const unsigned columns = vga.crtc(1) + 1u;            // CR01: horizontal display end
    const unsigned lines = vga.timing().v_display_lines;  // scan lines the CRTC displays
    const unsigned max_scan = (vga.crtc(9) & 0x1Fu) + 1u; // CR09: scan lines per character row
    const unsigned doubled = (vga.crtc(9) & 0x80) ? 2u : 1u;  // CR09 bit 7: each line twice
    if (!m.graphics) {
        m.width = columns;
        m.height = lines / (max_scan * doubled);
        return m;
    }
    // With CR17 bit 0 clear (CGA compatibility) row-scan bit 0 selects the memory bank, so the
    // character row's scan lines are distinct pixel rows; otherwise they repeat one row.
    const unsigned lines_per_row = (vga.crtc(0x17) & 0x01) ? max_scan : 1u;
    m.height = lines / (lines_per_row * doubled);
    if (vga.gc(5) & 0x40) {         // 256-colour shift: one pixel per two dots
        m.width = columns * 4;
        m.bits_per_pixel = 8;
    } else if (vga.gc(5) & 0x20) {  // CGA interleaved shift: 2 bits per pixel
        m.width = columns * 8;
        m.bits_per_pixel = 2;
    } else {                        // planar: the colour planes the attribute controller enables
        m.width = columns * 8;
        m.bits_per_pixel = static_cast<unsigned>(std::popcount(static_cast<unsigned>(vga.ac(0x12) & 0x0F)));
    }
    return m;
}

std::uint32_t standard_mode_number(const VgaDisplayMode& m) {
    if (m.dispi) return kNoStandardMode;
    if (!m.graphics) {
        if (m.width == 80) return m.monochrome_io ? 0x07 : 0x03;
        if (m.width == 40 && !m.monochrome_io) return 0x01;
        return kNoStandardMode;
    }
    struct Standard {
        unsigned width, height, bpp;
        std::uint32_t mode;
    };
    // IBM VGA Technical Reference, "BIOS video modes": the graphics modes by resolution and the
    // colour planes (or shift mode) they enable.
    static constexpr Standard kModes[] = {
        {320, 200, 2, 0x04}, {640, 200, 1, 0x06}, {320, 200, 4, 0x0D}, {640, 200, 4, 0x0E},
        {640, 350, 2, 0x0F}, {640, 350, 4, 0x10}, {640, 480, 1, 0x11}, {640, 480, 4, 0x12},
        {320, 200, 8, 0x13},
    };
    for (const Standard& s : kModes) {
        if (s.width != m.width || s.height != m.height || s.bpp != m.bits_per_pixel) continue;
        if (s.mode == 0x13 && !m.chain4) return kNoStandardMode;  // Mode X: unchained planes
        return s.mode;
    }
    return kNoStandardMode;
}

}  // namespace lantern
