// Pic8259: one Intel 8259A programmable interrupt controller.
//
// Eight request inputs IR0-IR7, an INT output to the CPU (or to a master's IR input), and the
// INTA sequence that returns a vector. Modelled from the 8259A datasheet:
//   - the input cell: a transparent request latch fed by the IR level, through an edge-sense
//     latch in edge mode ("Priority Cell" figure). So IRR bit i = IR level AND (level mode OR
//     a rising edge seen since the last acknowledge of i). A request that goes away before the
//     INTA takes its IRR bit with it, and the INTA then gets the "default IR7" (spurious) vector
//     without setting ISR bit 7 ("Edge and Level Triggered Modes");
//   - edge or level triggering for all inputs (ICW1 LTIM) or per input (the PIIX ELCR, see
//     elcr.h); the two are ORed;
//   - fully nested priority with rotation (OCW2), special mask mode and poll mode (OCW3),
//     special fully nested mode for a master (ICW4 SFNM), automatic EOI (ICW4 AEOI) with
//     optional rotation;
//   - reading IRR or ISR at the even port (OCW3 RR/RIS), IMR at the odd port.
// Ports (offsets): 0 = A0 low (ICW1, OCW2, OCW3; reads IRR/ISR/poll), 1 = A0 high (ICW2-4,
// OCW1; reads IMR).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

#include "devices/io_device.h"

namespace lantern {

// The SP/EN pin (wired on the board): a master or a slave in a cascade. In buffered mode
// ICW4's M/S bit takes its place.
enum class PicRole : std::uint8_t { Master, Slave };

class Pic8259 final : public IoDevice {
public:
    // What the INTA sequence did.
    struct Ack {
        std::uint8_t ir = 7;      // the level acknowledged (7 for a spurious request)
        bool spurious = false;    // no request at INTA: default IR7, ISR untouched
        bool cascade = false;     // a master acknowledged an input with a slave behind it:
                                  // the slave, not this chip, drives the vector
        std::uint8_t vector = 0;  // the byte this chip puts on the bus in the second INTA
    };

    Pic8259(PicRole pin_role, std::string name);

    // Power-on: the chip waits for ICW1; all inputs masked (IMR is undefined on the real chip:
    // all-masked keeps an unprogrammed PIC quiet), IRR/ISR clear.
    void reset();

    // An IR input's level (the edge/level logic is the chip's).
    void set_input(unsigned ir, bool level);
    // Per-input level-triggered mask (the ELCR); ORed with ICW1 LTIM.
    void set_level_triggered_mask(std::uint8_t mask) {
        elcr_ = mask;
        notify();
    }
    // Told whenever the INT output may have changed (a slave's INT drives the master's IR).
    void set_int_listener(std::function<void(bool)> listener) { int_listener_ = std::move(listener); }

    // The INT pin.
    bool int_output() const { return highest_request() >= 0; }
    // The full INTA sequence (two INTA pulses on an 8086): freezes the highest request, sets its
    // ISR bit, and returns the vector; AEOI then clears the ISR bit.
    Ack acknowledge();
    // Whether `ir` has a slave behind it (a master in cascade mode, ICW3 bit set).
    bool cascade_input(unsigned ir) const;
    // A slave's ID (ICW3 bits 0-2): the cascade address it answers to.
    std::uint8_t slave_id() const { return icw3_ & 7; }
    bool single() const { return (icw1_ & 0x02) != 0; }
    bool is_master() const;
    // Could the chip ever raise INT if every unmasked input among `live_inputs` (those something
    // can still drive high) were asserted? False when all of them are masked or blocked by
    // in-service levels of higher priority: only the CPU can change that.
    bool could_interrupt(std::uint8_t live_inputs) const { return resolve(live_inputs & ~imr_) >= 0; }

    std::uint8_t irr() const;
    std::uint8_t isr() const { return isr_; }
    std::uint8_t imr() const { return imr_; }
    std::uint8_t input_levels() const { return levels_; }
    bool initialised() const { return init_step_ == InitStep::Ready && initialised_; }
    bool auto_eoi() const { return (icw4_ & 0x02) != 0; }
    bool special_mask() const { return special_mask_; }
    std::uint8_t lowest_priority() const { return lowest_priority_; }

    // IoDevice
    std::uint32_t read(std::uint32_t offset, unsigned size) override;
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return name_; }
    void inspect(StateVisitor& v) override;

private:
    enum class InitStep : std::uint8_t { Ready, Icw2, Icw3, Icw4 };

    std::uint8_t read_byte(std::uint32_t offset);
    std::uint8_t peek_byte(std::uint32_t offset) const;
    void write_byte(std::uint32_t offset, std::uint8_t value);
    void write_icw1(std::uint8_t value);
    void write_ocw2(std::uint8_t value);
    void write_ocw3(std::uint8_t value);
    // The IR level the priority resolver picks from `requests` (already masked), or -1.
    int resolve(std::uint8_t requests) const;
    int highest_request() const { return resolve(irr() & ~imr_); }
    int highest_in_service() const;
    // Sets ISR for `ir` and clears its edge latch: the first INTA pulse, or a poll.
    void service(unsigned ir);
    std::uint8_t vector_for(unsigned ir) const;
    std::uint8_t poll_byte() const;
    void eoi(unsigned ir, bool rotate);
    void notify();

    PicRole pin_role_;
    std::string name_;
    std::uint8_t levels_ = 0;         // the IR input levels
    std::uint8_t edge_ = 0;           // edge-sense latches: a rising edge not yet acknowledged
    std::uint8_t isr_ = 0;
    std::uint8_t imr_ = 0xFF;
    std::uint8_t elcr_ = 0;           // per-input level triggering (ELCR)
    std::uint8_t icw1_ = 0;
    std::uint8_t icw2_ = 0;
    std::uint8_t icw3_ = 0;
    std::uint8_t icw4_ = 0;
    InitStep init_step_ = InitStep::Ready;
    bool initialised_ = false;        // a full ICW sequence has been written since power-on
    std::uint8_t lowest_priority_ = 7;
    bool read_isr_ = false;           // OCW3 RR/RIS: the even port reads ISR (else IRR)
    bool poll_pending_ = false;       // OCW3 P: the next read is a poll
    bool special_mask_ = false;       // OCW3 SMM
    bool rotate_in_aeoi_ = false;     // OCW2 rotate in automatic EOI mode
    bool last_int_ = false;           // INT as last reported to the listener
    std::function<void(bool)> int_listener_{};
};

}  // namespace lantern
