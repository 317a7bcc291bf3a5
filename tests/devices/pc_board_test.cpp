// The PC board end to end: Lantern's own BIOS on the Machine with every chip wired, booting the
// FreeDOS floppy from ../shared to its prompt, and typing a command on the PS/2 keyboard.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "bios/embedded_bios.h"
#include "cpu/interpreter.h"
#include "devices/input/keys.h"
#include "devices/machine.h"
#include "devices/vga/vga_render.h"

using namespace lantern;

namespace {
std::string freedos_image() {
    return std::string(LANTERN_SHARED_DIR) + "/images/freedos722.img";
}

MachineConfig pc_config(CpuModel cpu, const std::string& floppy) {
    MachineConfig c;
    c.cpu_model = cpu;
    c.memory_mib = default_memory_mib(cpu);
    c.cpu_freq_hz = default_cpu_freq_hz(cpu);
    const auto rom = assets::bios_rom();
    c.bios_image.assign(rom.begin(), rom.end());
    c.pc_board = true;
    c.board.floppy_a = floppy;
    return c;
}

// Runs in slices of virtual time until `text` is on the screen or the budget is spent.
bool run_until_screen(Machine& m, const std::string& text, std::uint64_t max_instructions) {
    for (std::uint64_t done = 0; done < max_instructions; done += 2'000'000) {
        RunLimits limits;
        limits.max_instructions = 2'000'000;
        const RunResult r = m.run(limits);
        if (text_dump(m.board()->vga()).find(text) != std::string::npos) return true;
        if (r.reason != MachineStop::InstructionLimit) return false;
    }
    return false;
}
}  // namespace

TEST_SUITE("pc_board") {
    TEST_CASE("FreeDOS boots to A:\\> with the Lantern BIOS on the board") {
        if (!std::filesystem::exists(freedos_image())) {
            MESSAGE("SKIPPED: " << freedos_image() << " not found");
            return;
        }
        // This floppy's kernel is a 386 build, so the boot is checked on the P6 model.
        Machine m(pc_config(CpuModel::P6, freedos_image()));
        const bool prompt = run_until_screen(m, "A:\\>", 400'000'000);
        if (!prompt) MESSAGE(text_dump(m.board()->vga()));
        REQUIRE(prompt);
        // Type `ver` on the PS/2 keyboard through the input queue, in virtual time.
        InputQueue& input = m.board()->input();
        Cycles when = m.interpreter().state().cycles + 1'000'000;
        for (Key k : {Key::V, Key::E, Key::R, Key::Enter}) {
            input.post(InputEvent{when, KeyInput{k, true}});
            input.post(InputEvent{when + 500000, KeyInput{k, false}});
            when += 2'000'000;
        }
        // The shell echoes the command and answers with its version banner a second time.
        REQUIRE(run_until_screen(m, "A:\\>ver", 100'000'000));
        run_until_screen(m, "never on screen", 20'000'000);
        const std::string screen = text_dump(m.board()->vga());
        const std::size_t echoed = screen.find("A:\\>ver");
        const bool answered = screen.find("FreeCom version", echoed) != std::string::npos;
        if (!answered) MESSAGE(screen);
        CHECK(answered);
    }
}
