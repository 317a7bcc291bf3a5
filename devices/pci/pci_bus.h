// PciBus: PCI bus 0 - its functions, configuration cycles, the address windows they decode and
// their INTx# interrupt pins.
//
// A configuration cycle names a device (0-31) and a function (0-7); an absent function does not
// claim the cycle, the host bridge sees a master abort and reads return all ones (PCI 2.1,
// section 6.1: "return 0FFFFh for the Vendor ID"). Lantern has no PCI-to-PCI bridges, so cycles to
// other bus numbers master-abort too.
//
// The bus owns the link to the PortMap and MemoryMap: a function asks it to (re)map a window when
// its registers change. A window whose range overlaps another decoder is not mapped (real hardware
// would have two devices fight over the bus; an emulator must not crash on what a guest writes) and
// is shown as a conflict by inspect.
//
// Interrupts: each function drives its INTx# pin through the bus, which hands (device, pin, level)
// to the board's PciIrqRouter (the PIIX3's PIRQ routing, on the Lantern board).
#pragma once

#include <array>
#include <cstdint>

#include "cpu/state_visitor.h"
#include "devices/memory_map.h"
#include "devices/pci/pci_function.h"
#include "devices/port_map.h"

namespace lantern {

class PciIrqRouter {
public:
    virtual ~PciIrqRouter() = default;
    // `pin` is 1-4 for INTA#-INTD#, as in the Interrupt Pin register.
    virtual void pci_irq(unsigned device, unsigned pin, bool level) = 0;
};

class PciBus final : public Inspectable {
public:
    static constexpr unsigned kDevices = 32;
    static constexpr unsigned kFunctions = 8;

    PciBus(PortMap& ports, MemoryMap& memory) : ports_(ports), memory_(memory) {}
    PciBus(const PciBus&) = delete;
    PciBus& operator=(const PciBus&) = delete;

    // Places `function` at device:function. Throws std::invalid_argument if the slot is taken or
    // out of range. The function's windows are derived (and mapped if its defaults enable them).
    void attach(unsigned device, unsigned function, PciFunction& f);
    PciFunction* function_at(unsigned device, unsigned function) const;

    // A type 0 configuration cycle on bus 0 (or a master abort for another bus / absent function).
    std::uint32_t config_read(unsigned bus, unsigned device, unsigned function, std::uint8_t reg,
                              unsigned size);
    std::uint32_t config_peek(unsigned bus, unsigned device, unsigned function, std::uint8_t reg,
                              unsigned size) const;
    void config_write(unsigned bus, unsigned device, unsigned function, std::uint8_t reg,
                      std::uint32_t value, unsigned size);

    void set_irq_router(PciIrqRouter* router) { router_ = router; }
    // From a function: its INTx# `pin` (1-4) changed level. Functions of one device that share a
    // pin are wired-OR (INTx# is open drain): the router hears the OR, once per change.
    void set_intx(unsigned device, unsigned function, unsigned pin, bool level);

    // Applies a window's wanted state (base, enabled) to the buses: unmaps where it was, maps where
    // it should be if that range is free. Updates mapped / mapped_base / conflict.
    void apply_window(PciWindow& w);
    void unmap_window(PciWindow& w);

    // PCIRST#: every function back to its defaults.
    void reset();

    std::string_view inspect_name() const override { return "pci"; }
    void inspect(StateVisitor& v) override;

private:
    PortMap& ports_;
    MemoryMap& memory_;
    PciIrqRouter* router_ = nullptr;
    std::array<PciFunction*, kDevices * kFunctions> slots_{};
    std::array<std::uint8_t, kDevices * kFunctions> intx_{};  // per function: bit (pin - 1) asserted
    std::array<std::uint8_t, kDevices> reported_{};           // per device: bit (pin - 1) told to router
};

}  // namespace lantern
