// Kbc8042: the Intel 8042 keyboard controller of the PC/AT and PS/2, at ports 0x60 (data) and
// 0x64 (status on read, command on write), with the keyboard on IRQ1 and the auxiliary (mouse)
// port on IRQ12.
//
// What the firmware does is taken from the IBM PS/2 Hardware Interface Technical Reference,
// "Keyboard and Auxiliary Device Controller" (status register, command byte, commands 20-FF,
// input and output ports) and the IBM PC/AT Technical Reference, "Keyboard Controller".
//
// Timing. Nothing appears in the output buffer instantly:
//   * a byte the controller produces itself (command byte, self-test result, ports, D2/D3) is
//     ready kReplyDelayNs after the command: the 8042 runs at 12 MHz with 15 clocks an
//     instruction (1.25 us), and a command takes a dozen or so instructions;
//   * a byte from the keyboard or mouse takes kSerialByteNs to cross the PS/2 link: an 11-bit
//     frame (start, 8 data, parity, stop) at the device's 10-16.7 kHz clock, 12.5 kHz here, so
//     880 us. The controller holds the device's clock low while its output buffer is full, so
//     the next byte starts only after the host reads the last one.
// A byte written by the host is taken at once (IBF is never seen set): the firmware's input loop
// is far faster than any OUT sequence can follow it.
//
// When keyboard and mouse both have bytes waiting, the controller alternates between them, so a
// chattering device cannot starve the other. A20 (output port bit 1) and CPU reset (output port
// bit 0, pulsed by D1 or F0-FF) reach the board through callbacks.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "devices/clock_domain.h"
#include "devices/input/bounded_fifo.h"
#include "devices/input/ps2_device.h"
#include "devices/io_device.h"
#include "devices/irq_line.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"

namespace lantern {

class Kbc8042 final : public IoDevice {
public:
    static constexpr std::uint16_t kDataPort = 0x60;
    static constexpr std::uint16_t kStatusPort = 0x64;
    static constexpr std::uint64_t kReplyDelayNs = 20'000;
    static constexpr std::uint64_t kSerialByteNs = 880'000;

    // Status register bits.
    static constexpr std::uint8_t kObf = 0x01, kIbf = 0x02, kSys = 0x04, kA2 = 0x08, kInh = 0x10,
                                  kAuxb = 0x20, kTimeout = 0x40, kParity = 0x80;
    // Command byte bits.
    static constexpr std::uint8_t kCbKbdInt = 0x01, kCbAuxInt = 0x02, kCbSys = 0x04,
                                  kCbKbdDisable = 0x10, kCbAuxDisable = 0x20, kCbXlat = 0x40;
    // Output port bits.
    static constexpr std::uint8_t kOutReset = 0x01, kOutA20 = 0x02;

    // `keyboard` and `mouse` may be null (nothing plugged in). `set_a20` sees every change of
    // output port bit 1; `reset_cpu` is called when bit 0 is pulsed (the board resets the CPU at
    // the next instruction boundary; the controller itself keeps its state, SYS flag included,
    // which is how a BIOS tells a warm reset from power-on).
    Kbc8042(Scheduler& scheduler, std::uint64_t cpu_freq_hz, IrqLine& irq1, IrqLine& irq12,
            Ps2Device* keyboard, Ps2Device* mouse, std::function<void(bool)> set_a20,
            std::function<void()> reset_cpu);
    ~Kbc8042() override;
    Kbc8042(const Kbc8042&) = delete;
    Kbc8042& operator=(const Kbc8042&) = delete;

    // Claims port 0x60 and port 0x64 (0x61-0x63 belong to others).
    void map(PortMap& ports);

    // Power-on: command byte 0x61 (keyboard IRQ, translation, auxiliary port disabled until the
    // BIOS enables it), output port 0xCF (A20 on: the 8042's port pins float high at reset),
    // SYS clear, buffers empty.
    void power_on();

    std::uint8_t command_byte() const { return ram_[0]; }
    std::uint8_t output_port() const;
    std::uint8_t status() const;
    bool a20_enabled() const { return (output_port_ & kOutA20) != 0; }

    // Offsets: 0 = port 0x60, 4 = port 0x64.
    std::uint32_t read(std::uint32_t offset, unsigned size) override;
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return "kbc"; }
    void inspect(StateVisitor& v) override;

private:
    enum class Source : std::uint8_t { None, Controller, Keyboard, Aux };
    static constexpr std::uint16_t kAuxFlag = 0x100;  // in controller-queue entries

    // One of the two single-port windows the PortMap sees.
    class Window final : public IoDevice {
    public:
        Window(Kbc8042& kbc, std::uint32_t offset) : kbc_(kbc), offset_(offset) {}
        std::uint32_t read(std::uint32_t, unsigned size) override { return kbc_.read(offset_, size); }
        void write(std::uint32_t, std::uint32_t value, unsigned size) override { kbc_.write(offset_, value, size); }
        std::uint32_t peek(std::uint32_t, unsigned size) const override { return kbc_.peek(offset_, size); }
        std::string_view inspect_name() const override { return "kbc.port"; }
        void inspect(StateVisitor&) override {}  // the state is the controller's

    private:
        Kbc8042& kbc_;
        std::uint32_t offset_;
    };

    void command(std::uint8_t cmd);
    void data(std::uint8_t value);
    void reply(std::uint8_t byte, bool aux = false);
    void write_output_port(std::uint8_t value);
    void send_to_keyboard(std::uint8_t value);
    void send_to_aux(std::uint8_t value);
    void abort_transfer_from(Source s);
    void try_start_transfer();
    void arm_transfer();
    void deliver();
    void update_irqs();

    Scheduler& scheduler_;
    ClockDomain ns_clock_;
    IrqLine& irq1_;
    IrqLine& irq12_;
    Ps2Device* keyboard_;
    Ps2Device* mouse_;
    std::function<void(bool)> set_a20_;
    std::function<void()> reset_cpu_;
    Window data_window_{*this, 0};
    Window command_window_{*this, 4};

    std::array<std::uint8_t, 32> ram_{};  // 8042 RAM bytes 0-31 (commands 20-3F / 60-7F); 0 = command byte
    std::uint8_t output_port_ = 0xCF;
    std::uint8_t output_buffer_ = 0;
    bool output_full_ = false;
    bool output_aux_ = false;
    bool sys_flag_ = false;
    bool a2_ = false;           // last write was to port 0x64
    bool timeout_ = false;
    std::uint8_t pending_command_ = 0;  // command whose data byte is due on port 0x60
    BoundedFifo<std::uint16_t, 16> replies_{};  // controller-generated bytes (bit 8: as from aux)
    bool xlat_release_ = false;  // translation saw F0: the next byte gets bit 7
    bool last_was_aux_ = false;  // arbitration: who was served last

    Source in_flight_ = Source::None;
    std::uint8_t in_flight_byte_ = 0;
    bool in_flight_aux_ = false;
    Cycles in_flight_due_ = kNever;
    EventId transfer_event_ = kNoEvent;
};

}  // namespace lantern
