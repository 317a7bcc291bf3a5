#include "devices/pci/piix3.h"

#include <cstdio>

namespace lantern {

namespace {
PciIdentity isa_bridge_identity() {
    PciIdentity id;
    id.vendor_id = 0x8086;
    id.device_id = 0x7000;
    id.revision = 0x00;
    id.class_code = 0x060100;  // bridge device, PCI-to-ISA bridge
    id.header_type = 0x80;     // multi-function: IDE (and USB) follow as functions 1, 2
    return id;
}

// PIRQRC bits 3:0 values that name a usable ISA IRQ (82371SB datasheet, PIRQRC: 0-2, 8 and 13
// are reserved).
bool routable_irq(unsigned irq) {
    return irq >= 3 && irq <= 15 && irq != 8 && irq != 13;
}
}  // namespace

Piix3IsaBridge::Piix3IsaBridge() : PciFunction(isa_bridge_identity()) {
    // Defaults and writable bits after the 82371SB datasheet's function 0 register table. Most of
    // these registers steer ISA cycles, DMA and SMI logic Lantern does not model: they hold what
    // the BIOS writes so it reads back as on the real chip.
    set_default(pci_reg::kCommand, 0x0007, 2);  // I/O, memory and bus master always enabled
    set_writable(pci_reg::kCommand, 0x0108, 2); // special cycles, SERR# enable
    set_default(pci_reg::kStatus, 0x0200, 2);   // DEVSEL# medium
    set_default(0x4C, 0x4D, 1);                 // IORT: ISA I/O recovery timer
    set_writable(0x4C, 0xFF, 1);
    set_default(0x4E, 0x0003, 2);               // XBCS: X-bus chip selects (RTC, keyboard, BIOS)
    set_writable(0x4E, 0x07FF, 2);
    for (unsigned i = 0; i < 4; ++i) {          // PIRQRC[A:D]: routing disabled
        set_default(static_cast<std::uint8_t>(kPirqRoute + i), 0x80, 1);
        set_writable(static_cast<std::uint8_t>(kPirqRoute + i), 0x8F, 1);
    }
    set_default(0x69, 0x02, 1);                 // TOM: top of memory
    set_writable(0x69, 0xFF, 1);
    set_writable(0x6A, 0x00FF, 2);              // MSTAT
    set_default(0x70, 0x80, 1);                 // MBIRQ0, MBIRQ1: motherboard IRQ routing off
    set_default(0x71, 0x80, 1);
    set_writable(0x70, 0xCFCF, 2);
    set_default(0x76, 0x0404, 2);               // MBDMA0, MBDMA1
    set_writable(0x76, 0x8787, 2);
    set_default(0x78, 0x0002, 2);               // PCSC: programmable chip select
    set_writable(0x78, 0xFFFF, 2);
    set_writable(0x80, 0x3F, 1);                // APICBASE
    set_writable(0x82, 0x0F, 1);                // DLC: deterministic latency control
    set_default(0xA0, 0x08, 1);                 // SMICNTL
    set_writable(0xA0, 0x1F, 1);
    set_writable(0xA2, 0x00FF, 2);              // SMIEN
    set_writable(0xA4, 0xFFFFFFFFu, 4);         // SEE: system event enable
    set_default(0xA8, 0x0F, 1);                 // FTMR: fast-off timer
    set_writable(0xA8, 0xFF, 1);
    set_write_clear(0xAA, 0x01FF, 2);           // SMIREQ
    set_writable(0xAC, 0xFF, 1);                // CTLTMR
    set_writable(0xAE, 0xFF, 1);                // CTHTMR
}

void Piix3IsaBridge::connect_isa_irq(unsigned irq, IrqLine& line) {
    if (irq >= kIsaIrqs) return;
    isa_irq_[irq] = &line;
    line.set_level(driven_[irq]);
}

int Piix3IsaBridge::pirq_target(unsigned pirq) const {
    if (pirq > 3) return -1;
    const std::uint8_t r = config8(static_cast<std::uint8_t>(kPirqRoute + pirq));
    if (r & 0x80) return -1;  // IRQROUTEN: 1 disables the route
    const unsigned irq = r & 0x0F;
    return routable_irq(irq) ? static_cast<int>(irq) : -1;
}

bool Piix3IsaBridge::pirq_level(unsigned pirq) const {
    for (unsigned d = 0; d < PciBus::kDevices; ++d) {
        for (unsigned pin = 1; pin <= 4; ++pin) {
            if ((intx_[d] & (1u << (pin - 1))) && pirq_for(d, pin) == pirq) return true;
        }
    }
    return false;
}

void Piix3IsaBridge::pci_irq(unsigned device, unsigned pin, bool level) {
    if (device >= PciBus::kDevices || pin < 1 || pin > 4) return;
    const auto bit = static_cast<std::uint8_t>(1u << (pin - 1));
    intx_[device] = static_cast<std::uint8_t>(level ? (intx_[device] | bit) : (intx_[device] & ~bit));
    update_outputs();
}

void Piix3IsaBridge::update_outputs() {
    std::array<bool, kIsaIrqs> want{};
    for (unsigned p = 0; p < 4; ++p) {
        const int irq = pirq_target(p);
        if (irq >= 0 && pirq_level(p)) want[static_cast<unsigned>(irq)] = true;
    }
    for (unsigned irq = 0; irq < kIsaIrqs; ++irq) {
        if (want[irq] == driven_[irq]) continue;
        driven_[irq] = want[irq];
        if (isa_irq_[irq]) isa_irq_[irq]->set_level(want[irq]);
    }
}

void Piix3IsaBridge::config_written(std::uint8_t reg, unsigned size, std::uint32_t) {
    if (reg < kPirqRoute + 4 && reg + size > kPirqRoute) update_outputs();
}

void Piix3IsaBridge::write_reset_control(std::uint8_t value) {
    const bool rcpu_rising = (value & 0x04) && !(reset_control_ & 0x04);
    reset_control_ = value & 0x06;  // SRST, RCPU; the other bits are reserved
    if (rcpu_rising && reset_request_) reset_request_((value & 0x02) != 0);
}

void Piix3IsaBridge::reset() {
    PciFunction::reset();
    reset_control_ = 0;
    update_outputs();
}

void Piix3IsaBridge::inspect_state(StateVisitor& v) {
    v.visit("reset_control", reset_control_, "RC (port CF9h): bit 1 SRST hard reset, bit 2 RCPU");
    v.bytes("device_intx", intx_);
    for (unsigned p = 0; p < 4; ++p) {
        char name[16];
        std::snprintf(name, sizeof name, "pirq%c_irq", 'a' + p);
        std::uint64_t target = static_cast<std::uint64_t>(pirq_target(p) & 0xFF);
        if (!v.loading()) v.field(name, target, 8, "ISA IRQ this PIRQ drives (255: not routed)");
    }
    for (unsigned irq = 0; irq < kIsaIrqs; ++irq) {
        char name[16];
        std::snprintf(name, sizeof name, "irq%u", irq);
        v.visit(name, driven_[irq], "level driven on this ISA IRQ by routed PCI interrupts");
    }
}

void Piix3IsaBridge::after_load() {
    PciFunction::after_load();
    for (unsigned irq = 0; irq < kIsaIrqs; ++irq) {
        if (isa_irq_[irq]) isa_irq_[irq]->set_level(driven_[irq]);
    }
}

}  // namespace lantern
