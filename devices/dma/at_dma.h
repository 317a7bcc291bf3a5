// AtDma: the IBM PC/AT's DMA subsystem — two 8237As and the page register file.
//
//   DMA1  ports 0x00-0x0F  channels 0-3, 8-bit transfers, 64 KiB pages
//   DMA2  ports 0xC0-0xDF  channels 4-7, 16-bit transfers (word addressing), 128 KiB pages;
//                          channel 4 is the cascade input for DMA1's hold request
//   pages ports 0x80-0x8F  see DmaPageRegisters (0x80 doubles as the POST code port)
// (IBM PC/AT Technical Reference, "DMA Controller" and the I/O address map.)
//
// Devices take their channel with channel(n): the floppy controller uses channel 2. A board that
// wants POST codes connects pages().set_port80_observer() to its PostCode device instead of
// mapping PostCode at 0x80 (the page file owns that port on the AT).
#pragma once

#include "cpu/state_visitor.h"
#include "devices/dma/dma8237.h"
#include "devices/dma/dma_page_registers.h"
#include "devices/port_map.h"

namespace lantern {

class AtDma final : public Inspectable {
public:
    static constexpr std::uint16_t kDma1Port = 0x00;
    static constexpr std::uint16_t kDma2Port = 0xC0;

    explicit AtDma(DmaMemoryAccess memory);
    AtDma(const AtDma&) = delete;
    AtDma& operator=(const AtDma&) = delete;

    // Board channel 0-7 (4 is DMA2's cascade channel: it never transfers for a device).
    DmaChannel& channel(unsigned n);

    Dma8237& dma1() { return dma1_; }
    Dma8237& dma2() { return dma2_; }
    DmaPageRegisters& pages() { return pages_; }

    // Claims 0x00-0x0F, 0xC0-0xDF and 0x80-0x8F.
    void map(PortMap& ports);
    // Power-on / RESET: both chips master-cleared, page registers zeroed.
    void reset();

    std::string_view inspect_name() const override { return "dma"; }
    void inspect(StateVisitor& v) override;

private:
    DmaPageRegisters pages_{};
    Dma8237 dma1_;
    Dma8237 dma2_;
};

}  // namespace lantern
