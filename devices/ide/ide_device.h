// IdeDevice: what every device on an ATA cable shares - its copy of the task file, the status and
// error registers, INTRQ, the data-port transfer machinery (PIO and DMA), resets and the signature
// (ATA/ATAPI-6, sections 5 "I/O register descriptions" and 9 "Protocol"). AtaDisk and AtapiCdrom
// add their command sets.
//
// Each device holds its own copy of the Command Block registers; the host's writes reach both
// devices on the cable (the channel broadcasts them) while the command goes to the selected one.
// With the 48-bit feature set each address/count register is a two-deep FIFO: a write pushes the
// old value into the "previous" (HOB) byte, which the host reads back with Device Control HOB = 1.
//
// A command runs as scheduled phases: writing it sets BSY, an event some microseconds later sets
// DRQ (data) or ends the command, with INTRQ where the protocol says so. One event per device at a
// time, whose phase and due cycle are part of the inspected state so a snapshot re-arms it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cpu/state_visitor.h"
#include "devices/scheduler.h"

namespace lantern {

class IdeChannel;

// The bus master's side of a DMA data phase: moves bytes between the device and guest memory,
// following the PRD table. Returns how many bytes moved (fewer when the table runs out).
class DmaPort {
public:
    virtual ~DmaPort() = default;
    virtual std::size_t to_memory(std::span<const std::uint8_t> data) = 0;
    virtual std::size_t from_memory(std::span<std::uint8_t> data) = 0;
};

enum class IdeDirection : std::uint8_t { None, ToHost, FromHost };

struct IdeTaskFile {
    std::uint8_t features = 0;
    std::uint8_t sector_count = 0;
    std::uint8_t lba_low = 0;   // Sector Number in CHS terms
    std::uint8_t lba_mid = 0;   // Cylinder Low
    std::uint8_t lba_high = 0;  // Cylinder High
    std::uint8_t hob_features = 0;
    std::uint8_t hob_sector_count = 0;
    std::uint8_t hob_lba_low = 0;
    std::uint8_t hob_lba_mid = 0;
    std::uint8_t hob_lba_high = 0;
    std::uint8_t device = 0;    // Device/Head: bit 6 LBA, bit 4 DEV, bits 3:0 head / LBA 27:24
    std::uint8_t status = 0;
    std::uint8_t error = 0;
};

class IdeDevice : public Inspectable {
public:
    static constexpr std::size_t kBufferSize = 64 * 1024;
    // Register numbers as offsets in the Command Block (ATA-6, Table 20).
    enum Register : unsigned { kData = 0, kError = 1, kFeatures = 1, kSectorCount = 2, kLbaLow = 3,
                               kLbaMid = 4, kLbaHigh = 5, kDevice = 6, kStatus = 7, kCommand = 7 };

    IdeDevice();
    ~IdeDevice() override = default;
    IdeDevice(const IdeDevice&) = delete;
    IdeDevice& operator=(const IdeDevice&) = delete;

    // Wiring, by IdeChannel::attach.
    void attach(IdeChannel& channel, unsigned index);
    unsigned index() const { return index_; }
    virtual bool packet_device() const = 0;

    // Host side (IdeChannel). Writes to registers 1-6 are ignored while BSY is set.
    void write_register(unsigned reg, std::uint8_t value);
    std::uint8_t read_register(unsigned reg, bool hob) const;
    std::uint8_t status() const { return tf_.status; }
    const IdeTaskFile& task_file() const { return tf_; }
    void write_command(std::uint8_t command);
    std::uint16_t read_data();
    void write_data(std::uint16_t value);
    bool intrq() const { return intrq_; }
    void clear_intrq();  // reading the Status register acknowledges the interrupt

    // RESET- (power-on / hardware reset): the device is ready at once with its signature.
    void hardware_reset();
    // SRST in Device Control: BSY while asserted; released, BSY clears kResetNs later with the
    // signature in the task file and no interrupt (ATA-6, 9.2 "Software reset protocol").
    void soft_reset_assert();
    void soft_reset_release();
    // EXECUTE DEVICE DIAGNOSTIC, run by the channel on both devices: BSY, then (one device's
    // event, `owner`) the channel completes both with their signatures (ATA-6, 8.11).
    void diagnostic_begin(bool owner);
    void diagnostic_complete(bool interrupt);

    // DMA data phase, driven by the bus master.
    bool dma_requested() const { return dma_dir_ != IdeDirection::None; }
    IdeDirection dma_direction() const { return dma_dir_; }
    // Moves what it can of the pending data through `port`; returns bytes moved.
    virtual std::uint64_t dma_transfer(DmaPort& port) = 0;
    // The burst's bus time has passed: complete the command if all its data has moved.
    virtual void dma_burst_done() = 0;

    void inspect(StateVisitor& v) final;

protected:
    // Phase numbers 1-0xEF belong to subclasses; 0 means no event pending.
    static constexpr std::uint8_t kPhaseResetDone = 0xF0;
    static constexpr std::uint8_t kPhaseDiagnosticDone = 0xF1;

    virtual void execute(std::uint8_t command) = 0;  // BSY is set, INTRQ cleared
    virtual void event(std::uint8_t phase) = 0;
    virtual void pio_done() = 0;                     // the host emptied / filled the PIO window
    virtual void set_signature() = 0;                // task file after a reset (ATA-6, 9.12)
    virtual void reset_command() = 0;                // drop any command in progress
    virtual void inspect_device(StateVisitor& v) = 0;
    virtual void after_load() {}

    void schedule(std::uint8_t phase, std::uint64_t delay_ns);
    void cancel_event();
    void set_busy();
    // Opens the PIO window buffer_[offset, offset + length): DRQ set, BSY clear.
    void start_pio(IdeDirection dir, std::size_t offset, std::size_t length, bool interrupt);
    void request_dma(IdeDirection dir);
    void end_dma();
    // Ends the command: BSY and DRQ clear, `status` bits set (DRDY etc.), INTRQ if asked.
    void complete(std::uint8_t status, bool interrupt);
    void fail(std::uint8_t error, std::uint8_t status);  // ERR set, error register, INTRQ
    void raise_intrq();
    std::uint64_t ns_to_cycles(std::uint64_t ns) const;
    std::size_t pio_remaining() const { return pio_end_ - pio_pos_; }

    IdeTaskFile tf_{};
    std::vector<std::uint8_t> buffer_;
    std::uint8_t command_ = 0;  // the command in progress (for inspection)

private:
    void fire(Cycles when);
    void reset_common();

    IdeChannel* channel_ = nullptr;
    unsigned index_ = 0;
    std::string event_name_ = "ide";  // what the debugger shows for our scheduled phase
    bool intrq_ = false;
    bool srst_ = false;
    IdeDirection pio_dir_ = IdeDirection::None;
    std::uint32_t pio_pos_ = 0;
    std::uint32_t pio_end_ = 0;
    IdeDirection dma_dir_ = IdeDirection::None;
    std::uint8_t phase_ = 0;
    Cycles phase_due_ = 0;
    EventId event_ = kNoEvent;
};

}  // namespace lantern
