#include "debugger/disassembler.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <string_view>

namespace lantern {

namespace {

constexpr std::array<std::string_view, 8> kReg8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
constexpr std::array<std::string_view, 8> kReg16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
constexpr std::array<std::string_view, 8> kReg32 = {"eax", "ecx", "edx", "ebx",
                                                    "esp", "ebp", "esi", "edi"};
constexpr std::array<std::string_view, 6> kSeg = {"es", "cs", "ss", "ds", "fs", "gs"};
// 16-bit ModR/M bases by r/m (SDM Vol. 2, Table 2-1); r/m 6 with mod 0 is a direct address.
constexpr std::array<std::string_view, 8> kBase16 = {"bx+si", "bx+di", "bp+si", "bp+di",
                                                     "si",    "di",    "bp",    "bx"};
// NASM's names, which ndisasm prints (jc rather than jb, jnl rather than jge).
constexpr std::array<std::string_view, 16> kCondition = {
    "o", "no", "c", "nc", "z", "nz", "na", "a", "s", "ns", "pe", "po", "l", "nl", "ng", "g"};

std::string hex(std::uint32_t v, int min_digits = 1) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%0*x", min_digits, static_cast<unsigned>(v));
    return buf;
}

// "+0x12" / "-0x2", as ndisasm prints displacements and sign-extended immediates.
std::string signed_hex(std::int32_t v) {
    std::uint32_t mag = v < 0 ? 0u - static_cast<std::uint32_t>(v) : static_cast<std::uint32_t>(v);
    // Built by appending: GCC 12 warns falsely (-Wrestrict) on `"-" + std::string`.
    std::string s(1, v < 0 ? '-' : '+');
    s += hex(mag);
    return s;
}

std::string_view reg_name(unsigned r, unsigned width) {
    r &= 7;
    return width == 1 ? kReg8[r] : width == 4 ? kReg32[r] : kReg16[r];
}

std::string_view size_keyword(unsigned width) {
    return width == 1 ? "byte" : width == 4 ? "dword" : "word";
}

// MOVS, LODS, INS, ...: the mnemonic's b/w suffix says it all, as NASM writes them.
bool is_string_instruction(const OpcodeInfo& row) {
    for (Operand o : row.operands)
        if (o == Operand::Xb || o == Operand::Xv || o == Operand::Yb || o == Operand::Yv)
            return true;
    return false;
}

bool is_memory_only(Operand o) { return o == Operand::M || o == Operand::Mp || o == Operand::Ma; }

// Operands whose register name already tells the assembler the operand size. CL (a shift
// count), DX (a port) and immediates do not.
bool fixes_size(Operand o) {
    switch (o) {
        case Operand::Gb: case Operand::Gv: case Operand::Gw: case Operand::Sw:
        case Operand::Zb: case Operand::Zv: case Operand::AL: case Operand::AX:
        case Operand::ES: case Operand::CS: case Operand::SS: case Operand::DS:
        case Operand::FS: case Operand::GS:
            return true;
        default:
            return false;
    }
}

bool is_valid(const Insn& in) {
    const OpcodeInfo& row = *in.info;
    if (in.too_long || row.has(attr::Invalid) || row.has(attr::Prefix) || row.has(attr::Escape))
        return false;
    // LEA, LES/LDS, far indirect branches and BOUND need an address; a register form has none.
    if (in.has_modrm && !in.is_mem)
        for (Operand o : row.operands)
            if (is_memory_only(o)) return false;
    return true;
}

FlowKind flow_kind(const OpcodeInfo& row) {
    if (!row.has(attr::Branch)) return FlowKind::None;
    std::string_view m = row.mnemonic;
    if (m == "j" || m == "jcxz" || m.starts_with("loop")) return FlowKind::CondJump;
    if (m == "call" || m == "callf") return FlowKind::Call;
    if (m == "ret" || m == "retf") return FlowKind::Return;
    if (m == "iret") return FlowKind::InterruptReturn;
    if (m == "int" || m == "int3" || m == "into") return FlowKind::Interrupt;
    return FlowKind::Jump;  // jmp, jmpf; any new branch row at least ends a block
}

// The row's mnemonic as NASM spells it.
std::string mnemonic(const OpcodeInfo& row, const Insn& in) {
    std::string_view m = row.mnemonic;
    if (m == "j") return "j" + std::string(kCondition[in.opcode & 0xF]);
    // The table names far indirect branches callf/jmpf; NASM writes `call far [mem]`.
    if (m == "callf") return "call";
    if (m == "jmpf") return "jmp";
    // NASM's XLAT needs an operand; XLATB is the operand-less form.
    if (m == "xlat") return "xlatb";
    return std::string(m);
}

// Uppercases everything but the x of "0x", which reads better lowercase (0xFF, not 0XFF).
void to_upper(std::string& s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == 'x' && i > 0 && s[i - 1] == '0') continue;
        s[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[i])));
    }
}

// Formats the operands of one decoded instruction.
class OperandFormatter {
public:
    OperandFormatter(const Insn& in, std::uint32_t ip, CpuModel model)
        : in_(in), row_(*in.info), ip_(ip), model_(model) {
        size_keyword_ = !row_.has(attr::Branch);
        for (Operand o : row_.operands)
            if (fixes_size(o)) size_keyword_ = false;
    }

    std::string format(Operand o) {
        switch (o) {
            case Operand::None: return {};
            case Operand::Eb: return rm(1, size_keyword_);
            case Operand::Ev: return rm(in_.opsize, size_keyword_);
            // Ew forms (MOV Sreg, SMSW, LMSW) exist only as words: no size to disambiguate.
            case Operand::Ew: return rm(2, false);
            case Operand::Gb: return std::string(reg_name(in_.reg, 1));
            case Operand::Gv: return std::string(reg_name(in_.reg, in_.opsize));
            case Operand::Gw: return std::string(reg_name(in_.reg, 2));
            case Operand::Sw: return sreg();
            case Operand::M: case Operand::Ma: return memory();
            case Operand::Mp: return row_.has(attr::Branch) ? "far " + memory() : memory();
            case Operand::Ib: return hex(next_imm() & 0xFF);
            case Operand::Iw: return hex(next_imm() & 0xFFFF);
            case Operand::Iv: {
                std::string v = hex(next_imm() & width_mask(in_.opsize));
                // PUSH imm alone does not say how wide the pushed value is.
                bool alone = row_.operands[0] == Operand::Iv && row_.operands[1] == Operand::None;
                return alone ? std::string(size_keyword(in_.opsize)) + " " + v : v;
            }
            case Operand::Ibs:
                // The sign-extended imm8 forms (83, 6A, 6B): NASM's `byte` picks that encoding.
                return "byte " + signed_hex(static_cast<std::int8_t>(next_imm() & 0xFF));
            case Operand::Jb: case Operand::Jv: return near_target(o);
            case Operand::Ap: return far_target();
            case Operand::Ob: case Operand::Ov: return direct(next_imm() & 0xFFFF);
            case Operand::Xb: case Operand::Xv: case Operand::Yb: case Operand::Yv:
                return {};  // implied by the mnemonic (movsb, lodsw)
            case Operand::Zb: return std::string(reg_name(in_.opcode, 1));
            case Operand::Zv: return std::string(reg_name(in_.opcode, in_.opsize));
            case Operand::AL: return "al";
            case Operand::CL: return "cl";
            case Operand::AX: return std::string(reg_name(0, in_.opsize));
            case Operand::DX: return "dx";
            case Operand::ES: return "es";
            case Operand::CS: return "cs";
            case Operand::SS: return "ss";
            case Operand::DS: return "ds";
            case Operand::FS: return "fs";
            case Operand::GS: return "gs";
            case Operand::One: return "1";
            // x87: ST(0) and ST(i) as NASM names them, memory operands with their data size.
            case Operand::ST0: return "st0";
            case Operand::STi: return std::string("st").append(1, static_cast<char>('0' + in_.rm));
            case Operand::AXw: return "ax";
            case Operand::M16int: return sized("word", memory());
            case Operand::M32int: case Operand::M32fp: return sized("dword", memory());
            case Operand::M64int: case Operand::M64fp: return sized("qword", memory());
            case Operand::M80fp: case Operand::M80bcd: return sized("tword", memory());
            case Operand::M2byte: case Operand::Menv: case Operand::Mstate: return memory();
            case Operand::Rd: case Operand::Cd: case Operand::Dd: case Operand::Mq: break;
        }
        return "?";
    }

    // 8086 ESC: "esc 0x3f, [bx]" — the six-bit external opcode, then the operand it names.
    std::string esc() {
        unsigned code = ((in_.opcode & 7u) << 3) | in_.reg;
        return hex(code) + ", " + rm(1, false);
    }

    bool segment_shown() const { return segment_shown_; }
    const std::optional<BranchTarget>& target() const { return target_; }

private:
    static std::uint32_t width_mask(unsigned width) {
        return width == 4 ? 0xFFFFFFFFu : width == 2 ? 0xFFFFu : 0xFFu;
    }

    // The decoder stores immediates in operand order: the first in imm, the second in imm2.
    std::uint32_t next_imm() { return imm_index_++ == 0 ? in_.imm : in_.imm2; }

    // "dword [bx]", built by appending (GCC 12 warns falsely with `"dword " + std::string`).
    static std::string sized(std::string_view keyword, const std::string& mem) {
        std::string s(keyword);
        s += ' ';
        s += mem;
        return s;
    }

    std::string rm(unsigned width, bool keyword) {
        if (!in_.is_mem) return std::string(reg_name(in_.rm, width));
        std::string m = memory();
        return keyword ? std::string(size_keyword(width)) + " " + m : m;
    }

    std::string sreg() const {
        // Before the 386 the CPU decodes only two bits of the Sreg field (the interpreter does
        // the same), so 4-7 alias ES-DS.
        unsigned r = model_ < CpuModel::I80386 ? (in_.reg & 3u) : in_.reg;
        return r < kSeg.size() ? std::string(kSeg[r]) : "(bad)";
    }

    std::string open_bracket() {
        std::string s = "[";
        if (in_.seg_override >= 0) {
            s += kSeg[static_cast<unsigned>(in_.seg_override)];
            s += ':';
            segment_shown_ = true;
        }
        return s;
    }

    std::string memory() {
        if (in_.addrsize == 4) return memory32();
        std::string s = open_bracket();
        if (in_.mod == 0 && in_.rm == 6) {
            s += hex(in_.disp & 0xFFFF);
        } else {
            s += kBase16[in_.rm];
            if (in_.mod == 1) s += signed_hex(static_cast<std::int8_t>(in_.disp & 0xFF));
            if (in_.mod == 2) s += signed_hex(static_cast<std::int16_t>(in_.disp & 0xFFFF));
        }
        return s + "]";
    }

    // 32-bit addressing with the SIB byte (SDM Vol. 2, Tables 2-2 and 2-3), as NASM writes it:
    // [base+index*scale+disp], the scale only when it is not 1.
    std::string memory32() {
        std::string s = open_bracket();
        std::string regs;
        bool disp_only = false;  // no base and no index: the displacement is an address
        if (in_.has_sib) {
            const unsigned scale = in_.sib >> 6, index = (in_.sib >> 3) & 7, base = in_.sib & 7;
            if (!(base == 5 && in_.mod == 0)) regs = kReg32[base];
            if (index != 4) {
                if (!regs.empty()) regs += '+';
                regs += kReg32[index];
                if (scale) {
                    regs += '*';
                    regs += static_cast<char>('0' + (1u << scale));
                }
            }
            disp_only = regs.empty();
        } else if (in_.mod == 0 && in_.rm == 5) {
            disp_only = true;
        } else {
            regs = kReg32[in_.rm];
        }
        const bool disp32 = in_.mod == 2 || (in_.mod == 0 && (disp_only || (in_.has_sib && (in_.sib & 7) == 5)));
        if (disp_only) {
            s += hex(in_.disp);
        } else {
            s += regs;
            if (in_.mod == 1 || disp32) s += signed_hex(static_cast<std::int32_t>(in_.disp));
        }
        return s + "]";
    }

    std::string direct(std::uint32_t offset) { return open_bracket() + hex(offset) + "]"; }

    std::string near_target(Operand o) {
        // Relative to the next instruction; IP wraps within the segment.
        std::uint32_t dest = (ip_ + in_.length + next_imm()) & width_mask(in_.opsize);
        target_ = BranchTarget{false, 0, dest};
        // JMP has rel8 and rel16 forms, so NASM needs `short` to choose EB (Jcc has only rel8
        // before the 386).
        std::string prefix = (o == Operand::Jb && row_.mnemonic == "jmp") ? "short " : "";
        return prefix + hex(dest, 4);
    }

    std::string far_target() {
        std::uint32_t off = in_.imm & width_mask(in_.opsize);
        auto seg = static_cast<std::uint16_t>(in_.imm2);
        imm_index_ = 2;
        target_ = BranchTarget{true, seg, off};
        return hex(seg, 4) + ":" + hex(off, 4);
    }

    const Insn& in_;
    const OpcodeInfo& row_;
    std::uint32_t ip_;
    CpuModel model_;
    bool size_keyword_ = false;
    bool segment_shown_ = false;
    int imm_index_ = 0;
    std::optional<BranchTarget> target_;
};

std::string bytes_to_hex(std::span<const std::uint8_t> raw, bool uppercase) {
    std::string s;
    s.reserve(raw.size() * 3);
    char buf[4];
    for (std::uint8_t b : raw) {
        if (!s.empty()) s += ' ';
        std::snprintf(buf, sizeof buf, uppercase ? "%02X" : "%02x", b);
        s += buf;
    }
    return s;
}

}  // namespace

std::string_view condition_name(unsigned cc) { return kCondition[cc & 0xF]; }

unsigned max_instruction_length(CpuModel model) {
    // Mirrors Interpreter::max_instruction_length(), which needs an Interpreter to ask.
    return model <= CpuModel::I80186 ? 255 : 10;
}

Disassembly describe(const OpcodeMap& map, const Insn& insn, std::span<const std::uint8_t> raw,
                     std::uint32_t ip, const DisasmOptions& options) {
    Disassembly d;
    d.insn = insn;
    d.row = insn.info;
    d.ip = ip;
    d.length = insn.length;
    d.complete = raw.size() >= insn.length;
    d.bytes_hex = bytes_to_hex(raw.first(std::min<std::size_t>(raw.size(), insn.length)),
                               options.uppercase);

    const OpcodeInfo& row = *insn.info;
    const TimingColumn column = timing_column(map.model());
    d.timing = row.timing[static_cast<int>(column)];
    d.cycles = insn.is_mem ? d.timing.mem : d.timing.reg;
    d.plus_ea = insn.is_mem && column == TimingColumn::I8086;

    d.valid = is_valid(insn);
    if (!d.valid) {
        d.text = options.uppercase ? "(BAD)" : "(bad)";
        return d;
    }

    d.flow = flow_kind(row);
    const bool repeated = row.has(attr::Rep) && insn.rep != RepPrefix::None;
    d.step_over = d.flow == FlowKind::Call || d.flow == FlowKind::Interrupt || repeated ||
                  row.mnemonic.starts_with("loop");

    OperandFormatter f(insn, ip, map.model());
    std::string operands;
    // The ESC rows of the 8086 and 286 (no coprocessor); x87 rows with their own mnemonics
    // (386 on, opcodes_x87.def) format like any other row.
    if (row.has(attr::Fpu) && row.mnemonic == "esc") {
        operands = f.esc();
    } else if (!is_string_instruction(row)) {
        for (Operand o : row.operands) {
            std::string s = f.format(o);
            if (s.empty()) continue;
            if (!operands.empty()) operands += ", ";
            operands += s;
        }
    }
    d.target = f.target();

    // Prefix words, in ndisasm's order. A segment override with no memory operand to sit in
    // (string instructions, XLAT, or one that does nothing) is shown as a prefix word.
    std::string text;
    if (insn.seg_override >= 0 && !f.segment_shown()) {
        text += kSeg[static_cast<unsigned>(insn.seg_override)];
        text += ' ';
    }
    if (insn.rep == RepPrefix::RepNE) {
        text += "repne ";
    } else if (insn.rep == RepPrefix::RepE) {
        // F3 means REPE only for the string instructions that compare (CMPS, SCAS).
        text += (row.has(attr::Rep) && row.flags_written != 0) ? "repe " : "rep ";
    }
    if (insn.lock) text += "lock ";
    // The x87 environment and save-area formats follow the operand size, which NASM only shows
    // as a prefix word (`o32 fnsave [bx]`); the disassembler decodes 16-bit code.
    for (Operand o : row.operands)
        if ((o == Operand::Menv || o == Operand::Mstate) && insn.opsize == 4) text += "o32 ";
    text += mnemonic(row, insn);
    if (!operands.empty()) text += " " + operands;
    if (options.uppercase) to_upper(text);

    if (d.target && options.symbol) {
        const BranchTarget& t = *d.target;
        std::uint32_t linear = t.far ? (static_cast<std::uint32_t>(t.segment) << 4) + t.offset
                                     : options.cs_base + t.offset;
        if (auto name = options.symbol(linear)) text += " <" + *name + ">";
    }
    d.text = std::move(text);
    return d;
}

Disassembly disassemble(const OpcodeMap& map, std::span<const std::uint8_t> bytes, std::uint32_t ip,
                        const DisasmOptions& options) {
    Insn insn = decode(
        map, [&](unsigned n) -> std::uint8_t { return n < bytes.size() ? bytes[n] : 0; },
        max_instruction_length(map.model()));
    return describe(map, insn, bytes.first(std::min<std::size_t>(bytes.size(), insn.length)), ip,
                    options);
}

}  // namespace lantern
