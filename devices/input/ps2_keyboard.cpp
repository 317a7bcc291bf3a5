#include "devices/input/ps2_keyboard.h"

namespace lantern {

Ps2Keyboard::Ps2Keyboard(Scheduler& scheduler, std::uint64_t cpu_freq_hz, Ps2KeyboardOptions options)
    : scheduler_(scheduler),
      typematic_clock_(ClockDomain::from_frequencies(cpu_freq_hz, 240)),
      us_clock_(ClockDomain::from_frequencies(cpu_freq_hz, 1'000'000)),
      options_(options) {
    power_on();
}

Ps2Keyboard::~Ps2Keyboard() {
    if (repeat_event_ != kNoEvent) scheduler_.cancel(repeat_event_);
    if (bat_event_ != kNoEvent) scheduler_.cancel(bat_event_);
}

void Ps2Keyboard::set_defaults() {
    // "Set Default": typematic rate/delay and the set-3 key types return to their power-on values.
    typematic_ = kDefaultTypematic;
    set3_attr_.fill(kAttrTypematic | kAttrBreak);
}

void Ps2Keyboard::power_on() {
    stop_repeat();
    out_.clear();
    last_sent_ = 0;
    set_ = 2;
    leds_ = 0;
    scanning_ = false;  // until the basic assurance test completes
    pending_command_ = 0;
    down_.fill(0);
    set_defaults();
    bat_due_ = scheduler_.now() + us_clock_.to_cycles(options_.bat_delay_us);
    arm_bat();
}

void Ps2Keyboard::arm_bat() {
    if (bat_event_ != kNoEvent) scheduler_.cancel(bat_event_);
    bat_event_ = kNoEvent;
    if (bat_due_ == kNever) return;
    bat_event_ = scheduler_.at(bat_due_, [this](Cycles) {
        bat_event_ = kNoEvent;
        bat_done();
    }, "keyboard.bat");
}

void Ps2Keyboard::bat_done() {
    bat_due_ = kNever;
    scanning_ = true;
    send(kBatOk);
}

void Ps2Keyboard::receive(std::uint8_t byte) {
    if (pending_command_ != 0) {
        // A command byte arriving where a parameter was expected ends the old command and is
        // executed instead (IBM Keyboard Technical Reference, "Commands from the System").
        const bool is_key_list = pending_command_ >= 0xFB;
        const bool is_command = is_key_list ? byte >= 0xED : (byte & 0x80) != 0;
        if (!is_command) {
            parameter(byte);
            return;
        }
        pending_command_ = 0;
    }
    command(byte);
}

void Ps2Keyboard::command(std::uint8_t byte) {
    switch (byte) {
        case 0xED:  // Set/Reset Status Indicators
        case 0xF3:  // Set Typematic Rate/Delay
        case 0xF0:  // Select Alternate Scan Codes
        case 0xFB:  // Set Key Type Typematic (set 3)
        case 0xFC:  // Set Key Type Make/Break (set 3)
        case 0xFD:  // Set Key Type Make (set 3)
            send(kAck);
            pending_command_ = byte;
            if (byte == 0xED || byte == 0xF3) stop_repeat();
            break;
        case 0xEE: send(kEcho); break;  // Echo: no acknowledge
        case 0xF2:                      // Read ID
            send(kAck);
            send(kId1);
            send(kId2);
            break;
        case 0xF4:  // Enable: clears the buffer and starts scanning
            out_.clear();
            stop_repeat();
            send(kAck);
            scanning_ = true;
            break;
        case 0xF5:  // Default Disable
            out_.clear();
            stop_repeat();
            set_defaults();
            send(kAck);
            scanning_ = false;
            break;
        case 0xF6:  // Set Default
            out_.clear();
            stop_repeat();
            set_defaults();
            send(kAck);
            break;
        case 0xF7: case 0xF8: case 0xF9: case 0xFA: {  // Set All Keys (set 3)
            static constexpr std::uint8_t kAttr[4] = {kAttrTypematic, kAttrBreak, 0,
                                                      kAttrTypematic | kAttrBreak};
            set3_attr_.fill(kAttr[byte - 0xF7]);
            send(kAck);
            break;
        }
        case 0xFE:  // Resend: the last byte transmitted
            send(last_sent_);
            break;
        case 0xFF:  // Reset: acknowledge, then run the basic assurance test
            out_.clear();
            stop_repeat();
            send(kAck);
            set_ = 2;
            set_defaults();
            scanning_ = false;
            bat_due_ = scheduler_.now() + us_clock_.to_cycles(options_.bat_delay_us);
            arm_bat();
            break;
        default: send(kResend); break;  // not a command: ask for it again
    }
}

void Ps2Keyboard::parameter(std::uint8_t byte) {
    switch (pending_command_) {
        case 0xED:
            leds_ = byte & 0x07;
            pending_command_ = 0;
            send(kAck);
            break;
        case 0xF3:
            typematic_ = byte & 0x7F;
            pending_command_ = 0;
            send(kAck);
            break;
        case 0xF0:
            pending_command_ = 0;
            send(kAck);
            if (byte == 0) {
                send(set_);  // the 8042 translates this too when XLAT is on
            } else if (byte <= 3) {
                set_ = byte;
                stop_repeat();
            }
            break;
        default: {  // FB/FC/FD: a list of set-3 codes, ended by the next command
            static constexpr std::uint8_t kAttr[3] = {kAttrTypematic, kAttrBreak, 0};
            set3_attr_[byte] = kAttr[(pending_command_ - 0xFB) % 3];
            send(kAck);
            break;
        }
    }
}

ScanModifiers Ps2Keyboard::modifiers() const {
    return ScanModifiers{key_down(Key::LeftShift) || key_down(Key::RightShift),
                         key_down(Key::LeftCtrl) || key_down(Key::RightCtrl),
                         key_down(Key::LeftAlt) || key_down(Key::RightAlt)};
}

void Ps2Keyboard::send_sequence(const ScanSequence& seq) {
    if (seq.length == 0) return;
    if (out_.size() + seq.length <= kFifoBytes) {
        for (std::uint8_t i = 0; i < seq.length; ++i) send(seq.bytes[i]);
        return;
    }
    // Buffer overrun: the key is lost and an overrun code (00 in sets 2 and 3, FF in set 1) takes
    // the 17th place, once; nothing partial is ever queued.
    const std::uint8_t overrun = set_ == 1 ? 0xFF : 0x00;
    if (out_.empty() || out_.at(out_.size() - 1) != overrun) send(overrun);
}

void Ps2Keyboard::emit(Key key, bool make) {
    const ScanModifiers m = modifiers();
    if (set_ == 3) {
        const std::uint8_t code = set3_code(key);
        ScanSequence s;
        if (!make) {
            if (!(set3_attr_[code] & kAttrBreak)) return;
            s.add(0xF0);
        }
        s.add(code);
        send_sequence(s);
        return;
    }
    if (set_ == 1)
        send_sequence(make ? set1_make(key, m) : set1_break(key, m));
    else
        send_sequence(make ? set2_make(key, m) : set2_break(key, m));
}

bool Ps2Keyboard::repeats(Key key) const {
    if (key == Key::Pause) return false;  // make-only keys never repeat
    if (set_ == 3) return (set3_attr_[set3_code(key)] & kAttrTypematic) != 0;
    return true;
}

void Ps2Keyboard::key_event(Key key, bool down) {
    const auto i = static_cast<std::size_t>(key);
    if (i >= kKeyCount) return;
    if (down) {
        if (down_[i]) return;
        down_[i] = 1;
        if (!scanning_) return;
        emit(key, true);
        stop_repeat();
        if (repeats(key)) {
            // Only the last key pressed repeats (IBM Keyboard Technical Reference, "Typematic").
            repeat_key_ = static_cast<std::uint8_t>(i);
            repeat_base_ = scheduler_.now();
            repeat_units_ = delay_units();
            arm_repeat();
        }
    } else {
        if (!down_[i]) return;
        down_[i] = 0;
        if (repeat_key_ == i) stop_repeat();
        if (!scanning_) return;
        emit(key, false);
    }
}

void Ps2Keyboard::stop_repeat() {
    if (repeat_event_ != kNoEvent) scheduler_.cancel(repeat_event_);
    repeat_event_ = kNoEvent;
    repeat_key_ = kNoKey;
    repeat_due_ = kNever;
}

void Ps2Keyboard::arm_repeat() {
    if (repeat_event_ != kNoEvent) scheduler_.cancel(repeat_event_);
    repeat_event_ = kNoEvent;
    if (repeat_key_ == kNoKey) {
        repeat_due_ = kNever;
        return;
    }
    // Absolute from the press, so repeats never drift from the exact rate.
    repeat_due_ = repeat_base_ + typematic_clock_.to_cycles(repeat_units_);
    repeat_event_ = scheduler_.at(repeat_due_, [this](Cycles) {
        repeat_event_ = kNoEvent;
        if (repeat_key_ == kNoKey || !scanning_) return;
        emit(static_cast<Key>(repeat_key_), true);
        repeat_units_ += period_units();
        arm_repeat();
    }, "keyboard.typematic");
}

void Ps2Keyboard::inspect(StateVisitor& v) {
    StateGroup g(v, "keyboard");
    v.visit("scan_code_set", set_, "1, 2 (default) or 3");
    v.visit("leds", leds_, "bit 0 Scroll Lock, 1 Num Lock, 2 Caps Lock");
    v.visit("typematic", typematic_, "F3 parameter: bits 0-4 rate, 5-6 delay");
    v.visit("scanning", scanning_, "keys are being reported (F4) or not (F5, during BAT)");
    v.visit("pending_command", pending_command_, "command waiting for its parameter (0: none)");
    v.bytes("keys_down", down_);
    v.bytes("set3_key_types", set3_attr_);
    v.visit("repeat_key", repeat_key_, "Key repeating (255: none)");
    v.visit("repeat_base", repeat_base_, "CPU cycle the repeating key went down");
    v.visit("repeat_units", repeat_units_, "1/240 s from repeat_base to the next repeat");
    v.visit("repeat_due", repeat_due_, "CPU cycle of the next typematic repeat");
    v.visit("bat_due", bat_due_, "CPU cycle the basic assurance test ends (AA)");
    inspect_link(v);
    if (v.loading()) {
        if (pending_command_ != 0 && pending_command_ != 0xED && pending_command_ != 0xF0 &&
            pending_command_ != 0xF3 && (pending_command_ < 0xFB || pending_command_ > 0xFD))
            pending_command_ = 0;
        if (set_ < 1 || set_ > 3) set_ = 2;
        if (repeat_key_ >= kKeyCount) repeat_key_ = kNoKey;
        arm_repeat();
        arm_bat();
    }
}

}  // namespace lantern
