#include "gui/input_script.h"

#include <cctype>
#include <charconv>

#include "devices/input/ascii_keys.h"

namespace lantern {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// A quoted string with C-like escapes, or a bare word running to the end of the step.
std::optional<std::string> parse_text(std::string_view s, std::string& error) {
    s = trim(s);
    if (s.empty()) {
        error = "expected a text in quotes";
        return std::nullopt;
    }
    if (s.front() != '"') return std::string(s);
    std::string out;
    std::size_t i = 1;
    for (; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] != '\\') {
            out.push_back(s[i]);
            continue;
        }
        if (++i >= s.size()) break;
        switch (s[i]) {
            case 'n': out.push_back('\n'); break;
            case 'r': out.push_back('\r'); break;
            case 't': out.push_back('\t'); break;
            case 'e': out.push_back('\x1b'); break;
            case 'b': out.push_back('\b'); break;
            case '\\': out.push_back('\\'); break;
            case '"': out.push_back('"'); break;
            default:  // not an escape: a DOS path's backslash ("A:\>") stays as written
                out.push_back('\\');
                out.push_back(s[i]);
                break;
        }
    }
    if (i >= s.size()) {
        error = "the text's closing quote is missing";
        return std::nullopt;
    }
    if (!trim(s.substr(i + 1)).empty()) {
        error = "unexpected words after the closing quote";
        return std::nullopt;
    }
    return out;
}

// Splits on ';' (outside quotes) for the one-line form, and on newlines always.
std::vector<std::string_view> split_steps(std::string_view text, bool inline_form) {
    std::vector<std::string_view> out;
    bool quoted = false;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const char c = i < text.size() ? text[i] : '\n';
        if (c == '"' && (i == 0 || text[i - 1] != '\\')) quoted = !quoted;
        if (c == '\n' || (inline_form && c == ';' && !quoted)) {
            out.push_back(text.substr(start, i - start));
            start = i + 1;
            if (c == '\n') quoted = false;
        }
    }
    return out;
}

std::optional<std::uint64_t> parse_seconds_ns(std::string_view s) {
    s = trim(s);
    if (!s.empty() && s.back() == 's') s.remove_suffix(1);
    std::uint64_t whole = 0, frac = 0, scale = 1'000'000'000;
    const std::size_t dot = s.find('.');
    const std::string_view w = s.substr(0, dot);
    if (w.empty() && dot == std::string_view::npos) return std::nullopt;
    if (!w.empty()) {
        auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), whole);
        if (ec != std::errc() || p != w.data() + w.size() || whole > 1'000'000) return std::nullopt;
    }
    if (dot != std::string_view::npos) {
        const std::string_view f = s.substr(dot + 1);
        if (f.empty() || f.size() > 9) return std::nullopt;
        for (char c : f) {
            if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
            scale /= 10;
            frac += static_cast<std::uint64_t>(c - '0') * scale;
        }
    }
    return whole * 1'000'000'000 + frac;
}

std::optional<std::vector<Key>> parse_chord(std::string_view word, std::string& error) {
    std::vector<Key> chord;
    while (!word.empty()) {
        const std::size_t plus = word.find('+', 1);
        std::string_view name = word.substr(0, plus);
        word = plus == std::string_view::npos ? std::string_view{} : word.substr(plus + 1);
        std::optional<Key> k;
        if (name == "Ctrl" || name == "ctrl") k = Key::LeftCtrl;
        else if (name == "Shift" || name == "shift") k = Key::LeftShift;
        else if (name == "Alt" || name == "alt") k = Key::LeftAlt;
        else k = key_from_name(name);
        if (!k) {
            error = "unknown key '" + std::string(name) + "' (names like Enter, Escape, F1, Up, A, Ctrl+C)";
            return std::nullopt;
        }
        chord.push_back(*k);
    }
    return chord;
}

}  // namespace

std::optional<InputScript> parse_input_script(std::string_view text, bool inline_form, std::string& error) {
    InputScript script;
    std::size_t line = 0;
    for (std::string_view raw : split_steps(text, inline_form)) {
        ++line;
        const std::string_view step = trim(raw);
        if (step.empty() || step.front() == '#') continue;
        const std::size_t space = step.find_first_of(" \t");
        const std::string_view verb = step.substr(0, space);
        const std::string_view rest = space == std::string_view::npos ? std::string_view{} : trim(step.substr(space));
        ScriptStep s;
        s.line = line;
        auto fail = [&](const std::string& why) {
            error = "line " + std::to_string(line) + ": " + why;
            return std::nullopt;
        };
        std::string why;
        if (verb == "wait") {
            const auto ns = parse_seconds_ns(rest);
            if (!ns) return fail("wait takes virtual seconds, e.g. wait 1.5");
            s.kind = ScriptStep::Kind::Wait;
            s.wait_ns = *ns;
        } else if (verb == "wait-screen" || verb == "wait-serial" || verb == "type" || verb == "serial" ||
                   verb == "text-dump" || verb == "screenshot") {
            const auto t = parse_text(rest, why);
            if (!t) return fail(std::string(verb) + ": " + why);
            if (t->empty()) return fail(std::string(verb) + " needs a non-empty text");
            s.text = *t;
            s.kind = verb == "wait-screen"   ? ScriptStep::Kind::WaitScreen
                     : verb == "wait-serial" ? ScriptStep::Kind::WaitSerial
                     : verb == "type"        ? ScriptStep::Kind::Type
                     : verb == "serial"      ? ScriptStep::Kind::Serial
                     : verb == "text-dump"   ? ScriptStep::Kind::TextDump
                                             : ScriptStep::Kind::Screenshot;
            if (s.kind == ScriptStep::Kind::Type)
                for (char c : s.text)
                    if (!key_for_ascii(c))
                        return fail("type: no key types the character code " + std::to_string(static_cast<unsigned char>(c)) +
                                    " (use key NAME for special keys)");
        } else if (verb == "key") {
            s.kind = ScriptStep::Kind::Keys;
            std::string_view words = rest;
            while (!(words = trim(words)).empty()) {
                const std::size_t sp = words.find_first_of(" \t");
                const auto chord = parse_chord(words.substr(0, sp), why);
                if (!chord) return fail(why);
                s.keys.push_back(*chord);
                words = sp == std::string_view::npos ? std::string_view{} : words.substr(sp);
            }
            if (s.keys.empty()) return fail("key needs at least one key name, e.g. key Enter");
        } else if (verb == "exit") {
            s.kind = ScriptStep::Kind::Exit;
            if (!rest.empty()) {
                int v = 0;
                auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v);
                if (ec != std::errc() || p != rest.data() + rest.size() || v < 0 || v > 255)
                    return fail("exit takes a status from 0 to 255");
                s.exit_status = v;
            }
        } else {
            return fail("unknown step '" + std::string(verb) +
                        "' (wait, wait-screen, wait-serial, type, key, serial, text-dump, screenshot, exit)");
        }
        script.steps.push_back(std::move(s));
    }
    return script;
}

}  // namespace lantern
