// The VGA renderer. It follows the hardware's pipeline per scan line rather than per mode, so
// every mode (and every odd register combination a demo programs) comes out of one path:
//
//   CRTC     start address, offset, max scan line, double scan, line compare and the
//            byte/word/doubleword address rotation with the CGA row-scan substitutions
//            (FreeVGA CRTC registers 08, 09, 0C-0D, 13, 14, 17, 18) give, for each character
//            clock, a memory address;
//   sequencer/graphics controller  fetch the four planes there and serialise them: text
//            (character + attribute, glyph row from plane 2), planar (one bit per plane),
//            interleaved (CGA 2 bits per pixel) or 256-colour (a nibble per dot)
//            (Graphics Mode register, Shift Register / Shift256 bits);
//   attribute controller  palette, colour plane enable, P54S/colour select, 8-bit pairing,
//            blink, cursor, underline, 9th dot, pixel panning;
//   DAC      PEL mask, then the 6-bit (or DISPI 8-bit) palette.
#include "devices/vga/vga_render.h"

#include <algorithm>

#include "devices/vga/cp437.h"

namespace lantern {

namespace {

std::uint8_t expand6(std::uint8_t v) { return static_cast<std::uint8_t>((v << 2) | (v >> 4)); }

std::uint32_t rgb(unsigned r, unsigned g, unsigned b) { return (r << 16) | (g << 8) | b; }

// DAC: the index passes the PEL mask, then the palette entry becomes 8-bit RGB.
std::uint32_t dac_color(const Vga& vga, std::uint8_t index) {
    const VgaDac& dac = vga.dac();
    const unsigned i = (index & dac.pel_mask) * 3u;
    std::uint8_t r = dac.palette[i], g = dac.palette[i + 1], b = dac.palette[i + 2];
    if (!vga.vbe().dac_8bit()) {
        r = expand6(r & 0x3F);
        g = expand6(g & 0x3F);
        b = expand6(b & 0x3F);
    }
    return rgb(r, g, b);
}

// Everything the per-line loop needs, decoded once per frame.
struct Params {
    bool text = true;
    unsigned char_width = 9;
    unsigned h_chars = 0;
    unsigned count_shift = 0;  // CR14 bit 5 (count by 4), CR17 bit 3 (count by 2)
    unsigned addr_mode = 0;    // 0 byte, 1 word, 2 doubleword
    bool word_bit_from_ma15 = false;
    bool ma13_from_row_scan = false;
    bool ma14_from_row_scan = false;
    // Attribute controller.
    std::uint8_t ac_mode = 0;
    std::uint8_t plane_enable = 0x0F;
    std::uint8_t color_select = 0;
    std::array<std::uint8_t, 16> palette{};
    bool eight_bit = false;
    unsigned shift_mode = 0;   // 0 planar, 1 interleaved (CGA), 2 256-colour
    unsigned pan_dots = 0;
    bool dot_clock_halved = false;
    // Text.
    std::uint32_t font_a = 0, font_b = 0;
    bool blink_enabled = false;
    bool blink_visible = true;
    bool cursor_shown = false;
    std::uint32_t cursor_ma = 0;
    unsigned cursor_start = 0, cursor_end = 0;
    unsigned underline_row = 0;
    bool line_graphics = false;
};

std::uint32_t font_base(unsigned map) {
    // FreeVGA Character Map Select: maps 0-3 at 0, 16, 32, 48 KiB of plane 2, 4-7 at 8 KiB past them.
    return (map & 3u) * 0x4000u + (map >> 2) * 0x2000u;
}

Params decode(const Vga& vga, const VgaTiming& t) {
    Params p;
    const auto& cr = vga.registers().crtc;
    p.text = (vga.gc(6) & 0x01) == 0;
    p.char_width = t.char_width;
    p.h_chars = t.h_display_chars;
    p.count_shift = (cr[0x14] & 0x20) ? 2 : ((cr[0x17] & 0x08) ? 1 : 0);
    p.addr_mode = (cr[0x14] & 0x40) ? 2 : ((cr[0x17] & 0x40) ? 0 : 1);
    p.word_bit_from_ma15 = (cr[0x17] & 0x20) != 0;
    p.ma13_from_row_scan = (cr[0x17] & 0x01) == 0;
    p.ma14_from_row_scan = (cr[0x17] & 0x02) == 0;
    p.ac_mode = vga.ac(0x10);
    p.plane_enable = vga.ac(0x12) & 0x0F;
    p.color_select = vga.ac(0x14);
    for (unsigned i = 0; i < 16; ++i) p.palette[i] = vga.ac(i);
    p.eight_bit = !p.text && (p.ac_mode & 0x40) != 0;
    p.shift_mode = (vga.gc(5) & 0x40) ? 2 : ((vga.gc(5) & 0x20) ? 1 : 0);
    p.dot_clock_halved = (vga.seq(1) & 0x08) != 0;
    // FreeVGA Horizontal Pixel Panning: 9-dot text shifts 1-8 dots for 0-7 and none for 8;
    // 256-colour modes shift whole pixels (values 0, 2, 4, 6); otherwise 0-7 dots.
    const unsigned pan = vga.ac(0x13) & 0x0F;
    if (p.char_width == 9) p.pan_dots = pan < 8 ? pan + 1 : 0;
    else if (p.eight_bit) p.pan_dots = pan & 0x06;
    else p.pan_dots = pan & 0x07;

    const std::uint8_t sr3 = vga.seq(3);
    unsigned map_a = ((sr3 >> 2) & 3u) | ((sr3 >> 3) & 4u);
    unsigned map_b = (sr3 & 3u) | ((sr3 >> 2) & 4u);
    if ((vga.seq(4) & 0x02) == 0) {  // without Extended Memory only maps 0-3 exist
        map_a &= 3u;
        map_b &= 3u;
    }
    p.font_a = font_base(map_a);
    p.font_b = font_base(map_b);
    p.blink_enabled = (p.ac_mode & 0x08) != 0;
    const std::uint64_t frame = vga.frame_number();
    p.blink_visible = ((frame / 16) & 1) == 0;
    p.cursor_shown = (cr[0x0A] & 0x20) == 0 && ((frame / 8) & 1) == 0;
    p.cursor_ma = ((std::uint32_t{cr[0x0E]} << 8) | cr[0x0F]) + ((cr[0x0B] >> 5) & 3u);  // + skew
    p.cursor_start = cr[0x0A] & 0x1F;
    p.cursor_end = cr[0x0B] & 0x1F;
    p.underline_row = cr[0x14] & 0x1F;
    p.line_graphics = (p.ac_mode & 0x04) != 0;
    return p;
}

// FreeVGA CRTC Mode Control: the address counter is rotated for word/doubleword addressing,
// then MAP13/MAP14 substitute row-scan bits for address bits 13 and 14 (CGA's interleaved banks).
std::uint32_t memory_address(const Params& p, std::uint32_t ma, unsigned row_scan) {
    ma &= 0xFFFF;
    std::uint32_t a = ma;
    if (p.addr_mode == 2) a = ma << 2;
    else if (p.addr_mode == 1) a = (ma << 1) | ((ma >> (p.word_bit_from_ma15 ? 15 : 13)) & 1u);
    if (p.ma13_from_row_scan) a = (a & ~0x2000u) | ((row_scan & 1u) << 13);
    if (p.ma14_from_row_scan) a = (a & ~0x4000u) | (((row_scan >> 1) & 1u) << 14);
    return a & 0xFFFF;
}

// Attribute controller, 4-bit path (FreeVGA Attribute Mode Control bit 7, Color Select).
std::uint8_t attribute_color(const Params& p, unsigned v) {
    std::uint8_t c = p.palette[v & p.plane_enable];
    if (p.ac_mode & 0x80) c = static_cast<std::uint8_t>((c & 0x0F) | ((p.color_select & 0x03) << 4));
    return static_cast<std::uint8_t>((c & 0x3F) | ((p.color_select & 0x0C) << 4));
}

// The CRTC's vertical walk over one frame: for each line the vertical counter displays, the
// address of its character row and its row scan. Shared by the renderer and the text dump.
struct LineState {
    std::uint32_t ma_row = 0;
    unsigned row_scan = 0;
    bool pan_reset = false;  // after a line-compare split with Pixel Panning Mode set
    bool row_start = false;  // first line of a character row
};

template <class Fn>
void walk_lines(const Vga& vga, unsigned counter_lines, Fn&& fn) {
    const auto& cr = vga.registers().crtc;
    const unsigned max_scan = cr[0x09] & 0x1F;
    const bool double_scan = (cr[0x09] & 0x80) != 0;
    const unsigned line_compare = cr[0x18] | ((cr[0x07] & 0x10) << 4) | ((cr[0x09] & 0x40) << 3);
    const std::uint32_t pitch = cr[0x13] * 2u;  // Offset register: words per row
    LineState s;
    s.ma_row = ((std::uint32_t{cr[0x0C]} << 8) | cr[0x0D]) + ((cr[0x08] >> 5) & 3u);  // + byte pan
    s.row_scan = cr[0x08] & 0x1F;                                                    // preset row scan
    s.row_start = true;
    bool second_of_pair = false;
    for (unsigned v = 0; v < counter_lines; ++v) {
        fn(v, s);
        if (v == line_compare) {
            // FreeVGA Line Compare: the next line starts again at address 0, row scan 0.
            s.ma_row = 0;
            s.row_scan = 0;
            second_of_pair = false;
            s.row_start = true;
            if (vga.ac(0x10) & 0x20) s.pan_reset = true;
            continue;
        }
        if (double_scan) {
            second_of_pair = !second_of_pair;
            if (second_of_pair) {
                s.row_start = false;
                continue;
            }
        }
        if (s.row_scan == max_scan) {
            s.row_scan = 0;
            s.ma_row = (s.ma_row + pitch) & 0xFFFF;
            s.row_start = true;
        } else {
            s.row_scan = (s.row_scan + 1) & 0x1F;
            s.row_start = false;
        }
    }
}

// One line's 4-bit values (before the attribute controller), one per dot, for h_chars + 1
// character clocks (the extra one feeds pixel panning).
void serialise_line(const Vga& vga, const Params& p, const LineState& s, std::vector<std::uint8_t>& values) {
    const unsigned cw = p.char_width;
    values.assign(std::size_t{p.h_chars + 1} * cw, 0);
    for (unsigned k = 0; k <= p.h_chars; ++k) {
        const std::uint32_t ma = s.ma_row + (k >> p.count_shift);
        const std::uint32_t a = memory_address(p, ma, s.row_scan);
        const std::uint8_t d0 = vga.plane_byte(0, a), d1 = vga.plane_byte(1, a), d2 = vga.plane_byte(2, a),
                           d3 = vga.plane_byte(3, a);
        std::uint8_t* out = &values[std::size_t{k} * cw];
        if (p.text) {
            const std::uint8_t code = d0, attr = d1;
            const std::uint32_t font = (attr & 0x08) ? p.font_a : p.font_b;
            std::uint8_t glyph = vga.plane_byte(2, font + code * 32u + s.row_scan);
            bool ninth = cw == 9 && p.line_graphics && code >= 0xC0 && code <= 0xDF && (glyph & 0x01);
            unsigned fg = attr & 0x0F, bg = attr >> 4;
            if (p.blink_enabled) bg &= 0x07;
            // Underline: the MDA-compatible attribute (foreground 001, background 000) on the
            // Underline Location row.
            if ((attr & 0x77) == 0x01 && s.row_scan == p.underline_row) {
                glyph = 0xFF;
                ninth = true;
            }
            if (p.blink_enabled && (attr & 0x80) && !p.blink_visible) {
                glyph = 0;
                ninth = false;
            }
            if (p.cursor_shown && (ma & 0xFFFF) == (p.cursor_ma & 0xFFFF) && s.row_scan >= p.cursor_start &&
                s.row_scan <= p.cursor_end) {
                glyph = 0xFF;
                ninth = true;
            }
            for (unsigned i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(((glyph >> (7 - i)) & 1u) ? fg : bg);
            if (cw == 9) out[8] = static_cast<std::uint8_t>(ninth ? fg : bg);
            continue;
        }
        for (unsigned i = 0; i < 8; ++i) {
            unsigned v = 0;
            if (p.shift_mode == 2) {
                const std::uint8_t byte = i < 2 ? d0 : i < 4 ? d1 : i < 6 ? d2 : d3;
                v = (i & 1) ? (byte & 0x0F) : (byte >> 4);
            } else if (p.shift_mode == 1) {
                const unsigned shift = 6 - 2 * (i & 3);
                v = i < 4 ? (((d0 >> shift) & 3u) | (((d2 >> shift) & 3u) << 2))
                          : (((d1 >> shift) & 3u) | (((d3 >> shift) & 3u) << 2));
            } else {
                const unsigned b = 7 - i;
                v = ((d0 >> b) & 1u) | (((d1 >> b) & 1u) << 1) | (((d2 >> b) & 1u) << 2) | (((d3 >> b) & 1u) << 3);
            }
            out[i] = static_cast<std::uint8_t>(v);
        }
        // A 9-dot clock in graphics mode: the ninth dot carries colour 0.
    }
}

Frame solid(unsigned w, unsigned h, std::uint32_t color) {
    Frame f;
    f.width = w;
    f.height = h;
    f.pixels.assign(std::size_t{w} * h, color);
    return f;
}

Frame render_vbe(const Vga& vga) {
    const VbeState& vbe = vga.vbe();
    Frame f = solid(vbe.xres, vbe.yres, 0);
    const std::span<const std::uint8_t> mem = vga.vram();
    const std::uint32_t pitch = vbe.pitch_bytes();
    const std::uint32_t start = vbe.start_offset();
    auto byte = [&](std::uint64_t off) -> std::uint32_t { return off < mem.size() ? mem[off] : 0u; };
    Params ac;
    if (vbe.bpp == 4) {
        ac.ac_mode = vga.ac(0x10);
        ac.plane_enable = vga.ac(0x12) & 0x0F;
        ac.color_select = vga.ac(0x14);
        for (unsigned i = 0; i < 16; ++i) ac.palette[i] = vga.ac(i);
    }
    for (unsigned y = 0; y < vbe.yres; ++y) {
        const std::uint64_t row = std::uint64_t{start} + std::uint64_t{y} * pitch;
        for (unsigned x = 0; x < vbe.xres; ++x) {
            std::uint32_t c = 0;
            switch (vbe.bpp) {
                case 4: {
                    const std::uint64_t off = row + x / 8;
                    const unsigned b = 7 - (x & 7);
                    unsigned v = 0;
                    if (off < kVgaPlaneStride) {
                        for (unsigned pl = 0; pl < 4; ++pl)
                            v |= ((vga.plane_byte(pl, static_cast<std::uint32_t>(off)) >> b) & 1u) << pl;
                    }
                    c = dac_color(vga, attribute_color(ac, v));
                    break;
                }
                case 8: c = dac_color(vga, static_cast<std::uint8_t>(byte(row + x))); break;
                case 15: {
                    const std::uint32_t v = byte(row + 2ull * x) | (byte(row + 2ull * x + 1) << 8);
                    const unsigned r = (v >> 10) & 31, g = (v >> 5) & 31, b = v & 31;
                    c = rgb((r << 3) | (r >> 2), (g << 3) | (g >> 2), (b << 3) | (b >> 2));
                    break;
                }
                case 16: {
                    const std::uint32_t v = byte(row + 2ull * x) | (byte(row + 2ull * x + 1) << 8);
                    const unsigned r = (v >> 11) & 31, g = (v >> 5) & 63, b = v & 31;
                    c = rgb((r << 3) | (r >> 2), (g << 2) | (g >> 4), (b << 3) | (b >> 2));
                    break;
                }
                case 24: c = rgb(byte(row + 3ull * x + 2), byte(row + 3ull * x + 1), byte(row + 3ull * x)); break;
                default: c = rgb(byte(row + 4ull * x + 2), byte(row + 4ull * x + 1), byte(row + 4ull * x)); break;
            }
            f.pixels[std::size_t{y} * f.width + x] = c;
        }
    }
    return f;
}

}  // namespace

Frame render(const Vga& vga) {
    if (vga.vbe().enabled()) return render_vbe(vga);
    const VgaTiming t = vga.timing();
    const Params p = decode(vga, t);
    const unsigned scan_div = (vga.crtc(0x17) & 0x04) ? 2 : 1;
    const unsigned counter_lines = t.v_display_lines / scan_div;
    const unsigned width = p.h_chars * p.char_width * (p.dot_clock_halved ? 2 : 1);
    const unsigned height = counter_lines * scan_div;

    // Sequencer Reset (either reset bit 0) or Clocking Mode Screen Off: no video, black.
    if ((vga.seq(0) & 0x03) != 0x03 || (vga.seq(1) & 0x20) != 0) return solid(width, height, 0);
    // Attribute Address PAS = 0: the palette is being loaded and the display shows the border.
    if ((vga.registers().ac_index & 0x20) == 0) return solid(width, height, dac_color(vga, vga.ac(0x11)));

    Frame f = solid(width, height, 0);
    std::vector<std::uint8_t> values;
    std::vector<std::uint8_t> indices(std::size_t{p.h_chars} * p.char_width);
    walk_lines(vga, counter_lines, [&](unsigned v, const LineState& s) {
        serialise_line(vga, p, s, values);
        const unsigned pan = s.pan_reset ? 0 : p.pan_dots;
        for (std::size_t i = 0; i < indices.size(); ++i) {
            const std::size_t src = i + pan;
            if (p.eight_bit) {
                // Attribute Mode Control bit 6: two 4-bit values (each through the palette)
                // make one 8-bit pixel, held for two dots.
                const std::size_t pair = src & ~std::size_t{1};
                const unsigned hi = p.palette[values[pair] & p.plane_enable] & 0x0F;
                const unsigned lo = p.palette[values[pair + 1] & p.plane_enable] & 0x0F;
                indices[i] = static_cast<std::uint8_t>((hi << 4) | lo);
            } else {
                indices[i] = attribute_color(p, values[src]);
            }
        }
        std::uint32_t* row = &f.pixels[std::size_t{v} * scan_div * width];
        for (std::size_t i = 0; i < indices.size(); ++i) {
            const std::uint32_t c = dac_color(vga, indices[i]);
            if (p.dot_clock_halved) {
                row[2 * i] = c;
                row[2 * i + 1] = c;
            } else {
                row[i] = c;
            }
        }
        for (unsigned r = 1; r < scan_div; ++r) std::copy_n(row, width, row + std::size_t{r} * width);
    });
    return f;
}

namespace {

// The character codes of each text row (one entry per character row start).
std::vector<std::vector<std::uint8_t>> text_rows(const Vga& vga) {
    std::vector<std::vector<std::uint8_t>> rows;
    if (vga.vbe().enabled() || (vga.gc(6) & 0x01) != 0) return rows;
    const VgaTiming t = vga.timing();
    const Params p = decode(vga, t);
    const unsigned scan_div = (vga.crtc(0x17) & 0x04) ? 2 : 1;
    walk_lines(vga, t.v_display_lines / scan_div, [&](unsigned, const LineState& s) {
        if (!s.row_start) return;
        std::vector<std::uint8_t> row(p.h_chars);
        for (unsigned k = 0; k < p.h_chars; ++k)
            row[k] = vga.plane_byte(0, memory_address(p, s.ma_row + (k >> p.count_shift), s.row_scan));
        rows.push_back(std::move(row));
    });
    return rows;
}

}  // namespace

TextGeometry text_geometry(const Vga& vga) {
    const auto rows = text_rows(vga);
    if (rows.empty()) return {};
    return TextGeometry{static_cast<unsigned>(rows.front().size()), static_cast<unsigned>(rows.size())};
}

std::string text_dump(const Vga& vga) {
    std::string out;
    for (const auto& row : text_rows(vga)) {
        std::string line;
        for (const std::uint8_t code : row) append_utf8(line, code == 0 ? U' ' : cp437_to_unicode(code));
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out += line;
        out += '\n';
    }
    return out;
}

}  // namespace lantern
