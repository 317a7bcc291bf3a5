// Helpers shared by the video BIOS tests (video_bios_*_test.cpp): calling INT 10h services the
// way a program does, and the colours the standard palettes should produce.
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "devices/vga/vga_render.h"
#include "tests/bios/video_rig.h"
#include "tests/devices/vga_rig.h"

namespace lantern::testing::video_test {


constexpr std::uint32_t kBar = 0xFD000000u;  // not Bochs' default: the BIOS must ask PCI

struct Booted {
    VideoRig rig;
    explicit Booted(CpuModel model = CpuModel::P6) : rig(model, kBar) { rig.init(); }
};

inline Regs ax(std::uint16_t v) {
    Regs r;
    r.eax = v;
    return r;
}

// Teletype output of a string through AH=0Eh.
inline void tty(VideoRig& rig, const std::string& s) {
    for (unsigned char c : s) {
        Regs r = ax(static_cast<std::uint16_t>(0x0E00 | c));
        r.ebx = 0x0007;
        rig.call(r);
    }
}

inline std::string first_lines(const std::string& dump, unsigned n) {
    std::size_t pos = 0;
    for (unsigned i = 0; i < n && pos != std::string::npos; ++i) {
        pos = dump.find('\n', pos);
        if (pos != std::string::npos) ++pos;
    }
    return dump.substr(0, pos == std::string::npos ? dump.size() : pos);
}

// The IBM VGA's default DAC colours, computed here from their description (IBM VGA Technical
// Reference, BIOS default palettes): rgbRGB for 350/400/480-line modes; mode 13h: 16 colours, a
// gray ramp, nine groups of 24 hues, black.
inline std::array<std::uint8_t, 3> ega_rgb(unsigned code) {
    auto c = [&](unsigned hi, unsigned lo) {
        return static_cast<std::uint8_t>(((code >> hi) & 1) * 0x2A + ((code >> lo) & 1) * 0x15);
    };
    return {c(2, 5), c(1, 4), c(0, 3)};
}
inline std::array<std::uint8_t, 3> mode13_rgb(unsigned i) {
    static constexpr std::array<std::uint8_t, 16> gray = {0x00, 0x05, 0x08, 0x0B, 0x0E, 0x11, 0x14, 0x18,
                                                          0x1C, 0x20, 0x24, 0x28, 0x2D, 0x32, 0x38, 0x3F};
    static constexpr std::uint8_t levels[9][5] = {
        {0x00, 0x10, 0x1F, 0x2F, 0x3F}, {0x1F, 0x27, 0x2F, 0x37, 0x3F}, {0x2D, 0x31, 0x36, 0x3A, 0x3F},
        {0x00, 0x07, 0x0E, 0x15, 0x1C}, {0x0E, 0x11, 0x15, 0x18, 0x1C}, {0x14, 0x16, 0x18, 0x1A, 0x1C},
        {0x00, 0x04, 0x08, 0x0C, 0x10}, {0x08, 0x0A, 0x0C, 0x0E, 0x10}, {0x0B, 0x0C, 0x0D, 0x0F, 0x10}};
    if (i < 16) {
        const unsigned code = (i == 6) ? 0x14 : ((i & 7) | ((i & 8) ? 0x38 : 0));
        return ega_rgb(code);
    }
    if (i < 32) return {gray[i - 16], gray[i - 16], gray[i - 16]};
    if (i >= 248) return {0, 0, 0};
    const unsigned group = (i - 32) / 24, hue = (i - 32) % 24;
    // Red rises over hues 1-3, stays up 4-12, falls 13-15; green trails it by 8, blue leads.
    auto ramp = [](unsigned h) -> unsigned {
        h %= 24;
        if (h == 0 || h >= 16) return 0;
        if (h <= 3) return h;
        if (h <= 12) return 4;
        return 16 - h;
    };
    return {levels[group][ramp(hue)], levels[group][ramp(hue + 16)], levels[group][ramp(hue + 8)]};
}
inline std::uint32_t to_rgb888(std::array<std::uint8_t, 3> c) {
    auto e = [](std::uint8_t v) { return static_cast<std::uint32_t>((v << 2) | (v >> 4)); };
    return (e(c[0]) << 16) | (e(c[1]) << 8) | e(c[2]);
}
inline std::array<std::uint8_t, 3> dac_entry(const Vga& vga, unsigned i) {
    const auto& p = vga.dac().palette;
    return {p[i * 3], p[i * 3 + 1], p[i * 3 + 2]};
}


}  // namespace lantern::testing::video_test
