// Ps2Device: a device on one of the 8042's two PS/2 ports (keyboard or auxiliary/mouse).
//
// The link is modelled at the byte level: the controller hands the device each byte the host
// writes (receive), and takes the device's bytes out of its output FIFO one at a time when its
// own output buffer is free (IBM PS/2 Keyboard and Auxiliary Device Controller, "Keyboard and
// auxiliary device data"). A device tells the controller when it queued something, so the
// controller can start a transfer.
#pragma once

#include <cstdint>
#include <functional>

#include "cpu/state_visitor.h"
#include "devices/input/bounded_fifo.h"

namespace lantern {

class Ps2Device : public Inspectable {
public:
    // The keyboard's buffer holds 16 bytes, and an overrun code takes the place of the 17th
    // (IBM Keyboard Technical Reference, "Buffer"); the mouse gets the same room.
    static constexpr std::size_t kFifoBytes = 16;
    static constexpr std::size_t kFifoSlots = kFifoBytes + 1;

    // A byte from the host (through the controller).
    virtual void receive(std::uint8_t byte) = 0;

    bool has_output() const { return !out_.empty(); }
    std::size_t output_size() const { return out_.size(); }
    std::uint8_t output_at(std::size_t i) const { return out_.at(i); }
    // The controller takes the next byte to transmit.
    std::uint8_t pop_output() {
        last_sent_ = out_.pop();
        return last_sent_;
    }
    // A transmission the host interrupted (it started sending): the byte goes back to the front.
    void unpop_output(std::uint8_t byte) { out_.push_front(byte); }

    // Called whenever the device queues output; the controller connects it.
    void set_output_listener(std::function<void()> listener) { listener_ = std::move(listener); }

protected:
    bool send(std::uint8_t byte) {
        if (!out_.push(byte)) return false;
        if (listener_) listener_();
        return true;
    }
    void inspect_link(StateVisitor& v) {
        out_.inspect(v, "output_fifo");
        v.visit("last_sent", last_sent_, "last byte transmitted (what FE Resend repeats)");
    }

    BoundedFifo<std::uint8_t, kFifoSlots> out_{};
    std::uint8_t last_sent_ = 0;

private:
    std::function<void()> listener_{};
};

}  // namespace lantern
