#include "devices/ide/ide_device.h"

#include "devices/ide/ata_defs.h"
#include "devices/ide/ide_channel.h"

namespace lantern {

IdeDevice::IdeDevice() : buffer_(kBufferSize, 0) {}

void IdeDevice::attach(IdeChannel& channel, unsigned index) {
    channel_ = &channel;
    index_ = index;
    event_name_ = channel.name() + (index == 0 ? ".device0" : ".device1");
}

std::uint64_t IdeDevice::ns_to_cycles(std::uint64_t ns) const {
    return channel_ ? channel_->ns_to_cycles(ns) : ns;
}

// ---- registers -------------------------------------------------------------------------------

void IdeDevice::write_register(unsigned reg, std::uint8_t value) {
    // ATA-6, 7.1: the host shall not write the Command Block while BSY is set; the device
    // ignores such writes (its registers are in use by the command).
    if (tf_.status & ata::kStatusBsy) return;
    switch (reg) {
        case kFeatures: tf_.hob_features = tf_.features; tf_.features = value; break;
        case kSectorCount: tf_.hob_sector_count = tf_.sector_count; tf_.sector_count = value; break;
        case kLbaLow: tf_.hob_lba_low = tf_.lba_low; tf_.lba_low = value; break;
        case kLbaMid: tf_.hob_lba_mid = tf_.lba_mid; tf_.lba_mid = value; break;
        case kLbaHigh: tf_.hob_lba_high = tf_.lba_high; tf_.lba_high = value; break;
        case kDevice: tf_.device = value; break;
        default: break;
    }
}

std::uint8_t IdeDevice::read_register(unsigned reg, bool hob) const {
    switch (reg) {
        case kError: return tf_.error;
        case kSectorCount: return hob ? tf_.hob_sector_count : tf_.sector_count;
        case kLbaLow: return hob ? tf_.hob_lba_low : tf_.lba_low;
        case kLbaMid: return hob ? tf_.hob_lba_mid : tf_.lba_mid;
        case kLbaHigh: return hob ? tf_.hob_lba_high : tf_.lba_high;
        case kDevice: return tf_.device;
        case kStatus: return tf_.status;
        default: return 0xFF;
    }
}

void IdeDevice::write_command(std::uint8_t command) {
    // Only DEVICE RESET may interrupt a busy packet device (ATA-6, 8.7); anything else written
    // while BSY is ignored, as the register write itself would be.
    if ((tf_.status & ata::kStatusBsy) && !(packet_device() && command == ata::kDeviceReset)) return;
    cancel_event();
    pio_dir_ = IdeDirection::None;
    pio_pos_ = pio_end_ = 0;
    if (dma_dir_ != IdeDirection::None) end_dma();
    intrq_ = false;
    if (channel_) channel_->irq_changed();
    command_ = command;
    tf_.error = 0;
    set_busy();
    if (command == ata::kExecuteDiagnostic && channel_) {
        channel_->execute_diagnostic();
        return;
    }
    execute(command);
}

void IdeDevice::clear_intrq() {
    if (!intrq_) return;
    intrq_ = false;
    if (channel_) channel_->irq_changed();
}

void IdeDevice::raise_intrq() {
    intrq_ = true;
    if (channel_) channel_->irq_changed();
}

// ---- data port -------------------------------------------------------------------------------

std::uint16_t IdeDevice::read_data() {
    if (pio_dir_ != IdeDirection::ToHost || pio_pos_ >= pio_end_) return 0xFFFF;
    std::uint16_t v = buffer_[pio_pos_];
    if (pio_pos_ + 1 < pio_end_) v = static_cast<std::uint16_t>(v | (buffer_[pio_pos_ + 1] << 8));
    pio_pos_ += 2;
    if (pio_pos_ >= pio_end_) {
        pio_pos_ = pio_end_;
        pio_dir_ = IdeDirection::None;
        tf_.status &= static_cast<std::uint8_t>(~ata::kStatusDrq);
        pio_done();
    }
    return v;
}

void IdeDevice::write_data(std::uint16_t value) {
    if (pio_dir_ != IdeDirection::FromHost || pio_pos_ >= pio_end_) return;
    buffer_[pio_pos_] = static_cast<std::uint8_t>(value);
    if (pio_pos_ + 1 < pio_end_) buffer_[pio_pos_ + 1] = static_cast<std::uint8_t>(value >> 8);
    pio_pos_ += 2;
    if (pio_pos_ >= pio_end_) {
        pio_pos_ = pio_end_;
        pio_dir_ = IdeDirection::None;
        tf_.status &= static_cast<std::uint8_t>(~ata::kStatusDrq);
        pio_done();
    }
}

// ---- helpers for the command sets ------------------------------------------------------------

void IdeDevice::schedule(std::uint8_t phase, std::uint64_t delay_ns) {
    cancel_event();
    if (!channel_) return;
    Scheduler& s = channel_->scheduler();
    phase_ = phase;
    phase_due_ = s.now() + ns_to_cycles(delay_ns);
    event_ = s.at(phase_due_, [this](Cycles when) { fire(when); }, event_name_);
}

void IdeDevice::cancel_event() {
    if (event_ != kNoEvent && channel_) channel_->scheduler().cancel(event_);
    event_ = kNoEvent;
    phase_ = 0;
    phase_due_ = 0;
}

void IdeDevice::fire(Cycles) {
    const std::uint8_t phase = phase_;
    event_ = kNoEvent;
    phase_ = 0;
    phase_due_ = 0;
    switch (phase) {
        case 0: return;
        case kPhaseResetDone:
            reset_common();
            set_signature();
            return;
        case kPhaseDiagnosticDone:
            if (channel_) channel_->diagnostic_done();
            return;
        default: event(phase); return;
    }
}

void IdeDevice::set_busy() {
    tf_.status = static_cast<std::uint8_t>((tf_.status & (ata::kStatusDrdy | ata::kStatusDsc)) | ata::kStatusBsy);
}

void IdeDevice::start_pio(IdeDirection dir, std::size_t offset, std::size_t length, bool interrupt) {
    if (offset > buffer_.size()) offset = buffer_.size();
    if (length > buffer_.size() - offset) length = buffer_.size() - offset;
    pio_dir_ = dir;
    pio_pos_ = static_cast<std::uint32_t>(offset);
    pio_end_ = static_cast<std::uint32_t>(offset + length);
    tf_.status = static_cast<std::uint8_t>((tf_.status & ~(ata::kStatusBsy | ata::kStatusErr)) | ata::kStatusDrq);
    if (interrupt) raise_intrq();
}

void IdeDevice::request_dma(IdeDirection dir) {
    dma_dir_ = dir;
    // During a DMA data phase BSY is clear and DRQ set (ATA-6, 9.10 "DMA data transfer").
    tf_.status = static_cast<std::uint8_t>((tf_.status & ~(ata::kStatusBsy | ata::kStatusErr)) | ata::kStatusDrq);
    if (channel_) channel_->dma_request_changed();
}

void IdeDevice::end_dma() {
    dma_dir_ = IdeDirection::None;
    if (channel_) channel_->dma_request_changed();
}

void IdeDevice::complete(std::uint8_t status, bool interrupt) {
    pio_dir_ = IdeDirection::None;
    pio_pos_ = pio_end_ = 0;
    if (dma_dir_ != IdeDirection::None) end_dma();
    tf_.status = status;
    if (interrupt) raise_intrq();
}

void IdeDevice::fail(std::uint8_t error, std::uint8_t status) {
    tf_.error = error;
    complete(static_cast<std::uint8_t>(status | ata::kStatusErr), true);
}

// ---- resets ----------------------------------------------------------------------------------

void IdeDevice::reset_common() {
    cancel_event();
    reset_command();
    pio_dir_ = IdeDirection::None;
    pio_pos_ = pio_end_ = 0;
    if (dma_dir_ != IdeDirection::None) end_dma();
    intrq_ = false;
    tf_.hob_features = tf_.hob_sector_count = tf_.hob_lba_low = tf_.hob_lba_mid = tf_.hob_lba_high = 0;
    tf_.features = 0;
    if (channel_) channel_->irq_changed();
}

void IdeDevice::hardware_reset() {
    srst_ = false;
    reset_common();
    set_signature();
}

void IdeDevice::soft_reset_assert() {
    srst_ = true;
    reset_common();
    tf_.status = ata::kStatusBsy;
}

void IdeDevice::soft_reset_release() {
    if (!srst_) return;
    srst_ = false;
    tf_.status = ata::kStatusBsy;
    schedule(kPhaseResetDone, ata::kResetNs);
}

void IdeDevice::diagnostic_begin(bool owner) {
    reset_common();
    tf_.status = ata::kStatusBsy;
    if (owner) schedule(kPhaseDiagnosticDone, ata::kCommandNs);
}

void IdeDevice::diagnostic_complete(bool interrupt) {
    reset_common();
    set_signature();
    if (interrupt) raise_intrq();
}

// ---- inspection ------------------------------------------------------------------------------

void IdeDevice::inspect(StateVisitor& v) {
    StateGroup g(v, inspect_name());
    {
        StateGroup tg(v, "task_file");
        v.visit("status", tf_.status, "BSY 80h, DRDY 40h, DF 20h, DSC 10h, DRQ 08h, ERR 01h");
        v.visit("error", tf_.error, "ABRT 04h, IDNF 10h, UNC 40h; 01h after a reset");
        v.visit("features", tf_.features);
        v.visit("sector_count", tf_.sector_count, "also the ATAPI interrupt reason");
        v.visit("lba_low", tf_.lba_low, "sector number");
        v.visit("lba_mid", tf_.lba_mid, "cylinder low; ATAPI byte count low");
        v.visit("lba_high", tf_.lba_high, "cylinder high; ATAPI byte count high");
        v.visit("hob_features", tf_.hob_features);
        v.visit("hob_sector_count", tf_.hob_sector_count);
        v.visit("hob_lba_low", tf_.hob_lba_low);
        v.visit("hob_lba_mid", tf_.hob_lba_mid);
        v.visit("hob_lba_high", tf_.hob_lba_high);
        v.visit("device", tf_.device, "bit 6 LBA, bit 4 DEV, bits 3:0 head / LBA 27:24");
    }
    v.visit("command", command_, "command in progress or last run");
    v.visit("intrq", intrq_, "interrupt pending");
    v.visit("srst", srst_, "held in software reset");
    v.visit("pio_direction", pio_dir_, "0 none, 1 to host, 2 from host");
    v.visit("pio_pos", pio_pos_, "next byte of the PIO window");
    v.visit("pio_end", pio_end_, "end of the PIO window");
    v.visit("dma_direction", dma_dir_, "DMARQ: 0 none, 1 to host, 2 from host");
    v.visit("phase", phase_, "scheduled phase (0: none)");
    v.visit("phase_due", phase_due_, "CPU cycle the phase event fires at");
    v.bytes("buffer", buffer_);
    if (pio_pos_ > pio_end_ || pio_end_ > buffer_.size()) pio_pos_ = pio_end_ = 0;  // untrusted load
    inspect_device(v);
    if (v.loading()) {
        // Events are not saved by the scheduler: drop ours and re-arm the saved phase.
        if (event_ != kNoEvent && channel_) channel_->scheduler().cancel(event_);
        event_ = kNoEvent;
        if (phase_ != 0 && channel_) {
            event_ = channel_->scheduler().at(phase_due_, [this](Cycles when) { fire(when); }, event_name_);
        }
        after_load();
    }
}

}  // namespace lantern
