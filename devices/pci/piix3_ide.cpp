#include "devices/pci/piix3_ide.h"

namespace lantern {

namespace {
PciIdentity ide_identity() {
    PciIdentity id;
    id.vendor_id = 0x8086;
    id.device_id = 0x7010;
    id.revision = 0x00;
    id.class_code = 0x010180;  // mass storage, IDE, programming interface 80h (bus master, legacy)
    id.header_type = 0x00;
    id.interrupt_pin = 0x00;   // compatibility mode: IRQ14/15, no INTx#
    return id;
}
}  // namespace

Piix3Ide::Piix3Ide(Scheduler& scheduler, std::uint64_t cpu_freq_hz, IrqLine& irq14, IrqLine& irq15,
                   DmaMemoryAccess memory)
    : PciFunction(ide_identity()),
      primary_(scheduler, cpu_freq_hz, irq14, "ide0"),
      secondary_(scheduler, cpu_freq_hz, irq15, "ide1"),
      bm_primary_(primary_, memory),
      bm_secondary_(secondary_, memory) {
    set_writable(pci_reg::kCommand, 0x0005, 2);  // I/O space enable, bus master enable
    set_default(pci_reg::kStatus, 0x0280, 2);    // fast back-to-back capable, DEVSEL# medium
    set_writable(pci_reg::kLatencyTimer, 0xF0, 1);
    define_bar(4, PciSpace::Io, 16, bm_registers_, "piix3_bmide");
    set_writable(kIdetimPrimary, 0xF3FF, 2);     // IDETIM: decode enable, timing fields
    set_writable(kIdetimSecondary, 0xF3FF, 2);
    set_writable(0x44, 0xFF, 1);                 // SIDETIM: slave timing
    update_decoding();
}

void Piix3Ide::map(PortMap& ports) {
    primary_.map(ports, IdeChannel::kPrimaryCommandPort, IdeChannel::kPrimaryControlPort);
    secondary_.map(ports, IdeChannel::kSecondaryCommandPort, IdeChannel::kSecondaryControlPort);
}

void Piix3Ide::update_decoding() {
    const bool io = (command() & pci_command::kIoSpace) != 0;
    primary_.set_decode_enabled(io && (config16(kIdetimPrimary) & kIdeDecodeEnable));
    secondary_.set_decode_enabled(io && (config16(kIdetimSecondary) & kIdeDecodeEnable));
    const bool bme = (command() & pci_command::kBusMaster) != 0;
    bm_primary_.set_bus_master_enabled(bme);
    bm_secondary_.set_bus_master_enabled(bme);
}

void Piix3Ide::config_written(std::uint8_t, unsigned, std::uint32_t) { update_decoding(); }

void Piix3Ide::reset() {
    PciFunction::reset();
    bm_primary_.reset();
    bm_secondary_.reset();
    primary_.hardware_reset();
    secondary_.hardware_reset();
    update_decoding();
}

std::uint32_t Piix3Ide::BusMasterRegisters::peek(std::uint32_t offset, unsigned size) const {
    // Byte by byte, so an access straddling the two channels' blocks (+0-7, +8-15) reads both.
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i) {
        const std::uint32_t o = offset + i;
        const std::uint32_t b = o >= 16 ? 0xFF : (o < 8 ? ide_.bm_primary_ : ide_.bm_secondary_).read(o & 7, 1);
        v |= b << (8 * i);
    }
    return v;
}

void Piix3Ide::BusMasterRegisters::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    for (unsigned i = 0; i < size && i < 4; ++i) {
        const std::uint32_t o = offset + i;
        if (o < 16) (o < 8 ? ide_.bm_primary_ : ide_.bm_secondary_).write(o & 7, (value >> (8 * i)) & 0xFF, 1);
    }
}

void Piix3Ide::inspect_state(StateVisitor& v) {
    {
        StateGroup g(v, "primary_bus_master");
        bm_primary_.inspect(v);
    }
    {
        StateGroup g(v, "secondary_bus_master");
        bm_secondary_.inspect(v);
    }
    primary_.inspect(v);
    secondary_.inspect(v);
}

void Piix3Ide::after_load() {
    PciFunction::after_load();
    update_decoding();
}

}  // namespace lantern
