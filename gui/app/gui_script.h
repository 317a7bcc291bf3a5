// GuiScript: drives the app from a text file, one command per line, for the GUI tests and for
// making the README's screenshot. Each command waits for the previous one to take effect in the
// panes (its emulator commands done, then two frames drawn) before the next runs.
//
//   step [N]             step N instructions (default 1)
//   step-over | step-out
//   run-cycles N         run exactly N CPU cycles, then pause
//   run-until-stop       run until the guest stops by itself (exit, halt, breakpoint)
//   run | pause | reset | power-off | power-on
//   break ADDR           toggle a breakpoint at a linear address (hex, or a symbol's name)
//   run-to ADDR          run to a linear address (hex, or a symbol's name)
//   open PANE | close PANE     e.g. open dev.pic; `open all-devices`
//   zoom F | theme dark|light | speed realtime|max|MHZ
//   memory ADDR          show a linear address in the memory pane
//   serial TEXT          type TEXT and CR into COM1
//   screenshot FILE.png  the whole window
//   screen-png FILE.png  the guest's screen alone
//   expect KEY VALUE     the pane item KEY shows VALUE (rest of the line); see UiProbe
//   expect-machine KEY   the CPU pane's KEY (cpu.AX, cpu.CS.base, cpu.flags.ZF...) shows what the
//                        machine holds right now
//   wait-frames N | echo TEXT | quit
//
// Lines starting with '#' and blank lines are ignored. A failed expectation is reported and
// counted; the app exits 1 if any failed.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "gui/app/ui_common.h"

namespace lantern::gui {

struct ScriptContext {
    EmulatorHost& host;
    const FrameData& frame;
    const UiProbe& probe;
    UiSettings& settings;
    Selection& selection;
    const SymbolTable& symbols;
    std::function<void(const std::string&)> window_screenshot;      // taken at the next present
    std::function<std::string(const std::string&)> screen_screenshot;
    std::function<bool(const std::string&, bool)> set_pane_open;     // false: no such pane
    std::function<void()> open_all_devices;
};

class GuiScript {
public:
    // Reads the file; false (with `error`) if it cannot be read.
    bool load(const std::string& path, std::string& error);
    // Called once per frame after it was drawn. Returns false when the script has finished.
    bool tick(ScriptContext& ctx, std::ostream& out);
    int failures() const { return failures_; }

private:
    bool execute(ScriptContext& ctx, const std::string& line, std::ostream& out);  // false: wait
    void fail(std::ostream& out, const std::string& what);
    static std::uint32_t address(const ScriptContext& ctx, const std::string& text);

    std::vector<std::string> lines_{};
    std::size_t next_ = 0;
    std::uint64_t wait_ticket_ = 0;    // emulator commands to finish first
    bool wait_paused_ = false;         // ...and the machine to pause
    std::uint64_t settled_ticket_ = 0; // the ticket of the last emulator command
    int wait_frames_ = 0;              // ...and this many frames to be drawn
    std::uint64_t waited_frames_ = 0;  // frames spent waiting on the current command
    int failures_ = 0;
    bool quit_ = false;
};

// The machine's value for a CPU pane probe key ("cpu.AX"), formatted as the pane does; empty
// if the key names no register.
std::string machine_value_for(const std::string& key, const CpuState& s, CpuModel model);

}  // namespace lantern::gui
