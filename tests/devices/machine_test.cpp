#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <initializer_list>
#include <stdexcept>
#include <vector>

#include "cpu/interpreter.h"
#include "devices/machine.h"
#include "recording_visitor.h"

using namespace lantern;

namespace {

// A 64 KiB ROM with `code` at F000:0000 and the reset vector (offset FFF0) jumping to it.
std::vector<std::uint8_t> rom_with(std::initializer_list<std::uint8_t> code) {
    std::vector<std::uint8_t> rom(0x10000, 0xFF);
    std::copy(code.begin(), code.end(), rom.begin());
    const std::uint8_t jmp_far_f000_0000[] = {0xEA, 0x00, 0x00, 0x00, 0xF0};
    std::copy(std::begin(jmp_far_f000_0000), std::end(jmp_far_f000_0000), rom.begin() + 0xFFF0);
    return rom;
}

MachineConfig config_for(CpuModel model, std::vector<std::uint8_t> rom) {
    MachineConfig c;
    c.cpu_model = model;
    c.memory_mib = default_memory_mib(model);
    c.cpu_freq_hz = default_cpu_freq_hz(model);
    c.bios_image = std::move(rom);
    return c;
}

// mov al,'H' / out 0E9h,al / mov al,'i' / out 0E9h,al / mov al,5 / out 0F4h,al / hlt
const std::initializer_list<std::uint8_t> kHello = {0xB0, 'H', 0xE6, 0xE9, 0xB0, 'i', 0xE6, 0xE9,
                                                    0xB0, 0x05, 0xE6, 0xF4, 0xF4};
const std::initializer_list<std::uint8_t> kLoop = {0xEB, 0xFE};                   // jmp $
const std::initializer_list<std::uint8_t> kCliHlt = {0xFA, 0xF4};                 // cli / hlt
const std::initializer_list<std::uint8_t> kStiHlt = {0xFB, 0xF4};                 // sti / hlt

const CpuModel kModels[] = {CpuModel::I8086, CpuModel::I80286};

}  // namespace

TEST_SUITE("machine") {
    TEST_CASE("config validation explains what is wrong") {
        MachineConfig c = config_for(CpuModel::I8086, rom_with({}));
        CHECK(validate(c).empty());
        c.memory_mib = 2;
        CHECK(validate(c).find("1 MiB") != std::string::npos);
        CHECK_THROWS_AS(Machine{c}, std::invalid_argument);
        c = config_for(CpuModel::I80286, rom_with({}));
        c.memory_mib = 17;
        CHECK(validate(c).find("16 MiB") != std::string::npos);
        c = config_for(CpuModel::I80186, rom_with({}));
        CHECK(validate(c).find("not supported") != std::string::npos);
        c = config_for(CpuModel::I80386, rom_with({}));
        CHECK(validate(c).empty());
        c = config_for(CpuModel::I8086, std::vector<std::uint8_t>(kMaxBiosBytes + 1));
        CHECK(validate(c).find("256 KiB") != std::string::npos);
    }

    TEST_CASE("8086: 640 KiB of RAM, the BIOS at F0000, addresses wrap at 1 MiB") {
        Machine m(config_for(CpuModel::I8086, rom_with({0x90})));
        CHECK(m.mem_read8(0xFFFF0) == 0xEA);
        CHECK(m.mem_read8(0xF0000) == 0x90);
        m.mem_write8(0xF0000, 0x00);  // ROM
        CHECK(m.mem_read8(0xF0000) == 0x90);
        m.mem_write8(0x9FFFF, 0x12);
        CHECK(m.mem_read8(0x9FFFF) == 0x12);
        CHECK(m.mem_read8(0xA0000) == 0xFF);  // no video memory yet
        m.mem_write8(0x00000, 0x34);
        CHECK(m.mem_read8(0x100000) == 0x34);
        const auto regions = m.memory().regions();
        REQUIRE(regions.size() == 2);
        CHECK(regions[0].name == "conventional_ram");
        CHECK(regions[0].size == 0xA0000);
        CHECK(regions[1].name == "bios");
        CHECK(regions[1].base == 0xF0000);
    }

    TEST_CASE("80286: the BIOS is mirrored at the top of 16 MiB; extended memory from 1 MiB") {
        Machine m(config_for(CpuModel::I80286, rom_with({0x90})));
        CHECK(m.mem_read8(0xFFFFF0) == 0xEA);
        CHECK(m.mem_read8(0xFF0000) == 0x90);
        CHECK(m.mem_read8(0xFFFF0) == 0xEA);
        m.mem_write8(0x100000, 0x56);
        CHECK(m.mem_read8(0x100000) == 0x56);
        CHECK(m.mem_read8(0x000000) == 0x00);  // no wrap: A20 is open after reset
        m.mem_write16(0x3FFFFE, 0x7788);
        CHECK(m.mem_read16(0x3FFFFE) == 0x7788);
        CHECK(m.mem_read8(0x400000) == 0xFF);  // 4 MiB installed
        m.memory().set_a20_enabled(false);
        CHECK(m.mem_read8(0x100000) == 0x00);
    }

    TEST_CASE("a 128 KiB BIOS ends at FFFFF; 16 MiB of RAM stops below the ROM's alias") {
        std::vector<std::uint8_t> rom(0x20000, 0x00);
        rom[0] = 0xAB;
        MachineConfig c = config_for(CpuModel::I80286, rom);
        c.memory_mib = 16;
        Machine m(c);
        CHECK(m.mem_read8(0xE0000) == 0xAB);
        CHECK(m.mem_read8(0xFE0000) == 0xAB);
        m.mem_write8(0xFDFFFF, 0x01);
        CHECK(m.mem_read8(0xFDFFFF) == 0x01);
    }

    TEST_CASE("inspect walks every component") {
        Machine m(config_for(CpuModel::I8086, rom_with({})));
        testing::RecordingVisitor v;
        m.inspect(v);
        CHECK(v.has("machine.config.memory_mib=1"));
        CHECK(v.has("machine.config.cpu_freq_hz=4772727"));
        CHECK(v.has("machine.scheduler.now=0"));
        CHECK(v.has("machine.memory.bios.base=983040"));
        CHECK(v.has("machine.ram.bytes=<1048576 bytes>"));
        CHECK(v.has("machine.ports.debugcon.first=233"));
        CHECK(v.has("machine.debug_exit.requested=0"));
        CHECK(v.has("machine.post_code.last_code=0"));
    }

    TEST_CASE("a program prints on port 0xE9 and exits through port 0xF4") {
        for (CpuModel model : kModels) {
            CAPTURE(cpu_model_name(model));
            Machine m(config_for(model, rom_with(kHello)));
            StringSink out;
            m.debug_console().set_sink(&out);
            const RunResult r = m.run();
            CHECK(r.reason == MachineStop::DebugExit);
            CHECK(r.debug_exit_value == 5);
            CHECK(m.debug_exit().exit_status() == 11);
            CHECK(out.text() == "Hi");
            CHECK(r.instructions == 7);  // the reset jump and six instructions
            CHECK(r.cycles > 0);
            // Running again without clearing the exit request stops at once.
            CHECK(m.run().reason == MachineStop::DebugExit);
        }
    }

    TEST_CASE("HLT with interrupts off ends the run") {
        for (CpuModel model : kModels) {
            CAPTURE(cpu_model_name(model));
            Machine m(config_for(model, rom_with(kCliHlt)));
            const RunResult r = m.run();
            CHECK(r.reason == MachineStop::Halted);
            CHECK_FALSE(r.interrupts_enabled);
        }
    }

    TEST_CASE("HLT with interrupts on but nothing to raise one ends the run too") {
        Machine m(config_for(CpuModel::I8086, rom_with(kStiHlt)));
        const RunResult r = m.run();
        CHECK(r.reason == MachineStop::Halted);
        CHECK(r.interrupts_enabled);
    }

    TEST_CASE("the instruction limit is exact") {
        for (CpuModel model : kModels) {
            CAPTURE(cpu_model_name(model));
            Machine m(config_for(model, rom_with(kLoop)));
            RunLimits limits;
            limits.max_instructions = 1000;
            const RunResult r = m.run(limits);
            CHECK(r.reason == MachineStop::InstructionLimit);
            CHECK(r.instructions == 1000);
            CHECK(m.interpreter().state().instructions == 1000);
        }
    }

    TEST_CASE("the host timeout stops an endless loop") {
        Machine m(config_for(CpuModel::I8086, rom_with(kLoop)));
        RunLimits limits;
        limits.host_timeout = std::chrono::milliseconds(50);
        const RunResult r = m.run(limits);
        CHECK(r.reason == MachineStop::HostTimeout);
        CHECK(r.instructions > 0);
    }

    TEST_CASE("the CPU never runs past a scheduled event") {
        Machine m(config_for(CpuModel::I8086, rom_with(kLoop)));
        Cycles fired_at = 0;
        Cycles scheduled_for = 0;
        m.scheduler().at(
            12345,
            [&](Cycles when) {
                scheduled_for = when;
                fired_at = m.scheduler().now();
                m.debug_exit().write(0, 7, 1);  // as if a device ended the run
            },
            "test.stop");
        const RunResult r = m.run();
        CHECK(r.reason == MachineStop::DebugExit);
        CHECK(r.debug_exit_value == 7);
        CHECK(scheduled_for == 12345);
        CHECK(fired_at >= 12345);
        CHECK(fired_at < 12345 + 100);  // at most one instruction late
    }

    TEST_CASE("the same program gives the same cycle count every time") {
        Cycles first = 0;
        for (int i = 0; i < 3; ++i) {
            Machine m(config_for(CpuModel::I8086, rom_with(kLoop)));
            RunLimits limits;
            limits.max_instructions = 5000;
            const RunResult r = m.run(limits);
            if (i == 0) first = r.cycles;
            CHECK(r.cycles == first);
        }
    }
}
