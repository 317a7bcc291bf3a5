// StateSnapshot: a StateVisitor that saves every field into maps and, with `load` set, writes
// them back: enough to round-trip a component through inspect() the way snapshots do.
#pragma once

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "cpu/state_visitor.h"

namespace lantern::testing {

class StateSnapshot final : public StateVisitor {
public:
    bool load = false;
    bool loading() const override { return load; }
    void begin_group(std::string_view name) override { path_.emplace_back(name); }
    void end_group() override { path_.pop_back(); }
    void field(std::string_view name, std::uint64_t& value, unsigned, std::string_view) override {
        const std::string key = prefix() + std::string(name);
        if (load) {
            if (auto it = fields.find(key); it != fields.end()) value = it->second;
        } else {
            fields[key] = value;
        }
    }
    void text(std::string_view name, std::string& value) override {
        const std::string key = prefix() + std::string(name);
        if (load) {
            if (auto it = texts.find(key); it != texts.end()) value = it->second;
        } else {
            texts[key] = value;
        }
    }
    void bytes(std::string_view name, std::span<std::uint8_t> data) override {
        const std::string key = prefix() + std::string(name);
        if (load) {
            if (auto it = blobs.find(key); it != blobs.end() && it->second.size() == data.size())
                std::memcpy(data.data(), it->second.data(), data.size());
        } else {
            blobs[key].assign(data.begin(), data.end());
        }
    }

    std::map<std::string, std::uint64_t> fields;
    std::map<std::string, std::string> texts;
    std::map<std::string, std::vector<std::uint8_t>> blobs;

private:
    std::string prefix() const {
        std::string p;
        for (const auto& g : path_) p += g + ".";
        return p;
    }
    std::vector<std::string> path_;
};

}  // namespace lantern::testing
