// The VGA as a PCI function (devices/vga/vga_pci.h): the stdvga identity, BAR 0 as the linear
// framebuffer that follows the firmware's placement, and the expansion ROM register (PCI 2.1,
// 6.2.5.1 and 6.2.5.2).
#include <doctest/doctest.h>

#include <vector>

#include "devices/memory_map.h"
#include "devices/pci/pci_bus.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"
#include "devices/storage/block_device.h"
#include "devices/vga/vga.h"
#include "devices/vga/vga_pci.h"

using namespace lantern;

namespace {

struct VgaPciRig {
    Scheduler scheduler{};
    PortMap ports{};
    MemoryMap memory{};
    PciBus bus{ports, memory};
    Vga vga{scheduler, 33'000'000};
    VgaPci function;

    explicit VgaPciRig(std::vector<std::uint8_t> rom) : function(vga, std::move(rom)) { bus.attach(2, 0, function); }
    std::uint32_t cfg(unsigned reg, unsigned size = 4) { return bus.config_read(0, 2, 0, static_cast<std::uint8_t>(reg), size); }
    void set(unsigned reg, std::uint32_t v, unsigned size = 4) {
        bus.config_write(0, 2, 0, static_cast<std::uint8_t>(reg), v, size);
    }
};

// A 39,936-byte option ROM, the size of Debian's vgabios-stdvga.bin: 55h AAh, then a pattern.
std::vector<std::uint8_t> fake_rom() {
    std::vector<std::uint8_t> rom(39936);
    for (std::size_t i = 0; i < rom.size(); ++i) rom[i] = static_cast<std::uint8_t>(i * 7);
    rom[0] = 0x55;
    rom[1] = 0xAA;
    rom[2] = static_cast<std::uint8_t>(rom.size() / 512);
    return rom;
}

}  // namespace

TEST_SUITE("vga_pci") {
    TEST_CASE("The stdvga identity; BAR 0 sizes as 16 MiB of prefetchable memory") {
        VgaPciRig r(fake_rom());
        CHECK(r.cfg(0x00) == 0x11111234);
        CHECK((r.cfg(0x08) >> 8) == 0x030000);  // VGA-compatible display controller
        CHECK(r.cfg(0x10) == 0x00000008);       // unassigned, prefetchable, 32-bit
        r.set(0x10, 0xFFFFFFFF);
        CHECK(r.cfg(0x10) == 0xFF000008);
        for (unsigned bar = 0x14; bar <= 0x24; bar += 4) {
            r.set(bar, 0xFFFFFFFF);
            CHECK(r.cfg(bar) == 0);  // no other BARs
        }
    }

    TEST_CASE("BAR 0 places the linear framebuffer and moves it") {
        VgaPciRig r({});
        r.set(0x10, 0xFD000000);
        CHECK_FALSE(r.function.windows()[0].mapped);  // memory decoding still off
        r.set(0x04, 0x0002, 2);
        CHECK(r.function.windows()[0].mapped);
        CHECK(r.vga.lfb_base() == 0xFD000000u);
        r.memory.write8(0xFD000010, 0x5A);
        CHECK(r.vga.lfb_read(0x10) == 0x5A);
        r.set(0x10, 0xE0000000);
        CHECK(r.vga.lfb_base() == 0xE0000000u);
        CHECK(r.memory.read8(0xE0000010) == 0x5A);
        CHECK(r.memory.read8(0xFD000010) == 0xFF);  // nothing decodes the old place
    }

    TEST_CASE("The expansion ROM: sized in 2 KiB steps, decoded only with its enable bit and Memory Space") {
        VgaPciRig r(fake_rom());
        CHECK(r.function.has_rom());
        CHECK(r.cfg(0x30) == 0);
        r.set(0x30, 0xFFFFF800);  // PCI 2.1, 6.2.5.2: the size probe leaves bit 0 clear
        CHECK(r.cfg(0x30) == 0xFFFF0000);  // 39,936 bytes -> a 64 KiB window
        r.set(0x30, 0xFEBF0000);
        r.set(0x04, 0x0002, 2);
        CHECK(r.memory.read8(0xFEBF0000) == 0xFF);  // enable bit clear: not decoded
        r.set(0x30, 0xFEBF0001);
        CHECK(r.memory.read8(0xFEBF0000) == 0x55);
        CHECK(r.memory.read8(0xFEBF0001) == 0xAA);
        CHECK(r.memory.read8(0xFEBF0000 + 1000) == static_cast<std::uint8_t>(1000 * 7));
        CHECK(r.memory.read8(0xFEBF0000 + 39936) == 0xFF);  // past the image
        r.memory.write8(0xFEBF0003, 0x00);                  // read-only
        CHECK(r.memory.read8(0xFEBF0003) == static_cast<std::uint8_t>(3 * 7));
        r.set(0x04, 0x0000, 2);
        CHECK(r.memory.read8(0xFEBF0000) == 0xFF);  // Memory Space off: not decoded
    }

    TEST_CASE("Without a VGA BIOS image the ROM register is read-only zero") {
        VgaPciRig r({});
        CHECK_FALSE(r.function.has_rom());
        r.set(0x30, 0xFFFFF801);
        CHECK(r.cfg(0x30) == 0);
    }

    TEST_CASE("A VGA BIOS file must be an option ROM") {
        CHECK_THROWS_AS(load_vga_bios("/nonexistent/vgabios.bin"), DiskImageError);
        CHECK(is_seabios_image(std::vector<std::uint8_t>{'S', 'e', 'a', 'B', 'I', 'O', 'S', ' ', '(', 'v', 'e', 'r',
                                                          's', 'i', 'o', 'n', ' ', '1'}));
        CHECK_FALSE(is_seabios_image(std::vector<std::uint8_t>(64, 0)));
    }
}
