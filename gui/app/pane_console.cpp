// The consoles: the debug console (port E9h, what the demo and the test ROMs print) and COM1 in
// and out (the 16550A's far end: what the guest transmits, and a line to type into it).
#include "gui/app/machine_parts.h"
#include "gui/app/panes.h"

namespace lantern::gui {

namespace {

std::string last_line(const std::string& text) {
    std::size_t end = text.size();
    while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r')) --end;
    const std::size_t start = text.rfind('\n', end == 0 ? 0 : end - 1);
    return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1));
}

class ConsolePane final : public Pane {
public:
    ConsolePane() : Pane("console", "Consoles") {}
    ImVec2 default_pos() const override { return {4, 822}; }
    ImVec2 default_size() const override { return {752, 156}; }

    void gather(MachineInspector&, Session& s, const FrameData&) override {
        if (s.debugcon.total() != debugcon_total_) {
            debugcon_ = s.debugcon.text();
            debugcon_total_ = s.debugcon.total();
        }
        if (s.serial_out.total() != serial_total_) {
            serial_ = s.serial_out.text();
            serial_total_ = s.serial_out.total();
        }
        has_uart_ = find_uart(*s.machine, 0) != nullptr;
    }

    void draw(UiContext& ui) override {
        ui.probe.set("console.debugcon.last_line", last_line(debugcon_));
        ui.probe.set("console.com1.last_line", last_line(serial_));
        if (!ImGui::BeginTabBar("consoles")) return;
        if (ImGui::BeginTabItem("Debug console (E9h)")) {
            text_box("debugcon", debugcon_);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("COM1")) {
            if (!has_uart_) {
                ImGui::TextColored(dim_colour(), "This board has no UART yet.");
            } else {
                ImGui::SetNextItemWidth(-ImGui::GetFontSize() * 8);
                bool send = ImGui::InputText("##in", input_, sizeof input_, ImGuiInputTextFlags_EnterReturnsTrue);
                ImGui::SameLine();
                send |= ImGui::Button("Send + CR");
                if (send) {
                    std::string bytes = input_;
                    bytes += '\r';
                    ui.host.serial_input(bytes);
                    input_[0] = '\0';
                }
                text_box("com1", serial_);
            }
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }

private:
    static void text_box(const char* id, const std::string& text) {
        ImGui::BeginChild(id, ImVec2(0, 0), true, ImGuiWindowFlags_HorizontalScrollbar);
        ImGui::TextUnformatted(text.c_str(), text.c_str() + text.size());
        if (ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 4) ImGui::SetScrollHereY(1.0f);
        ImGui::EndChild();
    }

    std::string debugcon_{}, serial_{};
    std::uint64_t debugcon_total_ = ~0ull, serial_total_ = ~0ull;
    bool has_uart_ = false;
    char input_[256] = "";
};

// ---- Settings: the machine (CPU model, memory, clock) and the app (theme, zoom, speed) ----

class SettingsPane final : public Pane {
public:
    SettingsPane() : Pane("settings", "Settings") {}
    ImVec2 default_pos() const override { return {420, 200}; }
    ImVec2 default_size() const override { return {460, 420}; }

    void gather(MachineInspector&, Session& s, const FrameData&) override {
        if (!loaded_) {
            config_ = s.config;
            mhz_ = static_cast<float>(static_cast<double>(s.config.cpu_freq_hz) / 1e6);
            memory_ = static_cast<int>(s.config.memory_mib);
            loaded_ = true;
        }
    }

    void draw(UiContext& ui) override {
        ImGui::TextColored(accent_colour(), "Machine");
        ImGui::TextColored(dim_colour(), "Applying builds a new machine (RAM and breakpoints start afresh).");
        static constexpr CpuModel kModels[] = {CpuModel::I8086, CpuModel::I80186, CpuModel::I80286, CpuModel::I80386,
                                               CpuModel::I80486, CpuModel::Pentium, CpuModel::P6};
        if (ImGui::BeginCombo("CPU model", std::string(cpu_model_name(config_.cpu_model)).c_str())) {
            for (CpuModel m : kModels) {
                if (!is_supported(m)) continue;
                if (ImGui::Selectable(std::string(cpu_model_name(m)).c_str(), m == config_.cpu_model)) {
                    config_.cpu_model = m;
                    memory_ = static_cast<int>(default_memory_mib(m));
                    mhz_ = static_cast<float>(static_cast<double>(default_cpu_freq_hz(m)) / 1e6);
                }
            }
            ImGui::EndCombo();
        }
        ImGui::InputInt("memory (MiB)", &memory_);
        ImGui::InputFloat("clock (MHz)", &mhz_, 0.5f, 5.0f, "%.3f");
        if (ImGui::Button("Apply and power on")) {
            MachineConfig c = config_;
            c.memory_mib = static_cast<std::uint32_t>(std::max(1, memory_));
            c.cpu_freq_hz = static_cast<std::uint64_t>(std::max(0.001f, mhz_) * 1e6);
            ui.host.reconfigure(c);
            loaded_ = false;
        }
        ImGui::Separator();
        ImGui::TextColored(accent_colour(), "Speed");
        int mode = static_cast<int>(ui.frame.speed.mode);
        bool changed = ImGui::RadioButton("real time at the model's clock", &mode, 0);
        changed |= ImGui::RadioButton("a chosen clock", &mode, 1);
        ImGui::SameLine();
        float khz = static_cast<float>(ui.frame.speed.fixed_khz) / 1000.0f;
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
        changed |= ImGui::SliderFloat("MHz", &khz, 0.01f, 100.0f, "%.2f", ImGuiSliderFlags_Logarithmic);
        changed |= ImGui::RadioButton("as fast as possible", &mode, 2);
        if (changed) {
            SpeedSetting sp;
            sp.mode = static_cast<SpeedMode>(mode);
            sp.fixed_khz = static_cast<std::uint64_t>(std::max(0.01f, khz) * 1000.0f);
            ui.host.set_speed(sp);
        }
        ImGui::Separator();
        ImGui::TextColored(accent_colour(), "Classroom");
        ImGui::SliderFloat("zoom", &ui.settings.zoom, 0.75f, 3.0f, "%.2f");
        tooltip("Font size for projectors; applied when the mouse is released.");
        int theme = ui.settings.light_theme ? 1 : 0;
        ImGui::RadioButton("dark", &theme, 0);
        ImGui::SameLine();
        ImGui::RadioButton("light", &theme, 1);
        ui.settings.light_theme = theme == 1;
        int scale = static_cast<int>(ui.settings.screen_scale);
        if (ImGui::SliderInt("screen scale", &scale, 0, 4, scale == 0 ? "fit" : "%dx"))
            ui.settings.screen_scale = static_cast<unsigned>(scale);
    }

private:
    MachineConfig config_{};
    bool loaded_ = false;
    int memory_ = 1;
    float mhz_ = 4.77f;
};

}  // namespace

std::unique_ptr<Pane> make_console_pane() { return std::make_unique<ConsolePane>(); }
std::unique_ptr<Pane> make_settings_pane() { return std::make_unique<SettingsPane>(); }

}  // namespace lantern::gui
