// Symbols: names for addresses, for the disassembler, backtraces and expressions.
//
// These file formats load:
//   - an `nm`-style list, one symbol a line: "ADDRESS [TYPE] NAME" with ADDRESS in hex (a 0x
//     prefix is optional) and TYPE one letter (nm's T, t, D, ...); this is also Bochs' `ldsym`
//     format ("ADDRESS NAME"). "NAME ADDRESS" (the Lantern BIOS's map, bios/README.md) works
//     too: an address starts with a digit, a name does not. Lines starting with '#' or ';', and
//     lines that fit none of these, are skipped (an error only if nothing fits at all).
//   - a NASM map file (`[map symbols FILE]`): the labels of its "Section" tables, at their offset
//     in the output file;
//   - an ELF32 file's symbol table (.symtab, else .dynsym), read here from the ELF specification
//     (System V ABI, "Object Files": ELF header, section header table, Elf32_Sym); functions,
//     objects and untyped symbols are kept, section and file symbols dropped.
// Every address gets `bias` added: a ROM linked at 0 and mapped at F0000 loads with bias 0xF0000.
// Both parsers treat the file as untrusted: every offset and count is bounds-checked.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace lantern {

struct Symbol {
    std::uint32_t address = 0;  // linear
    std::uint32_t size = 0;     // 0 when unknown
    std::string name{};
    bool absolute = false;      // a constant (an ELF SHN_ABS EQU): names its value only exactly
};

class SymbolTable {
public:
    void add(Symbol s);
    void clear() { symbols_.clear(); }
    std::size_t size() const { return symbols_.size(); }
    const std::vector<Symbol>& all() const { return symbols_; }

    // Loads a file, deciding the format by its first bytes (ELF magic or text). Returns the
    // number of symbols added, or an error message.
    struct LoadResult {
        std::size_t added = 0;
        std::string error{};
    };
    LoadResult load_file(const std::string& path, std::uint32_t bias = 0);
    LoadResult load_nm(std::string_view text, std::uint32_t bias = 0);
    LoadResult load_elf32(std::span<const std::uint8_t> image, std::uint32_t bias = 0);

    std::optional<std::uint32_t> find(std::string_view name) const;
    // The symbol at exactly `address`.
    const Symbol* exact(std::uint32_t address) const;
    // "name" or "name+0x12": the nearest symbol at or below `address`, within its size when it
    // has one, else within `max_distance` bytes. Empty when none fits.
    std::string describe(std::uint32_t address, std::uint32_t max_distance = 0x1000) const;

private:
    std::vector<Symbol> symbols_{};  // sorted by address, then name
};

}  // namespace lantern
