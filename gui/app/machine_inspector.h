// MachineInspector: everything a pane may ask of the machine, and nothing more.
//
// Panes gather their data through this facade while the emulator thread is paused between slices
// (EmulatorHost::with_session). It reads state through the same interfaces the debugger and
// snapshots use - CpuState, inspect(), side-effect-free peeks of memory, the VGA renderer - and
// never reaches into a device's members.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "cpu/cpu_state.h"
#include "debugger/disassembler.h"
#include "devices/machine.h"
#include "devices/vga/vga_render.h"
#include "gui/app/state_tree.h"

namespace lantern::gui {

inline bool code32(const CpuState& s) { return (s.segment(Seg::CS).access & seg_attr::DB) != 0; }
inline bool stack32(const CpuState& s) { return (s.segment(Seg::SS).access & seg_attr::DB) != 0; }
inline std::uint32_t current_linear_ip(const CpuState& s) { return s.segment(Seg::CS).base + s.eip; }

class MachineInspector {
public:
    explicit MachineInspector(Machine& machine) : m_(machine) {}

    const CpuState& cpu() const;
    const MachineConfig& config() const { return m_.config(); }
    CpuModel model() const { return m_.config().cpu_model; }
    std::uint32_t address_mask() const;

    // The machine's whole inspect() tree (the root's single child is "machine").
    StateNode inspect_tree(const ByteCapturePolicy& policy = {}) const;

    // Memory, side-effect free.
    std::uint8_t peek_physical(std::uint32_t addr) const;
    std::uint32_t peek_physical32(std::uint32_t addr) const;
    // Linear -> physical through paging (identity when paging is off); nullopt: not present.
    std::optional<std::uint32_t> translate(std::uint32_t linear) const;
    std::optional<std::uint8_t> peek_linear(std::uint32_t linear) const;
    // Bytes in RAM (not ROM, not a device): where the memory pane may edit.
    bool is_ram(std::uint32_t physical) const;

    // Disassembly with the CPU's opcode table (the model's mnemonics and cycle columns).
    Disassembly disassemble(std::uint32_t cs_base, std::uint32_t ip, bool code32_segment,
                            const SymbolLookup& symbols = {}) const;
    Disassembly disassemble_at_ip(const SymbolLookup& symbols = {}) const;

    // The display, when the board has one.
    bool has_display() const;
    Frame render_screen() const;
    std::string screen_text() const;

private:
    Machine& m_;
};

}  // namespace lantern::gui
