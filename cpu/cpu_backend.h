// The interface every CPU engine presents to the board: the interpreter now, KVM later.
#pragma once

#include <cstdint>
#include <string_view>

#include "cpu/cpu_state.h"

namespace lantern {

enum class StopReason : std::uint8_t {
    BudgetExhausted,  // ran up to the cycle budget (the scheduler's next event)
    Halted,           // HLT with interrupts disabled: nothing but NMI or reset can wake it
    StopRequested,    // a device or the debugger asked the CPU to stop (CpuBus::stop_requested)
    Shutdown,         // triple fault / shutdown bus cycle
    InstructionLimit, // the instruction limit given to run() was reached
    Breakpoint,       // a CpuObserver (the debugger) asked to stop
};

std::string_view stop_reason_name(StopReason r);

class CpuBackend {
public:
    virtual ~CpuBackend() = default;
    // Run until `budget` more cycles have passed (at an instruction boundary, possibly a little
    // past it: an instruction is never split), `max_instructions` have retired, or something
    // stops the CPU.
    virtual StopReason run(Cycles budget, std::uint64_t max_instructions) = 0;
    StopReason run(Cycles budget) { return run(budget, UINT64_MAX); }
    virtual void get_state(CpuState& out) const = 0;
    virtual void set_state(const CpuState& in) = 0;
    // True when virtual time is exactly the sum of instruction costs (the interpreter).
    virtual bool cycle_exact() const = 0;
};

}  // namespace lantern
