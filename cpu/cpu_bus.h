// The CPU's only view of the world: physical memory, I/O ports and the interrupt pins.
//
// The board in devices/ implements this; the CPU knows nothing else about devices. Addresses
// here are physical (after segmentation and paging, after the model's address-bus mask; the
// A20 gate is the board's business).
#pragma once

#include <cstdint>

namespace lantern {

// Told about writes to memory that holds cached code (cpu/block_cache.h): the bus reports every
// write, from any master (CPU, DMA, debugger), to a page it was asked to watch.
class CodeWriteListener {
public:
    virtual ~CodeWriteListener() = default;
    // A byte at bus address `addr` of a watched page was written. Returns false when the page no
    // longer needs watching (no cached code left on it).
    virtual bool code_written(std::uint32_t addr) = 0;
    // The decoding of physical addresses changed (regions mapped or unmapped, the A20 gate moved,
    // memory loaded behind the bus's back): every cached page may now hold other bytes.
    virtual void code_map_changed() = 0;
};

// A page the bus can serve code from directly: its host bytes and its bus address.
struct CodePage {
    const std::uint8_t* bytes = nullptr;  // 4 KiB, read-only view; null: not cacheable (MMIO, hole)
    std::uint32_t bus_page = 0;           // the page's address after the bus masks (A20), >> 12
};

class CpuBus {
public:
    virtual ~CpuBus() = default;

    virtual std::uint8_t mem_read8(std::uint32_t addr) = 0;
    virtual void mem_write8(std::uint32_t addr, std::uint8_t value) = 0;
    // Wider accesses default to byte accesses, little-endian; boards override them for speed.
    virtual std::uint16_t mem_read16(std::uint32_t addr) {
        return static_cast<std::uint16_t>(mem_read8(addr) | (mem_read8(addr + 1) << 8));
    }
    virtual void mem_write16(std::uint32_t addr, std::uint16_t value) {
        mem_write8(addr, static_cast<std::uint8_t>(value));
        mem_write8(addr + 1, static_cast<std::uint8_t>(value >> 8));
    }

    virtual std::uint32_t mem_read32(std::uint32_t addr) {
        return mem_read16(addr) | (static_cast<std::uint32_t>(mem_read16(addr + 2)) << 16);
    }
    virtual void mem_write32(std::uint32_t addr, std::uint32_t value) {
        mem_write16(addr, static_cast<std::uint16_t>(value));
        mem_write16(addr + 2, static_cast<std::uint16_t>(value >> 16));
    }

    // Side-effect-free reads for the debugger and page-table peeks (RAM/ROM; MMIO via peek).
    virtual std::uint8_t peek8(std::uint32_t addr) const { (void)addr; return 0xFF; }
    std::uint32_t peek_read32(std::uint32_t addr) const {
        return peek8(addr) | (peek8(addr + 1) << 8) | (peek8(addr + 2) << 16) |
               (static_cast<std::uint32_t>(peek8(addr + 3)) << 24);
    }

    // Port I/O; size is 1, 2 or 4 bytes. A port nobody decodes reads as all ones.
    virtual std::uint32_t io_read(std::uint16_t port, unsigned size) = 0;
    virtual void io_write(std::uint16_t port, std::uint32_t value, unsigned size) = 0;

    // The INTR pin (maskable interrupts, e.g. from the 8259A) and the INTA cycle that fetches the
    // vector. A board without an interrupt controller answers false.
    virtual bool intr_pending() { return false; }
    virtual std::uint8_t intr_acknowledge() { return 0xFF; }

    // The x87's FERR# output (SDM Vol. 3, 2.5 CR0.NE; Vol. 1, 8.7 and Appendix D), a level:
    // asserted while an unmasked x87 exception is pending, with CR0.NE = 0 (MS-DOS-compatible
    // error reporting); it may be reported again at the same level. A PC board routes it to IRQ13
    // through the 8259A. The rest of that path is the board's too: the write to port F0h that
    // clears the IRQ13 latch and asserts IGNNE#. The CPU never stalls on a pending error (it
    // behaves as if IGNNE# were asserted once FERR# is), so the board needs no IGNNE# input here.
    virtual void fpu_error(bool asserted) { (void)asserted; }

    // Code caching. code_page(): the page holding physical address `addr` when it is plain RAM or
    // ROM, and from now on writes to it are reported to the listener; a bus that cannot watch
    // writes answers {} and the CPU decodes that code every time. unwatch_code_pages() drops every
    // watch (the cache was flushed).
    virtual CodePage code_page(std::uint32_t addr) { (void)addr; return {}; }
    virtual void set_code_write_listener(CodeWriteListener* listener) { (void)listener; }
    virtual void unwatch_code_pages() {}

    // Asked after every instruction that touched the bus: a device (e.g. the 0xF4 exit port)
    // or the debugger wants the CPU to return from run() at the next instruction boundary.
    virtual bool stop_requested() const { return false; }
};

}  // namespace lantern
