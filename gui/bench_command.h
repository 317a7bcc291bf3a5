// `lantern bench`: measures Lantern against Debian's Bochs and QEMU (TCG) on the same guests.
//
//   lantern bench [--quick] [--iterations N] [--no-linux] [--no-bochs] [--no-qemu] [--guest-dir DIR]
//
// Guests (bench/): a CPU-bound 32-bit protected-mode ROM (bench/cpubound.asm) run at two lengths,
// so MIPS is the slope: (instructions(long) - instructions(short)) / (time(long) - time(short)),
// with start-up and exit cancelled; the guest's instruction count comes from Lantern's own retired
// counter (the guest is deterministic: every emulator runs the same instructions). And a boot of
// Debian's 686 Linux kernel with a busybox initramfs the bench writes itself, timed to the
// shell's first line on the serial port. Every emulator runs as a child process, so wall time
// and peak memory (wait4's ru_maxrss) are measured the same way for each.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace lantern {

struct BenchRequest {
    bool quick = false;               // short runs, no Linux: the smoke test
    std::uint64_t iterations = 0;     // long run's loop count (0: the default for the mode)
    bool linux_boot = true;           // --no-linux skips the Linux part
    bool bochs = true;                // --no-bochs
    bool qemu = true;                 // --no-qemu
    std::string guest_dir{};          // where vmlinuz-686 and busybox are (.ci/fetch-guests)
    double linux_timeout_s = 900;     // per emulator (Lantern takes ~5 min)
};

// Adds the `bench` subcommand and its options to `app` (gui/cli.cpp calls it).
CLI::App* add_bench_subcommand(CLI::App& app, BenchRequest& request);

// Runs the benchmark; prints the table to `out`. 0 when every Lantern run did what it should.
int execute_bench(const BenchRequest& request, std::ostream& out, std::ostream& err);

}  // namespace lantern
