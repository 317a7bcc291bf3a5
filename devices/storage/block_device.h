// BlockDevice: a disk as the controllers see it — a row of fixed-size sectors.
//
// Floppy and hard disk controllers translate their own addressing (cylinder/head/sector, LBA)
// into sector numbers here; back-ends decide where the bytes live (a host file, an in-memory
// copy-on-write overlay, a blank disk in RAM). Errors are values, not exceptions: a guest can ask
// for anything, and the controller turns a failure into its own status bits.
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>

namespace lantern {

enum class BlockStatus : std::uint8_t {
    Ok,
    OutOfRange,  // sector number or count past the end of the device
    ReadOnly,    // a write to a read-only device
    IoError,     // the host failed to read or write the backing store
};

// Why an image cannot be used, in one sentence for the user (missing file, odd size, ...).
class DiskImageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class BlockDevice {
public:
    virtual ~BlockDevice() = default;

    virtual std::uint32_t sector_size() const = 0;
    virtual std::uint64_t sector_count() const = 0;
    std::uint64_t size_bytes() const { return sector_count() * sector_size(); }
    // False when writes are refused (a write-protected medium).
    virtual bool writable() const = 0;

    // `out.size()` / `in.size()` must be a whole number of sectors.
    virtual BlockStatus read_sectors(std::uint64_t first, std::span<std::uint8_t> out) = 0;
    virtual BlockStatus write_sectors(std::uint64_t first, std::span<const std::uint8_t> in) = 0;

    // For people: "dos.img (snapshot: writes kept in memory)".
    virtual std::string describe() const = 0;
};

}  // namespace lantern
