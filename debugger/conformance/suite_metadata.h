// What a SingleStepTests set says about its own opcodes: metadata.json (status and the mask of
// flags the instruction leaves undefined, per opcode or per opcode + ModR/M reg) and
// revocation_list.txt (SHA-1 hashes of tests found to be bad).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace lantern::conformance {

struct OpcodeFacts {
    std::string status;              // "normal", "undocumented", "undefined", "alias", ...
    std::uint16_t flags_mask = 0xFFFF;  // AND with FLAGS before comparing: clears undefined flags
};

class SuiteMetadata {
public:
    // Loads `dir`/metadata.json and, if present, `dir`/revocation_list.txt. A set without
    // metadata.json yields empty metadata (every flag is compared). Throws std::runtime_error
    // on malformed JSON.
    static SuiteMetadata load(const std::filesystem::path& dir);
    // The same from text already in memory (unit tests).
    static SuiteMetadata parse(std::string_view metadata_json, std::string_view revocation_list);

    bool empty() const { return opcodes_.empty(); }
    const std::string& cpu() const { return cpu_; }

    // Facts for an opcode key as the file names spell it ("F7", "0F01") and a ModR/M reg value
    // (0-7, or -1 when unknown). A per-reg entry wins over the opcode's own; with per-reg
    // entries but no reg known, the mask is the AND of all of them (the conservative choice).
    OpcodeFacts lookup(std::string_view opcode, int reg) const;
    // True if the opcode's entries differ by ModR/M reg, so the runner must find the reg.
    bool has_reg_entries(std::string_view opcode) const;

    bool is_revoked(std::string_view hash_hex) const { return revoked_.count(hash_hex) != 0; }
    std::size_t revoked_count() const { return revoked_.size(); }

private:
    struct Entry {
        OpcodeFacts facts;
        std::array<std::optional<OpcodeFacts>, 8> by_reg{};
        bool has_regs = false;
    };
    std::string cpu_;
    std::map<std::string, Entry, std::less<>> opcodes_;
    std::set<std::string, std::less<>> revoked_;
};

}  // namespace lantern::conformance
