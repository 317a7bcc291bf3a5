// What the VGA's registers amount to as a display mode. The VGA itself knows no mode numbers:
// a BIOS programs some sixty registers, and the picture follows from them. For the debugger's
// "VGA mode set" events and the device panes, these functions read the registers back into the
// geometry they produce and name the standard IBM mode (INT 10h AH=00h) that programs exactly
// that geometry, if any.
#pragma once

#include <cstdint>

#include "devices/vga/vga.h"

namespace lantern {

struct VgaDisplayMode {
    bool dispi = false;      // a Bochs VBE (DISPI) mode: width, height and bits_per_pixel from it
    bool graphics = false;   // Graphics Controller 06h bit 0 (text: width x height in cells)
    unsigned width = 0;      // pixels, or character columns in text
    unsigned height = 0;     // pixel rows, or character rows in text
    unsigned bits_per_pixel = 0;  // graphics: 1 (2 colours), 2 (CGA 4 or the 640x350 mono planes), 4, 8; DISPI: its bpp
    bool monochrome_io = false;   // Misc Output bit 0 clear: the 3Bx (MDA-compatible) addresses
    bool chain4 = false;          // Sequencer 04h bit 3 (mode 13h; clear in Mode X)

    friend bool operator==(const VgaDisplayMode&, const VgaDisplayMode&) = default;
};

VgaDisplayMode display_mode(const Vga& vga);

// The standard mode with this geometry: 01h/03h (40/80-column colour text; 00h and 02h differ
// only in the CGA colour burst), 07h, 04h (05h), 06h, 0Dh-13h; kNoStandardMode for DISPI, Mode X
// and tweaked modes.
constexpr std::uint32_t kNoStandardMode = 0xFFFF;
std::uint32_t standard_mode_number(const VgaDisplayMode& m);

}  // namespace lantern
