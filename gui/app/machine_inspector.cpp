#include "gui/app/machine_inspector.h"

#include "cpu/interpreter.h"
#include "gui/app/machine_parts.h"

namespace lantern::gui {

const CpuState& MachineInspector::cpu() const { return m_.interpreter().state(); }

std::uint32_t MachineInspector::address_mask() const { return lantern::address_mask(model()); }

StateNode MachineInspector::inspect_tree(const ByteCapturePolicy& policy) const {
    StateTreeBuilder builder(policy);
    m_.inspect(builder);  // a visitor that is not loading() only reads
    return builder.take();
}

std::uint8_t MachineInspector::peek_physical(std::uint32_t addr) const { return m_.memory().peek8(addr); }

std::uint32_t MachineInspector::peek_physical32(std::uint32_t addr) const {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < 4; ++i) v |= std::uint32_t{peek_physical(addr + i)} << (8 * i);
    return v;
}

std::optional<std::uint32_t> MachineInspector::translate(std::uint32_t linear) const {
    std::uint32_t phys = 0;
    if (!m_.interpreter().peek_translate(linear, phys)) return std::nullopt;
    return phys;
}

std::optional<std::uint8_t> MachineInspector::peek_linear(std::uint32_t linear) const {
    const auto phys = translate(linear);
    if (!phys) return std::nullopt;
    return peek_physical(*phys);
}

bool MachineInspector::is_ram(std::uint32_t physical) const {
    const std::uint32_t a = physical & m_.memory().effective_mask();
    for (const auto& r : m_.memory().regions())
        if (r.kind == RegionKind::Ram && a >= r.base && a - r.base < r.size) return true;
    return false;
}

Disassembly MachineInspector::disassemble(std::uint32_t cs_base, std::uint32_t ip, bool code32_segment,
                                          const SymbolLookup& symbols) const {
    DisasmOptions opt;
    opt.cs_base = cs_base;
    opt.symbol = symbols;
    const std::uint32_t ip_mask = code32_segment ? 0xFFFFFFFFu : 0xFFFFu;
    auto fetch = [&](unsigned n) -> std::uint8_t {
        const auto b = peek_linear(cs_base + ((ip + n) & ip_mask));
        return b ? *b : 0xFF;
    };
    return lantern::disassemble(m_.interpreter().opcode_map(), fetch, ip, opt);
}

Disassembly MachineInspector::disassemble_at_ip(const SymbolLookup& symbols) const {
    const CpuState& s = cpu();
    return disassemble(s.segment(Seg::CS).base, s.eip, code32(s), symbols);
}

bool MachineInspector::has_display() const { return find_vga(m_) != nullptr; }

Frame MachineInspector::render_screen() const {
    const Vga* vga = find_vga(m_);
    return vga ? render(*vga) : Frame{};
}

std::string MachineInspector::screen_text() const {
    const Vga* vga = find_vga(m_);
    return vga ? text_dump(*vga) : std::string{};
}

}  // namespace lantern::gui
