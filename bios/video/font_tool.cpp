// lantern_font_tool: builds one of the video BIOS's text fonts (8 dots wide, 8/14/16 lines, the
// 256 characters of code page 437 in code order) as NASM `db` lines.
//
// Input: a Linux console font in PSF format (version 1 or 2, optionally gzip-compressed) with a
// Unicode table, such as Debian's console-setup-linux fonts, plus a supplement file of glyphs
// drawn by hand in a text format (see font_supplement.txt). For every CP437 code the tool looks
// up the Unicode character the IBM PC shows there (devices/vga/cp437.cpp), takes that glyph
// from the supplement if it has one for this height, else from the PSF font. A code that neither
// provides is an error, so the output is always a complete character set.
//
// Usage: lantern_font_tool --psf FONT.psf.gz --height N --supplement FILE --out FILE.inc
//
// PSF layout (kbd's psf.h documents both versions; facts only):
//   PSF1: bytes 36 04, mode, charsize; 256 glyphs (512 if mode bit 0), Unicode table if mode
//         bit 1 or 2: per glyph, little-endian 16-bit code points ending in FFFF, FFFE starts
//         a combining sequence.
//   PSF2: magic 72 B5 4A 86, then version, headersize, flags, length, charsize, height, width
//         (32-bit little endian); Unicode table if flags bit 0: per glyph, UTF-8 characters
//         ending in FF, FE starts a sequence.
#include <zlib.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "devices/vga/cp437.h"

namespace {

constexpr unsigned kGlyphs = 256;

struct PsfFont {
    unsigned height = 0;
    unsigned width = 0;
    unsigned bytes_per_glyph = 0;
    std::vector<std::vector<std::uint8_t>> glyphs{};
    std::map<char32_t, unsigned> by_unicode{};  // first glyph that lists the character
};

std::optional<std::vector<std::uint8_t>> read_gz_file(const std::string& path) {
    gzFile f = gzopen(path.c_str(), "rb");  // reads plain files unchanged too
    if (f == nullptr) return std::nullopt;
    std::vector<std::uint8_t> out;
    std::array<std::uint8_t, 65536> buf{};
    for (int guard = 0; guard < 4096; ++guard) {  // a console font is a few KiB; 256 MiB cap
        const int n = gzread(f, buf.data(), static_cast<unsigned>(buf.size()));
        if (n < 0) {
            gzclose(f);
            return std::nullopt;
        }
        if (n == 0) break;
        out.insert(out.end(), buf.begin(), buf.begin() + n);
    }
    gzclose(f);
    return out;
}

std::uint32_t le32(const std::vector<std::uint8_t>& d, std::size_t at) {
    return d[at] | (d[at + 1] << 8) | (d[at + 2] << 16) | (std::uint32_t{d[at + 3]} << 24);
}

// Decodes one UTF-8 character at d[p]; advances p. Returns U+FFFD on malformed input.
char32_t utf8_next(const std::vector<std::uint8_t>& d, std::size_t& p, std::size_t end) {
    const std::uint8_t b = d[p++];
    unsigned extra = 0;
    char32_t cp = 0;
    if (b < 0x80) return b;
    if ((b & 0xE0) == 0xC0) { extra = 1; cp = b & 0x1F; }
    else if ((b & 0xF0) == 0xE0) { extra = 2; cp = b & 0x0F; }
    else if ((b & 0xF8) == 0xF0) { extra = 3; cp = b & 0x07; }
    else return 0xFFFD;
    for (unsigned i = 0; i < extra; ++i) {
        if (p >= end || (d[p] & 0xC0) != 0x80) return 0xFFFD;
        cp = (cp << 6) | (d[p++] & 0x3F);
    }
    return cp;
}

std::optional<PsfFont> parse_psf(const std::vector<std::uint8_t>& d, std::string& why) {
    PsfFont font;
    std::size_t offset = 0;
    unsigned count = 0;
    bool has_table = false;
    bool psf2 = false;
    if (d.size() >= 4 && d[0] == 0x36 && d[1] == 0x04) {
        const std::uint8_t mode = d[2];
        font.height = d[3];
        font.width = 8;
        font.bytes_per_glyph = d[3];
        count = (mode & 0x01) ? 512 : 256;
        has_table = (mode & 0x06) != 0;
        offset = 4;
    } else if (d.size() >= 32 && d[0] == 0x72 && d[1] == 0xB5 && d[2] == 0x4A && d[3] == 0x86) {
        psf2 = true;
        offset = le32(d, 8);
        has_table = (le32(d, 12) & 0x01) != 0;
        count = le32(d, 16);
        font.bytes_per_glyph = le32(d, 20);
        font.height = le32(d, 24);
        font.width = le32(d, 28);
        if (count > 65536) {
            why = "implausible glyph count";
            return std::nullopt;
        }
    } else {
        why = "not a PSF font (bad magic)";
        return std::nullopt;
    }
    if (font.width != 8 || font.bytes_per_glyph != font.height) {
        why = "only 8-dot-wide fonts with one byte per row are supported";
        return std::nullopt;
    }
    const std::size_t glyph_end = offset + std::size_t{count} * font.bytes_per_glyph;
    if (glyph_end > d.size()) {
        why = "truncated glyph data";
        return std::nullopt;
    }
    for (unsigned g = 0; g < count; ++g) {
        const auto* p = d.data() + offset + std::size_t{g} * font.bytes_per_glyph;
        font.glyphs.emplace_back(p, p + font.bytes_per_glyph);
    }
    if (!has_table) {
        why = "the font has no Unicode table";
        return std::nullopt;
    }
    std::size_t p = glyph_end;
    for (unsigned g = 0; g < count && p < d.size(); ++g) {
        bool in_sequence = false;  // only single characters name a glyph; sequences are skipped
        if (psf2) {
            while (p < d.size() && d[p] != 0xFF) {
                if (d[p] == 0xFE) {
                    in_sequence = true;
                    ++p;
                    continue;
                }
                const char32_t cp = utf8_next(d, p, d.size());
                if (!in_sequence) font.by_unicode.emplace(cp, g);
            }
            ++p;  // the FF terminator
        } else {
            while (p + 1 < d.size()) {
                const unsigned u = d[p] | (d[p + 1] << 8);
                p += 2;
                if (u == 0xFFFF) break;
                if (u == 0xFFFE) {
                    in_sequence = true;
                    continue;
                }
                if (!in_sequence) font.by_unicode.emplace(static_cast<char32_t>(u), g);
            }
        }
    }
    return font;
}

// The supplement: "glyph <hex code> <height> <description>" followed by <height> rows of eight
// '#' (dot on) or '.' (dot off). Blank lines and lines starting with '#' followed by a space or
// nothing else between glyphs are comments.
bool parse_supplement(const std::string& path, unsigned height,
                      std::map<unsigned, std::vector<std::uint8_t>>& out, std::string& why) {
    std::ifstream in(path);
    if (!in) {
        why = "cannot open " + path;
        return false;
    }
    std::string line;
    unsigned line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        if (line.rfind("glyph ", 0) != 0) continue;  // comments and blank lines
        std::istringstream hdr(line.substr(6));
        std::string code_text;
        unsigned h = 0;
        hdr >> code_text >> h;
        unsigned code = 0;
        try {
            code = static_cast<unsigned>(std::stoul(code_text, nullptr, 16));
        } catch (...) {
            code = kGlyphs;
        }
        if (code >= kGlyphs || h == 0 || h > 32) {
            why = path + ":" + std::to_string(line_no) + ": bad glyph header";
            return false;
        }
        std::vector<std::uint8_t> rows;
        for (unsigned r = 0; r < h; ++r) {
            if (!std::getline(in, line)) {
                why = path + ": glyph " + code_text + " ends early";
                return false;
            }
            ++line_no;
            if (line.size() < 8) {
                why = path + ":" + std::to_string(line_no) + ": a row needs 8 dots";
                return false;
            }
            std::uint8_t bits = 0;
            for (unsigned x = 0; x < 8; ++x) {
                if (line[x] == '#') bits |= static_cast<std::uint8_t>(0x80 >> x);
                else if (line[x] != '.') {
                    why = path + ":" + std::to_string(line_no) + ": dots are '#' or '.'";
                    return false;
                }
            }
            rows.push_back(bits);
        }
        if (h == height) out[code] = rows;
    }
    return true;
}

std::string hex2(unsigned v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02X", v & 0xFF);
    return buf;
}

}  // namespace

int main(int argc, char** argv) {
    std::string psf_path, supplement_path, out_path;
    unsigned height = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const std::string value = argv[i + 1];
        if (key == "--psf") psf_path = value;
        else if (key == "--supplement") supplement_path = value;
        else if (key == "--out") out_path = value;
        else if (key == "--height") height = static_cast<unsigned>(std::stoul(value));
        else {
            std::cerr << "lantern_font_tool: unknown option " << key << "\n";
            return 2;
        }
    }
    if (psf_path.empty() || supplement_path.empty() || out_path.empty() || height == 0) {
        std::cerr << "usage: lantern_font_tool --psf FONT --height N --supplement FILE --out FILE\n";
        return 2;
    }
    const auto bytes = read_gz_file(psf_path);
    if (!bytes) {
        std::cerr << "lantern_font_tool: cannot read " << psf_path << "\n";
        return 1;
    }
    std::string why;
    const auto font = parse_psf(*bytes, why);
    if (!font) {
        std::cerr << "lantern_font_tool: " << psf_path << ": " << why << "\n";
        return 1;
    }
    if (font->height != height) {
        std::cerr << "lantern_font_tool: " << psf_path << " is " << font->height << " lines high, not "
                  << height << "\n";
        return 1;
    }
    std::map<unsigned, std::vector<std::uint8_t>> supplement;
    if (!parse_supplement(supplement_path, height, supplement, why)) {
        std::cerr << "lantern_font_tool: " << why << "\n";
        return 1;
    }

    std::ostringstream out;
    out << "; Generated by lantern_font_tool - do not edit. 8x" << height
        << " font, code page 437, 256 characters x " << height << " bytes (top row first, bit 7 = left dot).\n"
        << "; Glyphs from " << psf_path << " (Debian console-setup-linux, see bios/video/FONTS.md),\n"
        << "; or, where marked 'drawn', from bios/video/font_supplement.txt.\n";
    unsigned missing = 0;
    for (unsigned code = 0; code < kGlyphs; ++code) {
        const char32_t cp = lantern::cp437_to_unicode(static_cast<std::uint8_t>(code));
        std::vector<std::uint8_t> rows;
        std::string origin;
        if (auto s = supplement.find(code); s != supplement.end()) {
            rows = s->second;
            origin = "drawn";
        } else if (cp == 0) {
            rows.assign(height, 0);  // code 0 is blank on the PC
            origin = "blank";
        } else if (auto g = font->by_unicode.find(cp); g != font->by_unicode.end()) {
            rows = font->glyphs[g->second];
            origin = "psf";
        } else {
            std::cerr << "lantern_font_tool: no glyph for CP437 " << hex2(code) << " (U+" << std::hex
                      << static_cast<unsigned>(cp) << std::dec << ") at height " << height
                      << ": draw it in " << supplement_path << "\n";
            ++missing;
            continue;
        }
        char name[32];
        std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(cp));
        out << "        db      ";
        for (unsigned r = 0; r < height; ++r) out << (r ? "," : "") << "0x" << hex2(rows[r]);
        out << "  ; " << hex2(code) << " " << name << " " << origin << "\n";
    }
    if (missing != 0) return 1;
    std::ofstream file(out_path, std::ios::binary);
    file << out.str();
    if (!file) {
        std::cerr << "lantern_font_tool: cannot write " << out_path << "\n";
        return 1;
    }
    return 0;
}
