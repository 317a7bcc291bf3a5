// Vga: the IBM VGA (PS/2 Display Adapter) register set and 256 KiB of planar memory, plus the
// Bochs/QEMU "DISPI" VBE extension (ports 1CE/1CF) with 16 MiB of video memory and a linear
// framebuffer.
//
// Sources: IBM PS/2 Hardware Interface Technical Reference, "Video Subsystem" (the VGA chapter);
// FreeVGA ("Hardware Level VGA and SVGA Video Programming Information Page": Sequencer, CRT
// Controller, Graphics Controller, Attribute Controller, DAC and External registers); Bochs
// vbe.h/vga.cc and QEMU vga.c for the DISPI register semantics (facts only, our own code).
//
// The device is split over four bus windows, each a small IoDevice that forwards here:
//   vga_ports()     3B0-3DF  Misc Output, Input Status 0/1, Feature Control, Sequencer, CRTC,
//                            Graphics Controller, Attribute Controller, DAC, 3C3 enable
//   dispi_ports()   1CE-1D0  DISPI index (1CE) and data (1CF), 16-bit ports
//   legacy_window() A0000-BFFFF  decoded by the Graphics Controller's memory map select
//   lfb()           the linear framebuffer at the PCI BAR (default E0000000), 16 MiB
//
// Time: Input Status 1's vertical-retrace and display-enable bits are a pure function of the
// scheduler's current cycle and the programmed CRTC totals and dot clock (converted exactly with
// ClockDomain), so polling needs no events and the result is the same on every run.
//
// Memory layout: vram() is 16 MiB. The VGA's four 64 KiB maps are planes at a 4 MiB stride
// (plane p, offset o -> vram[p * 4 MiB + o]), so the VBE 4-bpp planar modes (Bochs: 4 MiB per
// plane) use the same planes with a bank offset; VBE 8-32 bpp modes and the LFB see the buffer
// as linear bytes.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "cpu/cpu_state.h"
#include "cpu/state_visitor.h"
#include "devices/clock_domain.h"
#include "devices/device_event.h"
#include "devices/io_device.h"
#include "devices/memory_map.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"

namespace lantern {

inline constexpr std::uint16_t kVgaPortBase = 0x3B0;
inline constexpr std::uint32_t kVgaPortCount = 0x30;  // 3B0-3DF
inline constexpr std::uint16_t kDispiPortBase = 0x1CE;
// 1CE index, 1CF data; both are 16-bit ports, so 1D0 is claimed too: a word access at 1CF then
// reaches the data register whole, and a byte read at 1D0 sees the data's high byte.
inline constexpr std::uint32_t kDispiPortCount = 3;
inline constexpr std::uint32_t kVgaWindowBase = 0xA0000;
inline constexpr std::uint32_t kVgaWindowSize = 0x20000;  // A0000-BFFFF
inline constexpr std::uint32_t kVbeLfbDefaultBase = 0xE0000000u;
inline constexpr std::uint32_t kVgaVramBytes = 16u << 20;
inline constexpr std::uint32_t kVgaPlaneStride = 4u << 20;
inline constexpr std::uint32_t kVgaPlaneBytes = 64u << 10;  // one VGA map
// The two crystals of the IBM VGA (Misc Output clock select 0 and 1).
inline constexpr std::uint64_t kVgaDotClock25Hz = 25'175'000;
inline constexpr std::uint64_t kVgaDotClock28Hz = 28'322'000;

// Register counts per group (FreeVGA register index lists).
inline constexpr unsigned kSeqRegs = 5;
inline constexpr unsigned kCrtcRegs = 0x19;
inline constexpr unsigned kGcRegs = 9;
inline constexpr unsigned kAcRegs = 0x15;

// DISPI register indexes and ENABLE bits (Bochs vbe.h, QEMU include/hw/display/bochs-vbe.h).
namespace dispi {
inline constexpr std::uint16_t kIndexId = 0x0;
inline constexpr std::uint16_t kIndexXRes = 0x1;
inline constexpr std::uint16_t kIndexYRes = 0x2;
inline constexpr std::uint16_t kIndexBpp = 0x3;
inline constexpr std::uint16_t kIndexEnable = 0x4;
inline constexpr std::uint16_t kIndexBank = 0x5;
inline constexpr std::uint16_t kIndexVirtWidth = 0x6;
inline constexpr std::uint16_t kIndexVirtHeight = 0x7;
inline constexpr std::uint16_t kIndexXOffset = 0x8;
inline constexpr std::uint16_t kIndexYOffset = 0x9;
inline constexpr std::uint16_t kIndexVideoMemory64K = 0xA;

inline constexpr std::uint16_t kId0 = 0xB0C0;
inline constexpr std::uint16_t kId5 = 0xB0C5;

inline constexpr std::uint16_t kEnabled = 0x01;
inline constexpr std::uint16_t kGetCaps = 0x02;
inline constexpr std::uint16_t k8BitDac = 0x20;
inline constexpr std::uint16_t kLfbEnabled = 0x40;
inline constexpr std::uint16_t kNoClearMem = 0x80;

inline constexpr std::uint16_t kMaxXRes = 2560;
inline constexpr std::uint16_t kMaxYRes = 1600;
inline constexpr std::uint16_t kMaxBpp = 32;
}  // namespace dispi

// The programmed registers, as plain data (what inspect() lists and a snapshot restores).
struct VgaRegisters {
    std::uint8_t misc_output = 0;      // 3C2 write / 3CC read
    std::uint8_t feature_control = 0;  // 3xA write / 3CA read
    std::uint8_t subsystem_enable = 1; // 3C3 bit 0: the VGA answers the buses only while set
    std::uint8_t seq_index = 0;
    std::array<std::uint8_t, kSeqRegs> seq{};
    std::uint8_t crtc_index = 0;
    std::array<std::uint8_t, kCrtcRegs> crtc{};
    std::uint8_t gc_index = 0;
    std::array<std::uint8_t, kGcRegs> gc{};
    std::uint8_t ac_index = 0;      // bits 0-4 index, bit 5 PAS (palette address source)
    bool ac_flip_flop_data = false; // false: the next 3C0 write is an index, true: data
    std::array<std::uint8_t, kAcRegs> ac{};
    std::array<std::uint8_t, 4> latch{};  // the Graphics Controller's four data latches
};

// The video DAC (IBM VGA: an Inmos IMS G171-compatible palette DAC).
struct VgaDac {
    std::uint8_t pel_mask = 0xFF;      // 3C6
    std::uint8_t write_index = 0;      // 3C8
    std::uint8_t write_step = 0;       // 0..2: which of R, G, B the next 3C9 write is
    std::array<std::uint8_t, 3> write_buffer{};  // R and G held until B completes the entry
    std::uint8_t read_index = 0;       // set through 3C7
    std::uint8_t read_step = 0;
    std::uint8_t state = 0;            // 3C7 read: 0 after a 3C8 write, 3 after a 3C7 write
    std::array<std::uint8_t, 256 * 3> palette{};  // R, G, B per entry (6 bits, 8 with DISPI 8BIT_DAC)
};

// The DISPI extension's registers.
struct VbeState {
    std::uint16_t index = 0;
    std::uint16_t id = dispi::kId0;
    std::uint16_t xres = 640;
    std::uint16_t yres = 480;
    std::uint16_t bpp = 8;
    std::uint16_t enable = 0;  // ENABLED | GETCAPS | 8BIT_DAC | LFB_ENABLED | NOCLEARMEM as written
    std::uint16_t bank = 0;
    std::uint16_t virt_width = 640;
    std::uint16_t virt_height = 480;
    std::uint16_t x_offset = 0;
    std::uint16_t y_offset = 0;

    bool enabled() const { return (enable & dispi::kEnabled) != 0; }
    bool dac_8bit() const { return (enable & dispi::k8BitDac) != 0; }
    // Bytes per scan line of the virtual screen (for 4 bpp: per plane).
    std::uint32_t pitch_bytes() const;
    // The first byte displayed (for 4 bpp: the plane offset).
    std::uint32_t start_offset() const;
};

// The raster the CRTC generates, derived from the registers (all counts in character clocks,
// dots and scan lines as the hardware counts them).
struct VgaTiming {
    std::uint64_t dot_clock_hz = kVgaDotClock25Hz;  // after Clocking Mode's divide-by-2
    unsigned char_width = 9;          // dots per character clock (Clocking Mode bit 0)
    unsigned h_total_chars = 0;       // CR00 + 5
    unsigned h_display_chars = 0;     // CR01 + 1
    unsigned v_total_lines = 0;       // CR06 (+ overflow bits) + 2, in physical lines
    unsigned v_display_lines = 0;     // CR12 (+ overflow bits) + 1, in physical lines
    unsigned v_retrace_start = 0;     // physical line where vertical retrace begins
    unsigned v_retrace_lines = 0;     // how many lines it lasts
    std::uint64_t line_dots = 0;      // h_total_chars * char_width
    std::uint64_t frame_dots = 0;     // line_dots * v_total_lines
    bool synthetic = false;           // VBE mode: the DISPI registers carry no timing
};

// Where the beam is at a given cycle.
struct VgaRasterPosition {
    std::uint64_t frame = 0;   // frames since cycle 0
    unsigned line = 0;         // physical scan line in the frame
    unsigned char_clock = 0;   // character clock in the line
    bool display_enabled = false;
    bool vertical_retrace = false;
};

class Vga final : public Inspectable {
public:
    // `cpu_freq_hz` converts scheduler cycles to dot clocks (ClockDomain, exact).
    Vga(Scheduler& scheduler, std::uint64_t cpu_freq_hz);
    Vga(const Vga&) = delete;
    Vga& operator=(const Vga&) = delete;

    // Power-on state: registers zero (the BIOS programs a mode), colour I/O addressing, RAM
    // enabled, DAC black, video memory cleared, DISPI disabled.
    void reset();

    // Claims 3B0-3DF and 1CE-1D0.
    void map(PortMap& ports);
    // Maps the legacy window A0000-BFFFF (MMIO; the Graphics Controller's memory map select
    // decides which part of it answers).
    void map(MemoryMap& memory);
    // The linear framebuffer. On a PCI board the VGA function's BAR 0 maps lfb() (offsets from
    // the BAR) and calls set_lfb_base when the guest moves it, which just records the address.
    // A board without PCI calls map_lfb once instead: the Vga then maps the 16 MiB at
    // lfb_base() itself and set_lfb_base moves the mapping (left unmapped if the new range is
    // taken).
    void map_lfb(MemoryMap& memory);
    void set_lfb_base(std::uint32_t base);
    std::uint32_t lfb_base() const { return lfb_base_; }

    IoDevice& vga_ports() { return vga_ports_; }
    IoDevice& dispi_ports() { return dispi_ports_; }
    IoDevice& legacy_window() { return legacy_window_; }
    IoDevice& lfb() { return lfb_window_; }

    // Byte accesses by absolute port number / window offset (what the adapters call).
    std::uint8_t io_read(std::uint16_t port);
    void io_write(std::uint16_t port, std::uint8_t value);
    std::uint8_t io_peek(std::uint16_t port) const;
    std::uint16_t dispi_read(std::uint16_t port) const;
    void dispi_write(std::uint16_t port, std::uint16_t value);
    // `offset` is relative to A0000.
    std::uint8_t window_read(std::uint32_t offset);
    void window_write(std::uint32_t offset, std::uint8_t value);
    std::uint8_t window_peek(std::uint32_t offset) const;
    // `offset` is relative to the LFB base; outside the 16 MiB reads 0xFF.
    std::uint8_t lfb_read(std::uint32_t offset) const;
    void lfb_write(std::uint32_t offset, std::uint8_t value);

    // What the renderer and the GUI read.
    const VgaRegisters& registers() const { return regs_; }
    const VgaDac& dac() const { return dac_; }
    const VbeState& vbe() const { return vbe_; }
    std::span<const std::uint8_t> vram() const { return vram_; }
    // One byte of a VGA map (plane 0-3); offsets wrap within the 4 MiB plane.
    std::uint8_t plane_byte(unsigned plane, std::uint32_t offset) const {
        return vram_[(plane & 3u) * kVgaPlaneStride + (offset & (kVgaPlaneStride - 1))];
    }
    std::uint8_t seq(unsigned i) const { return i < kSeqRegs ? regs_.seq[i] : 0; }
    std::uint8_t crtc(unsigned i) const { return i < kCrtcRegs ? regs_.crtc[i] : 0; }
    std::uint8_t gc(unsigned i) const { return i < kGcRegs ? regs_.gc[i] : 0; }
    std::uint8_t ac(unsigned i) const { return i < kAcRegs ? regs_.ac[i] : 0; }
    bool color_io() const { return (regs_.misc_output & 0x01) != 0; }

    VgaTiming timing() const;
    VgaRasterPosition raster_position(Cycles now) const;
    // Frames since cycle 0 at the scheduler's current time (text blink and cursor phases).
    std::uint64_t frame_number() const { return raster_position(scheduler_.now()).frame; }

    // Reports VgaModeSet when the display comes back on in a new geometry (devices/device_event.h).
    void set_event_report(DeviceEventReport report) { report_ = std::move(report); }

    std::string_view inspect_name() const override { return "vga"; }
    void inspect(StateVisitor& v) override;

private:
    // The bus adapters: each turns an offset in its window into the Vga call above.
    class PortWindow final : public IoDevice {
    public:
        explicit PortWindow(Vga& vga) : vga_(vga) {}
        std::uint32_t read(std::uint32_t offset, unsigned size) override;
        void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
        std::uint32_t peek(std::uint32_t offset, unsigned size) const override;
        std::string_view inspect_name() const override { return "vga"; }
        void inspect(StateVisitor& v) override { vga_.inspect(v); }

    private:
        Vga& vga_;
    };
    class DispiWindow final : public IoDevice {
    public:
        explicit DispiWindow(Vga& vga) : vga_(vga) {}
        std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
        void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
        std::uint32_t peek(std::uint32_t offset, unsigned size) const override;
        std::string_view inspect_name() const override { return "vga"; }
        void inspect(StateVisitor& v) override { vga_.inspect(v); }

    private:
        Vga& vga_;
    };
    class MemoryWindow final : public IoDevice {
    public:
        MemoryWindow(Vga& vga, bool linear) : vga_(vga), linear_(linear) {}
        std::uint32_t read(std::uint32_t offset, unsigned size) override;
        void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
        std::uint32_t peek(std::uint32_t offset, unsigned size) const override;
        std::string_view inspect_name() const override { return "vga"; }
        void inspect(StateVisitor& v) override { vga_.inspect(v); }

    private:
        Vga& vga_;
        bool linear_;
    };

    // Register groups (vga.cpp).
    std::uint8_t read_register(std::uint16_t port, bool side_effects);
    bool port_decoded(std::uint16_t port) const;
    void write_crtc(std::uint8_t value);
    void write_attribute(std::uint8_t value);
    void write_dac_data(std::uint8_t value);
    std::uint8_t read_dac_data(bool advance);
    std::uint8_t input_status_0() const;
    std::uint8_t input_status_1() const;
    bool vertical_interrupt_pending() const;
    std::uint64_t dots_at(Cycles when, const VgaTiming& t) const;  // dot clocks since cycle 0
    void sanitize_loaded_state();
    // The display was (re)enabled: report a mode set if its geometry is new (vga_mode.h).
    void display_enabled();

    // Memory (vga_memory.cpp).
    // Decodes a window offset through the memory map select: the offset inside the selected
    // aperture, or -1 when the address is outside it (or RAM/the subsystem is disabled).
    std::int64_t aperture_offset(std::uint32_t window_offset) const;
    bool banked_linear() const { return vbe_.enabled() && vbe_.bpp != 4; }
    std::uint32_t planar_base() const;
    std::uint8_t planar_read(std::uint32_t offset, bool side_effects);
    void planar_write(std::uint32_t offset, std::uint8_t value);
    void vbe_enable(std::uint16_t value);
    void vbe_set_virtual_width(std::uint16_t width);
    void set_dac_8bit(bool on);

    Scheduler& scheduler_;
    std::uint64_t cpu_freq_hz_;
    // Dot-clock domains: [clock select 0/1][divide-by-2 off/on].
    std::array<ClockDomain, 4> dot_domains_;

    VgaRegisters regs_{};
    VgaDac dac_{};
    VbeState vbe_{};
    Cycles vertical_interrupt_armed_at_ = 0;  // when CR11 bit 4 last went 0 -> 1
    std::uint32_t lfb_base_ = kVbeLfbDefaultBase;
    MemoryMap* lfb_map_ = nullptr;  // set by map_lfb: the Vga owns the LFB mapping
    bool lfb_mapped_ = false;
    std::vector<std::uint8_t> vram_;
    DeviceEventReport report_{};
    std::uint64_t reported_mode_ = 0;  // display_mode() packed, as last reported (0: none yet)

    PortWindow vga_ports_{*this};
    DispiWindow dispi_ports_{*this};
    MemoryWindow legacy_window_{*this, false};
    MemoryWindow lfb_window_{*this, true};
};

}  // namespace lantern
