// Vga register groups, I/O decoding, CRTC timing and inspection. Memory and DISPI live in
// vga_memory.cpp. Register bit meanings follow FreeVGA's register pages and the IBM PS/2
// Hardware Interface Technical Reference, "Video Subsystem"; each section says which.
#include "devices/vga/vga.h"
#include "devices/vga/vga_mode.h"

#include <algorithm>
#include <string>

namespace lantern {

namespace {

// Bits each register implements (FreeVGA's bit tables); the rest read back as 0.
constexpr std::array<std::uint8_t, kSeqRegs> kSeqMask = {
    0x03,  // Reset: SR (sync), ASR (async)
    0x3D,  // Clocking Mode: 9/8DM, SLR, DCR, S4, SD (bit 1 does not exist)
    0x0F,  // Map Mask
    0x3F,  // Character Map Select: A (bits 5,3,2), B (bits 4,1,0)
    0x0E,  // Memory Mode: Extended Memory, Odd/Even Disable, Chain 4
};
constexpr std::array<std::uint8_t, kGcRegs> kGcMask = {
    0x0F, 0x0F, 0x0F,
    0x1F,  // Data Rotate: rotate count (0-2), logical operation (3-4)
    0x03,  // Read Map Select
    0x7B,  // Graphics Mode: write mode (0-1), read mode (3), host O/E (4), shift reg (5), 256 (6)
    0x0F,  // Miscellaneous: alphanumeric disable (0), chain O/E (1), memory map (2-3)
    0x0F,  // Color Don't Care
    0xFF,  // Bit Mask
};
std::uint8_t ac_mask(unsigned index) {
    if (index < 16) return 0x3F;      // palette: 6-bit DAC index
    switch (index) {
        case 0x10: return 0xEF;       // Mode Control: bit 4 is reserved
        case 0x11: return 0xFF;       // Overscan Color
        case 0x12: return 0x3F;       // Color Plane Enable (0-3) + Video Status MUX (4-5)
        case 0x13: return 0x0F;       // Horizontal Pixel Panning
        case 0x14: return 0x0F;       // Color Select
        default: return 0;
    }
}

constexpr std::array<std::string_view, kSeqRegs> kSeqNames = {
    "reset", "clocking_mode", "map_mask", "character_map_select", "memory_mode"};
constexpr std::array<std::string_view, kCrtcRegs> kCrtcNames = {
    "h_total", "h_display_end", "h_blank_start", "h_blank_end", "h_retrace_start",
    "h_retrace_end", "v_total", "overflow", "preset_row_scan", "max_scan_line", "cursor_start",
    "cursor_end", "start_address_high", "start_address_low", "cursor_location_high",
    "cursor_location_low", "v_retrace_start", "v_retrace_end", "v_display_end", "offset",
    "underline_location", "v_blank_start", "v_blank_end", "mode_control", "line_compare"};
constexpr std::array<std::string_view, kGcRegs> kGcNames = {
    "set_reset", "enable_set_reset", "color_compare", "data_rotate", "read_map_select",
    "graphics_mode", "miscellaneous", "color_dont_care", "bit_mask"};
constexpr std::array<std::string_view, 5> kAcNames = {
    "mode_control", "overscan_color", "color_plane_enable", "horizontal_pel_panning",
    "color_select"};

ClockDomain dot_domain(std::uint64_t cpu_freq_hz, std::uint64_t dot_hz) {
    return ClockDomain::from_frequencies(cpu_freq_hz, dot_hz);
}

}  // namespace

Vga::Vga(Scheduler& scheduler, std::uint64_t cpu_freq_hz)
    : scheduler_(scheduler),
      cpu_freq_hz_(cpu_freq_hz),
      dot_domains_{dot_domain(cpu_freq_hz, kVgaDotClock25Hz), dot_domain(cpu_freq_hz, kVgaDotClock28Hz),
                   dot_domain(cpu_freq_hz, kVgaDotClock25Hz / 2),
                   dot_domain(cpu_freq_hz, kVgaDotClock28Hz / 2)},
      vram_(kVgaVramBytes, 0) {
    reset();
}

void Vga::reset() {
    regs_ = VgaRegisters{};
    // IBM VGA power-on: colour I/O addresses, RAM enabled (the BIOS rewrites Misc Output with
    // the mode anyway). Everything else is zero until the BIOS programs a mode.
    regs_.misc_output = 0x03;
    dac_ = VgaDac{};
    vbe_ = VbeState{};
    vertical_interrupt_armed_at_ = 0;
    reported_mode_ = 0;
    std::fill(vram_.begin(), vram_.end(), std::uint8_t{0});
}

void Vga::map(PortMap& ports) {
    ports.map(kVgaPortBase, kVgaPortCount, vga_ports_, "vga");
    ports.map(kDispiPortBase, kDispiPortCount, dispi_ports_, "vbe_dispi");
}

void Vga::map(MemoryMap& memory) {
    memory.map_mmio(kVgaWindowBase, kVgaWindowSize, legacy_window_, "vga_window");
}

void Vga::map_lfb(MemoryMap& memory) {
    lfb_map_ = &memory;
    memory.map_mmio(lfb_base_, kVgaVramBytes, lfb_window_, "vga_lfb");
    lfb_mapped_ = true;
}

void Vga::set_lfb_base(std::uint32_t base) {
    if (lfb_map_ != nullptr && base != lfb_base_) {
        if (lfb_mapped_) lfb_map_->unmap(lfb_base_);
        lfb_mapped_ = std::uint64_t{base} + kVgaVramBytes <= (std::uint64_t{1} << 32) &&
                      lfb_map_->is_free(base, kVgaVramBytes);
        if (lfb_mapped_) lfb_map_->map_mmio(base, kVgaVramBytes, lfb_window_, "vga_lfb");
    }
    lfb_base_ = base;
}

// --- I/O decoding -------------------------------------------------------------------------

// FreeVGA "Input/Output Address Select" (Misc Output bit 0): the CRTC, Input Status 1 and
// Feature Control write answer at 3Bx when it is 0 (monochrome) and at 3Dx when it is 1. The
// other of the two ranges is not decoded at all, as if no card were there.
bool Vga::port_decoded(std::uint16_t port) const {
    if (port == 0x3C3) return true;
    // IBM VGA, port 3C3 "Video Subsystem Enable": with bit 0 clear the VGA ignores every other
    // access.
    if ((regs_.subsystem_enable & 0x01) == 0) return false;
    switch (port) {
        case 0x3B4: case 0x3B5: case 0x3BA: return !color_io();
        case 0x3D4: case 0x3D5: case 0x3DA: return color_io();
        case 0x3C0: case 0x3C1: case 0x3C2: case 0x3C4: case 0x3C5: case 0x3C6: case 0x3C7:
        case 0x3C8: case 0x3C9: case 0x3CA: case 0x3CC: case 0x3CE: case 0x3CF:
            return true;
        default: return false;
    }
}

std::uint8_t Vga::io_read(std::uint16_t port) { return read_register(port, true); }
std::uint8_t Vga::io_peek(std::uint16_t port) const {
    return const_cast<Vga*>(this)->read_register(port, false);
}

std::uint8_t Vga::read_register(std::uint16_t port, bool side_effects) {
    if (!port_decoded(port)) return 0xFF;
    switch (port) {
        case 0x3C0: return regs_.ac_index & 0x3F;
        case 0x3C1: {
            const unsigned i = regs_.ac_index & 0x1F;
            return i < kAcRegs ? regs_.ac[i] : 0;
        }
        case 0x3C2: return input_status_0();
        case 0x3C3: return regs_.subsystem_enable & 0x01;
        case 0x3C4: return regs_.seq_index;
        case 0x3C5: return seq(regs_.seq_index);
        case 0x3C6: return dac_.pel_mask;
        case 0x3C7: return dac_.state;
        case 0x3C8: return dac_.write_index;
        case 0x3C9: return read_dac_data(side_effects);
        case 0x3CA: return regs_.feature_control;
        case 0x3CC: return regs_.misc_output;
        case 0x3CE: return regs_.gc_index;
        case 0x3CF: return gc(regs_.gc_index);
        case 0x3B4: case 0x3D4: return regs_.crtc_index;
        case 0x3B5: case 0x3D5: return crtc(regs_.crtc_index);
        case 0x3BA: case 0x3DA: {
            const std::uint8_t status = input_status_1();
            // FreeVGA, Attribute Controller: reading Input Status 1 resets the address/data
            // flip-flop so the next 3C0 write is an index.
            if (side_effects) regs_.ac_flip_flop_data = false;
            return status;
        }
        default: return 0xFF;
    }
}

void Vga::io_write(std::uint16_t port, std::uint8_t value) {
    if (!port_decoded(port)) return;
    switch (port) {
        case 0x3C0: write_attribute(value); break;
        case 0x3C1: break;  // FreeVGA: 3C1 is the Attribute Data *Read* register
        case 0x3C2: regs_.misc_output = value; break;
        case 0x3C3: regs_.subsystem_enable = value & 0x01; break;
        case 0x3C4: regs_.seq_index = value; break;
        case 0x3C5:
            if (regs_.seq_index < kSeqRegs) regs_.seq[regs_.seq_index] = value & kSeqMask[regs_.seq_index];
            break;
        case 0x3C6: dac_.pel_mask = value; break;
        case 0x3C7:
            // FreeVGA, DAC Address Read Mode: the entry to read; reads start with red.
            dac_.read_index = value;
            dac_.read_step = 0;
            dac_.state = 0x03;
            break;
        case 0x3C8:
            dac_.write_index = value;
            dac_.write_step = 0;
            dac_.state = 0x00;
            break;
        case 0x3C9: write_dac_data(value); break;
        case 0x3CE: regs_.gc_index = value; break;
        case 0x3CF:
            if (regs_.gc_index < kGcRegs) regs_.gc[regs_.gc_index] = value & kGcMask[regs_.gc_index];
            break;
        case 0x3B4: case 0x3D4: regs_.crtc_index = value; break;
        case 0x3B5: case 0x3D5: write_crtc(value); break;
        case 0x3BA: case 0x3DA: regs_.feature_control = value; break;
        default: break;
    }
}

void Vga::write_crtc(std::uint8_t value) {
    const unsigned i = regs_.crtc_index;
    if (i >= kCrtcRegs) return;
    // FreeVGA, Vertical Retrace End bit 7 (CRTC Registers Protect Enable): indexes 00-07 are
    // read-only, except the Line Compare bit 8 in the Overflow register (bit 4 of 07).
    if ((regs_.crtc[0x11] & 0x80) != 0 && i <= 0x07) {
        if (i == 0x07) regs_.crtc[7] = static_cast<std::uint8_t>((regs_.crtc[7] & ~0x10) | (value & 0x10));
        return;
    }
    if (i == 0x11) {
        // Bit 4 (Clear Vertical Interrupt) written 0 clears the pending interrupt; the latch
        // catches the next vertical retrace only after it is set back to 1 (IBM VGA technical
        // reference, Vertical Retrace End register).
        const bool was_armed = (regs_.crtc[0x11] & 0x10) != 0;
        if (!was_armed && (value & 0x10) != 0) vertical_interrupt_armed_at_ = scheduler_.now();
    }
    regs_.crtc[i] = value;
}

void Vga::display_enabled() {
    const VgaDisplayMode m = display_mode(*this);
    // Packed: distinct geometries give distinct values, and none gives 0.
    const std::uint64_t packed = (std::uint64_t{m.width} << 40) | (std::uint64_t{m.height} << 24) |
                                 (std::uint64_t{m.bits_per_pixel} << 16) | (m.dispi ? 0x800u : 0) |
                                 (m.graphics ? 0x400u : 0) | (m.monochrome_io ? 0x200u : 0) |
                                 (m.chain4 ? 0x100u : 0) | 1u;
    if (packed == reported_mode_) return;
    reported_mode_ = packed;
    if (report_) report_(DeviceEvent{DeviceEventKind::VgaModeSet, standard_mode_number(m), 0});
}

void Vga::write_attribute(std::uint8_t value) {
    if (!regs_.ac_flip_flop_data) {
        const bool was_on = (regs_.ac_index & 0x20) != 0;
        regs_.ac_index = value & 0x3F;
        regs_.ac_flip_flop_data = true;
        // PAS 0 -> 1 hands the palette back to the display: the last step of a mode set.
        if (!was_on && (value & 0x20)) display_enabled();
        return;
    }
    regs_.ac_flip_flop_data = false;
    const unsigned i = regs_.ac_index & 0x1F;
    if (i >= kAcRegs) return;
    // FreeVGA, Attribute Address Register, PAS: the internal palette (00-0F) can be loaded
    // only while PAS is 0; the IBM VGA ignores palette writes while the display uses it.
    if (i < 16 && (regs_.ac_index & 0x20) != 0) return;
    regs_.ac[i] = value & ac_mask(i);
}

// --- DAC ----------------------------------------------------------------------------------
// FreeVGA "DAC Operation": three writes to 3C9 (red, green, blue) load one entry, which is
// written as a whole when blue arrives, then the write index advances; reads step through the
// read index the same way. Values are 6 bits unless DISPI switched the DAC to 8 bits.

void Vga::write_dac_data(std::uint8_t value) {
    const std::uint8_t mask = vbe_.dac_8bit() ? 0xFF : 0x3F;
    dac_.write_buffer[dac_.write_step] = value & mask;
    if (++dac_.write_step < 3) return;
    const unsigned base = dac_.write_index * 3u;
    for (unsigned c = 0; c < 3; ++c) dac_.palette[base + c] = dac_.write_buffer[c];
    dac_.write_step = 0;
    ++dac_.write_index;  // wraps 255 -> 0 (8-bit register)
}

std::uint8_t Vga::read_dac_data(bool advance) {
    const std::uint8_t value = dac_.palette[dac_.read_index * 3u + dac_.read_step];
    if (advance && ++dac_.read_step == 3) {
        dac_.read_step = 0;
        ++dac_.read_index;
    }
    return value;
}

void Vga::set_dac_8bit(bool on) {
    if (on == vbe_.dac_8bit()) return;
    // Bochs: switching the width rescales the stored entries so colours stay the same.
    for (auto& c : dac_.palette) c = on ? static_cast<std::uint8_t>(c << 2) : static_cast<std::uint8_t>(c >> 2);
    for (auto& c : dac_.write_buffer) c = on ? static_cast<std::uint8_t>(c << 2) : static_cast<std::uint8_t>(c >> 2);
}

// --- Status registers and timing ----------------------------------------------------------

// FreeVGA Input Status #0: bit 7 (VRetrace interrupt pending) and bit 4 (switch sense, the DAC
// comparator, not modelled: reads 0 as on Bochs).
std::uint8_t Vga::input_status_0() const {
    return vertical_interrupt_pending() ? 0x80 : 0x00;
}

// FreeVGA Input Status #1: bit 3 VRetrace, bit 0 Display Disabled (the inverted display-enable
// signal: 1 in horizontal or vertical blanking).
std::uint8_t Vga::input_status_1() const {
    const VgaRasterPosition p = raster_position(scheduler_.now());
    return static_cast<std::uint8_t>((p.vertical_retrace ? 0x08 : 0) | (p.display_enabled ? 0 : 0x01));
}

VgaTiming Vga::timing() const {
    VgaTiming t;
    if (vbe_.enabled()) {
        // DISPI has no timing registers (Bochs and QEMU also invent a refresh). A 60 Hz frame
        // with blanking proportions like VESA's 640x480 mode: 25% extra dots per line, 5%
        // extra lines (at least 10), retrace 2 lines after a 10-line front porch.
        const unsigned xres = std::max<unsigned>(vbe_.xres, 8);
        const unsigned yres = std::max<unsigned>(vbe_.yres, 1);
        t.synthetic = true;
        t.char_width = 8;
        t.h_display_chars = (xres + 7) / 8;
        t.h_total_chars = t.h_display_chars + std::max(t.h_display_chars / 4, 1u);
        t.v_display_lines = yres;
        t.v_total_lines = yres + std::max(yres / 20, 10u);
        t.v_retrace_start = yres + 2;
        t.v_retrace_lines = 2;
        t.line_dots = std::uint64_t{t.h_total_chars} * t.char_width;
        t.frame_dots = t.line_dots * t.v_total_lines;
        t.dot_clock_hz = t.frame_dots * 60;
        return t;
    }
    const auto& cr = regs_.crtc;
    const unsigned ov = cr[0x07];
    t.char_width = (regs_.seq[1] & 0x01) ? 8 : 9;
    const bool clock28 = ((regs_.misc_output >> 2) & 0x03) == 1;  // 2 and 3 are external: 25
    const bool halve = (regs_.seq[1] & 0x08) != 0;                 // Clocking Mode DCR
    t.dot_clock_hz = (clock28 ? kVgaDotClock28Hz : kVgaDotClock25Hz) / (halve ? 2 : 1);
    t.h_total_chars = cr[0x00] + 5u;                                // FreeVGA: total - 5
    t.h_display_chars = cr[0x01] + 1u;
    // CRTC Mode Control bit 2 (SLDIV): the vertical counter advances every second line.
    const unsigned scan_div = (cr[0x17] & 0x04) ? 2 : 1;
    const unsigned vt = cr[0x06] | ((ov & 0x01) << 8) | ((ov & 0x20) << 4);
    const unsigned vde = cr[0x12] | ((ov & 0x02) << 7) | ((ov & 0x40) << 3);
    const unsigned vrs = cr[0x10] | ((ov & 0x04) << 6) | ((ov & 0x80) << 2);
    // Vertical Retrace End holds the low 4 bits of the line where retrace stops.
    unsigned vr_len = ((cr[0x11] & 0x0F) - vrs) & 0x0F;
    if (vr_len == 0) vr_len = 16;
    t.v_total_lines = (vt + 2) * scan_div;
    t.v_display_lines = (vde + 1) * scan_div;
    t.v_retrace_start = vrs * scan_div;
    t.v_retrace_lines = vr_len * scan_div;
    t.line_dots = std::uint64_t{t.h_total_chars} * t.char_width;
    t.frame_dots = t.line_dots * t.v_total_lines;
    return t;
}

std::uint64_t Vga::dots_at(Cycles when, const VgaTiming& t) const {
    if (t.synthetic) return ClockDomain::from_frequencies(cpu_freq_hz_, t.dot_clock_hz).to_ticks(when);
    const bool clock28 = ((regs_.misc_output >> 2) & 0x03) == 1;
    const bool halve = (regs_.seq[1] & 0x08) != 0;
    return dot_domains_[(clock28 ? 1u : 0u) | (halve ? 2u : 0u)].to_ticks(when);
}

VgaRasterPosition Vga::raster_position(Cycles now) const {
    const VgaTiming t = timing();
    const std::uint64_t dots = dots_at(now, t);
    VgaRasterPosition p;
    p.frame = dots / t.frame_dots;
    const std::uint64_t in_frame = dots % t.frame_dots;
    p.line = static_cast<unsigned>(in_frame / t.line_dots);
    p.char_clock = static_cast<unsigned>((in_frame % t.line_dots) / t.char_width);
    p.display_enabled = p.char_clock < t.h_display_chars && p.line < t.v_display_lines;
    // The retrace runs from its start line for its length, wrapping into the next frame when
    // the totals are shorter than that (the counters keep comparing).
    if (t.v_retrace_start < t.v_total_lines) {
        const unsigned since = p.line >= t.v_retrace_start ? p.line - t.v_retrace_start
                                                           : p.line + t.v_total_lines - t.v_retrace_start;
        p.vertical_retrace = since < t.v_retrace_lines;
    }
    return p;
}

// IBM VGA: the CRT interrupt latch sets at the start of vertical retrace while CR11 bit 4 is 1.
// Pending = a retrace began at or after the last arming and at or before now (computed from
// the dot count, no event needed).
bool Vga::vertical_interrupt_pending() const {
    if ((regs_.crtc[0x11] & 0x10) == 0) return false;
    const VgaTiming t = timing();
    if (t.v_retrace_start >= t.v_total_lines) return false;
    const std::uint64_t first = std::uint64_t{t.v_retrace_start} * t.line_dots;  // in each frame
    // Retrace starts at dot counts first + k * frame_dots; count those strictly below `d`.
    auto starts_before = [&](std::uint64_t d) -> std::uint64_t {
        return d <= first ? 0 : (d - first - 1) / t.frame_dots + 1;
    };
    const std::uint64_t from = dots_at(vertical_interrupt_armed_at_, t);
    const std::uint64_t to = dots_at(scheduler_.now(), t);
    return starts_before(to + 1) > starts_before(from);
}

// --- Bus adapters -------------------------------------------------------------------------

std::uint32_t Vga::PortWindow::read(std::uint32_t offset, unsigned size) {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i)
        v |= std::uint32_t{vga_.io_read(static_cast<std::uint16_t>(kVgaPortBase + offset + i))} << (8 * i);
    return v;
}
void Vga::PortWindow::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    // A word OUT to an index port writes the index then the data port (lowest port first), as
    // the 16-bit bus splits it for the 8-bit VGA registers.
    for (unsigned i = 0; i < size; ++i)
        vga_.io_write(static_cast<std::uint16_t>(kVgaPortBase + offset + i), static_cast<std::uint8_t>(value >> (8 * i)));
}
std::uint32_t Vga::PortWindow::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size; ++i)
        v |= std::uint32_t{vga_.io_peek(static_cast<std::uint16_t>(kVgaPortBase + offset + i))} << (8 * i);
    return v;
}

// --- Inspection ---------------------------------------------------------------------------

void Vga::inspect(StateVisitor& v) {
    StateGroup top(v, "vga");
    {
        StateGroup g(v, "external");
        v.visit("misc_output", regs_.misc_output, "3C2/3CC: I/O select, RAM enable, clock, page, sync polarity");
        v.visit("feature_control", regs_.feature_control, "3xA write / 3CA read");
        v.visit("subsystem_enable", regs_.subsystem_enable, "3C3 bit 0");
    }
    {
        StateGroup g(v, "sequencer");
        v.visit("index", regs_.seq_index);
        for (unsigned i = 0; i < kSeqRegs; ++i) v.visit(kSeqNames[i], regs_.seq[i]);
    }
    {
        StateGroup g(v, "crtc");
        v.visit("index", regs_.crtc_index);
        for (unsigned i = 0; i < kCrtcRegs; ++i) v.visit(kCrtcNames[i], regs_.crtc[i]);
        v.visit("vertical_interrupt_armed_at", vertical_interrupt_armed_at_, "cycle CR11 bit 4 was last set");
    }
    {
        StateGroup g(v, "graphics");
        v.visit("index", regs_.gc_index);
        for (unsigned i = 0; i < kGcRegs; ++i) v.visit(kGcNames[i], regs_.gc[i]);
        for (unsigned i = 0; i < 4; ++i) v.visit("latch" + std::to_string(i), regs_.latch[i]);
    }
    {
        StateGroup g(v, "attribute");
        v.visit("index", regs_.ac_index, "bits 0-4 index, bit 5 PAS");
        v.visit("flip_flop_data", regs_.ac_flip_flop_data, "next 3C0 write is data");
        for (unsigned i = 0; i < 16; ++i) v.visit("palette" + std::to_string(i), regs_.ac[i]);
        for (unsigned i = 16; i < kAcRegs; ++i) v.visit(kAcNames[i - 16], regs_.ac[i]);
    }
    {
        StateGroup g(v, "dac");
        v.visit("pel_mask", dac_.pel_mask);
        v.visit("write_index", dac_.write_index);
        v.visit("write_step", dac_.write_step);
        for (unsigned i = 0; i < 3; ++i) v.visit("write_buffer" + std::to_string(i), dac_.write_buffer[i]);
        v.visit("read_index", dac_.read_index);
        v.visit("read_step", dac_.read_step);
        v.visit("state", dac_.state, "3C7 read: 0 write mode, 3 read mode");
        v.bytes("palette", dac_.palette);
    }
    {
        StateGroup g(v, "vbe");
        v.visit("index", vbe_.index);
        v.visit("id", vbe_.id);
        v.visit("xres", vbe_.xres);
        v.visit("yres", vbe_.yres);
        v.visit("bpp", vbe_.bpp);
        v.visit("enable", vbe_.enable);
        v.visit("bank", vbe_.bank);
        v.visit("virt_width", vbe_.virt_width);
        v.visit("virt_height", vbe_.virt_height);
        v.visit("x_offset", vbe_.x_offset);
        v.visit("y_offset", vbe_.y_offset);
        std::uint32_t base = lfb_base_;
        v.visit("lfb_base", base, "linear framebuffer (PCI BAR 0) address");
        if (v.loading()) set_lfb_base(base);
    }
    {
        // Derived, read-only (a loading visitor's values are ignored): what the CRTC generates
        // and where the beam is now.
        StateGroup g(v, "raster");
        const VgaTiming t = timing();
        const VgaRasterPosition p = raster_position(scheduler_.now());
        std::uint64_t dot_clock_hz = t.dot_clock_hz, h_total = t.h_total_chars, h_display = t.h_display_chars,
                      v_total = t.v_total_lines, v_display = t.v_display_lines, frame = p.frame,
                      line = p.line, vretrace = p.vertical_retrace;
        v.field("dot_clock_hz", dot_clock_hz, 64, "after the Clocking Mode divide-by-2");
        v.field("h_total_chars", h_total, 16, "");
        v.field("h_display_chars", h_display, 16, "");
        v.field("v_total_lines", v_total, 16, "");
        v.field("v_display_lines", v_display, 16, "");
        v.field("frame", frame, 64, "frames since cycle 0");
        v.field("line", line, 16, "beam scan line now");
        v.field("vertical_retrace", vretrace, 1, "");
        const VgaDisplayMode m = display_mode(*this);
        std::uint64_t width = m.width, height = m.height, bpp = m.bits_per_pixel, graphics = m.graphics,
                      standard = standard_mode_number(m);
        v.field("mode_graphics", graphics, 1, "GC 06h bit 0 (or DISPI): graphics, else text");
        v.field("mode_width", width, 16, "pixels, or text columns");
        v.field("mode_height", height, 16, "pixel rows, or text rows");
        v.field("mode_bpp", bpp, 8, "bits per pixel (graphics)");
        v.field("mode_standard", standard, 16, "the IBM mode with this geometry (FFFF: none)");
    }
    // The geometry last reported as a mode set (vga_mode.h): kept so a loaded snapshot does not
    // report the current mode again.
    v.visit("reported_mode", reported_mode_, "packed geometry of the last VgaModeSet event");
    v.bytes("vram", vram_);
    if (v.loading()) sanitize_loaded_state();
}

// A snapshot is outside data too: bring every counter back into the range the code relies on.
void Vga::sanitize_loaded_state() {
    dac_.write_step %= 3;
    dac_.read_step %= 3;
    dac_.state &= 0x03;
    regs_.ac_index &= 0x3F;
    vbe_.xres = std::min<std::uint16_t>(vbe_.xres, dispi::kMaxXRes);
    vbe_.yres = std::min<std::uint16_t>(vbe_.yres, dispi::kMaxYRes);
    if (vbe_.bpp != 4 && vbe_.bpp != 8 && vbe_.bpp != 15 && vbe_.bpp != 16 && vbe_.bpp != 24 && vbe_.bpp != 32)
        vbe_.bpp = 8;
}

}  // namespace lantern
