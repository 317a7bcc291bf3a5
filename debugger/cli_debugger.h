// The command-line face of the debugger: Bochs-like commands (with gdb's names where both have
// one) over the Debugger core. It reads lines and writes text; where the lines come from (a
// terminal, a --debug-script file, gdb's `monitor`) is its caller's business.
//
//   run control  c|continue, s|step|si [N], n|next, finish, until ADDR, cycles N, reset
//   breakpoints  break|b ADDR, tbreak ADDR, lb ADDR (linear), pb ADDR (physical), vb SEG:OFF,
//                watch|rwatch|awatch [phys] ADDR [LEN], iobreak PORT[..LAST] [in|out|any],
//                intbreak VECTOR, modebreak real|protected|paging|v86|any,
//                devbreak irq [N] | pit [CH] | vga | disk; each takes a trailing `if EXPR`;
//                delete|d [N...], disable [N...], enable [N...], condition N [EXPR],
//                ignore N COUNT, info break
//   state        info registers|sregs|cregs|fpu|gdt|idt|ldt|tss|tab|device [NAME]|symbols,
//                r (registers), x /NUF ADDR (linear), xp /NUF ADDR (physical), u|disasm [/N] [ADDR],
//                set REG = EXPR, set byte|word|dword [ADDR] = EXPR, print|p EXPR, bt|backtrace [N]
//   other        trace on|off, magic on|off, symbols FILE [BIAS], help, quit|q
// See README.md, "The debugger", for a walk-through.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "debugger/debugger.h"

namespace lantern {

class CliDebugger {
public:
    CliDebugger(Debugger& debugger, std::ostream& out);

    // Runs one command line. Returns false once the session should end (quit).
    bool execute(std::string_view line);
    // Reads commands from `in` until quit or end of input. `echo`: print each command after the
    // prompt (scripts, so the output reads like a session); `interactive`: an empty line repeats
    // the last command, as in gdb and Bochs.
    void run(std::istream& in, bool echo, bool interactive);

    // gdb's `monitor` may not run the machine behind gdb's back: run-control commands are refused.
    void set_run_commands_allowed(bool allowed) { run_allowed_ = allowed; }
    // How the last run ended (nothing before the first run).
    const std::optional<StopInfo>& last_stop() const { return last_stop_; }
    bool quit_requested() const { return quit_; }
    // Prints a stop: its reason and the instruction the CPU is at.
    void report_stop(const StopInfo& stop);

private:
    struct Args {
        std::vector<std::string> words;   // split on spaces, keeping (...) and [...] together
        std::string condition;            // the text after a standalone `if`
    };
    static Args split(std::string_view text);

    bool dispatch(const std::string& command, std::string_view rest);
    // Run control
    void cmd_run(const std::string& command, const Args& a);
    // Breakpoints
    void cmd_break(const std::string& command, const Args& a);
    void cmd_watch(const std::string& command, const Args& a);
    void cmd_iobreak(const Args& a);
    void cmd_intbreak(const Args& a);
    void cmd_modebreak(const Args& a);
    void cmd_devbreak(const Args& a);
    void cmd_delete_enable(const std::string& command, const Args& a);
    void cmd_condition(std::string_view rest);
    void cmd_ignore(const Args& a);
    void added(int id);
    // State
    void cmd_examine(bool physical, std::string_view rest);
    void cmd_disasm(std::string_view rest);
    void cmd_set(std::string_view rest);
    void cmd_print(std::string_view rest);
    void cmd_backtrace(const Args& a);
    void cmd_symbols(const Args& a);
    void cmd_help(const Args& a);
    // info (cli_info.cpp)
    void cmd_info(std::string_view rest);
    void info_breakpoints();
    void info_registers();
    void info_sregs();
    void info_cregs();
    void info_fpu();
    void info_descriptor_table(const std::string& which, const Args& a);
    void info_idt(const Args& a);
    void info_tss();
    void info_tab();
    void info_device(const Args& a);
    void info_symbols(const Args& a);

    // An expression's value, or an error printed and nullopt.
    std::optional<std::uint64_t> value_of(std::string_view expression);
    // A seg:offset written at the top level of an expression ("0xf000:0x100", "cs:ip"): the
    // segment's selector value and the offset, each evaluated on its own.
    bool split_segoff(std::string_view text, std::uint64_t& seg, std::uint64_t& off);
    void error(const std::string& message);

    Debugger& dbg_;
    std::ostream& out_;
    bool run_allowed_ = true;
    bool quit_ = false;
    std::optional<StopInfo> last_stop_{};
    std::string last_line_{};
    std::uint64_t print_counter_ = 0;  // $1, $2, ... as gdb numbers printed values
};

}  // namespace lantern
