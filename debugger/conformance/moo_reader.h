// Reader for MOO ("Machine Opcode Operation") files: the binary, chunked format of the
// SingleStepTests CPU test suites (format v1.1, dbalsom/moo doc/moo_format_v1.md).
//
// A MOO file is a `MOO ` header chunk, an optional `META` chunk, an optional file-wide `RMSK`,
// then one `TEST` chunk per test. Every chunk is a 4-byte ASCII id, a uint32 payload length and
// the payload; all integers are little-endian. Unknown chunks are skipped by length, as the spec
// asks, so newer files with extra chunks still load.
//
// The parser never trusts a length: every read is bounds-checked against its enclosing chunk, so
// a truncated or corrupt file raises MooError (with the byte offset) instead of reading past the
// buffer.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace lantern::conformance {

class MooError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Register order of the REGS/RMSK bitmask (bit 0 = AX ... bit 13 = FLAGS). This is the MOO
// order, not the x86 encoding order of lantern::Reg.
enum class MooReg : std::uint8_t { AX, BX, CX, DX, CS, SS, DS, ES, SP, BP, SI, DI, IP, FLAGS };
inline constexpr int kMooRegCount = 14;
std::string_view moo_reg_name(MooReg r);

// A REGS or RMSK payload: which registers are present and their values (masks for RMSK).
struct MooRegisters {
    std::uint16_t present = 0;
    std::array<std::uint16_t, kMooRegCount> value{};

    bool has(MooReg r) const { return (present >> static_cast<int>(r)) & 1u; }
    std::uint16_t get(MooReg r) const { return value[static_cast<int>(r)]; }
    void set(MooReg r, std::uint16_t v) {
        present = static_cast<std::uint16_t>(present | (1u << static_cast<int>(r)));
        value[static_cast<int>(r)] = v;
    }
};

struct MooRamEntry {
    std::uint32_t address = 0;
    std::uint8_t value = 0;
};

// An INIT or FINA chunk. In FINA only the registers and bytes that changed are present.
struct MooCpuState {
    MooRegisters regs;
    std::optional<MooRegisters> reg_masks;  // RMSK: per-test masks for undefined register bits
    std::vector<MooRamEntry> ram;
    std::vector<std::uint8_t> queue;        // prefetch queue contents (QUEU), may be empty
};

// EXCP: the test raised an exception or interrupt; FLAGS were pushed at `flags_address`.
struct MooException {
    std::uint8_t vector = 0;
    std::uint32_t flags_address = 0;
};

struct MooTest {
    std::uint32_t index = 0;
    std::string name;                  // disassembly, e.g. "add [bx+0Eh],bl"
    std::vector<std::uint8_t> bytes;   // instruction bytes (286 set: followed by the HLT)
    MooCpuState initial;
    MooCpuState final_state;
    // Number of CPU cycles in the CYCL trace. The per-cycle bus records are not kept: the
    // runner only compares counts, and keeping them would triple the memory per file.
    std::uint32_t cycle_count = 0;
    std::optional<MooException> exception;
    std::optional<std::array<std::uint8_t, 20>> hash;  // SHA-1 identifying the test

    std::string hash_hex() const;  // lower-case hex, empty without a HASH chunk
};

// META: data common to every test of the file (absent from the 8086 v1 files).
struct MooMeta {
    std::uint8_t major_version = 0;
    std::uint8_t minor_version = 0;
    std::uint8_t cpu_type = 0;
    std::uint32_t opcode = 0;   // 0xFFFFFFFF when the file mixes opcodes
    std::string mnemonic;       // trailing padding removed
    std::uint32_t test_count = 0;
    std::uint64_t file_seed = 0;
    std::uint8_t cpu_mode = 0;  // 0 = real mode
};

struct MooFile {
    std::uint8_t major_version = 0;
    std::uint8_t minor_version = 0;
    std::uint32_t declared_test_count = 0;
    std::string cpu_id;  // four characters, e.g. "8086", "C286"
    std::optional<MooMeta> meta;
    std::optional<MooRegisters> reg_masks;  // file-wide RMSK, applies to every test
    std::vector<MooTest> tests;
};

// Parses an uncompressed MOO image. Throws MooError on truncated or malformed data, including a
// test count that disagrees with the header (a file cut at a chunk boundary).
MooFile parse_moo(std::span<const std::uint8_t> data);

// Reads a whole file, inflating it if it is gzip-compressed (plain files pass through). Throws
// MooError if the file cannot be opened or the gzip stream is corrupt or truncated.
std::vector<std::uint8_t> read_maybe_gzipped(const std::filesystem::path& path);

// read_maybe_gzipped + parse_moo; the error message names the file.
MooFile read_moo_file(const std::filesystem::path& path);

}  // namespace lantern::conformance
