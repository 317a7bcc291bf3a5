// Scripted input and end conditions for headless runs: the command line's --input 'SCRIPT',
// --input-file FILE, --until-screen TEXT and --until-serial TEXT.
//
// A script is a list of steps, one per line (or separated by ';' on the command line):
//
//   wait 1.5                 let 1.5 seconds of virtual time pass
//   wait-screen "A:\>"       wait until the text is on the screen
//   wait-serial "login:"     wait until COM1's output (since the run began) holds the text
//   type "dir\n"             type ASCII text on the keyboard (\n Enter, \t Tab, \e Esc, \\, \"; any other backslash is kept)
//   key F1  /  key Ctrl+C    press and release keys by name (devices/input/keys names)
//   serial "ls\n"            send bytes into COM1's receiver
//   text-dump FILE           write the text screen now
//   screenshot FILE.png      write the frame now
//   exit [N]                 end the run now with exit status N (default 0)
//
// Steps run in order. Every input is stamped in virtual time and enters through the board's
// InputQueue, and the conditions are checked at fixed points of virtual time (every
// kCheckIntervalMs of it), so a scripted run is exactly as deterministic as the guest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devices/input/keys.h"

namespace lantern {

struct ScriptStep {
    enum class Kind : std::uint8_t { Wait, WaitScreen, WaitSerial, Type, Keys, Serial, TextDump, Screenshot, Exit };
    Kind kind = Kind::Wait;
    std::string text{};                  // WaitScreen, WaitSerial, Type, Serial; the path for dumps
    std::uint64_t wait_ns = 0;           // Wait
    std::vector<std::vector<Key>> keys{};  // Keys: each chord (modifiers + key) pressed in turn
    int exit_status = 0;                 // Exit
    std::size_t line = 0;                // where it came from, for messages
};

struct InputScript {
    std::vector<ScriptStep> steps{};
};

// Parses a script; on error returns nullopt and a message naming the line ("line 3: ...").
// `inline_form`: steps may also be separated by ';' (the command line's --input).
std::optional<InputScript> parse_input_script(std::string_view text, bool inline_form, std::string& error);

}  // namespace lantern
