// The breakpoint commands of the command-line debugger: break/tbreak/lb/pb/vb, watch/rwatch/
// awatch, iobreak, intbreak, modebreak, devbreak, delete/disable/enable, condition, ignore.
#include <ostream>

#include "cpu/interpreter.h"
#include "debugger/cli_debugger.h"
#include "debugger/cli_text.h"

namespace lantern {

using namespace cli_text;  // lower, trim, hex, find_top_level

// ---------------------------------------------------------------------------------------------
// Breakpoints

void CliDebugger::added(int id) {
    const Breakpoint* b = dbg_.breakpoints().find(id);
    if (!b) return;
    std::string kind;
    switch (b->kind) {
        case BreakKind::Exec: kind = b->temporary ? "Temporary breakpoint" : "Breakpoint"; break;
        case BreakKind::Watch:
            kind = b->access == AccessKind::Write ? "Watchpoint"
                   : b->access == AccessKind::Read ? "Read watchpoint"
                                                   : "Access watchpoint";
            break;
        case BreakKind::Io: kind = "I/O breakpoint"; break;
        case BreakKind::Interrupt: kind = "Interrupt breakpoint"; break;
        case BreakKind::Mode: kind = "Mode breakpoint"; break;
        case BreakKind::Device: kind = "Device breakpoint"; break;
    }
    Breakpoint plain = *b;
    plain.condition.clear();
    out_ << kind << " " << id << ": " << describe_breakpoint(plain);
    if (b->kind == BreakKind::Exec && b->address_kind == AddressKind::Linear) {
        const std::string sym = dbg_.symbols().describe(b->address);
        if (!sym.empty()) out_ << " <" << sym << ">";
    }
    if (!b->condition.empty()) out_ << " if " << b->condition;
    out_ << "\n";
}

void CliDebugger::cmd_break(const std::string& c, const Args& a) {
    Breakpoint b;
    b.kind = BreakKind::Exec;
    b.temporary = c == "tbreak";
    b.condition = a.condition;
    if (a.words.empty()) {
        if (c == "vb" || c == "vbreak") {
            b.address_kind = AddressKind::SegOffset;
            b.segment = dbg_.state().segment(Seg::CS).selector;
            b.address = dbg_.state().eip;
        } else {
            b.address = dbg_.linear_pc();
        }
    } else {
        std::string_view text = a.words[0];
        if (!text.empty() && text.front() == '*') text.remove_prefix(1);  // gdb's `break *ADDR`
        const bool physical = c == "pb" || c == "pbreak";
        const bool linear_only = c == "lb" || c == "lbreak" || physical;
        std::uint64_t seg = 0, off = 0;
        if (!linear_only && find_top_level(text, ':') != std::string_view::npos) {
            if (!split_segoff(text, seg, off)) return;
            b.address_kind = AddressKind::SegOffset;
            b.segment = static_cast<std::uint16_t>(seg);
            b.address = static_cast<std::uint32_t>(off);
        } else if (c == "vb" || c == "vbreak") {
            error("vb needs SEGMENT:OFFSET");
            return;
        } else {
            const auto v = value_of(text);
            if (!v) return;
            b.address_kind = physical ? AddressKind::Physical : AddressKind::Linear;
            b.address = static_cast<std::uint32_t>(*v);
        }
    }
    added(dbg_.breakpoints().add(b));
}

void CliDebugger::cmd_watch(const std::string& c, const Args& a) {
    Breakpoint b;
    b.kind = BreakKind::Watch;
    b.access = c == "watch" ? AccessKind::Write : c == "rwatch" ? AccessKind::Read : AccessKind::Access;
    b.condition = a.condition;
    std::size_t i = 0;
    if (i < a.words.size() && (lower(a.words[i]) == "phys" || lower(a.words[i]) == "physical" || a.words[i] == "-p")) {
        b.address_kind = AddressKind::Physical;
        ++i;
    }
    if (i >= a.words.size()) {
        error(c + " needs an address: " + c + " [phys] ADDR [LENGTH]");
        return;
    }
    const auto addr = value_of(a.words[i]);
    if (!addr) return;
    b.address = static_cast<std::uint32_t>(*addr);
    if (i + 1 < a.words.size()) {
        const auto len = value_of(a.words[i + 1]);
        if (!len) return;
        if (*len == 0 || *len > 0x10000000) {
            error("the length must be 1..0x10000000 bytes");
            return;
        }
        b.length = static_cast<std::uint32_t>(*len);
    }
    added(dbg_.breakpoints().add(b));
}

void CliDebugger::cmd_iobreak(const Args& a) {
    if (a.words.empty()) {
        error("iobreak needs a port: iobreak PORT[..LAST] [in|out|any]");
        return;
    }
    Breakpoint b;
    b.kind = BreakKind::Io;
    b.access = AccessKind::Access;
    b.condition = a.condition;
    const std::string& range = a.words[0];
    const std::size_t dots = range.find("..");
    const auto first = value_of(range.substr(0, dots));
    if (!first) return;
    std::uint64_t last = *first;
    if (dots != std::string::npos) {
        const auto l = value_of(range.substr(dots + 2));
        if (!l) return;
        last = *l;
    }
    if (*first > 0xFFFF || last > 0xFFFF || last < *first) {
        error("ports are 0..0xffff, and the last not below the first");
        return;
    }
    b.port_first = static_cast<std::uint16_t>(*first);
    b.port_last = static_cast<std::uint16_t>(last);
    if (a.words.size() > 1) {
        const std::string dir = lower(a.words[1]);
        if (dir == "in" || dir == "r" || dir == "read") b.access = AccessKind::Read;
        else if (dir == "out" || dir == "w" || dir == "write") b.access = AccessKind::Write;
        else if (dir == "any" || dir == "rw" || dir == "inout") b.access = AccessKind::Access;
        else {
            error("direction must be in, out or any");
            return;
        }
    }
    added(dbg_.breakpoints().add(b));
}

void CliDebugger::cmd_intbreak(const Args& a) {
    if (a.words.empty()) {
        error("intbreak needs a vector (0..255)");
        return;
    }
    const auto v = value_of(a.words[0]);
    if (!v) return;
    if (*v > 255) {
        error("vectors are 0..255");
        return;
    }
    Breakpoint b;
    b.kind = BreakKind::Interrupt;
    b.vector = static_cast<std::uint8_t>(*v);
    b.condition = a.condition;
    added(dbg_.breakpoints().add(b));
}

void CliDebugger::cmd_modebreak(const Args& a) {
    const auto m = parse_cpu_mode(a.words.empty() ? "any" : lower(a.words[0]));
    if (!m) {
        error("modebreak takes real, protected, paging, v86 or any");
        return;
    }
    Breakpoint b;
    b.kind = BreakKind::Mode;
    b.mode = *m;
    b.condition = a.condition;
    added(dbg_.breakpoints().add(b));
}

void CliDebugger::cmd_devbreak(const Args& a) {
    if (a.words.empty()) {
        error("devbreak takes irq [N], pit [CHANNEL], vga [MODE] or disk [COMMAND]");
        return;
    }
    Breakpoint b;
    b.kind = BreakKind::Device;
    b.condition = a.condition;
    const std::string what = lower(a.words[0]);
    if (what == "irq") b.device = DeviceEventKind::IrqRaised;
    else if (what == "pit") b.device = DeviceEventKind::PitReload;
    else if (what == "vga") b.device = DeviceEventKind::VgaModeSet;
    else if (what == "disk") b.device = DeviceEventKind::DiskCommand;
    else {
        error("devbreak takes irq [N], pit [CHANNEL], vga [MODE] or disk [COMMAND]");
        return;
    }
    if (a.words.size() > 1) {
        const auto v = value_of(a.words[1]);
        if (!v) return;
        b.device_detail = static_cast<std::uint32_t>(*v);
    }
    added(dbg_.breakpoints().add(b));
}

void CliDebugger::cmd_delete_enable(const std::string& c, const Args& a) {
    BreakpointTable& t = dbg_.breakpoints();
    std::vector<int> ids;
    if (a.words.empty()) {
        for (const Breakpoint& b : t.all())
            if (b.owner == BreakOwner::User) ids.push_back(b.id);
    }
    for (const std::string& w : a.words) {
        const auto v = value_of(w);
        if (!v) return;
        if (!t.find(static_cast<int>(*v))) {
            error("no breakpoint number " + std::to_string(*v));
            return;
        }
        ids.push_back(static_cast<int>(*v));
    }
    for (int id : ids) {
        if (c == "d" || c == "delete") {
            t.remove(id);
        } else {
            t.find(id)->enabled = c == "enable";
            t.touch();
        }
    }
    const char* done = (c == "d" || c == "delete") ? "Deleted" : c == "enable" ? "Enabled" : "Disabled";
    out_ << done << " " << ids.size() << " breakpoint" << (ids.size() == 1 ? "" : "s") << "\n";
}

void CliDebugger::cmd_condition(std::string_view rest) {
    const Args a = split(rest);
    if (a.words.empty()) {
        error("condition N [EXPR]");
        return;
    }
    const auto id = value_of(a.words[0]);
    if (!id) return;
    Breakpoint* b = dbg_.breakpoints().find(static_cast<int>(*id));
    if (!b) {
        error("no breakpoint number " + std::to_string(*id));
        return;
    }
    // Everything after the number is the expression (it may contain spaces).
    const std::size_t at = rest.find(a.words[0]) + a.words[0].size();
    b->condition = std::string(trim(rest.substr(at)));
    if (!b->condition.empty()) {
        const ExpressionResult r = dbg_.evaluate(b->condition);
        if (!r) out_ << "Note: the condition cannot be evaluated now: " << r.error << "\n";
    }
    out_ << "Breakpoint " << b->id << (b->condition.empty() ? " now unconditional" : " if " + b->condition) << "\n";
}

void CliDebugger::cmd_ignore(const Args& a) {
    if (a.words.size() < 2) {
        error("ignore N COUNT");
        return;
    }
    const auto id = value_of(a.words[0]);
    const auto count = id ? value_of(a.words[1]) : std::nullopt;
    if (!count) return;
    Breakpoint* b = dbg_.breakpoints().find(static_cast<int>(*id));
    if (!b) {
        error("no breakpoint number " + std::to_string(*id));
        return;
    }
    b->ignore_count = *count;
    out_ << "Will ignore the next " << *count << " crossings of breakpoint " << b->id << "\n";
}

}  // namespace lantern
