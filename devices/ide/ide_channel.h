// IdeChannel: one ATA cable - up to two devices (master = device 0, slave = device 1), the
// Command Block registers (8 ports: 1F0h-1F7h primary, 170h-177h secondary), the Control Block
// register (3F6h / 376h: Alternate Status on read, Device Control on write) and the interrupt
// line (IRQ14 / IRQ15) (ATA/ATAPI-6, section 7; IBM PC/AT fixed disk adapter addresses).
//
// Register semantics the channel implements:
//  * Writes to registers 1-6 go to both devices (each keeps its own copy); the command goes to the
//    selected device (DEV bit of the Device register). Any Command Block write clears HOB.
//  * A selected device that is absent: when device 1 is selected and only device 0 exists, status
//    and alternate status read 00h and the other registers read device 0's copy (ATA-6, 9.16.1);
//    with no device at all every register reads FFh (nothing drives the bus).
//  * INTRQ: only the selected device drives the line, and only while nIEN is 0 (ATA-6, 5.2.9).
//    Reading Status acknowledges the interrupt; Alternate Status does not.
//  * SRST: asserting it resets both devices; releasing it starts their reset completion.
//  * The data port moves 16 bits per cycle; a 32-bit access (the PIIX's dword I/O) is two words,
//    low word first. A byte access still clocks one 16-bit word and returns its low byte.
//  * Decode enable: a PCI IDE controller decodes the legacy ports only when enabled (PIIX3
//    IDETIM bit 15 and the PCI I/O enable); while disabled reads float high and writes vanish.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "cpu/state_visitor.h"
#include "devices/clock_domain.h"
#include "devices/device_event.h"
#include "devices/ide/ide_device.h"
#include "devices/io_device.h"
#include "devices/irq_line.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"

namespace lantern {

// What a channel needs from a bus-master DMA engine (the PIIX BM, BusMasterIde).
class IdeDmaEngine {
public:
    virtual ~IdeDmaEngine() = default;
    virtual void dma_request_changed() = 0;  // the selected device raised or dropped DMARQ
    virtual void interrupt_raised() = 0;     // rising edge of the channel's interrupt line
};

class IdeChannel final : public Inspectable {
public:
    static constexpr std::uint16_t kPrimaryCommandPort = 0x1F0;
    static constexpr std::uint16_t kPrimaryControlPort = 0x3F6;
    static constexpr std::uint16_t kSecondaryCommandPort = 0x170;
    static constexpr std::uint16_t kSecondaryControlPort = 0x376;
    static constexpr unsigned kPrimaryIrq = 14;
    static constexpr unsigned kSecondaryIrq = 15;

    IdeChannel(Scheduler& scheduler, std::uint64_t cpu_freq_hz, IrqLine& irq, std::string_view name);
    IdeChannel(const IdeChannel&) = delete;
    IdeChannel& operator=(const IdeChannel&) = delete;

    // Attaches a device as master (0) or slave (1). The device gets a hardware reset.
    void attach(unsigned index, IdeDevice& device);
    IdeDevice* device(unsigned index) const { return index < 2 ? devices_[index] : nullptr; }
    // Reports DiskCommand for each command written to a present device; `unit_base` is the
    // channel's first drive number (0x80 primary, 0x82 secondary: devices/device_event.h).
    void set_event_report(DeviceEventReport report, std::uint32_t unit_base) {
        report_ = std::move(report);
        unit_base_ = unit_base;
    }
    IdeDevice* selected() const { return devices_[select_]; }
    unsigned selected_index() const { return select_; }

    // Claims 8 ports at `command_base` and 1 port at `control_port` (not control_port + 1, which
    // belongs to the floppy controller's DIR on the PC).
    void map(PortMap& ports, std::uint16_t command_base, std::uint16_t control_port);
    IoDevice& command_block() { return command_block_; }
    IoDevice& control_block() { return control_block_; }
    void set_decode_enabled(bool enabled) { decode_enabled_ = enabled; }
    bool decode_enabled() const { return decode_enabled_; }
    void set_dma_engine(IdeDmaEngine* engine) { dma_engine_ = engine; }

    // RESET-: both devices reset at once, Device Control cleared.
    void hardware_reset();

    // Device side.
    Scheduler& scheduler() { return scheduler_; }
    std::uint64_t ns_to_cycles(std::uint64_t ns) const { return ns_clock_.to_cycles(ns); }
    void irq_changed();
    void dma_request_changed();
    void execute_diagnostic();
    void diagnostic_done();
    std::uint8_t device_control() const { return device_control_; }
    bool irq_level() const { return irq_level_; }
    const std::string& name() const { return name_; }

    std::string_view inspect_name() const override { return name_; }
    void inspect(StateVisitor& v) override;

private:
    class CommandBlock final : public IoDevice {
    public:
        explicit CommandBlock(IdeChannel& ch) : ch_(ch) {}
        std::uint32_t read(std::uint32_t offset, unsigned size) override;
        void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
        std::uint32_t peek(std::uint32_t offset, unsigned size) const override;
        std::string_view inspect_name() const override { return "ide_command_block"; }
        void inspect(StateVisitor& v) override { ch_.inspect(v); }

    private:
        IdeChannel& ch_;
    };
    class ControlBlock final : public IoDevice {
    public:
        explicit ControlBlock(IdeChannel& ch) : ch_(ch) {}
        std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
        void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
        std::uint32_t peek(std::uint32_t offset, unsigned size) const override;
        std::string_view inspect_name() const override { return "ide_control_block"; }
        void inspect(StateVisitor& v) override { ch_.inspect(v); }

    private:
        IdeChannel& ch_;
    };

    std::uint8_t read_byte(unsigned reg, bool side_effects);
    void write_byte(unsigned reg, std::uint8_t value);
    std::uint8_t status_of_selected() const;
    void write_device_control(std::uint8_t value);

    Scheduler& scheduler_;
    ClockDomain ns_clock_;
    IrqLine& irq_;
    std::string name_;
    CommandBlock command_block_{*this};
    ControlBlock control_block_{*this};
    std::array<IdeDevice*, 2> devices_{};
    IdeDmaEngine* dma_engine_ = nullptr;
    unsigned select_ = 0;
    std::uint8_t device_control_ = 0;
    bool decode_enabled_ = true;
    bool irq_level_ = false;
    DeviceEventReport report_{};
    std::uint32_t unit_base_ = 0x80;
};

}  // namespace lantern
