// Test helpers for the IDE/ATAPI tests: temporary image files, a two-channel rig on a PortMap
// with recorded IRQ14/IRQ15 edges, and the host side of the ATA protocols done the way a driver
// does them (poll BSY, wait for DRQ, move words through the data port).
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cpu/state_visitor.h"
#include "devices/ide/ata_defs.h"
#include "devices/ide/ide_channel.h"
#include "devices/irq_line.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"

namespace lantern::testing {

// A file under the temp directory holding `bytes`, removed when the object goes.
class TempImage {
public:
    explicit TempImage(const std::vector<std::uint8_t>& bytes) {
        char name[] = "/tmp/lantern_ide_XXXXXX";
        const int fd = ::mkstemp(name);
        if (fd >= 0) ::close(fd);
        path_ = name;
        std::ofstream f(path_, std::ios::binary | std::ios::trunc);
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    ~TempImage() { std::remove(path_.c_str()); }
    TempImage(const TempImage&) = delete;
    TempImage& operator=(const TempImage&) = delete;

    const std::string& path() const { return path_; }
    std::vector<std::uint8_t> contents() const {
        std::ifstream f(path_, std::ios::binary);
        return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(f), {});
    }

private:
    std::string path_;
};

// A disk image whose every byte says where it is: sector s, byte i holds (s * 7 + i) & 0xFF, and
// the first 8 bytes of each sector hold the sector number (little-endian), so a misplaced sector
// is obvious.
inline std::vector<std::uint8_t> patterned_image(std::uint64_t sectors, std::uint32_t sector_size = 512) {
    std::vector<std::uint8_t> img(sectors * sector_size);
    for (std::uint64_t s = 0; s < sectors; ++s) {
        for (std::uint32_t i = 0; i < sector_size; ++i)
            img[s * sector_size + i] = static_cast<std::uint8_t>(s * 7 + i);
        for (unsigned b = 0; b < 8; ++b) img[s * sector_size + b] = static_cast<std::uint8_t>(s >> (8 * b));
    }
    return img;
}

// Saves what it is shown by path, then (loading = true) puts it back: a snapshot in miniature.
class SnapshotVisitor final : public StateVisitor {
public:
    bool loading() const override { return loading_; }
    void set_loading(bool l) { loading_ = l; }
    void begin_group(std::string_view name) override { path_.emplace_back(name); }
    void end_group() override { path_.pop_back(); }
    void field(std::string_view name, std::uint64_t& value, unsigned, std::string_view) override {
        const std::string k = key(name);
        if (!loading_) fields_[k] = value;
        else if (auto it = fields_.find(k); it != fields_.end()) value = it->second;
    }
    void text(std::string_view name, std::string& value) override {
        const std::string k = key(name);
        if (!loading_) texts_[k] = value;
        else if (auto it = texts_.find(k); it != texts_.end()) value = it->second;
    }
    void bytes(std::string_view name, std::span<std::uint8_t> data) override {
        const std::string k = key(name);
        if (!loading_) {
            blobs_[k].assign(data.begin(), data.end());
        } else if (auto it = blobs_.find(k); it != blobs_.end()) {
            std::copy_n(it->second.begin(), std::min(it->second.size(), data.size()), data.begin());
        }
    }

private:
    std::string key(std::string_view name) const {
        std::string p;
        for (const auto& g : path_) p += g + ".";
        return p + std::string(name);
    }
    bool loading_ = false;
    std::vector<std::string> path_{};
    std::map<std::string, std::uint64_t> fields_{};
    std::map<std::string, std::string> texts_{};
    std::map<std::string, std::vector<std::uint8_t>> blobs_{};
};

struct IrqRecorder {
    IrqLine line{};
    int rises = 0;
    IrqRecorder() {
        line.connect([this](bool level) {
            if (level) ++rises;
        });
    }
    bool level() const { return line.level(); }
};

class IdeRig {
public:
    static constexpr std::uint64_t kCpuHz = 8'000'000;

    IdeRig()
        : primary(scheduler, kCpuHz, irq14.line, "ide0"), secondary(scheduler, kCpuHz, irq15.line, "ide1") {
        primary.map(ports, IdeChannel::kPrimaryCommandPort, IdeChannel::kPrimaryControlPort);
        secondary.map(ports, IdeChannel::kSecondaryCommandPort, IdeChannel::kSecondaryControlPort);
    }

    std::uint8_t in8(std::uint16_t port) { return static_cast<std::uint8_t>(ports.read(port, 1)); }
    std::uint16_t in16(std::uint16_t port) { return static_cast<std::uint16_t>(ports.read(port, 2)); }
    std::uint32_t in32(std::uint16_t port) { return ports.read(port, 4); }
    void out8(std::uint16_t port, std::uint8_t v) { ports.write(port, v, 1); }
    void out16(std::uint16_t port, std::uint16_t v) { ports.write(port, v, 2); }

    // Fires the next pending event (time jumps to it); false when none is pending.
    bool step() {
        if (scheduler.pending_count() == 0) return false;
        scheduler.advance_to(std::max(scheduler.now(), scheduler.next_event()));
        scheduler.run_due_events();
        return true;
    }
    // Runs events until the status at `base + 7` (read through Alternate Status, so no interrupt
    // is acknowledged) has BSY clear. Returns the status.
    std::uint8_t wait_not_busy(std::uint16_t base, std::uint16_t control) {
        (void)base;
        for (int i = 0; i < 10000; ++i) {
            const std::uint8_t s = in8(control);
            if (!(s & ata::kStatusBsy)) return s;
            if (!step()) return s;
        }
        return in8(control);
    }
    void run_all() {
        for (int i = 0; i < 100000 && step(); ++i) {
        }
    }

    // ATA task file helpers on the primary channel.
    void select(std::uint8_t device_reg, std::uint16_t base = 0x1F0) { out8(base + 6, device_reg); }
    void lba28(std::uint32_t lba, std::uint8_t count, unsigned dev = 0, std::uint16_t base = 0x1F0) {
        out8(base + 2, count);
        out8(base + 3, static_cast<std::uint8_t>(lba));
        out8(base + 4, static_cast<std::uint8_t>(lba >> 8));
        out8(base + 5, static_cast<std::uint8_t>(lba >> 16));
        out8(base + 6, static_cast<std::uint8_t>(0xE0 | (dev << 4) | ((lba >> 24) & 0x0F)));
    }
    void lba48(std::uint64_t lba, std::uint16_t count, std::uint16_t base = 0x1F0) {
        out8(base + 2, static_cast<std::uint8_t>(count >> 8));
        out8(base + 3, static_cast<std::uint8_t>(lba >> 24));
        out8(base + 4, static_cast<std::uint8_t>(lba >> 32));
        out8(base + 5, static_cast<std::uint8_t>(lba >> 40));
        out8(base + 2, static_cast<std::uint8_t>(count));
        out8(base + 3, static_cast<std::uint8_t>(lba));
        out8(base + 4, static_cast<std::uint8_t>(lba >> 8));
        out8(base + 5, static_cast<std::uint8_t>(lba >> 16));
        out8(base + 6, 0x40);
    }
    // Reads `bytes` through the 16-bit data port.
    std::vector<std::uint8_t> read_words(std::size_t bytes, std::uint16_t base = 0x1F0) {
        std::vector<std::uint8_t> out;
        for (std::size_t i = 0; i < bytes; i += 2) {
            const std::uint16_t w = in16(base);
            out.push_back(static_cast<std::uint8_t>(w));
            out.push_back(static_cast<std::uint8_t>(w >> 8));
        }
        return out;
    }
    // A PIO data-in command: per DRQ block wait, check DRQ, read `block` sectors.
    std::vector<std::uint8_t> pio_in(unsigned sectors, unsigned block = 1) {
        std::vector<std::uint8_t> data;
        while (sectors > 0) {
            const std::uint8_t s = wait_not_busy(0x1F0, 0x3F6);
            if (!(s & ata::kStatusDrq) || (s & ata::kStatusErr)) break;
            in8(0x1F7);  // acknowledge the interrupt as a driver does
            const unsigned n = std::min(block, sectors);
            const auto part = read_words(512u * n);
            data.insert(data.end(), part.begin(), part.end());
            sectors -= n;
        }
        return data;
    }

    Scheduler scheduler{};
    PortMap ports{};
    IrqRecorder irq14{};
    IrqRecorder irq15{};
    IdeChannel primary;
    IdeChannel secondary;
};

}  // namespace lantern::testing
