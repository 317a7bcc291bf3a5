// The built-in demo: a 64 KiB ROM image assembled from assets/demo/demo.asm at build time and
// embedded by cmake/embed_binary.cmake. `lantern` with no arguments runs it.
#pragma once

#include <cstdint>
#include <span>

namespace lantern::assets {

std::span<const std::uint8_t> demo_rom();
// NASM's map file of the demo (`[map symbols]`): its labels and their offsets in the image, which
// the GUI's disassembly shows. Text, not NUL-terminated.
std::span<const std::uint8_t> demo_symbol_map();

// The demo is mapped like a BIOS: its 64 KiB end at physical FFFFF.
inline constexpr std::uint32_t kDemoRomBase = 0xF0000;

}  // namespace lantern::assets
