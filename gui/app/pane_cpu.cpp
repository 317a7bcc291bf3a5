// The CPU pane: every register the model has, the flags bit by bit, the segment descriptor
// caches, the system registers and the FPU; what the last step or run changed is highlighted.
#include <cmath>
#include <cstdio>

#include "cpu/cpu_model.h"
#include "gui/app/panes.h"

namespace lantern::gui {

namespace {

constexpr const char* kReg16[8] = {"AX", "CX", "DX", "BX", "SP", "BP", "SI", "DI"};
constexpr const char* kReg32[8] = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
constexpr const char* kSegNames[kSegCount] = {"ES", "CS", "SS", "DS", "FS", "GS"};
// Display order: AX BX CX DX SP BP SI DI.
constexpr int kRegOrder[8] = {0, 3, 1, 2, 4, 5, 6, 7};

struct FlagBit {
    const char* name;
    unsigned bit;
    const char* help;
    CpuModel since;
};
constexpr FlagBit kFlags[] = {
    {"CF", 0, "carry", CpuModel::I8086},       {"PF", 2, "parity (even)", CpuModel::I8086},
    {"AF", 4, "auxiliary carry (BCD)", CpuModel::I8086}, {"ZF", 6, "zero", CpuModel::I8086},
    {"SF", 7, "sign", CpuModel::I8086},        {"TF", 8, "trap: single-step", CpuModel::I8086},
    {"IF", 9, "interrupts enabled", CpuModel::I8086}, {"DF", 10, "direction: string ops go down", CpuModel::I8086},
    {"OF", 11, "overflow", CpuModel::I8086},   {"NT", 14, "nested task", CpuModel::I80286},
    {"RF", 16, "resume (debug faults)", CpuModel::I80386}, {"VM", 17, "virtual-8086 mode", CpuModel::I80386},
    {"AC", 18, "alignment check", CpuModel::I80486}, {"ID", 21, "CPUID available", CpuModel::Pentium},
};

std::string segment_type(std::uint16_t access) {
    if (!(access & seg_attr::Present)) return "not present";
    if (!(access & seg_attr::S)) return "system " + hex(access & 0xF, 1);
    std::string t = (access & seg_attr::Code) ? "code" : "data";
    if (access & seg_attr::Code) {
        if (access & seg_attr::Readable) t += " R";
        if (access & seg_attr::Conforming) t += " C";
    } else {
        t += (access & seg_attr::Writable) ? " RW" : " RO";
        if (access & seg_attr::ExpandDown) t += " down";
    }
    if (access & seg_attr::DB) t += " 32";
    return t;
}

std::string float80_text(const fpu::Float80& f) {
    const unsigned e = f.exponent();
    if (e == 0x7FFF) {
        if ((f.significand << 1) == 0) return f.sign() ? "-inf" : "+inf";
        return "NaN";
    }
    if (e == 0 && f.significand == 0) return f.sign() ? "-0" : "0";
    const long double v = std::ldexp(static_cast<long double>(f.significand), static_cast<int>(e) - 16383 - 63);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.17Lg", f.sign() ? -v : v);
    return buf;
}

class CpuPane final : public Pane {
public:
    CpuPane() : Pane("cpu", "CPU") {}
    ImVec2 default_pos() const override { return {760, 44}; }
    ImVec2 default_size() const override { return {430, 600}; }

    void draw(UiContext& ui) override {
        const FrameData& f = ui.frame;
        const CpuState& s = f.cpu;
        const CpuState& b = f.cpu_before;
        const CpuModel model = f.config.cpu_model;
        const bool wide = model >= CpuModel::I80386;

        ImGui::TextColored(accent_colour(), "%s", std::string(cpu_model_name(model)).c_str());
        ImGui::SameLine();
        probe_text(ui, "cpu.mode", mode_text(s, model));
        ImGui::Text("cycles");
        ImGui::SameLine();
        probe_text(ui, "cpu.cycles", std::to_string(s.cycles), s.cycles != b.cycles);
        ImGui::SameLine();
        ImGui::Text(" time");
        ImGui::SameLine();
        probe_text(ui, "cpu.time", virtual_time_text(s.cycles, f.config.cpu_freq_hz));
        ImGui::Text("instructions");
        ImGui::SameLine();
        probe_text(ui, "cpu.instructions", std::to_string(s.instructions), s.instructions != b.instructions);
        ImGui::SameLine();
        ImGui::Text(" CPL %u", s.cpl);

        // ---- General registers ----
        if (ImGui::BeginTable("gpr", 4, ImGuiTableFlags_SizingFixedFit)) {
            for (int n = 0; n < 8; ++n) {
                const int r = kRegOrder[n];
                ImGui::TableNextColumn();
                ImGui::TextColored(dim_colour(), "%s", wide ? kReg32[r] : kReg16[r]);
                ImGui::TableNextColumn();
                const bool changed = s.gpr[r] != b.gpr[r];
                if (wide) {
                    probe_text(ui, std::string("cpu.") + kReg32[r], hex(s.gpr[r], 8), changed);
                    ui.probe.set(std::string("cpu.") + kReg16[r], hex(s.gpr[r] & 0xFFFF, 4));
                } else {
                    probe_text(ui, std::string("cpu.") + kReg16[r], hex(s.gpr[r] & 0xFFFF, 4),
                               (s.gpr[r] & 0xFFFF) != (b.gpr[r] & 0xFFFF));
                }
            }
            ImGui::TableNextColumn();
            ImGui::TextColored(dim_colour(), wide ? "EIP" : "IP");
            ImGui::TableNextColumn();
            probe_text(ui, wide ? "cpu.EIP" : "cpu.IP", hex(wide ? s.eip : s.eip & 0xFFFF, wide ? 8 : 4), s.eip != b.eip);
            ImGui::TableNextColumn();
            ImGui::TextColored(dim_colour(), wide ? "EFLAGS" : "FLAGS");
            ImGui::TableNextColumn();
            probe_text(ui, "cpu.FLAGS", hex(wide ? s.eflags : s.eflags & 0xFFFF, wide ? 8 : 4), s.eflags != b.eflags);
            ImGui::EndTable();
        }

        // ---- Flags bit by bit ----
        if (ImGui::BeginTable("flags", 8, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_BordersInnerV)) {
            for (const FlagBit& fb : kFlags) {
                if (model < fb.since) continue;
                ImGui::TableNextColumn();
                const bool on = (s.eflags >> fb.bit) & 1;
                const bool changed = ((s.eflags ^ b.eflags) >> fb.bit) & 1;
                const std::string text = std::string(fb.name) + "=" + (on ? "1" : "0");
                if (changed) ImGui::TextColored(changed_colour(), "%s", text.c_str());
                else if (on) ImGui::TextUnformatted(text.c_str());
                else ImGui::TextColored(dim_colour(), "%s", text.c_str());
                tooltip(fb.help);
                ui.probe.set(std::string("cpu.flags.") + fb.name, on ? "1" : "0");
            }
            if (model >= CpuModel::I80286) {
                ImGui::TableNextColumn();
                const unsigned iopl = (s.eflags >> 12) & 3;
                ImGui::Text("IOPL=%u", iopl);
                tooltip("I/O privilege level");
                ui.probe.set("cpu.flags.IOPL", std::to_string(iopl));
            }
            ImGui::EndTable();
        }

        // ---- Segment registers and their descriptor caches ----
        ImGui::Separator();
        const int segs = model >= CpuModel::I80386 ? 6 : 4;
        if (ImGui::BeginTable("segs", 5, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
            ImGui::TableSetupColumn("seg");
            ImGui::TableSetupColumn("selector");
            ImGui::TableSetupColumn("base");
            ImGui::TableSetupColumn("limit");
            ImGui::TableSetupColumn("type / DPL");
            ImGui::TableHeadersRow();
            auto row = [&](const char* name, const SegmentCache& c, const SegmentCache& before) {
                ImGui::TableNextColumn();
                ImGui::TextColored(dim_colour(), "%s", name);
                ImGui::TableNextColumn();
                probe_text(ui, std::string("cpu.") + name, hex(c.selector, 4), c.selector != before.selector);
                ImGui::TableNextColumn();
                probe_text(ui, std::string("cpu.") + name + ".base", hex(c.base, wide ? 8 : 6), c.base != before.base);
                ImGui::TableNextColumn();
                probe_text(ui, std::string("cpu.") + name + ".limit", hex(c.limit, wide ? 8 : 4), c.limit != before.limit);
                ImGui::TableNextColumn();
                const std::string t = segment_type(c.access) + "  DPL " + std::to_string((c.access >> 5) & 3);
                probe_text(ui, std::string("cpu.") + name + ".type", t, c.access != before.access);
            };
            for (int i = 0; i < segs; ++i) row(kSegNames[i], s.seg[i], b.seg[i]);
            if (model >= CpuModel::I80286) {
                row("LDTR", s.ldtr, b.ldtr);
                row("TR", s.tr, b.tr);
            }
            ImGui::EndTable();
        }

        // ---- System registers ----
        if (model >= CpuModel::I80286 && ImGui::CollapsingHeader("System registers", ImGuiTreeNodeFlags_DefaultOpen)) {
            ImGui::Text("GDTR");
            ImGui::SameLine();
            probe_text(ui, "cpu.GDTR", hex(s.gdtr.base, wide ? 8 : 6) + " limit " + hex(s.gdtr.limit, 4),
                       s.gdtr != b.gdtr);
            ImGui::Text("IDTR");
            ImGui::SameLine();
            probe_text(ui, "cpu.IDTR", hex(s.idtr.base, wide ? 8 : 6) + " limit " + hex(s.idtr.limit, 4),
                       s.idtr != b.idtr);
            if (model == CpuModel::I80286) {
                ImGui::Text("MSW");
                ImGui::SameLine();
                probe_text(ui, "cpu.MSW", hex(s.cr[0] & 0xFFFF, 4), s.cr[0] != b.cr[0]);
                tooltip("machine status word: PE MP EM TS");
            } else {
                const char* names[5] = {"CR0", "CR1", "CR2", "CR3", "CR4"};
                for (int i : {0, 2, 3, 4}) {
                    if (i == 4 && model < CpuModel::Pentium) continue;
                    ImGui::Text("%s", names[i]);
                    ImGui::SameLine();
                    probe_text(ui, std::string("cpu.") + names[i], hex(s.cr[i], 8), s.cr[i] != b.cr[i]);
                    if (i != 4) ImGui::SameLine(0, 20);
                }
                const char* dnames[8] = {"DR0", "DR1", "DR2", "DR3", "DR4", "DR5", "DR6", "DR7"};
                for (int i : {0, 1, 2, 3, 6, 7}) {
                    ImGui::Text("%s", dnames[i]);
                    ImGui::SameLine();
                    probe_text(ui, std::string("cpu.") + dnames[i], hex(s.dr[i], 8), s.dr[i] != b.dr[i]);
                    if (i != 3 && i != 7) ImGui::SameLine(0, 20);
                }
            }
        }

        // ---- FPU ----
        if (ImGui::CollapsingHeader("FPU")) {
            if (model < CpuModel::I80386) {
                ImGui::TextColored(dim_colour(), "No x87 on this model in Lantern (the 8087/287 are not emulated).");
            } else {
                const fpu::FpuState& x = s.fpu;
                ImGui::Text("control %s  status %s  tags %s  TOP %u", hex(x.control, 4).c_str(), hex(x.status, 4).c_str(),
                            hex(x.tags, 4).c_str(), x.top());
                ui.probe.set("cpu.fpu.control", hex(x.control, 4));
                ui.probe.set("cpu.fpu.status", hex(x.status, 4));
                ImGui::Text("last instruction %s  operand %s  opcode %s",
                            seg_off(x.last_instruction.selector, x.last_instruction.offset, true).c_str(),
                            seg_off(x.last_operand.selector, x.last_operand.offset, true).c_str(),
                            hex(x.last_opcode, 3).c_str());
                if (ImGui::BeginTable("fpu", 4, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
                    static constexpr const char* kTag[4] = {"valid", "zero", "special", "empty"};
                    for (unsigned i = 0; i < 8; ++i) {
                        const unsigned phys = x.physical(i);
                        ImGui::TableNextColumn();
                        ImGui::Text("ST(%u)", i);
                        ImGui::TableNextColumn();
                        ImGui::TextColored(dim_colour(), "R%u %s", phys, kTag[static_cast<int>(x.tag(phys))]);
                        ImGui::TableNextColumn();
                        const fpu::Float80& r = x.regs[phys];
                        const bool changed = !(r == b.fpu.regs[phys]);
                        probe_text(ui, "cpu.fpu.ST" + std::to_string(i), float80_text(r), changed);
                        ImGui::TableNextColumn();
                        ImGui::TextColored(dim_colour(), "%s %s", hex(r.sign_exponent, 4).c_str(),
                                           hex(r.significand, 16).c_str());
                    }
                    ImGui::EndTable();
                }
            }
        }
    }
};

}  // namespace

std::unique_ptr<Pane> make_cpu_pane() { return std::make_unique<CpuPane>(); }

}  // namespace lantern::gui
