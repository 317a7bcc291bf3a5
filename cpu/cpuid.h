// What each CPU model tells software about itself: CPUID leaves and model-specific registers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cpu/cpu_model.h"
#include "cpu/cpu_state.h"

namespace lantern {

struct CpuidLeaf {
    std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
};

// Feature bits of CPUID leaf 1 EDX (SDM Vol. 2, CPUID, Table 3-11).
namespace cpuid_edx {
inline constexpr std::uint32_t FPU = 1u << 0, VME = 1u << 1, DE = 1u << 2, PSE = 1u << 3,
                               TSC = 1u << 4, MSR = 1u << 5, PAE = 1u << 6, MCE = 1u << 7,
                               CX8 = 1u << 8, APIC = 1u << 9, SEP = 1u << 11, MTRR = 1u << 12,
                               PGE = 1u << 13, MCA = 1u << 14, CMOV = 1u << 15, MMX = 1u << 23,
                               FXSR = 1u << 24;
}

// Whether the model has the CPUID instruction at all (the 386 does not).
bool has_cpuid(CpuModel m);
// Leaf `leaf` (and `subleaf` in ECX) as the model answers it. Leaves above the maximum return
// the highest basic leaf's data, as Intel processors do (SDM Vol. 2, CPUID).
CpuidLeaf cpuid_leaf(CpuModel m, std::uint32_t leaf, std::uint32_t subleaf);
std::uint32_t feature_edx(CpuModel m);

// RDMSR/WRMSR: false when the MSR does not exist on the model (the CPU raises #GP(0)).
bool read_msr(CpuModel m, const CpuState& s, std::uint32_t index, std::uint64_t& value);
bool write_msr(CpuModel m, CpuState& s, std::uint32_t index, std::uint64_t value);

// For `lantern cpuinfo`: one line per feature and leaf, human readable.
std::vector<std::string> describe_cpu(CpuModel m);

}  // namespace lantern
