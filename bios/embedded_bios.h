// The Lantern BIOS, built from bios/*.asm and bios/video/ at build time (bios/CMakeLists.txt).
#pragma once

#include <cstdint>
#include <span>

namespace lantern::assets {

// The 128 KiB ROM image, to be mapped so that it ends at 0xFFFFF (E0000-FFFFF).
std::span<const std::uint8_t> bios_rom();

// The symbol map as text: one "name address" line per symbol, the address a physical address in
// hex (5 digits), sorted by address; lines starting with '#' are comments (bios/README.md).
std::span<const std::uint8_t> bios_symbols();

}  // namespace lantern::assets
