#include "devices/pic/pic8259.h"

#include <utility>

namespace lantern {

namespace {
constexpr std::uint8_t bit(unsigned ir) { return static_cast<std::uint8_t>(1u << (ir & 7)); }

// ICW1 (8259A datasheet, "Initialization Command Words"): D4 = 1 marks it.
constexpr std::uint8_t kIcw1Ic4 = 0x01;   // ICW4 follows
constexpr std::uint8_t kIcw1Adi = 0x04;   // MCS-80/85 call address interval 4 (else 8)
constexpr std::uint8_t kIcw1Ltim = 0x08;  // level-triggered inputs
// ICW4.
constexpr std::uint8_t kIcw4Upm = 0x01;   // 8086/8088 mode (else MCS-80/85)
constexpr std::uint8_t kIcw4Aeoi = 0x02;
constexpr std::uint8_t kIcw4Ms = 0x04;    // buffered mode: 1 master, 0 slave
constexpr std::uint8_t kIcw4Buf = 0x08;
constexpr std::uint8_t kIcw4Sfnm = 0x10;  // special fully nested mode
}  // namespace

Pic8259::Pic8259(PicRole pin_role, std::string name) : pin_role_(pin_role), name_(std::move(name)) {}

void Pic8259::reset() {
    edge_ = 0;
    isr_ = 0;
    imr_ = 0xFF;
    icw1_ = icw2_ = icw3_ = icw4_ = 0;
    init_step_ = InitStep::Ready;
    initialised_ = false;
    lowest_priority_ = 7;
    read_isr_ = false;
    poll_pending_ = false;
    special_mask_ = false;
    rotate_in_aeoi_ = false;
    notify();
}

bool Pic8259::is_master() const {
    if (icw4_ & kIcw4Buf) return (icw4_ & kIcw4Ms) != 0;  // "M/S ... is only used in buffered mode"
    return pin_role_ == PicRole::Master;
}

bool Pic8259::cascade_input(unsigned ir) const {
    return ir < 8 && is_master() && !single() && (icw3_ & bit(ir)) != 0;
}

std::uint8_t Pic8259::irr() const {
    const std::uint8_t level_mode = (icw1_ & kIcw1Ltim) ? 0xFF : elcr_;
    return static_cast<std::uint8_t>(levels_ & (level_mode | edge_));
}

void Pic8259::set_input(unsigned ir, bool level) {
    if (ir >= 8) return;
    const std::uint8_t b = bit(ir);
    if (level && !(levels_ & b)) edge_ |= b;  // the edge-sense latch catches the rising edge
    levels_ = level ? (levels_ | b) : (levels_ & ~b);
    notify();
}

// ---------------------------------------------------------------------------------------------
// Priority

int Pic8259::resolve(std::uint8_t requests) const {
    if (requests == 0) return -1;
    // In special mask mode a masked in-service level blocks nothing ("Special Mask Mode").
    const std::uint8_t blocking = special_mask_ ? (isr_ & ~imr_) : isr_;
    // Special fully nested mode: an in-service slave is not locked out of the master, so a
    // higher-priority request from the same slave can nest ("The Special Fully Nest Mode").
    const bool sfnm = is_master() && (icw4_ & kIcw4Sfnm) != 0;
    for (unsigned p = 0; p < 8; ++p) {
        const unsigned ir = (lowest_priority_ + 1 + p) & 7;
        const bool in_service = (blocking & bit(ir)) != 0;
        if (requests & bit(ir)) {
            if (!in_service || (sfnm && cascade_input(ir))) return static_cast<int>(ir);
            return -1;
        }
        if (in_service) return -1;  // fully nested: a level in service blocks everything below it
    }
    return -1;
}

int Pic8259::highest_in_service() const {
    for (unsigned p = 0; p < 8; ++p) {
        const unsigned ir = (lowest_priority_ + 1 + p) & 7;
        if (isr_ & bit(ir)) return static_cast<int>(ir);
    }
    return -1;
}

void Pic8259::service(unsigned ir) {
    isr_ |= bit(ir);
    edge_ &= ~bit(ir);  // a new request needs a new rising edge
}

std::uint8_t Pic8259::vector_for(unsigned ir) const {
    // 8086 mode: T7-T3 from ICW2, the level in the low three bits (ICW2).
    if (icw4_ & kIcw4Upm) return static_cast<std::uint8_t>((icw2_ & 0xF8) | ir);
    // MCS-80/85 mode answers with CALL and a two-byte address; the second INTA pulse, the one
    // an 8086 reads, carries the address's low byte: A7-A5 (interval 4) or A7-A6 (interval 8)
    // from ICW1 and the level in the bits below.
    if (icw1_ & kIcw1Adi) return static_cast<std::uint8_t>((icw1_ & 0xE0) | (ir << 2));
    return static_cast<std::uint8_t>((icw1_ & 0xC0) | (ir << 3));
}

Pic8259::Ack Pic8259::acknowledge() {
    Ack a;
    const int ir = highest_request();
    if (ir < 0) {
        // The request went away before INTA: the default IR7 vector, and ISR is left alone, which
        // is how a handler tells a spurious IR7 from a real one.
        a.spurious = true;
        a.vector = vector_for(7);
        notify();
        return a;
    }
    a.ir = static_cast<std::uint8_t>(ir);
    service(a.ir);
    a.cascade = cascade_input(a.ir);
    a.vector = vector_for(a.ir);
    notify();  // INT as seen during the sequence, with the level in service
    if (auto_eoi()) {
        // AEOI clears the ISR bit at the end of the last INTA pulse, rotating if asked (OCW2).
        isr_ &= ~bit(a.ir);
        if (rotate_in_aeoi_) lowest_priority_ = a.ir;
        notify();
    }
    return a;
}

void Pic8259::eoi(unsigned ir, bool rotate) {
    isr_ &= ~bit(ir);
    if (rotate) lowest_priority_ = static_cast<std::uint8_t>(ir & 7);
}

void Pic8259::notify() {
    const bool now = int_output();
    if (now == last_int_) return;
    last_int_ = now;
    if (int_listener_) int_listener_(now);
}

// ---------------------------------------------------------------------------------------------
// Ports

std::uint8_t Pic8259::poll_byte() const {
    // Poll word (OCW3 "Poll Command"): I (bit 7) = a request is pending, W2-W0 its level.
    const int ir = highest_request();
    return ir >= 0 ? static_cast<std::uint8_t>(0x80 | ir) : 0x00;
}

std::uint8_t Pic8259::peek_byte(std::uint32_t offset) const {
    if (offset >= 2) return 0xFF;
    if (poll_pending_) return poll_byte();
    if (offset == 1) return imr_;
    return read_isr_ ? isr_ : irr();
}

std::uint8_t Pic8259::read_byte(std::uint32_t offset) {
    if (offset >= 2) return 0xFF;
    if (poll_pending_) {
        // "The 8259A treats the next RD pulse ... as an interrupt acknowledge, sets the
        // appropriate IS bit if there is a request, and reads the priority level" — at either
        // address. A poll is not an INTA, so automatic EOI does not apply.
        poll_pending_ = false;
        const std::uint8_t result = poll_byte();
        if (result & 0x80) {
            service(result & 7);
            notify();
        }
        return result;
    }
    return peek_byte(offset);
}

std::uint32_t Pic8259::read(std::uint32_t offset, unsigned size) {
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) value |= static_cast<std::uint32_t>(read_byte(offset + b)) << (8 * b);
    return value;
}

std::uint32_t Pic8259::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) value |= static_cast<std::uint32_t>(peek_byte(offset + b)) << (8 * b);
    return value;
}

void Pic8259::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    for (unsigned b = 0; b < size && b < 4; ++b) write_byte(offset + b, static_cast<std::uint8_t>(value >> (8 * b)));
}

void Pic8259::write_byte(std::uint32_t offset, std::uint8_t value) {
    if (offset == 0) {
        // A0 = 0: D4 = 1 is ICW1; otherwise D3 tells OCW3 (1) from OCW2 (0).
        if (value & 0x10) write_icw1(value);
        else if (value & 0x08) write_ocw3(value);
        else write_ocw2(value);
    } else if (offset == 1) {
        switch (init_step_) {
            case InitStep::Icw2:
                icw2_ = value;
                init_step_ = !single() ? InitStep::Icw3 : (icw1_ & kIcw1Ic4) ? InitStep::Icw4 : InitStep::Ready;
                break;
            case InitStep::Icw3:
                icw3_ = value;
                init_step_ = (icw1_ & kIcw1Ic4) ? InitStep::Icw4 : InitStep::Ready;
                break;
            case InitStep::Icw4:
                icw4_ = value;
                init_step_ = InitStep::Ready;
                break;
            case InitStep::Ready: imr_ = value; break;  // OCW1
        }
        if (init_step_ == InitStep::Ready) initialised_ = true;
    }
    notify();
}

void Pic8259::write_icw1(std::uint8_t value) {
    // 8259A datasheet, "Initialization Command Words": on ICW1 (a) the edge sense circuit is
    // reset, so an input must go low to high to request; (b) IMR is cleared; (c) IR7 gets the
    // lowest priority; (d) the slave address is 7; (e) special mask mode is cleared and status
    // read is set to IRR; (f) without IC4 every ICW4 function is zero (non-buffered, no AEOI,
    // MCS-80/85). The datasheet does not say what happens to ISR; Bochs and QEMU clear it, so a
    // re-initialised chip starts with nothing in service, as after power-on.
    icw1_ = value;
    icw4_ = 0;
    icw3_ = 7;
    init_step_ = InitStep::Icw2;
    edge_ = 0;
    imr_ = 0;
    isr_ = 0;
    lowest_priority_ = 7;
    special_mask_ = false;
    read_isr_ = false;
    poll_pending_ = false;
    rotate_in_aeoi_ = false;
}

void Pic8259::write_ocw2(std::uint8_t value) {
    // R, SL, EOI in D7-D5; L2-L0 in D2-D0 (8259A datasheet, "Operation Command Words", OCW2).
    const unsigned level = value & 7;
    switch (value >> 5) {
        case 0b001:  // non-specific EOI: the highest-priority level in service
            if (const int ir = highest_in_service(); ir >= 0) eoi(static_cast<unsigned>(ir), false);
            break;
        case 0b011: eoi(level, false); break;  // specific EOI
        case 0b101:                            // rotate on non-specific EOI
            if (const int ir = highest_in_service(); ir >= 0) eoi(static_cast<unsigned>(ir), true);
            break;
        case 0b111: eoi(level, true); break;  // rotate on specific EOI
        case 0b110: lowest_priority_ = static_cast<std::uint8_t>(level); break;  // set priority
        case 0b100: rotate_in_aeoi_ = true; break;
        case 0b000: rotate_in_aeoi_ = false; break;
        default: break;  // 010: no operation
    }
}

void Pic8259::write_ocw3(std::uint8_t value) {
    // ESMM/SMM in D6/D5, P in D2, RR/RIS in D1/D0 (OCW3).
    if (value & 0x40) special_mask_ = (value & 0x20) != 0;
    if (value & 0x04) poll_pending_ = true;
    if (value & 0x02) read_isr_ = (value & 0x01) != 0;
}

void Pic8259::inspect(StateVisitor& v) {
    StateGroup g(v, name_);
    v.visit("input_levels", levels_, "IR0-IR7 input levels");
    v.visit("edge_latches", edge_, "rising edges seen and not yet acknowledged");
    if (!v.loading()) {
        std::uint8_t irr_now = irr();
        v.visit("irr", irr_now, "interrupt request register (levels gated by edge/level mode)");
    }
    v.visit("isr", isr_, "in-service register");
    v.visit("imr", imr_, "interrupt mask register (OCW1)");
    v.visit("elcr", elcr_, "per-input level triggering (ELCR)");
    v.visit("icw1", icw1_, "ICW1: D3 LTIM, D1 SNGL, D0 IC4");
    v.visit("icw2", icw2_, "ICW2: vector base (T7-T3)");
    v.visit("icw3", icw3_, "ICW3: master: inputs with slaves; slave: its ID");
    v.visit("icw4", icw4_, "ICW4: D4 SFNM, D3 BUF, D2 M/S, D1 AEOI, D0 8086 mode");
    v.visit("init_step", init_step_, "initialisation: 0 done, 1-3 waiting for ICW2-ICW4");
    v.visit("initialised", initialised_, "a full ICW sequence was written since power-on");
    v.visit("lowest_priority", lowest_priority_, "the level with the lowest priority (rotation)");
    v.visit("read_isr", read_isr_, "OCW3: the even port reads ISR (else IRR)");
    v.visit("poll_pending", poll_pending_, "OCW3: the next read is a poll");
    v.visit("special_mask", special_mask_, "OCW3: special mask mode");
    v.visit("rotate_in_aeoi", rotate_in_aeoi_, "OCW2: rotate on automatic EOI");
    if (v.loading()) {
        last_int_ = !int_output();  // report INT afresh so a master sees the restored slave
        notify();
    } else {
        bool int_pin = int_output();
        v.visit("int", int_pin, "INT output");
    }
}

}  // namespace lantern
