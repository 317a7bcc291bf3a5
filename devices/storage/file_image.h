// FileImage: a disk image in a host file.
//
// The user's file is precious: Lantern opens it read-only and never writes it unless asked.
//   Snapshot (default)  the file is opened read-only; guest writes go to an in-memory
//                       copy-on-write overlay of whole sectors (QEMU's -snapshot), which a
//                       snapshot saves and which is lost when the image is closed
//   ReadOnly            the file is opened read-only and writes are refused: the medium is
//                       write-protected
//   WriteThrough        the file is opened read-write and guest writes go straight to it
//                       (only when the user explicitly asked for a writable disk)
// open() checks the file up front and throws DiskImageError with a sentence for the user: missing,
// unreadable, a directory, empty, or not a whole number of sectors.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "devices/storage/block_device.h"

namespace lantern {

enum class ImageMode : std::uint8_t { Snapshot, ReadOnly, WriteThrough };
std::string_view image_mode_name(ImageMode m);

class FileImage final : public BlockDevice {
public:
    static std::unique_ptr<FileImage> open(const std::string& path, ImageMode mode = ImageMode::Snapshot,
                                           std::uint32_t sector_size = 512);
    ~FileImage() override;
    FileImage(const FileImage&) = delete;
    FileImage& operator=(const FileImage&) = delete;

    std::uint32_t sector_size() const override { return sector_size_; }
    std::uint64_t sector_count() const override { return sector_count_; }
    bool writable() const override { return mode_ != ImageMode::ReadOnly; }
    BlockStatus read_sectors(std::uint64_t first, std::span<std::uint8_t> out) override;
    BlockStatus write_sectors(std::uint64_t first, std::span<const std::uint8_t> in) override;
    std::string describe() const override;

    const std::string& path() const { return path_; }
    ImageMode mode() const { return mode_; }

    // Snapshot mode's overlay: sector number -> the sector's current bytes. Snapshots save it and
    // restore it with put_overlay_sector(); discard_overlay() goes back to the file's contents.
    const std::map<std::uint64_t, std::vector<std::uint8_t>>& overlay() const { return overlay_; }
    bool put_overlay_sector(std::uint64_t sector, std::span<const std::uint8_t> bytes);
    void discard_overlay() { overlay_.clear(); }

private:
    FileImage(std::string path, int fd, ImageMode mode, std::uint32_t sector_size, std::uint64_t sectors);
    bool in_range(std::uint64_t first, std::size_t bytes) const;
    bool read_file(std::uint64_t offset, std::span<std::uint8_t> out) const;

    std::string path_;
    int fd_ = -1;
    ImageMode mode_ = ImageMode::Snapshot;
    std::uint32_t sector_size_ = 512;
    std::uint64_t sector_count_ = 0;
    std::map<std::uint64_t, std::vector<std::uint8_t>> overlay_{};
};

}  // namespace lantern
