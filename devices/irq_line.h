// IrqLine: one interrupt request wire between a device and an interrupt controller.
//
// The device drives the level with raise()/lower(); the board connects the other end (e.g. PIT
// OUT0 -> 8259A IR0, IBM PC/AT Technical Reference, "System Board" interrupt table). The sink sees
// only level changes; whether the controller latches edges or levels is the controller's business
// (8259A datasheet, ICW1 LTIM bit).
#pragma once

#include <functional>
#include <utility>

namespace lantern {

class IrqLine {
public:
    using Sink = std::function<void(bool level)>;

    IrqLine() = default;
    explicit IrqLine(Sink sink) : sink_(std::move(sink)) {}

    // Wired once by the board; an unconnected line just remembers its level.
    void connect(Sink sink) {
        sink_ = std::move(sink);
        if (sink_) sink_(level_);
    }

    void raise() { set_level(true); }
    void lower() { set_level(false); }
    void set_level(bool level) {
        if (level == level_) return;
        level_ = level;
        if (sink_) sink_(level_);
        if (tap_) tap_(level_);
    }
    // An observer of level changes beside the sink (the board's device-event report for the
    // debugger); it must not drive the line.
    void set_tap(Sink tap) { tap_ = std::move(tap); }
    // A one-shot pulse (raise then lower), for edge-triggered inputs.
    void pulse() {
        raise();
        lower();
    }
    bool level() const { return level_; }

private:
    Sink sink_{};
    Sink tap_{};
    bool level_ = false;
};

}  // namespace lantern
