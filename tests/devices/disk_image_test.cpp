#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "devices/storage/file_image.h"
#include "devices/storage/floppy_geometry.h"
#include "devices/storage/memory_image.h"
#include "fdc_rig.h"

using namespace lantern;
using lantern::testing::image_byte;
using lantern::testing::image_bytes;
using lantern::testing::TempFile;

namespace {
std::string error_of(const std::string& path, ImageMode mode = ImageMode::Snapshot) {
    try {
        FileImage::open(path, mode);
    } catch (const DiskImageError& e) {
        return e.what();
    }
    return {};
}
}  // namespace

TEST_SUITE("disk_image") {
    TEST_CASE("a snapshot image reads the file and keeps writes in memory; the file is never written") {
        const std::vector<std::uint8_t> original = image_bytes(8 * 512);
        TempFile file(original);
        auto img = FileImage::open(file.path());  // Snapshot is the default
        CHECK(img->mode() == ImageMode::Snapshot);
        CHECK(img->sector_size() == 512);
        CHECK(img->sector_count() == 8);
        CHECK(img->writable());

        std::vector<std::uint8_t> buf(2 * 512);
        REQUIRE(img->read_sectors(3, buf) == BlockStatus::Ok);
        CHECK(buf[0] == image_byte(3, 0));
        CHECK(buf[511] == image_byte(3, 511));
        CHECK(buf[512] == image_byte(4, 0));

        std::vector<std::uint8_t> fresh(512, 0xAB);
        REQUIRE(img->write_sectors(5, fresh) == BlockStatus::Ok);
        std::vector<std::uint8_t> back(512);
        REQUIRE(img->read_sectors(5, back) == BlockStatus::Ok);
        CHECK(back == fresh);
        CHECK(img->overlay().size() == 1);
        CHECK(file.contents() == original);  // the user's file is untouched

        img->discard_overlay();
        REQUIRE(img->read_sectors(5, back) == BlockStatus::Ok);
        CHECK(back[0] == image_byte(5, 0));
        CHECK(img->describe().find("snapshot") != std::string::npos);
    }

    TEST_CASE("read-only images refuse writes; write-through images write the file") {
        const std::vector<std::uint8_t> original = image_bytes(4 * 512);
        TempFile file(original);
        auto ro = FileImage::open(file.path(), ImageMode::ReadOnly);
        CHECK_FALSE(ro->writable());
        std::vector<std::uint8_t> data(512, 0x5A);
        CHECK(ro->write_sectors(0, data) == BlockStatus::ReadOnly);
        CHECK(file.contents() == original);

        auto rw = FileImage::open(file.path(), ImageMode::WriteThrough);
        REQUIRE(rw->write_sectors(2, data) == BlockStatus::Ok);
        const std::vector<std::uint8_t> now = file.contents();
        CHECK(now[2 * 512] == 0x5A);
        CHECK(now[3 * 512 - 1] == 0x5A);
        CHECK(now[0] == original[0]);
        CHECK(rw->overlay().empty());
    }

    TEST_CASE("out-of-range and partial-sector accesses are refused") {
        TempFile file(image_bytes(4 * 512));
        auto img = FileImage::open(file.path());
        std::vector<std::uint8_t> one(512), odd(100);
        CHECK(img->read_sectors(4, one) == BlockStatus::OutOfRange);
        CHECK(img->read_sectors(~0ull, one) == BlockStatus::OutOfRange);
        CHECK(img->read_sectors(0, odd) == BlockStatus::OutOfRange);
        CHECK(img->write_sectors(3, std::vector<std::uint8_t>(1024)) == BlockStatus::OutOfRange);
        CHECK(img->read_sectors(3, one) == BlockStatus::Ok);
    }

    TEST_CASE("missing, unreadable, directory, empty and odd-sized images give clear errors") {
        const std::string missing = (std::filesystem::temp_directory_path() / "lantern_no_such_image.img").string();
        const std::string m = error_of(missing);
        CHECK(m.find(missing) != std::string::npos);
        CHECK(m.find("No such file") != std::string::npos);

        const std::string dir = std::filesystem::temp_directory_path().string();
        CHECK(error_of(dir).find("directory") != std::string::npos);

        TempFile empty(std::vector<std::uint8_t>{});
        CHECK(error_of(empty.path()).find("is empty") != std::string::npos);

        TempFile odd(std::vector<std::uint8_t>(1000, 0));
        const std::string o = error_of(odd.path());
        CHECK(o.find("1000 bytes") != std::string::npos);
        CHECK(o.find("512-byte sectors") != std::string::npos);

        if (::geteuid() != 0) {  // root reads anything
            TempFile locked(image_bytes(512));
            std::filesystem::permissions(locked.path(), std::filesystem::perms::none);
            CHECK(error_of(locked.path()).find("Permission denied") != std::string::npos);
        }
    }

    TEST_CASE("floppy formats are recognised by image size") {
        struct Case {
            std::uint64_t bytes;
            const char* name;
            int cylinders, heads, spt;
        };
        const Case cases[] = {
            {163840, "160K", 40, 1, 8},    {184320, "180K", 40, 1, 9},    {327680, "320K", 40, 2, 8},
            {368640, "360K", 40, 2, 9},    {737280, "720K", 80, 2, 9},    {1228800, "1.2M", 80, 2, 15},
            {1474560, "1.44M", 80, 2, 18}, {1720320, "1.68M", 80, 2, 21}, {2949120, "2.88M", 80, 2, 36},
        };
        for (const Case& c : cases) {
            CAPTURE(c.name);
            const auto g = floppy_geometry_for_size(c.bytes);
            REQUIRE(g.has_value());
            CHECK(g->name == c.name);
            CHECK(g->cylinders == c.cylinders);
            CHECK(g->heads == c.heads);
            CHECK(g->sectors_per_track == c.spt);
            CHECK(g->sector_size() == 512);
            CHECK(g->total_bytes() == c.bytes);
        }
        CHECK(floppy_geometry_for_size(1474560)->density == FloppyDensity::High);
        CHECK(floppy_geometry_for_size(368640)->form_factor == FloppyFormFactor::Inch525);
        CHECK(floppy_geometry_for_size(2949120)->density == FloppyDensity::Extra);
        CHECK_FALSE(floppy_geometry_for_size(1474560 + 512).has_value());

        MemoryImage odd(std::vector<std::uint8_t>(10 * 512));
        try {
            floppy_geometry_for(odd);
            FAIL("expected DiskImageError");
        } catch (const DiskImageError& e) {
            const std::string m = e.what();
            CHECK(m.find("5120 bytes") != std::string::npos);
            CHECK(m.find("1.44M (1474560)") != std::string::npos);
        }
        MemoryImage hd(std::vector<std::uint8_t>(1474560));
        CHECK(floppy_geometry_for(hd).name == "1.44M");
    }

    TEST_CASE("memory images read, write and refuse writes when read-only") {
        MemoryImage img(image_bytes(3 * 512 + 100));  // rounded down to whole sectors
        CHECK(img.sector_count() == 3);
        std::vector<std::uint8_t> s(512);
        REQUIRE(img.read_sectors(2, s) == BlockStatus::Ok);
        CHECK(s[7] == image_byte(2, 7));
        std::vector<std::uint8_t> w(512, 1);
        CHECK(img.write_sectors(1, w) == BlockStatus::Ok);
        CHECK(img.bytes()[512] == 1);
        MemoryImage ro(std::vector<std::uint8_t>(512), 512, false);
        CHECK(ro.write_sectors(0, w) == BlockStatus::ReadOnly);
    }
}
