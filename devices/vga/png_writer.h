// PNG output for --screenshot and the GUI, through Debian's libstb-dev (stb_image_write.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/vga/vga_render.h"

namespace lantern {

// The frame as a PNG file (8-bit RGB). Empty for an empty frame or if encoding fails.
std::vector<std::uint8_t> encode_png(const Frame& frame);

// Writes encode_png(frame) to `path`; false if the frame is empty or the file cannot be written.
bool write_png(const Frame& frame, const std::string& path);

}  // namespace lantern
