// 80286 system instructions usable in real mode: SGDT SIDT LGDT LIDT SMSW LMSW CLTS.
//
// Protected mode itself arrives with the 32-bit CPU work; until then LMSW can set PE but the
// interpreter keeps using real-mode address translation (documented limitation).
#include "cpu/exec.h"
#include "cpu/interpreter.h"

namespace lantern::exec {

namespace {
void store_table_register(Interpreter& c, const Insn& i, const DescriptorTableRegister& r) {
    // 80286 PRM, SGDT: the sixth byte is stored as FF on the 286 (its base is 24 bits).
    c.write_mem(c.ea_seg(), c.ea_offset(), r.limit, 2);
    c.write_mem(c.ea_seg(), (c.ea_offset() + 2) & 0xFFFF, r.base & 0xFFFF, 2);
    c.write_mem(c.ea_seg(), (c.ea_offset() + 4) & 0xFFFF, ((r.base >> 16) & 0xFF) | 0xFF00, 2);
    (void)i;
}

void load_table_register(Interpreter& c, DescriptorTableRegister& r) {
    auto limit = static_cast<std::uint16_t>(c.read_mem(c.ea_seg(), c.ea_offset(), 2));
    std::uint32_t lo = c.read_mem(c.ea_seg(), (c.ea_offset() + 2) & 0xFFFF, 2);
    std::uint32_t hi = c.read_mem(c.ea_seg(), (c.ea_offset() + 4) & 0xFFFF, 1);
    r.limit = limit;
    r.base = lo | (hi << 16);
}
}  // namespace

void sgdt(Interpreter& c, const Insn& i) {
    if (!i.is_mem) c.fault(6);
    store_table_register(c, i, c.state().gdtr);
}

void sidt(Interpreter& c, const Insn& i) {
    if (!i.is_mem) c.fault(6);
    store_table_register(c, i, c.state().idtr);
}

void lgdt(Interpreter& c, const Insn& i) {
    if (!i.is_mem) c.fault(6);
    load_table_register(c, c.state().gdtr);
}

void lidt(Interpreter& c, const Insn& i) {
    if (!i.is_mem) c.fault(6);
    load_table_register(c, c.state().idtr);
}

void smsw(Interpreter& c, const Insn& i) { c.write_op(i, 0, c.state().cr[0] & 0xFFFF); }

// LMSW loads PE, MP, EM and TS; it cannot clear PE (80286 PRM, LMSW).
void lmsw(Interpreter& c, const Insn& i) {
    std::uint32_t v = c.read_op(i, 0) & 0xF;
    std::uint32_t& msw = c.state().cr[0];
    msw = (msw & ~0xEu) | (v & 0xE) | (msw & 1) | (v & 1);
}

void clts(Interpreter& c, const Insn&) { c.state().cr[0] &= ~0x8u; }

}  // namespace lantern::exec
