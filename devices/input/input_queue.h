// InputQueue: the one way outside input (keys, mouse, serial bytes) enters the machine.
//
// Every event is stamped with the CPU cycle it takes effect at, and the queue hands it to its
// device through the Scheduler at exactly that cycle. Live input (the GUI) is stamped with the
// current cycle; a trace records each event as it is delivered (set_recorder), and a replay posts
// the recorded events back with their stamps, so the guest sees the same input at the same cycles
// and the run repeats bit for bit. Events with equal stamps are delivered in the order posted.
#pragma once

#include <cstdint>
#include <functional>
#include <variant>
#include <vector>

#include "cpu/state_visitor.h"
#include "devices/input/keys.h"
#include "devices/scheduler.h"

namespace lantern {

struct KeyInput {
    Key key = Key::Escape;
    bool down = false;
    bool operator==(const KeyInput&) const = default;
};
// Relative motion in mouse counts at the mouse's highest resolution (8 counts/mm): dx grows to the
// right, dy grows downward (screen convention; the PS/2 mouse reports upward as positive).
struct MouseMoveInput {
    std::int32_t dx = 0;
    std::int32_t dy = 0;
    bool operator==(const MouseMoveInput&) const = default;
};
// Buttons held: bit 0 left, bit 1 right, bit 2 middle (the PS/2 packet's order).
struct MouseButtonsInput {
    std::uint8_t buttons = 0;
    bool operator==(const MouseButtonsInput&) const = default;
};
// Wheel detents: positive = towards the user (scroll down), the IntelliMouse's sign.
struct MouseWheelInput {
    std::int32_t dz = 0;
    bool operator==(const MouseWheelInput&) const = default;
};
// A byte arriving on serial port `port` (0 = COM1).
struct SerialByteInput {
    std::uint8_t port = 0;
    std::uint8_t byte = 0;
    bool operator==(const SerialByteInput&) const = default;
};

using InputPayload = std::variant<KeyInput, MouseMoveInput, MouseButtonsInput, MouseWheelInput, SerialByteInput>;

struct InputEvent {
    Cycles when = 0;  // CPU cycle the event takes effect at
    InputPayload payload{};
    bool operator==(const InputEvent&) const = default;
};

// Where delivered events go; the board connects the keyboard, mouse and UARTs. A missing sink
// drops that kind of event.
struct InputSinks {
    std::function<void(const KeyInput&)> key{};
    std::function<void(const MouseMoveInput&)> mouse_move{};
    std::function<void(const MouseButtonsInput&)> mouse_buttons{};
    std::function<void(const MouseWheelInput&)> mouse_wheel{};
    std::function<void(const SerialByteInput&)> serial{};
};

class InputQueue final : public Inspectable {
public:
    // More pending events than this is a runaway host, not typing: post() refuses them.
    static constexpr std::size_t kCapacity = 4096;

    explicit InputQueue(Scheduler& scheduler);
    ~InputQueue() override;
    InputQueue(const InputQueue&) = delete;
    InputQueue& operator=(const InputQueue&) = delete;

    void set_sinks(InputSinks sinks) { sinks_ = std::move(sinks); }
    // Sees each event as it takes effect, with its final stamp: what a trace records.
    void set_recorder(std::function<void(const InputEvent&)> recorder) { recorder_ = std::move(recorder); }

    // Queues an event. A stamp already in the past is moved to now() (the event cannot take effect
    // earlier than the moment it arrives). Returns false, dropping it, when the queue is full.
    bool post(InputEvent event);
    bool post_now(InputPayload payload) { return post(InputEvent{scheduler_.now(), std::move(payload)}); }

    std::size_t pending() const { return pending_.size(); }
    const std::vector<InputEvent>& pending_events() const { return pending_; }
    std::uint64_t delivered() const { return delivered_; }
    // Drops every pending event (power-on).
    void clear();

    std::string_view inspect_name() const override { return "input"; }
    void inspect(StateVisitor& v) override;

private:
    void arm();
    void deliver_due();
    void dispatch(const InputEvent& e);

    Scheduler& scheduler_;
    InputSinks sinks_{};
    std::function<void(const InputEvent&)> recorder_{};
    std::vector<InputEvent> pending_{};  // sorted by `when`, stable for equal stamps
    EventId event_ = kNoEvent;
    Cycles armed_for_ = kNever;
    std::uint64_t delivered_ = 0;
};

}  // namespace lantern
