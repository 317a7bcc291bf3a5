// The Lantern system BIOS end to end: POST on the BiosRig board, then boot sectors assembled at
// build time (boot_hello.asm, selftest.asm, cdrom.asm) report over the debug console and exit
// through port F4h with 0 ("PASS") - or the test looks at the screen, for DOS.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/bios/bios_rig.h"

using lantern::CmosBootDevice;
using lantern::CpuModel;
using lantern::MachineStop;
using lantern::testing::BiosRig;
using lantern::testing::BiosRigConfig;

namespace {

const std::string kDir = LANTERN_BIOS_TEST_DIR;  // the assembled images

BiosRigConfig rig_config(CpuModel cpu = CpuModel::P6) {
    BiosRigConfig c;
    c.cpu = cpu;
    c.bios_path = LANTERN_BIOS_IMAGE;
    return c;
}

// Runs to the exit port; the boot code's verdict is "PASS" on the console and exit value 0.
void expect_pass(BiosRig& rig, double seconds = 60) {
    const auto r = rig.run(seconds);
    INFO("console:\n" << rig.console());
    INFO("firmware log:\n" << rig.log());
    INFO("screen:\n" << rig.screen());
    REQUIRE(r.reason == MachineStop::DebugExit);
    CHECK(rig.console().find("FAIL") == std::string::npos);
    CHECK(rig.console().find("PASS") != std::string::npos);
    CHECK(r.debug_exit_value == 0);
}

}  // namespace

TEST_SUITE("system_bios") {

TEST_CASE("POST: banner, memory, drives on the firmware log; a boot sector from the diskette") {
    for (CpuModel cpu : {CpuModel::P6, CpuModel::I80286, CpuModel::I8086}) {
        CAPTURE(static_cast<int>(cpu));
        auto c = rig_config(cpu);
        c.floppy = kDir + "/hello_floppy.img";
        BiosRig rig(c);
        expect_pass(rig);
        CHECK(rig.log().find("Lantern BIOS") != std::string::npos);
        CHECK(rig.log().find("Floppy drive A: 1.44 MB") != std::string::npos);
        CHECK(rig.log().find("Booting from floppy") != std::string::npos);
        CHECK(rig.console().find("Hello from the boot sector") != std::string::npos);
        CHECK(rig.console().find("ok DL") != std::string::npos);
        // the BIOS data area POST left behind
        CHECK(rig.ram16(0x413) == 639);
        CHECK(rig.ram16(0x40E) == 0x9FC0);
        CHECK((rig.ram16(0x410) & 0x0001) == 1);
        CHECK(rig.ram16(0x41A) == rig.ram16(0x41C));  // the keyboard buffer is empty
    }
}

TEST_CASE("the BIOS's text reaches the screen through the video BIOS") {
    auto c = rig_config();
    c.floppy = kDir + "/hello_floppy.img";
    BiosRig rig(c);
    expect_pass(rig);
    CHECK(rig.screen().find("Lantern BIOS") != std::string::npos);
    CHECK(rig.screen().find("Hello from the boot sector") != std::string::npos);
}

TEST_CASE("boot from the hard disk: DL = 80h") {
    auto c = rig_config();
    c.hard_disk = kDir + "/hello_hd.img";
    BiosRig rig(c);
    expect_pass(rig);
    CHECK(rig.log().find("IDE primary master: hard disk 80h") != std::string::npos);
    CHECK(rig.log().find("Booting from hard disk") != std::string::npos);
    CHECK(rig.ram8(0x475) == 1);
}

TEST_CASE("El Torito, no emulation: the image starts with DL = E0h") {
    auto c = rig_config();
    c.cdrom = kDir + "/noemu.iso";
    c.boot_order = {CmosBootDevice::CdRom, CmosBootDevice::Floppy, CmosBootDevice::HardDisk};
    BiosRig rig(c);
    expect_pass(rig);
    CHECK(rig.log().find("CD-ROM drive E0h") != std::string::npos);
    CHECK(rig.log().find("Booting from CD-ROM") != std::string::npos);
}

TEST_CASE("El Torito, 1.44 MB diskette emulation: drive 00h reads the image") {
    auto c = rig_config();
    c.cdrom = kDir + "/floppy_emulation.iso";
    c.boot_order = {CmosBootDevice::CdRom, CmosBootDevice::Floppy, CmosBootDevice::HardDisk};
    BiosRig rig(c);
    expect_pass(rig);
    CHECK(rig.console().find("ok LBA 18") != std::string::npos);
}

TEST_CASE("the boot order from CMOS: the hard disk before the diskette") {
    auto c = rig_config();
    c.floppy = kDir + "/selftest.img";  // would fail: it is not started
    c.hard_disk = kDir + "/hello_hd.img";
    c.boot_order = {CmosBootDevice::HardDisk, CmosBootDevice::Floppy, CmosBootDevice::CdRom};
    BiosRig rig(c);
    expect_pass(rig);
    CHECK(rig.console().find("BIOS self-test") == std::string::npos);
}

TEST_CASE("nothing bootable: a clear message, then the BIOS waits") {
    BiosRig rig(rig_config());
    CHECK(rig.run_until_screen("No bootable device.", 30));
    CHECK(rig.log().find("No bootable device.") != std::string::npos);
}

TEST_CASE("INT 11h-1Ah self-test, with a diskette and a hard disk") {
    for (CpuModel cpu : {CpuModel::P6, CpuModel::I80486, CpuModel::I80286, CpuModel::I8086}) {
        CAPTURE(static_cast<int>(cpu));
        auto c = rig_config(cpu);
        c.floppy = kDir + "/selftest.img";
        c.hard_disk = kDir + "/hd_pattern.img";
        BiosRig rig(c);
        expect_pass(rig);
        if (cpu >= CpuModel::I80386) {
            CHECK(rig.console().find("ok INT 15h E820h: five ranges") != std::string::npos);
            CHECK(rig.console().find("ok INT 15h AH=87h: bytes 62-63") != std::string::npos);
            CHECK(rig.console().find("ok INT 13h AH=42h: LBA 4000") != std::string::npos);
        }
    }
}

TEST_CASE("FreeDOS boots to A:\\> and runs a command" * doctest::skip(!std::filesystem::exists(LANTERN_FREEDOS_IMAGE))) {
    auto c = rig_config();
    c.floppy = LANTERN_FREEDOS_IMAGE;
    BiosRig rig(c);
    const bool prompt = rig.run_until_screen("A:\\>", 60);
    INFO("screen:\n" << rig.screen());
    REQUIRE(prompt);
    rig.type("dir\n");
    CHECK(rig.run_until_screen("file(s)", 30));
}

}  // TEST_SUITE
