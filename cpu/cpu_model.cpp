#include "cpu/cpu_model.h"

namespace lantern {

bool is_supported(CpuModel m) { return m == CpuModel::I8086 || m == CpuModel::I80286; }

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
    if (m == CpuModel::I8086) {
        s.segment(Seg::CS) = SegmentCache{0xFFFF, 0xFFFF0, 0xFFFF, 0x009B};
        s.eip = 0;
        s.eflags = 0xF002;  // the 8086 reads bits 12-15 as 1
    } else {
        s.segment(Seg::CS) = SegmentCache{0xF000, 0xFF0000, 0xFFFF, 0x009B};
        s.eip = 0xFFF0;
        s.eflags = 0x0002;
        s.cr[0] = 0xFFF0;  // MSW: reserved bits read as 1
    }
    return s;
}

}  // namespace lantern
