// SeaBIOS (Debian's /usr/share/seabios/bios.bin) on Lantern's board: real third-party firmware on
// the i440FX/PIIX3/PIIX4 machine, with no QEMU fw_cfg. It has to find what a PC firmware finds on
// real hardware: the RAM size in the CMOS, the PCI functions (it programs the PIRQ routing, the
// ELCR, the PM base, the BARs and the VGA's expansion ROM), shadow RAM through the PAM registers,
// the timer, RTC, keyboard, floppy with DMA and ATA. Each test skips with a printed reason when
// the seabios package or the guest image is absent.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tests/guests/guest_rig.h"

using namespace lantern;
using namespace lantern::test;

namespace {

constexpr const char* kSeabios = "/usr/share/seabios/bios.bin";

std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// SeaBIOS as the firmware; empty (and a printed reason) when the package is not installed.
bool seabios_options(GuestOptions& o) {
    if (!std::filesystem::exists(kSeabios) || !std::filesystem::exists(kSeabiosStdVgaBios)) {
        MESSAGE("skipped: " << kSeabios << " or " << kSeabiosStdVgaBios << " is absent (Debian package seabios)");
        return false;
    }
    o.bios = read_bytes(kSeabios);
    return true;
}

void report(GuestRig& rig, const std::string& what) {
    MESSAGE(what << ": " << rig.instructions() << " instructions, " << rig.virtual_seconds()
                 << " virtual s, " << rig.host_seconds() << " host s");
}

}  // namespace

TEST_SUITE("seabios") {
    TEST_CASE("SeaBIOS prints its banner and finds no bootable device") {
        GuestOptions o;
        if (!seabios_options(o)) return;
        GuestRig rig(std::move(o));
        const bool banner = rig.run_until_firmware_log("SeaBIOS (version", 50'000'000);
        const bool none = rig.run_until([&] { return rig.screen().find("No bootable device") != std::string::npos; },
                                        400'000'000);
        MESSAGE("log:\n" << rig.firmware_log());
        MESSAGE("screen:\n" << rig.screen());
        report(rig, "no disk");
        CHECK(banner);
        CHECK(none);
        CHECK(rig.screen().find("SeaBIOS (version") != std::string::npos);
        // It found the board's devices the way it finds them on a PC: the RAM size in the CMOS,
        // the VGA BIOS in the VGA function's expansion ROM, the PM timer in the PIIX4's I/O block.
        CHECK(rig.firmware_log().find("RamSize: 0x02000000 [cmos]") != std::string::npos);
        CHECK(rig.firmware_log().find("Start SeaVGABIOS") != std::string::npos);
        CHECK(rig.firmware_log().find("Using pmtimer") != std::string::npos);
    }

    TEST_CASE("SeaBIOS boots FreeDOS from a 720K diskette to the prompt") {
        GuestOptions o;
        if (!seabios_options(o)) return;
        const std::string image = std::string(LANTERN_SHARED_DIR) + "/images/freedos722.img";
        if (!std::filesystem::exists(image)) {
            MESSAGE("skipped: " << image << " is absent");
            return;
        }
        o.board.floppy_a = image;
        // SeaBIOS polls while the drive turns (Lantern's BIOS halts): with the real 300 RPM the
        // boot is 34 virtual seconds and ~800 million instructions, too long for the test budget,
        // so the drive's mechanics run 100 times faster here.
        o.board.floppy_timing.fast = true;
        GuestRig rig(std::move(o));
        const bool prompt = rig.run_until_screen("A:\\>", 600'000'000);
        report(rig, "FreeDOS to A:\\>");
        if (!prompt) MESSAGE("log:\n" << rig.firmware_log() << "\nscreen:\n" << rig.screen());
        REQUIRE(prompt);
        CHECK(rig.firmware_log().find("Booting from Floppy") != std::string::npos);
        // The keyboard through SeaBIOS's INT 16h: a command typed at the prompt runs.
        rig.type_text("ver\r");
        const bool ver = rig.run_until_screen("FreeDOS kernel", 200'000'000);
        if (!ver) MESSAGE(rig.screen());
        CHECK(ver);
    }

    TEST_CASE("SeaBIOS boots a hard disk's boot sector") {
        // bios.bin (128 KiB) and bios-256k.bin, the build with SMM support: that one finds the
        // PIIX4's APMC_EN set (no SMM on this board) and skips its SMM setup.
        for (const char* firmware : {kSeabios, "/usr/share/seabios/bios-256k.bin"}) {
            CAPTURE(firmware);
            GuestOptions o;
            if (!seabios_options(o)) return;
            if (!std::filesystem::exists(firmware)) {
                MESSAGE("skipped: " << firmware << " is absent");
                continue;
            }
            o.bios = read_bytes(firmware);
            const std::string image = std::string(LANTERN_BIOS_TEST_DIR) + "/hello_hd.img";
            if (!std::filesystem::exists(image)) {
                MESSAGE("skipped: " << image << " is absent (built with the tests/bios images)");
                return;
            }
            o.board.hard_disk = image;
            GuestRig rig(std::move(o));
            // The boot sector prints through INT 10h and the debug console, checks DL = 80h and
            // INT 12h, and ends the run through port 0xF4 with 0 when every check passed.
            rig.run_until([] { return false; }, 300'000'000);
            report(rig, std::string("hard disk boot sector, ") + firmware);
            if (rig.last_result().reason != MachineStop::DebugExit)
                MESSAGE("log:\n" << rig.firmware_log() << "\nscreen:\n" << rig.screen());
            REQUIRE(rig.last_result().reason == MachineStop::DebugExit);
            CHECK(rig.last_result().debug_exit_value == 0);
            CHECK(rig.debugcon().find("PASS") != std::string::npos);
            CHECK(rig.screen().find("Hello from the boot sector") != std::string::npos);
            CHECK(rig.firmware_log().find("Booting from Hard Disk") != std::string::npos);
        }
    }

    TEST_CASE("Lantern's BIOS places the VGA's BAR 0 and leaves its expansion ROM alone") {
        GuestRig rig(GuestOptions{});
        REQUIRE(rig.run_until_screen("No bootable", 200'000'000));
        const VgaPci& vga = rig.board().vga_pci();
        CHECK_FALSE(vga.has_rom());  // no VGA BIOS for Lantern's BIOS: it has its own
        const PciWindow& lfb = vga.windows().at(0);
        CHECK(lfb.mapped);
        CHECK(lfb.base == 0xE0000000u);  // bios/pci.asm: memory windows from E0000000h
        CHECK(rig.board().vga().lfb_base() == lfb.base);  // what VBE 4F01h reports
    }
}
