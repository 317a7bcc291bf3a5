#include "devices/port_map.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace lantern {

namespace {
constexpr std::uint32_t kPortCount = 0x10000;
}

PortMap::PortMap() : owner_(kPortCount, kUnclaimed) {}

void PortMap::map(std::uint16_t first, std::uint32_t count, IoDevice& device, std::string_view name) {
    if (count == 0 || first + count > kPortCount)
        throw std::invalid_argument("PortMap: bad port range for " + std::string(name));
    if (ranges_.size() >= kUnclaimed) throw std::length_error("PortMap: too many ranges");
    for (std::uint32_t p = first; p < first + count; ++p) {
        if (owner_[p] != kUnclaimed)
            throw std::invalid_argument("PortMap: " + std::string(name) + " overlaps " +
                                        ranges_[owner_[p]].name);
    }
    const auto index = static_cast<std::uint16_t>(ranges_.size());
    ranges_.push_back(Range{first, count, &device, std::string(name)});
    for (std::uint32_t p = first; p < first + count; ++p) owner_[p] = index;
}

bool PortMap::unmap(std::uint16_t first, IoDevice& device) {
    for (std::size_t i = 0; i < ranges_.size(); ++i) {
        if (ranges_[i].first != first || ranges_[i].device != &device) continue;
        ranges_.erase(ranges_.begin() + static_cast<std::ptrdiff_t>(i));
        // Indices above the erased range shift down by one: rebuild the per-port owner table.
        std::fill(owner_.begin(), owner_.end(), kUnclaimed);
        for (std::size_t r = 0; r < ranges_.size(); ++r) {
            for (std::uint32_t p = ranges_[r].first; p < ranges_[r].first + ranges_[r].count; ++p)
                owner_[p] = static_cast<std::uint16_t>(r);
        }
        return true;
    }
    return false;
}

bool PortMap::is_free(std::uint16_t first, std::uint32_t count) const {
    if (count == 0 || first + count > kPortCount) return false;
    for (std::uint32_t p = first; p < first + count; ++p) {
        if (owner_[p] != kUnclaimed) return false;
    }
    return true;
}

std::uint16_t PortMap::single_range(std::uint16_t port, unsigned size) const {
    const std::uint16_t index = owner_[port];
    if (index == kUnclaimed) return kUnclaimed;
    const Range& r = ranges_[index];
    return (port + size <= r.first + r.count) ? index : kUnclaimed;
}

std::uint32_t PortMap::read(std::uint16_t port, unsigned size) {
    if (const std::uint16_t i = single_range(port, size); i != kUnclaimed)
        return ranges_[i].device->read(port - ranges_[i].first, size) & open_bus_value(size);
    if (size == 1) return open_bus_value(1);
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size; ++b)  // port numbers wrap at 0xFFFF like the 16-bit DX
        value |= read(static_cast<std::uint16_t>(port + b), 1) << (8 * b);
    return value;
}

void PortMap::write(std::uint16_t port, std::uint32_t value, unsigned size) {
    if (const std::uint16_t i = single_range(port, size); i != kUnclaimed) {
        ranges_[i].device->write(port - ranges_[i].first, value & open_bus_value(size), size);
        return;
    }
    if (size == 1) return;  // nobody decodes it: the write goes nowhere
    for (unsigned b = 0; b < size; ++b)
        write(static_cast<std::uint16_t>(port + b), (value >> (8 * b)) & 0xFF, 1);
}

std::uint32_t PortMap::peek(std::uint16_t port, unsigned size) const {
    if (const std::uint16_t i = single_range(port, size); i != kUnclaimed)
        return ranges_[i].device->peek(port - ranges_[i].first, size) & open_bus_value(size);
    if (size == 1) return open_bus_value(1);
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size; ++b) value |= peek(static_cast<std::uint16_t>(port + b), 1) << (8 * b);
    return value;
}

IoDevice* PortMap::device_at(std::uint16_t port) const {
    const std::uint16_t index = owner_[port];
    return index == kUnclaimed ? nullptr : ranges_[index].device;
}

void PortMap::inspect(StateVisitor& v) {
    StateGroup g(v, "ports");
    if (v.loading()) return;  // the map is wiring, not state
    for (auto& r : ranges_) {
        StateGroup rg(v, r.name);
        std::uint64_t first = r.first;
        std::uint64_t last = r.first + r.count - 1;
        v.field("first", first, 16, "first port decoded");
        v.field("last", last, 16, "last port decoded");
    }
}

}  // namespace lantern
