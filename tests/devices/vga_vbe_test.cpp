// The Bochs VBE DISPI interface: identification, mode set, capabilities, virtual screen,
// banked window and linear framebuffer (register behaviour as Bochs' vbe_read/vbe_write).
#include <doctest/doctest.h>

#include "devices/memory_map.h"
#include "devices/port_map.h"
#include "vga_rig.h"

using namespace lantern;
using lantern::testing::VgaRig;

TEST_SUITE("vga_vbe") {
    TEST_CASE("ID accepts B0C0-B0C5 only; video memory is 16 MiB in 64 KiB units") {
        VgaRig r;
        CHECK(r.dispi_get(dispi::kIndexId) == 0xB0C0);
        r.dispi(dispi::kIndexId, 0xB0C5);
        CHECK(r.dispi_get(dispi::kIndexId) == 0xB0C5);
        r.dispi(dispi::kIndexId, 0xB0C6);
        CHECK(r.dispi_get(dispi::kIndexId) == 0xB0C5);
        r.dispi(dispi::kIndexId, 0x1234);
        CHECK(r.dispi_get(dispi::kIndexId) == 0xB0C5);
        CHECK(r.dispi_get(dispi::kIndexVideoMemory64K) == 256);
        CHECK(r.dispi_get(0x55) == 0);
    }

    TEST_CASE("through the ports: 16-bit index and data, narrower accesses see the low byte") {
        VgaRig r;
        PortMap ports;
        r.vga.map(ports);
        ports.write(0x1CE, dispi::kIndexXRes, 2);
        ports.write(0x1CF, 1024, 2);
        CHECK(ports.read(0x1CF, 2) == 1024);
        CHECK(ports.read(0x1CE, 2) == dispi::kIndexXRes);
        ports.write(0x1CE, dispi::kIndexYRes, 2);
        ports.write(0x1CF, 768, 2);
        CHECK(ports.read(0x1CF, 1) == (768 & 0xFF));
        CHECK(ports.read(0x1D0, 1) == (768 >> 8));
        CHECK(ports.peek(0x1CF, 2) == 768);
        ports.write(0x1D0, 0x55, 1);  // ignored
        CHECK(ports.read(0x1CF, 2) == 768);
    }

    TEST_CASE("GETCAPS makes XRES, YRES and BPP read their maxima") {
        VgaRig r;
        r.dispi(dispi::kIndexXRes, 800);
        r.dispi(dispi::kIndexEnable, dispi::kGetCaps);
        CHECK(r.dispi_get(dispi::kIndexXRes) == 2560);
        CHECK(r.dispi_get(dispi::kIndexYRes) == 1600);
        CHECK(r.dispi_get(dispi::kIndexBpp) == 32);
        CHECK(r.dispi_get(dispi::kIndexEnable) == dispi::kGetCaps);
        r.dispi(dispi::kIndexEnable, 0);
        CHECK(r.dispi_get(dispi::kIndexXRes) == 800);
    }

    TEST_CASE("mode set: resolution fixed while enabled, memory cleared unless NOCLEARMEM") {
        VgaRig r;
        r.vga.lfb_write(0, 0xAA);
        r.vga.lfb_write(1024 * 768 * 4 - 1, 0xBB);
        r.vga.lfb_write(1024 * 768 * 4, 0xCC);  // past the visible screen
        r.dispi(dispi::kIndexXRes, 1024);
        r.dispi(dispi::kIndexYRes, 768);
        r.dispi(dispi::kIndexBpp, 32);
        r.dispi(dispi::kIndexBpp, 12);  // not a DISPI depth: ignored
        CHECK(r.dispi_get(dispi::kIndexBpp) == 32);
        r.dispi(dispi::kIndexEnable, dispi::kEnabled | dispi::kLfbEnabled);
        CHECK(r.dispi_get(dispi::kIndexEnable) == (dispi::kEnabled | dispi::kLfbEnabled));
        CHECK(r.vga.lfb_read(0) == 0);
        CHECK(r.vga.lfb_read(1024 * 768 * 4 - 1) == 0);
        CHECK(r.vga.lfb_read(1024 * 768 * 4) == 0xCC);
        CHECK(r.dispi_get(dispi::kIndexVirtWidth) == 1024);
        CHECK(r.dispi_get(dispi::kIndexVirtHeight) == 768);
        r.dispi(dispi::kIndexXRes, 640);
        CHECK(r.dispi_get(dispi::kIndexXRes) == 1024);
        r.dispi(dispi::kIndexXRes, 3000);

        r.dispi(dispi::kIndexEnable, 0);
        r.dispi(dispi::kIndexXRes, 3000);  // above the maximum: ignored
        CHECK(r.dispi_get(dispi::kIndexXRes) == 1024);
        r.dispi(dispi::kIndexBpp, 0);  // 0 means 8
        CHECK(r.dispi_get(dispi::kIndexBpp) == 8);
        r.vga.lfb_write(5, 0x5A);
        r.dispi(dispi::kIndexEnable, dispi::kEnabled | dispi::kNoClearMem);
        CHECK(r.vga.lfb_read(5) == 0x5A);
    }

    TEST_CASE("virtual width sets the virtual height from memory; offsets move the start") {
        VgaRig r;
        r.dispi(dispi::kIndexXRes, 640);
        r.dispi(dispi::kIndexYRes, 480);
        r.dispi(dispi::kIndexBpp, 32);
        r.dispi(dispi::kIndexEnable, dispi::kEnabled);
        r.dispi(dispi::kIndexVirtWidth, 1024);
        CHECK(r.dispi_get(dispi::kIndexVirtWidth) == 1024);
        CHECK(r.dispi_get(dispi::kIndexVirtHeight) == (16u << 20) / 4 / 1024);
        r.dispi(dispi::kIndexVirtHeight, 5);  // read-only
        CHECK(r.dispi_get(dispi::kIndexVirtHeight) == 4096);
        r.dispi(dispi::kIndexXOffset, 8);
        r.dispi(dispi::kIndexYOffset, 100);
        CHECK(r.vga.vbe().start_offset() == 100u * 1024 * 4 + 8 * 4);
        r.dispi(dispi::kIndexYOffset, 4096 - 480 + 1);  // would show past the end of memory
        CHECK(r.dispi_get(dispi::kIndexYOffset) == 100);
        r.dispi(dispi::kIndexYOffset, 4096 - 480);
        CHECK(r.dispi_get(dispi::kIndexYOffset) == 4096 - 480);
        // A width too large for the visible height is cut down so the height fits.
        r.dispi(dispi::kIndexVirtWidth, 65535);
        CHECK(r.dispi_get(dispi::kIndexVirtHeight) == 480);
        CHECK(r.dispi_get(dispi::kIndexVirtWidth) == (16u << 20) / 4 / 480);
        r.dispi(dispi::kIndexVirtWidth, 0);  // ignored
        CHECK(r.dispi_get(dispi::kIndexVirtHeight) == 480);
    }

    TEST_CASE("the banked window: 64 KiB at A0000 through BANK") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode03);
        r.dispi(dispi::kIndexBpp, 8);
        r.dispi(dispi::kIndexEnable, dispi::kEnabled);
        CHECK(((r.vga.gc(6) >> 2) & 3) == 1);  // the window moved to A0000-AFFFF
        r.dispi(dispi::kIndexBank, 3);
        r.poke(0xA0010, 0x42);
        CHECK(r.vga.lfb_read(3 * 0x10000 + 0x10) == 0x42);
        CHECK(r.peek(0xA0010) == 0x42);
        CHECK(r.peek(0xB8000) == 0xFF);
        r.dispi(dispi::kIndexBank, 256);  // past 16 MiB: ignored
        CHECK(r.dispi_get(dispi::kIndexBank) == 3);
        r.dispi(dispi::kIndexBank, 255);
        r.poke(0xAFFFF, 0x24);
        CHECK(r.vga.lfb_read((16u << 20) - 1) == 0x24);
    }

    TEST_CASE("4 bpp: the planar pipeline with 4 MiB planes and a bank offset") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode12);
        r.dispi(dispi::kIndexXRes, 1024);
        r.dispi(dispi::kIndexYRes, 768);
        r.dispi(dispi::kIndexBpp, 4);
        r.dispi(dispi::kIndexEnable, dispi::kEnabled);
        r.dispi(dispi::kIndexBank, 1);
        r.gc(5, 0x02);  // write mode 2
        r.gc(8, 0x80);
        r.poke(0xA0005, 0x09);  // colour 9 at plane offset 0x10005, leftmost pixel
        CHECK(r.vga.plane_byte(0, 0x10005) == 0x80);
        CHECK(r.vga.plane_byte(1, 0x10005) == 0x00);
        CHECK(r.vga.plane_byte(3, 0x10005) == 0x80);
        CHECK(r.vga.lfb_read(3 * kVgaPlaneStride + 0x10005) == 0x80);
        r.dispi(dispi::kIndexBank, 64);  // 64 banks of 64 KiB per 4 MiB plane
        CHECK(r.dispi_get(dispi::kIndexBank) == 1);
    }

    TEST_CASE("the LFB through the MemoryMap, and set_lfb_base moving it") {
        VgaRig r;
        MemoryMap mem;
        r.vga.map(mem);
        r.vga.map_lfb(mem);
        mem.write16(kVbeLfbDefaultBase + 0x100, 0xBEEF);
        CHECK(r.vga.lfb_read(0x100) == 0xEF);
        CHECK(r.vga.lfb_read(0x101) == 0xBE);
        r.vga.set_lfb_base(0xF0000000u);
        CHECK(r.vga.lfb_base() == 0xF0000000u);
        CHECK(mem.read16(0xF0000100u) == 0xBEEF);
        CHECK(mem.read8(kVbeLfbDefaultBase + 0x100) == 0xFF);  // nothing there any more
        // The adapter on its own, as a PCI BAR maps it: offsets from the BAR.
        CHECK(r.vga.lfb().read(0x100, 2) == 0xBEEF);
        r.vga.lfb().write(0x200, 0x11223344, 4);
        CHECK(r.vga.lfb().peek(0x200, 4) == 0x11223344);
        CHECK(r.vga.lfb().read(kVgaVramBytes, 1) == 0xFF);
    }
}
