// Fdc82077: registers, the command and result phases, reset and interrupts. The execution of
// seeks and data commands is in fdc82077_exec.cpp, timing in fdc82077_timing.cpp.
#include "devices/floppy/fdc82077.h"

#include <algorithm>
#include <string>

#include "devices/floppy/fdc82077_bits.h"

namespace lantern {

using namespace fdc;

namespace {
// Command lengths and the flag bits (MT, MFM, SK, ...) each command allows in its first byte
// (datasheet Table 5-1). Anything else is an invalid command.
struct CommandSpec {
    std::uint8_t opcode;
    std::uint8_t flags;
    std::uint8_t length;
};
constexpr std::array<CommandSpec, 18> kCommands{{
    {kCmdReadTrack, 0x60, 9},   {kCmdSpecify, 0x00, 3},      {kCmdSenseDrive, 0x00, 2},
    {kCmdWriteData, 0xC0, 9},   {kCmdReadData, 0xE0, 9},     {kCmdRecalibrate, 0x00, 2},
    {kCmdSenseInterrupt, 0x00, 1}, {kCmdWriteDeleted, 0xC0, 9}, {kCmdReadId, 0x40, 2},
    {kCmdReadDeleted, 0xE0, 9}, {kCmdFormat, 0x40, 6},       {kCmdDumpreg, 0x00, 1},
    {kCmdSeek, 0x00, 3},        {kCmdVersion, 0x00, 1},      {kCmdPerpendicular, 0x00, 2},
    {kCmdConfigure, 0x00, 4},   {kCmdLock, 0x80, 1},         {kCmdVerify, 0xE0, 9},
}};

std::uint8_t command_length(std::uint8_t first) {
    // RELATIVE SEEK is SEEK with bit 7 set and the direction in bit 6.
    if (first == 0x8F || first == 0xCF) return 3;
    for (const CommandSpec& c : kCommands)
        if ((first & 0x1F) == c.opcode && (first & 0xE0 & ~c.flags) == 0) return c.length;
    return 0;
}
}  // namespace

Fdc82077::Fdc82077(Scheduler& scheduler, IrqLine& irq, DmaChannel& dma, std::uint64_t cpu_freq_hz,
                   FloppyDriveType drive_a, FloppyDriveType drive_b, FdcOptions options)
    : scheduler_(scheduler),
      irq_(irq),
      dma_(dma),
      ns_clock_(ClockDomain::from_frequencies(cpu_freq_hz, 1'000'000'000)),
      options_(options),
      dir_port_(*this) {
    drives_[0].type = drive_a;
    drives_[1].type = drive_b;
    reset();
}

Fdc82077::~Fdc82077() {
    scheduler_.cancel(step_event_);
    for (Seek& s : seeks_) scheduler_.cancel(s.event);
}

void Fdc82077::map(PortMap& ports, std::uint16_t base) {
    ports.map(base, 6, *this, "fdc");
    ports.map(static_cast<std::uint16_t>(base + 7), 1, dir_port_, "fdc_dir");
}

void Fdc82077::reset() {
    scheduler_.cancel(step_event_);
    step_event_ = kNoEvent;
    step_ = Step::None;
    for (Seek& s : seeks_) {
        scheduler_.cancel(s.event);
        s = Seek{};
    }
    // Hardware reset: the DOR clears (so the chip stays in reset until software releases it), the
    // data rate goes to 250 kbps, LOCK and the perpendicular drive bits clear.
    dor_ = 0;
    tdr_ = 0;
    dsr_ = 0x02;
    drate_ = 2;
    srt_ = hut_ = hlt_ = 0;
    non_dma_ = false;
    lock_ = false;
    perpendicular_ = 0;
    last_sc_eot_ = 0;
    for (FloppyDrive& d : drives_) d.motor_on = false;
    soft_reset();
    reset_held_ = true;
    update_irq();
}

void Fdc82077::soft_reset() {
    // DOR and DSR resets (datasheet 2.1.3, 2.1.6): the command in progress ends, interrupts and
    // status clear, CONFIGURE returns to its defaults except what LOCK protects (EFIFO, FIFOTHR,
    // PRETRK), PERPENDICULAR MODE's GAP and WGATE clear. SPECIFY's values and the data rate stay.
    scheduler_.cancel(step_event_);
    step_event_ = kNoEvent;
    step_ = Step::None;
    for (unsigned d = 0; d < kDrives; ++d)
        if (seeks_[d].active) finish_seek(d, true);
    exec_ = Exec{};
    phase_ = Phase::Command;
    cmd_len_ = cmd_need_ = 0;
    result_len_ = result_pos_ = 0;
    result_int_ = pio_int_ = false;
    sense_count_ = 0;
    pcn_.fill(0);
    eis_ = false;
    poll_disabled_ = false;
    if (!lock_) {
        efifo_ = true;
        fifothr_ = 0;
        pretrk_ = 0;
    }
    perpendicular_ &= 0x3C;
    head_loaded_drive_ = -1;
    update_irq();
}

void Fdc82077::end_reset() {
    // Polling is enabled after every reset and finds all four drives changed from "not ready"
    // (READY is tied true inside the 82077AA), so one interrupt follows with four statuses queued
    // (datasheet 7.4 "Drive Polling").
    reset_held_ = false;
    schedule(Step::ResetPoll, scheduler_.now() + cycles(scaled_ns(125'000)));
}

void Fdc82077::insert_disk(unsigned drive, std::unique_ptr<BlockDevice> disk, bool write_protected) {
    if (drive >= kDrives || !drives_[drive].connected())
        throw DiskImageError("there is no floppy drive " + std::string(1, static_cast<char>('A' + (drive & 3))) + ":");
    if (!disk) throw DiskImageError("no disk image given");
    FloppyDrive& d = drives_[drive];
    const FloppyGeometry g = floppy_geometry_for(*disk);
    if (g.form_factor != d.spec().form_factor) {
        throw DiskImageError(disk->describe() + " is a " + std::string(g.name) + " (" +
                             (g.form_factor == FloppyFormFactor::Inch35 ? "3.5\"" : "5.25\"") +
                             ") disk, which does not fit the " + std::string(d.spec().name) + " drive");
    }
    d.disk = std::move(disk);
    d.geometry = g;
    d.write_protected = write_protected || !d.disk->writable();
    d.deleted.clear();
    d.disk_changed = true;  // the door opened: DSKCHG stays set until the next step pulse
    resume_stalled();
}

std::unique_ptr<BlockDevice> Fdc82077::eject_disk(unsigned drive) {
    if (drive >= kDrives) return nullptr;
    FloppyDrive& d = drives_[drive];
    d.disk_changed = true;
    d.deleted.clear();
    d.geometry = FloppyGeometry{};
    return std::move(d.disk);
}

BlockDevice* Fdc82077::disk(unsigned drive) const { return drive < kDrives ? drives_[drive].disk.get() : nullptr; }

std::uint32_t Fdc82077::data_rate_kbps() const {
    static constexpr std::array<std::uint32_t, 4> kRates{500, 300, 250, 1000};  // DRATE 0-3
    return kRates[drate_ & 3];
}

std::optional<unsigned> Fdc82077::selected_drive() const {
    // The PC/AT's drive select lines reach a drive only together with its motor enable.
    if (reset_held_) return std::nullopt;
    const unsigned d = dor_ & kDorSelect;
    if (!(dor_ & (kDorMotor0 << d)) || !drives_[d].connected()) return std::nullopt;
    return d;
}

bool Fdc82077::interrupt_pending() const { return result_int_ || pio_int_ || sense_count_ > 0; }

void Fdc82077::update_irq() {
    // In AT mode the DOR's DMA gate bit also gates the INT pin (datasheet 2.1.2).
    irq_.set_level(!reset_held_ && (dor_ & kDorDmaGate) && interrupt_pending());
}

std::uint8_t Fdc82077::msr() const {
    if (reset_held_) return 0;
    std::uint8_t m = 0;
    for (unsigned d = 0; d < kDrives; ++d)
        if (seeks_[d].active) m |= static_cast<std::uint8_t>(1u << d);
    switch (phase_) {
        case Phase::Command: m |= kMsrRqm | (cmd_len_ > 0 ? kMsrBusy : 0); break;
        case Phase::Result: m |= kMsrRqm | kMsrDio | kMsrBusy; break;
        case Phase::Execution:
            m |= kMsrBusy;
            if (non_dma_) m |= kMsrNonDma;
            if (exec_.host == HostWait::ReadData) m |= kMsrRqm | kMsrDio;
            if (exec_.host == HostWait::WriteData || exec_.host == HostWait::FormatId) m |= kMsrRqm;
            break;
    }
    return m;
}

std::uint32_t Fdc82077::read(std::uint32_t offset, unsigned size) {
    // An 8-bit device: a wider access is split into byte cycles by the bus.
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size && b < 4; ++b) value |= std::uint32_t{read_register((offset + b) & 7, true)} << (8 * b);
    return value;
}

void Fdc82077::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    for (unsigned b = 0; b < size && b < 4; ++b) write_register((offset + b) & 7, static_cast<std::uint8_t>(value >> (8 * b)));
}

std::uint32_t Fdc82077::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t value = 0;
    for (unsigned b = 0; b < size && b < 4; ++b)
        value |= std::uint32_t{const_cast<Fdc82077*>(this)->read_register((offset + b) & 7, false)} << (8 * b);
    return value;
}

std::uint8_t Fdc82077::read_register(unsigned reg, bool side_effects) {
    switch (reg) {
        case 2: return dor_;
        case 3: return static_cast<std::uint8_t>(0xFC | (tdr_ & 3));
        case 4: return msr();
        case 5: return read_fifo(side_effects);
        case 7: {
            // DIR: only bit 7 is the FDC's in AT mode; bits 6-0 are left to the hard disk card.
            const std::optional<unsigned> d = selected_drive();
            return static_cast<std::uint8_t>(0x7F | (d && drives_[*d].disk_changed ? 0x80 : 0));
        }
        default: return 0xFF;  // SRA/SRB (PS/2 modes only) and 0x3F6: not driven
    }
}

void Fdc82077::write_register(unsigned reg, std::uint8_t value) {
    switch (reg) {
        case 2: write_dor(value); break;
        case 3: tdr_ = value & 3; break;
        case 4:
            // DSR: S/W RESET is self-clearing; DRATE is shared with the CCR (last write wins).
            dsr_ = value & 0x7F;
            drate_ = value & 3;
            if (value & kDsrSwReset) {
                soft_reset();
                if (dor_ & kDorNotReset) end_reset();  // a DOR reset still holds the chip
            }
            break;
        case 5: write_fifo(value); break;
        case 7: drate_ = value & 3; break;  // CCR
        default: break;
    }
}

void Fdc82077::write_dor(std::uint8_t value) {
    const std::uint8_t old = dor_;
    dor_ = value;
    for (unsigned d = 0; d < kDrives; ++d) {
        FloppyDrive& drive = drives_[d];
        const bool on = (value & (kDorMotor0 << d)) != 0;
        if (on == drive.motor_on) continue;
        drive.motor_on = on;
        drive.spin_epoch = scheduler_.now();
        // A disk that stops turning sends no more index pulses: a command waiting on it stalls.
        if (!on && exec_.op != Op::None && exec_.physical == static_cast<int>(d) && exec_.host == HostWait::None &&
            (step_ == Step::Locate || step_ == Step::SectorStart || step_ == Step::SectorEnd ||
             step_ == Step::FormatSector)) {
            scheduler_.cancel(step_event_);
            step_event_ = kNoEvent;
            step_ = Step::None;
            exec_.stalled = true;
        }
    }
    if (!(value & kDorNotReset)) {
        soft_reset();
        reset_held_ = true;
    } else if (!(old & kDorNotReset) || reset_held_) {
        end_reset();
    }
    resume_stalled();
    update_irq();
}

void Fdc82077::push_sense(std::uint8_t st0, std::uint8_t pcn) {
    // One pending status per drive: a newer one for the same drive replaces the older.
    const unsigned drive = st0 & 3;
    for (unsigned i = 0; i < sense_count_; ++i) {
        if ((sense_[i].st0 & 3) == drive) {
            sense_[i] = {st0, pcn};
            return;
        }
    }
    if (sense_count_ < sense_.size()) sense_[sense_count_++] = {st0, pcn};
}

void Fdc82077::to_result(std::initializer_list<std::uint8_t> bytes) { to_result(bytes.begin(), bytes.size()); }

void Fdc82077::to_result(const std::uint8_t* bytes, std::size_t count) {
    result_len_ = static_cast<std::uint8_t>(std::min(count, result_.size()));
    std::copy_n(bytes, result_len_, result_.begin());
    result_pos_ = 0;
    phase_ = Phase::Result;
}

void Fdc82077::to_command_phase() {
    phase_ = Phase::Command;
    cmd_len_ = cmd_need_ = 0;
    result_len_ = result_pos_ = 0;
}

void Fdc82077::write_fifo(std::uint8_t value) {
    if (reset_held_) return;
    if (phase_ == Phase::Execution) {
        if (exec_.host == HostWait::WriteData || exec_.host == HostWait::FormatId) {
            data_latch_ = value;
            if (exec_.buf_pos < exec_.buf_len) exec_.buf[exec_.buf_pos++] = value;
            host_byte_done();
        }
        return;  // no data requested: the byte is lost
    }
    if (phase_ != Phase::Command) return;  // result phase: the controller is not listening
    data_latch_ = value;
    if (cmd_len_ == 0) {
        cmd_need_ = command_length(value);
        if (cmd_need_ == 0) {
            to_result({kSt0Invalid});  // invalid opcode: one result byte, no interrupt
            return;
        }
    }
    cmd_[cmd_len_++] = value;
    if (cmd_len_ >= cmd_need_) {
        // The drive: DS1-DS0 of the command's second byte where it names a drive (82077AA
        // datasheet, command set), else the drive the DOR selects. SPECIFY, SENSE INTERRUPT
        // STATUS, VERSION, DUMPREG, CONFIGURE, LOCK and PERPENDICULAR MODE name none.
        const std::uint8_t op = cmd_[0] & 0x1F;
        const bool names_drive = cmd_need_ >= 2 && op != kCmdSpecify && op != kCmdSenseInterrupt &&
                                 op != kCmdVersion && op != kCmdDumpreg && op != kCmdConfigure &&
                                 op != kCmdLock && op != kCmdPerpendicular;
        const std::uint32_t unit = names_drive ? (cmd_[1] & 3u) : (dor_ & 3u);
        if (report_) report_(DeviceEvent{DeviceEventKind::DiskCommand, cmd_[0], unit});
        start_command();
    }
}

std::uint8_t Fdc82077::read_fifo(bool side_effects) {
    if (reset_held_) return data_latch_;
    if (phase_ == Phase::Result) {
        const std::uint8_t byte = result_pos_ < result_len_ ? result_[result_pos_] : data_latch_;
        if (!side_effects) return byte;
        data_latch_ = byte;
        // Reading the result clears the result-phase interrupt.
        result_int_ = false;
        if (++result_pos_ >= result_len_) to_command_phase();
        update_irq();
        return byte;
    }
    if (phase_ == Phase::Execution && exec_.host == HostWait::ReadData) {
        const std::uint8_t byte = exec_.buf_pos < exec_.buf_len ? exec_.buf[exec_.buf_pos] : data_latch_;
        if (!side_effects) return byte;
        data_latch_ = byte;
        if (exec_.buf_pos < exec_.buf_len) ++exec_.buf_pos;
        host_byte_done();
        return byte;
    }
    return data_latch_;
}

void Fdc82077::start_command() {
    const std::uint8_t first = cmd_[0];
    const std::uint8_t op = first & 0x1F;
    cmd_len_ = 0;
    // Any new command clears a leftover result-phase interrupt.
    result_int_ = false;
    switch (op) {
        case kCmdSpecify:
            srt_ = cmd_[1] >> 4;
            hut_ = cmd_[1] & 0x0F;
            hlt_ = cmd_[2] >> 1;
            non_dma_ = (cmd_[2] & 1) != 0;
            to_command_phase();
            break;
        case kCmdSenseDrive: {
            // ST3 shows the selected drive's lines with the command's head and drive bits.
            std::uint8_t st3 = kSt3AlwaysOne | static_cast<std::uint8_t>(cmd_[1] & 7);
            if (const std::optional<unsigned> d = selected_drive()) {
                const FloppyDrive& drive = drives_[*d];
                if (drive.track == 0) st3 |= kSt3Track0;
                if (drive.has_disk() && drive.write_protected) st3 |= kSt3WriteProtect;
            }
            to_result({st3});
            break;
        }
        case kCmdSenseInterrupt:
            if (sense_count_ == 0) {
                to_result({kSt0Invalid});
            } else {
                const SenseEntry e = sense_[0];
                std::copy(sense_.begin() + 1, sense_.begin() + sense_count_, sense_.begin());
                --sense_count_;
                to_result({e.st0, e.pcn});
            }
            break;
        case kCmdRecalibrate: start_seek(cmd_[1] & 3, true, false, false, 0); break;
        case kCmdSeek:
            if (first & 0x80)
                start_seek(cmd_[1] & 3, false, true, (first & 0x40) != 0, cmd_[2]);
            else
                start_seek(cmd_[1] & 3, false, false, false, cmd_[2]);
            break;
        case kCmdVersion: to_result({kVersion82077}); break;
        case kCmdDumpreg: dumpreg(); break;
        case kCmdConfigure:
            eis_ = (cmd_[2] & 0x40) != 0;
            efifo_ = (cmd_[2] & 0x20) != 0;
            poll_disabled_ = (cmd_[2] & 0x10) != 0;
            fifothr_ = cmd_[2] & 0x0F;
            pretrk_ = cmd_[3];
            to_command_phase();
            break;
        case kCmdLock:
            lock_ = (first & 0x80) != 0;
            to_result({static_cast<std::uint8_t>(lock_ ? 0x10 : 0x00)});
            break;
        case kCmdPerpendicular:
            // OW (bit 7) guards the drive bits D3-D0; GAP and WGATE are always written.
            if (cmd_[1] & 0x80)
                perpendicular_ = static_cast<std::uint8_t>(cmd_[1] & 0x3F);
            else
                perpendicular_ = static_cast<std::uint8_t>((perpendicular_ & 0x3C) | (cmd_[1] & 0x03));
            to_command_phase();
            break;
        case kCmdReadData: begin_exec(Op::ReadData); break;
        case kCmdReadDeleted: begin_exec(Op::ReadDeleted); break;
        case kCmdWriteData: begin_exec(Op::WriteData); break;
        case kCmdWriteDeleted: begin_exec(Op::WriteDeleted); break;
        case kCmdReadTrack: begin_exec(Op::ReadTrack); break;
        case kCmdVerify: begin_exec(Op::Verify); break;
        case kCmdReadId: begin_exec(Op::ReadId); break;
        case kCmdFormat: begin_exec(Op::Format); break;
        default: to_result({kSt0Invalid}); break;
    }
    update_irq();
}

void Fdc82077::dumpreg() {
    // Datasheet Table 5-1, DUMPREG result bytes.
    const std::array<std::uint8_t, 10> r{
        pcn_[0],
        pcn_[1],
        pcn_[2],
        pcn_[3],
        static_cast<std::uint8_t>((srt_ << 4) | hut_),
        static_cast<std::uint8_t>((hlt_ << 1) | (non_dma_ ? 1 : 0)),
        last_sc_eot_,
        static_cast<std::uint8_t>((lock_ ? 0x80 : 0) | perpendicular_),
        static_cast<std::uint8_t>((eis_ ? 0x40 : 0) | (efifo_ ? 0x20 : 0) | (poll_disabled_ ? 0x10 : 0) | fifothr_),
        pretrk_,
    };
    to_result(r.data(), r.size());
}

void Fdc82077::inspect(StateVisitor& v) {
    StateGroup g(v, "fdc");
    std::uint8_t msr_now = msr();
    v.visit("dor", dor_, "digital output register: motors 7-4, DMA/INT gate 3, /RESET 2, select 1-0");
    v.visit("tdr", tdr_, "tape drive register");
    v.visit("dsr", dsr_, "data rate select register (power down 6, precomp 4-2)");
    v.visit("drate", drate_, "data rate: 0 500k, 1 300k, 2 250k, 3 1M bps (DSR/CCR)");
    if (!v.loading()) v.visit("msr", msr_now, "main status register: RQM 7, DIO 6, NDMA 5, CB 4, busy 3-0");
    v.visit("reset_held", reset_held_, "DOR /RESET low: the chip is held in reset");
    v.visit("srt", srt_, "SPECIFY step rate");
    v.visit("hut", hut_, "SPECIFY head unload time");
    v.visit("hlt", hlt_, "SPECIFY head load time");
    v.visit("non_dma", non_dma_, "SPECIFY ND: programmed I/O data transfers");
    v.visit("eis", eis_, "CONFIGURE implied seek");
    v.visit("efifo", efifo_, "CONFIGURE FIFO disabled");
    v.visit("poll_disabled", poll_disabled_, "CONFIGURE drive polling disabled");
    v.visit("fifothr", fifothr_, "CONFIGURE FIFO threshold - 1");
    v.visit("pretrk", pretrk_, "CONFIGURE precompensation start track");
    v.visit("lock", lock_, "LOCK: EFIFO, FIFOTHR and PRETRK survive software resets");
    v.visit("perpendicular", perpendicular_, "PERPENDICULAR MODE: D3-D0 5-2, GAP 1, WGATE 0");
    v.visit("last_sc_eot", last_sc_eot_, "DUMPREG SC/EOT");
    v.visit("phase", phase_, "0 command, 1 execution, 2 result");
    v.bytes("command", cmd_);
    v.visit("command_len", cmd_len_, "command bytes received");
    v.visit("command_need", cmd_need_, "command bytes expected");
    v.bytes("result", result_);
    v.visit("result_len", result_len_, "result bytes");
    v.visit("result_pos", result_pos_, "result bytes read");
    v.visit("data_latch", data_latch_, "last byte through the FIFO");
    v.visit("result_int", result_int_, "INT from the result phase");
    v.visit("pio_int", pio_int_, "INT from a non-DMA data request");
    v.visit("sense_count", sense_count_, "SENSE INTERRUPT STATUS results queued");
    for (unsigned i = 0; i < kDrives; ++i) {
        StateGroup sg(v, "sense" + std::to_string(i));
        v.visit("st0", sense_[i].st0);
        v.visit("pcn", sense_[i].pcn);
    }
    v.visit("head_loaded_until", head_loaded_until_, "CPU cycle the head unloads at");
    v.visit("head_loaded_drive", head_loaded_drive_, "drive whose head is loaded (-1 none)");
    v.visit("step", step_, "pending controller event: 0 none, 1 reset poll, 2 locate, 3 sector start, "
                           "4 sector end, 5 format sector, 6 finish");
    v.visit("step_when", step_when_, "CPU cycle of the pending controller event");
    for (unsigned d = 0; d < kDrives; ++d) {
        StateGroup dg(v, "drive" + std::to_string(d));
        FloppyDrive& drive = drives_[d];
        Seek& s = seeks_[d];
        std::string media = drive.has_disk() ? std::string(drive.geometry.name) : std::string("none");
        if (!v.loading()) {
            std::string type(drive.spec().name);
            v.text("type", type);
            v.text("media", media);
        }
        v.visit("pcn", pcn_[d], "present cylinder number (controller's idea)");
        v.visit("track", drive.track, "physical head position");
        v.visit("write_protected", drive.write_protected, "WP");
        v.visit("disk_changed", drive.disk_changed, "DSKCHG latch");
        v.visit("motor_on", drive.motor_on, "motor running");
        v.visit("spin_epoch", drive.spin_epoch, "CPU cycle of an index pulse");
        v.visit("seek_active", s.active, "stepping");
        v.visit("seek_recalibrate", s.recalibrate, "the seek is a RECALIBRATE");
        v.visit("seek_inward", s.inward, "stepping toward the spindle");
        v.visit("seek_recal_failed", s.recalibrate_failed, "RECALIBRATE will end with EC");
        v.visit("seek_physical", s.physical, "drive receiving the steps (-1 none)");
        v.visit("seek_steps", s.steps, "step pulses");
        v.visit("seek_target", s.target_pcn, "PCN when done");
        v.visit("seek_st0", s.st0, "ST0 for SENSE INTERRUPT STATUS");
        v.visit("seek_start", s.start, "CPU cycle the steps began");
        v.visit("seek_when", s.when, "CPU cycle the seek ends");
    }
    {
        StateGroup eg(v, "exec");
        Exec& e = exec_;
        v.visit("op", e.op, "0 none, 1 read, 2 read deleted, 3 write, 4 write deleted, 5 read track, "
                            "6 verify, 7 read id, 8 format");
        v.visit("mt", e.mt);
        v.visit("mfm", e.mfm);
        v.visit("sk", e.sk);
        v.visit("ec", e.ec);
        v.visit("ds", e.ds);
        v.visit("head", e.head);
        v.visit("c", e.c);
        v.visit("h", e.h);
        v.visit("r", e.r);
        v.visit("n", e.n);
        v.visit("eot", e.eot);
        v.visit("gpl", e.gpl);
        v.visit("dtl_sc", e.dtl);
        v.visit("fill", e.fill);
        v.visit("sectors", e.sectors, "sectors passed / IDs formatted");
        v.visit("st0", e.st0);
        v.visit("st1", e.st1);
        v.visit("st2", e.st2);
        v.visit("physical", e.physical, "drive the command runs on");
        v.visit("pos_ns", e.pos_ns, "spindle time (ns since an index pulse) of the pending step");
        v.visit("stalled", e.stalled, "waiting for index pulses (no disk / motor off)");
        v.visit("host", e.host, "non-DMA wait: 0 none, 1 host reads, 2 host writes, 3 format IDs");
        v.visit("buf_len", e.buf_len);
        v.visit("buf_pos", e.buf_pos);
        v.bytes("buf", e.buf);
    }
    if (v.loading()) {
        // A snapshot is data from outside: clamp everything used as an index or a length.
        auto valid_drive = [](std::int8_t d) -> std::int8_t {
            return (d < -1 || d >= static_cast<int>(kDrives)) ? std::int8_t{-1} : d;
        };
        if (phase_ > Phase::Result) phase_ = Phase::Command;
        if (step_ > Step::Finish) step_ = Step::None;
        if (exec_.op > Op::Format) exec_.op = Op::None;
        if (exec_.host > HostWait::FormatId) exec_.host = HostWait::None;
        cmd_need_ = std::min<std::uint8_t>(cmd_need_, static_cast<std::uint8_t>(cmd_.size()));
        cmd_len_ = std::min(cmd_len_, cmd_need_);
        result_len_ = std::min<std::uint8_t>(result_len_, static_cast<std::uint8_t>(result_.size()));
        result_pos_ = std::min(result_pos_, result_len_);
        sense_count_ = std::min<std::uint8_t>(sense_count_, static_cast<std::uint8_t>(sense_.size()));
        exec_.buf_len = std::min<std::uint16_t>(exec_.buf_len, static_cast<std::uint16_t>(kSectorBytes));
        exec_.buf_pos = std::min(exec_.buf_pos, exec_.buf_len);
        exec_.physical = valid_drive(exec_.physical);
        head_loaded_drive_ = valid_drive(head_loaded_drive_);
        for (unsigned d = 0; d < kDrives; ++d) seeks_[d].physical = valid_drive(seeks_[d].physical);
        // Events cannot be saved: re-arm them from the restored times.
        scheduler_.cancel(step_event_);
        step_event_ = kNoEvent;
        if (step_ != Step::None) schedule(step_, step_when_);
        for (unsigned d = 0; d < kDrives; ++d) {
            Seek& s = seeks_[d];
            scheduler_.cancel(s.event);
            s.event = kNoEvent;
            if (s.active)
                s.event = scheduler_.at(s.when, [this, d](Cycles) { finish_seek(d, false); }, "fdc seek");
        }
        update_irq();
    }
}

}  // namespace lantern
