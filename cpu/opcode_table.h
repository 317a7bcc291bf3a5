// The opcode table: one row per instruction form, the single source of truth for the decoder,
// the interpreter, the disassembler and cycle accounting. Rows live in opcodes.def and, for the
// x87 escapes D8-DF, in opcodes_x87.def: one table in two files, expanded one after the other
// wherever the rows are needed. This header gives them their types and builds per-model lookup
// maps from them.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "cpu/cpu_model.h"

namespace lantern {

class Interpreter;
struct Insn;
using Handler = void (*)(Interpreter&, const Insn&);

// Operand forms in the Intel manual's opcode-map notation (SDM Vol. 2, Appendix A.2):
// the letter says how the operand is addressed, the suffix its size (b byte, w word,
// v word or dword by operand size, p far pointer).
enum class Operand : std::uint8_t {
    None,
    Eb, Ev, Ew,      // ModR/M r/m: register or memory
    Gb, Gv, Gw,      // ModR/M reg: general register
    Sw,              // ModR/M reg: segment register
    M, Mp, Ma,       // ModR/M r/m: memory only (LEA), far pointer (LES, CALL far), BOUND pair
    Ib, Iw, Iv, Ibs, // immediate: byte, word, word/dword, byte sign-extended to the operand size
    Jb, Jv,          // relative branch target
    Ap,              // immediate far pointer (seg:off)
    Ob, Ov,          // direct memory offset (MOV AL, [moffs])
    Xb, Xv, Yb, Yv,  // string operands DS:SI and ES:DI
    Zb, Zv,          // register in the low three opcode bits
    AL, CL, AX, DX,  // fixed registers (AX means AX/EAX by operand size; DX is the port register)
    ES, CS, SS, DS, FS, GS,  // fixed segment registers
    One,             // the constant 1 of the shift-by-one forms
    Rd, Cd, Dd,      // MOV CRn/DRn: r/m as a 32-bit register, reg as CRn or DRn
    Mq,              // 64-bit memory operand (CMPXCHG8B)
    // x87 (SDM Vol. 2, 3.1.1.3 and Appendix A.4): the register stack and memory-only operands
    // named by their data type, which decides how many bytes the instruction moves.
    ST0, STi,        // ST(0); ST(i) with i in ModR/M r/m (register forms, X87Reg map)
    AXw,             // AX, always 16 bits (FNSTSW AX)
    M16int, M32int, M64int,  // two's-complement integers (FILD, FIADD, FISTP, ...)
    M32fp, M64fp, M80fp,     // single, double and extended real
    M80bcd,          // 18-digit packed BCD (FBLD, FBSTP)
    M2byte,          // control or status word (FLDCW, FNSTCW, FNSTSW m)
    Menv,            // x87 environment: 14 or 28 bytes by operand size (FLDENV, FNSTENV)
    Mstate,          // environment + registers: 94 or 108 bytes (FRSTOR, FNSAVE)
};
inline constexpr int kMaxOperands = 3;

std::string_view operand_name(Operand o);

// Row attributes.
namespace attr {
inline constexpr std::uint32_t None = 0;
inline constexpr std::uint32_t ModRM = 1u << 0;       // a ModR/M byte follows the opcode
inline constexpr std::uint32_t Group = 1u << 1;       // the row claims one ModR/M reg value only
inline constexpr std::uint32_t Prefix = 1u << 2;      // a prefix byte, not an instruction
inline constexpr std::uint32_t Escape = 1u << 3;      // 0x0F: the next byte indexes the 0F map
inline constexpr std::uint32_t Lockable = 1u << 4;    // LOCK is legal with a memory destination
inline constexpr std::uint32_t Rep = 1u << 5;         // a string instruction REP/REPcc repeats
inline constexpr std::uint32_t Branch = 1u << 6;      // transfers control (ends a basic block)
inline constexpr std::uint32_t Invalid = 1u << 7;     // raises #UD (on models that have it)
inline constexpr std::uint32_t ModeChange = 1u << 8;  // may change CPU mode (ends a block)
inline constexpr std::uint32_t NoWriteback = 1u << 9; // operand 0 is read only (CMP, TEST)
inline constexpr std::uint32_t Byte = 1u << 10;       // operates on bytes whatever the operands say
inline constexpr std::uint32_t Fpu = 1u << 11;        // x87 escape
inline constexpr std::uint32_t ForceReg = 1u << 12;   // ModR/M always names registers (MOV CRn)
}  // namespace attr

// Cycles an instruction costs on one model (Intel's timing tables). `reg` is the register form,
// `mem` the memory form (the 8086's effective-address time is added on top, 8086 Family User's
// Manual Table 2-20). `extra` is the data-dependent part whose meaning the handler's family
// documents: per repetition (strings), per bit shifted, taken-branch cost.
struct Timing {
    std::uint16_t reg = 0;
    std::uint16_t mem = 0;
    std::uint16_t extra = 0;
};

// Models with a timing column in opcodes.def. The P6 has no simple timing table (it issues
// out of order with variable latencies), so it is charged the Pentium column: the cost of
// the instruction issued alone in the Pentium's U pipe. An approximation, documented as such.
enum class TimingColumn : std::uint8_t { I8086 = 0, I80286 = 1, I80386 = 2, I80486 = 3, Pentium = 4 };
inline constexpr int kTimingColumns = 5;
TimingColumn timing_column(CpuModel m);

// Opcode maps. X87Reg holds the register forms (mod = 11) of the x87 escapes, which Intel
// tabulates separately (SDM Vol. 2, A.4.2): its "opcode" index is (escape - 0xD8) * 8 + ModR/M
// reg (0..63) and its "reg" index is ModR/M r/m. The memory forms stay in the primary map as
// group rows of D8-DF; the decoder switches to X87Reg when the primary row has attr::Fpu and
// mod = 11.
enum class OpMap : std::uint8_t { Primary = 0, Map0F = 1, X87Reg = 2 };
inline constexpr int kOpMaps = 3;
inline constexpr int kX87RegOpcodes = 64;  // used "opcode" indices of the X87Reg map
constexpr std::uint8_t x87_reg_index(std::uint8_t escape, std::uint8_t modrm_reg) {
    return static_cast<std::uint8_t>((escape - 0xD8) * 8 + (modrm_reg & 7));
}

struct OpcodeInfo {
    OpMap map = OpMap::Primary;
    std::uint8_t opcode = 0;       // first opcode of the row
    std::uint8_t opcode_last = 0;  // last opcode (OPS rows cover a run: Jcc, register in opcode)
    std::int8_t group_reg = -1;  // -1: any reg value
    std::string_view mnemonic;
    std::array<Operand, kMaxOperands> operands{};
    std::uint32_t attrs = 0;
    std::uint32_t flags_read = 0;     // EFLAGS bits the instruction reads
    std::uint32_t flags_written = 0;  // EFLAGS bits it writes (or leaves undefined)
    CpuModel since = CpuModel::I8086;
    CpuModel until = CpuModel::P6;    // inclusive: 8086-only aliases end at I8086
    std::array<Timing, kTimingColumns> timing{};
    Handler handler = nullptr;

    bool has(std::uint32_t a) const { return (attrs & a) != 0; }
    bool available_on(CpuModel m) const { return since <= m && m <= until; }
};

// All rows of opcodes.def and then opcodes_x87.def, in file order.
std::span<const OpcodeInfo> opcode_rows();

// UD_RANGE rows of opcodes.def and opcodes_x87.def: slots that raise #UD on the models given.
struct InvalidRange {
    OpMap map;
    std::uint8_t first, last;
    CpuModel since, until;
};
std::span<const InvalidRange> invalid_ranges();
// The row an invalid slot decodes to.
const OpcodeInfo& invalid_opcode_row();

// The decoder's view for one model: which row claims each (map, opcode, reg) slot.
class OpcodeMap {
public:
    explicit OpcodeMap(CpuModel model);
    const OpcodeInfo* lookup(OpMap map, std::uint8_t opcode, std::uint8_t reg) const {
        return slots_[slot(map, opcode, reg)];
    }
    // Whether `opcode` needs a ModR/M byte before its row can be known (group opcodes).
    bool is_group(OpMap map, std::uint8_t opcode) const;
    CpuModel model() const { return model_; }

    // For the table test: how many rows claim each slot on this model.
    static std::array<std::uint8_t, kOpMaps * 256 * 8> claim_counts(CpuModel model);

private:
    static constexpr std::size_t slot(OpMap map, std::uint8_t opcode, std::uint8_t reg) {
        return (static_cast<std::size_t>(map) * 256 + opcode) * 8 + reg;
    }
    CpuModel model_;
    std::array<const OpcodeInfo*, kOpMaps * 256 * 8> slots_{};
};

// Parses a flag list such as "oszapc" into EFLAGS bits, at compile time.
constexpr std::uint32_t flag_letters(std::string_view s) {
    std::uint32_t f = 0;
    for (char c : s) {
        switch (c) {
            case 'o': f |= 1u << 11; break;
            case 'd': f |= 1u << 10; break;
            case 'i': f |= 1u << 9; break;
            case 't': f |= 1u << 8; break;
            case 's': f |= 1u << 7; break;
            case 'z': f |= 1u << 6; break;
            case 'a': f |= 1u << 4; break;
            case 'p': f |= 1u << 2; break;
            case 'c': f |= 1u << 0; break;
            case '*': f |= 0x00000FD5u; break;  // all of the above
            default: break;
        }
    }
    return f;
}

}  // namespace lantern
