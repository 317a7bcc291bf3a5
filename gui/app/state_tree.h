// StateTree: what a component's inspect() listed, captured as a plain tree of named values.
//
// The GUI never reads a device's members: it walks Machine::inspect() with StateTreeBuilder (a
// StateVisitor, the same interface snapshots and the debugger's `info device` use) while the
// emulator thread is paused between slices, and draws from the copy. Big byte fields (RAM, video
// memory) are not copied whole: a capture policy says which part of which byte field a pane needs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/state_visitor.h"

namespace lantern::gui {

struct StateNode {
    enum class Kind : std::uint8_t { Group, Field, Text, Bytes };
    Kind kind = Kind::Group;
    std::string name{};
    std::string path{};         // dotted from the root: "machine.pic.master.irr"
    std::uint64_t value = 0;    // Field
    unsigned bits = 0;          // Field: width (1 for a flag)
    std::string description{};  // Field
    std::string text{};         // Text
    std::uint64_t size = 0;     // Bytes: the field's full size
    std::uint64_t data_offset = 0;  // Bytes: where `data` starts within the field
    std::vector<std::uint8_t> data{};  // Bytes: the captured part
    std::vector<StateNode> children{};  // Group

    // A descendant by relative dotted path ("master.irr"), or nullptr.
    const StateNode* find(std::string_view relative_path) const;
    // A child field's value, or `fallback` when there is none.
    std::uint64_t field_or(std::string_view relative_path, std::uint64_t fallback) const;
};

// Which part of a byte field to copy: {offset, length} within the field (clamped to its size).
struct ByteCapture {
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};
using ByteCapturePolicy = std::function<ByteCapture(std::string_view path, std::uint64_t size)>;

// Copies every field, and byte fields up to kDefaultByteCapture bytes (others per `policy`).
class StateTreeBuilder final : public StateVisitor {
public:
    static constexpr std::uint64_t kDefaultByteCapture = 4096;

    explicit StateTreeBuilder(ByteCapturePolicy policy = {});
    StateNode take();  // the root ("" group) with everything visited

    void begin_group(std::string_view name) override;
    void end_group() override;
    void field(std::string_view name, std::uint64_t& value, unsigned bits, std::string_view description) override;
    void text(std::string_view name, std::string& value) override;
    void bytes(std::string_view name, std::span<std::uint8_t> data) override;

private:
    StateNode& current() { return *stack_.back(); }
    std::string child_path(std::string_view name);

    ByteCapturePolicy policy_{};
    StateNode root_{};
    std::vector<StateNode*> stack_{};
};

// Formats a field's value as hex with as many digits as its width needs ("1234", "0", "FF").
std::string format_field_hex(const StateNode& field);

}  // namespace lantern::gui
