#include "gui/cli.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "devices/machine.h"
#include "gui/exit_status.h"

namespace lantern {

namespace {

constexpr std::string_view kVersion = "lantern 0.1.0";

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool ends_with_icase(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && lower(s.substr(s.size() - suffix.size())) == suffix;
}

std::string supported_models() {
    std::string list;
    for (int i = 0; i < kCpuModelCount; ++i) {
        const auto m = static_cast<CpuModel>(i);
        if (!is_supported(m)) continue;
        if (!list.empty()) list += ", ";
        list += cpu_model_name(m);
    }
    return list;
}

// A CLI11 validator from a function returning an error message (empty: valid).
CLI::Validator validator(std::string name, std::function<std::string(const std::string&)> check) {
    return CLI::Validator([check = std::move(check)](std::string& value) { return check(value); }, "", std::move(name));
}

std::string check_cpu(const std::string& v) {
    const auto m = parse_cpu_model(v);
    if (!m) return "unknown CPU model '" + v + "' (supported: " + supported_models() + ")";
    if (!is_supported(*m))
        return "CPU model " + std::string(cpu_model_name(*m)) + " is not supported yet (supported: " +
               supported_models() + ")";
    return {};
}

std::string check_memory(const std::string& v) {
    const auto mib = parse_memory_mib(v);
    if (!mib || *mib == 0) return "bad memory size '" + v + "': give MiB as a whole number, e.g. 1, 16, 16M, 1G";
    return {};
}

std::string check_mhz(const std::string& v) {
    const auto hz = parse_scaled_decimal(v, 6);
    if (!hz || *hz == 0 || *hz > 100'000'000'000ull)
        return "bad clock '" + v + "': give MHz above 0 and at most 100000, e.g. 4.77 or 33";
    return {};
}

std::string check_seconds(const std::string& v) {
    const auto ns = parse_scaled_decimal(v, 9);
    if (!ns || *ns == 0 || *ns > 1'000'000'000'000'000ull)
        return "bad duration '" + v + "': give seconds above 0, e.g. 10 or 0.5";
    return {};
}

std::string check_count(const std::string& v) {
    const auto n = parse_scaled_decimal(v, 0);
    if (!n || *n == 0) return "bad count '" + v + "': give a whole number above 0";
    return {};
}

std::string check_output(const std::string& v) {
    if (!parse_output_spec(v)) return "bad output '" + v + "': give stdio, none or file:PATH";
    return {};
}

std::string check_boot(const std::string& v) {
    // QEMU's -boot order: a = first floppy, c = first hard disk, d = first CD-ROM.
    if (v.empty()) return "empty boot order: give letters a (floppy), c (hard disk), d (CD-ROM)";
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] != 'a' && v[i] != 'c' && v[i] != 'd')
            return "bad boot device '" + std::string(1, v[i]) + "' in '" + v +
                   "': use a (floppy), c (hard disk), d (CD-ROM), e.g. a, c or cd";
        if (v.find(v[i], i + 1) != std::string::npos) return "boot device '" + std::string(1, v[i]) + "' repeated in '" + v + "'";
    }
    return {};
}

std::string check_gdb_port(const std::string& v) {
    const auto n = parse_scaled_decimal(v, 0);
    if (!n || *n > 65535) return "bad TCP port '" + v + "': give 0..65535 (0: any free port)";
    return {};
}

std::string check_png(const std::string& v) {
    if (!ends_with_icase(v, ".png")) return "screenshot file '" + v + "' must end in .png";
    return {};
}

// CLI11 has no default subcommand: `lantern [OPTIONS] [IMAGE]` means `lantern run ...`.
std::vector<std::string> with_default_subcommand(int argc, const char* const* argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    static constexpr std::array<std::string_view, 9> kTopLevel = {"run",    "conformance", "cpuinfo",    "bench",    "kvm-probe",
                                                                  "-h",     "--help",      "--help-all", "--version"};
    if (args.empty() || std::find(kTopLevel.begin(), kTopLevel.end(), args[0]) == kTopLevel.end())
        args.insert(args.begin(), "run");
    // `lantern --help` shows every subcommand's options: there are only two.
    if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) args[0] = "--help-all";
    return args;
}

// CLI11's file checks, without their ":FILE"/":DIR" suffix in the help (our type names say it).
CLI::Validator existing_file() { return CLI::Validator(CLI::ExistingFile).description(""); }
CLI::Validator existing_dir() { return CLI::Validator(CLI::ExistingDirectory).description(""); }

}  // namespace

std::optional<std::uint64_t> parse_scaled_decimal(std::string_view text, unsigned max_decimals) {
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    unsigned decimals = 0;
    bool seen_point = false;
    bool seen_digit = false;
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    for (char c : text) {
        if (c == '.') {
            if (seen_point || max_decimals == 0) return std::nullopt;
            seen_point = true;
            continue;
        }
        if (c < '0' || c > '9') return std::nullopt;
        seen_digit = true;
        if (seen_point && ++decimals > max_decimals) return std::nullopt;
        if (value > (kMax - 9) / 10) return std::nullopt;
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (!seen_digit) return std::nullopt;
    for (; decimals < max_decimals; ++decimals) {
        if (value > kMax / 10) return std::nullopt;
        value *= 10;
    }
    return value;
}

std::optional<std::uint32_t> parse_memory_mib(std::string_view text) {
    std::string t = lower(text);
    std::uint64_t scale = 1;
    for (auto [suffix, s] : {std::pair<std::string_view, std::uint64_t>{"mib", 1}, {"gib", 1024}, {"m", 1}, {"g", 1024}}) {
        if (t.size() > suffix.size() && t.ends_with(suffix)) {
            t.resize(t.size() - suffix.size());
            scale = s;
            break;
        }
    }
    const auto n = parse_scaled_decimal(t, 0);
    if (!n || *n > std::numeric_limits<std::uint32_t>::max() / scale) return std::nullopt;
    return static_cast<std::uint32_t>(*n * scale);
}

std::optional<OutputSpec> parse_output_spec(std::string_view text) {
    if (text == "stdio") return OutputSpec{OutputSpec::Kind::Stdio, {}};
    if (text == "none") return OutputSpec{OutputSpec::Kind::None, {}};
    if (text.starts_with("file:") && text.size() > 5) return OutputSpec{OutputSpec::Kind::File, std::string(text.substr(5))};
    return std::nullopt;
}

bool is_floppy_image_size(std::uint64_t bytes) {
    // 5.25" 160/180/320/360 KiB and 1.2 MiB, 3.5" 720 KiB, 1.44 MiB and 2.88 MiB.
    static constexpr std::array<std::uint64_t, 8> kSizes = {160, 180, 320, 360, 720, 1200, 1440, 2880};
    return std::find(kSizes.begin(), kSizes.end(), bytes / 1024) != kSizes.end() && bytes % 1024 == 0;
}

Command parse_command_line(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"Lantern - an educational, cycle-aware x86 PC emulator.\n"
                 "With no arguments, runs the built-in demo.",
                 "lantern"};
    app.footer(std::string(kExitStatusHelp));
    app.set_version_flag("--version", std::string(kVersion));
    app.set_help_all_flag("--help-all", "Print help for every subcommand and exit");
    app.require_subcommand(1, 1);

    Command cmd;
    RunOptions& o = cmd.run;

    // ---- run ----
    CLI::App* run = app.add_subcommand("run", "Run a machine (the default subcommand). Without --bios and "
                                              "without a disk, runs the built-in demo.");
    std::string cpu, memory, firmware_log = "none", mhz, serial = "none", debugcon = "stdio", max_insns, timeout, gdb;
    run->add_option("--cpu", cpu, "CPU model: " + supported_models() + " (default: p6; 8086 for the demo ROM)")
        ->type_name("MODEL")->check(validator("MODEL", check_cpu));
    run->add_option("--demo", o.demo, "with no --bios and no disk: disk boots the demo disk (a menu of programs "
                                      "on the PC), rom runs the terminal demo ROM; auto: disk when a window "
                                      "opens, rom otherwise")
        ->type_name("KIND")->capture_default_str()->check(CLI::IsMember({"disk", "rom", "auto"}));
    run->add_option("--machine", o.machine, "pc: the PC/AT board (CMOS, keyboard, DMA, floppy, IDE, PCI, VGA, "
                                            "serial); bare: CPU, PICs and timer only; auto: pc unless an 8086 "
                                            "runs a --bios ROM with no disk")
        ->type_name("KIND")->capture_default_str()->check(CLI::IsMember({"pc", "bare", "auto"}));
    run->add_option("--memory,-m", memory, "RAM in MiB (default: 1 on the 8086, 4 on the 80286, 32 from the 80386)")
        ->type_name("MIB")->check(validator("MIB", check_memory));
    run->add_option("--mhz", mhz, "CPU clock in MHz (default: 4.77 on the 8086, 8 on the 80286, 33 from the 80386)")
        ->type_name("N")->check(validator("N", check_mhz));
    run->add_option("--bios", o.bios, "BIOS ROM image, mapped to end at 0xFFFFF (and at the top of "
                                      "the address space); the CPU starts at its reset vector")
        ->type_name("FILE")->check(existing_file());
    run->add_option("--vgabios", o.vgabios, "VGA option ROM image")->type_name("FILE")->check(existing_file());
    run->add_option("--fda", o.fda, "first floppy disk image")->type_name("FILE")->check(existing_file());
    run->add_option("--fdb", o.fdb, "second floppy disk image")->type_name("FILE")->check(existing_file());
    run->add_option("--hda", o.hda, "first hard disk image")->type_name("FILE")->check(existing_file());
    run->add_option("--hdb", o.hdb, "second hard disk image")->type_name("FILE")->check(existing_file());
    run->add_option("--cdrom", o.cdrom, "CD-ROM image")->type_name("FILE")->check(existing_file());
    run->add_option("--boot", o.boot, "boot order: a (floppy), c (hard disk), d (CD-ROM), e.g. cd")
        ->type_name("ORDER")->check(validator("ORDER", check_boot));
    CLI::Option* kernel = run->add_option("--kernel", o.kernel, "Linux kernel (bzImage) to boot directly")
                              ->type_name("FILE")->check(existing_file());
    run->add_option("--initrd", o.initrd, "initial RAM disk for --kernel")
        ->type_name("FILE")->check(existing_file())->needs(kernel);
    run->add_option("--append", o.append, "kernel command line for --kernel")->type_name("STR")->needs(kernel);
    run->add_flag("--headless", o.headless, "no window: run in the terminal (without a display, or with "
                                            "--max-instructions, --timeout, --text-dump or --screenshot, runs are headless anyway)");
    run->add_option("--gui-script", o.gui_script, "drive the window from a script of commands, then quit (GUI tests)")
        ->type_name("FILE")->check(existing_file())->group("GUI");
    run->add_option("--gui-config", o.gui_config, "the window's layout and settings file "
                                                  "(default: ~/.config/lantern/gui.ini)")
        ->type_name("FILE")->group("GUI");
    run->add_option("--serial", serial, "COM1 output: stdio, none or file:PATH")
        ->type_name("DEV")->capture_default_str()->check(validator("DEV", check_output));
    run->add_option("--debugcon", debugcon, "port 0xE9 debug console output: stdio, none or file:PATH")
        ->type_name("DEV")->capture_default_str()->check(validator("DEV", check_output));
    run->add_option("--firmware-log", firmware_log, "port 0x402 firmware log (SeaBIOS): stdio, none or file:PATH")
        ->type_name("DEV")->capture_default_str()->check(validator("DEV", check_output));
    run->add_option("--input", o.input, "scripted input, steps separated by ';': wait SECONDS, wait-screen TEXT, "
                                        "wait-serial TEXT, type TEXT, key NAME, serial TEXT, text-dump FILE, "
                                        "screenshot FILE, exit [N] (README, \"Scripted runs\")")
        ->type_name("SCRIPT")->group("Scripted runs");
    run->add_option("--input-file", o.input_file, "scripted input from FILE, one step per line")
        ->type_name("FILE")->check(existing_file())->group("Scripted runs");
    run->add_option("--until-screen", o.until_screen, "end the run (status 0) when TEXT is on the screen")
        ->type_name("TEXT")->group("Scripted runs");
    run->add_option("--until-serial", o.until_serial, "end the run (status 0) when COM1 has sent TEXT")
        ->type_name("TEXT")->group("Scripted runs");
    run->add_option("--text-dump", o.text_dump, "write the text-mode screen to FILE when the run ends")->type_name("FILE");
    run->add_option("--screenshot", o.screenshot, "save the screen to FILE.png when the run ends")
        ->type_name("FILE.png")->check(validator("FILE.png", check_png));
    run->add_option("--max-instructions", max_insns, "stop after N instructions (exit status 6)")
        ->type_name("N")->check(validator("N", check_count));
    run->add_option("--timeout", timeout, "stop after SECONDS of host time (exit status 8)")
        ->type_name("SECONDS")->check(validator("SECONDS", check_seconds));
    run->add_option("--accel", o.accel, "CPU engine: interp (the interpreter), kvm, or auto")
        ->type_name("ENGINE")->capture_default_str()->check(CLI::IsMember({"interp", "kvm", "auto"}));
    run->add_option("--gdb", gdb, "hold the machine at its reset vector until gdb connects to TCP PORT "
                                  "(0: any free port, printed); see README, \"Debugging with gdb\"")
        ->type_name("PORT")->check(validator("PORT", check_gdb_port))->group("Debugging");
    run->add_flag("--gdb-nowait", o.gdb_nowait, "with --gdb: run at once; gdb may attach later")->group("Debugging");
    run->add_option("--gdb-listen", o.gdb_listen, "with --gdb: the address to listen on (default 127.0.0.1, "
                                                  "this computer only)")
        ->type_name("ADDR")->group("Debugging");
    run->add_flag("--debug", o.debug, "start in the command-line debugger, stopped at the reset vector")->group("Debugging");
    run->add_option("--debug-script", o.debug_script, "run debugger commands from FILE (implies --debug)")
        ->type_name("FILE")->check(existing_file())->group("Debugging");
    run->add_flag("!--no-block-cache", o.block_cache, "decode every instruction afresh (the decoded-block "
                                                      "cache only changes speed: for comparisons)");
    run->add_flag("--magic-break", o.magic_break, "`xchg bx, bx` stops in the debugger (as in Bochs)")->group("Debugging");
    run->add_option("--symbols", o.symbols, "symbols for the debugger: an nm-style list, a NASM map or an ELF32 "
                                            "file; FILE@BIAS adds BIAS (hex) to every address")
        ->type_name("FILE[@BIAS]")->group("Debugging");
    run->add_option("IMAGE", o.image, "disk image: a floppy if its size is a standard floppy size, "
                                      "otherwise a hard disk")
        ->type_name("IMAGE")->check(existing_file());
    run->footer(std::string(kExitStatusHelp));

    // ---- conformance ----
    ConformanceRequest& c = cmd.conformance;
    CLI::App* conf = app.add_subcommand("conformance", "Run the SingleStepTests CPU conformance suite "
                                                       "(e.g. ../shared/conformance) and print a report");
    conf->add_option("DIR", c.directory, "a test set (MOO files and metadata.json) or a folder of sets")
        ->required()->type_name("DIR")->check(existing_dir());
    conf->add_option("--filter", c.filter, "comma-separated file names without .MOO.gz, e.g. 00,F7.6")
        ->type_name("LIST");
    conf->add_flag("--verbose,-v", c.verbose, "show the first failing test of each file");
    conf->add_flag("--unmasked", c.unmasked, "also count tests that pass with undefined flags compared");
    conf->add_flag("!--no-block-cache", c.block_cache, "run without the decoded-block cache");
    conf->add_option("--threads", c.threads, "files run in parallel")->type_name("N")->capture_default_str()->check(CLI::Range(1u, 64u).description(""));

    // ---- bench (gui/bench_command.cpp) ----
    CLI::App* bench = add_bench_subcommand(app, cmd.bench);

    // ---- kvm-probe (cpu/kvm/kvm_probe.h) ----
    CLI::App* kvm_probe = app.add_subcommand(
        "kvm-probe", "Find out what this host's KVM can run: a tiny guest in real, protected and paged mode");
    kvm_probe->add_option("--device", cmd.kvm_device, "the KVM device")->type_name("PATH")->capture_default_str();

    // ---- cpuinfo ----
    CLI::App* info = app.add_subcommand("cpuinfo", "List the features and CPUID leaves a CPU model presents");
    info->add_option("--cpu", cmd.cpuinfo.cpu, "CPU model: 8086, 80286, 80386, 80486, pentium, p6")
        ->type_name("MODEL")->capture_default_str();
    info->add_flag("--all", cmd.cpuinfo.all, "every model");

    const std::vector<std::string> args = with_default_subcommand(argc, argv);
    std::vector<const char*> cargs{argv[0]};
    for (const auto& a : args) cargs.push_back(a.c_str());
    try {
        app.parse(static_cast<int>(cargs.size()), cargs.data());
    } catch (const CLI::ParseError& e) {
        cmd.kind = Command::Kind::Exit;
        if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {  // --help, --version
            app.exit(e, out, err);
            cmd.exit_status = to_int(ExitStatus::Ok);
        } else {
            err << "lantern: " << e.what() << "\nRun `lantern --help` to see the options.\n";
            cmd.exit_status = to_int(ExitStatus::Usage);
        }
        return cmd;
    }

    if (conf->parsed()) {
        cmd.kind = Command::Kind::Conformance;
        return cmd;
    }
    if (bench->parsed()) {
        cmd.kind = Command::Kind::Bench;
        return cmd;
    }
    if (kvm_probe->parsed()) {
        cmd.kind = Command::Kind::KvmProbe;
        return cmd;
    }
    if (info->parsed()) {
        const auto m = parse_cpu_model(cmd.cpuinfo.cpu);
        if (!m || !is_supported(*m)) {
            err << "lantern: cpuinfo: unknown CPU model '" << cmd.cpuinfo.cpu
                << "' (8086, 80286, 80386, 80486, pentium, p6)\n";
            cmd.kind = Command::Kind::Exit;
            cmd.exit_status = to_int(ExitStatus::Usage);
            return cmd;
        }
        cmd.kind = Command::Kind::Cpuinfo;
        return cmd;
    }

    // Values were validated above; convert them.
    auto usage_error = [&](const std::string& message) {
        err << "lantern: " << message << "\n";
        cmd.kind = Command::Kind::Exit;
        cmd.exit_status = to_int(ExitStatus::Usage);
        return cmd;
    };
    o.cpu_given = !cpu.empty();
    if (o.cpu_given) {
        o.cpu_model = *parse_cpu_model(cpu);
    } else {
        // A PC guest gets the P6 (what Linux 686 and FreeDOS's 386 kernel need); the built-in
        // demo ROM (no --bios, no disk, no kernel) is an 8086 program.
        const bool demo = o.bios.empty() && o.image.empty() && o.fda.empty() && o.fdb.empty() && o.hda.empty() &&
                          o.hdb.empty() && o.cdrom.empty() && o.kernel.empty();
        o.cpu_model = demo ? CpuModel::I8086 : CpuModel::P6;
    }
    if (!memory.empty()) {
        o.memory_mib = parse_memory_mib(memory);
        const std::uint32_t max_mib = max_memory_mib(o.cpu_model);
        if (*o.memory_mib > max_mib) {
            return usage_error("--memory: the " + std::string(cpu_model_name(o.cpu_model)) + " addresses " +
                               std::to_string(max_mib) + " MiB, so --memory can be at most " +
                               std::to_string(max_mib) + " (got " + memory + ")");
        }
    }
    if (!mhz.empty()) o.cpu_freq_hz = parse_scaled_decimal(mhz, 6);
    o.serial = *parse_output_spec(serial);
    o.debugcon = *parse_output_spec(debugcon);
    o.firmware_log = *parse_output_spec(firmware_log);
    if (!max_insns.empty()) o.max_instructions = *parse_scaled_decimal(max_insns, 0);
    if (!timeout.empty()) o.timeout = std::chrono::nanoseconds(*parse_scaled_decimal(timeout, 9));
    if (!gdb.empty()) o.gdb_port = static_cast<std::uint16_t>(*parse_scaled_decimal(gdb, 0));
    if (!o.debug_script.empty()) o.debug = true;
    if (o.debug && o.gdb_port) return usage_error("--debug and --gdb are two faces of one debugger: choose one");
    if ((o.gdb_nowait || o.gdb_listen != "127.0.0.1") && !o.gdb_port)
        return usage_error("--gdb-nowait and --gdb-listen go with --gdb PORT");
    if (o.magic_break && !o.debug && !o.gdb_port) return usage_error("--magic-break needs --debug or --gdb");
    if (!o.symbols.empty() && !o.debug && !o.gdb_port) return usage_error("--symbols needs --debug or --gdb");
    if ((o.debug || o.gdb_port) &&
        (!o.input.empty() || !o.input_file.empty() || !o.until_screen.empty() || !o.until_serial.empty()))
        return usage_error("--input, --input-file and --until-* drive a run without a debugger: "
                           "drop --debug/--gdb, or type the keys in the debugger's session");
    if (o.debugcon.kind == OutputSpec::Kind::File && o.serial.kind == OutputSpec::Kind::File &&
        o.debugcon.path == o.serial.path)
        return usage_error("--serial and --debugcon cannot write the same file " + o.serial.path);

    cmd.kind = Command::Kind::Run;
    return cmd;
}

}  // namespace lantern
