// A scriptable IoDevice for bus tests: records accesses, and counts reads so a test can tell a
// side-effect-free peek from a read.
#pragma once

#include <cstdint>
#include <vector>

#include "devices/io_device.h"

namespace lantern::testing {

class FakeDevice final : public IoDevice {
public:
    struct Access {
        bool write = false;
        std::uint32_t offset = 0;
        std::uint32_t value = 0;
        unsigned size = 0;
        bool operator==(const Access&) const = default;
    };

    explicit FakeDevice(std::uint32_t base_value = 0) : base_value_(base_value) {}

    // Reads return base_value + offset (+ 0x100 per earlier read, a visible side effect).
    std::uint32_t read(std::uint32_t offset, unsigned size) override {
        const std::uint32_t v = peek(offset, size);
        ++reads;
        accesses.push_back({false, offset, v, size});
        return v;
    }
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override {
        accesses.push_back({true, offset, value, size});
    }
    std::uint32_t peek(std::uint32_t offset, unsigned) const override {
        return base_value_ + offset + 0x100 * reads;
    }
    std::string_view inspect_name() const override { return "fake"; }
    void inspect(StateVisitor& v) override { v.visit("reads", reads); }

    std::uint32_t reads = 0;
    std::vector<Access> accesses;

private:
    std::uint32_t base_value_ = 0;
};

}  // namespace lantern::testing
