// The desktop app's machinery below the window: the state tree the panes draw from, the run
// control adapter, the emulator thread's slices and its determinism. No display needed.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "cpu/interpreter.h"
#include "devices/machine.h"
#include "gui/app/emulator_host.h"
#include "gui/app/exec_control.h"
#include "gui/app/gui_script.h"
#include "gui/app/machine_inspector.h"
#include "gui/app/state_tree.h"

using namespace lantern;
using namespace lantern::gui;

namespace {

// A 64 KiB ROM: set up a stack, then loop forever counting in AX, storing it, pushing and popping,
// and writing it to the POST code port.
//   F000:0000 cli / xor ax, ax / mov ss, ax / mov sp, 7C00h
//   F000:0008 again: inc ax / mov [0600h], ax / push ax / pop bx / out 80h, al / jmp again
//   F000:FFF0 jmp far F000:0000 (the reset vector)
std::vector<std::uint8_t> loop_rom() {
    std::vector<std::uint8_t> rom(0x10000, 0xFF);
    const std::uint8_t code[] = {0xFA, 0x31, 0xC0, 0x8E, 0xD0, 0xBC, 0x00, 0x7C, 0x40, 0xA3, 0x00,
                                 0x06, 0x50, 0x5B, 0xE6, 0x80, 0xEB, 0xF6};
    std::copy(std::begin(code), std::end(code), rom.begin());
    const std::uint8_t reset[] = {0xEA, 0x00, 0x00, 0x00, 0xF0};
    std::copy(std::begin(reset), std::end(reset), rom.begin() + 0xFFF0);
    return rom;
}

MachineConfig loop_config(CpuModel model = CpuModel::I8086) {
    MachineConfig c;
    c.cpu_model = model;
    c.memory_mib = 1;
    c.cpu_freq_hz = 4'772'727;
    c.bios_image = loop_rom();
    return c;
}

constexpr std::uint32_t kAgain = 0xF0008;  // linear address of `again`

}  // namespace

TEST_SUITE("gui_core") {
    TEST_CASE("the state tree holds what inspect() lists, and big byte fields only in part") {
        Machine m(loop_config());
        MachineInspector inspector(m);
        const StateNode root = inspector.inspect_tree([](std::string_view path, std::uint64_t) -> ByteCapture {
            if (path == "machine.ram.bytes") return {0x600, 16};
            return {};
        });
        const StateNode* machine = root.find("machine");
        REQUIRE(machine != nullptr);
        const StateNode* imr = machine->find("pic.master.imr");
        REQUIRE(imr != nullptr);
        CHECK(imr->kind == StateNode::Kind::Field);
        CHECK(imr->path == "machine.pic.master.imr");
        CHECK(machine->find("pit.counter0.mode") != nullptr);
        const StateNode* ram = machine->find("ram.bytes");
        REQUIRE(ram != nullptr);
        CHECK(ram->size == 1u << 20);
        CHECK(ram->data_offset == 0x600);
        CHECK(ram->data.size() == 16);
        CHECK(machine->field_or("no.such.field", 77) == 77);
    }

    TEST_CASE("stepping, breakpoints and the I/O log") {
        Machine m(loop_config());
        ExecControl exec(m);
        const CpuState& s = m.interpreter().state();
        CHECK(exec.step_instruction() == SliceEnd::Target);  // the reset vector's far jump
        CHECK(s.segment(Seg::CS).selector == 0xF000);
        CHECK(s.eip == 0);
        for (int i = 0; i < 4; ++i) exec.step_instruction();
        CHECK(s.reg16(Reg::SP) == 0x7C00);
        CHECK(s.eip == 8);

        // A breakpoint on `again` stops every time round the loop, before the instruction.
        exec.toggle_breakpoint(kAgain);
        exec.begin_run();
        CHECK(exec.run_slice(s.cycles + 100'000) == SliceEnd::Breakpoint);  // sitting on it: runs it first
        CHECK(s.eip == 8);
        CHECK(s.reg16(Reg::AX) == 1);
        exec.begin_run();
        CHECK(exec.run_slice(s.cycles + 100'000) == SliceEnd::Breakpoint);
        CHECK(s.reg16(Reg::AX) == 2);

        // Each time round: OUT 80h is logged with its value; the write to 0600h is recent.
        const auto& log = exec.log();
        REQUIRE(log.size() >= 1);
        const LogEntry& last = log[log.size() - 1];
        CHECK(last.kind == LogEntry::Kind::PortWrite);
        CHECK(last.port == 0x80);
        CHECK(last.value == 2);

        // Run to cursor: stops at `out 80h, al` (F000:000E).
        exec.toggle_breakpoint(kAgain);
        exec.begin_run_to(0xF000E);
        CHECK(exec.run_slice(s.cycles + 100'000) == SliceEnd::Breakpoint);
        CHECK(s.eip == 0x0E);
        // With no breakpoint the slice ends at the first instruction boundary at its cycle.
        exec.begin_run();
        const Cycles target = s.cycles + 12'345;
        CHECK(exec.run_slice(target) == SliceEnd::Target);
        CHECK(s.cycles >= target);
        CHECK(s.cycles < target + 30);  // no instruction of the loop takes 30 cycles
        CHECK(m.scheduler().pending_count() == 0);  // the slice's event is gone
    }

    TEST_CASE("recent writes: the memory pane's highlights (8086 and 80286)") {
        for (CpuModel model : {CpuModel::I8086, CpuModel::I80286}) {
            CAPTURE(cpu_model_name(model));
            Machine m(loop_config(model));
            ExecControl exec(m);
            exec.begin_run_to(0xF000E);  // out 80h, al: after the store to 0600h
            CHECK(exec.run_slice(200'000) == SliceEnd::Breakpoint);
            bool wrote_600 = false, wrote_601 = false;
            for (std::size_t i = 0; i < exec.recent_writes().size(); ++i) {
                wrote_600 |= exec.recent_writes()[i] == 0x600;
                wrote_601 |= exec.recent_writes()[i] == 0x601;
            }
            CHECK(wrote_600);
            CHECK(wrote_601);
            exec.set_track_memory(false);
            CHECK(exec.recent_writes().size() == 0);
        }
    }

    TEST_CASE("the GUI's controls are the debugger's: its breakpoints, goals and stop reasons") {
        Machine m(loop_config());
        ExecControl exec(m);
        const CpuState& s = m.interpreter().state();
        for (int i = 0; i < 5; ++i) exec.step_instruction();
        // The gutter's breakpoint is a linear execution breakpoint in the debugger's table,
        // owned by the GUI, so the CLI's `info break` would list it too.
        exec.toggle_breakpoint(kAgain);
        const auto& all = exec.debugger().breakpoints().all();
        REQUIRE(all.size() == 1);
        CHECK(all[0].kind == BreakKind::Exec);
        CHECK(all[0].address == kAgain);
        CHECK(all[0].owner == BreakOwner::Gui);
        exec.begin_run();
        CHECK(exec.run_slice(s.cycles + 100'000) == SliceEnd::Breakpoint);
        CHECK(exec.last_reason().find("Breakpoint") == 0);
        CHECK(exec.debugger().breakpoints().all()[0].hits >= 1);
        // A breakpoint toggled off while a run goes on in slices stops nothing from then on.
        exec.begin_run();
        CHECK(exec.run_slice(s.cycles + 10) == SliceEnd::Target);
        exec.toggle_breakpoint(kAgain);
        CHECK(exec.debugger().breakpoints().all().empty());
        CHECK(exec.run_slice(s.cycles + 50'000) == SliceEnd::Target);
    }

    TEST_CASE("a run sliced any way ends in the same state") {
        constexpr Cycles kRun = 300'000;
        Machine whole(loop_config());
        Machine sliced(loop_config());
        ExecControl a(whole), b(sliced);
        a.begin_run();
        CHECK(a.run_slice(kRun) == SliceEnd::Target);
        b.begin_run();
        Cycles t = 0;
        for (Cycles step = 1; t < kRun; step = step * 3 + 7) {
            t = std::min(kRun, t + step);
            CHECK(b.run_slice(t) == SliceEnd::Target);
        }
        CHECK(whole.interpreter().state() == sliced.interpreter().state());
        CHECK(std::equal(whole.ram().begin(), whole.ram().end(), sliced.ram().begin()));
    }

    TEST_CASE("the emulator thread: run N cycles ends where a direct run ends, at any speed") {
        constexpr Cycles kRun = 250'000;
        Machine reference(loop_config());
        ExecControl direct(reference);
        direct.begin_run();
        direct.run_slice(kRun);
        const CpuState want = reference.interpreter().state();

        for (SpeedMode mode : {SpeedMode::Unlimited, SpeedMode::FixedMhz, SpeedMode::RealTime}) {
            CAPTURE(static_cast<int>(mode));
            EmulatorHost host(loop_config());
            SpeedSetting speed;
            speed.mode = mode;
            speed.fixed_khz = 20'000;  // 20 MHz: 12.5 ms of host time
            host.set_speed(speed);
            const std::uint64_t ticket = host.run_cycles(kRun);
            bool done = false;
            for (int i = 0; i < 2000 && !done; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
                if (host.completed() < ticket) continue;
                host.with_session([&](Session& s) { done = s.state == RunState::Paused; });
            }
            REQUIRE(done);
            host.with_session([&](Session& s) {
                CHECK(s.machine->interpreter().state() == want);
                CHECK(s.message.find("ran to cycle") == 0);
            });
        }
    }

    TEST_CASE("commands run in order, and the thread pauses between them") {
        EmulatorHost host(loop_config());
        std::uint64_t t = 0;
        for (int i = 0; i < 5; ++i) t = host.step_instruction();
        for (int i = 0; i < 1000 && host.completed() < t; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        REQUIRE(host.completed() >= t);
        host.with_session([](Session& s) {
            CHECK(s.machine->interpreter().state().instructions == 5);
            CHECK(s.state == RunState::Paused);
            CHECK(s.before_last_action.instructions == 4);  // what the panes compare against
        });
        t = host.reset();
        for (int i = 0; i < 1000 && host.completed() < t; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        host.with_session([](Session& s) { CHECK(s.machine->interpreter().state().instructions == 0); });
    }

    TEST_CASE("the CPU pane's keys name the machine's values") {
        CpuState s;
        s.gpr[static_cast<int>(Reg::AX)] = 0x1234;
        s.eflags = flag::R1 | flag::ZF;
        s.segment(Seg::CS).selector = 0xF000;
        CHECK(machine_value_for("cpu.AX", s, CpuModel::I8086) == "1234");
        CHECK(machine_value_for("cpu.EAX", s, CpuModel::I80386) == "00001234");
        CHECK(machine_value_for("cpu.flags.ZF", s, CpuModel::I8086) == "1");
        CHECK(machine_value_for("cpu.flags.CF", s, CpuModel::I8086) == "0");
        CHECK(machine_value_for("cpu.CS", s, CpuModel::I8086) == "F000");
        CHECK(machine_value_for("cpu.nonsense", s, CpuModel::I8086).empty());
    }

    TEST_CASE("a console buffer keeps the newest text within its capacity") {
        TextBuffer b(100);
        for (int i = 0; i < 1000; ++i) b.put(static_cast<std::uint8_t>('0' + i % 10));
        CHECK(b.total() == 1000);
        CHECK(b.text().size() <= 100);
        CHECK(b.text().back() == '9');
    }
}
