// Test helper: runs a Scheduler forward to cycle `t`, firing every event on its own cycle (as the
// board's loop does when the CPU stops at next_event()).
#pragma once

#include <algorithm>

#include "devices/scheduler.h"

namespace lantern::testing {

inline void run_until(Scheduler& s, Cycles t) {
    for (int guard = 0; guard < 10'000'000 && s.next_event() <= t; ++guard) {
        s.advance_to(std::max(s.now(), s.next_event()));
        s.run_due_events();
    }
    if (t > s.now()) s.advance_to(t);
}

}  // namespace lantern::testing
