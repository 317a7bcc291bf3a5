// The disassembly pane: the instructions around CS:EIP from the CPU's own opcode table, with
// symbols, a breakpoint gutter, run to cursor and each instruction's cycle cost on this model.
#include <algorithm>

#include "gui/app/panes.h"

namespace lantern::gui {

namespace {

struct Line {
    std::uint32_t linear = 0;
    std::uint32_t ip = 0;
    std::string label{};      // a symbol that starts here
    std::string bytes{};
    std::string text{};
    std::string cycles{};
    bool current = false;
    bool breakpoint = false;
};

class DisasmPane final : public Pane {
public:
    DisasmPane() : Pane("disasm", "Disassembly") {}
    ImVec2 default_pos() const override { return {1194, 44}; }
    ImVec2 default_size() const override { return {402, 600}; }

    void gather(MachineInspector& m, Session&, const FrameData& f) override {
        const CpuState& s = f.cpu;
        const bool wide = code32(s);
        const std::uint32_t mask = wide ? 0xFFFFFFFFu : 0xFFFFu;
        cs_ = s.segment(Seg::CS).selector;
        wide_ = wide;
        const std::uint32_t cs_base = s.segment(Seg::CS).base;
        const std::uint32_t ip = s.eip;
        symbols_ = {};
        if (f.symbols && f.symbols->size() != 0)
            symbols_ = [table = f.symbols](std::uint32_t a) -> std::optional<std::string> {
                if (const Symbol* s = table->exact(a)) return s->name;
                return std::nullopt;
            };

        // Backwards: x86 code cannot be decoded backwards, so try start points up to 40 bytes
        // back and keep the one whose instructions run exactly into CS:EIP with the most lines.
        std::uint32_t best_start = ip;
        int best_count = 0;
        for (std::uint32_t back = 40; back >= 1; --back) {
            if (back > ip && !wide) continue;
            std::uint32_t p = (ip - back) & mask;
            int count = 0;
            for (int guard = 0; guard < 40 && p != ip; ++guard) {
                const Disassembly d = m.disassemble(cs_base, p, wide);
                if (d.length == 0) break;
                const std::uint32_t next = (p + d.length) & mask;
                if (((ip - p) & mask) < d.length) break;  // overlaps EIP: not a boundary
                p = next;
                ++count;
            }
            if (p == ip && count > best_count) {
                best_count = count;
                best_start = (ip - back) & mask;
            }
        }
        // Keep at most kBefore lines above EIP.
        std::vector<std::uint32_t> starts;
        for (std::uint32_t p = best_start; p != ip && starts.size() < 64;) {
            starts.push_back(p);
            const Disassembly d = m.disassemble(cs_base, p, wide);
            p = (p + std::max<unsigned>(1, d.length)) & mask;
        }
        if (starts.size() > kBefore) starts.erase(starts.begin(), starts.end() - kBefore);

        lines_.clear();
        std::uint32_t p = starts.empty() ? ip : starts.front();
        for (int n = 0; n < kBefore + kAfter; ++n) {
            const Disassembly d = m.disassemble(cs_base, p, wide, symbols_);
            Line l;
            l.linear = cs_base + p;
            l.ip = p;
            l.current = p == ip;
            l.bytes = d.bytes_hex;
            l.text = d.text;
            if (d.valid) l.cycles = std::to_string(d.cycles) + (d.plus_ea ? "+EA" : "");
            l.breakpoint = f.breakpoints.contains(l.linear);
            if (symbols_) {
                if (auto name = symbols_(l.linear)) l.label = *name;
            }
            lines_.push_back(std::move(l));
            p = (p + std::max<unsigned>(1, d.length)) & mask;
            if (n > kBefore && lines_.size() >= static_cast<std::size_t>(kBefore + kAfter)) break;
        }
    }

    void draw(UiContext& ui) override {
        if (ImGui::SmallButton("Step (F11)")) ui.host.step_instruction();
        ImGui::SameLine();
        if (ImGui::SmallButton("Over (F10)")) ui.host.step_over();
        ImGui::SameLine();
        if (ImGui::SmallButton("Out")) ui.host.step_out();
        ImGui::SameLine();
        const bool has_cursor = ui.selection.disasm_cursor.has_value();
        if (!has_cursor) ImGui::BeginDisabled();
        if (ImGui::SmallButton("Run to cursor")) ui.host.run_to(*ui.selection.disasm_cursor);
        ImGui::SameLine();
        if (ImGui::SmallButton("Breakpoint (F9)")) ui.host.toggle_breakpoint(*ui.selection.disasm_cursor);
        if (!has_cursor) ImGui::EndDisabled();
        ImGui::TextColored(dim_colour(), "Click the gutter for a breakpoint, a line to select it; right-click for more.");

        const ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY;
        if (!ImGui::BeginTable("disasm", 5, flags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn(" ", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 1.2f);
        ImGui::TableSetupColumn("address");
        ImGui::TableSetupColumn("bytes");
        ImGui::TableSetupColumn("instruction", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableSetupColumn("cycles");
        ImGui::TableHeadersRow();
        for (std::size_t i = 0; i < lines_.size(); ++i) {
            const Line& l = lines_[i];
            ImGui::PushID(static_cast<int>(i));
            if (!l.label.empty()) {
                ImGui::TableNextRow();
                ImGui::TableSetColumnIndex(3);
                ImGui::TextColored(accent_colour(), "%s:", l.label.c_str());
            }
            ImGui::TableNextRow();
            if (l.current)
                ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_TextSelectedBg));
            ImGui::TableSetColumnIndex(0);
            // The gutter: a breakpoint marker, clickable.
            const char* mark = l.breakpoint ? "(*)" : (l.current ? "=>" : "  ");
            if (l.breakpoint) ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.9f, 0.2f, 0.2f, 1));
            if (ImGui::Selectable(mark, false, ImGuiSelectableFlags_None)) ui.host.toggle_breakpoint(l.linear);
            if (l.breakpoint) ImGui::PopStyleColor();
            ImGui::TableSetColumnIndex(1);
            const bool selected = ui.selection.disasm_cursor == l.linear;
            const std::string addr = seg_off(cs_, l.ip, wide_);
            if (ImGui::Selectable(addr.c_str(), selected, ImGuiSelectableFlags_SpanAllColumns |
                                                              ImGuiSelectableFlags_AllowItemOverlap))
                ui.selection.disasm_cursor = l.linear;
            if (ImGui::BeginPopupContextItem("line")) {
                ui.selection.disasm_cursor = l.linear;
                if (ImGui::MenuItem("Run to here")) ui.host.run_to(l.linear);
                if (ImGui::MenuItem(l.breakpoint ? "Remove breakpoint" : "Set breakpoint"))
                    ui.host.toggle_breakpoint(l.linear);
                if (ImGui::MenuItem("Show in memory")) ui.selection.memory_goto = l.linear;
                ImGui::EndPopup();
            }
            ImGui::TableSetColumnIndex(2);
            ImGui::TextColored(dim_colour(), "%s", l.bytes.c_str());
            ImGui::TableSetColumnIndex(3);
            if (l.current) {
                probe_text(ui, "disasm.current", l.text);
                ui.probe.set("disasm.current.cycles", l.cycles);
                ui.probe.set("disasm.current.address", addr);
                ui.probe.set("disasm.current.label", ui.symbols.describe(l.linear));
            } else {
                ImGui::TextUnformatted(l.text.c_str());
            }
            ImGui::TableSetColumnIndex(4);
            ImGui::TextUnformatted(l.cycles.c_str());
            if (l.breakpoint) ui.probe.set("disasm.breakpoint." + hex(l.linear, 5), l.text);
            ImGui::PopID();
        }
        ImGui::EndTable();
    }

private:
    static constexpr int kBefore = 8;
    static constexpr int kAfter = 24;
    std::vector<Line> lines_{};
    std::uint16_t cs_ = 0;
    bool wide_ = false;
    SymbolLookup symbols_{};
};

}  // namespace

std::unique_ptr<Pane> make_disasm_pane() { return std::make_unique<DisasmPane>(); }

}  // namespace lantern::gui
