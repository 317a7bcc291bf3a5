#include "devices/scheduler.h"

#include <stdexcept>
#include <string>

namespace lantern {

EventId Scheduler::at(Cycles when, Callback callback, std::string_view name) {
    const EventId id = next_sequence_++;
    const Key key{when, id};
    queue_.emplace(key, Event{std::move(callback), std::string(name)});
    index_.emplace(id, key);
    return id;
}

bool Scheduler::cancel(EventId id) {
    const auto it = index_.find(id);
    if (it == index_.end()) return false;
    queue_.erase(it->second);
    index_.erase(it);
    return true;
}

void Scheduler::advance_to(Cycles t) {
    if (t < now_) throw std::logic_error("Scheduler::advance_to: time cannot go backward");
    now_ = t;
}

std::size_t Scheduler::run_due_events() {
    std::size_t fired = 0;
    while (!queue_.empty() && queue_.begin()->first.when <= now_) {
        // Take the event out before calling it: the callback may schedule or cancel others
        // (including re-arming itself), which must not disturb the entry being fired.
        auto node = queue_.extract(queue_.begin());
        index_.erase(node.key().sequence);
        if (node.mapped().callback) node.mapped().callback(node.key().when);
        ++fired;
    }
    return fired;
}

void Scheduler::reset() {
    queue_.clear();
    index_.clear();
    now_ = 0;
}

void Scheduler::inspect(StateVisitor& v) {
    StateGroup g(v, "scheduler");
    v.visit("now", now_, "current virtual time in CPU cycles");
    if (v.loading()) return;
    std::uint64_t count = queue_.size();
    v.visit("pending", count, "events waiting to fire");
    std::size_t i = 0;
    for (auto& [key, event] : queue_) {
        StateGroup e(v, "event" + std::to_string(i++));
        std::uint64_t when = key.when;
        std::uint64_t id = key.sequence;
        v.visit("when", when, "CPU cycle the event fires at");
        v.visit("id", id, "EventId (also the tie-break sequence number)");
        v.text("name", event.name);
    }
}

}  // namespace lantern
