// The decoded-block cache changes speed and nothing else (cpu/block_cache.h): every guest here
// runs twice, cache on and off, and must end in the same CPU state, RAM, output, cycle count and
// instruction count. Plus self-modifying code and writes from outside the CPU.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "bench/bench_guests.h"
#include "bios/embedded_bios.h"
#include "cpu/interpreter.h"
#include "debugger/conformance/conformance_runner.h"
#include "devices/byte_sink.h"
#include "devices/machine.h"

using namespace lantern;

namespace {

std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Outcome {
    RunResult result{};
    CpuState cpu{};
    std::vector<std::uint8_t> ram{};
    std::string debugcon{};
    BlockCacheStats stats{};
};

Outcome run_machine(MachineConfig config, bool cache, std::uint64_t max_instructions) {
    config.block_cache = cache;
    Machine m(std::move(config));
    StringSink sink;
    m.debug_console().set_sink(&sink);
    RunLimits limits;
    limits.max_instructions = max_instructions;
    Outcome o;
    o.result = m.run(limits);
    o.cpu = m.interpreter().state();
    o.ram.assign(m.ram().begin(), m.ram().end());
    o.debugcon = sink.text();
    o.stats = m.interpreter().block_cache().stats();
    return o;
}

// Runs `config` with the cache on and off and checks the two runs agree in everything.
Outcome check_same(const MachineConfig& config, std::uint64_t max_instructions) {
    const Outcome on = run_machine(config, true, max_instructions);
    const Outcome off = run_machine(config, false, max_instructions);
    CHECK(on.result.reason == off.result.reason);
    CHECK(on.result.debug_exit_value == off.result.debug_exit_value);
    CHECK(on.result.instructions == off.result.instructions);
    CHECK(on.result.cycles == off.result.cycles);
    CHECK(on.cpu == off.cpu);
    CHECK(on.ram == off.ram);
    CHECK(on.debugcon == off.debugcon);
    CHECK(off.stats.hits == 0);
    MESSAGE(on.result.instructions << " instructions, " << on.result.cycles << " cycles; cache hits "
                                   << on.stats.hits << " of " << on.stats.lookups << ", blocks " << on.stats.blocks_built
                                   << ", invalidations " << on.stats.invalidations);
    return on;
}

MachineConfig rom_config(CpuModel cpu, std::vector<std::uint8_t> rom) {
    MachineConfig c;
    c.cpu_model = cpu;
    c.memory_mib = default_memory_mib(cpu);
    c.cpu_freq_hz = default_cpu_freq_hz(cpu);
    c.bios_image = std::move(rom);
    return c;
}

// A 64 KiB ROM whose reset vector jumps to 0000:1000 after copying `code` there (real mode), so
// the code runs from RAM and may rewrite itself.
std::vector<std::uint8_t> ram_code_rom(const std::vector<std::uint8_t>& code) {
    std::vector<std::uint8_t> rom(0x10000, 0x90);
    std::size_t p = 0;
    auto emit = [&](std::initializer_list<std::uint8_t> bytes) {
        for (std::uint8_t b : bytes) rom[p++] = b;
    };
    // F000:0000: DS=ES=0, SI = the code's offset in the ROM (CS:), DI=1000h, CX=len; CS: REP MOVSB;
    // JMP 0000:1000.
    const std::uint16_t code_at = 0x0100, len = static_cast<std::uint16_t>(code.size());
    emit({0x31, 0xC0, 0x8E, 0xD8, 0x8E, 0xC0, 0x8E, 0xD0, 0xBC, 0x00, 0x80});  // xor ax,ax; mov ds/es/ss,ax; mov sp,8000h
    emit({0xBE, static_cast<std::uint8_t>(code_at), static_cast<std::uint8_t>(code_at >> 8)});  // mov si, code_at
    emit({0xBF, 0x00, 0x10});                                                                  // mov di, 1000h
    emit({0xB9, static_cast<std::uint8_t>(len), static_cast<std::uint8_t>(len >> 8)});         // mov cx, len
    emit({0xFC, 0x2E, 0xF3, 0xA4});                                                            // cld; cs rep movsb
    emit({0xEA, 0x00, 0x10, 0x00, 0x00});                                                      // jmp 0000:1000
    std::copy(code.begin(), code.end(), rom.begin() + code_at);
    const std::uint8_t reset[] = {0xEA, 0x00, 0x00, 0x00, 0xF0};  // FFFF0: jmp F000:0000
    std::copy(std::begin(reset), std::end(reset), rom.begin() + 0xFFF0);
    return rom;
}

std::string rom_dir() { return LANTERN_TEST_ROM_DIR; }

}  // namespace

TEST_SUITE("block_cache") {
    TEST_CASE("test ROMs: cache on and off end identically") {
        const std::vector<std::string> real_roms = {"hello", "arith", "string", "divide", "intiret", "checksum", "pit_irq0"};
        for (const auto& name : real_roms) {
            for (CpuModel cpu : {CpuModel::I8086, CpuModel::I80286, CpuModel::P6}) {
                const auto rom = read_bytes(rom_dir() + "/" + name + ".bin");
                REQUIRE_MESSAGE(!rom.empty(), (rom_dir() + "/" + name + ".bin"));
                CAPTURE(name);
                CAPTURE(cpu_model_name(cpu));
                check_same(rom_config(cpu, rom), 50'000'000);
            }
        }
        const std::vector<std::string> pm_roms = {"real32", "pmode", "rings", "paging", "tasks", "v86", "x87"};
        for (const auto& name : pm_roms) {
            for (CpuModel cpu : {CpuModel::I80386, CpuModel::I80486, CpuModel::P6}) {
                const auto rom = read_bytes(rom_dir() + "/pm/" + name + ".bin");
                REQUIRE_MESSAGE(!rom.empty(), (rom_dir() + "/pm/" + name + ".bin"));
                CAPTURE(name);
                CAPTURE(cpu_model_name(cpu));
                const Outcome o = check_same(rom_config(cpu, rom), 50'000'000);
                CHECK(o.result.reason == MachineStop::DebugExit);
            }
        }
    }

    TEST_CASE("the bench guest: cache on and off end identically, and the cache is used") {
        auto rom = bench::cpubound_rom();
        const Outcome o = check_same(rom_config(CpuModel::P6, {rom.begin(), rom.end()}), 20'000'000);
        CHECK(o.result.reason == MachineStop::DebugExit);
        CHECK(o.stats.hits * 10 > o.stats.lookups * 9);  // a hot loop: nearly every lookup hits
    }

    TEST_CASE("code that rewrites the next instruction of its own block runs the new bytes") {
        // 1000: mov byte [1006h], 7 ; 1005: mov al, 5 (its immediate at 1006h) ; out F4h, al ; jmp $
        const std::vector<std::uint8_t> code = {0xC6, 0x06, 0x06, 0x10, 0x07, 0xB0, 0x05, 0xE6, 0xF4, 0xEB, 0xFE};
        for (CpuModel cpu : {CpuModel::I8086, CpuModel::I80286, CpuModel::P6}) {
            CAPTURE(cpu_model_name(cpu));
            const Outcome o = check_same(rom_config(cpu, ram_code_rom(code)), 1'000'000);
            CHECK(o.result.reason == MachineStop::DebugExit);
            CHECK(o.result.debug_exit_value == 7);
            CHECK(o.stats.invalidations >= 1);
        }
    }

    TEST_CASE("a loop that patches its own immediate every pass") {
        // 1000: mov cx, 10 ; xor ax, ax ; L (1005): add byte [100Ch], 1 ; 100A: add al, 0 (imm at
        // 100Bh) ... the patched byte is the ADD AL immediate: 1+2+...+10 = 55.
        const std::vector<std::uint8_t> code = {
            0xB9, 0x0A, 0x00,              // 1000 mov cx, 10
            0x31, 0xC0,                    // 1003 xor ax, ax
            0x80, 0x06, 0x0B, 0x10, 0x01,  // 1005 add byte [100Bh], 1
            0x04, 0x00,                    // 100A add al, 0
            0xE2, 0xF7,                    // 100C loop 1005
            0xE6, 0xF4,                    // 100E out F4h, al
            0xEB, 0xFE};                   // 1010 jmp $
        for (CpuModel cpu : {CpuModel::I8086, CpuModel::P6}) {
            CAPTURE(cpu_model_name(cpu));
            const Outcome o = check_same(rom_config(cpu, ram_code_rom(code)), 1'000'000);
            CHECK(o.result.debug_exit_value == 55);
            CHECK(o.stats.invalidations >= 10);
        }
    }

    TEST_CASE("a write from outside the CPU (debugger, DMA: the memory map) reaches cached code") {
        const std::vector<std::uint8_t> code = {0xB0, 0x05, 0xE6, 0xF4, 0xEB, 0xFA};  // L: mov al,5; out F4h,al; jmp L
        Machine m(rom_config(CpuModel::P6, ram_code_rom(code)));
        RunResult r = m.run({});
        REQUIRE(r.reason == MachineStop::DebugExit);
        CHECK(r.debug_exit_value == 5);
        const auto built = m.interpreter().block_cache().stats().blocks_built;
        m.memory().write8(0x1001, 9);  // the way the debugger's `set byte` and DMA write
        m.debug_exit().clear();
        r = m.run({});
        REQUIRE(r.reason == MachineStop::DebugExit);
        CHECK(r.debug_exit_value == 9);
        CHECK(m.interpreter().block_cache().stats().invalidations >= 1);
        CHECK(m.interpreter().block_cache().stats().blocks_built > built);
        // A load behind the bus (Machine::load_ram) flushes the cache.
        const std::uint8_t eleven = 11;
        m.load_ram(0x1001, std::span(&eleven, 1));
        m.debug_exit().clear();
        r = m.run({});
        CHECK(r.debug_exit_value == 11);
    }

    TEST_CASE("FreeDOS boot: cache on and off end identically") {
        const std::string floppy = std::string(LANTERN_SHARED_DIR) + "/images/freedos722.img";
        if (!std::filesystem::exists(floppy)) {
            MESSAGE("SKIPPED: " << floppy << " not found");
            return;
        }
        MachineConfig c;
        c.cpu_model = CpuModel::P6;
        c.memory_mib = default_memory_mib(CpuModel::P6);
        c.cpu_freq_hz = default_cpu_freq_hz(CpuModel::P6);
        const auto rom = assets::bios_rom();
        c.bios_image.assign(rom.begin(), rom.end());
        c.pc_board = true;
        c.board.floppy_a = floppy;
        check_same(c, 40'000'000);  // the BIOS, the boot sector, the kernel loading by DMA
    }

    TEST_CASE("conformance sets: cache on and off give the same results") {
        const std::filesystem::path dir = LANTERN_CONFORMANCE_DIR;
        if (!std::filesystem::exists(dir / "8086")) {
            MESSAGE("SKIPPED: " << dir.string() << " not found");
            return;
        }
        for (const char* set : {"8086", "80286"}) {
            conformance::ConformanceOptions options;
            options.directory = dir / set;
            // A sample across the opcode map: ALU, moves, strings, jumps, far transfers, groups.
            options.filter = "00,01,03,10,29,31,3B,50,58,70,74,80.0,81.7,88,89,8B,8C,8E,9C,9D,A4,A5,AA,AC,C3,CA,CD,CF,"
                             "D0.4,D1.7,E8,EA,F6.6,F7.7,FE.0,FF.2,FF.3";
            options.threads = 2;
            options.block_cache = true;
            const auto on = conformance::run_conformance_set(options.directory, options);
            options.block_cache = false;
            const auto off = conformance::run_conformance_set(options.directory, options);
            const std::string set_name = set;
            CAPTURE(set_name);
            CHECK(on.passed() == off.passed());
            CHECK(on.failed() == off.failed());
            CHECK(on.cycles().exact == off.cycles().exact);
            CHECK(on.cycles().abs_diff_sum == off.cycles().abs_diff_sum);
            CHECK(on.passed() > 10'000);
            MESSAGE(std::string(set) << ": " << on.passed() << " passed, " << on.failed() << " failed, both ways");
        }
    }
}
