// What every pane shares: the per-frame copy of the machine's state, the probe the GUI tests read,
// the settings, formatting helpers and the Pane interface.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "cpu/cpu_state.h"
#include "devices/machine.h"
#include "gui/app/emulator_host.h"
#include "gui/app/machine_inspector.h"
#include "gui/app/state_tree.h"
#include "debugger/symbols.h"

struct SDL_Renderer;

namespace lantern::gui {

// What the panes drew, as text, keyed "pane.item" ("cpu.AX" -> "1234"). The scripted GUI tests
// compare it with what the machine holds, so a pane records exactly the string it displays.
class UiProbe {
public:
    void clear() { values_.clear(); }
    void set(std::string key, std::string value) { values_[std::move(key)] = std::move(value); }
    const std::string* get(const std::string& key) const {
        const auto it = values_.find(key);
        return it == values_.end() ? nullptr : &it->second;
    }
    const std::map<std::string, std::string>& all() const { return values_; }

private:
    std::map<std::string, std::string> values_{};
};

// Settings kept between runs (with ImGui's window layout, in the same ini file).
struct UiSettings {
    float zoom = 1.0f;           // font size factor (classroom projectors: 1.5-2)
    bool light_theme = false;
    unsigned screen_scale = 0;   // integer scale of the guest's screen; 0 = the largest that fits
    bool track_writes = true;    // highlight recent memory writes (costs some speed)
    std::map<std::string, bool> open{};  // pane key -> open
};

// Copied from the machine once per frame, with the session lock held, for every pane.
struct FrameData {
    RunState state = RunState::Paused;
    std::string message{};
    double mips = 0.0;
    std::uint64_t generation = 0;
    MachineConfig config{};
    SpeedSetting speed{};
    CpuState cpu{};
    CpuState cpu_before{};       // as the last step/run began: what changed is highlighted
    StateNode tree{};            // Machine::inspect(), the "machine" group
    std::set<std::uint32_t> breakpoints{};
    bool has_display = false;
    std::uint64_t frame_number = 0;  // GUI frames drawn
    std::uint64_t commands_done = 0; // EmulatorHost::completed() just before this frame was gathered:
                                     // the frame shows every command up to this ticket
    const SymbolTable* symbols = nullptr;
};

// Requests between panes (the disassembly's "show in memory", the stack's "go to").
struct Selection {
    std::optional<std::uint32_t> memory_goto{};  // linear address for the memory pane
    std::optional<std::uint32_t> disasm_cursor{};  // linear address of the selected line
};

struct UiContext {
    EmulatorHost& host;
    const FrameData& frame;
    UiProbe& probe;
    UiSettings& settings;
    Selection& selection;
    const SymbolTable& symbols;
    SDL_Renderer* renderer = nullptr;
};

class Pane {
public:
    Pane(std::string key, std::string title) : key_(std::move(key)), title_(std::move(title)) {}
    virtual ~Pane() = default;
    Pane(const Pane&) = delete;
    Pane& operator=(const Pane&) = delete;

    const std::string& key() const { return key_; }
    const std::string& title() const { return title_; }
    // Under the session lock, before draw (only while the pane is open).
    virtual void gather(MachineInspector& machine, Session& session, const FrameData& frame) {
        (void)machine;
        (void)session;
        (void)frame;
    }
    // ImGui, without the lock. Called between Begin/End of the pane's window.
    virtual void draw(UiContext& ui) = 0;
    // Where the window goes the first time (before a saved layout exists), at zoom 1.
    virtual ImVec2 default_pos() const { return {60, 60}; }
    virtual ImVec2 default_size() const { return {420, 380}; }
    virtual ImGuiWindowFlags window_flags() const { return 0; }

private:
    std::string key_;
    std::string title_;
};

// ---- Formatting ----
std::string hex(std::uint64_t value, int digits);
std::string seg_off(std::uint16_t seg, std::uint32_t off, bool wide);
// Virtual time as "1.234 567 s" from cycles and the clock.
std::string virtual_time_text(Cycles cycles, std::uint64_t freq_hz);
std::string mode_text(const CpuState& s, CpuModel model);

// ---- Drawing ----
ImVec4 changed_colour();   // a value the last step changed
ImVec4 dim_colour();       // secondary text
ImVec4 accent_colour();    // headings, breakpoints
// Text that is highlighted when `changed`; recorded in the probe under `key`.
void probe_text(UiContext& ui, const std::string& key, const std::string& text, bool changed = false);
// A tooltip on the last item.
void tooltip(std::string_view text);
// Apply the theme and zoom (rebuilds fonts when the zoom changed; call outside a frame).
void apply_theme(const UiSettings& s);

}  // namespace lantern::gui
