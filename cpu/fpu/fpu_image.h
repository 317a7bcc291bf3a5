// FSTENV/FLDENV, FSAVE/FRSTOR and FXSAVE/FXRSTOR memory images of the x87 state.
//
// Layouts: SDM Vol. 1, 8.1.10 and Figures 8-9 to 8-12 (14-byte 16-bit and 28-byte 32-bit
// environments, real and protected mode), Vol. 2 FSAVE (environment + ST(0)..ST(7), 10 bytes
// each) and FXSAVE Table 3-53 (the legacy x87 area of the 512-byte image). In real and
// virtual-8086 mode the environment holds 20-bit (16-bit format) or 32-bit linear instruction
// and operand addresses instead of selector:offset pairs. The CPU picks the format from the
// operand size and CR0.PE/EFLAGS.VM and moves the bytes; this file only (de)serialises.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "cpu/fpu/fpu_state.h"

namespace lantern::fpu {

enum class EnvMode : std::uint8_t { Real, Protected };

using Env16 = std::array<std::uint8_t, 14>;
using Env32 = std::array<std::uint8_t, 28>;
using SaveImage16 = std::array<std::uint8_t, 94>;
using SaveImage32 = std::array<std::uint8_t, 108>;

// The tag word as FSTENV/FSAVE store it: empty stays empty, every other register's tag is
// recomputed from its contents (SDM Vol. 1, 8.1.7).
std::uint16_t stored_tag_word(const FpuState& s);

// FNSTENV: the image, after which all exceptions are masked (SDM Vol. 2, FSTENV).
Env16 fstenv16(FpuState& s, EnvMode mode);
Env32 fstenv32(FpuState& s, EnvMode mode);
// FLDENV: loads control, status (ES/B re-derived) and tags; non-empty tags are recomputed.
void fldenv16(FpuState& s, const Env16& image, EnvMode mode);
void fldenv32(FpuState& s, const Env32& image, EnvMode mode);

// FNSAVE: the image, after which the FPU is initialised as by FNINIT.
SaveImage16 fsave16(FpuState& s, EnvMode mode);
SaveImage32 fsave32(FpuState& s, EnvMode mode);
void frstor16(FpuState& s, const SaveImage16& image, EnvMode mode);
void frstor32(FpuState& s, const SaveImage32& image, EnvMode mode);

// FXSAVE/FXRSTOR, 32-bit form: only the x87 fields are touched (bytes 0-23 and the register
// area 32-159); MXCSR, XMM registers and the reserved area belong to the caller.
void fxsave(const FpuState& s, std::span<std::uint8_t, 512> image);
void fxrstor(FpuState& s, std::span<const std::uint8_t, 512> image);

}  // namespace lantern::fpu
