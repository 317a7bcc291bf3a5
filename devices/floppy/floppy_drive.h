// FloppyDrive: one diskette drive on the controller's cable — its mechanics and its medium.
//
// The drive types PC BIOSes know (CMOS byte 0x10 codes; drive specifications as in IBM's
// technical references and the drive makers' data sheets):
//   type         form    media it reads (data rate)                        RPM  tracks
//   360K         5.25"   160K-360K DD (250 kbps)                           300  40 (+2 to the stop)
//   1.2M         5.25"   1.2M HD (500), 160K-360K DD (300, double-stepped)  360  80 (+3)
//   720K         3.5"    720K DD (250)                                     300  80 (+3)
//   1.44M        3.5"    720K (250), 1.44M and 1.68M DMF (500)             300  80 (+3)
//   2.88M        3.5"    as 1.44M, plus 2.88M ED (1 Mbps)                  300  80 (+3)
// A 40-cylinder disk in an 80-track drive sits on every other track: the BIOS steps twice per
// cylinder, and an odd track lies between two recorded ones and reads nothing.
//
// The drive presents TRK0, WP, INDEX and DSKCHG to the controller only while selected (drive
// select with its motor on, as the PC/AT's DOR wiring does). DSKCHG is set at power-on and when the
// disk is removed, and cleared by a step pulse with a disk in the drive.
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string_view>

#include "cpu/cpu_state.h"
#include "devices/storage/block_device.h"
#include "devices/storage/floppy_geometry.h"

namespace lantern {

enum class FloppyDriveType : std::uint8_t { None, Drive360K, Drive1200K, Drive720K, Drive1440K, Drive2880K };

struct FloppyDriveSpec {
    std::string_view name{};
    FloppyFormFactor form_factor = FloppyFormFactor::Inch35;
    std::uint32_t rpm = 300;
    std::uint8_t tracks = 80;      // recorded tracks the drive is made for
    std::uint8_t last_track = 83;  // where the head stops moving inward
    std::uint8_t cmos_type = 0;    // the AT CMOS diskette type code (0 = none)
};

const FloppyDriveSpec& floppy_drive_spec(FloppyDriveType type);
// The data rate (kbps) the drive reads `media` at, or 0 when it cannot read it at all.
std::uint32_t media_data_rate_kbps(FloppyDriveType type, const FloppyGeometry& media);
// Physical tracks per media cylinder: 2 for 40-cylinder media in an 80-track drive, else 1.
unsigned track_step_ratio(FloppyDriveType type, const FloppyGeometry& media);

struct FloppyDrive {
    FloppyDriveType type = FloppyDriveType::None;
    std::unique_ptr<BlockDevice> disk{};
    FloppyGeometry geometry{};
    bool write_protected = false;
    std::uint8_t track = 0;         // physical head position; 0 is where TRK0 is true
    bool disk_changed = true;       // the DSKCHG latch (set at power-on)
    bool motor_on = false;          // follows the DOR motor bit
    Cycles spin_epoch = 0;          // when the motor was turned on: the index hole passes then
    std::set<std::uint32_t> deleted{};  // sectors written with a deleted-data mark this session

    bool connected() const { return type != FloppyDriveType::None; }
    bool has_disk() const { return disk != nullptr; }
    const FloppyDriveSpec& spec() const { return floppy_drive_spec(type); }
    // Moves the head `steps` tracks (inward when `inward`), stopping at track 0 and the last track.
    void step(bool inward, unsigned steps);
};

}  // namespace lantern
