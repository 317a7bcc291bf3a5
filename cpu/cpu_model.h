// CPU models Lantern can present, and what distinguishes them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "cpu/cpu_state.h"

namespace lantern {

// Ordered by generation so `model >= CpuModel::I80286` reads as "286 or later".
// Models after the 286 are listed so the opcode table can say "since 386"; only those
// `is_supported` answers yes for can be selected yet.
enum class CpuModel : std::uint8_t {
    I8086 = 0,
    I80186 = 1,
    I80286 = 2,
    I80386 = 3,
    I80486 = 4,
    Pentium = 5,
    P6 = 6,
};
inline constexpr int kCpuModelCount = 7;

bool is_supported(CpuModel m);

std::string_view cpu_model_name(CpuModel m);
std::optional<CpuModel> parse_cpu_model(std::string_view name);  // "8086", "80286", "286", ...

// Width of the physical address bus: 20 bits on the 8086, 24 on the 286.
std::uint32_t address_mask(CpuModel m);

// Power-on / RESET state (8086 Family User's Manual, "System Reset": CS=FFFF, IP=0000, flags 0;
// 80286 Programmer's Reference, 10.1: CS=F000 with base FF0000, IP=FFF0, MSW=FFF0).
CpuState reset_state(CpuModel m);

}  // namespace lantern
