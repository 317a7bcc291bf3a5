// The VGA renderer: turns the registers and video memory into the picture a monitor would show
// now. Pure functions of a const Vga (no side effects, no SDL): the GUI, --screenshot and
// --text-dump all call them.
//
// The picture is the active display area in monitor dots: every character clock is 8 or 9
// dots (doubled when the Clocking Mode halves the dot clock), every scan line the CRTC
// displays is a row (so mode 13h is 640x400 and mode 03h 720x400, as the monitor shows them).
// The DISPI modes render at their own xres x yres.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/vga/vga.h"

namespace lantern {

struct Frame {
    unsigned width = 0;
    unsigned height = 0;
    std::vector<std::uint32_t> pixels{};  // 0x00RRGGBB, row by row

    std::uint32_t at(unsigned x, unsigned y) const { return pixels[std::size_t{y} * width + x]; }
};

// The current picture: text (8/9-dot cells, font from plane 2, attributes through the palette
// and DAC, blink, cursor, underline), planar 16-colour, CGA 4- and 2-colour, 256-colour chained
// and unchained (Mode X), and the DISPI modes at 4/8/15/16/24/32 bpp. Honours the start
// address, byte and pixel panning, line compare (split screen), double scan and maximum scan
// line. The blink phases come from the frame count at the scheduler's time: the cursor toggles
// every 8 frames (16-frame period), blinking characters every 16 frames (32-frame period).
Frame render(const Vga& vga);

// The text screen as UTF-8 lines (code page 437 mapped to Unicode; NUL shown as a space),
// each line's trailing spaces removed and every line ended by '\n'. Empty in graphics modes.
std::string text_dump(const Vga& vga);

// Screen geometry in character cells, for the text dump and the GUI (0 x 0 in graphics modes).
struct TextGeometry {
    unsigned columns = 0;
    unsigned rows = 0;
};
TextGeometry text_geometry(const Vga& vga);

}  // namespace lantern
