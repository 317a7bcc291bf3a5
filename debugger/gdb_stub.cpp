// The packet loop of the GDB remote stub (gdb manual, appendix "GDB Remote Serial Protocol":
// "Overview", "Packets", "Stop Reply Packets", "General Query Packets", "Interrupts").
#include "debugger/gdb_stub.h"

#include <algorithm>
#include <array>
#include <cstdio>

namespace lantern {

namespace {

constexpr std::size_t kPacketSize = 0x4000;       // advertised in qSupported (hex 4000)
constexpr std::size_t kMaxMemoryRead = 0x1F00;    // bytes per m packet: fits the packet size as hex
constexpr std::size_t kMaxInbox = 1u << 20;       // a runaway peer cannot grow memory without bound

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::uint64_t> parse_hex_number(std::string_view s) {
    if (s.empty() || s.size() > 16) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        const int d = hex_digit(c);
        if (d < 0) return std::nullopt;
        v = (v << 4) | static_cast<unsigned>(d);
    }
    return v;
}

// "addr,length" (and what follows a ':', if any, in `rest`).
bool parse_addr_len(std::string_view args, std::uint64_t& addr, std::uint64_t& len, std::string_view* rest = nullptr) {
    const std::size_t comma = args.find(',');
    if (comma == std::string_view::npos) return false;
    std::size_t end = args.find(':', comma);
    if (end == std::string_view::npos) end = args.size();
    const auto a = parse_hex_number(args.substr(0, comma));
    const auto l = parse_hex_number(args.substr(comma + 1, end - comma - 1));
    if (!a || !l) return false;
    addr = *a;
    len = *l;
    if (rest) *rest = end < args.size() ? args.substr(end + 1) : std::string_view{};
    return true;
}

// a + b by appending: GCC 12 warns falsely (-Wrestrict) on `"literal" + std::string`.
std::string cat(std::string_view a, std::string_view b) {
    std::string out;
    out.reserve(a.size() + b.size());
    out.append(a);
    out.append(b);
    return out;
}

std::string two_hex(unsigned v) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02x", v & 0xFF);
    return buf;
}

}  // namespace

std::string gdb_hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 15]);
    }
    return out;
}

std::optional<std::string> gdb_unhex(std::string_view hex) {
    if (hex.size() % 2) return std::nullopt;
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>((hi << 4) | lo));
    }
    return out;
}

std::string gdb_frame(std::string_view data) {
    unsigned sum = 0;
    for (char c : data) sum += static_cast<unsigned char>(c);
    std::string out = "$";
    out.append(data);
    out += '#';
    out += two_hex(sum);
    return out;
}

std::string gdb_escape_binary(std::string_view data) {
    std::string out;
    for (char c : data) {
        if (c == '#' || c == '$' || c == '}' || c == '*') {
            out.push_back('}');
            out.push_back(static_cast<char>(c ^ 0x20));
        } else {
            out.push_back(c);
        }
    }
    return out;
}

GdbStub::GdbStub(Debugger& debugger, GdbTransport& transport)
    : dbg_(debugger), io_(transport), cli_(debugger, monitor_out_) {
    cli_.set_run_commands_allowed(false);
}

GdbStub::~GdbStub() {
    dbg_.breakpoints().remove_owned_by(BreakOwner::Gdb);
    dbg_.set_poll({});
}

void GdbStub::send(std::string_view data) { io_.write(gdb_frame(data)); }

// Takes one complete packet from the inbox (acknowledging it), skipping acks and stray bytes.
bool GdbStub::take_packet(std::string& packet) {
    for (;;) {
        const std::size_t start = inbox_.find_first_of("$\x03");
        if (start == std::string::npos) {
            inbox_.clear();
            return false;
        }
        if (inbox_[start] == '\x03') {  // an interrupt while stopped: nothing to stop
            inbox_.erase(0, start + 1);
            continue;
        }
        const std::size_t hash = inbox_.find('#', start);
        if (hash == std::string::npos || hash + 2 >= inbox_.size()) {
            inbox_.erase(0, start);
            return false;
        }
        std::string data = inbox_.substr(start + 1, hash - start - 1);
        const int hi = hex_digit(inbox_[hash + 1]), lo = hex_digit(inbox_[hash + 2]);
        inbox_.erase(0, hash + 3);
        unsigned sum = 0;
        for (char c : data) sum += static_cast<unsigned char>(c);
        if (hi < 0 || lo < 0 || static_cast<unsigned>((hi << 4) | lo) != (sum & 0xFF)) {
            if (ack_) io_.write("-");  // ask gdb to send it again
            continue;
        }
        if (ack_) io_.write("+");
        packet = std::move(data);
        return true;
    }
}

bool GdbStub::next_packet(std::string& packet) {
    while (!take_packet(packet)) {
        if (!io_.read(inbox_)) return false;
        if (inbox_.size() > kMaxInbox) inbox_.erase(0, inbox_.size() - kMaxInbox);
    }
    return true;
}

GdbStub::End GdbStub::serve() {
    std::string packet;
    while (next_packet(packet)) {
        if (!handle(packet)) return end_;
    }
    end_ = End::Closed;
    return end_;
}

std::string GdbStub::stop_reply(const StopInfo& stop) {
    // Anything the trace or a monitor command printed meanwhile goes first, as console output.
    if (const std::string text = monitor_out_.str(); !text.empty()) {
        for (std::size_t i = 0; i < text.size(); i += 512) send(cat("O", gdb_hex(text.substr(i, 512))));
        monitor_out_.str("");
    }
    switch (stop.kind) {
        case StopKind::GuestExit:
            // The exit status `lantern` itself would give: (V << 1) | 1 (gui/exit_status.h).
            return cat("W", two_hex((stop.exit_value << 1) | 1u));
        case StopKind::PowerOff: return "W00";  // a clean power-off: `lantern` exits with 0 too
        case StopKind::Interrupted: return "T02thread:1;";  // SIGINT
        case StopKind::Watchpoint: {
            const Breakpoint* b = dbg_.breakpoints().find(stop.breakpoint);
            const AccessKind a = b ? b->access : AccessKind::Write;
            const char* kind = a == AccessKind::Write ? "watch" : a == AccessKind::Read ? "rwatch" : "awatch";
            char buf[48];
            std::snprintf(buf, sizeof buf, "T05%s:%x;thread:1;", kind, stop.data_address);
            return buf;
        }
        case StopKind::Breakpoint: {
            const auto z = z_type_.find(stop.breakpoint);
            if (z != z_type_.end()) return z->second == '0' ? "T05swbreak:;thread:1;" : "T05hwbreak:;thread:1;";
            return "T05thread:1;";
        }
        default: return "T05thread:1;";  // SIGTRAP: steps, and stops gdb did not ask for by name
    }
}

std::string GdbStub::run(bool single_step) {
    interrupt_seen_ = false;
    dbg_.set_poll([this] {
        if (!io_.poll(inbox_)) return true;  // the connection closed: stop and let serve() end
        const std::size_t i = inbox_.find('\x03');
        if (i == std::string::npos) return false;
        inbox_.erase(i, 1);
        interrupt_seen_ = true;
        return true;
    });
    const StopInfo stop = single_step ? dbg_.step(1) : dbg_.continue_run();
    dbg_.set_poll({});
    last_stop_ = stop;
    // A breakpoint gdb no longer knows about (a tbreak that fired) is forgotten here too.
    std::erase_if(z_type_, [this](const auto& kv) { return dbg_.breakpoints().find(kv.first) == nullptr; });
    if (stop.kind == StopKind::GuestExit || stop.kind == StopKind::PowerOff) end_ = End::GuestExited;
    return stop_reply(stop);
}

std::string GdbStub::read_memory(std::string_view args) {
    std::uint64_t addr = 0, len = 0;
    if (!parse_addr_len(args, addr, len)) return "E01";
    len = std::min<std::uint64_t>(len, kMaxMemoryRead);
    std::string bytes;
    for (std::uint64_t i = 0; i < len; ++i) {
        std::array<std::uint8_t, 1> b{};
        if (!dbg_.read_linear(static_cast<std::uint32_t>(addr + i), b)) break;
        bytes.push_back(static_cast<char>(b[0]));
    }
    if (bytes.empty() && len > 0) return "E14";  // EFAULT: nothing mapped there
    return gdb_hex(bytes);
}

std::string GdbStub::write_memory(std::string_view args, bool binary) {
    std::uint64_t addr = 0, len = 0;
    std::string_view data;
    if (!parse_addr_len(args, addr, len, &data)) return "E01";
    std::string bytes;
    if (binary) {
        for (std::size_t i = 0; i < data.size(); ++i) {
            if (data[i] == '}' && i + 1 < data.size()) bytes.push_back(static_cast<char>(data[++i] ^ 0x20));
            else bytes.push_back(data[i]);
        }
    } else {
        const auto b = gdb_unhex(data);
        if (!b) return "E01";
        bytes = *b;
    }
    if (bytes.size() != len) return "E01";
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
    return dbg_.write_linear(static_cast<std::uint32_t>(addr), std::span(p, bytes.size())) ? "OK" : "E14";
}

std::string GdbStub::breakpoint(std::string_view args, bool insert) {
    // "type,addr,kind": 0 software, 1 hardware, 2 write, 3 read, 4 access watchpoint.
    if (args.size() < 3 || args[1] != ',' || args[0] < '0' || args[0] > '4') return "";
    const char type = args[0];
    std::uint64_t addr = 0, kind = 0;
    std::string_view rest = args.substr(2);
    if (const std::size_t semi = rest.find(';'); semi != std::string_view::npos) rest = rest.substr(0, semi);
    if (!parse_addr_len(rest, addr, kind)) return "E01";
    Breakpoint b;
    b.owner = BreakOwner::Gdb;
    b.address = static_cast<std::uint32_t>(addr);
    if (type <= '1') {
        b.kind = BreakKind::Exec;
    } else {
        b.kind = BreakKind::Watch;
        b.length = static_cast<std::uint32_t>(std::clamp<std::uint64_t>(kind, 1, 0x10000));
        b.access = type == '2' ? AccessKind::Write : type == '3' ? AccessKind::Read : AccessKind::Access;
    }
    BreakpointTable& t = dbg_.breakpoints();
    if (insert) {
        z_type_[t.add(b)] = type;
        return "OK";
    }
    for (const Breakpoint& x : t.all()) {
        const auto z = z_type_.find(x.id);
        if (x.owner != BreakOwner::Gdb || z == z_type_.end() || z->second != type || x.address != b.address) continue;
        if (x.kind == BreakKind::Watch && x.length != b.length) continue;
        const int id = x.id;
        z_type_.erase(id);
        t.remove(id);
        return "OK";
    }
    return "OK";  // removing what is not there is not an error (gdb may repeat itself)
}

std::string GdbStub::monitor(std::string_view hex_command) {
    const auto command = gdb_unhex(hex_command);
    if (!command) return "E01";
    cli_.execute(*command);
    std::string text = monitor_out_.str();
    monitor_out_.str("");
    for (std::size_t i = 0; i < text.size(); i += 512) send(cat("O", gdb_hex(text.substr(i, 512))));
    return "OK";
}

std::string GdbStub::xfer(std::string_view args) {
    // qXfer:features:read:target.xml:offset,length
    constexpr std::string_view kPrefix = "features:read:target.xml:";
    if (!args.starts_with(kPrefix)) return "";
    std::uint64_t offset = 0, length = 0;
    if (!parse_addr_len(args.substr(kPrefix.size()), offset, length)) return "E01";
    if (target_xml_.empty()) target_xml_ = gdb_target_xml(!dbg_.code32());
    const std::string_view xml = target_xml_;
    if (offset >= xml.size()) return "l";
    const std::string_view part = xml.substr(offset, std::min<std::uint64_t>(length, kPacketSize / 2));
    return cat(offset + part.size() >= xml.size() ? "l" : "m", gdb_escape_binary(part));
}

bool GdbStub::handle(const std::string& p) {
    if (p.empty()) {
        send("");
        return true;
    }
    const std::string_view args = std::string_view(p).substr(1);
    switch (p[0]) {
        case '?': send(last_stop_ ? stop_reply(*last_stop_) : "T05thread:1;"); return true;
        case 'g': send(read_registers()); return true;
        case 'G': {
            const auto bytes = gdb_unhex(args);
            if (!bytes) {
                send("E01");
                return true;
            }
            // Registers in target.xml order; a short G (an older gdb) writes only what it has.
            std::size_t pos = 0;
            for (unsigned n = 0; n < 50; ++n) {
                static constexpr std::array<unsigned, 50> kSizes = {
                    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 10, 10, 10, 10, 10, 10, 10, 10, 4,
                    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8};
                if (pos + kSizes[n] > bytes->size()) break;
                write_register(n, std::string_view(*bytes).substr(pos, kSizes[n]));
                pos += kSizes[n];
            }
            send("OK");
            return true;
        }
        case 'p': {
            const auto n = parse_hex_number(args);
            if (!n || *n >= 50) {
                send("E01");
                return true;
            }
            // One register: cut it out of the whole set (they are few and small).
            static constexpr std::array<unsigned, 50> kOffsets = [] {
                std::array<unsigned, 50> o{};
                unsigned at = 0;
                for (unsigned i = 0; i < 50; ++i) {
                    o[i] = at;
                    at += (i >= 16 && i < 24) ? 10 : (i == 49 ? 8 : 4);
                }
                return o;
            }();
            const unsigned size = (*n >= 16 && *n < 24) ? 10 : (*n == 49 ? 8 : 4);
            send(read_registers().substr(kOffsets[*n] * 2, size * 2));
            return true;
        }
        case 'P': {
            const std::size_t eq = args.find('=');
            const auto n = parse_hex_number(args.substr(0, eq));
            const auto bytes = eq == std::string_view::npos ? std::nullopt : gdb_unhex(args.substr(eq + 1));
            send(n && bytes && write_register(static_cast<unsigned>(*n), *bytes) ? "OK" : "E01");
            return true;
        }
        case 'm': send(read_memory(args)); return true;
        case 'M': send(write_memory(args, false)); return true;
        case 'X': send(write_memory(args, true)); return true;
        case 'c':
        case 's':
        case 'C':
        case 'S': {
            // An address after c/s resumes there (a signal number after C/S is ignored: the PC has
            // no signals to deliver).
            if ((p[0] == 'c' || p[0] == 's') && !args.empty()) {
                if (const auto addr = parse_hex_number(args)) {
                    dbg_.state().eip = static_cast<std::uint32_t>(*addr) - dbg_.state().segment(Seg::CS).base;
                }
            }
            send(run(p[0] == 's' || p[0] == 'S'));
            return end_ != End::GuestExited;
        }
        case 'Z': send(breakpoint(args, true)); return true;
        case 'z': send(breakpoint(args, false)); return true;
        case 'D':
            send("OK");
            end_ = End::Detached;
            return false;
        case 'k': end_ = End::Killed; return false;
        case 'H':
        case 'T': send("OK"); return true;
        case 'q':
        case 'Q':
        case 'v': break;
        default: send(""); return true;
    }
    // Queries and v-packets.
    if (p.starts_with("qSupported")) {
        send("PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+");
    } else if (p == "QStartNoAckMode") {
        send("OK");
        ack_ = false;
    } else if (p.starts_with("qXfer:")) {
        send(xfer(std::string_view(p).substr(6)));
    } else if (p == "qAttached") {
        send("1");  // attached to an existing "process": detaching leaves it running
    } else if (p == "qC") {
        send("QC1");
    } else if (p == "qfThreadInfo") {
        send("m1");
    } else if (p == "qsThreadInfo") {
        send("l");
    } else if (p.starts_with("qRcmd,")) {
        send(monitor(std::string_view(p).substr(6)));
    } else if (p == "vKill;1" || p.starts_with("vKill")) {
        send("OK");
        end_ = End::Killed;
        return false;
    } else if (p == "qSymbol::") {
        send("OK");
    } else {
        send("");  // not supported: gdb falls back (vCont -> c/s, and so on)
    }
    return true;
}

}  // namespace lantern
