// PciConfigPorts: PCI configuration mechanism #1, the host bridge's CONFIG_ADDRESS (0xCF8) and
// CONFIG_DATA (0xCFC-0xCFF) ports (PCI Local Bus Specification 2.1, section 3.7.4.1; 82441FX
// datasheet, CONFADD/CONFDATA).
//
// CONFIG_ADDRESS is a 32-bit register that only a dword access reaches: bit 31 enables
// translation, bits 23:16 bus, 15:11 device, 10:8 function, 7:2 register; bits 30:24 and 1:0 are
// reserved and read as zero. A byte or word access to 0xCF8-0xCFB is an ordinary I/O cycle and
// goes elsewhere - on the PIIX3 board the byte at 0xCF9 is the Reset Control register (82371SB
// datasheet, RC), which this device forwards to a PciResetControl.
//
// CONFIG_DATA: with the enable bit set, an access of any width at 0xCFC + n reaches config
// register (CONFIG_ADDRESS[7:2] << 2) + n; with it clear the data port is not decoded and reads
// as all ones.
#pragma once

#include <cstdint>

#include "devices/io_device.h"
#include "devices/pci/pci_bus.h"
#include "devices/port_map.h"

namespace lantern {

// The byte register that shares the window at 0xCF9 (the PIIX3 Reset Control register).
class PciResetControl {
public:
    virtual ~PciResetControl() = default;
    virtual std::uint8_t reset_control() const = 0;
    virtual void write_reset_control(std::uint8_t value) = 0;
};

class PciConfigPorts final : public IoDevice {
public:
    static constexpr std::uint16_t kBasePort = 0xCF8;
    static constexpr std::uint32_t kPortCount = 8;

    explicit PciConfigPorts(PciBus& bus, PciResetControl* reset_control = nullptr)
        : bus_(bus), reset_control_(reset_control) {}

    void set_reset_control(PciResetControl* rc) { reset_control_ = rc; }
    // Claims 0xCF8-0xCFF.
    void map(PortMap& ports) { ports.map(kBasePort, kPortCount, *this, "pci_config"); }

    std::uint32_t config_address() const { return address_; }
    void reset() { address_ = 0; }

    std::uint32_t read(std::uint32_t offset, unsigned size) override;
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return "pci_config"; }
    void inspect(StateVisitor& v) override;

private:
    static constexpr std::uint32_t kAddressMask = 0x80FFFFFCu;  // reserved bits read as zero
    bool enabled() const { return (address_ & 0x80000000u) != 0; }
    unsigned bus_number() const { return (address_ >> 16) & 0xFF; }
    unsigned device_number() const { return (address_ >> 11) & 0x1F; }
    unsigned function_number() const { return (address_ >> 8) & 0x07; }
    std::uint8_t register_number(std::uint32_t offset) const {
        return static_cast<std::uint8_t>((address_ & 0xFC) + (offset - 4));
    }

    PciBus& bus_;
    PciResetControl* reset_control_ = nullptr;
    std::uint32_t address_ = 0;
};

}  // namespace lantern
