// The memory pane (hex + ASCII, physical or linear through paging, following a register, editable,
// recent writes highlighted) and the stack pane.
#include <algorithm>
#include <cstdlib>
#include <unordered_map>

#include "gui/app/panes.h"

namespace lantern::gui {

namespace {

std::optional<std::uint32_t> parse_hex(const char* text) {
    char* end = nullptr;
    const unsigned long v = std::strtoul(text, &end, 16);
    if (end == text) return std::nullopt;
    while (*end == ' ') ++end;
    if (*end == 'h' || *end == 'H') ++end;
    if (*end != '\0') return std::nullopt;
    return static_cast<std::uint32_t>(v);
}

enum class Follow : int { None, CsIp, SsSp, DsSi, EsDi, DsBx };
constexpr const char* kFollowNames[] = {"nothing", "CS:IP", "SS:SP", "DS:SI", "ES:DI", "DS:BX"};

std::uint32_t follow_address(Follow f, const CpuState& s) {
    auto at = [&](Seg seg, Reg r) { return s.segment(seg).base + (s.gpr[static_cast<int>(r)] & 0xFFFF); };
    switch (f) {
        case Follow::CsIp: return current_linear_ip(s);
        case Follow::SsSp: return s.segment(Seg::SS).base + (stack32(s) ? s.gpr[4] : s.gpr[4] & 0xFFFF);
        case Follow::DsSi: return at(Seg::DS, Reg::SI);
        case Follow::EsDi: return at(Seg::ES, Reg::DI);
        case Follow::DsBx: return at(Seg::DS, Reg::BX);
        case Follow::None: break;
    }
    return 0;
}

class MemoryPane final : public Pane {
public:
    MemoryPane() : Pane("memory", "Memory") {}
    ImVec2 default_pos() const override { return {4, 518}; }
    ImVec2 default_size() const override { return {752, 300}; }

    void gather(MachineInspector& m, Session& session, const FrameData& f) override {
        if (follow_ != Follow::None) {
            address_ = follow_address(follow_, f.cpu);
            linear_ = true;
        }
        base_ = address_ & ~0xFu;
        bytes_.assign(kRows * 16, 0);
        present_.assign(kRows * 16, false);
        ram_.assign(kRows * 16, false);
        physical_.assign(kRows * 16, 0);
        for (unsigned i = 0; i < kRows * 16; ++i) {
            const std::uint32_t a = base_ + i;
            std::optional<std::uint32_t> phys = linear_ ? m.translate(a) : std::optional<std::uint32_t>(a);
            if (!phys) continue;
            present_[i] = true;
            physical_[i] = *phys;
            bytes_[i] = m.peek_physical(*phys);
            ram_[i] = m.is_ram(*phys);
        }
        // Recent writes (physical), newest last: mark the ones in view with their age.
        written_.assign(kRows * 16, 0);
        std::unordered_map<std::uint32_t, unsigned> visible;  // physical -> index in view
        for (unsigned i = 0; i < kRows * 16; ++i)
            if (present_[i]) visible.emplace(physical_[i], i);
        const auto& w = session.exec->recent_writes();
        for (std::size_t n = w.size(); n-- > 0;) {
            const auto it = visible.find(w[n]);
            if (it == visible.end() || written_[it->second]) continue;
            // Newer writes are brighter: 255 for the newest, fading over the ring.
            written_[it->second] = static_cast<std::uint8_t>(255 - std::min<std::size_t>(200, (w.size() - 1 - n) / 16));
        }
    }

    void draw(UiContext& ui) override {
        if (ui.selection.memory_goto) {
            address_ = *ui.selection.memory_goto;
            linear_ = true;
            follow_ = Follow::None;
            ui.selection.memory_goto.reset();
        }
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
        if (ImGui::InputText("address", goto_text_, sizeof goto_text_,
                             ImGuiInputTextFlags_CharsHexadecimal | ImGuiInputTextFlags_EnterReturnsTrue)) {
            if (const auto a = parse_hex(goto_text_)) {
                address_ = *a;
                follow_ = Follow::None;
            }
        }
        ImGui::SameLine();
        int mode = linear_ ? 1 : 0;
        if (ImGui::RadioButton("physical", &mode, 0)) {
            linear_ = false;
            follow_ = Follow::None;
        }
        ImGui::SameLine();
        if (ImGui::RadioButton("linear", &mode, 1)) linear_ = true;
        tooltip("Linear addresses go through the CPU's paging (when CR0.PG is set).");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
        int follow = static_cast<int>(follow_);
        if (ImGui::Combo("follow", &follow, kFollowNames, IM_ARRAYSIZE(kFollowNames))) follow_ = static_cast<Follow>(follow);
        ImGui::SameLine();
        ImGui::Checkbox("writes", &ui.settings.track_writes);
        tooltip("Highlight bytes the guest wrote recently (watching every write costs some speed).");

        const ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY;
        if (!ImGui::BeginTable("hex", 18, flags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(linear_ ? "linear" : "physical");
        for (int c = 0; c < 16; ++c) ImGui::TableSetupColumn(hex(c, 1).c_str());
        ImGui::TableSetupColumn("ASCII");
        ImGui::TableHeadersRow();
        for (unsigned r = 0; r < kRows; ++r) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const std::uint32_t row_addr = base_ + r * 16;
            ImGui::TextColored(dim_colour(), "%s", hex(row_addr, 5).c_str());
            std::string row_text, ascii;
            for (unsigned c = 0; c < 16; ++c) {
                const unsigned i = r * 16 + c;
                ImGui::TableNextColumn();
                ImGui::PushID(static_cast<int>(i));
                if (!present_[i]) {
                    ImGui::TextColored(dim_colour(), "--");
                    row_text += "-- ";
                    ascii += ' ';
                    ImGui::PopID();
                    continue;
                }
                const std::string b = hex(bytes_[i], 2);
                row_text += b + " ";
                ascii += (bytes_[i] >= 0x20 && bytes_[i] < 0x7F) ? static_cast<char>(bytes_[i]) : '.';
                if (editing_ == static_cast<int>(i)) {
                    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 1.6f);
                    ImGui::SetKeyboardFocusHere();
                    if (ImGui::InputText("##edit", edit_text_, 3,
                                         ImGuiInputTextFlags_CharsHexadecimal | ImGuiInputTextFlags_EnterReturnsTrue |
                                             ImGuiInputTextFlags_AutoSelectAll)) {
                        if (const auto v = parse_hex(edit_text_)) write_byte(ui, physical_[i], static_cast<std::uint8_t>(*v));
                        editing_ = -1;
                    } else if (ImGui::IsItemDeactivated()) {
                        editing_ = -1;
                    }
                } else {
                    if (written_[i] && ui.settings.track_writes) {
                        const float k = static_cast<float>(written_[i]) / 255.0f;
                        ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg,
                                               ImGui::GetColorU32(ImVec4(0.9f, 0.5f, 0.1f, 0.25f + 0.45f * k)));
                    }
                    if (ram_[i]) {
                        ImGui::TextUnformatted(b.c_str());
                        if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
                            editing_ = static_cast<int>(i);
                            std::snprintf(edit_text_, sizeof edit_text_, "%s", b.c_str());
                        }
                        tooltip("physical " + hex(physical_[i], 6) + " (double-click to edit)");
                    } else {
                        ImGui::TextColored(dim_colour(), "%s", b.c_str());
                        tooltip("physical " + hex(physical_[i], 6) + " (ROM or device: read only)");
                    }
                }
                ImGui::PopID();
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(ascii.c_str());
            row_text.pop_back();
            ui.probe.set("memory." + hex(row_addr, 5), row_text);
        }
        ImGui::EndTable();
    }

private:
    static void write_byte(UiContext& ui, std::uint32_t physical, std::uint8_t value) {
        // A write by the user, through the bus like the guest's own (RAM only: checked when drawn).
        ui.host.post([physical, value](Session& s) { s.machine->memory().write8(physical, value); });
    }

    static constexpr unsigned kRows = 32;
    std::uint32_t address_ = 0;
    std::uint32_t base_ = 0;
    bool linear_ = false;
    Follow follow_ = Follow::None;
    std::vector<std::uint8_t> bytes_{};
    std::vector<bool> present_{};
    std::vector<bool> ram_{};
    std::vector<std::uint32_t> physical_{};
    std::vector<std::uint8_t> written_{};
    char goto_text_[16] = "0";
    char edit_text_[4] = "";
    int editing_ = -1;
};

class StackPane final : public Pane {
public:
    StackPane() : Pane("stack", "Stack") {}
    ImVec2 default_pos() const override { return {760, 648}; }
    ImVec2 default_size() const override { return {230, 330}; }

    void gather(MachineInspector& m, Session&, const FrameData& f) override {
        const CpuState& s = f.cpu;
        wide_ = stack32(s);
        const unsigned width = f.config.cpu_model >= CpuModel::I80386 && wide_ ? 4 : 2;
        width_ = width;
        const std::uint32_t mask = wide_ ? 0xFFFFFFFFu : 0xFFFFu;
        sp_ = s.gpr[4] & mask;
        bp_ = s.gpr[5] & mask;
        ss_ = s.segment(Seg::SS).selector;
        entries_.clear();
        for (int n = -2; n < 20; ++n) {
            const std::uint32_t off = (sp_ + static_cast<std::uint32_t>(n * static_cast<int>(width))) & mask;
            Entry e;
            e.offset = off;
            e.valid = true;
            for (unsigned k = 0; k < width; ++k) {
                const auto b = m.peek_linear(s.segment(Seg::SS).base + ((off + k) & mask));
                if (!b) e.valid = false;
                else e.value |= std::uint32_t{*b} << (8 * k);
            }
            entries_.push_back(e);
        }
    }

    void draw(UiContext& ui) override {
        if (!ImGui::BeginTable("stack", 3, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) return;
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            const Entry& e = entries_[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            const char* mark = e.offset == sp_ ? (e.offset == bp_ ? "SP BP" : "SP") : (e.offset == bp_ ? "BP" : "");
            if (e.offset == sp_)
                ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_TextSelectedBg));
            ImGui::TextColored(accent_colour(), "%s", mark);
            ImGui::TableNextColumn();
            ImGui::TextColored(i < 2 ? dim_colour() : ImGui::GetStyle().Colors[ImGuiCol_Text], "%s",
                               seg_off(ss_, e.offset, wide_).c_str());
            ImGui::TableNextColumn();
            const std::string v = e.valid ? hex(e.value, static_cast<int>(width_ * 2)) : "--";
            if (i < 2) ImGui::TextColored(dim_colour(), "%s", v.c_str());
            else probe_text(ui, "stack." + std::to_string(i - 2), v);
        }
        ImGui::EndTable();
    }

private:
    struct Entry {
        std::uint32_t offset = 0;
        std::uint32_t value = 0;
        bool valid = false;
    };
    std::vector<Entry> entries_{};
    std::uint32_t sp_ = 0, bp_ = 0;
    std::uint16_t ss_ = 0;
    bool wide_ = false;
    unsigned width_ = 2;
};

}  // namespace

std::unique_ptr<Pane> make_memory_pane() { return std::make_unique<MemoryPane>(); }
std::unique_ptr<Pane> make_stack_pane() { return std::make_unique<StackPane>(); }

}  // namespace lantern::gui
