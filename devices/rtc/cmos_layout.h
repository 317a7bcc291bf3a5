// CmosLayout: the IBM PC/AT's use of the RTC's battery-backed RAM, filled in from the machine's
// configuration before the BIOS runs (as a SETUP program would have left it).
//
// Byte map (IBM PC/AT Technical Reference, "CMOS RAM Configuration"; the boot-order bytes are the
// Bochs BIOS / SeaBIOS extension, read by SeaBIOS's boot.c for QEMU and Bochs machines):
//   0x10  floppy types: drive 0 in bits 7-4, drive 1 in bits 3-0
//   0x12  hard disk types: disk 0 in bits 7-4, disk 1 in bits 3-0; 0xF = see 0x19 / 0x1A
//   0x14  equipment: bits 7-6 floppies - 1, 5-4 primary display, 1 coprocessor, 0 floppy present
//   0x15/0x16  base memory in KiB (low/high)           0x17/0x18  memory above 1 MiB in KiB
//   0x19/0x1A  extended type of disk 0 / 1 (47 = user-defined parameters follow)
//   0x1B-0x23 / 0x24-0x2C  user-defined geometry of disk 0 / 1 (AMI/Award/Bochs "type 47" layout:
//         cylinders, heads, write precompensation, control byte, landing zone, sectors per track)
//   0x2E/0x2F  checksum of 0x10-0x2D, high byte first
//   0x30/0x31  memory above 1 MiB in KiB, as POST measured it (same value as 0x17/0x18)
//   0x32  century (BCD)
//   0x34/0x35  memory above 16 MiB in 64 KiB blocks (SeaBIOS, Bochs)
//   0x38  bits 7-4 third boot device; bit 0 = 1 skips the floppy boot-signature check
//   0x3D  bits 3-0 first boot device, bits 7-4 second (1 floppy, 2 hard disk, 3 CD-ROM, 4 network)
//   0x5B-0x5D  memory above 4 GiB in 64 KiB blocks: left 0 (Lantern's machines stay below 4 GiB)
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace lantern {

enum class CmosFloppyType : std::uint8_t {
    None = 0, K360 = 1, M1_2 = 2, K720 = 3, M1_44 = 4, M2_88 = 5,
};
enum class CmosDisplay : std::uint8_t {
    EgaVga = 0, Cga40 = 1, Cga80 = 2, Mda = 3,
};
enum class CmosBootDevice : std::uint8_t {
    None = 0, Floppy = 1, HardDisk = 2, CdRom = 3, Network = 4,
};

struct CmosDiskGeometry {
    std::uint16_t cylinders = 0;
    std::uint8_t heads = 0;
    std::uint8_t sectors = 0;
};

struct CmosLayout {
    std::uint64_t memory_bytes = 640 * 1024;  // installed RAM
    std::array<CmosFloppyType, 2> floppies{CmosFloppyType::None, CmosFloppyType::None};
    std::array<std::optional<CmosDiskGeometry>, 2> hard_disks{};
    CmosDisplay display = CmosDisplay::EgaVga;
    bool coprocessor = false;
    std::array<CmosBootDevice, 3> boot_order{CmosBootDevice::Floppy, CmosBootDevice::HardDisk,
                                             CmosBootDevice::CdRom};
    bool floppy_signature_check = true;
    std::optional<int> century{};  // unset: keep what the RTC's power-on wrote

    // Writes every byte above into `cmos` (the RTC's 128 bytes) and the checksum.
    void apply(std::span<std::uint8_t, 128> cmos) const;

    // Sum of bytes 0x10-0x2D, as stored at 0x2E (high) / 0x2F (low).
    static std::uint16_t checksum(std::span<const std::uint8_t, 128> cmos);
    static void store_checksum(std::span<std::uint8_t, 128> cmos);
};

}  // namespace lantern
