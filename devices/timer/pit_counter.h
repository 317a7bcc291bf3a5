// PitCounter: one counter of the Intel 8254 programmable interval timer, as plain state plus the
// rules that move it from one CLK pulse to the next.
//
// The counter is modelled at the granularity the datasheet describes it: a CLK pulse is a rising
// edge (GATE sampled) followed by a falling edge (counts loaded, the counting element CE
// decremented: 8254 datasheet, "Operation Common to All Modes"). `tick()` applies exactly one
// pulse. `advance(n)` applies n pulses in O(1): between the few pulses on which something other
// than a plain decrement happens (a load, a reload, OUT changing) the counter only counts down,
// so whole stretches are skipped arithmetically, and a periodic mode (2, 3) skips whole periods.
// Tests check `advance` against `tick` pulse by pulse.
//
// Terms (8254 datasheet, "Counter" and "Mode Definitions"): CR is the count register the CPU
// writes, CE the counting element that counts, OL the output latch a latch command freezes;
// "loading" is the transfer CR -> CE; a "trigger" is a rising edge of GATE.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>

namespace lantern {

// RW1/RW0 of the control word (8254 datasheet, "Control Word Format").
enum class PitAccess : std::uint8_t { Latch = 0, Lsb = 1, Msb = 2, LsbMsb = 3 };

struct PitCounter {
    // No pulse in the future changes anything but CE's value.
    static constexpr std::uint64_t kForever = std::numeric_limits<std::uint64_t>::max();
    // Called by advance() with the index of the pulse (1-based, counted from the start of the
    // advance) at which OUT changed, and the new level.
    using OutChange = std::function<void(std::uint64_t pulse, bool level)>;

    // ---- Programming (the last control word) ----
    bool programmed = false;          // a control word has been written since power-on
    std::uint8_t mode = 0;            // 0..5 (M2..M0 = 6, 7 are modes 2, 3)
    std::uint8_t mode_bits = 0;       // M2..M0 as written: the status byte shows them
    PitAccess access = PitAccess::LsbMsb;
    bool bcd = false;                 // four-decade BCD counting instead of 16-bit binary

    // ---- Registers ----
    std::uint16_t cr = 0;             // count register (CRm:CRl)
    std::uint16_t ce = 0;             // counting element
    std::uint16_t ol = 0;             // output latch (the latched count)
    std::uint8_t pending_lsb = 0;     // first byte of an LSB-then-MSB write, waiting for the MSB
    std::uint8_t status_latch = 0;    // the latched status byte
    bool count_latched = false;       // OL holds a count not yet (fully) read
    bool status_latched = false;      // status_latch holds a status byte not yet read
    bool read_msb_next = false;       // read flip-flop (LSB-then-MSB access)
    bool write_msb_next = false;      // write flip-flop

    // ---- Control logic ----
    bool null_count = true;           // CR written but not yet loaded into CE (status bit 6)
    bool out = false;                 // the OUT pin
    bool gate = true;                 // the GATE pin
    bool trigger = false;             // GATE's edge-sense flip-flop (modes 1, 2, 3, 5)
    bool load_pending = false;        // the next pulse loads CR into CE
    bool counting = false;            // CE holds a loaded count and may count
    bool count_written = false;       // a complete count was written since the control word
    bool armed = false;               // modes 4, 5: the strobe at terminal count is still to come
    bool odd_extra = false;           // mode 3, odd count: the extra high pulse after expiry

    // ---- CPU side (the caller brings the counter up to date first) ----
    // A control word for this counter with RW != 00 (8254 datasheet, "Write Operations").
    void write_control(std::uint8_t control_word);
    // A byte written to the counter's port. True when it completed a new count (not the first
    // byte of an LSB-then-MSB pair, not a byte ignored before any control word).
    bool write_data(std::uint8_t value);
    // A byte read from the counter's port, and the same without side effects.
    std::uint8_t read_data();
    std::uint8_t peek_data() const;
    // Counter Latch Command / Read-Back Command (ignored while a previous latch is unread).
    void latch_count();
    void latch_status();
    std::uint8_t status_byte() const;
    // The GATE input.
    void set_gate(bool level);

    // ---- Time ----
    void tick();
    // Same as `pulses` calls of tick(). When a periodic mode lets it skip whole periods, it still
    // plays the last `keep_periods` of them through `on_change`, so a history of the most recent
    // OUT edges is exact however long the stretch.
    void advance(std::uint64_t pulses, const OutChange& on_change = {}, std::uint64_t keep_periods = 0);
    // Pulses from now until OUT next changes (1 = on the next pulse), or kForever.
    std::uint64_t pulses_until_out_change() const;

    // Helpers on counts, for the counter's number system.
    std::uint64_t modulus() const { return bcd ? 10000 : 65536; }
    // How many decrements take `value` to zero: its value in the counter's number system
    // (0 stands for the full modulus). A BCD digit above 9 (a guest that wrote a non-BCD count)
    // still counts down one per borrow, so the weight is sum(digit * 10^i) for any nibbles.
    std::uint64_t steps_to_zero(std::uint16_t value) const;
    // `value` decremented `k` times, wrapping as the real counter does.
    std::uint16_t count_down(std::uint16_t value, std::uint64_t k) const;
    // Pulses in one period of modes 2 and 3 (what a periodic skip may jump over).
    std::uint64_t period_pulses() const;

private:
    void count_complete();
    std::uint64_t quiet_pulses() const;
    void count_quietly(std::uint64_t pulses);
    bool at_period_start() const;
    std::uint16_t mode3_reload() const { return static_cast<std::uint16_t>(cr & ~1u); }
};

}  // namespace lantern
