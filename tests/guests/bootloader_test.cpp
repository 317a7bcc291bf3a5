// Real bootloaders from Debian's packages on the Lantern BIOS (issue 5): SYSLINUX and GRUB 2 from
// a hard disk, ISOLINUX and GRUB 2 (grub-mkrescue) from El Torito CDs. Each shows its menu on the
// VGA text screen, boots on its own after the menu's timeout, and hands Debian's 686 kernel over:
// its setup code and decompressor run and print on COM1, and the header holds the command line
// and the initrd. One longer test follows the kernel from GRUB until Linux itself prints.
//
// The images are built at test time by make_boot_images.sh (the ctest fixture
// guests.boot_images) into LANTERN_BOOT_IMAGE_DIR; a test whose image is absent says why and
// skips. What the kernel does after "Linux version" is the CPU/Linux work's business: these tests
// report how far it got, and check only what the bootloader's handover decides (the command
// line and the initrd the kernel was given).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tests/guests/guest_rig.h"

using namespace lantern;
using namespace lantern::test;

namespace {

// Budgets, in instructions. The menus come up within 35-65 million and boot after their 2-second
// timeouts; the decompressor starts 50-150 million later; it (xz, 5.5 MB into the kernel's ~15 MB)
// is the long part: Linux prints its banner at about 2.4 billion.
constexpr std::uint64_t kMenuBudget = 200'000'000;
constexpr std::uint64_t kSetupBudget = 300'000'000;
constexpr std::uint64_t kKernelBudget = 3'000'000'000;
constexpr std::uint64_t kKernelEarlyBudget = 300'000'000;

// The bootloader's command line, as make_boot_images.sh writes it into each configuration.
constexpr std::string_view kCmdline = "console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 nokaslr";

std::string image_path(const char* name) {
    const std::filesystem::path p = std::filesystem::path(LANTERN_BOOT_IMAGE_DIR) / name;
    return std::filesystem::exists(p) ? p.string() : std::string{};
}

GuestOptions options_for_disk(const std::string& hd) {
    GuestOptions o;
    o.memory_mib = 64;  // room for the decompressed kernel above the bootloader's initrd
    o.board.hard_disk = hd;
    o.board.boot_order = {CmosBootDevice::HardDisk, CmosBootDevice::Floppy, CmosBootDevice::CdRom};
    return o;
}

GuestOptions options_for_cd(const std::string& iso) {
    GuestOptions o;
    o.memory_mib = 64;
    o.board.cdrom = iso;
    o.board.boot_order = {CmosBootDevice::CdRom, CmosBootDevice::HardDisk, CmosBootDevice::Floppy};
    return o;
}

void report(GuestRig& rig, const std::string& what) {
    MESSAGE(what << ": " << rig.instructions() << " instructions, " << rig.virtual_seconds()
                 << " virtual s, " << rig.host_seconds() << " host s, last stop "
                 << machine_stop_name(rig.last_result().reason));
}

// What the bootloader wrote into the kernel's real-mode header before jumping to it (Linux
// Documentation/arch/x86/boot.rst, "The real-mode kernel header": offsets from the start of the
// real-mode kernel, or of the zero page a 32-bit loader builds).
struct Handover {
    std::uint32_t header_at = 0;  // linear address of the real-mode kernel (or zero page)
    std::uint16_t protocol = 0;   // 0x206 "version"
    std::uint8_t type_of_loader = 0;  // 0x210: high nibble = the loader's id (3 SYSLINUX, 7 GRUB)
    std::uint32_t ramdisk_image = 0, ramdisk_size = 0;  // 0x218, 0x21C
    std::uint32_t initrd_addr_max = 0;                  // 0x22C, the kernel's own limit
    std::string cmdline{};        // at cmd_line_ptr (0x228), at most cmdline_size (0x238) bytes
    bool initrd_intact = false;   // ramdisk_image..+size holds make_boot_images.sh's initrd
};

std::uint32_t le32(std::span<const std::uint8_t> m, std::size_t at) {
    return m[at] | (m[at + 1] << 8) | (m[at + 2] << 16) | (static_cast<std::uint32_t>(m[at + 3]) << 24);
}

std::optional<Handover> find_handover(GuestRig& rig, const std::vector<std::uint8_t>& initrd) {
    const std::span<const std::uint8_t> ram = rig.machine().ram();
    // "HdrS" at 0x202, a protocol of 2.06 or later, and a command line pointer the loader filled
    // in (the kernel file has 0 there). A real-mode loader leaves the header at a paragraph below
    // 640 KiB; a 32-bit one (GRUB) builds a zero page wherever it likes (and leaves the boot flag
    // at 0x1FE zero), so all of RAM is searched, byte by byte.
    for (std::uint32_t at = 0; at + 0x400 <= ram.size(); ++at) {
        if (le32(ram, at + 0x202) != 0x53726448) continue;  // "HdrS"
        Handover h;
        h.header_at = at;
        h.protocol = static_cast<std::uint16_t>(ram[at + 0x206] | (ram[at + 0x207] << 8));
        if (h.protocol < 0x206) continue;
        if (le32(ram, at + 0x228) == 0) continue;
        h.type_of_loader = ram[at + 0x210];
        h.ramdisk_image = le32(ram, at + 0x218);
        h.ramdisk_size = le32(ram, at + 0x21C);
        h.initrd_addr_max = le32(ram, at + 0x22C);
        const std::uint32_t cmd = le32(ram, at + 0x228);
        const std::uint32_t cmd_max = std::min<std::uint32_t>(le32(ram, at + 0x238), 4096);
        for (std::uint32_t i = 0; i < cmd_max && cmd + i < ram.size() && ram[cmd + i]; ++i)
            h.cmdline.push_back(static_cast<char>(ram[cmd + i]));
        h.initrd_intact = h.ramdisk_size == initrd.size() && h.ramdisk_image < ram.size() &&
                          ram.size() - h.ramdisk_image >= initrd.size() &&
                          std::equal(initrd.begin(), initrd.end(), ram.begin() + h.ramdisk_image);
        return h;
    }
    return std::nullopt;
}

std::string hex(std::uint32_t v) {
    char buf[12];
    std::snprintf(buf, sizeof buf, "%X", v);
    return buf;
}

std::vector<std::uint8_t> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The menu is up; then (no key pressed) the timeout boots the kernel. The handover shows on COM1
// in two steps: the kernel's real-mode setup code runs (it probes EDD and prints through the
// BIOS, and to the serial port console=ttyS0 names) — unless the loader uses the 32-bit boot
// protocol, as GRUB 2's `linux` does on i386-pc (boot.rst "32-bit Boot Protocol": it fills the
// zero page itself and jumps to code32_start) — then the decompressor starts in protected
// mode (Debian's 686 kernel is built without CONFIG_X86_VERBOSE_BOOTUP: the one line it prints is
// its answer to the "nokaslr" it found in the bootloader's command line). What the bootloader
// wrote into the kernel's header is then checked in memory: the loader's id, the command line,
// and the initrd, byte for byte where the header says it is.
enum class Entry { RealMode, ProtectedMode };

void check_handover(GuestRig& rig, const char* name, std::uint8_t loader_id, Entry entry) {
    if (entry == Entry::RealMode) {
        const bool setup = rig.run_until_serial("Probing EDD", kSetupBudget);
        report(rig, std::string(name) + ", kernel setup code");
        if (!setup) MESSAGE("screen:\n" << rig.screen() << "\nCOM1:\n" << rig.serial());
        REQUIRE(setup);
    }

    const bool decompressor = rig.run_until_serial("KASLR disabled: 'nokaslr' on cmdline.", kSetupBudget);
    report(rig, std::string(name) + ", decompressor");
    if (!decompressor) MESSAGE("COM1:\n" << rig.serial());
    REQUIRE(decompressor);

    const std::vector<std::uint8_t> initrd = read_file(image_path("initrd.img"));
    REQUIRE(!initrd.empty());
    const std::optional<Handover> h = find_handover(rig, initrd);
    REQUIRE(h.has_value());
    MESSAGE(std::string(name) << " left the kernel header at 0x" << hex(h->header_at) << ", loader type 0x"
                              << hex(h->type_of_loader) << ", initrd at 0x" << hex(h->ramdisk_image) << " ("
                              << h->ramdisk_size << " bytes), command line \"" << h->cmdline << "\"");
    CHECK((h->type_of_loader >> 4) == loader_id);
    CHECK(h->cmdline.find(kCmdline) != std::string::npos);
    CHECK(h->initrd_intact);
    // The initrd lies in the RAM above 1 MiB the E820 map calls usable, and below the kernel's
    // initrd_addr_max.
    CHECK(h->ramdisk_image >= 0x100000);
    CHECK(h->ramdisk_image + h->ramdisk_size <= rig.machine().ram().size());
    CHECK(h->ramdisk_image + h->ramdisk_size - 1 <= h->initrd_addr_max);
}

// The kernel proper then starts: its banner, and the command line and initrd it was handed
// ("Kernel command line:", "RAMDISK: [mem ...]", both from setup_arch/start_kernel).
void check_kernel_starts(GuestRig& rig, const char* name) {
    const bool linux_started = rig.run_until_serial("Linux version 6.1", kKernelBudget);
    report(rig, std::string(name) + ", kernel started");
    if (!linux_started) MESSAGE("COM1:\n" << rig.serial());
    REQUIRE(linux_started);

    const bool cmdline = rig.run_until_serial("Kernel command line:", kKernelEarlyBudget);
    report(rig, std::string(name) + ", command line");
    if (!cmdline) MESSAGE("COM1:\n" << rig.serial());
    REQUIRE(cmdline);
    const std::string& out = rig.serial();
    const auto at = out.find("Kernel command line:");
    CHECK(out.find(kCmdline, at) != std::string::npos);
    CHECK(out.find("RAMDISK: [mem ") != std::string::npos);
}

// Boots an image to its menu (`menu_text` on the screen).
bool boot_to_menu(GuestRig& rig, const char* name, std::string_view menu_text) {
    const bool menu = rig.run_until_screen(menu_text, kMenuBudget);
    report(rig, std::string(name) + " menu");
    if (!menu) MESSAGE("screen:\n" << rig.screen() << "\nCOM1:\n" << rig.serial());
    return menu;
}

// An image make_boot_images.sh did not build (it skipped: a package or the guests are missing)
// skips its test, with the reason printed.
bool have_image(const std::string& path, const char* name) {
    if (!path.empty()) return true;
    MESSAGE("skipped: no " << std::string(name) << " in " LANTERN_BOOT_IMAGE_DIR
            " (make_boot_images.sh skipped it: see guests.boot_images for which package or guest is missing)");
    return false;
}

// The same images under SeaBIOS instead of Lantern's BIOS (issue 5: "the same guests boot with
// SeaBIOS"). SeaBIOS takes its boot order from the CMOS as on QEMU without fw_cfg; the board
// gives the VGA function Debian's vgabios-stdvga.bin as its expansion ROM.
bool use_seabios(GuestOptions& o) {
    constexpr const char* kSeabios = "/usr/share/seabios/bios.bin";
    std::vector<std::uint8_t> bios = read_file(kSeabios);
    if (bios.empty()) {
        MESSAGE("skipped: " << kSeabios << " is absent (Debian package seabios)");
        return false;
    }
    o.bios = std::move(bios);
    return true;
}

}  // namespace

TEST_SUITE("bootloaders") {
    TEST_CASE("SYSLINUX from a hard disk: its menu, then the handover to Debian's kernel") {
        const std::string hd = image_path("syslinux-hd.img");
        if (!have_image(hd, "syslinux-hd.img")) return;
        GuestRig rig(options_for_disk(hd));
        REQUIRE(boot_to_menu(rig, "SYSLINUX", "Debian 686 kernel via SYSLINUX"));
        CHECK(rig.screen().find("Lantern SYSLINUX test") != std::string::npos);
        check_handover(rig, "SYSLINUX", 0x3, Entry::RealMode);
    }

    TEST_CASE("GRUB 2 from a hard disk: its menu, then the handover to Debian's kernel") {
        const std::string hd = image_path("grub-hd.img");
        if (!have_image(hd, "grub-hd.img")) return;
        GuestRig rig(options_for_disk(hd));
        REQUIRE(boot_to_menu(rig, "GRUB", "Debian 686 kernel via GRUB"));
        CHECK(rig.screen().find("GNU GRUB") != std::string::npos);
        check_handover(rig, "GRUB", 0x7, Entry::ProtectedMode);
    }

    TEST_CASE("ISOLINUX from an El Torito CD: its prompt, then the handover to Debian's kernel") {
        const std::string iso = image_path("isolinux.iso");
        if (!have_image(iso, "isolinux.iso")) return;
        GuestRig rig(options_for_cd(iso));
        REQUIRE(boot_to_menu(rig, "ISOLINUX", "Lantern ISOLINUX test"));
        CHECK(rig.run_until_screen("boot:", 10'000'000));
        check_handover(rig, "ISOLINUX", 0x3, Entry::RealMode);
    }

    TEST_CASE("GRUB 2 from an El Torito CD (grub-mkrescue): its menu, then the handover") {
        const std::string iso = image_path("grub-cd.iso");
        if (!have_image(iso, "grub-cd.iso")) return;
        GuestRig rig(options_for_cd(iso));
        REQUIRE(boot_to_menu(rig, "GRUB (CD)", "Debian 686 kernel via GRUB from CD"));
        CHECK(rig.screen().find("GNU GRUB") != std::string::npos);
        check_handover(rig, "GRUB (CD)", 0x7, Entry::ProtectedMode);
    }

    TEST_CASE("SYSLINUX from a hard disk under SeaBIOS: its menu, then the handover") {
        const std::string hd = image_path("syslinux-hd.img");
        if (!have_image(hd, "syslinux-hd.img")) return;
        GuestOptions o = options_for_disk(hd);
        if (!use_seabios(o)) return;
        GuestRig rig(std::move(o));
        REQUIRE(boot_to_menu(rig, "SYSLINUX (SeaBIOS)", "Debian 686 kernel via SYSLINUX"));
        check_handover(rig, "SYSLINUX (SeaBIOS)", 0x3, Entry::RealMode);
    }

    TEST_CASE("ISOLINUX from an El Torito CD under SeaBIOS: its prompt, then the handover") {
        const std::string iso = image_path("isolinux.iso");
        if (!have_image(iso, "isolinux.iso")) return;
        GuestOptions o = options_for_cd(iso);
        if (!use_seabios(o)) return;
        GuestRig rig(std::move(o));
        REQUIRE(boot_to_menu(rig, "ISOLINUX (SeaBIOS)", "Lantern ISOLINUX test"));
        check_handover(rig, "ISOLINUX (SeaBIOS)", 0x3, Entry::RealMode);
    }

    // The long one: the same kernel, from a disk through a bootloader, until it runs as Linux.
    TEST_CASE("Debian's kernel from a hard disk through GRUB 2: Linux starts") {
        const std::string hd = image_path("grub-hd.img");
        if (!have_image(hd, "grub-hd.img")) return;
        GuestRig rig(options_for_disk(hd));
        REQUIRE(boot_to_menu(rig, "GRUB", "Debian 686 kernel via GRUB"));
        check_handover(rig, "GRUB", 0x7, Entry::ProtectedMode);
        check_kernel_starts(rig, "GRUB");
    }
}
