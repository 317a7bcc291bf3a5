// The `lantern` command line: subcommands, options and their validation.
//
//   lantern [run] [OPTIONS] [IMAGE]     run a machine (the default subcommand)
//   lantern conformance DIR [OPTIONS]   run the SingleStepTests conformance suite
//
// Option names follow QEMU's where there is one (--cpu, --memory, --bios, --fda, --boot,
// --kernel, --serial, --debugcon, --accel, --gdb...), so they read familiar. Parsing only checks
// what can be checked without running anything (values, ranges, files exist); run_command.cpp
// decides what the machine can do.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/cpu_model.h"
#include "gui/bench_command.h"

namespace lantern {

// Where a character device's output goes: "stdio", "none" or "file:PATH".
struct OutputSpec {
    enum class Kind : std::uint8_t { Stdio, None, File };
    Kind kind = Kind::None;
    std::string path{};
};

struct RunOptions {
    CpuModel cpu_model = CpuModel::P6;
    bool cpu_given = false;                      // --cpu given (else: P6 for PCs, 8086 for the demo ROM)
    std::string demo = "auto";                   // --demo: disk (the demo disk), rom (the terminal demo), auto
    std::string machine = "auto";                // --machine: pc (the whole PC/AT board), bare, auto
    std::optional<std::uint32_t> memory_mib{};   // default: per model
    std::optional<std::uint64_t> cpu_freq_hz{};  // default: per model
    std::string bios{};
    std::string vgabios{};
    std::string fda{}, fdb{}, hda{}, hdb{}, cdrom{};
    std::string image{};          // the bare IMAGE argument
    std::string boot{};           // boot order letters: a (floppy), c (hard disk), d (CD-ROM)
    std::string kernel{}, initrd{}, append{};
    bool headless = false;
    std::string gui_script{};     // --gui-script: drive the GUI from a file (tests), then quit
    std::string gui_config{};     // --gui-config: the GUI's layout and settings file
    OutputSpec serial{OutputSpec::Kind::None, {}};
    OutputSpec debugcon{OutputSpec::Kind::Stdio, {}};
    OutputSpec firmware_log{OutputSpec::Kind::None, {}};  // port 0x402 (SeaBIOS's and Bochs BIOS's log)
    std::string text_dump{};
    std::string screenshot{};
    std::string input{};          // --input: a script of steps separated by ';' (gui/input_script.h)
    std::string input_file{};     // --input-file: the same, one step per line
    std::string until_screen{};   // --until-screen TEXT: end the run (status 0) once TEXT is on screen
    std::string until_serial{};   // --until-serial TEXT: ... once COM1 has sent TEXT
    std::uint64_t max_instructions = 0;              // 0: no limit
    std::chrono::nanoseconds timeout{0};             // 0: none
    std::string accel = "auto";                      // interp | kvm | auto
    std::optional<std::uint16_t> gdb_port{};         // --gdb PORT (0: any free port, printed)
    bool debug = false;
    std::string debug_script{};                      // --debug-script: commands from a file (implies --debug)
    bool magic_break = false;                        // --magic-break: `xchg bx, bx` stops in the debugger
    bool gdb_nowait = false;                         // --gdb-nowait: run at once; gdb may attach later
    std::string gdb_listen = "127.0.0.1";            // --gdb-listen ADDR: where the gdb stub listens
    std::vector<std::string> symbols{};              // --symbols FILE[@BIAS]: symbol files for the debugger
    bool block_cache = true;                         // --no-block-cache: decode every instruction afresh
};

struct ConformanceRequest {
    std::string directory{};
    std::string filter{};
    bool verbose = false;
    bool unmasked = false;
    unsigned threads = 2;
    bool block_cache = true;  // --no-block-cache
};

struct CpuinfoRequest {
    std::string cpu = "p6";
    bool all = false;  // every model
};

struct Command {
    enum class Kind : std::uint8_t { Run, Conformance, Cpuinfo, Bench, KvmProbe, Exit };
    Kind kind = Kind::Exit;
    RunOptions run{};
    ConformanceRequest conformance{};
    CpuinfoRequest cpuinfo{};
    BenchRequest bench{};
    std::string kvm_device = "/dev/kvm";  // kvm-probe
    int exit_status = 0;  // for Kind::Exit (help shown, or an error already printed)
};

// Parses the command line; help, version and errors are printed to `out`/`err` and come back as
// Kind::Exit with the status to exit with.
Command parse_command_line(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

// ---- Value parsers, exposed for tests. They return nullopt (or an error string) on bad input. ----

// A non-negative decimal with up to `max_decimals` fraction digits, scaled by 10^max_decimals:
// parse_scaled_decimal("4.77", 6) == 4'770'000. No floating point, so "4.77" MHz is exactly
// 4,770,000 Hz.
std::optional<std::uint64_t> parse_scaled_decimal(std::string_view text, unsigned max_decimals);
// MiB, with an optional M/MiB or G/GiB suffix (QEMU's -m): "16", "16M", "1G".
std::optional<std::uint32_t> parse_memory_mib(std::string_view text);
// "stdio", "none", "file:PATH".
std::optional<OutputSpec> parse_output_spec(std::string_view text);
// True for the standard PC floppy image sizes (160 KiB to 2.88 MiB).
bool is_floppy_image_size(std::uint64_t bytes);

}  // namespace lantern
