// The debugger's expression language: breakpoint conditions, `print`, and every address a
// command takes.
//
//   numbers     decimal 123, hex 0x7c00 or 7c00h (a leading digit), binary 0b1010
//   registers   eax..edi, ax..di, al..bh, eip, ip, eflags, flags, cs ds es ss fs gs,
//               cr0 cr2 cr3 cr4, dr0..dr7, the flags cf pf af zf sf tf if df of, cpl, cycles,
//               instructions; a leading $ is allowed ($eax), and needed for a symbol that
//               shares a register's name
//   symbols     any other name: the symbol's address (`break test_main`)
//   seg:offset  the linear address of a segment:offset pair, through the segment register's
//               descriptor cache when the segment is a segment register (cs:ip, ds:si), and as a
//               real-mode paragraph (value * 16) when it is a number (0xf000:0xfff0)
//   memory      [addr] (a dword), byte[addr], word[addr], dword[addr]: little-endian reads of
//               linear memory (through paging); [ds:si] reads at a seg:offset
//   operators   C's, with C's precedence: unary - ! ~; * / %; + -; << >>; ':' (seg:offset);
//               < <= > >=; == !=; &; ^; |; &&; ||. Values are 64-bit, compared unsigned.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lantern {

// What an expression can see. The debugger implements it over a Machine; tests over a map.
class ExpressionContext {
public:
    virtual ~ExpressionContext() = default;
    // A register or pseudo-register by lower-case name (no '$'); nullopt if there is none.
    virtual std::optional<std::uint64_t> register_value(std::string_view name) const = 0;
    // The base address a segment register's descriptor cache holds ("cs", "ds", ...).
    virtual std::optional<std::uint32_t> segment_base(std::string_view name) const = 0;
    // A symbol's address.
    virtual std::optional<std::uint64_t> symbol_value(std::string_view name) const = 0;
    // Reads `width` bytes (1, 2 or 4) of linear memory, little-endian; nullopt if unmapped.
    virtual std::optional<std::uint32_t> read_memory(std::uint32_t linear, unsigned width) const = 0;
};

struct ExpressionResult {
    std::optional<std::uint64_t> value;  // set on success
    std::string error;                   // why not, on failure
    explicit operator bool() const { return value.has_value(); }
};

// Evaluates `text` completely (trailing garbage is an error).
ExpressionResult evaluate_expression(std::string_view text, const ExpressionContext& context);

// Whether `text` names a register the expression language knows (for `set REG = ...`).
bool is_register_name(std::string_view name);

}  // namespace lantern
