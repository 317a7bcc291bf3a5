#include "gui/run_command.h"

#include <vector>

#include "cpu/cpuid.h"
#include "cpu/opcode_table.h"

#include <cerrno>
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
#include "devices/byte_sink.h"
#include "devices/machine.h"
#include "gui/demo_rom.h"
#include "gui/exit_status.h"

#if LANTERN_HAVE_CONFORMANCE
#include "debugger/conformance/conformance_runner.h"
#endif

namespace lantern {

namespace {

struct Unimplemented {
    std::string option;
    std::string arrives_with;
};

// Options that parse and validate but whose feature does not exist yet. Listing them here (rather
// than ignoring them) means a user never wonders why --fda did nothing.
std::vector<Unimplemented> unimplemented_options(const RunOptions& o, const std::string& image_floppy,
                                                 const std::string& image_disk) {
    std::vector<Unimplemented> out;
    auto add = [&](bool given, std::string option, std::string feature) {
        if (given) out.push_back({std::move(option), std::move(feature)});
    };
    const std::string floppy = "the floppy controller and the BIOS disk services";
    const std::string disk = "the hard disk controller and the BIOS disk services";
    add(!image_floppy.empty(), "IMAGE " + image_floppy + " (a floppy image by its size)", floppy);
    add(!image_disk.empty(), "IMAGE " + image_disk + " (a hard disk image by its size)", disk);
    add(!o.fda.empty(), "--fda", floppy);
    add(!o.fdb.empty(), "--fdb", floppy);
    add(!o.hda.empty(), "--hda", disk);
    add(!o.hdb.empty(), "--hdb", disk);
    add(!o.cdrom.empty(), "--cdrom", "ATAPI CD-ROM support");
    add(!o.boot.empty(), "--boot", "the BIOS boot code");
    add(!o.vgabios.empty(), "--vgabios", "VGA emulation");
    add(!o.kernel.empty(), "--kernel", "the Linux boot protocol, on a 386 or later");
    add(!o.initrd.empty(), "--initrd", "the Linux boot protocol, on a 386 or later");
    add(!o.append.empty(), "--append", "the Linux boot protocol, on a 386 or later");
    add(o.serial.kind != OutputSpec::Kind::None, "--serial", "the 8250/16550 UART");
    add(!o.text_dump.empty(), "--text-dump", "the text-mode display adapter");
    add(!o.screenshot.empty(), "--screenshot", "the display adapter and the GUI");
    add(o.accel == "kvm", "--accel kvm", "the KVM backend, on a 386 or later");
    add(o.gdb_port.has_value(), "--gdb", "the gdb remote stub");
    add(o.debug, "--debug", "the debugger");
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

int execute_run(const RunOptions& o, std::ostream& err) {
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

    if (const auto missing = unimplemented_options(o, image_floppy, image_disk); !missing.empty()) {
        for (const auto& m : missing)
            err << "lantern: not implemented yet: " << m.option << " (arrives with " << m.arrives_with << ")\n";
        return to_int(ExitStatus::NotImplemented);
    }

    // No BIOS and no disk: the built-in demo.
    const bool demo = o.bios.empty();
    MachineConfig config;
    config.cpu_model = o.cpu_model;
    config.memory_mib = o.memory_mib.value_or(default_memory_mib(o.cpu_model));
    config.cpu_freq_hz = o.cpu_freq_hz.value_or(default_cpu_freq_hz(o.cpu_model));
    if (demo) {
        const auto rom = assets::demo_rom();
        config.bios_image.assign(rom.begin(), rom.end());
    } else {
        std::string error;
        auto bytes = read_file(o.bios, error);
        if (!bytes) return usage(err, "cannot read --bios " + o.bios + ": " + error);
        if (bytes->empty()) return usage(err, "--bios " + o.bios + " is empty");
        config.bios_image = std::move(*bytes);
    }
    if (const std::string why = validate(config); !why.empty()) return usage(err, why);

    std::string sink_error;
    std::unique_ptr<ByteSink> debugcon = make_sink(o.debugcon, sink_error);
    if (!debugcon) return usage(err, "--debugcon: " + sink_error);

    Machine machine(std::move(config));
    machine.debug_console().set_sink(debugcon.get());

    RunLimits limits;
    limits.max_instructions = o.max_instructions;
    limits.host_timeout = o.timeout;
    const RunResult r = machine.run(limits);
    debugcon->flush();
    std::fflush(stdout);

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
            err << "lantern: stopped on request" << at << "\n";
            return to_int(ExitStatus::InternalError);
    }
    return to_int(ExitStatus::InternalError);
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
