#include <doctest/doctest.h>

#include <cstring>

#include "devices/ide/ata_disk.h"
#include "devices/ide/atapi_cdrom.h"
#include "devices/storage/file_image.h"
#include "devices/storage/memory_image.h"
#include "ide_rig.h"
#include "recording_visitor.h"

using namespace lantern;
using namespace lantern::testing;

namespace {

constexpr std::uint64_t kSectors = 4096;  // 2 MiB: 4 cylinders of 16 x 63, plus a tail

std::uint16_t word(const std::vector<std::uint8_t>& d, unsigned i) {
    return static_cast<std::uint16_t>(d[2 * i] | (d[2 * i + 1] << 8));
}

std::vector<std::uint8_t> sectors_of(const std::vector<std::uint8_t>& img, std::uint64_t lba, unsigned n) {
    return {img.begin() + static_cast<std::ptrdiff_t>(lba * 512), img.begin() + static_cast<std::ptrdiff_t>((lba + n) * 512)};
}

struct DiskRig {
    std::vector<std::uint8_t> image = patterned_image(kSectors);
    TempImage file{image};
    std::unique_ptr<FileImage> media = FileImage::open(file.path(), ImageMode::Snapshot);
    AtaDisk disk{*media};
    IdeRig rig{};
    DiskRig() { rig.primary.attach(0, disk); }
};

}  // namespace

TEST_SUITE("ide_ata") {
    TEST_CASE("a command written to a present device is reported as a DiskCommand event") {
        DiskRig d;
        IdeRig& r = d.rig;
        std::vector<DeviceEvent> events;
        r.primary.set_event_report([&](const DeviceEvent& e) { events.push_back(e); }, 0x80);
        r.out8(0x1F6, 0xA0);
        r.out8(0x1F2, 0x01);   // a register write is no command
        CHECK(events.empty());
        r.out8(0x1F7, 0xEC);   // IDENTIFY DEVICE
        REQUIRE(events.size() == 1);
        CHECK(events[0].kind == DeviceEventKind::DiskCommand);
        CHECK(events[0].detail == 0xEC);
        CHECK(events[0].unit == 0x80);
    }

    TEST_CASE("signature and status after power-on, SRST and with a missing slave") {
        DiskRig d;
        IdeRig& r = d.rig;
        CHECK(r.in8(0x1F7) == 0x50);  // DRDY | DSC
        CHECK(r.in8(0x1F2) == 0x01);
        CHECK(r.in8(0x1F3) == 0x01);
        CHECK(r.in8(0x1F4) == 0x00);
        CHECK(r.in8(0x1F5) == 0x00);
        CHECK(r.in8(0x1F1) == 0x01);  // diagnostic code: passed

        // Device 1 is absent: status and alternate status read 00h, other registers device 0's.
        r.out8(0x1F6, 0xB0);
        CHECK(r.in8(0x1F7) == 0x00);
        CHECK(r.in8(0x3F6) == 0x00);
        r.out8(0x1F2, 0x5A);
        CHECK(r.in8(0x1F2) == 0x5A);
        r.out8(0x1F6, 0xA0);

        // SRST: BSY while asserted and for kResetNs after release, then the signature again.
        r.out8(0x1F2, 0x33);
        r.out8(0x3F6, 0x04);
        CHECK((r.in8(0x3F6) & ata::kStatusBsy) != 0);
        r.out8(0x3F6, 0x00);
        const Cycles released = r.scheduler.now();
        CHECK((r.in8(0x3F6) & ata::kStatusBsy) != 0);
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x50);
        CHECK(r.scheduler.now() - released == r.primary.ns_to_cycles(ata::kResetNs));
        CHECK(r.in8(0x1F2) == 0x01);
        CHECK(r.in8(0x1F3) == 0x01);
        CHECK(r.irq14.rises == 0);  // a reset does not interrupt

        // A channel with no device at all floats: every register reads FFh.
        CHECK(r.in8(0x177) == 0xFF);
        CHECK(r.in8(0x171) == 0xFF);
        CHECK(r.in8(0x376) == 0xFF);
    }

    TEST_CASE("ATAPI slave: signature EB14h and status 00h; EXECUTE DEVICE DIAGNOSTIC") {
        DiskRig d;
        AtapiCdrom cd;
        IdeRig& r = d.rig;
        r.primary.attach(1, cd);
        r.out8(0x1F6, 0xB0);
        CHECK(r.in8(0x1F7) == 0x00);
        CHECK(r.in8(0x1F4) == 0x14);
        CHECK(r.in8(0x1F5) == 0xEB);
        // Diagnostics run on both; device 0 interrupts and is selected afterwards.
        r.out8(0x1F7, ata::kExecuteDiagnostic);
        r.wait_not_busy(0x1F0, 0x3F6);
        CHECK(r.irq14.level());
        CHECK(r.primary.selected_index() == 0);
        CHECK(r.in8(0x1F1) == 0x01);
        CHECK(r.in8(0x1F7) == 0x50);
        CHECK_FALSE(r.irq14.level());
        r.out8(0x1F6, 0xB0);
        CHECK(r.in8(0x1F4) == 0x14);
        CHECK(r.in8(0x1F5) == 0xEB);
    }

    TEST_CASE("IDENTIFY DEVICE words") {
        DiskRig d;
        IdeRig& r = d.rig;
        r.select(0xA0);
        r.out8(0x1F7, ata::kIdentify);
        CHECK((r.in8(0x3F6) & ata::kStatusBsy) != 0);  // BSY at once
        const auto id = r.pio_in(1);
        REQUIRE(id.size() == 512);
        CHECK(word(id, 0) == 0x0040);
        CHECK(word(id, 1) == 4);    // 4096 / (16 * 63) = 4 cylinders
        CHECK(word(id, 3) == 16);
        CHECK(word(id, 6) == 63);
        // Model "LANTERN HARDDISK": two characters per word, the first in the high byte.
        CHECK(word(id, 27) == ('L' << 8 | 'A'));
        CHECK(word(id, 28) == ('N' << 8 | 'T'));
        CHECK(word(id, 46) == (' ' << 8 | ' '));
        CHECK(word(id, 10) == ('L' << 8 | 'T'));
        CHECK(word(id, 47) == 0x8010);
        CHECK((word(id, 49) & 0x0300) == 0x0300);  // LBA and DMA
        CHECK(word(id, 59) == 0);                  // multiple mode off
        CHECK((word(id, 60) | word(id, 61) << 16) == kSectors);
        CHECK((word(id, 83) & 0x0400) != 0);       // 48-bit supported
        CHECK((word(id, 86) & 0x0400) != 0);       // and enabled
        CHECK(word(id, 63) == 0x0007);
        CHECK((word(id, 100) | word(id, 101) << 16) == kSectors);
        CHECK(word(id, 102) == 0);
        std::uint8_t sum = 0;
        for (std::uint8_t b : id) sum = static_cast<std::uint8_t>(sum + b);
        CHECK(sum == 0);
        CHECK((word(id, 255) & 0xFF) == 0xA5);
        CHECK(r.in8(0x1F7) == 0x50);  // DRQ gone after the last word
        CHECK(r.irq14.rises == 1);

        // SET MULTIPLE and SET FEATURES show up in words 59, 63.
        r.out8(0x1F2, 8);
        r.out8(0x1F7, ata::kSetMultiple);
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x50);
        r.out8(0x1F1, 0x03);
        r.out8(0x1F2, 0x22);  // multiword DMA mode 2
        r.out8(0x1F7, ata::kSetFeatures);
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x50);
        r.out8(0x1F7, ata::kIdentify);
        const auto id2 = r.pio_in(1);
        CHECK(word(id2, 59) == 0x0108);
        CHECK(word(id2, 63) == 0x0407);
    }

    TEST_CASE("PIO reads by CHS, LBA28 and LBA48 return the image's sectors") {
        DiskRig d;
        IdeRig& r = d.rig;
        SUBCASE("CHS") {
            // C/H/S 1/2/5 with 16 heads x 63: LBA (1 * 16 + 2) * 63 + 4 = 1138.
            r.out8(0x1F2, 3);
            r.out8(0x1F3, 5);
            r.out8(0x1F4, 1);
            r.out8(0x1F5, 0);
            r.out8(0x1F6, 0xA2);
            r.out8(0x1F7, ata::kReadSectors);
            CHECK(r.pio_in(3) == sectors_of(d.image, 1138, 3));
            // Registers hold the last sector read: 1140 = C1 H2 S7; count 0.
            CHECK(r.in8(0x1F3) == 7);
            CHECK(r.in8(0x1F4) == 1);
            CHECK((r.in8(0x1F6) & 0x0F) == 2);
            CHECK(r.in8(0x1F2) == 0);
            CHECK(r.irq14.rises == 3);  // one per sector (DRQ block)
        }
        SUBCASE("LBA28") {
            r.lba28(4000, 5);
            r.out8(0x1F7, ata::kReadSectors);
            CHECK(r.pio_in(5) == sectors_of(d.image, 4000, 5));
            CHECK(r.in8(0x1F3) == static_cast<std::uint8_t>(4004));
            CHECK(r.in8(0x1F4) == (4004 >> 8));
        }
        SUBCASE("LBA48, read back with HOB") {
            r.lba48(4090, 6);
            r.out8(0x1F7, ata::kReadSectorsExt);
            CHECK(r.pio_in(6) == sectors_of(d.image, 4090, 6));
            CHECK(r.in8(0x1F3) == static_cast<std::uint8_t>(4095));
            r.out8(0x3F6, 0x80);  // HOB: the high-order bytes of the address
            CHECK(r.in8(0x1F3) == 0);
            CHECK(r.in8(0x1F2) == 0);
            r.out8(0x3F6, 0x00);
        }
        SUBCASE("32-bit data port") {
            r.lba28(7, 1);
            r.out8(0x1F7, ata::kReadSectors);
            r.wait_not_busy(0x1F0, 0x3F6);
            std::vector<std::uint8_t> got;
            for (int i = 0; i < 128; ++i) {
                const std::uint32_t v = r.in32(0x1F0);
                for (int b = 0; b < 4; ++b) got.push_back(static_cast<std::uint8_t>(v >> (8 * b)));
            }
            CHECK(got == sectors_of(d.image, 7, 1));
            CHECK(r.in8(0x3F6) == 0x50);
        }
    }

    TEST_CASE("PIO writes land in the snapshot overlay, never in the image file") {
        DiskRig d;
        IdeRig& r = d.rig;
        std::vector<std::uint8_t> data(1024);
        for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(0xC3 ^ i);
        r.lba28(100, 2);
        r.out8(0x1F7, ata::kWriteSectors);
        // First block: DRQ without an interrupt.
        CHECK((r.wait_not_busy(0x1F0, 0x3F6) & ata::kStatusDrq) != 0);
        CHECK(r.irq14.rises == 0);
        for (int s = 0; s < 2; ++s) {
            if (s == 1) {
                CHECK((r.wait_not_busy(0x1F0, 0x3F6) & ata::kStatusDrq) != 0);
                CHECK(r.irq14.rises == 1);
                r.in8(0x1F7);
            }
            for (int i = 0; i < 256; ++i)
                r.out16(0x1F0, static_cast<std::uint16_t>(data[s * 512 + 2 * i] | data[s * 512 + 2 * i + 1] << 8));
        }
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x50);
        CHECK(r.irq14.rises == 2);  // and one at the end
        CHECK(d.file.contents() == d.image);
        CHECK(d.media->overlay().size() == 2);
        r.lba28(100, 2);
        r.out8(0x1F7, ata::kReadSectors);
        CHECK(r.pio_in(2) == data);
    }

    TEST_CASE("WRITE MULTIPLE EXT by LBA48 and WRITE SECTORS by CHS") {
        DiskRig d;
        IdeRig& r = d.rig;
        r.out8(0x1F2, 2);
        r.out8(0x1F7, ata::kSetMultiple);
        r.wait_not_busy(0x1F0, 0x3F6);
        std::vector<std::uint8_t> data(3 * 512);
        for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i / 3 + 5);
        r.lba48(4093, 3);
        r.out8(0x1F7, ata::kWriteMultipleExt);
        std::size_t pos = 0;
        for (int block = 0; block < 2; ++block) {  // 2 + 1 sectors
            CHECK((r.wait_not_busy(0x1F0, 0x3F6) & ata::kStatusDrq) != 0);
            r.in8(0x1F7);
            const std::size_t n = block == 0 ? 1024 : 512;
            for (std::size_t i = 0; i < n; i += 2, pos += 2) r.out16(0x1F0, static_cast<std::uint16_t>(data[pos] | data[pos + 1] << 8));
        }
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x50);
        CHECK(r.in8(0x1F3) == static_cast<std::uint8_t>(4095));
        // CHS 0/0/1 is LBA 0.
        r.out8(0x1F2, 1);
        r.out8(0x1F3, 1);
        r.out8(0x1F4, 0);
        r.out8(0x1F5, 0);
        r.out8(0x1F6, 0xA0);
        r.out8(0x1F7, ata::kWriteSectors);
        CHECK((r.wait_not_busy(0x1F0, 0x3F6) & ata::kStatusDrq) != 0);
        for (int i = 0; i < 256; ++i) r.out16(0x1F0, 0xBEEF);
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x50);
        CHECK(d.file.contents() == d.image);
        r.lba48(4093, 3);
        r.out8(0x1F7, ata::kReadSectorsExt);
        CHECK(r.pio_in(3) == data);
        r.lba28(0, 1);
        r.out8(0x1F7, ata::kReadSectors);
        const auto s0 = r.pio_in(1);
        REQUIRE(s0.size() == 512);
        CHECK(s0[0] == 0xEF);
        CHECK(s0[511] == 0xBE);
    }

    TEST_CASE("READ MULTIPLE moves SET MULTIPLE blocks per interrupt; needs multiple mode") {
        DiskRig d;
        IdeRig& r = d.rig;
        r.lba28(10, 4);
        r.out8(0x1F7, ata::kReadMultiple);
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x51);  // aborted: multiple mode is off
        CHECK(r.in8(0x1F1) == ata::kErrorAbrt);
        r.out8(0x1F2, 4);
        r.out8(0x1F7, ata::kSetMultiple);
        r.wait_not_busy(0x1F0, 0x3F6);
        r.in8(0x1F7);
        r.out8(0x1F2, 3);  // not a power of two: rejected
        r.out8(0x1F7, ata::kSetMultiple);
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x51);
        r.in8(0x1F7);
        const int before = r.irq14.rises;
        r.lba28(20, 10);
        r.out8(0x1F7, ata::kReadMultiple);
        CHECK(r.pio_in(10, 4) == sectors_of(d.image, 20, 10));
        CHECK(r.irq14.rises - before == 3);  // 4 + 4 + 2
        r.lba48(30, 6);
        r.out8(0x1F7, ata::kReadMultipleExt);
        CHECK(r.pio_in(6, 4) == sectors_of(d.image, 30, 6));
    }

    TEST_CASE("interrupts: raised with DRQ, acknowledged by Status not Alternate Status, masked by nIEN") {
        DiskRig d;
        IdeRig& r = d.rig;
        r.lba28(1, 1);
        r.out8(0x1F7, ata::kReadVerify);
        const Cycles start = r.scheduler.now();
        r.wait_not_busy(0x1F0, 0x3F6);
        CHECK(r.scheduler.now() - start == r.primary.ns_to_cycles(ata::kAccessNs));
        CHECK(r.irq14.level());
        r.in8(0x3F6);
        CHECK(r.irq14.level());
        r.in8(0x1F7);
        CHECK_FALSE(r.irq14.level());

        r.out8(0x3F6, 0x02);  // nIEN
        r.lba28(1, 1);
        r.out8(0x1F7, ata::kReadVerify);
        r.wait_not_busy(0x1F0, 0x3F6);
        CHECK_FALSE(r.irq14.level());
        r.out8(0x3F6, 0x00);  // the pending interrupt shows once nIEN clears
        CHECK(r.irq14.level());
        r.in8(0x1F7);
        CHECK_FALSE(r.irq14.level());
        CHECK_FALSE(r.irq15.level());
    }

    TEST_CASE("the secondary channel interrupts on IRQ15") {
        IdeRig r;
        MemoryImage img(patterned_image(64));
        AtaDisk disk(img);
        r.secondary.attach(0, disk);
        r.out8(0x176, 0xE0);
        r.out8(0x177, ata::kIdentify);
        r.wait_not_busy(0x170, 0x376);
        CHECK(r.irq15.level());
        CHECK_FALSE(r.irq14.level());
        CHECK((r.in8(0x177) & ata::kStatusDrq) != 0);
        CHECK_FALSE(r.irq15.level());
        CHECK(disk.default_geometry().heads == 1);  // a tiny disk: 1 head x 63
    }

    TEST_CASE("error paths: out of range, bad CHS, unknown command, read-only medium") {
        DiskRig d;
        IdeRig& r = d.rig;
        r.lba28(kSectors - 1, 2);
        r.out8(0x1F7, ata::kReadSectors);
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x51);
        CHECK(r.in8(0x1F1) == ata::kErrorIdnf);
        CHECK(r.irq14.level());
        r.lba48(kSectors, 1);
        r.out8(0x1F7, ata::kReadSectorsExt);
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x51);
        CHECK(r.in8(0x1F1) == ata::kErrorIdnf);
        r.out8(0x1F2, 1);
        r.out8(0x1F3, 0);  // sector 0 does not exist in CHS
        r.out8(0x1F6, 0xA0);
        r.out8(0x1F7, ata::kReadSectors);
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x51);
        CHECK(r.in8(0x1F1) == ata::kErrorIdnf);
        for (std::uint8_t cmd : {std::uint8_t{0x00}, std::uint8_t{0xA1}, std::uint8_t{0xA0}, std::uint8_t{0xFF}}) {
            r.out8(0x1F7, cmd);
            CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x51);
            CHECK(r.in8(0x1F1) == ata::kErrorAbrt);
        }
        // Writes while BSY are ignored.
        r.lba28(0, 1);
        r.out8(0x1F7, ata::kReadVerify);
        r.out8(0x1F3, 0x77);
        r.wait_not_busy(0x1F0, 0x3F6);
        CHECK(r.in8(0x1F3) == 0);

        IdeRig r2;
        MemoryImage rom(patterned_image(64), 512, false);
        AtaDisk ro(rom);
        r2.primary.attach(0, ro);
        r2.lba28(0, 1);
        r2.out8(0x1F7, ata::kWriteSectors);
        CHECK(r2.wait_not_busy(0x1F0, 0x3F6) == 0x51);
        CHECK(r2.in8(0x1F1) == ata::kErrorAbrt);
    }

    TEST_CASE("INITIALIZE DEVICE PARAMETERS changes the CHS translation; SEEK and RECALIBRATE") {
        DiskRig d;
        IdeRig& r = d.rig;
        r.out8(0x1F2, 32);    // 32 sectors per track
        r.out8(0x1F6, 0xA7);  // 8 heads
        r.out8(0x1F7, ata::kInitializeParameters);
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x50);
        CHECK(d.disk.current_geometry().cylinders == 16);
        r.out8(0x1F7, ata::kIdentify);
        const auto id = r.pio_in(1);
        CHECK(word(id, 54) == 16);
        CHECK(word(id, 55) == 8);
        CHECK(word(id, 56) == 32);
        CHECK(word(id, 1) == 4);  // the default translation is unchanged
        // C/H/S 2/3/4 = (2 * 8 + 3) * 32 + 3 = 611.
        r.out8(0x1F2, 1);
        r.out8(0x1F3, 4);
        r.out8(0x1F4, 2);
        r.out8(0x1F5, 0);
        r.out8(0x1F6, 0xA3);
        r.out8(0x1F7, ata::kReadSectors);
        CHECK(r.pio_in(1) == sectors_of(d.image, 611, 1));
        r.out8(0x1F6, 0xA8);  // head 8 of 8 does not exist
        r.out8(0x1F7, 0x70);  // SEEK
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x51);
        r.out8(0x1F6, 0xA0);
        r.out8(0x1F7, 0x10);  // RECALIBRATE
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x50);
        r.out8(0x1F2, 0);
        r.out8(0x1F7, ata::kInitializeParameters);  // zero sectors per track: aborted
        CHECK(r.wait_not_busy(0x1F0, 0x3F6) == 0x51);
    }

    TEST_CASE("inspection names the task file; a snapshot load re-arms the pending phase") {
        DiskRig a;
        a.rig.lba28(3, 2);
        a.rig.out8(0x1F7, ata::kReadSectors);
        RecordingVisitor v;
        a.rig.primary.inspect(v);
        CHECK(v.has("ide0.device0.ata_disk.task_file.status=208"));  // BSY (with DRDY, DSC kept)
        CHECK(v.has("ide0.device0.ata_disk.phase=1"));
        CHECK(v.has("ide0.device0.ata_disk.ata.remaining=0"));  // decoded when the phase runs

        SnapshotVisitor snap;
        a.rig.scheduler.inspect(snap);
        a.rig.primary.inspect(snap);
        const auto expected = a.rig.pio_in(2);
        const Cycles finished = a.rig.scheduler.now();

        DiskRig b;  // a fresh machine: restore the snapshot into it and run on
        snap.set_loading(true);
        b.rig.scheduler.inspect(snap);
        b.rig.primary.inspect(snap);
        CHECK(b.rig.scheduler.pending_count() == 1);
        CHECK(b.rig.pio_in(2) == expected);
        CHECK(b.rig.scheduler.now() == finished);
        CHECK(expected == sectors_of(b.image, 3, 2));
    }
}
