#include "devices/input/kbc8042.h"

#include "devices/input/scancodes.h"

namespace lantern {

namespace {
// Input port (command C0), IBM PC/AT Technical Reference, "Keyboard Controller": bit 7 = keyboard
// not inhibited (keylock off), bit 5 = manufacturing jumper not installed (a 0 sends the AT BIOS
// into its burn-in loop). The other bits (display type, RAM size) are read as 0.
constexpr std::uint8_t kInputPort = 0xA0;
}  // namespace

Kbc8042::Kbc8042(Scheduler& scheduler, std::uint64_t cpu_freq_hz, IrqLine& irq1, IrqLine& irq12,
                 Ps2Device* keyboard, Ps2Device* mouse, std::function<void(bool)> set_a20,
                 std::function<void()> reset_cpu)
    : scheduler_(scheduler),
      ns_clock_(ClockDomain::from_frequencies(cpu_freq_hz, 1'000'000'000)),
      irq1_(irq1),
      irq12_(irq12),
      keyboard_(keyboard),
      mouse_(mouse),
      set_a20_(std::move(set_a20)),
      reset_cpu_(std::move(reset_cpu)) {
    if (keyboard_) keyboard_->set_output_listener([this] { try_start_transfer(); });
    if (mouse_) mouse_->set_output_listener([this] { try_start_transfer(); });
    power_on();
}

Kbc8042::~Kbc8042() {
    if (transfer_event_ != kNoEvent) scheduler_.cancel(transfer_event_);
    if (keyboard_) keyboard_->set_output_listener({});
    if (mouse_) mouse_->set_output_listener({});
}

void Kbc8042::map(PortMap& ports) {
    ports.map(kDataPort, 1, data_window_, "kbc.data");
    ports.map(kStatusPort, 1, command_window_, "kbc.command");
}

void Kbc8042::power_on() {
    if (transfer_event_ != kNoEvent) scheduler_.cancel(transfer_event_);
    transfer_event_ = kNoEvent;
    in_flight_ = Source::None;
    in_flight_due_ = kNever;
    ram_.fill(0);
    ram_[0] = kCbKbdInt | kCbXlat | kCbAuxDisable;
    output_port_ = 0xCF;
    output_buffer_ = 0;
    output_full_ = output_aux_ = false;
    sys_flag_ = a2_ = timeout_ = false;
    pending_command_ = 0;
    replies_.clear();
    xlat_release_ = last_was_aux_ = false;
    update_irqs();
    try_start_transfer();
}

std::uint8_t Kbc8042::status() const {
    return static_cast<std::uint8_t>((output_full_ ? kObf : 0) | (sys_flag_ ? kSys : 0) | (a2_ ? kA2 : 0) |
                                     kInh /* keylock off: not inhibited */ |
                                     (output_full_ && output_aux_ ? kAuxb : 0) | (timeout_ ? kTimeout : 0));
}

std::uint8_t Kbc8042::output_port() const {
    // Bits 4 and 5 are the output-buffer-full lines that drive IRQ1 and IRQ12.
    return static_cast<std::uint8_t>((output_port_ & ~0x30) | (output_full_ && !output_aux_ ? 0x10 : 0) |
                                     (output_full_ && output_aux_ ? 0x20 : 0));
}

// ---- host side --------------------------------------------------------------------------------

std::uint32_t Kbc8042::read(std::uint32_t offset, unsigned) {
    if (offset == 4) return status();
    if (offset != 0) return 0xFF;
    // Reading the data port empties the buffer (a second read returns the same stale byte) and
    // lets the next byte in.
    const std::uint8_t v = output_buffer_;
    if (output_full_) {
        output_full_ = false;
        update_irqs();
        try_start_transfer();
    }
    return v;
}

std::uint32_t Kbc8042::peek(std::uint32_t offset, unsigned) const {
    if (offset == 4) return status();
    return offset == 0 ? output_buffer_ : 0xFF;
}

void Kbc8042::write(std::uint32_t offset, std::uint32_t value, unsigned) {
    const auto v = static_cast<std::uint8_t>(value);
    if (offset == 4) {
        a2_ = true;
        command(v);
    } else if (offset == 0) {
        a2_ = false;
        data(v);
    }
    try_start_transfer();
}

void Kbc8042::reply(std::uint8_t byte, bool aux) {
    replies_.push(static_cast<std::uint16_t>(byte | (aux ? kAuxFlag : 0)));
}

void Kbc8042::command(std::uint8_t cmd) {
    pending_command_ = 0;  // a new command abandons one still waiting for its data byte
    if (cmd >= 0x20 && cmd <= 0x3F) {  // Read RAM (20 = command byte)
        reply(ram_[cmd & 0x1F]);
        return;
    }
    if (cmd >= 0x60 && cmd <= 0x7F) {  // Write RAM: the byte follows on port 0x60
        pending_command_ = cmd;
        return;
    }
    if (cmd >= 0xF0) {
        // Pulse output port bits 0-3 low for 6 us where the command's bit is 0. Bit 0 is the CPU
        // reset line (FE is the usual "reset the PC").
        if (!(cmd & 0x01) && reset_cpu_) reset_cpu_();
        return;
    }
    switch (cmd) {
        case 0xA4: reply(0xF1); break;  // Test Password Installed: F1 = none
        case 0xA7: ram_[0] |= kCbAuxDisable; break;
        case 0xA8: ram_[0] &= static_cast<std::uint8_t>(~kCbAuxDisable); break;
        case 0xA9: reply(0x00); break;  // Auxiliary Interface Test: 00 = no error
        case 0xAA:                      // Self-Test: 55 = passed; sets the system flag
            sys_flag_ = true;
            reply(0x55);
            break;
        case 0xAB: reply(0x00); break;  // Keyboard Interface Test: 00 = no error
        case 0xAD: ram_[0] |= kCbKbdDisable; break;
        case 0xAE: ram_[0] &= static_cast<std::uint8_t>(~kCbKbdDisable); break;
        case 0xC0: reply(kInputPort); break;
        case 0xD0: reply(output_port()); break;
        case 0xD1:  // Write Output Port
        case 0xD2:  // Write Keyboard Output Buffer
        case 0xD3:  // Write Auxiliary Output Buffer
        case 0xD4:  // Write to Auxiliary Device
            pending_command_ = cmd;
            break;
        case 0xDD: write_output_port(output_port_ & static_cast<std::uint8_t>(~kOutA20)); break;  // A20 off (HP)
        case 0xDF: write_output_port(output_port_ | kOutA20); break;                             // A20 on (HP)
        case 0xE0: reply(0x00); break;  // Read Test Inputs (T0 keyboard clock, T1 aux clock)
        default: break;                 // undefined commands are ignored
    }
    update_irqs();
}

void Kbc8042::data(std::uint8_t value) {
    const std::uint8_t cmd = pending_command_;
    pending_command_ = 0;
    if (cmd >= 0x60 && cmd <= 0x7F) {
        ram_[cmd & 0x1F] = value;
        if ((cmd & 0x1F) == 0) sys_flag_ = (value & kCbSys) != 0;  // status SYS follows the command byte
        update_irqs();
        return;
    }
    switch (cmd) {
        case 0xD1: write_output_port(value); return;
        case 0xD2: reply(value, false); return;
        case 0xD3: reply(value, true); return;
        case 0xD4: send_to_aux(value); return;
        default: send_to_keyboard(value); return;
    }
}

void Kbc8042::write_output_port(std::uint8_t value) {
    const std::uint8_t old = output_port_;
    output_port_ = static_cast<std::uint8_t>(value | 0x30);  // 4/5 are driven by the OBF logic
    if (((old ^ output_port_) & kOutA20) && set_a20_) set_a20_((output_port_ & kOutA20) != 0);
    if (!(output_port_ & kOutReset)) {
        // Bit 0 low asserts the CPU's RESET; the board's reset logic makes a pulse of it and the
        // system comes back up with the line released.
        output_port_ |= kOutReset;
        if (reset_cpu_) reset_cpu_();
    }
}

void Kbc8042::send_to_keyboard(std::uint8_t value) {
    // Transmitting to the keyboard needs its clock, so the firmware enables the interface.
    ram_[0] &= static_cast<std::uint8_t>(~kCbKbdDisable);
    if (!keyboard_) {
        timeout_ = true;  // no device clocked the byte in
        reply(0xFE);
        return;
    }
    timeout_ = false;
    abort_transfer_from(Source::Keyboard);
    keyboard_->receive(value);
}

void Kbc8042::send_to_aux(std::uint8_t value) {
    if (!mouse_) {
        timeout_ = true;
        reply(0xFE, true);
        return;
    }
    timeout_ = false;
    abort_transfer_from(Source::Aux);
    mouse_->receive(value);
}

// ---- device side -------------------------------------------------------------------------------

void Kbc8042::abort_transfer_from(Source s) {
    // The host inhibits the clock to transmit, which cuts off a frame the device was sending; the
    // device sends it again later.
    if (in_flight_ != s) return;
    if (transfer_event_ != kNoEvent) scheduler_.cancel(transfer_event_);
    transfer_event_ = kNoEvent;
    Ps2Device* dev = s == Source::Keyboard ? keyboard_ : mouse_;
    if (dev) dev->unpop_output(in_flight_byte_);
    in_flight_ = Source::None;
    in_flight_due_ = kNever;
}

void Kbc8042::try_start_transfer() {
    if (output_full_ || in_flight_ != Source::None) return;
    std::uint64_t delay_ns = kReplyDelayNs;
    if (!replies_.empty()) {
        const std::uint16_t e = replies_.pop();
        in_flight_ = Source::Controller;
        in_flight_byte_ = static_cast<std::uint8_t>(e & 0xFF);
        in_flight_aux_ = (e & kAuxFlag) != 0;
    } else {
        const bool kbd_ready = keyboard_ && !(ram_[0] & kCbKbdDisable) && keyboard_->has_output();
        const bool aux_ready = mouse_ && !(ram_[0] & kCbAuxDisable) && mouse_->has_output();
        if (!kbd_ready && !aux_ready) return;
        const bool take_aux = aux_ready && (!kbd_ready || !last_was_aux_);
        in_flight_ = take_aux ? Source::Aux : Source::Keyboard;
        in_flight_byte_ = take_aux ? mouse_->pop_output() : keyboard_->pop_output();
        in_flight_aux_ = take_aux;
        delay_ns = kSerialByteNs;
    }
    in_flight_due_ = scheduler_.now() + ns_clock_.to_cycles(delay_ns);
    arm_transfer();
}

void Kbc8042::arm_transfer() {
    if (transfer_event_ != kNoEvent) scheduler_.cancel(transfer_event_);
    transfer_event_ = kNoEvent;
    if (in_flight_ == Source::None || in_flight_due_ == kNever) return;
    transfer_event_ = scheduler_.at(in_flight_due_, [this](Cycles) {
        transfer_event_ = kNoEvent;
        deliver();
    }, "kbc.transfer");
}

void Kbc8042::deliver() {
    const Source src = in_flight_;
    in_flight_ = Source::None;
    in_flight_due_ = kNever;
    std::uint8_t byte = in_flight_byte_;
    if (src == Source::Keyboard) {
        last_was_aux_ = false;
        if (ram_[0] & kCbXlat) {
            // Translation (command byte bit 6): set 2 -> set 1, with F0 folded into bit 7 of the
            // following byte.
            if (byte == 0xF0) {
                xlat_release_ = true;
                try_start_transfer();
                return;
            }
            byte = static_cast<std::uint8_t>(translate_set2_to_set1(byte) | (xlat_release_ ? 0x80 : 0));
            xlat_release_ = false;
        }
    } else if (src == Source::Aux) {
        last_was_aux_ = true;
    }
    output_buffer_ = byte;
    output_full_ = true;
    output_aux_ = in_flight_aux_;
    update_irqs();
}

void Kbc8042::update_irqs() {
    // IRQ1 / IRQ12 are output port bits 4 / 5, gated by the command byte's interrupt enables.
    irq1_.set_level(output_full_ && !output_aux_ && (ram_[0] & kCbKbdInt));
    irq12_.set_level(output_full_ && output_aux_ && (ram_[0] & kCbAuxInt));
}

void Kbc8042::inspect(StateVisitor& v) {
    StateGroup g(v, "kbc");
    if (!v.loading()) {
        std::uint8_t st = status();
        std::uint8_t op = output_port();
        v.visit("status", st, "port 0x64: OBF, IBF, SYS, A2, INH, AUXB, timeout, parity");
        v.visit("output_port", op, "bit 0 reset, 1 A20, 4 IRQ1, 5 IRQ12");
    }
    v.visit("command_byte", ram_[0], "INT, INT2, SYS, -, DIS, DIS2, XLAT");
    v.bytes("ram", ram_);
    v.visit("output_port_latch", output_port_);
    v.visit("output_buffer", output_buffer_, "byte the host reads at port 0x60");
    v.visit("output_full", output_full_, "OBF");
    v.visit("output_aux", output_aux_, "AUXB: the byte came from the mouse");
    v.visit("sys_flag", sys_flag_);
    v.visit("a2", a2_, "last host write was to port 0x64");
    v.visit("timeout", timeout_);
    v.visit("pending_command", pending_command_, "command waiting for its byte on port 0x60");
    replies_.inspect(v, "replies");
    v.visit("xlat_release", xlat_release_, "translation saw F0");
    v.visit("last_was_aux", last_was_aux_);
    v.visit("in_flight", in_flight_, "0 none, 1 controller, 2 keyboard, 3 mouse");
    v.visit("in_flight_byte", in_flight_byte_);
    v.visit("in_flight_aux", in_flight_aux_);
    v.visit("in_flight_due", in_flight_due_, "CPU cycle the byte lands in the output buffer");
    if (v.loading()) {
        if (static_cast<std::uint8_t>(in_flight_) > 3) in_flight_ = Source::None;
        arm_transfer();
        update_irqs();
        if (set_a20_) set_a20_((output_port_ & kOutA20) != 0);
    }
}

}  // namespace lantern
