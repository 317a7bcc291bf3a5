// Small text helpers the command-line debugger's files share.
#pragma once

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace lantern::cli_text {

inline std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// "0x00001234" with `digits` digits at least.
inline std::string hex(std::uint64_t v, int digits = 0) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
    return buf;
}

// The position of `c` at the top level of an expression (outside () and []), or npos.
inline std::size_t find_top_level(std::string_view s, char c) {
    int depth = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '(' || s[i] == '[') ++depth;
        else if (s[i] == ')' || s[i] == ']') --depth;
        else if (s[i] == c && depth == 0) return i;
    }
    return std::string_view::npos;
}

}  // namespace lantern::cli_text
