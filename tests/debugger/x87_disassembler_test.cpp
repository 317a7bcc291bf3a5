// The x87 rows in the disassembler (NASM syntax), on the P6 and on the 286, which has no FPU.
// tests/debugger/ndisasm_crosscheck_test.cpp compares the whole x87 space against ndisasm.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "debugger/disassembler.h"

using namespace lantern;

namespace {

std::string x87_text(CpuModel model, std::vector<std::uint8_t> bytes) {
    const OpcodeMap map(model);
    Disassembly d = disassemble(map, bytes, 0x100);
    CHECK_MESSAGE(d.length == bytes.size(), d.text);
    return d.text;
}

std::string p6(std::vector<std::uint8_t> bytes) { return x87_text(CpuModel::P6, std::move(bytes)); }

}  // namespace

TEST_CASE("x87 memory forms carry their data size") {
    CHECK(p6({0xD9, 0x07}) == "fld dword [bx]");
    CHECK(p6({0xDD, 0x46, 0xF8}) == "fld qword [bp-0x8]");
    CHECK(p6({0x67, 0xDB, 0x38}) == "fstp tword [eax]");
    CHECK(p6({0xDE, 0x0F}) == "fimul word [bx]");
    CHECK(p6({0xDF, 0x2F}) == "fild qword [bx]");
    CHECK(p6({0xDF, 0x37}) == "fbstp tword [bx]");
    CHECK(p6({0x26, 0xD8, 0x07}) == "fadd dword [es:bx]");
    CHECK(p6({0x67, 0xD8, 0x44, 0x8B, 0x10}) == "fadd dword [ebx+ecx*4+0x10]");
    // Control words and images have no size keyword; the 32-bit image shows as o32.
    CHECK(p6({0xD9, 0x2F}) == "fldcw [bx]");
    CHECK(p6({0xDD, 0x3F}) == "fnstsw [bx]");
    CHECK(p6({0xDD, 0x37}) == "fnsave [bx]");
    CHECK(p6({0x66, 0xD9, 0x37}) == "o32 fnstenv [bx]");
}

TEST_CASE("x87 register forms name ST(0) and ST(i) as Intel does") {
    CHECK(p6({0xD8, 0xC3}) == "fadd st0, st3");
    CHECK(p6({0xDC, 0xC3}) == "fadd st3, st0");
    CHECK(p6({0xDC, 0xE9}) == "fsub st1, st0");   // DC E8+i is FSUB ST(i), ST(0)
    CHECK(p6({0xDE, 0xF9}) == "fdivp st1, st0");
    CHECK(p6({0xD8, 0xD1}) == "fcom st1");
    CHECK(p6({0xDE, 0xD9}) == "fcompp");
    CHECK(p6({0xDF, 0xE0}) == "fnstsw ax");
    CHECK(p6({0xDB, 0xE3}) == "fninit");
    CHECK(p6({0xD9, 0xEB}) == "fldpi");
    CHECK(p6({0xDA, 0xC1}) == "fcmovb st0, st1");
    CHECK(p6({0xDB, 0xF2}) == "fcomi st0, st2");
    CHECK(p6({0xDF, 0xC1}) == "ffreep st1");
    CHECK(p6({0xD9, 0xD9}) == "fstp st1");  // FSTP1 alias
    CHECK(p6({0xD9, 0xD1}) == "(bad)");
}

TEST_CASE("x87 rows by model") {
    CHECK(x87_text(CpuModel::Pentium, {0xDA, 0xC1}) == "(bad)");  // FCMOVcc is P6
    CHECK(x87_text(CpuModel::I80386, {0xD9, 0xFE}) == "fsin");
    CHECK(x87_text(CpuModel::I80286, {0xD9, 0x07}) == "esc 0x8, [bx]");
    CHECK(x87_text(CpuModel::I80286, {0xD8, 0xC3}) == "esc 0x0, bl");
}

TEST_CASE("x87 cycles come from the model's column") {
    const OpcodeMap map(CpuModel::I80486);
    const std::vector<std::uint8_t> fdiv = {0xD8, 0xF1};
    Disassembly d = disassemble(map, fdiv, 0);
    CHECK(d.cycles == 73);  // i486 FDIV
    CHECK_FALSE(d.plus_ea);
}
