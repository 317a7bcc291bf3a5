// Scheduler: device events at exact CPU cycles.
//
// Every timed thing in the machine (a PIT channel reaching zero, a UART shifting out a byte, a
// floppy seek completing) is an event at an absolute CPU cycle. The board runs the CPU up to
// next_event() (the CPU never runs past it, except to finish the instruction in progress), then
// fires what is due. Events at the same cycle fire in the order they were scheduled (a sequence
// number breaks ties), so a run is reproducible whatever the host does.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "cpu/cpu_state.h"
#include "cpu/state_visitor.h"

namespace lantern {

using EventId = std::uint64_t;
inline constexpr EventId kNoEvent = 0;
inline constexpr Cycles kNever = std::numeric_limits<Cycles>::max();

class Scheduler final : public Inspectable {
public:
    // Called with the cycle the event was scheduled for (now() may be a few cycles later, since
    // an instruction is never split); a periodic device re-arms relative to that time so it never
    // drifts.
    using Callback = std::function<void(Cycles when)>;

    // Schedules `callback` at absolute cycle `when`. A time already in the past fires at the next
    // run_due_events(). `name` is what the debugger and the GUI show.
    EventId at(Cycles when, Callback callback, std::string_view name);
    // Schedules `delay_cycles` after now().
    EventId after(Cycles delay_cycles, Callback callback, std::string_view name) {
        return at(now_ + delay_cycles, std::move(callback), name);
    }
    // Cancels a pending event; returns false if it already fired, was cancelled or never existed.
    bool cancel(EventId id);
    bool pending(EventId id) const { return index_.contains(id); }

    Cycles now() const { return now_; }
    // The earliest pending event's cycle, or kNever.
    Cycles next_event() const { return queue_.empty() ? kNever : queue_.begin()->first.when; }
    std::size_t pending_count() const { return queue_.size(); }

    // Moves virtual time forward (never backward: time is monotonic).
    void advance_to(Cycles t);
    // Fires every event due at or before now(), in (time, sequence) order, including events
    // that callbacks schedule for a time already due. Returns how many fired.
    std::size_t run_due_events();

    // Drops every event and sets time back to zero (machine power-on / reset).
    void reset();

    // Inspectable: now, and the pending events in firing order. Loading restores only the time;
    // devices re-arm their own events after a restore (a callback cannot be serialised).
    std::string_view inspect_name() const override { return "scheduler"; }
    void inspect(StateVisitor& v) override;

private:
    struct Key {
        Cycles when = 0;
        std::uint64_t sequence = 0;
        auto operator<=>(const Key&) const = default;
    };
    struct Event {
        Callback callback{};
        std::string name{};
    };

    Cycles now_ = 0;
    std::uint64_t next_sequence_ = 1;  // also the EventId; 0 is kNoEvent
    std::map<Key, Event> queue_{};
    std::unordered_map<EventId, Key> index_{};
};

}  // namespace lantern
