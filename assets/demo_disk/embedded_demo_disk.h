// The Lantern demo disk, assembled from assets/demo_disk/*.asm at build time
// (assets/demo_disk/CMakeLists.txt): a bootable 1.44 MB diskette with a menu of small programs
// (text through the BIOS, protected mode, a timer interrupt handler, mode 13h graphics, keyboard
// echo, power off). `lantern` with no arguments boots it on a PC board with the Lantern BIOS.
#pragma once

#include <cstdint>
#include <span>

namespace lantern::assets {

// The whole diskette image, 1,474,560 bytes (80 cylinders x 2 heads x 18 sectors x 512 bytes).
// Give it to PcBoardConfig::floppy_a_bytes (a copy: the guest's writes never reach these bytes).
std::span<const std::uint8_t> demo_disk();

// Its symbol map as text, in the BIOS's format (bios/README.md): one "name address" line per
// label, the address physical in hex (5 digits), sorted by address; '#' starts a comment line.
// The demo runs with every segment register 0000h, so these are also its offsets. Load it into
// the debugger's SymbolTable with load_nm(text, 0).
std::span<const std::uint8_t> demo_disk_symbols();

}  // namespace lantern::assets
