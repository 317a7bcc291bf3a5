// MemoryImage: a BlockDevice held entirely in host memory — a blank disk to format, or a test's
// hand-built image. Nothing touches the host's files.
#pragma once

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "devices/storage/block_device.h"

namespace lantern {

class MemoryImage final : public BlockDevice {
public:
    // `bytes.size()` is rounded down to whole sectors.
    MemoryImage(std::vector<std::uint8_t> bytes, std::uint32_t sector_size = 512, bool writable = true)
        : bytes_(std::move(bytes)), sector_size_(sector_size == 0 ? 512 : sector_size), writable_(writable) {
        bytes_.resize(bytes_.size() / sector_size_ * sector_size_);
    }

    std::uint32_t sector_size() const override { return sector_size_; }
    std::uint64_t sector_count() const override { return bytes_.size() / sector_size_; }
    bool writable() const override { return writable_; }

    BlockStatus read_sectors(std::uint64_t first, std::span<std::uint8_t> out) override {
        if (!in_range(first, out.size())) return BlockStatus::OutOfRange;
        if (!out.empty()) std::memcpy(out.data(), bytes_.data() + first * sector_size_, out.size());
        return BlockStatus::Ok;
    }
    BlockStatus write_sectors(std::uint64_t first, std::span<const std::uint8_t> in) override {
        if (!writable_) return BlockStatus::ReadOnly;
        if (!in_range(first, in.size())) return BlockStatus::OutOfRange;
        if (!in.empty()) std::memcpy(bytes_.data() + first * sector_size_, in.data(), in.size());
        return BlockStatus::Ok;
    }
    std::string describe() const override { return "in-memory disk (" + std::to_string(bytes_.size()) + " bytes)"; }

    const std::vector<std::uint8_t>& bytes() const { return bytes_; }

private:
    bool in_range(std::uint64_t first, std::size_t size) const {
        if (size % sector_size_ != 0) return false;
        const std::uint64_t count = size / sector_size_;
        return first <= sector_count() && count <= sector_count() - first;
    }

    std::vector<std::uint8_t> bytes_;
    std::uint32_t sector_size_;
    bool writable_;
};

}  // namespace lantern
