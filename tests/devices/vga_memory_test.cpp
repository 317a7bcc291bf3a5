// VGA memory through the Graphics Controller: write modes 0-3 with set/reset, rotate, logical
// operations and the bit mask, read modes 0 and 1, latch copies, chain-4 and odd/even
// addressing and the memory map select. Expected plane contents are worked out by hand from
// FreeVGA's write-mode descriptions in the comments.
#include <doctest/doctest.h>

#include "devices/memory_map.h"
#include "vga_rig.h"

using namespace lantern;
using lantern::testing::VgaRig;

namespace {

// Loads one byte into each plane at `addr` (mode 12h: A0000, 64 KiB, planar).
void fill_planes(VgaRig& r, std::uint32_t addr, std::uint8_t p0, std::uint8_t p1, std::uint8_t p2, std::uint8_t p3) {
    r.gc(1, 0x00);
    r.gc(3, 0x00);
    r.gc(5, 0x00);
    r.gc(8, 0xFF);
    const std::uint8_t v[4] = {p0, p1, p2, p3};
    for (unsigned p = 0; p < 4; ++p) {
        r.seq(2, static_cast<std::uint8_t>(1u << p));
        r.poke(addr, v[p]);
    }
    r.seq(2, 0x0F);
}

}  // namespace

TEST_SUITE("vga_memory") {
    TEST_CASE("write mode 0: rotate, enable set/reset, XOR with the latches, bit mask") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode12);
        fill_planes(r, 0xA0000, 0xF0, 0x0F, 0xAA, 0x55);
        (void)r.peek(0xA0000);  // load the latches
        r.gc(0, 0x01);          // set/reset: plane 0 = 1, plane 2 = 0
        r.gc(1, 0x05);          // enable set/reset on planes 0 and 2
        r.gc(3, 0x1A);          // XOR, rotate right 2
        r.gc(8, 0x3C);
        r.poke(0xA0000, 0x81);  // rotated: 0x60
        // p0: (FF ^ F0) & 3C | F0 & C3 = 0C | C0;  p1: (60 ^ 0F) & 3C | 0F & C3 = 2C | 03
        // p2: (00 ^ AA) & 3C | AA & C3 = 28 | 82;  p3: (60 ^ 55) & 3C | 55 & C3 = 34 | 41
        CHECK(r.vga.plane_byte(0, 0) == 0xCC);
        CHECK(r.vga.plane_byte(1, 0) == 0x2F);
        CHECK(r.vga.plane_byte(2, 0) == 0xAA);
        CHECK(r.vga.plane_byte(3, 0) == 0x75);
    }

    TEST_CASE("write mode 0 with OR and AND, and the map mask keeping planes untouched") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode12);
        fill_planes(r, 0xA0001, 0x11, 0x22, 0x44, 0x88);
        (void)r.peek(0xA0001);
        r.gc(3, 0x10);  // OR
        r.gc(8, 0xFF);
        r.seq(2, 0x03);  // planes 0 and 1 only
        r.poke(0xA0001, 0x0F);
        CHECK(r.vga.plane_byte(0, 1) == 0x1F);
        CHECK(r.vga.plane_byte(1, 1) == 0x2F);
        CHECK(r.vga.plane_byte(2, 1) == 0x44);
        CHECK(r.vga.plane_byte(3, 1) == 0x88);
        (void)r.peek(0xA0001);
        r.gc(3, 0x08);  // AND
        r.seq(2, 0x0F);
        r.poke(0xA0001, 0x3C);
        CHECK(r.vga.plane_byte(0, 1) == 0x1C);
        CHECK(r.vga.plane_byte(1, 1) == 0x2C);
        CHECK(r.vga.plane_byte(2, 1) == 0x04);
        CHECK(r.vga.plane_byte(3, 1) == 0x08);
    }

    TEST_CASE("write mode 2: CPU bits 0-3 expand to planes, AND with latches, bit mask") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode12);
        fill_planes(r, 0xA0002, 0xF0, 0x0F, 0xAA, 0x55);
        (void)r.peek(0xA0002);
        r.gc(5, 0x02);
        r.gc(3, 0x08);  // AND (rotate is ignored in write mode 2)
        r.gc(8, 0xF0);
        r.poke(0xA0002, 0x0A);  // planes 1 and 3 get FF, 0 and 2 get 00
        // p0: (00 & F0) & F0 | F0 & 0F = 00;  p1: (FF & 0F) & F0 | 0F & 0F = 0F
        // p2: 00 | AA & 0F = 0A;              p3: (FF & 55) & F0 | 55 & 0F = 50 | 05
        CHECK(r.vga.plane_byte(0, 2) == 0x00);
        CHECK(r.vga.plane_byte(1, 2) == 0x0F);
        CHECK(r.vga.plane_byte(2, 2) == 0x0A);
        CHECK(r.vga.plane_byte(3, 2) == 0x55);
    }

    TEST_CASE("write mode 3: set/reset through the rotated CPU byte ANDed with the bit mask") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode12);
        fill_planes(r, 0xA0003, 0xF0, 0x0F, 0xAA, 0x55);
        (void)r.peek(0xA0003);
        r.gc(5, 0x03);
        r.gc(0, 0x0A);  // set/reset: planes 1 and 3
        r.gc(3, 0x11);  // OR, rotate 1
        r.gc(8, 0xFF);
        r.poke(0xA0003, 0x0F);  // rotated 0x87: the effective mask
        // p0: (00 | F0) & 87 | F0 & 78 = 80 | 70;  p1: FF & 87 | 0F & 78 = 87 | 08
        // p2: AA & 87 | AA & 78 = 82 | 28;        p3: FF & 87 | 55 & 78 = 87 | 50
        CHECK(r.vga.plane_byte(0, 3) == 0xF0);
        CHECK(r.vga.plane_byte(1, 3) == 0x8F);
        CHECK(r.vga.plane_byte(2, 3) == 0xAA);
        CHECK(r.vga.plane_byte(3, 3) == 0xD7);
    }

    TEST_CASE("write mode 1 copies the latches: a VRAM-to-VRAM copy of all four planes") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode12);
        fill_planes(r, 0xA0100, 0x12, 0x34, 0x56, 0x78);
        r.gc(5, 0x01);
        r.gc(8, 0x00);  // the bit mask does not apply in write mode 1
        (void)r.peek(0xA0100);
        r.poke(0xA0200, 0xEE);  // the CPU byte is ignored
        CHECK(r.vga.plane_byte(0, 0x200) == 0x12);
        CHECK(r.vga.plane_byte(1, 0x200) == 0x34);
        CHECK(r.vga.plane_byte(2, 0x200) == 0x56);
        CHECK(r.vga.plane_byte(3, 0x200) == 0x78);
        r.seq(2, 0x05);  // only planes 0 and 2
        r.poke(0xA0300, 0x00);
        CHECK(r.vga.plane_byte(0, 0x300) == 0x12);
        CHECK(r.vga.plane_byte(1, 0x300) == 0x00);
        CHECK(r.vga.plane_byte(2, 0x300) == 0x56);
        CHECK(r.vga.plane_byte(3, 0x300) == 0x00);
    }

    TEST_CASE("read mode 0 returns the Read Map Select plane; read mode 1 compares colours") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode12);
        fill_planes(r, 0xA0020, 0xF0, 0xCC, 0xAA, 0xFF);
        for (std::uint8_t p = 0; p < 4; ++p) {
            r.gc(4, p);
            const std::uint8_t expect[4] = {0xF0, 0xCC, 0xAA, 0xFF};
            CHECK(r.peek(0xA0020) == expect[p]);
        }
        r.gc(5, 0x08);  // read mode 1
        r.gc(2, 0x0B);  // colour 1011: plane 0 = 1, 1 = 1, 2 = 0, 3 = 1
        r.gc(7, 0x0F);
        // Bits where p0 = 1 {7-4}, p1 = 1 {7,6,3,2}, p2 = 0 {6,4,2,0}, p3 = 1 {all}: bit 6.
        CHECK(r.peek(0xA0020) == 0x40);
        r.gc(7, 0x03);  // only planes 0 and 1 matter
        CHECK(r.peek(0xA0020) == 0xC0);
        r.gc(7, 0x00);  // nothing matters: every bit matches
        CHECK(r.peek(0xA0020) == 0xFF);
        // A read-mode-1 read still loads the latches.
        r.gc(5, 0x09);
        r.gc(8, 0xFF);
        r.poke(0xA0021, 0);
        CHECK(r.vga.plane_byte(1, 0x21) == 0xCC);
        // window_peek has no side effects: the latches stay.
        (void)r.vga.window_peek(0);
        CHECK(r.vga.registers().latch[1] == 0xCC);
    }

    TEST_CASE("chain-4: A0-A1 select the plane, the byte lands at the address with them clear") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode13);
        for (std::uint32_t i = 0; i < 8; ++i) r.poke(0xA0000 + i, static_cast<std::uint8_t>(0x10 + i));
        for (std::uint32_t i = 0; i < 8; ++i) {
            CHECK(r.vga.plane_byte(i & 3, i & ~3u) == 0x10 + i);
            CHECK(r.peek(0xA0000 + i) == 0x10 + i);
        }
        r.seq(2, 0x0D);  // plane 1 masked off
        r.poke(0xA0005, 0x99);
        CHECK(r.vga.plane_byte(1, 4) == 0x15);
        r.poke(0xA0006, 0x99);
        CHECK(r.vga.plane_byte(2, 4) == 0x99);
    }

    TEST_CASE("odd/even: even addresses reach planes 0/2, odd ones 1/3, at the even offset") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode03);
        r.poke(0xB8000, 'A');
        r.poke(0xB8001, 0x1E);
        r.poke(0xB8002, 'B');
        r.poke(0xB8003, 0x4F);
        CHECK(r.vga.plane_byte(0, 0) == 'A');
        CHECK(r.vga.plane_byte(1, 0) == 0x1E);
        CHECK(r.vga.plane_byte(0, 2) == 'B');
        CHECK(r.vga.plane_byte(1, 2) == 0x4F);
        CHECK(r.vga.plane_byte(0, 1) == 0);
        CHECK(r.vga.plane_byte(2, 0) == 0);  // map mask 03: the font plane is safe
        CHECK(r.peek(0xB8000) == 'A');
        CHECK(r.peek(0xB8003) == 0x4F);
        // Read Map Select bit 1 picks the 2/3 pair for odd/even reads.
        r.gc(4, 0x02);
        CHECK(r.peek(0xB8000) == 0);
    }

    TEST_CASE("memory map select decides which part of A0000-BFFFF answers") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode03);  // B8000, 32 KiB
        r.poke(0xA0000, 0x12);
        CHECK(r.peek(0xA0000) == 0xFF);
        CHECK(r.peek(0xB0000) == 0xFF);
        r.set_mode(lantern::testing::kMode12);  // A0000, 64 KiB
        fill_planes(r, 0xA0000, 1, 2, 3, 4);
        CHECK(r.peek(0xB8000) == 0xFF);
        r.gc(6, 0x09);  // B0000-B7FFF
        CHECK(r.peek(0xA0000) == 0xFF);
        CHECK(r.peek(0xB0000) == 1);
        r.gc(6, 0x01);  // A0000-BFFFF: B8000 is plane offset 0x18000, which wraps to 0x8000
        fill_planes(r, 0xB8000, 9, 9, 9, 9);
        CHECK(r.vga.plane_byte(0, 0x8000) == 9);
        // Misc Output bit 1 clear: the CPU cannot reach video memory.
        r.out(0x3C2, 0xE1);
        CHECK(r.peek(0xA0000) == 0xFF);
        r.poke(0xA0000, 0x77);
        r.out(0x3C2, 0xE3);
        CHECK(r.peek(0xA0000) == 1);
    }

    TEST_CASE("word accesses through the MemoryMap are two byte cycles") {
        VgaRig r;
        MemoryMap mem;
        r.vga.map(mem);
        r.set_mode(lantern::testing::kMode03);
        mem.write16(0xB8000, 0x1E41);  // 'A' on blue... as one word
        CHECK(r.vga.plane_byte(0, 0) == 0x41);
        CHECK(r.vga.plane_byte(1, 0) == 0x1E);
        CHECK(mem.read16(0xB8000) == 0x1E41);
        CHECK(mem.peek8(0xB8001) == 0x1E);
        CHECK(mem.read8(0xA0000) == 0xFF);
    }

    TEST_CASE("a plane offset from the bus never leaves the buffer") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode12);
        r.gc(6, 0x01);
        for (std::uint32_t a = 0; a < 0x20000; a += 0x1FFF) {
            r.vga.window_write(a, 0xA5);
            (void)r.vga.window_read(a);
        }
        CHECK(r.vga.window_read(0x20000) == 0xFF);
        r.vga.window_write(0xFFFFFFFF, 1);  // ignored, like any address outside the window
        CHECK(r.vga.window_read(0xFFFFFFFF) == 0xFF);
    }
}
