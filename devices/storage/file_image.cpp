#include "devices/storage/file_image.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lantern {

std::string_view image_mode_name(ImageMode m) {
    switch (m) {
        case ImageMode::Snapshot: return "snapshot";
        case ImageMode::ReadOnly: return "read-only";
        case ImageMode::WriteThrough: return "writable";
    }
    return "?";
}

std::unique_ptr<FileImage> FileImage::open(const std::string& path, ImageMode mode, std::uint32_t sector_size) {
    if (sector_size == 0) throw DiskImageError("disk image '" + path + "': sector size must be above 0");
    const int flags = (mode == ImageMode::WriteThrough ? O_RDWR : O_RDONLY) | O_CLOEXEC;
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0) {
        const int err = errno;
        throw DiskImageError("cannot open disk image '" + path + "'" +
                             (mode == ImageMode::WriteThrough ? " for writing" : "") + ": " + std::strerror(err));
    }
    auto fail = [&](const std::string& why) {
        ::close(fd);
        throw DiskImageError("disk image '" + path + "' " + why);
    };
    struct stat st{};
    if (::fstat(fd, &st) != 0) fail(std::string("cannot be examined: ") + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) fail("is a directory, not a disk image");
    std::uint64_t size = 0;
    if (S_ISREG(st.st_mode)) {
        size = static_cast<std::uint64_t>(st.st_size);
    } else if (S_ISBLK(st.st_mode)) {
        const off_t end = ::lseek(fd, 0, SEEK_END);
        if (end < 0) fail(std::string("cannot be sized: ") + std::strerror(errno));
        size = static_cast<std::uint64_t>(end);
    } else {
        fail("is not a regular file or block device");
    }
    if (size == 0) fail("is empty");
    if (size % sector_size != 0) {
        fail("is " + std::to_string(size) + " bytes, not a whole number of " + std::to_string(sector_size) +
             "-byte sectors");
    }
    // Reading the first sector up front turns "exists but unreadable" into an error now, not a
    // mysterious disk error in the guest later.
    std::vector<std::uint8_t> probe(sector_size);
    if (::pread(fd, probe.data(), probe.size(), 0) != static_cast<ssize_t>(probe.size()))
        fail(std::string("cannot be read: ") + std::strerror(errno));
    return std::unique_ptr<FileImage>(new FileImage(path, fd, mode, sector_size, size / sector_size));
}

FileImage::FileImage(std::string path, int fd, ImageMode mode, std::uint32_t sector_size, std::uint64_t sectors)
    : path_(std::move(path)), fd_(fd), mode_(mode), sector_size_(sector_size), sector_count_(sectors) {}

FileImage::~FileImage() {
    if (fd_ >= 0) ::close(fd_);
}

std::string FileImage::describe() const {
    std::string d = path_ + " (" + std::string(image_mode_name(mode_));
    if (mode_ == ImageMode::Snapshot) d += ": writes kept in memory, " + std::to_string(overlay_.size()) + " sectors";
    return d + ")";
}

bool FileImage::in_range(std::uint64_t first, std::size_t bytes) const {
    if (bytes % sector_size_ != 0) return false;
    const std::uint64_t count = bytes / sector_size_;
    return first <= sector_count_ && count <= sector_count_ - first;
}

bool FileImage::read_file(std::uint64_t offset, std::span<std::uint8_t> out) const {
    std::size_t done = 0;
    while (done < out.size()) {
        const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;  // error, or the file shrank under us
        done += static_cast<std::size_t>(n);
    }
    return true;
}

BlockStatus FileImage::read_sectors(std::uint64_t first, std::span<std::uint8_t> out) {
    if (!in_range(first, out.size())) return BlockStatus::OutOfRange;
    const std::size_t count = out.size() / sector_size_;
    for (std::size_t i = 0; i < count; ++i) {
        std::span<std::uint8_t> dst = out.subspan(i * sector_size_, sector_size_);
        if (const auto it = overlay_.find(first + i); it != overlay_.end()) {
            std::memcpy(dst.data(), it->second.data(), sector_size_);
        } else if (!read_file((first + i) * sector_size_, dst)) {
            return BlockStatus::IoError;
        }
    }
    return BlockStatus::Ok;
}

BlockStatus FileImage::write_sectors(std::uint64_t first, std::span<const std::uint8_t> in) {
    if (mode_ == ImageMode::ReadOnly) return BlockStatus::ReadOnly;
    if (!in_range(first, in.size())) return BlockStatus::OutOfRange;
    const std::size_t count = in.size() / sector_size_;
    if (mode_ == ImageMode::Snapshot) {
        for (std::size_t i = 0; i < count; ++i) put_overlay_sector(first + i, in.subspan(i * sector_size_, sector_size_));
        return BlockStatus::Ok;
    }
    std::size_t done = 0;
    const std::uint64_t offset = first * sector_size_;
    while (done < in.size()) {
        const ssize_t n = ::pwrite(fd_, in.data() + done, in.size() - done, static_cast<off_t>(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return BlockStatus::IoError;
        done += static_cast<std::size_t>(n);
    }
    return BlockStatus::Ok;
}

bool FileImage::put_overlay_sector(std::uint64_t sector, std::span<const std::uint8_t> bytes) {
    if (sector >= sector_count_ || bytes.size() != sector_size_) return false;
    overlay_[sector].assign(bytes.begin(), bytes.end());
    return true;
}

}  // namespace lantern
