// Device events (devices/device_event.h) from a real boot: the Lantern BIOS and the demo disk
// program the PIT, read the floppy and set VGA modes, and each chip reports what it was told to
// do - the events the debugger's `devbreak pit|vga|disk` stop at. The VGA knows no mode numbers:
// it names the standard mode its registers now match (devices/vga/vga_mode.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "assets/demo_disk/embedded_demo_disk.h"
#include "devices/vga/vga_mode.h"
#include "tests/guests/guest_rig.h"

using namespace lantern;
using namespace lantern::test;

namespace {

struct EventLog final : DeviceEventSink {
    std::vector<DeviceEvent> events;
    void device_event(const DeviceEvent& e) override { events.push_back(e); }
    std::size_t count(DeviceEventKind kind, std::uint32_t detail) const {
        return static_cast<std::size_t>(std::count_if(events.begin(), events.end(), [&](const DeviceEvent& e) {
            return e.kind == kind && e.detail == detail;
        }));
    }
    bool any(DeviceEventKind kind, std::uint32_t detail, std::uint32_t unit) const {
        return std::any_of(events.begin(), events.end(), [&](const DeviceEvent& e) {
            return e.kind == kind && e.detail == detail && e.unit == unit;
        });
    }
};

}  // namespace

TEST_SUITE("device_events") {
    TEST_CASE("The BIOS and the demo disk: PIT counts, floppy commands and VGA mode sets") {
        GuestOptions o;
        const auto disk = assets::demo_disk();
        o.board.floppy_a_bytes.assign(disk.begin(), disk.end());
        GuestRig rig(std::move(o));
        EventLog log;
        rig.machine().set_event_sink(&log);

        REQUIRE(rig.run_until_screen("Press 1-6", 300'000'000));
        // POST programs counter 0 for the 18.2 Hz tick and counter 2 for the speaker/delay, and
        // sets text mode 3; the boot reads drive A: with READ DATA (MT MFM: E6h), after the
        // controller's SPECIFY (03h) and RECALIBRATE (07h) of drive 0.
        CHECK(log.count(DeviceEventKind::PitReload, 0) >= 1);
        CHECK(log.count(DeviceEventKind::VgaModeSet, 0x03) >= 1);
        CHECK(log.any(DeviceEventKind::DiskCommand, 0x03, 0));
        CHECK(log.any(DeviceEventKind::DiskCommand, 0x07, 0));
        CHECK(log.any(DeviceEventKind::DiskCommand, 0xE6, 0));
        CHECK(log.count(DeviceEventKind::VgaModeSet, 0x13) == 0);
        CHECK(log.count(DeviceEventKind::VgaModeSet, kNoStandardMode) == 0);

        // Program 4 switches to mode 13h and Esc back to mode 3: one event each way, however
        // many palette writes re-enable the display in between.
        const std::size_t text_sets = log.count(DeviceEventKind::VgaModeSet, 0x03);
        rig.type_text("4");
        REQUIRE(rig.run_until([&] { return rig.machine().ram()[0x449] == 0x13; }, 100'000'000));
        REQUIRE(rig.run_until([&] { return log.count(DeviceEventKind::VgaModeSet, 0x13) > 0; }, 10'000'000));
        rig.type_text("\x1b");
        REQUIRE(rig.run_until_screen("Press 1-6", 600'000'000));
        CHECK(log.count(DeviceEventKind::VgaModeSet, 0x13) == 1);
        CHECK(log.count(DeviceEventKind::VgaModeSet, 0x03) == text_sets + 1);
        const VgaDisplayMode m = display_mode(rig.board().vga());
        CHECK(!m.graphics);
        CHECK(m.width == 80);
        CHECK(m.height == 25);
    }
}
