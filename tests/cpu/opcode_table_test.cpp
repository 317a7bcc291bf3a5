// The opcode table is the single source of truth, so its claims must be exact: on every
// supported model each (map, opcode, ModR/M reg) slot that the model decodes is claimed by
// exactly one row or invalid range.
#include <doctest/doctest.h>

#include <set>
#include <cstdio>
#include <string>
#include <vector>

#include "cpu/decoder.h"
#include "cpu/opcode_table.h"

using namespace lantern;

namespace {
std::string slot_name(int map, int opcode, int reg) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%02X /%d", map ? "0F " : "", opcode, reg);
    return buf;
}
}  // namespace

TEST_CASE("every primary-map slot is claimed exactly once on the 8086") {
    auto counts = OpcodeMap::claim_counts(CpuModel::I8086);
    for (int op = 0; op < 256; ++op)
        for (int reg = 0; reg < 8; ++reg) {
            INFO(slot_name(0, op, reg));
            CHECK(counts[(0 * 256 + op) * 8 + reg] == 1);
        }
    // The 8086 has no 0F map (0F is POP CS): nothing may claim it.
    for (int op = 0; op < 256; ++op)
        for (int reg = 0; reg < 8; ++reg) CHECK(counts[(1 * 256 + op) * 8 + reg] == 0);
}

TEST_CASE("every slot of the primary and 0F maps is claimed exactly once from the 80286 on") {
    for (CpuModel m : {CpuModel::I80286, CpuModel::I80386, CpuModel::I80486, CpuModel::Pentium, CpuModel::P6}) {
        auto counts = OpcodeMap::claim_counts(m);
        for (int map = 0; map < 2; ++map)
            for (int op = 0; op < 256; ++op)
                for (int reg = 0; reg < 8; ++reg) {
                    INFO(cpu_model_name(m) << " " << slot_name(map, op, reg));
                    CHECK(counts[(map * 256 + op) * 8 + reg] == 1);
                }
    }
}

TEST_CASE("rows are well formed") {
    for (const auto& row : opcode_rows()) {
        INFO(std::string(row.mnemonic));
        CHECK(row.opcode <= row.opcode_last);
        CHECK(row.since <= row.until);
        CHECK((row.handler != nullptr));
        if (row.group_reg >= 0) CHECK(row.has(attr::ModRM));
        // A row using ModR/M operands must say it has a ModR/M byte.
        for (Operand o : row.operands)
            if (o == Operand::Eb || o == Operand::Ev || o == Operand::Ew || o == Operand::Gb ||
                o == Operand::Gv || o == Operand::M || o == Operand::Mp || o == Operand::Sw)
                CHECK(row.has(attr::ModRM));
    }
}

TEST_CASE("model differences in the opcode map") {
    OpcodeMap m86(CpuModel::I8086), m286(CpuModel::I80286);
    // 8086: 60-6F alias the Jcc at 70-7F, C0/C1 alias RET, C8/C9 alias RETF, 0F is POP CS.
    CHECK(m86.lookup(OpMap::Primary, 0x64, 0)->mnemonic == "j");
    CHECK(m86.lookup(OpMap::Primary, 0xC1, 0)->mnemonic == "ret");
    CHECK(m86.lookup(OpMap::Primary, 0xC8, 0)->mnemonic == "retf");
    CHECK(m86.lookup(OpMap::Primary, 0x0F, 0)->mnemonic == "pop");
    CHECK(m86.lookup(OpMap::Primary, 0xD0, 6)->mnemonic == "setmo");
    // 286: the 80186 additions and #UD where the 8086 had aliases.
    CHECK(m286.lookup(OpMap::Primary, 0x60, 0)->mnemonic == "pusha");
    CHECK(m286.lookup(OpMap::Primary, 0xC8, 0)->mnemonic == "enter");
    CHECK(m286.lookup(OpMap::Primary, 0x0F, 0)->has(attr::Escape));
    CHECK(m286.lookup(OpMap::Primary, 0x66, 0)->has(attr::Invalid));
    CHECK(m286.lookup(OpMap::Primary, 0xFE, 3)->has(attr::Invalid));
    CHECK(m286.lookup(OpMap::Map0F, 0x01, 6)->mnemonic == "lmsw");
}

TEST_CASE("decoder: prefixes, ModR/M, displacement and immediates") {
    OpcodeMap map(CpuModel::I80286);
    auto dec = [&](std::initializer_list<std::uint8_t> bytes) {
        std::vector<std::uint8_t> b(bytes);
        return decode(map, [&](unsigned n) { return n < b.size() ? b[n] : std::uint8_t{0x90}; }, 10);
    };
    // es: add word [bx+si+1234h], 5678h
    Insn i = dec({0x26, 0x81, 0x80, 0x34, 0x12, 0x78, 0x56});
    CHECK(i.length == 7);
    CHECK(i.prefix_count == 1);
    CHECK(i.seg_override == 0);
    CHECK(i.info->mnemonic == "add");
    CHECK(i.is_mem);
    CHECK(i.disp == 0x1234);
    CHECK(i.imm == 0x5678);
    CHECK(i.width == 2);
    // mov al, [1234h]  (moffs)
    i = dec({0xA0, 0x34, 0x12});
    CHECK(i.length == 3);
    CHECK(i.imm == 0x1234);
    CHECK(i.width == 1);
    // jmp far 1234:5678
    i = dec({0xEA, 0x78, 0x56, 0x34, 0x12});
    CHECK(i.length == 5);
    CHECK(i.imm == 0x5678);
    CHECK(i.imm2 == 0x1234);
    // enter 10h, 2
    i = dec({0xC8, 0x10, 0x00, 0x02});
    CHECK(i.length == 4);
    CHECK(i.imm == 0x10);
    CHECK(i.imm2 == 2);
    // add ax, byte -1 (sign-extended immediate)
    i = dec({0x83, 0xC0, 0xFF});
    CHECK(i.imm == 0xFFFFFFFFu);
    // 11 segment prefixes exceed the 286's 10-byte limit.
    i = dec({0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x26, 0x90});
    CHECK(i.too_long);
}
