// SystemControlPortB: port 0x61 of the IBM PC/AT, where the timer and the speaker meet the CPU
// (IBM PC/AT Technical Reference, "System Board", I/O port 061h).
//
//   bit 0  R/W  timer 2 GATE (GATE2 of the 8254)
//   bit 1  R/W  speaker data (the speaker sounds OUT2 AND this bit)
//   bit 2  R/W  RAM parity check disable   } stored and read back; this board has no parity
//   bit 3  R/W  I/O channel check disable  } or channel-check errors to report
//   bit 4  R    refresh detect: toggles with every DRAM refresh request
//   bit 5  R    OUT2 of the 8254
//   bit 6  R    I/O channel check (always 0 here)
//   bit 7  R    RAM parity error (always 0 here)
//
// Bit 4: on the AT the refresh request comes from 8254 counter 1 (OUT1, mode 2, programmed by
// the BIOS with a count of 18: one request every 15.08 us) through a toggle flip-flop. BIOS and
// DOS delay loops count its toggles as a fixed 15 us clock — later chipsets generate the refresh
// independently of counter 1 and keep that period — so this board derives it from time alone:
// bit 4 = (PIT ticks since power-on / 18) mod 2, whatever counter 1 is doing. It is exact, needs
// no event, and a guest cannot stop it by reprogramming counter 1 (as it could not on later
// chipsets).
//
// The PC/XT's port 0x61 is the 8255 PPI's port B instead, with other bits (keyboard clock,
// switch-bank select); that board arrives with the PPI.
#pragma once

#include <cstdint>

#include "devices/io_device.h"
#include "devices/timer/pit8254.h"

namespace lantern {

inline constexpr std::uint16_t kSystemControlPortB = 0x61;
inline constexpr std::uint64_t kRefreshPeriodPitTicks = 18;

class SystemControlPortB final : public IoDevice {
public:
    explicit SystemControlPortB(Pit8254& pit) : pit_(pit) {}

    // Power-on: all writable bits 0 (timer 2 gated off, speaker off).
    void reset();

    bool timer2_gate() const { return (control_ & 0x01) != 0; }
    bool speaker_data() const { return (control_ & 0x02) != 0; }
    // The level at the speaker now: OUT2 gated by bit 1.
    bool speaker_level() { return speaker_data() && pit_.out(2); }

    std::uint32_t read(std::uint32_t offset, unsigned size) override;
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return "port61"; }
    void inspect(StateVisitor& v) override;

private:
    std::uint8_t status_bits(bool out2) const;

    Pit8254& pit_;
    std::uint8_t control_ = 0;  // bits 0-3 as written
};

}  // namespace lantern
