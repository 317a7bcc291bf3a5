// Breakpoints of every kind the debugger offers, as plain values, and the table that numbers them.
//
//   Exec       before the instruction at a linear, physical or segment:offset address executes
//   Watch      after an instruction reads, writes or accesses (either) data in a linear or
//              physical range (a trap, like the 386's data breakpoints: the instruction completes)
//   Io         after an IN/OUT/INS/OUTS touches a port in a range
//   Interrupt  when an interrupt or exception with a vector is delivered (at the handler's entry)
//   Mode       when the CPU enters a mode: real, protected, paging on, virtual-8086 (or any change)
//   Device     when a device reports an event (devices/device_event.h): an IRQ line raised, ...
// Each may carry a condition (an expression, debugger/expression.h), an ignore count, and counts
// its hits. The table is only data: the Debugger (debugger.h) decides when they fire.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devices/device_event.h"

namespace lantern {

enum class BreakKind : std::uint8_t { Exec, Watch, Io, Interrupt, Mode, Device };
enum class AddressKind : std::uint8_t { Linear, Physical, SegOffset };
enum class AccessKind : std::uint8_t { Read = 1, Write = 2, Access = 3 };  // a mask: Access = either
enum class CpuModeKind : std::uint8_t { Any, Real, Protected, Paging, V86 };
enum class BreakOwner : std::uint8_t { User, Gdb, Gui };  // gdb's Z packets and the GUI's gutter keep their own

struct Breakpoint {
    int id = 0;
    BreakKind kind = BreakKind::Exec;
    BreakOwner owner = BreakOwner::User;
    bool enabled = true;
    bool temporary = false;           // deleted when it stops the machine (tbreak)

    // Exec and Watch: where. SegOffset: CS == segment and EIP == address.
    AddressKind address_kind = AddressKind::Linear;
    std::uint32_t address = 0;
    std::uint16_t segment = 0;
    std::uint32_t length = 1;         // Watch: bytes watched from `address`
    AccessKind access = AccessKind::Write;  // Watch and Io

    std::uint16_t port_first = 0, port_last = 0;  // Io: an inclusive range
    std::uint8_t vector = 0;                      // Interrupt
    CpuModeKind mode = CpuModeKind::Any;          // Mode: the mode entered
    DeviceEventKind device = DeviceEventKind::IrqRaised;  // Device
    std::optional<std::uint32_t> device_detail{};         // Device: e.g. the IRQ number

    std::string condition{};          // empty: always
    std::uint64_t ignore_count = 0;   // hits still to pass over before stopping
    std::uint64_t hits = 0;           // times it matched (condition true)
};

std::string_view break_kind_name(BreakKind k);
std::string_view access_kind_name(AccessKind a);   // "read", "write", "access"
std::string_view cpu_mode_name(CpuModeKind m);      // "any", "real", "protected", "paging", "v86"
std::optional<CpuModeKind> parse_cpu_mode(std::string_view name);
// One line describing where/what the breakpoint watches ("linear 0x000f0105", "port 0x40-0x43 write").
std::string describe_breakpoint(const Breakpoint& b);

class BreakpointTable {
public:
    // Numbers it (ids start at 1 and are never reused) and returns the id.
    int add(Breakpoint b);
    bool remove(int id);
    void remove_owned_by(BreakOwner owner);
    Breakpoint* find(int id);
    const Breakpoint* find(int id) const;
    std::vector<Breakpoint>& all() { return list_; }
    const std::vector<Breakpoint>& all() const { return list_; }
    bool empty() const { return list_.empty(); }
    // Bumped by every change, so the debugger re-derives what it must watch only when needed.
    std::uint64_t generation() const { return generation_; }
    void touch() { ++generation_; }

private:
    std::vector<Breakpoint> list_{};
    int next_id_ = 1;
    std::uint64_t generation_ = 0;
};

}  // namespace lantern
