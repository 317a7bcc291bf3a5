// Ps2Mouse: an IBM PS/2 mouse on the 8042's auxiliary port, with the Microsoft IntelliMouse wheel
// extension.
//
// Protocol (IBM PS/2 Hardware Interface Technical Reference, "Pointing Device"): FF Reset
// (FA, AA, 00 after the self-test), F6 Set Defaults, F5 Disable, F4 Enable, F3 Set Sampling Rate,
// F2 Read Device Type, F0 Set Remote Mode, EE Set Wrap Mode, EC Reset Wrap Mode, EB Read Data,
// EA Set Stream Mode, E9 Status Request, E8 Set Resolution, E7/E6 Set Scaling 2:1 / 1:1,
// FE Resend. Invalid commands or parameters are answered with FE.
//
// Data packets: byte 0 = Y overflow, X overflow, Y sign, X sign, 1, middle, right, left; bytes
// 1 and 2 = the low 8 bits of the 9-bit X and Y counts (Y grows upward). After the rate sequence
// 200, 100, 80 the mouse identifies as 03 and appends a fourth byte, the wheel count (-8..7).
//
// In stream mode a packet is sent at most once per sampling interval (1 / rate) after motion or a
// button change, in virtual time. Host motion arrives in counts at 8 counts/mm and is scaled to
// the selected resolution, with the remainder carried.
#pragma once

#include <array>
#include <cstdint>

#include "devices/clock_domain.h"
#include "devices/input/ps2_device.h"
#include "devices/scheduler.h"

namespace lantern {

struct Ps2MouseOptions {
    std::uint32_t bat_delay_us = 300'000;  // self-test after power-on or FF
};

class Ps2Mouse final : public Ps2Device {
public:
    static constexpr std::uint8_t kAck = 0xFA, kResend = 0xFE, kBatOk = 0xAA;
    static constexpr std::uint8_t kIdStandard = 0x00, kIdWheel = 0x03;

    Ps2Mouse(Scheduler& scheduler, std::uint64_t cpu_freq_hz, Ps2MouseOptions options = {});
    ~Ps2Mouse() override;
    Ps2Mouse(const Ps2Mouse&) = delete;
    Ps2Mouse& operator=(const Ps2Mouse&) = delete;

    void power_on();

    // From the InputQueue.
    void move(std::int32_t dx, std::int32_t dy);  // dy grows downward (screen convention)
    void set_buttons(std::uint8_t buttons);       // bit 0 left, 1 right, 2 middle
    void wheel(std::int32_t dz);                  // positive = towards the user
    void receive(std::uint8_t byte) override;

    std::uint8_t device_id() const { return id_; }
    bool reporting() const { return enabled_; }
    bool remote_mode() const { return remote_; }
    std::uint8_t sample_rate() const { return rate_; }
    std::uint8_t resolution() const { return resolution_; }
    bool scaling_2to1() const { return scaling21_; }
    // CPU cycles per sampling interval at the current rate.
    Cycles sample_period_cycles() const;

    std::string_view inspect_name() const override { return "mouse"; }
    void inspect(StateVisitor& v) override;

private:
    void set_defaults();
    void command(std::uint8_t byte);
    void parameter(std::uint8_t byte);
    // Builds a packet from the accumulated motion and queues it whole; false if it did not fit.
    bool send_packet(bool stream);
    void request_stream_packet();
    void arm_packet();
    void arm_bat();

    Scheduler& scheduler_;
    std::uint64_t cpu_freq_hz_;
    ClockDomain us_clock_;
    Ps2MouseOptions options_;

    std::uint8_t id_ = kIdStandard;
    bool enabled_ = false;   // data reporting (stream mode)
    bool remote_ = false;
    bool wrap_ = false;
    bool scaling21_ = false;
    std::uint8_t resolution_ = 2;  // 0..3 = 1, 2, 4, 8 counts/mm
    std::uint8_t rate_ = 100;      // samples/s
    std::uint8_t pending_command_ = 0;  // F3 or E8 while the parameter is due
    std::array<std::uint8_t, 3> rate_history_{};  // last three sampling rates set, oldest first
    std::uint8_t buttons_ = 0;
    std::int32_t acc_dx_ = 0;  // host counts (8/mm) not yet reported, X to the right
    std::int32_t acc_dy_ = 0;  // Y upward
    std::int32_t acc_dz_ = 0;
    bool dirty_ = false;       // motion or a button change waits for a packet

    Cycles last_packet_ = 0;   // cycle of the last stream packet
    bool sent_any_ = false;
    Cycles packet_due_ = kNever;
    EventId packet_event_ = kNoEvent;
    Cycles bat_due_ = kNever;
    EventId bat_event_ = kNoEvent;
};

}  // namespace lantern
