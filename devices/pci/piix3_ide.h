// Piix3Ide: the 82371SB PIIX3 IDE interface, PCI function 00:01.1 (vendor 8086h, device 7010h;
// 82371SB datasheet, section 2.3 "PCI configuration registers - IDE interface (function 1)").
//
// Compatibility mode only (programming interface 80h: bus-master capable, both channels at the
// legacy addresses, not switchable to native mode): primary 1F0h-1F7h / 3F6h on IRQ14,
// secondary 170h-177h / 376h on IRQ15. A channel's legacy ports are decoded while its IDETIM
// register (40h primary, 42h secondary) has IDE Decode Enable (bit 15) set and the PCI Command
// register's I/O Space Enable is set - both clear after reset, so a BIOS must enable them.
// BMIBA (BAR4, 20h) places the 16 bytes of bus-master registers: the primary channel's at +0,
// the secondary's at +8. Bus Master Enable (Command bit 2) lets the engines take the bus.
#pragma once

#include <array>
#include <cstdint>

#include "devices/dma/dma8237.h"
#include "devices/ide/bus_master.h"
#include "devices/ide/ide_channel.h"
#include "devices/irq_line.h"
#include "devices/pci/pci_function.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"

namespace lantern {

class Piix3Ide final : public PciFunction {
public:
    static constexpr std::uint8_t kIdetimPrimary = 0x40;
    static constexpr std::uint8_t kIdetimSecondary = 0x42;
    static constexpr std::uint16_t kIdeDecodeEnable = 0x8000;

    // `memory` is the physical bus the bus-master engines read PRD tables and data through.
    Piix3Ide(Scheduler& scheduler, std::uint64_t cpu_freq_hz, IrqLine& irq14, IrqLine& irq15,
             DmaMemoryAccess memory);

    IdeChannel& channel(unsigned index) { return index == 0 ? primary_ : secondary_; }
    IdeChannel& primary() { return primary_; }
    IdeChannel& secondary() { return secondary_; }
    BusMasterIde& bus_master(unsigned index) { return index == 0 ? bm_primary_ : bm_secondary_; }

    // Claims the legacy ports of both channels (decoding still follows IDETIM / Command).
    void map(PortMap& ports);
    // PCIRST#: registers, bus masters and both channels (their devices get RESET-).
    void reset() override;

    std::string_view inspect_name() const override { return "piix3_ide"; }

protected:
    void config_written(std::uint8_t reg, unsigned size, std::uint32_t value) override;
    void inspect_state(StateVisitor& v) override;
    void after_load() override;

private:
    class BusMasterRegisters final : public IoDevice {
    public:
        explicit BusMasterRegisters(Piix3Ide& ide) : ide_(ide) {}
        std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
        void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
        std::uint32_t peek(std::uint32_t offset, unsigned size) const override;
        std::string_view inspect_name() const override { return "piix3_bmide"; }
        void inspect(StateVisitor& v) override { ide_.inspect_state(v); }

    private:
        Piix3Ide& ide_;
    };

    void update_decoding();

    IdeChannel primary_;
    IdeChannel secondary_;
    BusMasterIde bm_primary_;
    BusMasterIde bm_secondary_;
    BusMasterRegisters bm_registers_{*this};
};

}  // namespace lantern
