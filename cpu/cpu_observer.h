// CpuObserver: how the debugger (and later traces) watch the CPU without the CPU knowing them.
//
// The interpreter calls an observer only for the kinds of event it has asked for, and checks
// one flag per kind on its hot path, so an idle debugger costs nothing measurable (issue:
// "breakpoints cost nothing when none are set"). Returning `true` from a hook asks the CPU to
// stop: before the instruction for before_instruction (a breakpoint), after the current
// instruction for the others (watchpoints are traps, like the hardware's data breakpoints).
#pragma once

#include <cstdint>

namespace lantern {

enum class ObserveKind : std::uint8_t { Instructions = 1, Memory = 2, Interrupts = 4, Io = 8 };

class CpuObserver {
public:
    virtual ~CpuObserver() = default;
    // Before executing the instruction at CS:EIP (linear address given).
    virtual bool before_instruction(std::uint32_t linear_ip) { (void)linear_ip; return false; }
    // A data access by an instruction (not instruction fetches, not page walks).
    virtual bool memory_access(std::uint32_t linear, std::uint32_t physical, unsigned width, bool write) {
        (void)linear; (void)physical; (void)width; (void)write;
        return false;
    }
    // An interrupt or exception about to be delivered.
    virtual bool interrupt(std::uint8_t vector, bool exception, bool software) {
        (void)vector; (void)exception; (void)software;
        return false;
    }
    // Port I/O by IN/OUT/INS/OUTS.
    virtual bool io_access(std::uint16_t port, unsigned width, bool write, std::uint32_t value) {
        (void)port; (void)width; (void)write; (void)value;
        return false;
    }
};

}  // namespace lantern
