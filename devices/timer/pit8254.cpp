#include "devices/timer/pit8254.h"

#include <string>

namespace lantern {

ClockDomain pit_clock_domain(std::uint64_t cpu_freq_hz) {
    constexpr std::uint64_t kPc5150CpuHz = 4'772'727;  // 14.31818 MHz / 3, rounded
    if (cpu_freq_hz == kPc5150CpuHz) return ClockDomain::from_ratio(4, 1);
    return ClockDomain::from_frequencies(cpu_freq_hz, kPitClockHz);
}

Pit8254::Pit8254(Scheduler& scheduler, ClockDomain clock) : scheduler_(scheduler), clock_(clock) {
    synced_tick_ = now_ticks();
}

Pit8254::~Pit8254() {
    for (EventId& e : events_) scheduler_.cancel(e);
}

void Pit8254::reset() {
    for (unsigned n = 0; n < kCounters; ++n) {
        scheduler_.cancel(events_[n]);
        events_[n] = kNoEvent;
        event_cycles_[n] = kNever;
        const bool gate = counters_[n].gate;  // an input: its driver decides the level
        counters_[n] = PitCounter{};
        counters_[n].gate = gate;
    }
    synced_tick_ = now_ticks();
    out2_history_ = {};
    out2_edges_ = 0;
    for (unsigned n = 0; n < kCounters; ++n)
        if (lines_[n]) lines_[n]->set_level(counters_[n].out);
}

void Pit8254::connect_output(unsigned n, IrqLine* line) {
    if (n >= kCounters) return;
    sync();
    lines_[n] = line;
    if (line) line->set_level(counters_[n].out);
    rearm(n);
}

// ---------------------------------------------------------------------------------------------
// Time

void Pit8254::sync() { sync_to_tick(now_ticks()); }

void Pit8254::sync_to_tick(std::uint64_t tick) {
    if (tick <= synced_tick_) return;
    const std::uint64_t pulses = tick - synced_tick_;
    const std::uint64_t base = synced_tick_;
    counters_[0].advance(pulses);
    counters_[1].advance(pulses);
    // Enough whole periods are played through for the history to hold only exact edges.
    counters_[2].advance(
        pulses, [&](std::uint64_t pulse, bool level) { record_out2(clock_.to_cycles(base + pulse), level); },
        kOut2HistorySize / 2 + 1);
    synced_tick_ = tick;
}

void Pit8254::record_out2(Cycles cycle, bool level) {
    out2_history_[out2_edges_ % kOut2HistorySize] = OutEdge{cycle, level};
    ++out2_edges_;
}

std::vector<Pit8254::OutEdge> Pit8254::out2_history() const {
    std::vector<OutEdge> edges;
    const std::uint64_t kept = out2_edges_ < kOut2HistorySize ? out2_edges_ : kOut2HistorySize;
    for (std::uint64_t i = out2_edges_ - kept; i < out2_edges_; ++i)
        edges.push_back(out2_history_[i % kOut2HistorySize]);
    return edges;
}

void Pit8254::output_changed(unsigned n, bool old_level) {
    const bool level = counters_[n].out;
    if (n == 2 && level != old_level) record_out2(scheduler_.now(), level);
    if (lines_[n]) lines_[n]->set_level(level);
    rearm(n);
}

void Pit8254::rearm(unsigned n) {
    scheduler_.cancel(events_[n]);
    events_[n] = kNoEvent;
    event_cycles_[n] = kNever;
    if (!lines_[n]) return;  // nobody watches this OUT: it is computed when read
    const std::uint64_t pulses = counters_[n].pulses_until_out_change();
    if (pulses == PitCounter::kForever) return;
    const Cycles when = clock_.to_cycles(synced_tick_ + pulses);
    static constexpr const char* kNames[kCounters] = {"pit.out0", "pit.out1", "pit.out2"};
    events_[n] = scheduler_.at(when, [this, n](Cycles at) { on_out_event(n, at); }, kNames[n]);
    event_cycles_[n] = when;
}

void Pit8254::on_out_event(unsigned n, Cycles when) {
    events_[n] = kNoEvent;
    event_cycles_[n] = kNever;
    // The edge happened at `when` (the scheduler may be a few cycles later, at the end of the
    // instruction in progress). Syncing to `when` rather than now() means no edge is ever
    // skipped: the next one, if already due, fires in the same run_due_events().
    sync_to_tick(clock_.to_ticks(when));
    if (lines_[n]) lines_[n]->set_level(counters_[n].out);
    rearm(n);
}

Cycles Pit8254::next_out_event(unsigned n) const { return n < kCounters ? event_cycles_[n] : kNever; }

void Pit8254::set_gate(unsigned n, bool level) {
    if (n >= kCounters) return;
    sync();
    const bool old = counters_[n].out;
    counters_[n].set_gate(level);
    output_changed(n, old);
}

bool Pit8254::out(unsigned n) {
    if (n >= kCounters) return false;
    sync();
    return counters_[n].out;
}

bool Pit8254::peek_out(unsigned n) const {
    if (n >= kCounters) return false;
    PitCounter c = counters_[n];
    c.advance(now_ticks() - synced_tick_);
    return c.out;
}

// ---------------------------------------------------------------------------------------------
// Ports

std::uint32_t Pit8254::read(std::uint32_t offset, unsigned size) {
    sync();
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) value |= static_cast<std::uint32_t>(read_byte(offset + b)) << (8 * b);
    return value;
}

std::uint32_t Pit8254::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) value |= static_cast<std::uint32_t>(peek_byte(offset + b)) << (8 * b);
    return value;
}

void Pit8254::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    sync();
    for (unsigned b = 0; b < size && b < 4; ++b) write_byte(offset + b, static_cast<std::uint8_t>(value >> (8 * b)));
}

std::uint8_t Pit8254::read_byte(std::uint32_t offset) {
    if (offset >= kCounters) return 0xFF;  // the control word register cannot be read
    return counters_[offset].read_data();
}

std::uint8_t Pit8254::peek_byte(std::uint32_t offset) const {
    if (offset >= kCounters) return 0xFF;
    PitCounter c = counters_[offset];
    c.advance(now_ticks() - synced_tick_);
    return c.peek_data();
}

void Pit8254::write_byte(std::uint32_t offset, std::uint8_t value) {
    if (offset == 3) {
        write_control(value);
        return;
    }
    if (offset >= kCounters) return;
    PitCounter& c = counters_[offset];
    const bool old = c.out;
    const bool completed = c.write_data(value);
    output_changed(offset, old);
    if (completed && report_) report_(DeviceEvent{DeviceEventKind::PitReload, offset, 0});
}

void Pit8254::write_control(std::uint8_t control_word) {
    const unsigned select = control_word >> 6;
    if (select == 3) {
        // Read-Back Command (8254 datasheet): D5 = 0 latches the count, D4 = 0 the status, of
        // every counter whose bit (D1 counter 0, D2 counter 1, D3 counter 2) is set.
        for (unsigned n = 0; n < kCounters; ++n) {
            if (!(control_word & (2u << n))) continue;
            if (!(control_word & 0x20)) counters_[n].latch_count();
            if (!(control_word & 0x10)) counters_[n].latch_status();
        }
        return;
    }
    if (((control_word >> 4) & 3) == 0) {  // Counter Latch Command: mode and count untouched
        counters_[select].latch_count();
        return;
    }
    const bool old = counters_[select].out;
    counters_[select].write_control(control_word);
    output_changed(select, old);
}

// ---------------------------------------------------------------------------------------------
// Inspection

void Pit8254::inspect(StateVisitor& v) {
    if (!v.loading()) sync();
    StateGroup g(v, "pit");
    for (unsigned n = 0; n < kCounters; ++n) {
        StateGroup cg(v, "counter" + std::to_string(n));
        PitCounter& c = counters_[n];
        v.visit("programmed", c.programmed, "a control word has been written since power-on");
        v.visit("mode", c.mode, "counting mode 0-5");
        v.visit("mode_bits", c.mode_bits, "M2..M0 as written (6 and 7 act as modes 2 and 3)");
        v.visit("access", c.access, "RW1 RW0: 1 LSB only, 2 MSB only, 3 LSB then MSB");
        v.visit("bcd", c.bcd, "four-decade BCD counting instead of binary");
        v.visit("cr", c.cr, "count register: the count last written");
        v.visit("ce", c.ce, "counting element: the count now");
        v.visit("ol", c.ol, "output latch: the latched count");
        v.visit("pending_lsb", c.pending_lsb, "LSB of a two-byte count waiting for its MSB");
        v.visit("status_latch", c.status_latch, "latched status byte");
        v.visit("count_latched", c.count_latched, "OL holds a count not yet read");
        v.visit("status_latched", c.status_latched, "a status byte is waiting to be read");
        v.visit("read_msb_next", c.read_msb_next, "read flip-flop: the next read returns the MSB");
        v.visit("write_msb_next", c.write_msb_next, "write flip-flop: the next write is the MSB");
        v.visit("null_count", c.null_count, "CR written but not yet loaded into CE");
        v.visit("out", c.out, "OUT pin");
        v.visit("gate", c.gate, "GATE pin");
        v.visit("trigger", c.trigger, "GATE rising edge waiting for the next CLK pulse");
        v.visit("load_pending", c.load_pending, "the next CLK pulse loads CR into CE");
        v.visit("counting", c.counting, "CE holds a loaded count");
        v.visit("count_written", c.count_written, "a complete count was written since the control word");
        v.visit("armed", c.armed, "modes 4, 5: the strobe is still to come");
        v.visit("odd_extra", c.odd_extra, "mode 3, odd count: the extra high pulse is next");
        std::uint64_t event_at = event_cycles_[n];
        if (!v.loading()) v.visit("next_out_event", event_at, "CPU cycle of the next OUT event (none: max)");
    }
    v.visit("synced_tick", synced_tick_, "PIT tick the counters' state is as of");
    {
        StateGroup hg(v, "out2_history");
        v.visit("edges", out2_edges_, "OUT2 transitions recorded since reset");
        for (std::size_t i = 0; i < kOut2HistorySize; ++i) {
            StateGroup eg(v, "slot" + std::to_string(i));
            v.visit("cycle", out2_history_[i].cycle, "CPU cycle of the transition");
            v.visit("level", out2_history_[i].level, "OUT2 level from then on");
        }
    }
    if (v.loading()) {
        // Events hold callbacks, not state: re-create them from the restored counters.
        for (unsigned n = 0; n < kCounters; ++n) {
            if (lines_[n]) lines_[n]->set_level(counters_[n].out);
            rearm(n);
        }
    }
}

}  // namespace lantern
