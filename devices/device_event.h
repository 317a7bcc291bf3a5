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
//   PitReload    the 8254 when a counter loads its count register into the counting element
//                (`detail` = channel): the PIT hands it to a reload callback the board connects.
//   VgaModeSet   the VGA when a mode set completes (`detail` = the mode number asked for, or
//                0xFFFF for a register-level change of the timing registers).
//   DiskCommand  a disk controller when a command is written (`detail` = the command byte,
//                `unit` = the drive: 0-1 floppy, 0x80+ ATA, as INT 13h numbers them).
#pragma once

#include <cstdint>
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

class DeviceEventSink {
public:
    virtual ~DeviceEventSink() = default;
    virtual void device_event(const DeviceEvent& event) = 0;
};

}  // namespace lantern
