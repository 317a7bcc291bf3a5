#include "cpu/cpu_model.h"

namespace lantern {

bool is_supported(CpuModel m) { return m != CpuModel::I80186; }

std::string_view cpu_model_name(CpuModel m) {
    switch (m) {
        case CpuModel::I8086: return "8086";
        case CpuModel::I80186: return "80186";
        case CpuModel::I80286: return "80286";
        case CpuModel::I80386: return "80386";
        case CpuModel::I80486: return "80486";
        case CpuModel::Pentium: return "pentium";
        case CpuModel::P6: return "p6";
    }
    return "?";
}

std::optional<CpuModel> parse_cpu_model(std::string_view name) {
    if (name == "8086" || name == "8088" || name == "i8086") return CpuModel::I8086;
    if (name == "80286" || name == "286" || name == "i286") return CpuModel::I80286;
    if (name == "80386" || name == "386" || name == "i386") return CpuModel::I80386;
    if (name == "80486" || name == "486" || name == "i486") return CpuModel::I80486;
    if (name == "pentium" || name == "586" || name == "p5") return CpuModel::Pentium;
    if (name == "p6" || name == "686" || name == "pentium2" || name == "pentiumpro") return CpuModel::P6;
    return std::nullopt;
}

std::uint32_t address_mask(CpuModel m) {
    switch (m) {
        case CpuModel::I8086:
        case CpuModel::I80186: return 0xFFFFF;
        case CpuModel::I80286: return 0xFFFFFF;
        default: return 0xFFFFFFFF;
    }
}

CpuState reset_state(CpuModel m) {
    CpuState s;
    for (auto& seg : s.seg) seg = SegmentCache{};
    if (m == CpuModel::I8086 || m == CpuModel::I80186) {
        s.segment(Seg::CS) = SegmentCache{0xFFFF, 0xFFFF0, 0xFFFF, 0x009B};
        s.eip = 0;
        s.eflags = 0xF002;  // the 8086 reads bits 12-15 as 1
    } else if (m == CpuModel::I80286) {
        s.segment(Seg::CS) = SegmentCache{0xF000, 0xFF0000, 0xFFFF, 0x009B};
        s.eip = 0xFFF0;
        s.eflags = 0x0002;
        s.cr[0] = 0xFFF0;  // MSW: reserved bits read as 1
    } else {
        // SDM Vol. 3, Table 9-1: CS base FFFF0000 until the first far jump, EDX = signature,
        // CR0 = 60000010h (CD, NW, ET) on the 486 and later.
        s.segment(Seg::CS) = SegmentCache{0xF000, 0xFFFF0000u, 0xFFFF, 0x009B};
        s.eip = 0xFFF0;
        s.eflags = 0x0002;
        s.cr[0] = m == CpuModel::I80386 ? 0x00000010u : 0x60000010u;
        s.dr[6] = 0xFFFF0FF0u;
        s.dr[7] = 0x00000400u;
        switch (m) {
            case CpuModel::I80386: s.gpr[2] = 0x0308; break;   // 386DX, stepping D1
            case CpuModel::I80486: s.gpr[2] = 0x0480; break;
            case CpuModel::Pentium: s.gpr[2] = 0x0525; break;
            default: s.gpr[2] = 0x0652; break;
        }
    }
    return s;
}

}  // namespace lantern
