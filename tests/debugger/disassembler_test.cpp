// Hand-written expectations for the disassembler: the 8086-only forms ndisasm cannot check,
// the formatting rules the GUI relies on, and the metadata (flow, targets, cycles).
#include <doctest/doctest.h>

#include <array>
#include <string>
#include <vector>

#include "debugger/disassembler.h"

using namespace lantern;

namespace {

const OpcodeMap& map8086() {
    static const OpcodeMap m(CpuModel::I8086);
    return m;
}
const OpcodeMap& map286() {
    static const OpcodeMap m(CpuModel::I80286);
    return m;
}

Disassembly dis(const OpcodeMap& map, std::vector<std::uint8_t> bytes, std::uint32_t ip = 0x100,
                const DisasmOptions& options = {}) {
    return disassemble(map, bytes, ip, options);
}

std::string text(const OpcodeMap& map, std::vector<std::uint8_t> bytes, std::uint32_t ip = 0x100) {
    Disassembly d = dis(map, bytes, ip);
    // Every case spells out exactly one instruction.
    CHECK_MESSAGE(d.length == bytes.size(), d.text);
    return d.text;
}

}  // namespace

TEST_CASE("operand forms in NASM syntax") {
    const auto& m = map286();
    CHECK(text(m, {0x81, 0x80, 0x34, 0x12, 0x78, 0x56}) == "add word [bx+si+0x1234], 0x5678");
    CHECK(text(m, {0x00, 0x00}) == "add [bx+si], al");
    CHECK(text(m, {0x8A, 0x46, 0x00}) == "mov al, [bp+0x0]");
    CHECK(text(m, {0x01, 0x80, 0x00, 0x80}) == "add [bx+si-0x8000], ax");
    CHECK(text(m, {0x8B, 0x06, 0xFF, 0xFF}) == "mov ax, [0xffff]");
    CHECK(text(m, {0xA0, 0x34, 0x12}) == "mov al, [0x1234]");
    CHECK(text(m, {0xA3, 0x34, 0x12}) == "mov [0x1234], ax");
    CHECK(text(m, {0xB7, 0x12}) == "mov bh, 0x12");
    CHECK(text(m, {0x8C, 0xD8}) == "mov ax, ds");
    CHECK(text(m, {0x8E, 0x1F}) == "mov ds, [bx]");
    CHECK(text(m, {0x8D, 0x06, 0x34, 0x12}) == "lea ax, [0x1234]");
    CHECK(text(m, {0xC4, 0x07}) == "les ax, [bx]");
    CHECK(text(m, {0xEC}) == "in al, dx");
    CHECK(text(m, {0xE6, 0x80}) == "out 0x80, al");
    CHECK(text(m, {0xEF}) == "out dx, ax");
    CHECK(text(m, {0xD1, 0xE0}) == "shl ax, 1");
    CHECK(text(m, {0xD2, 0x43, 0xFE}) == "rol byte [bp+di-0x2], cl");
    CHECK(text(m, {0xC1, 0xE0, 0x04}) == "shl ax, 0x4");
    CHECK(text(m, {0x06}) == "push es");
    CHECK(text(m, {0x1F}) == "pop ds");
    CHECK(text(m, {0xD6}) == "salc");
    CHECK(text(m, {0xD7}) == "xlatb");
    CHECK(text(m, {0xC8, 0x10, 0x00, 0x01}) == "enter 0x10, 0x1");
    CHECK(text(m, {0xCD, 0x21}) == "int 0x21");
    CHECK(text(m, {0xD4, 0x0A}) == "aam 0xa");
    CHECK(text(m, {0x0F, 0x01, 0xE0}) == "smsw ax");
    CHECK(text(m, {0x0F, 0x01, 0x16, 0x00, 0x05}) == "lgdt [0x500]");
    CHECK(text(m, {0x0F, 0x06}) == "clts");
}

TEST_CASE("size keywords only where the size is ambiguous") {
    const auto& m = map286();
    CHECK(text(m, {0xFE, 0x07}) == "inc byte [bx]");
    CHECK(text(m, {0xFF, 0x37}) == "push word [bx]");
    CHECK(text(m, {0x8F, 0x00}) == "pop word [bx+si]");
    CHECK(text(m, {0xC6, 0x00, 0x12}) == "mov byte [bx+si], 0x12");
    CHECK(text(m, {0xF7, 0x07, 0x34, 0x12}) == "test word [bx], 0x1234");
    CHECK(text(m, {0xD1, 0x27}) == "shl word [bx], 1");
    CHECK(text(m, {0x88, 0x26, 0x34, 0x12}) == "mov [0x1234], ah");  // the register says byte
    CHECK(text(m, {0x8C, 0x0F}) == "mov [bx], cs");
    CHECK(text(m, {0x0F, 0x01, 0x27}) == "smsw [bx]");  // Ew: only one size exists
    // Near indirect branches always take an offset; far ones a far pointer.
    CHECK(text(m, {0xFF, 0x17}) == "call [bx]");
    CHECK(text(m, {0xFF, 0x27}) == "jmp [bx]");
    CHECK(text(m, {0xFF, 0x1F}) == "call far [bx]");
    CHECK(text(m, {0xFF, 0x2E, 0x34, 0x12}) == "jmp far [0x1234]");
    CHECK(text(m, {0xFF, 0xD0}) == "call ax");
    // Immediates whose encoding NASM would not otherwise pick.
    CHECK(text(m, {0x83, 0x00, 0xFF}) == "add word [bx+si], byte -0x1");
    CHECK(text(m, {0x83, 0xC0, 0x7F}) == "add ax, byte +0x7f");
    CHECK(text(m, {0x6A, 0x00}) == "push byte +0x0");
    CHECK(text(m, {0x68, 0x34, 0x12}) == "push word 0x1234");
    CHECK(text(m, {0x6B, 0xC0, 0x05}) == "imul ax, ax, byte +0x5");
}

TEST_CASE("prefixes: segment overrides, REP, LOCK") {
    const auto& m = map286();
    CHECK(text(m, {0x26, 0x8B, 0x07}) == "mov ax, [es:bx]");
    CHECK(text(m, {0x2E, 0xA0, 0x34, 0x12}) == "mov al, [cs:0x1234]");
    CHECK(text(m, {0x26, 0x2E, 0x01, 0x07}) == "add [cs:bx], ax");  // the last override counts
    // No memory operand to carry the override: it stays a prefix word, as ndisasm prints it.
    CHECK(text(m, {0x26, 0xAC}) == "es lodsb");
    CHECK(text(m, {0x26, 0xD7}) == "es xlatb");
    CHECK(text(m, {0x26, 0x40}) == "es inc ax");
    CHECK(text(m, {0xF3, 0xA5}) == "rep movsw");
    CHECK(text(m, {0xF3, 0xA6}) == "repe cmpsb");
    CHECK(text(m, {0xF2, 0xAE}) == "repne scasb");
    CHECK(text(m, {0xF3, 0x6C}) == "rep insb");
    CHECK(text(m, {0x2E, 0xF3, 0xA4}) == "cs rep movsb");
    CHECK(text(m, {0xF0, 0x01, 0x07}) == "lock add [bx], ax");
    CHECK(text(m, {0xF0, 0x26, 0x01, 0x07}) == "lock add [es:bx], ax");
    CHECK(text(m, {0xA4}) == "movsb");
    CHECK(text(m, {0x6F}) == "outsw");
}

TEST_CASE("branch targets are absolute, with IP wrap-around") {
    const auto& m = map286();
    CHECK(text(m, {0x74, 0x03}, 0x100) == "jz 0x0105");
    CHECK(text(m, {0x7D, 0xFE}, 0x100) == "jnl 0x0100");
    CHECK(text(m, {0x72, 0x00}, 0x100) == "jc 0x0102");
    CHECK(text(m, {0xEB, 0xFE}, 0x200) == "jmp short 0x0200");
    CHECK(text(m, {0xE9, 0x00, 0x10}, 0x100) == "jmp 0x1103");
    CHECK(text(m, {0xE8, 0xFD, 0xFF}, 0x100) == "call 0x0100");
    CHECK(text(m, {0xEB, 0x10}, 0xFFF8) == "jmp short 0x000a");
    CHECK(text(m, {0xE2, 0xFE}, 0x10) == "loop 0x0010");
    CHECK(text(m, {0xE3, 0x00}, 0x10) == "jcxz 0x0012");
    CHECK(text(m, {0xEA, 0x78, 0x56, 0x34, 0x12}) == "jmp 0x1234:0x5678");
    CHECK(text(m, {0x9A, 0x00, 0x00, 0xFF, 0xFF}) == "call 0xffff:0x0000");
    // Every Jcc condition, with NASM's names.
    const std::array<const char*, 16> names = {"jo", "jno", "jc", "jnc", "jz", "jnz", "jna", "ja",
                                               "js", "jns", "jpe", "jpo", "jl", "jnl", "jng", "jg"};
    for (unsigned cc = 0; cc < 16; ++cc)
        CHECK(text(m, {static_cast<std::uint8_t>(0x70 + cc), 0x00}, 0) ==
              std::string(names[cc]) + " 0x0002");
}

TEST_CASE("8086-only forms") {
    const auto& m = map8086();
    CHECK(text(m, {0x0F}) == "pop cs");
    CHECK(text(m, {0xD0, 0xF0}) == "setmo al, 1");
    CHECK(text(m, {0xD1, 0x37}) == "setmo word [bx], 1");
    CHECK(text(m, {0xD2, 0xF1}) == "setmoc cl, cl");
    // 60-6F decode as the Jcc at 70-7F.
    CHECK(text(m, {0x60, 0x02}, 0x100) == "jo 0x0104");
    CHECK(text(m, {0x64, 0xFE}, 0x100) == "jz 0x0100");
    CHECK(text(m, {0x6F, 0x00}, 0x100) == "jg 0x0102");
    Disassembly j = dis(m, {0x65, 0x10});
    CHECK(j.flow == FlowKind::CondJump);
    REQUIRE(j.target);
    CHECK(j.target->offset == 0x112);
    // C0/C1 and C8/C9 are RET/RETF aliases; 8F, C6 and FE ignore or reuse the reg field.
    CHECK(text(m, {0xC0, 0x04, 0x00}) == "ret 0x4");
    CHECK(text(m, {0xC1}) == "ret");
    CHECK(text(m, {0xC9}) == "retf");
    CHECK(text(m, {0x8F, 0x0F}) == "pop word [bx]");
    CHECK(text(m, {0xC6, 0x0F, 0x12}) == "mov byte [bx], 0x12");
    CHECK(text(m, {0xFE, 0x1F}) == "call far [bx]");
    CHECK(text(m, {0xD8, 0x07}) == "esc 0x0, [bx]");
    CHECK(text(m, {0xDF, 0xFF}) == "esc 0x3f, bh");
    // The same bytes on the 286.
    CHECK(text(map286(), {0x0F, 0x01, 0x27}) == "smsw [bx]");
    CHECK(text(map286(), {0x60}) == "pusha");
    CHECK(text(map286(), {0xD0, 0xF0}) == "sal al, 1");
}

TEST_CASE("invalid encodings") {
    const auto& m = map286();
    Disassembly d = dis(m, {0x0F, 0xFF});
    CHECK(d.text == "(bad)");
    CHECK_FALSE(d.valid);
    CHECK(d.length == 2);
    CHECK(text(m, {0x8D, 0xC0}) == "(bad)");  // LEA needs a memory operand
    CHECK(text(m, {0xFF, 0xD8}) == "(bad)");  // so does CALL far
    CHECK(text(m, {0x8F, 0x08}) == "(bad)");  // 8F /1 is #UD from the 186 on
    // ARPL (286 on) decodes with its ModR/M byte; it is #UD only at run time in real mode.
    CHECK(dis(m, {0x63, 0x00}).length == 2);
    CHECK(text(m, {0x63, 0x00}) == "arpl [bx+si], ax");
    // More than ten bytes is #GP on the 286.
    const std::vector<std::uint8_t> eleven_prefixes(11, 0x26);
    std::vector<std::uint8_t> long_nop = eleven_prefixes;
    long_nop.push_back(0x90);
    Disassembly tl = dis(m, long_nop);
    CHECK(tl.text == "(bad)");
    CHECK(tl.insn.too_long);
    CHECK(dis(map8086(), long_nop).text == "es nop");  // the 8086 has no limit
}

TEST_CASE("flow metadata for step-over and the GUI") {
    const auto& m = map286();
    Disassembly call = dis(m, {0xE8, 0x10, 0x00}, 0x100);
    CHECK(call.flow == FlowKind::Call);
    CHECK(call.step_over);
    REQUIRE(call.target);
    CHECK_FALSE(call.target->far);
    CHECK(call.target->offset == 0x113);

    Disassembly far = dis(m, {0xEA, 0x00, 0x00, 0xFF, 0xFF});
    CHECK(far.flow == FlowKind::Jump);
    CHECK_FALSE(far.step_over);
    REQUIRE(far.target);
    CHECK(far.target->far);
    CHECK(far.target->segment == 0xFFFF);
    CHECK(far.target->offset == 0);

    Disassembly ind = dis(m, {0xFF, 0x17});
    CHECK(ind.flow == FlowKind::Call);
    CHECK_FALSE(ind.target);  // depends on memory

    CHECK(dis(m, {0xC3}).flow == FlowKind::Return);
    CHECK(dis(m, {0xCA, 0x02, 0x00}).flow == FlowKind::Return);
    CHECK(dis(m, {0xCF}).flow == FlowKind::InterruptReturn);
    Disassembly intn = dis(m, {0xCD, 0x21});
    CHECK(intn.flow == FlowKind::Interrupt);
    CHECK(intn.step_over);
    CHECK_FALSE(intn.target);
    CHECK(dis(m, {0xCC}).flow == FlowKind::Interrupt);
    CHECK(dis(m, {0x74, 0x00}).flow == FlowKind::CondJump);
    CHECK_FALSE(dis(m, {0x74, 0x00}).step_over);
    CHECK(dis(m, {0xE2, 0xFE}).step_over);  // LOOP, as DEBUG.COM's P command
    CHECK(dis(m, {0xF3, 0xA4}).step_over);
    CHECK_FALSE(dis(m, {0xA4}).step_over);
    CHECK_FALSE(dis(m, {0xF3, 0x40}).step_over);  // REP on a non-string instruction does nothing
    Disassembly plain = dis(m, {0x01, 0x07});
    CHECK(plain.flow == FlowKind::None);
    CHECK(plain.row == plain.insn.info);
    CHECK(plain.row->mnemonic == "add");
    CHECK(plain.bytes_hex == "01 07");
}

TEST_CASE("cycles from the row's timing column") {
    // ADD r/m16, r16: 8086 3 (reg) / 16+EA (mem); 286 2 / 7.
    Disassembly reg86 = dis(map8086(), {0x01, 0xC0});
    CHECK(reg86.cycles == 3);
    CHECK_FALSE(reg86.plus_ea);
    Disassembly mem86 = dis(map8086(), {0x01, 0x07});
    CHECK(mem86.cycles == 16);
    CHECK(mem86.plus_ea);
    Disassembly mem286 = dis(map286(), {0x01, 0x07});
    CHECK(mem286.cycles == 7);
    CHECK_FALSE(mem286.plus_ea);
    // Jcc: `reg` is the not-taken cost, `extra` the taken one.
    Disassembly jcc = dis(map8086(), {0x74, 0x00});
    CHECK(jcc.cycles == 4);
    CHECK(jcc.timing.extra == 16);
    // The 80186 uses the 8086 column.
    OpcodeMap m186(CpuModel::I80186);
    CHECK(dis(m186, {0x01, 0x07}).cycles == 16);
}

TEST_CASE("options: uppercase and symbols") {
    const auto& m = map286();
    DisasmOptions upper;
    upper.uppercase = true;
    Disassembly d = dis(m, {0x81, 0x80, 0x34, 0x12, 0xAB, 0xCD}, 0, upper);
    CHECK(d.text == "ADD WORD [BX+SI+0x1234], 0xCDAB");
    CHECK(d.bytes_hex == "81 80 34 12 AB CD");

    DisasmOptions sym;
    sym.cs_base = 0x7C00;
    sym.symbol = [](std::uint32_t linear) -> std::optional<std::string> {
        if (linear == 0x7C10) return "print_char";
        if (linear == 0xFFFF0) return "reset";
        return std::nullopt;
    };
    CHECK(dis(m, {0xE8, 0x0D, 0x00}, 0x0000, sym).text == "call 0x0010 <print_char>");
    CHECK(dis(m, {0xE8, 0x0D, 0x00}, 0x0001, sym).text == "call 0x0011");
    CHECK(dis(m, {0xEA, 0x00, 0x00, 0xFF, 0xFF}, 0, sym).text == "jmp 0xffff:0x0000 <reset>");
    sym.uppercase = true;
    // Symbols keep their own case.
    CHECK(dis(m, {0x74, 0x0E}, 0, sym).text == "JZ 0x0010 <print_char>");
}

TEST_CASE("fetch callable: guest memory with IP wrap-around") {
    const auto& m = map286();
    std::vector<std::uint8_t> segment(0x10000, 0x90);
    // MOV AX, 0x1234 straddling the end of the segment: B8 at FFFE, 34 at FFFF, 12 at 0000.
    segment[0xFFFE] = 0xB8;
    segment[0xFFFF] = 0x34;
    segment[0x0000] = 0x12;
    std::uint32_t ip = 0xFFFE;
    Disassembly d = disassemble(m, [&](unsigned n) { return segment[(ip + n) & 0xFFFF]; }, ip);
    CHECK(d.text == "mov ax, 0x1234");
    CHECK(d.length == 3);
    CHECK(d.bytes_hex == "b8 34 12");
    CHECK(d.complete);
}

TEST_CASE("a buffer that ends inside the instruction") {
    Disassembly d = dis(map286(), {0x81, 0x80, 0x34});
    CHECK_FALSE(d.complete);
    CHECK(d.length == 6);
    CHECK(d.bytes_hex == "81 80 34");
    CHECK(dis(map286(), {}).complete == false);
}
