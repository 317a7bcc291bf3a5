// MemoryMap: the physical address space decoded into RAM, ROM and memory-mapped devices.
//
// Accesses arrive as physical addresses from the CPU bus. The map first applies the address-bus
// mask (20 lines on the 8086, 24 on the 286: address_mask()) and the A20 gate (bit 20 forced to
// zero while the gate is closed, the PC/AT's 8086-compatibility wrap at 1 MiB: IBM PC/AT Technical
// Reference, 8042 output port bit 1), then decodes:
//   RAM  - reads and writes go to the backing bytes;
//   ROM  - reads come from the image, writes are ignored (a ROM chip has no write enable);
//   MMIO - the access goes to an IoDevice with the offset inside the region;
//   nothing - reads all ones, writes are ignored (an undriven bus, as for I/O ports).
// The map never owns memory: RAM and ROM bytes belong to the Machine, so one buffer can be mapped
// twice (the BIOS ROM's alias at the top of the address space).
//
// Fast path: for the low 16 MiB, a 4 KiB page table holds a direct host pointer for every page
// wholly covered by one RAM region (reads and writes) or ROM region (reads only), so an ordinary
// memory access is a shift, a load and an index.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/cpu_bus.h"
#include "cpu/state_visitor.h"
#include "devices/io_device.h"

namespace lantern {

enum class RegionKind : std::uint8_t { Ram, Rom, Mmio };

class MemoryMap final : public Inspectable {
public:
    MemoryMap();

    // Regions may not overlap (std::invalid_argument). `base + size` may reach 2^32.
    void map_ram(std::uint32_t base, std::span<std::uint8_t> backing, std::string_view name);
    void map_rom(std::uint32_t base, std::span<const std::uint8_t> image, std::string_view name);
    void map_mmio(std::uint32_t base, std::uint32_t size, IoDevice& device, std::string_view name);
    // Removes the region that starts at `base`, for decoders that move or switch at run time (PCI
    // base address registers, the chipset's shadow-RAM attributes). Returns false if none starts
    // there.
    bool unmap(std::uint32_t base);
    // True when no region overlaps [base, base + size) (size > 0, within the 4 GiB space).
    bool is_free(std::uint32_t base, std::uint64_t size) const;

    // The CPU model's address lines (address_mask()); bits above them never reach the bus.
    void set_bus_mask(std::uint32_t mask) { bus_mask_ = mask; update_mask(); }
    // The A20 gate: the board's keyboard controller or port 0x92 opens and closes it.
    void set_a20_enabled(bool enabled) {
        const std::uint32_t old = mask_;
        a20_enabled_ = enabled;
        update_mask();
        if (mask_ != old && listener_) listener_->code_map_changed();
    }
    bool a20_enabled() const { return a20_enabled_; }
    // The mask applied to every address: bus lines and A20 together.
    std::uint32_t effective_mask() const { return mask_; }

    std::uint8_t read8(std::uint32_t addr) {
        addr &= mask_;
        if (addr < kFastLimit) {
            if (const std::uint8_t* p = read_page_[addr >> kPageBits]) return p[addr & kPageMask];
        }
        return slow_read8(addr);
    }
    void write8(std::uint32_t addr, std::uint8_t value) {
        addr &= mask_;
        if (addr < kFastLimit) {
            if (std::uint8_t* p = write_page_[addr >> kPageBits]) {
                p[addr & kPageMask] = value;
                return;
            }
        }
        slow_write8(addr, value);
    }
    // Little-endian word accesses; the second byte's address wraps under the same masks
    // (on the 8086 a word at FFFFF takes its high byte from 00000).
    std::uint16_t read16(std::uint32_t addr);
    void write16(std::uint32_t addr, std::uint16_t value);

    // Code-cache support (cpu/block_cache.h). code_page(): the host bytes of the RAM or ROM page
    // holding `addr` (null for MMIO, holes and pages shared between regions); a RAM page is then
    // watched: its fast write pointer is cleared so every write, from the CPU, DMA or the debugger,
    // takes the slow path, which tells the listener. Layout changes (map, unmap, A20) tell the
    // listener too and drop every watch.
    CodePage code_page(std::uint32_t addr);
    void set_code_write_listener(CodeWriteListener* listener) { listener_ = listener; }
    void unwatch_code_pages();
    // Bytes were stored into RAM behind the map (Machine::load_ram): cached code may be stale.
    void note_external_write() {
        if (listener_) listener_->code_map_changed();
    }

    // Side-effect-free read (MMIO through IoDevice::peek), for the debugger and the GUI.
    std::uint8_t peek8(std::uint32_t addr) const;

    struct RegionInfo {
        std::string name{};
        RegionKind kind = RegionKind::Ram;
        std::uint32_t base = 0;
        std::uint64_t size = 0;
    };
    std::vector<RegionInfo> regions() const;

    std::string_view inspect_name() const override { return "memory"; }
    void inspect(StateVisitor& v) override;

private:
    static constexpr unsigned kPageBits = 12;
    static constexpr std::uint32_t kPageMask = (1u << kPageBits) - 1;
    static constexpr std::uint32_t kFastLimit = 16u << 20;  // the fast page table covers 16 MiB

    struct Region {
        std::string name{};
        RegionKind kind = RegionKind::Ram;
        std::uint32_t base = 0;
        std::uint64_t end = 0;  // exclusive; up to 2^32
        std::uint8_t* ram = nullptr;
        const std::uint8_t* rom = nullptr;
        IoDevice* device = nullptr;
    };

    void add(Region r);
    void rebuild_fast_pages();
    void fill_fast_pages();
    bool watched(std::uint32_t page) const {
        return !watched_.empty() && ((watched_[page >> 6] >> (page & 63)) & 1);
    }
    void note_code_write(std::uint32_t addr);
    void update_mask() { mask_ = bus_mask_ & (a20_enabled_ ? 0xFFFFFFFFu : ~(1u << 20)); }
    const Region* find(std::uint32_t addr) const;
    std::uint8_t slow_read8(std::uint32_t addr);
    void slow_write8(std::uint32_t addr, std::uint8_t value);

    std::vector<Region> regions_{};  // sorted by base, non-overlapping
    std::vector<const std::uint8_t*> read_page_{};
    std::vector<std::uint8_t*> write_page_{};
    std::uint32_t bus_mask_ = 0xFFFFFFFFu;
    bool a20_enabled_ = true;
    std::uint32_t mask_ = 0xFFFFFFFFu;
    std::vector<std::uint64_t> watched_{};  // one bit per 4 KiB page of the 4 GiB space, lazily
    CodeWriteListener* listener_ = nullptr;
};

}  // namespace lantern
