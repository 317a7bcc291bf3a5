#include "gui/app/key_map.h"

namespace lantern::gui {

std::optional<Key> key_from_scancode(SDL_Scancode sc) {
    // SDL numbers scancodes by USB HID usage (HID Usage Tables, Keyboard page 0x07), which names
    // positions as Key does; letters and digits are contiguous there.
    if (sc >= SDL_SCANCODE_A && sc <= SDL_SCANCODE_Z) {
        static constexpr Key kLetters[26] = {Key::A, Key::B, Key::C, Key::D, Key::E, Key::F, Key::G, Key::H, Key::I,
                                             Key::J, Key::K, Key::L, Key::M, Key::N, Key::O, Key::P, Key::Q, Key::R,
                                             Key::S, Key::T, Key::U, Key::V, Key::W, Key::X, Key::Y, Key::Z};
        return kLetters[sc - SDL_SCANCODE_A];
    }
    if (sc >= SDL_SCANCODE_1 && sc <= SDL_SCANCODE_0) {
        static constexpr Key kDigits[10] = {Key::Digit1, Key::Digit2, Key::Digit3, Key::Digit4, Key::Digit5,
                                            Key::Digit6, Key::Digit7, Key::Digit8, Key::Digit9, Key::Digit0};
        return kDigits[sc - SDL_SCANCODE_1];
    }
    if (sc >= SDL_SCANCODE_F1 && sc <= SDL_SCANCODE_F12) {
        static constexpr Key kF[12] = {Key::F1, Key::F2, Key::F3, Key::F4, Key::F5,  Key::F6,
                                       Key::F7, Key::F8, Key::F9, Key::F10, Key::F11, Key::F12};
        return kF[sc - SDL_SCANCODE_F1];
    }
    switch (sc) {
        case SDL_SCANCODE_ESCAPE: return Key::Escape;
        case SDL_SCANCODE_PRINTSCREEN: return Key::PrintScreen;
        case SDL_SCANCODE_SCROLLLOCK: return Key::ScrollLock;
        case SDL_SCANCODE_PAUSE: return Key::Pause;
        case SDL_SCANCODE_GRAVE: return Key::Backquote;
        case SDL_SCANCODE_MINUS: return Key::Minus;
        case SDL_SCANCODE_EQUALS: return Key::Equal;
        case SDL_SCANCODE_BACKSPACE: return Key::Backspace;
        case SDL_SCANCODE_TAB: return Key::Tab;
        case SDL_SCANCODE_LEFTBRACKET: return Key::LeftBracket;
        case SDL_SCANCODE_RIGHTBRACKET: return Key::RightBracket;
        case SDL_SCANCODE_BACKSLASH: return Key::Backslash;
        case SDL_SCANCODE_CAPSLOCK: return Key::CapsLock;
        case SDL_SCANCODE_SEMICOLON: return Key::Semicolon;
        case SDL_SCANCODE_APOSTROPHE: return Key::Quote;
        case SDL_SCANCODE_RETURN: return Key::Enter;
        case SDL_SCANCODE_LSHIFT: return Key::LeftShift;
        case SDL_SCANCODE_COMMA: return Key::Comma;
        case SDL_SCANCODE_PERIOD: return Key::Period;
        case SDL_SCANCODE_SLASH: return Key::Slash;
        case SDL_SCANCODE_RSHIFT: return Key::RightShift;
        case SDL_SCANCODE_LCTRL: return Key::LeftCtrl;
        case SDL_SCANCODE_LGUI: return Key::LeftMeta;
        case SDL_SCANCODE_LALT: return Key::LeftAlt;
        case SDL_SCANCODE_SPACE: return Key::Space;
        case SDL_SCANCODE_RALT: return Key::RightAlt;
        case SDL_SCANCODE_RGUI: return Key::RightMeta;
        case SDL_SCANCODE_APPLICATION: return Key::Menu;
        case SDL_SCANCODE_RCTRL: return Key::RightCtrl;
        case SDL_SCANCODE_INSERT: return Key::Insert;
        case SDL_SCANCODE_HOME: return Key::Home;
        case SDL_SCANCODE_PAGEUP: return Key::PageUp;
        case SDL_SCANCODE_DELETE: return Key::Delete;
        case SDL_SCANCODE_END: return Key::End;
        case SDL_SCANCODE_PAGEDOWN: return Key::PageDown;
        case SDL_SCANCODE_UP: return Key::Up;
        case SDL_SCANCODE_LEFT: return Key::Left;
        case SDL_SCANCODE_DOWN: return Key::Down;
        case SDL_SCANCODE_RIGHT: return Key::Right;
        case SDL_SCANCODE_NUMLOCKCLEAR: return Key::NumLock;
        case SDL_SCANCODE_KP_DIVIDE: return Key::KpDivide;
        case SDL_SCANCODE_KP_MULTIPLY: return Key::KpMultiply;
        case SDL_SCANCODE_KP_MINUS: return Key::KpMinus;
        case SDL_SCANCODE_KP_PLUS: return Key::KpPlus;
        case SDL_SCANCODE_KP_ENTER: return Key::KpEnter;
        case SDL_SCANCODE_KP_7: return Key::Kp7;
        case SDL_SCANCODE_KP_8: return Key::Kp8;
        case SDL_SCANCODE_KP_9: return Key::Kp9;
        case SDL_SCANCODE_KP_4: return Key::Kp4;
        case SDL_SCANCODE_KP_5: return Key::Kp5;
        case SDL_SCANCODE_KP_6: return Key::Kp6;
        case SDL_SCANCODE_KP_1: return Key::Kp1;
        case SDL_SCANCODE_KP_2: return Key::Kp2;
        case SDL_SCANCODE_KP_3: return Key::Kp3;
        case SDL_SCANCODE_KP_0: return Key::Kp0;
        case SDL_SCANCODE_KP_PERIOD: return Key::KpDecimal;
        case SDL_SCANCODE_NONUSBACKSLASH: return Key::NonUsBackslash;
        default: return std::nullopt;
    }
}

}  // namespace lantern::gui
