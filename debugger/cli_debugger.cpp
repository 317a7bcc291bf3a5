#include "debugger/cli_debugger.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <istream>
#include <ostream>

#include "cpu/interpreter.h"
#include "debugger/cli_text.h"

namespace lantern {

using namespace cli_text;  // lower, trim, hex, find_top_level

namespace {

// Commands that run the machine (refused through gdb's `monitor`).
bool is_run_command(const std::string& c) {
    static constexpr std::array<std::string_view, 17> kRun = {"c",      "cont",  "continue", "s",     "step",
                                                              "si",     "stepi", "n",        "next",  "ni",
                                                              "nexti",  "finish", "until",   "advance", "cycles",
                                                              "run",    "reset"};
    return std::find(kRun.begin(), kRun.end(), c) != kRun.end();
}

}  // namespace

CliDebugger::CliDebugger(Debugger& debugger, std::ostream& out) : dbg_(debugger), out_(out) {}

void CliDebugger::error(const std::string& message) { out_ << "Error: " << message << "\n"; }

CliDebugger::Args CliDebugger::split(std::string_view text) {
    Args a;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        if (i >= text.size()) break;
        const std::size_t start = i;
        int depth = 0;
        while (i < text.size() && (depth > 0 || !std::isspace(static_cast<unsigned char>(text[i])))) {
            if (text[i] == '(' || text[i] == '[') ++depth;
            else if ((text[i] == ')' || text[i] == ']') && depth > 0) --depth;
            ++i;
        }
        const std::string_view word = text.substr(start, i - start);
        if (word == "if") {
            a.condition = std::string(trim(text.substr(i)));
            break;
        }
        a.words.emplace_back(word);
    }
    return a;
}

std::optional<std::uint64_t> CliDebugger::value_of(std::string_view expression) {
    const ExpressionResult r = dbg_.evaluate(trim(expression));
    if (!r) {
        error(r.error);
        return std::nullopt;
    }
    return *r.value;
}

bool CliDebugger::split_segoff(std::string_view text, std::uint64_t& seg, std::uint64_t& off) {
    const std::size_t colon = find_top_level(text, ':');
    if (colon == std::string_view::npos) return false;
    const auto s = value_of(text.substr(0, colon));
    if (!s) return false;
    const auto o = value_of(text.substr(colon + 1));
    if (!o) return false;
    seg = *s & 0xFFFF;
    off = *o & 0xFFFFFFFFu;
    return true;
}

void CliDebugger::run(std::istream& in, bool echo, bool interactive) {
    std::string line;
    while (!quit_) {
        if (interactive && !echo) out_ << "(lantern) " << std::flush;
        if (!std::getline(in, line)) break;
        if (echo) out_ << "(lantern) " << line << "\n";
        if (trim(line).empty()) {
            if (!interactive || last_line_.empty()) continue;
            line = last_line_;
        } else {
            last_line_ = line;
        }
        if (!execute(line)) break;
        out_.flush();
    }
    out_.flush();
}

bool CliDebugger::execute(std::string_view line) {
    line = trim(line);
    if (line.empty() || line.front() == '#') return !quit_;
    // The command word ends at a space or at a '/' (x/4bx, p/x, u/10).
    std::size_t end = 0;
    while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end])) && line[end] != '/') ++end;
    const std::string command = lower(line.substr(0, end));
    const std::string_view rest = trim(line.substr(end));
    if (!run_allowed_ && is_run_command(command)) {
        error("'" + command + "' runs the machine: use gdb's own continue/step/finish instead of monitor");
        return true;
    }
    if (!dispatch(command, rest)) error("unknown command '" + command + "' (try 'help')");
    return !quit_;
}

bool CliDebugger::dispatch(const std::string& c, std::string_view rest) {
    const Args a = split(rest);
    if (c == "q" || c == "quit" || c == "exit") {
        quit_ = true;
    } else if (is_run_command(c)) {
        cmd_run(c, a);
    } else if (c == "b" || c == "break" || c == "tbreak" || c == "lb" || c == "lbreak" || c == "pb" ||
               c == "pbreak" || c == "vb" || c == "vbreak") {
        cmd_break(c, a);
    } else if (c == "watch" || c == "rwatch" || c == "awatch") {
        cmd_watch(c, a);
    } else if (c == "iobreak") {
        cmd_iobreak(a);
    } else if (c == "intbreak") {
        cmd_intbreak(a);
    } else if (c == "modebreak") {
        cmd_modebreak(a);
    } else if (c == "devbreak") {
        cmd_devbreak(a);
    } else if (c == "d" || c == "delete" || c == "disable" || c == "enable") {
        cmd_delete_enable(c, a);
    } else if (c == "condition") {
        cmd_condition(rest);
    } else if (c == "ignore") {
        cmd_ignore(a);
    } else if (c == "info" || c == "i") {
        cmd_info(rest);
    } else if (c == "r" || c == "registers" || c == "regs") {
        info_registers();
    } else if (c == "sregs") {
        info_sregs();
    } else if (c == "creg" || c == "cregs") {
        info_cregs();
    } else if (c == "x") {
        cmd_examine(false, rest);
    } else if (c == "xp") {
        cmd_examine(true, rest);
    } else if (c == "u" || c == "disasm" || c == "disassemble") {
        cmd_disasm(rest);
    } else if (c == "set" || c == "setreg") {
        cmd_set(rest);
    } else if (c == "p" || c == "print") {
        cmd_print(rest);
    } else if (c == "bt" || c == "backtrace" || c == "where") {
        cmd_backtrace(a);
    } else if (c == "trace") {
        const bool on = a.words.empty() || lower(a.words[0]) == "on";
        if (on) dbg_.set_trace([this](const std::string& l) { out_ << l << "\n"; });
        else dbg_.set_trace({});
        out_ << "Trace " << (on ? "on" : "off") << "\n";
    } else if (c == "magic" || c == "magic-break") {
        const bool on = a.words.empty() || lower(a.words[0]) == "on";
        dbg_.set_magic_break(on);
        out_ << "Magic breakpoints (xchg bx, bx) " << (on ? "on" : "off") << "\n";
    } else if (c == "symbols" || c == "loadsym" || c == "ldsym" || c == "symbol-file") {
        cmd_symbols(a);
    } else if (c == "help" || c == "h") {
        cmd_help(a);
    } else {
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Run control

void CliDebugger::report_stop(const StopInfo& stop) {
    switch (stop.kind) {
        case StopKind::Step:
        case StopKind::Next: break;  // the instruction line says it all
        case StopKind::Finish: out_ << "Run till exit: returned\n"; break;
        default: out_ << stop.reason << "\n"; break;
    }
    if (stop.kind == StopKind::GuestExit || stop.kind == StopKind::PowerOff) return;
    out_ << dbg_.current_instruction_line();
    if (dbg_.state().halted) out_ << "  (halted: HLT waits for an interrupt)";
    out_ << "\n";
}

void CliDebugger::cmd_run(const std::string& c, const Args& a) {
    std::uint64_t count = 1;
    if ((c == "s" || c == "step" || c == "si" || c == "stepi" || c == "n" || c == "next" || c == "ni" ||
         c == "nexti" || c == "cycles") &&
        !a.words.empty()) {
        const auto v = value_of(a.words[0]);
        if (!v) return;
        count = *v;
    }
    StopInfo stop;
    if (c == "reset") {
        // Power-on reset: RAM cleared, devices and CPU reset; breakpoints and symbols stay.
        dbg_.machine().reset();
        last_stop_.reset();
        out_ << "Machine reset\n" << dbg_.current_instruction_line() << "\n";
        return;
    }
    if (c == "c" || c == "cont" || c == "continue" || c == "run") {
        stop = dbg_.continue_run();
    } else if (c == "s" || c == "step" || c == "si" || c == "stepi") {
        stop = dbg_.step(count);
    } else if (c == "n" || c == "next" || c == "ni" || c == "nexti") {
        for (std::uint64_t i = 0; i < std::max<std::uint64_t>(count, 1); ++i) {
            stop = dbg_.next();
            if (stop.kind != StopKind::Next && stop.kind != StopKind::Step) break;
        }
    } else if (c == "finish") {
        stop = dbg_.finish();
    } else if (c == "until" || c == "advance") {
        if (a.words.empty()) {
            error(c + " needs an address");
            return;
        }
        const auto v = value_of(a.words[0].front() == '*' ? a.words[0].substr(1) : a.words[0]);
        if (!v) return;
        stop = dbg_.run_until(static_cast<std::uint32_t>(*v));
    } else if (c == "cycles") {
        if (a.words.empty()) {
            error("cycles needs a count");
            return;
        }
        stop = dbg_.run_cycles(count);
    }
    last_stop_ = stop;
    report_stop(stop);
}

// ---------------------------------------------------------------------------------------------
// Memory, disassembly, registers

void CliDebugger::cmd_examine(bool physical, std::string_view rest) {
    unsigned unit = 1;
    char format = 'x';
    std::uint64_t count = 0;
    if (!rest.empty() && rest.front() == '/') {
        std::size_t i = 1;
        while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) {
            count = count * 10 + static_cast<unsigned>(rest[i] - '0');
            if (count > 0x100000) break;
            ++i;
        }
        for (; i < rest.size() && !std::isspace(static_cast<unsigned char>(rest[i])); ++i) {
            switch (std::tolower(static_cast<unsigned char>(rest[i]))) {
                case 'b': unit = 1; break;
                case 'h': unit = 2; break;
                case 'w': unit = 4; break;
                case 'g': unit = 8; break;
                case 'x': case 'd': case 'u': case 'c': case 'i': format = static_cast<char>(std::tolower(rest[i])); break;
                default: error(std::string("unknown unit or format '") + rest[i] + "' (units b h w g, formats x d u c i)"); return;
            }
        }
        rest = trim(rest.substr(i));
    }
    if (format == 'i') {  // gdb's x/Ni: instructions, as `u`
        if (physical) {
            error("xp cannot disassemble: use u with a linear address");
            return;
        }
        std::string args = "/" + std::to_string(count == 0 ? 1 : count);
        if (!rest.empty()) args += " " + std::string(rest);
        cmd_disasm(args);
        return;
    }
    if (format == 'c') unit = 1;
    if (count == 0) count = 16 / unit;
    count = std::min<std::uint64_t>(count, 4096);  // a screenful or two, not a dump of RAM
    std::uint64_t addr = physical ? 0 : dbg_.linear_pc();
    if (!rest.empty()) {
        const auto v = value_of(rest);
        if (!v) return;
        addr = *v & 0xFFFFFFFFu;
    }
    const unsigned per_line = format == 'c' ? 16 : 16 / unit;
    for (std::uint64_t n = 0; n < count; ++n) {
        const auto a = static_cast<std::uint32_t>(addr + n * unit);
        if (n % per_line == 0) {
            if (n != 0) out_ << "\n";
            out_ << hex(a, 8);
            if (!physical) {
                const std::string sym = dbg_.symbols().describe(a);
                if (!sym.empty()) out_ << " <" << sym << ">";
            }
            out_ << ":";
        }
        std::array<std::uint8_t, 8> bytes{};
        const std::span<std::uint8_t> span = std::span(bytes).first(unit);
        if (physical) dbg_.read_physical(a, span);
        else if (!dbg_.read_linear(a, span)) {
            out_ << " <not mapped>\n";
            return;
        }
        std::uint64_t v = 0;
        for (unsigned i = unit; i-- > 0;) v = (v << 8) | bytes[i];
        if (format == 'x') {
            out_ << " " << hex(v, static_cast<int>(unit) * 2);
        } else if (format == 'u') {
            out_ << " " << v;
        } else if (format == 'd') {
            const unsigned bits = unit * 8;
            const std::int64_t sv = bits == 64 ? static_cast<std::int64_t>(v)
                                               : static_cast<std::int64_t>(v << (64 - bits)) >> (64 - bits);
            out_ << " " << sv;
        } else {
            const auto ch = static_cast<unsigned char>(v);
            if (ch >= 0x20 && ch < 0x7F) out_ << " '" << static_cast<char>(ch) << "'";
            else out_ << " " << hex(ch, 2);
        }
    }
    out_ << "\n";
}

void CliDebugger::cmd_disasm(std::string_view rest) {
    std::uint64_t count = 8;
    if (!rest.empty() && rest.front() == '/') {
        std::size_t i = 1;
        std::uint64_t n = 0;
        while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])) && n < 100000)
            n = n * 10 + static_cast<unsigned>(rest[i++] - '0');
        if (n != 0) count = std::min<std::uint64_t>(n, 10000);
        rest = trim(rest.substr(i));
    }
    const CpuState& s = dbg_.state();
    std::uint32_t linear = dbg_.linear_pc();
    std::uint16_t cs = s.segment(Seg::CS).selector;
    std::uint32_t ip = s.eip;
    if (!rest.empty()) {
        std::uint64_t seg = 0, off = 0;
        if (find_top_level(rest, ':') != std::string_view::npos) {
            if (!split_segoff(rest, seg, off)) return;
            const auto lin = value_of(rest);
            if (!lin) return;
            linear = static_cast<std::uint32_t>(*lin);
            cs = static_cast<std::uint16_t>(seg);
            ip = static_cast<std::uint32_t>(off);
        } else {
            const auto v = value_of(rest);
            if (!v) return;
            linear = static_cast<std::uint32_t>(*v);
            ip = linear - s.segment(Seg::CS).base;
        }
    }
    const bool is32 = dbg_.code32();
    const std::uint32_t mask = is32 ? 0xFFFFFFFFu : 0xFFFFu;
    for (std::uint64_t n = 0; n < count; ++n) {
        out_ << dbg_.instruction_line(linear, cs, ip & mask, is32) << "\n";
        const unsigned len = std::max(1u, dbg_.disassemble_at(linear, ip & mask, is32).length);
        linear += len;
        ip += len;
    }
}

void CliDebugger::cmd_set(std::string_view rest) {
    // gdb spellings: `set var $eax = 1`, `set $eax = 1`.
    if (rest.starts_with("var ")) rest = trim(rest.substr(4));
    std::size_t eq = std::string_view::npos;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] != '=') continue;
        const bool part_of_op = (i + 1 < rest.size() && rest[i + 1] == '=') ||
                                (i > 0 && (rest[i - 1] == '=' || rest[i - 1] == '!' || rest[i - 1] == '<' ||
                                           rest[i - 1] == '>'));
        if (!part_of_op) {
            eq = i;
            break;
        }
    }
    if (eq == std::string_view::npos) {
        error("set REG = EXPR, or set byte|word|dword [ADDR] = EXPR");
        return;
    }
    std::string lhs(trim(rest.substr(0, eq)));
    const auto value = value_of(rest.substr(eq + 1));
    if (!value) return;
    std::string lhs_lower = lower(lhs);
    unsigned width = 0;
    for (auto [kw, w] : {std::pair<std::string_view, unsigned>{"byte", 1}, {"word", 2}, {"dword", 4}}) {
        if (lhs_lower.starts_with(kw)) {
            const std::string_view after = trim(std::string_view(lhs_lower).substr(kw.size()));
            if (!after.empty() && after.front() == '[') {
                width = w;
                lhs = std::string(trim(std::string_view(lhs).substr(kw.size())));
                lhs_lower = lower(lhs);
            }
        }
    }
    if (!lhs.empty() && lhs.front() == '[') {
        if (width == 0) width = 4;
        if (lhs.back() != ']') {
            error("missing ']'");
            return;
        }
        const auto addr = value_of(std::string_view(lhs).substr(1, lhs.size() - 2));
        if (!addr) return;
        std::array<std::uint8_t, 4> bytes{};
        for (unsigned i = 0; i < width; ++i) bytes[i] = static_cast<std::uint8_t>(*value >> (8 * i));
        if (!dbg_.write_linear(static_cast<std::uint32_t>(*addr), std::span(bytes).first(width))) {
            error("linear " + hex(*addr, 8) + " is not mapped");
            return;
        }
        out_ << (width == 1 ? "byte" : width == 2 ? "word" : "dword") << " [" << hex(*addr, 8)
             << "] = " << hex(*value & ((width == 4) ? 0xFFFFFFFFull : ((1ull << (8 * width)) - 1)), width * 2)
             << "\n";
        return;
    }
    std::string name = lhs_lower;
    if (!name.empty() && name.front() == '$') name.erase(0, 1);
    std::string why;
    if (!dbg_.set_register(name, *value, why)) {
        error(why);
        return;
    }
    out_ << name << " = " << hex(*dbg_.register_value(name)) << "\n";
}

void CliDebugger::cmd_print(std::string_view rest) {
    // gdb's p/x: every value prints in hex and decimal anyway.
    if (!rest.empty() && rest.front() == '/') {
        std::size_t i = 1;
        while (i < rest.size() && std::isalpha(static_cast<unsigned char>(rest[i]))) ++i;
        rest = trim(rest.substr(i));
    }
    if (rest.empty()) {
        error("print EXPR");
        return;
    }
    const auto v = value_of(rest);
    if (!v) return;
    out_ << "$" << ++print_counter_ << " = " << hex(*v) << " (" << *v << ")\n";
}

void CliDebugger::cmd_backtrace(const Args& a) {
    std::uint64_t limit = 16;
    if (!a.words.empty()) {
        const auto v = value_of(a.words[0]);
        if (!v) return;
        limit = std::clamp<std::uint64_t>(*v, 1, 1000);
    }
    // The frame-pointer chain: a routine that begins `push bp; mov bp, sp` (`push ebp; mov ebp,
    // esp` in 32-bit code) leaves [bp] = the caller's bp and [bp + 2] (+4) = the return address.
    // Near calls are assumed: the return address is an offset in the current code segment.
    const CpuState& s = dbg_.state();
    const bool is32 = (s.segment(Seg::SS).access & seg_attr::DB) != 0 && dbg_.mode().pe && !dbg_.mode().vm;
    const unsigned w = is32 ? 4 : 2;
    const std::uint32_t ss_base = s.segment(Seg::SS).base;
    const std::uint32_t cs_base = s.segment(Seg::CS).base;
    std::uint32_t bp = is32 ? s.gpr[5] : (s.gpr[5] & 0xFFFF);
    auto frame_line = [&](std::uint64_t n, std::uint32_t ip) {
        const std::uint32_t linear = cs_base + ip;
        out_ << "#" << n << "  " << hex(linear, 8) << " " << hex(s.segment(Seg::CS).selector, 4).substr(2) << ":"
             << hex(ip, is32 ? 8 : 4).substr(2);
        const std::string sym = dbg_.symbols().describe(linear);
        if (!sym.empty()) out_ << " <" << sym << ">";
        out_ << "\n";
    };
    frame_line(0, s.eip);
    for (std::uint64_t n = 1; n < limit; ++n) {
        if (bp == 0) break;
        const auto saved_bp = dbg_.read_memory(ss_base + bp, w);
        const auto ret = dbg_.read_memory(ss_base + ((bp + w) & (is32 ? 0xFFFFFFFFu : 0xFFFFu)), w);
        if (!saved_bp || !ret) break;
        frame_line(n, *ret);
        // Callers' frames lie above: a chain that does not climb is not a frame chain.
        if (*saved_bp <= bp) break;
        bp = *saved_bp;
    }
}

void CliDebugger::cmd_symbols(const Args& a) {
    if (a.words.empty()) {
        error("symbols FILE [BIAS]: an nm-style list or an ELF32 file");
        return;
    }
    std::uint32_t bias = 0;
    if (a.words.size() > 1) {
        const auto v = value_of(a.words[1]);
        if (!v) return;
        bias = static_cast<std::uint32_t>(*v);
    }
    const auto r = dbg_.symbols().load_file(a.words[0], bias);
    if (!r.error.empty()) error(a.words[0] + ": " + r.error);
    out_ << "Loaded " << r.added << " symbol" << (r.added == 1 ? "" : "s") << " from " << a.words[0] << "\n";
}

void CliDebugger::cmd_help(const Args& a) {
    (void)a;
    out_ << "Run:      c|continue  s|step [N]  n|next [N]  finish  until ADDR  cycles N  reset  q|quit\n"
            "Break:    break|b ADDR|SEG:OFF  tbreak  lb ADDR (linear)  pb ADDR (physical)  vb SEG:OFF\n"
            "          watch|rwatch|awatch [phys] ADDR [LEN]  iobreak PORT[..LAST] [in|out|any]\n"
            "          intbreak VECTOR  modebreak real|protected|paging|v86|any\n"
            "          devbreak irq [N]|pit [CH]|vga [MODE]|disk [CMD]   (any of these: ... if EXPR)\n"
            "          delete|disable|enable [N...]  condition N [EXPR]  ignore N COUNT  info break\n"
            "State:    r  info registers|sregs|cregs|fpu|gdt|idt|ldt|tss|tab|device [NAME]|symbols\n"
            "          x /NUF ADDR (linear)  xp /NUF ADDR (physical)   N count, U b|h|w|g, F x|d|u|c\n"
            "          u|disasm [/N] [ADDR]  bt [N]  print EXPR  set REG = EXPR  set byte|word|dword [ADDR] = EXPR\n"
            "Other:    trace on|off  magic on|off  symbols FILE [BIAS]\n"
            "EXPR:     registers (eax ax al ... cs eip cr0 zf), 0x hex / decimal, seg:off, [addr] byte[] word[]\n"
            "          dword[], + - * / % << >> & | ^ ~ ! == != < <= > >= && ||, symbols\n";
}

}  // namespace lantern
