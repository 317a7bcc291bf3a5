#include "devices/pci/pci_bus.h"

#include <cstdio>
#include <stdexcept>

namespace lantern {

void PciBus::attach(unsigned device, unsigned function, PciFunction& f) {
    if (device >= kDevices || function >= kFunctions)
        throw std::invalid_argument("PciBus: device/function out of range");
    PciFunction*& slot = slots_[device * kFunctions + function];
    if (slot) throw std::invalid_argument("PciBus: slot already taken");
    slot = &f;
    f.attach(*this, static_cast<std::uint8_t>(device), static_cast<std::uint8_t>(function));
}

PciFunction* PciBus::function_at(unsigned device, unsigned function) const {
    if (device >= kDevices || function >= kFunctions) return nullptr;
    return slots_[device * kFunctions + function];
}

std::uint32_t PciBus::config_read(unsigned bus, unsigned device, unsigned function, std::uint8_t reg,
                                  unsigned size) {
    PciFunction* f = bus == 0 ? function_at(device, function) : nullptr;
    return f ? f->config_read(reg, size) : open_bus_value(size);
}

std::uint32_t PciBus::config_peek(unsigned bus, unsigned device, unsigned function, std::uint8_t reg,
                                  unsigned size) const {
    const PciFunction* f = bus == 0 ? function_at(device, function) : nullptr;
    return f ? f->config_peek(reg, size) : open_bus_value(size);
}

void PciBus::config_write(unsigned bus, unsigned device, unsigned function, std::uint8_t reg,
                          std::uint32_t value, unsigned size) {
    if (PciFunction* f = bus == 0 ? function_at(device, function) : nullptr) f->config_write(reg, value, size);
}

void PciBus::set_intx(unsigned device, unsigned function, unsigned pin, bool level) {
    if (device >= kDevices || function >= kFunctions || pin < 1 || pin > 4) return;
    const auto bit = static_cast<std::uint8_t>(1u << (pin - 1));
    std::uint8_t& f = intx_[device * kFunctions + function];
    f = static_cast<std::uint8_t>(level ? (f | bit) : (f & ~bit));
    bool any = false;
    for (unsigned fn = 0; fn < kFunctions; ++fn) any = any || (intx_[device * kFunctions + fn] & bit) != 0;
    std::uint8_t& told = reported_[device];
    if (any == ((told & bit) != 0)) return;
    told = static_cast<std::uint8_t>(any ? (told | bit) : (told & ~bit));
    if (router_) router_->pci_irq(device, pin, any);
}

void PciBus::unmap_window(PciWindow& w) {
    if (!w.mapped) return;
    if (w.space == PciSpace::Io)
        ports_.unmap(static_cast<std::uint16_t>(w.mapped_base), *w.device);
    else
        memory_.unmap(w.mapped_base);
    w.mapped = false;
    w.mapped_base = 0;
}

void PciBus::apply_window(PciWindow& w) {
    if (w.mapped && w.enabled && w.mapped_base == w.base) return;  // nothing moved
    unmap_window(w);
    w.conflict = false;
    if (!w.enabled || !w.device) return;
    if (w.space == PciSpace::Io) {
        // Only 16 address bits reach an x86 I/O cycle: a window above 0xFFFF can never be hit.
        if (static_cast<std::uint64_t>(w.base) + w.size > 0x10000) return;
        if (!ports_.is_free(static_cast<std::uint16_t>(w.base), w.size)) {
            w.conflict = true;
            return;
        }
        ports_.map(static_cast<std::uint16_t>(w.base), w.size, *w.device, w.name);
    } else {
        if (static_cast<std::uint64_t>(w.base) + w.size > (1ull << 32)) return;
        if (!memory_.is_free(w.base, w.size)) {
            w.conflict = true;
            return;
        }
        memory_.map_mmio(w.base, w.size, *w.device, w.name);
    }
    w.mapped = true;
    w.mapped_base = w.base;
}

void PciBus::reset() {
    for (PciFunction* f : slots_) {
        if (f) f->reset();
    }
}

void PciBus::inspect(StateVisitor& v) {
    StateGroup g(v, "pci");
    v.bytes("intx", intx_);
    v.bytes("intx_reported", reported_);
    for (unsigned i = 0; i < slots_.size(); ++i) {
        if (!slots_[i]) continue;
        char name[16];
        std::snprintf(name, sizeof name, "00:%02x.%u", i / kFunctions, i % kFunctions);
        StateGroup fg(v, name);
        slots_[i]->inspect(v);
    }
}

}  // namespace lantern
