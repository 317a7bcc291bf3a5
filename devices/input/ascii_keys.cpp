#include "devices/input/ascii_keys.h"

#include <array>
#include <algorithm>
#include <cctype>

namespace lantern {

namespace {

// The US layout, key by key: the character without and with Shift (IBM Enhanced Keyboard).
struct KeyChars {
    Key key;
    char plain;
    char shifted;
};
constexpr std::array<KeyChars, 47> kUsLayout{{
    {Key::Backquote, '`', '~'},  {Key::Digit1, '1', '!'},     {Key::Digit2, '2', '@'},
    {Key::Digit3, '3', '#'},     {Key::Digit4, '4', '$'},     {Key::Digit5, '5', '%'},
    {Key::Digit6, '6', '^'},     {Key::Digit7, '7', '&'},     {Key::Digit8, '8', '*'},
    {Key::Digit9, '9', '('},     {Key::Digit0, '0', ')'},     {Key::Minus, '-', '_'},
    {Key::Equal, '=', '+'},      {Key::Q, 'q', 'Q'},          {Key::W, 'w', 'W'},
    {Key::E, 'e', 'E'},          {Key::R, 'r', 'R'},          {Key::T, 't', 'T'},
    {Key::Y, 'y', 'Y'},          {Key::U, 'u', 'U'},          {Key::I, 'i', 'I'},
    {Key::O, 'o', 'O'},          {Key::P, 'p', 'P'},          {Key::LeftBracket, '[', '{'},
    {Key::RightBracket, ']', '}'}, {Key::Backslash, '\\', '|'}, {Key::A, 'a', 'A'},
    {Key::S, 's', 'S'},          {Key::D, 'd', 'D'},          {Key::F, 'f', 'F'},
    {Key::G, 'g', 'G'},          {Key::H, 'h', 'H'},          {Key::J, 'j', 'J'},
    {Key::K, 'k', 'K'},          {Key::L, 'l', 'L'},          {Key::Semicolon, ';', ':'},
    {Key::Quote, '\'', '"'},     {Key::Z, 'z', 'Z'},          {Key::X, 'x', 'X'},
    {Key::C, 'c', 'C'},          {Key::V, 'v', 'V'},          {Key::B, 'b', 'B'},
    {Key::N, 'n', 'N'},          {Key::M, 'm', 'M'},          {Key::Comma, ',', '<'},
    {Key::Period, '.', '>'},     {Key::Slash, '/', '?'},
}};

}  // namespace

std::optional<KeyStroke> key_for_ascii(char c) {
    switch (c) {
        case ' ': return KeyStroke{Key::Space};
        case '\n':
        case '\r': return KeyStroke{Key::Enter};
        case '\t': return KeyStroke{Key::Tab};
        case '\b': return KeyStroke{Key::Backspace};
        case 0x1B: return KeyStroke{Key::Escape};
        default: break;
    }
    if (c >= 0x01 && c <= 0x1A) {  // Ctrl+A .. Ctrl+Z
        auto letter = key_for_ascii(static_cast<char>('a' + c - 1));
        if (!letter) return std::nullopt;
        letter->ctrl = true;
        return letter;
    }
    for (const KeyChars& k : kUsLayout) {
        if (k.plain == c) return KeyStroke{k.key, false};
        if (k.shifted == c) return KeyStroke{k.key, true};
    }
    return std::nullopt;
}

std::optional<Key> key_from_name(std::string_view name) {
    auto same = [](std::string_view a, std::string_view b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
                return false;
        return true;
    };
    for (std::size_t i = 0; i < kKeyCount; ++i) {
        const Key k = static_cast<Key>(i);
        if (same(key_name(k), name)) return k;
    }
    // The names people type for keys whose key_name() is a position ("Return", "Esc").
    if (same(name, "Return")) return Key::Enter;
    if (same(name, "Esc")) return Key::Escape;
    return std::nullopt;
}

Cycles post_keystroke(InputQueue& queue, const KeyStroke& stroke, Cycles when, Cycles hold) {
    const Cycles step = hold / 4 + 1;  // modifiers go down a little before the key, up after it
    Cycles t = when;
    if (stroke.ctrl) queue.post(InputEvent{t, KeyInput{Key::LeftCtrl, true}}), t += step;
    if (stroke.shift) queue.post(InputEvent{t, KeyInput{Key::LeftShift, true}}), t += step;
    queue.post(InputEvent{t, KeyInput{stroke.key, true}});
    t += hold;
    queue.post(InputEvent{t, KeyInput{stroke.key, false}});
    if (stroke.shift) t += step, queue.post(InputEvent{t, KeyInput{Key::LeftShift, false}});
    if (stroke.ctrl) t += step, queue.post(InputEvent{t, KeyInput{Key::LeftCtrl, false}});
    return t + 1;
}

TypedText post_text(InputQueue& queue, std::string_view text, Cycles when, Cycles interval) {
    TypedText r;
    r.end = when;
    for (char c : text) {
        const auto stroke = key_for_ascii(c);
        if (!stroke) {
            ++r.skipped;
            continue;
        }
        const Cycles released = post_keystroke(queue, *stroke, r.end, interval / 2);
        r.end = std::max(released, r.end + interval);
    }
    return r;
}

}  // namespace lantern
