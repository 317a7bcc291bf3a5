#include <doctest/doctest.h>

#include <array>
#include <cstring>
#include <initializer_list>

#include "devices/ide/atapi_cdrom.h"
#include "devices/storage/file_image.h"
#include "devices/storage/memory_image.h"
#include "ide_rig.h"

using namespace lantern;
using namespace lantern::testing;

namespace {

constexpr std::uint64_t kIsoSectors = 100;

// An ISO-9660-looking image: patterned 2048-byte sectors with a Primary Volume Descriptor at
// sector 16 (type 1, "CD001", version 1), as a real disc's first descriptor.
std::vector<std::uint8_t> make_iso() {
    auto iso = patterned_image(kIsoSectors, 2048);
    std::uint8_t* pvd = iso.data() + 16 * 2048;
    std::memset(pvd, 0, 2048);
    pvd[0] = 1;
    std::memcpy(pvd + 1, "CD001", 5);
    pvd[6] = 1;
    std::memcpy(pvd + 40, "LANTERN_TEST", 12);
    return iso;
}

struct Reply {
    std::uint8_t status = 0;
    std::uint8_t error = 0;
    std::uint8_t reason = 0;
    std::vector<std::uint8_t> data;
    std::vector<unsigned> blocks;  // byte count of each DRQ block
};

struct CdRig {
    IdeRig rig{};
    std::vector<std::uint8_t> iso = make_iso();
    MemoryImage image{iso, 2048, false};
    AtapiCdrom cd{};
    CdRig() { rig.secondary.attach(0, cd); }

    Reply packet(std::initializer_list<std::uint8_t> cdb, std::uint16_t limit = 0xFFFE) {
        Reply r;
        rig.out8(0x171, 0x00);  // PIO
        rig.out8(0x174, static_cast<std::uint8_t>(limit));
        rig.out8(0x175, static_cast<std::uint8_t>(limit >> 8));
        rig.out8(0x176, 0xA0);
        rig.out8(0x177, ata::kPacket);
        const std::uint8_t s = rig.wait_not_busy(0x170, 0x376);
        REQUIRE((s & ata::kStatusDrq) != 0);
        REQUIRE((rig.in8(0x172) & 0x03) == ata::kReasonCod);  // the device wants the packet
        std::array<std::uint8_t, 12> c{};
        std::copy(cdb.begin(), cdb.end(), c.begin());
        for (unsigned i = 0; i < 12; i += 2) rig.out16(0x170, static_cast<std::uint16_t>(c[i] | c[i + 1] << 8));
        for (int guard = 0; guard < 1000; ++guard) {
            const std::uint8_t st = rig.wait_not_busy(0x170, 0x376);
            if (!(st & ata::kStatusDrq)) break;
            CHECK(rig.irq15.level());
            CHECK((rig.in8(0x172) & 0x03) == ata::kReasonIo);  // data to the host
            const unsigned n = rig.in8(0x174) | rig.in8(0x175) << 8;
            rig.in8(0x177);
            r.blocks.push_back(n);
            for (unsigned i = 0; i < n; i += 2) {
                const std::uint16_t w = rig.in16(0x170);
                r.data.push_back(static_cast<std::uint8_t>(w));
                if (i + 1 < n) r.data.push_back(static_cast<std::uint8_t>(w >> 8));
            }
        }
        CHECK(rig.irq15.level());  // the status phase interrupts
        r.reason = rig.in8(0x172);
        r.error = rig.in8(0x171);
        r.status = rig.in8(0x177);
        return r;
    }
    Reply request_sense() { return packet({0x03, 0, 0, 0, 18}); }
};

}  // namespace

TEST_SUITE("atapi") {
    TEST_CASE("IDENTIFY DEVICE aborts with the signature; IDENTIFY PACKET DEVICE describes a CD-ROM") {
        CdRig c;
        IdeRig& r = c.rig;
        r.out8(0x176, 0xA0);
        r.out8(0x177, ata::kIdentify);
        CHECK(r.wait_not_busy(0x170, 0x376) == 0x41);
        CHECK(r.in8(0x171) == ata::kErrorAbrt);
        CHECK(r.in8(0x174) == 0x14);
        CHECK(r.in8(0x175) == 0xEB);
        r.out8(0x177, ata::kReadSectors);
        CHECK(r.wait_not_busy(0x170, 0x376) == 0x41);
        r.out8(0x177, ata::kIdentifyPacket);
        r.wait_not_busy(0x170, 0x376);
        const auto id = r.read_words(512, 0x170);
        auto word = [&](unsigned i) { return id[2 * i] | id[2 * i + 1] << 8; };
        CHECK(word(0) == 0x85C0);
        CHECK(word(27) == ('L' << 8 | 'A'));
        CHECK((word(49) & 0x0300) == 0x0300);
        CHECK((word(82) & 0x0010) != 0);  // PACKET feature set
        CHECK(r.in8(0x177) == 0x40);
    }

    TEST_CASE("power-on unit attention, REQUEST SENSE, then TEST UNIT READY without a medium") {
        CdRig c;
        Reply inq = c.packet({0x12, 0, 0, 0, 36});  // INQUIRY does not report the attention
        CHECK(inq.status == 0x40);
        auto tur = c.packet({0x00});
        CHECK(tur.status == 0x41);
        CHECK(tur.error == 0x60);  // UNIT ATTENTION in bits 7:4
        CHECK(tur.reason == 0x03);
        tur = c.packet({0x00});
        CHECK(tur.status == 0x41);  // no medium now
        CHECK(tur.error == 0x20);
        auto sense = c.request_sense();
        REQUIRE(sense.data.size() == 18);
        CHECK(sense.data[0] == 0x70);
        CHECK(sense.data[2] == scsi::kNotReady);
        CHECK(sense.data[12] == 0x3A);
        CHECK(sense.data[13] == 0x01);  // tray closed
        CHECK(sense.data[7] == 10);
        CHECK(c.request_sense().data[2] == scsi::kNoSense);  // reading it cleared it
    }

    TEST_CASE("INQUIRY data") {
        CdRig c;
        auto inq = c.packet({0x12, 0, 0, 0, 36});
        REQUIRE(inq.data.size() == 36);
        CHECK(inq.data[0] == 0x05);
        CHECK(inq.data[1] == 0x80);
        CHECK(inq.data[4] == 31);
        CHECK(std::string(inq.data.begin() + 8, inq.data.begin() + 16) == "LANTERN ");
        CHECK(std::string(inq.data.begin() + 16, inq.data.begin() + 22) == "CD-ROM");
        CHECK(c.packet({0x12, 0, 0, 0, 5}).data.size() == 5);  // allocation length honoured
        CHECK(c.packet({0x12, 1, 0x80, 0, 36}).error == 0x54);  // no VPD pages
    }

    TEST_CASE("a media change raises unit attention 28h; READ CAPACITY; GET EVENT STATUS") {
        CdRig c;
        c.request_sense();  // consume the power-on attention
        c.cd.insert_media(c.image);
        auto gesn = c.packet({0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8});
        REQUIRE(gesn.data.size() == 8);
        CHECK(gesn.data[2] == 0x04);
        CHECK(gesn.data[4] == 2);     // new media
        CHECK(gesn.data[5] == 0x02);  // media present, tray closed
        CHECK(c.packet({0x4A, 0x01, 0, 0, 0x10, 0, 0, 0, 8}).data[4] == 0);
        auto cap = c.packet({0x25});
        CHECK(cap.error == 0x60);
        CHECK(c.request_sense().data.size() == 18);
        cap = c.packet({0x25});
        CHECK(cap.status == 0x40);  // the failed command consumed the attention
        REQUIRE(cap.data.size() == 8);
        CHECK(cap.data[3] == kIsoSectors - 1);
        CHECK(cap.data[6] == 0x08);  // 2048-byte blocks
        CHECK(c.packet({0x00}).status == 0x40);
    }

    TEST_CASE("READ(10) and READ(12): data, byte count limit and DRQ blocks") {
        CdRig c;
        c.cd.insert_media(c.image);
        c.packet({0x00});  // unit attention
        auto rd = c.packet({0x28, 0, 0, 0, 0, 16, 0, 0, 5}, 0x1000);  // LBA 16, 5 sectors, 4 KiB blocks
        CHECK(rd.status == 0x40);
        CHECK(rd.reason == 0x03);
        CHECK(rd.blocks == std::vector<unsigned>{4096, 4096, 2048});
        CHECK(rd.data == std::vector<std::uint8_t>(c.iso.begin() + 16 * 2048, c.iso.begin() + 21 * 2048));
        CHECK(std::string(rd.data.begin() + 1, rd.data.begin() + 6) == "CD001");
        // A 1000-byte limit: even blocks of 1000 bytes that straddle sectors.
        rd = c.packet({0xA8, 0, 0, 0, 0, 2, 0, 0, 0, 1}, 1001);
        CHECK(rd.blocks.size() == 3);
        CHECK(rd.blocks[0] == 1000);
        CHECK(rd.blocks[2] == 48);
        CHECK(rd.data == std::vector<std::uint8_t>(c.iso.begin() + 2 * 2048, c.iso.begin() + 3 * 2048));
        // Zero sectors: no data phase at all.
        rd = c.packet({0x28, 0, 0, 0, 0, 3, 0, 0, 0});
        CHECK(rd.status == 0x40);
        CHECK(rd.blocks.empty());
        // Past the end: ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE.
        rd = c.packet({0x28, 0, 0, 0, 0, 98, 0, 0, 3});
        CHECK(rd.status == 0x41);
        CHECK(rd.error == 0x54);
        auto sense = c.request_sense();
        CHECK(sense.data[2] == scsi::kIllegalRequest);
        CHECK(sense.data[12] == 0x21);
    }

    TEST_CASE("REQUEST SENSE after an unknown command") {
        CdRig c;
        c.request_sense();
        auto bad = c.packet({0xF0});
        CHECK(bad.status == 0x41);
        CHECK(bad.error == 0x54);  // ILLEGAL REQUEST, ABRT
        auto sense = c.request_sense();
        CHECK(sense.data[2] == scsi::kIllegalRequest);
        CHECK(sense.data[12] == 0x20);  // invalid command operation code
        CHECK(sense.data[13] == 0x00);
    }

    TEST_CASE("READ TOC formats 0 and 1, LBA and MSF") {
        CdRig c;
        c.cd.insert_media(c.image);
        c.request_sense();
        auto toc = c.packet({0x43, 0, 0, 0, 0, 0, 0, 0, 100});
        REQUIRE(toc.data.size() == 20);
        CHECK(toc.data[1] == 18);  // data length
        CHECK(toc.data[2] == 1);
        CHECK(toc.data[3] == 1);
        CHECK(toc.data[5] == 0x14);  // data track
        CHECK(toc.data[6] == 1);
        CHECK(toc.data[11] == 0);    // track 1 at LBA 0
        CHECK(toc.data[14] == 0xAA);
        CHECK(toc.data[19] == kIsoSectors);  // lead-out
        toc = c.packet({0x43, 0x02, 0, 0, 0, 0, 0, 0, 100});  // MSF
        CHECK(toc.data[9] == 0);
        CHECK(toc.data[10] == 2);   // 00:02:00
        CHECK(toc.data[11] == 0);
        CHECK(toc.data[17] == 0);   // lead-out at 100 + 150 = 250 frames = 00:03:25
        CHECK(toc.data[18] == 3);
        CHECK(toc.data[19] == 25);
        toc = c.packet({0x43, 0, 0, 0, 0, 0, 0xAA, 0, 100});  // from the lead-out only
        CHECK(toc.data.size() == 12);
        auto ses = c.packet({0x43, 0, 0x01, 0, 0, 0, 0, 0, 12});
        REQUIRE(ses.data.size() == 12);
        CHECK(ses.data[1] == 10);
        CHECK(ses.data[6] == 1);
        CHECK(c.packet({0x43, 0, 0, 0, 0, 0, 5, 0, 100}).error == 0x54);  // no track 5
        CHECK(c.packet({0x43, 0, 0x02, 0, 0, 0, 0, 0, 100}).error == 0x54);  // full TOC: not here
    }

    TEST_CASE("MODE SENSE(10) capabilities page, GET CONFIGURATION") {
        CdRig c;
        c.cd.insert_media(c.image);
        c.request_sense();
        auto ms = c.packet({0x5A, 0, 0x2A, 0, 0, 0, 0, 0, 64});
        REQUIRE(ms.data.size() == 28);
        CHECK(ms.data[1] == 26);
        CHECK(ms.data[2] == 0x01);  // 120 mm data disc
        CHECK(ms.data[8] == 0x2A);
        CHECK(ms.data[9] == 0x12);
        CHECK((ms.data[14] & 0x08) != 0);  // eject supported
        CHECK(c.packet({0x5A, 0, 0x3F, 0, 0, 0, 0, 0, 64}).data.size() == 36);
        CHECK(c.packet({0x5A, 0, 0xEA, 0, 0, 0, 0, 0, 64}).error == 0x54);  // saved values
        CHECK(c.packet({0x5A, 0, 0x05, 0, 0, 0, 0, 0, 64}).error == 0x54);  // no such page
        auto cfg = c.packet({0x46, 0, 0, 0, 0, 0, 0, 0x01, 0});
        REQUIRE(cfg.data.size() >= 12);
        CHECK(cfg.data[6] == 0x00);
        CHECK(cfg.data[7] == 0x08);  // current profile: CD-ROM
        CHECK(cfg.data[9] == 0x00);  // first feature: the profile list
        auto one = c.packet({0x46, 0x02, 0, 0x1E, 0, 0, 0, 0x01, 0});
        REQUIRE(one.data.size() == 12);
        CHECK(one.data[9] == 0x1E);
    }

    TEST_CASE("PREVENT ALLOW MEDIUM REMOVAL and START STOP UNIT eject/load") {
        CdRig c;
        c.cd.insert_media(c.image);
        c.request_sense();
        c.packet({0x1E, 0, 0, 0, 1});
        CHECK(c.cd.locked());
        auto ej = c.packet({0x1B, 0, 0, 0, 0x02});
        CHECK(ej.error == 0x54);
        CHECK(c.request_sense().data[12] == 0x53);
        c.packet({0x1E, 0, 0, 0, 0});
        CHECK(c.packet({0x1B, 0, 0, 0, 0x02}).status == 0x40);
        CHECK(c.cd.tray_open());
        CHECK(c.packet({0x00}).error == 0x20);
        CHECK(c.request_sense().data[13] == 0x02);  // tray open
        c.packet({0x1B, 0, 0, 0, 0x03});  // load
        CHECK(c.packet({0x00}).error == 0x60);  // the medium may have changed
        CHECK(c.packet({0x00}).status == 0x40);
        c.cd.eject_media();
        CHECK(c.packet({0x25}).error == 0x20);
    }

    TEST_CASE("an ISO file back-end with 512-byte sectors reads the same") {
        const auto iso = make_iso();
        TempImage file(iso);
        auto media = FileImage::open(file.path(), ImageMode::ReadOnly, 512);
        CdRig c;
        REQUIRE(c.cd.insert_media(*media));
        CHECK(c.cd.capacity() == kIsoSectors);
        c.request_sense();
        auto rd = c.packet({0x28, 0, 0, 0, 0, 16, 0, 0, 1});
        CHECK(rd.data == std::vector<std::uint8_t>(iso.begin() + 16 * 2048, iso.begin() + 17 * 2048));
    }
}
