#include "devices/timer/pit_counter.h"

#include <stdexcept>

namespace lantern {

namespace {
constexpr std::uint8_t lsb(std::uint16_t v) { return static_cast<std::uint8_t>(v); }
constexpr std::uint8_t msb(std::uint16_t v) { return static_cast<std::uint8_t>(v >> 8); }
}  // namespace

// ---------------------------------------------------------------------------------------------
// Counts

std::uint64_t PitCounter::steps_to_zero(std::uint16_t value) const {
    std::uint64_t w = value;
    if (bcd) {
        w = 0;
        std::uint64_t scale = 1;
        for (int digit = 0; digit < 4; ++digit, scale *= 10) w += ((value >> (4 * digit)) & 0xF) * scale;
    }
    return w == 0 ? modulus() : w;
}

std::uint16_t PitCounter::count_down(std::uint16_t value, std::uint64_t k) const {
    if (!bcd) return static_cast<std::uint16_t>(value - static_cast<std::uint16_t>(k & 0xFFFF));
    // A BCD down-counter is four decades, each borrowing from the next as it passes 0 -> 9.
    // `k` borrows arrive at the lowest digit; a digit holding d absorbs d of them, the next one
    // turns it into 9 and passes a borrow on, and every 10 after that pass on another.
    // The borrow out of the top decade is the wrap from 0000 to 9999.
    std::uint16_t result = 0;
    for (int digit = 0; digit < 4; ++digit) {
        std::uint64_t d = (value >> (4 * digit)) & 0xF;
        if (k <= d) {
            d -= k;
            k = 0;
        } else {
            const std::uint64_t after_wrap = k - d - 1;
            d = 9 - after_wrap % 10;
            k = 1 + after_wrap / 10;
        }
        result |= static_cast<std::uint16_t>(d << (4 * digit));
    }
    return result;
}

std::uint64_t PitCounter::period_pulses() const {
    if (mode == 2) return steps_to_zero(cr);
    // Mode 3: half a period counting CR-1 (odd) or CR (even) down by two, plus one pulse for an
    // odd count's longer high half (8254 datasheet, Mode 3).
    const std::uint64_t half = steps_to_zero(mode3_reload()) / 2;
    const bool odd = (steps_to_zero(cr) & 1) != 0;
    return 2 * half + (odd ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// CPU side

void PitCounter::write_control(std::uint8_t control_word) {
    programmed = true;
    access = static_cast<PitAccess>((control_word >> 4) & 3);
    mode_bits = static_cast<std::uint8_t>((control_word >> 1) & 7);
    mode = (mode_bits & 2) ? (mode_bits & 3) : mode_bits;  // X10 is mode 2, X11 mode 3
    bcd = (control_word & 1) != 0;
    // "When a Control Word is written to a Counter, all Control Logic is immediately reset and
    // OUT goes to a known initial state" (8254 datasheet, "Operation Common to All Modes"):
    // low in mode 0, high in every other mode.
    count_latched = false;
    status_latched = false;
    read_msb_next = false;
    write_msb_next = false;
    null_count = true;
    load_pending = false;
    counting = false;
    count_written = false;
    trigger = false;
    armed = false;
    odd_extra = false;
    out = (mode != 0);
}

bool PitCounter::write_data(std::uint8_t value) {
    if (!programmed) return false;  // no control word yet: the access mode is undefined
    switch (access) {
        case PitAccess::Lsb: cr = value; break;
        case PitAccess::Msb: cr = static_cast<std::uint16_t>(value << 8); break;
        case PitAccess::LsbMsb:
            if (!write_msb_next) {
                pending_lsb = value;
                write_msb_next = true;
                // Mode 0: "Writing the first byte disables counting. OUT is set low
                // immediately (no clock pulse required)." Mode 4's first byte has no effect.
                if (mode == 0) {
                    counting = false;
                    load_pending = false;
                    out = false;
                }
                return false;
            }
            cr = static_cast<std::uint16_t>(pending_lsb | (value << 8));
            write_msb_next = false;
            break;
        case PitAccess::Latch: return false;  // not a counting access mode
    }
    count_complete();
    return true;
}

void PitCounter::count_complete() {
    null_count = true;
    count_written = true;
    switch (mode) {
        case 0:
            // A new count sets OUT low ("OUT remains high until a new count or a new Mode 0
            // Control Word is written") and is loaded on the next pulse.
            out = false;
            load_pending = true;
            break;
        case 4: load_pending = true; break;  // loaded on the next pulse, counting continues from it
        case 2:
        case 3:
            // The first count is loaded on the next pulse; a count written while counting waits
            // for the end of the current period (mode 2) or half-cycle (mode 3), or a trigger.
            if (!counting) load_pending = true;
            break;
        default: break;  // modes 1 and 5 load only on a trigger
    }
}

std::uint8_t PitCounter::peek_data() const {
    if (status_latched) return status_latch;
    const std::uint16_t value = count_latched ? ol : ce;
    switch (access) {
        case PitAccess::Msb: return msb(value);
        case PitAccess::LsbMsb: return read_msb_next ? msb(value) : lsb(value);
        default: return lsb(value);
    }
}

std::uint8_t PitCounter::read_data() {
    const std::uint8_t byte = peek_data();
    // "If both count and status of a counter are latched, the first read operation of that
    // counter will return latched status" (8254 datasheet, "Read-Back Command").
    if (status_latched) {
        status_latched = false;
        return byte;
    }
    // A latched count stays in OL until it is read completely (one or two bytes).
    bool whole_count_read = true;
    if (access == PitAccess::LsbMsb) {
        whole_count_read = read_msb_next;
        read_msb_next = !read_msb_next;
    }
    if (count_latched && whole_count_read) count_latched = false;
    return byte;
}

void PitCounter::latch_count() {
    // "If a Counter is latched and then, some time later, latched again before the count is
    // read, the second Counter Latch Command is ignored" (8254 datasheet, "Counter Latch Command").
    if (count_latched) return;
    ol = ce;
    count_latched = true;
}

void PitCounter::latch_status() {
    if (status_latched) return;
    status_latch = status_byte();
    status_latched = true;
}

std::uint8_t PitCounter::status_byte() const {
    // 8254 datasheet, "Status Byte": OUTPUT, NULL COUNT, RW1 RW0, M2 M1 M0, BCD.
    return static_cast<std::uint8_t>((out ? 0x80 : 0) | (null_count ? 0x40 : 0) |
                                     (static_cast<unsigned>(access) << 4) | (mode_bits << 1) | (bcd ? 1 : 0));
}

void PitCounter::set_gate(bool level) {
    if (level == gate) return;
    gate = level;
    if (!programmed) return;
    // Modes 1, 2, 3 and 5 are rising-edge sensitive: the edge sets a flip-flop sampled on the
    // next pulse. In modes 2 and 3 GATE low also forces OUT high at once ("Gate Pin Operations
    // Summary").
    if (level && (mode == 1 || mode == 2 || mode == 3 || mode == 5)) trigger = true;
    if (!level && (mode == 2 || mode == 3)) out = true;
}

// ---------------------------------------------------------------------------------------------
// One CLK pulse

void PitCounter::tick() {
    if (!programmed) return;
    const bool triggered = trigger;
    trigger = false;  // "the flip-flop is reset immediately after it is sampled"
    switch (mode) {
        case 0:
        case 4:
            // Mode 4's strobe: OUT low for one pulse at terminal count, then high again.
            if (mode == 4 && !out) out = true;
            if (load_pending) {  // the load pulse does not decrement (hence N + 1 pulses)
                ce = cr;
                load_pending = false;
                null_count = false;
                counting = true;
                armed = (mode == 4);
                return;
            }
            if (!counting || !gate) return;  // GATE low disables counting
            ce = count_down(ce, 1);
            if (ce == 0) {
                if (mode == 0) out = true;  // terminal count: high until a new count or mode
                else if (armed) {
                    out = false;
                    armed = false;
                }
            }
            return;
        case 1:
        case 5:
            if (mode == 5 && !out) out = true;
            if (triggered && count_written) {  // retriggerable: every trigger reloads
                ce = cr;
                null_count = false;
                counting = true;
                if (mode == 1) out = false;  // the one-shot starts on the pulse after the trigger
                else armed = true;
                return;
            }
            if (!counting) return;  // GATE does not stop counting in these modes
            ce = count_down(ce, 1);
            if (ce == 0) {
                if (mode == 1) out = true;
                else if (armed) {
                    out = false;
                    armed = false;
                }
            }
            return;
        case 2:
            if (load_pending || (triggered && gate)) {
                ce = cr;
                load_pending = false;
                null_count = false;
                counting = true;
                out = true;
                return;
            }
            if (!counting || !gate) return;
            if (ce == 1) {  // OUT was low for the one pulse CE held 1: reload, OUT high
                ce = cr;
                null_count = false;
                out = true;
                return;
            }
            ce = count_down(ce, 1);
            if (ce == 1) out = false;
            return;
        case 3:
            if (load_pending || (triggered && gate)) {
                ce = mode3_reload();
                load_pending = false;
                null_count = false;
                counting = true;
                out = true;
                odd_extra = false;
                return;
            }
            if (!counting || !gate) return;
            if (odd_extra) {  // "One CLK pulse after the count expires, OUT goes low"
                odd_extra = false;
                out = false;
                ce = mode3_reload();
                null_count = false;
                return;
            }
            if (steps_to_zero(ce) <= 2) {  // the count expires on this pulse
                if (out && (steps_to_zero(cr) & 1) != 0) {
                    ce = 0;
                    odd_extra = true;
                } else {
                    out = !out;
                    ce = mode3_reload();
                    null_count = false;
                }
                return;
            }
            ce = count_down(ce, 2);
            return;
        default: return;
    }
}

// ---------------------------------------------------------------------------------------------
// Many pulses at once

// Pulses from now on which the counter only decrements CE (by one, or two in mode 3) and
// nothing else happens; the pulse after them is "special" and goes through tick().
std::uint64_t PitCounter::quiet_pulses() const {
    if (!programmed) return kForever;
    if (trigger) return 0;
    switch (mode) {
        case 0:
        case 4:
            if (mode == 4 && !out) return 0;
            if (load_pending) return 0;
            if (!counting || !gate) return kForever;
            if (mode == 0 ? out : !armed) return kForever;  // terminal count already passed
            return steps_to_zero(ce) - 1;
        case 1:
        case 5:
            if (mode == 5 && !out) return 0;
            if (!counting) return kForever;
            if (mode == 1 ? out : !armed) return kForever;
            return steps_to_zero(ce) - 1;
        case 2:
            if (load_pending) return 0;
            if (!counting || !gate) return kForever;
            if (ce == 1) return 0;
            return steps_to_zero(ce) - 2;  // the pulse that makes CE 1 is special
        case 3: {
            if (load_pending) return 0;
            if (!counting || !gate) return kForever;
            if (odd_extra) return 0;
            const std::uint64_t to_expiry = (steps_to_zero(ce) + 1) / 2;
            return to_expiry - 1;
        }
        default: return kForever;
    }
}

void PitCounter::count_quietly(std::uint64_t pulses) {
    if (pulses == 0 || !programmed) return;
    if (!counting) return;
    if ((mode == 0 || mode == 2 || mode == 3 || mode == 4) && !gate) return;
    ce = count_down(ce, pulses);
    if (mode == 3) ce = count_down(ce, pulses);
}

// True when the counter is at the start of a period of mode 2 or 3 with nothing pending, so
// the next period_pulses() pulses bring it back to exactly this state.
bool PitCounter::at_period_start() const {
    if (!programmed || (mode != 2 && mode != 3)) return false;
    if (!counting || !gate || trigger || load_pending || null_count || !out) return false;
    if (mode == 2) return ce == cr;
    return !odd_extra && ce == mode3_reload();
}

void PitCounter::advance(std::uint64_t pulses, const OutChange& on_change, std::uint64_t keep_periods) {
    std::uint64_t done = 0;
    // Each mode reaches a quiet-forever state or a period start within a few special pulses
    // (at most four), and after a periodic skip fewer than keep_periods + 1 periods remain, each
    // with at most three special pulses: the bound below is never reached by a correct model.
    const std::uint64_t max_special_pulses = 16 + 4 * (keep_periods + 1);
    for (std::uint64_t special = 0; done < pulses; ++special) {
        if (special > max_special_pulses) throw std::logic_error("PitCounter::advance: no progress");
        const std::uint64_t left = pulses - done;
        const std::uint64_t quiet = quiet_pulses();
        if (quiet >= left) {
            count_quietly(left);
            return;
        }
        count_quietly(quiet);
        done += quiet;
        const bool before = out;
        tick();
        ++done;
        if (out != before && on_change) on_change(done, out);
        if (done < pulses && at_period_start()) {
            const std::uint64_t period = period_pulses();
            const std::uint64_t periods = (pulses - done) / period;
            if (periods > keep_periods) done += (periods - keep_periods) * period;
        }
    }
}

std::uint64_t PitCounter::pulses_until_out_change() const {
    PitCounter c = *this;
    std::uint64_t elapsed = 0;
    // OUT changes within three special pulses in every mode if it changes at all (mode 3 with
    // an odd count: expiry, extra pulse, change); a counter that keeps its level (mode 2 with a
    // count of 1, terminal count passed, GATE low) gives up after a few.
    for (int special = 0; special < 8; ++special) {
        const std::uint64_t quiet = c.quiet_pulses();
        if (quiet == kForever) return kForever;
        c.count_quietly(quiet);
        elapsed += quiet;
        const bool before = c.out;
        c.tick();
        ++elapsed;
        if (c.out != before) return elapsed;
    }
    return kForever;
}

}  // namespace lantern
