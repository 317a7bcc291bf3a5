// CpuState: the whole architectural state of an x86 CPU as one plain value.
//
// Every backend (the interpreter, later KVM) reads and writes this struct; snapshots,
// traces, the debugger and the GUI see the CPU through it. It holds no pointers, so a
// copy is a complete, independent machine-CPU state.
#pragma once

#include <array>
#include <cstdint>

#include "cpu/fpu/fpu_state.h"

namespace lantern {

using Cycles = std::uint64_t;  // CPU clock ticks; virtual time is always an integer

// General registers in the order the ModR/M and opcode encodings use (Intel SDM Vol. 2, 2.1.5).
enum class Reg : std::uint8_t { AX = 0, CX = 1, DX = 2, BX = 3, SP = 4, BP = 5, SI = 6, DI = 7 };

// Segment registers in encoding order (the Sreg field of MOV Sw, and prefix order).
enum class Seg : std::uint8_t { ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5 };
inline constexpr int kSegCount = 6;

// EFLAGS bits (Intel SDM Vol. 1, 3.4.3).
namespace flag {
inline constexpr std::uint32_t CF = 1u << 0;
inline constexpr std::uint32_t R1 = 1u << 1;  // reserved, reads as 1
inline constexpr std::uint32_t PF = 1u << 2;
inline constexpr std::uint32_t AF = 1u << 4;
inline constexpr std::uint32_t ZF = 1u << 6;
inline constexpr std::uint32_t SF = 1u << 7;
inline constexpr std::uint32_t TF = 1u << 8;
inline constexpr std::uint32_t IF = 1u << 9;
inline constexpr std::uint32_t DF = 1u << 10;
inline constexpr std::uint32_t OF = 1u << 11;
inline constexpr std::uint32_t IOPL = 3u << 12;
inline constexpr std::uint32_t NT = 1u << 14;
inline constexpr std::uint32_t RF = 1u << 16;
inline constexpr std::uint32_t VM = 1u << 17;
inline constexpr std::uint32_t AC = 1u << 18;
inline constexpr std::uint32_t ID = 1u << 21;
inline constexpr std::uint32_t OSZAPC = OF | SF | ZF | AF | PF | CF;
}  // namespace flag

// Segment descriptor attribute bits as kept in SegmentCache::access: descriptor byte 5 in bits
// 0-7 (type, S, DPL, P) and the flags nibble of byte 6 in bits 8-11 (AVL, L, D/B, G)
// (SDM Vol. 3, 3.4.5).
namespace seg_attr {
inline constexpr std::uint16_t Accessed = 1u << 0;
inline constexpr std::uint16_t Writable = 1u << 1;    // data: writable; code: readable
inline constexpr std::uint16_t Readable = 1u << 1;
inline constexpr std::uint16_t ExpandDown = 1u << 2;  // data
inline constexpr std::uint16_t Conforming = 1u << 2;  // code
inline constexpr std::uint16_t Code = 1u << 3;
inline constexpr std::uint16_t S = 1u << 4;           // code/data (1) or system (0)
inline constexpr std::uint16_t DplShift = 5;
inline constexpr std::uint16_t Present = 1u << 7;
inline constexpr std::uint16_t Avl = 1u << 8;
inline constexpr std::uint16_t DB = 1u << 10;         // default operation size / big
inline constexpr std::uint16_t G = 1u << 11;          // limit in 4 KiB units
}  // namespace seg_attr

// Control register bits (SDM Vol. 3, 2.5).
namespace cr0 {
inline constexpr std::uint32_t PE = 1u << 0, MP = 1u << 1, EM = 1u << 2, TS = 1u << 3, ET = 1u << 4,
                               NE = 1u << 5, WP = 1u << 16, AM = 1u << 18, NW = 1u << 29,
                               CD = 1u << 30, PG = 1u << 31;
}
namespace cr4 {
inline constexpr std::uint32_t VME = 1u << 0, PVI = 1u << 1, TSD = 1u << 2, DE = 1u << 3,
                               PSE = 1u << 4, PAE = 1u << 5, MCE = 1u << 6, PGE = 1u << 7,
                               PCE = 1u << 8, OSFXSR = 1u << 9;
}

// The hidden part of a segment register (Intel SDM Vol. 3, 3.4.3): loaded from the selector
// in real mode (base = selector * 16) and from a descriptor in protected mode.
struct SegmentCache {
    std::uint16_t selector = 0;
    std::uint32_t base = 0;
    std::uint32_t limit = 0xFFFF;
    std::uint16_t access = 0x0093;  // descriptor byte 5 (P, DPL, S, type) | flags nibble << 8
    bool operator==(const SegmentCache&) const = default;
};

struct DescriptorTableRegister {
    std::uint32_t base = 0;
    std::uint16_t limit = 0xFFFF;
    bool operator==(const DescriptorTableRegister&) const = default;
};

struct CpuState {
    std::array<std::uint32_t, 8> gpr{};  // indexed by Reg
    std::uint32_t eip = 0;
    std::uint32_t eflags = flag::R1;
    std::array<SegmentCache, kSegCount> seg{};  // indexed by Seg
    DescriptorTableRegister gdtr{};
    DescriptorTableRegister idtr{0, 0x3FF};
    SegmentCache ldtr{};
    SegmentCache tr{};
    std::array<std::uint32_t, 5> cr{};  // CR0..CR4 (on the 286, CR0's low 16 bits are the MSW)
    std::array<std::uint32_t, 8> dr{};

    std::uint8_t cpl = 0;   // current privilege level (kept apart from CS.RPL: SDM Vol. 3, 5.5)

    // Model-specific registers the models implement (SDM Vol. 4).
    std::uint64_t tsc_offset = 0;  // TSC = cycles + tsc_offset (WRMSR 10h sets it)
    std::uint32_t sysenter_cs = 0, sysenter_esp = 0, sysenter_eip = 0;
    // The P6's two performance-monitoring counters (SDM Vol. 3, "Performance Monitoring (P6
    // Family Processor)"): PerfEvtSel0/1 (MSR 186h/187h) choose an event; PerfCtr0/1 (MSR
    // C1h/C2h) are 40 bits wide. EN (bit 22 of PerfEvtSel0) starts both.
    std::array<std::uint64_t, 2> perf_evtsel{};
    std::array<std::uint64_t, 2> perf_ctr{};

    fpu::FpuState fpu{};    // the x87 (386/387 and later models; unused on the 8086 and 286)

    Cycles cycles = 0;      // total CPU cycles executed since reset
    std::uint64_t instructions = 0;  // instructions retired since reset
    bool halted = false;    // in HLT, waiting for an interrupt
    bool shutdown = false;  // triple fault / shutdown cycle: only reset leaves it
    bool nmi_pending = false;
    bool interrupt_shadow = false;  // after MOV/POP SS or STI, interrupts wait one instruction
    // A REP string instruction paused at the end of a time slice (not by an interrupt): on
    // resuming it does not pay its start-up cycles again, so slicing never changes virtual time.
    bool rep_resume = false;

    std::uint16_t reg16(Reg r) const { return static_cast<std::uint16_t>(gpr[static_cast<int>(r)]); }
    void set_reg16(Reg r, std::uint16_t v) {
        auto& g = gpr[static_cast<int>(r)];
        g = (g & 0xFFFF0000u) | v;
    }
    SegmentCache& segment(Seg s) { return seg[static_cast<int>(s)]; }
    const SegmentCache& segment(Seg s) const { return seg[static_cast<int>(s)]; }
    std::uint16_t ip() const { return static_cast<std::uint16_t>(eip); }

    bool operator==(const CpuState&) const = default;
};


}  // namespace lantern
