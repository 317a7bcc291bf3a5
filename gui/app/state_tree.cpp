#include "gui/app/state_tree.h"

#include <algorithm>
#include <cstdio>

namespace lantern::gui {

const StateNode* StateNode::find(std::string_view relative_path) const {
    const StateNode* node = this;
    while (!relative_path.empty()) {
        const std::size_t dot = relative_path.find('.');
        const std::string_view head = relative_path.substr(0, dot);
        const StateNode* next = nullptr;
        for (const StateNode& c : node->children) {
            if (c.name == head) {
                next = &c;
                break;
            }
        }
        if (!next) return nullptr;
        node = next;
        relative_path = dot == std::string_view::npos ? std::string_view{} : relative_path.substr(dot + 1);
    }
    return node;
}

std::uint64_t StateNode::field_or(std::string_view relative_path, std::uint64_t fallback) const {
    const StateNode* n = find(relative_path);
    return n && n->kind == Kind::Field ? n->value : fallback;
}

StateTreeBuilder::StateTreeBuilder(ByteCapturePolicy policy) : policy_(std::move(policy)) {
    stack_.push_back(&root_);
}

StateNode StateTreeBuilder::take() {
    StateNode out = std::move(root_);
    root_ = {};
    stack_.assign(1, &root_);
    return out;
}

std::string StateTreeBuilder::child_path(std::string_view name) {
    const std::string& parent = current().path;
    return parent.empty() ? std::string(name) : parent + "." + std::string(name);
}

void StateTreeBuilder::begin_group(std::string_view name) {
    StateNode g;
    g.kind = StateNode::Kind::Group;
    g.name = std::string(name);
    g.path = child_path(name);
    current().children.push_back(std::move(g));
    // Pointers into `children` stay valid: a group's vector only grows while it is on top.
    stack_.push_back(&current().children.back());
}

void StateTreeBuilder::end_group() {
    if (stack_.size() > 1) stack_.pop_back();  // an unbalanced end_group is ignored, not fatal
}

void StateTreeBuilder::field(std::string_view name, std::uint64_t& value, unsigned bits,
                             std::string_view description) {
    StateNode f;
    f.kind = StateNode::Kind::Field;
    f.name = std::string(name);
    f.path = child_path(name);
    f.value = value;
    f.bits = bits;
    f.description = std::string(description);
    current().children.push_back(std::move(f));
}

void StateTreeBuilder::text(std::string_view name, std::string& value) {
    StateNode t;
    t.kind = StateNode::Kind::Text;
    t.name = std::string(name);
    t.path = child_path(name);
    t.text = value;
    current().children.push_back(std::move(t));
}

void StateTreeBuilder::bytes(std::string_view name, std::span<std::uint8_t> data) {
    StateNode b;
    b.kind = StateNode::Kind::Bytes;
    b.name = std::string(name);
    b.path = child_path(name);
    b.size = data.size();
    ByteCapture cap{0, std::min<std::uint64_t>(data.size(), kDefaultByteCapture)};
    if (policy_) {
        if (const ByteCapture asked = policy_(b.path, data.size()); asked.length != 0) cap = asked;
    }
    cap.offset = std::min<std::uint64_t>(cap.offset, data.size());
    cap.length = std::min<std::uint64_t>(cap.length, data.size() - cap.offset);
    b.data_offset = cap.offset;
    b.data.assign(data.begin() + static_cast<std::ptrdiff_t>(cap.offset),
                  data.begin() + static_cast<std::ptrdiff_t>(cap.offset + cap.length));
    current().children.push_back(std::move(b));
}

std::string format_field_hex(const StateNode& f) {
    const unsigned digits = std::max(1u, (std::min(f.bits, 64u) + 3) / 4);
    char buf[24];
    std::snprintf(buf, sizeof buf, "%0*llX", static_cast<int>(digits), static_cast<unsigned long long>(f.value));
    return buf;
}

}  // namespace lantern::gui
