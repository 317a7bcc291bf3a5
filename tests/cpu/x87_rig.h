// A small machine for interpreter-level x87 tests: flat RAM behind a CpuBus that records FERR#,
// a P6 (or any model) put straight into 32-bit flat protected mode or real mode through
// CpuState, and an emitter for the few encodings the tests need. Programs end in HLT; every
// exception vector's handler is a HLT too, so a test runs until the CPU halts and then looks at
// last_interrupt(), memory and the FPU state.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "cpu/fpu/float80.h"
#include "cpu/interpreter.h"

namespace x87test {

using namespace lantern;

class FlatBus final : public CpuBus {
public:
    static constexpr std::uint32_t kSize = 4u << 20;
    FlatBus() : ram_(kSize, 0) {}
    std::uint8_t mem_read8(std::uint32_t a) override { return a < kSize ? ram_[a] : 0xFF; }
    void mem_write8(std::uint32_t a, std::uint8_t v) override {
        if (a < kSize) ram_[a] = v;
    }
    std::uint8_t peek8(std::uint32_t a) const override { return a < kSize ? ram_[a] : 0xFF; }
    std::uint32_t io_read(std::uint16_t, unsigned) override { return 0xFFFFFFFFu; }
    void io_write(std::uint16_t, std::uint32_t, unsigned) override {}
    void fpu_error(bool asserted) override {
        ferr = asserted;
        ferr_edges.push_back(asserted);
    }

    std::vector<std::uint8_t> ram_;
    bool ferr = false;
    std::vector<bool> ferr_edges;
};

// Fixed layout (linear = physical): descriptor tables, handlers, code, data.
inline constexpr std::uint32_t kGdt = 0x1000, kIdt = 0x2000, kHandlers = 0x3000;
inline constexpr std::uint32_t kCode = 0x10000, kData = 0x20000, kStack = 0x80000;
inline constexpr std::uint16_t kCodeSel = 0x08, kDataSel = 0x10;

// Little-endian emitter. Memory operands use absolute addresses: [disp32] in 32-bit code
// (ModR/M mod 00 r/m 101), [disp16] in 16-bit code (mod 00 r/m 110).
class Code {
public:
    explicit Code(bool code32) : code32_(code32) {}
    Code& bytes(std::initializer_list<std::uint8_t> b) {
        out.insert(out.end(), b);
        return *this;
    }
    // Register form or operand-less x87 instruction: escape byte and ModR/M byte (D9 E8 = fld1).
    Code& reg(std::uint8_t escape, std::uint8_t modrm) { return bytes({escape, modrm}); }
    // Memory form: escape byte, /reg, absolute address.
    Code& mem(std::uint8_t escape, unsigned reg, std::uint32_t addr) {
        out.push_back(escape);
        out.push_back(static_cast<std::uint8_t>((reg << 3) | (code32_ ? 5 : 6)));
        for (unsigned k = 0; k < (code32_ ? 4u : 2u); ++k) out.push_back(static_cast<std::uint8_t>(addr >> (8 * k)));
        return *this;
    }
    Code& o16() { return bytes({0x66}); }  // operand-size prefix (16-bit image in 32-bit code)
    Code& fninit() { return reg(0xDB, 0xE3); }
    Code& fwait() { return bytes({0x9B}); }
    Code& hlt() { return bytes({0xF4}); }
    // MOV [addr], AX (A3 moffs; o16 in 32-bit code).
    Code& store_ax(std::uint32_t addr) {
        if (code32_) out.push_back(0x66);
        out.push_back(0xA3);
        for (unsigned k = 0; k < (code32_ ? 4u : 2u); ++k) out.push_back(static_cast<std::uint8_t>(addr >> (8 * k)));
        return *this;
    }
    // PUSH imm32 then POPFD: sets EFLAGS (32-bit code).
    Code& set_flags(std::uint32_t v) {
        bytes({0x68});
        for (unsigned k = 0; k < 4; ++k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
        return bytes({0x9D});
    }
    Code& pushfd() { return bytes({0x9C}); }
    std::uint32_t here() const { return kCode + static_cast<std::uint32_t>(out.size()); }

    std::vector<std::uint8_t> out;

private:
    bool code32_;
};

class Rig {
public:
    explicit Rig(CpuModel model = CpuModel::P6, bool protected32 = true) : cpu(model, bus) {
        CpuState s = cpu.state();
        s.gpr.fill(0);
        s.eflags = flag::R1;
        s.halted = false;
        // Every vector's handler is a HLT (at kHandlers + vector).
        for (unsigned v = 0; v < 32; ++v) bus.ram_[kHandlers + v] = 0xF4;
        if (protected32) {
            // GDT: null, flat 32-bit code, flat 32-bit data (SDM Vol. 3, 3.4.5).
            put_descriptor(kGdt + 8, 0xCF9A);
            put_descriptor(kGdt + 16, 0xCF92);
            // IDT: 32-bit interrupt gates to the HLT handlers.
            for (unsigned v = 0; v < 32; ++v) {
                const std::uint32_t off = kHandlers + v, at = kIdt + 8 * v;
                put32(at, (off & 0xFFFF) | (std::uint32_t{kCodeSel} << 16));
                put32(at + 4, (off & 0xFFFF0000u) | 0x8E00u);
            }
            s.gdtr = {kGdt, 23};
            s.idtr = {kIdt, 32 * 8 - 1};
            const std::uint16_t big = seg_attr::DB | seg_attr::G;
            for (auto& seg : s.seg) seg = SegmentCache{kDataSel, 0, 0xFFFFFFFFu, static_cast<std::uint16_t>(0x93 | big)};
            s.segment(Seg::CS) = SegmentCache{kCodeSel, 0, 0xFFFFFFFFu, static_cast<std::uint16_t>(0x9B | big)};
            s.cr[0] = cr0::PE | cr0::ET | cr0::NE;
            s.eip = kCode;
            s.gpr[static_cast<int>(Reg::SP)] = kStack;
        } else {
            // Real mode: code at 1000:0000, data at 2000:0000, IVT entries -> 0300:v.
            for (unsigned v = 0; v < 32; ++v) put32(4 * v, v | (std::uint32_t{kHandlers >> 4} << 16));
            s.idtr = {0, 0x3FF};
            for (auto& seg : s.seg) seg = SegmentCache{static_cast<std::uint16_t>(kData >> 4), kData, 0xFFFF, 0x93};
            s.segment(Seg::CS) = SegmentCache{static_cast<std::uint16_t>(kCode >> 4), kCode, 0xFFFF, 0x9B};
            s.segment(Seg::SS) = SegmentCache{0x7000, 0x70000, 0xFFFF, 0x93};
            s.cr[0] = model >= CpuModel::I80386 ? (cr0::ET | cr0::NE) : 0xFFF0u;
            s.eip = 0;
            s.gpr[static_cast<int>(Reg::SP)] = 0xFFF0;
        }
        cpu.set_state(s);
    }

    // Loads the program and runs it until the CPU halts (or `limit` instructions).
    void run(const Code& c, unsigned limit = 1000) {
        for (std::size_t k = 0; k < c.out.size(); ++k) bus.ram_[kCode + k] = c.out[k];
        cpu.clear_last_interrupt();
        for (unsigned n = 0; n < limit && !cpu.state().halted && !cpu.state().shutdown; ++n) cpu.step();
    }
    // Where the program stopped: the address of its HLT, or the handler of the exception.
    std::uint32_t stop_linear() const {
        return cpu.state().segment(Seg::CS).base + cpu.state().eip - 1;
    }
    bool faulted(std::uint8_t vector) const {
        const auto& r = cpu.last_interrupt();
        return r.valid && r.is_exception && r.vector == vector;
    }
    bool no_exception() const { return !cpu.last_interrupt().valid; }

    // Data offsets are relative to the data segment (linear kData + off).
    void put8(std::uint32_t linear, std::uint8_t v) { bus.ram_[linear] = v; }
    void put32(std::uint32_t linear, std::uint32_t v) {
        for (unsigned k = 0; k < 4; ++k) bus.ram_[linear + k] = static_cast<std::uint8_t>(v >> (8 * k));
    }
    void put64(std::uint32_t linear, std::uint64_t v) {
        for (unsigned k = 0; k < 8; ++k) bus.ram_[linear + k] = static_cast<std::uint8_t>(v >> (8 * k));
    }
    void put80(std::uint32_t linear, fpu::Float80 v) {
        const auto b = v.to_bytes();
        for (unsigned k = 0; k < 10; ++k) bus.ram_[linear + k] = b[k];
    }
    std::uint64_t get(std::uint32_t linear, unsigned n) const {
        std::uint64_t v = 0;
        for (unsigned k = 0; k < n; ++k) v |= static_cast<std::uint64_t>(bus.ram_[linear + k]) << (8 * k);
        return v;
    }
    fpu::Float80 get80(std::uint32_t linear) const { return fpu::Float80::from_bytes(&bus.ram_[linear]); }

    fpu::FpuState& fpu() { return cpu.state().fpu; }
    std::uint32_t& cr0() { return cpu.state().cr[0]; }

    FlatBus bus;
    Interpreter cpu;

private:
    // Base 0, limit FFFFF, `attr` = flags nibble and access byte (e.g. CF9A).
    void put_descriptor(std::uint32_t at, std::uint16_t attr) {
        put32(at, 0x0000FFFFu);
        // Access byte in bits 8-15; limit 19:16 and the flags nibble (G, D/B) in bits 16-23.
        put32(at + 4, (static_cast<std::uint32_t>(attr & 0xFF) << 8) | (static_cast<std::uint32_t>(attr >> 8) << 16));
    }
};

// Status-word condition codes as (C3, C2, C1, C0).
struct Codes {
    bool c3, c2, c1, c0;
    bool operator==(const Codes&) const = default;
};
inline Codes codes(std::uint16_t sw) {
    return {(sw & fpu::sw::C3) != 0, (sw & fpu::sw::C2) != 0, (sw & fpu::sw::C1) != 0, (sw & fpu::sw::C0) != 0};
}

inline fpu::Float80 from_f64(std::uint64_t bits) { return fpu::load_f64(bits).value; }
inline const fpu::FpControl kDefaultControl = fpu::FpControl::from_control_word(fpu::cw::kFinit);

}  // namespace x87test
