// FpuState: reset, tags, exception delivery, stack faults, FXAM and inspection.
#include "cpu/fpu/fpu_state.h"

#include "cpu/state_visitor.h"

namespace lantern::fpu {

void FpuState::finit() {
    // SDM Vol. 2, FINIT/FNINIT: registers themselves are left untouched.
    control = cw::kFinit;
    status = 0;
    tags = 0xFFFF;
    last_instruction = {};
    last_operand = {};
    last_opcode = 0;
}

void FpuState::power_on_reset() {
    // SDM Vol. 3, Table 9-1 ("x87 FPU state following power-up or RESET").
    finit();
    control = cw::kPowerOn;
    tags = 0x5555;
    regs.fill(kPositiveZero);
}

Tag FpuState::tag_for(Float80 v) {
    switch (classify(v)) {
    case FpClass::Zero: return Tag::Zero;
    case FpClass::Normal: return Tag::Valid;
    default: return Tag::Special;  // NaN, infinity, denormal, unsupported
    }
}

void FpuState::load_control(std::uint16_t value) {
    control = static_cast<std::uint16_t>((value & cw::kWritableMask) | cw::kAlwaysOne);
    update_summary();
}

void FpuState::set_condition_codes(bool c3, bool c2, bool c1, bool c0) {
    status = static_cast<std::uint16_t>((status & ~sw::ConditionCodes) | (c3 ? sw::C3 : 0) | (c2 ? sw::C2 : 0) |
                                        (c1 ? sw::C1 : 0) | (c0 ? sw::C0 : 0));
}

void FpuState::clear_exceptions() {
    status &= static_cast<std::uint16_t>(~(exc::kAll | sw::SF | sw::ES | sw::B));
}

void FpuState::update_summary() {
    if (status & ~control & exc::kAll)
        status |= sw::ES | sw::B;
    else
        status &= static_cast<std::uint16_t>(~(sw::ES | sw::B));
}

bool FpuState::signal(std::uint8_t flags, bool memory_destination) {
    const std::uint8_t unmasked = flags & ~masks() & exc::kAll;
    bool deliver = true;
    // Pre-computation exceptions (SDM Vol. 1, 4.9.2 priority 1-4): with the exception unmasked
    // the instruction stops, so nothing lower in priority (OE/UE/PE) can be reported.
    if (unmasked & exc::IE) {
        flags &= exc::IE | exc::SF;
        deliver = false;
    } else if (unmasked & exc::ZE) {
        flags = exc::ZE;
        deliver = false;
    } else if (unmasked & exc::DE) {
        flags = exc::DE;
        deliver = false;
    } else if (memory_destination && (unmasked & (exc::OE | exc::UE))) {
        // SDM Vol. 1, 4.9.1.4/4.9.1.5: a memory destination is left unchanged; no value was
        // rounded, so PE is not reported either (measured).
        flags &= static_cast<std::uint8_t>(~exc::PE);
        deliver = false;
    }
    status |= flags;
    update_summary();
    if (!deliver) set_c1(false);  // measured: an aborted instruction leaves C1 = 0
    return deliver;
}

bool FpuState::stack_underflow() {
    set_c1(false);
    return signal(exc::IE | exc::SF);
}

bool FpuState::stack_overflow() {
    const bool deliver = signal(exc::IE | exc::SF);
    set_c1(true);
    return deliver;
}

void FpuState::examine() {
    // C3 C2 C0: 000 unsupported, 001 NaN, 010 normal, 011 infinity, 100 zero, 101 empty,
    // 110 denormal. C1 is the sign bit, even for an empty register.
    const Float80 v = st(0);
    bool c3 = false, c2 = false, c0 = false;
    if (is_empty(0)) {
        c3 = true;
        c0 = true;
    } else {
        switch (classify(v)) {
        case FpClass::Unsupported: break;
        case FpClass::QuietNaN:
        case FpClass::SignalingNaN: c0 = true; break;
        case FpClass::Normal: c2 = true; break;
        case FpClass::Infinity: c2 = c0 = true; break;
        case FpClass::Zero: c3 = true; break;
        case FpClass::Denormal:
        case FpClass::PseudoDenormal: c3 = c2 = true; break;
        }
    }
    set_condition_codes(c3, c2, v.sign(), c0);
}

void FpuState::inspect(StateVisitor& v) {
    v.visit("fcw", control, "control word: masks, PC (bits 8-9), RC (bits 10-11)");
    v.visit("fsw", status, "status word: flags, SF, ES, C0-C3, TOP (bits 11-13), B");
    v.visit("ftw", tags, "tag word, 2 bits per physical register: 0 valid, 1 zero, 2 special, 3 empty");
    v.visit("fop", last_opcode, "last non-control opcode (11 bits)");
    {
        StateGroup g(v, "fip");
        v.visit("selector", last_instruction.selector);
        v.visit("offset", last_instruction.offset);
    }
    {
        StateGroup g(v, "fdp");
        v.visit("selector", last_operand.selector);
        v.visit("offset", last_operand.offset);
    }
    static constexpr std::string_view kNames[8] = {"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"};
    StateGroup g(v, "regs");
    for (unsigned i = 0; i < 8; ++i) {
        StateGroup r(v, kNames[i]);
        v.visit("significand", regs[i].significand);
        v.visit("sign_exponent", regs[i].sign_exponent);
    }
}

}  // namespace lantern::fpu
