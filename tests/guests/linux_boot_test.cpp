// Debian's i386 "686" Linux 6.1 kernel, booted through the Linux boot protocol (--kernel style)
// after our BIOS's POST, with a busybox initramfs built here, to a shell on COM1 that answers
// commands sent down the serial line. Plus the loader's refusals (not a bzImage, too little RAM).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "devices/pc/linux_boot.h"
#include "devices/storage/block_device.h"
#include "tests/guests/guest_rig.h"

using namespace lantern;
using namespace lantern::test;

namespace {

// A "newc" cpio archive, the format the kernel unpacks into its rootfs (Documentation/
// driver-api/early-userspace/buffer-format.rst): a 110-byte ASCII header of 13 8-digit hex fields
// per entry, the name, the data, each padded to 4 bytes, and a "TRAILER!!!" entry at the end.
class CpioWriter {
public:
    void dir(const std::string& name) { entry(name, 0040755, {}, 0, 0); }
    void file(const std::string& name, const std::vector<std::uint8_t>& data, unsigned mode = 0100755) {
        entry(name, mode, data, 0, 0);
    }
    void text(const std::string& name, const std::string& body) {
        file(name, std::vector<std::uint8_t>(body.begin(), body.end()));
    }
    void symlink(const std::string& name, const std::string& target) {
        entry(name, 0120777, std::vector<std::uint8_t>(target.begin(), target.end()), 0, 0);
    }
    void char_device(const std::string& name, unsigned major, unsigned minor) {
        entry(name, 0020600, {}, major, minor);
    }
    std::vector<std::uint8_t> finish() {
        entry("TRAILER!!!", 0, {}, 0, 0);
        return std::move(out_);
    }

private:
    void entry(const std::string& name, unsigned mode, const std::vector<std::uint8_t>& data, unsigned rmajor,
               unsigned rminor) {
        char header[111];
        std::snprintf(header, sizeof header, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X", ++ino_,
                      mode, 0u, 0u, (mode & 0170000) == 0040000 ? 2u : 1u, 0u, static_cast<unsigned>(data.size()),
                      0u, 0u, rmajor, rminor, static_cast<unsigned>(name.size() + 1), 0u);
        out_.insert(out_.end(), header, header + 110);
        out_.insert(out_.end(), name.begin(), name.end());
        out_.push_back(0);
        pad();
        out_.insert(out_.end(), data.begin(), data.end());
        pad();
    }
    void pad() {
        while (out_.size() % 4) out_.push_back(0);
    }
    std::vector<std::uint8_t> out_{};
    unsigned ino_ = 0;
};

std::vector<std::uint8_t> read_binary(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// /init mounts proc and sys, prints a marker and runs an interactive shell on the console.
std::vector<std::uint8_t> busybox_initramfs(const std::string& busybox) {
    CpioWriter cpio;
    for (const char* d : {"bin", "dev", "proc", "sys", "tmp"}) cpio.dir(d);
    cpio.file("bin/busybox", read_binary(busybox));
    cpio.symlink("bin/sh", "busybox");
    cpio.char_device("dev/console", 5, 1);  // Documentation/admin-guide/devices.txt
    cpio.char_device("dev/ttyS0", 4, 64);
    cpio.text("init",
              "#!/bin/sh\n"
              "/bin/busybox --install -s /bin\n"
              "export PATH=/bin\n"
              "mount -t proc proc /proc\n"
              "mount -t sysfs sysfs /sys\n"
              "echo LANTERN-INIT-OK\n"
              "export PS1='lantern# '\n"
              "exec sh\n");
    return cpio.finish();
}

std::string write_temp(const std::string& name, const std::vector<std::uint8_t>& data) {
    const auto path = std::filesystem::temp_directory_path() / name;
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    return path.string();
}

// The smallest bzImage the loader accepts: a boot sector with the setup header (protocol 2.15),
// one setup sector whose entry (file offset 0x200, a short jump over the header as in a real
// kernel) writes port 0xF4 so the run stops right there, and `pm_bytes` of protected-mode "kernel".
std::vector<std::uint8_t> tiny_bzimage(std::size_t pm_bytes) {
    std::vector<std::uint8_t> k(1024 + pm_bytes, 0);
    const auto put32 = [&](std::size_t at, std::uint32_t v) {
        for (int i = 0; i < 4; ++i) k[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
    };
    k[0x1F1] = 1;                 // setup_sects
    k[0x1FE] = 0x55;
    k[0x1FF] = 0xAA;
    k[0x200] = 0xEB;              // jmp short 0x268
    k[0x201] = 0x66;
    put32(0x202, 0x53726448);     // "HdrS"
    k[0x206] = 0x0F;              // version 2.15
    k[0x207] = 0x02;
    k[0x211] = 0x01;              // LOADED_HIGH
    put32(0x214, 0x100000);       // code32_start
    put32(0x22C, 0x7FFFFFFF);     // initrd_addr_max
    put32(0x238, 2047);           // cmdline_size
    put32(0x258, 0x100000);       // pref_address
    put32(0x260, 0x20000);        // init_size
    k[0x268] = 0xE6;              // out 0xF4, al
    k[0x269] = 0xF4;
    k[0x26A] = 0xF4;              // hlt
    for (std::size_t i = 0; i < pm_bytes; ++i) k[1024 + i] = static_cast<std::uint8_t>(i * 7 + 1);
    return k;
}

}  // namespace

TEST_SUITE("linux_boot") {
    TEST_CASE("The BIOS enters a bzImage's setup the way the boot protocol says") {
        const std::vector<std::uint8_t> kernel = tiny_bzimage(8192);
        std::vector<std::uint8_t> initrd(10000);
        for (std::size_t i = 0; i < initrd.size(); ++i) initrd[i] = static_cast<std::uint8_t>(i ^ 0x5A);
        GuestOptions o;  // the P6's default 32 MiB
        o.board.linux_boot = {write_temp("lantern_tiny_bzimage.bin", kernel), write_temp("lantern_tiny_initrd.bin", initrd),
                              "console=ttyS0 hello"};
        GuestRig rig(o);
        rig.run_until([] { return false; }, 300'000'000);
        REQUIRE(rig.last_result().reason == MachineStop::DebugExit);
        CHECK(rig.serial().empty());
        const CpuState& s = rig.machine().interpreter().state();
        // boot.rst, "Running the kernel": CS = segment + 0x20, DS = ES = SS = segment, SP = the end
        // of the heap (heap_end_ptr + 0x200), interrupts off. The OUT is the instruction at 0x68.
        CHECK(s.segment(Seg::CS).selector == 0x1020);
        CHECK(s.eip == 0x6A);
        CHECK(s.segment(Seg::DS).selector == 0x1000);
        CHECK(s.segment(Seg::ES).selector == 0x1000);
        CHECK(s.segment(Seg::SS).selector == 0x1000);
        CHECK(s.reg16(Reg::SP) == 0x0000);  // 0x10000: the top of the 64 KiB
        CHECK((s.eflags & flag::IF) == 0);
        CHECK((s.cr[0] & 1) == 0);

        const auto ram = rig.machine().ram();
        const auto rd32 = [&](std::uint32_t a) {
            return std::uint32_t(ram[a]) | std::uint32_t(ram[a + 1]) << 8 | std::uint32_t(ram[a + 2]) << 16 |
                   std::uint32_t(ram[a + 3]) << 24;
        };
        // The header the kernel reads back (boot.rst, "Details of header fields").
        CHECK(ram[0x10000 + 0x210] == 0xFF);                 // type_of_loader: undefined
        CHECK(ram[0x10000 + 0x211] == 0x81);                 // LOADED_HIGH | CAN_USE_HEAP
        CHECK((rd32(0x10000 + 0x224) & 0xFFFF) == 0xFE00);   // heap_end_ptr
        CHECK(rd32(0x10000 + 0x228) == 0x20000);             // cmd_line_ptr
        const std::uint32_t initrd_at = rd32(0x10000 + 0x218);
        CHECK(rd32(0x10000 + 0x21C) == initrd.size());
        CHECK(initrd_at % 4096 == 0);
        CHECK(initrd_at + initrd.size() <= (32u << 20));
        CHECK(initrd_at + initrd.size() > (32u << 20) - 4096);  // as high as it goes
        CHECK(std::equal(initrd.begin(), initrd.end(), ram.begin() + initrd_at));
        CHECK(std::equal(kernel.begin() + 1024, kernel.end(), ram.begin() + 0x100000));
        CHECK(std::equal(kernel.begin() + 0x268, kernel.begin() + 1024, ram.begin() + 0x10268));
        const std::string cmdline(reinterpret_cast<const char*>(&ram[0x20000]));
        CHECK(cmdline == "console=ttyS0 hello");
    }

    TEST_CASE("The loader refuses what it cannot boot, in one sentence") {
        const std::string not_kernel = write_temp("lantern_not_a_kernel.bin", std::vector<std::uint8_t>(4096, 0x90));
        PcBoardConfig board;
        board.linux_boot.kernel = not_kernel;
        GuestOptions o;
        o.board = board;
        CHECK_THROWS_WITH_AS(GuestRig{o}, doctest::Contains("is not a Linux bzImage"), DiskImageError);
        o.board.linux_boot.kernel = "/nonexistent/vmlinuz";
        CHECK_THROWS_WITH_AS(GuestRig{o}, doctest::Contains("cannot open the kernel"), DiskImageError);

        const std::string dir = guest_dir();
        if (dir.empty()) {
            MESSAGE("skipped the RAM check: no vmlinuz-686 (run .ci/fetch-guests)");
            return;
        }
        o.board.linux_boot.kernel = dir + "/vmlinuz-686";
        o.memory_mib = 16;  // it decompresses at 16 MiB: cannot fit
        CHECK_THROWS_WITH_AS(GuestRig{o}, doctest::Contains("MiB of RAM"), DiskImageError);
    }

    TEST_CASE("Debian's 686 kernel boots to a busybox shell on COM1") {
        const std::string dir = guest_dir();
        if (dir.empty()) {
            MESSAGE("skipped: no vmlinuz-686 and busybox (run .ci/fetch-guests)");
            return;
        }
        GuestOptions o;
        o.memory_mib = 64;
        o.board.linux_boot.kernel = dir + "/vmlinuz-686";
        o.board.linux_boot.initrd = write_temp("lantern_busybox_initramfs.cpio", busybox_initramfs(dir + "/busybox"));
        const char* extra = std::getenv("LANTERN_LINUX_APPEND");
        // cryptomgr.notests: the kernel's crypto self-tests (RSA and Diffie-Hellman modular
        // exponentiation in software) cost over 3 billion cycles at boot and test the kernel's own
        // code, not the machine; LANTERN_LINUX_APPEND adds options while debugging (earlyprintk=serial).
        o.board.linux_boot.cmdline = std::string("console=ttyS0 cryptomgr.notests ") + (extra ? extra : "");
        GuestRig rig(o);

        const bool booted = rig.run_until_serial("lantern# ", 10'000'000'000);
        MESSAGE("boot: " << rig.instructions() << " instructions, " << rig.virtual_seconds() << " s virtual, "
                         << rig.host_seconds() << " s host; stop: " << machine_stop_name(rig.last_result().reason));
        if (!booted) MESSAGE(rig.serial());
        REQUIRE(booted);
        CHECK(rig.serial().find("LANTERN-INIT-OK") != std::string::npos);

        rig.send_serial("uname -r; cat /proc/cpuinfo | grep flags; echo DONE-$((6*7))\n");
        const bool answered = rig.run_until_serial("DONE-42", 500'000'000);
        MESSAGE("total: " << rig.instructions() << " instructions, " << rig.virtual_seconds() << " s virtual, "
                          << rig.host_seconds() << " s host");
        const std::string& out = rig.serial();
        const std::string answer = out.substr(out.rfind("uname -r"));
        if (!answered) MESSAGE(answer);
        REQUIRE(answered);
        CHECK(answer.find("\n6.1.") != std::string::npos);
        CHECK(answer.find("-686") != std::string::npos);
        const auto flags = answer.find("flags\t");
        REQUIRE(flags != std::string::npos);
        const std::string flag_line = answer.substr(flags, answer.find('\n', flags) - flags);
        for (const char* f : {" fpu", " tsc", " cx8", " cmov", " pge", " sep"})
            CHECK_MESSAGE(flag_line.find(f) != std::string::npos, flag_line << " lacks" << f);
    }
}
