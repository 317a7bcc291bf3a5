// The disassembler: formats what cpu/decoder.h decoded, in NASM/ndisasm Intel syntax.
//
// There is no second decoder here. Bytes go through lantern::decode() with the same OpcodeMap
// the interpreter uses, and the text comes from the row's mnemonic and its Operand forms, so an
// instruction always disassembles as the selected model will execute it (POP CS and the 60-6F
// Jcc aliases on the 8086, PUSHA and ENTER on the 80186 and later).
//
// Output follows ndisasm where that is a formatting convention (so a listing can be diffed
// against `ndisasm -b 16` and reassembled by NASM to the same bytes): `byte`/`word` only where
// the size is otherwise ambiguous, sign-extended imm8 as `byte +0x7f`, `jmp short`, `call far
// [bx]`, segment overrides inside the brackets (`[es:bx]`) or as a prefix word when there is no
// memory operand (`es lodsb`). tests/debugger/ndisasm_crosscheck_test.cpp lists where Lantern
// deliberately differs.
#pragma once

#include <concepts>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cpu/decoder.h"
#include "cpu/opcode_table.h"

namespace lantern {

// How an instruction affects control flow, for step-over, block boundaries and the GUI.
enum class FlowKind : std::uint8_t {
    None,             // falls through to the next instruction
    Jump,             // always transfers control (JMP near/far/indirect)
    CondJump,         // may fall through: Jcc, JCXZ, LOOP/LOOPE/LOOPNE
    Call,             // CALL near/far/indirect
    Return,           // RET, RETF
    Interrupt,        // INT n, INT3, INTO
    InterruptReturn,  // IRET
};

// A branch destination known from the instruction bytes alone (not from registers or memory).
struct BranchTarget {
    bool far = false;
    std::uint16_t segment = 0;  // far targets only
    std::uint32_t offset = 0;   // IP of the destination
};

// Looks up a symbol for a linear address; returns nothing when there is none.
using SymbolLookup = std::function<std::optional<std::string>(std::uint32_t linear)>;

struct DisasmOptions {
    bool uppercase = false;  // mnemonics, registers and hex digits (not the "0x", not symbols)
    // Linear address of CS:0000, so near branch targets can be handed to `symbol` as linear
    // addresses (real mode: CS << 4). Far targets use segment << 4 + offset (real mode).
    std::uint32_t cs_base = 0;
    SymbolLookup symbol;  // empty: branch targets print as numbers only
};

struct Disassembly {
    std::string text;       // "add word [bx+si+0x1234], 0x5678"; "(bad)" for invalid encodings
    unsigned length = 0;    // bytes, prefixes included
    std::string bytes_hex;  // "81 80 34 12 78 56"
    std::uint32_t ip = 0;   // where it was disassembled

    Insn insn;                         // the decoder's record
    const OpcodeInfo* row = nullptr;   // == insn.info: mnemonic, operands, flags, timing
    bool valid = false;      // false: #UD slot, register form of a memory-only operand, too long
    bool complete = true;    // false: the byte buffer ended inside the instruction

    FlowKind flow = FlowKind::None;
    // Whether a debugger's "step over" should run to ip + length instead of single-stepping:
    // calls, software interrupts, REP-prefixed string instructions and LOOPs (as DEBUG.COM's
    // P command does).
    bool step_over = false;
    std::optional<BranchTarget> target;

    // Cost on the OpcodeMap's model, from the row's timing column (Intel's tables).
    Timing timing;            // reg / mem / extra as the row gives them
    unsigned cycles = 0;      // timing.mem for a memory operand, else timing.reg
    // The 8086/80186 charge the effective-address time (8086 User's Manual Table 2-20) on top
    // of `cycles` for memory operands ("9+EA" in Intel's notation); the 286 includes it.
    bool plus_ea = false;
};

// The instruction-length limit of the map's model, as the interpreter applies it: 10 bytes on
// the 286 (PRM 2.4); the 8086 has none, so a runaway prefix stream is capped generously.
unsigned max_instruction_length(CpuModel model);

// Formats an instruction decode() already produced. `raw` are its bytes (for bytes_hex; may be
// shorter than insn.length if the buffer ended early).
Disassembly describe(const OpcodeMap& map, const Insn& insn, std::span<const std::uint8_t> raw,
                     std::uint32_t ip, const DisasmOptions& options = {});

// Disassembles the instruction at the start of `bytes`, which sits at offset `ip` in CS.
// Bytes past the end of the span read as zero and mark the result incomplete.
Disassembly disassemble(const OpcodeMap& map, std::span<const std::uint8_t> bytes, std::uint32_t ip,
                        const DisasmOptions& options = {});

// Disassembles through `fetch(n)`, which returns byte n of the instruction (0 = first prefix),
// so callers can read guest memory with the model's IP wrap-around, e.g.
// `[&](unsigned n) { return mem[cs_base + ((ip + n) & 0xFFFF)]; }`.
template <class Fetch>
    requires std::invocable<Fetch&, unsigned>
Disassembly disassemble(const OpcodeMap& map, Fetch&& fetch, std::uint32_t ip,
                        const DisasmOptions& options = {}) {
    std::vector<std::uint8_t> raw;
    raw.reserve(8);
    auto record = [&](unsigned n) -> std::uint8_t {
        auto b = static_cast<std::uint8_t>(fetch(n));
        if (raw.size() <= n) raw.resize(n + 1);
        raw[n] = b;
        return b;
    };
    Insn insn = decode(map, record, max_instruction_length(map.model()));
    return describe(map, insn, raw, ip, options);
}

// The NASM name of condition code `cc` (the low nibble of a Jcc opcode): "z", "nl", ...
std::string_view condition_name(unsigned cc);

}  // namespace lantern
