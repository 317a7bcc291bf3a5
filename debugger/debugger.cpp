#include "debugger/debugger.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>

#include "cpu/interpreter.h"

namespace lantern {

namespace {

// How often a run returns to poll for Ctrl-C / gdb's interrupt. Host time only decides where the
// run is sliced, which the guest cannot observe (Machine::kMaxSliceCycles explains why).
constexpr std::chrono::milliseconds kPollInterval{20};

std::string hex(std::uint64_t v, int digits = 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
    return buf;
}

std::string hex_plain(std::uint64_t v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(v));
    return buf;
}

constexpr std::array<std::string_view, 8> kReg32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
constexpr std::array<std::string_view, 8> kReg16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
constexpr std::array<std::string_view, 8> kReg8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
constexpr std::array<std::string_view, 6> kSegs = {"es", "cs", "ss", "ds", "fs", "gs"};
struct FlagName {
    std::string_view name;
    std::uint32_t bit;
};
constexpr std::array<FlagName, 9> kFlags = {{{"cf", flag::CF}, {"pf", flag::PF}, {"af", flag::AF},
                                             {"zf", flag::ZF}, {"sf", flag::SF}, {"tf", flag::TF},
                                             {"if", flag::IF}, {"df", flag::DF}, {"of", flag::OF}}};

template <std::size_t N>
int index_of(const std::array<std::string_view, N>& names, std::string_view n) {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == n) return static_cast<int>(i);
    return -1;
}

bool overlaps(std::uint64_t a, std::uint64_t a_len, std::uint64_t b, std::uint64_t b_len) {
    return a < b + b_len && b < a + a_len;
}

}  // namespace

Debugger::Debugger(Machine& machine) : machine_(machine), cpu_(machine.interpreter()) {}

Debugger::~Debugger() {
    cpu_.set_observer(nullptr, 0);
    machine_.set_event_sink(nullptr);
}

CpuState& Debugger::state() { return cpu_.state(); }
const CpuState& Debugger::state() const { return cpu_.state(); }

std::uint32_t Debugger::linear_pc() const { return state().segment(Seg::CS).base + state().eip; }

CpuModeBits Debugger::mode() const {
    const CpuState& s = state();
    return CpuModeBits{(s.cr[0] & cr0::PE) != 0, (s.cr[0] & cr0::PG) != 0, (s.eflags & flag::VM) != 0};
}

bool Debugger::code32() const { return cpu_.code32(); }

// ---------------------------------------------------------------------------------------------
// Memory

bool Debugger::translate(std::uint32_t linear, std::uint32_t& physical) const {
    if (!cpu_.peek_translate(linear, physical)) return false;
    physical &= machine_.memory().effective_mask();
    return true;
}

bool Debugger::read_linear(std::uint32_t linear, std::span<std::uint8_t> out) const {
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint32_t phys = 0;
        if (!translate(linear + static_cast<std::uint32_t>(i), phys)) return false;
        out[i] = machine_.memory().peek8(phys);
    }
    return true;
}

bool Debugger::read_physical(std::uint32_t physical, std::span<std::uint8_t> out) const {
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = machine_.memory().peek8(physical + static_cast<std::uint32_t>(i));
    return true;
}

bool Debugger::write_linear(std::uint32_t linear, std::span<const std::uint8_t> bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::uint32_t phys = 0;
        if (!translate(linear + static_cast<std::uint32_t>(i), phys)) return false;
        machine_.memory().write8(phys, bytes[i]);
    }
    return true;
}

void Debugger::write_physical(std::uint32_t physical, std::span<const std::uint8_t> bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i)
        machine_.memory().write8(physical + static_cast<std::uint32_t>(i), bytes[i]);
}

std::optional<std::uint32_t> Debugger::read_memory(std::uint32_t linear, unsigned width) const {
    std::array<std::uint8_t, 4> b{};
    if (width == 0 || width > 4 || !read_linear(linear, std::span(b).first(width))) return std::nullopt;
    return b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
}

// ---------------------------------------------------------------------------------------------
// Registers

std::optional<std::uint64_t> Debugger::register_value(std::string_view n) const {
    const CpuState& s = state();
    if (int i = index_of(kReg32, n); i >= 0) return s.gpr[i];
    if (int i = index_of(kReg16, n); i >= 0) return s.gpr[i] & 0xFFFF;
    if (int i = index_of(kReg8, n); i >= 0) return i < 4 ? (s.gpr[i] & 0xFF) : ((s.gpr[i - 4] >> 8) & 0xFF);
    if (int i = index_of(kSegs, n); i >= 0) return s.seg[i].selector;
    for (const FlagName& f : kFlags)
        if (f.name == n) return (s.eflags & f.bit) ? 1 : 0;
    if (n == "eip") return s.eip;
    if (n == "ip") return s.eip & 0xFFFF;
    if (n == "pc") return linear_pc();
    if (n == "eflags") return s.eflags;
    if (n == "flags") return s.eflags & 0xFFFF;
    if (n == "cr0") return s.cr[0];
    if (n == "cr2") return s.cr[2];
    if (n == "cr3") return s.cr[3];
    if (n == "cr4") return s.cr[4];
    if (n.size() == 3 && n.starts_with("dr") && n[2] >= '0' && n[2] <= '7') return s.dr[n[2] - '0'];
    if (n == "cpl") return s.cpl;
    if (n == "cycles") return s.cycles;
    if (n == "instructions") return s.instructions;
    return std::nullopt;
}

std::optional<std::uint32_t> Debugger::segment_base(std::string_view n) const {
    if (int i = index_of(kSegs, n); i >= 0) return state().seg[i].base;
    return std::nullopt;
}

std::optional<std::uint64_t> Debugger::symbol_value(std::string_view name) const {
    if (auto a = symbols_.find(name)) return *a;
    return std::nullopt;
}

bool Debugger::set_register(std::string_view n, std::uint64_t value, std::string& error) {
    CpuState s = state();
    const auto v32 = static_cast<std::uint32_t>(value);
    bool set_whole = true;  // through set_state (flushes the TLB, re-arms debug registers)
    if (int i = index_of(kReg32, n); i >= 0) {
        s.gpr[i] = v32;
    } else if (int i = index_of(kReg16, n); i >= 0) {
        s.gpr[i] = (s.gpr[i] & 0xFFFF0000u) | (v32 & 0xFFFF);
    } else if (int i = index_of(kReg8, n); i >= 0) {
        if (i < 4) s.gpr[i] = (s.gpr[i] & ~0xFFu) | (v32 & 0xFF);
        else s.gpr[i - 4] = (s.gpr[i - 4] & ~0xFF00u) | ((v32 & 0xFF) << 8);
    } else if (n == "eip") {
        s.eip = v32;
    } else if (n == "ip") {
        s.eip = v32 & 0xFFFF;
    } else if (n == "pc") {
        s.eip = v32 - s.segment(Seg::CS).base;
    } else if (n == "eflags") {
        s.eflags = v32 | flag::R1;
    } else if (n == "flags") {
        s.eflags = (s.eflags & 0xFFFF0000u) | (v32 & 0xFFFF) | flag::R1;
    } else if (n == "cr0" || n == "cr2" || n == "cr3" || n == "cr4") {
        s.cr[n[2] - '0'] = v32;
    } else if (n.size() == 3 && n.starts_with("dr") && n[2] >= '0' && n[2] <= '7' && n[2] != '4' && n[2] != '5') {
        s.dr[n[2] - '0'] = v32;
    } else if (n == "cpl") {
        s.cpl = static_cast<std::uint8_t>(v32 & 3);
    } else if (int i = index_of(kSegs, n); i >= 0) {
        set_whole = false;
        const auto sel = static_cast<std::uint16_t>(v32);
        if (!mode().pe || mode().vm) {
            cpu_.load_segment_real(static_cast<Seg>(i), sel);  // base = selector * 16
            return true;
        }
        // Protected mode: the descriptor it selects, read without side effects (no accessed bit).
        SegmentCache& sc = state().seg[i];
        if ((sel & 0xFFFC) == 0) {
            if (i == static_cast<int>(Seg::CS) || i == static_cast<int>(Seg::SS)) {
                error = "a null selector cannot be loaded into " + std::string(n);
                return false;
            }
            sc = SegmentCache{sel, 0, 0, 0};
            return true;
        }
        const auto found = read_descriptor(sel, error);
        if (!found) return false;
        const Descriptor d = *found;
        if (d.is_system()) {
            error = "selector " + hex(sel, 4) + " is a system descriptor, not code or data";
            return false;
        }
        sc = SegmentCache{sel, d.base, d.limit, d.access};
        return true;
    } else {
        bool found = false;
        for (const FlagName& f : kFlags) {
            if (f.name != n) continue;
            s.eflags = (value != 0) ? (s.eflags | f.bit) : (s.eflags & ~f.bit);
            found = true;
        }
        if (!found) {
            error = "unknown register '" + std::string(n) + "'";
            return false;
        }
    }
    if (set_whole) cpu_.set_state(s);
    return true;
}

std::optional<Descriptor> Debugger::read_descriptor(std::uint16_t sel, std::string& error) const {
    const CpuState& s = state();
    const bool local = (sel & 4) != 0;
    const std::uint32_t table = local ? s.ldtr.base : s.gdtr.base;
    const std::uint32_t limit = local ? s.ldtr.limit : s.gdtr.limit;
    if ((sel & 0xFFF8u) + 7u > limit) {
        error = "selector " + hex(sel, 4) + " is outside the " + (local ? "LDT" : "GDT");
        return std::nullopt;
    }
    std::array<std::uint8_t, 8> raw{};
    if (!read_linear(table + (sel & 0xFFF8u), raw)) {
        error = "the descriptor table is not mapped";
        return std::nullopt;
    }
    const std::uint32_t lo = raw[0] | (raw[1] << 8) | (raw[2] << 16) | (static_cast<std::uint32_t>(raw[3]) << 24);
    std::uint32_t hi = raw[4] | (raw[5] << 8) | (raw[6] << 16) | (static_cast<std::uint32_t>(raw[7]) << 24);
    if (cpu_.model() == CpuModel::I80286) hi &= 0xFFFF;  // 286: bytes 6-7 reserved (80286 PRM 6.3)
    return Interpreter::parse_descriptor(lo, hi);
}

std::optional<std::uint32_t> Debugger::descriptor_base(std::uint16_t selector) const {
    std::string error;
    const auto d = read_descriptor(selector, error);
    if (!d || d->is_system()) return std::nullopt;
    return d->base;
}

// ---------------------------------------------------------------------------------------------
// Disassembly

Disassembly Debugger::disassemble_at(std::uint32_t linear, std::uint32_t ip, bool is32) const {
    const std::uint32_t cs_base = linear - ip;
    const std::uint32_t mask = is32 ? 0xFFFFFFFFu : 0xFFFFu;
    std::vector<std::uint8_t> raw;
    auto fetch = [&](unsigned n) -> std::uint8_t {
        std::array<std::uint8_t, 1> b{0};
        read_linear(cs_base + ((ip + n) & mask), b);
        if (raw.size() <= n) raw.resize(n + 1);
        raw[n] = b[0];
        return b[0];
    };
    const OpcodeMap& map = cpu_.opcode_map();
    const Insn insn = decode(map, fetch, cpu_.max_instruction_length(), is32);
    DisasmOptions options;
    options.cs_base = cs_base;
    // A far branch's target: the disassembler computes segment * 16 + offset (real mode); in
    // protected mode the selector's descriptor gives the base instead.
    const bool far_immediate = insn.info && !insn.has_modrm && (insn.opcode == 0xEA || insn.opcode == 0x9A);
    std::optional<std::uint32_t> far_linear;
    if (far_immediate && mode().pe && !mode().vm) {
        const auto base = descriptor_base(static_cast<std::uint16_t>(insn.imm2));
        if (base) far_linear = *base + insn.imm;
    }
    options.symbol = [this, far_immediate, far_linear, pm = mode().pe && !mode().vm](
                         std::uint32_t target) -> std::optional<std::string> {
        if (far_immediate && pm) {
            if (!far_linear) return std::nullopt;
            target = *far_linear;
        }
        std::string d = symbols_.describe(target);
        if (d.empty()) return std::nullopt;
        return d;
    };
    return describe(map, insn, raw, ip, options);
}

std::string Debugger::instruction_line(std::uint32_t linear, std::uint16_t cs, std::uint32_t ip, bool is32) const {
    const Disassembly d = disassemble_at(linear, ip, is32);
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on `"literal" + std::string`.
    std::string line = "[";
    line += hex(linear, 8);
    line += "] ";
    line += hex_plain(cs, 4);
    line += ':';
    line += hex_plain(ip, is32 ? 8 : 4);
    const std::string sym = symbols_.describe(linear);
    if (!sym.empty()) {
        line += " <";
        line += sym;
        line += '>';
    }
    line += ' ';
    line += d.text;
    // Pad the bytes into a column so listings line up.
    if (line.size() < 56) line.append(56 - line.size(), ' ');
    line += " ; " + d.bytes_hex;
    return line;
}

std::string Debugger::current_instruction_line() const {
    const CpuState& s = state();
    return instruction_line(linear_pc(), s.segment(Seg::CS).selector, s.eip, code32());
}

// ---------------------------------------------------------------------------------------------
// Running

unsigned Debugger::observe_kinds(Goal goal) const {
    unsigned k = 0;
    for (const Breakpoint& b : breakpoints_.all()) {
        if (!b.enabled) continue;
        switch (b.kind) {
            case BreakKind::Exec:
            case BreakKind::Mode: k |= static_cast<unsigned>(ObserveKind::Instructions); break;
            case BreakKind::Watch: k |= static_cast<unsigned>(ObserveKind::Memory); break;
            case BreakKind::Io: k |= static_cast<unsigned>(ObserveKind::Io); break;
            case BreakKind::Interrupt: k |= static_cast<unsigned>(ObserveKind::Interrupts); break;
            case BreakKind::Device: break;  // through the Machine's event sink, not the CPU
        }
    }
    if (goal == Goal::Next || goal == Goal::Finish || goal == Goal::Until || goal == Goal::Cycles || magic_break_)
        k |= static_cast<unsigned>(ObserveKind::Instructions);
    if (trace_) k |= static_cast<unsigned>(ObserveKind::Instructions) | static_cast<unsigned>(ObserveKind::Interrupts);
    return k;
}

unsigned Debugger::observe_kinds_for_continue() const { return observe_kinds(Goal::Continue); }

StopInfo Debugger::continue_run() {
    begin_continue();
    return run_to_end();
}

StopInfo Debugger::step(std::uint64_t count) {
    if (count == 0) count = 1;
    step_count_ = count;
    return resume(Goal::Step);
}

StopInfo Debugger::next() {
    begin_next();
    return run_to_end();
}

StopInfo Debugger::finish() {
    begin_finish();
    return run_to_end();
}

StopInfo Debugger::run_until(std::uint32_t linear) {
    begin_until(linear);
    return run_to_end();
}

StopInfo Debugger::run_cycles(Cycles cycles) {
    goal_cycles_ = state().cycles + cycles;
    return resume(Goal::Cycles);
}

StopInfo Debugger::resume(Goal goal) {
    start_run(goal);
    return run_to_end();
}

StopInfo Debugger::run_to_end() {
    std::optional<StopInfo> out;
    while (!out) out = advance(kNever);
    return end_run_with(std::move(*out));
}

void Debugger::start_run(Goal goal) {
    goal_ = goal;
    pending_.reset();
    temporary_hits_.clear();
    stop_before_next_ = false;
    resume_linear_ = linear_pc();
    resume_instructions_ = state().instructions;
    last_mode_ = mode();
    steps_left_ = goal == Goal::Step ? step_count_ : 0;
    run_start_instructions_ = state().instructions;

    // Continuing from a breakpoint executes its instruction: the CPU's own latch is cleared and
    // before_instruction() skips the first instruction itself (so a loop back to it stops again).
    cpu_.clear_breakpoint_latch();
    run_active_ = true;
    refresh_breakpoints();
}

void Debugger::refresh_breakpoints() {
    if (!run_active_) return;  // a run reads the table as it begins
    exec_linear_.clear();
    exec_other_ = false;
    bool devices = false;
    for (const Breakpoint& b : breakpoints_.all()) {
        if (!b.enabled) continue;
        if (b.kind == BreakKind::Device) devices = true;
        if (b.kind != BreakKind::Exec) continue;
        if (b.address_kind == AddressKind::Linear) exec_linear_.push_back(b.address);
        else exec_other_ = true;
    }
    std::sort(exec_linear_.begin(), exec_linear_.end());
    cpu_.set_observer(this, observe_kinds(goal_) | tap_kinds_);
    machine_.set_event_sink(devices ? this : nullptr);
}

std::optional<StopInfo> Debugger::advance(Cycles until_cycle) {
    for (;;) {
        RunLimits limits;
        if (goal_ == Goal::Step) limits.max_instructions = steps_left_;
        if (poll_) limits.host_timeout = kPollInterval;
        if (until_cycle != kNever) {
            if (state().cycles >= until_cycle) return std::nullopt;
            limits.stop_at_cycle = until_cycle;
        }
        const RunResult r = machine_.run(limits);
        if (goal_ == Goal::Step) steps_left_ -= std::min(steps_left_, r.instructions);
        if (pending_) return *pending_;
        StopInfo out;
        switch (r.reason) {
            case MachineStop::DebugExit:
                out.kind = StopKind::GuestExit;
                out.exit_value = r.debug_exit_value;
                out.reason = "The guest wrote " + hex(r.debug_exit_value, 2) + " to port 0xf4 (debug exit)";
                return out;
            case MachineStop::Halted:
                out.kind = StopKind::Halted;
                out.reason = r.interrupts_enabled
                                 ? "The CPU halted waiting for an interrupt that no device can raise"
                                 : "The CPU halted with interrupts disabled (HLT with IF=0)";
                return out;
            case MachineStop::Shutdown:
                out.kind = StopKind::Shutdown;
                out.reason = "The CPU shut down (triple fault)";
                return out;
            case MachineStop::InstructionLimit:
                if (goal_ == Goal::Step && steps_left_ == 0) {
                    out.kind = StopKind::Step;
                    out.reason = "Stepped";
                    return out;
                }
                continue;
            case MachineStop::HostTimeout:
                if (poll_ && poll_()) {
                    out.kind = StopKind::Interrupted;
                    out.reason = "Interrupted";
                    return out;
                }
                continue;
            case MachineStop::StopRequested:
                out.kind = StopKind::Interrupted;
                out.reason = "Stopped on request";
                return out;
            case MachineStop::CycleLimit:
                // The slice's end (a sliced run goes on from here), or someone else's limit.
                if (until_cycle != kNever && state().cycles >= until_cycle) return std::nullopt;
                out.kind = StopKind::Interrupted;
                out.reason = "Stopped on request";
                return out;
            case MachineStop::PowerOff:
                out.kind = StopKind::PowerOff;
                out.reason = "The guest powered the machine off";
                return out;
        }
        return out;
    }
}

StopInfo Debugger::end_run_with(StopInfo out) {
    run_active_ = false;
    cpu_.set_observer(nullptr, 0);
    machine_.set_event_sink(nullptr);
    for (int id : temporary_hits_) breakpoints_.remove(id);
    temporary_hits_.clear();
    out.instructions = state().instructions - run_start_instructions_;
    return out;
}

// ---- Sliced runs ----

void Debugger::begin_continue() { start_run(Goal::Continue); }

void Debugger::begin_next() {
    const CpuState& s = state();
    const bool is32 = code32();
    const Disassembly d = disassemble_at(linear_pc(), s.eip, is32);
    if (!d.step_over) {
        step_count_ = 1;
        start_run(Goal::Step);
        return;
    }
    goal_linear_ = s.segment(Seg::CS).base + ((s.eip + d.length) & (is32 ? 0xFFFFFFFFu : 0xFFFFu));
    goal_ss_ = s.segment(Seg::SS).selector;
    goal_sp_ = cpu_.sp();
    start_run(Goal::Next);
}

void Debugger::begin_finish() {
    goal_ss_ = state().segment(Seg::SS).selector;
    goal_sp_ = cpu_.sp();
    start_run(Goal::Finish);
}

void Debugger::begin_until(std::uint32_t linear) {
    goal_linear_ = linear;
    start_run(Goal::Until);
}

std::optional<StopInfo> Debugger::run_slice(Cycles until_cycle) {
    if (!run_active_) return std::nullopt;
    std::optional<StopInfo> out = advance(until_cycle);
    if (out) return end_run_with(std::move(*out));
    return std::nullopt;
}

void Debugger::abandon_run() {
    if (!run_active_) return;
    StopInfo info;
    info.kind = StopKind::Interrupted;
    end_run_with(std::move(info));
}

void Debugger::set_tap(CpuObserver* tap, unsigned kinds) {
    tap_ = tap;
    tap_kinds_ = tap ? kinds & ~static_cast<unsigned>(ObserveKind::Instructions) : 0;
    if (run_active_) cpu_.set_observer(this, observe_kinds(goal_) | tap_kinds_);
}

void Debugger::set_pending(StopInfo info) {
    if (!pending_) pending_ = std::move(info);
}

bool Debugger::hit(Breakpoint& b, StopKind kind, const std::string& what) {
    if (!b.enabled) return false;
    // One instruction is one hit, however many of its accesses match (INC reads, then writes).
    if (pending_ && pending_->breakpoint == b.id) return true;
    if (!b.condition.empty()) {
        const ExpressionResult r = evaluate(b.condition);
        if (!r) {
            StopInfo info;
            info.kind = StopKind::ConditionError;
            info.breakpoint = b.id;
            info.reason = "Error in the condition of breakpoint " + std::to_string(b.id) + " (" + b.condition +
                          "): " + r.error;
            set_pending(std::move(info));
            return true;
        }
        if (*r.value == 0) return false;
    }
    ++b.hits;
    if (b.ignore_count > 0) {
        --b.ignore_count;
        return false;
    }
    if (pending_) return true;  // an earlier breakpoint already stopped this instruction
    if (b.temporary) temporary_hits_.push_back(b.id);
    StopInfo info;
    info.kind = kind;
    info.breakpoint = b.id;
    info.reason = what;
    set_pending(std::move(info));
    return true;
}

std::string Debugger::instruction_address() const {
    // During a data or port access EIP still holds the start of the instruction making it.
    std::string s = hex(linear_pc(), 8);
    const std::string sym = symbols_.describe(linear_pc());
    if (!sym.empty()) {
        s += " <";
        s += sym;
        s += '>';
    }
    return s;
}

bool Debugger::interrupt_due() const {
    const CpuState& s = state();
    if (s.interrupt_shadow) return false;
    return s.nmi_pending || ((s.eflags & flag::IF) && machine_.pic().intr());
}

bool Debugger::is_return_instruction(std::uint32_t linear) const {
    std::array<std::uint8_t, 15> b{};
    for (std::size_t i = 0; i < b.size(); ++i) {
        if (!read_linear(linear + static_cast<std::uint32_t>(i), std::span(b).subspan(i, 1))) return false;
        switch (b[i]) {
            case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65:  // segment overrides
            case 0x66: case 0x67: case 0xF0: case 0xF2: case 0xF3: continue;  // sizes, LOCK, REP
            case 0xC2: case 0xC3: case 0xCA: case 0xCB: case 0xCF: return true;  // RET, RETF, IRET
            default: return false;
        }
    }
    return false;
}

bool Debugger::before_instruction(std::uint32_t linear) {
    const CpuState& s = state();
    if (stop_before_next_) {
        stop_before_next_ = false;
        StopInfo info;
        info.kind = stop_next_kind_;
        info.reason = stop_next_kind_ == StopKind::MagicBreak ? "Magic breakpoint (xchg bx, bx)" : "Returned";
        set_pending(std::move(info));
        return true;
    }
    // The first instruction of a run is the one we stopped at: it executes.
    const bool first = s.instructions == resume_instructions_ && linear == resume_linear_;
    // With an interrupt due, the CPU delivers it before this instruction, which then does not
    // execute yet (it runs after the handler returns).
    const bool interrupt_first = interrupt_due();
    if (trace_ && !interrupt_first)
        trace_(instruction_line(linear, s.segment(Seg::CS).selector, s.eip, code32()));
    if (magic_break_ && !interrupt_first) {
        std::array<std::uint8_t, 2> b{};
        if (read_linear(linear, b) && b[0] == 0x87 && b[1] == 0xDB) {  // xchg bx, bx
            stop_before_next_ = true;
            stop_next_kind_ = StopKind::MagicBreak;
        }
    }
    if (goal_ == Goal::Finish && !interrupt_first && s.segment(Seg::SS).selector == goal_ss_ &&
        cpu_.sp() >= goal_sp_ && is_return_instruction(linear)) {
        stop_before_next_ = true;
        stop_next_kind_ = StopKind::Finish;
    }

    const CpuModeBits m = mode();
    if (m != last_mode_) {
        const CpuModeBits was = last_mode_;
        last_mode_ = m;
        for (Breakpoint& b : breakpoints_.all()) {
            if (b.kind != BreakKind::Mode || !b.enabled) continue;
            bool entered = false;
            switch (b.mode) {
                case CpuModeKind::Any: entered = true; break;
                case CpuModeKind::Real: entered = !m.pe && was.pe; break;
                case CpuModeKind::Protected: entered = (m.pe && !m.vm) && !(was.pe && !was.vm); break;
                case CpuModeKind::Paging: entered = m.pg && !was.pg; break;
                case CpuModeKind::V86: entered = m.vm && !was.vm; break;
            }
            if (!entered) continue;
            std::string now = !m.pe ? "real" : m.vm ? "virtual-8086" : m.pg ? "protected (paging)" : "protected";
            hit(b, StopKind::ModeChange,
                "Mode breakpoint " + std::to_string(b.id) + ": now in " + now + " mode (CR0=" + hex(s.cr[0], 8) +
                    ", EFLAGS.VM=" + (m.vm ? "1" : "0") + ")");
        }
    }
    if (first) return pending_.has_value();

    if (exec_other_ || std::binary_search(exec_linear_.begin(), exec_linear_.end(), linear)) {
        std::uint32_t phys = 0;
        const bool have_phys = exec_other_ && translate(linear, phys);
        for (Breakpoint& b : breakpoints_.all()) {
            if (b.kind != BreakKind::Exec || !b.enabled) continue;
            bool match = false;
            switch (b.address_kind) {
                case AddressKind::Linear: match = b.address == linear; break;
                case AddressKind::Physical: match = have_phys && b.address == phys; break;
                case AddressKind::SegOffset:
                    match = s.segment(Seg::CS).selector == b.segment && s.eip == b.address;
                    break;
            }
            if (!match) continue;
            Breakpoint plain = b;
            plain.condition.clear();
            hit(b, StopKind::Breakpoint, "Breakpoint " + std::to_string(b.id) + ", " + describe_breakpoint(plain));
        }
        if (pending_) return true;
    }

    StopInfo goal;
    switch (goal_) {
        case Goal::Next:
            if (linear == goal_linear_ && s.segment(Seg::SS).selector == goal_ss_ && cpu_.sp() >= goal_sp_) {
                goal.kind = StopKind::Next;
                goal.reason = "Stepped over";
                set_pending(goal);
            }
            break;
        case Goal::Until:
            if (linear == goal_linear_) {
                goal.kind = StopKind::Until;
                goal.reason = "Reached " + hex(linear, 8);
                set_pending(goal);
            }
            break;
        case Goal::Cycles:
            if (s.cycles >= goal_cycles_) {
                goal.kind = StopKind::Cycles;
                goal.reason = "Ran to cycle " + std::to_string(s.cycles);
                set_pending(goal);
            }
            break;
        default: break;
    }
    return pending_.has_value();
}

bool Debugger::memory_access(std::uint32_t linear, std::uint32_t physical, unsigned width, bool write) {
    if (tap_kinds_ & static_cast<unsigned>(ObserveKind::Memory)) tap_->memory_access(linear, physical, width, write);
    const auto want = static_cast<unsigned>(write ? AccessKind::Write : AccessKind::Read);
    for (Breakpoint& b : breakpoints_.all()) {
        if (b.kind != BreakKind::Watch || !b.enabled || !(static_cast<unsigned>(b.access) & want)) continue;
        const bool phys = b.address_kind == AddressKind::Physical;
        if (phys && physical == 0xFFFFFFFFu) continue;  // the page is not present
        if (!overlaps(phys ? physical : linear, width, b.address, b.length)) continue;
        const bool had = pending_.has_value();
        if (hit(b, StopKind::Watchpoint,
                "Watchpoint " + std::to_string(b.id) + ": " + (write ? "write" : "read") + " of " +
                    std::to_string(width) + " byte" + (width == 1 ? "" : "s") + " at linear " + hex(linear, 8) +
                    " (physical " + hex(physical, 8) + ") by " + instruction_address()) &&
            !had) {
            pending_->data_address = linear;
            pending_->data_access = write ? AccessKind::Write : AccessKind::Read;
        }
    }
    return pending_.has_value();
}

bool Debugger::io_access(std::uint16_t port, unsigned width, bool write, std::uint32_t value) {
    if (tap_kinds_ & static_cast<unsigned>(ObserveKind::Io)) tap_->io_access(port, width, write, value);
    const auto want = static_cast<unsigned>(write ? AccessKind::Write : AccessKind::Read);
    for (Breakpoint& b : breakpoints_.all()) {
        if (b.kind != BreakKind::Io || !b.enabled || !(static_cast<unsigned>(b.access) & want)) continue;
        if (!overlaps(port, width, b.port_first, static_cast<std::uint64_t>(b.port_last) - b.port_first + 1)) continue;
        hit(b, StopKind::IoBreak,
            "I/O breakpoint " + std::to_string(b.id) + ": " + (write ? "out " : "in ") + hex(port, 4) +
                (write ? " <- " : " -> ") + hex(value, static_cast<int>(width) * 2) + " (" + std::to_string(width) +
                " byte" + (width == 1 ? "" : "s") + ") by " + instruction_address());
    }
    return pending_.has_value();
}

bool Debugger::interrupt(std::uint8_t vector, bool exception, bool software) {
    if (tap_kinds_ & static_cast<unsigned>(ObserveKind::Interrupts)) tap_->interrupt(vector, exception, software);
    const char* what = exception ? "exception" : software ? "software interrupt" : "hardware interrupt";
    if (trace_) trace_("--- " + std::string(what) + " " + hex(vector, 2) + " ---");
    for (Breakpoint& b : breakpoints_.all()) {
        if (b.kind != BreakKind::Interrupt || !b.enabled || b.vector != vector) continue;
        hit(b, StopKind::InterruptBreak,
            "Interrupt breakpoint " + std::to_string(b.id) + ": " + what + " " + hex(vector, 2));
    }
    return pending_.has_value();
}

void Debugger::device_event(const DeviceEvent& e) {
    bool stop = false;
    for (Breakpoint& b : breakpoints_.all()) {
        if (b.kind != BreakKind::Device || !b.enabled || b.device != e.kind) continue;
        if (b.device_detail && *b.device_detail != e.detail) continue;
        std::string what;
        switch (e.kind) {
            case DeviceEventKind::IrqRaised: what = "IRQ " + std::to_string(e.detail) + " raised"; break;
            case DeviceEventKind::PitReload: what = "PIT counter " + std::to_string(e.detail) + " reloaded"; break;
            case DeviceEventKind::VgaModeSet: what = "VGA mode set " + hex(e.detail, 2); break;
            case DeviceEventKind::DiskCommand:
                what = "disk command " + hex(e.detail, 2) + " on drive " + hex(e.unit, 2);
                break;
        }
        stop = hit(b, StopKind::DeviceEvent,
                   "Device breakpoint " + std::to_string(b.id) + ": " + what + " at cycle " +
                       std::to_string(machine_.scheduler().now())) ||
               stop;
    }
    if (stop) machine_.request_stop();
}

}  // namespace lantern
