// The renderer against pictures worked out in the test from first principles: the bytes the
// test writes, the register meanings (FreeVGA) and the monitor geometry (every character
// clock 8 or 9 dots, doubled when the dot clock is halved; every displayed scan line a row).
#include <doctest/doctest.h>

#include <cstdlib>

#include "devices/vga/png_writer.h"
#include "devices/vga/vga_render.h"
#include "vga_rig.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

using namespace lantern;
using lantern::testing::dac_rgb;
using lantern::testing::VgaRig;

namespace {

// The IBM VGA ROM font's "A" (8x16).
constexpr std::uint8_t kGlyphA[16] = {0x00, 0x00, 0x10, 0x38, 0x6C, 0xC6, 0xC6, 0xFE,
                                      0xC6, 0xC6, 0xC6, 0xC6, 0x00, 0x00, 0x00, 0x00};

// Loads a glyph into plane 2 the way the BIOS font loader does (sequential plane 2 at A0000),
// then restores mode 03h's addressing.
void load_glyph(VgaRig& r, std::uint8_t code, const std::uint8_t (&rows)[16]) {
    r.seq(2, 0x04);
    r.seq(4, 0x07);
    r.gc(4, 0x02);
    r.gc(5, 0x00);
    r.gc(6, 0x04);
    for (unsigned y = 0; y < 16; ++y) r.poke(0xA0000 + code * 32u + y, rows[y]);
    r.seq(2, 0x03);
    r.seq(4, 0x02);
    r.gc(4, 0x00);
    r.gc(5, 0x10);
    r.gc(6, 0x0E);
}

void put_char(VgaRig& r, unsigned col, unsigned row, std::uint8_t code, std::uint8_t attr) {
    const std::uint32_t a = 0xB8000 + (row * 80 + col) * 2;
    r.poke(a, code);
    r.poke(a + 1, attr);
}

Cycles frame_start(std::uint64_t frame, std::uint64_t frame_dots, std::uint64_t dot_hz, std::uint64_t cpu_hz) {
    return (frame * frame_dots * cpu_hz + dot_hz - 1) / dot_hz;
}

}  // namespace

TEST_SUITE("vga_render") {
    TEST_CASE("text cell: glyph from plane 2, attribute colours through palette and DAC") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode03);
        r.dac(0x00, 0, 0, 0);
        r.dac(0x01, 0, 0, 42);
        r.dac(0x07, 42, 42, 42);
        r.dac(0x3E, 63, 63, 21);
        load_glyph(r, 'A', kGlyphA);
        r.crtc(0x0F, 79);  // cursor out of the way (last column)
        put_char(r, 0, 0, 'A', 0x1E);
        const Frame f = render(r.vga);
        REQUIRE(f.width == 720);
        REQUIRE(f.height == 400);
        for (unsigned y = 0; y < 16; ++y) {
            for (unsigned x = 0; x < 9; ++x) {
                const bool on = x < 8 && ((kGlyphA[y] >> (7 - x)) & 1);
                CAPTURE(x);
                CAPTURE(y);
                CHECK(f.at(x, y) == (on ? dac_rgb(63, 63, 21) : dac_rgb(0, 0, 42)));
            }
        }
        // The next row of cells starts at scan line 16 (max scan line 15).
        CHECK(f.at(0, 16) == dac_rgb(0, 0, 0));
    }

    TEST_CASE("cursor, blink, underline and the ninth dot") {
        const std::uint64_t cpu_hz = 4'772'727;
        VgaRig r(cpu_hz);
        r.set_mode(lantern::testing::kMode03);
        r.dac(0x00, 0, 0, 0);
        r.dac(0x01, 0, 0, 42);
        r.dac(0x07, 42, 42, 42);
        r.dac(0x3E, 63, 63, 21);
        std::uint8_t line[16] = {};
        line[7] = 0xFF;
        load_glyph(r, 'A', kGlyphA);
        load_glyph(r, 0xC4, line);  // a box-drawing code: the ninth dot repeats the eighth
        load_glyph(r, 'B', line);   // not one: the ninth dot is background
        r.crtc(0x0F, 1);            // cursor on cell 1, lines 13-14 (mode 03h's shape)
        put_char(r, 1, 0, ' ', 0x07);
        put_char(r, 2, 0, 'A', 0x9E);  // blinking
        put_char(r, 3, 0, 'A', 0x01);  // the underline attribute
        put_char(r, 4, 0, 0xC4, 0x07);
        put_char(r, 5, 0, 'B', 0x07);
        r.crtc(0x14, 0x0F);  // underline on line 15

        const Frame f0 = render(r.vga);
        const std::uint32_t white = dac_rgb(42, 42, 42), black = dac_rgb(0, 0, 0), blue = dac_rgb(0, 0, 42),
                            yellow = dac_rgb(63, 63, 21);
        for (unsigned x = 9; x < 18; ++x) {
            CHECK(f0.at(x, 12) == black);
            CHECK(f0.at(x, 13) == white);
            CHECK(f0.at(x, 14) == white);
            CHECK(f0.at(x, 15) == black);
        }
        CHECK(f0.at(18 + 3, 7) == yellow);  // blinking 'A', visible in frames 0-15
        CHECK(f0.at(18 + 8, 7) == blue);
        for (unsigned x = 27; x < 36; ++x) CHECK(f0.at(x, 15) == blue);  // underline, 9 dots
        CHECK(f0.at(27, 14) == black);
        CHECK(f0.at(27 + 3, 7) == blue);  // the glyph itself, foreground 1
        CHECK(f0.at(36 + 7, 7) == white);
        CHECK(f0.at(36 + 8, 7) == white);  // C4: ninth dot = eighth
        CHECK(f0.at(45 + 7, 7) == white);
        CHECK(f0.at(45 + 8, 7) == black);  // 'B': ninth dot = background

        const VgaTiming t = r.vga.timing();
        r.scheduler.advance_to(frame_start(8, t.frame_dots, t.dot_clock_hz, cpu_hz));
        CHECK(r.vga.frame_number() == 8);
        const Frame f8 = render(r.vga);
        CHECK(f8.at(9, 13) == black);  // cursor off in frames 8-15
        CHECK(f8.at(18 + 3, 7) == yellow);
        r.scheduler.advance_to(frame_start(16, t.frame_dots, t.dot_clock_hz, cpu_hz));
        const Frame f16 = render(r.vga);
        CHECK(f16.at(9, 13) == white);  // cursor back
        for (unsigned x = 18; x < 27; ++x) CHECK(f16.at(x, 7) == blue);  // blinked off
        CHECK(f16.at(27, 15) == blue);  // non-blinking underline stays

        // Blink disabled: bit 7 is background intensity (entry 9 of the palette, DAC 0x39).
        r.dac(0x39, 10, 20, 30);
        r.ac(0x10, 0x04);
        const Frame fb = render(r.vga);
        CHECK(fb.at(18 + 3, 7) == yellow);
        CHECK(fb.at(18 + 8, 7) == dac_rgb(10, 20, 30));
        // Cursor Start bit 5 disables the cursor even in its visible phase.
        r.crtc(0x0A, 0x2D);
        const Frame fc = render(r.vga);
        CHECK(fc.at(9, 13) == black);
    }

    TEST_CASE("mode 13h gradient: chain-4 bytes, 2x2 dots per pixel, DAC and PEL mask") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode13);
        auto entry = [](unsigned i) { return dac_rgb(i & 63, (i >> 2) & 63, 63 - (i & 63)); };
        for (unsigned i = 0; i < 256; ++i)
            r.dac(static_cast<std::uint8_t>(i), i & 63, (i >> 2) & 63, static_cast<std::uint8_t>(63 - (i & 63)));
        for (unsigned y = 0; y < 200; ++y)
            for (unsigned x = 0; x < 320; ++x) r.poke(0xA0000 + y * 320 + x, static_cast<std::uint8_t>(x + y));
        const Frame f = render(r.vga);
        REQUIRE(f.width == 640);
        REQUIRE(f.height == 400);
        unsigned bad = 0;
        for (unsigned y = 0; y < 400; ++y)
            for (unsigned x = 0; x < 640; ++x) bad += f.at(x, y) != entry(((x / 2) + (y / 2)) & 255);
        CHECK(bad == 0);

        r.out(0x3C6, 0x0F);
        const Frame m = render(r.vga);
        CHECK(m.at(2 * 37, 0) == entry(37 & 0x0F));
    }

    TEST_CASE("mode 13h start address and line compare (split screen)") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode13);
        for (unsigned i = 0; i < 256; ++i) r.dac(static_cast<std::uint8_t>(i), i & 63, i >> 2, 0);
        for (unsigned y = 0; y < 200; ++y)
            for (unsigned x = 0; x < 4; ++x) r.poke(0xA0000 + y * 320 + x, static_cast<std::uint8_t>(y));
        r.crtc(0x0C, 800 >> 8);  // start at row 10: 10 rows x 80 address units
        r.crtc(0x0D, 800 & 0xFF);
        r.crtc(0x18, 199);
        r.crtc(0x07, 0x0F);  // line compare bit 8 clear (writable although 00-07 are protected)
        r.crtc(0x09, 0x01);  // bit 9 clear
        const Frame f = render(r.vga);
        for (unsigned y = 0; y < 400; ++y) {
            const unsigned row = y < 200 ? 10 + y / 2 : (y - 200) / 2;
            CAPTURE(y);
            CHECK(f.at(0, y) == dac_rgb(row & 63, row >> 2, 0));
        }
    }

    TEST_CASE("mode 12h planar pattern, pixel panning, colour plane enable and colour select") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode12);
        for (unsigned i = 0; i < 256; ++i)
            r.dac(static_cast<std::uint8_t>(i), i & 63, static_cast<std::uint8_t>(63 - (i & 63)), (i >> 2) & 63);
        auto dac = [](unsigned i) { return dac_rgb(i & 63, 63 - (i & 63), (i >> 2) & 63); };
        const std::uint8_t pal[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07,
                                      0x38, 0x39, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E, 0x3F};
        r.gc(5, 0x02);  // write mode 2: one pixel's colour per write, selected by the bit mask
        for (unsigned x = 0; x < 16; ++x) {
            r.gc(8, static_cast<std::uint8_t>(0x80 >> (x % 8)));
            (void)r.peek(0xA0000 + x / 8);
            r.poke(0xA0000 + x / 8, static_cast<std::uint8_t>(x));
            (void)r.peek(0xA0000 + 80 + x / 8);
            r.poke(0xA0000 + 80 + x / 8, static_cast<std::uint8_t>(15 - x));
        }
        const Frame f = render(r.vga);
        REQUIRE(f.width == 640);
        REQUIRE(f.height == 480);
        for (unsigned x = 0; x < 24; ++x) {
            CAPTURE(x);
            CHECK(f.at(x, 0) == dac(x < 16 ? pal[x] : 0));
            CHECK(f.at(x, 1) == dac(x < 16 ? pal[15 - x] : 0));
        }
        r.ac(0x13, 3);
        const Frame panned = render(r.vga);
        for (unsigned x = 0; x < 16; ++x) CHECK(panned.at(x, 0) == f.at(x + 3, 0));
        r.ac(0x13, 0);
        r.ac(0x12, 0x03);  // only planes 0 and 1 reach the palette
        const Frame masked = render(r.vga);
        for (unsigned x = 0; x < 16; ++x) CHECK(masked.at(x, 0) == dac(pal[x & 3]));
        r.ac(0x12, 0x0F);
        r.ac(0x10, 0x81);  // P54S: bits 5-4 from colour select
        r.ac(0x14, 0x0E);  // bits 7-6 = 11, bits 5-4 = 10
        const Frame sel = render(r.vga);
        for (unsigned x = 0; x < 16; ++x) CHECK(sel.at(x, 0) == dac((pal[x] & 0x0F) | 0x20 | 0xC0));

        // Split screen at line 100 with Pixel Panning Mode: the lower part is not panned.
        r.ac(0x10, 0x21);
        r.ac(0x14, 0x00);
        r.ac(0x13, 3);
        r.crtc(0x0C, 0x00);
        r.crtc(0x0D, 80);  // the top part starts at row 1
        r.crtc(0x18, 100);
        r.crtc(0x07, 0x2E);  // line compare bit 8 clear
        r.crtc(0x09, 0x00);  // bit 9 clear
        const Frame split = render(r.vga);
        for (unsigned x = 0; x < 12; ++x) {
            CHECK(split.at(x, 0) == f.at(x + 3, 1));    // row 1, panned
            CHECK(split.at(x, 101) == f.at(x, 0));      // row 0 after the split, not panned
        }
    }

    TEST_CASE("character map select: attribute bit 3 picks font A or B") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode03);
        r.dac(0x07, 42, 42, 42);
        r.dac(0x3F, 63, 63, 63);
        r.seq(3, 0x04);  // map A = 1 (plane 2 at 16 KiB), map B = 0
        std::uint8_t left[16] = {}, right[16] = {};
        for (auto& b : left) b = 0x80;
        for (auto& b : right) b = 0x01;
        load_glyph(r, 'Z', left);  // font 0 (map B)
        r.seq(2, 0x04);
        r.seq(4, 0x07);
        r.gc(4, 0x02);
        r.gc(5, 0x00);
        r.gc(6, 0x04);
        for (unsigned y = 0; y < 16; ++y) r.poke(0xA0000 + 0x4000 + 'Z' * 32u + y, right[y]);  // font 1
        r.seq(2, 0x03);
        r.seq(4, 0x02);
        r.gc(4, 0x00);
        r.gc(5, 0x10);
        r.gc(6, 0x0E);
        r.crtc(0x0F, 79);
        put_char(r, 0, 0, 'Z', 0x07);  // bit 3 clear: map B
        put_char(r, 1, 0, 'Z', 0x0F);  // bit 3 set: map A
        const Frame f = render(r.vga);
        CHECK(f.at(0, 5) == dac_rgb(42, 42, 42));
        CHECK(f.at(7, 5) == dac_rgb(0, 0, 0));
        CHECK(f.at(9, 5) == dac_rgb(0, 0, 0));
        CHECK(f.at(9 + 7, 5) == dac_rgb(63, 63, 63));
    }

    TEST_CASE("mode 0Dh: planar 320x200, dot clock halved and double scan") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode0D);
        r.dac(0x05, 1, 2, 3);
        r.dac(0x14, 4, 5, 6);  // palette 12 -> DAC 0x14
        r.gc(5, 0x02);
        r.gc(8, 0x80);
        (void)r.peek(0xA0000);
        r.poke(0xA0000, 5);
        r.gc(8, 0x40);          // pixel 9 of row 1: byte 1, bit 6
        (void)r.peek(0xA0000 + 40 + 1);
        r.poke(0xA0000 + 40 + 1, 12);
        const Frame f = render(r.vga);
        REQUIRE(f.width == 640);
        REQUIRE(f.height == 400);
        for (unsigned dy = 0; dy < 2; ++dy)
            for (unsigned dx = 0; dx < 2; ++dx) {
                CHECK(f.at(dx, dy) == dac_rgb(1, 2, 3));
                CHECK(f.at(18 + dx, 2 + dy) == dac_rgb(4, 5, 6));
            }
        CHECK(f.at(2, 0) == f.at(639, 399));
    }

    TEST_CASE("CGA modes: 4-colour interleave with the odd-line bank, and 640x200 two-colour") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode04);
        r.dac(0x00, 0, 0, 0);
        r.dac(0x13, 10, 0, 0);
        r.dac(0x15, 0, 20, 0);
        r.dac(0x17, 0, 0, 30);
        const std::uint32_t c[4] = {dac_rgb(0, 0, 0), dac_rgb(10, 0, 0), dac_rgb(0, 20, 0), dac_rgb(0, 0, 30)};
        r.poke(0xB8000, 0x1B);           // row 0: pixels 0,1,2,3
        r.poke(0xB8001, 0xFF);           // row 0: pixels 4-7 = 3
        r.poke(0xB8000 + 0x2000, 0xE4);  // row 1 (odd bank): 3,2,1,0
        r.poke(0xB8000 + 80, 0x40);      // row 2: pixel 0 = 1
        const Frame f = render(r.vga);
        REQUIRE(f.width == 640);
        REQUIRE(f.height == 400);
        for (unsigned p = 0; p < 8; ++p)
            for (unsigned d = 0; d < 2; ++d) {
                CHECK(f.at(2 * p + d, 0) == c[p < 4 ? p : 3]);
                CHECK(f.at(2 * p + d, 1) == c[p < 4 ? p : 3]);
                if (p < 4) CHECK(f.at(2 * p + d, 2) == c[3 - p]);
                if (p < 4) CHECK(f.at(2 * p + d, 3) == c[3 - p]);
            }
        CHECK(f.at(0, 4) == c[1]);
        CHECK(f.at(2, 4) == c[0]);

        r.set_mode(lantern::testing::kMode06);
        r.dac(0x17, 63, 63, 63);
        r.poke(0xB8000, 0xA5);
        r.poke(0xB8000 + 0x2000, 0x0F);
        const Frame g = render(r.vga);
        REQUIRE(g.width == 640);
        REQUIRE(g.height == 400);
        for (unsigned x = 0; x < 8; ++x) {
            CHECK(g.at(x, 0) == (((0xA5 >> (7 - x)) & 1) ? dac_rgb(63, 63, 63) : dac_rgb(0, 0, 0)));
            CHECK(g.at(x, 2) == (((0x0F >> (7 - x)) & 1) ? dac_rgb(63, 63, 63) : dac_rgb(0, 0, 0)));
        }
    }

    TEST_CASE("Mode X: unchained 256 colours, map mask per plane, 320x240") {
        VgaRig r;
        r.set_mode_x();
        r.dac(0x77, 7, 7, 7);
        r.dac(0x10, 16, 16, 16);
        r.seq(2, 1u << (5 & 3));
        r.poke(0xA0000 + 3 * 80 + 5 / 4, 0x77);  // pixel (5, 3)
        r.seq(2, 0x01);
        r.poke(0xA0000, 0x10);  // pixel (0, 0)
        const Frame f = render(r.vga);
        REQUIRE(f.width == 640);
        REQUIRE(f.height == 480);
        for (unsigned d = 0; d < 4; ++d) {
            CHECK(f.at(10 + d % 2, 6 + d / 2) == dac_rgb(7, 7, 7));
            CHECK(f.at(d % 2, d / 2) == dac_rgb(16, 16, 16));
        }
        CHECK(f.at(12, 6) == dac_rgb(0, 0, 0));
    }

    TEST_CASE("DISPI modes at every depth, with virtual width and offsets") {
        VgaRig r;
        auto set = [&](unsigned w, unsigned h, unsigned bpp) {
            r.dispi(dispi::kIndexEnable, 0);
            r.dispi(dispi::kIndexXRes, static_cast<std::uint16_t>(w));
            r.dispi(dispi::kIndexYRes, static_cast<std::uint16_t>(h));
            r.dispi(dispi::kIndexBpp, static_cast<std::uint16_t>(bpp));
            r.dispi(dispi::kIndexEnable, dispi::kEnabled | dispi::kLfbEnabled);
        };
        set(16, 8, 32);
        r.vga.lfb_write((2 * 16 + 3) * 4 + 0, 0x30);  // B
        r.vga.lfb_write((2 * 16 + 3) * 4 + 1, 0x20);  // G
        r.vga.lfb_write((2 * 16 + 3) * 4 + 2, 0x10);  // R
        Frame f = render(r.vga);
        REQUIRE(f.width == 16);
        REQUIRE(f.height == 8);
        CHECK(f.at(3, 2) == 0x102030u);
        CHECK(f.at(0, 0) == 0u);

        set(16, 8, 24);
        r.vga.lfb_write((1 * 16 + 2) * 3 + 0, 0x03);
        r.vga.lfb_write((1 * 16 + 2) * 3 + 1, 0x02);
        r.vga.lfb_write((1 * 16 + 2) * 3 + 2, 0x01);
        CHECK(render(r.vga).at(2, 1) == 0x010203u);

        set(16, 8, 16);  // 5-6-5: r = 31, g = 32, b = 1
        const std::uint16_t v16 = static_cast<std::uint16_t>((31 << 11) | (32 << 5) | 1);
        r.vga.lfb_write(2 * 5, v16 & 0xFF);
        r.vga.lfb_write(2 * 5 + 1, v16 >> 8);
        CHECK(render(r.vga).at(5, 0) == ((0xFFu << 16) | (0x82u << 8) | 0x08u));

        set(16, 8, 15);  // 5-5-5: r = 1, g = 16, b = 31
        const std::uint16_t v15 = static_cast<std::uint16_t>((1 << 10) | (16 << 5) | 31);
        r.vga.lfb_write(2 * 6, v15 & 0xFF);
        r.vga.lfb_write(2 * 6 + 1, v15 >> 8);
        CHECK(render(r.vga).at(6, 0) == ((0x08u << 16) | (0x84u << 8) | 0xFFu));

        set(16, 8, 8);
        r.dac(0x42, 63, 0, 21);
        r.dispi(dispi::kIndexVirtWidth, 64);
        r.dispi(dispi::kIndexXOffset, 3);
        r.dispi(dispi::kIndexYOffset, 2);
        r.vga.lfb_write((2 + 1) * 64 + 3 + 4, 0x42);  // shows at (4, 1)
        f = render(r.vga);
        CHECK(f.at(4, 1) == dac_rgb(63, 0, 21));
        CHECK(f.at(3, 1) == dac_rgb(0, 0, 0));

        r.set_mode(lantern::testing::kMode12);  // palette for the planar 4-bpp mode
        set(16, 8, 4);
        r.dac(0x3A, 1, 2, 3);  // palette entry 10 -> DAC 3A
        for (unsigned p = 0; p < 4; ++p)
            r.vga.lfb_write(p * kVgaPlaneStride + 2 * 2 + 1, ((10 >> p) & 1) ? 0x01 : 0x00);  // (15, 2)
        f = render(r.vga);
        CHECK(f.at(15, 2) == dac_rgb(1, 2, 3));
        CHECK(f.at(14, 2) == dac_rgb(0, 0, 0));
    }

    TEST_CASE("sequencer reset and screen off show black; PAS = 0 shows the overscan colour") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode13);
        r.dac(0x09, 9, 9, 9);
        r.dac(0x21, 33, 0, 33);
        r.poke(0xA0000, 9);
        CHECK(render(r.vga).at(0, 0) == dac_rgb(9, 9, 9));
        r.seq(1, 0x21);
        CHECK(render(r.vga).at(0, 0) == 0u);
        r.seq(1, 0x01);
        r.seq(0, 0x01);
        CHECK(render(r.vga).at(0, 0) == 0u);
        r.seq(0, 0x03);
        r.ac(0x11, 0x21);
        r.in(0x3DA);
        r.out(0x3C0, 0x00);  // PAS = 0
        const Frame f = render(r.vga);
        CHECK(f.at(0, 0) == dac_rgb(33, 0, 33));
        CHECK(f.at(639, 399) == dac_rgb(33, 0, 33));
    }

    TEST_CASE("rendering is pure: same state, same picture, no change to the device") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode03);
        put_char(r, 0, 0, 'A', 0x1E);
        const std::uint8_t status = r.vga.io_peek(0x3C9);
        const Frame a = render(r.vga);
        const Frame b = render(r.vga);
        CHECK(a.pixels == b.pixels);
        CHECK(r.vga.io_peek(0x3C9) == status);
        CHECK(r.vga.registers().ac_flip_flop_data == true);
    }

    TEST_CASE("PNG screenshots decode back to the frame") {
        Frame f;
        f.width = 5;
        f.height = 3;
        for (unsigned i = 0; i < 15; ++i) f.pixels.push_back((0x010203u * i * 17) & 0xFFFFFF);
        const std::vector<std::uint8_t> png = encode_png(f);
        REQUIRE(png.size() > 8);
        CHECK(png[1] == 'P');
        int w = 0, h = 0, n = 0;
        stbi_uc* pixels = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n, 3);
        REQUIRE(pixels != nullptr);
        CHECK(w == 5);
        CHECK(h == 3);
        for (unsigned i = 0; i < 15; ++i) {
            const std::uint32_t c = (std::uint32_t{pixels[3 * i]} << 16) | (pixels[3 * i + 1] << 8) | pixels[3 * i + 2];
            CHECK(c == f.pixels[i]);
        }
        stbi_image_free(pixels);
        CHECK(encode_png(Frame{}).empty());
        CHECK_FALSE(write_png(Frame{}, "/nonexistent/x.png"));
    }
}

TEST_SUITE("vga_render") {
    TEST_CASE("any register garbage a guest writes still renders, dumps and times safely") {
        VgaRig r(33'000'000);
        std::uint32_t seed = 12345;  // a fixed LCG: the same garbage every run
        auto next = [&] {
            seed = seed * 1103515245u + 12345u;
            return seed >> 8;
        };
        for (int round = 0; round < 40; ++round) {
            for (int i = 0; i < 400; ++i) {
                const auto port = static_cast<std::uint16_t>(0x3B0 + next() % 0x30);
                r.out(port, static_cast<std::uint8_t>(next()));
                (void)r.in(static_cast<std::uint16_t>(0x3B0 + next() % 0x30));
                r.vga.window_write(next() % 0x20000, static_cast<std::uint8_t>(next()));
                (void)r.vga.window_read(next() % 0x20000);
                if (next() % 8 == 0) {
                    r.vga.dispi_write(0x1CE, static_cast<std::uint16_t>(next() % 12));
                    r.vga.dispi_write(0x1CF, static_cast<std::uint16_t>(next()));
                }
            }
            r.out(0x3C3, 1);  // keep the card awake so the next round reaches it
            r.scheduler.advance_to(r.scheduler.now() + next() % 1'000'000);
            const Frame f = render(r.vga);
            CHECK(f.pixels.size() == std::size_t{f.width} * f.height);
            (void)text_dump(r.vga);
            (void)r.in(0x3C2);
        }
    }
}
