// The video BIOS (bios/video/) on VideoRig: the module's header, init, text output and the register contract.
// INT 10h called from C++, results checked against the VGA's registers, the BIOS data area and
// the rendered screen.
#include "tests/bios/video_test_helpers.h"

namespace lantern::testing {
using namespace video_test;

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

}  // TEST_SUITE

}  // namespace lantern::testing
