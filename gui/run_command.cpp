#include "gui/run_command.h"

#include <vector>

#include "cpu/cpuid.h"
#include "cpu/opcode_table.h"

#include <algorithm>
#include <atomic>
#include <tuple>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "cpu/interpreter.h"
#include "debugger/cli_debugger.h"
#include "debugger/debugger.h"
#include "debugger/gdb_socket.h"
#include "devices/byte_sink.h"
#include "devices/machine.h"
#include "assets/demo_disk/embedded_demo_disk.h"
#include "bios/embedded_bios.h"
#include "gui/demo_rom.h"
#include "gui/exit_status.h"
#include "gui/headless_run.h"
#include "gui/input_script.h"

#if LANTERN_HAVE_CONFORMANCE
#include "debugger/conformance/conformance_runner.h"
#endif
#if LANTERN_HAVE_GUI
#include "gui/app/gui_app.h"
#endif

namespace lantern {

namespace {

struct Unimplemented {
    std::string option;
    std::string arrives_with;
};

// Options that parse and validate but whose feature does not exist yet. Listing them here (rather
// than ignoring them) means a user never wonders why an option did nothing.
std::vector<Unimplemented> unimplemented_options(const RunOptions& o) {
    std::vector<Unimplemented> out;
    auto add = [&](bool given, std::string option, std::string feature) {
        if (given) out.push_back({std::move(option), std::move(feature)});
    };
    add(!o.fdb.empty(), "--fdb", "a second floppy drive on the board");
    add(!o.hdb.empty(), "--hdb", "a primary slave disk on the board");
    add(o.accel == "kvm", "--accel kvm", "the KVM backend; `lantern kvm-probe` shows what this host's KVM can run");
    return out;
}

std::optional<std::vector<std::uint8_t>> read_file(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        error = "read error";
        return std::nullopt;
    }
    return bytes;
}

std::unique_ptr<ByteSink> make_sink(const OutputSpec& spec, std::string& error) {
    switch (spec.kind) {
        case OutputSpec::Kind::Stdio: return std::make_unique<FileSink>(stdout);
        case OutputSpec::Kind::None: return std::make_unique<NullSink>();
        case OutputSpec::Kind::File: {
            auto sink = std::make_unique<FileSink>(spec.path);
            if (!sink->ok()) {
                error = "cannot write " + spec.path + ": " + std::strerror(errno);
                return nullptr;
            }
            return sink;
        }
    }
    return nullptr;
}

std::string hex(std::uint32_t v, int digits) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%0*X", digits, v);
    return buf;
}

std::string seconds_text(std::chrono::nanoseconds ns) {
    std::ostringstream s;
    const auto count = static_cast<std::uint64_t>(ns.count());
    s << count / 1'000'000'000;
    std::uint64_t frac = count % 1'000'000'000;
    if (frac != 0) {
        std::string digits = std::to_string(frac);
        digits.insert(0, 9 - digits.size(), '0');
        while (digits.back() == '0') digits.pop_back();
        s << '.' << digits;
    }
    return s.str();
}

int usage(std::ostream& err, const std::string& message) {
    err << "lantern: " << message << "\n";
    return to_int(ExitStatus::Usage);
}

}  // namespace

namespace {

// The exit status of a run that ended with `r`, and the message that explains it.
int report_run_end(const RunResult& r, Machine& machine, const RunOptions& o, bool demo, std::ostream& err) {
    const CpuState& s = machine.interpreter().state();
    const std::string at = " at " + hex(s.segment(Seg::CS).selector, 4) + ":" + hex(s.ip(), 4) + " after " +
                           std::to_string(r.instructions) + " instructions (" + std::to_string(r.cycles) + " cycles)";
    switch (r.reason) {
        case MachineStop::DebugExit:
            // The demo is not a test: its "done" (0) is plain success.
            if (demo && r.debug_exit_value == 0) return to_int(ExitStatus::Ok);
            return debug_exit_status(r.debug_exit_value);
        case MachineStop::InstructionLimit:
            err << "lantern: stopped: instruction limit of " << o.max_instructions << " reached (--max-instructions)"
                << at << "\n";
            return to_int(ExitStatus::InstructionLimit);
        case MachineStop::HostTimeout:
            err << "lantern: stopped: timeout of " << seconds_text(o.timeout) << " s reached (--timeout)" << at << "\n";
            return to_int(ExitStatus::Timeout);
        case MachineStop::Halted:
            if (r.interrupts_enabled)
                err << "lantern: the CPU halted waiting for an interrupt, but no device can raise one" << at << "\n";
            else
                err << "lantern: the CPU halted with interrupts disabled (HLT with IF=0): only NMI or reset "
                       "could wake it"
                    << at << "\n";
            return to_int(ExitStatus::Halted);
        case MachineStop::Shutdown:
            err << "lantern: the CPU shut down (triple fault)" << at << "\n";
            return to_int(ExitStatus::Shutdown);
        case MachineStop::StopRequested:
        case MachineStop::CycleLimit:
            err << "lantern: stopped on request" << at << "\n";
            return to_int(ExitStatus::InternalError);
        case MachineStop::PowerOff:
            err << "lantern: the guest powered the machine off" << at << "\n";
            return to_int(ExitStatus::Ok);
    }
    return to_int(ExitStatus::InternalError);
}

// Ctrl-C at the terminal interrupts a debugger `continue`. A signal handler can only set a flag it
// reaches without context, so this one flag lives at namespace scope; it is read only between
// slices of a run (Debugger::set_poll), never by the emulated machine.
std::atomic<bool> sigint_seen{false};
extern "C" void on_sigint(int) { sigint_seen.store(true, std::memory_order_relaxed); }

std::string_view as_text(std::span<const std::uint8_t> bytes) {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// The built-in ROMs' own symbol maps, then --symbols FILE[@BIAS].
bool load_symbols(Debugger& dbg, const RunOptions& o, bool demo, bool builtin_bios, std::ostream& err) {
    SymbolTable& table = dbg.symbols();
    // The 286 and later also see the ROM at the top of their address space, where they start.
    const std::uint64_t top = static_cast<std::uint64_t>(address_mask(o.cpu_model)) + 1;
    const auto alias = static_cast<std::uint32_t>(top - 0x100000);
    if (demo && !o.bios.empty()) demo = false;  // (never: a --bios run is no demo)
    if (demo && builtin_bios) {
        table.load_nm(as_text(assets::demo_disk_symbols()), 0);  // the demo disk runs at segment 0
    } else if (demo) {
        table.load_nm(as_text(assets::demo_symbol_map()), assets::kDemoRomBase);
        if (top > 0x100000) table.load_nm(as_text(assets::demo_symbol_map()), assets::kDemoRomBase + alias);
    }
    if (builtin_bios) {
        table.load_nm(as_text(assets::bios_symbols()), 0);  // physical addresses already
        if (top > 0x100000) table.load_nm(as_text(assets::bios_symbols()), alias);
    }
    for (const std::string& spec : o.symbols) {
        std::string path = spec;
        std::uint32_t bias = 0;
        if (const std::size_t at = spec.rfind('@'); at != std::string::npos && at > 0) {
            path = spec.substr(0, at);
            const std::string b = spec.substr(at + 1);
            char* end = nullptr;
            const unsigned long v = std::strtoul(b.c_str(), &end, 16);
            if (b.empty() || *end != '\0' || v > 0xFFFFFFFFul) {
                err << "lantern: --symbols " << spec << ": the bias after '@' must be hex, e.g. " << path << "@f0000\n";
                return false;
            }
            bias = static_cast<std::uint32_t>(v);
        }
        const auto r = table.load_file(path, bias);
        if (!r.error.empty()) {
            err << "lantern: --symbols " << path << ": " << r.error << "\n";
            return false;
        }
    }
    return true;
}

// --debug and --gdb: the machine stays stopped at its reset vector until the debugger runs it.
int run_debug_session(const RunOptions& o, MachineConfig config, ByteSink& debugcon, bool demo, bool builtin_bios,
                      std::ostream& err) {
    Machine machine(std::move(config));
    machine.debug_console().set_sink(&debugcon);
    Debugger dbg(machine);
    dbg.set_magic_break(o.magic_break);
    if (!load_symbols(dbg, o, demo, builtin_bios, err)) return to_int(ExitStatus::Usage);
    auto finish = [&](int status) {
        debugcon.flush();
        std::cout.flush();
        std::fflush(stdout);
        return status;
    };

    if (o.debug) {
        // --timeout is the session's host-time budget (a test's safety net): past it, every run
        // is interrupted at once. Ctrl-C interrupts the run in progress.
        const auto start = std::chrono::steady_clock::now();
        dbg.set_poll([&] {
            if (sigint_seen.exchange(false, std::memory_order_relaxed)) return true;
            return o.timeout.count() > 0 && std::chrono::steady_clock::now() - start >= o.timeout;
        });
        const bool tty = o.debug_script.empty() && ::isatty(STDIN_FILENO);
        struct sigaction previous {};
        if (tty) {
            struct sigaction action {};
            action.sa_handler = on_sigint;
            sigemptyset(&action.sa_mask);
            ::sigaction(SIGINT, &action, &previous);
        }
        CliDebugger cli(dbg, std::cout);
        std::cout << "Lantern debugger: " << cpu_model_name(o.cpu_model)
                  << ", stopped at the reset vector ('help' lists the commands)\n"
                  << dbg.current_instruction_line() << "\n";
        if (!o.debug_script.empty()) {
            std::ifstream script(o.debug_script);
            if (!script) return usage(err, "cannot read --debug-script " + o.debug_script);
            cli.run(script, true, false);
        } else {
            cli.run(std::cin, !tty, tty);
        }
        if (tty) ::sigaction(SIGINT, &previous, nullptr);
        const auto& stop = cli.last_stop();
        if (stop && stop->kind == StopKind::GuestExit && !(demo && stop->exit_value == 0))
            return finish(debug_exit_status(stop->exit_value));
        return finish(to_int(ExitStatus::Ok));
    }

    GdbListener listener;
    if (const std::string why = listener.listen(o.gdb_listen, *o.gdb_port); !why.empty()) return usage(err, "--gdb: " + why);
    const bool v6 = o.gdb_listen.find(':') != std::string::npos;
    const std::string where = (v6 ? "[" + o.gdb_listen + "]" : o.gdb_listen) + ":" + std::to_string(listener.port());
    err << "lantern: gdb stub listening on " << where << (o.gdb_nowait ? "" : " (the machine waits at its reset vector)")
        << "; in gdb: target remote " << where << "\n";
    err.flush();
    if (o.gdb_nowait) {
        // Run until gdb connects, looking for it between slices of host time.
        RunLimits slice;
        slice.host_timeout = std::chrono::milliseconds(20);
        for (;;) {
            const RunResult r = machine.run(slice);
            if (r.reason != MachineStop::HostTimeout) return finish(report_run_end(r, machine, o, demo, err));
            if (listener.pending()) break;
        }
    }
    const std::unique_ptr<GdbTransport> transport = listener.accept();
    if (!transport) return usage(err, "--gdb: accepting the connection failed");
    err << "lantern: gdb connected\n";
    {
        GdbStub stub(dbg, *transport);
        switch (stub.serve()) {
            case GdbStub::End::GuestExited: {
                const std::uint32_t v = stub.last_stop() ? stub.last_stop()->exit_value : 0;
                return finish(demo && v == 0 ? to_int(ExitStatus::Ok) : debug_exit_status(v));
            }
            case GdbStub::End::Killed: err << "lantern: gdb killed the machine\n"; return finish(to_int(ExitStatus::Ok));
            case GdbStub::End::Detached: err << "lantern: gdb detached: the machine runs on\n"; break;
            case GdbStub::End::Closed: err << "lantern: gdb disconnected: the machine runs on\n"; break;
        }
    }  // the stub removes gdb's breakpoints as it goes
    RunLimits limits;
    limits.max_instructions = o.max_instructions;
    limits.host_timeout = o.timeout;
    const RunResult r = machine.run(limits);
    return finish(report_run_end(r, machine, o, demo, err));
}

}  // namespace

int execute_run(RunOptions o, std::ostream& err) {
    // The bare IMAGE is a floppy if its size is a standard floppy size, else a hard disk (the
    // same guess QEMU's users make by hand with -fda / -hda).
    std::string image_floppy, image_disk;
    if (!o.image.empty()) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(o.image, ec);
        if (ec) return usage(err, "cannot read IMAGE " + o.image + ": " + ec.message());
        if (is_floppy_image_size(size)) {
            if (!o.fda.empty()) return usage(err, "IMAGE " + o.image + " is a floppy image, but --fda is given too");
            image_floppy = o.image;
        } else {
            if (!o.hda.empty()) return usage(err, "IMAGE " + o.image + " is a hard disk image, but --hda is given too");
            image_disk = o.image;
        }
    }

    if (const auto missing = unimplemented_options(o); !missing.empty()) {
        for (const auto& m : missing)
            err << "lantern: not implemented yet: " << m.option << " (arrives with " << m.arrives_with << ")\n";
        return to_int(ExitStatus::NotImplemented);
    }

    // No BIOS and no disk: the built-in demo.
    // A disk without --bios boots the built-in BIOS (bios/).
    const std::string fda = !image_floppy.empty() ? image_floppy : o.fda;
    const std::string hda = !image_disk.empty() ? image_disk : o.hda;
    const bool has_disk = !fda.empty() || !hda.empty() || !o.cdrom.empty() || !o.kernel.empty();
    const bool demo = o.bios.empty() && !has_disk;
    // The built-in demo: the demo disk (assets/demo_disk) on a whole PC where there is a screen to
    // show it, the terminal demo ROM (assets/demo) where there is not; --demo chooses.
    // A batch job (a limit, an output file, scripted input, an end condition) runs headless.
    [[maybe_unused]] const bool batch = o.max_instructions != 0 || o.timeout.count() != 0 || !o.text_dump.empty() ||
                       !o.screenshot.empty() || !o.input.empty() || !o.input_file.empty() || !o.until_screen.empty() ||
                       !o.until_serial.empty();
    bool window_expected = false;
#if LANTERN_HAVE_GUI
    window_expected = !o.headless && !batch && (gui::display_available() || !o.gui_script.empty());
#endif
    const bool demo_disk = demo && (o.demo == "disk" || (o.demo == "auto" && window_expected));
    if (demo_disk && o.cpu_model == CpuModel::I8086 && !o.cpu_given) o.cpu_model = CpuModel::P6;
    const bool builtin_bios = o.bios.empty() && (has_disk || demo_disk);
    MachineConfig config;
    config.cpu_model = o.cpu_model;
    config.block_cache = o.block_cache;
    config.memory_mib = o.memory_mib.value_or(default_memory_mib(o.cpu_model));
    config.cpu_freq_hz = o.cpu_freq_hz.value_or(default_cpu_freq_hz(o.cpu_model));
    if (demo && !demo_disk) {
        const auto rom = assets::demo_rom();
        config.bios_image.assign(rom.begin(), rom.end());
    } else if (builtin_bios) {
        const auto rom = assets::bios_rom();
        config.bios_image.assign(rom.begin(), rom.end());
    } else {
        std::string error;
        auto bytes = read_file(o.bios, error);
        if (!bytes) return usage(err, "cannot read --bios " + o.bios + ": " + error);
        if (bytes->empty()) return usage(err, "--bios " + o.bios + " is empty");
        config.bios_image = std::move(*bytes);
    }
    // The board: the whole PC unless asked for a bare machine; `auto` keeps the built-in demo ROM
    // and an 8086 running a ROM without disks bare (the PC/XT board is not modelled).
    if (o.machine == "pc") {
        config.pc_board = true;
    } else if (o.machine == "auto") {
        config.pc_board = demo_disk || (!demo && (has_disk || o.cpu_model != CpuModel::I8086));
    }
    if (demo_disk) {
        const auto disk = assets::demo_disk();
        config.board.floppy_a_bytes.assign(disk.begin(), disk.end());
    }
    const bool wants_board = has_disk || o.serial.kind != OutputSpec::Kind::None || !o.text_dump.empty() ||
                             !o.screenshot.empty() || !o.until_screen.empty() || !o.until_serial.empty() ||
                             !o.input.empty() || !o.input_file.empty() || o.firmware_log.kind != OutputSpec::Kind::None ||
                             !o.vgabios.empty();
    if (!o.kernel.empty() && o.cpu_model < CpuModel::I80386)
        return usage(err, "--kernel: Linux/x86 is a 32-bit kernel and needs an 80386 or later (--cpu " +
                              std::string(cpu_model_name(o.cpu_model)) + " was given)");
    if (!o.kernel.empty() && !builtin_bios)
        return usage(err, "--kernel is loaded by the built-in BIOS (its INT 19h asks the board for the kernel); "
                          "with --bios, boot the kernel from a disk through a bootloader instead");
    if (!config.pc_board && wants_board)
        return usage(err, std::string(o.machine == "bare" ? "--machine bare" : demo ? "the built-in demo ROM" : "an 8086 with a --bios ROM") +
                              " has no PC board: disks, --serial, --firmware-log, --text-dump, --screenshot, "
                              "--input and --until-* need --machine pc");
    if (config.pc_board) {
        config.board.floppy_a = fda;
        config.board.hard_disk = hda;
        config.board.cdrom = o.cdrom;
        config.board.vga_bios = o.vgabios;
        config.board.linux_boot = LinuxBootConfig{o.kernel, o.initrd, o.append};
        if (!o.boot.empty()) {
            // QEMU's letters: a floppy, c hard disk, d CD-ROM; the rest of the order follows.
            std::vector<CmosBootDevice> order;
            for (char c : o.boot) {
                const CmosBootDevice d = c == 'a' ? CmosBootDevice::Floppy
                                         : c == 'c' ? CmosBootDevice::HardDisk : CmosBootDevice::CdRom;
                if (std::find(order.begin(), order.end(), d) == order.end()) order.push_back(d);
            }
            for (CmosBootDevice d : {CmosBootDevice::Floppy, CmosBootDevice::HardDisk, CmosBootDevice::CdRom})
                if (std::find(order.begin(), order.end(), d) == order.end()) order.push_back(d);
            std::copy_n(order.begin(), config.board.boot_order.size(), config.board.boot_order.begin());
        }
    }
    if (const std::string why = validate(config); !why.empty()) return usage(err, why);
    // The files written at the end: a folder that does not exist is the user's typo, better told
    // before a long run than after it.
    for (const auto& [path, what] : {std::pair{o.text_dump, "--text-dump"}, std::pair{o.screenshot, "--screenshot"}}) {
        if (path.empty()) continue;
        const std::filesystem::path dir = std::filesystem::path(path).parent_path();
        std::error_code ec;
        if (!dir.empty() && !std::filesystem::is_directory(dir, ec))
            return usage(err, std::string(what) + " " + path + ": the folder " + dir.string() + " does not exist");
    }

    std::string sink_error;
    std::unique_ptr<ByteSink> debugcon = make_sink(o.debugcon, sink_error);
    if (!debugcon) return usage(err, "--debugcon: " + sink_error);

    // COM1's output goes where --serial says, through a tee the script and --until-serial read.
    std::unique_ptr<TeeSerialBackend> com1;
    if (config.pc_board) {
        std::unique_ptr<SerialBackend> out;
        if (o.serial.kind == OutputSpec::Kind::Stdio) {
            out = std::make_unique<StdioSerialBackend>();
        } else if (o.serial.kind == OutputSpec::Kind::File) {
            std::string why;
            out = FileSerialBackend::open(o.serial.path, why);
            if (!out) return usage(err, "--serial: " + why);
        }
        com1 = std::make_unique<TeeSerialBackend>(std::move(out));
        config.board.serial[0] = com1.get();
    }
    std::unique_ptr<ByteSink> firmware_log = make_sink(o.firmware_log, sink_error);
    if (!firmware_log) return usage(err, "--firmware-log: " + sink_error);

    if (o.debug || o.gdb_port) return run_debug_session(o, std::move(config), *debugcon, demo, builtin_bios, err);

#if LANTERN_HAVE_GUI
    // The window, unless asked not to or running a batch job. Without a display the run goes on
    // headless; SDL is only initialised inside run_gui.
    if (!o.headless && !batch) {
        if (gui::display_available() || !o.gui_script.empty()) {
            std::string why;
            const gui::GuiLaunch launch{config, demo, builtin_bios, o.gui_script, o.gui_config, debugcon.get()};
            if (const auto status = gui::run_gui(launch, err, why)) return *status;
            if (!o.gui_script.empty()) return usage(err, "--gui-script needs a window, and none opens: " + why);
            err << "lantern: cannot open a window (" << why << "): running headless\n";
            if (demo_disk && o.demo == "auto") {
                // The demo disk waits for keys nobody can press without a window: the terminal
                // demo instead, as with no display at all.
                RunOptions terminal = o;
                terminal.demo = "rom";
                terminal.headless = true;
                if (!terminal.cpu_given) terminal.cpu_model = CpuModel::I8086;
                return execute_run(std::move(terminal), err);
            }
        } else {
            err << "lantern: no display (DISPLAY and WAYLAND_DISPLAY are unset): running headless\n";
        }
    }
#endif
    HeadlessRunSpec spec;
    spec.limits.max_instructions = o.max_instructions;
    spec.limits.host_timeout = o.timeout;
    spec.until_screen = o.until_screen;
    spec.until_serial = o.until_serial;
    spec.stdin_to_serial = o.serial.kind == OutputSpec::Kind::Stdio;
    spec.com1 = com1.get();
    for (const auto& [text, inline_form, what] :
         {std::tuple{o.input, true, std::string("--input")}, std::tuple{o.input_file, false, "--input-file " + o.input_file}}) {
        if (text.empty()) continue;
        std::string script_text = text;
        if (!inline_form) {
            std::string error;
            const auto bytes = read_file(text, error);
            if (!bytes) return usage(err, "cannot read " + what + ": " + error);
            script_text.assign(bytes->begin(), bytes->end());
        }
        std::string error;
        const auto script = parse_input_script(script_text, inline_form, error);
        if (!script) return usage(err, what + ": " + error);
        spec.script.steps.insert(spec.script.steps.end(), script->steps.begin(), script->steps.end());
    }

    std::unique_ptr<Machine> machine_ptr;
    try {
        machine_ptr = std::make_unique<Machine>(std::move(config));
    } catch (const DiskImageError& e) {
        return usage(err, e.what());
    }
    Machine& machine = *machine_ptr;
    machine.debug_console().set_sink(debugcon.get());
    if (machine.board()) machine.board()->set_firmware_log(firmware_log.get());

    const HeadlessRunEnd end = run_headless(machine, spec);
    debugcon->flush();
    firmware_log->flush();
    if (com1) com1->flush();
    std::fflush(stdout);

    // The screen as the run left it, whatever ended it.
    for (const auto& [path, text_form] : {std::pair{o.text_dump, true}, std::pair{o.screenshot, false}}) {
        if (path.empty()) continue;
        const std::string why = text_form ? write_text_dump(machine, path) : write_screenshot(machine, path);
        if (!why.empty()) err << "lantern: " << why << "\n";
    }
    switch (end.kind) {
        case HeadlessRunEnd::Kind::UntilMet: return to_int(ExitStatus::Ok);
        case HeadlessRunEnd::Kind::ScriptExit: return end.exit_status;
        case HeadlessRunEnd::Kind::Error: err << "lantern: " << end.message << "\n"; return to_int(ExitStatus::Usage);
        case HeadlessRunEnd::Kind::Machine: break;
    }
    return report_run_end(end.result, machine, o, demo, err);
}

int execute_conformance(const ConformanceRequest& request, std::ostream& out, std::ostream& err) {
#if LANTERN_HAVE_CONFORMANCE
    (void)err;
    conformance::ConformanceOptions options;
    options.directory = request.directory;
    options.filter = request.filter;
    options.verbose = request.verbose;
    options.unmasked = request.unmasked;
    options.threads = request.threads;
    options.block_cache = request.block_cache;
    return conformance::run_conformance(options, out);
#else
    (void)request;
    (void)out;
    err << "lantern: not implemented yet: conformance (arrives with the conformance runner, "
           "debugger/conformance)\n";
    return to_int(ExitStatus::NotImplemented);
#endif
}

int execute_cpuinfo(const CpuinfoRequest& request, std::ostream& out) {
    std::vector<CpuModel> models;
    if (request.all) {
        for (CpuModel m : {CpuModel::I8086, CpuModel::I80286, CpuModel::I80386, CpuModel::I80486,
                           CpuModel::Pentium, CpuModel::P6})
            models.push_back(m);
    } else {
        models.push_back(*parse_cpu_model(request.cpu));
    }
    for (CpuModel m : models) {
        for (const std::string& line : describe_cpu(m)) out << line << "\n";
        out << "address bus: " << (m == CpuModel::I8086 ? 20 : m == CpuModel::I80286 ? 24 : 32) << " bits\n";
        out << "timing column: " << static_cast<int>(timing_column(m)) << " (0 8086, 1 80286, 2 80386, 3 80486, "
            << "4 Pentium; the P6 is charged the Pentium column)\n\n";
    }
    return 0;
}

}  // namespace lantern
