// Cross-checks the disassembler against Debian's ndisasm (package nasm) for the 80286: every
// opcode of the primary map, with ModR/M bytes covering every mod/rm pair and every reg value
// of the group opcodes, several displacement and immediate patterns, and each prefix in front
// of a few instructions. All instructions go into one blob; ndisasm runs once with a sync point
// at each instruction start, so each one is decoded on its own, and the texts are compared
// after normalising spacing and leading zeros of hex numbers.
//
// A second case covers the x87 space (D8-DF, every register form, memory forms in 16- and 32-bit
// addressing, the 16/32-bit environment formats) for the P6.
//
// Where Lantern deliberately differs, kDifferences and kX87Differences say which encodings and
// why.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "debugger/disassembler.h"

using namespace lantern;

namespace {

constexpr CpuModel kModel = CpuModel::I80286;

using Bytes = std::vector<std::uint8_t>;
using Match = std::function<bool(const Insn&, const Bytes&)>;

// Primary-map opcodes first..last, optionally only one ModR/M reg value.
Match primary(std::uint8_t first, std::uint8_t last, int reg = -1) {
    return [=](const Insn& i, const Bytes&) {
        return i.info->map == OpMap::Primary && i.opcode >= first && i.opcode <= last &&
               (reg < 0 || i.reg == reg);
    };
}
Match either(Match a, Match b) {
    return [=](const Insn& i, const Bytes& bytes) { return a(i, bytes) || b(i, bytes); };
}
// 0F xx, looked up by bytes: the catch-all invalid row claims the primary map.
bool map0f(const Insn& i, const Bytes& b, std::uint8_t op) {
    return b[i.prefix_count] == 0x0F && b[i.prefix_count + 1] == op;
}

// An intentional difference: which instructions, why, and either a rewrite of ndisasm's
// (normalised) text into what Lantern prints, or no pattern to skip the comparison.
struct Difference {
    const char* what;
    const char* reason;
    Match applies;
    const char* ndisasm_pattern = nullptr;
    const char* lantern_form = nullptr;
};

const std::vector<Difference> kDifferences = {
    // Formatting: compared after the rewrite.
    {"C0/C1 shift by imm8", "ndisasm writes the count as `byte 0x4`; a count is always a byte",
     primary(0xC0, 0xC1), ",byte (0x[0-9a-f]+)$", ",$1"},
    {"69 IMUL r, r/m, imm16", "ndisasm writes `word 0x1234`; the register gives the size",
     primary(0x69, 0x69), ",word (0x[0-9a-f]+)$", ",$1"},
    {"D4 0A / D5 0A", "ndisasm omits the default base 10; Lantern always shows the imm8",
     primary(0xD4, 0xD5), "^(aam|aad)$", "$1 0xa"},
    {"86/87, 91-97 XCHG", "the rows list (Eb, Gb), (Ev, Gv) and (Zv, AX); ndisasm puts the "
     "register (AX) first. XCHG's operands commute, so both read the same",
     either(primary(0x86, 0x87), primary(0x91, 0x97)), "^xchg ([^,]+),(.+)$", "xchg $2,$1"},
    // Decoding: not compared.
    {"D8-DF ESC", "ndisasm decodes x87 mnemonics; Lantern has no FPU and prints the 8086 ESC",
     [](const Insn& i, const Bytes&) { return i.info->has(attr::Fpu); }},
    {"F6/F7 /1 TEST", "undocumented alias of /0 that the table models; ndisasm: db",
     primary(0xF6, 0xF7, 1)},
    {"C0-C1, D0-D3 /6 SAL", "undocumented alias of SHL on the 186+ (SETMO on the 8086); "
     "ndisasm: db", either(primary(0xC0, 0xC1, 6), primary(0xD0, 0xD3, 6))},
    {"82", "undocumented alias of group 80 before 64-bit mode; ndisasm: db", primary(0x82, 0x82)},
    {"FF /7 PUSH", "undocumented alias of FF /6 on the 8086 and 286; ndisasm: db",
     primary(0xFF, 0xFF, 7)},
    {"8C/8E with Sreg 4-7", "before the 386 only two bits of Sreg are decoded (ES-DS); "
     "ndisasm prints the 386's fs/gs/segr6/segr7",
     [](const Insn& i, const Bytes&) {
         return i.info->map == OpMap::Primary && (i.opcode == 0x8C || i.opcode == 0x8E) &&
                i.reg >= 4;
     }},
    {"63-67", "ARPL is protected-mode only and 64-67 are 386 prefixes: #UD on a real-mode 286",
     primary(0x63, 0x67)},
    {"F1", "an undocumented LOCK alias on the 8086/286 (the table's prefix row); ndisasm: int1",
     [](const Insn&, const Bytes& b) { return b[0] == 0xF1; }},
    {"F2/F3 90", "ndisasm names F3 90 PAUSE (Pentium 4) and drops F2; on a 286: REP NOP",
     [](const Insn& i, const Bytes& b) {
         return primary(0x90, 0x90)(i, b) && i.rep != RepPrefix::None;
     }},
    {"0F 00, 0F 02-05, 0F 07-FF", "protected-mode-only or post-286 opcodes, #UD in real mode "
     "(UD_RANGE rows); ndisasm decodes them for the latest CPU",
     [](const Insn& i, const Bytes& b) {
         return b[i.prefix_count] == 0x0F && !map0f(i, b, 0x01) && i.info->has(attr::Invalid);
     }},
    {"0F 01 /5, /7 and register forms of /0-/3", "ndisasm decodes 386+ instructions there "
     "(invlpg, vmcall, swapgs, ...); the 286 has none",
     [](const Insn& i, const Bytes& b) {
         return map0f(i, b, 0x01) && (i.reg == 5 || i.reg == 7 || (!i.is_mem && i.reg < 4));
     }},
};

// ---------------------------------------------------------------------------------------------
// Test cases

std::vector<std::vector<std::uint8_t>> generate_cases(const OpcodeMap& map) {
    // Immediate and displacement bytes: plain, negative, sign-boundary.
    const std::vector<std::vector<std::uint8_t>> tails = {
        {0x34, 0x12, 0x78, 0x56, 0x9A, 0xBC, 0xDE, 0xF0},
        {0xFE, 0xFF, 0x80, 0x7F, 0x05, 0x00, 0x01, 0x02},
        {0x80, 0x00, 0x7F, 0x0A, 0xFF, 0xFF, 0x03, 0x04},
        {0x00, 0x80, 0x00, 0x00, 0x10, 0x20, 0x30, 0x40},
    };
    std::vector<std::vector<std::uint8_t>> cases;
    auto add = [&](std::vector<std::uint8_t> bytes, const std::vector<std::uint8_t>& tail) {
        bytes.insert(bytes.end(), tail.begin(), tail.end());
        Disassembly d = disassemble(map, bytes, 0);
        REQUIRE(d.complete);
        bytes.resize(d.length);
        cases.push_back(std::move(bytes));
    };
    // Every (mod, rm) pair, with the reg field varying alongside.
    std::vector<std::uint8_t> modrms;
    for (unsigned mod = 0; mod < 4; ++mod)
        for (unsigned rm = 0; rm < 8; ++rm)
            modrms.push_back(static_cast<std::uint8_t>(mod << 6 | ((rm * 3 + mod) & 7) << 3 | rm));
    // Groups: every reg value with a few addressing forms.
    std::vector<std::uint8_t> group_forms = {0x00, 0x06, 0x42, 0x46, 0x87, 0xC0, 0xC5};

    auto add_opcode = [&](std::vector<std::uint8_t> prefix, OpMap opmap, std::uint8_t op) {
        prefix.push_back(op);
        const OpcodeInfo* row = map.lookup(opmap, op, 0);
        unsigned k = 0;
        if (map.is_group(opmap, op)) {
            for (unsigned reg = 0; reg < 8; ++reg)
                for (std::uint8_t form : group_forms) {
                    auto bytes = prefix;
                    bytes.push_back(static_cast<std::uint8_t>(form | reg << 3));
                    add(bytes, tails[k++ % tails.size()]);
                }
        } else if (row->has(attr::ModRM)) {
            for (std::uint8_t modrm : modrms) {
                auto bytes = prefix;
                bytes.push_back(modrm);
                add(bytes, tails[k++ % tails.size()]);
            }
        } else {
            for (const auto& tail : tails) add(prefix, tail);
        }
    };

    for (unsigned op = 0; op < 256; ++op) {
        auto b = static_cast<std::uint8_t>(op);
        const OpcodeInfo* row = map.lookup(OpMap::Primary, b, 0);
        if (row->has(attr::Prefix)) {
            // A prefix before instructions with and without a memory operand.
            for (std::vector<std::uint8_t> next :
                 {std::vector<std::uint8_t>{0x01, 0x07}, {0x8B, 0x46, 0xFE}, {0xA0, 0x34, 0x12},
                  {0xA4}, {0xA7}, {0xAC}, {0xAE}, {0xAB}, {0x6C}, {0x6F}, {0xD7}, {0x40},
                  {0xFF, 0x37}, {0xC4, 0x1E, 0x00, 0x01}, {0x90}}) {
                next.insert(next.begin(), b);
                add(next, {});
            }
        } else if (row->has(attr::Escape)) {
            for (unsigned op2 = 0; op2 < 256; ++op2) {
                if (op2 <= 0x01 || op2 == 0x06) {
                    add_opcode({b}, OpMap::Map0F, static_cast<std::uint8_t>(op2));
                } else {
                    add({b, static_cast<std::uint8_t>(op2)}, tails[0]);
                }
            }
        } else {
            add_opcode({}, OpMap::Primary, b);
        }
    }
    return cases;
}

// ---------------------------------------------------------------------------------------------
// The x87 space on the P6

constexpr CpuModel kX87Model = CpuModel::P6;

bool operands_are(const Insn& i, Operand a, Operand b) {
    return i.info->operands[0] == a && i.info->operands[1] == b;
}
// An X87Reg slot by escape byte and mod = 11 ModR/M byte range.
Match x87_reg(std::uint8_t escape, std::uint8_t first, std::uint8_t last) {
    return [=](const Insn& i, const Bytes&) {
        return i.info->map == OpMap::X87Reg && i.opcode == escape && i.modrm >= first && i.modrm <= last;
    };
}

const std::vector<Difference> kX87Differences = {
    // Formatting: compared after the rewrite.
    {"x87 ST(0), ST(i) forms", "ndisasm omits ST(0) (`fadd st3`); Lantern writes Intel's two "
     "operands (`fadd st0, st3`), which NASM assembles to the same bytes",
     [](const Insn& i, const Bytes&) { return operands_are(i, Operand::ST0, Operand::STi); },
     "^(f[a-z]+) (st[0-7])$", "$1 st0,$2"},
    {"x87 ST(i), ST(0) forms", "ndisasm writes `fadd to st3` and `faddp st3`; Lantern writes "
     "`fadd st3, st0` and `faddp st3, st0`, as Intel does; NASM accepts both",
     [](const Insn& i, const Bytes&) { return operands_are(i, Operand::STi, Operand::ST0); },
     "^(f[a-z]+?)(?: to)? (st[0-7])$", "$1 $2,st0"},
    {"32-bit addresses in 16-bit code", "ndisasm marks a SIB or disp32 address `[dword ...]`; "
     "Lantern leaves the size to the 67 prefix NASM derives from the registers",
     [](const Insn& i, const Bytes&) { return i.addrsize == 4 && (i.has_sib || (i.mod == 0 && i.rm == 5)); },
     "\\[dword ", "["},
    // Decoding: not compared.
    {"D9 D8-DF, DC D0-DF, DD C8-CF, DE D0-D7, DF C8-DF", "undocumented aliases every x87 executes "
     "(FSTP1, FCOM2, FCOMP3, FXCH4, FCOMP5, FXCH7, FSTP8, FSTP9), shown as the instruction they "
     "alias; ndisasm: db",
     [](const Insn& i, const Bytes& b) {
         return x87_reg(0xD9, 0xD8, 0xDF)(i, b) || x87_reg(0xDC, 0xD0, 0xDF)(i, b) ||
                x87_reg(0xDD, 0xC8, 0xCF)(i, b) || x87_reg(0xDE, 0xD0, 0xD7)(i, b) ||
                x87_reg(0xDF, 0xC8, 0xDF)(i, b);
     }},
    {"DB E8-E9, DF E8-E9", "ndisasm 2.16 does not decode FUCOMI/FUCOMIP with ST(0) or ST(1)",
     [](const Insn& i, const Bytes& b) { return x87_reg(0xDB, 0xE8, 0xE9)(i, b) || x87_reg(0xDF, 0xE8, 0xE9)(i, b); }},
    {"DB /1, DD /1, DF /1", "FISTTP arrived with SSE3 (Pentium 4): #UD on a P6",
     [](const Insn& i, const Bytes&) {
         return i.info->map == OpMap::Primary && i.is_mem && i.reg == 1 &&
                (i.opcode == 0xDB || i.opcode == 0xDD || i.opcode == 0xDF);
     }},
};

std::vector<std::vector<std::uint8_t>> generate_x87_cases(const OpcodeMap& map) {
    std::vector<std::vector<std::uint8_t>> cases;
    auto add = [&](std::vector<std::uint8_t> bytes) {
        // Displacement bytes: a 16-bit or 32-bit displacement takes what it needs.
        for (std::uint8_t t : {0x34, 0x12, 0x78, 0x56}) bytes.push_back(t);
        Disassembly d = disassemble(map, bytes, 0);
        REQUIRE(d.complete);
        // ndisasm shows a prefix before bytes it cannot decode as an instruction of its own;
        // the unprefixed form already checks that the encoding is invalid.
        if (!d.valid && d.insn.prefix_count > 0) return;
        bytes.resize(d.length);
        cases.push_back(std::move(bytes));
    };
    for (unsigned esc = 0xD8; esc <= 0xDF; ++esc) {
        const auto e = static_cast<std::uint8_t>(esc);
        // Every register form.
        for (unsigned modrm = 0xC0; modrm <= 0xFF; ++modrm) add({e, static_cast<std::uint8_t>(modrm)});
        for (unsigned reg = 0; reg < 8; ++reg) {
            const auto r = static_cast<std::uint8_t>(reg << 3);
            // 16-bit addressing: [bx+si], [disp16], [bp+si+disp8], [bp+disp8], [bx+disp16].
            for (std::uint8_t form : {0x00, 0x06, 0x42, 0x46, 0x87}) add({e, static_cast<std::uint8_t>(form | r)});
            add({0x26, e, static_cast<std::uint8_t>(0x07 | r)});  // es: [bx]
            // 32-bit addressing: [eax], [disp32], [ebx+disp8], [esi+disp32], SIB forms.
            for (std::uint8_t form : {0x00, 0x05, 0x43, 0x86}) add({0x67, e, static_cast<std::uint8_t>(form | r)});
            add({0x67, e, static_cast<std::uint8_t>(0x04 | r), 0x88});         // [eax+ecx*4]
            add({0x67, e, static_cast<std::uint8_t>(0x44 | r), 0x24});         // [esp+disp8]
        }
    }
    // The 32-bit environment and save-area formats in 16-bit code.
    for (auto [e, reg] : {std::pair<std::uint8_t, unsigned>{0xD9, 4}, {0xD9, 6}, {0xDD, 4}, {0xDD, 6}})
        add({0x66, e, static_cast<std::uint8_t>(0x07 | reg << 3)});
    return cases;
}

// ---------------------------------------------------------------------------------------------
// Running ndisasm

// Runs `argv` with stdout to `out_path`, without a shell (the sync-point list is long).
int run(const std::vector<std::string>& argv, const std::string& out_path) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        std::FILE* out = std::fopen(out_path.c_str(), "w");
        if (!out) _exit(126);
        dup2(fileno(out), STDOUT_FILENO);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct NdisasmLine {
    unsigned length = 0;
    std::string text;
};

// "00000024  268B07            mov ax,[es:bx]" -> address, length, text. Instructions longer
// than the hex column continue on "         -XXXX" lines.
std::map<std::uint32_t, NdisasmLine> parse_ndisasm(std::istream& is) {
    std::map<std::uint32_t, NdisasmLine> lines;
    std::string line;
    NdisasmLine* last = nullptr;
    while (std::getline(is, line)) {
        std::istringstream ls(line);
        std::string addr, hexbytes;
        ls >> addr;
        if (addr.empty()) continue;
        if (addr[0] == '-') {
            if (last) last->length += static_cast<unsigned>(addr.size() - 1) / 2;
            continue;
        }
        ls >> hexbytes;
        std::string text;
        std::getline(ls >> std::ws, text);
        auto& l = lines[static_cast<std::uint32_t>(std::stoul(addr, nullptr, 16))];
        l.length = static_cast<unsigned>(hexbytes.size() / 2);
        l.text = text;
        last = &l;
    }
    return lines;
}

// Lowercase, single spaces, none after commas, hex numbers without leading zeros.
std::string normalise(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    s = std::regex_replace(s, std::regex("\\s+"), " ");
    s = std::regex_replace(s, std::regex(" ?, ?"), ",");
    s = std::regex_replace(s, std::regex("0x0+([0-9a-f])"), "0x$1");
    s = std::regex_replace(s, std::regex("^ | $"), "");
    return s;
}

std::string hex_bytes(const std::vector<std::uint8_t>& b) {
    std::string s;
    char buf[4];
    for (auto v : b) {
        std::snprintf(buf, sizeof buf, "%02X", v);
        s += buf;
    }
    return s;
}

// Disassembles `cases` with Lantern (on `map`'s model) and with `ndisasm -b 16`, and compares
// them under the allow-list `differences`.
void compare_with_ndisasm(const std::string& ndisasm, const OpcodeMap& map,
                          const std::vector<std::vector<std::uint8_t>>& cases,
                          const std::vector<Difference>& differences) {

    // Lay the cases out from 0x100 (as a .COM file would be); keep every address in 16 bits so
    // branch targets wrap the same way in both disassemblers.
    std::vector<std::uint8_t> blob;
    std::vector<std::uint32_t> addrs;
    const std::uint32_t origin = 0x100;
    for (const auto& c : cases) {
        addrs.push_back(origin + static_cast<std::uint32_t>(blob.size()));
        blob.insert(blob.end(), c.begin(), c.end());
    }
    REQUIRE(origin + blob.size() <= 0x10000);

    auto dir = std::filesystem::temp_directory_path();
    auto stem = "lantern_ndisasm_" + std::to_string(getpid());
    auto bin_path = (dir / (stem + ".bin")).string();
    auto out_path = (dir / (stem + ".txt")).string();
    {
        std::ofstream f(bin_path, std::ios::binary);
        f.write(reinterpret_cast<const char*>(blob.data()),
                static_cast<std::streamsize>(blob.size()));
    }
    std::vector<std::string> argv = {ndisasm, "-b", "16", "-o", std::to_string(origin)};
    for (std::uint32_t a : addrs) {
        argv.push_back("-s");
        argv.push_back(std::to_string(a));
    }
    argv.push_back(bin_path);
    REQUIRE(run(argv, out_path) == 0);
    std::ifstream out(out_path);
    auto lines = parse_ndisasm(out);
    out.close();
    std::filesystem::remove(bin_path);
    std::filesystem::remove(out_path);

    const auto& kDifferences = differences;
    std::vector<std::regex> rewrites;
    for (const auto& d : kDifferences)
        rewrites.emplace_back(d.ndisasm_pattern ? d.ndisasm_pattern : "");
    std::map<std::string, unsigned> allowed_hits;
    unsigned compared = 0, mismatches = 0;
    for (std::size_t k = 0; k < cases.size(); ++k) {
        Disassembly ours = disassemble(map, cases[k], addrs[k]);
        auto it = lines.find(addrs[k]);
        INFO("bytes ", hex_bytes(cases[k]), " at ",
             hex_bytes({std::uint8_t(addrs[k] >> 8), std::uint8_t(addrs[k])}));
        REQUIRE(it != lines.end());
        std::string theirs = normalise(it->second.text);
        std::string mine = normalise(ours.text);

        bool skip = false;
        for (std::size_t r = 0; r < kDifferences.size(); ++r) {
            const auto& d = kDifferences[r];
            if (!d.applies(ours.insn, cases[k])) continue;
            ++allowed_hits[d.what];
            if (d.ndisasm_pattern)
                theirs = std::regex_replace(theirs, rewrites[r], d.lantern_form);
            else
                skip = true;
        }
        if (skip) continue;
        ++compared;
        // ndisasm shows bytes that form no instruction as `db 0x..`; Lantern as (bad).
        if (theirs.starts_with("db ")) {
            CHECK_MESSAGE(!ours.valid, "ndisasm: ", it->second.text, "  lantern: ", ours.text);
            if (ours.valid) ++mismatches;
            continue;
        }
        bool same = mine == theirs && it->second.length == ours.length;
        // LANTERN_NDISASM_DUMP=1 lists every compared pair, to eyeball what the test checks.
        if (std::getenv("LANTERN_NDISASM_DUMP"))
            std::printf("%-30s | %s\n", mine.c_str(), theirs.c_str());
        CHECK_MESSAGE(same, "ndisasm: ", it->second.text, " (", it->second.length,
                      " bytes)  lantern: ", ours.text, " (", ours.length, " bytes)");
        if (!same) ++mismatches;
    }
    MESSAGE(cases.size(), " instructions, ", compared, " compared, ", mismatches, " mismatches");
    for (const auto& d : kDifferences)
        MESSAGE("allowed difference: ", std::string(d.what), " (", allowed_hits[d.what],
                " instructions): ", std::string(d.reason));
    // Every allow-list entry must still be needed, so the list cannot quietly go stale.
    for (const auto& d : kDifferences) CHECK_MESSAGE(allowed_hits[d.what] > 0, std::string(d.what));
}

std::string find_ndisasm() {
    const std::string ndisasm = LANTERN_NDISASM;
    if (ndisasm.empty() || access(ndisasm.c_str(), X_OK) != 0) return {};
    return ndisasm;
}

}  // namespace

TEST_SUITE("ndisasm") {

TEST_CASE("disassembly matches ndisasm -b 16 on the 80286") {
    const std::string ndisasm = find_ndisasm();
    if (ndisasm.empty()) {
        MESSAGE("SKIPPED: ndisasm not found (install Debian's nasm package)");
        return;
    }
    OpcodeMap map(kModel);
    compare_with_ndisasm(ndisasm, map, generate_cases(map), kDifferences);
}

TEST_CASE("x87 disassembly matches ndisasm -b 16 on the P6") {
    const std::string ndisasm = find_ndisasm();
    if (ndisasm.empty()) {
        MESSAGE("SKIPPED: ndisasm not found (install Debian's nasm package)");
        return;
    }
    OpcodeMap map(kX87Model);
    compare_with_ndisasm(ndisasm, map, generate_x87_cases(map), kX87Differences);
}

}  // TEST_SUITE
