// Unit tests of the conformance library: the MOO reader on hand-built files (whole, truncated at
// every byte, corrupt, gzipped), metadata parsing, the flat test bus, and the runner's verdicts
// on tiny 8086 tests. The full SingleStepTests runs live in conformance_suite_test.cpp.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "debugger/conformance/conformance_runner.h"
#include "debugger/conformance/flat_test_bus.h"
#include "debugger/conformance/moo_reader.h"
#include "debugger/conformance/suite_metadata.h"

using namespace lantern;
using namespace lantern::conformance;

namespace {

using Bytes = std::vector<std::uint8_t>;

void put16(Bytes& b, std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v));
    b.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(Bytes& b, std::uint32_t v) {
    put16(b, static_cast<std::uint16_t>(v));
    put16(b, static_cast<std::uint16_t>(v >> 16));
}
void put_text(Bytes& b, std::string_view s) { b.insert(b.end(), s.begin(), s.end()); }

Bytes chunk(std::string_view id, const Bytes& payload) {
    Bytes b;
    put_text(b, id);
    put32(b, static_cast<std::uint32_t>(payload.size()));
    b.insert(b.end(), payload.begin(), payload.end());
    return b;
}
Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes b;
    for (const auto& p : parts) b.insert(b.end(), p.begin(), p.end());
    return b;
}
Bytes counted(const Bytes& data) {
    Bytes b;
    put32(b, static_cast<std::uint32_t>(data.size()));
    b.insert(b.end(), data.begin(), data.end());
    return b;
}
// REGS/RMSK payload from (MooReg, value) pairs in register order.
Bytes regs(std::initializer_list<std::pair<MooReg, std::uint16_t>> rs) {
    std::uint16_t mask = 0;
    for (auto [r, v] : rs) mask = static_cast<std::uint16_t>(mask | (1u << static_cast<int>(r)));
    Bytes b;
    put16(b, mask);
    for (auto [r, v] : rs) put16(b, v);
    return b;
}
Bytes ram(std::initializer_list<std::pair<std::uint32_t, std::uint8_t>> entries) {
    Bytes b;
    put32(b, static_cast<std::uint32_t>(entries.size()));
    for (auto [a, v] : entries) {
        put32(b, a);
        b.push_back(v);
    }
    return b;
}
Bytes header(std::uint32_t count, std::string_view cpu) {
    Bytes p = {1, 1, 0, 0};
    put32(p, count);
    put_text(p, cpu);
    return chunk("MOO ", p);
}

// A complete INIT register set: CS:IP = 1000:0100, everything else small and distinct.
Bytes init_regs(std::uint16_t ax, std::uint16_t flags) {
    return regs({{MooReg::AX, ax},     {MooReg::BX, 2},      {MooReg::CX, 3},
                 {MooReg::DX, 4},      {MooReg::CS, 0x1000}, {MooReg::SS, 0x2000},
                 {MooReg::DS, 0x3000}, {MooReg::ES, 0x4000}, {MooReg::SP, 0x0100},
                 {MooReg::BP, 6},      {MooReg::SI, 7},      {MooReg::DI, 8},
                 {MooReg::IP, 0x0100}, {MooReg::FLAGS, flags}});
}

Bytes test_chunk(std::uint32_t index, std::string_view name, const Bytes& code, const Bytes& init,
                 const Bytes& fina, std::uint32_t cycles, const Bytes& extra = {}) {
    Bytes p;
    put32(p, index);
    Bytes cyc;
    put32(cyc, cycles);
    cyc.resize(4 + 15 * cycles, 0);
    p = cat({p, chunk("NAME", counted(Bytes(name.begin(), name.end()))),
             chunk("BYTS", counted(code)), chunk("INIT", init), chunk("FINA", fina),
             chunk("CYCL", cyc), extra});
    return chunk("TEST", p);
}

// The sample file: every chunk type the reader knows, plus one it must skip.
Bytes sample_file() {
    Bytes meta = {1, 0, 6};
    put32(meta, 0x40);
    put_text(meta, "inc     ");
    put32(meta, 1);
    meta.resize(meta.size() + 8 + 4, 0);  // seed, cpu_mode, reserved
    Bytes init = cat({chunk("REGS", init_regs(0x1234, 0xF002)),
                      chunk("RAM ", ram({{0x10100, 0x40}, {0x10101, 0x90}})),
                      chunk("QUEU", counted({0x40, 0x90}))});
    Bytes fina = cat({chunk("REGS", regs({{MooReg::AX, 0x1235}, {MooReg::IP, 0x0101}})),
                      chunk("RMSK", regs({{MooReg::FLAGS, 0xFFEF}})),
                      chunk("RAM ", ram({{0x10100, 0x40}}))});
    Bytes excp = {0};
    put32(excp, 0x20FE);
    Bytes hash(20);
    for (int i = 0; i < 20; ++i) hash[i] = static_cast<std::uint8_t>(i * 11);
    Bytes extra = cat({chunk("EXCP", excp), chunk("ZZZZ", {1, 2, 3}), chunk("HASH", hash)});
    return cat({header(1, "C286"), chunk("META", meta),
                test_chunk(7, "inc ax", {0x40}, init, fina, 3, extra)});
}

std::filesystem::path temp_path(const std::string& name) {
    return std::filesystem::temp_directory_path() / ("lantern_conformance_test_" + name);
}

void write_gzip(const std::filesystem::path& p, const Bytes& data) {
    gzFile g = gzopen(p.c_str(), "wb");
    REQUIRE(g != nullptr);
    REQUIRE(gzwrite(g, data.data(), static_cast<unsigned>(data.size())) ==
            static_cast<int>(data.size()));
    gzclose(g);
}

Bytes read_all(const std::filesystem::path& p) {
    FILE* f = std::fopen(p.c_str(), "rb");
    REQUIRE(f != nullptr);
    Bytes b;
    int c;
    while ((c = std::fgetc(f)) != EOF) b.push_back(static_cast<std::uint8_t>(c));
    std::fclose(f);
    return b;
}

}  // namespace

TEST_SUITE("unit") {

TEST_CASE("moo reader: parses every chunk of a hand-built file") {
    const Bytes blob = sample_file();
    const MooFile f = parse_moo(blob);
    CHECK(f.cpu_id == "C286");
    CHECK(f.declared_test_count == 1);
    REQUIRE(f.meta);
    CHECK(f.meta->mnemonic == "inc");
    CHECK(f.meta->opcode == 0x40);
    REQUIRE(f.tests.size() == 1);
    const MooTest& t = f.tests[0];
    CHECK(t.index == 7);
    CHECK(t.name == "inc ax");
    CHECK(t.bytes == Bytes{0x40});
    CHECK(t.initial.regs.present == 0x3FFF);
    CHECK(t.initial.regs.get(MooReg::AX) == 0x1234);
    CHECK(t.initial.regs.get(MooReg::FLAGS) == 0xF002);
    CHECK(t.initial.ram.size() == 2);
    CHECK(t.initial.ram[1].address == 0x10101);
    CHECK(t.initial.ram[1].value == 0x90);
    CHECK(t.initial.queue == Bytes{0x40, 0x90});
    CHECK(t.final_state.regs.has(MooReg::AX));
    CHECK_FALSE(t.final_state.regs.has(MooReg::BX));
    CHECK(t.final_state.regs.get(MooReg::IP) == 0x0101);
    REQUIRE(t.final_state.reg_masks);
    CHECK(t.final_state.reg_masks->get(MooReg::FLAGS) == 0xFFEF);
    CHECK(t.cycle_count == 3);
    REQUIRE(t.exception);
    CHECK(t.exception->vector == 0);
    CHECK(t.exception->flags_address == 0x20FE);
    CHECK(t.hash_hex().substr(0, 6) == "000b16");
}

TEST_CASE("moo reader: a file cut at any byte is an error, never a crash") {
    const Bytes blob = sample_file();
    for (std::size_t n = 0; n < blob.size(); ++n) {
        CAPTURE(n);
        CHECK_THROWS_AS(parse_moo(std::span(blob.data(), n)), MooError);
    }
}

TEST_CASE("moo reader: corrupt headers and lengths are errors") {
    Bytes blob = sample_file();
    SUBCASE("wrong magic") {
        blob[0] = 'X';
        CHECK_THROWS_WITH_AS(parse_moo(blob), doctest::Contains("not a MOO file"), MooError);
    }
    SUBCASE("chunk length past the end") {
        blob[20 + 4 + 3] = 0xFF;  // the META chunk's length, high byte
        CHECK_THROWS_AS(parse_moo(blob), MooError);
    }
    SUBCASE("header count disagrees") {
        blob[12] = 2;
        CHECK_THROWS_WITH_AS(parse_moo(blob), doctest::Contains("declares 2 tests"), MooError);
    }
}

TEST_CASE("moo reader: gzip files, and a truncated gzip stream") {
    const Bytes blob = sample_file();
    const auto good = temp_path("good.MOO.gz");
    write_gzip(good, blob);
    CHECK(read_moo_file(good).tests.size() == 1);

    Bytes gz = read_all(good);
    const auto cut = temp_path("cut.MOO.gz");
    {
        FILE* f = std::fopen(cut.c_str(), "wb");
        REQUIRE(f != nullptr);
        std::fwrite(gz.data(), 1, gz.size() / 2, f);
        std::fclose(f);
    }
    CHECK_THROWS_AS(read_moo_file(cut), MooError);
    CHECK_THROWS_AS(read_moo_file(temp_path("does_not_exist.MOO.gz")), MooError);
    std::filesystem::remove(good);
    std::filesystem::remove(cut);
}

TEST_CASE("suite metadata: per-opcode and per-reg flag masks, revocations") {
    const char* json = R"({"cpu": "8086", "opcodes": {
        "08": {"status": "normal", "flags": ".....a..", "flags-mask": 65519},
        "D4": {"status": "normal", "flags": "o....a.c"},
        "F6": {"reg": {"4": {"status": "normal", "flags-mask": 65323},
                       "6": {"status": "normal", "flags-mask": 63274}}},
        "90": {"status": "normal"}}})";
    const SuiteMetadata m = SuiteMetadata::parse(json, "# comment\nABCDEF0123 # bad test\n\n");
    CHECK(m.cpu() == "8086");
    CHECK(m.lookup("08", -1).flags_mask == 0xFFEF);
    CHECK(m.lookup("D4", -1).flags_mask == 63470);  // from the letters
    CHECK(m.lookup("F6", 4).flags_mask == 65323);
    CHECK(m.lookup("F6", 6).flags_mask == 63274);
    CHECK(m.lookup("F6", -1).flags_mask == (65323 & 63274));  // reg unknown: conservative
    CHECK(m.lookup("F6", 2).flags_mask == (65323 & 63274));
    CHECK(m.has_reg_entries("F6"));
    CHECK(m.lookup("90", -1).flags_mask == 0xFFFF);
    CHECK(m.lookup("C3", -1).flags_mask == 0xFFFF);
    CHECK(m.is_revoked("abcdef0123"));
    CHECK_FALSE(m.is_revoked("abcdef"));
    CHECK_THROWS(SuiteMetadata::parse("{not json", ""));
}

TEST_CASE("flat test bus: 20-bit wrap, write log, reset, I/O reads all ones") {
    FlatTestBus bus(0xFFFFF);
    const MooRamEntry init[] = {{0x12345, 0xAB}};
    bus.load(init);
    CHECK(bus.mem_read8(0x12345) == 0xAB);
    CHECK(bus.mem_read8(0x112345) == 0xAB);  // wraps at 1 MiB
    bus.mem_write16(0xFFFFF, 0x1234);        // the high byte lands at 0x00000
    CHECK(bus.peek(0xFFFFF) == 0x34);
    CHECK(bus.peek(0x00000) == 0x12);
    CHECK(bus.writes() == std::vector<std::uint32_t>{0xFFFFF, 0x00000});
    CHECK(bus.io_read(0x60, 1) == 0xFF);
    CHECK(bus.io_read(0x60, 2) == 0xFFFF);
    bus.reset();
    CHECK(bus.peek(0x12345) == 0);
    CHECK(bus.peek(0xFFFFF) == 0);
    CHECK(bus.writes().empty());
}

TEST_CASE("runner: verdicts on hand-built 8086 tests") {
    // CS:IP = 1000:0100 -> code at 0x10100; DS = 3000.
    const Bytes init_inc = cat({chunk("REGS", init_regs(0x0001, 0xF002)),
                                chunk("RAM ", ram({{0x10100, 0x40}}))});
    // MOV [0010], AL (A2 10 00) writes 0x30010.
    const Bytes init_mov = cat({chunk("REGS", init_regs(0x0055, 0xF002)),
                                chunk("RAM ", ram({{0x10100, 0xA2}, {0x10101, 0x10},
                                                   {0x10102, 0x00}, {0x30010, 0x11}}))});
    const Bytes blob = cat({
        header(4, "8086"),
        // 0: INC AX 1 -> 2, flags unchanged (PF clear, as in INIT): passes.
        test_chunk(0, "inc ax", {0x40}, init_inc,
                   chunk("REGS", regs({{MooReg::AX, 2}, {MooReg::IP, 0x0101}})), 2),
        // 1: the same with a wrong expectation: fails on AX.
        test_chunk(1, "inc ax", {0x40}, init_inc,
                   chunk("REGS", regs({{MooReg::AX, 3}, {MooReg::IP, 0x0101}})), 2),
        // 2: MOV [0010], AL with the write listed: passes.
        test_chunk(2, "mov [0010h], al", {0xA2, 0x10, 0x00}, init_mov,
                   cat({chunk("REGS", regs({{MooReg::IP, 0x0103}})),
                        chunk("RAM ", ram({{0x30010, 0x55}}))}),
                   10),
        // 3: the write left out of FINA: an unexpected write, so it fails.
        test_chunk(3, "mov [0010h], al", {0xA2, 0x10, 0x00}, init_mov,
                   chunk("REGS", regs({{MooReg::IP, 0x0103}})), 10),
    });
    const MooFile f = parse_moo(blob);
    ConformanceOptions opt;
    opt.verbose = true;
    opt.failure_details = 4;
    const FileResult r = run_moo_tests(f, "40", SuiteMetadata{}, opt);
    CHECK(r.error.empty());
    CHECK(r.passed == 2);
    CHECK(r.failed == 2);
    REQUIRE(r.failure_details.size() == 2);
    CHECK(r.failure_details[0].find("ax: expected 0x0003, got 0x0002") != std::string::npos);
    CHECK(r.failure_details[1].find("written 0x55, expected unchanged 0x11") != std::string::npos);
    CHECK(r.cycles.compared == 4);
}

}  // TEST_SUITE("unit")
