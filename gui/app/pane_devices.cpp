// Device panes: one per device of the machine, each listing every field its inspect() shows, live,
// with what changed in the last second highlighted. Some devices get a picture on top: the PIC's
// request/service/mask bits per line, the PIT's output plot, the VGA's palette and font, the POST
// code.
#include <algorithm>
#include <array>
#include <map>
#include <unordered_map>

#include "gui/app/panes.h"

namespace lantern::gui {

std::string device_title(const std::string& d) {
    static const std::map<std::string, std::string> kTitles = {
        {"pic", "PIC (2 x 8259A)"},
        {"pit", "PIT (8254)"},
        {"rtc", "CMOS / RTC (MC146818)"},
        {"kbc", "8042 keyboard controller"},
        {"keyboard", "PS/2 keyboard"},
        {"mouse", "PS/2 mouse"},
        {"dma", "DMA (2 x 8237A)"},
        {"dma_pages", "DMA page registers"},
        {"fdc", "Floppy controller (82077AA)"},
        {"vga", "VGA"},
        {"pci", "PCI bus"},
        {"pci_config", "PCI configuration ports"},
        {"post_code", "POST code (port 80h)"},
        {"port61", "Port 61h (system control B)"},
        {"port92", "Port 92h (fast A20)"},
        {"scheduler", "Scheduler (pending events)"},
        {"input", "Input queue"},
        {"debugcon", "Debug console (port E9h)"},
        {"debug_exit", "Debug exit (port F4h)"},
        {"memory", "Memory map"},
        {"ports", "I/O port map"},
        {"irq_lines", "IRQ lines"},
    };
    if (const auto it = kTitles.find(d); it != kTitles.end()) return it->second;
    if (d.rfind("com", 0) == 0) return "UART " + d + " (16550A)";
    if (d.rfind("ide", 0) == 0 || d == "primary" || d == "secondary") return "IDE " + d;
    return d;
}

namespace {

ImU32 rgb(std::uint8_t r, std::uint8_t g, std::uint8_t b) { return IM_COL32(r, g, b, 255); }

class DevicePane final : public Pane {
public:
    DevicePane(const std::string& device, int index)
        : Pane("dev." + device, device_title(device)), device_(device), index_(index) {}
    ImVec2 default_pos() const override { return {220.0f + 28.0f * static_cast<float>(index_ % 12), 90.0f + 28.0f * static_cast<float>(index_ % 12)}; }
    ImVec2 default_size() const override { return {460, 460}; }

    void draw(UiContext& ui) override {
        const StateNode* node = ui.frame.tree.find(device_);
        if (!node) {
            ImGui::TextColored(dim_colour(), "This machine has no %s.", device_.c_str());
            return;
        }
        now_frame_ = ui.frame.frame_number;
        if (ui.frame.generation != generation_) {
            generation_ = ui.frame.generation;
            seen_.clear();
            for (auto& h : out_history_) h.clear();
        }
        if (device_ == "pic") draw_pic(ui, *node);
        else if (device_ == "pit") draw_pit(ui, *node);
        else if (device_ == "vga") draw_vga(ui, *node);
        else if (device_ == "post_code") draw_post(ui, *node);
        ImGui::Separator();
        ImGui::BeginChild("fields");
        draw_group(ui, *node, 0);
        ImGui::EndChild();
    }

private:
    // ---- Generic: every field, recursively ----
    bool changed(const StateNode& n) {
        auto [it, inserted] = seen_.try_emplace(n.path, Seen{n.value, 0});
        if (inserted) return false;
        if (it->second.value != n.value) {
            it->second.value = n.value;
            it->second.changed_frame = now_frame_;
        }
        return it->second.changed_frame != 0 && now_frame_ - it->second.changed_frame < 60;
    }

    static std::string probe_key(const StateNode& n) {
        // "machine.pic.master.imr" -> "dev.pic.master.imr"
        const std::string& p = n.path;
        const std::size_t dot = p.find('.');
        return "dev." + (dot == std::string::npos ? p : p.substr(dot + 1));
    }

    void draw_group(UiContext& ui, const StateNode& g, int depth) {
        bool any_field = false;
        for (const StateNode& c : g.children)
            any_field |= c.kind == StateNode::Kind::Field || c.kind == StateNode::Kind::Text;
        if (any_field && ImGui::BeginTable("f", 3, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
            for (const StateNode& c : g.children) {
                if (c.kind == StateNode::Kind::Text) {
                    ImGui::TableNextColumn();
                    ImGui::TextColored(dim_colour(), "%s", c.name.c_str());
                    ImGui::TableNextColumn();
                    probe_text(ui, probe_key(c), c.text);
                    ImGui::TableNextColumn();
                    continue;
                }
                if (c.kind != StateNode::Kind::Field) continue;
                ImGui::TableNextColumn();
                ImGui::TextColored(dim_colour(), "%s", c.name.c_str());
                tooltip(c.description);
                ImGui::TableNextColumn();
                const std::string h = c.value == ~0ull && c.bits == 64 ? "none" : format_field_hex(c);
                probe_text(ui, probe_key(c), h, changed(c));
                tooltip(c.description);
                ImGui::TableNextColumn();
                if (c.bits > 1 && c.value != ~0ull) ImGui::TextColored(dim_colour(), "%llu", static_cast<unsigned long long>(c.value));
            }
            ImGui::EndTable();
        }
        for (const StateNode& c : g.children) {
            if (c.kind == StateNode::Kind::Bytes) {
                ImGui::PushID(c.path.c_str());
                const std::string label = c.name + " (" + std::to_string(c.size) + " bytes)";
                if (ImGui::TreeNode(label.c_str())) {
                    draw_bytes(c);
                    ImGui::TreePop();
                }
                ImGui::PopID();
            } else if (c.kind == StateNode::Kind::Group) {
                ImGui::PushID(c.path.c_str());
                const bool open = ImGui::TreeNodeEx(c.name.c_str(), depth < 1 ? ImGuiTreeNodeFlags_DefaultOpen : 0);
                if (open) {
                    draw_group(ui, c, depth + 1);
                    ImGui::TreePop();
                } else {
                    record_probes(ui, c);
                }
                ImGui::PopID();
            }
        }
    }

    // Closed groups still tell the probe what they hold.
    void record_probes(UiContext& ui, const StateNode& g) {
        for (const StateNode& c : g.children) {
            if (c.kind == StateNode::Kind::Field) ui.probe.set(probe_key(c), format_field_hex(c));
            else if (c.kind == StateNode::Kind::Group) record_probes(ui, c);
        }
    }

    static void draw_bytes(const StateNode& b) {
        if (b.data.empty()) {
            ImGui::TextColored(dim_colour(), "(not copied: %llu bytes; see the memory pane)",
                               static_cast<unsigned long long>(b.size));
            return;
        }
        const std::size_t rows = (b.data.size() + 15) / 16;
        for (std::size_t r = 0; r < rows && r < 256; ++r) {
            std::string line = hex(b.data_offset + r * 16, 4) + ": ";
            for (std::size_t c = 0; c < 16 && r * 16 + c < b.data.size(); ++c) line += hex(b.data[r * 16 + c], 2) + " ";
            ImGui::TextUnformatted(line.c_str());
        }
    }

    // ---- PIC: IRR / ISR / IMR per line ----
    void draw_pic(UiContext& ui, const StateNode& pic) {
        if (!ImGui::BeginTable("lines", 10, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Borders)) return;
        ImGui::TableSetupColumn("chip");
        ImGui::TableSetupColumn("reg");
        for (int i = 0; i < 8; ++i) ImGui::TableSetupColumn(("IR" + std::to_string(i)).c_str());
        ImGui::TableHeadersRow();
        for (const char* chip : {"master", "slave"}) {
            const StateNode* c = pic.find(chip);
            if (!c) continue;
            const unsigned base_irq = std::string(chip) == "master" ? 0 : 8;
            for (const char* reg : {"irr", "isr", "imr"}) {
                const std::uint64_t v = c->field_or(reg, 0);
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextColored(dim_colour(), "%s", reg == std::string("irr") ? chip : "");
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(reg);
                for (unsigned bit = 0; bit < 8; ++bit) {
                    ImGui::TableNextColumn();
                    const bool on = (v >> bit) & 1;
                    if (on)
                        ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg,
                                               reg == std::string("imr") ? rgb(110, 110, 110) : rgb(200, 90, 30));
                    ImGui::Text("%s", on ? "1" : "0");
                    tooltip("IRQ" + std::to_string(base_irq + bit));
                }
            }
            ui.probe.set(std::string("pic.") + chip + ".vector_base", hex(c->field_or("icw2", 0) & 0xF8, 2));
        }
        ImGui::EndTable();
        const StateNode* m = pic.find("master");
        const StateNode* s = pic.find("slave");
        ImGui::Text("vectors: IRQ0-7 -> %sh, IRQ8-15 -> %sh", hex(m ? m->field_or("icw2", 0) & 0xF8 : 0, 2).c_str(),
                    hex(s ? s->field_or("icw2", 0) & 0xF8 : 0, 2).c_str());
    }

    // ---- PIT: per channel, and a plot of each OUT sampled per frame ----
    void draw_pit(UiContext& ui, const StateNode& pit) {
        static constexpr std::uint64_t kPitHz = 1'193'182;  // 14.31818 MHz / 12 (IBM PC/AT Technical Reference)
        for (int n = 0; n < 3; ++n) {
            const StateNode* c = pit.find("counter" + std::to_string(n));
            if (!c) continue;
            const unsigned out = static_cast<unsigned>(c->field_or("out", 0));
            if (ui.frame.state == RunState::Running || out_history_[n].empty() ||
                out_history_[n].back() != static_cast<float>(out)) {
                out_history_[n].push_back(static_cast<float>(out));
                if (out_history_[n].size() > 240) out_history_[n].erase(out_history_[n].begin());
            }
            const std::uint64_t cr = c->field_or("cr", 0);
            const std::uint64_t count = cr == 0 ? 65536 : cr;
            ImGui::Text("ch%d mode %llu  CR %s  CE %s  OUT %u  GATE %llu", n,
                        static_cast<unsigned long long>(c->field_or("mode", 0)), hex(cr, 4).c_str(),
                        hex(c->field_or("ce", 0), 4).c_str(), out,
                        static_cast<unsigned long long>(c->field_or("gate", 0)));
            if (c->field_or("programmed", 0)) {
                ImGui::SameLine();
                ImGui::TextColored(dim_colour(), " %.2f Hz", static_cast<double>(kPitHz) / static_cast<double>(count));
            }
            ImGui::PlotLines(("##out" + std::to_string(n)).c_str(), out_history_[n].data(),
                             static_cast<int>(out_history_[n].size()), 0, nullptr, -0.2f, 1.2f,
                             ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 1.8f));
            ui.probe.set("pit.ch" + std::to_string(n) + ".out", std::to_string(out));
        }
        ImGui::TextColored(dim_colour(), "OUT plots: one sample per GUI frame.");
    }

    // ---- VGA: palette and font ----
    void draw_vga(UiContext&, const StateNode& vga) {
        if (const StateNode* pal = vga.find("dac.palette"); pal && pal->data.size() >= 768 &&
                                                            ImGui::TreeNodeEx("palette (DAC)", ImGuiTreeNodeFlags_DefaultOpen)) {
            const bool dac8 = (vga.field_or("vbe.enable", 0) & 0x20) != 0;
            const float cell = ImGui::GetFontSize() * 0.9f;
            ImDrawList* dl = ImGui::GetWindowDrawList();
            const ImVec2 o = ImGui::GetCursorScreenPos();
            for (int i = 0; i < 256; ++i) {
                auto level = [&](int k) {
                    const unsigned v = pal->data[static_cast<std::size_t>(i) * 3 + static_cast<std::size_t>(k)];
                    return static_cast<std::uint8_t>(dac8 ? v : (v & 63) * 255 / 63);
                };
                const ImVec2 p(o.x + static_cast<float>(i % 32) * cell, o.y + static_cast<float>(i / 32) * cell);
                dl->AddRectFilled(p, ImVec2(p.x + cell - 1, p.y + cell - 1), rgb(level(0), level(1), level(2)));
            }
            ImGui::Dummy(ImVec2(cell * 32, cell * 8));
            ImGui::TreePop();
        }
        if (const StateNode* vram = vga.find("vram"); vram && vram->data_offset == 2u * (4u << 20) &&
                                                       vram->data.size() >= 8192 && ImGui::TreeNode("font (plane 2)")) {
            // The character generator: 256 glyphs of 32 bytes each, one bit per dot, 8 dots wide
            // (IBM VGA: plane 2 holds the font; the Character Map Select picks which 8 KiB).
            const unsigned height = static_cast<unsigned>((vga.field_or("crtc.max_scan_line", 15) & 0x1F) + 1);
            const float dot = std::max(1.0f, ImGui::GetFontSize() / 12.0f);
            ImDrawList* dl = ImGui::GetWindowDrawList();
            const ImVec2 o = ImGui::GetCursorScreenPos();
            const ImU32 ink = ImGui::GetColorU32(ImGuiCol_Text);
            for (unsigned ch = 0; ch < 256; ++ch) {
                const float gx = o.x + static_cast<float>(ch % 32) * 9 * dot;
                const float gy = o.y + static_cast<float>(ch / 32) * (static_cast<float>(height) + 1) * dot;
                for (unsigned y = 0; y < height && y < 32; ++y) {
                    const std::uint8_t bits = vram->data[ch * 32 + y];
                    for (unsigned x = 0; x < 8; ++x)
                        if (bits & (0x80 >> x))
                            dl->AddRectFilled(ImVec2(gx + static_cast<float>(x) * dot, gy + static_cast<float>(y) * dot),
                                              ImVec2(gx + static_cast<float>(x + 1) * dot, gy + static_cast<float>(y + 1) * dot), ink);
                }
            }
            ImGui::Dummy(ImVec2(32 * 9 * dot, 8 * (static_cast<float>(height) + 1) * dot));
            ImGui::TreePop();
        }
    }

    // ---- POST code: the last byte written to port 80h, large ----
    void draw_post(UiContext& ui, const StateNode& post) {
        const StateNode* last = nullptr;
        for (const StateNode& c : post.children)
            if (c.kind == StateNode::Kind::Field && !last) last = &c;
        if (!last) return;
        ImGui::SetWindowFontScale(3.0f);
        const std::string code = hex(last->value, 2);
        ImGui::TextColored(accent_colour(), "%s", code.c_str());
        ImGui::SetWindowFontScale(1.0f);
        ui.probe.set("post_code.display", code);
    }

    struct Seen {
        std::uint64_t value = 0;
        std::uint64_t changed_frame = 0;
    };
    std::string device_;
    int index_ = 0;
    std::uint64_t now_frame_ = 0;
    std::uint64_t generation_ = ~0ull;
    std::unordered_map<std::string, Seen> seen_{};
    std::array<std::vector<float>, 3> out_history_{};
};

}  // namespace

std::unique_ptr<Pane> make_device_pane(const std::string& device, int index) {
    return std::make_unique<DevicePane>(device, index);
}

}  // namespace lantern::gui
