// The video BIOS (bios/video/) on VideoRig: VBE, the 8086, and whole BIOS images drawing on screen.
// INT 10h called from C++, results checked against the VGA's registers, the BIOS data area and
// the rendered screen.
#include "tests/bios/video_test_helpers.h"

namespace lantern::testing {
using namespace video_test;

TEST_SUITE("video_bios") {

TEST_CASE("VBE: controller and mode information, the LFB address from PCI") {
    Booted b;
    VideoRig& rig = b.rig;
    const std::uint32_t buf = VideoRig::kBuffer;
    rig.poke(buf + 0, 'V');
    rig.poke(buf + 1, 'B');
    rig.poke(buf + 2, 'E');
    rig.poke(buf + 3, '2');
    Regs r = ax(0x4F00);
    r.es = 0;
    r.edi = buf;
    CHECK(rig.call(r).ax() == 0x004F);
    CHECK(rig.peek32(buf) == 0x41534556u);  // "VESA"
    CHECK(rig.peek16(buf + 4) == 0x0300);
    CHECK(rig.peek16(buf + 0x12) == 256);  // 16 MiB
    std::string oem;
    for (std::uint32_t p = rig.far_ptr(buf + 6); rig.read_phys(p) != 0 && oem.size() < 64; ++p)
        oem += static_cast<char>(rig.read_phys(p));
    CHECK(oem == "Lantern VGA");
    CHECK(rig.far_ptr(buf + 6) >= buf + 0x100);  // VBE2: copied into the caller's buffer
    std::vector<std::uint16_t> modes;
    for (std::uint32_t p = rig.far_ptr(buf + 0x0E); modes.size() < 200; p += 2) {
        const std::uint16_t m = static_cast<std::uint16_t>(rig.read_phys(p) | (rig.read_phys(p + 1) << 8));
        if (m == 0xFFFF) break;
        modes.push_back(m);
    }
    CHECK(modes.size() > 20);
    CHECK(std::find(modes.begin(), modes.end(), 0x101) != modes.end());
    CHECK(std::find(modes.begin(), modes.end(), 0x112) != modes.end());

    r = ax(0x4F01);
    r.ecx = 0x112;
    r.es = 0;
    r.edi = buf + 0x200;
    CHECK(rig.call(r).ax() == 0x004F);
    const std::uint32_t mi = buf + 0x200;
    CHECK((rig.peek16(mi) & 0x0081) == 0x0081);  // supported, LFB
    CHECK(rig.peek16(mi + 0x10) == 1920);
    CHECK(rig.peek16(mi + 0x12) == 640);
    CHECK(rig.peek16(mi + 0x14) == 480);
    CHECK(rig.peek(mi + 0x19) == 24);
    CHECK(rig.peek(mi + 0x1B) == 6);  // direct colour
    CHECK(rig.peek(mi + 0x1F) == 8);
    CHECK(rig.peek(mi + 0x20) == 16);
    CHECK(rig.peek32(mi + 0x28) == kBar);
    CHECK(rig.peek16(mi + 0x08) == 0xA000);
    r.ecx = 0x1234;
    CHECK(rig.call(r).ax() == 0x014F);
}

TEST_CASE("VBE: set a linear framebuffer mode, draw through the LFB, back to text") {
    Booted b;
    VideoRig& rig = b.rig;
    Regs r = ax(0x4F02);
    r.ebx = 0x4112;  // 640x480x24, LFB
    CHECK(rig.call(r).ax() == 0x004F);
    const VbeState& vbe = rig.vga().vbe();
    CHECK(vbe.enabled());
    CHECK(vbe.xres == 640);
    CHECK(vbe.yres == 480);
    CHECK(vbe.bpp == 24);
    CHECK((vbe.enable & dispi::kLfbEnabled) != 0);
    Regs got = rig.call(ax(0x4F03));
    CHECK(got.ax() == 0x004F);
    CHECK(got.bx() == 0x4112);
    // A red pixel at (10, 20): bytes blue, green, red.
    const std::uint32_t at = kBar + 20 * 1920 + 10 * 3;
    rig.mem_write8(at, 0x00);
    rig.mem_write8(at + 1, 0x00);
    rig.mem_write8(at + 2, 0xFF);
    const Frame f = render(rig.vga());
    REQUIRE(f.width == 640);
    CHECK(f.at(10, 20) == 0xFF0000u);
    CHECK(f.at(11, 20) == 0);
    // Scan line length and display start.
    r = ax(0x4F06);
    r.ebx = 0x0001;
    got = rig.call(r);
    CHECK(got.ax() == 0x004F);
    CHECK(got.bx() == 1920);
    CHECK(got.cx() == 640);
    r = ax(0x4F07);
    r.ebx = 0x0000;
    r.ecx = 0;
    r.edx = 5;
    CHECK(rig.call(r).ax() == 0x004F);
    CHECK(vbe.y_offset == 5);
    r.ebx = 0x0001;
    got = rig.call(r);
    CHECK(got.dx() == 5);
    // Bank switching.
    r = ax(0x4F05);
    r.ebx = 0x0000;
    r.edx = 3;
    CHECK(rig.call(r).ax() == 0x004F);
    CHECK(vbe.bank == 3);
    r.ebx = 0x0100;
    CHECK(rig.call(r).dx() == 3);
    // DAC width: 6 bits unless asked for 8.
    r = ax(0x4F08);
    r.ebx = 0x0001;
    CHECK(rig.call(r).bh() == 6);
    r.ebx = 0x0800;
    CHECK(rig.call(r).bh() == 8);
    CHECK(vbe.dac_8bit());
    // 4F09h: palette entry 1 = (R 0x80, G 0x40, B 0x20) in 8-bit DAC mode.
    const std::array<std::uint8_t, 4> entry = {0x20, 0x40, 0x80, 0};
    for (unsigned i = 0; i < 4; ++i) rig.poke(VideoRig::kBuffer + i, entry[i]);
    r = ax(0x4F09);
    r.ebx = 0;
    r.ecx = 1;
    r.edx = 1;
    r.es = 0;
    r.edi = VideoRig::kBuffer;
    CHECK(rig.call(r).ax() == 0x004F);
    CHECK(dac_entry(rig.vga(), 1) == std::array<std::uint8_t, 3>{0x80, 0x40, 0x20});
    // A VGA mode through 4F02h turns DISPI off.
    r = ax(0x4F02);
    r.ebx = 0x0003;
    CHECK(rig.call(r).ax() == 0x004F);
    CHECK(!vbe.enabled());
    CHECK(rig.bda(0x49) == 3);
    tty(rig, "text again");
    CHECK(first_lines(text_dump(rig.vga()), 1) == "text again\n");
}

TEST_CASE("VBE: state save/restore, linear display start, maximum scan line") {
    Booted b;
    VideoRig& rig = b.rig;
    Regs r = ax(0x4F02);
    r.ebx = 0x4101;  // 640x480x8, LFB
    REQUIRE(rig.call(r).ax() == 0x004F);
    r = ax(0x4F04);
    r.edx = 0x00;
    r.ecx = 0x0008;  // SVGA state
    Regs got = rig.call(r);
    CHECK(got.ax() == 0x004F);
    CHECK(got.bx() == 1);
    r.edx = 0x01;
    r.es = 0;
    r.ebx = VideoRig::kBuffer;
    CHECK(rig.call(r).ax() == 0x004F);
    rig.call(ax(0x0003));
    CHECK(!rig.vga().vbe().enabled());
    r.edx = 0x02;
    CHECK(rig.call(r).ax() == 0x004F);
    const VbeState& vbe = rig.vga().vbe();
    CHECK(vbe.enabled());
    CHECK(vbe.xres == 640);
    CHECK(vbe.yres == 480);
    CHECK(vbe.bpp == 8);
    CHECK((vbe.enable & dispi::kLfbEnabled) != 0);
    // Display start from a byte offset (VBE 3.0 BL=02h): line 10, pixel 4.
    r = ax(0x4F07);
    r.ebx = 0x0002;
    r.ecx = 640 * 10 + 4;
    CHECK(rig.call(r).ax() == 0x004F);
    CHECK(vbe.y_offset == 10);
    CHECK(vbe.x_offset == 4);
    r = ax(0x4F06);
    r.ebx = 0x0003;
    got = rig.call(r);
    CHECK(got.ax() == 0x004F);
    CHECK(got.cx() >= 640);
    CHECK(got.bx() == got.cx());  // 8 bpp: a byte per pixel
    // Setting a longer line: 1024 pixels.
    r = ax(0x4F06);
    r.ebx = 0x0000;
    r.ecx = 1024;
    got = rig.call(r);
    CHECK(got.ax() == 0x004F);
    CHECK(got.bx() == 1024);
    CHECK(vbe.virt_width == 1024);
}

TEST_CASE("VBE: an 8-bit banked mode through the A0000 window") {
    Booted b;
    VideoRig& rig = b.rig;
    Regs r = ax(0x4F02);
    r.ebx = 0x0101;  // 640x480x8, windowed
    CHECK(rig.call(r).ax() == 0x004F);
    CHECK(rig.vga().vbe().bpp == 8);
    // Pixel (0, 200) is at byte 128000: bank 1, offset 128000 - 65536.
    r = ax(0x4F05);
    r.ebx = 0;
    r.edx = 1;
    rig.call(r);
    rig.mem_write8(0xA0000 + (128000 - 65536), 0x28);  // default palette: red
    const Frame f = render(rig.vga());
    CHECK(f.at(0, 200) == to_rgb888(mode13_rgb(0x28)));
}

TEST_CASE("on the 8086 the text services work and VBE answers 'not supported'") {
    Booted b(CpuModel::I8086);
    VideoRig& rig = b.rig;
    CHECK(rig.bda(0x49) == 3);
    tty(rig, "8086 ok");
    CHECK(first_lines(text_dump(rig.vga()), 1) == "8086 ok\n");
    rig.call(ax(0x0013));
    CHECK(rig.bda(0x49) == 0x13);
    CHECK(rig.call(ax(0x4F00)).ax() == 0x4F00);
}

TEST_CASE("a whole BIOS image: POST stand-in, init, a scrolled text screen") {
    VideoRig rig(CpuModel::P6, kBar, read_binary(LANTERN_VIDEO_SCREEN_DIR "/video_screen_1.bin"));
    rig.run_reset();
    std::vector<std::string> rows;
    for (int i = 7; i <= 30; ++i) rows.push_back("line " + std::to_string(i));
    rows.push_back("");
    rows[3] = "line 10   colour";                               // AH=13h at row 3, column 10
    rows[6] = "\xE2\x95\x94";                                   // AH=09h box: U+2554 (CP437 C9h)
    for (int i = 0; i < 10; ++i) rows[6] += "\xE2\x95\x90";     // U+2550 (CDh)
    rows[6] += "\xE2\x95\x97";                                  // U+2557 (BBh)
    std::string expect;
    for (const auto& r : rows) expect += r + "\n";
    CHECK(text_dump(rig.vga()) == expect);
    CHECK(rig.vga().plane_byte(1, 3 * 160 + 10 * 2) == 0x1E);  // the string's attribute
    CHECK(rig.bda16(0x50) == 0x060B);                          // the last AH=02h
}

TEST_CASE("a whole BIOS image: mode 13h colour bars, gray ramp and text on screen") {
    VideoRig rig(CpuModel::P6, kBar, read_binary(LANTERN_VIDEO_SCREEN_DIR "/video_screen_2.bin"));
    rig.run_reset();
    const Frame f = render(rig.vga());
    REQUIRE(f.width == 640);
    REQUIRE(f.height == 400);
    for (unsigned x = 0; x < 320; x += 7) {
        for (unsigned y : {50u, 75u, 99u}) {
            CAPTURE(x);
            CHECK(f.at(2 * x, 2 * y) == to_rgb888(mode13_rgb(0x20 + x / 20)));
        }
    }
    CHECK(f.at(0, 2 * 100) == 0);
    for (unsigned i = 0; i < 16; ++i) CHECK(f.at(2 * i, 300) == to_rgb888(mode13_rgb(0x10 + i)));
    // "13h" in white from the 8x8 font at the top left.
    const std::uint16_t f8 = rig.rom16(0x0E);
    const char* text = "13h";
    for (unsigned c = 0; c < 3; ++c) {
        for (unsigned row = 0; row < 8; ++row) {
            const std::uint8_t bits = rig.rom()[f8 + static_cast<unsigned>(text[c]) * 8 + row];
            for (unsigned dot = 0; dot < 8; ++dot) {
                const bool on = (bits & (0x80 >> dot)) != 0;
                CHECK(f.at(2 * (c * 8 + dot), 2 * row) == (on ? to_rgb888(mode13_rgb(0x0F)) : 0u));
            }
        }
    }
}

TEST_CASE("a whole BIOS image: a VBE mode drawn through the banked window") {
    VideoRig rig(CpuModel::P6, kBar, read_binary(LANTERN_VIDEO_SCREEN_DIR "/video_screen_3.bin"));
    rig.run_reset();
    const Frame f = render(rig.vga());
    REQUIRE(f.width == 640);
    REQUIRE(f.height == 480);
    for (unsigned x = 0; x < 640; x += 13) CHECK(f.at(x, 200) == to_rgb888(mode13_rgb(0x28)));
    CHECK(f.at(0, 199) == 0);
    CHECK(f.at(0, 201) == 0);
}

}  // TEST_SUITE

}  // namespace lantern::testing
