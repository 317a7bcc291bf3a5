// Dma8237: one Intel 8237A DMA controller (four channels), as the IBM PC/AT uses two of them.
//
// Registers (8237A datasheet, "Register Description" and Table 2 "Software Commands"), by offset
// inside the chip's 16 registers:
//   0,2,4,6  channel 0-3 base/current address   (write: base and current; read: current)
//   1,3,5,7  channel 0-3 base/current word count (same), each 16 bits through the byte pointer
//            flip-flop: low byte first, then high byte
//   8        write: command register              read: status register (TC bits clear on read)
//   9        write: request register (software DREQ)
//   A        write: single mask bit               B  write: mode register
//   C        write: clear byte pointer flip-flop  D  write: master clear; read: temporary register
//   E        write: clear all mask bits           F  write: all four mask bits
// Reads of the write-only registers are not decoded by the 8237A: nothing drives the bus (0xFF).
//
// The chip counts 16-bit addresses; the board supplies the rest. DMA1 (8-bit channels) puts its
// address on A0-A15 and the page register on A16-A23: a transfer wraps inside its 64 KiB page.
// DMA2 (16-bit channels) is wired one line up, its address on A1-A16 and page bits 1-7 on
// A17-A23, so it counts words and wraps inside a 128 KiB page (IBM PC/AT Technical Reference,
// "DMA Controller"). DMA2's registers are at even ports (A0 not decoded, so odd ports alias).
//
// Not modelled: bus arbitration and its timing (the CPU never waits for a DMA cycle; the command
// register's compressed-timing, extended-write, priority and DREQ/DACK-sense bits are kept and
// shown but change nothing). Single, block and demand mode therefore all move a device's block in
// one go (see DmaChannel); they differ in the one place software can see: a software request
// (request register) is serviced only in block mode, and then runs to terminal count.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "devices/dma/dma_channel.h"
#include "devices/io_device.h"

namespace lantern {

// Physical memory as DMA sees it: the board routes these to its memory map so DMA writes are
// visible to everything (including a code cache's invalidation). Addresses are 24-bit.
struct DmaMemoryAccess {
    std::function<std::uint8_t(std::uint32_t)> read8{};
    std::function<void(std::uint32_t, std::uint8_t)> write8{};
};

enum class DmaWidth : std::uint8_t { Byte, Word };

// Mode register fields (8237A datasheet, "Mode Register").
enum class DmaTransferType : std::uint8_t { Verify = 0, Write = 1, Read = 2, Illegal = 3 };
enum class DmaMode : std::uint8_t { Demand = 0, Single = 1, Block = 2, Cascade = 3 };

class Dma8237 final : public IoDevice {
public:
    // `first_channel` is the board's number for local channel 0 (0 for DMA1, 4 for DMA2); `page`
    // gives the page register for a board channel number (0-7).
    using PageSource = std::function<std::uint8_t(unsigned channel)>;
    Dma8237(std::string_view name, DmaWidth width, unsigned first_channel, PageSource page,
            DmaMemoryAccess memory);
    Dma8237(const Dma8237&) = delete;
    Dma8237& operator=(const Dma8237&) = delete;

    // The device side of local channel 0-3.
    DmaChannel& channel(unsigned local);

    // DMA1's hold request goes to DMA2's channel 4 on the AT: a child chip's cycles run only
    // while the parent's cascade channel is unmasked, in cascade mode and the parent enabled.
    void set_cascade_parent(Dma8237* parent, unsigned parent_local_channel);
    // HRQ: the controller is enabled and some unmasked channel has a request pending.
    bool hold_request() const;

    // The RESET pin: same effect as a master clear.
    void reset() { master_clear(); }

    // What the channel's 16-bit address maps to on the bus (page register included).
    std::uint32_t physical_address(unsigned local, std::uint16_t address) const;

    struct ChannelRegs {
        std::uint16_t base_address = 0;
        std::uint16_t current_address = 0;
        std::uint16_t base_count = 0;
        std::uint16_t current_count = 0;
        std::uint8_t mode = 0;
        bool masked = true;
        bool dreq = false;              // hardware request from the device
        bool software_request = false;  // request register bit
        bool terminal_count = false;    // status bit, cleared when status is read
    };
    const ChannelRegs& regs(unsigned local) const { return channels_[local & 3]; }
    std::uint8_t command() const { return command_; }
    bool flip_flop() const { return flip_flop_; }
    std::uint8_t temporary() const { return temporary_; }
    std::uint8_t status() const;  // what a read of register 8 returns (without clearing)

    // IoDevice: `offset` counts ports from the chip's first port; DMA2 ignores A0.
    std::uint32_t read(std::uint32_t offset, unsigned size) override;
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return name_; }
    void inspect(StateVisitor& v) override;

private:
    class Port final : public DmaChannel {
    public:
        Port(Dma8237& chip, unsigned local) : chip_(chip), local_(local) {}
        void request() override;
        void release() override;
        DmaTransferResult transfer(std::span<std::uint8_t> data) override;
        bool word_channel() const override;

    private:
        Dma8237& chip_;
        unsigned local_;
    };

    unsigned register_index(std::uint32_t offset) const;
    std::uint8_t read_register(unsigned reg, bool side_effects);
    void write_register(unsigned reg, std::uint8_t value);
    void master_clear();
    bool enabled() const { return (command_ & 0x04) == 0; }
    bool grants(unsigned local) const;  // parent side of a cascade
    bool serviceable(unsigned local) const;
    DmaTransferResult run_cycles(unsigned local, std::span<std::uint8_t> data);
    // One DMA cycle's address/count bookkeeping; returns true at terminal count.
    bool step(unsigned local);
    void service_software_requests();
    void memory_to_memory();
    static DmaTransferType transfer_type(std::uint8_t mode) {
        return static_cast<DmaTransferType>((mode >> 2) & 3);
    }
    static DmaMode mode_of(std::uint8_t mode) { return static_cast<DmaMode>(mode >> 6); }

    std::string name_;
    DmaWidth width_;
    unsigned first_channel_;
    PageSource page_;
    DmaMemoryAccess memory_;
    std::array<ChannelRegs, 4> channels_{};
    std::array<Port, 4> ports_;
    std::uint8_t command_ = 0;
    bool flip_flop_ = false;  // false: next access is the low byte
    std::uint8_t temporary_ = 0;
    Dma8237* parent_ = nullptr;
    unsigned parent_channel_ = 0;
    Dma8237* child_ = nullptr;  // the chip cascaded into us, for our status request bit
    unsigned child_channel_ = 0;
};

}  // namespace lantern
