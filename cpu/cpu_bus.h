// The CPU's only view of the world: physical memory, I/O ports and the interrupt pins.
//
// The board in devices/ implements this; the CPU knows nothing else about devices. Addresses
// here are physical (after segmentation and paging, after the model's address-bus mask; the
// A20 gate is the board's business).
#pragma once

#include <cstdint>

namespace lantern {

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

    // Asked after every instruction that touched the bus: a device (e.g. the 0xF4 exit port)
    // or the debugger wants the CPU to return from run() at the next instruction boundary.
    virtual bool stop_requested() const { return false; }
};

}  // namespace lantern
