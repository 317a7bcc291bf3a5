#include "devices/floppy/floppy_drive.h"

#include <algorithm>
#include <array>

namespace lantern {

const FloppyDriveSpec& floppy_drive_spec(FloppyDriveType type) {
    using FF = FloppyFormFactor;
    static constexpr std::array<FloppyDriveSpec, 6> kSpecs{{
        {"none", FF::Inch35, 300, 0, 0, 0},
        {"360K", FF::Inch525, 300, 40, 41, 1},
        {"1.2M", FF::Inch525, 360, 80, 83, 2},
        {"720K", FF::Inch35, 300, 80, 83, 3},
        {"1.44M", FF::Inch35, 300, 80, 83, 4},
        {"2.88M", FF::Inch35, 300, 80, 83, 5},
    }};
    const auto i = static_cast<std::size_t>(type);
    return kSpecs[i < kSpecs.size() ? i : 0];
}

std::uint32_t media_data_rate_kbps(FloppyDriveType type, const FloppyGeometry& media) {
    const FloppyDriveSpec& spec = floppy_drive_spec(type);
    if (type == FloppyDriveType::None || spec.form_factor != media.form_factor) return 0;
    switch (type) {
        case FloppyDriveType::Drive360K: return media.density == FloppyDensity::Double ? 250 : 0;
        case FloppyDriveType::Drive1200K:
            // The 1.2M drive turns at 360 RPM, so DD media pass the head 6/5 as fast: 300 kbps.
            if (media.density == FloppyDensity::Double) return 300;
            return media.density == FloppyDensity::High ? 500 : 0;
        case FloppyDriveType::Drive720K: return media.density == FloppyDensity::Double ? 250 : 0;
        case FloppyDriveType::Drive1440K:
            if (media.density == FloppyDensity::Double) return 250;
            return media.density == FloppyDensity::High ? 500 : 0;
        case FloppyDriveType::Drive2880K:
            if (media.density == FloppyDensity::Double) return 250;
            if (media.density == FloppyDensity::High) return 500;
            return 1000;
        case FloppyDriveType::None: break;
    }
    return 0;
}

unsigned track_step_ratio(FloppyDriveType type, const FloppyGeometry& media) {
    const FloppyDriveSpec& spec = floppy_drive_spec(type);
    return (spec.tracks >= 80 && media.cylinders <= 40) ? 2 : 1;
}

void FloppyDrive::step(bool inward, unsigned steps) {
    if (steps == 0 || !connected()) return;
    const unsigned last = spec().last_track;
    if (inward)
        track = static_cast<std::uint8_t>(std::min<unsigned>(last, track + std::min(steps, 255u)));
    else
        track = static_cast<std::uint8_t>(track > steps ? track - steps : 0);
    // A step pulse with a disk in place resets the drive's disk-change latch.
    if (has_disk()) disk_changed = false;
}

}  // namespace lantern
