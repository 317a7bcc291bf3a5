// DmaChannel: what a device sees of its DMA channel — the DREQ wire and the data path of the
// DACK cycles the controller runs for it.
//
// On the PC the device never addresses memory itself: it raises DREQ, the 8237 answers with DACK
// and, per cycle, either writes the byte (or word) the device puts on the data bus into memory
// ("write transfer", I/O -> memory) or reads memory and hands the byte to the device ("read
// transfer", memory -> I/O), or runs the cycle without touching memory ("verify"). Which of the
// three happens is what the program wrote into the channel's mode register, not what the device
// wants (8237A datasheet, "Transfer Types"): a floppy READ DATA into a channel programmed for
// "read" leaves memory untouched, as on real hardware.
//
// A device moves a block with transfer(): it passes a buffer holding the bytes it would put on the
// bus; the controller runs one DMA cycle per byte (per word on a 16-bit channel) until the buffer
// is used up or the channel reaches terminal count, and overwrites the buffer with what it read
// from memory on a read transfer. The result says how many bytes went and whether TC (the 8237's
// EOP pulse, which the PC wires to the device's TC pin) ended the block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace lantern {

struct DmaTransferResult {
    std::size_t bytes = 0;        // bytes moved (a 16-bit channel moves them in pairs)
    bool terminal_count = false;  // the last cycle was the channel's terminal count (EOP)
};

class DmaChannel {
public:
    virtual ~DmaChannel() = default;

    // DREQ: asserted while the device wants service. transfer() only runs cycles while it is
    // asserted; the 8237's status register shows it in bits 4-7.
    virtual void request() = 0;
    virtual void release() = 0;

    // Runs DMA cycles for `data` (see above). Moves nothing when the channel cannot be serviced:
    // masked, controller disabled, cascade mode, DREQ not asserted, or (for DMA1 on the AT) the
    // cascade channel 4 of DMA2 not granting the bus.
    virtual DmaTransferResult transfer(std::span<std::uint8_t> data) = 0;

    // True when the channel moves 16-bit words (channels 5-7 of the AT's second 8237).
    virtual bool word_channel() const = 0;
};

}  // namespace lantern
