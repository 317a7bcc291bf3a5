// Pit8254: the Intel 8254 programmable interval timer (the PC's 8253/8254 at ports 0x40-0x43).
//
// Three PitCounters share one clock input, 1,193,182 Hz on every PC (IBM PC/AT Technical
// Reference, "System Timers": the 14.31818 MHz crystal / 12). Nothing ticks per pulse: the
// counters hold their state as of `synced_tick`, and any access first brings them up to the
// current time — the scheduler's now() (CPU cycles) converted to PIT ticks through ClockDomain —
// with PitCounter::advance, which is exact and O(1).
//
// Events are scheduled only for OUT transitions someone can see: a counter whose OUT is wired
// to an IrqLine (OUT0 -> IRQ0 on the PC) gets one event at the exact cycle of its next OUT
// change, re-armed after every change and every reprogramming. OUT2 (the speaker, port 0x61
// bit 5) and OUT1 are read lazily and need no events; OUT2's recent edges are kept in a small
// history for the PC speaker.
//
// Ports (offsets): 0-2 counter 0-2 data, 3 control word (write only; reads float: "No-Operation
// (3-State)", 8254 datasheet, Table 1 "Read/Write Operations Summary").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "devices/clock_domain.h"
#include "devices/device_event.h"
#include "devices/io_device.h"
#include "devices/irq_line.h"
#include "devices/scheduler.h"
#include "devices/timer/pit_counter.h"

namespace lantern {

inline constexpr std::uint16_t kPitPort = 0x40;  // 0x40-0x43
inline constexpr std::uint64_t kPitClockHz = 1'193'182;

// The PIT's clock against a CPU clock. The IBM PC 5150 derives both from one 14.31818 MHz
// crystal (CPU / 3, PIT / 12: Technical Reference, "System Board"), so at its 4,772,727 Hz the
// ratio is exactly 4 CPU cycles per PIT tick; any other CPU clock (the AT's 6 or 8 MHz comes from
// its own crystal) converts through the two frequencies.
ClockDomain pit_clock_domain(std::uint64_t cpu_freq_hz);

class Pit8254 final : public IoDevice {
public:
    static constexpr unsigned kCounters = 3;
    static constexpr std::size_t kOut2HistorySize = 32;

    struct OutEdge {
        Cycles cycle = 0;  // CPU cycle at which OUT took `level`
        bool level = false;
    };

    Pit8254(Scheduler& scheduler, ClockDomain clock);
    ~Pit8254() override;
    Pit8254(const Pit8254&) = delete;
    Pit8254& operator=(const Pit8254&) = delete;

    // Power-on: every counter unprogrammed (mode, count and OUT undefined on the real chip;
    // here OUT low and nothing counts until a control word and a count are written). The GATE
    // inputs keep the levels their drivers gave them.
    // Reports PitReload when software completes a count (devices/device_event.h).
    void set_event_report(DeviceEventReport report) { report_ = std::move(report); }
    void reset();

    // Wires counter `n`'s OUT to `line` (nullptr: unwired). A wired OUT is driven at once and
    // gets events for its transitions.
    void connect_output(unsigned n, IrqLine* line);
    // The GATE inputs (counters 0 and 1 are tied high on the PC; counter 2's comes from port
    // 0x61 bit 0).
    void set_gate(unsigned n, bool level);
    bool gate(unsigned n) const { return n < kCounters && counters_[n].gate; }
    // OUT's level now (brings the counters up to date) and the same without touching anything.
    bool out(unsigned n);
    bool peek_out(unsigned n) const;

    // Brings every counter up to the scheduler's now().
    void sync();
    // PIT ticks since power-on at the scheduler's now().
    std::uint64_t now_ticks() const { return clock_.to_ticks(scheduler_.now()); }
    const ClockDomain& clock() const { return clock_; }
    // A counter's state as of the last sync (for tests and the debugger).
    const PitCounter& counter(unsigned n) const { return counters_.at(n); }
    // OUT2's most recent transitions, oldest first (at most kOut2HistorySize), as of the last
    // sync: what the PC speaker needs to reconstruct the waveform.
    std::vector<OutEdge> out2_history() const;
    // When counter n's next OUT event is scheduled, or kNever.
    Cycles next_out_event(unsigned n) const;

    // IoDevice
    std::uint32_t read(std::uint32_t offset, unsigned size) override;
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return "pit"; }
    void inspect(StateVisitor& v) override;

private:
    std::uint8_t read_byte(std::uint32_t offset);
    std::uint8_t peek_byte(std::uint32_t offset) const;
    void write_byte(std::uint32_t offset, std::uint8_t value);
    void write_control(std::uint8_t control_word);
    void sync_to_tick(std::uint64_t tick);
    // After counter n changed at the current time: drive its line, record OUT2, re-arm.
    void output_changed(unsigned n, bool old_level);
    void rearm(unsigned n);
    void on_out_event(unsigned n, Cycles when);
    void record_out2(Cycles cycle, bool level);

    Scheduler& scheduler_;
    ClockDomain clock_;
    std::array<PitCounter, kCounters> counters_{};
    std::uint64_t synced_tick_ = 0;  // the counters' state is as of this PIT tick
    std::array<IrqLine*, kCounters> lines_{};
    std::array<EventId, kCounters> events_{};
    std::array<Cycles, kCounters> event_cycles_{kNever, kNever, kNever};
    std::array<OutEdge, kOut2HistorySize> out2_history_{};
    std::uint64_t out2_edges_ = 0;  // transitions recorded since reset (the ring keeps the last)
    DeviceEventReport report_{};
};

}  // namespace lantern
