// Code page 437 (the IBM PC's character ROM set) to Unicode, for text dumps.
#pragma once

#include <cstdint>
#include <string>

namespace lantern {

// The Unicode code point IBM's code page 437 glyph `code` shows. 0x00 maps to U+0000; the
// control range 0x01-0x1F and 0x7F map to the pictures the PC's font draws there (smileys,
// card suits, arrows, the house), as the standard CP437-to-Unicode table does.
char32_t cp437_to_unicode(std::uint8_t code);

// Appends `cp` to `out` encoded as UTF-8.
void append_utf8(std::string& out, char32_t cp);

}  // namespace lantern
