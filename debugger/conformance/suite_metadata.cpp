#include "debugger/conformance/suite_metadata.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace lantern::conformance {

namespace {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) return {};
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// The "flags" string lists undefined flags as letters of "odiszapc" ('.' = defined). Used only
// when an entry has no numeric "flags-mask".
std::uint16_t mask_from_letters(std::string_view letters) {
    static constexpr std::array<int, 8> kBit = {11, 10, 9, 7, 6, 4, 2, 0};  // o d i s z a p c
    std::uint16_t m = 0xFFFF;
    for (std::size_t i = 0; i < letters.size() && i < kBit.size(); ++i)
        if (letters[i] != '.') m = static_cast<std::uint16_t>(m & ~(1u << kBit[i]));
    return m;
}

OpcodeFacts facts_from(const nlohmann::json& j) {
    OpcodeFacts f;
    if (auto it = j.find("status"); it != j.end() && it->is_string()) f.status = *it;
    if (auto it = j.find("flags-mask"); it != j.end() && it->is_number_integer()) {
        f.flags_mask = static_cast<std::uint16_t>(it->get<std::int64_t>() & 0xFFFF);
    } else if (auto fl = j.find("flags"); fl != j.end() && fl->is_string()) {
        f.flags_mask = mask_from_letters(fl->get<std::string>());
    }
    return f;
}

}  // namespace

SuiteMetadata SuiteMetadata::load(const std::filesystem::path& dir) {
    std::string json = read_text(dir / "metadata.json");
    std::string revoked = read_text(dir / "revocation_list.txt");
    try {
        return parse(json, revoked);
    } catch (const std::exception& e) {
        throw std::runtime_error((dir / "metadata.json").string() + ": " + e.what());
    }
}

SuiteMetadata SuiteMetadata::parse(std::string_view metadata_json,
                                   std::string_view revocation_list) {
    SuiteMetadata m;
    if (!metadata_json.empty()) {
        nlohmann::json root = nlohmann::json::parse(metadata_json);  // throws on bad JSON
        if (auto c = root.find("cpu"); c != root.end() && c->is_string()) m.cpu_ = *c;
        auto ops = root.find("opcodes");
        if (ops != root.end() && ops->is_object()) {
            for (const auto& [key, value] : ops->items()) {
                if (!value.is_object()) continue;
                Entry e;
                e.facts = facts_from(value);
                if (auto regs = value.find("reg"); regs != value.end() && regs->is_object()) {
                    for (const auto& [rk, rv] : regs->items()) {
                        if (rk.size() != 1 || rk[0] < '0' || rk[0] > '7' || !rv.is_object())
                            continue;
                        e.by_reg[rk[0] - '0'] = facts_from(rv);
                        e.has_regs = true;
                    }
                }
                m.opcodes_[upper(key)] = std::move(e);
            }
        }
    }
    // One hash per line; '#' starts a comment.
    std::istringstream lines{std::string(revocation_list)};
    std::string line;
    while (std::getline(lines, line)) {
        line = line.substr(0, line.find('#'));
        std::string h;
        for (char c : line)
            if (std::isxdigit(static_cast<unsigned char>(c)))
                h += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!h.empty()) m.revoked_.insert(h);
    }
    return m;
}

OpcodeFacts SuiteMetadata::lookup(std::string_view opcode, int reg) const {
    auto it = opcodes_.find(opcode);
    if (it == opcodes_.end()) return {};
    const Entry& e = it->second;
    if (!e.has_regs) return e.facts;
    if (reg >= 0 && reg < 8 && e.by_reg[reg]) return *e.by_reg[reg];
    OpcodeFacts f = e.facts;
    for (const auto& r : e.by_reg)
        if (r) f.flags_mask = static_cast<std::uint16_t>(f.flags_mask & r->flags_mask);
    return f;
}

bool SuiteMetadata::has_reg_entries(std::string_view opcode) const {
    auto it = opcodes_.find(opcode);
    return it != opcodes_.end() && it->second.has_regs;
}

}  // namespace lantern::conformance
