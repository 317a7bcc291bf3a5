#include <doctest/doctest.h>

#include <array>
#include <stdexcept>
#include <vector>

#include "devices/memory_map.h"
#include "fake_device.h"
#include "recording_visitor.h"

using namespace lantern;
using testing::FakeDevice;

TEST_SUITE("memory_map") {
    TEST_CASE("RAM reads back what was written; holes read all ones") {
        std::vector<std::uint8_t> ram(0xA0000, 0);
        MemoryMap m;
        m.map_ram(0, ram, "ram");
        m.write8(0x1234, 0x5A);
        CHECK(m.read8(0x1234) == 0x5A);
        CHECK(ram[0x1234] == 0x5A);
        m.write16(0x9FFFE, 0xBEEF);
        CHECK(m.read16(0x9FFFE) == 0xBEEF);
        CHECK(ram[0x9FFFE] == 0xEF);
        CHECK(m.read8(0xA0000) == 0xFF);          // nothing decodes A0000 here
        CHECK(m.read16(0x9FFFF) == 0xFFBE);       // a word straddling RAM and the hole
        m.write8(0xB8000, 1);                     // ignored
        CHECK(m.read8(0xB8000) == 0xFF);
    }

    TEST_CASE("ROM ignores writes") {
        std::vector<std::uint8_t> rom(0x10000, 0);
        rom[0xFFF0] = 0xEA;
        MemoryMap m;
        m.map_rom(0xF0000, rom, "bios");
        CHECK(m.read8(0xFFFF0) == 0xEA);
        m.write8(0xFFFF0, 0x90);
        m.write16(0xF0000, 0x1234);
        CHECK(m.read8(0xFFFF0) == 0xEA);
        CHECK(m.read16(0xF0000) == 0);
        CHECK(rom[0xFFF0] == 0xEA);
    }

    TEST_CASE("MMIO regions see offsets, word accesses whole, and peek is side-effect free") {
        FakeDevice vga(0x40);
        MemoryMap m;
        m.map_mmio(0xA0000, 0x20000, vga, "vga");
        CHECK(m.read8(0xA0010) == 0x50);
        m.write8(0xA0002, 0x99);
        m.write16(0xBFFF0, 0x1234);
        CHECK(vga.accesses[1] == FakeDevice::Access{true, 2, 0x99, 1});
        CHECK(vga.accesses[2] == FakeDevice::Access{true, 0x1FFF0, 0x1234, 2});
        CHECK(m.peek8(0xA0000) == 0x40);  // the device says 0x140 after one read; a byte shows 0x40
        CHECK(vga.reads == 1);
    }

    TEST_CASE("regions that do not fill whole pages take the slow path correctly") {
        // A 16-byte ROM at the very end of the first MiB, RAM starting mid-page: the fast page
        // table must not cover bytes it does not own.
        std::array<std::uint8_t, 16> rom{};
        for (std::size_t i = 0; i < rom.size(); ++i) rom[i] = static_cast<std::uint8_t>(0xA0 + i);
        std::vector<std::uint8_t> ram(0x2000, 0x11);
        MemoryMap m;
        m.map_rom(0xFFFF0, rom, "tiny_rom");
        m.map_ram(0x10800, ram, "odd_ram");
        CHECK(m.read8(0xFFFEF) == 0xFF);
        CHECK(m.read8(0xFFFF0) == 0xA0);
        CHECK(m.read16(0xFFFFE) == 0xAFAE);
        CHECK(m.read8(0x107FF) == 0xFF);
        CHECK(m.read8(0x10800) == 0x11);
        m.write16(0x107FF, 0x2233);  // low byte into the hole, high byte into RAM
        CHECK(ram[0] == 0x22);
        CHECK(m.read8(0x127FF) == 0x11);
        CHECK(m.read8(0x12800) == 0xFF);
    }

    TEST_CASE("the bus mask wraps 8086 addresses at 1 MiB") {
        std::vector<std::uint8_t> ram(0x1000, 0);
        std::vector<std::uint8_t> rom(0x10000, 0x77);
        MemoryMap m;
        m.map_ram(0, ram, "ram");
        m.map_rom(0xF0000, rom, "bios");
        m.set_bus_mask(0xFFFFF);
        ram[0] = 0x42;
        CHECK(m.read8(0x100000) == 0x42);    // FFFF:0010 on an 8086
        CHECK(m.read16(0xFFFFF) == 0x4277);  // high byte of the word comes from 00000
        m.write16(0xFFFFF, 0xABCD);          // low byte into ROM (ignored), high byte to 00000
        CHECK(ram[0] == 0xAB);
    }

    TEST_CASE("the A20 gate forces address bit 20 low while closed") {
        std::vector<std::uint8_t> ram(2 << 20, 0);
        MemoryMap m;
        m.map_ram(0, std::span(ram).first(0xA0000), "low");
        m.map_ram(0x100000, std::span(ram).subspan(0x100000), "ext");
        m.set_bus_mask(0xFFFFFF);
        m.write8(0x100010, 0xE5);
        CHECK(m.read8(0x100010) == 0xE5);
        m.set_a20_enabled(false);
        CHECK_FALSE(m.a20_enabled());
        CHECK(m.effective_mask() == 0xEFFFFF);
        CHECK(m.read8(0x100010) == 0x00);  // now reads 0x000010
        m.write8(0x100010, 0x3C);
        CHECK(ram[0x10] == 0x3C);
        m.set_a20_enabled(true);
        CHECK(m.read8(0x100010) == 0xE5);
    }

    TEST_CASE("overlapping regions are rejected; the top of 4 GiB is reachable") {
        std::vector<std::uint8_t> a(0x1000), b(0x1000);
        MemoryMap m;
        m.map_ram(0x1000, a, "a");
        CHECK_THROWS_AS(m.map_ram(0x1800, b, "b"), std::invalid_argument);
        CHECK_THROWS_AS(m.map_rom(0x0800, b, "b"), std::invalid_argument);
        m.map_rom(0xFFFFF000u, b, "top");  // ends exactly at 2^32
        b[0xFFF] = 0x5C;
        CHECK(m.read8(0xFFFFFFFFu) == 0x5C);
        std::vector<std::uint8_t> c(0x2000);
        CHECK_THROWS_AS(m.map_ram(0xFFFFF000u - 0x1000, c, "overlaps_top"), std::invalid_argument);
        CHECK_THROWS_AS(m.map_ram(0xFFFFFFFFu, std::span(c).first(2), "past_4g"), std::invalid_argument);
    }

    TEST_CASE("inspect names each region") {
        std::vector<std::uint8_t> ram(0x1000);
        MemoryMap m;
        m.map_ram(0, ram, "conventional_ram");
        testing::RecordingVisitor v;
        m.inspect(v);
        CHECK(v.has("memory.a20_enabled=1"));
        CHECK(v.has("memory.conventional_ram.base=0"));
        CHECK(v.has("memory.conventional_ram.size=4096"));
        CHECK(m.regions().size() == 1);
    }
}
