// The `info` commands: registers, descriptor tables, the TSS, page tables and devices.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ostream>

#include "cpu/interpreter.h"
#include "debugger/cli_debugger.h"
#include "debugger/cli_text.h"

namespace lantern {

using namespace cli_text;  // lower, hex

namespace {

std::string flags_text(std::uint32_t f) {
    static constexpr std::array<std::pair<std::uint32_t, std::string_view>, 14> kBits = {{
        {flag::ID, "ID"}, {flag::AC, "AC"}, {flag::VM, "VM"}, {flag::RF, "RF"}, {flag::NT, "NT"},
        {flag::OF, "OF"}, {flag::DF, "DF"}, {flag::IF, "IF"}, {flag::TF, "TF"}, {flag::SF, "SF"},
        {flag::ZF, "ZF"}, {flag::AF, "AF"}, {flag::PF, "PF"}, {flag::CF, "CF"},
    }};
    std::string s = "[";
    for (const auto& [bit, name] : kBits)
        if (f & bit) {
            s += ' ';
            s += name;
        }
    s += " IOPL=";
    s += std::to_string((f >> 12) & 3);
    s += " ]";
    return s;
}

// A descriptor's type in words (SDM Vol. 3, Table 3-1 and Table 3-2).
std::string descriptor_type(const Descriptor& d) {
    if (!d.is_system()) {
        std::string s = d.is_code() ? "code" : "data";
        const unsigned t = d.type();
        if (d.is_code()) {
            s += (t & 2) ? " readable" : " execute-only";
            if (t & 4) s += " conforming";
        } else {
            s += (t & 2) ? " writable" : " read-only";
            if (t & 4) s += " expand-down";
        }
        if (t & 1) s += " accessed";
        if (d.access & seg_attr::DB) s += " 32-bit";
        return s;
    }
    static constexpr std::array<std::string_view, 16> kSystem = {
        "reserved",      "16-bit TSS (available)", "LDT",           "16-bit TSS (busy)",
        "16-bit call gate", "task gate",           "16-bit interrupt gate", "16-bit trap gate",
        "reserved",      "32-bit TSS (available)", "reserved",      "32-bit TSS (busy)",
        "32-bit call gate", "reserved",            "32-bit interrupt gate", "32-bit trap gate"};
    return std::string(kSystem[d.type()]);
}

std::string describe_descriptor(const Descriptor& d) {
    std::string s = descriptor_type(d);
    const unsigned t = d.type();
    const bool gate = d.is_system() && (t == 4 || t == 5 || t == 6 || t == 7 || t == 12 || t == 14 || t == 15);
    if (gate) {
        s += " -> " + hex(d.gate_selector, 4) + ":" + hex(d.gate_offset, 8);
        if (t == 4 || t == 12) s += " params " + std::to_string(d.gate_params);
    } else {
        s += " base " + hex(d.base, 8) + " limit " + hex(d.limit, 8);
    }
    s += " dpl " + std::to_string(d.dpl()) + (d.present() ? "" : " not-present");
    return s;
}

// Prints the fields of one component (or all) of machine.inspect() as an indented tree.
class PrintingVisitor final : public StateVisitor {
public:
    PrintingVisitor(std::ostream& out, std::string target) : out_(out), target_(std::move(target)) {}

    void begin_group(std::string_view name) override {
        path_.emplace_back(name);
        if (path_.size() == 2) top_level_.push_back(std::string(name));
        if (shown()) {
            matched_ = true;
            indent();
            out_ << path_.back() << ":\n";
        }
    }
    void end_group() override {
        if (!path_.empty()) path_.pop_back();
    }
    void field(std::string_view name, std::uint64_t& value, unsigned bits, std::string_view description) override {
        if (!inside()) return;
        indent();
        out_ << "  " << name << " = ";
        if (bits == 1) out_ << value;
        else out_ << hex(value, static_cast<int>((bits + 3) / 4)) << " (" << value << ")";
        if (!description.empty()) out_ << "  ; " << description;
        out_ << "\n";
    }
    void text(std::string_view name, std::string& value) override {
        if (!inside()) return;
        indent();
        out_ << "  " << name << " = \"" << value << "\"\n";
    }
    void bytes(std::string_view name, std::span<std::uint8_t> data) override {
        if (!inside()) return;
        indent();
        out_ << "  " << name << " = " << data.size() << " bytes:";
        const std::size_t shown_bytes = std::min<std::size_t>(data.size(), 16);
        char buf[4];
        for (std::size_t i = 0; i < shown_bytes; ++i) {
            std::snprintf(buf, sizeof buf, " %02x", data[i]);
            out_ << buf;
        }
        if (data.size() > shown_bytes) out_ << " ...";
        out_ << "\n";
    }

    bool matched() const { return matched_; }
    const std::vector<std::string>& top_level() const { return top_level_; }

private:
    // The path below "machine", dotted: "pic.master".
    std::string dotted(std::size_t depth) const {
        std::string s;
        for (std::size_t i = 1; i < depth && i < path_.size(); ++i) {
            if (!s.empty()) s += '.';
            s += path_[i];
        }
        return s;
    }
    // The group just opened is the target itself or lies inside it.
    bool shown() const { return !target_.empty() && inside(); }
    bool inside() const {
        if (target_.empty()) return false;
        for (std::size_t depth = 2; depth <= path_.size(); ++depth)
            if (dotted(depth) == target_) return true;
        return false;
    }
    void indent() {
        for (std::size_t i = 2; i < path_.size(); ++i) out_ << "  ";
    }

    std::ostream& out_;
    std::string target_;
    std::vector<std::string> path_{};
    std::vector<std::string> top_level_{};
    bool matched_ = false;
};

}  // namespace

void CliDebugger::cmd_info(std::string_view rest) {
    const Args a = split(rest);
    if (a.words.empty()) {
        error("info break|registers|sregs|cregs|fpu|gdt|idt|ldt|tss|tab|device [NAME]|symbols");
        return;
    }
    const std::string what = lower(a.words[0]);
    Args tail;
    tail.words.assign(a.words.begin() + 1, a.words.end());
    if (what == "b" || what == "break" || what == "breakpoints" || what == "watch" || what == "watchpoints")
        info_breakpoints();
    else if (what == "r" || what == "registers" || what == "regs" || what == "cpu") info_registers();
    else if (what == "sregs" || what == "segments") info_sregs();
    else if (what == "cregs" || what == "creg") info_cregs();
    else if (what == "fpu" || what == "float") info_fpu();
    else if (what == "gdt" || what == "ldt") info_descriptor_table(what, tail);
    else if (what == "idt" || what == "ivt") info_idt(tail);
    else if (what == "tss") info_tss();
    else if (what == "tab" || what == "pages") info_tab();
    else if (what == "device" || what == "devices") info_device(tail);
    else if (what == "symbols" || what == "symbol") info_symbols(tail);
    else error("unknown info subcommand '" + what + "'");
}

void CliDebugger::info_breakpoints() {
    const auto& all = dbg_.breakpoints().all();
    if (all.empty()) {
        out_ << "No breakpoints.\n";
        return;
    }
    out_ << "Num  Type        Enb  Hits  What\n";
    for (const Breakpoint& b : all) {
        char line[64];
        std::snprintf(line, sizeof line, "%-4d %-11s %-4s %-5llu ", b.id, std::string(break_kind_name(b.kind)).c_str(),
                      b.enabled ? "y" : "n", static_cast<unsigned long long>(b.hits));
        out_ << line << describe_breakpoint(b);
        if (b.temporary) out_ << " (temporary)";
        if (b.owner == BreakOwner::Gdb) out_ << " (gdb)";
        if (b.ignore_count) out_ << " (ignore next " << b.ignore_count << ")";
        out_ << "\n";
    }
}

void CliDebugger::info_registers() {
    const CpuState& s = dbg_.state();
    // The 8086 and 286 have 16-bit registers: show those, as their manuals name them.
    const bool wide = dbg_.cpu().at_least(CpuModel::I80386);
    static constexpr std::array<const char*, 8> k32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    static constexpr std::array<const char*, 8> k16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    for (int i = 0; i < 8; ++i) {
        if (wide) out_ << k32[i] << " " << hex(s.gpr[i], 8);
        else out_ << k16[i] << " " << hex(s.gpr[i] & 0xFFFF, 4);
        out_ << ((i % 4 == 3) ? "\n" : "  ");
    }
    if (wide) out_ << "eip " << hex(s.eip, 8) << "  eflags " << hex(s.eflags, 8);
    else out_ << "ip " << hex(s.eip & 0xFFFF, 4) << "  flags " << hex(s.eflags & 0xFFFF, 4);
    out_ << " " << flags_text(s.eflags) << "\n";
    static constexpr std::array<const char*, 6> kSeg = {"es", "cs", "ss", "ds", "fs", "gs"};
    const int segs = wide ? 6 : 4;
    for (int i : {1, 3, 0, 2, 4, 5}) {
        if (i >= segs) continue;
        out_ << kSeg[i] << " " << hex(s.seg[i].selector, 4) << "  ";
    }
    out_ << "\npc " << hex(dbg_.linear_pc(), 8) << " (linear)  cycles " << s.cycles << "  instructions "
         << s.instructions << (s.halted ? "  (halted)" : "") << "\n";
}

void CliDebugger::info_sregs() {
    const CpuState& s = dbg_.state();
    static constexpr std::array<const char*, 6> kSeg = {"es", "cs", "ss", "ds", "fs", "gs"};
    auto cache = [&](const char* name, const SegmentCache& c, bool system = false) {
        char line[128];
        std::snprintf(line, sizeof line, "%-4s %04x  base %08x  limit %08x  access %03x", name, c.selector, c.base,
                      c.limit, c.access);
        out_ << line;
        if (!system && (c.access & seg_attr::S)) {
            out_ << ((c.access & seg_attr::Code) ? "  code" : "  data") << " dpl " << ((c.access >> 5) & 3)
                 << ((c.access & seg_attr::DB) ? " 32-bit" : " 16-bit") << ((c.access & seg_attr::Present) ? "" : " not-present");
        }
        out_ << "\n";
    };
    for (int i : {1, 3, 0, 2, 4, 5}) cache(kSeg[i], s.seg[i]);
    cache("ldtr", s.ldtr, true);
    cache("tr", s.tr, true);
    out_ << "gdtr base " << hex(s.gdtr.base, 8) << " limit " << hex(s.gdtr.limit, 4) << "\n";
    out_ << "idtr base " << hex(s.idtr.base, 8) << " limit " << hex(s.idtr.limit, 4) << "\n";
    out_ << "cpl " << static_cast<unsigned>(s.cpl) << "\n";
}

void CliDebugger::info_cregs() {
    const CpuState& s = dbg_.state();
    auto bits = [&](std::uint32_t v, std::initializer_list<std::pair<std::uint32_t, const char*>> names) {
        std::string t = "[";
        for (auto [bit, name] : names)
            if (v & bit) t += std::string(" ") + name;
        return t + " ]";
    };
    out_ << "cr0 " << hex(s.cr[0], 8) << " "
         << bits(s.cr[0], {{cr0::PG, "PG"}, {cr0::CD, "CD"}, {cr0::NW, "NW"}, {cr0::AM, "AM"}, {cr0::WP, "WP"},
                           {cr0::NE, "NE"}, {cr0::ET, "ET"}, {cr0::TS, "TS"}, {cr0::EM, "EM"}, {cr0::MP, "MP"},
                           {cr0::PE, "PE"}})
         << "\n";
    out_ << "cr2 " << hex(s.cr[2], 8) << "  (the last page-fault address)\n";
    out_ << "cr3 " << hex(s.cr[3], 8) << "  (the page directory at " << hex(s.cr[3] & 0xFFFFF000u, 8) << ")\n";
    out_ << "cr4 " << hex(s.cr[4], 8) << " "
         << bits(s.cr[4], {{cr4::OSFXSR, "OSFXSR"}, {cr4::PCE, "PCE"}, {cr4::PGE, "PGE"}, {cr4::MCE, "MCE"},
                           {cr4::PAE, "PAE"}, {cr4::PSE, "PSE"}, {cr4::DE, "DE"}, {cr4::TSD, "TSD"},
                           {cr4::PVI, "PVI"}, {cr4::VME, "VME"}})
         << "\n";
    for (int i : {0, 1, 2, 3, 6, 7}) out_ << "dr" << i << " " << hex(s.dr[i], 8) << ((i == 3 || i == 7) ? "\n" : "  ");
}

void CliDebugger::info_fpu() {
    const fpu::FpuState& f = dbg_.state().fpu;
    if (!dbg_.cpu().at_least(CpuModel::I80386)) out_ << "(the " << cpu_model_name(dbg_.cpu().model())
                                                     << " model has no x87 emulated; its state is shown as reset)\n";
    out_ << "control " << hex(f.control, 4) << "  status " << hex(f.status, 4) << "  tags " << hex(f.tags, 4)
         << "  top " << f.top() << "\n";
    out_ << "last instruction " << hex(f.last_instruction.selector, 4) << ":" << hex(f.last_instruction.offset, 8)
         << "  opcode " << hex(f.last_opcode, 3) << "  last operand " << hex(f.last_operand.selector, 4) << ":"
         << hex(f.last_operand.offset, 8) << "\n";
    static constexpr std::array<const char*, 4> kTag = {"valid", "zero", "special", "empty"};
    for (unsigned i = 0; i < 8; ++i) {
        const fpu::Float80 v = f.st(i);
        char line[160];
        // A display approximation only (host double); the register bits are printed exactly.
        const int exp = static_cast<int>(v.exponent());
        double approx = 0;
        if (exp == 0x7FFF) approx = (v.significand << 1) ? NAN : INFINITY;
        else approx = std::ldexp(static_cast<double>(v.significand), exp - 16383 - 63);
        if (v.sign()) approx = -approx;
        std::snprintf(line, sizeof line, "st%u (r%u) %04x %016llx  %-7s  %.17g\n", i, f.physical(i), v.sign_exponent,
                      static_cast<unsigned long long>(v.significand), kTag[static_cast<int>(f.tag(f.physical(i)))], approx);
        out_ << line;
    }
}

void CliDebugger::info_descriptor_table(const std::string& which, const Args& a) {
    const CpuState& s = dbg_.state();
    std::uint32_t base = s.gdtr.base, limit = s.gdtr.limit;
    if (which == "ldt") {
        if ((s.ldtr.selector & 0xFFFC) == 0) {
            out_ << "No LDT is loaded (LDTR = " << hex(s.ldtr.selector, 4) << ")\n";
            return;
        }
        base = s.ldtr.base;
        limit = s.ldtr.limit;
    }
    std::uint64_t first = 0, last = (static_cast<std::uint64_t>(limit) + 1) / 8;
    if (last > 0) --last;
    if (!a.words.empty()) {
        const auto f = value_of(a.words[0]);
        if (!f) return;
        first = last = *f;
        if (a.words.size() > 1) {
            const auto l = value_of(a.words[1]);
            if (!l) return;
            last = *l;
        }
    }
    out_ << (which == "gdt" ? "GDT" : "LDT") << " at linear " << hex(base, 8) << ", limit " << hex(limit, 4) << "\n";
    const bool is286 = dbg_.cpu().model() == CpuModel::I80286;
    std::uint64_t shown = 0;
    for (std::uint64_t i = first; i <= last && i < 8192; ++i) {
        if (i * 8 + 7 > limit) break;
        std::array<std::uint8_t, 8> raw{};
        if (!dbg_.read_linear(base + static_cast<std::uint32_t>(i * 8), raw)) {
            out_ << "  " << hex(i * 8, 4) << ": <not mapped>\n";
            continue;
        }
        const std::uint32_t lo = raw[0] | (raw[1] << 8) | (raw[2] << 16) | (static_cast<std::uint32_t>(raw[3]) << 24);
        std::uint32_t hi = raw[4] | (raw[5] << 8) | (raw[6] << 16) | (static_cast<std::uint32_t>(raw[7]) << 24);
        if (lo == 0 && hi == 0 && a.words.empty()) continue;  // empty slots clutter the listing
        if (is286) hi &= 0xFFFF;
        out_ << "  " << hex(i * 8 | (which == "ldt" ? 4 : 0), 4) << ": " << hex(hi, 8) << " " << hex(lo, 8) << "  "
             << (lo == 0 && hi == 0 ? std::string("null") : describe_descriptor(Interpreter::parse_descriptor(lo, hi)))
             << "\n";
        ++shown;
    }
    if (shown == 0) out_ << "  (no descriptors)\n";
}

void CliDebugger::info_idt(const Args& a) {
    const CpuState& s = dbg_.state();
    const bool real = !dbg_.mode().pe;
    const unsigned entry = real ? 4 : 8;
    std::uint64_t first = 0, last = 255;
    if (!a.words.empty()) {
        const auto f = value_of(a.words[0]);
        if (!f) return;
        first = last = *f & 0xFF;
        if (a.words.size() > 1) {
            const auto l = value_of(a.words[1]);
            if (!l) return;
            last = std::min<std::uint64_t>(*l, 255);
        }
    }
    out_ << (real ? "Interrupt vector table" : "IDT") << " at linear " << hex(s.idtr.base, 8) << ", limit "
         << hex(s.idtr.limit, 4) << "\n";
    for (std::uint64_t v = first; v <= last; ++v) {
        if (v * entry + entry - 1 > s.idtr.limit) break;
        std::array<std::uint8_t, 8> raw{};
        if (!dbg_.read_linear(s.idtr.base + static_cast<std::uint32_t>(v * entry), std::span(raw).first(entry))) {
            out_ << "  " << hex(v, 2) << ": <not mapped>\n";
            continue;
        }
        out_ << "  " << hex(v, 2) << ": ";
        if (real) {
            const unsigned off = raw[0] | (raw[1] << 8), seg = raw[2] | (raw[3] << 8);
            const std::uint32_t linear = (seg << 4) + off;
            out_ << hex(seg, 4).substr(2) << ":" << hex(off, 4).substr(2) << " (" << hex(linear, 8) << ")";
            const std::string sym = dbg_.symbols().describe(linear);
            if (!sym.empty()) out_ << " <" << sym << ">";
        } else {
            const std::uint32_t lo = raw[0] | (raw[1] << 8) | (raw[2] << 16) | (static_cast<std::uint32_t>(raw[3]) << 24);
            const std::uint32_t hi = raw[4] | (raw[5] << 8) | (raw[6] << 16) | (static_cast<std::uint32_t>(raw[7]) << 24);
            out_ << (lo == 0 && hi == 0 ? std::string("null") : describe_descriptor(Interpreter::parse_descriptor(lo, hi)));
        }
        out_ << "\n";
    }
}

void CliDebugger::info_tss() {
    const CpuState& s = dbg_.state();
    if (!dbg_.mode().pe || (s.tr.selector & 0xFFFC) == 0) {
        out_ << "No task register loaded (TR = " << hex(s.tr.selector, 4) << ")\n";
        return;
    }
    const unsigned type = s.tr.access & 0xF;
    const bool tss32 = type == 9 || type == 11;
    out_ << (tss32 ? "32-bit" : "16-bit") << " TSS " << hex(s.tr.selector, 4) << " at linear " << hex(s.tr.base, 8)
         << ", limit " << hex(s.tr.limit, 8) << "\n";
    auto rd = [&](std::uint32_t off, unsigned w) -> std::string {
        const auto v = dbg_.read_memory(s.tr.base + off, w);
        return v ? hex(*v, static_cast<int>(w) * 2) : std::string("??");
    };
    if (tss32) {
        // SDM Vol. 3, Figure 7-2: the 32-bit TSS.
        out_ << "  link " << rd(0, 2) << "  esp0 " << rd(4, 4) << " ss0 " << rd(8, 2) << "  esp1 " << rd(12, 4)
             << " ss1 " << rd(16, 2) << "  esp2 " << rd(20, 4) << " ss2 " << rd(24, 2) << "\n";
        out_ << "  cr3 " << rd(28, 4) << "  eip " << rd(32, 4) << "  eflags " << rd(36, 4) << "\n";
        static constexpr std::array<const char*, 8> kRegs = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
        out_ << " ";
        for (unsigned i = 0; i < 8; ++i) out_ << " " << kRegs[i] << " " << rd(40 + 4 * i, 4);
        out_ << "\n  es " << rd(72, 2) << " cs " << rd(76, 2) << " ss " << rd(80, 2) << " ds " << rd(84, 2) << " fs "
             << rd(88, 2) << " gs " << rd(92, 2) << "  ldt " << rd(96, 2) << "  T " << rd(100, 2) << "  iomap "
             << rd(102, 2) << "\n";
    } else {
        // 80286 PRM, Figure 8-1: the 286 TSS.
        out_ << "  link " << rd(0, 2) << "  sp0 " << rd(2, 2) << " ss0 " << rd(4, 2) << "  sp1 " << rd(6, 2) << " ss1 "
             << rd(8, 2) << "  sp2 " << rd(10, 2) << " ss2 " << rd(12, 2) << "\n";
        out_ << "  ip " << rd(14, 2) << "  flags " << rd(16, 2) << "  ax " << rd(18, 2) << " cx " << rd(20, 2)
             << " dx " << rd(22, 2) << " bx " << rd(24, 2) << " sp " << rd(26, 2) << " bp " << rd(28, 2) << " si "
             << rd(30, 2) << " di " << rd(32, 2) << "\n";
        out_ << "  es " << rd(34, 2) << " cs " << rd(36, 2) << " ss " << rd(38, 2) << " ds " << rd(40, 2) << "  ldt "
             << rd(42, 2) << "\n";
    }
}

void CliDebugger::info_tab() {
    const CpuState& s = dbg_.state();
    if (!(s.cr[0] & cr0::PG)) {
        out_ << "Paging is off (CR0.PG = 0): linear addresses are physical\n";
        return;
    }
    // Walk the two-level tables (SDM Vol. 3, 4.3) and print runs of pages that map contiguously
    // with the same rights, "linear-range -> physical-range flags".
    const std::uint32_t dir = s.cr[3] & 0xFFFFF000u;
    auto rd32 = [&](std::uint32_t phys) {
        std::array<std::uint8_t, 4> b{};
        dbg_.read_physical(phys, b);
        return b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
    };
    struct Run {
        bool open = false;
        std::uint64_t lin = 0, phys = 0, size = 0;
        std::uint32_t flags = 0;
    } run;
    unsigned lines = 0;
    constexpr unsigned kMaxLines = 512;
    auto flush = [&] {
        if (!run.open) return;
        if (lines++ < kMaxLines) {
            out_ << "  " << hex(run.lin, 8) << "-" << hex(run.lin + run.size - 1, 8) << " -> " << hex(run.phys, 8) << "-"
                 << hex(run.phys + run.size - 1, 8) << ((run.flags & 2) ? " rw" : " ro")
                 << ((run.flags & 4) ? " user" : " supervisor") << "\n";
        }
        run.open = false;
    };
    auto add = [&](std::uint64_t lin, std::uint64_t phys, std::uint64_t size, std::uint32_t flags) {
        if (run.open && run.lin + run.size == lin && run.phys + run.size == phys && run.flags == flags) {
            run.size += size;
            return;
        }
        flush();
        run = Run{true, lin, phys, size, flags};
    };
    out_ << "Page directory at physical " << hex(dir, 8) << "\n";
    for (std::uint32_t i = 0; i < 1024; ++i) {
        const std::uint32_t pde = rd32(dir + i * 4);
        if (!(pde & 1)) {
            flush();
            continue;
        }
        if ((pde & 0x80) && (s.cr[4] & cr4::PSE)) {
            add(static_cast<std::uint64_t>(i) << 22, pde & 0xFFC00000u, 1u << 22, pde & 6);
            continue;
        }
        const std::uint32_t table = pde & 0xFFFFF000u;
        for (std::uint32_t j = 0; j < 1024; ++j) {
            const std::uint32_t pte = rd32(table + j * 4);
            if (!(pte & 1)) {
                flush();
                continue;
            }
            // Effective rights: both levels must allow (SDM Vol. 3, 4.6).
            add((static_cast<std::uint64_t>(i) << 22) | (j << 12), pte & 0xFFFFF000u, 4096, pde & pte & 6);
        }
    }
    flush();
    if (lines > kMaxLines) out_ << "  ... " << (lines - kMaxLines) << " more runs not shown\n";
    if (lines == 0) out_ << "  (nothing mapped)\n";
}

void CliDebugger::info_device(const Args& a) {
    const std::string name = a.words.empty() ? "" : lower(a.words[0]);
    PrintingVisitor v(out_, name);
    dbg_.machine().inspect(v);
    if (name.empty() || !v.matched()) {
        if (!name.empty()) out_ << "No device or group named '" << name << "'. ";
        out_ << "Devices and groups:";
        for (const std::string& n : v.top_level()) out_ << " " << n;
        out_ << "\n";
    }
}

void CliDebugger::info_symbols(const Args& a) {
    const auto& all = dbg_.symbols().all();
    const std::string filter = a.words.empty() ? "" : a.words[0];
    std::size_t shown = 0;
    for (const Symbol& s : all) {
        if (!filter.empty() && s.name.find(filter) == std::string::npos) continue;
        if (shown++ >= 1000) {
            out_ << "... (more: give a filter)\n";
            break;
        }
        out_ << hex(s.address, 8) << " " << s.name << "\n";
    }
    if (all.empty()) out_ << "No symbols loaded (symbols FILE [BIAS])\n";
}

}  // namespace lantern
