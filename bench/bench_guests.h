// The guests of `lantern bench`, assembled from bench/*.asm at build time and embedded by
// cmake/embed_binary.cmake (bench/CMakeLists.txt).
#pragma once

#include <cstdint>
#include <span>

namespace lantern::bench {

// bench/cpubound.asm: a 64 KiB ROM image (reset vector at its end) that runs a fixed integer mix
// in 32-bit protected mode; its run length is the dword after "LANTERN-BENCH-ITERATIONS".
std::span<const std::uint8_t> cpubound_rom();

}  // namespace lantern::bench
