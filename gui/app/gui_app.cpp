#include "gui/app/gui_app.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <ostream>
#include <thread>

#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdl.h>
#include <imgui_impl_sdlrenderer.h>
#include <imgui_internal.h>  // ImGuiSettingsHandler: our settings live in ImGui's ini file

#include "cpu/interpreter.h"
#include "devices/vga/png_writer.h"
#include "gui/app/emulator_host.h"
#include "gui/app/gui_script.h"
#include "gui/app/pane_screen.h"
#include "gui/app/panes.h"
#include "bios/embedded_bios.h"
#include "assets/demo_disk/embedded_demo_disk.h"
#include "gui/demo_rom.h"

namespace lantern::gui {

bool display_available() {
    for (const char* var : {"DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"}) {
        const char* v = std::getenv(var);
        if (v && *v) return true;
    }
    return false;
}

namespace {

std::string default_settings_path() {
    namespace fs = std::filesystem;
    fs::path dir;
    if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) dir = fs::path(x) / "lantern";
    else if (const char* h = std::getenv("HOME"); h && *h) dir = fs::path(h) / ".config" / "lantern";
    else return "lantern-gui.ini";
    return (dir / "gui.ini").string();
}

// Fonts tried in order; ImGui's built-in bitmap font is the fallback (it blurs when scaled).
constexpr const char* kFontFiles[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
                                      "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf"};

class App {
public:
    App(const GuiLaunch& launch, SDL_Window* window, SDL_Renderer* renderer, std::ostream& err)
        : launch_(launch), window_(window), renderer_(renderer), err_(err),
          host_(launch.config, launch.debugcon) {
        // The built-in ROMs' symbol maps (the same the debugger loads). The 286 and later also
        // see the ROM at the top of their address space, where they start.
        auto text = [](std::span<const std::uint8_t> b) {
            return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
        };
        const std::uint64_t top = static_cast<std::uint64_t>(address_mask(launch.config.cpu_model)) + 1;
        const auto alias = static_cast<std::uint32_t>(top - 0x100000);
        if (launch.demo && launch.builtin_bios) {  // the demo disk, booted by the built-in BIOS
            symbols_.load_nm(text(assets::demo_disk_symbols()), 0);
        } else if (launch.demo) {
            symbols_.load_nm(text(assets::demo_symbol_map()), assets::kDemoRomBase);
            if (alias) symbols_.load_nm(text(assets::demo_symbol_map()), assets::kDemoRomBase + alias);
        }
        if (launch.builtin_bios) {
            symbols_.load_nm(text(assets::bios_symbols()), 0);
            if (alias) symbols_.load_nm(text(assets::bios_symbols()), alias);
        }
        screen_ = std::make_unique<ScreenPane>();
        panes_.push_back(screen_.get());
        for (auto make : {make_cpu_pane, make_disasm_pane, make_memory_pane, make_stack_pane, make_log_pane,
                          make_console_pane, make_tables_pane, make_paging_pane, make_settings_pane}) {
            owned_.push_back(make());
            panes_.push_back(owned_.back().get());
        }
        // Open by default: the screen and the panes a first lesson needs.
        for (const char* key : {"screen", "cpu", "disasm", "memory", "stack", "log", "console"})
            settings_.open[key] = true;
        // The machine is switched on and runs; a script starts from the reset state, paused.
        if (launch.script.empty()) host_.run();
        const std::string title = "Lantern - " + std::string(cpu_model_name(launch.config.cpu_model)) +
                                  (launch.demo ? " - built-in demo" : "");
        SDL_SetWindowTitle(window_, title.c_str());
    }

    int run(GuiScript* script) {
        setup_imgui();
        SDL_RendererInfo info{};
        software_renderer_ = SDL_GetRendererInfo(renderer_, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
        using Clock = std::chrono::steady_clock;
        while (!quit_) {
            const Clock::time_point frame_start = Clock::now();
            SDL_Event e;
            while (SDL_PollEvent(&e)) {
                if (e.type == SDL_QUIT) quit_ = true;
                if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE &&
                    e.window.windowID == SDL_GetWindowID(window_))
                    quit_ = true;
                if (screen_->handle_event(e, host_)) continue;
                ImGui_ImplSDL2_ProcessEvent(&e);
            }
            apply_settings();
            gather();
            ImGui_ImplSDLRenderer_NewFrame();
            ImGui_ImplSDL2_NewFrame();
            ImGui::NewFrame();
            probe_.clear();
            draw_menu();
            draw_panes();
            draw_status();
            shortcuts();
            ImGui::Render();
            SDL_SetRenderDrawColor(renderer_, 30, 30, 34, 255);
            SDL_RenderClear(renderer_);
            ImGui_ImplSDLRenderer_RenderDrawData(ImGui::GetDrawData());
            if (!pending_window_shot_.empty()) {
                save_window_png(pending_window_shot_);
                pending_window_shot_.clear();
            }
            SDL_RenderPresent(renderer_);
            ++frame_.frame_number;

            if (script) {
                ScriptContext ctx{host_,
                                  frame_,
                                  probe_,
                                  settings_,
                                  selection_,
                                  symbols_,
                                  [this](const std::string& p) { pending_window_shot_ = p; },
                                  [this](const std::string& p) { return screen_->save_screenshot(p); },
                                  [this](const std::string& key, bool open) { return set_open(key, open); },
                                  [this] {
                                      for (auto& [name, pane] : device_panes_) settings_.open[pane->key()] = true;
                                  }};
                if (!script->tick(ctx, std::cout)) quit_ = true;
            }
            // About 60 frames a second (30 when SDL draws in software, which costs a CPU core the
            // emulator would rather have); the emulator runs on its own thread meanwhile.
            const auto period = std::chrono::milliseconds(software_renderer_ ? 33 : 16);
            const auto spent = Clock::now() - frame_start;
            if (spent < period) std::this_thread::sleep_for(period - spent);
        }
        screen_->release(window_);
        ImGui::SaveIniSettingsToDisk(ini_path_.c_str());
        return script && script->failures() > 0 ? 1 : 0;
    }

    void shutdown_imgui() {
        ImGui_ImplSDLRenderer_Shutdown();
        ImGui_ImplSDL2_Shutdown();
        ImGui::DestroyContext();
    }

private:
    // ---- Settings in ImGui's ini file, beside the window layout ----
    static void* settings_open(ImGuiContext*, ImGuiSettingsHandler* h, const char* name) {
        return std::string(name) == "Settings" ? h->UserData : nullptr;
    }
    static void settings_read_line(ImGuiContext*, ImGuiSettingsHandler*, void* entry, const char* line) {
        auto* app = static_cast<App*>(entry);
        const std::string l(line);
        const std::size_t eq = l.find('=');
        if (eq == std::string::npos) return;
        const std::string key = l.substr(0, eq), value = l.substr(eq + 1);
        try {
            if (key == "zoom") app->settings_.zoom = std::clamp(std::stof(value), 0.5f, 4.0f);
            else if (key == "theme") app->settings_.light_theme = value == "light";
            else if (key == "screen_scale") app->settings_.screen_scale = static_cast<unsigned>(std::stoul(value) % 9);
            else if (key == "track_writes") app->settings_.track_writes = value == "1";
            else if (key.rfind("open.", 0) == 0) app->settings_.open[key.substr(5)] = value == "1";
        } catch (...) {
            // A damaged line keeps the default.
        }
    }
    static void settings_write_all(ImGuiContext*, ImGuiSettingsHandler* h, ImGuiTextBuffer* buf) {
        const auto* app = static_cast<const App*>(h->UserData);
        const UiSettings& s = app->settings_;
        buf->appendf("[%s][Settings]\n", h->TypeName);
        buf->appendf("zoom=%.2f\ntheme=%s\nscreen_scale=%u\ntrack_writes=%d\n", s.zoom, s.light_theme ? "light" : "dark",
                     s.screen_scale, s.track_writes ? 1 : 0);
        for (const auto& [key, open] : s.open) buf->appendf("open.%s=%d\n", key.c_str(), open ? 1 : 0);
        buf->append("\n");
    }

    void setup_imgui() {
        IMGUI_CHECKVERSION();
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        ini_path_ = launch_.settings_path.empty() ? default_settings_path() : launch_.settings_path;
        std::error_code ec;
        const auto parent = std::filesystem::path(ini_path_).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent, ec);
        io.IniFilename = ini_path_.c_str();
        ImGuiSettingsHandler handler;
        handler.TypeName = "Lantern";
        handler.TypeHash = ImHashStr("Lantern");
        handler.ReadOpenFn = settings_open;
        handler.ReadLineFn = settings_read_line;
        handler.WriteAllFn = settings_write_all;
        handler.UserData = this;
        ImGui::GetCurrentContext()->SettingsHandlers.push_back(handler);
        // Load now (not at the first NewFrame), so the fonts are built at the saved zoom.
        ImGui::LoadIniSettingsFromDisk(ini_path_.c_str());
        ImGui_ImplSDL2_InitForSDLRenderer(window_);
        ImGui_ImplSDLRenderer_Init(renderer_);
        applied_zoom_ = -1.0f;
        apply_settings();
    }

    void apply_settings() {
        if (applied_zoom_ != settings_.zoom && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
            ImGuiIO& io = ImGui::GetIO();
            io.Fonts->Clear();
            ImFont* font = nullptr;
            for (const char* path : kFontFiles) {
                if (std::filesystem::exists(path)) {
                    font = io.Fonts->AddFontFromFileTTF(path, std::round(15.0f * settings_.zoom));
                    if (font) break;
                }
            }
            if (!font) {
                ImFontConfig cfg;
                cfg.SizePixels = std::round(13.0f * settings_.zoom);
                io.Fonts->AddFontDefault(&cfg);
            }
            ImGui_ImplSDLRenderer_DestroyFontsTexture();
            ImGui_ImplSDLRenderer_CreateFontsTexture();
            applied_zoom_ = settings_.zoom;
            applied_light_ = !settings_.light_theme;  // restyle: sizes scale with the zoom
        }
        if (applied_light_ != settings_.light_theme) {
            apply_theme(settings_);
            applied_light_ = settings_.light_theme;
        }
    }

    bool set_open(const std::string& key, bool open) {
        for (Pane* p : panes_)
            if (p->key() == key) {
                settings_.open[key] = open;
                return true;
            }
        for (auto& [name, p] : device_panes_)
            if (p->key() == key) {
                settings_.open[key] = open;
                return true;
            }
        return false;
    }

    bool is_open(const Pane& p) const {
        const auto it = settings_.open.find(p.key());
        return it != settings_.open.end() && it->second;
    }

    // ---- Once per frame: copy what the open panes show, with the emulator between slices ----
    void gather() {
        const bool vga_open = settings_.open["dev.vga"];
        const ByteCapturePolicy policy = [vga_open](std::string_view path, std::uint64_t size) -> ByteCapture {
            if (path == "machine.ram.bytes") return {0, 1};  // the memory pane reads RAM itself
            if (vga_open && path == "machine.vga.vram" && size >= 2u * (4u << 20) + 8192)
                return {2u * (4u << 20), 8192};  // plane 2: the font
            if (size > (1u << 20)) return {0, 1};
            return {};
        };
        const bool track = settings_.track_writes;
        frame_.commands_done = host_.completed();
        host_.with_session([&](Session& s) {
            MachineInspector m(*s.machine);
            frame_.state = s.state;
            frame_.message = s.message;
            frame_.mips = s.mips;
            frame_.generation = s.generation;
            frame_.config = s.config;
            frame_.speed = s.speed;
            frame_.cpu = m.cpu();
            frame_.cpu_before = s.before_last_action;
            StateNode root = m.inspect_tree(policy);
            frame_.tree = root.children.empty() ? StateNode{} : std::move(root.children.front());
            frame_.breakpoints = s.exec->breakpoints();
            frame_.has_display = m.has_display();
            frame_.symbols = &symbols_;
            if (s.exec->track_memory() != track) s.exec->set_track_memory(track);
            for (Pane* p : panes_)
                if (is_open(*p)) p->gather(m, s, frame_);
        });
        // A pane for every device the machine lists.
        int index = 0;
        for (const StateNode& c : frame_.tree.children) {
            if (c.kind != StateNode::Kind::Group || c.name == "config" || c.name == "cpu" || c.name == "ram") continue;
            if (!device_panes_.contains(c.name)) device_panes_[c.name] = make_device_pane(c.name, index);
            ++index;
        }
    }

    // ---- Drawing ----
    UiContext ui() { return UiContext{host_, frame_, probe_, settings_, selection_, symbols_, renderer_}; }

    void draw_pane(Pane& p) {
        bool open = true;
        const float z = settings_.zoom;
        const ImVec2 pos = p.default_pos(), size = p.default_size();
        ImGui::SetNextWindowPos(ImVec2(pos.x * z, pos.y * z), ImGuiCond_FirstUseEver);
        ImGui::SetNextWindowSize(ImVec2(size.x * z, size.y * z), ImGuiCond_FirstUseEver);
        const std::string title = p.title() + "###" + p.key();
        if (ImGui::Begin(title.c_str(), &open, p.window_flags())) {
            UiContext c = ui();
            p.draw(c);
        }
        ImGui::End();
        if (!open) settings_.open[p.key()] = false;
    }

    void draw_panes() {
        for (Pane* p : panes_)
            if (is_open(*p)) draw_pane(*p);
        for (auto& [name, p] : device_panes_)
            if (is_open(*p)) draw_pane(*p);
    }

    void toggle_run() {
        if (frame_.state == RunState::Running) host_.pause();
        else host_.run();
    }

    void draw_menu() {
        if (!ImGui::BeginMainMenuBar()) return;
        if (ImGui::BeginMenu("Machine")) {
            if (ImGui::MenuItem(frame_.state == RunState::Running ? "Pause" : "Run", "F5")) toggle_run();
            if (ImGui::MenuItem("Step instruction", "F11")) host_.step_instruction();
            if (ImGui::MenuItem("Step over", "F10")) host_.step_over();
            if (ImGui::MenuItem("Step out", "Shift+F11")) host_.step_out();
            if (ImGui::MenuItem("Run to cursor", nullptr, false, selection_.disasm_cursor.has_value()))
                host_.run_to(*selection_.disasm_cursor);
            ImGui::Separator();
            if (ImGui::MenuItem("Reset")) host_.reset();
            if (frame_.state == RunState::PoweredOff) {
                if (ImGui::MenuItem("Power on")) host_.power_on();
            } else if (ImGui::MenuItem("Power off")) {
                host_.power_off();
            }
            ImGui::Separator();
            if (ImGui::MenuItem("Settings...")) settings_.open["settings"] = true;
            if (ImGui::MenuItem("Quit")) quit_ = true;
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("View")) {
            for (Pane* p : panes_) {
                bool open = is_open(*p);
                if (ImGui::MenuItem(p->title().c_str(), nullptr, &open)) settings_.open[p->key()] = open;
            }
            ImGui::Separator();
            if (ImGui::MenuItem("Zoom in", "Ctrl+=")) settings_.zoom = std::min(3.0f, settings_.zoom + 0.25f);
            if (ImGui::MenuItem("Zoom out", "Ctrl+-")) settings_.zoom = std::max(0.75f, settings_.zoom - 0.25f);
            if (ImGui::MenuItem("Light theme", nullptr, settings_.light_theme)) settings_.light_theme = !settings_.light_theme;
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("Devices")) {
            for (auto& [name, p] : device_panes_) {
                bool open = is_open(*p);
                if (ImGui::MenuItem(p->title().c_str(), nullptr, &open)) settings_.open[p->key()] = open;
            }
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("Tools")) {
            if (ImGui::MenuItem("Save window screenshot")) pending_window_shot_ = "lantern-window.png";
            if (ImGui::MenuItem("Save screen screenshot")) status_note_ = screen_->save_screenshot("lantern-screen.png");
            ImGui::EndMenu();
        }
        // The controls, always in reach.
        ImGui::Separator();
        const bool running = frame_.state == RunState::Running;
        if (ImGui::Button(running ? "Pause" : " Run ")) toggle_run();
        if (ImGui::Button("Step")) host_.step_instruction();
        if (ImGui::Button("Over")) host_.step_over();
        if (ImGui::Button("Out")) host_.step_out();
        if (ImGui::Button("Reset")) host_.reset();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
        static constexpr const char* kSpeeds[] = {"real time", "chosen MHz", "max speed"};
        int mode = static_cast<int>(frame_.speed.mode);
        if (ImGui::Combo("##speed", &mode, kSpeeds, IM_ARRAYSIZE(kSpeeds))) {
            SpeedSetting s = frame_.speed;
            s.mode = static_cast<SpeedMode>(mode);
            host_.set_speed(s);
        }
        ImGui::EndMainMenuBar();
    }

    void draw_status() {
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        const float h = ImGui::GetFrameHeight() + ImGui::GetStyle().WindowPadding.y;
        ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - h));
        ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, h));
        const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                       ImGuiWindowFlags_NoBringToFrontOnFocus;
        if (ImGui::Begin("##status", nullptr, flags)) {
            UiContext c = ui();
            const std::string state(run_state_name(frame_.state));
            ImGui::TextColored(frame_.state == RunState::Running ? accent_colour() : changed_colour(), "%s", state.c_str());
            probe_.set("status.state", state);
            ImGui::SameLine();
            char mips[32];
            std::snprintf(mips, sizeof mips, "%.2f MIPS", frame_.mips);
            probe_text(c, "status.mips", mips);
            ImGui::SameLine(0, 20);
            probe_text(c, "status.time", virtual_time_text(frame_.cpu.cycles, frame_.config.cpu_freq_hz));
            ImGui::SameLine(0, 20);
            probe_text(c, "status.model", std::string(cpu_model_name(frame_.config.cpu_model)) + " " +
                                              std::to_string(frame_.config.cpu_freq_hz / 1000) + " kHz");
            ImGui::SameLine(0, 20);
            probe_text(c, "status.mode", mode_text(frame_.cpu, frame_.config.cpu_model));
            ImGui::SameLine(0, 20);
            if (frame_.message != last_message_) {  // a new word from the machine replaces the note
                last_message_ = frame_.message;
                status_note_.clear();
            }
            probe_text(c, "status.message", status_note_.empty() ? frame_.message : status_note_);
        }
        ImGui::End();
    }

    void shortcuts() {
        const ImGuiIO& io = ImGui::GetIO();
        if (screen_->captured() || io.WantTextInput) return;
        if (ImGui::IsKeyPressed(SDL_SCANCODE_F5, false)) toggle_run();
        if (ImGui::IsKeyPressed(SDL_SCANCODE_F10)) host_.step_over();
        if (ImGui::IsKeyPressed(SDL_SCANCODE_F11)) {
            if (io.KeyShift) host_.step_out();
            else host_.step_instruction();
        }
        if (ImGui::IsKeyPressed(SDL_SCANCODE_F9, false) && selection_.disasm_cursor)
            host_.toggle_breakpoint(*selection_.disasm_cursor);
        if (io.KeyCtrl && ImGui::IsKeyPressed(SDL_SCANCODE_EQUALS, false)) settings_.zoom = std::min(3.0f, settings_.zoom + 0.25f);
        if (io.KeyCtrl && ImGui::IsKeyPressed(SDL_SCANCODE_MINUS, false)) settings_.zoom = std::max(0.75f, settings_.zoom - 0.25f);
    }

    void save_window_png(const std::string& path) {
        int w = 0, h = 0;
        if (SDL_GetRendererOutputSize(renderer_, &w, &h) != 0 || w <= 0 || h <= 0) return;
        Frame f;
        f.width = static_cast<unsigned>(w);
        f.height = static_cast<unsigned>(h);
        f.pixels.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
        if (SDL_RenderReadPixels(renderer_, nullptr, SDL_PIXELFORMAT_RGB888, f.pixels.data(), w * 4) != 0) {
            err_ << "lantern: screenshot: " << SDL_GetError() << "\n";
            return;
        }
        if (!write_png(f, path)) err_ << "lantern: cannot write " << path << "\n";
        else status_note_ = "saved " + path;
    }

    const GuiLaunch& launch_;
    SDL_Window* window_;
    SDL_Renderer* renderer_;
    std::ostream& err_;
    EmulatorHost host_;
    SymbolTable symbols_{};
    FrameData frame_{};
    UiProbe probe_{};
    UiSettings settings_{};
    Selection selection_{};
    std::unique_ptr<ScreenPane> screen_{};
    std::vector<std::unique_ptr<Pane>> owned_{};
    std::vector<Pane*> panes_{};
    std::map<std::string, std::unique_ptr<Pane>> device_panes_{};
    std::string ini_path_{};
    std::string pending_window_shot_{};
    std::string status_note_{};
    std::string last_message_{};
    float applied_zoom_ = -1.0f;
    bool applied_light_ = false;
    bool software_renderer_ = false;
    bool quit_ = false;
};

}  // namespace

std::optional<int> run_gui(const GuiLaunch& launch, std::ostream& err, std::string& why) {
    std::unique_ptr<GuiScript> script;
    if (!launch.script.empty()) {
        script = std::make_unique<GuiScript>();
        std::string error;
        if (!script->load(launch.script, error)) {
            err << "lantern: --gui-script: " << error << "\n";
            return 2;
        }
    }
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
        why = SDL_GetError();
        return std::nullopt;
    }
    SDL_SetHint(SDL_HINT_IME_SHOW_UI, "1");
    SDL_Window* window = SDL_CreateWindow("Lantern", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, 1600, 1000,
                                          SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!window) {
        why = SDL_GetError();
        SDL_Quit();
        return std::nullopt;
    }
    // Any renderer SDL has: accelerated where there is a GPU, software under Xvfb.
    SDL_Renderer* renderer = SDL_CreateRenderer(window, -1, 0);
    if (!renderer) {
        why = SDL_GetError();
        SDL_DestroyWindow(window);
        SDL_Quit();
        return std::nullopt;
    }
    int status = 0;
    {
        App app(launch, window, renderer, err);
        status = app.run(script.get());
        app.shutdown_imgui();
    }
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return status;
}

}  // namespace lantern::gui
