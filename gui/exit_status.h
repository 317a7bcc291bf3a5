// The exit statuses of `lantern`, in one place: the help footer, the README and the tests all
// describe these numbers.
//
// Every status Lantern chooses itself is even, because a guest's debug exit (port 0xF4, QEMU's
// isa-debug-exit convention) always gives an odd one: (value << 1) | 1. So a script can tell "the
// guest said so" from "Lantern stopped it" by the lowest bit alone.
#pragma once

#include <string_view>

namespace lantern {

enum class ExitStatus : int {
    Ok = 0,                // success: help, version, the demo finished, the guest powered off, --until met
    Usage = 2,             // bad command line: unknown option, bad value, missing/unreadable file
    NotImplemented = 4,    // an option Lantern parses but cannot do yet
    InstructionLimit = 6,  // --max-instructions reached
    Timeout = 8,           // --timeout reached (host wall-clock time)
    Halted = 10,           // the CPU halted for good (HLT with IF=0, or nothing can wake it)
    Shutdown = 12,         // the CPU shut down (triple fault)
    InternalError = 14,    // a bug in Lantern (an exception escaped)
};

constexpr int to_int(ExitStatus s) { return static_cast<int>(s); }

// The guest wrote `value` to port 0xF4.
constexpr int debug_exit_status(unsigned value) { return static_cast<int>(((value << 1) | 1u) & 0xFFu); }

inline constexpr std::string_view kExitStatusHelp =
    "Exit status:\n"
    "  odd  the guest wrote V to port 0xF4 (debug exit): (V << 1) | 1, so V = 0 gives 1\n"
    "  0    success: help, --version, the built-in demo finished, the guest powered the machine\n"
    "       off, an --until-screen/--until-serial text appeared (an --input script's `exit N`: N)\n"
    "  2    bad command line: unknown option, bad value, missing or unreadable file\n"
    "  4    an option that is not implemented yet\n"
    "  6    --max-instructions reached\n"
    "  8    --timeout reached (host wall-clock time)\n"
    "  10   the CPU halted for good (HLT with interrupts off, or nothing can wake it)\n"
    "  12   the CPU shut down (triple fault)\n"
    "  14   internal error\n"
    "  conformance: 0 all tests passed, 1 some failed, 2 no test files found\n"
    "  kvm-probe: 0 KVM runs every mode tried, 1 it does not (or there is no KVM)\n";

}  // namespace lantern
