#include "cpu/cpuid.h"

#include <cstdio>

namespace lantern {

bool has_cpuid(CpuModel m) { return m >= CpuModel::I80486; }

std::uint32_t feature_edx(CpuModel m) {
    using namespace cpuid_edx;
    switch (m) {
        case CpuModel::I80486:
            return FPU;  // an Intel486 DX4 with CPUID: the on-chip FPU only
        case CpuModel::Pentium:
            // P54C-class Pentium. VME, DE, MCE and APIC are not modelled, so not advertised.
            return FPU | PSE | TSC | MSR | CX8;
        case CpuModel::P6:
            // Pentium II class (SDM Vol. 3, 22.x): SYSENTER, global pages, CMOV/FCMOV/FCOMI.
            // MTRR, MCA, APIC, PAE, MMX and FXSR are not modelled, so not advertised.
            return FPU | PSE | TSC | MSR | CX8 | SEP | PGE | CMOV;
        default:
            return 0;
    }
}

namespace {
// Family/model/stepping signature in leaf 1 EAX (SDM Vol. 2, Figure 3-6).
std::uint32_t signature(CpuModel m) {
    switch (m) {
        case CpuModel::I80486: return 0x0480;   // family 4, model 8 (DX4), stepping 0
        case CpuModel::Pentium: return 0x0525;  // family 5, model 2 (P54C), stepping 5
        case CpuModel::P6: return 0x0652;       // family 6, model 5 (Pentium II), stepping 2
        default: return 0;
    }
}
std::uint32_t max_leaf(CpuModel m) { return m == CpuModel::P6 ? 2 : 1; }
}  // namespace

CpuidLeaf cpuid_leaf(CpuModel m, std::uint32_t leaf, std::uint32_t /*subleaf*/) {
    if (!has_cpuid(m)) return {};
    if (leaf > max_leaf(m) && leaf < 0x80000000u) leaf = max_leaf(m);
    switch (leaf) {
        case 0:
            // "GenuineIntel" in EBX, EDX, ECX.
            return {max_leaf(m), 0x756E6547u, 0x6C65746Eu, 0x49656E69u};
        case 1:
            return {signature(m), 0, 0, feature_edx(m)};
        case 2:
            // Cache and TLB descriptors of a Pentium II (SDM Vol. 2, Table 3-12): 01 (ITLB 4K),
            // 02 (ITLB 4M), 03 (DTLB 4K), 43 (512K L2), 08 (16K L1 I), 04 (DTLB 4M), 0C (16K L1 D).
            return {0x03020101u, 0, 0, 0x0C040843u};
        default:
            return {};  // no extended leaves
    }
}

void count_performance_events(CpuState& s, std::uint64_t cycles, bool retired) {
    for (unsigned n = 0; n < 2; ++n) {
        const std::uint64_t sel = s.perf_evtsel[n];
        if (!(sel & (s.cpl == 0 ? perf::kOs : perf::kUsr))) continue;
        const auto event = static_cast<std::uint8_t>(sel);
        std::uint64_t add = 0;
        if (event == perf::kCpuClkUnhalted) add = cycles;
        else if (event == perf::kInstRetired) add = retired ? 1 : 0;
        s.perf_ctr[n] = (s.perf_ctr[n] + add) & perf::kCounterMask;
    }
}

bool read_msr(CpuModel m, const CpuState& s, std::uint32_t index, std::uint64_t& value) {
    if (m < CpuModel::Pentium) return false;
    switch (index) {
        case 0x00: case 0x01:  // P5_MC_ADDR / P5_MC_TYPE: no machine checks happen
            value = 0;
            return true;
        case 0x10:  // IA32_TIME_STAMP_COUNTER
            value = s.cycles + s.tsc_offset;
            return true;
        default: break;
    }
    if (m < CpuModel::P6) return false;
    switch (index) {
        case 0x17:   // IA32_PLATFORM_ID
        case 0x2A:   // EBL_CR_POWERON
        case 0x8B:   // IA32_BIOS_SIGN_ID: no microcode update loaded
            value = 0;
            return true;
        case 0xC1: case 0xC2: value = s.perf_ctr[index - 0xC1]; return true;
        case 0x186: case 0x187: value = s.perf_evtsel[index - 0x186]; return true;
        case 0x174: value = s.sysenter_cs; return true;
        case 0x175: value = s.sysenter_esp; return true;
        case 0x176: value = s.sysenter_eip; return true;
        default: return false;
    }
}

bool write_msr(CpuModel m, CpuState& s, std::uint32_t index, std::uint64_t value) {
    if (m < CpuModel::Pentium) return false;
    if (index == 0x10) {
        s.tsc_offset = value - s.cycles;
        return true;
    }
    if (index == 0x00 || index == 0x01) return true;
    if (m < CpuModel::P6) return false;
    switch (index) {
        case 0x17: case 0x2A: return true;
        case 0x8B: return true;  // writing 0 before CPUID is how software reads the signature
        case 0xC1: case 0xC2:
            // Only bits 31:0 are written; bits 39:32 copy bit 31 (SDM Vol. 3, P6 family
            // performance counters), so software preloads -N to count N events to overflow.
            s.perf_ctr[index - 0xC1] = static_cast<std::uint64_t>(static_cast<std::int64_t>(
                                           static_cast<std::int32_t>(value))) & perf::kCounterMask;
            return true;
        case 0x186: case 0x187:
            if (value >> 32) return false;  // bits 63:32 are reserved: #GP(0)
            s.perf_evtsel[index - 0x186] = value;
            return true;
        case 0x174: s.sysenter_cs = static_cast<std::uint32_t>(value); return true;
        case 0x175: s.sysenter_esp = static_cast<std::uint32_t>(value); return true;
        case 0x176: s.sysenter_eip = static_cast<std::uint32_t>(value); return true;
        default: return false;
    }
}

std::vector<std::string> describe_cpu(CpuModel m) {
    std::vector<std::string> out;
    char line[160];
    std::snprintf(line, sizeof line, "model: %s", std::string(cpu_model_name(m)).c_str());
    out.emplace_back(line);
    if (!has_cpuid(m)) {
        out.emplace_back("cpuid: not implemented by this model (#UD)");
        return out;
    }
    for (std::uint32_t leaf = 0; leaf <= (m == CpuModel::P6 ? 2u : 1u); ++leaf) {
        const CpuidLeaf r = cpuid_leaf(m, leaf, 0);
        std::snprintf(line, sizeof line, "cpuid %08X: eax=%08X ebx=%08X ecx=%08X edx=%08X", leaf, r.eax,
                      r.ebx, r.ecx, r.edx);
        out.emplace_back(line);
    }
    static constexpr const char* names[32] = {"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce",
                                              "cx8", "apic", "", "sep", "mtrr", "pge", "mca", "cmov",
                                              "pat", "pse36", "psn", "clfsh", "", "ds", "acpi", "mmx",
                                              "fxsr", "sse", "sse2", "ss", "htt", "tm", "", "pbe"};
    std::string features = "features:";
    const std::uint32_t edx = feature_edx(m);
    for (int b = 0; b < 32; ++b)
        if ((edx >> b) & 1) {
            features += ' ';
            features += names[b];
        }
    out.push_back(features);
    return out;
}

}  // namespace lantern
