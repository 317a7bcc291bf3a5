// The desktop app: `lantern` with a display opens this window (SDL2 + Dear ImGui) on the machine
// the command line describes. The CLI never touches SDL: run_gui() is the only way in, and it
// initialises SDL's video itself.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include "devices/byte_sink.h"
#include "devices/machine.h"

namespace lantern::gui {

struct GuiLaunch {
    MachineConfig config{};
    bool demo = false;             // the built-in demo (the demo disk when builtin_bios, else the demo ROM):
                                   // its labels go into the symbol table
    bool builtin_bios = false;     // the built-in BIOS: its symbol map too
    std::string script{};          // --gui-script: drive the app from a file (tests), then quit
    std::string settings_path{};   // --gui-config: where layout and settings live (default: XDG)
    ByteSink* debugcon = nullptr;  // the --debugcon sink, written alongside the console pane
};

// True when a window could be opened here, judged from the environment alone (no SDL call): an
// X11 or Wayland display, or SDL_VIDEODRIVER chosen explicitly (e.g. "offscreen").
bool display_available();

// Runs the app until its window closes (or the script ends). Returns the exit status, or nullopt
// with `why` set when no window could be opened (the caller then runs headless).
std::optional<int> run_gui(const GuiLaunch& launch, std::ostream& err, std::string& why);

}  // namespace lantern::gui
