#include <doctest/doctest.h>

#include <array>

#include "devices/rtc/cmos_layout.h"
#include "devices/rtc/rtc146818.h"

using namespace lantern;

TEST_SUITE("cmos_layout") {
    TEST_CASE("a 4 MiB AT with one 1.44 MB floppy, one hard disk, VGA and an FPU") {
        std::array<std::uint8_t, 128> cmos{};
        CmosLayout l;
        l.memory_bytes = 4u << 20;
        l.floppies = {CmosFloppyType::M1_44, CmosFloppyType::None};
        l.hard_disks[0] = CmosDiskGeometry{1024, 16, 63};
        l.coprocessor = true;
        l.boot_order = {CmosBootDevice::CdRom, CmosBootDevice::HardDisk, CmosBootDevice::Floppy};
        l.century = 20;
        l.apply(cmos);

        CHECK(cmos[0x10] == 0x40);
        CHECK(cmos[0x12] == 0xF0);
        CHECK(cmos[0x19] == 47);
        CHECK(cmos[0x1A] == 0);
        CHECK((cmos[0x1B] | cmos[0x1C] << 8) == 1024);
        CHECK(cmos[0x1D] == 16);
        CHECK(cmos[0x20] == 0x08);  // more than 8 heads
        CHECK(cmos[0x23] == 63);
        CHECK(cmos[0x14] == 0x03);  // one floppy (bits 7-6 = 0), present, FPU, EGA/VGA
        CHECK((cmos[0x15] | cmos[0x16] << 8) == 640);
        CHECK((cmos[0x17] | cmos[0x18] << 8) == 3072);
        CHECK((cmos[0x30] | cmos[0x31] << 8) == 3072);
        CHECK((cmos[0x34] | cmos[0x35] << 8) == 0);
        CHECK(cmos[0x32] == 0x20);
        CHECK(cmos[0x3D] == 0x23);  // first CD-ROM (3), second hard disk (2)
        CHECK(cmos[0x38] == 0x10);  // third floppy, signature check on

        unsigned sum = 0;
        for (unsigned i = 0x10; i <= 0x2D; ++i) sum += cmos[i];
        CHECK(((cmos[0x2E] << 8) | cmos[0x2F]) == (sum & 0xFFFF));
        CHECK(CmosLayout::checksum(cmos) == (sum & 0xFFFF));
    }

    TEST_CASE("memory above 16 MiB in 64 KiB blocks, and the 0xFFFF KiB cap below it") {
        std::array<std::uint8_t, 128> cmos{};
        CmosLayout l;
        l.memory_bytes = 128ull << 20;
        l.floppies = {CmosFloppyType::M1_44, CmosFloppyType::M1_2};
        l.display = CmosDisplay::Mda;
        l.floppy_signature_check = false;
        l.apply(cmos);
        CHECK((cmos[0x17] | cmos[0x18] << 8) == 0xFFFF);
        CHECK((cmos[0x34] | cmos[0x35] << 8) == (112 * 16));
        CHECK(cmos[0x5B] == 0);
        CHECK(cmos[0x10] == 0x42);
        CHECK(cmos[0x14] == (0x40 | 0x30 | 0x01));
        CHECK((cmos[0x38] & 1) == 1);
    }

    TEST_CASE("a 640 KiB XT-class machine has no extended memory") {
        std::array<std::uint8_t, 128> cmos{};
        CmosLayout l;
        l.memory_bytes = 512 * 1024;
        l.apply(cmos);
        CHECK((cmos[0x15] | cmos[0x16] << 8) == 512);
        CHECK((cmos[0x17] | cmos[0x18] << 8) == 0);
    }

    TEST_CASE("applied to the RTC, the guest reads the layout and a valid checksum through the ports") {
        Scheduler sched;
        IrqLine irq;
        Rtc146818 rtc(sched, 8'000'000, irq);
        CmosLayout l;
        l.memory_bytes = 16u << 20;
        l.apply(rtc.cmos());
        auto rd = [&](std::uint8_t i) {
            rtc.write(0, i, 1);
            return rtc.read(1, 1);
        };
        unsigned sum = 0;
        for (std::uint8_t i = 0x10; i <= 0x2D; ++i) sum += rd(i);
        CHECK(((rd(0x2E) << 8) | rd(0x2F)) == (sum & 0xFFFF));
        CHECK(rd(0x32) == 0x20);  // century from the RTC's power-on
        CHECK(rd(0x00) == 0x00);  // the clock registers are untouched
        CHECK(rd(0x0A) == 0x26);
    }
}
