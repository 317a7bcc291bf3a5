// Key: the physical keys of a 104-key PC keyboard (US layout, IBM Enhanced keyboard plus the three
// Windows keys), and the 102nd key of international layouts. The names are positions, not
// characters: Key::Q is the key right of Tab whatever the host's layout prints on it. The GUI maps
// host key events to these; scan codes come from devices/input/scancodes.h.
#pragma once

#include <cstdint>
#include <string_view>

namespace lantern {

enum class Key : std::uint8_t {
    Escape, F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12, PrintScreen, ScrollLock, Pause,
    Backquote, Digit1, Digit2, Digit3, Digit4, Digit5, Digit6, Digit7, Digit8, Digit9, Digit0,
    Minus, Equal, Backspace,
    Tab, Q, W, E, R, T, Y, U, I, O, P, LeftBracket, RightBracket, Backslash,
    CapsLock, A, S, D, F, G, H, J, K, L, Semicolon, Quote, Enter,
    LeftShift, Z, X, C, V, B, N, M, Comma, Period, Slash, RightShift,
    LeftCtrl, LeftMeta, LeftAlt, Space, RightAlt, RightMeta, Menu, RightCtrl,
    Insert, Home, PageUp, Delete, End, PageDown,
    Up, Left, Down, Right,
    NumLock, KpDivide, KpMultiply, KpMinus, Kp7, Kp8, Kp9, KpPlus, Kp4, Kp5, Kp6,
    Kp1, Kp2, Kp3, KpEnter, Kp0, KpDecimal,
    NonUsBackslash,
    Count_  // not a key
};

inline constexpr std::size_t kKeyCount = static_cast<std::size_t>(Key::Count_);

std::string_view key_name(Key k);

}  // namespace lantern
