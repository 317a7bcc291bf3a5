#include "cpu/opcode_table.h"

#include "cpu/exec.h"

namespace lantern {

namespace {

// Short names the rows in opcodes.def use.
constexpr OpMap PRI = OpMap::Primary;
constexpr OpMap SEC = OpMap::Map0F;
constexpr OpMap X87 = OpMap::X87Reg;
// X87Reg row index from the escape byte and ModR/M reg: `x87(0xD9, 4)` is D9 E0-E7.
constexpr std::uint8_t x87(std::uint8_t escape, std::uint8_t reg) { return x87_reg_index(escape, reg); }
constexpr std::int8_t ANY = -1;
constexpr std::uint32_t NONE = attr::None;
constexpr std::uint32_t MODRM = attr::ModRM;
constexpr std::uint32_t GROUP = attr::Group;
constexpr std::uint32_t PREFIX = attr::Prefix;
constexpr std::uint32_t ESCAPE = attr::Escape;
constexpr std::uint32_t LOCK = attr::Lockable;
constexpr std::uint32_t REP = attr::Rep;
constexpr std::uint32_t BRANCH = attr::Branch;
constexpr std::uint32_t INVALID = attr::Invalid;
constexpr std::uint32_t MODECHG = attr::ModeChange;
constexpr std::uint32_t NOWB = attr::NoWriteback;
constexpr std::uint32_t BYTE = attr::Byte;
constexpr std::uint32_t FPU = attr::Fpu;
constexpr std::uint32_t FORCEREG = attr::ForceReg;
constexpr CpuModel I8086 = CpuModel::I8086;
constexpr CpuModel I80186 = CpuModel::I80186;
constexpr CpuModel I80286 = CpuModel::I80286;
constexpr CpuModel I80386 = CpuModel::I80386;
constexpr CpuModel I80486 = CpuModel::I80486;
constexpr CpuModel Pentium = CpuModel::Pentium;
constexpr CpuModel P6 = CpuModel::P6;
constexpr CpuModel LAST = CpuModel::P6;

constexpr Timing T(std::uint16_t reg, std::uint16_t mem, std::uint16_t extra) {
    return Timing{reg, mem, extra};
}

#define OPS(map, first, last, reg, mnem, o1, o2, o3, attrs, fr, fw, since, until, t86, t286, t386, \
            t486, tp5, h)                                                                          \
    OpcodeInfo{map, first, last, reg, mnem, {Operand::o1, Operand::o2, Operand::o3}, attrs,      \
               flag_letters(fr), flag_letters(fw), since, until, {t86, t286, t386, t486, tp5}, &exec::h},
#define OP(map, opc, reg, mnem, o1, o2, o3, attrs, fr, fw, since, until, t86, t286, t386, t486, tp5, h) \
    OPS(map, opc, opc, reg, mnem, o1, o2, o3, attrs, fr, fw, since, until, t86, t286, t386, t486, tp5, h)
#define UD_RANGE(map, first, last, since, until)

const OpcodeInfo kRows[] = {
#include "cpu/opcodes.def"
#include "cpu/opcodes_x87.def"
};

#undef OP
#undef OPS
#undef UD_RANGE

#define OP(...)
#define OPS(...)
#define UD_RANGE(map, first, last, since, until) InvalidRange{map, first, last, since, until},

const InvalidRange kInvalidRanges[] = {
#include "cpu/opcodes.def"
#include "cpu/opcodes_x87.def"
};

#undef OP
#undef OPS
#undef UD_RANGE

const OpcodeInfo kInvalidRow{PRI,  0,    0xFF, ANY,   "(bad)", {Operand::None, Operand::None, Operand::None},
                             INVALID, 0, 0, I8086, LAST,  {T(0, 0, 0), T(0, 0, 0), T(0, 0, 0), T(0, 0, 0), T(0, 0, 0)}, &exec::invalid};

}  // namespace

std::span<const OpcodeInfo> opcode_rows() { return kRows; }
std::span<const InvalidRange> invalid_ranges() { return kInvalidRanges; }
const OpcodeInfo& invalid_opcode_row() { return kInvalidRow; }

TimingColumn timing_column(CpuModel m) {
    switch (m) {
        case CpuModel::I8086:
        case CpuModel::I80186: return TimingColumn::I8086;
        case CpuModel::I80286: return TimingColumn::I80286;
        case CpuModel::I80386: return TimingColumn::I80386;
        case CpuModel::I80486: return TimingColumn::I80486;
        default: return TimingColumn::Pentium;  // P6: see TimingColumn
    }
}

std::string_view operand_name(Operand o) {
    switch (o) {
        case Operand::None: return "";
        case Operand::Eb: return "Eb";
        case Operand::Ev: return "Ev";
        case Operand::Ew: return "Ew";
        case Operand::Gb: return "Gb";
        case Operand::Gv: return "Gv";
        case Operand::Gw: return "Gw";
        case Operand::Sw: return "Sw";
        case Operand::M: return "M";
        case Operand::Mp: return "Mp";
        case Operand::Ma: return "Ma";
        case Operand::Ib: return "Ib";
        case Operand::Iw: return "Iw";
        case Operand::Iv: return "Iv";
        case Operand::Ibs: return "Ibs";
        case Operand::Jb: return "Jb";
        case Operand::Jv: return "Jv";
        case Operand::Ap: return "Ap";
        case Operand::Ob: return "Ob";
        case Operand::Ov: return "Ov";
        case Operand::Xb: return "Xb";
        case Operand::Xv: return "Xv";
        case Operand::Yb: return "Yb";
        case Operand::Yv: return "Yv";
        case Operand::Zb: return "Zb";
        case Operand::Zv: return "Zv";
        case Operand::AL: return "AL";
        case Operand::CL: return "CL";
        case Operand::AX: return "AX";
        case Operand::DX: return "DX";
        case Operand::ES: return "ES";
        case Operand::CS: return "CS";
        case Operand::SS: return "SS";
        case Operand::DS: return "DS";
        case Operand::FS: return "FS";
        case Operand::GS: return "GS";
        case Operand::One: return "1";
        case Operand::Rd: return "Rd";
        case Operand::Cd: return "Cd";
        case Operand::Dd: return "Dd";
        case Operand::Mq: return "Mq";
        case Operand::ST0: return "ST0";
        case Operand::STi: return "STi";
        case Operand::AXw: return "AXw";
        case Operand::M16int: return "M16int";
        case Operand::M32int: return "M32int";
        case Operand::M64int: return "M64int";
        case Operand::M32fp: return "M32fp";
        case Operand::M64fp: return "M64fp";
        case Operand::M80fp: return "M80fp";
        case Operand::M80bcd: return "M80bcd";
        case Operand::M2byte: return "M2byte";
        case Operand::Menv: return "Menv";
        case Operand::Mstate: return "Mstate";
    }
    return "?";
}

std::array<std::uint8_t, kOpMaps * 256 * 8> OpcodeMap::claim_counts(CpuModel model) {
    std::array<std::uint8_t, kOpMaps * 256 * 8> counts{};
    for (const auto& row : kRows) {
        if (!row.available_on(model)) continue;
        for (unsigned op = row.opcode; op <= row.opcode_last; ++op)
            for (unsigned reg = 0; reg < 8; ++reg)
                if (row.group_reg < 0 || row.group_reg == static_cast<int>(reg))
                    ++counts[slot(row.map, static_cast<std::uint8_t>(op), static_cast<std::uint8_t>(reg))];
    }
    for (const auto& r : kInvalidRanges) {
        if (model < r.since || model > r.until) continue;
        for (unsigned op = r.first; op <= r.last; ++op)
            for (unsigned reg = 0; reg < 8; ++reg)
                ++counts[slot(r.map, static_cast<std::uint8_t>(op), static_cast<std::uint8_t>(reg))];
    }
    return counts;
}

OpcodeMap::OpcodeMap(CpuModel model) : model_(model) {
    // Every slot starts as #UD; rows then claim theirs. The table test checks that on each
    // supported model every slot of a used map is claimed exactly once.
    slots_.fill(&kInvalidRow);
    for (const auto& row : kRows) {
        if (!row.available_on(model)) continue;
        for (unsigned op = row.opcode; op <= row.opcode_last; ++op)
            for (unsigned reg = 0; reg < 8; ++reg)
                if (row.group_reg < 0 || row.group_reg == static_cast<int>(reg))
                    slots_[slot(row.map, static_cast<std::uint8_t>(op), static_cast<std::uint8_t>(reg))] = &row;
    }
}

bool OpcodeMap::is_group(OpMap map, std::uint8_t opcode) const {
    const OpcodeInfo* first = slots_[slot(map, opcode, 0)];
    for (std::uint8_t reg = 1; reg < 8; ++reg)
        if (slots_[slot(map, opcode, reg)] != first) return true;
    return first->has(attr::Group);
}

}  // namespace lantern
