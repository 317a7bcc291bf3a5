// A StateVisitor that records what it is shown as "path.name=value" lines, for tests.
#pragma once

#include <string>
#include <vector>

#include "cpu/state_visitor.h"

namespace lantern::testing {

class RecordingVisitor final : public StateVisitor {
public:
    void begin_group(std::string_view name) override { path_.emplace_back(name); }
    void end_group() override { path_.pop_back(); }
    void field(std::string_view name, std::uint64_t& value, unsigned, std::string_view) override {
        lines.push_back(prefix() + std::string(name) + "=" + std::to_string(value));
    }
    void text(std::string_view name, std::string& value) override {
        lines.push_back(prefix() + std::string(name) + "=" + value);
    }
    void bytes(std::string_view name, std::span<std::uint8_t> data) override {
        lines.push_back(prefix() + std::string(name) + "=<" + std::to_string(data.size()) + " bytes>");
    }

    bool has(const std::string& line) const {
        for (const auto& l : lines)
            if (l == line) return true;
        return false;
    }
    bool has_prefix(const std::string& start) const {
        for (const auto& l : lines)
            if (l.rfind(start, 0) == 0) return true;
        return false;
    }

    std::vector<std::string> lines;

private:
    std::string prefix() const {
        std::string p;
        for (const auto& g : path_) p += g + ".";
        return p;
    }
    std::vector<std::string> path_;
};

}  // namespace lantern::testing
