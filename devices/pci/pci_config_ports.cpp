#include "devices/pci/pci_config_ports.h"

namespace lantern {

std::uint32_t PciConfigPorts::peek(std::uint32_t offset, unsigned size) const {
    if (offset < 4) {
        if (offset == 0 && size == 4) return address_;
        if (offset == 1 && size == 1 && reset_control_) return reset_control_->reset_control();
        return open_bus_value(size);
    }
    if (!enabled()) return open_bus_value(size);
    return bus_.config_peek(bus_number(), device_number(), function_number(), register_number(offset), size);
}

std::uint32_t PciConfigPorts::read(std::uint32_t offset, unsigned size) {
    if (offset < 4 || !enabled()) return peek(offset, size);
    return bus_.config_read(bus_number(), device_number(), function_number(), register_number(offset), size);
}

void PciConfigPorts::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    if (offset < 4) {
        if (offset == 0 && size == 4) {
            address_ = value & kAddressMask;
        } else if (offset == 1 && size == 1 && reset_control_) {
            reset_control_->write_reset_control(static_cast<std::uint8_t>(value));
        }
        return;  // other byte/word cycles to 0xCF8-0xCFB are not decoded here
    }
    if (!enabled()) return;
    bus_.config_write(bus_number(), device_number(), function_number(), register_number(offset), value, size);
}

void PciConfigPorts::inspect(StateVisitor& v) {
    StateGroup g(v, "pci_config");
    v.visit("config_address", address_, "CONFIG_ADDRESS (0xCF8): enable, bus, device, function, register");
    if (v.loading()) address_ &= kAddressMask;
}

}  // namespace lantern
