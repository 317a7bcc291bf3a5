// Debug registers: instruction and data breakpoints (SDM Vol. 3, 17.2-17.3). DR7 holds four
// slots, each with local/global enables (L0-L3/G0-G3), a condition (R/W: 00 execute, 01 write,
// 10 I/O with CR4.DE, 11 read or write) and a length (LEN: 1, 2, 8 (Pentium+), 4 bytes).
#include "cpu/interpreter.h"

namespace lantern {

namespace {
bool slot_enabled(std::uint32_t dr7, unsigned n) { return (dr7 >> (n * 2)) & 3; }
unsigned slot_condition(std::uint32_t dr7, unsigned n) { return (dr7 >> (16 + n * 4)) & 3; }
unsigned slot_length(std::uint32_t dr7, unsigned n) {
    static constexpr unsigned lengths[4] = {1, 2, 8, 4};
    return lengths[(dr7 >> (18 + n * 4)) & 3];
}
}  // namespace

void Interpreter::debug_registers_changed() {
    data_breakpoints_armed_ = false;
    if (!at_least(CpuModel::I80386)) return;
    const std::uint32_t dr7 = s_.dr[7];
    for (unsigned n = 0; n < 4; ++n)
        if (slot_enabled(dr7, n) && (slot_condition(dr7, n) & 1)) data_breakpoints_armed_ = true;
}

void Interpreter::check_code_breakpoints() {
    if (!at_least(CpuModel::I80386)) return;
    const std::uint32_t dr7 = s_.dr[7];
    const std::uint32_t linear = s_.segment(Seg::CS).base + s_.eip;
    std::uint32_t hits = 0;
    for (unsigned n = 0; n < 4; ++n)
        if (slot_enabled(dr7, n) && slot_condition(dr7, n) == 0 && s_.dr[n] == linear) hits |= 1u << n;
    if (hits) {
        s_.dr[6] = (s_.dr[6] & ~0xFu) | hits;
        fault(vec::DB);  // a fault: the instruction has not executed
    }
}

void Interpreter::note_data_access(std::uint32_t linear, unsigned width, bool write) {
    const std::uint32_t dr7 = s_.dr[7];
    for (unsigned n = 0; n < 4; ++n) {
        if (!slot_enabled(dr7, n)) continue;
        const unsigned cond = slot_condition(dr7, n);
        if (!(cond & 1) || (cond == 1 && !write)) continue;
        const unsigned len = slot_length(dr7, n);
        const std::uint32_t start = s_.dr[n] & ~(len - 1);  // the address is aligned to its length
        if (linear < start + len && start < linear + width) data_breakpoint_hits_ |= 1u << n;
    }
}

}  // namespace lantern
