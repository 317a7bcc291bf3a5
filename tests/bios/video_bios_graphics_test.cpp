// The video BIOS (bios/video/) on VideoRig: graphics modes, fonts, palettes and information calls.
// INT 10h called from C++, results checked against the VGA's registers, the BIOS data area and
// the rendered screen.
#include "tests/bios/video_test_helpers.h"

namespace lantern::testing {
using namespace video_test;

TEST_SUITE("video_bios") {

TEST_CASE("mode 13h: BDA, registers, the 256-colour palette and pixels on screen") {
    Booted b;
    VideoRig& rig = b.rig;
    CHECK(rig.call(ax(0x0013)).al() == 0x20);
    const Vga& vga = rig.vga();
    CHECK(rig.bda(0x49) == 0x13);
    CHECK(rig.bda16(0x4A) == 40);
    CHECK(rig.bda(0x84) == 24);
    CHECK(rig.bda16(0x85) == 8);
    for (unsigned i = 0; i < 25; ++i) CHECK(vga.crtc(i) == kMode13.crtc[i]);
    CHECK(vga.seq(4) == kMode13.seq[4]);
    CHECK(vga.gc(5) == kMode13.gc[5]);
    CHECK(vga.ac(0x10) == kMode13.ac[0x10]);
    for (unsigned i = 0; i < 256; ++i) {
        CAPTURE(i);
        CHECK(dac_entry(vga, i) == mode13_rgb(i));
    }
    // Pixels through AH=0Ch, read back with AH=0Dh and seen in the rendered frame (640x400:
    // every pixel is 2x2 dots).
    const std::array<std::array<unsigned, 3>, 4> px = {{{0, 0, 0x0F}, {319, 199, 0x28}, {100, 50, 0x37}, {7, 3, 0x20}}};
    for (const auto& p : px) {
        Regs r = ax(static_cast<std::uint16_t>(0x0C00 | p[2]));
        r.ecx = p[0];
        r.edx = p[1];
        rig.call(r);
    }
    const Frame f = render(vga);
    REQUIRE(f.width == 640);
    REQUIRE(f.height == 400);
    for (const auto& p : px) {
        Regs r = ax(0x0D00);
        r.ecx = p[0];
        r.edx = p[1];
        CHECK(rig.call(r).al() == p[2]);
        CHECK(f.at(p[0] * 2, p[1] * 2) == to_rgb888(mode13_rgb(p[2])));
        CHECK(f.at(p[0] * 2 + 1, p[1] * 2 + 1) == to_rgb888(mode13_rgb(p[2])));
    }
    CHECK(f.at(2, 0) == 0);  // untouched pixels are colour 0, black
    // A character in graphics mode: 'A' in colour 0Eh, read back through AH=08h.
    Regs r = ax(0x0200);
    r.edx = 0x0101;
    rig.call(r);
    r = ax(0x0941);
    r.ebx = 0x000E;
    r.ecx = 1;
    rig.call(r);
    CHECK(rig.call(ax(0x0800)).al() == 'A');
    // Teletype in graphics mode draws with BL and moves the cursor.
    r = ax(0x0E5A);
    r.ebx = 0x0009;
    rig.call(r);
    CHECK(rig.bda16(0x50) == 0x0102);
}

TEST_CASE("mode 12h and 0Dh: planar pixels, characters and scrolling") {
    Booted b;
    VideoRig& rig = b.rig;
    for (std::uint16_t mode : {0x12, 0x0D, 0x10, 0x0E}) {
        CAPTURE(mode);
        rig.call(ax(mode));
        CHECK(rig.bda(0x49) == mode);
        const VgaMode* table = mode == 0x12 ? &kMode12 : (mode == 0x0D ? &kMode0D : nullptr);
        if (table) {
            for (unsigned i = 0; i < 25; ++i) CHECK(rig.vga().crtc(i) == table->crtc[i]);
            for (unsigned i = 0; i < 9; ++i) CHECK(rig.vga().gc(i) == table->gc[i]);
            CHECK(rig.vga().registers().misc_output == table->misc);
        }
        for (unsigned x : {0u, 1u, 7u, 8u, 100u, 319u}) {
            Regs r = ax(static_cast<std::uint16_t>(0x0C00 | ((x % 15) + 1)));
            r.ecx = x;
            r.edx = 5;
            rig.call(r);
        }
        for (unsigned x : {0u, 1u, 7u, 8u, 100u, 319u}) {
            Regs r = ax(0x0D00);
            r.ecx = x;
            r.edx = 5;
            CHECK(rig.call(r).al() == (x % 15) + 1);
        }
        // XOR (bit 7) flips the colour bits.
        Regs r = ax(0x0C83);
        r.ecx = 1;
        r.edx = 5;
        rig.call(r);
        r = ax(0x0D00);
        r.ecx = 1;
        r.edx = 5;
        CHECK(rig.call(r).al() == (2 ^ 3));
        // The graphics controller is back at the mode's values after drawing.
        if (table) for (unsigned i = 0; i < 9; ++i) CHECK(rig.vga().gc(i) == table->gc[i]);
        // Characters: write "Q" at row 2, column 3 and read it back; scroll it up one row.
        r = ax(0x0200);
        r.edx = 0x0203;
        rig.call(r);
        r = ax(0x0951);
        r.ebx = 0x000C;
        r.ecx = 1;
        rig.call(r);
        CHECK(rig.call(ax(0x0800)).al() == 'Q');
        r = ax(0x0601);
        r.ebx = 0x0000;
        r.ecx = 0x0000;
        r.edx = 0x1827;
        rig.call(r);
        r = ax(0x0200);
        r.edx = 0x0103;
        rig.call(r);
        CHECK(rig.call(ax(0x0800)).al() == 'Q');
        r.edx = 0x0203;
        rig.call(r);
        CHECK(rig.call(ax(0x0800)).al() == 0);
    }
    // Mode 12h on screen: the pixel at (100, 5) has colour (100 % 15) + 1 = 11 (bright cyan:
    // palette register 0Bh = 3Bh).
    rig.call(ax(0x12));
    Regs r = ax(0x0C0B);
    r.ecx = 100;
    r.edx = 5;
    rig.call(r);
    const Frame f = render(rig.vga());
    REQUIRE(f.width == 640);
    REQUIRE(f.height == 480);
    CHECK(f.at(100, 5) == to_rgb888(ega_rgb(0x3B)));
    CHECK(f.at(101, 5) == 0);
}

TEST_CASE("CGA modes 04h and 06h: interleaved pixels and characters") {
    Booted b;
    VideoRig& rig = b.rig;
    rig.call(ax(0x04));
    CHECK(rig.bda(0x49) == 4);
    for (unsigned i = 0; i < 25; ++i) CHECK(rig.vga().crtc(i) == kMode04.crtc[i]);
    for (unsigned y : {0u, 1u, 199u}) {
        for (unsigned x : {0u, 3u, 318u}) {
            Regs r = ax(static_cast<std::uint16_t>(0x0C00 | ((x + y) & 3)));
            r.ecx = x;
            r.edx = y;
            rig.call(r);
            r = ax(0x0D00);
            r.ecx = x;
            r.edx = y;
            CHECK(rig.call(r).al() == ((x + y) & 3));
        }
    }
    // Row 1 of the screen is in the second bank (B800:2000).
    CHECK(rig.read_phys(0xBA000) == 0x40);  // (0,1) colour 1 in the top two bits
    Regs r = ax(0x0200);
    r.edx = 0x0500;
    rig.call(r);
    r = ax(0x0A5A);  // 'Z'
    r.ebx = 0x0002;
    r.ecx = 2;
    rig.call(r);
    r = ax(0x0200);
    r.edx = 0x0501;
    rig.call(r);
    CHECK(rig.call(ax(0x0800)).al() == 'Z');
    // Characters 80h-FFh come from INT 1Fh's table.
    r = ax(0x0AC9);
    r.ebx = 0x0003;
    r.ecx = 1;
    rig.call(r);
    CHECK(rig.call(ax(0x0800)).al() == 0xC9);
    rig.call(ax(0x06));
    for (unsigned i = 0; i < 25; ++i) CHECK(rig.vga().crtc(i) == kMode06.crtc[i]);
    r = ax(0x0C01);
    r.ecx = 639;
    r.edx = 199;
    rig.call(r);
    r = ax(0x0D00);
    r.ecx = 639;
    r.edx = 199;
    CHECK(rig.call(r).al() == 1);
    CHECK(rig.read_phys(0xB8000 + 0x2000 + 99 * 80 + 79) == 0x01);
}

TEST_CASE("mode 07h: monochrome text at B000h, CRTC at 3B4h") {
    Booted b;
    VideoRig& rig = b.rig;
    rig.call(ax(0x07));
    CHECK(rig.bda(0x49) == 7);
    CHECK(rig.bda16(0x63) == 0x3B4);
    CHECK((rig.bda16(0x10) & 0x30) == 0x30);
    CHECK((rig.vga().registers().misc_output & 1) == 0);
    tty(rig, "mono");
    CHECK(first_lines(text_dump(rig.vga()), 1) == "mono\n");
    CHECK(rig.read_phys(0xB0000) == 'm');
    CHECK(rig.crtc(0x0F) == 4);
    CHECK(dac_entry(rig.vga(), 0x18) == std::array<std::uint8_t, 3>{0x3F, 0x3F, 0x3F});
    CHECK(dac_entry(rig.vga(), 0x08) == std::array<std::uint8_t, 3>{0x2A, 0x2A, 0x2A});
    rig.call(ax(0x03));
    CHECK(rig.bda16(0x63) == 0x3D4);
    CHECK((rig.bda16(0x10) & 0x30) == 0x20);
}

TEST_CASE("mode set with bit 7 keeps video memory; AH=0Fh reports the bit") {
    Booted b;
    VideoRig& rig = b.rig;
    tty(rig, "keep me");
    rig.call(ax(0x0083));
    CHECK(first_lines(text_dump(rig.vga()), 1) == "keep me\n");
    CHECK(rig.call(ax(0x0F00)).al() == 0x83);
    rig.call(ax(0x0003));
    CHECK(first_lines(text_dump(rig.vga()), 1) == "\n");
    CHECK(rig.call(ax(0x0F00)).al() == 0x03);
}

TEST_CASE("fonts: 8x8 gives 50 rows, 8x14 28, 8x16 back to 25; AX=1130h") {
    Booted b;
    VideoRig& rig = b.rig;
    Regs r = ax(0x1112);
    rig.call(r);
    CHECK(rig.bda(0x84) == 49);
    CHECK(rig.bda16(0x85) == 8);
    CHECK((rig.crtc(0x09) & 0x1F) == 7);
    CHECK(text_geometry(rig.vga()).rows == 50);
    const std::uint16_t f8 = rig.rom16(0x0E);
    for (unsigned c : {0x41u, 0xC9u})
        for (unsigned l = 0; l < 8; ++l) CHECK(rig.vga().plane_byte(2, c * 32 + l) == rig.rom()[f8 + c * 8 + l]);
    for (int i = 0; i < 49; ++i) tty(rig, "\n");
    tty(rig, "bottom");
    CHECK(rig.bda16(0x50) == 0x3106);
    rig.call(ax(0x1111));
    CHECK(rig.bda(0x84) == 27);
    CHECK(rig.bda16(0x85) == 14);
    CHECK(rig.crtc(0x12) == ((28 * 14 - 1) & 0xFF));
    rig.call(ax(0x1114));
    CHECK(rig.bda(0x84) == 24);
    CHECK(rig.crtc(0x09) == 0x4F);
    CHECK(rig.crtc(0x0A) == 0x0D);
    // AX=1130h BH=6: the 8x16 font in the module; BH=1: INT 43h.
    r = ax(0x1130);
    r.ebx = 0x0600;
    Regs got = rig.call(r);
    CHECK(got.es * 16u + got.bp() == VideoRig::kRomBase + rig.rom16(0x10));
    CHECK(got.cx() == 16);
    CHECK(got.dl() == 24);
    r.ebx = 0x0300;
    got = rig.call(r);
    CHECK(got.es * 16u + got.bp() == VideoRig::kRomBase + f8);
    // A user font: make character 80h a solid block in block 0 (AX=1100h).
    for (unsigned i = 0; i < 16; ++i) rig.poke(VideoRig::kBuffer + i, 0xFF);
    r = ax(0x1100);
    r.ebx = 0x1000;  // 16 bytes per character, block 0
    r.ecx = 1;
    r.edx = 0x80;
    r.es = 0;
    r.ebp = VideoRig::kBuffer;
    rig.call(r);
    for (unsigned l = 0; l < 16; ++l) CHECK(rig.vga().plane_byte(2, 0x80 * 32 + l) == 0xFF);
    CHECK(rig.vga().seq(2) == 0x03);  // text addressing restored
    CHECK(rig.vga().gc(6) == 0x0E);
    // Graphics font: AX=1123h in mode 12h sets INT 43h to the 8x8 font and 43 rows... (BL=3)
    rig.call(ax(0x12));
    r = ax(0x1123);
    r.ebx = 0x0003;
    rig.call(r);
    CHECK(rig.far_ptr(0x43 * 4) == VideoRig::kRomBase + f8);
    CHECK(rig.bda(0x84) == 42);
    CHECK(rig.bda16(0x85) == 8);
}

TEST_CASE("palette registers and the DAC (AH=10h) and the CGA palette (AH=0Bh)") {
    Booted b;
    VideoRig& rig = b.rig;
    Regs r = ax(0x1000);
    r.ebx = 0x2A01;  // register 1 = 2Ah
    rig.call(r);
    CHECK(rig.vga().ac(1) == 0x2A);
    r = ax(0x1007);
    r.ebx = 0x0001;
    CHECK(rig.call(r).bh() == 0x2A);
    r = ax(0x1001);
    r.ebx = 0x0500;
    rig.call(r);
    CHECK(rig.vga().ac(0x11) == 0x05);
    CHECK((rig.vga().registers().ac_index & 0x20) == 0x20);
    // DAC entry 20h := (10h, 20h, 30h) and back.
    r = ax(0x1010);
    r.ebx = 0x20;
    r.edx = 0x1000;
    r.ecx = 0x2030;
    rig.call(r);
    CHECK(dac_entry(rig.vga(), 0x20) == std::array<std::uint8_t, 3>{0x10, 0x20, 0x30});
    r = ax(0x1015);
    r.ebx = 0x20;
    Regs got = rig.call(r);
    CHECK(got.dh() == 0x10);
    CHECK(got.ch() == 0x20);
    CHECK(got.cl() == 0x30);
    // A block of 2 from the buffer, read back as a block.
    const std::array<std::uint8_t, 6> rgb = {1, 2, 3, 4, 5, 6};
    for (unsigned i = 0; i < rgb.size(); ++i) rig.poke(VideoRig::kBuffer + i, rgb[i]);
    r = ax(0x1012);
    r.ebx = 0xFE;
    r.ecx = 2;
    r.edx = VideoRig::kBuffer;
    rig.call(r);
    CHECK(dac_entry(rig.vga(), 0xFF) == std::array<std::uint8_t, 3>{4, 5, 6});
    r = ax(0x1017);
    r.ebx = 0xFE;
    r.ecx = 2;
    r.edx = VideoRig::kBuffer + 0x100;
    rig.call(r);
    for (unsigned i = 0; i < rgb.size(); ++i) CHECK(rig.peek(VideoRig::kBuffer + 0x100 + i) == rgb[i]);
    // Gray-scale summing of entry FFh: 0.30*4 + 0.59*5 + 0.11*6 = 4.8 -> 5.
    r = ax(0x101B);
    r.ebx = 0xFF;
    r.ecx = 1;
    rig.call(r);
    CHECK(dac_entry(rig.vga(), 0xFF) == std::array<std::uint8_t, 3>{5, 5, 5});
    // Blink off: Attribute Mode Control bit 3 clear.
    r = ax(0x1003);
    r.ebx = 0;
    rig.call(r);
    CHECK((rig.vga().ac(0x10) & 0x08) == 0);
    // PEL mask.
    r = ax(0x1018);
    r.ebx = 0x0F;
    rig.call(r);
    CHECK(rig.call(ax(0x1019)).bl() == 0x0F);
    // AH=0Bh in mode 4: palette 0 with intensity, background blue.
    rig.call(ax(0x04));
    r = ax(0x0B00);
    r.ebx = 0x0011;  // blue, intensity
    rig.call(r);
    r = ax(0x0B00);
    r.ebx = 0x0100;  // palette 0
    rig.call(r);
    CHECK(rig.vga().ac(0) == 0x01);
    CHECK(rig.vga().ac(1) == 0x12);
    CHECK(rig.vga().ac(2) == 0x14);
    CHECK(rig.vga().ac(3) == 0x16);
    CHECK(rig.bda(0x66) == 0x11);
}

TEST_CASE("information: AH=12h BL=10h, AH=1Ah, AH=1Bh") {
    Booted b;
    VideoRig& rig = b.rig;
    Regs r = ax(0x1200);
    r.ebx = 0x0010;
    Regs got = rig.call(r);
    CHECK(got.bx() == 0x0003);
    CHECK(got.cx() == 0x0F09);
    got = rig.call(ax(0x1A00));
    CHECK(got.al() == 0x1A);
    CHECK(got.bx() == 0x0008);
    r = ax(0x1B00);
    r.ebx = 0;
    r.es = 0;
    r.edi = VideoRig::kBuffer;
    CHECK(rig.call(r).al() == 0x1B);
    const std::uint32_t st = VideoRig::kBuffer;
    CHECK(rig.peek(st + 4) == 3);
    CHECK(rig.peek16(st + 5) == 80);
    CHECK(rig.peek16(st + 0x1E) == 0x3D4);
    CHECK(rig.peek(st + 0x22) == 25);
    CHECK(rig.peek16(st + 0x23) == 16);
    CHECK(rig.peek(st + 0x25) == 8);
    CHECK(rig.peek16(st + 0x27) == 16);
    CHECK(rig.peek(st + 0x29) == 8);
    CHECK(rig.peek(st + 0x2A) == 2);
    CHECK(rig.peek(st + 0x31) == 3);
    const std::uint32_t table = rig.far_ptr(st);
    CHECK(rig.read_phys(table) == 0xFF);      // modes 0-7
    CHECK(rig.read_phys(table + 2) == 0x0F);  // modes 10h-13h
    // Default palette loading off: a mode set leaves the DAC alone.
    r = ax(0x1201);
    r.ebx = 0x0031;
    CHECK(rig.call(r).al() == 0x12);
    r = ax(0x1010);
    r.ebx = 0x3F;
    r.edx = 0x0100;
    r.ecx = 0x0203;
    rig.call(r);
    rig.call(ax(0x0003));
    CHECK(dac_entry(rig.vga(), 0x3F) == std::array<std::uint8_t, 3>{1, 2, 3});
}

}  // TEST_SUITE

}  // namespace lantern::testing
