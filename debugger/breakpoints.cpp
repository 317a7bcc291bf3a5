#include "debugger/breakpoints.h"

#include <algorithm>
#include <cstdio>

namespace lantern {

namespace {
std::string hex(std::uint32_t v, int digits) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%0*x", digits, v);
    return buf;
}
}  // namespace

std::string_view break_kind_name(BreakKind k) {
    switch (k) {
        case BreakKind::Exec: return "breakpoint";
        case BreakKind::Watch: return "watchpoint";
        case BreakKind::Io: return "iobreak";
        case BreakKind::Interrupt: return "intbreak";
        case BreakKind::Mode: return "modebreak";
        case BreakKind::Device: return "devbreak";
    }
    return "?";
}

std::string_view access_kind_name(AccessKind a) {
    switch (a) {
        case AccessKind::Read: return "read";
        case AccessKind::Write: return "write";
        case AccessKind::Access: return "access";
    }
    return "?";
}

std::string_view cpu_mode_name(CpuModeKind m) {
    switch (m) {
        case CpuModeKind::Any: return "any";
        case CpuModeKind::Real: return "real";
        case CpuModeKind::Protected: return "protected";
        case CpuModeKind::Paging: return "paging";
        case CpuModeKind::V86: return "v86";
    }
    return "?";
}

std::optional<CpuModeKind> parse_cpu_mode(std::string_view name) {
    for (CpuModeKind m : {CpuModeKind::Any, CpuModeKind::Real, CpuModeKind::Protected, CpuModeKind::Paging,
                          CpuModeKind::V86})
        if (cpu_mode_name(m) == name) return m;
    if (name == "pm" || name == "prot") return CpuModeKind::Protected;
    if (name == "vm86" || name == "v8086") return CpuModeKind::V86;
    return std::nullopt;
}

std::string describe_breakpoint(const Breakpoint& b) {
    std::string s;
    switch (b.kind) {
        case BreakKind::Exec:
            if (b.address_kind == AddressKind::SegOffset)
                s = "at " + hex(b.segment, 4).substr(2) + ":" + hex(b.address, 4).substr(2);
            else
                s = std::string(b.address_kind == AddressKind::Physical ? "physical " : "linear ") + hex(b.address, 8);
            break;
        case BreakKind::Watch:
            s = std::string(access_kind_name(b.access)) + " " +
                (b.address_kind == AddressKind::Physical ? "physical " : "linear ") + hex(b.address, 8);
            if (b.length != 1) s += " length " + std::to_string(b.length);
            break;
        case BreakKind::Io:
            s = "port " + hex(b.port_first, 4);
            if (b.port_last != b.port_first) s += "-" + hex(b.port_last, 4);
            s += b.access == AccessKind::Access ? " in/out" : b.access == AccessKind::Read ? " in" : " out";
            break;
        case BreakKind::Interrupt: s = "vector " + hex(b.vector, 2); break;
        case BreakKind::Mode: s = "entering " + std::string(cpu_mode_name(b.mode)) + " mode"; break;
        case BreakKind::Device:
            s = std::string(device_event_name(b.device));
            if (b.device_detail) s += " " + std::to_string(*b.device_detail);
            break;
    }
    if (!b.condition.empty()) s += " if " + b.condition;
    return s;
}

int BreakpointTable::add(Breakpoint b) {
    b.id = next_id_++;
    list_.push_back(std::move(b));
    touch();
    return list_.back().id;
}

bool BreakpointTable::remove(int id) {
    const auto it = std::find_if(list_.begin(), list_.end(), [id](const Breakpoint& b) { return b.id == id; });
    if (it == list_.end()) return false;
    list_.erase(it);
    touch();
    return true;
}

void BreakpointTable::remove_owned_by(BreakOwner owner) {
    std::erase_if(list_, [owner](const Breakpoint& b) { return b.owner == owner; });
    touch();
}

Breakpoint* BreakpointTable::find(int id) {
    for (Breakpoint& b : list_)
        if (b.id == id) return &b;
    return nullptr;
}

const Breakpoint* BreakpointTable::find(int id) const {
    for (const Breakpoint& b : list_)
        if (b.id == id) return &b;
    return nullptr;
}

}  // namespace lantern
