// The register file gdb sees: the target description and the g/G/p/P packets.
//
// The order is gdb's i386 core feature (gdb manual, "i386 Features": eax..edi, eip, eflags, cs
// ss ds es fs gs, st0..st7, fctrl fstat ftag fiseg fioff foseg fooff fop), then Lantern's own
// feature. Registers travel as target-endian (little-endian) bytes in hex.
#include <array>
#include <cstring>

#include "cpu/interpreter.h"
#include "debugger/gdb_stub.h"

namespace lantern {

namespace {

struct GdbRegister {
    std::string_view name;
    unsigned bytes;
};

// Lantern's feature after the 32 core registers (numbers 32-49).
constexpr std::array<GdbRegister, 50> kRegisters = {{
    {"eax", 4}, {"ecx", 4}, {"edx", 4}, {"ebx", 4}, {"esp", 4}, {"ebp", 4}, {"esi", 4}, {"edi", 4},
    {"eip", 4}, {"eflags", 4}, {"cs", 4}, {"ss", 4}, {"ds", 4}, {"es", 4}, {"fs", 4}, {"gs", 4},
    {"st0", 10}, {"st1", 10}, {"st2", 10}, {"st3", 10}, {"st4", 10}, {"st5", 10}, {"st6", 10}, {"st7", 10},
    {"fctrl", 4}, {"fstat", 4}, {"ftag", 4}, {"fiseg", 4}, {"fioff", 4}, {"foseg", 4}, {"fooff", 4}, {"fop", 4},
    {"cr0", 4}, {"cr2", 4}, {"cr3", 4}, {"cr4", 4}, {"eip_off", 4},
    {"csbase", 4}, {"ssbase", 4}, {"dsbase", 4}, {"esbase", 4}, {"fsbase", 4}, {"gsbase", 4},
    {"gdtr_base", 4}, {"gdtr_limit", 4}, {"idtr_base", 4}, {"idtr_limit", 4}, {"ldtr", 4}, {"tr", 4},
    {"cycles", 8},
}};
constexpr unsigned kEip = 8;
constexpr unsigned kSegFirst = 10;  // cs ss ds es fs gs
constexpr std::array<Seg, 6> kGdbSegOrder = {Seg::CS, Seg::SS, Seg::DS, Seg::ES, Seg::FS, Seg::GS};
constexpr std::array<std::string_view, 6> kGdbSegNames = {"cs", "ss", "ds", "es", "fs", "gs"};

void put(std::string& out, std::uint64_t v, unsigned bytes) {
    for (unsigned i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint64_t get(std::string_view bytes) {
    std::uint64_t v = 0;
    for (std::size_t i = bytes.size(); i-- > 0;) v = (v << 8) | static_cast<std::uint8_t>(bytes[i]);
    return v;
}

}  // namespace

std::string gdb_target_xml(bool i8086) {
    // Written from the gdb manual's "Target Descriptions" chapter (the format, the predefined
    // types) and "i386 Features" (the core feature's register names).
    //
    // The architecture: gdb picks the more capable of the target's and the user's, so a target
    // that says i386 makes `set architecture i8086` ineffective (16-bit code then disassembles as
    // 32-bit). Saying i8086 for 16-bit code lets gdb disassemble it right, and `set architecture
    // i386` still raises it once the guest runs 32-bit code.
    static constexpr std::string_view kHead = R"(<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target version="1.0">
)";
    static constexpr std::string_view kBody = R"(  <feature name="org.gnu.gdb.i386.core">
    <flags id="lantern_eflags" size="4">
      <field name="CF" start="0" end="0"/>
      <field name="PF" start="2" end="2"/>
      <field name="AF" start="4" end="4"/>
      <field name="ZF" start="6" end="6"/>
      <field name="SF" start="7" end="7"/>
      <field name="TF" start="8" end="8"/>
      <field name="IF" start="9" end="9"/>
      <field name="DF" start="10" end="10"/>
      <field name="OF" start="11" end="11"/>
      <field name="NT" start="14" end="14"/>
      <field name="RF" start="16" end="16"/>
      <field name="VM" start="17" end="17"/>
      <field name="AC" start="18" end="18"/>
      <field name="ID" start="21" end="21"/>
    </flags>
    <reg name="eax" bitsize="32" type="int32" regnum="0"/>
    <reg name="ecx" bitsize="32" type="int32"/>
    <reg name="edx" bitsize="32" type="int32"/>
    <reg name="ebx" bitsize="32" type="int32"/>
    <reg name="esp" bitsize="32" type="data_ptr"/>
    <reg name="ebp" bitsize="32" type="data_ptr"/>
    <reg name="esi" bitsize="32" type="int32"/>
    <reg name="edi" bitsize="32" type="int32"/>
    <reg name="eip" bitsize="32" type="code_ptr"/>
    <reg name="eflags" bitsize="32" type="lantern_eflags"/>
    <reg name="cs" bitsize="32" type="int32"/>
    <reg name="ss" bitsize="32" type="int32"/>
    <reg name="ds" bitsize="32" type="int32"/>
    <reg name="es" bitsize="32" type="int32"/>
    <reg name="fs" bitsize="32" type="int32"/>
    <reg name="gs" bitsize="32" type="int32"/>
    <reg name="st0" bitsize="80" type="i387_ext"/>
    <reg name="st1" bitsize="80" type="i387_ext"/>
    <reg name="st2" bitsize="80" type="i387_ext"/>
    <reg name="st3" bitsize="80" type="i387_ext"/>
    <reg name="st4" bitsize="80" type="i387_ext"/>
    <reg name="st5" bitsize="80" type="i387_ext"/>
    <reg name="st6" bitsize="80" type="i387_ext"/>
    <reg name="st7" bitsize="80" type="i387_ext"/>
    <reg name="fctrl" bitsize="32" type="int" group="float"/>
    <reg name="fstat" bitsize="32" type="int" group="float"/>
    <reg name="ftag" bitsize="32" type="int" group="float"/>
    <reg name="fiseg" bitsize="32" type="int" group="float"/>
    <reg name="fioff" bitsize="32" type="int" group="float"/>
    <reg name="foseg" bitsize="32" type="int" group="float"/>
    <reg name="fooff" bitsize="32" type="int" group="float"/>
    <reg name="fop" bitsize="32" type="int" group="float"/>
  </feature>
  <feature name="org.lantern.x86.system">
    <reg name="cr0" bitsize="32" type="int32" group="system"/>
    <reg name="cr2" bitsize="32" type="int32" group="system"/>
    <reg name="cr3" bitsize="32" type="int32" group="system"/>
    <reg name="cr4" bitsize="32" type="int32" group="system"/>
    <reg name="eip_off" bitsize="32" type="int32" group="system"/>
    <reg name="csbase" bitsize="32" type="int32" group="system"/>
    <reg name="ssbase" bitsize="32" type="int32" group="system"/>
    <reg name="dsbase" bitsize="32" type="int32" group="system"/>
    <reg name="esbase" bitsize="32" type="int32" group="system"/>
    <reg name="fsbase" bitsize="32" type="int32" group="system"/>
    <reg name="gsbase" bitsize="32" type="int32" group="system"/>
    <reg name="gdtr_base" bitsize="32" type="int32" group="system"/>
    <reg name="gdtr_limit" bitsize="32" type="int32" group="system"/>
    <reg name="idtr_base" bitsize="32" type="int32" group="system"/>
    <reg name="idtr_limit" bitsize="32" type="int32" group="system"/>
    <reg name="ldtr" bitsize="32" type="int32" group="system"/>
    <reg name="tr" bitsize="32" type="int32" group="system"/>
    <reg name="cycles" bitsize="64" type="uint64" group="system"/>
  </feature>
</target>
)";
    std::string xml(kHead);
    xml += i8086 ? "  <architecture>i8086</architecture>\n" : "  <architecture>i386</architecture>\n";
    xml += "  <osabi>none</osabi>\n";  // a bare machine: no operating system's conventions
    xml += kBody;
    return xml;
}

std::string GdbStub::read_registers() {
    const CpuState& s = dbg_.state();
    std::string raw;
    for (int i = 0; i < 8; ++i) put(raw, s.gpr[i], 4);
    put(raw, dbg_.linear_pc(), 4);
    put(raw, s.eflags, 4);
    for (Seg seg : kGdbSegOrder) put(raw, s.segment(seg).selector, 4);
    for (unsigned i = 0; i < 8; ++i) {
        const fpu::Float80 v = s.fpu.st(i);
        put(raw, v.significand, 8);
        put(raw, v.sign_exponent, 2);
    }
    put(raw, s.fpu.control, 4);
    put(raw, s.fpu.status, 4);
    put(raw, s.fpu.tags, 4);
    put(raw, s.fpu.last_instruction.selector, 4);
    put(raw, s.fpu.last_instruction.offset, 4);
    put(raw, s.fpu.last_operand.selector, 4);
    put(raw, s.fpu.last_operand.offset, 4);
    put(raw, s.fpu.last_opcode, 4);
    for (int cr : {0, 2, 3, 4}) put(raw, s.cr[cr], 4);
    put(raw, s.eip, 4);
    for (Seg seg : kGdbSegOrder) put(raw, s.segment(seg).base, 4);
    put(raw, s.gdtr.base, 4);
    put(raw, s.gdtr.limit, 4);
    put(raw, s.idtr.base, 4);
    put(raw, s.idtr.limit, 4);
    put(raw, s.ldtr.selector, 4);
    put(raw, s.tr.selector, 4);
    put(raw, s.cycles, 8);
    return gdb_hex(raw);
}

bool GdbStub::write_register(unsigned n, std::string_view bytes) {
    if (n >= kRegisters.size() || bytes.size() != kRegisters[n].bytes) return false;
    const std::uint64_t v = get(bytes);
    CpuState& s = dbg_.state();
    std::string error;
    if (n < 8) {
        s.gpr[n] = static_cast<std::uint32_t>(v);
    } else if (n == kEip) {
        s.eip = static_cast<std::uint32_t>(v) - s.segment(Seg::CS).base;  // $eip is the linear pc
    } else if (n == 9) {
        return dbg_.set_register("eflags", v, error);
    } else if (n < kSegFirst + 6) {
        // gdb writes every register back after changing one (G): leave equal selectors alone, so
        // the descriptor caches (unreal mode, a just-switched CS) survive.
        if (s.segment(kGdbSegOrder[n - kSegFirst]).selector == (v & 0xFFFF)) return true;
        return dbg_.set_register(kGdbSegNames[n - kSegFirst], v & 0xFFFF, error);
    } else if (n < 24) {
        fpu::Float80& r = s.fpu.regs[s.fpu.physical(n - 16)];
        r.significand = get(bytes.substr(0, 8));
        r.sign_exponent = static_cast<std::uint16_t>(get(bytes.substr(8, 2)));
    } else if (n < 32) {
        const auto w = static_cast<std::uint16_t>(v);
        switch (n) {
            case 24: s.fpu.control = w; break;
            case 25: s.fpu.status = w; break;
            case 26: s.fpu.tags = w; break;
            case 27: s.fpu.last_instruction.selector = w; break;
            case 28: s.fpu.last_instruction.offset = static_cast<std::uint32_t>(v); break;
            case 29: s.fpu.last_operand.selector = w; break;
            case 30: s.fpu.last_operand.offset = static_cast<std::uint32_t>(v); break;
            default: s.fpu.last_opcode = static_cast<std::uint16_t>(v & 0x7FF); break;
        }
    } else if (n < 36) {
        static constexpr std::array<std::string_view, 4> kCr = {"cr0", "cr2", "cr3", "cr4"};
        if (s.cr[n == 32 ? 0 : n - 31] == static_cast<std::uint32_t>(v)) return true;
        return dbg_.set_register(kCr[n - 32], v, error);
    } else if (n == 36) {
        s.eip = static_cast<std::uint32_t>(v);
    } else if (n < 43) {
        s.segment(kGdbSegOrder[n - 37]).base = static_cast<std::uint32_t>(v);
    } else {
        switch (n) {
            case 43: s.gdtr.base = static_cast<std::uint32_t>(v); break;
            case 44: s.gdtr.limit = static_cast<std::uint16_t>(v); break;
            case 45: s.idtr.base = static_cast<std::uint32_t>(v); break;
            case 46: s.idtr.limit = static_cast<std::uint16_t>(v); break;
            default: break;  // ldtr, tr (loaded by LLDT/LTR only) and cycles are read-only here
        }
    }
    return true;
}

}  // namespace lantern
