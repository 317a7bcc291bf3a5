#include <doctest/doctest.h>

#include <array>
#include <vector>

#include "fdc_rig.h"
#include "recording_visitor.h"

using namespace lantern;
using lantern::testing::DmaBench;

namespace {
// Mode register values (8237A datasheet, "Mode Register"): single mode, write (I/O -> memory),
// read (memory -> I/O), verify, plus the auto-init and decrement bits.
constexpr std::uint8_t kSingleWrite = 0x44;
constexpr std::uint8_t kSingleRead = 0x48;
constexpr std::uint8_t kSingleVerify = 0x40;
constexpr std::uint8_t kAutoInit = 0x10;
constexpr std::uint8_t kDecrement = 0x20;

std::vector<std::uint8_t> pattern(std::size_t n, std::uint8_t seed) {
    std::vector<std::uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(seed + i * 7);
    return v;
}

DmaTransferResult push(DmaChannel& ch, std::vector<std::uint8_t>& data) {
    ch.request();
    const DmaTransferResult r = ch.transfer(data);
    ch.release();
    return r;
}
}  // namespace

TEST_SUITE("dma8237") {
    TEST_CASE("address and count go through the byte pointer flip-flop; reads return the current values") {
        DmaBench b;
        b.out(0x0C, 0);             // clear flip-flop
        b.out(0x02, 0x34);          // channel 1 address low
        b.out(0x02, 0x12);          //                  high
        b.out(0x03, 0xFF);          // channel 1 count low
        b.out(0x03, 0x01);          //                high
        CHECK(b.dma.dma1().regs(1).base_address == 0x1234);
        CHECK(b.dma.dma1().regs(1).current_address == 0x1234);
        CHECK(b.dma.dma1().regs(1).base_count == 0x01FF);
        CHECK(b.in(0x02) == 0x34);
        CHECK(b.in(0x02) == 0x12);
        // An odd number of accesses leaves the flip-flop on the high byte until cleared.
        CHECK(b.in(0x03) == 0xFF);
        CHECK(b.dma.dma1().flip_flop());
        b.out(0x0C, 0);
        CHECK_FALSE(b.dma.dma1().flip_flop());
        CHECK(b.in(0x03) == 0xFF);
        // Peek has no side effect on the flip-flop.
        const bool ff = b.dma.dma1().flip_flop();
        CHECK(b.ports.peek(0x03, 1) == 0x01);
        CHECK(b.dma.dma1().flip_flop() == ff);
    }

    TEST_CASE("mask register: single bit, all bits, clear all; master clear masks everything") {
        DmaBench b;
        CHECK(b.dma.dma1().regs(0).masked);  // power-on: all masked
        b.out(0x0E, 0);                      // clear mask register
        for (unsigned i = 0; i < 4; ++i) CHECK_FALSE(b.dma.dma1().regs(i).masked);
        b.out(0x0A, 0x06);  // set mask, channel 2
        CHECK(b.dma.dma1().regs(2).masked);
        b.out(0x0A, 0x02);  // clear mask, channel 2
        CHECK_FALSE(b.dma.dma1().regs(2).masked);
        b.out(0x0F, 0x09);  // channels 0 and 3 masked
        CHECK(b.dma.dma1().regs(0).masked);
        CHECK_FALSE(b.dma.dma1().regs(1).masked);
        CHECK(b.dma.dma1().regs(3).masked);
        b.out(0x08, 0x10);        // command: rotating priority
        b.out(0x09, 0x04 | 1);    // software request, channel 1 (not block mode: stays pending)
        b.out(0x02, 0x55);        // flip-flop now on the high byte
        b.out(0x0D, 0);           // master clear
        CHECK(b.dma.dma1().command() == 0);
        CHECK_FALSE(b.dma.dma1().flip_flop());
        CHECK_FALSE(b.dma.dma1().regs(1).software_request);
        for (unsigned i = 0; i < 4; ++i) CHECK(b.dma.dma1().regs(i).masked);
        CHECK(b.dma.dma1().regs(1).base_address == 0x0055);  // addresses survive a master clear
        // Write-only registers read as the undriven bus.
        CHECK(b.in(0x0B) == 0xFF);
    }

    TEST_CASE("an 8-bit write transfer stores the device's bytes, counts to TC and masks the channel") {
        DmaBench b;
        b.enable_cascade();
        b.program8(2, 0x23456, 9, kSingleWrite);  // 10 bytes at 2:3456
        DmaChannel& ch = b.dma.channel(2);
        CHECK_FALSE(ch.word_channel());
        ch.request();
        CHECK((b.in(0x08) & 0x40) != 0);  // status: channel 2 request
        std::vector<std::uint8_t> data = pattern(16, 1);
        const DmaTransferResult r = ch.transfer(data);
        ch.release();
        CHECK(r.bytes == 10);  // stopped at terminal count, not at the end of the buffer
        CHECK(r.terminal_count);
        for (int i = 0; i < 10; ++i) CHECK(b.ram[0x23456 + i] == data[i]);
        CHECK(b.ram[0x23456 + 10] == 0);
        CHECK(b.dma.dma1().regs(2).current_count == 0xFFFF);
        CHECK(b.dma.dma1().regs(2).current_address == 0x3460);
        CHECK(b.dma.dma1().regs(2).masked);  // no auto-init: the mask bit is set at TC
        const std::uint8_t status = b.in(0x08);
        CHECK((status & 0x04) != 0);  // TC for channel 2
        CHECK((status & 0x40) == 0);  // DREQ released
        CHECK((b.in(0x08) & 0x0F) == 0);  // TC bits clear on read
        // A masked channel moves nothing.
        std::vector<std::uint8_t> more = pattern(4, 9);
        CHECK(push(ch, more).bytes == 0);
    }

    TEST_CASE("read transfers fill the device's buffer; verify only counts") {
        DmaBench b;
        b.enable_cascade();
        for (int i = 0; i < 8; ++i) b.ram[0x1000 + i] = static_cast<std::uint8_t>(0xA0 + i);
        b.program8(3, 0x1000, 7, kSingleRead);
        std::vector<std::uint8_t> buf(8, 0);
        const DmaTransferResult r = push(b.dma.channel(3), buf);
        CHECK(r.bytes == 8);
        CHECK(r.terminal_count);
        for (int i = 0; i < 8; ++i) CHECK(buf[i] == 0xA0 + i);

        b.program8(1, 0x1000, 3, kSingleVerify);
        std::vector<std::uint8_t> v(4, 0x55);
        const DmaTransferResult rv = push(b.dma.channel(1), v);
        CHECK(rv.bytes == 4);
        CHECK(rv.terminal_count);
        CHECK(b.ram[0x1000] == 0xA0);  // memory untouched
        CHECK(v[0] == 0x55);           // and the device got nothing
        CHECK(b.dma.dma1().regs(1).current_address == 0x1004);
    }

    TEST_CASE("decrement mode walks down; auto-init reloads and keeps the channel unmasked") {
        DmaBench b;
        b.enable_cascade();
        b.program8(2, 0x5003, 3, kSingleWrite | kDecrement);
        std::vector<std::uint8_t> d{1, 2, 3, 4};
        CHECK(push(b.dma.channel(2), d).terminal_count);
        CHECK(b.ram[0x5003] == 1);
        CHECK(b.ram[0x5002] == 2);
        CHECK(b.ram[0x5001] == 3);
        CHECK(b.ram[0x5000] == 4);

        b.program8(2, 0x6000, 1, kSingleWrite | kAutoInit);
        std::vector<std::uint8_t> first{0x11, 0x22, 0x33};
        const DmaTransferResult r1 = push(b.dma.channel(2), first);
        CHECK(r1.bytes == 2);
        CHECK(r1.terminal_count);
        CHECK_FALSE(b.dma.dma1().regs(2).masked);
        CHECK(b.dma.dma1().regs(2).current_address == 0x6000);  // reloaded from the base registers
        CHECK(b.dma.dma1().regs(2).current_count == 1);
        std::vector<std::uint8_t> second{0x44, 0x55};
        CHECK(push(b.dma.channel(2), second).terminal_count);
        CHECK(b.ram[0x6000] == 0x44);  // the second block overwrote the first
        CHECK(b.ram[0x6001] == 0x55);
    }

    TEST_CASE("an 8-bit channel wraps inside its 64 KiB page") {
        DmaBench b;
        b.enable_cascade();
        b.program8(2, 0x1FFFE, 3, kSingleWrite);  // page 1, address FFFE
        std::vector<std::uint8_t> d{0xA1, 0xA2, 0xA3, 0xA4};
        CHECK(push(b.dma.channel(2), d).bytes == 4);
        CHECK(b.ram[0x1FFFE] == 0xA1);
        CHECK(b.ram[0x1FFFF] == 0xA2);
        CHECK(b.ram[0x10000] == 0xA3);  // the page register does not carry: back to 1:0000
        CHECK(b.ram[0x10001] == 0xA4);
        CHECK(b.ram[0x20000] == 0x00);
    }

    TEST_CASE("16-bit channels count words, use page bits 7-1 and wrap at 128 KiB") {
        DmaBench b;
        b.enable_cascade();
        // Channel 5: mode at 0xD6, mask at 0xD4, flip-flop 0xD8, address 0xC4, count 0xC6, page 0x8B.
        b.out(0xD6, kSingleWrite | 1);
        b.out(0xD8, 0);
        b.out(0xC4, 0xFE);  // word address 0xFFFE
        b.out(0xC4, 0xFF);
        b.out(0xC6, 2);     // 3 words
        b.out(0xC6, 0);
        b.out(0x8B, 0x03);  // page 3: bit 0 ignored, so the 128 KiB block at 0x20000
        b.out(0xD4, 1);     // unmask channel 5
        DmaChannel& ch = b.dma.channel(5);
        CHECK(ch.word_channel());
        std::vector<std::uint8_t> d{1, 2, 3, 4, 5, 6, 7};
        const DmaTransferResult r = push(ch, d);
        CHECK(r.bytes == 6);
        CHECK(r.terminal_count);
        CHECK(b.ram[0x3FFFC] == 1);  // 0x20000 + 0xFFFE * 2
        CHECK(b.ram[0x3FFFD] == 2);
        CHECK(b.ram[0x3FFFE] == 3);
        CHECK(b.ram[0x3FFFF] == 4);
        CHECK(b.ram[0x20000] == 5);  // wrapped inside the 128 KiB block
        CHECK(b.ram[0x20001] == 6);
        CHECK(b.dma.dma2().regs(1).current_count == 0xFFFF);
        CHECK((b.in(0xD0) & 0x02) != 0);  // DMA2 status: TC on its channel 1 (= channel 5)
        // Odd ports alias even ones on DMA2 (A0 is not decoded).
        b.out(0xD9, 0);  // clear flip-flop (alias of 0xD8)
        const std::uint8_t via_odd = b.in(0xC5);
        b.out(0xD8, 0);
        CHECK(via_odd == b.in(0xC4));
        CHECK(via_odd == 0x01);  // the address went FFFE, FFFF, 0000, 0001
    }

    TEST_CASE("DMA1 transfers need DMA2's channel 4 in cascade mode and unmasked") {
        DmaBench b;  // no enable_cascade: channel 4 masked after reset
        b.program8(2, 0x3000, 0, kSingleWrite);
        std::vector<std::uint8_t> d{0x77};
        CHECK(push(b.dma.channel(2), d).bytes == 0);
        b.dma.channel(2).request();
        CHECK((b.in(0xD0) & 0x10) != 0);  // DMA1's hold request shows as DREQ4 on DMA2
        b.dma.channel(2).release();
        b.enable_cascade();
        CHECK(push(b.dma.channel(2), d).bytes == 1);
        CHECK(b.ram[0x3000] == 0x77);
        // The channel-4 cascade never transfers for a device itself.
        std::vector<std::uint8_t> w{1, 2};
        CHECK(push(b.dma.channel(4), w).bytes == 0);
        // A disabled controller transfers nothing.
        b.program8(2, 0x3000, 0, kSingleWrite);
        b.out(0x08, 0x04);
        CHECK(push(b.dma.channel(2), d).bytes == 0);
    }

    TEST_CASE("a block-mode software request runs memory-to-memory through the temporary register") {
        DmaBench b;
        b.enable_cascade();
        for (int i = 0; i < 5; ++i) b.ram[0x40000 + i] = static_cast<std::uint8_t>(0xC0 + i);
        b.out(0x08, 0x01);                       // command: memory-to-memory enable
        b.program8(0, 0x40000, 4, 0x88);         // channel 0 source: block, read
        b.program8(1, 0x50000, 4, 0x84);         // channel 1 destination: block, write
        b.out(0x09, 0x04 | 0);                   // software request on channel 0 starts it
        for (int i = 0; i < 5; ++i) CHECK(b.ram[0x50000 + i] == 0xC0 + i);
        CHECK(b.in(0x0D) == 0xC4);               // temporary register: the last byte moved
        CHECK((b.in(0x08) & 0x02) != 0);         // channel 1 reached TC
        CHECK_FALSE(b.dma.dma1().regs(0).software_request);
    }

    TEST_CASE("page registers read back; port 0x80 writes reach the POST code observer") {
        DmaBench b;
        std::vector<std::uint8_t> posted;
        b.dma.pages().set_port80_observer([&](std::uint8_t v) { posted.push_back(v); });
        b.out(0x80, 0x12);
        b.out(0x80, 0x34);
        b.out(0x81, 0x0A);
        b.out(0x8F, 0xEE);
        CHECK(posted == std::vector<std::uint8_t>{0x12, 0x34});
        CHECK(b.in(0x80) == 0x34);
        CHECK(b.in(0x81) == 0x0A);
        CHECK(b.dma.pages().page_for_channel(2) == 0x0A);
        CHECK(b.dma.pages().page_for_channel(4) == 0xEE);
        CHECK(DmaPageRegisters::register_for_channel(0) == 7);
        CHECK(DmaPageRegisters::register_for_channel(7) == 0xA);
        testing::RecordingVisitor v;
        b.dma.inspect(v);
        CHECK(v.has("dma.dma_pages.port81=10"));
        CHECK(v.has("dma.dma1.channel2.masked=1"));
        CHECK(v.has_prefix("dma.dma2.channel5.base_address="));
    }
}
