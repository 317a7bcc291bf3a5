// The x87 part of the opcode table (opcodes_x87.def): the X87Reg map's claims on every model,
// the D8-DF group rows, and the decoder's switch to X87Reg for mod = 11. The primary and 0F maps'
// claims (D8-DF included) are checked by opcode_table_test.cpp.
#include <doctest/doctest.h>

#include <cstdio>
#include <initializer_list>
#include <string>
#include <vector>

#include "cpu/decoder.h"
#include "cpu/opcode_table.h"

using namespace lantern;

namespace {

constexpr CpuModel kAllModels[] = {CpuModel::I8086,   CpuModel::I80186, CpuModel::I80286, CpuModel::I80386,
                                   CpuModel::I80486,  CpuModel::Pentium, CpuModel::P6};

// "D9 E0": the escape byte and the mod = 11 ModR/M byte of an X87Reg slot.
std::string x87_slot_name(int index, int rm) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02X %02X", 0xD8 + index / 8, 0xC0 | (index % 8) << 3 | rm);
    return buf;
}

Insn decode_bytes(const OpcodeMap& map, std::initializer_list<std::uint8_t> bytes) {
    std::vector<std::uint8_t> b(bytes);
    return decode(map, [&](unsigned n) { return n < b.size() ? b[n] : std::uint8_t{0x90}; }, 15);
}

}  // namespace

TEST_CASE("every X87Reg slot is claimed exactly once on every model, indices 64-255 never") {
    for (CpuModel m : kAllModels) {
        auto counts = OpcodeMap::claim_counts(m);
        for (int op = 0; op < 256; ++op)
            for (int rm = 0; rm < 8; ++rm) {
                INFO(cpu_model_name(m), " ", op < kX87RegOpcodes ? x87_slot_name(op, rm) : std::to_string(op));
                CHECK(counts[(static_cast<int>(OpMap::X87Reg) * 256 + op) * 8 + rm] == (op < kX87RegOpcodes ? 1 : 0));
            }
    }
}

TEST_CASE("x87 rows: FPU attribute, ModR/M, models") {
    for (const auto& row : opcode_rows()) {
        if (row.map != OpMap::X87Reg && !(row.map == OpMap::Primary && row.opcode >= 0xD8 && row.opcode_last <= 0xDF))
            continue;
        INFO(std::string(row.mnemonic), " ", static_cast<int>(row.map), " ", static_cast<int>(row.opcode));
        // Every D8-DF row, #UD ones included, must send a mod = 11 byte on to X87Reg.
        CHECK(row.has(attr::Fpu));
        CHECK(row.has(attr::ModRM));
        if (row.mnemonic == "esc") {
            CHECK(row.until == CpuModel::I80286);
        } else {
            CHECK(row.since >= CpuModel::I80386);
        }
        if (row.map == OpMap::X87Reg) CHECK(row.opcode_last < kX87RegOpcodes);
    }
}

TEST_CASE("model differences in the x87 map") {
    OpcodeMap m286(CpuModel::I80286), m386(CpuModel::I80386), p5(CpuModel::Pentium), p6(CpuModel::P6);
    auto reg_row = [](const OpcodeMap& m, std::uint8_t esc, std::uint8_t modrm) {
        return m.lookup(OpMap::X87Reg, x87_reg_index(esc, (modrm >> 3) & 7), modrm & 7);
    };
    CHECK(m286.lookup(OpMap::Primary, 0xD9, 0)->mnemonic == "esc");
    CHECK(reg_row(m286, 0xD9, 0xE0)->mnemonic == "esc");
    CHECK(m386.lookup(OpMap::Primary, 0xD9, 0)->mnemonic == "fld");
    CHECK(reg_row(m386, 0xD9, 0xE0)->mnemonic == "fchs");
    CHECK(reg_row(m386, 0xDF, 0xE0)->mnemonic == "fnstsw");
    // P6 additions: FCMOVcc and FCOMI/FUCOMI(P).
    CHECK(reg_row(p5, 0xDA, 0xC1)->has(attr::Invalid));
    CHECK(reg_row(p6, 0xDA, 0xC1)->mnemonic == "fcmovb");
    CHECK(reg_row(p6, 0xDB, 0xD9)->mnemonic == "fcmovnu");
    CHECK(reg_row(p5, 0xDB, 0xF1)->has(attr::Invalid));
    CHECK(reg_row(p6, 0xDB, 0xF1)->mnemonic == "fcomi");
    CHECK(reg_row(p6, 0xDF, 0xE9)->mnemonic == "fucomip");
    // Reserved encodings and FISTTP (SSE3) are #UD on every model with an x87.
    CHECK(reg_row(p6, 0xD9, 0xD1)->has(attr::Invalid));
    CHECK(reg_row(p6, 0xDB, 0xE5)->has(attr::Invalid));
    CHECK(p6.lookup(OpMap::Primary, 0xDB, 1)->has(attr::Invalid));
    CHECK(p6.lookup(OpMap::Primary, 0xD9, 1)->has(attr::Invalid));
    // Undocumented aliases the P6 executes.
    CHECK(reg_row(p6, 0xD9, 0xD9)->mnemonic == "fstp");
    CHECK(reg_row(p6, 0xDD, 0xC8)->mnemonic == "fxch");
    CHECK(reg_row(p6, 0xDF, 0xC0)->mnemonic == "ffreep");
}

TEST_CASE("decoder: x87 memory forms stay in the primary map, mod = 11 goes to X87Reg") {
    OpcodeMap p6(CpuModel::P6), m286(CpuModel::I80286);
    // fld dword [bx]
    Insn i = decode_bytes(p6, {0xD9, 0x07});
    CHECK(i.info->mnemonic == "fld");
    CHECK(i.info->map == OpMap::Primary);
    CHECK(i.info->operands[0] == Operand::M32fp);
    CHECK(i.is_mem);
    CHECK(i.width == 4);
    CHECK(i.length == 2);
    // fadd st0, st3
    i = decode_bytes(p6, {0xD8, 0xC3});
    CHECK(i.info->mnemonic == "fadd");
    CHECK(i.info->map == OpMap::X87Reg);
    CHECK(i.opcode == 0xD8);
    CHECK(i.rm == 3);
    CHECK(!i.is_mem);
    CHECK(i.length == 2);
    // fstp tword [eax] with an address-size prefix; fld qword [bp+si+0x1234]
    i = decode_bytes(p6, {0x67, 0xDB, 0x38});
    CHECK(i.info->mnemonic == "fstp");
    CHECK(i.width == 10);
    CHECK(i.length == 3);
    i = decode_bytes(p6, {0xDD, 0x82, 0x34, 0x12});
    CHECK(i.info->operands[0] == Operand::M64fp);
    CHECK(i.disp == 0x1234);
    CHECK(i.length == 4);
    // The 286 has no FPU: both forms are ESC.
    CHECK(decode_bytes(m286, {0xD9, 0x07}).info->mnemonic == "esc");
    CHECK(decode_bytes(m286, {0xD8, 0xC3}).info->mnemonic == "esc");
}
