#include "devices/dma/dma8237.h"

#include <string>
#include <utility>

namespace lantern {

namespace {
// Register numbers (8237A datasheet, Table 2 "Software Commands").
constexpr unsigned kRegStatusCommand = 0x8;
constexpr unsigned kRegRequest = 0x9;
constexpr unsigned kRegSingleMask = 0xA;
constexpr unsigned kRegMode = 0xB;
constexpr unsigned kRegClearFlipFlop = 0xC;
constexpr unsigned kRegTemporaryMasterClear = 0xD;
constexpr unsigned kRegClearMasks = 0xE;
constexpr unsigned kRegAllMasks = 0xF;

// Command register bits (8237A datasheet, "Command Register").
constexpr std::uint8_t kCmdMemToMem = 0x01;
constexpr std::uint8_t kCmdChannel0Hold = 0x02;

// Mode register bits.
constexpr std::uint8_t kModeAutoInit = 0x10;
constexpr std::uint8_t kModeDecrement = 0x20;

// A transfer never runs more cycles than a 16-bit count allows (65,536), whatever a guest writes.
constexpr std::uint32_t kMaxCycles = 0x10000;
}  // namespace

Dma8237::Dma8237(std::string_view name, DmaWidth width, unsigned first_channel, PageSource page,
                 DmaMemoryAccess memory)
    : name_(name),
      width_(width),
      first_channel_(first_channel),
      page_(std::move(page)),
      memory_(std::move(memory)),
      ports_{Port(*this, 0), Port(*this, 1), Port(*this, 2), Port(*this, 3)} {
    master_clear();
}

DmaChannel& Dma8237::channel(unsigned local) { return ports_[local & 3]; }

void Dma8237::set_cascade_parent(Dma8237* parent, unsigned parent_local_channel) {
    parent_ = parent;
    parent_channel_ = parent_local_channel & 3;
    if (parent_ != nullptr) {
        parent_->child_ = this;
        parent_->child_channel_ = parent_channel_;
    }
}

bool Dma8237::hold_request() const {
    if (!enabled()) return false;
    for (const ChannelRegs& c : channels_) {
        if (c.software_request) return true;
        if (c.dreq && !c.masked && mode_of(c.mode) != DmaMode::Cascade) return true;
    }
    return false;
}

std::uint32_t Dma8237::physical_address(unsigned local, std::uint16_t address) const {
    const std::uint32_t page = page_ ? page_(first_channel_ + (local & 3)) : 0;
    if (width_ == DmaWidth::Word) {
        // A1-A16 from the address register, A17-A23 from page bits 1-7 (page bit 0 unused).
        return ((page & 0xFEu) << 16) | (static_cast<std::uint32_t>(address) << 1);
    }
    return (page << 16) | address;
}

std::uint8_t Dma8237::status() const {
    std::uint8_t s = 0;
    for (unsigned i = 0; i < 4; ++i) {
        const ChannelRegs& c = channels_[i];
        bool requesting = c.dreq || c.software_request;
        // A cascade channel's request line is the lower chip's HRQ.
        if (child_ != nullptr && i == child_channel_) requesting = requesting || child_->hold_request();
        if (c.terminal_count) s |= static_cast<std::uint8_t>(1u << i);
        if (requesting) s |= static_cast<std::uint8_t>(0x10u << i);
    }
    return s;
}

unsigned Dma8237::register_index(std::uint32_t offset) const {
    return (width_ == DmaWidth::Word ? (offset >> 1) : offset) & 0xF;
}

// An 8237 is an 8-bit device: the bus splits wider accesses into byte cycles, lowest port first.
std::uint32_t Dma8237::read(std::uint32_t offset, unsigned size) {
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size && b < 4; ++b)
        value |= static_cast<std::uint32_t>(read_register(register_index(offset + b), true)) << (8 * b);
    return value;
}

void Dma8237::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    for (unsigned b = 0; b < size && b < 4; ++b)
        write_register(register_index(offset + b), static_cast<std::uint8_t>(value >> (8 * b)));
}

std::uint32_t Dma8237::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) {
        const unsigned reg = register_index(offset + b);
        std::uint8_t byte = 0xFF;
        if (reg < 8) {
            const ChannelRegs& c = channels_[reg >> 1];
            const std::uint16_t word = (reg & 1) ? c.current_count : c.current_address;
            byte = static_cast<std::uint8_t>(flip_flop_ ? word >> 8 : word);
        } else if (reg == kRegStatusCommand) {
            byte = status();
        } else if (reg == kRegTemporaryMasterClear) {
            byte = temporary_;
        }
        value |= static_cast<std::uint32_t>(byte) << (8 * b);
    }
    return value;
}

std::uint8_t Dma8237::read_register(unsigned reg, bool side_effects) {
    if (reg < 8) {
        // Current address / current word count, through the byte pointer flip-flop.
        const ChannelRegs& c = channels_[reg >> 1];
        const std::uint16_t word = (reg & 1) ? c.current_count : c.current_address;
        const auto byte = static_cast<std::uint8_t>(flip_flop_ ? word >> 8 : word);
        if (side_effects) flip_flop_ = !flip_flop_;
        return byte;
    }
    if (reg == kRegStatusCommand) {
        const std::uint8_t s = status();
        // "Bits 0-3 are set every time a TC is reached ... cleared upon Reset and on each Status
        // Read" (8237A datasheet, "Status Register").
        if (side_effects)
            for (ChannelRegs& c : channels_) c.terminal_count = false;
        return s;
    }
    if (reg == kRegTemporaryMasterClear) return temporary_;
    return 0xFF;  // write-only register: nothing drives the data bus
}

void Dma8237::write_register(unsigned reg, std::uint8_t value) {
    if (reg < 8) {
        // Writing loads both the base and the current register (8237A datasheet, "Base and
        // Current Address Registers", "Base and Current Word Count Registers").
        ChannelRegs& c = channels_[reg >> 1];
        std::uint16_t& base = (reg & 1) ? c.base_count : c.base_address;
        std::uint16_t& current = (reg & 1) ? c.current_count : c.current_address;
        if (flip_flop_)
            base = static_cast<std::uint16_t>((base & 0x00FF) | (value << 8));
        else
            base = static_cast<std::uint16_t>((base & 0xFF00) | value);
        current = base;
        flip_flop_ = !flip_flop_;
        return;
    }
    switch (reg) {
        case kRegStatusCommand: command_ = value; break;
        case kRegRequest: channels_[value & 3].software_request = (value & 0x04) != 0; break;
        case kRegSingleMask: channels_[value & 3].masked = (value & 0x04) != 0; break;
        case kRegMode: channels_[value & 3].mode = value; break;
        case kRegClearFlipFlop: flip_flop_ = false; break;
        case kRegTemporaryMasterClear: master_clear(); break;
        case kRegClearMasks:
            for (ChannelRegs& c : channels_) c.masked = false;
            break;
        case kRegAllMasks:
            for (unsigned i = 0; i < 4; ++i) channels_[i].masked = ((value >> i) & 1) != 0;
            break;
        default: break;
    }
    service_software_requests();
    // Enabling our cascade channel may let the lower chip's pending software request run.
    if (child_ != nullptr) child_->service_software_requests();
}

void Dma8237::master_clear() {
    // "Clears the Command, Status, Request, Temporary registers and the First/Last Flip-Flop, and
    // sets the Mask register" (8237A datasheet, "Master Clear"). Addresses, counts and modes stay.
    command_ = 0;
    temporary_ = 0;
    flip_flop_ = false;
    for (ChannelRegs& c : channels_) {
        c.terminal_count = false;
        c.software_request = false;
        c.masked = true;
    }
}

bool Dma8237::grants(unsigned local) const {
    const ChannelRegs& c = channels_[local & 3];
    return enabled() && !c.masked && mode_of(c.mode) == DmaMode::Cascade;
}

bool Dma8237::serviceable(unsigned local) const {
    const ChannelRegs& c = channels_[local];
    if (!enabled() || c.masked || !c.dreq) return false;
    if (mode_of(c.mode) == DmaMode::Cascade || transfer_type(c.mode) == DmaTransferType::Illegal) return false;
    return parent_ == nullptr || parent_->grants(parent_channel_);
}

bool Dma8237::step(unsigned local) {
    ChannelRegs& c = channels_[local];
    c.current_address = static_cast<std::uint16_t>(c.current_address + ((c.mode & kModeDecrement) ? -1 : 1));
    // The count register holds transfers-minus-one: TC is the cycle that takes it from 0 to FFFF.
    const bool tc = c.current_count == 0;
    c.current_count = static_cast<std::uint16_t>(c.current_count - 1);
    if (tc) {
        c.terminal_count = true;
        c.software_request = false;  // "software requests are cleared by TC"
        if (c.mode & kModeAutoInit) {
            c.current_address = c.base_address;
            c.current_count = c.base_count;
        } else {
            c.masked = true;  // "the mask bit is set at TC if not programmed for Autoinitialize"
        }
    }
    return tc;
}

DmaTransferResult Dma8237::run_cycles(unsigned local, std::span<std::uint8_t> data) {
    DmaTransferResult result;
    const std::size_t unit = width_ == DmaWidth::Word ? 2 : 1;
    const DmaTransferType type = transfer_type(channels_[local].mode);
    while (result.bytes + unit <= data.size()) {
        const std::uint32_t addr = physical_address(local, channels_[local].current_address);
        for (std::size_t b = 0; b < unit; ++b) {
            std::uint8_t& byte = data[result.bytes + b];
            if (type == DmaTransferType::Write && memory_.write8) memory_.write8(addr + b, byte);
            if (type == DmaTransferType::Read) byte = memory_.read8 ? memory_.read8(addr + b) : 0xFF;
        }
        result.bytes += unit;
        if (step(local)) {
            result.terminal_count = true;
            break;
        }
    }
    return result;
}

void Dma8237::service_software_requests() {
    if (!enabled()) return;
    if (parent_ != nullptr && !parent_->grants(parent_channel_)) return;
    for (unsigned i = 0; i < 4; ++i) {
        ChannelRegs& c = channels_[i];
        // Software requests are not maskable but are serviced only in block mode (8237A
        // datasheet, "Software Commands": Request Register).
        if (!c.software_request || mode_of(c.mode) != DmaMode::Block) continue;
        if (i == 0 && (command_ & kCmdMemToMem) && width_ == DmaWidth::Byte) {
            memory_to_memory();
            continue;
        }
        if (transfer_type(c.mode) == DmaTransferType::Illegal) continue;
        // No device answers DACK: a write cycle stores the floating bus (all ones), a read cycle
        // reads memory into nowhere, a verify cycle only counts. TC ends the request.
        const std::size_t unit = width_ == DmaWidth::Word ? 2 : 1;
        for (std::uint32_t n = 0; n < kMaxCycles; ++n) {
            std::array<std::uint8_t, 2> bus{0xFF, 0xFF};
            if (run_cycles(i, std::span(bus).first(unit)).terminal_count) break;
        }
    }
}

void Dma8237::memory_to_memory() {
    // Channel 0 reads the source into the temporary register, channel 1 writes it out; channel 1's
    // count ends the block (8237A datasheet, "Memory-to-Memory").
    ChannelRegs& src = channels_[0];
    ChannelRegs& dst = channels_[1];
    for (std::uint32_t n = 0; n < kMaxCycles; ++n) {
        temporary_ = memory_.read8 ? memory_.read8(physical_address(0, src.current_address)) : 0xFF;
        if (memory_.write8) memory_.write8(physical_address(1, dst.current_address), temporary_);
        if (!(command_ & kCmdChannel0Hold))
            src.current_address =
                static_cast<std::uint16_t>(src.current_address + ((src.mode & kModeDecrement) ? -1 : 1));
        if (step(1)) break;
    }
    src.software_request = false;
}

void Dma8237::Port::request() { chip_.channels_[local_].dreq = true; }
void Dma8237::Port::release() { chip_.channels_[local_].dreq = false; }
bool Dma8237::Port::word_channel() const { return chip_.width_ == DmaWidth::Word; }

DmaTransferResult Dma8237::Port::transfer(std::span<std::uint8_t> data) {
    if (!chip_.serviceable(local_)) return {};
    return chip_.run_cycles(local_, data);
}

void Dma8237::inspect(StateVisitor& v) {
    StateGroup g(v, name_);
    v.visit("command", command_, "command register (bit 2: controller disabled, bit 0: mem-to-mem)");
    v.visit("flip_flop", flip_flop_, "byte pointer flip-flop: 1 = next access is the high byte");
    v.visit("temporary", temporary_, "temporary register (last byte of a memory-to-memory transfer)");
    for (unsigned i = 0; i < 4; ++i) {
        ChannelRegs& c = channels_[i];
        StateGroup cg(v, "channel" + std::to_string(first_channel_ + i));
        v.visit("base_address", c.base_address, "base address register");
        v.visit("current_address", c.current_address, "current address register");
        v.visit("base_count", c.base_count, "base word count (transfers - 1)");
        v.visit("current_count", c.current_count, "current word count");
        v.visit("mode", c.mode, "mode register: 7-6 mode, 5 decrement, 4 auto-init, 3-2 type");
        v.visit("masked", c.masked, "mask bit");
        v.visit("dreq", c.dreq, "DREQ from the device");
        v.visit("software_request", c.software_request, "request register bit");
        v.visit("terminal_count", c.terminal_count, "status TC bit (cleared on status read)");
    }
}

}  // namespace lantern
