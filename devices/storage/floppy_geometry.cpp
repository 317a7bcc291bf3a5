#include "devices/storage/floppy_geometry.h"

#include <array>
#include <string>

namespace lantern {

namespace {
using FF = FloppyFormFactor;
using D = FloppyDensity;
constexpr std::array<FloppyGeometry, 9> kGeometries{{
    {"160K", 40, 1, 8, 2, FF::Inch525, D::Double},
    {"180K", 40, 1, 9, 2, FF::Inch525, D::Double},
    {"320K", 40, 2, 8, 2, FF::Inch525, D::Double},
    {"360K", 40, 2, 9, 2, FF::Inch525, D::Double},
    {"1.2M", 80, 2, 15, 2, FF::Inch525, D::High},
    {"720K", 80, 2, 9, 2, FF::Inch35, D::Double},
    {"1.44M", 80, 2, 18, 2, FF::Inch35, D::High},
    {"1.68M", 80, 2, 21, 2, FF::Inch35, D::High},
    {"2.88M", 80, 2, 36, 2, FF::Inch35, D::Extra},
}};
}  // namespace

std::span<const FloppyGeometry> known_floppy_geometries() { return kGeometries; }

std::optional<FloppyGeometry> floppy_geometry_for_size(std::uint64_t bytes) {
    for (const FloppyGeometry& g : kGeometries)
        if (g.total_bytes() == bytes) return g;
    return std::nullopt;
}

FloppyGeometry floppy_geometry_for(const BlockDevice& disk) {
    const std::uint64_t bytes = disk.size_bytes();
    if (disk.sector_size() == 512)
        if (auto g = floppy_geometry_for_size(bytes)) return *g;
    std::string known;
    for (const FloppyGeometry& g : kGeometries) {
        if (!known.empty()) known += ", ";
        known += std::string(g.name) + " (" + std::to_string(g.total_bytes()) + ")";
    }
    throw DiskImageError(disk.describe() + " is " + std::to_string(bytes) +
                         " bytes, which is no floppy format Lantern knows: " + known);
}

}  // namespace lantern
