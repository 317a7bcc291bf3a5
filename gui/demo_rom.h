// The built-in demo: a 64 KiB ROM image assembled from assets/demo/demo.asm at build time and
// embedded by cmake/embed_binary.cmake. `lantern` with no arguments runs it.
#pragma once

#include <cstdint>
#include <span>

namespace lantern::assets {

std::span<const std::uint8_t> demo_rom();

}  // namespace lantern::assets
