// VGA register groups: every register reads back what was written (through the bits FreeVGA
// documents), I/O address select, the attribute flip-flop, CRTC write protection, the ports
// the bus adapter decodes, and inspection.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "devices/port_map.h"
#include "recording_visitor.h"
#include "vga_rig.h"

using namespace lantern;
using lantern::testing::VgaRig;

TEST_SUITE("vga_registers") {
    TEST_CASE("sequencer registers read back through their implemented bits") {
        VgaRig r;
        const std::uint8_t masks[5] = {0x03, 0x3D, 0x0F, 0x3F, 0x0E};
        for (std::uint8_t i = 0; i < 5; ++i) {
            r.seq(i, 0xFF);
            CHECK(r.read_seq(i) == masks[i]);
            r.seq(i, 0x00);
            CHECK(r.read_seq(i) == 0x00);
        }
        r.seq(2, 0x05);
        CHECK(r.read_seq(2) == 0x05);
        // The index register keeps what was written; an index past the last register reads 0
        // and ignores writes (no aliasing onto real registers).
        r.out(0x3C4, 0x12);
        CHECK(r.in(0x3C4) == 0x12);
        r.out(0x3C5, 0x55);
        CHECK(r.in(0x3C5) == 0x00);
        CHECK(r.read_seq(2) == 0x05);
    }

    TEST_CASE("graphics controller registers read back through their implemented bits") {
        VgaRig r;
        const std::uint8_t masks[9] = {0x0F, 0x0F, 0x0F, 0x1F, 0x03, 0x7B, 0x0F, 0x0F, 0xFF};
        for (std::uint8_t i = 0; i < 9; ++i) {
            r.gc(i, 0xFF);
            CHECK(r.read_gc(i) == masks[i]);
        }
        r.gc(3, 0x13);  // XOR, rotate 3
        CHECK(r.read_gc(3) == 0x13);
        r.gc(5, 0x4A);  // shift256, read mode 1, write mode 2
        CHECK(r.read_gc(5) == 0x4A);
    }

    TEST_CASE("every CRTC register reads back; 00-07 are protected by CR11 bit 7") {
        VgaRig r;
        for (std::uint8_t i = 0; i < 0x19; ++i) {
            const auto v = static_cast<std::uint8_t>(0x5A ^ i);
            r.crtc(i, v);
            CHECK(r.read_crtc(i) == v);
        }
        r.crtc(0x11, 0x80);  // protect
        r.crtc(0x00, 0x11);
        CHECK(r.read_crtc(0x00) == 0x5A);
        r.crtc(0x06, 0x22);
        CHECK(r.read_crtc(0x06) == (0x5A ^ 0x06));
        // Only the Line Compare bit 8 (overflow bit 4) stays writable in register 07.
        const std::uint8_t before = r.read_crtc(0x07);
        r.crtc(0x07, static_cast<std::uint8_t>(~before));
        CHECK(r.read_crtc(0x07) == static_cast<std::uint8_t>((before & ~0x10) | (~before & 0x10)));
        r.crtc(0x08, 0x33);  // 08 and above are never protected
        CHECK(r.read_crtc(0x08) == 0x33);
        r.crtc(0x11, 0x00);
        r.crtc(0x00, 0x11);
        CHECK(r.read_crtc(0x00) == 0x11);
        r.out(0x3D4, 0x40);
        CHECK(r.in(0x3D4) == 0x40);
        CHECK(r.in(0x3D5) == 0x00);
    }

    TEST_CASE("attribute controller: index/data flip-flop, reset by reading Input Status 1") {
        VgaRig r;
        r.in(0x3DA);
        for (std::uint8_t i = 0; i < 16; ++i) {
            r.out(0x3C0, i);  // PAS = 0 so the palette can be loaded
            r.out(0x3C0, static_cast<std::uint8_t>(0xC0 | i));
        }
        r.out(0x3C0, 0x30);  // Mode Control, PAS = 1
        r.out(0x3C0, 0xFF);
        r.out(0x3C0, 0x31);
        r.out(0x3C0, 0xAB);
        r.out(0x3C0, 0x32);
        r.out(0x3C0, 0xFF);
        r.out(0x3C0, 0x33);
        r.out(0x3C0, 0xFF);
        r.out(0x3C0, 0x34);
        r.out(0x3C0, 0xFF);
        for (std::uint8_t i = 0; i < 16; ++i) CHECK(r.read_ac(i) == i);  // palette is 6 bits
        CHECK(r.read_ac(0x10) == 0xEF);
        CHECK(r.read_ac(0x11) == 0xAB);
        CHECK(r.read_ac(0x12) == 0x3F);
        CHECK(r.read_ac(0x13) == 0x0F);
        CHECK(r.read_ac(0x14) == 0x0F);
        // Reading 3C0 returns the address register (index + PAS).
        CHECK(r.in(0x3C0) == 0x34);

        // The flip-flop: an index write puts it in data state; reading 3DA resets it.
        r.in(0x3DA);
        r.out(0x3C0, 0x31);
        r.in(0x3DA);
        r.out(0x3C0, 0x33);  // an index again, not data for 0x11
        r.out(0x3C0, 0x05);
        CHECK(r.read_ac(0x11) == 0xAB);
        CHECK(r.read_ac(0x13) == 0x05);
        // peek of 3DA does not reset the flip-flop.
        r.in(0x3DA);
        r.out(0x3C0, 0x33);
        (void)r.vga.io_peek(0x3DA);
        r.out(0x3C0, 0x07);
        CHECK(r.read_ac(0x13) == 0x07);
    }

    TEST_CASE("palette registers cannot be written while PAS is 1") {
        VgaRig r;
        r.ac(5, 0x2A);
        CHECK(r.read_ac(5) == 0x2A);
        r.in(0x3DA);
        r.out(0x3C0, 0x25);  // index 5 with PAS set
        r.out(0x3C0, 0x11);
        CHECK(r.read_ac(5) == 0x2A);
    }

    TEST_CASE("Misc Output selects 3Bx or 3Dx for the CRTC, Input Status 1 and Feature Control") {
        VgaRig r;
        r.out(0x3C2, 0x67);
        CHECK(r.in(0x3CC) == 0x67);
        r.crtc(0x0E, 0x12);
        CHECK(r.read_crtc(0x0E) == 0x12);
        CHECK(r.in(0x3B4) == 0xFF);  // mono ports are not decoded in colour mode
        r.out(0x3B4, 0x0E);
        r.out(0x3B5, 0x99);
        CHECK(r.read_crtc(0x0E) == 0x12);
        r.out(0x3DA, 0x03);  // Feature Control write
        CHECK(r.in(0x3CA) == 0x03);

        r.out(0x3C2, 0x66);  // monochrome addressing
        CHECK(r.in(0x3D4) == 0xFF);
        CHECK(r.in(0x3DA) == 0xFF);
        r.out(0x3B4, 0x0E);
        CHECK(r.in(0x3B5) == 0x12);
        r.out(0x3B5, 0x34);
        CHECK(r.in(0x3B5) == 0x34);
        r.out(0x3BA, 0x01);
        CHECK(r.in(0x3CA) == 0x01);
        CHECK((r.in(0x3BA) & 0xF6) == 0);  // status bits only
    }

    TEST_CASE("3C3 bit 0 clear puts the VGA to sleep except for 3C3 itself") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode03);
        r.poke(0xB8000, 'x');
        r.out(0x3C3, 0x00);
        CHECK(r.in(0x3C3) == 0x00);
        CHECK(r.in(0x3CC) == 0xFF);
        CHECK(r.peek(0xB8000) == 0xFF);
        r.out(0x3C2, 0x00);  // ignored
        r.out(0x3C3, 0x01);
        CHECK(r.in(0x3CC) == 0x67);
        CHECK(r.peek(0xB8000) == 'x');
    }

    TEST_CASE("word OUTs write index then data; the port window splits accesses into bytes") {
        VgaRig r;
        PortMap ports;
        r.vga.map(ports);
        ports.write(0x3C4, 0x0F02, 2);  // map mask = 0x0F
        CHECK(r.read_seq(2) == 0x0F);
        ports.write(0x3D4, 0x550E, 2);
        CHECK(r.read_crtc(0x0E) == 0x55);
        CHECK(ports.read(0x3D4, 2) == 0x550E);
        CHECK(ports.read(0x3B0, 1) == 0xFF);  // not a VGA register
        CHECK(ports.peek(0x3C4, 1) == 0x02);  // the sequencer index from the word OUT above
    }

    TEST_CASE("inspect lists every group by name and restores registers") {
        VgaRig r;
        r.set_mode(lantern::testing::kMode03);
        lantern::testing::RecordingVisitor rec;
        r.vga.inspect(rec);
        CHECK(rec.has("vga.external.misc_output=103"));
        CHECK(rec.has("vga.sequencer.memory_mode=2"));
        CHECK(rec.has("vga.crtc.max_scan_line=79"));
        CHECK(rec.has("vga.graphics.miscellaneous=14"));
        CHECK(rec.has("vga.attribute.mode_control=12"));
        CHECK(rec.has("vga.attribute.palette6=20"));
        CHECK(rec.has_prefix("vga.dac.palette=<768"));
        CHECK(rec.has("vga.vbe.id=45248"));
        CHECK(rec.has("vga.raster.h_total_chars=100"));
        CHECK(rec.has("vga.raster.v_total_lines=449"));
        CHECK(rec.has_prefix("vga.vram=<16777216"));
    }
}

TEST_SUITE("vga_registers") {
    TEST_CASE("a loading visitor restores the registers (snapshot round trip)") {
        // Copies every field and byte block from one Vga to another through inspect().
        struct Store final : StateVisitor {
            std::vector<std::uint64_t> fields;
            std::vector<std::vector<std::uint8_t>> blocks;
            bool load = false;
            std::size_t fi = 0, bi = 0;
            bool loading() const override { return load; }
            void begin_group(std::string_view) override {}
            void end_group() override {}
            void field(std::string_view, std::uint64_t& value, unsigned, std::string_view) override {
                if (load) value = fields[fi++];
                else fields.push_back(value);
            }
            void text(std::string_view, std::string&) override {}
            void bytes(std::string_view, std::span<std::uint8_t> data) override {
                if (!load) {
                    blocks.emplace_back(data.begin(), data.end());
                    return;
                }
                std::copy(blocks[bi].begin(), blocks[bi].end(), data.begin());
                ++bi;
            }
        };
        VgaRig a, b;
        a.set_mode(lantern::testing::kMode13);
        a.dac(7, 1, 2, 3);
        a.poke(0xA0010, 0x99);
        a.dispi(dispi::kIndexXRes, 800);
        Store s;
        a.vga.inspect(s);
        s.load = true;
        b.vga.inspect(s);
        CHECK(b.vga.registers().crtc == a.vga.registers().crtc);
        CHECK(b.vga.registers().seq == a.vga.registers().seq);
        CHECK(b.vga.dac().palette == a.vga.dac().palette);
        CHECK(b.vga.vbe().xres == 800);
        CHECK(b.peek(0xA0010) == 0x99);
    }
}
