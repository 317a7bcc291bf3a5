// The video BIOS (bios/video/) on VideoRig: INT 10h called from C++, results checked against
// the VGA's registers, the BIOS data area and the rendered screen.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "devices/vga/vga_render.h"
#include "tests/bios/video_rig.h"
#include "tests/devices/vga_rig.h"

namespace lantern::testing {
namespace {

constexpr std::uint32_t kBar = 0xFD000000u;  // not Bochs' default: the BIOS must ask PCI

struct Booted {
    VideoRig rig;
    explicit Booted(CpuModel model = CpuModel::P6) : rig(model, kBar) { rig.init(); }
};

Regs ax(std::uint16_t v) {
    Regs r;
    r.eax = v;
    return r;
}

// Teletype output of a string through AH=0Eh.
void tty(VideoRig& rig, const std::string& s) {
    for (unsigned char c : s) {
        Regs r = ax(static_cast<std::uint16_t>(0x0E00 | c));
        r.ebx = 0x0007;
        rig.call(r);
    }
}

std::string first_lines(const std::string& dump, unsigned n) {
    std::size_t pos = 0;
    for (unsigned i = 0; i < n && pos != std::string::npos; ++i) {
        pos = dump.find('\n', pos);
        if (pos != std::string::npos) ++pos;
    }
    return dump.substr(0, pos == std::string::npos ? dump.size() : pos);
}

// The IBM VGA's default DAC colours, computed here from their description (IBM VGA Technical
// Reference, BIOS default palettes): rgbRGB for 350/400/480-line modes; mode 13h: 16 colours, a
// gray ramp, nine groups of 24 hues, black.
std::array<std::uint8_t, 3> ega_rgb(unsigned code) {
    auto c = [&](unsigned hi, unsigned lo) {
        return static_cast<std::uint8_t>(((code >> hi) & 1) * 0x2A + ((code >> lo) & 1) * 0x15);
    };
    return {c(2, 5), c(1, 4), c(0, 3)};
}
std::array<std::uint8_t, 3> mode13_rgb(unsigned i) {
    static constexpr std::array<std::uint8_t, 16> gray = {0x00, 0x05, 0x08, 0x0B, 0x0E, 0x11, 0x14, 0x18,
                                                          0x1C, 0x20, 0x24, 0x28, 0x2D, 0x32, 0x38, 0x3F};
    static constexpr std::uint8_t levels[9][5] = {
        {0x00, 0x10, 0x1F, 0x2F, 0x3F}, {0x1F, 0x27, 0x2F, 0x37, 0x3F}, {0x2D, 0x31, 0x36, 0x3A, 0x3F},
        {0x00, 0x07, 0x0E, 0x15, 0x1C}, {0x0E, 0x11, 0x15, 0x18, 0x1C}, {0x14, 0x16, 0x18, 0x1A, 0x1C},
        {0x00, 0x04, 0x08, 0x0C, 0x10}, {0x08, 0x0A, 0x0C, 0x0E, 0x10}, {0x0B, 0x0C, 0x0D, 0x0F, 0x10}};
    if (i < 16) {
        const unsigned code = (i == 6) ? 0x14 : ((i & 7) | ((i & 8) ? 0x38 : 0));
        return ega_rgb(code);
    }
    if (i < 32) return {gray[i - 16], gray[i - 16], gray[i - 16]};
    if (i >= 248) return {0, 0, 0};
    const unsigned group = (i - 32) / 24, hue = (i - 32) % 24;
    // Red rises over hues 1-3, stays up 4-12, falls 13-15; green trails it by 8, blue leads.
    auto ramp = [](unsigned h) -> unsigned {
        h %= 24;
        if (h == 0 || h >= 16) return 0;
        if (h <= 3) return h;
        if (h <= 12) return 4;
        return 16 - h;
    };
    return {levels[group][ramp(hue)], levels[group][ramp(hue + 16)], levels[group][ramp(hue + 8)]};
}
std::uint32_t to_rgb888(std::array<std::uint8_t, 3> c) {
    auto e = [](std::uint8_t v) { return static_cast<std::uint32_t>((v << 2) | (v >> 4)); };
    return (e(c[0]) << 16) | (e(c[1]) << 8) | e(c[2]);
}
std::array<std::uint8_t, 3> dac_entry(const Vga& vga, unsigned i) {
    const auto& p = vga.dac().palette;
    return {p[i * 3], p[i * 3 + 1], p[i * 3 + 2]};
}

}  // namespace

TEST_SUITE("video_bios") {

TEST_CASE("the module's header matches the contract in bios/README.md") {
    VideoRig rig(CpuModel::P6, kBar);
    const auto& rom = rig.rom();
    REQUIRE(rom.size() <= 32768);
    CHECK(rom[0] == 0x55);
    CHECK(rom[1] == 0xAA);
    CHECK(rom[2] == 64);
    CHECK(rom[3] == 0xE9);  // JMP NEAR (init)
    CHECK(rom[6] == 0xE9);  // JMP NEAR (INT 10h)
    CHECK(std::string(rom.begin() + 9, rom.begin() + 13) == "LVGA");
    CHECK(rom[0x0D] == 1);
    const std::uint16_t pcir = rig.rom16(0x18);
    CHECK(std::string(rom.begin() + pcir, rom.begin() + pcir + 4) == "PCIR");
    CHECK(rig.rom16(pcir + 4) == 0x1234);
    CHECK(rig.rom16(pcir + 6) == 0x1111);
    // The 8x8 and 8x16 fonts: 'A' has the shape of an A somewhere, space is blank.
    const std::uint16_t f8 = rig.rom16(0x0E), f16 = rig.rom16(0x10);
    for (unsigned r = 0; r < 8; ++r) CHECK(rom[f8 + 0x20 * 8 + r] == 0);
    for (unsigned r = 0; r < 16; ++r) CHECK(rom[f16 + 0x20 * 16 + r] == 0);
    CHECK(rom[f16 + 0xDB * 16 + 5] == 0xFF);  // full block
    CHECK(rom[f16 + 0xDD * 16 + 5] == 0xF0);  // left half block (drawn in font_supplement.txt)
    unsigned full_rows = 0;                   // box drawing horizontal line: one full-width row
    for (unsigned r = 0; r < 16; ++r) full_rows += rom[f16 + 0xC4 * 16 + r] == 0xFF;
    CHECK(full_rows >= 1);
}

TEST_CASE("init programs mode 03h with the IBM register values and fills the BDA") {
    Booted b;
    VideoRig& rig = b.rig;
    const Vga& vga = rig.vga();
    const VgaMode& m = kMode03;
    CHECK(vga.registers().misc_output == m.misc);
    for (unsigned i = 1; i < 5; ++i) CHECK(vga.seq(i) == m.seq[i]);
    for (unsigned i = 0; i < 25; ++i) {
        CAPTURE(i);
        CHECK(vga.crtc(i) == m.crtc[i]);
    }
    for (unsigned i = 0; i < 9; ++i) CHECK(vga.gc(i) == m.gc[i]);
    for (unsigned i = 0; i < 20; ++i) CHECK(vga.ac(i) == m.ac[i]);
    CHECK((vga.registers().ac_index & 0x20) == 0x20);  // PAS on: the screen shows

    CHECK(rig.bda(0x49) == 0x03);
    CHECK(rig.bda16(0x4A) == 80);
    CHECK(rig.bda16(0x4C) == 0x1000);
    CHECK(rig.bda16(0x4E) == 0);
    CHECK(rig.bda16(0x50) == 0);
    CHECK(rig.bda16(0x60) == 0x0D0E);
    CHECK(rig.bda(0x62) == 0);
    CHECK(rig.bda16(0x63) == 0x3D4);
    CHECK(rig.bda(0x65) == 0x29);
    CHECK(rig.bda(0x66) == 0x30);
    CHECK(rig.bda(0x84) == 24);
    CHECK(rig.bda16(0x85) == 16);
    CHECK(rig.bda(0x87) == 0x60);
    CHECK(rig.bda(0x88) == 0xF9);
    CHECK(rig.bda(0x89) == 0x51);
    CHECK(rig.bda(0x8A) == 0x08);
    CHECK((rig.bda16(0x10) & 0x30) == 0x20);
    // INT 43h and INT 1Fh: the 8x8 font and its upper half, in the module.
    const std::uint32_t f8 = VideoRig::kRomBase + rig.rom16(0x0E);
    CHECK(rig.far_ptr(0x43 * 4) == f8);
    CHECK(rig.far_ptr(0x1F * 4) == f8 + 128 * 8);
    // 40:A8 -> save pointer table in the EBDA; its first entry is the parameter table, whose
    // entry 18h (modes 2+/3+) holds mode 3's registers.
    const std::uint32_t save = rig.far_ptr(0x4A8);
    CHECK(save == VideoRig::kEbdaSeg * 16u + 0x200);
    const std::uint32_t params = rig.far_ptr(save);
    CHECK(params >= VideoRig::kRomBase);
    const std::uint32_t e18 = params - VideoRig::kRomBase + 0x18 * 64;
    CHECK(rig.rom()[e18] == 80);
    CHECK(rig.rom()[e18 + 9] == 0x67);
    // The screen is blank, the font is in plane 2: 'A' (41h) as in the ROM's 8x16 font.
    CHECK(text_dump(vga) == std::string(25, '\n'));
    const std::uint16_t f16 = rig.rom16(0x10);
    for (unsigned r = 0; r < 16; ++r) CHECK(vga.plane_byte(2, 0x41 * 32 + r) == rig.rom()[f16 + 0x41 * 16 + r]);
    CHECK(vga.plane_byte(0, 0) == ' ');
    CHECK(vga.plane_byte(1, 0) == 0x07);
    // The DAC: the 64-colour palette (brown at 14h, white at 3Fh).
    CHECK(dac_entry(vga, 0x14) == std::array<std::uint8_t, 3>{0x2A, 0x15, 0x00});
    CHECK(dac_entry(vga, 0x3F) == std::array<std::uint8_t, 3>{0x3F, 0x3F, 0x3F});
    for (unsigned i = 0; i < 64; ++i) CHECK(dac_entry(vga, i) == ega_rgb(i));
}

TEST_CASE("teletype output: characters, CR, LF, BS, wrapping and scrolling") {
    Booted b;
    VideoRig& rig = b.rig;
    tty(rig, "Hello\r\nWorld!\b?");
    CHECK(first_lines(text_dump(rig.vga()), 3) == "Hello\nWorld?\n\n");
    CHECK(rig.bda16(0x50) == 0x0106);  // row 1, column 6
    CHECK(rig.crtc(0x0E) == 0x00);
    CHECK(rig.crtc(0x0F) == 80 + 6);
    // BEL sounds the speaker and prints nothing.
    tty(rig, "\a");
    CHECK(rig.beeps_started() == 1);
    CHECK(rig.bda16(0x50) == 0x0106);
    // An 81st character wraps to the next line.
    tty(rig, "\r\n");
    tty(rig, std::string(80, 'x') + "y");
    CHECK(first_lines(text_dump(rig.vga()), 4) == "Hello\nWorld?\n" + std::string(80, 'x') + "\ny\n");
    // Scrolling: 30 numbered lines leave lines 7-30 and an empty last line.
    Regs r = ax(0x0003);
    rig.call(r);
    for (int i = 1; i <= 30; ++i) tty(rig, "line " + std::to_string(i) + "\r\n");
    std::string expect;
    for (int i = 7; i <= 30; ++i) expect += "line " + std::to_string(i) + "\n";
    expect += "\n";
    CHECK(text_dump(rig.vga()) == expect);
    CHECK(rig.bda16(0x50) == 0x1800);
}

TEST_CASE("teletype in text mode keeps the cell's attribute; scrolling uses the cursor cell's") {
    Booted b;
    VideoRig& rig = b.rig;
    // Fill the screen with attribute 1Eh through AH=06h (clear), then print and scroll.
    Regs clear = ax(0x0600);
    clear.ebx = 0x1E00;
    clear.edx = 0x184F;
    rig.call(clear);
    tty(rig, "A");
    CHECK(rig.vga().plane_byte(0, 0) == 'A');
    CHECK(rig.vga().plane_byte(1, 0) == 0x1E);
    for (int i = 0; i < 25; ++i) tty(rig, "\n");
    CHECK(rig.vga().plane_byte(1, 24 * 160) == 0x1E);  // new bottom line: 1Eh (cell n at 2n)
}

TEST_CASE("cursor position, shape and emulation; pages") {
    Booted b;
    VideoRig& rig = b.rig;
    Regs r = ax(0x0200);
    r.ebx = 0x0000;
    r.edx = 0x0A14;  // row 10, column 20
    rig.call(r);
    CHECK(rig.bda16(0x50) == 0x0A14);
    const unsigned loc = 10 * 80 + 20;
    CHECK(rig.crtc(0x0E) == (loc >> 8));
    CHECK(rig.crtc(0x0F) == (loc & 0xFF));
    Regs got = rig.call(ax(0x0300));
    CHECK(got.dx() == 0x0A14);
    CHECK(got.cx() == 0x0D0E);
    // The CGA underline cursor 6-7 becomes 0Dh-0Eh on the 16-line cell; 40:60 keeps 0607h.
    r = ax(0x0100);
    r.ecx = 0x0607;
    rig.call(r);
    CHECK(rig.bda16(0x60) == 0x0607);
    CHECK(rig.crtc(0x0A) == 0x0D);
    CHECK(rig.crtc(0x0B) == 0x0E);
    // A full block 0-7 scales to the whole cell; cursor off sets bit 5.
    r.ecx = 0x0007;
    rig.call(r);
    CHECK(rig.crtc(0x0A) == 0x00);
    CHECK(rig.crtc(0x0B) == 0x0E);
    r.ecx = 0x2000;
    rig.call(r);
    CHECK((rig.crtc(0x0A) & 0x20) == 0x20);
    // Emulation off (AH=12h BL=34h AL=1): values go to the CRTC unchanged.
    r = ax(0x1201);
    r.ebx = 0x0034;
    CHECK(rig.call(r).al() == 0x12);
    r = ax(0x0100);
    r.ecx = 0x0607;
    rig.call(r);
    CHECK(rig.crtc(0x0A) == 0x06);
    CHECK(rig.crtc(0x0B) == 0x07);
    // Page 1: start address 800h words, its own cursor.
    r = ax(0x0200);
    r.ebx = 0x0100;
    r.edx = 0x0203;
    rig.call(r);
    rig.call(ax(0x0501));
    CHECK(rig.bda(0x62) == 1);
    CHECK(rig.bda16(0x4E) == 0x1000);
    CHECK(rig.crtc(0x0C) == 0x08);
    CHECK(rig.crtc(0x0D) == 0x00);
    CHECK((rig.crtc(0x0E) << 8 | rig.crtc(0x0F)) == 0x800 + 2 * 80 + 3);
    tty(rig, "P1");
    CHECK(first_lines(text_dump(rig.vga()), 3) == "\n\n   P1\n");
    Regs mode = rig.call(ax(0x0F00));
    CHECK(mode.ax() == 0x5003);
    CHECK(mode.bh() == 1);
}

TEST_CASE("write/read character and attribute, write string, scroll a window") {
    Booted b;
    VideoRig& rig = b.rig;
    Regs r = ax(0x0941);  // 'A' x 3, attribute 4Fh
    r.ebx = 0x004F;
    r.ecx = 3;
    rig.call(r);
    CHECK(first_lines(text_dump(rig.vga()), 1) == "AAA\n");
    CHECK(rig.vga().plane_byte(1, 2) == 0x4F);
    CHECK(rig.bda16(0x50) == 0);  // AH=09h does not move the cursor
    r = ax(0x0A42);               // 'B', keeping attributes
    r.ecx = 1;
    rig.call(r);
    Regs got = rig.call(ax(0x0800));
    CHECK(got.ax() == 0x4F42);
    // AH=13h AL=1: string with attribute BL at row 2, column 5; the cursor follows.
    const std::string s = "Hi\r\nthere";
    for (unsigned i = 0; i < s.size(); ++i) rig.poke(VideoRig::kBuffer + i, static_cast<std::uint8_t>(s[i]));
    r = ax(0x1301);
    r.ebx = 0x0071;
    r.ecx = static_cast<std::uint32_t>(s.size());
    r.edx = 0x0205;
    r.es = 0;
    r.ebp = VideoRig::kBuffer;
    rig.call(r);
    CHECK(first_lines(text_dump(rig.vga()), 4) == "BAA\n\n     Hi\nthere\n");
    CHECK(rig.bda16(0x50) == 0x0305);
    // AL=2: character/attribute pairs, the cursor stays.
    const std::array<std::uint8_t, 4> pairs = {'O', 0x1F, 'K', 0x2E};
    for (unsigned i = 0; i < pairs.size(); ++i) rig.poke(VideoRig::kBuffer + i, pairs[i]);
    r = ax(0x1302);
    r.ecx = 2;
    r.edx = 0x0A00;
    r.es = 0;
    r.ebp = VideoRig::kBuffer;
    rig.call(r);
    CHECK(rig.bda16(0x50) == 0x0305);
    CHECK(rig.vga().plane_byte(0, 10 * 160) == 'O');  // odd/even: cell n at offset 2n
    CHECK(rig.vga().plane_byte(1, 10 * 160 + 2) == 0x2E);
    // Scroll rows 2-3, columns 0-4 up by one: "there" moves up beside "Hi".
    r = ax(0x0601);
    r.ebx = 0x0700;
    r.ecx = 0x0200;
    r.edx = 0x0304;
    rig.call(r);
    CHECK(first_lines(text_dump(rig.vga()), 4) == "BAA\n\nthereHi\n\n");
    // Scroll down the whole screen by 2.
    r = ax(0x0702);
    r.ebx = 0x0700;
    r.ecx = 0;
    r.edx = 0x184F;
    rig.call(r);
    CHECK(first_lines(text_dump(rig.vga()), 5) == "\n\nBAA\n\nthereHi\n");
}

TEST_CASE("every handler preserves the registers it does not return in") {
    Booted b;
    VideoRig& rig = b.rig;
    Regs in;
    in.ebx = 0x12340007;
    in.ecx = 0x56780001;
    in.edx = 0x9ABC0000;
    in.esi = 0xDEADBEEF;
    in.edi = 0xCAFEF00D;
    in.ebp = 0x0BADC0DE;
    in.es = 0x1234;
    in.ds = 0x5678;
    for (std::uint16_t a : {0x0E41, 0x0200, 0x0941, 0x0601, 0x0B00, 0x1000, 0x0501, 0x0500}) {
        in.eax = 0xFFFF0000u | a;
        const Regs out = rig.call(in);
        CAPTURE(a);
        CHECK(out.eax == in.eax);
        CHECK(out.ebx == in.ebx);
        CHECK(out.ecx == in.ecx);
        CHECK(out.edx == in.edx);
        CHECK(out.esi == in.esi);
        CHECK(out.edi == in.edi);
        CHECK(out.ebp == in.ebp);
        CHECK(out.es == in.es);
        CHECK(out.ds == in.ds);
    }
    // VBE calls keep the upper halves of the 32-bit registers.
    in.eax = 0xFFFF4F03;
    const Regs out = rig.call(in);
    CHECK(out.ax() == 0x004F);
    CHECK((out.eax >> 16) == 0xFFFF);
    CHECK((out.ecx >> 16) == 0x5678);
    CHECK((out.edx >> 16) == 0x9ABC);
    CHECK(out.esi == in.esi);
    CHECK(out.edi == in.edi);
}

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
