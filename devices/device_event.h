// Device events: things a chip does that a student may want to stop at, reported to whoever
// listens (the debugger's device-event breakpoints, later traces and the GUI's event log).
//
// A device never knows the debugger. The board owns one DeviceEventSink pointer
// (Machine::set_event_sink) and devices report through Machine::notify_event, either directly
// (the board's own wiring: the IRQ lines) or through a small callback the board hands the device
// when it wires it. Reporting must not change what the device does: a sink only observes, and the
// pointer is null unless a debugger is attached, so an idle board pays one pointer test per event.
//
// How each kind is reported (and by whom):
//   IrqRaised    the board, from the bus's IRQ lines (a rising edge of IRQ `detail`), already wired.
//   PitReload    the 8254 when software has written a complete new count (`detail` = channel):
//                the count register changed, and the counter loads it into its counting element
//                as its mode says (8254 datasheet, "Write Operations"). Periodic reloads in modes
//                2 and 3 are not reported: they are the IRQ 0 edges.
//   VgaModeSet   the VGA when the display's geometry changed and the attribute controller's PAS
//                bit turns the display back on (the last step of a BIOS mode set), or DISPI is
//                enabled or disabled. The VGA knows no mode numbers: `detail` is the standard
//                IBM mode the registers match (0-13h, devices/vga/vga_mode.h), 0xFFFF for none
//                (VBE, Mode X, tweaked modes).
//   DiskCommand  a disk controller when a whole command was written (`detail` = the command
//                byte, `unit` = the drive: 0-3 floppy, 0x80 + 2 * channel + device for ATA).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

namespace lantern {

enum class DeviceEventKind : std::uint8_t { IrqRaised, PitReload, VgaModeSet, DiskCommand };

inline std::string_view device_event_name(DeviceEventKind k) {
    switch (k) {
        case DeviceEventKind::IrqRaised: return "irq";
        case DeviceEventKind::PitReload: return "pit";
        case DeviceEventKind::VgaModeSet: return "vga";
        case DeviceEventKind::DiskCommand: return "disk";
    }
    return "?";
}

struct DeviceEvent {
    DeviceEventKind kind = DeviceEventKind::IrqRaised;
    std::uint32_t detail = 0;  // IRQ number, PIT channel, VGA mode, disk command byte
    std::uint32_t unit = 0;    // which instance, where a kind has several (the disk drive)
};

// What the board hands a device to report through (empty: nobody listens).
using DeviceEventReport = std::function<void(const DeviceEvent&)>;

class DeviceEventSink {
public:
    virtual ~DeviceEventSink() = default;
    virtual void device_event(const DeviceEvent& event) = 0;
};

}  // namespace lantern
