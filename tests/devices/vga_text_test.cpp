// The text dump (--text-dump): the characters the CRTC displays, code page 437 mapped to
// Unicode, as UTF-8 lines.
#include <doctest/doctest.h>

#include <string>

#include "devices/vga/cp437.h"
#include "devices/vga/vga_render.h"
#include "vga_rig.h"

using namespace lantern;
using lantern::testing::VgaRig;

namespace {

void put_text(VgaRig& r, unsigned col, unsigned row, const std::string& bytes, unsigned columns = 80) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const std::uint32_t a = 0xB8000 + static_cast<std::uint32_t>((row * columns + col + i) * 2);
        r.poke(a, static_cast<std::uint8_t>(bytes[i]));
        r.poke(a + 1, 0x07);
    }
}

void clear_screen(VgaRig& r) {
    for (std::uint32_t i = 0; i < 80 * 25; ++i) {
        r.poke(0xB8000 + 2 * i, ' ');
        r.poke(0xB8000 + 2 * i + 1, 0x07);
    }
}

}  // namespace

TEST_SUITE("vga_text") {
    TEST_CASE("code page 437 to Unicode") {
        CHECK(cp437_to_unicode('A') == U'A');
        CHECK(cp437_to_unicode(0x01) == U'\u263A');
        CHECK(cp437_to_unicode(0x7F) == U'\u2302');
        CHECK(cp437_to_unicode(0x82) == U'\u00E9');
        CHECK(cp437_to_unicode(0xB0) == U'\u2591');
        CHECK(cp437_to_unicode(0xC9) == U'\u2554');
        CHECK(cp437_to_unicode(0xCD) == U'\u2550');
        CHECK(cp437_to_unicode(0xDB) == U'\u2588');
        CHECK(cp437_to_unicode(0xE1) == U'\u00DF');
        CHECK(cp437_to_unicode(0xE3) == U'\u03C0');
        CHECK(cp437_to_unicode(0xFB) == U'\u221A');
        CHECK(cp437_to_unicode(0xFF) == U'\u00A0');
        std::string s;
        append_utf8(s, U'A');
        append_utf8(s, U'\u00E9');
        append_utf8(s, U'\u2554');
        append_utf8(s, U'\U0001F600');
        CHECK(s == "A\xC3\xA9\xE2\x95\x94\xF0\x9F\x98\x80");
    }

    TEST_CASE("an 80x25 screen dumps as 25 lines with trailing blanks removed") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode03);
        clear_screen(r);
        put_text(r, 0, 0, "\xC9\xCD\xCD\xBB");
        put_text(r, 0, 1, "\xBA" "Caf\x82 \xE3=3.14\x01" "\xBA");
        put_text(r, 0, 2, "\xC8\xCD\xCD\xBC");
        put_text(r, 70, 24, "bottom");
        r.poke(0xB8000 + 2 * (3 * 80 + 2), 0x00);  // NUL shows as a space
        r.poke(0xB8000 + 2 * (3 * 80 + 3), 'x');
        const TextGeometry g = text_geometry(r.vga);
        CHECK(g.columns == 80);
        CHECK(g.rows == 25);
        std::string expect;
        expect += "\u2554\u2550\u2550\u2557\n";
        expect += "\u2551Caf\u00E9 \u03C0=3.14\u263A\u2551\n";
        expect += "\u255A\u2550\u2550\u255D\n";
        expect += "   x\n";
        for (int i = 4; i < 24; ++i) expect += "\n";
        expect += std::string(70, ' ') + "bottom\n";
        CHECK(text_dump(r.vga) == expect);
    }

    TEST_CASE("the dump follows the start address, and a 40-column mode") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode03);
        clear_screen(r);
        put_text(r, 0, 1, "second row");
        r.crtc(0x0D, 80);  // start at row 1
        const std::string dump = text_dump(r.vga);
        CHECK(dump.rfind("second row\n", 0) == 0);

        // 40x25: mode 01h is mode 03h with 40 characters of 9 dots at half the dot clock.
        r.crtc(0x0D, 0);
        r.seq(1, 0x08);
        r.crtc(0x11, 0x0E);  // unprotect 00-07
        r.crtc(0x01, 0x27);
        r.crtc(0x13, 0x14);
        put_text(r, 0, 0, "forty", 40);
        const TextGeometry g = text_geometry(r.vga);
        CHECK(g.columns == 40);
        CHECK(text_dump(r.vga).rfind("forty\n", 0) == 0);
    }

    TEST_CASE("graphics modes have no text") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode13);
        CHECK(text_dump(r.vga).empty());
        CHECK(text_geometry(r.vga).rows == 0);
    }
}
