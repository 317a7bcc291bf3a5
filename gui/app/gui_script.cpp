#include "gui/app/gui_script.h"

#include <fstream>
#include <ostream>
#include <sstream>

#include "cpu/interpreter.h"

namespace lantern::gui {

namespace {
constexpr std::uint64_t kMaxWaitFrames = 60 * 120;  // a command that takes 2 minutes is stuck

std::string trim(const std::string& s) {
    const std::size_t a = s.find_first_not_of(" \t\r");
    if (a == std::string::npos) return {};
    const std::size_t b = s.find_last_not_of(" \t\r");
    return s.substr(a, b - a + 1);
}

}  // namespace

std::uint32_t GuiScript::address(const ScriptContext& ctx, const std::string& text) {
    if (const auto linear = ctx.symbols.find(text)) return *linear;
    std::size_t used = 0;
    const auto v = std::stoul(text, &used, 16);
    if (used != text.size()) throw std::invalid_argument("not a hex address or a symbol: " + text);
    return static_cast<std::uint32_t>(v);
}

std::string machine_value_for(const std::string& key, const CpuState& s, CpuModel model) {
    const bool wide = model >= CpuModel::I80386;
    static constexpr const char* kReg16[8] = {"AX", "CX", "DX", "BX", "SP", "BP", "SI", "DI"};
    static constexpr const char* kReg32[8] = {"EAX", "ECX", "EDX", "EBX", "ESP", "EBP", "ESI", "EDI"};
    static constexpr const char* kSegs[6] = {"ES", "CS", "SS", "DS", "FS", "GS"};
    if (key.rfind("cpu.", 0) != 0) return {};
    const std::string k = key.substr(4);
    for (int r = 0; r < 8; ++r) {
        if (k == kReg16[r]) return hex(s.gpr[r] & 0xFFFF, 4);
        if (k == kReg32[r]) return hex(s.gpr[r], 8);
    }
    if (k == "IP" || k == "EIP") return hex(wide ? s.eip : s.eip & 0xFFFF, wide ? 8 : 4);
    if (k == "FLAGS") return hex(wide ? s.eflags : s.eflags & 0xFFFF, wide ? 8 : 4);
    if (k == "cycles") return std::to_string(s.cycles);
    if (k == "instructions") return std::to_string(s.instructions);
    for (int i = 0; i < 6; ++i) {
        const std::string n = kSegs[i];
        if (k == n) return hex(s.seg[i].selector, 4);
        if (k == n + ".base") return hex(s.seg[i].base, wide ? 8 : 6);
        if (k == n + ".limit") return hex(s.seg[i].limit, wide ? 8 : 4);
    }
    static constexpr std::pair<const char*, unsigned> kFlags[] = {{"CF", 0}, {"PF", 2}, {"AF", 4}, {"ZF", 6},
                                                                   {"SF", 7}, {"TF", 8}, {"IF", 9}, {"DF", 10},
                                                                   {"OF", 11}};
    for (const auto& [name, bit] : kFlags)
        if (k == std::string("flags.") + name) return ((s.eflags >> bit) & 1) ? "1" : "0";
    return {};
}

bool GuiScript::load(const std::string& path, std::string& error) {
    std::ifstream in(path);
    if (!in) {
        error = "cannot read " + path;
        return false;
    }
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        lines_.push_back(line);
    }
    return true;
}

void GuiScript::fail(std::ostream& out, const std::string& what) {
    ++failures_;
    out << "gui-script: FAIL: " << what << "\n";
}

bool GuiScript::tick(ScriptContext& ctx, std::ostream& out) {
    // Waiting for the last command to show in the panes.
    if (wait_ticket_ || wait_paused_ || wait_frames_ > 0) {
        if (++waited_frames_ > kMaxWaitFrames) {
            fail(out, "timed out waiting for: " + lines_[next_ - 1]);
            wait_ticket_ = 0;
            wait_paused_ = false;
            wait_frames_ = 0;
            quit_ = true;
        }
        if (wait_ticket_ && ctx.host.completed() >= wait_ticket_) wait_ticket_ = 0;
        // A run's "paused" counts only in a frame gathered after the run command itself completed;
        // an older frame still shows the pause from before it.
        if (!wait_ticket_ && wait_paused_ && ctx.frame.commands_done >= settled_ticket_ &&
            ctx.frame.state != RunState::Running)
            wait_paused_ = false;
        if (!wait_ticket_ && !wait_paused_ && wait_frames_ > 0) --wait_frames_;
        if (wait_ticket_ || wait_paused_ || wait_frames_ > 0) return !quit_;
    }
    if (quit_) return false;
    while (next_ < lines_.size()) {
        const std::string& line = lines_[next_++];
        waited_frames_ = 0;
        if (!execute(ctx, line, out)) return !quit_;
        if (quit_) return false;
    }
    return false;
}

bool GuiScript::execute(ScriptContext& ctx, const std::string& line, std::ostream& out) {
    std::istringstream in(line);
    std::string cmd;
    in >> cmd;
    std::string rest;
    std::getline(in, rest);
    rest = trim(rest);
    auto settle = [&](std::uint64_t ticket, bool until_paused) {
        wait_ticket_ = ticket;
        settled_ticket_ = ticket;
        wait_paused_ = until_paused;
        wait_frames_ = 2;  // one frame gathers the new state, the next has drawn it for sure
        return false;
    };
    try {
        if (cmd == "step") {
            const int n = rest.empty() ? 1 : std::stoi(rest);
            std::uint64_t t = 0;
            for (int i = 0; i < n; ++i) t = ctx.host.step_instruction();
            return settle(t, false);
        }
        if (cmd == "step-over") return settle(ctx.host.step_over(), true);
        if (cmd == "step-out") return settle(ctx.host.step_out(), true);
        if (cmd == "run-cycles") return settle(ctx.host.run_cycles(std::stoull(rest)), true);
        if (cmd == "run-until-stop") return settle(ctx.host.run(), true);
        if (cmd == "run") return settle(ctx.host.run(), false);
        if (cmd == "pause") return settle(ctx.host.pause(), true);
        if (cmd == "reset") return settle(ctx.host.reset(), false);
        if (cmd == "power-off") return settle(ctx.host.power_off(), false);
        if (cmd == "power-on") return settle(ctx.host.power_on(), false);
        if (cmd == "break") return settle(ctx.host.toggle_breakpoint(address(ctx, rest)), false);
        if (cmd == "run-to") return settle(ctx.host.run_to(address(ctx, rest)), true);
        if (cmd == "open" || cmd == "close") {
            if (rest == "all-devices") ctx.open_all_devices();
            else if (!ctx.set_pane_open(rest, cmd == "open")) fail(out, "no pane " + rest);
            wait_frames_ = 2;
            return false;
        }
        if (cmd == "zoom") {
            ctx.settings.zoom = std::stof(rest);
            wait_frames_ = 3;
            return false;
        }
        if (cmd == "theme") {
            ctx.settings.light_theme = rest == "light";
            wait_frames_ = 2;
            return false;
        }
        if (cmd == "speed") {
            SpeedSetting s;
            if (rest == "realtime") s.mode = SpeedMode::RealTime;
            else if (rest == "max") s.mode = SpeedMode::Unlimited;
            else {
                s.mode = SpeedMode::FixedMhz;
                s.fixed_khz = static_cast<std::uint64_t>(std::stod(rest) * 1000.0);
            }
            return settle(ctx.host.set_speed(s), false);
        }
        if (cmd == "memory") {
            ctx.selection.memory_goto = address(ctx, rest);
            wait_frames_ = 3;
            return false;
        }
        if (cmd == "serial") {
            return settle(ctx.host.serial_input(rest + "\r"), false);
        }
        if (cmd == "screenshot") {
            ctx.window_screenshot(rest);
            wait_frames_ = 2;
            return false;
        }
        if (cmd == "screen-png") {
            out << "gui-script: " << ctx.screen_screenshot(rest) << "\n";
            return true;
        }
        if (cmd == "expect") {
            std::istringstream r(rest);
            std::string key;
            r >> key;
            std::string want;
            std::getline(r, want);
            want = trim(want);
            const std::string* got = ctx.probe.get(key);
            if (!got) fail(out, "expect " + key + ": no pane shows " + key);
            else if (*got != want) fail(out, "expect " + key + " = '" + want + "', the pane shows '" + *got + "'");
            else out << "gui-script: ok: " << key << " = " << want << "\n";
            return true;
        }
        if (cmd == "expect-machine") {
            std::string want;
            ctx.host.with_session([&](Session& s) {
                want = machine_value_for(rest, s.machine->interpreter().state(), s.config.cpu_model);
            });
            const std::string* got = ctx.probe.get(rest);
            if (want.empty()) fail(out, "expect-machine " + rest + ": not a CPU register key");
            else if (!got) fail(out, "expect-machine " + rest + ": no pane shows it");
            else if (*got != want) fail(out, "expect-machine " + rest + ": the machine holds '" + want + "', the pane shows '" + *got + "'");
            else out << "gui-script: ok: " << rest << " = " << want << " (the machine's value)\n";
            return true;
        }
        if (cmd == "wait-frames") {
            wait_frames_ = std::max(1, std::stoi(rest));
            return false;
        }
        if (cmd == "echo") {
            out << "gui-script: " << rest << "\n";
            return true;
        }
        if (cmd == "quit") {
            quit_ = true;
            return true;
        }
    } catch (const std::exception& e) {
        fail(out, "bad line '" + line + "': " + e.what());
        return true;
    }
    fail(out, "unknown command '" + line + "'");
    return true;
}

}  // namespace lantern::gui
