// AtaDisk: an ATA hard disk over a BlockDevice of 512-byte sectors (ATA/ATAPI-6 general feature
// set plus the 48-bit address feature set; CHS-era commands from ATA-3).
//
// Commands: IDENTIFY DEVICE, INITIALIZE DEVICE PARAMETERS, READ/WRITE SECTOR(S) (+EXT),
// READ/WRITE MULTIPLE (+EXT), SET MULTIPLE MODE, READ/WRITE DMA (+EXT), READ VERIFY SECTOR(S)
// (+EXT), SEEK, RECALIBRATE, SET FEATURES (transfer mode, write cache, look-ahead, defaults),
// FLUSH CACHE (+EXT), CHECK POWER MODE, the IDLE/STANDBY/SLEEP power commands (accepted: there is
// no spindle to stop), EXECUTE DEVICE DIAGNOSTIC (via the channel). Anything else - NOP included,
// by definition - is aborted with ABRT.
//
// Addressing: CHS through the current geometry (INITIALIZE DEVICE PARAMETERS; the default is
// 16 heads x 63 sectors, cylinders to fit, at most 16383), LBA28 (Device bit 6), LBA48 for the
// EXT commands. An address or count running past the end of the medium fails with IDNF.
// On completion the address registers hold the last sector transferred and the count what was
// left (0) - the ATA-3 behaviour older software reads back; on an error, the failing sector.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "devices/ide/ide_device.h"
#include "devices/storage/block_device.h"

namespace lantern {

struct AtaGeometry {
    std::uint32_t cylinders = 0;
    std::uint32_t heads = 0;
    std::uint32_t sectors = 0;  // per track
};

struct AtaDiskConfig {
    std::string model = "LANTERN HARDDISK";
    std::string serial = "LT0000000001";
    std::string firmware = "1.0";
    AtaGeometry geometry{};     // all zero: derived from the size
};

class AtaDisk final : public IdeDevice {
public:
    static constexpr std::uint32_t kSectorSize = 512;
    static constexpr unsigned kMaxMultiple = 16;  // IDENTIFY word 47

    // Throws std::invalid_argument unless `media` has 512-byte sectors.
    explicit AtaDisk(BlockDevice& media, AtaDiskConfig config = {});

    bool packet_device() const override { return false; }
    std::uint64_t sector_count() const { return media_.sector_count(); }
    const AtaGeometry& default_geometry() const { return default_geometry_; }
    const AtaGeometry& current_geometry() const { return current_; }
    unsigned multiple_count() const { return multiple_; }
    // The 256 words IDENTIFY DEVICE returns right now.
    std::array<std::uint16_t, 256> identify_data() const;

    std::uint64_t dma_transfer(DmaPort& port) override;
    void dma_burst_done() override;

    std::string_view inspect_name() const override { return "ata_disk"; }

protected:
    void execute(std::uint8_t command) override;
    void event(std::uint8_t phase) override;
    void pio_done() override;
    void set_signature() override;
    void reset_command() override;
    void inspect_device(StateVisitor& v) override;

private:
    enum Phase : std::uint8_t { kPhaseExecute = 1, kPhaseReadBlock = 2, kPhaseWriteBlock = 3 };
    enum class Op : std::uint8_t { None, Identify, ReadPio, WritePio, ReadDma, WriteDma };
    enum class Addressing : std::uint8_t { Chs, Lba28, Lba48 };

    void run_command();
    void abort_command();
    // Decodes the address and count of the command in the task file; on failure ends the command
    // with IDNF and returns false.
    bool decode_request(bool ext);
    void set_address(std::uint64_t lba);
    void set_remaining(std::uint32_t count);
    void read_block();
    void write_block();
    void start_pio_read(bool multiple);
    void start_pio_write(bool multiple);
    void start_dma(IdeDirection dir);
    void verify();
    void seek();
    void set_features();
    void initialize_parameters();
    void set_multiple();
    std::uint32_t block_sectors() const;

    BlockDevice& media_;
    AtaDiskConfig config_;
    AtaGeometry default_geometry_{};
    AtaGeometry current_{};
    unsigned multiple_ = 0;          // SET MULTIPLE MODE: sectors per DRQ block (0: disabled)
    bool write_cache_ = true;
    bool look_ahead_ = true;
    std::uint8_t mwdma_selected_ = 0xFF;  // 0-2, or 0xFF none
    std::uint8_t udma_selected_ = 0xFF;   // 0-5, or 0xFF none

    // The command in progress.
    Op op_ = Op::None;
    Addressing addressing_ = Addressing::Chs;
    bool multiple_op_ = false;       // READ/WRITE MULTIPLE: blocks of multiple_ sectors
    std::uint64_t lba_ = 0;          // next sector to transfer
    std::uint32_t remaining_ = 0;    // sectors still to transfer
    std::uint32_t block_ = 0;        // sectors in the current PIO block
    std::uint64_t dma_start_ = 0;
    std::uint64_t dma_total_ = 0;    // bytes
    std::uint64_t dma_done_ = 0;
    std::uint8_t dma_error_ = 0;     // error register value to report at the end of the burst
};

}  // namespace lantern
