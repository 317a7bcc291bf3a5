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
// The P6 performance counters' event-select bits (SDM Vol. 3, Figure "PerfEvtSel0 and
// PerfEvtSel1 MSRs (P6 family)"). The events counted are CPU_CLK_UNHALTED (79h) and INST_RETIRED
// (C0h); the others (cache, bus, branch-prediction events) have no counterpart in this
// interpreter and leave the counter still.
namespace perf {
constexpr std::uint64_t kUsr = 1u << 16;       // count at CPL 1-3
constexpr std::uint64_t kOs = 1u << 17;        // count at CPL 0
constexpr std::uint64_t kEnable = 1u << 22;    // EN, PerfEvtSel0 only: both counters run
constexpr std::uint64_t kCounterMask = (std::uint64_t{1} << 40) - 1;
constexpr std::uint8_t kCpuClkUnhalted = 0x79;
constexpr std::uint8_t kInstRetired = 0xC0;
}  // namespace perf

// Adds one instruction's events (its `cycles`, and whether it retired) to the running counters.
void count_performance_events(CpuState& s, std::uint64_t cycles, bool retired);

bool read_msr(CpuModel m, const CpuState& s, std::uint32_t index, std::uint64_t& value);
bool write_msr(CpuModel m, CpuState& s, std::uint32_t index, std::uint64_t value);

// For `lantern cpuinfo`: one line per feature and leaf, human readable.
std::vector<std::string> describe_cpu(CpuModel m);

}  // namespace lantern
