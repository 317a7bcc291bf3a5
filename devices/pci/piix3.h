// Piix3IsaBridge: the 82371SB PIIX3 PCI-to-ISA bridge, function 00:01.0 (vendor 8086h, device
// 7000h; 82371SB datasheet, section 2.2 "PCI to ISA bridge configuration registers").
//
// What Lantern models beyond register state:
//  * PIRQ routing (PIRQRC[A:D], 60h-63h): each of the four PCI interrupt lines PIRQA#-PIRQD# can
//    be steered to an ISA IRQ. Bit 7 set disables the route; bits 3:0 pick IRQ 3-7, 9-12, 14 or 15
//    (0-2, 8 and 13 are reserved and route nowhere). Default 80h: nothing routed. A routed PIRQ is
//    level-sensitive and shared: the ISA IRQ is asserted while any PCI function on any PIRQ
//    steered to it asserts its INTx#.
//  * How slots reach the PIRQ lines is board wiring. Lantern uses the rotation QEMU's i440FX board
//    uses, so BIOS tables can be written for it: device d, pin INTA#-INTD# (1-4) drives
//    PIRQ[(d + pin - 2) mod 4] - device 1 INTA# is PIRQA#, device 2 INTA# is PIRQB#, ...
//  * The Reset Control register at I/O port CF9h (82371SB datasheet, "RC"): bit 1 SRST picks a
//    hard (1) or soft (0) reset, and a 0-to-1 transition of bit 2 RCPU performs it - forwarded to
//    the board's `reset_request` callback. The port shares the 0xCF8 window (PciConfigPorts).
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "devices/irq_line.h"
#include "devices/pci/pci_bus.h"
#include "devices/pci/pci_config_ports.h"
#include "devices/pci/pci_function.h"

namespace lantern {

class Piix3IsaBridge final : public PciFunction, public PciIrqRouter, public PciResetControl {
public:
    static constexpr std::uint8_t kPirqRoute = 0x60;  // PIRQRC[A] .. [D] at 60h-63h
    static constexpr unsigned kIsaIrqs = 16;

    Piix3IsaBridge();

    // The ISA interrupt request lines the routed PIRQs drive (the board ORs them with the ISA
    // devices' own requests at the interrupt controller). Unconnected IRQs are simply not driven.
    void connect_isa_irq(unsigned irq, IrqLine& line);
    // Called with `hard` when the guest writes RCPU = 1 to port CF9h.
    void set_reset_request(std::function<void(bool hard)> callback) { reset_request_ = std::move(callback); }

    // PciIrqRouter: a PCI function's INTx# changed.
    void pci_irq(unsigned device, unsigned pin, bool level) override;
    // The PIRQ line (0-3 for A-D) that device/pin is wired to.
    static unsigned pirq_for(unsigned device, unsigned pin) { return (device + pin + 2) & 3; }
    // The ISA IRQ PIRQ `pirq` is routed to, or -1 when routing is disabled or reserved.
    int pirq_target(unsigned pirq) const;
    bool pirq_level(unsigned pirq) const;
    bool isa_irq_level(unsigned irq) const { return irq < kIsaIrqs && driven_[irq]; }

    // PciResetControl (port CF9h).
    std::uint8_t reset_control() const override { return reset_control_; }
    void write_reset_control(std::uint8_t value) override;

    void reset() override;

    std::string_view inspect_name() const override { return "piix3"; }

protected:
    void config_written(std::uint8_t reg, unsigned size, std::uint32_t value) override;
    void inspect_state(StateVisitor& v) override;
    void after_load() override;

private:
    void update_outputs();

    std::array<IrqLine*, kIsaIrqs> isa_irq_{};
    std::array<bool, kIsaIrqs> driven_{};          // the level we drive on each ISA IRQ
    std::array<std::uint8_t, PciBus::kDevices> intx_{}; // per device: bit (pin - 1) set = asserted
    std::uint8_t reset_control_ = 0;
    std::function<void(bool)> reset_request_{};
};

}  // namespace lantern
