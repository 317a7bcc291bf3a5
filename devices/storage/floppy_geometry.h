// FloppyGeometry: the standard PC diskette formats, recognised by image size.
//
// A raw floppy image is the sectors in cylinder, head, sector order with nothing else, so its
// size is all there is to tell the format by. The formats (IBM PC DOS Technical Reference, BIOS
// parameter blocks; Microsoft's DMF for the 1.68M distribution format):
//   160K  40 x 1 x  8   5.25" DD      720K  80 x 2 x  9   3.5" DD
//   180K  40 x 1 x  9   5.25" DD      1.44M 80 x 2 x 18   3.5" HD
//   320K  40 x 2 x  8   5.25" DD      1.68M 80 x 2 x 21   3.5" HD (DMF)
//   360K  40 x 2 x  9   5.25" DD      2.88M 80 x 2 x 36   3.5" ED
//   1.2M  80 x 2 x 15   5.25" HD
// All use 512-byte sectors (N = 2), numbered from 1 on each track.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "devices/storage/block_device.h"

namespace lantern {

enum class FloppyFormFactor : std::uint8_t { Inch525, Inch35 };
// Recording density: DD is written at 250 kbps (300 kbps in a 360 RPM drive), HD at 500 kbps,
// ED at 1 Mbps.
enum class FloppyDensity : std::uint8_t { Double, High, Extra };

struct FloppyGeometry {
    std::string_view name{};
    std::uint8_t cylinders = 0;
    std::uint8_t heads = 0;
    std::uint8_t sectors_per_track = 0;
    std::uint8_t size_code = 2;  // N: 128 << N bytes per sector
    FloppyFormFactor form_factor = FloppyFormFactor::Inch35;
    FloppyDensity density = FloppyDensity::High;

    std::uint32_t sector_size() const { return 128u << size_code; }
    std::uint32_t total_sectors() const { return std::uint32_t{cylinders} * heads * sectors_per_track; }
    std::uint64_t total_bytes() const { return std::uint64_t{total_sectors()} * sector_size(); }
    bool operator==(const FloppyGeometry& o) const {
        return cylinders == o.cylinders && heads == o.heads && sectors_per_track == o.sectors_per_track &&
               size_code == o.size_code && form_factor == o.form_factor && density == o.density;
    }
};

std::span<const FloppyGeometry> known_floppy_geometries();
// The format whose image is exactly `bytes` long, if any.
std::optional<FloppyGeometry> floppy_geometry_for_size(std::uint64_t bytes);
// The format of `disk`; throws DiskImageError naming the size and the sizes Lantern knows.
FloppyGeometry floppy_geometry_for(const BlockDevice& disk);

}  // namespace lantern
