#include "devices/input/ps2_mouse.h"

#include <algorithm>
#include <cstdlib>

namespace lantern {

namespace {

constexpr std::int32_t kAccLimit = 1 << 20;  // host motion beyond this is clipped, never overflows

// Scaling 2:1 (IBM, "Scaling"): 1->1, 2->1, 3->3, 4->6, 5->9, n>5 -> 2n, sign kept.
std::int32_t scale_2to1(std::int32_t v) {
    static constexpr std::int32_t kTable[6] = {0, 1, 1, 3, 6, 9};
    const std::int32_t a = std::abs(v);
    const std::int32_t s = a <= 5 ? kTable[a] : 2 * a;
    return v < 0 ? -s : s;
}

}  // namespace

Ps2Mouse::Ps2Mouse(Scheduler& scheduler, std::uint64_t cpu_freq_hz, Ps2MouseOptions options)
    : scheduler_(scheduler),
      cpu_freq_hz_(cpu_freq_hz),
      us_clock_(ClockDomain::from_frequencies(cpu_freq_hz, 1'000'000)),
      options_(options) {
    power_on();
}

Ps2Mouse::~Ps2Mouse() {
    if (packet_event_ != kNoEvent) scheduler_.cancel(packet_event_);
    if (bat_event_ != kNoEvent) scheduler_.cancel(bat_event_);
}

Cycles Ps2Mouse::sample_period_cycles() const {
    return ClockDomain::from_frequencies(cpu_freq_hz_, std::max<std::uint8_t>(rate_, 1)).to_cycles(1);
}

void Ps2Mouse::set_defaults() {
    // "Set Defaults": 100 samples/s, 4 counts/mm, scaling 1:1, stream mode, reporting disabled.
    rate_ = 100;
    resolution_ = 2;
    scaling21_ = false;
    remote_ = false;
    enabled_ = false;
    acc_dx_ = acc_dy_ = acc_dz_ = 0;
    dirty_ = false;
    packet_due_ = kNever;
    arm_packet();
}

void Ps2Mouse::power_on() {
    out_.clear();
    last_sent_ = 0;
    id_ = kIdStandard;
    wrap_ = false;
    pending_command_ = 0;
    rate_history_.fill(0);
    buttons_ = 0;
    sent_any_ = false;
    last_packet_ = 0;
    set_defaults();
    bat_due_ = scheduler_.now() + us_clock_.to_cycles(options_.bat_delay_us);
    arm_bat();
}

void Ps2Mouse::arm_bat() {
    if (bat_event_ != kNoEvent) scheduler_.cancel(bat_event_);
    bat_event_ = kNoEvent;
    if (bat_due_ == kNever) return;
    bat_event_ = scheduler_.at(bat_due_, [this](Cycles) {
        bat_event_ = kNoEvent;
        bat_due_ = kNever;
        send(kBatOk);
        send(id_);
    }, "mouse.bat");
}

void Ps2Mouse::receive(std::uint8_t byte) {
    if (wrap_ && byte != 0xEC && byte != 0xFF) {
        send(byte);  // wrap mode echoes everything but Reset Wrap Mode and Reset
        return;
    }
    if (pending_command_ != 0) {
        parameter(byte);
        return;
    }
    command(byte);
}

void Ps2Mouse::command(std::uint8_t byte) {
    // A command aborts any packet waiting to go out, so the acknowledge is the next byte the host
    // sees (the host inhibits the clock to send, which cuts off the device's transmission).
    out_.clear();
    switch (byte) {
        case 0xE6: scaling21_ = false; send(kAck); break;
        case 0xE7: scaling21_ = true; send(kAck); break;
        case 0xE8:
        case 0xF3:
            send(kAck);
            pending_command_ = byte;
            break;
        case 0xE9: {  // Status Request
            send(kAck);
            const std::uint8_t left = buttons_ & 1, right = (buttons_ >> 1) & 1, middle = (buttons_ >> 2) & 1;
            send(static_cast<std::uint8_t>((remote_ ? 0x40 : 0) | (enabled_ ? 0x20 : 0) | (scaling21_ ? 0x10 : 0) |
                                           (left << 2) | (middle << 1) | right));
            send(resolution_);
            send(rate_);
            break;
        }
        case 0xEA:  // Set Stream Mode
            remote_ = false;
            acc_dx_ = acc_dy_ = acc_dz_ = 0;
            send(kAck);
            break;
        case 0xEB:  // Read Data: a packet whatever the mode, counters reset
            send(kAck);
            send_packet(false);
            break;
        case 0xEC: wrap_ = false; send(kAck); break;
        case 0xEE: wrap_ = true; send(kAck); break;
        case 0xF0:  // Set Remote Mode
            remote_ = true;
            send(kAck);
            break;
        case 0xF2:
            send(kAck);
            send(id_);
            break;
        case 0xF4:
            enabled_ = true;
            acc_dx_ = acc_dy_ = acc_dz_ = 0;
            dirty_ = false;
            send(kAck);
            break;
        case 0xF5:
            enabled_ = false;
            send(kAck);
            break;
        case 0xF6:
            set_defaults();
            send(kAck);
            break;
        case 0xFE: send(last_sent_); break;
        case 0xFF:
            wrap_ = false;
            id_ = kIdStandard;
            rate_history_.fill(0);
            set_defaults();
            send(kAck);
            bat_due_ = scheduler_.now() + us_clock_.to_cycles(options_.bat_delay_us);
            arm_bat();
            break;
        default: send(kResend); break;
    }
}

void Ps2Mouse::parameter(std::uint8_t byte) {
    const std::uint8_t cmd = pending_command_;
    pending_command_ = 0;
    if (cmd == 0xE8) {
        if (byte > 3) { send(kResend); return; }
        resolution_ = byte;
        send(kAck);
        return;
    }
    // F3: 10, 20, 40, 60, 80, 100 or 200 samples/s.
    static constexpr std::uint8_t kRates[7] = {10, 20, 40, 60, 80, 100, 200};
    if (std::find(std::begin(kRates), std::end(kRates), byte) == std::end(kRates)) {
        send(kResend);
        return;
    }
    rate_ = byte;
    rate_history_ = {rate_history_[1], rate_history_[2], byte};
    // Microsoft IntelliMouse detection: rates 200, 100, 80 in a row switch on the wheel (ID 3).
    if (rate_history_[0] == 200 && rate_history_[1] == 100 && rate_history_[2] == 80) id_ = kIdWheel;
    send(kAck);
}

bool Ps2Mouse::send_packet(bool stream) {
    const std::size_t bytes = id_ == kIdWheel ? 4 : 3;
    if (out_.free_space() < bytes) return false;

    // Counts at the selected resolution: 8 / 2^(3 - resolution) host counts per reported count,
    // truncated toward zero with the remainder kept for the next packet.
    const int shift = 3 - resolution_;
    std::int32_t x = acc_dx_ / (1 << shift);
    std::int32_t y = acc_dy_ / (1 << shift);
    acc_dx_ -= x * (1 << shift);
    acc_dy_ -= y * (1 << shift);
    if (stream && scaling21_) {
        x = scale_2to1(x);
        y = scale_2to1(y);
    }
    // The counters are 9-bit two's complement: outside -256..255 the overflow bit is set and the
    // count saturates (the excess is lost, as the counter stops).
    const bool x_over = x < -256 || x > 255;
    const bool y_over = y < -256 || y > 255;
    x = std::clamp(x, -256, 255);
    y = std::clamp(y, -256, 255);
    const std::uint8_t b0 = static_cast<std::uint8_t>((y_over ? 0x80 : 0) | (x_over ? 0x40 : 0) |
                                                      (y < 0 ? 0x20 : 0) | (x < 0 ? 0x10 : 0) | 0x08 |
                                                      ((buttons_ >> 2) & 1) << 2 |
                                                      ((buttons_ >> 1) & 1) << 1 | (buttons_ & 1));
    send(b0);
    send(static_cast<std::uint8_t>(x & 0xFF));
    send(static_cast<std::uint8_t>(y & 0xFF));
    if (bytes == 4) {
        const std::int32_t z = std::clamp(acc_dz_, -8, 7);
        send(static_cast<std::uint8_t>(z & 0xFF));
    }
    acc_dz_ = 0;
    dirty_ = false;
    return true;
}

void Ps2Mouse::request_stream_packet() {
    dirty_ = true;
    if (!enabled_ || remote_ || packet_due_ != kNever) return;
    const Cycles now = scheduler_.now();
    const Cycles earliest = sent_any_ ? last_packet_ + sample_period_cycles() : now;
    packet_due_ = std::max(now, earliest);
    arm_packet();
}

void Ps2Mouse::arm_packet() {
    if (packet_event_ != kNoEvent) scheduler_.cancel(packet_event_);
    packet_event_ = kNoEvent;
    if (packet_due_ == kNever) return;
    packet_event_ = scheduler_.at(packet_due_, [this](Cycles when) {
        packet_event_ = kNoEvent;
        packet_due_ = kNever;
        if (!enabled_ || remote_ || !dirty_) return;
        if (send_packet(true)) {
            last_packet_ = when;
            sent_any_ = true;
        } else {
            // The host is not reading: keep accumulating and try again next interval.
            packet_due_ = when + sample_period_cycles();
            arm_packet();
        }
    }, "mouse.sample");
}

void Ps2Mouse::move(std::int32_t dx, std::int32_t dy) {
    acc_dx_ = std::clamp(acc_dx_ + std::clamp(dx, -kAccLimit, kAccLimit), -kAccLimit, kAccLimit);
    acc_dy_ = std::clamp(acc_dy_ - std::clamp(dy, -kAccLimit, kAccLimit), -kAccLimit, kAccLimit);
    request_stream_packet();
}

void Ps2Mouse::set_buttons(std::uint8_t buttons) {
    buttons = buttons & 7;
    if (buttons == buttons_) return;
    buttons_ = buttons;
    request_stream_packet();
}

void Ps2Mouse::wheel(std::int32_t dz) {
    if (id_ != kIdWheel) return;  // a plain PS/2 mouse has no wheel
    acc_dz_ = std::clamp(acc_dz_ + std::clamp(dz, -kAccLimit, kAccLimit), -kAccLimit, kAccLimit);
    request_stream_packet();
}

void Ps2Mouse::inspect(StateVisitor& v) {
    StateGroup g(v, "mouse");
    v.visit("device_id", id_, "00 standard, 03 IntelliMouse (wheel)");
    v.visit("reporting", enabled_, "data reporting enabled (F4)");
    v.visit("remote_mode", remote_, "remote (F0) rather than stream mode");
    v.visit("wrap_mode", wrap_, "echoing every byte (EE)");
    v.visit("scaling_2to1", scaling21_);
    v.visit("resolution", resolution_, "0-3: 1, 2, 4, 8 counts/mm");
    v.visit("sample_rate", rate_, "samples per second");
    v.visit("pending_command", pending_command_, "F3 or E8 waiting for its parameter (0: none)");
    v.bytes("rate_history", rate_history_);
    v.visit("buttons", buttons_, "bit 0 left, 1 right, 2 middle");
    v.visit("acc_dx", acc_dx_, "motion not yet reported (host counts, rightward)");
    v.visit("acc_dy", acc_dy_, "motion not yet reported (host counts, upward)");
    v.visit("acc_dz", acc_dz_, "wheel detents not yet reported");
    v.visit("motion_pending", dirty_);
    v.visit("last_packet", last_packet_, "CPU cycle of the last stream packet");
    v.visit("sent_any", sent_any_);
    v.visit("packet_due", packet_due_, "CPU cycle of the next sample (stream mode)");
    v.visit("bat_due", bat_due_, "CPU cycle the self-test ends (AA 00)");
    inspect_link(v);
    if (v.loading()) {
        resolution_ &= 3;
        buttons_ &= 7;
        if (pending_command_ != 0xE8 && pending_command_ != 0xF3) pending_command_ = 0;
        acc_dx_ = std::clamp(acc_dx_, -kAccLimit, kAccLimit);
        acc_dy_ = std::clamp(acc_dy_, -kAccLimit, kAccLimit);
        acc_dz_ = std::clamp(acc_dz_, -kAccLimit, kAccLimit);
        arm_packet();
        arm_bat();
    }
}

}  // namespace lantern
