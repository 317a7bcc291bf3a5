// 82077AA: data commands through DMA channel 2 and in non-DMA mode, against images built here.
#include <doctest/doctest.h>

#include <vector>

#include "devices/storage/file_image.h"
#include "fdc_rig.h"

using namespace lantern;
using lantern::testing::FdcBench;
using lantern::testing::image_byte;
using lantern::testing::image_bytes;
using lantern::testing::TempFile;
using Bytes = std::vector<std::uint8_t>;

namespace {
constexpr std::size_t k144 = 1474560;
constexpr std::uint8_t kDmaWrite = 0x46;  // single mode, I/O -> memory, channel 2
constexpr std::uint8_t kDmaRead = 0x4A;   // single mode, memory -> I/O, channel 2

// READ/WRITE-type command: opcode, HDS/DS, C, H, R, N=2, EOT, GPL, DTL.
Bytes rw(std::uint8_t op, std::uint8_t c, std::uint8_t h, std::uint8_t r, std::uint8_t eot, std::uint8_t drive = 0) {
    return {op, static_cast<std::uint8_t>(drive | (h << 2)), c, h, r, 2, eot, 0x1B, 0xFF};
}

bool sector_in_ram(const FdcBench& b, std::uint32_t addr, std::uint32_t lba) {
    for (std::uint32_t i = 0; i < 512; ++i)
        if (b.ram[addr + i] != image_byte(lba, i)) return false;
    return true;
}

struct Loaded {
    TempFile file{image_bytes(k144)};
    FdcBench b;
    explicit Loaded(bool write_protected = false) {
        b.fdc.insert_disk(0, b.open(file), write_protected);
        b.power_up();
    }
};
}  // namespace

TEST_SUITE("fdc82077_transfer") {
    TEST_CASE("READ DATA moves several sectors through DMA into RAM and stops at terminal count") {
        Loaded t;
        FdcBench& b = t.b;
        b.program8(2, 0x10000, 4 * 512 - 1, kDmaWrite);
        b.send(rw(0xE6, 0, 0, 1, 18));  // MT MFM SK READ DATA, C0 H0 R1
        CHECK(b.msr() == 0x10);         // execution phase, DMA mode: busy, no RQM
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 0, 0, 5, 2});
        CHECK_FALSE(b.irq());  // reading the result cleared it
        for (std::uint32_t s = 0; s < 4; ++s) CHECK(sector_in_ram(b, 0x10000 + s * 512, s));
        CHECK(b.ram[0x10000 + 4 * 512] == 0);
        CHECK((b.in(0x08) & 0x04) != 0);  // the 8237 saw TC on channel 2
    }

    TEST_CASE("the result interrupt comes when the last sector has passed the head") {
        Loaded t;
        FdcBench& b = t.b;
        const Cycles epoch = b.fdc.drive(0).spin_epoch;  // the motor came on in power_up
        b.program8(2, 0x10000, 511, kDmaWrite);
        b.send(rw(0xE6, 0, 0, 5, 18));
        // Head load 2 ms, then sector 5 of 18 passes the head 4/18 to 5/18 of a 200 ms turn.
        const Cycles due = epoch + (200'000'000ull * 5 / 18 * 8 + 999) / 1000;
        b.advance(due - b.scheduler.now() - 1);
        CHECK_FALSE(b.irq());
        b.advance(1);
        CHECK(b.irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 0, 0, 6, 2});
        CHECK(sector_in_ram(b, 0x10000, 4));
    }

    TEST_CASE("multi-track reads continue on head 1 after EOT on head 0") {
        Loaded t;
        FdcBench& b = t.b;
        b.program8(2, 0x20000, 4 * 512 - 1, kDmaWrite);
        b.send(rw(0xE6, 0, 0, 17, 18));
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x04, 0x00, 0x00, 0, 1, 3, 2});  // ST0 shows head 1
        for (std::uint32_t s = 0; s < 4; ++s) CHECK(sector_in_ram(b, 0x20000 + s * 512, 16 + s));
    }

    TEST_CASE("without MT or TC the read ends past EOT with EN and the next cylinder's ID") {
        Loaded t;
        FdcBench& b = t.b;
        b.program8(2, 0x20000, 10 * 512 - 1, kDmaWrite);
        b.send(rw(0x46, 0, 0, 17, 18));
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x40, 0x80, 0x00, 1, 0, 1, 2});
        CHECK(sector_in_ram(b, 0x20000, 16));
        CHECK(sector_in_ram(b, 0x20200, 17));
        CHECK(b.ram[0x20400] == 0);
    }

    TEST_CASE("WRITE DATA goes to the snapshot overlay: reads see it, the file does not change") {
        Loaded t;
        FdcBench& b = t.b;
        b.seek(0, 1);
        for (std::uint32_t i = 0; i < 1024; ++i) b.ram[0x30000 + i] = static_cast<std::uint8_t>(i * 5 + 1);
        b.program8(2, 0x30000, 1023, kDmaRead);
        b.send(rw(0xC5, 1, 0, 3, 18));  // MT MFM WRITE DATA, C1 H0 R3
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 1, 0, 5, 2});

        b.program8(2, 0x40000, 1023, kDmaWrite);
        b.send(rw(0xE6, 1, 0, 3, 18));
        REQUIRE(b.wait_irq());
        CHECK(b.results()[0] == 0x00);
        for (std::uint32_t i = 0; i < 1024; ++i) REQUIRE(b.ram[0x40000 + i] == b.ram[0x30000 + i]);

        auto* image = dynamic_cast<FileImage*>(b.fdc.disk(0));
        REQUIRE(image != nullptr);
        CHECK(image->overlay().size() == 2);
        CHECK(image->overlay().count(36 + 2) == 1);  // C1 H0 R3 is sector 38
        CHECK(t.file.contents() == image_bytes(k144));
    }

    TEST_CASE("a write-protected disk refuses WRITE DATA and FORMAT with NW") {
        Loaded t(true);
        FdcBench& b = t.b;
        b.program8(2, 0x30000, 511, kDmaRead);
        b.send(rw(0xC5, 0, 0, 1, 18));
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x40, 0x02, 0x00, 0, 0, 1, 2});
        b.send({0x4D, 0x00, 2, 18, 0x54, 0xF6});
        REQUIRE(b.wait_irq());
        CHECK(b.results()[1] == 0x02);
        CHECK(t.file.contents() == image_bytes(k144));
    }

    TEST_CASE("FORMAT TRACK takes the IDs through DMA, fills the sectors and ends at the index") {
        Loaded t;
        FdcBench& b = t.b;
        b.seek(0, 2);
        for (std::uint8_t r = 0; r < 18; ++r) {
            const std::uint8_t id[4] = {2, 0, static_cast<std::uint8_t>(r + 1), 2};
            for (int i = 0; i < 4; ++i) b.ram[0x50000 + r * 4 + i] = id[i];
        }
        b.program8(2, 0x50000, 18 * 4 - 1, kDmaRead);
        const Cycles start = b.scheduler.now();
        b.send({0x4D, 0x00, 2, 18, 0x54, 0xE5});  // FORMAT: N 2, SC 18, GPL, fill E5
        REQUIRE(b.wait_irq());
        const Cycles took = b.scheduler.now() - start;
        CHECK(took >= FdcBench::us(200'000));  // a whole turn from index to index
        CHECK(took <= FdcBench::us(400'000 + 2'000));
        const std::uint64_t to_index = (b.scheduler.now() - b.fdc.drive(0).spin_epoch) % FdcBench::us(200'000);
        CHECK(to_index < 8);  // it ended on an index pulse
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 2, 0, 18, 2});
        Bytes track(18 * 512);
        REQUIRE(b.fdc.disk(0)->read_sectors(2 * 36, track) == BlockStatus::Ok);
        for (std::uint8_t v : track) REQUIRE(v == 0xE5);
        Bytes other(512);
        REQUIRE(b.fdc.disk(0)->read_sectors(2 * 36 + 18, other) == BlockStatus::Ok);
        CHECK(other[0] == image_byte(2 * 36 + 18, 0));  // head 1 untouched
    }

    TEST_CASE("non-DMA (PIO) read: the host takes each byte from the FIFO with RQM, DIO and NDMA set") {
        Loaded t;
        FdcBench& b = t.b;
        b.send({0x03, 0xDF, 0x03});  // SPECIFY with ND = 1
        const unsigned edges_before = b.irq_edges;
        b.send(rw(0x46, 0, 0, 5, 5));  // one sector: R = EOT = 5
        CHECK(b.msr() == 0x30);        // busy, non-DMA, no data yet
        Bytes got;
        for (int i = 0; i < 512; ++i) {
            REQUIRE(b.run_until([&] { return b.msr() == 0xF0; }));
            got.push_back(b.in(0x3F5));
        }
        for (std::uint32_t i = 0; i < 512; ++i) REQUIRE(got[i] == image_byte(4, i));
        CHECK(b.irq_edges - edges_before == 512 + 1);  // one per byte, one for the result phase
        // Nothing asserts TC in non-DMA mode, so the read ends past EOT with EN.
        CHECK(b.results() == Bytes{0x40, 0x80, 0x00, 1, 0, 1, 2});
    }

    TEST_CASE("non-DMA write and format take their bytes from the host") {
        Loaded t;
        FdcBench& b = t.b;
        b.send({0x03, 0xDF, 0x03});
        b.send(rw(0x45, 0, 0, 7, 7));
        for (int i = 0; i < 512; ++i) {
            REQUIRE(b.run_until([&] { return b.msr() == 0xB0; }));  // RQM, NDMA, busy; DIO = to FDC
            b.out(0x3F5, static_cast<std::uint8_t>(0x80 + i));
        }
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x40, 0x80, 0x00, 1, 0, 1, 2});
        Bytes s(512);
        REQUIRE(b.fdc.disk(0)->read_sectors(6, s) == BlockStatus::Ok);
        CHECK(s[0] == 0x80);
        CHECK(s[511] == static_cast<std::uint8_t>(0x80 + 511));

        b.send({0x4D, 0x00, 2, 18, 0x54, 0x11});
        for (std::uint8_t r = 1; r <= 18; ++r) {
            for (std::uint8_t byte : {std::uint8_t{0}, std::uint8_t{0}, r, std::uint8_t{2}}) {
                REQUIRE(b.run_until([&] { return b.msr() == 0xB0; }));
                b.out(0x3F5, byte);
            }
        }
        REQUIRE(b.wait_irq());
        CHECK(b.results()[0] == 0x00);
        REQUIRE(b.fdc.disk(0)->read_sectors(17, s) == BlockStatus::Ok);
        CHECK(s[100] == 0x11);
    }

    TEST_CASE("a wrong data rate finds no address mark at the second index pulse") {
        Loaded t;
        FdcBench& b = t.b;
        b.out(0x3F7, 0x02);  // CCR: 250 kbps, but the disk is 1.44M (500 kbps)
        b.program8(2, 0x10000, 511, kDmaWrite);
        const Cycles start = b.scheduler.now();
        b.send(rw(0xE6, 0, 0, 1, 18));
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x40, 0x01, 0x00, 0, 0, 1, 2});
        CHECK(b.ram[0x10000] == 0);
        // Head load (4 ms at 250 kbps), then the search sees the index pass twice.
        const std::uint64_t rev = FdcBench::us(200'000);
        const Cycles searched = start + FdcBench::us(4'000) - b.fdc.drive(0).spin_epoch;
        const Cycles first_index = (searched + rev - 1) / rev * rev;
        CHECK(b.scheduler.now() - b.fdc.drive(0).spin_epoch == first_index + rev);
        // READ ID fails the same way.
        b.send({0x4A, 0x00});
        REQUIRE(b.wait_irq());
        CHECK(b.results()[1] == 0x01);
    }

    TEST_CASE("sector not found, wrong cylinder and FM mode") {
        Loaded t;
        FdcBench& b = t.b;
        b.program8(2, 0x10000, 511, kDmaWrite);
        b.send(rw(0xE6, 0, 0, 19, 19));
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x40, 0x04, 0x00, 0, 0, 19, 2});
        b.seek(0, 1);
        b.send(rw(0xE6, 0, 0, 1, 18));  // the head is on cylinder 1
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x40, 0x04, 0x10, 0, 0, 1, 2});  // ND, WC
        b.send(rw(0x06, 1, 0, 1, 18));  // FM: no MFM address marks to be found
        REQUIRE(b.wait_irq());
        CHECK(b.results()[1] == 0x01);
    }

    TEST_CASE("READ ID returns the first ID to pass, at the time it passes") {
        Loaded t;
        FdcBench& b = t.b;
        b.seek(0, 5, 1);
        const Cycles epoch = b.fdc.drive(0).spin_epoch;
        b.send({0x4A, 0x04});  // READ ID, head 1
        const std::uint64_t rev_ns = 200'000'000;
        const std::uint64_t pos = (b.scheduler.now() + FdcBench::us(2'000) - epoch) * 125;  // ns
        const std::uint64_t within = pos % rev_ns;
        std::uint64_t k = (within * 18 + rev_ns - 1) / rev_ns;
        std::uint64_t at = pos - within;
        if (k == 18) {
            k = 0;
            at += rev_ns;
        }
        at += rev_ns * k / 18;
        REQUIRE(b.wait_irq());
        CHECK(b.scheduler.now() == epoch + (at * 8 + 999) / 1000);
        CHECK(b.results() == Bytes{0x04, 0x00, 0x00, 5, 1, static_cast<std::uint8_t>(k + 1), 2});
    }

    TEST_CASE("VERIFY with EC compares SC sectors and transfers nothing") {
        Loaded t;
        FdcBench& b = t.b;
        b.program8(2, 0x10000, 511, kDmaWrite);
        b.send({0x56, 0x80, 0, 0, 1, 2, 18, 0x1B, 3});  // VERIFY, EC, SC = 3
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 0, 0, 4, 2});
        CHECK(b.ram[0x10000] == 0);
        CHECK(b.dma.dma1().regs(2).current_count == 511);
        b.send({0x56, 0x00, 0, 0, 16, 2, 18, 0x1B, 0xFF});  // EC = 0: to EOT, a normal end
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 1, 0, 1, 2});
    }

    TEST_CASE("deleted data marks: WRITE DELETED, then READ DATA stops on it (SK=0) or skips it (SK=1)") {
        Loaded t;
        FdcBench& b = t.b;
        for (int i = 0; i < 512; ++i) b.ram[0x30000 + i] = 0xDD;
        b.program8(2, 0x30000, 511, kDmaRead);
        b.send(rw(0xC9, 0, 0, 3, 18));  // WRITE DELETED DATA, R3
        REQUIRE(b.wait_irq());
        CHECK(b.results()[0] == 0x00);

        b.program8(2, 0x10000, 5 * 512 - 1, kDmaWrite);
        b.send(rw(0xC6, 0, 0, 2, 18));  // READ DATA, SK = 0
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x40, 0, 0, 3, 2});  // CM; R not advanced
        CHECK(sector_in_ram(b, 0x10000, 1));
        CHECK(b.ram[0x10200] == 0xDD);

        b.program8(2, 0x20000, 2 * 512 - 1, kDmaWrite);
        b.send(rw(0xE6, 0, 0, 2, 18));  // READ DATA, SK = 1: sector 3 is skipped
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x40, 0, 0, 5, 2});
        CHECK(sector_in_ram(b, 0x20000, 1));
        CHECK(sector_in_ram(b, 0x20200, 3));

        b.program8(2, 0x30000, 511, kDmaWrite);
        b.send(rw(0xCC, 0, 0, 3, 18));  // READ DELETED DATA of the deleted sector
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 0, 0, 4, 2});
    }

    TEST_CASE("READ TRACK reads from the index hole in disk order") {
        Loaded t;
        FdcBench& b = t.b;
        b.program8(2, 0x10000, 3 * 512 - 1, kDmaWrite);
        b.send(rw(0x42, 0, 0, 1, 3));
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 0, 0, 4, 2});
        for (std::uint32_t s = 0; s < 3; ++s) CHECK(sector_in_ram(b, 0x10000 + s * 512, s));
    }

    TEST_CASE("a 360K disk in a 1.2M drive: 300 kbps and double stepping") {
        TempFile file(image_bytes(368640));
        FdcBench b(FloppyDriveType::Drive1200K);
        b.fdc.insert_disk(0, b.open(file));
        b.power_up(0, 0x01);  // 300 kbps
        b.seek(0, 2);         // physical track 2 holds cylinder 1
        b.send({0x4A, 0x00});
        REQUIRE(b.wait_irq());
        const Bytes id = b.results();
        CHECK(id[0] == 0x00);
        CHECK(id[3] == 1);
        b.program8(2, 0x10000, 511, kDmaWrite);
        b.send(rw(0xE6, 1, 0, 1, 9));
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 1, 0, 2, 2});
        CHECK(sector_in_ram(b, 0x10000, 18));
        b.seek(0, 3);  // between two recorded tracks
        b.send({0x4A, 0x00});
        REQUIRE(b.wait_irq());
        CHECK(b.results()[1] == 0x01);
    }

    TEST_CASE("with no disk the command waits for index pulses; inserting one lets it finish") {
        FdcBench b;
        b.power_up();
        b.program8(2, 0x10000, 511, kDmaWrite);
        b.send(rw(0xE6, 0, 0, 1, 18));
        b.advance(FdcBench::us(3'000'000));
        CHECK_FALSE(b.irq());
        CHECK(b.msr() == 0x10);
        TempFile file(image_bytes(k144));
        b.fdc.insert_disk(0, b.open(file));
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 0, 0, 2, 2});
        CHECK(sector_in_ram(b, 0x10000, 0));

        // A reset also ends a stuck command (what a BIOS does after its timeout).
        b.fdc.eject_disk(0);
        b.send(rw(0xE6, 0, 0, 1, 18));
        b.advance(FdcBench::us(1'000'000));
        b.out(0x3F2, 0x18);
        b.out(0x3F2, 0x1C);
        CHECK(b.msr() == 0x80);
        REQUIRE(b.wait_irq());
        b.send({0x08});
        CHECK(b.results() == Bytes{0xC0, 0x00});
    }

    TEST_CASE("a masked DMA channel makes the read overrun") {
        Loaded t;
        FdcBench& b = t.b;
        b.program8(2, 0x10000, 511, kDmaWrite);
        b.out(0x0A, 0x06);  // mask channel 2 again
        b.send(rw(0xE6, 0, 0, 1, 18));
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x40, 0x10, 0x00, 0, 0, 1, 2});
    }

    TEST_CASE("ejecting the disk in the middle of a read stalls it; a new disk lets it go on") {
        Loaded t;
        FdcBench& b = t.b;
        b.program8(2, 0x10000, 3 * 512 - 1, kDmaWrite);
        b.send(rw(0xE6, 0, 0, 1, 18));
        REQUIRE(b.run_until([&] { return b.dma.dma1().regs(2).current_address != 0x0000; }));
        auto disk = b.fdc.eject_disk(0);
        b.advance(FdcBench::us(2'000'000));
        CHECK_FALSE(b.irq());
        CHECK(b.msr() == 0x10);
        b.fdc.insert_disk(0, std::move(disk));
        REQUIRE(b.wait_irq());
        CHECK(b.results() == Bytes{0x00, 0x00, 0x00, 0, 0, 4, 2});
        for (std::uint32_t s = 0; s < 3; ++s) CHECK(sector_in_ram(b, 0x10000 + s * 512, s));
    }

    TEST_CASE("2.88M media need 1 Mbps in a 2.88M drive; DMF reads at 500 kbps") {
        {
            TempFile file(image_bytes(2949120));
            FdcBench b(FloppyDriveType::Drive2880K);
            b.fdc.insert_disk(0, b.open(file));
            b.power_up(0, 0x03);
            b.program8(2, 0x10000, 511, kDmaWrite);
            b.send(rw(0xE6, 0, 1, 36, 36));
            REQUIRE(b.wait_irq());
            // TC on the last sector of head 1 with MT: the ID moves to C+1, head 0, R 1 (Table 5-6).
            CHECK(b.results() == Bytes{0x04, 0x00, 0x00, 1, 0, 1, 2});
            CHECK(sector_in_ram(b, 0x10000, 71));
        }
        {
            TempFile file(image_bytes(1720320));
            FdcBench b;
            b.fdc.insert_disk(0, b.open(file));
            b.power_up();
            b.program8(2, 0x10000, 511, kDmaWrite);
            b.send(rw(0xE6, 0, 0, 21, 21));
            REQUIRE(b.wait_irq());
            CHECK(b.results()[0] == 0x00);
            CHECK(sector_in_ram(b, 0x10000, 20));
        }
    }
}

