#include "devices/pci/pci_function.h"

#include <stdexcept>

#include "devices/pci/pci_bus.h"

namespace lantern {

PciFunction::PciFunction(const PciIdentity& id) {
    set_default(pci_reg::kVendorId, id.vendor_id, 2);
    set_default(pci_reg::kDeviceId, id.device_id, 2);
    set_default(pci_reg::kRevision, id.revision, 1);
    set_default(pci_reg::kProgIf, id.class_code, 3);
    set_default(pci_reg::kHeaderType, id.header_type, 1);
    set_default(pci_reg::kInterruptPin, id.interrupt_pin, 1);
    // Interrupt Line is a scratch register for the BIOS to record the routing (PCI 2.1, 6.2.4).
    set_writable(pci_reg::kInterruptLine, 0xFF, 1);
    // Status error bits are write-one-to-clear (PCI 2.1, 6.2.3): data parity, signalled/received
    // target abort, received master abort, signalled system error, detected parity error.
    set_write_clear(pci_reg::kStatus, 0xF900, 2);
}

void PciFunction::set_default(std::uint8_t reg, std::uint32_t value, unsigned size) {
    for (unsigned i = 0; i < size && reg + i < 256; ++i) {
        defaults_[reg + i] = static_cast<std::uint8_t>(value >> (8 * i));
        config_[reg + i] = defaults_[reg + i];
    }
}

void PciFunction::set_writable(std::uint8_t reg, std::uint32_t mask, unsigned size) {
    for (unsigned i = 0; i < size && reg + i < 256; ++i) writable_[reg + i] = static_cast<std::uint8_t>(mask >> (8 * i));
}

void PciFunction::set_write_clear(std::uint8_t reg, std::uint32_t mask, unsigned size) {
    for (unsigned i = 0; i < size && reg + i < 256; ++i)
        write_clear_[reg + i] = static_cast<std::uint8_t>(mask >> (8 * i));
}

std::uint16_t PciFunction::config16(std::uint8_t reg) const {
    return static_cast<std::uint16_t>(config_[reg] | (reg < 255 ? config_[reg + 1] << 8 : 0));
}

std::uint32_t PciFunction::config32(std::uint8_t reg) const { return config_peek(reg, 4); }

std::uint32_t PciFunction::config_peek(std::uint8_t reg, unsigned size) const {
    std::uint32_t value = 0;
    for (unsigned i = 0; i < size && i < 4 && reg + i < 256; ++i) value |= std::uint32_t(config_[reg + i]) << (8 * i);
    return value;
}

void PciFunction::config_write(std::uint8_t reg, std::uint32_t value, unsigned size) {
    unsigned n = 0;
    for (unsigned i = 0; i < size && i < 4 && reg + i < 256; ++i, ++n) {
        const unsigned r = reg + i;
        const auto v = static_cast<std::uint8_t>(value >> (8 * i));
        std::uint8_t b = static_cast<std::uint8_t>((config_[r] & ~writable_[r]) | (v & writable_[r]));
        b = static_cast<std::uint8_t>(b & ~(v & write_clear_[r]));
        config_[r] = b;
    }
    if (n == 0) return;
    config_written(reg, n, value);
    update_windows();
}

void PciFunction::reset() {
    config_ = defaults_;
    set_intx(false);
    update_windows();
}

void PciFunction::define_bar(unsigned index, PciSpace space, std::uint32_t size, IoDevice& device,
                             std::string_view name, bool prefetchable) {
    if (index > 5) throw std::invalid_argument("PciFunction: BAR index out of range");
    const std::uint32_t min_size = space == PciSpace::Io ? 4u : 16u;
    if (size < min_size || (size & (size - 1)) != 0)
        throw std::invalid_argument("PciFunction: BAR size must be a power of two");
    const auto reg = static_cast<std::uint8_t>(pci_reg::kBar0 + 4 * index);
    // Bit 0 is the space indicator (1: I/O); memory BARs have type 00 (anywhere in 32 bits) and
    // bit 3 says whether they are prefetchable (PCI 2.1, 6.2.5.1). The address bits below the
    // size read as zero.
    if (space == PciSpace::Io) {
        set_default(reg, 0x00000001, 4);
        set_writable(reg, ~(size - 1) & 0xFFFFFFFCu, 4);
    } else {
        set_default(reg, prefetchable ? 0x00000008 : 0x00000000, 4);
        set_writable(reg, ~(size - 1) & 0xFFFFFFF0u, 4);
    }
    PciWindow w;
    w.space = space;
    w.size = size;
    w.device = &device;
    w.name = std::string(name);
    w.bar = static_cast<int>(index);
    windows_.push_back(std::move(w));
}

void PciFunction::define_expansion_rom(std::uint32_t size, IoDevice& device, std::string_view name) {
    if (size < 0x800 || (size & (size - 1)) != 0)
        throw std::invalid_argument("PciFunction: expansion ROM size must be a power of two >= 2 KiB");
    set_default(pci_reg::kExpansionRom, 0x00000000, 4);
    set_writable(pci_reg::kExpansionRom, (~(size - 1) & 0xFFFFF800u) | 0x1u, 4);
    PciWindow w;
    w.space = PciSpace::Memory;
    w.size = size;
    w.device = &device;
    w.name = std::string(name);
    w.bar = kExpansionRomBar;
    windows_.push_back(std::move(w));
}

std::size_t PciFunction::add_window(PciSpace space, std::uint32_t size, IoDevice& device, std::string_view name) {
    PciWindow w;
    w.space = space;
    w.size = size;
    w.device = &device;
    w.name = std::string(name);
    windows_.push_back(std::move(w));
    return windows_.size() - 1;
}

void PciFunction::set_window(std::size_t index, std::uint32_t base, bool enabled) {
    if (index >= windows_.size()) return;
    windows_[index].base = base;
    windows_[index].enabled = enabled;
}

void PciFunction::update_windows() {
    const std::uint16_t cmd = command();
    for (PciWindow& w : windows_) {
        if (w.bar == kExpansionRomBar) {
            // PCI 2.1, 6.2.5.2: decoded only when the ROM enable bit and Memory Space are both on.
            const std::uint32_t rom = config32(pci_reg::kExpansionRom);
            w.base = rom & 0xFFFFF800u;
            w.enabled = (cmd & pci_command::kMemorySpace) != 0 && (rom & 1u) != 0 && w.base != 0;
        } else if (w.bar >= 0) {
            const std::uint32_t bar = config32(static_cast<std::uint8_t>(pci_reg::kBar0 + 4 * w.bar));
            if (w.space == PciSpace::Io) {
                w.base = bar & 0xFFFFFFFCu;
                // Base 0 means "not assigned" to every BIOS and OS (and QEMU treats it so).
                w.enabled = (cmd & pci_command::kIoSpace) != 0 && w.base != 0;
            } else {
                w.base = bar & 0xFFFFFFF0u;
                w.enabled = (cmd & pci_command::kMemorySpace) != 0 && w.base != 0;
            }
        }
        if (bus_) bus_->apply_window(w);
    }
}

void PciFunction::detach_windows() {
    if (!bus_) return;
    for (PciWindow& w : windows_) bus_->unmap_window(w);
}

void PciFunction::attach(PciBus& bus, std::uint8_t device, std::uint8_t function) {
    bus_ = &bus;
    device_ = device;
    function_ = function;
    update_windows();
}

void PciFunction::set_intx(bool level) {
    if (level == intx_level_) return;
    intx_level_ = level;
    const std::uint8_t pin = interrupt_pin();
    if (bus_ && pin >= 1 && pin <= 4) bus_->set_intx(device_, function_, pin, level);
}

void PciFunction::inspect(StateVisitor& v) {
    StateGroup g(v, inspect_name());
    {
        StateGroup cg(v, "config");
        v.bytes("space", config_);
        // The common header's fields, named, for the GUI and `info device`.
        std::uint64_t vendor = config16(pci_reg::kVendorId), device = config16(pci_reg::kDeviceId);
        std::uint64_t cmd = command(), status = config16(pci_reg::kStatus);
        if (!v.loading()) {
            v.field("vendor_id", vendor, 16, "Vendor ID (00h)");
            v.field("device_id", device, 16, "Device ID (02h)");
            v.field("command", cmd, 16, "Command (04h): bit 0 I/O, 1 memory, 2 bus master");
            v.field("status", status, 16, "Status (06h)");
        }
    }
    v.visit("intx_level", intx_level_, "INTx# asserted");
    if (!v.loading()) {
        for (PciWindow& w : windows_) {
            StateGroup wg(v, w.name);
            std::uint64_t base = w.base, size = w.size, enabled = w.enabled, mapped = w.mapped,
                          conflict = w.conflict;
            v.field("base", base, 32, "base the registers ask for");
            v.field("size", size, 32, "bytes decoded");
            v.field("enabled", enabled, 1, "decoding asked for");
            v.field("mapped", mapped, 1, "decoded on the bus now");
            v.field("conflict", conflict, 1, "overlaps another decoder: not decoded");
        }
    }
    inspect_state(v);
    if (v.loading()) after_load();
}

}  // namespace lantern
