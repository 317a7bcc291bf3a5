#include "devices/input/input_queue.h"

#include <algorithm>
#include <string>

namespace lantern {

InputQueue::InputQueue(Scheduler& scheduler) : scheduler_(scheduler) {}

InputQueue::~InputQueue() {
    if (event_ != kNoEvent) scheduler_.cancel(event_);
}

bool InputQueue::post(InputEvent event) {
    if (pending_.size() >= kCapacity) return false;
    event.when = std::max(event.when, scheduler_.now());
    // After every event with the same or an earlier stamp: equal stamps keep their posting order.
    const auto pos = std::upper_bound(pending_.begin(), pending_.end(), event.when,
                                      [](Cycles t, const InputEvent& e) { return t < e.when; });
    pending_.insert(pos, std::move(event));
    arm();
    return true;
}

void InputQueue::clear() {
    pending_.clear();
    arm();
}

void InputQueue::arm() {
    const Cycles want = pending_.empty() ? kNever : pending_.front().when;
    if (want == armed_for_ && (want == kNever || event_ != kNoEvent)) return;
    if (event_ != kNoEvent) scheduler_.cancel(event_);
    event_ = kNoEvent;
    armed_for_ = want;
    if (want != kNever)
        event_ = scheduler_.at(want, [this](Cycles) {
            event_ = kNoEvent;
            armed_for_ = kNever;
            deliver_due();
        }, "input.deliver");
}

void InputQueue::deliver_due() {
    // Deliver in stamp order everything due by now; a sink may post more (bounded by kCapacity).
    std::size_t guard = 0;
    while (!pending_.empty() && pending_.front().when <= scheduler_.now() && guard++ <= kCapacity) {
        const InputEvent e = pending_.front();
        pending_.erase(pending_.begin());
        ++delivered_;
        if (recorder_) recorder_(e);
        dispatch(e);
    }
    arm();
}

void InputQueue::dispatch(const InputEvent& e) {
    std::visit(
        [this](const auto& p) {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, KeyInput>) {
                if (sinks_.key) sinks_.key(p);
            } else if constexpr (std::is_same_v<T, MouseMoveInput>) {
                if (sinks_.mouse_move) sinks_.mouse_move(p);
            } else if constexpr (std::is_same_v<T, MouseButtonsInput>) {
                if (sinks_.mouse_buttons) sinks_.mouse_buttons(p);
            } else if constexpr (std::is_same_v<T, MouseWheelInput>) {
                if (sinks_.mouse_wheel) sinks_.mouse_wheel(p);
            } else {
                if (sinks_.serial) sinks_.serial(p);
            }
        },
        e.payload);
}

void InputQueue::inspect(StateVisitor& v) {
    StateGroup g(v, "input");
    v.visit("delivered", delivered_, "events delivered since power-on");
    std::uint64_t count = pending_.size();
    v.visit("pending", count, "events waiting for their cycle");
    if (v.loading()) pending_.assign(std::min<std::uint64_t>(count, kCapacity), InputEvent{});
    // Each event as kind + when + two operands: kind 0 key (a = Key, b = down), 1 move (a = dx,
    // b = dy), 2 buttons (a), 3 wheel (a = dz), 4 serial (a = port, b = byte). Signed values are
    // stored as their 64-bit two's complement.
    for (std::size_t i = 0; i < pending_.size(); ++i) {
        StateGroup eg(v, "event" + std::to_string(i));
        InputEvent& e = pending_[i];
        std::uint64_t kind = e.payload.index();
        std::uint64_t a = 0, b = 0;
        if (!v.loading()) {
            std::visit(
                [&](const auto& p) {
                    using T = std::decay_t<decltype(p)>;
                    if constexpr (std::is_same_v<T, KeyInput>) { a = static_cast<std::uint64_t>(p.key); b = p.down; }
                    else if constexpr (std::is_same_v<T, MouseMoveInput>) {
                        a = static_cast<std::uint64_t>(static_cast<std::int64_t>(p.dx));
                        b = static_cast<std::uint64_t>(static_cast<std::int64_t>(p.dy));
                    } else if constexpr (std::is_same_v<T, MouseButtonsInput>) { a = p.buttons; }
                    else if constexpr (std::is_same_v<T, MouseWheelInput>) {
                        a = static_cast<std::uint64_t>(static_cast<std::int64_t>(p.dz));
                    } else { a = p.port; b = p.byte; }
                },
                e.payload);
        }
        v.visit("when", e.when, "CPU cycle it takes effect at");
        v.visit("kind", kind, "0 key, 1 mouse move, 2 mouse buttons, 3 wheel, 4 serial byte");
        v.visit("a", a);
        v.visit("b", b);
        if (v.loading()) {
            auto s32 = [](std::uint64_t x) { return static_cast<std::int32_t>(static_cast<std::int64_t>(x)); };
            switch (kind) {
                case 0: e.payload = KeyInput{static_cast<Key>(a < kKeyCount ? a : 0), b != 0}; break;
                case 1: e.payload = MouseMoveInput{s32(a), s32(b)}; break;
                case 2: e.payload = MouseButtonsInput{static_cast<std::uint8_t>(a & 7)}; break;
                case 3: e.payload = MouseWheelInput{s32(a)}; break;
                default: e.payload = SerialByteInput{static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(b)}; break;
            }
        }
    }
    if (v.loading()) {
        std::stable_sort(pending_.begin(), pending_.end(),
                         [](const InputEvent& x, const InputEvent& y) { return x.when < y.when; });
        if (event_ != kNoEvent) scheduler_.cancel(event_);
        event_ = kNoEvent;
        armed_for_ = kNever;
        arm();
    }
}

}  // namespace lantern
