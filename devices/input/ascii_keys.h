// Typing text on the emulated keyboard: which key (and whether Shift) produces each ASCII
// character on a US-layout PC keyboard, and keys by name. Used by scripted input (the command
// line's --input, tests) to turn "dir\n" into key presses posted to the InputQueue.
#pragma once

#include <optional>
#include <string_view>

#include "devices/input/input_queue.h"
#include "devices/input/keys.h"

namespace lantern {

struct KeyStroke {
    Key key = Key::Space;
    bool shift = false;
    bool ctrl = false;
};

// The stroke that types `c` (printable ASCII, '\n' and '\r' = Enter, '\t' = Tab, '\b' = Backspace,
// 0x1B = Escape, control characters 0x01-0x1A = Ctrl+letter); nullopt for anything else.
std::optional<KeyStroke> key_for_ascii(char c);

// A key by its key_name() ("Enter", "F1", "Up"), compared without regard to case.
std::optional<Key> key_from_name(std::string_view name);

// Posts the presses and releases of one stroke (modifiers first, released last) starting at cycle
// `when`, each key held for `hold` cycles; returns the cycle after its last release.
Cycles post_keystroke(InputQueue& queue, const KeyStroke& stroke, Cycles when, Cycles hold);

// Types `text` one character every `interval` cycles from `when` (keys held interval / 2).
// Characters with no key (non-ASCII) are skipped and counted in the result's `skipped`.
struct TypedText {
    Cycles end = 0;           // the cycle after the last release
    std::size_t skipped = 0;  // characters no key types
};
TypedText post_text(InputQueue& queue, std::string_view text, Cycles when, Cycles interval);

}  // namespace lantern
