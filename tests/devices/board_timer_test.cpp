// The board's interrupt and time wiring: the PICs, the PIT and port 0x61 in the Machine, INTR and
// INTA through CpuBus, the scheduler kept at the CPU's cycle count on every access, device
// events served on time even when scheduled mid-slice, and HLT idling to the next event.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <vector>

#include "cpu/interpreter.h"
#include "devices/machine.h"
#include "pit_rig.h"
#include "recording_visitor.h"

#ifndef LANTERN_TEST_ROM_DIR
#error "LANTERN_TEST_ROM_DIR must name the directory of the assembled test ROMs"
#endif

using namespace lantern;

namespace {

std::vector<std::uint8_t> rom_with(std::initializer_list<std::uint8_t> code) {
    std::vector<std::uint8_t> rom(0x10000, 0xFF);
    std::copy(code.begin(), code.end(), rom.begin());
    const std::uint8_t jmp_far_f000_0000[] = {0xEA, 0x00, 0x00, 0x00, 0xF0};
    std::copy(std::begin(jmp_far_f000_0000), std::end(jmp_far_f000_0000), rom.begin() + 0xFFF0);
    return rom;
}

std::vector<std::uint8_t> pit_rom() {
    std::ifstream in(LANTERN_TEST_ROM_DIR "/pit_irq0.bin", std::ios::binary);
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

MachineConfig config_for(CpuModel model, std::vector<std::uint8_t> rom) {
    MachineConfig c;
    c.cpu_model = model;
    c.memory_mib = default_memory_mib(model);
    c.cpu_freq_hz = default_cpu_freq_hz(model);
    c.bios_image = std::move(rom);
    return c;
}

const CpuModel kModels[] = {CpuModel::I8086, CpuModel::I80286};

// Records, at every access, whether the scheduler's time was the CPU's.
class TimeProbe final : public IoDevice {
public:
    explicit TimeProbe(Machine& m) : m_(m) {}
    std::uint32_t read(std::uint32_t, unsigned) override {
        record();
        return 0;
    }
    void write(std::uint32_t, std::uint32_t, unsigned) override { record(); }
    std::uint32_t peek(std::uint32_t, unsigned) const override { return 0; }
    std::string_view inspect_name() const override { return "probe"; }
    void inspect(StateVisitor&) override {}

    std::vector<Cycles> scheduler_times;
    std::vector<Cycles> cpu_times;

private:
    void record() {
        scheduler_times.push_back(m_.scheduler().now());
        cpu_times.push_back(m_.interpreter().state().cycles);
    }
    Machine& m_;
};

struct RomRun {
    RunResult result;
    CpuState final_state;
    std::string output;
};

RomRun run_pit_rom(CpuModel model, std::uint64_t slice_instructions = 0) {
    Machine m(config_for(model, pit_rom()));
    StringSink out;
    m.debug_console().set_sink(&out);
    RomRun r;
    if (slice_instructions == 0) {
        r.result = m.run();
    } else {
        RunLimits limits;
        limits.max_instructions = slice_instructions;
        for (int guard = 0; guard < 1'000'000; ++guard) {
            r.result = m.run(limits);
            if (r.result.reason != MachineStop::InstructionLimit) break;
        }
    }
    r.final_state = m.interpreter().state();
    r.output = out.text();
    return r;
}

}  // namespace

TEST_SUITE("board_timer") {
    TEST_CASE("the PIC/PIT test ROM passes on both CPUs") {
        for (CpuModel model : kModels) {
            CAPTURE(cpu_model_name(model));
            const RomRun r = run_pit_rom(model);
            CAPTURE(r.output);
            CHECK(r.result.reason == MachineStop::DebugExit);
            CHECK(r.result.debug_exit_value == 0);
            CHECK(r.output.find("PASS\n") != std::string::npos);
            CHECK(r.output.find("FAIL") == std::string::npos);
            // 20 periods of 1000 PIT ticks passed: at least 20000 ticks of CPU time.
            const ClockDomain pit = pit_clock_domain(default_cpu_freq_hz(model));
            CHECK(r.result.cycles >= pit.to_cycles(20000));
        }
    }

    TEST_CASE("determinism: two runs, and a run cut into slices, give identical cycle counts") {
        for (CpuModel model : kModels) {
            CAPTURE(cpu_model_name(model));
            const RomRun a = run_pit_rom(model);
            const RomRun b = run_pit_rom(model);
            CHECK(a.result.cycles == b.result.cycles);
            CHECK(a.result.instructions == b.result.instructions);
            CHECK(a.final_state == b.final_state);
            CHECK(a.output == b.output);
            const RomRun sliced = run_pit_rom(model, 997);
            CHECK(sliced.final_state.cycles == a.final_state.cycles);
            CHECK(sliced.final_state.instructions == a.final_state.instructions);
            CHECK(sliced.final_state == a.final_state);
            CHECK(sliced.output == a.output);
        }
    }

    TEST_CASE("the scheduler's time is the CPU's at every device access") {
        // mov dx,300h / in al,dx / out dx,al / in al,dx / mov al,0 / out 0F4h,al
        Machine m(config_for(CpuModel::I8086, rom_with({0xBA, 0x00, 0x03, 0xEC, 0xEE, 0xEC, 0xB0, 0x00, 0xE6, 0xF4})));
        TimeProbe probe(m);
        m.ports().map(0x300, 1, probe, "probe");
        CHECK(m.run().reason == MachineStop::DebugExit);
        REQUIRE(probe.cpu_times.size() == 3);
        CHECK(probe.scheduler_times == probe.cpu_times);
        CHECK(probe.cpu_times[0] < probe.cpu_times[1]);
        CHECK(probe.cpu_times[1] < probe.cpu_times[2]);
    }

    TEST_CASE("an event scheduled mid-slice, earlier than the budget, fires at its instruction boundary") {
        // Counter 0, mode 0, count 5, then jmp $: OUT0 rises 6 ticks later, far inside the CPU's
        // slice (no event was pending when it started). The loop must fire it on time even
        // though the run then ends on an instruction limit, not at the budget.
        // mov al,30h / out 43h,al / mov al,5 / out 40h,al / mov al,0 / out 40h,al / jmp $
        for (CpuModel model : kModels) {
            CAPTURE(cpu_model_name(model));
            Machine m(config_for(model,
                                 rom_with({0xB0, 0x30, 0xE6, 0x43, 0xB0, 0x05, 0xE6, 0x40, 0xB0, 0x00, 0xE6, 0x40, 0xEB, 0xFE})));
            RunLimits limits;
            limits.max_instructions = 1 + 6 + 100;  // the reset jump, six, then 100 loops
            CHECK(m.run(limits).reason == MachineStop::InstructionLimit);
            CHECK(m.irq(0).level());
            CHECK((m.pic().master().irr() & 0x01) == 0x01);  // the edge reached the PIC
            CHECK(m.pit().next_out_event(0) == kNever);
        }
    }

    TEST_CASE("HLT with IF=1: with every input masked the run ends; the timer alone does not count") {
        // Counter 0 in mode 2 (events pending), the master PIC initialised with IMR = FFh, sti, hlt.
        const std::initializer_list<std::uint8_t> code = {
            0xB0, 0x34, 0xE6, 0x43, 0xB0, 0x00, 0xE6, 0x40, 0xE6, 0x40,  // PIT counter 0, mode 2, 65536
            0xB0, 0x13, 0xE6, 0x20, 0xB0, 0x08, 0xE6, 0x21, 0xB0, 0x09, 0xE6, 0x21,  // ICW1 single, ICW2, ICW4
            0xB0, 0xFF, 0xE6, 0x21,                                      // OCW1: all masked
            0xFB, 0xF4};                                                 // sti / hlt
        Machine m(config_for(CpuModel::I8086, rom_with(code)));
        const RunResult r = m.run();
        CHECK(r.reason == MachineStop::Halted);
        CHECK(r.interrupts_enabled);
        CHECK(m.scheduler().next_event() != kNever);  // OUT0 keeps toggling, unseen
        CHECK_FALSE(m.pic().can_interrupt());
    }

    TEST_CASE("irq(n) lines reach the PICs; irq(2) is the AT's IRQ9") {
        Machine m(config_for(CpuModel::I80286, rom_with({0xF4})));
        CHECK(&m.irq(2) == &m.irq(9));
        m.irq(9).raise();
        CHECK((m.pic().slave().irr() & 0x02) == 0x02);
        CHECK((m.pic().master().input_levels() & 0x04) == 0x00);  // slave IMR is FFh: INT low
        m.irq(9).lower();
        m.irq(5).raise();
        CHECK((m.pic().master().irr() & 0x20) == 0x20);
        m.irq(5).lower();
        CHECK_THROWS(m.irq(16));
    }

    TEST_CASE("inspect walks the PICs, the PIT, port 0x61 and the IRQ lines; reset restores power-on") {
        Machine m(config_for(CpuModel::I8086, pit_rom()));
        RunLimits limits;
        limits.max_instructions = 3000;
        m.run(limits);
        testing::RecordingVisitor v;
        m.inspect(v);
        CHECK(v.has("machine.pic.master.icw2=8"));
        CHECK(v.has("machine.pic.slave.icw2=112"));
        CHECK(v.has("machine.pit.counter0.mode=2"));
        CHECK(v.has("machine.pit.counter0.cr=1000"));
        CHECK(v.has_prefix("machine.port61.control="));
        CHECK(v.has_prefix("machine.irq_lines.irq0="));
        CHECK(v.has("machine.ports.pic_master.first=32"));
        CHECK(v.has("machine.ports.pic_slave.first=160"));
        CHECK(v.has("machine.ports.pit.last=67"));
        CHECK(v.has("machine.ports.port61.first=97"));
        m.reset();
        CHECK(m.pic().master().imr() == 0xFF);
        CHECK_FALSE(m.pit().counter(0).programmed);
        CHECK(m.scheduler().pending_count() == 0);
        CHECK_FALSE(m.irq(0).level());
        CHECK_FALSE(m.pit().gate(2));
    }

    TEST_CASE("a snapshot taken mid-run restores into a fresh machine that finishes identically") {
        Machine a(config_for(CpuModel::I80286, pit_rom()));
        RunLimits limits;
        limits.max_instructions = 20000;  // in the STI/HLT loop, IRQ0s arriving
        CHECK(a.run(limits).reason == MachineStop::InstructionLimit);
        testing::MiniSnapshot snap;
        a.inspect(snap);
        Machine b(config_for(CpuModel::I80286, pit_rom()));
        snap.start_loading();
        b.inspect(snap);
        CHECK(b.interpreter().state() == a.interpreter().state());
        CHECK(b.pit().next_out_event(0) == a.pit().next_out_event(0));
        const RunResult ra = a.run();
        const RunResult rb = b.run();
        CHECK(ra.reason == MachineStop::DebugExit);
        CHECK(rb.reason == MachineStop::DebugExit);
        CHECK(a.interpreter().state() == b.interpreter().state());
    }
}
