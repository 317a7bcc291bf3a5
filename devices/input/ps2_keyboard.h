// Ps2Keyboard: an IBM Enhanced (MF II) keyboard on the 8042's keyboard port.
//
// Commands and responses follow the IBM Keyboard Technical Reference ("Commands from the
// System", "Commands to the System"): FF Reset (FA, then AA when the basic assurance test
// ends), F2 Identify (FA AB 83), ED Set LEDs, EE Echo, F0 Select Scan Code Set (0 reports the
// set), F3 Typematic Rate/Delay, F4 Enable, F5 Default Disable, F6 Set Default, F7-FD the set-3
// key attribute commands, FE Resend. An unknown command is answered with FE.
//
// Keys arrive from the InputQueue (key_event). The keyboard sends scan code set 2 by default
// (set 1 or 3 when selected); the 8042 translates set 2 to set 1 when its XLAT bit is set.
// Typematic repeat runs in virtual time: the last key pressed repeats after the delay at the
// rate F3 selected, both exact rationals of the CPU clock.
#pragma once

#include <array>
#include <cstdint>

#include "devices/clock_domain.h"
#include "devices/input/keys.h"
#include "devices/input/ps2_device.h"
#include "devices/input/scancodes.h"
#include "devices/scheduler.h"

namespace lantern {

struct Ps2KeyboardOptions {
    // Basic assurance test after power-on or FF: 300-500 ms (IBM Keyboard Technical Reference,
    // "Basic Assurance Test"); the minimum by default.
    std::uint32_t bat_delay_us = 300'000;
};

class Ps2Keyboard final : public Ps2Device {
public:
    static constexpr std::uint8_t kAck = 0xFA, kBatOk = 0xAA, kEcho = 0xEE, kResend = 0xFE;
    static constexpr std::uint8_t kId1 = 0xAB, kId2 = 0x83;
    // Power-on typematic setting: 10.9 characters/s after 500 ms.
    static constexpr std::uint8_t kDefaultTypematic = 0x2B;

    Ps2Keyboard(Scheduler& scheduler, std::uint64_t cpu_freq_hz, Ps2KeyboardOptions options = {});
    ~Ps2Keyboard() override;
    Ps2Keyboard(const Ps2Keyboard&) = delete;
    Ps2Keyboard& operator=(const Ps2Keyboard&) = delete;

    // Power applied: defaults, empty buffer, and AA once the basic assurance test has run.
    void power_on();

    // A key changed state (from the InputQueue). A repeated "down" for a key already down is
    // ignored: the keyboard makes its own repeats.
    void key_event(Key key, bool down);
    void receive(std::uint8_t byte) override;

    std::uint8_t scan_code_set() const { return set_; }
    std::uint8_t leds() const { return leds_; }  // bit 0 Scroll, 1 Num, 2 Caps Lock
    bool scanning() const { return scanning_; }
    std::uint8_t typematic() const { return typematic_; }
    bool key_down(Key k) const { return down_[static_cast<std::size_t>(k) % kKeyCount] != 0; }
    // CPU cycles from a key press to its first repeat, and between repeats, at the current setting
    // (exact, rounded up to whole cycles from the press).
    Cycles typematic_delay_cycles() const { return typematic_clock_.to_cycles(delay_units()); }
    Cycles typematic_period_cycles() const { return typematic_clock_.to_cycles(period_units()); }

    std::string_view inspect_name() const override { return "keyboard"; }
    void inspect(StateVisitor& v) override;

private:
    static constexpr std::uint8_t kNoKey = 0xFF;
    static constexpr std::uint8_t kAttrTypematic = 1, kAttrBreak = 2;

    // Typematic timing in units of 1/240 s (IBM: period = (8 + A) * 2^B * 4.17 ms, A = bits 0-2,
    // B = bits 3-4; delay = (1 + C) * 250 ms, C = bits 5-6).
    std::uint64_t delay_units() const { return (1u + ((typematic_ >> 5) & 3u)) * 60u; }
    std::uint64_t period_units() const { return (8u + (typematic_ & 7u)) << ((typematic_ >> 3) & 3u); }

    void set_defaults();
    void command(std::uint8_t byte);
    void parameter(std::uint8_t byte);
    void send_sequence(const ScanSequence& seq);
    void emit(Key key, bool make);
    ScanModifiers modifiers() const;
    bool repeats(Key key) const;
    void stop_repeat();
    void arm_repeat();
    void arm_bat();
    void bat_done();

    Scheduler& scheduler_;
    ClockDomain typematic_clock_;  // CPU cycles per 1/240 s
    ClockDomain us_clock_;         // CPU cycles per microsecond
    Ps2KeyboardOptions options_;

    std::uint8_t set_ = 2;
    std::uint8_t leds_ = 0;
    std::uint8_t typematic_ = kDefaultTypematic;
    bool scanning_ = true;
    std::uint8_t pending_command_ = 0;  // ED, F0, F3, FB, FC, FD while their parameter is due
    std::array<std::uint8_t, kKeyCount> down_{};
    std::array<std::uint8_t, 256> set3_attr_{};  // per set-3 code: kAttrTypematic | kAttrBreak

    std::uint8_t repeat_key_ = kNoKey;
    Cycles repeat_base_ = 0;           // cycle the key went down
    std::uint64_t repeat_units_ = 0;   // 1/240 s from repeat_base_ to the next repeat
    Cycles repeat_due_ = kNever;
    EventId repeat_event_ = kNoEvent;
    Cycles bat_due_ = kNever;
    EventId bat_event_ = kNoEvent;
};

}  // namespace lantern
