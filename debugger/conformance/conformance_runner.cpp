#include "debugger/conformance/conformance_runner.h"
#include "debugger/conformance/known_discrepancies.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <system_error>
#include <thread>

#include "cpu/interpreter.h"
#include "debugger/conformance/flat_test_bus.h"

namespace lantern::conformance {

namespace {

// A test that has not halted after this many steps is stuck (the longest legitimate test, a
// REP string with CX < 128, needs at most a few hundred steps even one iteration per step).
constexpr std::uint64_t kMaxStepsPerTest = 100'000;
// In real mode the 286 keeps IOPL, NT and bit 15 of FLAGS clear. The 286 set loads its state
// with LOADALL, so INIT may show them set, but the chip never held them (suite README, FAQ).
constexpr std::uint16_t k286RealModeFlags = 0x0FFF;
// Diff lines listed per failing test before "... and N more".
constexpr std::size_t kMaxDiffLines = 10;

std::string hex(std::uint32_t v, int digits) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%0*X", digits, v);
    return buf;
}

std::string hex_bytes(std::span<const std::uint8_t> bytes) {
    std::string s;
    char buf[4];
    for (std::uint8_t b : bytes) {
        std::snprintf(buf, sizeof buf, "%02x ", b);
        s += buf;
    }
    if (!s.empty()) s.pop_back();
    return s;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Prefixes the suites prepend at random (segment overrides, LOCK, REP/REPNE).
bool is_prefix(std::uint8_t b) {
    return b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0xF0 || b == 0xF2 ||
           b == 0xF3;
}

// ---- Files and names --------------------------------------------------------------------------

// "F7.6.MOO.gz" -> "F7.6"; empty if the name is not a MOO file.
std::string moo_stem(const std::filesystem::path& p) {
    const std::string name = p.filename().string();
    const std::string up = upper(name);
    for (std::string_view suffix : {".MOO.GZ", ".MOO"}) {
        if (up.size() > suffix.size() && up.ends_with(suffix))
            return name.substr(0, name.size() - suffix.size());
    }
    return {};
}

bool holds_moo_files(const std::filesystem::path& dir) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_regular_file(ec) && !moo_stem(e.path()).empty()) return true;
    return false;
}

// The file's opcode key and ModR/M reg: "F7.6" -> ("F7", 6), "0F01" -> ("0F01", -1).
std::pair<std::string, int> opcode_of_stem(const std::string& stem) {
    const auto dot = stem.find('.');
    std::string opcode = upper(stem.substr(0, dot));
    int reg = -1;
    if (dot != std::string::npos && dot + 1 < stem.size() && stem[dot + 1] >= '0' &&
        stem[dot + 1] <= '7')
        reg = stem[dot + 1] - '0';
    return {opcode, reg};
}

// The ModR/M reg field of a test's instruction, for opcodes whose file mixes reg values but
// whose metadata differs per reg (the 286 set's 8F, C6, C7). -1 if the bytes run out.
int reg_from_bytes(std::span<const std::uint8_t> bytes, std::size_t opcode_len) {
    std::size_t i = 0;
    while (i < bytes.size() && is_prefix(bytes[i])) ++i;
    i += opcode_len;
    return i < bytes.size() ? (bytes[i] >> 3) & 7 : -1;
}

// The 8086 files have no META chunk: take the most common first word of the test names that is
// not a prefix ("rep movsb", "es movsb" -> "movsb").
std::string mnemonic_of(const MooFile& f) {
    if (f.meta && !f.meta->mnemonic.empty()) return f.meta->mnemonic;
    static constexpr std::string_view kPrefixWords[] = {"rep", "repe", "repne", "repz", "repnz",
                                                        "lock", "es", "cs", "ss", "ds"};
    std::map<std::string, int> counts;
    for (const MooTest& t : f.tests) {
        std::size_t pos = 0;
        while (pos < t.name.size()) {
            const std::size_t end = std::min(t.name.find(' ', pos), t.name.size());
            std::string word = t.name.substr(pos, end - pos);
            pos = end + 1;
            if (word.empty() || std::find(std::begin(kPrefixWords), std::end(kPrefixWords),
                                          word) != std::end(kPrefixWords))
                continue;
            ++counts[word];
            break;
        }
    }
    std::string best = "?";
    int best_count = 0;
    for (const auto& [word, n] : counts)
        if (n > best_count) best = word, best_count = n;
    return best;
}

// ---- Running one test -------------------------------------------------------------------------

std::uint16_t actual_reg(const CpuState& s, MooReg r) {
    switch (r) {
        case MooReg::AX: return s.reg16(Reg::AX);
        case MooReg::BX: return s.reg16(Reg::BX);
        case MooReg::CX: return s.reg16(Reg::CX);
        case MooReg::DX: return s.reg16(Reg::DX);
        case MooReg::CS: return s.segment(Seg::CS).selector;
        case MooReg::SS: return s.segment(Seg::SS).selector;
        case MooReg::DS: return s.segment(Seg::DS).selector;
        case MooReg::ES: return s.segment(Seg::ES).selector;
        case MooReg::SP: return s.reg16(Reg::SP);
        case MooReg::BP: return s.reg16(Reg::BP);
        case MooReg::SI: return s.reg16(Reg::SI);
        case MooReg::DI: return s.reg16(Reg::DI);
        case MooReg::IP: return s.ip();
        case MooReg::FLAGS: return static_cast<std::uint16_t>(s.eflags);
    }
    return 0;
}

// The CPU as the test's INIT describes it: real mode, so every segment cache is base =
// selector * 16 with a 64 KiB limit, as a far jump or MOV Sreg would have loaded it.
CpuState initial_cpu_state(CpuModel model, const MooRegisters& r) {
    CpuState s = reset_state(model);
    s.set_reg16(Reg::AX, r.get(MooReg::AX));
    s.set_reg16(Reg::BX, r.get(MooReg::BX));
    s.set_reg16(Reg::CX, r.get(MooReg::CX));
    s.set_reg16(Reg::DX, r.get(MooReg::DX));
    s.set_reg16(Reg::SP, r.get(MooReg::SP));
    s.set_reg16(Reg::BP, r.get(MooReg::BP));
    s.set_reg16(Reg::SI, r.get(MooReg::SI));
    s.set_reg16(Reg::DI, r.get(MooReg::DI));
    auto load = [&](Seg seg, MooReg reg) {
        SegmentCache& c = s.segment(seg);
        c.selector = r.get(reg);
        c.base = std::uint32_t{c.selector} << 4;
        c.limit = 0xFFFF;
    };
    load(Seg::CS, MooReg::CS);
    load(Seg::SS, MooReg::SS);
    load(Seg::DS, MooReg::DS);
    load(Seg::ES, MooReg::ES);
    s.eip = r.get(MooReg::IP);
    std::uint16_t flags = r.get(MooReg::FLAGS);
    if (model >= CpuModel::I80286) flags &= k286RealModeFlags;
    s.eflags = flags;
    s.cycles = 0;
    s.instructions = 0;
    s.halted = false;
    return s;
}

struct Execution {
    std::string problem;              // non-empty: the run did not finish normally
    Cycles instruction_cycles = 0;    // the tested instruction (and any interrupt it raised)
    bool ran_trailing_hlt = false;    // 286: a HLT after the tested instruction ended the run
    std::optional<std::uint32_t> pushed_flags_address;  // FLAGS image of an interrupt, if any
};

bool is_rep_string(std::span<const std::uint8_t> bytes) {
    bool rep = false;
    std::size_t i = 0;
    for (; i < bytes.size() && is_prefix(bytes[i]); ++i)
        if (bytes[i] == 0xF2 || bytes[i] == 0xF3) rep = true;
    if (!rep || i >= bytes.size()) return false;
    const std::uint8_t op = bytes[i];
    return (op >= 0xA4 && op <= 0xA7) || (op >= 0xAA && op <= 0xAF);
}

// 8086 set: exactly one instruction, no HLT after it. step() may hand back a REP string
// between iterations (with CS:IP still on the instruction); keep stepping only in that case, so
// a jump-to-self or LOOP-to-self is still executed once.
Execution run_8086(Interpreter& cpu, const MooTest& t) {
    Execution ex;
    const CpuState& s = cpu.state();
    const Cycles start = s.cycles;
    const std::uint16_t cs0 = s.segment(Seg::CS).selector;
    const std::uint32_t ip0 = s.eip;
    cpu.step();
    if (is_rep_string(t.bytes)) {
        std::uint64_t steps = 1;
        while (s.segment(Seg::CS).selector == cs0 && s.eip == ip0 && s.reg16(Reg::CX) != 0 &&
               steps < kMaxStepsPerTest) {
            cpu.step();
            ++steps;
        }
    }
    ex.instruction_cycles = s.cycles - start;
    return ex;
}

// 286 set: run until the CPU halts on the HLT after the instruction (or at the exception
// handler). The cycles of that final HLT are not the instruction's, so they are left out.
Execution run_286(Interpreter& cpu) {
    Execution ex;
    const CpuState& s = cpu.state();
    const Cycles start = s.cycles;
    Cycles before_last = start;
    std::uint64_t steps = 0;
    while (!s.halted && !s.shutdown && steps < kMaxStepsPerTest) {
        before_last = s.cycles;
        cpu.step();
        ++steps;
    }
    if (s.shutdown)
        ex.problem = "CPU shut down (triple fault)";
    else if (!s.halted)
        ex.problem = "no HLT reached after " + std::to_string(steps) + " steps";
    // One step means the tested instruction was itself a HLT (the F4 file).
    ex.ran_trailing_hlt = steps > 1;
    ex.instruction_cycles = (ex.ran_trailing_hlt ? before_last : s.cycles) - start;
    return ex;
}

// What the suite's CYCL count covers, reduced to what the interpreter's count for the tested
// instruction should equal.
//  8086: the trace runs from the cycle the instruction's first byte leaves the (full) queue to
//    the cycle the next instruction's first byte does. That is the instruction's cost as the
//    timing tables mean it, but it also contains queue effects the tables ignore: refills when
//    the queue runs dry, odd-address word transfers, the refetch after jumps and interrupts.
//    Compared as is.
//  80286: the state is loaded with an empty prefetch queue and the trace ends at the HALT bus
//    cycle of the HLT after the instruction, so it includes the queue-filling code fetches and
//    that HLT. Register-only forms with documented times (INC r16, CLC, CBW: 2, NOP: 3, 00/01/8B
//    with mod=3: 2) consistently show CYCL = documented + 8 + length, and the HLT test itself
//    CYCL = 2 + 7: we read that as 7 start-up cycles, 1 per instruction byte after the first,
//    and 2 for the trailing HLT, and subtract exactly that. It is a calibration on register
//    forms: where fetches overlap memory operands, branches or exceptions the figure is
//    approximate, a guide to where timing differs rather than a verdict.
std::int64_t suite_cycles(CpuModel model, const MooTest& t, bool ran_trailing_hlt) {
    const auto total = static_cast<std::int64_t>(t.cycle_count);
    if (model == CpuModel::I8086) return total;
    std::int64_t length = static_cast<std::int64_t>(t.bytes.size());
    if (length > 1 && t.bytes.back() == 0xF4) --length;  // BYTS includes the trailing HLT
    return total - 7 - (length - 1) - (ran_trailing_hlt ? 2 : 0);
}

// Where the 286 test's exception pushed FLAGS. EXCP gives the address as the generator saw it
// on the bus, which is word-aligned: with an odd SP it is one below the FLAGS image (F6.6 has 53
// such tests). The handler is a lone HLT, so the image sits at the final SS:SP + 4 (above the
// pushed IP and CS); we use that when it agrees with EXCP up to alignment, EXCP otherwise.
std::uint32_t suite_flags_address(const MooTest& t, std::uint32_t address_mask) {
    auto final_reg = [&](MooReg r) {
        return t.final_state.regs.has(r) ? t.final_state.regs.get(r) : t.initial.regs.get(r);
    };
    const std::uint32_t excp = t.exception->flags_address & address_mask;
    const std::uint32_t derived =
        ((std::uint32_t{final_reg(MooReg::SS)} << 4) +
         static_cast<std::uint16_t>(final_reg(MooReg::SP) + 4)) & address_mask;
    return (derived & ~1u) == (excp & ~1u) ? derived : excp;
}

// ---- Comparing --------------------------------------------------------------------------------

struct RamLookup {
    std::vector<MooRamEntry> sorted;
    explicit RamLookup(const std::vector<MooRamEntry>& entries, std::uint32_t mask)
        : sorted(entries) {
        for (auto& e : sorted) e.address &= mask;
        // stable: if an address is listed twice the last entry wins, as a loader would leave it
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const auto& a, const auto& b) { return a.address < b.address; });
    }
    std::optional<std::uint8_t> find(std::uint32_t a) const {
        auto it = std::upper_bound(sorted.begin(), sorted.end(), a,
                                   [](std::uint32_t x, const auto& e) { return x < e.address; });
        if (it == sorted.begin() || std::prev(it)->address != a) return std::nullopt;
        return std::prev(it)->value;
    }
};

std::string flag_names(std::uint16_t bits) {
    static constexpr std::pair<std::uint16_t, const char*> kFlags[] = {
        {0x0800, "OF"}, {0x0400, "DF"}, {0x0200, "IF"}, {0x0100, "TF"}, {0x0080, "SF"},
        {0x0040, "ZF"}, {0x0010, "AF"}, {0x0004, "PF"}, {0x0001, "CF"}};
    std::string s;
    for (const auto& [bit, name] : kFlags)
        if (bits & bit) s += (s.empty() ? "" : " ") + std::string(name);
    if (bits & 0xF002) s += (s.empty() ? "" : " ") + std::string("reserved/IOPL/NT");
    return s;
}

struct CompareInput {
    const MooTest& test;
    const CpuState& state;
    const FlatTestBus& bus;
    CpuModel model;
    std::uint16_t undefined_flags_mask;  // metadata: AND to clear undefined flags
    const std::optional<MooRegisters>& file_masks;
    std::optional<std::uint32_t> pushed_flags_address;
    const RamLookup& init_ram;
    const RamLookup& final_ram;
    const std::vector<std::uint32_t>& written;  // sorted, unique
};

// Compares the outcome with FINA. With `mask_undefined`, bits the metadata or RMSK call
// undefined are ignored (also in a FLAGS image pushed by an interrupt). Appends readable diff
// lines to `diffs` if given; without it returns at the first mismatch.
bool compare_outcome(const CompareInput& in, bool mask_undefined, std::vector<std::string>* diffs) {
    bool ok = true;
    const MooTest& t = in.test;
    for (int i = 0; i < kMooRegCount; ++i) {
        const auto r = static_cast<MooReg>(i);
        const std::uint16_t expected =
            t.final_state.regs.has(r) ? t.final_state.regs.get(r) : t.initial.regs.get(r);
        const std::uint16_t actual = actual_reg(in.state, r);
        std::uint16_t mask = 0xFFFF;
        if (mask_undefined) {
            if (in.file_masks && in.file_masks->has(r)) mask &= in.file_masks->get(r);
            if (t.final_state.reg_masks && t.final_state.reg_masks->has(r))
                mask &= t.final_state.reg_masks->get(r);
            if (r == MooReg::FLAGS) mask &= in.undefined_flags_mask;
        }
        if (r == MooReg::FLAGS && in.model >= CpuModel::I80286) mask &= k286RealModeFlags;
        if (((expected ^ actual) & mask) == 0) continue;
        ok = false;
        if (!diffs) return false;
        std::string line = std::string(moo_reg_name(r)) + ": expected " + hex(expected, 4) +
                           ", got " + hex(actual, 4);
        if (mask != 0xFFFF) line += " (compared bits " + hex(mask, 4) + ")";
        if (r == MooReg::FLAGS) line += " [" + flag_names((expected ^ actual) & mask) + "]";
        diffs->push_back(line);
    }

    // Memory: every FINA byte, and every byte the CPU wrote (which must then hold its final
    // value, i.e. its INIT value, or 0 if the test never mentioned it).
    const std::uint32_t amask = in.bus.address_mask();
    std::vector<std::uint32_t> addrs;
    addrs.reserve(in.final_ram.sorted.size() + in.written.size());
    for (const auto& e : in.final_ram.sorted) addrs.push_back(e.address);
    addrs.insert(addrs.end(), in.written.begin(), in.written.end());
    std::sort(addrs.begin(), addrs.end());
    addrs.erase(std::unique(addrs.begin(), addrs.end()), addrs.end());
    for (std::uint32_t a : addrs) {
        const auto fin = in.final_ram.find(a);
        const std::uint8_t expected = fin ? *fin : in.init_ram.find(a).value_or(0);
        const std::uint8_t actual = in.bus.peek(a);
        std::uint8_t mask = 0xFF;
        if (mask_undefined && in.pushed_flags_address) {
            const std::uint32_t p = *in.pushed_flags_address;
            if (a == (p & amask)) mask = static_cast<std::uint8_t>(in.undefined_flags_mask);
            if (a == ((p + 1) & amask))
                mask = static_cast<std::uint8_t>(in.undefined_flags_mask >> 8);
        }
        if (((expected ^ actual) & mask) == 0) continue;
        ok = false;
        if (!diffs) return false;
        std::string line = "mem[" + hex(a, 5) + "]: ";
        if (fin)
            line += "expected " + hex(expected, 2) + ", got " + hex(actual, 2);
        else
            line += "written " + hex(actual, 2) + ", expected unchanged " + hex(expected, 2);
        if (mask != 0xFF) line += " (compared bits " + hex(mask, 2) + ")";
        diffs->push_back(line);
    }
    return ok;
}

std::string describe_failure(const MooTest& t, const std::vector<std::string>& diffs,
                             const Execution& ex, CpuModel model, std::int64_t suite,
                             bool cycles_valid) {
    std::string s = "#" + std::to_string(t.index) + " \"" + t.name + "\" bytes " +
                    hex_bytes(t.bytes);
    if (t.exception)
        s += "\n    suite: exception " + std::to_string(t.exception->vector) +
             ", FLAGS pushed at " +
             hex(t.exception->flags_address, 6);
    if (!ex.problem.empty()) s += "\n    " + ex.problem;
    for (std::size_t i = 0; i < diffs.size() && i < kMaxDiffLines; ++i) s += "\n    " + diffs[i];
    if (diffs.size() > kMaxDiffLines)
        s += "\n    ... and " + std::to_string(diffs.size() - kMaxDiffLines) + " more";
    if (cycles_valid)
        s += "\n    cycles: suite " + std::to_string(suite) +
             (model == CpuModel::I8086 ? "" : " (adjusted)") + ", interpreter " +
             std::to_string(ex.instruction_cycles);
    return s;
}

// One bus per address width per worker thread, reused across files.
class BusCache {
public:
    FlatTestBus& get(std::uint32_t mask) {
        auto& slot = buses_[mask];
        if (!slot) slot = std::make_unique<FlatTestBus>(mask);
        slot->reset();
        return *slot;
    }

private:
    std::map<std::uint32_t, std::unique_ptr<FlatTestBus>> buses_;
};

FileResult run_file(const MooFile& file, const std::string& stem, const SuiteMetadata& metadata,
                    const ConformanceOptions& options, BusCache& buses) {
    FileResult res;
    res.stem = stem;
    res.cpu_id = file.cpu_id;
    res.mnemonic = mnemonic_of(file);
    const auto model = model_for_cpu_id(file.cpu_id);
    if (!model) {
        res.error = "CPU id '" + file.cpu_id + "' is not a model Lantern emulates";
        res.failed = 1;
        return res;
    }
    FlatTestBus& bus = buses.get(address_mask(*model));
    const auto [opcode, file_reg] = opcode_of_stem(stem);
    const bool reg_from_test = file_reg < 0 && metadata.has_reg_entries(opcode);
    const std::uint16_t file_flags_mask = metadata.lookup(opcode, file_reg).flags_mask;
    const std::size_t opcode_len = opcode.size() / 2;
    const std::size_t max_details = options.verbose ? options.failure_details : 0;

    for (const MooTest& t : file.tests) {
        if (metadata.is_revoked(t.hash_hex())) {
            ++res.revoked;
            continue;
        }
        const std::uint16_t flags_mask =
            reg_from_test ? metadata.lookup(opcode, reg_from_bytes(t.bytes, opcode_len)).flags_mask
                          : file_flags_mask;

        bus.reset();
        bus.load(t.initial.ram);
        Execution ex;
        // A fresh interpreter per test: no state (or future decode cache) leaks between tests.
        Interpreter cpu(*model, bus);
        cpu.set_block_cache_enabled(options.block_cache);
        cpu.set_state(initial_cpu_state(*model, t.initial.regs));
        cpu.clear_last_interrupt();
        try {
            ex = *model == CpuModel::I8086 ? run_8086(cpu, t) : run_286(cpu);
        } catch (const std::exception& e) {
            ex.problem = std::string("interpreter threw: ") + e.what();
        }
        // Where FLAGS were pushed, to mask their undefined bits: the suite's word on the 286,
        // the interpreter's own record otherwise (the 8086 files have no EXCP chunk).
        if (*model >= CpuModel::I80286 && t.exception)
            ex.pushed_flags_address = suite_flags_address(t, bus.address_mask());
        else if (cpu.last_interrupt().valid)
            ex.pushed_flags_address = cpu.last_interrupt().flags_address & bus.address_mask();

        std::vector<std::uint32_t> written = bus.writes();
        std::sort(written.begin(), written.end());
        written.erase(std::unique(written.begin(), written.end()), written.end());
        const RamLookup init_ram(t.initial.ram, bus.address_mask());
        const RamLookup final_ram(t.final_state.ram, bus.address_mask());
        const CompareInput in{t,        cpu.state(),    bus,       *model,
                              flags_mask, file.reg_masks, ex.pushed_flags_address,
                              init_ram, final_ram,       written};

        const bool cycles_valid = ex.problem.empty();
        const std::int64_t suite = suite_cycles(*model, t, ex.ran_trailing_hlt);
        if (cycles_valid) {
            const std::int64_t diff = static_cast<std::int64_t>(ex.instruction_cycles) - suite;
            ++res.cycles.compared;
            res.cycles.exact += diff == 0;
            res.cycles.abs_diff_sum += static_cast<std::uint64_t>(diff < 0 ? -diff : diff);
        }

        const bool passed = ex.problem.empty() && compare_outcome(in, true, nullptr);
        if (passed) {
            ++res.passed;
            if (options.unmasked && compare_outcome(in, false, nullptr)) ++res.exact_passed;
            continue;
        }
        if (const KnownDiscrepancy* k = find_known_discrepancy(t.hash_hex())) {
            // Listed, explained as far as we could, and reported; never counted as passed.
            ++res.known;
            res.known_notes.push_back(std::string(k->what));
            continue;
        }
        ++res.failed;
        if (res.failure_details.size() < max_details) {
            std::vector<std::string> diffs;
            compare_outcome(in, true, &diffs);
            res.failure_details.push_back(
                describe_failure(t, diffs, ex, *model, suite, cycles_valid));
        }
    }
    return res;
}

std::string model_label(const SetResult& set) {
    for (const FileResult& f : set.files)
        if (auto m = model_for_cpu_id(f.cpu_id)) return std::string(cpu_model_name(*m));
    return "?";
}

}  // namespace

// ---- Public API -------------------------------------------------------------------------------

std::optional<CpuModel> model_for_cpu_id(std::string_view id) {
    if (id == "8086" || id == "8088") return CpuModel::I8086;
    if (id == "C286" || id == "286 " || id == "286") return CpuModel::I80286;
    return std::nullopt;
}

std::uint64_t SetResult::passed() const {
    std::uint64_t n = 0;
    for (const auto& f : files) n += f.passed;
    return n;
}
std::uint64_t SetResult::failed() const {
    std::uint64_t n = 0;
    for (const auto& f : files) n += f.failed;
    return n;
}
std::uint64_t SetResult::known() const {
    std::uint64_t n = 0;
    for (const auto& f : files) n += f.known;
    return n;
}
std::uint64_t SetResult::revoked() const {
    std::uint64_t n = 0;
    for (const auto& f : files) n += f.revoked;
    return n;
}
CycleStats SetResult::cycles() const {
    CycleStats c;
    for (const auto& f : files) c.add(f.cycles);
    return c;
}

std::vector<std::filesystem::path> find_test_sets(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> sets;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return sets;
    if (holds_moo_files(dir)) return {dir};
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_directory(ec) && holds_moo_files(e.path())) sets.push_back(e.path());
    // Oldest CPU first: "8086" before "80286" (a plain string sort would invert them).
    auto key = [](const std::filesystem::path& p) {
        const std::string name = p.filename().string();
        const std::size_t digits = std::min(name.find_first_not_of("0123456789"), name.size());
        return std::make_pair(digits, name);
    };
    std::sort(sets.begin(), sets.end(),
              [&](const auto& a, const auto& b) { return key(a) < key(b); });
    return sets;
}

std::vector<std::filesystem::path> select_test_files(const std::filesystem::path& set_dir,
                                                     const std::string& filter) {
    std::vector<std::string> wanted;
    std::size_t pos = 0;
    while (pos <= filter.size()) {
        std::size_t end = std::min(filter.find(',', pos), filter.size());
        std::string item = upper(filter.substr(pos, end - pos));
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty()) {
            const std::string stem = moo_stem(item);  // tolerate "F7.6.MOO.gz"
            wanted.push_back(stem.empty() ? item : upper(stem));
        }
        pos = end + 1;
    }
    std::vector<std::pair<std::string, std::filesystem::path>> files;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(set_dir, ec)) {
        const std::string stem = moo_stem(e.path());
        if (stem.empty() || !e.is_regular_file(ec)) continue;
        const std::string key = upper(stem);
        const bool selected =
            wanted.empty() || std::any_of(wanted.begin(), wanted.end(), [&](const auto& w) {
                return key == w || key.starts_with(w + ".");
            });
        if (selected) files.emplace_back(key, e.path());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::filesystem::path> out;
    for (auto& f : files) out.push_back(std::move(f.second));
    return out;
}

FileResult run_moo_tests(const MooFile& file, const std::string& stem,
                         const SuiteMetadata& metadata, const ConformanceOptions& options) {
    BusCache buses;
    return run_file(file, stem, metadata, options, buses);
}

SetResult run_conformance_set(const std::filesystem::path& set_dir,
                              const ConformanceOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    SetResult set;
    set.directory = set_dir;
    SuiteMetadata metadata;
    std::error_code ec;
    if (!std::filesystem::exists(set_dir / "metadata.json", ec))
        set.notes.push_back("no metadata.json: undefined flags are compared too");
    try {
        metadata = SuiteMetadata::load(set_dir);
    } catch (const std::exception& e) {
        set.notes.push_back(std::string("metadata ignored: ") + e.what());
    }

    const auto files = select_test_files(set_dir, options.filter);
    set.files.resize(files.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        BusCache buses;
        for (std::size_t i = next++; i < files.size(); i = next++) {
            const std::string stem = moo_stem(files[i]);
            try {
                const MooFile f = read_moo_file(files[i]);
                set.files[i] = run_file(f, stem, metadata, options, buses);
            } catch (const std::exception& e) {
                FileResult r;
                r.stem = stem;
                r.mnemonic = "?";
                r.error = e.what();
                r.failed = 1;
                set.files[i] = std::move(r);
            }
        }
    };
    const unsigned n = std::max(1u, std::min<unsigned>(options.threads,
                                                        static_cast<unsigned>(files.size())));
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < n; ++i) pool.emplace_back(worker);
    worker();
    for (auto& th : pool) th.join();

    set.cpu = model_label(set);
    set.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return set;
}

void print_set_report(const SetResult& set, const ConformanceOptions& options, std::ostream& out) {
    char line[256];
    out << "== " << set.cpu << " conformance: " << set.directory.string() << " ("
        << set.files.size() << " files) ==\n";
    for (const auto& note : set.notes) out << "note: " << note << "\n";
    std::snprintf(line, sizeof line, "%-8s %-9s %7s %7s %9s %10s%s\n", "file", "mnemonic",
                  "passed", "failed", "cyc-exact", "cyc-|diff|",
                  options.unmasked ? "  undef-exact" : "");
    out << line;
    std::vector<const FileResult*> failing;
    for (const FileResult& f : set.files) {
        if (!f.error.empty()) {
            std::snprintf(line, sizeof line, "%-8s %-9s %7s %7llu  error: ", f.stem.c_str(),
                          f.mnemonic.c_str(), "-", static_cast<unsigned long long>(f.failed));
            out << line << f.error << "\n";
            failing.push_back(&f);
            continue;
        }
        std::snprintf(line, sizeof line, "%-8s %-9s %7llu %7llu %8.1f%% %10.2f", f.stem.c_str(),
                      f.mnemonic.c_str(), static_cast<unsigned long long>(f.passed),
                      static_cast<unsigned long long>(f.failed), f.cycles.exact_percent(),
                      f.cycles.mean_abs_diff());
        out << line;
        if (options.unmasked) {
            std::snprintf(line, sizeof line, "  %11llu",
                          static_cast<unsigned long long>(f.exact_passed));
            out << line;
        }
        if (f.revoked) out << "  (" << f.revoked << " revoked)";
        if (f.known) out << "  (" << f.known << " known discrepancy)";
        out << "\n";
        for (const auto& k : f.known_notes) out << "  known: " << k << "\n";
        for (const auto& d : f.failure_details) out << "  failure " << d << "\n";
        if (f.failed) failing.push_back(&f);
    }
    const CycleStats c = set.cycles();
    std::snprintf(line, sizeof line, "%.1f s", set.seconds);
    out << set.cpu << ": " << set.passed() + set.failed() << " tests in " << set.files.size()
        << " files: " << set.passed() << " passed, " << set.failed() << " failed (in "
        << failing.size() << (failing.size() == 1 ? " file), " : " files), ")
        << set.revoked() << " revoked, " << set.known() << " known discrepancies; " << line << "\n";
    std::snprintf(line, sizeof line, "%.1f%% exact, mean |diff| %.2f cycles over %llu tests",
                  c.exact_percent(), c.mean_abs_diff(),
                  static_cast<unsigned long long>(c.compared));
    out << set.cpu << " cycle agreement: " << line
        << (set.cpu == "80286" ? " (suite count minus start-up fetches and trailing HLT)" : "")
        << "\n";
    if (!failing.empty()) {
        out << set.cpu << " failing files:";
        for (const FileResult* f : failing) out << " " << f->stem << " (" << f->failed << ")";
        out << "\n";
    }
}

int run_conformance(const ConformanceOptions& options, std::ostream& out) {
    std::error_code ec;
    if (!std::filesystem::is_directory(options.directory, ec)) {
        out << "conformance: " << options.directory.string() << " not found\n";
        return 2;
    }
    const auto sets = find_test_sets(options.directory);
    if (sets.empty()) {
        out << "conformance: no MOO test files in " << options.directory.string() << "\n";
        return 2;
    }
    std::uint64_t passed = 0, failed = 0, skipped = 0;
    bool ran = false;
    for (const auto& dir : sets) {
        if (select_test_files(dir, options.filter).empty()) continue;
        const SetResult set = run_conformance_set(dir, options);
        print_set_report(set, options, out);
        passed += set.passed();
        failed += set.failed();
        skipped += set.known() + set.revoked();
        ran = true;
    }
    if (!ran) {
        out << "conformance: no test file matches '" << options.filter << "'\n";
        return 2;
    }
    // Skipped = revoked by the suite + known discrepancies (listed above with their notes).
    out << passed << " passed, " << failed << " failed";
    if (skipped) out << ", " << skipped << " skipped";
    out << "\n";
    return failed ? 1 : 0;
}

}  // namespace lantern::conformance
