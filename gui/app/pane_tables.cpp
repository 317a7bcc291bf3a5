// Descriptor tables (GDT, LDT, IDT, decoded entry by entry; the real-mode interrupt vector table)
// and the page walk of a linear address (directory entry -> table entry -> physical).
#include <cstdlib>

#include "cpu/interpreter.h"
#include "gui/app/panes.h"

namespace lantern::gui {

namespace {

std::string system_type_name(unsigned type) {
    // SDM Vol. 3, Table 3-2 (system-segment and gate types); 286 types are 1-7.
    static constexpr const char* kNames[16] = {
        "reserved",        "16-bit TSS (avail)", "LDT",          "16-bit TSS (busy)",
        "16-bit call gate", "task gate",         "16-bit int gate", "16-bit trap gate",
        "reserved",        "32-bit TSS (avail)", "reserved",     "32-bit TSS (busy)",
        "32-bit call gate", "reserved",          "32-bit int gate", "32-bit trap gate"};
    return kNames[type & 15];
}

struct Row {
    std::string index, raw, base, limit, type, dpl, present;
};

Row describe_descriptor(unsigned index, std::uint32_t lo, std::uint32_t hi) {
    const Descriptor d = Interpreter::parse_descriptor(lo, hi);
    Row r;
    r.index = hex(index * 8, 4);
    r.raw = hex(hi, 8);
    r.raw += ' ';  // appended: GCC 12 warns falsely (-Wrestrict) on `a + " " + b`
    r.raw += hex(lo, 8);
    r.dpl = std::to_string(d.dpl());
    r.present.assign(1, d.present() ? 'P' : '-');
    if (d.is_system()) {
        r.type = system_type_name(d.type());
        const unsigned t = d.type() & 7;
        if (t == 4 || t == 5 || t == 6 || t == 7) {  // gates: selector:offset
            r.base = hex(d.gate_selector, 4) + ":" + hex(d.gate_offset, (d.type() & 8) ? 8 : 4);
            r.limit = t == 4 ? std::to_string(d.gate_params) + " params" : "";
        } else {
            r.base = hex(d.base, 8);
            r.limit = hex(d.limit, 8);
        }
    } else {
        r.base = hex(d.base, 8);
        r.limit = hex(d.limit, 8);
        r.type = d.is_code() ? "code" : "data";
        if (d.is_code()) r.type += (d.access & seg_attr::Readable) ? " RX" : " X";
        else r.type += (d.access & seg_attr::Writable) ? " RW" : " R";
        if (d.access & seg_attr::DB) r.type += " 32";
        if (d.access & seg_attr::Accessed) r.type += " A";
    }
    return r;
}

class TablesPane final : public Pane {
public:
    TablesPane() : Pane("tables", "Descriptor tables") {}
    ImVec2 default_pos() const override { return {300, 120}; }
    ImVec2 default_size() const override { return {640, 420}; }

    void gather(MachineInspector& m, Session&, const FrameData& f) override {
        const CpuState& s = f.cpu;
        real_mode_ = !(s.cr[0] & cr0::PE);
        has_tables_ = f.config.cpu_model >= CpuModel::I80286;
        auto read_table = [&](std::uint32_t base, std::uint32_t limit, std::vector<Row>& out, bool skip_null) {
            out.clear();
            const unsigned count = std::min<unsigned>((limit + 1) / 8, kMaxEntries);
            for (unsigned i = 0; i < count; ++i) {
                std::uint32_t w[2] = {0, 0};
                bool ok = true;
                for (unsigned k = 0; k < 8; ++k) {
                    const auto b = m.peek_linear(base + i * 8 + k);
                    if (!b) ok = false;
                    else w[k / 4] |= std::uint32_t{*b} << (8 * (k % 4));
                }
                if (!ok) break;
                if (skip_null && i == 0) {
                    Row r;
                    r.index = "0000";
                    r.raw = hex(w[1], 8) + " " + hex(w[0], 8);
                    r.type = "null descriptor";
                    out.push_back(r);
                    continue;
                }
                out.push_back(describe_descriptor(i, w[0], w[1]));
            }
        };
        gdt_.clear();
        ldt_.clear();
        if (has_tables_) read_table(s.gdtr.base, s.gdtr.limit, gdt_, true);
        if (has_tables_ && (s.ldtr.selector & ~3u)) read_table(s.ldtr.base, s.ldtr.limit, ldt_, false);
        ivt_.clear();
        idt_.clear();
        if (real_mode_) {
            // Real mode: the IDTR points at 4-byte offset:segment vectors (8086 User's Manual,
            // "Interrupts"; on the 8086 always at 0).
            const unsigned count = std::min<unsigned>((s.idtr.limit + 1) / 4, 256);
            for (unsigned v = 0; v < count; ++v) {
                std::uint32_t e = 0;
                for (unsigned k = 0; k < 4; ++k) {
                    const auto b = m.peek_linear(s.idtr.base + v * 4 + k);
                    e |= std::uint32_t{b ? *b : 0u} << (8 * k);
                }
                ivt_.push_back(e);
            }
        } else {
            read_table(s.idtr.base, s.idtr.limit, idt_, false);
        }
        gdtr_ = "GDTR " + hex(s.gdtr.base, 8) + " limit " + hex(s.gdtr.limit, 4);
        idtr_ = "IDTR " + hex(s.idtr.base, 8) + " limit " + hex(s.idtr.limit, 4);
        ldtr_ = "LDTR " + hex(s.ldtr.selector, 4) + " base " + hex(s.ldtr.base, 8) + " limit " + hex(s.ldtr.limit, 8);
    }

    void draw(UiContext& ui) override {
        if (!has_tables_) {
            // The 8086 has no descriptor tables: only the interrupt vector table at 0.
            ImGui::TextColored(dim_colour(), "The 8086 has no GDT, LDT or IDT: below is its interrupt vector table.");
        }
        if (!ImGui::BeginTabBar("tables")) return;
        if (has_tables_ && ImGui::BeginTabItem("GDT")) {
            ImGui::TextUnformatted(gdtr_.c_str());
            draw_rows(ui, "gdt", gdt_);
            ImGui::EndTabItem();
        }
        if (has_tables_ && ImGui::BeginTabItem("LDT")) {
            ImGui::TextUnformatted(ldtr_.c_str());
            if (ldt_.empty()) ImGui::TextColored(dim_colour(), "No LDT loaded (LDTR is null).");
            draw_rows(ui, "ldt", ldt_);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("IDT")) {
            ImGui::TextUnformatted(idtr_.c_str());
            if (real_mode_) {
                ImGui::TextColored(dim_colour(), "Real mode: the interrupt vector table (segment:offset per vector).");
                if (ImGui::BeginTable("ivt", 4, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY)) {
                    ImGui::TableSetupScrollFreeze(0, 1);
                    ImGui::TableSetupColumn("vector");
                    ImGui::TableSetupColumn("handler");
                    ImGui::TableSetupColumn("linear");
                    ImGui::TableSetupColumn("symbol", ImGuiTableColumnFlags_WidthStretch);
                    ImGui::TableHeadersRow();
                    for (std::size_t v = 0; v < ivt_.size(); ++v) {
                        const std::uint16_t off = static_cast<std::uint16_t>(ivt_[v]);
                        const std::uint16_t seg = static_cast<std::uint16_t>(ivt_[v] >> 16);
                        const std::uint32_t linear = (std::uint32_t{seg} << 4) + off;
                        ImGui::TableNextColumn();
                        ImGui::Text("%02Xh", static_cast<unsigned>(v));
                        ImGui::TableNextColumn();
                        const std::string h = seg_off(seg, off, false);
                        ImGui::TextUnformatted(h.c_str());
                        ui.probe.set("tables.ivt." + hex(v, 2), h);
                        ImGui::TableNextColumn();
                        ImGui::TextColored(dim_colour(), "%s", hex(linear, 5).c_str());
                        ImGui::TableNextColumn();
                        if (const Symbol* sym = ui.symbols.exact(linear))
                            ImGui::TextColored(accent_colour(), "%s", sym->name.c_str());
                    }
                    ImGui::EndTable();
                }
            } else {
                draw_rows(ui, "idt", idt_);
            }
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }

private:
    static void draw_rows(UiContext& ui, const std::string& table, const std::vector<Row>& rows) {
        if (!ImGui::BeginTable(table.c_str(), 7, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY))
            return;
        ImGui::TableSetupScrollFreeze(0, 1);
        for (const char* h : {"selector", "raw", "base / target", "limit", "type", "DPL", "P"}) ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        for (const Row& r : rows) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.index.c_str());
            ImGui::TableNextColumn();
            ImGui::TextColored(dim_colour(), "%s", r.raw.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.base.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.limit.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.type.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.dpl.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.present.c_str());
            ui.probe.set("tables." + table + "." + r.index, r.type + " " + r.base + " " + r.limit);
        }
        ImGui::EndTable();
    }

    static constexpr unsigned kMaxEntries = 512;
    bool real_mode_ = true;
    bool has_tables_ = false;
    std::vector<Row> gdt_{}, ldt_{}, idt_{};
    std::vector<std::uint32_t> ivt_{};
    std::string gdtr_{}, idtr_{}, ldtr_{};
};

// ---- Paging ----

std::string pte_flags(std::uint32_t e, bool directory) {
    // SDM Vol. 3, 4.3: P R/W U/S PWT PCD A D PS(directory)/PAT G
    std::string f;
    f += (e & 0x001) ? "P " : "- ";
    f += (e & 0x002) ? "RW " : "RO ";
    f += (e & 0x004) ? "U " : "S ";
    if (e & 0x008) f += "PWT ";
    if (e & 0x010) f += "PCD ";
    if (e & 0x020) f += "A ";
    if (e & 0x040) f += "D ";
    if (directory && (e & 0x080)) f += "PS(4M) ";
    if (e & 0x100) f += "G ";
    return f;
}

class PagingPane final : public Pane {
public:
    PagingPane() : Pane("paging", "Page walk") {}
    ImVec2 default_pos() const override { return {340, 160}; }
    ImVec2 default_size() const override { return {520, 300}; }

    void gather(MachineInspector& m, Session&, const FrameData& f) override {
        const CpuState& s = f.cpu;
        if (follow_ip_) linear_ = current_linear_ip(s);
        lines_.clear();
        paging_ = (s.cr[0] & cr0::PG) != 0;
        lines_.push_back("linear address " + hex(linear_, 8));
        if (!paging_) {
            lines_.push_back("CR0.PG = 0: paging is off, physical = linear (within the address lines and A20)");
            const auto phys = m.translate(linear_);
            result_ = phys ? hex(*phys, 8) : "-";
            return;
        }
        const std::uint32_t cr3 = s.cr[3];
        const unsigned dir = linear_ >> 22, table = (linear_ >> 12) & 0x3FF, offset = linear_ & 0xFFF;
        lines_.push_back("split: directory " + std::to_string(dir) + ", table " + std::to_string(table) +
                         ", offset " + hex(offset, 3));
        const std::uint32_t pde_addr = (cr3 & 0xFFFFF000u) + dir * 4;
        const std::uint32_t pde = m.peek_physical32(pde_addr);
        lines_.push_back("CR3 " + hex(cr3, 8) + " -> directory entry at " + hex(pde_addr, 8) + " = " + hex(pde, 8) +
                         "  [" + pte_flags(pde, true) + "]");
        if (!(pde & 1)) {
            result_ = "not present (a #PF on access)";
            return;
        }
        if ((pde & 0x80) && (s.cr[4] & cr4::PSE)) {
            result_ = hex((pde & 0xFFC00000u) | (linear_ & 0x3FFFFFu), 8) + " (4 MiB page)";
            return;
        }
        const std::uint32_t pte_addr = (pde & 0xFFFFF000u) + table * 4;
        const std::uint32_t pte = m.peek_physical32(pte_addr);
        lines_.push_back("table entry at " + hex(pte_addr, 8) + " = " + hex(pte, 8) + "  [" + pte_flags(pte, false) + "]");
        if (!(pte & 1)) {
            result_ = "not present (a #PF on access)";
            return;
        }
        result_ = hex((pte & 0xFFFFF000u) | offset, 8);
    }

    void draw(UiContext& ui) override {
        ImGui::Checkbox("follow CS:EIP", &follow_ip_);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
        if (ImGui::InputText("linear", text_, sizeof text_, ImGuiInputTextFlags_CharsHexadecimal | ImGuiInputTextFlags_EnterReturnsTrue)) {
            linear_ = static_cast<std::uint32_t>(std::strtoul(text_, nullptr, 16));
            follow_ip_ = false;
        }
        for (const std::string& l : lines_) ImGui::TextUnformatted(l.c_str());
        ImGui::Text("physical:");
        ImGui::SameLine();
        probe_text(ui, "paging.physical", result_);
    }

private:
    bool follow_ip_ = true;
    bool paging_ = false;
    std::uint32_t linear_ = 0;
    std::vector<std::string> lines_{};
    std::string result_{};
    char text_[16] = "";
};

}  // namespace

std::unique_ptr<Pane> make_tables_pane() { return std::make_unique<TablesPane>(); }
std::unique_ptr<Pane> make_paging_pane() { return std::make_unique<PagingPane>(); }

}  // namespace lantern::gui
