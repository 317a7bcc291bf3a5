#include "devices/ide/ide_channel.h"

#include <stdexcept>

#include "devices/ide/ata_defs.h"

namespace lantern {

IdeChannel::IdeChannel(Scheduler& scheduler, std::uint64_t cpu_freq_hz, IrqLine& irq, std::string_view name)
    : scheduler_(scheduler),
      ns_clock_(ClockDomain::from_frequencies(cpu_freq_hz, 1'000'000'000)),
      irq_(irq),
      name_(name) {}

void IdeChannel::attach(unsigned index, IdeDevice& device) {
    if (index > 1) throw std::invalid_argument("IdeChannel: device index must be 0 or 1");
    if (devices_[index]) throw std::invalid_argument("IdeChannel: device slot already taken");
    devices_[index] = &device;
    device.attach(*this, index);
    device.hardware_reset();
}

void IdeChannel::map(PortMap& ports, std::uint16_t command_base, std::uint16_t control_port) {
    ports.map(command_base, 8, command_block_, name_ + ".command");
    ports.map(control_port, 1, control_block_, name_ + ".control");
}

void IdeChannel::hardware_reset() {
    device_control_ = 0;
    select_ = 0;
    for (IdeDevice* d : devices_) {
        if (d) d->hardware_reset();
    }
    irq_changed();
}

// ---- interrupt and DMA plumbing ---------------------------------------------------------------

void IdeChannel::irq_changed() {
    const IdeDevice* d = devices_[select_];
    const bool level = d && d->intrq() && !(device_control_ & ata::kControlNien);
    if (level == irq_level_) return;
    irq_level_ = level;
    irq_.set_level(level);
    if (level && dma_engine_) dma_engine_->interrupt_raised();
}

void IdeChannel::dma_request_changed() {
    if (dma_engine_) dma_engine_->dma_request_changed();
}

void IdeChannel::execute_diagnostic() {
    bool owner = true;
    for (IdeDevice* d : devices_) {
        if (!d) continue;
        d->diagnostic_begin(owner);
        owner = false;
    }
}

void IdeChannel::diagnostic_done() {
    // Both devices end with their signatures; device 0 reports for the pair and interrupts
    // (ATA-6, 8.11: error 01h when device 0 passed and device 1 passed or is absent).
    select_ = devices_[0] ? 0 : 1;
    bool first = true;
    for (IdeDevice* d : devices_) {
        if (!d) continue;
        d->diagnostic_complete(first);
        first = false;
    }
    irq_changed();
}

// ---- register access -------------------------------------------------------------------------

std::uint8_t IdeChannel::status_of_selected() const {
    if (!devices_[0] && !devices_[1]) return 0xFF;
    const IdeDevice* d = devices_[select_];
    return d ? d->status() : 0x00;
}

std::uint8_t IdeChannel::read_byte(unsigned reg, bool side_effects) {
    if (!devices_[0] && !devices_[1]) return 0xFF;
    IdeDevice* d = devices_[select_];
    if (reg == IdeDevice::kStatus) {
        if (!d) return 0x00;
        const std::uint8_t s = d->status();
        if (side_effects) d->clear_intrq();
        return s;
    }
    if (!d) d = devices_[select_ ^ 1u];  // device 0 answers for an absent device 1
    return d->read_register(reg, (device_control_ & ata::kControlHob) != 0);
}

void IdeChannel::write_byte(unsigned reg, std::uint8_t value) {
    if (reg == IdeDevice::kCommand) {
        if (IdeDevice* d = devices_[select_]) {
            if (report_) report_(DeviceEvent{DeviceEventKind::DiskCommand, value, unit_base_ + select_});
            d->write_command(value);
        }
        return;
    }
    for (IdeDevice* d : devices_) {
        if (d) d->write_register(reg, value);
    }
    device_control_ &= static_cast<std::uint8_t>(~ata::kControlHob);  // any write clears HOB
    if (reg == IdeDevice::kDevice) {
        const IdeDevice* cur = devices_[select_];
        // A busy device keeps the bus: the selection only changes when the write was accepted.
        if (!cur || !(cur->status() & ata::kStatusBsy)) select_ = (value & ata::kDeviceDev) ? 1 : 0;
        irq_changed();
    }
}

void IdeChannel::write_device_control(std::uint8_t value) {
    const bool was_srst = (device_control_ & ata::kControlSrst) != 0;
    const bool srst = (value & ata::kControlSrst) != 0;
    device_control_ = value;
    if (srst && !was_srst) {
        select_ = 0;
        for (IdeDevice* d : devices_) {
            if (d) d->soft_reset_assert();
        }
    } else if (!srst && was_srst) {
        for (IdeDevice* d : devices_) {
            if (d) d->soft_reset_release();
        }
    }
    irq_changed();
}

std::uint32_t IdeChannel::CommandBlock::read(std::uint32_t offset, unsigned size) {
    if (!ch_.decode_enabled_) return open_bus_value(size);
    if (offset == 0) {
        IdeDevice* d = ch_.devices_[ch_.select_];
        if (!d) return ch_.devices_[0] || ch_.devices_[1] ? 0 : open_bus_value(size);
        std::uint32_t v = d->read_data();
        if (size == 4) v |= std::uint32_t(d->read_data()) << 16;
        return v & open_bus_value(size);
    }
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size && offset + i < 8; ++i) v |= std::uint32_t(ch_.read_byte(offset + i, true)) << (8 * i);
    return v;
}

std::uint32_t IdeChannel::CommandBlock::peek(std::uint32_t offset, unsigned size) const {
    if (!ch_.decode_enabled_) return open_bus_value(size);
    if (offset == 0) return 0;  // the data port has no side-effect-free view
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size && offset + i < 8; ++i) {
        const unsigned reg = offset + i;
        std::uint8_t b = 0xFF;
        if (reg == IdeDevice::kStatus) {
            b = ch_.status_of_selected();
        } else if (ch_.devices_[0] || ch_.devices_[1]) {
            const IdeDevice* d = ch_.devices_[ch_.select_];
            if (!d) d = ch_.devices_[ch_.select_ ^ 1u];
            b = d->read_register(reg, (ch_.device_control_ & ata::kControlHob) != 0);
        }
        v |= std::uint32_t(b) << (8 * i);
    }
    return v;
}

void IdeChannel::CommandBlock::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    if (!ch_.decode_enabled_) return;
    if (offset == 0) {
        IdeDevice* d = ch_.devices_[ch_.select_];
        if (!d) return;
        d->write_data(static_cast<std::uint16_t>(value));
        if (size == 4) d->write_data(static_cast<std::uint16_t>(value >> 16));
        return;
    }
    for (unsigned i = 0; i < size && offset + i < 8; ++i)
        ch_.write_byte(offset + i, static_cast<std::uint8_t>(value >> (8 * i)));
}

std::uint32_t IdeChannel::ControlBlock::peek(std::uint32_t offset, unsigned size) const {
    if (!ch_.decode_enabled_ || offset != 0) return open_bus_value(size);
    return ch_.status_of_selected();  // Alternate Status: no interrupt acknowledge
}

void IdeChannel::ControlBlock::write(std::uint32_t offset, std::uint32_t value, unsigned) {
    if (!ch_.decode_enabled_ || offset != 0) return;
    ch_.write_device_control(static_cast<std::uint8_t>(value));
}

void IdeChannel::inspect(StateVisitor& v) {
    StateGroup g(v, name_);
    v.visit("selected", select_, "DEV bit: device the host is talking to");
    v.visit("device_control", device_control_, "nIEN 02h, SRST 04h, HOB 80h");
    v.visit("irq_level", irq_level_, "interrupt line as driven");
    v.visit("decode_enabled", decode_enabled_, "legacy ports decoded (PIIX IDETIM / PCI I/O enable)");
    if (v.loading()) {
        select_ &= 1u;
        irq_.set_level(irq_level_);
    }
    for (unsigned i = 0; i < 2; ++i) {
        if (!devices_[i]) continue;
        StateGroup dg(v, i == 0 ? "device0" : "device1");
        devices_[i]->inspect(v);
    }
}

}  // namespace lantern
