// IoDevice: the one shape every port-mapped or memory-mapped device presents to the buses.
//
// The same interface serves port I/O and MMIO, as in QEMU's MemoryRegionOps and kvmtool's
// ioport/mmio callbacks: the bus translates an address into an offset inside the device's claimed
// range and passes the access size. `read` may have side effects (clearing a status bit, popping a
// FIFO); `peek` must not, so the debugger and the GUI can look at a device without disturbing it.
#pragma once

#include <cstdint>

#include "cpu/state_visitor.h"

namespace lantern {

class IoDevice : public Inspectable {
public:
    // `size` is 1, 2 or 4 bytes; `offset` is relative to the start of the range the device was
    // mapped at. Values are little-endian and only the low `size` bytes are meaningful.
    virtual std::uint32_t read(std::uint32_t offset, unsigned size) = 0;
    virtual void write(std::uint32_t offset, std::uint32_t value, unsigned size) = 0;
    // What `read` would return, without any side effect.
    virtual std::uint32_t peek(std::uint32_t offset, unsigned size) const = 0;
};

// All ones in the low `size` bytes: what an undriven ISA data bus reads (the pull-ups win).
constexpr std::uint32_t open_bus_value(unsigned size) {
    return size >= 4 ? 0xFFFFFFFFu : ((1u << (size * 8)) - 1u);
}

}  // namespace lantern
