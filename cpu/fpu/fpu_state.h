// FpuState: the architectural state of the x87 FPU (SDM Vol. 1, 8.1) as one plain value, plus
// the register-stack mechanics every x87 instruction shares: TOP-relative ST(i) access, tags,
// push/pop with stack-fault detection, and the exception-delivery rule that decides whether a
// result is written and whether an unmasked exception is now pending (ES/B, i.e. #MF/FERR#).
//
// The instruction-level operations live in fpu_exec.h; the FSAVE/FSTENV/FXSAVE memory images in
// fpu_image.h. Nothing here knows about the interpreter, memory or the bus.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "cpu/fpu/float80.h"

namespace lantern {
class StateVisitor;
}

namespace lantern::fpu {

// Tag values (SDM Vol. 1, 8.1.7, Figure 8-7).
enum class Tag : std::uint8_t { Valid = 0, Zero = 1, Special = 2, Empty = 3 };

// Status word bits (SDM Vol. 1, 8.1.3, Figure 8-4). Exception flags use the exc:: values.
namespace sw {
inline constexpr std::uint16_t SF = 0x0040;  // stack fault
inline constexpr std::uint16_t ES = 0x0080;  // exception summary: an unmasked exception is pending
inline constexpr std::uint16_t C0 = 0x0100;
inline constexpr std::uint16_t C1 = 0x0200;
inline constexpr std::uint16_t C2 = 0x0400;
inline constexpr std::uint16_t TopMask = 0x3800;
inline constexpr unsigned TopShift = 11;
inline constexpr std::uint16_t C3 = 0x4000;
inline constexpr std::uint16_t B = 0x8000;  // busy; mirrors ES on the 387 and later
inline constexpr std::uint16_t ConditionCodes = C0 | C1 | C2 | C3;
}  // namespace sw

// Control word (SDM Vol. 1, 8.1.5, Figure 8-6). Bit 6 reads as 1, bits 13-15 as 0 (measured:
// FLDCW 0x0000 then FNSTCW gives 0x0040; FLDCW 0xFFFF gives 0x1F7F). Bit 12 (the 287's
// infinity control) is kept but has no effect.
namespace cw {
inline constexpr std::uint16_t kFinit = 0x037F;     // FINIT/FNINIT: all masked, PC=64, RC=nearest
inline constexpr std::uint16_t kPowerOn = 0x0040;   // RESET (SDM Vol. 3, Table 9-1)
inline constexpr std::uint16_t kWritableMask = 0x1F3F;
inline constexpr std::uint16_t kAlwaysOne = 0x0040;
}  // namespace cw

// A far pointer as the FPU records it: the last non-control instruction (FCS:FIP) or its
// memory operand (FDS:FDP).
struct FpuPointer {
    std::uint16_t selector = 0;
    std::uint32_t offset = 0;
    constexpr bool operator==(const FpuPointer&) const = default;
};

struct FpuState {
    std::array<Float80, 8> regs{};  // physical registers R0..R7; ST(i) is R((TOP + i) & 7)
    std::uint16_t control = cw::kFinit;
    std::uint16_t status = 0;       // includes TOP in bits 11-13
    std::uint16_t tags = 0xFFFF;    // full 2-bit tag word, R0 in bits 1-0
    FpuPointer last_instruction{};  // FCS:FIP
    FpuPointer last_operand{};      // FDS:FDP
    std::uint16_t last_opcode = 0;  // FOP: low 11 bits of the opcode (first byte's low 3 bits : ModR/M)

    // Not architectural: how FSIN/FCOS/FSINCOS/FPTAN reduce their argument (see float80.h).
    TrigReduction trig_reduction = TrigReduction::Exact;

    constexpr bool operator==(const FpuState&) const = default;

    // ---- Reset ----
    void finit();             // FNINIT: control 037F, status 0, tags all empty, pointers 0
    void power_on_reset();    // RESET pin: control 0040, tags 5555 (all +0.0), registers +0

    // ---- Stack geometry ----
    unsigned top() const { return (status & sw::TopMask) >> sw::TopShift; }
    void set_top(unsigned t) {
        status = static_cast<std::uint16_t>((status & ~sw::TopMask) | ((t & 7u) << sw::TopShift));
    }
    unsigned physical(unsigned i) const { return (top() + i) & 7u; }
    Float80& st(unsigned i) { return regs[physical(i)]; }
    const Float80& st(unsigned i) const { return regs[physical(i)]; }

    Tag tag(unsigned physical_reg) const { return static_cast<Tag>((tags >> (2 * physical_reg)) & 3u); }
    void set_tag(unsigned physical_reg, Tag t) {
        const unsigned shift = 2 * physical_reg;
        tags = static_cast<std::uint16_t>((tags & ~(3u << shift)) | (static_cast<unsigned>(t) << shift));
    }
    bool is_empty(unsigned i) const { return tag(physical(i)) == Tag::Empty; }
    static Tag tag_for(Float80 v);  // Valid / Zero / Special from the contents

    // Writes ST(i) and its tag. The raw stack operations below do no fault checks.
    void set_st(unsigned i, Float80 v) {
        regs[physical(i)] = v;
        set_tag(physical(i), tag_for(v));
    }
    void push(Float80 v) {
        set_top(top() - 1);
        set_st(0, v);
    }
    void pop() {
        set_tag(physical(0), Tag::Empty);
        set_top(top() + 1);
    }

    // ---- Control and status ----
    FpControl fp_control() const { return FpControl::from_control_word(control); }
    std::uint8_t masks() const { return static_cast<std::uint8_t>(control & exc::kAll); }
    void load_control(std::uint16_t value);  // FLDCW (also re-derives ES/B)
    std::uint16_t stored_control() const { return static_cast<std::uint16_t>((control & cw::kWritableMask) | cw::kAlwaysOne); }
    void set_condition_codes(bool c3, bool c2, bool c1, bool c0);
    void set_c1(bool c1) { status = static_cast<std::uint16_t>(c1 ? status | sw::C1 : status & ~sw::C1); }
    void set_c2(bool c2) { status = static_cast<std::uint16_t>(c2 ? status | sw::C2 : status & ~sw::C2); }
    // ES set: the next waiting x87 instruction must raise #MF (CR0.NE=1) or assert FERR#.
    bool exception_pending() const { return (status & sw::ES) != 0; }
    void clear_exceptions();  // FNCLEX: flags, SF, ES and B cleared
    void update_summary();    // ES and B from the flags against the masks

    // Records an operation's exception flags (SDM Vol. 1, 8.5) and says whether its result may
    // be delivered. Unmasked IE, ZE or DE abort the instruction: only that flag is recorded.
    // Unmasked OE/UE suppress delivery to memory; a register receives the wrapped result.
    bool signal(std::uint8_t flags, bool memory_destination = false);

    // Stack faults (SDM Vol. 1, 8.5.1.1): IE + SF, C1 = 1 on overflow, 0 on underflow.
    // Return true when the masked response (an indefinite) should be delivered.
    bool stack_underflow();
    bool stack_overflow();

    // FXAM's class codes (SDM Vol. 2, FXAM Table): C3 C2 C0 plus C1 = sign.
    void examine();

    void inspect(StateVisitor& v);
    static constexpr std::string_view inspect_name() { return "fpu"; }
};

}  // namespace lantern::fpu
