// PortMap: the x86 I/O address space (64 Ki byte-wide ports) decoded to devices.
//
// A device claims a range of ports and sees accesses as offsets into it. A port nobody claims
// reads as all ones and ignores writes, as on the ISA bus, where nothing drives the data lines and
// the pull-ups win (IBM PC/AT Technical Reference, "I/O Address Map"). A word or dword access that
// stays inside one range goes to its device in one piece; one that straddles ranges (or unclaimed
// ports) is split into byte accesses, lowest port first, as a 16-bit bus splits a transfer to
// 8-bit devices.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/state_visitor.h"
#include "devices/io_device.h"

namespace lantern {

class PortMap final : public Inspectable {
public:
    PortMap();

    // Claims ports [first, first + count). Throws std::invalid_argument on an overlap, an empty
    // range or one running past port 0xFFFF.
    void map(std::uint16_t first, std::uint32_t count, IoDevice& device, std::string_view name);
    // Releases the range that starts at `first` and belongs to `device`, for decoders that move
    // at run time (PCI base address registers). Returns false if there is no such range.
    bool unmap(std::uint16_t first, IoDevice& device);
    // True when no port in [first, first + count) is claimed (and the range fits below 0x10000).
    bool is_free(std::uint16_t first, std::uint32_t count) const;

    std::uint32_t read(std::uint16_t port, unsigned size);
    void write(std::uint16_t port, std::uint32_t value, unsigned size);
    // Side-effect-free read, for the debugger.
    std::uint32_t peek(std::uint16_t port, unsigned size) const;

    // The device decoding `port`, or nullptr.
    IoDevice* device_at(std::uint16_t port) const;

    std::string_view inspect_name() const override { return "ports"; }
    void inspect(StateVisitor& v) override;

private:
    struct Range {
        std::uint16_t first = 0;
        std::uint32_t count = 0;
        IoDevice* device = nullptr;
        std::string name{};
    };
    static constexpr std::uint16_t kUnclaimed = 0xFFFF;

    // The range index for a multi-byte access wholly inside one range, or kUnclaimed.
    std::uint16_t single_range(std::uint16_t port, unsigned size) const;

    std::vector<Range> ranges_{};
    std::vector<std::uint16_t> owner_{};  // per port: index into ranges_, or kUnclaimed
};

}  // namespace lantern
