#include "devices/rtc/rtc146818.h"

#include <algorithm>
#include <chrono>
#include <ctime>

namespace lantern {

namespace {

// MC146818A datasheet, "Update Cycle" and Table 6: with the 32.768 kHz time base the update takes
// tUC = 1984 us (65 counts of 30.5 us, 1983.6 us); with the 4.194304 / 1.048576 MHz bases 248 us
// (8 counts). UIP rises at least tBUC = 244 us (8 counts, 244.1 us) before the update begins.
constexpr std::uint64_t kCountsPerSecond = 32'768;
constexpr std::uint64_t kUipLeadCounts = 8;
constexpr std::uint64_t kUpdateCounts32k = 65;
constexpr std::uint64_t kUpdateCountsFast = 8;
// "When the divider reset is removed, the first update cycle begins one-half second later."
constexpr std::uint64_t kCountAfterReset = kCountsPerSecond / 2;

constexpr std::uint8_t kDontCare = 0xC0;  // alarm bytes 0xC0-0xFF match any value

int bcd_to_bin(std::uint8_t v) { return (v >> 4) * 10 + (v & 0x0F); }
std::uint8_t bin_to_bcd(int v) { return static_cast<std::uint8_t>(((v / 10) << 4) | (v % 10)); }

bool is_leap(int year) { return year % 4 == 0; }  // the chip's rule: every fourth year, 00 included

int days_in_month(int month, int year_in_century) {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 31;  // a nonsense month still rolls over, never hangs
    if (month == 2 && is_leap(year_in_century)) return 29;
    return kDays[month - 1];
}

// Number of update cycles that have ended when the divider count reads `count`: update k (k >= 1)
// begins at k * 32768 and ends tUC counts later.
std::uint64_t updates_ended(std::uint64_t count, std::uint64_t tuc) {
    return count < tuc ? 0 : (count - tuc) / kCountsPerSecond;
}

}  // namespace

int rtc_day_of_week(int year, int month, int day) {
    // Days since 1970-01-01 (a Thursday, day 5), from the civil-calendar algorithm.
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const long days = static_cast<long>(era) * 146097 + doe - 719468;
    const long dow0 = ((days % 7) + 7 + 4) % 7;  // 0 = Sunday
    return static_cast<int>(dow0) + 1;
}

RtcDateTime host_wall_clock_utc() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    return RtcDateTime{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                       std::min(tm.tm_sec, 59)};
}

Rtc146818::Rtc146818(Scheduler& scheduler, std::uint64_t cpu_freq_hz, IrqLine& irq8, RtcOptions options)
    : scheduler_(scheduler),
      irq8_(irq8),
      options_(options),
      crystal_(ClockDomain::from_frequencies(cpu_freq_hz, kCrystalHz)) {
    power_on();
}

Rtc146818::~Rtc146818() { cancel_events(); }

void Rtc146818::map(PortMap& ports) { ports.map(kIndexPort, 2, *this, "rtc"); }

// ---- divider chain -------------------------------------------------------------------------

Rtc146818::ChainMode Rtc146818::chain_mode(std::uint8_t reg_a) const {
    // MC146818A datasheet, Table 3 "Divider Configurations": 000/001/010 operate, 11x hold the
    // chain in reset; the remaining codes are factory test modes, modelled as a stopped chain.
    switch ((reg_a >> 4) & 7) {
        case 0: case 1: case 2: return ChainMode::Running;
        case 6: case 7: return ChainMode::Reset;
        default: return ChainMode::Halted;
    }
}

std::uint64_t Rtc146818::prescale() const {
    // The PC has a 32.768 kHz crystal. A DV code for a faster time base makes the 22-stage chain
    // divide that much further (by 128 for 4.194304 MHz, 32 for 1.048576 MHz): time runs slow,
    // exactly as on the real board.
    switch ((state_.ram[kRegA] >> 4) & 7) {
        case 0: return 128;
        case 1: return 32;
        default: return 1;
    }
}

std::uint64_t Rtc146818::update_cycle_counts() const {
    return ((state_.ram[kRegA] >> 4) & 7) == 2 ? kUpdateCounts32k : kUpdateCountsFast;
}

std::uint64_t Rtc146818::periodic_period() const {
    // MC146818A datasheet, Table 5 "Periodic Interrupt Rate and Square-Wave Output Frequency":
    // RS = 3..15 tap the chain at 2^(RS-1) counts of the 32.768 kHz stage (8192 Hz ... 2 Hz);
    // RS = 1, 2 give 256 / 128 Hz with a 32.768 kHz base and 32768 / 16384 Hz with the others.
    const unsigned rs = state_.ram[kRegA] & 0x0F;
    if (rs == 0) return 0;
    if (rs <= 2) {
        const bool base_32k = ((state_.ram[kRegA] >> 4) & 7) == 2;
        return base_32k ? (rs == 1 ? 128 : 256) : rs;
    }
    return std::uint64_t{1} << (rs - 1);
}

std::uint64_t Rtc146818::chain_count_at(Cycles t) const {
    if (chain_mode(state_.ram[kRegA]) != ChainMode::Running) return anchor_count_;
    const std::uint64_t tick = crystal_.to_ticks(t);
    if (tick <= anchor_tick_) return anchor_count_;
    return anchor_count_ + (tick - anchor_tick_) / prescale();
}

Cycles Rtc146818::cycle_of_count(std::uint64_t count) const {
    if (count <= anchor_count_) return crystal_.to_cycles(anchor_tick_);
    return crystal_.to_cycles(anchor_tick_ + (count - anchor_count_) * prescale());
}

void Rtc146818::re_anchor(std::uint64_t count) {
    anchor_tick_ = crystal_.to_ticks(scheduler_.now());
    anchor_count_ = count;
    state_.updates_done = updates_ended(count, update_cycle_counts());
    const std::uint64_t period = periodic_period();
    state_.periodic_ticks = period ? count / period : 0;
}

// ---- the update cycle ---------------------------------------------------------------------

void Rtc146818::tick_second(ClockState& s) {
    // MC146818A datasheet, "Update Cycle": the counters advance one second in the data mode
    // (DM) and hour format currently selected; nothing is converted when those bits change.
    auto& r = s.ram;
    const std::uint8_t b = r[kRegB];
    const bool binary = (b & kDm) != 0;
    const bool h24 = (b & k24h) != 0;
    auto dec = [binary](std::uint8_t v) { return binary ? int(v) : bcd_to_bin(v); };
    auto enc = [binary](int v) { return binary ? std::uint8_t(v) : bin_to_bcd(v); };

    const int hour_raw = h24 ? dec(r[kHours]) : dec(r[kHours] & 0x7F);
    const bool pm = !h24 && (r[kHours] & 0x80);
    const int dow = dec(r[kDayOfWeek]);
    const int date = dec(r[kDayOfMonth]);
    const int month = dec(r[kMonth]);
    const bool one_am = h24 ? hour_raw == 1 : (hour_raw == 1 && !pm);
    const bool end_of_hour = dec(r[kSeconds]) >= 59 && dec(r[kMinutes]) >= 59;

    // Daylight saving (DSE), datasheet Register B bit 0: on the last Sunday in April 1:59:59 AM
    // goes to 3:00:00 AM; on the last Sunday in October, the first time 1:59:59 AM is reached,
    // it goes back to 1:00:00 AM.
    if ((b & kDse) && end_of_hour && one_am && dow == 1) {
        if (month == 4 && date >= 24) {
            r[kSeconds] = enc(0);
            r[kMinutes] = enc(0);
            r[kHours] = enc(3);  // 3 AM: the PM bit stays clear in 12-hour mode
            return;
        }
        if (month == 10 && date >= 25 && !s.dse_fall_back_done) {
            s.dse_fall_back_done = true;
            r[kSeconds] = enc(0);
            r[kMinutes] = enc(0);
            return;  // the hour stays 1 AM
        }
    }

    int sec = dec(r[kSeconds]) + 1;
    if (sec < 60) { r[kSeconds] = enc(sec); return; }
    r[kSeconds] = enc(0);
    int min = dec(r[kMinutes]) + 1;
    if (min < 60) { r[kMinutes] = enc(min); return; }
    r[kMinutes] = enc(0);

    bool next_day = false;
    if (h24) {
        int h = hour_raw + 1;
        if (h >= 24) { h = 0; next_day = true; }
        r[kHours] = enc(h);
    } else {
        // 12-hour mode: 11 -> 12 flips AM/PM, 12 -> 1 does not; 11:59:59 PM -> 12:00:00 AM.
        int h = hour_raw + 1;
        bool new_pm = pm;
        if (h == 12) {
            new_pm = !pm;
            next_day = pm;
        } else if (h > 12) {
            h = 1;
        }
        r[kHours] = static_cast<std::uint8_t>(enc(h) | (new_pm ? 0x80 : 0));
    }
    if (!next_day) return;

    s.dse_fall_back_done = false;
    r[kDayOfWeek] = enc(dow >= 7 || dow < 1 ? 1 : dow + 1);
    const int year = dec(r[kYear]);
    int d = date + 1;
    if (d <= days_in_month(month, year)) { r[kDayOfMonth] = enc(d); return; }
    r[kDayOfMonth] = enc(1);
    int m = month + 1;
    if (m <= 12 && m >= 1) { r[kMonth] = enc(m); return; }
    r[kMonth] = enc(1);
    r[kYear] = enc(year + 1 > 99 ? 0 : year + 1);
}

void Rtc146818::advance(ClockState& s, Cycles t) const {
    if (chain_mode(s.ram[kRegA]) != ChainMode::Running) return;
    const std::uint64_t count = chain_count_at(t);
    const std::uint64_t ended = updates_ended(count, update_cycle_counts());
    if (s.ram[kRegB] & kSet) {
        // SET inhibits update cycles (datasheet, Register B bit 7): the missed seconds are lost.
        s.updates_done = std::max(s.updates_done, ended);
    } else {
        while (s.updates_done < ended) {
            ++s.updates_done;
            tick_second(s);
            s.ram[kRegC] |= kUf;  // "UF is set after each update cycle"
            // Alarm: each of the three bytes matches when equal, or when it is 0xC0-0xFF.
            auto match = [&](std::uint8_t alarm, std::uint8_t time) {
                return alarm >= kDontCare || alarm == time;
            };
            if (match(s.ram[kSecondsAlarm], s.ram[kSeconds]) &&
                match(s.ram[kMinutesAlarm], s.ram[kMinutes]) && match(s.ram[kHoursAlarm], s.ram[kHours]))
                s.ram[kRegC] |= kAf;
        }
    }
    if (const std::uint64_t period = periodic_period(); period != 0) {
        // "PF is set to a 1 when an edge is detected on the selected tap", whatever PIE says.
        const std::uint64_t ticks = count / period;
        if (ticks > s.periodic_ticks) s.ram[kRegC] |= kPf;
        s.periodic_ticks = ticks;
    }
    // IRQF = PF.PIE + AF.AIE + UF.UIE (datasheet, Register C bit 7).
    const std::uint8_t b = s.ram[kRegB], c = s.ram[kRegC];
    const bool irqf = ((c & kPf) && (b & kPie)) || ((c & kAf) && (b & kAie)) || ((c & kUf) && (b & kUie));
    s.ram[kRegC] = static_cast<std::uint8_t>((c & (kPf | kAf | kUf)) | (irqf ? kIrqf : 0));
}

void Rtc146818::sync() {
    advance(state_, scheduler_.now());
    update_irq();
}

void Rtc146818::update_irq() {
    const std::uint8_t b = state_.ram[kRegB], c = state_.ram[kRegC];
    const bool irqf = ((c & kPf) && (b & kPie)) || ((c & kAf) && (b & kAie)) || ((c & kUf) && (b & kUie));
    state_.ram[kRegC] = static_cast<std::uint8_t>((c & (kPf | kAf | kUf)) | (irqf ? kIrqf : 0));
    irq8_.set_level(irqf);
}

void Rtc146818::cancel_events() {
    if (periodic_event_ != kNoEvent) scheduler_.cancel(periodic_event_);
    if (update_event_ != kNoEvent) scheduler_.cancel(update_event_);
    periodic_event_ = update_event_ = kNoEvent;
    periodic_due_ = update_due_ = kNever;
}

void Rtc146818::arm_events() {
    // Events only for enabled interrupts; every flag is otherwise computed when read.
    const bool running = chain_mode(state_.ram[kRegA]) == ChainMode::Running;
    const std::uint8_t b = state_.ram[kRegB];
    const std::uint64_t period = periodic_period();

    Cycles periodic_want = kNever;
    if (running && (b & kPie) && period != 0) periodic_want = cycle_of_count((state_.periodic_ticks + 1) * period);
    if (periodic_want != periodic_due_) {
        if (periodic_event_ != kNoEvent) scheduler_.cancel(periodic_event_);
        periodic_event_ = kNoEvent;
        periodic_due_ = periodic_want;
        if (periodic_want != kNever)
            periodic_event_ = scheduler_.at(periodic_want, [this](Cycles) {
                periodic_event_ = kNoEvent;
                periodic_due_ = kNever;
                sync();
                arm_events();
            }, "rtc.periodic");
    }

    Cycles update_want = kNever;
    if (running && (b & (kAie | kUie)) && !(b & kSet))
        update_want = cycle_of_count((state_.updates_done + 1) * kCountsPerSecond + update_cycle_counts());
    if (update_want != update_due_) {
        if (update_event_ != kNoEvent) scheduler_.cancel(update_event_);
        update_event_ = kNoEvent;
        update_due_ = update_want;
        if (update_want != kNever)
            update_event_ = scheduler_.at(update_want, [this](Cycles) {
                update_event_ = kNoEvent;
                update_due_ = kNever;
                sync();
                arm_events();
            }, "rtc.update");
    }
}

// ---- power-on / reset -----------------------------------------------------------------------

void Rtc146818::power_on() {
    cancel_events();
    state_ = ClockState{};
    auto& r = state_.ram;
    const RtcDateTime t = options_.source == RtcTimeSource::Host ? host_wall_clock_utc() : options_.start;
    auto clamp = [](int v, int lo, int hi) { return std::clamp(v, lo, hi); };
    const int year = clamp(t.year, 0, 9999);
    const int month = clamp(t.month, 1, 12);
    const int day = clamp(t.day, 1, days_in_month(month, year % 100));
    r[kSeconds] = bin_to_bcd(clamp(t.second, 0, 59));
    r[kMinutes] = bin_to_bcd(clamp(t.minute, 0, 59));
    r[kHours] = bin_to_bcd(clamp(t.hour, 0, 23));
    r[kDayOfWeek] = bin_to_bcd(rtc_day_of_week(year, month, day));
    r[kDayOfMonth] = bin_to_bcd(day);
    r[kMonth] = bin_to_bcd(month);
    r[kYear] = bin_to_bcd(year % 100);
    r[kCentury] = bin_to_bcd(year / 100 % 100);
    // What a PC BIOS programs (IBM PC/AT Technical Reference, "Real-Time Clock Information"):
    // 32.768 kHz time base, 1024 Hz periodic rate; 24-hour BCD; valid RAM and time.
    r[kRegA] = 0x26;
    r[kRegB] = k24h;
    r[kRegC] = 0;
    r[kRegD] = kVrt;
    index_ = 0;
    re_anchor(0);
    update_irq();
    arm_events();
}

void Rtc146818::reset() {
    sync();
    state_.ram[kRegB] &= static_cast<std::uint8_t>(~(kPie | kAie | kUie | kSqwe));
    state_.ram[kRegC] = 0;
    update_irq();
    arm_events();
}

// ---- registers ------------------------------------------------------------------------------

std::uint8_t Rtc146818::register_value(const ClockState& s, std::uint8_t index, Cycles t) const {
    switch (index) {
        case kRegA: {
            bool uip = false;
            if (chain_mode(s.ram[kRegA]) == ChainMode::Running && !(s.ram[kRegB] & kSet)) {
                const std::uint64_t count = chain_count_at(t);
                const std::uint64_t phase = count % kCountsPerSecond;
                uip = phase >= kCountsPerSecond - kUipLeadCounts ||
                      (count >= kCountsPerSecond && phase < update_cycle_counts());
            }
            return static_cast<std::uint8_t>((s.ram[kRegA] & 0x7F) | (uip ? kUip : 0));
        }
        case kRegC: return s.ram[kRegC] & 0xF0;
        case kRegD: return kVrt;  // VRT reads 1: the battery is good; other bits read 0
        default: return s.ram[index & 0x7F];
    }
}

void Rtc146818::write_register(std::uint8_t index, std::uint8_t value) {
    auto& r = state_.ram;
    switch (index) {
        case kRegA: {
            const std::uint8_t old = r[kRegA];
            const ChainMode old_mode = chain_mode(old);
            const std::uint64_t count_now = chain_count_at(scheduler_.now());
            const std::uint64_t old_prescale = prescale();
            r[kRegA] = value & 0x7F;  // UIP is read-only
            const ChainMode new_mode = chain_mode(r[kRegA]);
            if (new_mode == ChainMode::Running) {
                if (old_mode == ChainMode::Reset)
                    re_anchor(kCountAfterReset);
                else if (old_mode == ChainMode::Halted || old_prescale != prescale() ||
                         ((old ^ value) & 0x70))
                    re_anchor(count_now);
                else if ((old ^ value) & 0x0F) {
                    const std::uint64_t period = periodic_period();
                    state_.periodic_ticks = period ? count_now / period : 0;
                }
            } else {
                // Reset clears the chain; a test mode stops it where it is.
                anchor_tick_ = crystal_.to_ticks(scheduler_.now());
                anchor_count_ = new_mode == ChainMode::Reset ? 0 : count_now;
                state_.updates_done = updates_ended(anchor_count_, update_cycle_counts());
                state_.periodic_ticks = 0;
            }
            break;
        }
        case kRegB: {
            const std::uint8_t old = r[kRegB];
            std::uint8_t b = value;
            // "The UIE bit is cleared when the SET bit goes high" (Register B, bit 4).
            if ((b & kSet) && !(old & kSet)) b &= static_cast<std::uint8_t>(~kUie);
            if ((b ^ old) & kSet) {
                // Setting SET aborts the update in progress (and clears UIP); clearing it resumes
                // counting from the next full second of the undisturbed divider chain.
                state_.updates_done = updates_ended(chain_count_at(scheduler_.now()), update_cycle_counts());
            }
            r[kRegB] = b;
            break;
        }
        case kRegC:
        case kRegD: break;  // read-only
        default: r[index & 0x7F] = value; break;
    }
}

std::uint32_t Rtc146818::read(std::uint32_t offset, unsigned size) {
    if (size > 1) {  // a word access covers 0x70 and 0x71 as two byte accesses
        std::uint32_t v = 0;
        for (unsigned i = 0; i < size; ++i) v |= read(offset + i, 1) << (8 * i);
        return v;
    }
    if (offset != 1) return 0xFF;  // the index register is write-only on the AT
    sync();
    const std::uint8_t v = register_value(state_, index_, scheduler_.now());
    if (index_ == kRegC) {
        // "All flag bits are cleared after Register C is read", and IRQ is released.
        state_.ram[kRegC] = 0;
        update_irq();
    }
    return v;
}

std::uint32_t Rtc146818::peek(std::uint32_t offset, unsigned size) const {
    if (size > 1) {
        std::uint32_t v = 0;
        for (unsigned i = 0; i < size; ++i) v |= peek(offset + i, 1) << (8 * i);
        return v;
    }
    if (offset != 1) return 0xFF;
    ClockState copy = state_;
    advance(copy, scheduler_.now());
    return register_value(copy, index_, scheduler_.now());
}

void Rtc146818::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    if (size > 1) {  // OUT 0x70, AX selects the register and writes it, lowest port first
        for (unsigned i = 0; i < size; ++i) write(offset + i, (value >> (8 * i)) & 0xFF, 1);
        return;
    }
    const auto v = static_cast<std::uint8_t>(value);
    if (offset == 0) {
        index_ = v & 0x7F;
        const bool disabled = (v & 0x80) != 0;
        if (disabled != nmi_disabled_) {
            nmi_disabled_ = disabled;
            if (nmi_callback_) nmi_callback_(disabled);
        }
        return;
    }
    if (offset != 1) return;
    sync();
    write_register(index_, v);
    update_irq();
    arm_events();
}

RtcDateTime Rtc146818::current_time() const {
    ClockState s = state_;
    advance(s, scheduler_.now());
    const auto& r = s.ram;
    const bool binary = (r[kRegB] & kDm) != 0;
    auto dec = [binary](std::uint8_t v) { return binary ? int(v) : bcd_to_bin(v); };
    int hour;
    if (r[kRegB] & k24h) {
        hour = dec(r[kHours]);
    } else {
        hour = dec(r[kHours] & 0x7F) % 12 + ((r[kHours] & 0x80) ? 12 : 0);
    }
    return RtcDateTime{bcd_to_bin(r[kCentury]) * 100 + dec(r[kYear]), dec(r[kMonth]), dec(r[kDayOfMonth]),
                       hour, dec(r[kMinutes]), dec(r[kSeconds])};
}

void Rtc146818::inspect(StateVisitor& v) {
    StateGroup g(v, "rtc");
    // Not loading: show what the guest would read now (the lazy update applied to a copy).
    ClockState view = state_;
    if (!v.loading()) advance(view, scheduler_.now());
    ClockState& s = v.loading() ? state_ : view;

    v.visit("index", index_, "register selected by port 0x70 (bits 0-6)");
    v.visit("nmi_disabled", nmi_disabled_, "port 0x70 bit 7: NMI masked");
    if (!v.loading()) {
        StateGroup rg(v, "registers");
        static constexpr const char* kNames[14] = {
            "seconds", "seconds_alarm", "minutes", "minutes_alarm", "hours", "hours_alarm",
            "day_of_week", "day_of_month", "month", "year", "reg_a", "reg_b", "reg_c", "reg_d"};
        for (std::uint8_t i = 0; i < 14; ++i) {
            std::uint8_t value = register_value(s, i, scheduler_.now());
            v.visit(kNames[i], value);
        }
    }
    v.bytes("ram", s.ram);
    v.visit("updates_done", s.updates_done, "update cycles completed since the chain was anchored");
    v.visit("periodic_ticks", s.periodic_ticks, "periodic-rate edges seen (chain count / period)");
    v.visit("dse_fall_back_done", s.dse_fall_back_done, "October's repeated 1 AM hour already taken");
    v.visit("anchor_tick", anchor_tick_, "32.768 kHz crystal tick the divider chain was anchored at");
    v.visit("anchor_count", anchor_count_, "divider-chain count (32.768 kHz stage) at the anchor");
    std::uint64_t periodic_due = periodic_due_, update_due = update_due_;
    v.visit("periodic_event_due", periodic_due, "CPU cycle of the next periodic IRQ event (PIE)");
    v.visit("update_event_due", update_due, "CPU cycle of the next update-ended event (UIE/AIE)");
    if (v.loading()) {
        index_ &= 0x7F;
        cancel_events();
        update_irq();
        arm_events();
        if (nmi_callback_) nmi_callback_(nmi_disabled_);
    }
}

}  // namespace lantern
