// Fdc82077: the Intel 82077AA floppy disk controller in PC/AT mode, with up to four drives (the
// AT cable carries two: A: and B:).
//
// Registers at 0x3F0 + offset (82077AA datasheet, section 2 "Microprocessor Interface"):
//   2  DOR  R/W  drive select (1-0), /RESET (2), DMA and interrupt gate (3), motors 0-3 (7-4)
//   3  TDR  R/W  tape drive select (1-0); bits 7-2 not driven in AT mode
//   4  MSR  R    RQM (7), DIO (6: controller -> host), NON-DMA (5), CMD BSY (4), DRV3-0 BUSY (3-0)
//      DSR  W    S/W RESET (7, self-clearing), POWER DOWN (6), PRECOMP (4-2), DRATE (1-0)
//   5  FIFO R/W  command bytes, result bytes and non-DMA data
//   7  DIR  R    DSKCHG (7) of the selected drive; bits 6-0 belong to the hard disk controller
//      CCR  W    DRATE (1-0)
// 0x3F0/0x3F1 (status registers A/B) exist only in PS/2 modes: in AT mode nothing drives them.
// 0x3F6 is the hard disk controller's, so map() leaves it out.
//
// Commands (datasheet section 5): READ DATA, READ DELETED DATA, WRITE DATA, WRITE DELETED DATA,
// READ TRACK, VERIFY, READ ID, FORMAT TRACK, RECALIBRATE, SEEK, RELATIVE SEEK, SENSE INTERRUPT
// STATUS, SENSE DRIVE STATUS, SPECIFY, CONFIGURE, VERSION, DUMPREG, LOCK, PERPENDICULAR MODE.
// The SCAN commands are not implemented: they answer as invalid commands (ST0 = 0x80).
//
// Timing, in virtual time from the Scheduler (all figures scale with the data rate as the
// datasheet's SPECIFY table does; `FdcOptions::fast` divides every mechanical delay by 100):
//   step rate       (16 - SRT) ms at 500 kbps (x 500/rate: 2 ms units at 250 kbps, 0.5 at 1 Mbps)
//   head load       HLT x 2 ms at 500 kbps (HLT 0 = 128), when the head was unloaded
//   head unload     HUT x 16 ms at 500 kbps (HUT 0 = 16) after a read/write ends
//   rotation        60 s / RPM: 200 ms per turn at 300 RPM, 166.7 ms at 360 RPM; the index hole
//                   passes when the motor was switched on and once per turn after; sector k of n
//                   occupies the k-th n-th of the turn (gaps included), so a sector's data is done
//                   at (k + 1) / n of the turn and consecutive sectors follow without a gap
//   not found       ND / MA are reported at the second index pulse after the search began
//   reset           the post-reset polling interrupt comes after one polling loop, 250 us at
//                   250 kbps (datasheet 8.1 gives that as the longest polling delay)
// Not modelled: motor spin-up (a disk reads as soon as its motor bit is set), the FIFO's burst
// timing (data moves a sector at a time, when the sector's data field has passed the head), sector
// interleave and gap lengths (FORMAT's GPL), and the analog settings (DSR PRECOMP, POWER DOWN,
// CONFIGURE's FIFO threshold, PERPENDICULAR MODE), which are kept and shown but change nothing.
// An image holds one standard format: WRITE DELETED DATA marks live in memory for the session, and
// FORMAT fills the sectors whose IDs match the image's layout (other IDs change nothing).
//
// Drive selection: a command's DS bits pick the controller's PCN register and the ST0 drive bits;
// the drive that steps, reads and writes is the one the DOR selects, with its motor on ("these
// bits are used internally only ... it is the user's responsibility to maintain correspondence
// with the DOR", datasheet Table 5-1 note). It is fixed when the command starts.
//
// Things a guest sees that come from the drives, not the chip: with no disk in the drive, or its
// motor off, no index pulses arrive and a read/write/format/READ ID never finishes (the datasheet's
// "lock-up", 8.1: the BIOS times out and resets the controller). A wrong data rate, FM mode, a
// track the medium does not have, or an odd track under a double-stepping drive find no address
// mark: ST0 IC=01, ST1 MA after two index pulses. Non-DMA reads never overrun: a host slower than
// the disk makes the controller wait for the sector to come round again.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "devices/clock_domain.h"
#include "devices/device_event.h"
#include "devices/dma/dma_channel.h"
#include "devices/floppy/floppy_drive.h"
#include "devices/io_device.h"
#include "devices/irq_line.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"

namespace lantern {

struct FdcOptions {
    bool fast = false;  // divide mechanical delays (steps, head load, rotation) by kFastDivisor
};

class Fdc82077 final : public IoDevice {
public:
    static constexpr std::uint16_t kBasePort = 0x3F0;
    static constexpr unsigned kIrq = 6;
    static constexpr unsigned kDmaChannel = 2;
    static constexpr unsigned kDrives = 4;
    static constexpr std::uint64_t kFastDivisor = 100;
    static constexpr std::size_t kSectorBytes = 512;

    enum class Phase : std::uint8_t { Command, Execution, Result };

    Fdc82077(Scheduler& scheduler, IrqLine& irq, DmaChannel& dma, std::uint64_t cpu_freq_hz,
             FloppyDriveType drive_a = FloppyDriveType::Drive1440K,
             FloppyDriveType drive_b = FloppyDriveType::None, FdcOptions options = {});
    ~Fdc82077() override;
    Fdc82077(const Fdc82077&) = delete;
    Fdc82077& operator=(const Fdc82077&) = delete;

    // Claims base+0..base+5 and base+7 (0x3F0-0x3F5, 0x3F7).
    void map(PortMap& ports, std::uint16_t base = kBasePort);
    // The RESET pin (power-on): everything to its datasheet reset value, the DOR included, which
    // leaves the controller held in reset until software sets DOR bit 2.
    // Reports DiskCommand when a whole command has been written (devices/device_event.h).
    void set_event_report(DeviceEventReport report) { report_ = std::move(report); }
    void reset();

    // Media. insert_disk throws DiskImageError when the image is no known floppy format or does
    // not fit the drive (a 3.5" disk in a 5.25" drive, no drive there). A disk that cannot be
    // written (BlockDevice::writable() false) is write-protected whatever `write_protected` says.
    void insert_disk(unsigned drive, std::unique_ptr<BlockDevice> disk, bool write_protected = false);
    std::unique_ptr<BlockDevice> eject_disk(unsigned drive);
    BlockDevice* disk(unsigned drive) const;
    const FloppyDrive& drive(unsigned n) const { return drives_[n & 3]; }

    // For tests, the debugger and the GUI.
    std::uint8_t msr() const;
    Phase phase() const { return phase_; }
    std::uint8_t dor() const { return dor_; }
    std::uint32_t data_rate_kbps() const;
    std::uint8_t pcn(unsigned drive) const { return pcn_[drive & 3]; }
    bool interrupt_pending() const;

    // IoDevice: offsets 0-7 from the base port.
    std::uint32_t read(std::uint32_t offset, unsigned size) override;
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return "fdc"; }
    void inspect(StateVisitor& v) override;

private:
    // 0x3F7 sits apart from 0x3F0-0x3F5; this forwards it as offset 7.
    class DirPort final : public IoDevice {
    public:
        explicit DirPort(Fdc82077& fdc) : fdc_(fdc) {}
        std::uint32_t read(std::uint32_t, unsigned size) override { return fdc_.read(7, size); }
        void write(std::uint32_t, std::uint32_t value, unsigned size) override { fdc_.write(7, value, size); }
        std::uint32_t peek(std::uint32_t, unsigned size) const override { return fdc_.peek(7, size); }
        std::string_view inspect_name() const override { return "fdc_dir"; }
        void inspect(StateVisitor&) override {}

    private:
        Fdc82077& fdc_;
    };

    enum class Op : std::uint8_t { None, ReadData, ReadDeleted, WriteData, WriteDeleted, ReadTrack, Verify, ReadId, Format };
    // What the controller's one pending event does when it fires.
    enum class Step : std::uint8_t { None, ResetPoll, Locate, SectorStart, SectorEnd, FormatSector, Finish };
    // Non-DMA data the host owes or is owed.
    enum class HostWait : std::uint8_t { None, ReadData, WriteData, FormatId };

    struct SenseEntry {
        std::uint8_t st0 = 0;
        std::uint8_t pcn = 0;
    };
    struct Seek {
        bool active = false;
        bool recalibrate = false;
        bool inward = false;
        bool recalibrate_failed = false;
        std::int8_t physical = -1;  // drive receiving the step pulses, -1 for none
        std::uint8_t steps = 0;
        std::uint8_t target_pcn = 0;
        std::uint8_t st0 = 0;
        Cycles start = 0;
        Cycles when = 0;
        EventId event = kNoEvent;
    };
    // The data command in progress (datasheet Table 5-1 parameter names).
    struct Exec {
        Op op = Op::None;
        bool mt = false, mfm = false, sk = false, ec = false;
        std::uint8_t ds = 0, head = 0;
        std::uint8_t c = 0, h = 0, r = 0, n = 0, eot = 0, gpl = 0, dtl = 0;  // dtl doubles as SC
        std::uint8_t fill = 0;          // FORMAT's D
        std::uint16_t sectors = 0;      // sectors passed (or IDs formatted)
        std::uint8_t st0 = 0, st1 = 0, st2 = 0;  // accumulated status / a pending Finish's status
        std::int8_t physical = -1;
        std::uint64_t pos_ns = 0;       // spindle position the pending step is for
        std::uint64_t index_ns = 0;     // FORMAT: the index pulse the track starts at
        bool stop_after = false;        // non-DMA read: end after this sector (control mark)
        bool stalled = false;           // waiting for index pulses that never come
        HostWait host = HostWait::None;
        std::uint16_t buf_len = 0, buf_pos = 0;
        std::array<std::uint8_t, kSectorBytes> buf{};
    };

    // Registers and phases (fdc82077.cpp).
    std::uint8_t read_register(unsigned reg, bool side_effects);
    void write_register(unsigned reg, std::uint8_t value);
    void write_dor(std::uint8_t value);
    void write_fifo(std::uint8_t value);
    std::uint8_t read_fifo(bool side_effects);
    void soft_reset();
    void end_reset();
    void update_irq();
    void start_command();
    void to_result(std::initializer_list<std::uint8_t> bytes);
    void to_result(const std::uint8_t* bytes, std::size_t count);
    void to_command_phase();
    void push_sense(std::uint8_t st0, std::uint8_t pcn);
    void dumpreg();

    // Time (fdc82077_timing.cpp).
    std::uint64_t scaled_ns(std::uint64_t ns_at_500k) const;
    std::uint64_t mech_ns(std::uint64_t ns) const;
    std::uint64_t step_ns() const;
    std::uint64_t head_load_ns() const;
    std::uint64_t head_unload_ns() const;
    std::uint64_t revolution_ns(const FloppyDrive& d) const;
    Cycles cycles(std::uint64_t ns) const { return ns_clock_.to_cycles(ns); }
    std::uint64_t spindle_ns(const FloppyDrive& d, Cycles t) const;
    Cycles spindle_cycles(const FloppyDrive& d, std::uint64_t ns) const;
    // The first spindle time at or after `pos` that is `offset` into a revolution.
    static std::uint64_t next_at(std::uint64_t pos, std::uint64_t offset, std::uint64_t rev);
    void schedule(Step step, Cycles when);
    void on_event(Cycles when);

    // Seeks (fdc82077_exec.cpp).
    std::optional<unsigned> selected_drive() const;
    void start_seek(unsigned ds, bool recalibrate, bool relative, bool inward, std::uint8_t value);
    void finish_seek(unsigned ds, bool interrupted);
    Cycles seeks_done_at() const;

    // Data commands (fdc82077_exec.cpp).
    void begin_exec(Op op);
    void locate();
    void sector_start();
    void sector_end();
    void after_sector(bool terminal_count, bool stop_here);
    void format_sector();
    void apply_format_id();
    void finish(std::uint8_t ic, std::uint8_t st1, std::uint8_t st2);
    void finish_at(Cycles when, std::uint8_t ic, std::uint8_t st1, std::uint8_t st2);
    void fail_after_two_index(std::uint8_t st1, std::uint8_t st2);
    void resume_stalled();
    void host_byte_done();
    bool track_readable(const FloppyDrive& d) const;
    std::uint32_t media_cylinder(const FloppyDrive& d) const;
    std::optional<std::uint32_t> sector_lba(const FloppyDrive& d, std::uint8_t head, std::uint8_t r) const;
    DmaTransferResult dma_move(std::span<std::uint8_t> data);
    bool is_write_op() const;

    Scheduler& scheduler_;
    IrqLine& irq_;
    DmaChannel& dma_;
    ClockDomain ns_clock_;
    FdcOptions options_;
    DirPort dir_port_;
    std::array<FloppyDrive, kDrives> drives_{};

    // Registers.
    std::uint8_t dor_ = 0;
    std::uint8_t tdr_ = 0;
    std::uint8_t dsr_ = 0x02;  // PRECOMP/POWER DOWN as written; DRATE mirrored in drate_
    std::uint8_t drate_ = 2;   // 250 kbps after a hardware reset
    DeviceEventReport report_{};
    bool reset_held_ = true;
    // SPECIFY.
    std::uint8_t srt_ = 0, hut_ = 0, hlt_ = 0;
    bool non_dma_ = false;
    // CONFIGURE, LOCK, PERPENDICULAR MODE.
    bool eis_ = false, efifo_ = true, poll_disabled_ = false;
    std::uint8_t fifothr_ = 0, pretrk_ = 0;
    bool lock_ = false;
    std::uint8_t perpendicular_ = 0;  // D3-D0 in bits 5-2, GAP bit 1, WGATE bit 0 (DUMPREG layout)
    std::uint8_t last_sc_eot_ = 0;    // DUMPREG's SC/EOT byte

    // Phases.
    Phase phase_ = Phase::Command;
    std::array<std::uint8_t, 9> cmd_{};
    std::uint8_t cmd_len_ = 0, cmd_need_ = 0;
    std::array<std::uint8_t, 10> result_{};
    std::uint8_t result_len_ = 0, result_pos_ = 0;
    std::uint8_t data_latch_ = 0;  // last byte through the FIFO register
    bool result_int_ = false;      // INT from entering the result phase
    bool pio_int_ = false;         // INT from a non-DMA data request
    std::array<SenseEntry, kDrives> sense_{};
    std::uint8_t sense_count_ = 0;

    std::array<std::uint8_t, kDrives> pcn_{};
    std::array<Seek, kDrives> seeks_{};
    Exec exec_{};
    Cycles head_loaded_until_ = 0;
    std::int8_t head_loaded_drive_ = -1;

    Step step_ = Step::None;
    Cycles step_when_ = 0;
    EventId step_event_ = kNoEvent;
};

}  // namespace lantern
