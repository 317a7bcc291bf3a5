// BusMasterIde: one channel's bus-master IDE engine, as in the PIIX/PIIX3 (82371SB datasheet,
// "Bus master IDE registers"; SFF-8038i "Bus Master Programming Interface for IDE ATA
// Controllers"). Eight bytes of registers per channel:
//   +0 BMICOM  bit 0 Start/Stop Bus Master, bit 3 Read/Write Control (1: the bus master writes
//              memory, i.e. a disk read); the direction must not change while active
//   +2 BMISTA  bit 0 active (read-only), bit 1 error and bit 2 interrupt (write 1 to clear),
//              bits 5/6 drive 0/1 DMA capable (software scratch for the BIOS), bit 7 simplex (0)
//   +4 BMIDTP  physical address of the PRD table, bits 31:2
// A PRD (physical region descriptor) is two dwords: the region's base (bit 0 zero), then its byte
// count in bits 15:1 (0 means 64 KiB) with bit 31 marking the last entry (EOT).
//
// Status after a transfer (SFF-8038i, "Bus master status register" table):
//   interrupt=1 active=0  the device interrupted and the PRDs were exactly used up (normal)
//   interrupt=1 active=1  the device interrupted with PRD space left over (also normal)
//   interrupt=0 active=0  the PRDs ran out before the device finished: an error for the driver
// The interrupt bit latches each rising edge of the channel's interrupt line.
//
// Timing: when the engine is started and the selected device asserts DMARQ, the data moves at
// once (memory is written/read through the board's physical bus), and the burst then occupies
// the bus for bytes x ata::kDmaNsPerByte; only when that time has passed does the device finish
// the command and interrupt and the engine drop "active" - the order software can observe.
// A guest PRD table without EOT is cut off after 8192 entries (a 64 KiB table, the largest the
// PIIX allows), so no table can keep the engine walking forever.
#pragma once

#include <cstdint>

#include "cpu/state_visitor.h"
#include "devices/dma/dma8237.h"
#include "devices/ide/ide_channel.h"
#include "devices/ide/ide_device.h"

namespace lantern {

class BusMasterIde final : public IdeDmaEngine, public Inspectable {
public:
    static constexpr std::uint8_t kCommandStart = 0x01;
    static constexpr std::uint8_t kCommandWriteMemory = 0x08;
    static constexpr std::uint8_t kStatusActive = 0x01;
    static constexpr std::uint8_t kStatusError = 0x02;
    static constexpr std::uint8_t kStatusInterrupt = 0x04;
    static constexpr std::uint32_t kMaxPrds = 8192;

    BusMasterIde(IdeChannel& channel, DmaMemoryAccess memory);

    // Register access, `offset` 0-7 within this channel's block.
    std::uint32_t read(std::uint32_t offset, unsigned size) const;
    void write(std::uint32_t offset, std::uint32_t value, unsigned size);

    // PCI Command bit 2 (Bus Master Enable): without it the engine never gets the bus.
    void set_bus_master_enabled(bool enabled);
    void reset();

    std::uint8_t command() const { return command_; }
    std::uint8_t status() const { return status_; }
    std::uint32_t prd_table() const { return prd_table_; }

    // IdeDmaEngine
    void dma_request_changed() override { try_burst(); }
    void interrupt_raised() override { status_ |= kStatusInterrupt; }

    std::string_view inspect_name() const override { return "bus_master"; }
    void inspect(StateVisitor& v) override;

private:
    class Cursor final : public DmaPort {
    public:
        explicit Cursor(BusMasterIde& bm) : bm_(bm) {}
        std::size_t to_memory(std::span<const std::uint8_t> data) override;
        std::size_t from_memory(std::span<std::uint8_t> data) override;

    private:
        BusMasterIde& bm_;
    };

    void write_byte(std::uint32_t offset, std::uint8_t value);
    void start();
    void stop();
    // Makes the current region non-empty; false when the table is used up.
    bool next_region();
    void try_burst();
    void burst_done();
    void arm_burst_event();

    IdeChannel& channel_;
    DmaMemoryAccess memory_;
    Cursor cursor_{*this};
    bool bus_master_enabled_ = true;

    std::uint8_t command_ = 0;
    std::uint8_t status_ = 0;
    std::uint32_t prd_table_ = 0;
    // PRD walk state.
    std::uint32_t next_prd_ = 0;       // address of the next descriptor to fetch
    std::uint32_t prds_fetched_ = 0;
    std::uint32_t region_addr_ = 0;
    std::uint32_t region_left_ = 0;
    bool region_last_ = false;         // the current region carries EOT
    bool exhausted_ = false;           // the last region has been used up
    // A burst in flight: the bus time of data already moved.
    bool burst_ = false;
    Cycles burst_due_ = 0;
    EventId burst_event_ = kNoEvent;
};

}  // namespace lantern
