// Test rig for the 8254: a scheduler, the PIT on a chosen clock, OUT0 wired to a line whose edges
// are recorded with the cycle they happened at, and helpers to run to an exact PIT tick.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cpu/state_visitor.h"
#include "devices/irq_line.h"
#include "devices/scheduler.h"
#include "devices/timer/pit8254.h"
#include "run_until.h"

namespace lantern::testing {

struct PitRig {
    Scheduler sched;
    Pit8254 pit;
    IrqLine out0;
    std::vector<std::pair<Cycles, bool>> edges0;  // (cycle, level) of every OUT0 change

    explicit PitRig(ClockDomain clock = ClockDomain::from_ratio(4, 1)) : pit(sched, clock) {
        out0.connect([this](bool level) { edges0.emplace_back(sched.now(), level); });
        edges0.clear();
        pit.connect_output(0, &out0);
    }

    Cycles cycle_of(std::uint64_t tick) const { return pit.clock().to_cycles(tick); }
    // Runs to the first cycle at which PIT tick `tick` has happened, firing events on time.
    void to_tick(std::uint64_t tick) { run_until(sched, cycle_of(tick)); }
    void to_cycle(Cycles c) { run_until(sched, c); }

    void out(std::uint16_t port, std::uint8_t value) { pit.write(port - kPitPort, value, 1); }
    std::uint8_t in(std::uint16_t port) { return static_cast<std::uint8_t>(pit.read(port - kPitPort, 1)); }
    // Control word, then a 16-bit count LSB first (for LSB-then-MSB access).
    void program(std::uint8_t control, std::uint16_t count) {
        out(0x43, control);
        const unsigned n = control >> 6;
        out(static_cast<std::uint16_t>(0x40 + n), static_cast<std::uint8_t>(count));
        out(static_cast<std::uint16_t>(0x40 + n), static_cast<std::uint8_t>(count >> 8));
    }
    // Counter Latch Command, then the two bytes (LSB-then-MSB access).
    std::uint16_t latched(unsigned n) {
        out(0x43, static_cast<std::uint8_t>(n << 6));
        const std::uint8_t lo = in(static_cast<std::uint16_t>(0x40 + n));
        const std::uint8_t hi = in(static_cast<std::uint16_t>(0x40 + n));
        return static_cast<std::uint16_t>(lo | (hi << 8));
    }
    // CE and OUT just after tick `tick`.
    std::uint16_t ce_at(unsigned n, std::uint64_t tick) {
        to_tick(tick);
        return latched(n);
    }
    bool out_at(unsigned n, std::uint64_t tick) {
        to_tick(tick);
        return pit.out(n);
    }
};

// Saves fields by path and loads them back: a snapshot in miniature.
class MiniSnapshot final : public StateVisitor {
public:
    bool loading() const override { return loading_; }
    void begin_group(std::string_view name) override { path_.emplace_back(name); }
    void end_group() override { path_.pop_back(); }
    void field(std::string_view name, std::uint64_t& value, unsigned, std::string_view) override {
        const std::string key = key_of(name);
        if (!loading_) fields_[key] = value;
        else if (auto it = fields_.find(key); it != fields_.end()) value = it->second;
    }
    void text(std::string_view, std::string&) override {}
    void bytes(std::string_view name, std::span<std::uint8_t> data) override {
        const std::string key = key_of(name);
        if (!loading_) {
            blobs_[key].assign(data.begin(), data.end());
        } else if (auto it = blobs_.find(key); it != blobs_.end() && it->second.size() == data.size()) {
            std::copy(it->second.begin(), it->second.end(), data.begin());
        }
    }
    void start_loading() { loading_ = true; }
    const std::map<std::string, std::uint64_t>& fields() const { return fields_; }

private:
    std::string key_of(std::string_view name) const {
        std::string k;
        for (const auto& p : path_) k += p + ".";
        return k + std::string(name);
    }
    bool loading_ = false;
    std::vector<std::string> path_;
    std::map<std::string, std::uint64_t> fields_;
    std::map<std::string, std::vector<std::uint8_t>> blobs_;
};

}  // namespace lantern::testing
