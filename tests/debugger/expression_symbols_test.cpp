// The expression evaluator over a fake machine, and the symbol-file readers (nm lists, the BIOS
// map, NASM maps, ELF32 symbol tables), including hostile input.
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "debugger/expression.h"
#include "debugger/symbols.h"

namespace lantern::test {

namespace {

class FakeContext final : public ExpressionContext {
public:
    std::map<std::string, std::uint64_t, std::less<>> regs{{"ax", 0x1234}, {"al", 0x34}, {"ah", 0x12},
                                                           {"cs", 0xF000}, {"ds", 0x0040}, {"ip", 0x0100},
                                                           {"eax", 0x89AB1234}, {"zf", 1}, {"cx", 3}};
    std::map<std::string, std::uint64_t, std::less<>> syms{{"main", 0x7C00}, {"ax_table", 0x500}};
    std::map<std::uint32_t, std::uint8_t> mem{{0x400, 0x11}, {0x401, 0x22}, {0x402, 0x33}, {0x403, 0x44},
                                              {0x7C00, 0xFA}};

    std::optional<std::uint64_t> register_value(std::string_view n) const override {
        const auto it = regs.find(n);
        if (it == regs.end()) return std::nullopt;
        return it->second;
    }
    std::optional<std::uint32_t> segment_base(std::string_view n) const override {
        if (n == "cs") return 0xF0000;
        if (n == "ds") return 0x400;
        return std::nullopt;
    }
    std::optional<std::uint64_t> symbol_value(std::string_view n) const override {
        const auto it = syms.find(n);
        if (it == syms.end()) return std::nullopt;
        return it->second;
    }
    std::optional<std::uint32_t> read_memory(std::uint32_t linear, unsigned width) const override {
        std::uint32_t v = 0;
        for (unsigned i = 0; i < width; ++i) {
            const auto it = mem.find(linear + i);
            if (it == mem.end()) {
                if (linear >= 0x100000) return std::nullopt;  // "unmapped"
                continue;
            }
            v |= static_cast<std::uint32_t>(it->second) << (8 * i);
        }
        return v;
    }
};

std::uint64_t eval(std::string_view text) {
    FakeContext ctx;
    const ExpressionResult r = evaluate_expression(text, ctx);
    INFO(text << ": " << r.error);
    REQUIRE(r.value.has_value());
    return *r.value;
}

std::string eval_error(std::string_view text) {
    FakeContext ctx;
    const ExpressionResult r = evaluate_expression(text, ctx);
    CHECK_MESSAGE(!r.value.has_value(), text);
    return r.error;
}

std::vector<std::uint8_t> read_binary(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read " << path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("expressions: numbers, registers, arithmetic with C's precedence") {
    CHECK(eval("123") == 123);
    CHECK(eval("0x7c00") == 0x7C00);
    CHECK(eval("7c00h") == 0x7C00);
    CHECK(eval("0b1010") == 10);
    CHECK(eval("ax") == 0x1234);
    CHECK(eval("$ax + 1") == 0x1235);
    CHECK(eval("al | ah << 8") == 0x1234);
    CHECK(eval("eax >> 16") == 0x89AB);
    CHECK(eval("2 + 3 * 4") == 14);
    CHECK(eval("(2 + 3) * 4") == 20);
    CHECK(eval("17 % 5 - 1") == 1);
    CHECK(eval("-1") == UINT64_MAX);
    CHECK(eval("~0 & 0xff") == 0xFF);
    CHECK(eval("!zf") == 0);
    CHECK(eval("1 + 2 == 3 && 4 > 3 || 0") == 1);
    CHECK(eval("3 < 2") == 0);
    CHECK(eval("2 <= 2 && 2 >= 2 && 1 != 2") == 1);
    CHECK(eval("6 & 3 ^ 1 | 8") == (((6 & 3) ^ 1) | 8));
    CHECK(eval("cx == 3") == 1);
}

TEST_CASE("expressions: segment:offset, memory, symbols") {
    CHECK(eval("0xf000:0xfff0") == 0xFFFF0);           // a number is a paragraph
    CHECK(eval("cs:ip") == 0xF0100);                    // a register uses its descriptor cache
    CHECK(eval("ds:0x10 + 2") == 0x412);                // the offset is everything up to ':''s level
    CHECK(eval("[0x400]") == 0x44332211);               // a dword
    CHECK(eval("byte[0x401]") == 0x22);
    CHECK(eval("word[ds:2]") == 0x4433);
    CHECK(eval("dword [0x400] == 0x44332211") == 1);
    CHECK(eval("main") == 0x7C00);
    CHECK(eval("byte[main]") == 0xFA);
    CHECK(eval("ax_table + 2") == 0x502);
}

TEST_CASE("expressions: errors say what is wrong") {
    CHECK(eval_error("1 +").find("ends too early") != std::string::npos);
    CHECK(eval_error("nosuch").find("nosuch") != std::string::npos);
    CHECK(eval_error("1 / 0").find("division by zero") != std::string::npos);
    CHECK(eval_error("(1 + 2").find("')'") != std::string::npos);
    CHECK(eval_error("[0x400").find("']'") != std::string::npos);
    CHECK(eval_error("0x12g").find("bad number") != std::string::npos);
    CHECK(eval_error("99999999999999999999").find("too large") != std::string::npos);
    CHECK(eval_error("1 2").find("unexpected") != std::string::npos);
    CHECK(eval_error("[0x200000]").find("cannot read") != std::string::npos);
    CHECK(eval_error(std::string(500, '(') + "1" + std::string(500, ')')).find("too deeply") != std::string::npos);
    CHECK(eval_error("es:1").find("es") != std::string::npos);  // the fake has no ES
}

TEST_CASE("symbols: nm lists, Bochs and BIOS maps, lookups") {
    SymbolTable t;
    const auto r = t.load_nm("# comment\n"
                             "00007c00 T main\n"
                             "00007c10 t main.loop\n"
                             "         U printf\n"
                             "0x7d00 data_area\n"
                             "int13_handler fe3fe\n"
                             "a0000000 high\n",
                             0);
    CHECK(r.error.empty());
    CHECK(r.added == 5);
    CHECK(t.find("main") == 0x7C00u);
    CHECK(t.find("data_area") == 0x7D00u);
    CHECK(t.find("int13_handler") == 0xFE3FEu);
    CHECK(t.find("high") == 0xA0000000u);
    CHECK(t.describe(0x7C00) == "main");
    CHECK(t.describe(0x7C05) == "main+0x5");
    CHECK(t.describe(0x7C12) == "main.loop+0x2");
    CHECK(t.describe(0x7BFF).empty());
    CHECK(t.describe(0x9000).empty());  // more than 4 KiB past data_area
    REQUIRE(t.exact(0x7D00));
    CHECK(t.exact(0x7D00)->name == "data_area");

    SymbolTable bad;
    CHECK_FALSE(bad.load_nm("this is not a symbol file\nnor this\n").error.empty());
}

TEST_CASE("symbols: NASM map files, without their EQU constants") {
    SymbolTable t;
    const auto map = read_binary(LANTERN_DBG_TARGET_MAP);
    const auto r = t.load_nm(std::string_view(reinterpret_cast<const char*>(map.data()), map.size()), 0xF0000);
    CHECK(r.error.empty());
    CHECK(t.find("bump") == 0xF0090u);
    CHECK(t.find("after_lmsw") == 0xF00C5u);  // offsets that begin with a letter too
    CHECK(t.find("reset_vector") == 0xFFFF0u);
    CHECK_FALSE(t.find("COUNTER").has_value());  // "No Section": a constant, not a place
}

TEST_CASE("symbols: an ELF32 object's symbol table") {
    SymbolTable t;
    const auto elf = read_binary(LANTERN_DBG_TARGET_ELF);
    const auto r = t.load_elf32(elf, 0xF0000);
    CHECK(r.error.empty());
    CHECK(t.find("start") == 0xF0000u);
    CHECK(t.find("bump") == 0xF0090u);
    CHECK(t.find("is_286.done").has_value());
    CHECK(t.find("COUNTER") == 0x600u);  // SHN_ABS: an absolute value, no bias
    CHECK(t.describe(0x600) == "COUNTER");
    CHECK(t.describe(0x608).empty());  // a constant names only its own value
    CHECK(t.describe(0xF0092) == "bump+0x2");
}

TEST_CASE("symbols: hostile ELF files are refused or read safely, never overrun") {
    const auto elf = read_binary(LANTERN_DBG_TARGET_ELF);
    // Every truncation.
    for (std::size_t n = 0; n < elf.size(); n += (n < 256 ? 1 : 97)) {
        SymbolTable t;
        (void)t.load_elf32(std::span(elf).first(n), 0);
    }
    // Corrupted headers and tables (a fixed pseudo-random sequence: the test is reproducible).
    std::uint32_t seed = 12345;
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::uint8_t> bad = elf;
        for (int k = 0; k < 4; ++k) {
            seed = seed * 1103515245u + 12345u;
            // The ELF header, or the tail where NASM puts the section headers and the tables.
            const std::size_t tail = std::min<std::size_t>(bad.size(), 2048);
            const std::size_t at = round % 2 ? (seed >> 8) % 52 : bad.size() - tail + (seed >> 8) % tail;
            seed = seed * 1103515245u + 12345u;
            bad[at] = static_cast<std::uint8_t>(seed >> 16);
        }
        SymbolTable t;
        (void)t.load_elf32(bad, 0);
    }
    SymbolTable t;
    CHECK_FALSE(t.load_elf32(std::vector<std::uint8_t>{0x7F, 'E', 'L', 'F'}, 0).error.empty());
    std::vector<std::uint8_t> elf64 = elf;
    elf64[4] = 2;  // ELFCLASS64
    CHECK(t.load_elf32(elf64, 0).error.find("32-bit") != std::string::npos);
}

}  // namespace lantern::test
