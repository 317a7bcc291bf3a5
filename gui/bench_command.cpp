// `lantern bench` (see bench_command.h). Host-side tooling: it reads the host clock and starts
// processes, which is fine here because nothing of it runs inside an emulated machine.
#include "gui/bench_command.h"

#include <CLI/CLI.hpp>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>
#include <vector>

#include "bench/bench_guests.h"
#include "devices/byte_sink.h"
#include "devices/machine.h"
#include "gui/exit_status.h"

namespace lantern {

namespace fs = std::filesystem;

CLI::App* add_bench_subcommand(CLI::App& app, BenchRequest& r) {
    CLI::App* b = app.add_subcommand("bench", "Measure guest MIPS, wall time and peak memory of Lantern, and of "
                                              "Bochs and QEMU (TCG) when installed, on the same guests");
    b->add_flag("--quick", r.quick, "short runs of the CPU-bound guest only (a smoke test)");
    b->add_option("--iterations", r.iterations, "loop count of the long CPU-bound run (the short one is a sixth)")
        ->type_name("N")->check(CLI::Range(std::uint64_t{600}, std::uint64_t{1} << 31).description(""));
    b->add_flag("!--no-linux", r.linux_boot, "skip the Linux boot");
    b->add_flag("!--no-bochs", r.bochs, "do not run Bochs");
    b->add_flag("!--no-qemu", r.qemu, "do not run QEMU");
    b->add_option("--guest-dir", r.guest_dir, "folder with vmlinuz-686 and busybox (default: $LANTERN_GUEST_DIR, "
                                              "else ~/.cache/lantern/guests, as .ci/fetch-guests fills it)")
        ->type_name("DIR");
    b->add_option("--linux-timeout", r.linux_timeout_s, "seconds each emulator gets to boot Linux")
        ->type_name("SECONDS")->check(CLI::Range(1.0, 7200.0).description(""));
    return b;
}

namespace {

constexpr std::string_view kIterationsSignature = "LANTERN-BENCH-ITERATIONS";
constexpr std::string_view kShellMarker = "LANTERN-BENCH-SHELL-UP";
constexpr std::uint32_t kCpuGuestMemoryMib = 32;
constexpr std::uint32_t kLinuxMemoryMib = 128;

// ---- Processes ----

struct ChildResult {
    bool started = false;
    bool timed_out = false;
    bool marker_seen = false;
    int exit_status = -1;        // exit code, or 128 + signal
    double seconds = 0;          // wall time: start to exit (or to the marker)
    double cpu_seconds = 0;      // the child's user + system time (all its threads)
    double peak_rss_mib = 0;     // the child's ru_maxrss
    std::string output{};        // its stdout and stderr
};

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Runs argv with stdout+stderr into `log`; ends it when `marker` shows up in `watch` (if given)
// or after `timeout_s`.
ChildResult run_child(const std::vector<std::string>& argv, const fs::path& log, double timeout_s,
                      const fs::path& watch = {}, std::string_view marker = {}) {
    ChildResult r;
    using Clock = std::chrono::steady_clock;
    const Clock::time_point start = Clock::now();
    const pid_t pid = fork();
    if (pid < 0) return r;
    if (pid == 0) {
        const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int null_fd = open("/dev/null", O_RDONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        if (null_fd >= 0) dup2(null_fd, 0);
        setpgid(0, 0);
        std::vector<char*> args;
        for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    r.started = true;
    int status = 0;
    struct rusage ru {};
    for (;;) {
        const pid_t w = wait4(pid, &status, WNOHANG, &ru);
        const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
        if (w == pid) {
            r.seconds = elapsed;
            break;
        }
        bool stop = false;
        if (!marker.empty() && read_text(watch).find(marker) != std::string::npos) {
            r.marker_seen = true;
            stop = true;
        } else if (elapsed > timeout_s) {
            r.timed_out = true;
            stop = true;
        }
        if (stop) {
            r.seconds = elapsed;
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            wait4(pid, &status, 0, &ru);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(marker.empty() ? 1 : 20));
    }
    r.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    r.peak_rss_mib = static_cast<double>(ru.ru_maxrss) / 1024.0;  // Linux reports KiB
    r.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                    static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    r.output = read_text(log);
    return r;
}

std::optional<std::string> find_program(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    std::string d;
    while (std::getline(dirs, d, ':')) {
        const fs::path p = fs::path(d) / name;
        if (access(p.c_str(), X_OK) == 0) return p.string();
    }
    return std::nullopt;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// ---- The CPU-bound guest ----

std::vector<std::uint8_t> cpubound_image(std::uint64_t iterations) {
    const auto rom = bench::cpubound_rom();
    std::vector<std::uint8_t> image(rom.begin(), rom.end());
    const auto at = std::search(image.begin(), image.end(), kIterationsSignature.begin(), kIterationsSignature.end());
    if (at == image.end()) throw std::runtime_error("bench: the CPU-bound guest has no iteration count");
    auto p = at + static_cast<std::ptrdiff_t>(kIterationsSignature.size());
    for (int i = 0; i < 4; ++i) *p++ = static_cast<std::uint8_t>(iterations >> (8 * i));
    return image;
}

struct GuestCount {
    std::uint64_t instructions = 0;
    std::string debugcon{};   // the checksum line the guest prints
    bool exited = false;
};

// Runs the guest in this process to count its instructions exactly (Lantern's retired counter).
GuestCount count_guest(std::uint64_t iterations) {
    MachineConfig config;
    config.cpu_model = CpuModel::P6;
    config.memory_mib = kCpuGuestMemoryMib;
    config.cpu_freq_hz = default_cpu_freq_hz(CpuModel::P6);
    config.bios_image = cpubound_image(iterations);
    Machine m(std::move(config));
    StringSink sink;
    m.debug_console().set_sink(&sink);
    RunLimits limits;
    limits.max_instructions = 4'000'000'000ull;
    const RunResult r = m.run(limits);
    GuestCount g;
    g.exited = r.reason == MachineStop::DebugExit && r.debug_exit_value == 0;
    g.instructions = r.instructions;
    g.debugcon = first_line(sink.text());
    return g;
}

void write_file(const fs::path& p, std::span<const std::uint8_t> bytes) {
    std::ofstream out(p, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::string bochsrc(const fs::path& rom, std::uint32_t mib) {
    // Bochs 2.7's bochsrc syntax (its user guide, "The configuration file bochsrc"). Debian's
    // build has no "nogui" library: the VNC one with timeout=0 (waits for no viewer) stands in.
    // Sound off (its mixer thread aborts without a sound card), no time sync (run as fast as it
    // can), the 0xE9 hack for the guest's checksum line.
    std::ostringstream s;
    s << "megs: " << mib << "\n"
      << "romimage: file=\"" << rom.string() << "\"\n"
      << "vgaromimage: file=/usr/share/vgabios/vgabios.bin\n"
      << "cpu: count=1, ips=100000000, reset_on_triple_fault=0\n"
      << "clock: sync=none, time0=1\n"
      << "display_library: rfb, options=\"timeout=0\"\n"
      << "sound: driver=dummy\nspeaker: enabled=0\n"
      << "port_e9_hack: enabled=1\n"
      << "log: -\n"
      << "panic: action=fatal\nerror: action=report\ninfo: action=ignore\ndebug: action=ignore\n";
    return s.str();
}

struct Engine {
    std::string name;
    std::vector<std::string> argv;  // the ROM path is appended/patched in by `command`
};

struct EngineRun {
    std::string name;
    bool ok = false;
    std::string why{};            // when not ok
    double short_s = 0, long_s = 0, long_wall_s = 0, peak_mib = 0;  // CPU seconds; wall
    double mips = 0;
};

std::string fmt(double v, int decimals) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(decimals) << v;
    return s.str();
}

// ---- Linux: a busybox initramfs in the cpio "newc" format (the kernel's
// Documentation/driver-api/early-userspace/buffer-format.rst) ----

void cpio_entry(std::string& out, const std::string& name, std::uint32_t mode, std::string_view data,
                std::uint32_t rdev_major = 0, std::uint32_t rdev_minor = 0) {
    static std::uint32_t ino = 1;
    char header[111];
    std::snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                  ino++, mode, 0u, 0u, 1u, 0u, static_cast<unsigned>(data.size()), 0u, 0u, rdev_major, rdev_minor,
                  static_cast<unsigned>(name.size() + 1), 0u);
    out.append(header, 110);
    out += name;
    out.push_back('\0');
    while (out.size() % 4) out.push_back('\0');
    out.append(data);
    while (out.size() % 4) out.push_back('\0');
}

std::string make_initramfs(const std::string& busybox) {
    std::string out;
    cpio_entry(out, "bin", 040755, {});
    cpio_entry(out, "dev", 040755, {});
    cpio_entry(out, "proc", 040755, {});
    cpio_entry(out, "dev/console", 020600, {}, 5, 1);  // init's stdio (no devtmpfs in an initramfs)
    cpio_entry(out, "bin/busybox", 0100755, busybox);
    const std::string init = "#!/bin/busybox sh\n/bin/busybox echo " + std::string(kShellMarker) +
                             "\n/bin/busybox poweroff -f\n";
    cpio_entry(out, "init", 0100755, init);
    cpio_entry(out, "TRAILER!!!", 0, {});
    return out;
}

fs::path guest_dir(const BenchRequest& r) {
    if (!r.guest_dir.empty()) return r.guest_dir;
    if (const char* e = std::getenv("LANTERN_GUEST_DIR"); e && *e) return e;
    const char* home = std::getenv("HOME");
    return fs::path(home ? home : "/root") / ".cache/lantern/guests";
}

}  // namespace

int execute_bench(const BenchRequest& req, std::ostream& out, std::ostream& err) {
    char tmpl[] = "/tmp/lantern-bench-XXXXXX";
    if (!mkdtemp(tmpl)) {
        err << "lantern: bench: cannot create a temporary folder: " << std::strerror(errno) << "\n";
        return to_int(ExitStatus::Usage);
    }
    const fs::path dir = tmpl;
    struct Cleanup {
        fs::path d;
        ~Cleanup() {
            std::error_code ec;
            fs::remove_all(d, ec);
        }
    } cleanup{dir};
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    int status = to_int(ExitStatus::Ok);

    // ---- 1. The CPU-bound guest at two lengths ----
    const std::uint64_t n_long = req.iterations ? req.iterations : (req.quick ? 60'000 : 1'200'000);
    const std::uint64_t n_short = n_long / 6;
    const GuestCount c_short = count_guest(n_short);
    const GuestCount c_long = count_guest(n_long);
    if (!c_short.exited || !c_long.exited) {
        err << "lantern: bench: the CPU-bound guest did not reach its exit port on Lantern\n";
        return to_int(ExitStatus::InternalError);
    }
    const double delta_insns = static_cast<double>(c_long.instructions - c_short.instructions);
    out << "lantern bench: CPU-bound guest (bench/cpubound.asm: 32-bit protected mode, integer mix), P6, "
        << kCpuGuestMemoryMib << " MiB\n"
        << "  guest instructions (Lantern's retired count): " << n_short << " iterations = "
        << c_short.instructions << ", " << n_long << " iterations = " << c_long.instructions << " ("
        << fmt(delta_insns / static_cast<double>(n_long - n_short), 2) << " per iteration)\n"
        << "  checksum line: " << c_long.debugcon << "\n";

    const fs::path rom_short = dir / "cpubound_short.bin", rom_long = dir / "cpubound_long.bin";
    write_file(rom_short, cpubound_image(n_short));
    write_file(rom_long, cpubound_image(n_long));

    std::vector<Engine> engines;
    const std::vector<std::string> lantern_run = {self, "run", "--headless", "--machine", "bare", "--cpu", "p6",
                                                  "--memory", std::to_string(kCpuGuestMemoryMib), "--debugcon",
                                                  "stdio", "--bios"};
    engines.push_back({"lantern", lantern_run});
    auto no_cache = lantern_run;
    no_cache.insert(no_cache.begin() + 2, "--no-block-cache");
    engines.push_back({"lantern --no-block-cache", no_cache});
    std::vector<std::string> skipped;
    const auto bochs = find_program("bochs");
    const bool bochs_bios = fs::exists("/usr/share/vgabios/vgabios.bin");
    if (req.bochs && bochs && bochs_bios) {
        // Debian's Bochs has the internal debugger compiled in: `-rc` feeds it "c" (continue).
        std::ofstream(dir / "bochs_commands") << "c\n";
        engines.push_back({"bochs (Debian)", {*bochs, "-q", "-rc", (dir / "bochs_commands").string(), "-f"}});
    } else if (req.bochs) {
        skipped.push_back(std::string("bochs: not installed (apt-get install bochs bochsbios vgabios)"));
    }
    const auto qemu = find_program("qemu-system-i386");
    if (req.qemu && qemu) {
        engines.push_back({"qemu-system-i386 -accel tcg",
                           {*qemu, "-accel", "tcg", "-M", "pc", "-cpu", "pentium3", "-m",
                            std::to_string(kCpuGuestMemoryMib), "-display", "none", "-nodefaults", "-no-reboot",
                            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-debugcon", "stdio", "-bios"}});
    } else if (req.qemu) {
        skipped.push_back("qemu: not installed (apt-get install qemu-system-x86)");
    }

    std::vector<EngineRun> runs;
    for (const Engine& e : engines) {
        EngineRun run;
        run.name = e.name;
        double secs[2] = {0, 0};
        bool ok = true;
        for (int which = 0; which < 2 && ok; ++which) {
            const fs::path& rom = which == 0 ? rom_short : rom_long;
            std::vector<std::string> argv = e.argv;
            if (e.name.rfind("bochs", 0) == 0) {
                const fs::path rc = dir / (which == 0 ? "bochsrc_short" : "bochsrc_long");
                std::ofstream(rc) << bochsrc(rom, kCpuGuestMemoryMib);
                argv.push_back(rc.string());
            } else {
                argv.push_back(rom.string());
            }
            const ChildResult c = run_child(argv, dir / "child.log", req.quick ? 120 : 600);
            const std::string& expect = which == 0 ? c_short.debugcon : c_long.debugcon;
            if (!c.started || c.timed_out || c.output.find(expect) == std::string::npos) {
                ok = false;
                run.why = c.timed_out ? "timed out"
                                      : "did not print the guest's checksum " + expect + " (exit " +
                                            std::to_string(c.exit_status) + "): " + first_line(c.output);
                break;
            }
            // CPU time, not wall time, makes the slope: a shared machine's load stretches wall
            // time but hardly the CPU time a run needs.
            secs[which] = c.cpu_seconds;
            if (which == 1) run.long_wall_s = c.seconds;
            run.peak_mib = std::max(run.peak_mib, c.peak_rss_mib);
        }
        run.ok = ok && secs[1] > secs[0];
        if (ok && !run.ok) run.why = "the long run was not slower than the short one: raise --iterations";
        run.short_s = secs[0];
        run.long_s = secs[1];
        if (run.ok) run.mips = delta_insns / (secs[1] - secs[0]) / 1e6;
        if (!run.ok && e.name.rfind("lantern", 0) == 0) status = to_int(ExitStatus::InternalError);
        runs.push_back(run);
    }

    out << "\n  " << std::left << std::setw(30) << "emulator" << std::right << std::setw(11) << "short cpu s"
        << std::setw(11) << "long cpu s" << std::setw(11) << "long wall s" << std::setw(10) << "MIPS" << std::setw(14)
        << "peak RSS MiB" << std::setw(12) << "Lantern is" << "\n";
    const double lantern_mips = runs.empty() ? 0 : runs[0].mips;
    for (const EngineRun& r : runs) {
        out << "  " << std::left << std::setw(30) << r.name << std::right;
        if (!r.ok) {
            out << "  failed: " << r.why << "\n";
            continue;
        }
        out << std::setw(11) << fmt(r.short_s, 3) << std::setw(11) << fmt(r.long_s, 3) << std::setw(11)
            << fmt(r.long_wall_s, 3) << std::setw(10) << fmt(r.mips, 1) << std::setw(14) << fmt(r.peak_mib, 1) << std::setw(11)
            << (r.mips > 0 ? fmt(lantern_mips / r.mips, 2) : "-") << "x\n";
    }
    for (const std::string& s : skipped) out << "  " << s << "\n";
    out << "  (MIPS = the long run's extra instructions over its extra CPU time (user + system, all threads);\n"
           "   peak RSS and times from wait4. \"Lantern is\" = Lantern's MIPS over that emulator's.)\n";

    // ---- 2. Linux 6.1 686 to a busybox shell ----
    if (req.quick || !req.linux_boot) {
        out << "\nLinux boot: skipped (" << (req.quick ? "--quick" : "--no-linux") << ")\n";
        return status;
    }
    const fs::path gdir = guest_dir(req);
    const fs::path kernel = gdir / "vmlinuz-686", busybox = gdir / "busybox";
    out << "\nLinux boot (Debian 686 kernel, busybox initramfs written by the bench), to the shell's first line on "
           "COM1, "
        << kLinuxMemoryMib << " MiB:\n";
    if (!fs::exists(kernel) || !fs::exists(busybox)) {
        out << "  skipped: no vmlinuz-686 and busybox in " << gdir.string() << " (run .ci/fetch-guests)\n";
        return status;
    }
    const fs::path initrd = dir / "initramfs.cpio";
    {
        const std::string cpio = make_initramfs(read_text(busybox));
        std::ofstream(initrd, std::ios::binary).write(cpio.data(), static_cast<std::streamsize>(cpio.size()));
    }
    // cryptomgr.notests: the kernel's crypto self-tests (software RSA/DH) cost Lantern over 3
    // billion cycles and test the kernel, not the machine; every emulator gets the same line.
    const std::string append = "console=ttyS0 panic=-1 rdinit=/init cryptomgr.notests";
    auto report = [&](const std::string& name, const ChildResult& c, const std::string& serial_log) {
        out << "  " << std::left << std::setw(30) << name << std::right;
        if (c.marker_seen || (c.output + read_text(serial_log)).find(kShellMarker) != std::string::npos) {
            out << fmt(c.seconds, 2) << " s to the shell, peak RSS " << fmt(c.peak_rss_mib, 1) << " MiB\n";
            return true;
        }
        std::string last = read_text(serial_log);
        if (last.empty()) last = c.output;
        while (!last.empty() && (last.back() == '\n' || last.back() == '\r')) last.pop_back();
        const std::size_t nl = last.find_last_of('\n');
        if (nl != std::string::npos) last = last.substr(nl + 1);
        out << "not yet bootable (" << (c.timed_out ? "no shell after " + fmt(c.seconds, 0) + " s" : "exit " + std::to_string(c.exit_status))
            << "; last output: " << (last.empty() ? "none" : last.substr(0, 100)) << ")\n";
        return false;
    };
    {
        const fs::path serial = dir / "lantern_serial.log";
        const ChildResult c = run_child({self, "run", "--headless", "--cpu", "p6", "--memory",
                                         std::to_string(kLinuxMemoryMib), "--kernel", kernel.string(), "--initrd",
                                         initrd.string(), "--append", append, "--serial", "file:" + serial.string(),
                                         "--until-serial", std::string(kShellMarker), "--debugcon", "none"},
                                        dir / "lantern_linux.log", req.linux_timeout_s, serial, kShellMarker);
        report("lantern", c, serial.string());
    }
    if (req.qemu && qemu) {
        const fs::path serial = dir / "qemu_serial.log";
        const ChildResult c = run_child({*qemu, "-accel", "tcg", "-M", "pc", "-cpu", "pentium3", "-m",
                                         std::to_string(kLinuxMemoryMib), "-kernel", kernel.string(), "-initrd",
                                         initrd.string(), "-append", append, "-display", "none", "-nodefaults",
                                         "-no-reboot", "-serial", "file:" + serial.string()},
                                        dir / "qemu_linux.log", req.linux_timeout_s, serial, kShellMarker);
        report("qemu-system-i386 -accel tcg", c, serial.string());
    }
    if (req.bochs && bochs)
        out << "  " << std::left << std::setw(30) << "bochs (Debian)" << std::right
            << "not run: Bochs has no direct kernel boot; it needs a boot disk with a loader\n";
    return status;
}

}  // namespace lantern
