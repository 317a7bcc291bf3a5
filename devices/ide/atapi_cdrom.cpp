#include "devices/ide/atapi_cdrom.h"

#include <algorithm>

#include "devices/ide/ata_defs.h"

namespace lantern {

namespace {
constexpr std::uint8_t kPacketReady = ata::kStatusDrdy;

void put_string(std::array<std::uint16_t, 256>& w, unsigned first, unsigned words, const std::string& s) {
    for (unsigned i = 0; i < words; ++i) {
        const char a = 2 * i < s.size() ? s[2 * i] : ' ';
        const char b = 2 * i + 1 < s.size() ? s[2 * i + 1] : ' ';
        w[first + i] = static_cast<std::uint16_t>((static_cast<std::uint8_t>(a) << 8) | static_cast<std::uint8_t>(b));
    }
}
}  // namespace

AtapiCdrom::AtapiCdrom(AtapiConfig config) : config_(std::move(config)) {}

// ---- medium ----------------------------------------------------------------------------------

bool AtapiCdrom::insert_media(BlockDevice& media) {
    const std::uint32_t ss = media.sector_size();
    if (ss == 0 || ss > kCdSectorSize || kCdSectorSize % ss != 0) return false;
    media_ = &media;
    tray_open_ = false;
    media_event_ = 2;  // NewMedia
    unit_attention_ = true;
    attention_ = {scsi::kUnitAttention, 0x28, 0x00};  // not ready to ready change, medium may have changed
    return true;
}

void AtapiCdrom::eject_media() {
    if (!media_) return;
    media_ = nullptr;
    media_event_ = 3;  // MediaRemoval
}

std::uint64_t AtapiCdrom::capacity() const {
    if (!media_) return 0;
    return media_->sector_count() * media_->sector_size() / kCdSectorSize;
}

bool AtapiCdrom::read_cd_sector(std::uint64_t lba, std::span<std::uint8_t> out) {
    if (!media_present() || out.size() != kCdSectorSize || lba >= capacity()) return false;
    const std::uint32_t ratio = kCdSectorSize / media_->sector_size();
    return media_->read_sectors(lba * ratio, out) == BlockStatus::Ok;
}

bool AtapiCdrom::read_stream(std::uint64_t pos, std::span<std::uint8_t> out) {
    std::array<std::uint8_t, kCdSectorSize> sector{};
    std::size_t done = 0;
    // One sector per pass; `out` is at most a DRQ block (< 64 KiB), so at most 33 passes.
    while (done < out.size()) {
        const std::uint64_t p = pos + done;
        const std::size_t off = static_cast<std::size_t>(p % kCdSectorSize);
        const std::size_t n = std::min<std::size_t>(kCdSectorSize - off, out.size() - done);
        if (!read_cd_sector(stream_lba_ + p / kCdSectorSize, sector)) return false;
        std::copy_n(sector.begin() + static_cast<std::ptrdiff_t>(off), n, out.begin() + static_cast<std::ptrdiff_t>(done));
        done += n;
    }
    return true;
}

// ---- IDENTIFY PACKET DEVICE (ATA-6, 8.16) ----------------------------------------------------

std::array<std::uint16_t, 256> AtapiCdrom::identify_packet_data() const {
    std::array<std::uint16_t, 256> w{};
    // ATAPI (10b), CD-ROM device type (05h), removable, accelerated DRQ (50 us), 12-byte packets.
    w[0] = 0x85C0;
    put_string(w, 10, 10, config_.serial);
    put_string(w, 23, 4, config_.revision);
    put_string(w, 27, 20, config_.model);
    w[49] = 0x0F00;  // IORDY, IORDY disable, LBA, DMA
    w[50] = 0x4000;
    w[53] = 0x0006;  // words 64-70 and 88 valid
    w[63] = 0x0007;  // multiword DMA 0-2
    w[64] = 0x0003;  // PIO 3 and 4
    w[65] = 120;
    w[66] = 120;
    w[67] = 120;
    w[68] = 120;
    w[71] = 30;      // typical PACKET-to-bus-release time, ns
    w[72] = 30;      // typical SERVICE-to-BSY-clear time, ns
    w[80] = 0x007E;  // ATA-1 .. ATA/ATAPI-6
    w[82] = 0x4010;  // NOP, PACKET feature set
    w[83] = 0x4000;
    w[84] = 0x4000;
    w[85] = 0x4010;
    w[86] = 0x0000;
    w[87] = 0x4000;
    w[88] = 0x003F;  // UDMA 0-5 supported, none selected
    w[93] = index() == 0 ? 0x400B : 0x4300;
    return w;
}

// ---- ATA commands ----------------------------------------------------------------------------

void AtapiCdrom::execute(std::uint8_t command) {
    reset_command();
    switch (command) {
        case ata::kPacket:
            dma_ = (tf_.features & 0x01) != 0;
            byte_limit_ = static_cast<std::uint16_t>(tf_.lba_high << 8 | tf_.lba_mid);
            schedule(kPhasePacketDrq, ata::kPacketDrqNs);
            break;
        case ata::kDeviceReset:
            schedule(kPhaseDeviceReset, ata::kResetNs);
            break;
        default:
            schedule(kPhaseExecute, ata::kCommandNs);
            break;
    }
}

void AtapiCdrom::event(std::uint8_t phase) {
    switch (phase) {
        case kPhaseExecute: run_ata_command(); break;
        case kPhasePacketDrq:
            // Interrupt reason: CoD = 1, IO = 0 - the device wants the command packet.
            tf_.sector_count = static_cast<std::uint8_t>((tf_.sector_count & 0xF8) | ata::kReasonCod);
            op_ = Op::PacketCdb;
            start_pio(IdeDirection::FromHost, 0, cdb_.size(), false);
            break;
        case kPhasePacket: run_packet(); break;
        case kPhaseNextChunk: send_chunk(); break;
        case kPhaseDeviceReset:
            // DEVICE RESET (ATA-6, 8.7): the signature, no interrupt; the medium state stays.
            reset_command();
            set_signature();
            break;
        default: break;
    }
}

void AtapiCdrom::run_ata_command() {
    switch (command_) {
        case ata::kIdentifyPacket: {
            const auto w = identify_packet_data();
            for (unsigned i = 0; i < 256; ++i) {
                buffer_[2 * i] = static_cast<std::uint8_t>(w[i]);
                buffer_[2 * i + 1] = static_cast<std::uint8_t>(w[i] >> 8);
            }
            op_ = Op::Identify;
            start_pio(IdeDirection::ToHost, 0, 512, true);
            break;
        }
        case ata::kSetFeatures:
            switch (tf_.features) {
                case 0x02: case 0x82: case 0x55: case 0xAA: case 0x66: case 0xCC: break;
                case 0x03: {
                    const std::uint8_t m = tf_.sector_count;
                    if (!(m <= 0x01 || (m >= 0x08 && m <= 0x0C) || (m >= 0x20 && m <= 0x22) || (m >= 0x40 && m <= 0x45))) {
                        fail(ata::kErrorAbrt, kPacketReady);
                        return;
                    }
                    break;
                }
                default: fail(ata::kErrorAbrt, kPacketReady); return;
            }
            complete(kPacketReady, true);
            break;
        case ata::kCheckPowerMode:
            tf_.sector_count = 0xFF;
            complete(kPacketReady, true);
            break;
        case ata::kIdleImmediate: case ata::kStandbyImmediate: case ata::kIdle: case ata::kStandby:
        case ata::kSleep:
            complete(kPacketReady, true);
            break;
        default: abort_with_signature(); break;
    }
}

void AtapiCdrom::abort_with_signature() {
    // A packet device aborts IDENTIFY DEVICE, the read/write commands and the rest of the ATA
    // set with its signature in the task file, so a driver can tell what it is talking to
    // (ATA-6, 8.15: "... shall abort the command ... and set the signature").
    tf_.sector_count = 0x01;
    tf_.lba_low = 0x01;
    tf_.lba_mid = 0x14;
    tf_.lba_high = 0xEB;
    fail(ata::kErrorAbrt, kPacketReady);
}

// ---- the packet data phase -------------------------------------------------------------------

std::uint32_t AtapiCdrom::chunk_limit() const {
    // ATA-6, 8.21: the byte count limit shall be even unless it is the whole transfer; FFFFh is
    // read as FFFEh and 0 (which the host shall not use) likewise.
    std::uint32_t limit = byte_limit_;
    if (limit == 0 || limit == 0xFFFF) limit = 0xFFFE;
    return limit & ~1u;
}

void AtapiCdrom::begin_data_in() {
    if (xfer_total_ == 0) {
        finish_ok();
        return;
    }
    op_ = Op::DataIn;
    xfer_done_ = 0;
    if (dma_) {
        request_dma(IdeDirection::ToHost);
        return;
    }
    send_chunk();
}

void AtapiCdrom::send_chunk() {
    const std::uint64_t left = xfer_total_ - xfer_done_;
    std::uint32_t limit = chunk_limit();
    if (limit == 0) limit = 2;
    std::uint32_t chunk = static_cast<std::uint32_t>(std::min<std::uint64_t>(left, limit));
    std::size_t offset = 0;
    if (stream_) {
        // Whole sectors per DRQ block when the limit allows: fewer interrupts, same data.
        if (chunk < left && chunk >= kCdSectorSize) chunk -= chunk % kCdSectorSize;
        if (!read_stream(xfer_done_, std::span<std::uint8_t>(buffer_.data(), chunk))) {
            check_condition(scsi::kMediumError, 0x11, 0x00);  // unrecovered read error
            return;
        }
    } else {
        offset = static_cast<std::size_t>(xfer_done_);
    }
    chunk_ = chunk;
    tf_.lba_mid = static_cast<std::uint8_t>(chunk);
    tf_.lba_high = static_cast<std::uint8_t>(chunk >> 8);
    tf_.sector_count = static_cast<std::uint8_t>((tf_.sector_count & 0xF8) | ata::kReasonIo);
    start_pio(IdeDirection::ToHost, offset, chunk, true);
}

void AtapiCdrom::pio_done() {
    switch (op_) {
        case Op::Identify:
            op_ = Op::None;
            complete(kPacketReady, false);
            break;
        case Op::PacketCdb:
            std::copy_n(buffer_.begin(), cdb_.size(), cdb_.begin());
            set_busy();
            schedule(kPhasePacket, ata::kAtapiCommandNs);
            break;
        case Op::DataIn: {
            xfer_done_ += chunk_;
            if (xfer_done_ >= xfer_total_) {
                finish_ok();
                break;
            }
            set_busy();
            const std::uint64_t next = std::min<std::uint64_t>(xfer_total_ - xfer_done_, chunk_limit());
            schedule(kPhaseNextChunk,
                     stream_ ? ata::kCdSectorNs * ((next + kCdSectorSize - 1) / kCdSectorSize) : ata::kCommandNs);
            break;
        }
        default: break;
    }
}

std::uint64_t AtapiCdrom::dma_transfer(DmaPort& port) {
    if (op_ != Op::DataIn) return 0;
    std::uint64_t moved = 0;
    if (!stream_) {
        const std::size_t from = static_cast<std::size_t>(xfer_done_);
        const std::size_t len = static_cast<std::size_t>(xfer_total_ - xfer_done_);
        moved = port.to_memory(std::span<const std::uint8_t>(buffer_.data() + from, len));
        xfer_done_ += moved;
        return moved;
    }
    // Sector by sector, bounded by the command's length.
    const std::span<std::uint8_t> sector(buffer_.data(), kCdSectorSize);
    while (xfer_done_ < xfer_total_ && !xfer_error_) {
        const std::size_t off = static_cast<std::size_t>(xfer_done_ % kCdSectorSize);
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kCdSectorSize - off, xfer_total_ - xfer_done_));
        if (!read_cd_sector(stream_lba_ + xfer_done_ / kCdSectorSize, sector)) {
            xfer_error_ = true;
            break;
        }
        const std::size_t n = port.to_memory(sector.subspan(off, want));
        xfer_done_ += n;
        moved += n;
        if (n < want) break;
    }
    return moved;
}

void AtapiCdrom::dma_burst_done() {
    if (op_ != Op::DataIn) return;
    if (xfer_error_) {
        check_condition(scsi::kMediumError, 0x11, 0x00);
        return;
    }
    if (xfer_done_ >= xfer_total_) finish_ok();
}

void AtapiCdrom::finish_ok() {
    op_ = Op::None;
    sense_ = {};
    tf_.sector_count = static_cast<std::uint8_t>((tf_.sector_count & 0xF8) | ata::kReasonIo | ata::kReasonCod);
    complete(kPacketReady, true);
}

void AtapiCdrom::check_condition(std::uint8_t key, std::uint8_t asc, std::uint8_t ascq) {
    op_ = Op::None;
    sense_ = {key, asc, ascq};
    tf_.sector_count = static_cast<std::uint8_t>((tf_.sector_count & 0xF8) | ata::kReasonIo | ata::kReasonCod);
    // Error register for a packet command: sense key in bits 7:4, ABRT when the command or a
    // parameter was invalid (ATA-6, 8.21 "Error outputs").
    const std::uint8_t error = static_cast<std::uint8_t>(key << 4 | (key == scsi::kIllegalRequest ? ata::kErrorAbrt : 0));
    fail(error, kPacketReady);
}

// ---- resets and state ------------------------------------------------------------------------

void AtapiCdrom::set_signature() {
    // Packet device signature (ATA-6, 9.12): count 01h, LBA low 01h, mid 14h, high EBh; status 00h.
    tf_.sector_count = 0x01;
    tf_.lba_low = 0x01;
    tf_.lba_mid = 0x14;
    tf_.lba_high = 0xEB;
    tf_.device = 0x00;
    tf_.error = 0x01;
    tf_.status = 0x00;
}

void AtapiCdrom::reset_command() {
    op_ = Op::None;
    cdb_.fill(0);
    stream_ = false;
    stream_lba_ = 0;
    xfer_total_ = xfer_done_ = 0;
    chunk_ = 0;
    xfer_error_ = false;
}

void AtapiCdrom::inspect_device(StateVisitor& v) {
    StateGroup g(v, "atapi");
    v.visit("tray_open", tray_open_);
    v.visit("locked", locked_, "PREVENT ALLOW MEDIUM REMOVAL");
    v.visit("media_event", media_event_, "GESN media event pending: 2 new media, 3 removal");
    v.visit("sense_key", sense_.key);
    v.visit("asc", sense_.asc, "additional sense code");
    v.visit("ascq", sense_.ascq);
    v.visit("unit_attention", unit_attention_);
    v.visit("attention_asc", attention_.asc);
    v.visit("attention_ascq", attention_.ascq);
    v.visit("op", op_, "0 none, 1 identify, 2 command packet, 3 data in");
    v.bytes("cdb", cdb_);
    v.visit("dma", dma_, "data phase by DMA");
    v.visit("byte_limit", byte_limit_);
    v.visit("stream", stream_, "data read from the medium");
    v.visit("stream_lba", stream_lba_);
    v.visit("xfer_total", xfer_total_, "bytes");
    v.visit("xfer_done", xfer_done_, "bytes");
    v.visit("chunk", chunk_, "bytes in the current DRQ block");
    v.visit("xfer_error", xfer_error_);
    if (v.loading()) {
        if (xfer_done_ > xfer_total_) xfer_done_ = xfer_total_;
        if (!stream_ && xfer_total_ > buffer_.size()) xfer_total_ = buffer_.size();
        if (chunk_ > buffer_.size()) chunk_ = 0;
    }
}

}  // namespace lantern
