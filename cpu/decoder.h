// The decoder turns bytes at CS:IP into an Insn: a decoded-instruction record that does not
// depend on register values, so it can be cached (by physical address and mode) and executed
// many times.
#pragma once

#include <cstdint>

#include "cpu/opcode_table.h"

namespace lantern {

enum class RepPrefix : std::uint8_t { None = 0, RepNE = 1, RepE = 2 };  // F2, F3

struct Insn {
    const OpcodeInfo* info = nullptr;
    std::uint8_t length = 0;        // bytes, prefixes included
    std::uint8_t prefix_count = 0;
    std::uint8_t opcode = 0;        // the opcode byte (in the 0F map for two-byte opcodes)
    std::uint8_t modrm = 0;
    std::uint8_t mod = 0, reg = 0, rm = 0;
    std::int8_t seg_override = -1;  // Seg value, or -1
    RepPrefix rep = RepPrefix::None;
    bool lock = false;
    bool has_modrm = false;
    bool has_sib = false;
    std::uint8_t sib = 0;
    bool is_mem = false;            // ModR/M selects memory (mod != 3)
    std::uint8_t opsize = 2;        // 2 or 4 bytes ("v")
    std::uint8_t addrsize = 2;      // 2 or 4 bytes
    std::uint8_t width = 2;         // operand width of this form: 1, 2 or 4 (x87: 2-10 bytes)
    std::uint32_t disp = 0;         // ModR/M displacement, sign-extended
    std::uint32_t imm = 0;          // first immediate (sign-extended for Ibs/Jb)
    std::uint32_t imm2 = 0;         // second immediate (segment of Ap, ENTER's level)
    bool too_long = false;          // exceeded the model's instruction length limit
};

// Decodes one instruction, reading byte `n` of it (0 = first prefix byte) through `fetch(n)`;
// the interpreter's fetch wraps IP as the model does, the disassembler's reads a buffer.
// Never fails: bytes that form no instruction decode to a row with attr::Invalid (the
// interpreter raises #UD on models that have it). `max_length` is the model's limit (10 bytes
// on the 286, 15 on the 386; the 8086 has none, so it gets a generous one).
// `code32`: the code segment's default operand and address size is 32 bits (CS.D, 386+).
template <class Fetch>
Insn decode(const OpcodeMap& map, Fetch&& fetch, unsigned max_length, bool code32 = false);

// Which operand decides the width of an instruction form: byte, word, or the operand size.
unsigned operand_width(const OpcodeInfo& row, unsigned opsize);

}  // namespace lantern

#include "cpu/decoder_impl.h"
