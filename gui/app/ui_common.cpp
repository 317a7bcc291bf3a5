#include "gui/app/ui_common.h"

#include <cstdio>

#include "cpu/cpu_model.h"

namespace lantern::gui {

std::string hex(std::uint64_t value, int digits) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%0*llX", digits, static_cast<unsigned long long>(value));
    return buf;
}

std::string seg_off(std::uint16_t seg, std::uint32_t off, bool wide) {
    return hex(seg, 4) + ":" + hex(off, wide ? 8 : 4);
}

std::string virtual_time_text(Cycles cycles, std::uint64_t freq_hz) {
    if (freq_hz == 0) return "?";
    const Cycles whole = cycles / freq_hz;
    const Cycles rest = cycles % freq_hz;
    // Microseconds, exact in integers: rest * 1e6 / f (rest < f < 2^40, so no overflow).
    const std::uint64_t micros = static_cast<std::uint64_t>((static_cast<unsigned __int128>(rest) * 1'000'000) / freq_hz);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%llu.%06llu s", static_cast<unsigned long long>(whole),
                  static_cast<unsigned long long>(micros));
    return buf;
}

std::string mode_text(const CpuState& s, CpuModel model) {
    std::string mode;
    if (!(s.cr[0] & cr0::PE)) mode = "real mode";
    else if (s.eflags & flag::VM) mode = "virtual-8086 mode";
    else mode = "protected mode";
    mode += code32(s) ? ", 32-bit code" : ", 16-bit code";
    if (s.cr[0] & cr0::PG) mode += ", paging";
    if (s.shutdown) mode += ", SHUTDOWN";
    else if (s.halted) mode += ", halted";
    (void)model;
    return mode;
}

ImVec4 changed_colour() {
    const bool light = ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x > 0.5f;
    return light ? ImVec4(0.80f, 0.10f, 0.05f, 1.0f) : ImVec4(1.0f, 0.45f, 0.30f, 1.0f);
}

ImVec4 dim_colour() { return ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]; }

ImVec4 accent_colour() {
    const bool light = ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x > 0.5f;
    return light ? ImVec4(0.05f, 0.35f, 0.75f, 1.0f) : ImVec4(0.45f, 0.75f, 1.0f, 1.0f);
}

void probe_text(UiContext& ui, const std::string& key, const std::string& text, bool changed) {
    if (changed) ImGui::TextColored(changed_colour(), "%s", text.c_str());
    else ImGui::TextUnformatted(text.c_str());
    ui.probe.set(key, text);
}

void tooltip(std::string_view text) {
    if (!text.empty() && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        ImGui::TextUnformatted(text.data(), text.data() + text.size());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

void apply_theme(const UiSettings& s) {
    ImGuiStyle style;
    if (s.light_theme) ImGui::StyleColorsLight(&style);
    else ImGui::StyleColorsDark(&style);
    style.WindowRounding = 3.0f;
    style.FrameRounding = 2.0f;
    style.ScaleAllSizes(s.zoom);
    ImGui::GetStyle() = style;
}

}  // namespace lantern::gui
