// The I/O and interrupt log: every IN/OUT (port, width, value, which device decodes it) and every
// interrupt and exception (vector, and the IRQ line for a hardware interrupt), stamped with the
// CPU cycle it happened at.
#include <algorithm>

#include "gui/app/panes.h"

namespace lantern::gui {

namespace {

class LogPane final : public Pane {
public:
    LogPane() : Pane("log", "I/O and interrupt log") {}
    ImVec2 default_pos() const override { return {994, 648}; }
    ImVec2 default_size() const override { return {602, 330}; }

    void gather(MachineInspector&, Session& session, const FrameData& f) override {
        const auto& log = session.exec->log();
        if (f.generation != generation_ || log.total() < seen_total_) {
            entries_.clear();
            seen_total_ = 0;
            generation_ = f.generation;
        }
        if (!frozen_) {
            const std::uint64_t fresh = std::min<std::uint64_t>(log.total() - seen_total_, log.size());
            for (std::size_t i = log.size() - fresh; i < log.size(); ++i) entries_.push_back(log[i]);
            if (entries_.size() > kKeep) entries_.erase(entries_.begin(), entries_.end() - kKeep);
            seen_total_ = log.total();
        }
        total_ = log.total();
        // The IRQ of a hardware interrupt: its vector minus the PIC's base (ICW2).
        master_base_ = static_cast<int>(f.tree.field_or("pic.master.icw2", 0x08) & 0xF8);
        slave_base_ = static_cast<int>(f.tree.field_or("pic.slave.icw2", 0x70) & 0xF8);
        freq_hz_ = f.config.cpu_freq_hz;
    }

    void draw(UiContext& ui) override {
        ImGui::Checkbox("ports", &show_ports_);
        ImGui::SameLine();
        ImGui::Checkbox("interrupts", &show_interrupts_);
        ImGui::SameLine();
        ImGui::Checkbox("freeze", &frozen_);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
        ImGui::InputText("port filter", filter_, sizeof filter_, ImGuiInputTextFlags_CharsHexadecimal);
        ImGui::SameLine();
        if (ImGui::SmallButton("Clear")) {
            entries_.clear();
            ui.host.post([](Session& s) { s.exec->clear_log(); });
        }
        ImGui::TextColored(dim_colour(), "%llu events since reset", static_cast<unsigned long long>(total_));
        ui.probe.set("log.total", std::to_string(total_));

        const int port_filter = filter_[0] ? static_cast<int>(std::strtoul(filter_, nullptr, 16)) : -1;
        const ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY;
        if (!ImGui::BeginTable("log", 5, flags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("cycle");
        ImGui::TableSetupColumn("at");
        ImGui::TableSetupColumn("what");
        ImGui::TableSetupColumn("port / vector");
        ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        std::vector<const LogEntry*> shown;
        for (const LogEntry& e : entries_) {
            const bool port = e.kind == LogEntry::Kind::PortRead || e.kind == LogEntry::Kind::PortWrite;
            if (port ? !show_ports_ : !show_interrupts_) continue;
            if (port_filter >= 0 && (!port || e.port != port_filter)) continue;
            shown.push_back(&e);
        }
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(shown.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const LogEntry& e = *shown[static_cast<std::size_t>(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(std::to_string(e.cycle).c_str());
                ImGui::TableNextColumn();
                ImGui::TextColored(dim_colour(), "%s", seg_off(e.cs, e.eip, e.eip > 0xFFFF).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(kind_text(e).c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(target_text(e).c_str());
                ImGui::TableNextColumn();
                if (e.kind == LogEntry::Kind::PortRead || e.kind == LogEntry::Kind::PortWrite)
                    ImGui::TextUnformatted(hex(e.value, e.width * 2).c_str());
            }
        }
        if (!shown.empty()) {
            const LogEntry& last = *shown.back();
            // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on a chain of `+`.
            std::string text = kind_text(last);
            text += ' ';
            text += target_text(last);
            if (last.width) {
                text += ' ';
                text += hex(last.value, last.width * 2);
            }
            ui.probe.set("log.last", text);
        }
        if (!frozen_ && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 4) ImGui::SetScrollHereY(1.0f);
        ImGui::EndTable();
    }

private:
    static std::string kind_text(const LogEntry& e) {
        switch (e.kind) {
            case LogEntry::Kind::PortRead: return e.width == 1 ? "IN" : e.width == 2 ? "IN word" : "IN dword";
            case LogEntry::Kind::PortWrite: return e.width == 1 ? "OUT" : e.width == 2 ? "OUT word" : "OUT dword";
            case LogEntry::Kind::HardwareInterrupt: return "IRQ";
            case LogEntry::Kind::SoftwareInterrupt: return "INT";
            case LogEntry::Kind::Exception: return "exception";
        }
        return "?";
    }

    std::string target_text(const LogEntry& e) const {
        if (e.kind == LogEntry::Kind::PortRead || e.kind == LogEntry::Kind::PortWrite) return hex(e.port, 4) + "h";
        std::string t = hex(e.vector, 2) + "h";
        if (e.kind == LogEntry::Kind::HardwareInterrupt) {
            if (e.vector >= master_base_ && e.vector < master_base_ + 8) t += " (IRQ" + std::to_string(e.vector - master_base_) + ")";
            else if (e.vector >= slave_base_ && e.vector < slave_base_ + 8) t += " (IRQ" + std::to_string(e.vector - slave_base_ + 8) + ")";
        }
        return t;
    }

    static constexpr std::size_t kKeep = 4000;
    std::vector<LogEntry> entries_{};
    std::uint64_t seen_total_ = 0;
    std::uint64_t total_ = 0;
    std::uint64_t generation_ = ~0ull;
    int master_base_ = 8, slave_base_ = 0x70;
    std::uint64_t freq_hz_ = 0;
    bool show_ports_ = true, show_interrupts_ = true, frozen_ = false;
    char filter_[8] = "";
};

}  // namespace

std::unique_ptr<Pane> make_log_pane() { return std::make_unique<LogPane>(); }

}  // namespace lantern::gui
