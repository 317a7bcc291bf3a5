#include "devices/rtc/cmos_layout.h"

#include <algorithm>

namespace lantern {

namespace {

void put16(std::span<std::uint8_t, 128> cmos, std::size_t at, std::uint32_t value) {
    cmos[at] = static_cast<std::uint8_t>(value & 0xFF);
    cmos[at + 1] = static_cast<std::uint8_t>((value >> 8) & 0xFF);
}

std::uint8_t bcd(int v) { return static_cast<std::uint8_t>(((v / 10 % 10) << 4) | (v % 10)); }

constexpr std::uint8_t kUserDefinedDiskType = 47;

}  // namespace

std::uint16_t CmosLayout::checksum(std::span<const std::uint8_t, 128> cmos) {
    std::uint16_t sum = 0;
    for (std::size_t i = 0x10; i <= 0x2D; ++i) sum = static_cast<std::uint16_t>(sum + cmos[i]);
    return sum;
}

void CmosLayout::store_checksum(std::span<std::uint8_t, 128> cmos) {
    const std::uint16_t sum = checksum(cmos);
    cmos[0x2E] = static_cast<std::uint8_t>(sum >> 8);
    cmos[0x2F] = static_cast<std::uint8_t>(sum & 0xFF);
}

void CmosLayout::apply(std::span<std::uint8_t, 128> cmos) const {
    constexpr std::uint64_t kKiB = 1024, kMiB = 1024 * 1024;

    // Floppies.
    cmos[0x10] = static_cast<std::uint8_t>((static_cast<unsigned>(floppies[0]) & 0xF) << 4 |
                                           (static_cast<unsigned>(floppies[1]) & 0xF));
    const unsigned floppy_count = (floppies[0] != CmosFloppyType::None) + (floppies[1] != CmosFloppyType::None);

    // Hard disks: type 0xF in 0x12 defers to the extended type byte, 47 = user-defined geometry.
    std::uint8_t disk_types = 0;
    for (std::size_t d = 0; d < 2; ++d) {
        const std::size_t ext = 0x19 + d;
        const std::size_t geo = d == 0 ? 0x1B : 0x24;
        std::fill(cmos.begin() + static_cast<std::ptrdiff_t>(geo), cmos.begin() + static_cast<std::ptrdiff_t>(geo + 9), 0);
        cmos[ext] = 0;
        if (!hard_disks[d]) continue;
        const CmosDiskGeometry& g = *hard_disks[d];
        disk_types |= static_cast<std::uint8_t>(d == 0 ? 0xF0 : 0x0F);
        cmos[ext] = kUserDefinedDiskType;
        put16(cmos, geo + 0, g.cylinders);        // cylinders
        cmos[geo + 2] = g.heads;                  // heads
        put16(cmos, geo + 3, 0xFFFF);             // write precompensation: none
        cmos[geo + 5] = g.heads > 8 ? 0x08 : 0;   // control byte: bit 3 = more than 8 heads
        put16(cmos, geo + 6, g.cylinders);        // landing zone
        cmos[geo + 8] = g.sectors;                // sectors per track
    }
    cmos[0x12] = disk_types;

    // Equipment byte.
    std::uint8_t equipment = 0;
    if (floppy_count > 0) equipment |= static_cast<std::uint8_t>(0x01 | ((floppy_count - 1) << 6));
    equipment |= static_cast<std::uint8_t>((static_cast<unsigned>(display) & 3) << 4);
    if (coprocessor) equipment |= 0x02;
    cmos[0x14] = equipment;

    // Memory.
    const std::uint64_t base_kib = std::min<std::uint64_t>(640, memory_bytes / kKiB);
    put16(cmos, 0x15, static_cast<std::uint32_t>(base_kib));
    const std::uint64_t ext_kib =
        memory_bytes > kMiB ? std::min<std::uint64_t>((memory_bytes - kMiB) / kKiB, 0xFFFF) : 0;
    put16(cmos, 0x17, static_cast<std::uint32_t>(ext_kib));
    put16(cmos, 0x30, static_cast<std::uint32_t>(ext_kib));
    const std::uint64_t above16_blocks =
        memory_bytes > 16 * kMiB ? std::min<std::uint64_t>((memory_bytes - 16 * kMiB) / (64 * kKiB), 0xFFFF) : 0;
    put16(cmos, 0x34, static_cast<std::uint32_t>(above16_blocks));
    cmos[0x5B] = cmos[0x5C] = cmos[0x5D] = 0;

    if (century) cmos[0x32] = bcd(*century);

    // Boot order.
    auto nib = [](CmosBootDevice d) { return static_cast<unsigned>(d) & 0xF; };
    cmos[0x3D] = static_cast<std::uint8_t>(nib(boot_order[0]) | nib(boot_order[1]) << 4);
    cmos[0x38] = static_cast<std::uint8_t>(nib(boot_order[2]) << 4 | (floppy_signature_check ? 0 : 1));

    store_checksum(cmos);
}

}  // namespace lantern
