// Rtc146818: the Motorola MC146818A real-time clock plus RAM, as the IBM PC/AT wires it at ports
// 0x70 (index, with the NMI mask in bit 7) and 0x71 (data), interrupting on IRQ8.
//
// Registers 0x00-0x09 hold the time, calendar and alarm; 0x0A-0x0D are Registers A-D; the rest is
// battery-backed RAM (128 bytes in all, as on the DS12887 successors; the original part has 64).
// Facts come from the MC146818A datasheet ("Address Map", "Registers", "Update Cycle",
// "Interrupts", Tables 3-6); section names are cited where they are used.
//
// Time is lazy. The chip's divider chain is a pure function of the CPU cycle count (the 32.768 kHz
// crystal through an exact ClockDomain), so nothing runs while nobody looks: every port access
// first brings the registers up to the current cycle, applying the once-a-second update cycles
// and the periodic flag that fell due since the last access. Scheduler events exist only while an
// interrupt is enabled (PIE, AIE or UIE), to raise IRQ8 on time.
//
// The clock starts from a fixed, configurable date (default 2000-01-01 00:00:00), so every run is
// identical. RtcOptions::source = Host takes the host's wall-clock time (UTC) once, at power-on:
// the only place Lantern reads the host clock on the emulated path, and only when asked for.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <span>

#include "devices/clock_domain.h"
#include "devices/io_device.h"
#include "devices/irq_line.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"

namespace lantern {

struct RtcDateTime {
    int year = 2000;  // full year; the chip keeps year % 100, the century lives in CMOS 0x32
    int month = 1;    // 1-12
    int day = 1;      // 1-31
    int hour = 0;     // 0-23
    int minute = 0;
    int second = 0;
    bool operator==(const RtcDateTime&) const = default;
};

// Day of the week as the chip counts it (MC146818A datasheet, "Time, Calendar and Alarm
// Locations"): 1 = Sunday ... 7 = Saturday.
int rtc_day_of_week(int year, int month, int day);

enum class RtcTimeSource : std::uint8_t {
    Fixed,  // RtcOptions::start: deterministic (the default)
    Host,   // the host's UTC wall-clock time, read once at power-on
};

struct RtcOptions {
    RtcTimeSource source = RtcTimeSource::Fixed;
    RtcDateTime start{};
};

// The one sanctioned host-time input: the host's current UTC date and time. Called only by
// Rtc146818::power_on() in RtcTimeSource::Host mode.
RtcDateTime host_wall_clock_utc();

class Rtc146818 final : public IoDevice {
public:
    static constexpr std::uint16_t kIndexPort = 0x70;
    static constexpr std::uint16_t kDataPort = 0x71;
    static constexpr std::uint64_t kCrystalHz = 32'768;
    static constexpr std::size_t kRamBytes = 128;

    // Register numbers (MC146818A datasheet, Figure "Address Map").
    enum Reg : std::uint8_t {
        kSeconds = 0x00, kSecondsAlarm = 0x01, kMinutes = 0x02, kMinutesAlarm = 0x03,
        kHours = 0x04, kHoursAlarm = 0x05, kDayOfWeek = 0x06, kDayOfMonth = 0x07,
        kMonth = 0x08, kYear = 0x09, kRegA = 0x0A, kRegB = 0x0B, kRegC = 0x0C, kRegD = 0x0D,
        kCentury = 0x32,  // IBM PC/AT convention, not the chip's
    };
    // Register A, B, C, D bits.
    static constexpr std::uint8_t kUip = 0x80;
    static constexpr std::uint8_t kSet = 0x80, kPie = 0x40, kAie = 0x20, kUie = 0x10, kSqwe = 0x08,
                                  kDm = 0x04, k24h = 0x02, kDse = 0x01;
    static constexpr std::uint8_t kIrqf = 0x80, kPf = 0x40, kAf = 0x20, kUf = 0x10;
    static constexpr std::uint8_t kVrt = 0x80;

    // `irq8` is driven high while Register C's IRQF is set (the chip's active-low IRQ pin, through
    // the AT's inverter to the slave 8259's IR0).
    Rtc146818(Scheduler& scheduler, std::uint64_t cpu_freq_hz, IrqLine& irq8, RtcOptions options = {});
    ~Rtc146818() override;
    Rtc146818(const Rtc146818&) = delete;
    Rtc146818& operator=(const Rtc146818&) = delete;

    // Claims ports 0x70-0x71.
    void map(PortMap& ports);

    // Battery insertion: RAM cleared, clock set from the options (Host mode reads the host clock
    // here), Register A = 0x26 (32.768 kHz, 1024 Hz), B = 0x02 (24 h, BCD), D = VRT.
    void power_on();
    // The RESET pin (system reset): clears PIE, AIE, UIE, SQWE and the flags; time, date, RAM and
    // Register A are untouched (MC146818A datasheet, "RESET").
    void reset();

    // Port 0x70 bit 7 (1 = NMI disabled) is a latch on the AT system board, not part of the chip;
    // it lives here because it shares the port. The callback sees every change.
    bool nmi_disabled() const { return nmi_disabled_; }
    void set_nmi_mask_callback(std::function<void(bool disabled)> callback) { nmi_callback_ = std::move(callback); }
    std::uint8_t index() const { return index_; }

    // NVRAM access for the board (CmosLayout, the GUI), bypassing the ports. Writing the clock
    // registers this way is allowed but does not re-time the chip; use the ports for that.
    std::span<std::uint8_t, kRamBytes> cmos() { return state_.ram; }
    std::uint8_t cmos_byte(std::uint8_t index) const { return state_.ram[index & 0x7F]; }
    // The time the registers show now (decoded from BCD/binary and 12/24 h), for the GUI.
    RtcDateTime current_time() const;

    std::uint32_t read(std::uint32_t offset, unsigned size) override;
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return "rtc"; }
    void inspect(StateVisitor& v) override;

private:
    // Everything the lazy update changes, so peek() can advance a copy without side effects.
    struct ClockState {
        std::array<std::uint8_t, kRamBytes> ram{};
        std::uint64_t updates_done = 0;    // update cycles applied since the chain was anchored
        std::uint64_t periodic_ticks = 0;  // periodic edges seen (divider count / period)
        bool dse_fall_back_done = false;   // October's repeated hour already taken today
    };
    enum class ChainMode : std::uint8_t { Running, Reset, Halted };

    ChainMode chain_mode(std::uint8_t reg_a) const;
    std::uint64_t prescale() const;  // 32.768 kHz crystal ticks per divider-chain count
    std::uint64_t update_cycle_counts() const;  // tUC in divider counts
    std::uint64_t periodic_period() const;      // in divider counts; 0 = none
    std::uint64_t chain_count_at(Cycles t) const;
    Cycles cycle_of_count(std::uint64_t count) const;

    void advance(ClockState& s, Cycles t) const;  // applies updates/periodic edges up to t
    void sync();                                  // advance(state_, now) + IRQ
    void re_anchor(std::uint64_t count);
    void update_irq();
    void arm_events();
    void cancel_events();
    std::uint8_t register_value(const ClockState& s, std::uint8_t index, Cycles t) const;
    void write_register(std::uint8_t index, std::uint8_t value);

    static void tick_second(ClockState& s);

    Scheduler& scheduler_;
    IrqLine& irq8_;
    RtcOptions options_;
    ClockDomain crystal_;
    ClockState state_{};

    std::uint8_t index_ = 0;
    bool nmi_disabled_ = false;
    std::function<void(bool)> nmi_callback_{};

    // The divider chain's count (in 32.768 kHz-stage counts) is anchor_count_ at crystal tick
    // anchor_tick_ and advances by one every prescale() crystal ticks while running.
    std::uint64_t anchor_tick_ = 0;
    std::uint64_t anchor_count_ = 0;

    EventId periodic_event_ = kNoEvent;
    Cycles periodic_due_ = kNever;
    EventId update_event_ = kNoEvent;
    Cycles update_due_ = kNever;
};

}  // namespace lantern
