// Scan codes: what a PS/2 keyboard sends for each Key, in scan code sets 1, 2 and 3, and the
// 8042's set 2 -> set 1 translation.
//
// Facts from the IBM Personal System/2 Keyboard and Auxiliary Device Controller / Keyboard
// Technical Reference ("Scan Code Tables", sets 1-3) and the 8042 translation table the PC/AT
// keyboard controller applies when its command byte's XLAT bit is set.
#pragma once

#include <array>
#include <cstdint>

#include "devices/input/keys.h"

namespace lantern {

// Up to 8 bytes: the longest sequence is Pause's make in set 2 (E1 14 77 E1 F0 14 F0 77).
struct ScanSequence {
    std::array<std::uint8_t, 8> bytes{};
    std::uint8_t length = 0;
    void add(std::uint8_t b) {
        if (length < bytes.size()) bytes[length++] = b;
    }
    bool operator==(const ScanSequence&) const = default;
};

// Modifier state that changes what Print Screen and Pause send.
struct ScanModifiers {
    bool shift = false;  // either Shift key held
    bool ctrl = false;   // either Ctrl key held
    bool alt = false;    // either Alt key held
};

// Set 2 (the keyboard's default): make = [E0] code, break = [E0] F0 code; Pause has no break.
ScanSequence set2_make(Key k, ScanModifiers m = {});
ScanSequence set2_break(Key k, ScanModifiers m = {});
// Set 1: what the keyboard sends when switched to set 1 itself, the same bytes the 8042
// produces by translating set 2.
ScanSequence set1_make(Key k, ScanModifiers m = {});
ScanSequence set1_break(Key k, ScanModifiers m = {});
// Set 3: one byte per key, break = F0 code, no E0 prefixes.
std::uint8_t set3_code(Key k);

// The 8042 translation of one set-2 byte (before the F0 prefix is folded into bit 7).
std::uint8_t translate_set2_to_set1(std::uint8_t set2_byte);

}  // namespace lantern
