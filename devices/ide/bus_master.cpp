#include "devices/ide/bus_master.h"

#include "devices/ide/ata_defs.h"

namespace lantern {

BusMasterIde::BusMasterIde(IdeChannel& channel, DmaMemoryAccess memory)
    : channel_(channel), memory_(std::move(memory)) {
    channel_.set_dma_engine(this);
}

std::uint32_t BusMasterIde::read(std::uint32_t offset, unsigned size) const {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i) {
        const std::uint32_t o = offset + i;
        std::uint8_t b = 0;
        switch (o) {
            case 0: b = command_; break;
            case 2: b = status_; break;
            case 4: case 5: case 6: case 7: b = static_cast<std::uint8_t>(prd_table_ >> (8 * (o - 4))); break;
            default: b = 0; break;  // reserved bytes read as zero
        }
        v |= std::uint32_t(b) << (8 * i);
    }
    return v;
}

void BusMasterIde::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    for (unsigned i = 0; i < size && i < 4; ++i) write_byte(offset + i, static_cast<std::uint8_t>(value >> (8 * i)));
}

void BusMasterIde::write_byte(std::uint32_t offset, std::uint8_t value) {
    switch (offset) {
        case 0: {
            const bool was = (command_ & kCommandStart) != 0;
            const bool now = (value & kCommandStart) != 0;
            // Read/Write Control may not change while the engine runs: keep the old direction.
            const std::uint8_t dir = (status_ & kStatusActive) ? (command_ & kCommandWriteMemory)
                                                               : (value & kCommandWriteMemory);
            command_ = static_cast<std::uint8_t>((value & kCommandStart) | dir);
            if (now && !was) start();
            else if (!now && was) stop();
            break;
        }
        case 2:
            status_ = static_cast<std::uint8_t>((status_ & ~(kStatusError | kStatusInterrupt)) &
                                                ~(value & (kStatusError | kStatusInterrupt)));
            status_ = static_cast<std::uint8_t>((status_ & ~0x60) | (value & 0x60));
            break;
        case 4: case 5: case 6: case 7: {
            const unsigned shift = 8 * (offset - 4);
            prd_table_ = (prd_table_ & ~(0xFFu << shift)) | (std::uint32_t(value) << shift);
            prd_table_ &= 0xFFFFFFFCu;  // dword aligned: bits 1:0 read as zero
            break;
        }
        default: break;
    }
}

void BusMasterIde::set_bus_master_enabled(bool enabled) {
    bus_master_enabled_ = enabled;
    try_burst();
}

void BusMasterIde::reset() {
    if (burst_event_ != kNoEvent) channel_.scheduler().cancel(burst_event_);
    burst_event_ = kNoEvent;
    burst_ = false;
    burst_due_ = 0;
    command_ = 0;
    status_ = 0;
    prd_table_ = 0;
    next_prd_ = prds_fetched_ = region_addr_ = region_left_ = 0;
    region_last_ = exhausted_ = false;
}

void BusMasterIde::start() {
    status_ |= kStatusActive;
    next_prd_ = prd_table_;
    prds_fetched_ = 0;
    region_addr_ = region_left_ = 0;
    region_last_ = false;
    exhausted_ = false;
    try_burst();
}

void BusMasterIde::stop() {
    // Clearing Start/Stop aborts the transfer: state is lost (SFF-8038i, "Start/Stop bit").
    status_ &= static_cast<std::uint8_t>(~kStatusActive);
    if (burst_event_ != kNoEvent) channel_.scheduler().cancel(burst_event_);
    burst_event_ = kNoEvent;
    burst_ = false;
    burst_due_ = 0;
}

bool BusMasterIde::next_region() {
    while (region_left_ == 0) {
        if (exhausted_ || region_last_ || prds_fetched_ >= kMaxPrds) {
            exhausted_ = true;
            return false;
        }
        std::uint8_t prd[8] = {};
        for (unsigned i = 0; i < 8; ++i) prd[i] = memory_.read8 ? memory_.read8(next_prd_ + i) : 0xFF;
        const std::uint32_t base = prd[0] | (prd[1] << 8) | (prd[2] << 16) | (std::uint32_t(prd[3]) << 24);
        const std::uint32_t count = (prd[4] | (prd[5] << 8)) & 0xFFFEu;
        region_addr_ = base & 0xFFFFFFFEu;
        region_left_ = count == 0 ? 0x10000u : count;
        region_last_ = (prd[7] & 0x80) != 0;
        next_prd_ += 8;
        ++prds_fetched_;
    }
    return true;
}

std::size_t BusMasterIde::Cursor::to_memory(std::span<const std::uint8_t> data) {
    std::size_t moved = 0;
    while (moved < data.size() && bm_.next_region()) {
        std::size_t n = std::min<std::size_t>(bm_.region_left_, data.size() - moved);
        for (std::size_t i = 0; i < n; ++i) {
            if (bm_.memory_.write8) bm_.memory_.write8(bm_.region_addr_ + static_cast<std::uint32_t>(i), data[moved + i]);
        }
        moved += n;
        bm_.region_addr_ += static_cast<std::uint32_t>(n);
        bm_.region_left_ -= static_cast<std::uint32_t>(n);
        if (bm_.region_left_ == 0 && bm_.region_last_) bm_.exhausted_ = true;
    }
    return moved;
}

std::size_t BusMasterIde::Cursor::from_memory(std::span<std::uint8_t> data) {
    std::size_t moved = 0;
    while (moved < data.size() && bm_.next_region()) {
        std::size_t n = std::min<std::size_t>(bm_.region_left_, data.size() - moved);
        for (std::size_t i = 0; i < n; ++i)
            data[moved + i] = bm_.memory_.read8 ? bm_.memory_.read8(bm_.region_addr_ + static_cast<std::uint32_t>(i)) : 0xFF;
        moved += n;
        bm_.region_addr_ += static_cast<std::uint32_t>(n);
        bm_.region_left_ -= static_cast<std::uint32_t>(n);
        if (bm_.region_left_ == 0 && bm_.region_last_) bm_.exhausted_ = true;
    }
    return moved;
}

void BusMasterIde::try_burst() {
    if (burst_ || !(status_ & kStatusActive) || !bus_master_enabled_) return;
    IdeDevice* d = channel_.selected();
    if (!d || !d->dma_requested()) return;
    const std::uint64_t bytes = d->dma_transfer(cursor_);
    if (bytes == 0 && !exhausted_) return;  // no progress possible: wait for the next change
    burst_ = true;
    burst_due_ = channel_.scheduler().now() + channel_.ns_to_cycles(bytes * ata::kDmaNsPerByte);
    arm_burst_event();
}

void BusMasterIde::arm_burst_event() {
    burst_event_ = channel_.scheduler().at(burst_due_, [this](Cycles) {
        burst_event_ = kNoEvent;
        burst_done();
    }, channel_.name() + ".bus_master");
}

void BusMasterIde::burst_done() {
    burst_ = false;
    burst_due_ = 0;
    if (IdeDevice* d = channel_.selected()) {
        if (d->dma_requested()) d->dma_burst_done();
    }
    if (exhausted_) {
        status_ &= static_cast<std::uint8_t>(~kStatusActive);
        return;
    }
    try_burst();  // the device may still want data and the table still has room
}

void BusMasterIde::inspect(StateVisitor& v) {
    StateGroup g(v, "bus_master");
    v.visit("command", command_, "BMICOM: bit 0 start, bit 3 write to memory");
    v.visit("status", status_, "BMISTA: bit 0 active, 1 error, 2 interrupt, 5/6 drive DMA capable");
    v.visit("prd_table", prd_table_, "BMIDTP: PRD table address");
    v.visit("next_prd", next_prd_, "address of the next PRD to fetch");
    v.visit("prds_fetched", prds_fetched_);
    v.visit("region_addr", region_addr_, "current memory region: next address");
    v.visit("region_left", region_left_, "current memory region: bytes left");
    v.visit("region_last", region_last_, "current region has EOT");
    v.visit("exhausted", exhausted_, "the PRD table is used up");
    v.visit("bus_master_enabled", bus_master_enabled_, "PCI Command bit 2");
    v.visit("burst", burst_, "a burst's bus time is running");
    v.visit("burst_due", burst_due_, "CPU cycle the burst ends at");
    if (v.loading()) {
        if (burst_event_ != kNoEvent) channel_.scheduler().cancel(burst_event_);
        burst_event_ = kNoEvent;
        if (burst_) arm_burst_event();
    }
}

}  // namespace lantern
