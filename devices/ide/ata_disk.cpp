#include "devices/ide/ata_disk.h"

#include <algorithm>
#include <stdexcept>

#include "devices/ide/ata_defs.h"

namespace lantern {

namespace {
constexpr std::uint8_t kReady = ata::kStatusDrdy | ata::kStatusDsc;
constexpr std::uint64_t kLba28Limit = 0x10000000;  // 2^28 sectors

// ATA strings are space-padded and hold two characters per word, first in the high byte
// (ATA-6, 8.15.8: "each pair of characters swapped").
void put_string(std::array<std::uint16_t, 256>& w, unsigned first, unsigned words, const std::string& s) {
    for (unsigned i = 0; i < words; ++i) {
        const char a = 2 * i < s.size() ? s[2 * i] : ' ';
        const char b = 2 * i + 1 < s.size() ? s[2 * i + 1] : ' ';
        w[first + i] = static_cast<std::uint16_t>((static_cast<std::uint8_t>(a) << 8) | static_cast<std::uint8_t>(b));
    }
}

AtaGeometry derive_geometry(std::uint64_t sectors) {
    // The usual translation (ATA-6, Annex B): 16 heads, 63 sectors per track, as many cylinders
    // as fit, capped at 16383 (an 8.4 GB disk or larger reports 16383/16/63).
    AtaGeometry g;
    if (sectors >= 16 * 63) {
        g.heads = 16;
        g.sectors = 63;
        g.cylinders = static_cast<std::uint32_t>(std::min<std::uint64_t>(sectors / (16 * 63), 16383));
    } else {
        g.heads = 1;
        g.sectors = static_cast<std::uint32_t>(std::max<std::uint64_t>(1, std::min<std::uint64_t>(sectors, 63)));
        g.cylinders = static_cast<std::uint32_t>(std::max<std::uint64_t>(1, sectors / g.sectors));
    }
    return g;
}
}  // namespace

AtaDisk::AtaDisk(BlockDevice& media, AtaDiskConfig config) : media_(media), config_(std::move(config)) {
    if (media_.sector_size() != kSectorSize) throw std::invalid_argument("AtaDisk: the medium must have 512-byte sectors");
    const AtaGeometry& g = config_.geometry;
    if (g.cylinders && g.heads && g.sectors && g.heads <= 16 && g.sectors <= 255 && g.cylinders <= 65535)
        default_geometry_ = g;
    else
        default_geometry_ = derive_geometry(media_.sector_count());
    current_ = default_geometry_;
}

// ---- IDENTIFY DEVICE (ATA-6, 8.15) ----------------------------------------------------------

std::array<std::uint16_t, 256> AtaDisk::identify_data() const {
    std::array<std::uint16_t, 256> w{};
    const std::uint64_t total = media_.sector_count();
    const std::uint64_t lba28 = std::min<std::uint64_t>(total, kLba28Limit - 1);
    const std::uint64_t chs_capacity = std::uint64_t(current_.cylinders) * current_.heads * current_.sectors;
    w[0] = 0x0040;                                       // fixed, non-removable ATA device
    w[1] = static_cast<std::uint16_t>(default_geometry_.cylinders);
    w[3] = static_cast<std::uint16_t>(default_geometry_.heads);
    w[4] = static_cast<std::uint16_t>(kSectorSize * default_geometry_.sectors);  // obsolete
    w[5] = kSectorSize;                                  // obsolete
    w[6] = static_cast<std::uint16_t>(default_geometry_.sectors);
    put_string(w, 10, 10, config_.serial);
    put_string(w, 23, 4, config_.firmware);
    put_string(w, 27, 20, config_.model);
    w[47] = 0x8000 | kMaxMultiple;                       // READ/WRITE MULTIPLE: up to 16 sectors
    w[49] = 0x0F00;                                      // IORDY, IORDY disable, LBA, DMA
    w[50] = 0x4000;
    w[51] = 0x0200;                                      // PIO timing mode 2 (obsolete)
    w[53] = 0x0007;                                      // words 54-58, 64-70 and 88 valid
    w[54] = static_cast<std::uint16_t>(current_.cylinders);
    w[55] = static_cast<std::uint16_t>(current_.heads);
    w[56] = static_cast<std::uint16_t>(current_.sectors);
    w[57] = static_cast<std::uint16_t>(chs_capacity);
    w[58] = static_cast<std::uint16_t>(chs_capacity >> 16);
    w[59] = static_cast<std::uint16_t>(multiple_ ? (0x0100 | multiple_) : 0);
    w[60] = static_cast<std::uint16_t>(lba28);
    w[61] = static_cast<std::uint16_t>(lba28 >> 16);
    w[63] = static_cast<std::uint16_t>(0x0007 | (mwdma_selected_ <= 2 ? 0x0100 << mwdma_selected_ : 0));
    w[64] = 0x0003;                                      // PIO modes 3 and 4
    w[65] = 120;                                         // min MW DMA cycle time, ns
    w[66] = 120;                                         // recommended MW DMA cycle time
    w[67] = 120;                                         // min PIO cycle time without IORDY
    w[68] = 120;                                         // min PIO cycle time with IORDY
    w[80] = 0x007E;                                      // ATA-1 .. ATA/ATAPI-6
    w[82] = 0x4060;                                      // NOP, look-ahead, write cache
    w[83] = 0x7400;                                      // FLUSH CACHE EXT, FLUSH CACHE, 48-bit
    w[84] = 0x4000;
    w[85] = static_cast<std::uint16_t>(0x4000 | (look_ahead_ ? 0x40 : 0) | (write_cache_ ? 0x20 : 0));
    w[86] = 0x3400;
    w[87] = 0x4000;
    w[88] = static_cast<std::uint16_t>(0x003F | (udma_selected_ <= 5 ? 0x0100 << udma_selected_ : 0));
    w[93] = index() == 0 ? 0x400B : 0x4300;              // reset result: jumpered, diagnostics passed
    w[100] = static_cast<std::uint16_t>(total);
    w[101] = static_cast<std::uint16_t>(total >> 16);
    w[102] = static_cast<std::uint16_t>(total >> 32);
    w[103] = static_cast<std::uint16_t>(total >> 48);
    // Integrity word (ATA-6, 8.15.62): signature A5h, then the byte that makes all 512 sum to 0.
    w[255] = 0x00A5;
    std::uint8_t sum = 0;
    for (unsigned i = 0; i < 255; ++i) sum = static_cast<std::uint8_t>(sum + (w[i] & 0xFF) + (w[i] >> 8));
    sum = static_cast<std::uint8_t>(sum + 0xA5);
    w[255] = static_cast<std::uint16_t>(0x00A5 | (static_cast<std::uint8_t>(-sum) << 8));
    return w;
}

// ---- command dispatch ------------------------------------------------------------------------

void AtaDisk::execute(std::uint8_t command) {
    (void)command;
    reset_command();
    std::uint64_t delay = ata::kCommandNs;
    switch (command) {
        case ata::kReadSectors: case ata::kReadSectorsNoRetry: case ata::kReadSectorsExt:
        case ata::kReadMultiple: case ata::kReadMultipleExt:
        case ata::kReadDma: case ata::kReadDmaNoRetry: case ata::kReadDmaExt:
        case ata::kReadVerify: case ata::kReadVerifyNoRetry: case ata::kReadVerifyExt:
            delay = ata::kAccessNs;
            break;
        default:
            if ((command & 0xF0) == ata::kRecalibrate || (command & 0xF0) == ata::kSeek) delay = ata::kAccessNs;
            break;
    }
    schedule(kPhaseExecute, delay);
}

void AtaDisk::event(std::uint8_t phase) {
    switch (phase) {
        case kPhaseExecute: run_command(); break;
        case kPhaseReadBlock: read_block(); break;
        case kPhaseWriteBlock: write_block(); break;
        default: break;
    }
}

void AtaDisk::run_command() {
    const std::uint8_t c = command_;
    if ((c & 0xF0) == ata::kRecalibrate) {  // RECALIBRATE: heads to cylinder 0 (ATA-3, 8.21)
        complete(kReady, true);
        return;
    }
    if ((c & 0xF0) == ata::kSeek) {
        seek();
        return;
    }
    switch (c) {
        case ata::kIdentify: {
            const auto w = identify_data();
            for (unsigned i = 0; i < 256; ++i) {
                buffer_[2 * i] = static_cast<std::uint8_t>(w[i]);
                buffer_[2 * i + 1] = static_cast<std::uint8_t>(w[i] >> 8);
            }
            op_ = Op::Identify;
            start_pio(IdeDirection::ToHost, 0, 512, true);
            break;
        }
        case ata::kReadSectors: case ata::kReadSectorsNoRetry:
            if (decode_request(false)) start_pio_read(false);
            break;
        case ata::kReadSectorsExt:
            if (decode_request(true)) start_pio_read(false);
            break;
        case ata::kReadMultiple: case ata::kReadMultipleExt:
            if (multiple_ == 0) { abort_command(); break; }  // multiple mode not enabled
            if (decode_request(c == ata::kReadMultipleExt)) start_pio_read(true);
            break;
        case ata::kWriteSectors: case ata::kWriteSectorsNoRetry:
            if (decode_request(false)) start_pio_write(false);
            break;
        case ata::kWriteSectorsExt:
            if (decode_request(true)) start_pio_write(false);
            break;
        case ata::kWriteMultiple: case ata::kWriteMultipleExt:
            if (multiple_ == 0) { abort_command(); break; }
            if (decode_request(c == ata::kWriteMultipleExt)) start_pio_write(true);
            break;
        case ata::kReadDma: case ata::kReadDmaNoRetry:
            if (decode_request(false)) start_dma(IdeDirection::ToHost);
            break;
        case ata::kReadDmaExt:
            if (decode_request(true)) start_dma(IdeDirection::ToHost);
            break;
        case ata::kWriteDma: case ata::kWriteDmaNoRetry:
            if (decode_request(false)) start_dma(IdeDirection::FromHost);
            break;
        case ata::kWriteDmaExt:
            if (decode_request(true)) start_dma(IdeDirection::FromHost);
            break;
        case ata::kReadVerify: case ata::kReadVerifyNoRetry:
            if (decode_request(false)) verify();
            break;
        case ata::kReadVerifyExt:
            if (decode_request(true)) verify();
            break;
        case ata::kInitializeParameters: initialize_parameters(); break;
        case ata::kSetMultiple: set_multiple(); break;
        case ata::kSetFeatures: set_features(); break;
        case ata::kFlushCache: case ata::kFlushCacheExt:
            // The back-end keeps every write as soon as it is made: nothing is held back.
            complete(kReady, true);
            break;
        case ata::kCheckPowerMode:
            tf_.sector_count = 0xFF;  // active or idle
            complete(kReady, true);
            break;
        case ata::kStandbyImmediate: case ata::kIdleImmediate: case ata::kStandby: case ata::kIdle:
        case ata::kSleep:
            complete(kReady, true);
            break;
        default: abort_command(); break;  // NOP, IDENTIFY PACKET DEVICE, PACKET, unknown codes
    }
}

void AtaDisk::abort_command() { fail(ata::kErrorAbrt, kReady); }

// ---- addressing ------------------------------------------------------------------------------

bool AtaDisk::decode_request(bool ext) {
    const std::uint64_t total = media_.sector_count();
    std::uint64_t lba = 0;
    std::uint32_t count = 0;
    if (ext) {
        addressing_ = Addressing::Lba48;
        count = static_cast<std::uint32_t>(tf_.hob_sector_count << 8 | tf_.sector_count);
        if (count == 0) count = 65536;
        lba = std::uint64_t(tf_.hob_lba_high) << 40 | std::uint64_t(tf_.hob_lba_mid) << 32 |
              std::uint64_t(tf_.hob_lba_low) << 24 | std::uint64_t(tf_.lba_high) << 16 |
              std::uint64_t(tf_.lba_mid) << 8 | tf_.lba_low;
    } else {
        count = tf_.sector_count == 0 ? 256 : tf_.sector_count;
        if (tf_.device & ata::kDeviceLba) {
            addressing_ = Addressing::Lba28;
            lba = std::uint64_t(tf_.device & 0x0F) << 24 | std::uint64_t(tf_.lba_high) << 16 |
                  std::uint64_t(tf_.lba_mid) << 8 | tf_.lba_low;
        } else {
            addressing_ = Addressing::Chs;
            const std::uint32_t cyl = static_cast<std::uint32_t>(tf_.lba_high << 8 | tf_.lba_mid);
            const std::uint32_t head = tf_.device & 0x0F;
            const std::uint32_t sector = tf_.lba_low;
            if (sector == 0 || sector > current_.sectors || head >= current_.heads || cyl >= current_.cylinders) {
                fail(ata::kErrorIdnf, kReady);
                return false;
            }
            lba = (std::uint64_t(cyl) * current_.heads + head) * current_.sectors + (sector - 1);
        }
    }
    const std::uint64_t limit = addressing_ == Addressing::Lba28 ? std::min(total, kLba28Limit) : total;
    if (lba >= limit || count > limit - lba) {
        fail(ata::kErrorIdnf, kReady);
        return false;
    }
    lba_ = lba;
    remaining_ = count;
    return true;
}

void AtaDisk::set_address(std::uint64_t lba) {
    switch (addressing_) {
        case Addressing::Chs: {
            const std::uint64_t per_cyl = std::uint64_t(current_.heads) * current_.sectors;
            const std::uint64_t cyl = per_cyl ? lba / per_cyl : 0;
            const std::uint64_t head = current_.sectors ? (lba / current_.sectors) % current_.heads : 0;
            const std::uint64_t sector = current_.sectors ? lba % current_.sectors + 1 : 1;
            tf_.lba_low = static_cast<std::uint8_t>(sector);
            tf_.lba_mid = static_cast<std::uint8_t>(cyl);
            tf_.lba_high = static_cast<std::uint8_t>(cyl >> 8);
            tf_.device = static_cast<std::uint8_t>((tf_.device & 0xF0) | (head & 0x0F));
            break;
        }
        case Addressing::Lba28:
            tf_.lba_low = static_cast<std::uint8_t>(lba);
            tf_.lba_mid = static_cast<std::uint8_t>(lba >> 8);
            tf_.lba_high = static_cast<std::uint8_t>(lba >> 16);
            tf_.device = static_cast<std::uint8_t>((tf_.device & 0xF0) | ((lba >> 24) & 0x0F));
            break;
        case Addressing::Lba48:
            tf_.lba_low = static_cast<std::uint8_t>(lba);
            tf_.lba_mid = static_cast<std::uint8_t>(lba >> 8);
            tf_.lba_high = static_cast<std::uint8_t>(lba >> 16);
            tf_.hob_lba_low = static_cast<std::uint8_t>(lba >> 24);
            tf_.hob_lba_mid = static_cast<std::uint8_t>(lba >> 32);
            tf_.hob_lba_high = static_cast<std::uint8_t>(lba >> 40);
            break;
    }
}

void AtaDisk::set_remaining(std::uint32_t count) {
    tf_.sector_count = static_cast<std::uint8_t>(count);
    if (addressing_ == Addressing::Lba48) tf_.hob_sector_count = static_cast<std::uint8_t>(count >> 8);
}

std::uint32_t AtaDisk::block_sectors() const {
    const std::uint32_t per_block = multiple_op_ ? multiple_ : 1;
    return std::min(per_block, remaining_);
}

// ---- PIO data transfers (ATA-6, 9.7 "PIO data-in", 9.8 "PIO data-out") -----------------------

void AtaDisk::start_pio_read(bool multiple) {
    op_ = Op::ReadPio;
    multiple_op_ = multiple;
    read_block();
}

void AtaDisk::read_block() {
    block_ = block_sectors();
    const std::span<std::uint8_t> out(buffer_.data(), std::size_t(block_) * kSectorSize);
    if (media_.read_sectors(lba_, out) != BlockStatus::Ok) {
        set_address(lba_);
        set_remaining(remaining_);
        op_ = Op::None;
        fail(ata::kErrorUnc, kReady);
        return;
    }
    start_pio(IdeDirection::ToHost, 0, out.size(), true);
}

void AtaDisk::start_pio_write(bool multiple) {
    op_ = Op::WritePio;
    multiple_op_ = multiple;
    if (!media_.writable()) {
        op_ = Op::None;
        abort_command();  // write-protected medium
        return;
    }
    block_ = block_sectors();
    // The first block needs no interrupt: DRQ alone invites the host to write (ATA-6, 9.8).
    start_pio(IdeDirection::FromHost, 0, std::size_t(block_) * kSectorSize, false);
}

void AtaDisk::write_block() {
    const std::span<const std::uint8_t> in(buffer_.data(), std::size_t(block_) * kSectorSize);
    const BlockStatus st = media_.write_sectors(lba_, in);
    if (st != BlockStatus::Ok) {
        set_address(lba_);
        set_remaining(remaining_);
        op_ = Op::None;
        fail(st == BlockStatus::OutOfRange ? ata::kErrorIdnf : ata::kErrorAbrt, kReady);
        return;
    }
    lba_ += block_;
    remaining_ -= block_;
    set_address(lba_ - 1);
    set_remaining(remaining_);
    if (remaining_ == 0) {
        op_ = Op::None;
        complete(kReady, true);
        return;
    }
    block_ = block_sectors();
    start_pio(IdeDirection::FromHost, 0, std::size_t(block_) * kSectorSize, true);
}

void AtaDisk::pio_done() {
    switch (op_) {
        case Op::Identify:
            op_ = Op::None;
            complete(kReady, false);
            break;
        case Op::ReadPio:
            lba_ += block_;
            remaining_ -= block_;
            set_address(lba_ - 1);
            set_remaining(remaining_);
            if (remaining_ == 0) {
                op_ = Op::None;
                complete(kReady, false);  // no interrupt after the last block of a read
            } else {
                set_busy();
                schedule(kPhaseReadBlock, ata::kSectorNs * block_sectors());
            }
            break;
        case Op::WritePio:
            set_busy();
            schedule(kPhaseWriteBlock, ata::kSectorNs * block_);
            break;
        default: break;
    }
}

// ---- DMA (ATA-6, 9.10) -----------------------------------------------------------------------

void AtaDisk::start_dma(IdeDirection dir) {
    if (dir == IdeDirection::FromHost && !media_.writable()) {
        abort_command();
        return;
    }
    op_ = dir == IdeDirection::ToHost ? Op::ReadDma : Op::WriteDma;
    dma_start_ = lba_;
    dma_total_ = std::uint64_t(remaining_) * kSectorSize;
    dma_done_ = 0;
    dma_error_ = 0;
    request_dma(dir);
}

std::uint64_t AtaDisk::dma_transfer(DmaPort& port) {
    std::uint64_t moved = 0;
    // Each pass moves (the rest of) one sector; a pass that moves less ran out of PRD space.
    // The loop is bounded by the command's size, at most 65536 sectors.
    while (dma_done_ < dma_total_ && dma_error_ == 0) {
        const std::uint64_t sector = dma_start_ + dma_done_ / kSectorSize;
        const std::size_t off = static_cast<std::size_t>(dma_done_ % kSectorSize);
        const std::span<std::uint8_t> buf(buffer_.data(), kSectorSize);
        std::size_t n = 0;
        if (op_ == Op::ReadDma) {
            if (media_.read_sectors(sector, buf) != BlockStatus::Ok) {
                dma_error_ = ata::kErrorUnc;
                break;
            }
            n = port.to_memory(buf.subspan(off));
        } else if (op_ == Op::WriteDma) {
            n = port.from_memory(buf.subspan(off));
            if (off + n == kSectorSize) {
                const BlockStatus st = media_.write_sectors(sector, buf);
                if (st != BlockStatus::Ok) dma_error_ = st == BlockStatus::OutOfRange ? ata::kErrorIdnf : ata::kErrorAbrt;
            }
        } else {
            break;
        }
        dma_done_ += n;
        moved += n;
        if (off + n < kSectorSize) break;
    }
    return moved;
}

void AtaDisk::dma_burst_done() {
    if (op_ != Op::ReadDma && op_ != Op::WriteDma) return;
    if (dma_error_ != 0) {
        set_address(dma_start_ + dma_done_ / kSectorSize);
        set_remaining(static_cast<std::uint32_t>((dma_total_ - dma_done_ + kSectorSize - 1) / kSectorSize));
        op_ = Op::None;
        fail(dma_error_, kReady);
        return;
    }
    if (dma_done_ < dma_total_) return;  // the PRDs ran out: keep DMARQ up, wait for more
    set_address(dma_start_ + dma_total_ / kSectorSize - 1);
    set_remaining(0);
    op_ = Op::None;
    complete(kReady, true);
}

// ---- non-data commands -----------------------------------------------------------------------

void AtaDisk::verify() {
    // READ VERIFY reads the sectors without transferring them (ATA-6, 8.28).
    const std::uint32_t chunk = static_cast<std::uint32_t>(buffer_.size() / kSectorSize);
    while (remaining_ > 0) {
        const std::uint32_t n = std::min(chunk, remaining_);
        if (media_.read_sectors(lba_, std::span<std::uint8_t>(buffer_.data(), std::size_t(n) * kSectorSize)) != BlockStatus::Ok) {
            set_address(lba_);
            set_remaining(remaining_);
            fail(ata::kErrorUnc, kReady);
            return;
        }
        lba_ += n;
        remaining_ -= n;
    }
    set_address(lba_ - 1);
    set_remaining(0);
    complete(kReady, true);
}

void AtaDisk::seek() {
    // SEEK (ATA-3, 8.24): the address must exist; the count is not used.
    const std::uint8_t saved = tf_.sector_count;
    tf_.sector_count = 1;
    const bool ok = decode_request(false);
    tf_.sector_count = saved;
    if (ok) complete(kReady, true);
}

void AtaDisk::initialize_parameters() {
    // INITIALIZE DEVICE PARAMETERS (ATA-3, 8.16): sectors per track from Sector Count, heads from
    // Device bits 3:0 (max head number). The cylinder count follows from the capacity.
    const std::uint32_t spt = tf_.sector_count;
    const std::uint32_t heads = (tf_.device & 0x0F) + 1u;
    if (spt == 0) {
        abort_command();
        return;
    }
    current_.sectors = spt;
    current_.heads = heads;
    current_.cylinders = static_cast<std::uint32_t>(std::min<std::uint64_t>(media_.sector_count() / (spt * heads), 65535));
    complete(kReady, true);
}

void AtaDisk::set_multiple() {
    // SET MULTIPLE MODE (ATA-6, 8.39): a power of two up to word 47's maximum; 0 disables.
    const unsigned n = tf_.sector_count;
    if (n > kMaxMultiple || (n & (n - 1)) != 0) {
        abort_command();
        return;
    }
    multiple_ = n;
    complete(kReady, true);
}

void AtaDisk::set_features() {
    // SET FEATURES (ATA-6, 8.37).
    switch (tf_.features) {
        case 0x02: write_cache_ = true; break;
        case 0x82: write_cache_ = false; break;
        case 0xAA: look_ahead_ = true; break;
        case 0x55: look_ahead_ = false; break;
        case 0x66: case 0xCC: break;  // revert to power-on defaults off / on
        case 0x03: {
            const std::uint8_t mode = tf_.sector_count;
            if (mode <= 0x01 || (mode >= 0x08 && mode <= 0x0C)) {  // PIO default / flow control 0-4
                mwdma_selected_ = udma_selected_ = 0xFF;
            } else if (mode >= 0x20 && mode <= 0x22) {
                mwdma_selected_ = mode & 7;
                udma_selected_ = 0xFF;
            } else if (mode >= 0x40 && mode <= 0x45) {
                udma_selected_ = mode & 7;
                mwdma_selected_ = 0xFF;
            } else {
                abort_command();
                return;
            }
            break;
        }
        default: abort_command(); return;
    }
    complete(kReady, true);
}

// ---- resets and state ------------------------------------------------------------------------

void AtaDisk::set_signature() {
    // ATA device signature (ATA-6, 9.12): count 01h, LBA 000001h, device 00h; error 01h, ready.
    tf_.sector_count = 0x01;
    tf_.lba_low = 0x01;
    tf_.lba_mid = 0x00;
    tf_.lba_high = 0x00;
    tf_.device = 0x00;
    tf_.error = 0x01;
    tf_.status = kReady;
}

void AtaDisk::reset_command() {
    op_ = Op::None;
    multiple_op_ = false;
    lba_ = 0;
    remaining_ = 0;
    block_ = 0;
    dma_start_ = dma_total_ = dma_done_ = 0;
    dma_error_ = 0;
}

void AtaDisk::inspect_device(StateVisitor& v) {
    StateGroup g(v, "ata");
    v.visit("cylinders", current_.cylinders, "current translation");
    v.visit("heads", current_.heads);
    v.visit("sectors_per_track", current_.sectors);
    v.visit("multiple", multiple_, "SET MULTIPLE MODE sectors per block (0: off)");
    v.visit("write_cache", write_cache_);
    v.visit("look_ahead", look_ahead_);
    v.visit("mwdma_selected", mwdma_selected_, "255: none");
    v.visit("udma_selected", udma_selected_, "255: none");
    v.visit("op", op_, "0 none, 1 identify, 2 PIO read, 3 PIO write, 4 DMA read, 5 DMA write");
    v.visit("addressing", addressing_, "0 CHS, 1 LBA28, 2 LBA48");
    v.visit("multiple_op", multiple_op_);
    v.visit("lba", lba_, "next sector");
    v.visit("remaining", remaining_, "sectors left in the command");
    v.visit("block", block_, "sectors in the current PIO block");
    v.visit("dma_start", dma_start_);
    v.visit("dma_total", dma_total_, "bytes");
    v.visit("dma_done", dma_done_, "bytes");
    v.visit("dma_error", dma_error_);
    if (v.loading()) {
        // Untrusted snapshot: keep the state within what the code can handle.
        if (current_.sectors == 0 || current_.heads == 0 || current_.heads > 16) current_ = default_geometry_;
        if (multiple_ > kMaxMultiple) multiple_ = 0;
        if (block_ > kMaxMultiple) block_ = 0;
        if (dma_done_ > dma_total_) dma_done_ = dma_total_;
    }
}

}  // namespace lantern
