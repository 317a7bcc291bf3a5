// The video DAC: index registers, the red/green/blue sequencing of 3C9, 6-bit values, the
// state register and the PEL mask (FreeVGA "DAC Operation").
#include <doctest/doctest.h>

#include "vga_rig.h"

using namespace lantern;
using lantern::testing::VgaRig;

TEST_SUITE("vga_dac") {
    TEST_CASE("three writes load one entry, then the write index advances") {
        VgaRig r;
        r.out(0x3C8, 5);
        CHECK(r.in(0x3C7) == 0x00);  // write mode
        for (std::uint8_t v : {0x01, 0x02, 0x03, 0x11, 0x12, 0x13}) r.out(0x3C9, v);
        CHECK(r.in(0x3C8) == 7);
        r.out(0x3C7, 5);
        CHECK(r.in(0x3C7) == 0x03);  // read mode
        for (std::uint8_t v : {0x01, 0x02, 0x03, 0x11, 0x12, 0x13}) CHECK(r.in(0x3C9) == v);
        const auto& pal = r.vga.dac().palette;
        CHECK(pal[5 * 3] == 0x01);
        CHECK(pal[6 * 3 + 2] == 0x13);
    }

    TEST_CASE("values are 6 bits") {
        VgaRig r;
        r.dac(9, 0xFF, 0x40, 0x7F);
        r.out(0x3C7, 9);
        CHECK(r.in(0x3C9) == 0x3F);
        CHECK(r.in(0x3C9) == 0x00);
        CHECK(r.in(0x3C9) == 0x3F);
    }

    TEST_CASE("an entry is written only when blue completes it; 3C8 restarts the sequence") {
        VgaRig r;
        r.dac(10, 1, 2, 3);
        r.out(0x3C8, 10);
        r.out(0x3C9, 0x20);
        r.out(0x3C9, 0x21);
        r.out(0x3C7, 10);
        CHECK(r.in(0x3C9) == 1);  // unchanged so far
        r.out(0x3C8, 10);         // restart: red again
        r.out(0x3C9, 0x30);
        r.out(0x3C9, 0x31);
        r.out(0x3C9, 0x32);
        r.out(0x3C7, 10);
        CHECK(r.in(0x3C9) == 0x30);
        CHECK(r.in(0x3C9) == 0x31);
        CHECK(r.in(0x3C9) == 0x32);
    }

    TEST_CASE("indexes wrap from 255 to 0; peeking 3C9 does not advance") {
        VgaRig r;
        r.out(0x3C8, 255);
        for (std::uint8_t v : {7, 8, 9, 10, 11, 12}) r.out(0x3C9, v);
        CHECK(r.in(0x3C8) == 1);
        r.out(0x3C7, 255);
        CHECK(r.vga.io_peek(0x3C9) == 7);
        CHECK(r.vga.io_peek(0x3C9) == 7);
        r.in(0x3C9);
        r.in(0x3C9);
        r.in(0x3C9);
        CHECK(r.in(0x3C9) == 10);  // entry 0
    }

    TEST_CASE("PEL mask reads back and is applied to indexes before the lookup") {
        VgaRig r;
        r.out(0x3C6, 0x0F);
        CHECK(r.in(0x3C6) == 0x0F);
    }

    TEST_CASE("DISPI 8BIT_DAC keeps 8-bit values and rescales the palette when toggled") {
        VgaRig r;
        r.dac(1, 0x3F, 0x20, 0x01);
        r.dispi(dispi::kIndexEnable, dispi::k8BitDac);
        r.out(0x3C7, 1);
        CHECK(r.in(0x3C9) == 0xFC);
        CHECK(r.in(0x3C9) == 0x80);
        CHECK(r.in(0x3C9) == 0x04);
        r.dac(2, 0xFF, 0x81, 0x00);
        r.out(0x3C7, 2);
        CHECK(r.in(0x3C9) == 0xFF);
        CHECK(r.in(0x3C9) == 0x81);
        r.dispi(dispi::kIndexEnable, 0);
        r.out(0x3C7, 2);
        CHECK(r.in(0x3C9) == 0x3F);
        CHECK(r.in(0x3C9) == 0x20);
    }
}
