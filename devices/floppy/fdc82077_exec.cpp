// Fdc82077: the execution phase — seeks and recalibrates, and the data commands (read, write,
// verify, read track, READ ID, FORMAT) as a chain of events at the times the disk brings each
// address mark and data field under the head.
#include <algorithm>

#include "devices/floppy/fdc82077.h"
#include "devices/floppy/fdc82077_bits.h"

namespace lantern {

using namespace fdc;

namespace {
// What a read does with a sector given its data address mark (datasheet Tables 5-4 and 5-5): read
// it or skip it, set ST2 CM, and whether the command ends after it (the "address not incremented,
// next sector not searched for" rows).
struct MarkAction {
    bool transfer = true;
    bool control_mark = false;
    bool stop = false;
};
MarkAction mark_action(bool want_deleted, bool deleted, bool sk) {
    if (deleted == want_deleted) return {};
    if (sk) return {false, true, false};
    return {true, true, true};
}
}  // namespace

// ---------------------------------------------------------------------------------------------
// Seeks

Cycles Fdc82077::seeks_done_at() const {
    Cycles t = scheduler_.now();
    for (const Seek& s : seeks_)
        if (s.active) t = std::max(t, s.when);
    return t;
}

void Fdc82077::start_seek(unsigned ds, bool recalibrate, bool relative, bool inward, std::uint8_t value) {
    if (seeks_[ds].active) finish_seek(ds, true);
    Seek& s = seeks_[ds];
    s = Seek{};
    const std::optional<unsigned> phys = selected_drive();
    s.physical = phys ? static_cast<std::int8_t>(*phys) : -1;
    const std::uint8_t pcn = pcn_[ds];
    s.st0 = static_cast<std::uint8_t>(kSt0SeekEnd | ds);  // "the H bit in ST0 always returns 0"
    s.recalibrate = recalibrate;
    if (recalibrate) {
        // Step out until TRK0, at most 79 pulses; then EC (datasheet 5.2.2). With no drive
        // answering, TRK0 never comes.
        const unsigned needed = phys ? drives_[*phys].track : kRecalibrateSteps + 1;
        s.steps = static_cast<std::uint8_t>(std::min(needed, kRecalibrateSteps));
        s.recalibrate_failed = needed > kRecalibrateSteps;
        s.inward = false;
        s.target_pcn = 0;
        if (s.recalibrate_failed) s.st0 |= kSt0Abnormal | kSt0EquipCheck;
    } else if (relative) {
        // RELATIVE SEEK: RCN steps, DIR 1 = inward; the 8-bit PCN wraps (datasheet 5.2.7).
        s.steps = value;
        s.inward = inward;
        s.target_pcn = static_cast<std::uint8_t>(inward ? pcn + value : pcn - value);
    } else {
        s.steps = static_cast<std::uint8_t>(value > pcn ? value - pcn : pcn - value);
        s.inward = value > pcn;
        s.target_pcn = value;
    }
    s.active = true;
    s.start = scheduler_.now();
    s.when = s.start + cycles(std::uint64_t{s.steps} * step_ns());
    s.event = scheduler_.at(s.when, [this, ds](Cycles) {
        seeks_[ds].event = kNoEvent;
        finish_seek(ds, false);
    }, "fdc seek");
    // SEEK and RECALIBRATE have no result phase: the controller takes the next command at once
    // while the drive steps (datasheet 5.2.3).
    to_command_phase();
}

void Fdc82077::finish_seek(unsigned ds, bool interrupted) {
    Seek& s = seeks_[ds];
    if (!s.active) return;
    unsigned done = s.steps;
    if (interrupted) {
        // A reset (or a new seek on the drive) stops the pulses: the head got as far as it got.
        scheduler_.cancel(s.event);
        const Cycles per_step = cycles(step_ns());
        const Cycles elapsed = scheduler_.now() - s.start;
        if (per_step > 0) done = static_cast<unsigned>(std::min<Cycles>(s.steps, elapsed / per_step));
    }
    if (s.physical >= 0) drives_[s.physical].step(s.inward, done);
    if (interrupted) {
        // RECALIBRATE cleared the PCN when it started; a seek counted the pulses it gave.
        pcn_[ds] = s.recalibrate ? 0 : static_cast<std::uint8_t>(s.inward ? pcn_[ds] + done : pcn_[ds] - done);
    } else {
        pcn_[ds] = s.target_pcn;
        push_sense(s.st0, pcn_[ds]);
    }
    s = Seek{};
    update_irq();
}

// ---------------------------------------------------------------------------------------------
// Data commands

bool Fdc82077::is_write_op() const {
    return exec_.op == Op::WriteData || exec_.op == Op::WriteDeleted || exec_.op == Op::Format;
}

std::uint32_t Fdc82077::media_cylinder(const FloppyDrive& d) const {
    return d.track / track_step_ratio(d.type, d.geometry);
}

bool Fdc82077::track_readable(const FloppyDrive& d) const {
    // The controller finds address marks only on an MFM track written at the data rate it is
    // set to, on a cylinder and side the medium has, exactly under the head.
    if (!d.has_disk() || !exec_.mfm) return false;
    if (media_data_rate_kbps(d.type, d.geometry) != data_rate_kbps()) return false;
    if (d.track % track_step_ratio(d.type, d.geometry) != 0) return false;
    return media_cylinder(d) < d.geometry.cylinders && exec_.head < d.geometry.heads;
}

std::optional<std::uint32_t> Fdc82077::sector_lba(const FloppyDrive& d, std::uint8_t head, std::uint8_t r) const {
    const FloppyGeometry& g = d.geometry;
    if (r == 0 || r > g.sectors_per_track || head >= g.heads) return std::nullopt;
    const std::uint32_t c = media_cylinder(d);
    if (c >= g.cylinders) return std::nullopt;
    return (c * g.heads + head) * g.sectors_per_track + (r - 1u);
}

DmaTransferResult Fdc82077::dma_move(std::span<std::uint8_t> data) {
    // DRQ reaches the 8237 only through the DOR's DMA gate (AT mode).
    if (!(dor_ & kDorDmaGate)) return {};
    dma_.request();
    const DmaTransferResult r = dma_.transfer(data);
    dma_.release();
    return r;
}

void Fdc82077::begin_exec(Op op) {
    exec_ = Exec{};
    Exec& e = exec_;
    e.op = op;
    phase_ = Phase::Execution;
    const std::uint8_t first = cmd_[0];
    e.mt = (first & kFlagMt) != 0;
    e.mfm = (first & kFlagMfm) != 0;
    e.sk = (first & kFlagSk) != 0;
    e.ds = cmd_[1] & 3;
    e.head = (cmd_[1] >> 2) & 1;
    e.ec = op == Op::Verify && (cmd_[1] & 0x80) != 0;
    if (op == Op::Format) {
        e.n = cmd_[2];
        e.dtl = cmd_[3];  // SC
        e.gpl = cmd_[4];
        e.fill = cmd_[5];
        last_sc_eot_ = e.dtl;
    } else if (op != Op::ReadId) {
        e.c = cmd_[2];
        e.h = cmd_[3];
        e.r = cmd_[4];
        e.n = cmd_[5];
        e.eot = cmd_[6];
        e.gpl = cmd_[7];
        e.dtl = cmd_[8];
        last_sc_eot_ = e.eot;
    }
    const std::optional<unsigned> phys = selected_drive();
    e.physical = phys ? static_cast<std::int8_t>(*phys) : -1;
    // The write-protect line is checked before anything moves (ST1 NW).
    if (is_write_op() && phys && drives_[*phys].has_disk() && drives_[*phys].write_protected) {
        finish(kSt0Abnormal, kSt1NotWritable, 0);
        return;
    }
    // Step pulses for other drives finish first (8272A-compatible: no command runs while the
    // controller is stepping a drive).
    Cycles t = seeks_done_at();
    if (eis_ && op != Op::ReadId && op != Op::Format && e.c != pcn_[e.ds]) {
        // Implied seek (CONFIGURE EIS): step to C before looking for the sector.
        const std::uint8_t pcn = pcn_[e.ds];
        const unsigned steps = e.c > pcn ? e.c - pcn : pcn - e.c;
        if (phys) drives_[*phys].step(e.c > pcn, steps);
        pcn_[e.ds] = e.c;
        t += cycles(std::uint64_t{steps} * step_ns());
    }
    if (!(head_loaded_drive_ == e.physical && scheduler_.now() < head_loaded_until_)) t += cycles(head_load_ns());
    schedule(Step::Locate, t);
}

void Fdc82077::resume_stalled() {
    if (phase_ != Phase::Execution || !exec_.stalled || step_ != Step::None) return;
    const std::optional<unsigned> phys = selected_drive();
    if (!phys) return;
    const FloppyDrive& d = drives_[*phys];
    if (!d.has_disk() || !d.motor_on) return;
    exec_.physical = static_cast<std::int8_t>(*phys);
    exec_.pos_ns = spindle_ns(d, scheduler_.now());
    locate();
}

void Fdc82077::fail_after_two_index(std::uint8_t st1, std::uint8_t st2) {
    // "If the 82077AA detects a pulse on the IDX pin twice without finding the specified sector"
    // (datasheet 5.1.1): the search gives up at the second index pulse.
    const FloppyDrive& d = drives_[exec_.physical];
    const std::uint64_t rev = revolution_ns(d);
    const std::uint64_t second = next_at(exec_.pos_ns, 0, rev) + rev;
    finish_at(spindle_cycles(d, second), kSt0Abnormal, st1, static_cast<std::uint8_t>(st2 | exec_.st2));
}

void Fdc82077::locate() {
    Exec& e = exec_;
    if (e.physical < 0 || !drives_[e.physical].has_disk() || !drives_[e.physical].motor_on) {
        e.stalled = true;  // no index pulses: wait (the datasheet's lock-up, 8.1)
        return;
    }
    e.stalled = false;
    FloppyDrive& d = drives_[e.physical];
    const std::uint64_t rev = revolution_ns(d);

    if (e.op == Op::Format) {
        const bool representable = track_readable(d) && e.n == d.geometry.size_code;
        if (!representable) {
            // The image holds one format at one data rate; a track it cannot represent fails.
            fail_after_two_index(kSt1NoData, 0);
            return;
        }
        const std::uint16_t sc = std::max<std::uint16_t>(1, e.dtl);
        e.index_ns = next_at(e.pos_ns, 0, rev);  // formatting starts at the index hole
        e.pos_ns = e.index_ns + rev * e.sectors / sc;
        schedule(Step::FormatSector, spindle_cycles(d, e.pos_ns));
        return;
    }
    if (!track_readable(d)) {
        fail_after_two_index(kSt1MissingAddressMark, 0);
        return;
    }
    const std::uint8_t spt = d.geometry.sectors_per_track;
    const std::uint32_t cyl = media_cylinder(d);
    if (e.op == Op::ReadId) {
        // The first ID field to pass the head.
        const std::uint64_t within = e.pos_ns % rev;
        std::uint64_t k = (within * spt + rev - 1) / rev;
        std::uint64_t t = e.pos_ns - within;
        if (k >= spt) {
            k = 0;
            t += rev;
        }
        t += rev * k / spt;
        e.c = static_cast<std::uint8_t>(cyl);
        e.h = e.head;
        e.r = static_cast<std::uint8_t>(k + 1);
        e.n = d.geometry.size_code;
        finish_at(spindle_cycles(d, t), kSt0Normal, 0, 0);
        return;
    }
    // The sector to pass next: READ TRACK takes them in the order they come from the index hole;
    // the others look for the ID C, H, R, N.
    std::uint8_t sector_r = e.r;
    if (e.op == Op::ReadTrack) {
        sector_r = static_cast<std::uint8_t>(e.sectors % spt + 1);
        if (!(e.c == cyl && e.h == e.head && e.r == sector_r && e.n == d.geometry.size_code))
            e.st1 |= kSt1NoData;  // READ TRACK notes the mismatch and reads on (datasheet 5.1.3)
    } else if (!(e.c == cyl && e.h == e.head && e.n == d.geometry.size_code && e.r >= 1 && e.r <= spt)) {
        fail_after_two_index(kSt1NoData, e.c != cyl ? kSt2WrongCylinder : 0);
        return;
    }
    const std::uint64_t k = sector_r - 1u;
    const std::uint64_t start = next_at(e.pos_ns, rev * k / spt, rev);
    const std::uint64_t end = start + (rev * (k + 1) / spt - rev * k / spt);
    if (non_dma_ && (e.op == Op::WriteData || e.op == Op::WriteDeleted)) {
        // Non-DMA write: the data is asked for when the ID has been found.
        e.pos_ns = end;
        schedule(Step::SectorStart, spindle_cycles(d, start));
    } else {
        e.pos_ns = end;
        schedule(Step::SectorEnd, spindle_cycles(d, end));
    }
}

void Fdc82077::sector_start() {
    exec_.host = HostWait::WriteData;
    exec_.buf_len = kSectorBytes;
    exec_.buf_pos = 0;
    pio_int_ = true;
    update_irq();
}

void Fdc82077::sector_end() {
    Exec& e = exec_;
    if (e.physical < 0 || !drives_[e.physical].has_disk() || !drives_[e.physical].motor_on) {
        e.stalled = true;  // the disk went away (or stopped) under the head
        return;
    }
    FloppyDrive& d = drives_[e.physical];
    const std::uint8_t sector_r = e.op == Op::ReadTrack
                                      ? static_cast<std::uint8_t>(e.sectors % d.geometry.sectors_per_track + 1)
                                      : e.r;
    const std::optional<std::uint32_t> lba = sector_lba(d, e.head, sector_r);
    if (!lba) {
        finish(kSt0Abnormal, kSt1NoData, e.st2);
        return;
    }
    std::span<std::uint8_t> buf(e.buf.data(), kSectorBytes);
    if (e.op == Op::WriteData || e.op == Op::WriteDeleted) {
        bool tc = false;
        if (!non_dma_) {
            // Bytes past a terminal count are written as zeros (the sector is always completed).
            std::fill(buf.begin(), buf.end(), 0xFF);
            const DmaTransferResult r = dma_move(buf);
            if (r.bytes < buf.size() && !r.terminal_count) {
                finish(kSt0Abnormal, kSt1Overrun, e.st2);  // underrun: the DMA did not keep up
                return;
            }
            std::fill(buf.begin() + static_cast<std::ptrdiff_t>(r.bytes), buf.end(), 0);
            tc = r.terminal_count;
        }
        const BlockStatus status = d.disk->write_sectors(*lba, buf);
        if (status == BlockStatus::ReadOnly) {
            finish(kSt0Abnormal, kSt1NotWritable, e.st2);
            return;
        }
        if (status != BlockStatus::Ok) {
            finish(kSt0Abnormal | kSt0EquipCheck, 0, e.st2);  // the host file failed us: a drive fault
            return;
        }
        if (e.op == Op::WriteDeleted) d.deleted.insert(*lba);
        else d.deleted.erase(*lba);
        after_sector(tc, false);
        return;
    }
    // Reads: READ DATA, READ DELETED DATA, READ TRACK, VERIFY.
    const bool deleted = d.deleted.contains(*lba);
    const MarkAction action = e.op == Op::ReadTrack ? MarkAction{}
                                                     : mark_action(e.op == Op::ReadDeleted, deleted, e.sk);
    if (action.control_mark) e.st2 |= kSt2ControlMark;
    if (!action.transfer || e.op == Op::Verify) {
        after_sector(false, action.stop);
        return;
    }
    if (d.disk->read_sectors(*lba, buf) != BlockStatus::Ok) {
        finish(kSt0Abnormal, kSt1DataError, static_cast<std::uint8_t>(e.st2 | kSt2DataErrorInData));
        return;
    }
    if (non_dma_) {
        e.host = HostWait::ReadData;
        e.buf_len = kSectorBytes;
        e.buf_pos = 0;
        e.stop_after = action.stop;
        pio_int_ = true;
        update_irq();
        return;
    }
    const DmaTransferResult r = dma_move(buf);
    if (r.bytes < buf.size() && !r.terminal_count) {
        finish(kSt0Abnormal, kSt1Overrun, e.st2);  // nobody took the data: the FIFO overran
        return;
    }
    after_sector(r.terminal_count, action.stop);
}

void Fdc82077::after_sector(bool terminal_count, bool stop_here) {
    Exec& e = exec_;
    ++e.sectors;
    if (stop_here) {
        finish(kSt0Normal, 0, e.st2);  // a control mark ends the command on this sector
        return;
    }
    if (e.op == Op::ReadTrack) {
        ++e.r;
        if (terminal_count || e.sectors >= e.eot) {
            finish(e.st1 ? kSt0Abnormal : kSt0Normal, e.st1, e.st2);
            return;
        }
        locate();
        return;
    }
    // The ID the result phase reports (datasheet Table 5-6): the next sector, or sector 1 of the
    // other side (MT) or of the next cylinder after EOT.
    bool switch_head = false;
    bool cylinder_done = false;
    if (e.r == e.eot) {
        e.r = 1;
        if (e.mt && (e.h & 1) == 0) {
            e.h ^= 1;
            switch_head = true;
        } else {
            ++e.c;
            if (e.mt) e.h ^= 1;
            cylinder_done = true;
        }
    } else {
        ++e.r;
    }
    if (terminal_count || (e.op == Op::Verify && e.ec && e.sectors >= e.dtl)) {
        finish(kSt0Normal, 0, e.st2);
        return;
    }
    if (cylinder_done) {
        // Past EOT without TC: "end of cylinder" — except VERIFY with EC=0, which ends at EOT by
        // design (datasheet Table 5-7).
        if (e.op == Op::Verify && !e.ec)
            finish(kSt0Normal, 0, e.st2);
        else
            finish(kSt0Abnormal, kSt1EndOfCylinder, e.st2);
        return;
    }
    if (switch_head) e.head = 1;
    locate();  // the next sector follows straight on
}

void Fdc82077::format_sector() {
    Exec& e = exec_;
    if (e.physical < 0 || !drives_[e.physical].has_disk() || !drives_[e.physical].motor_on) {
        e.stalled = true;
        return;
    }
    if (non_dma_) {
        e.host = HostWait::FormatId;
        e.buf_len = 4;
        e.buf_pos = 0;
        pio_int_ = true;
        update_irq();
        return;
    }
    std::span<std::uint8_t> id(e.buf.data(), 4);
    std::fill(id.begin(), id.end(), 0xFF);
    const DmaTransferResult r = dma_move(id);
    if (r.bytes < id.size() && !r.terminal_count) {
        finish(kSt0Abnormal, kSt1Overrun, 0);
        return;
    }
    e.buf_len = static_cast<std::uint16_t>(r.bytes);
    apply_format_id();
    if (phase_ != Phase::Execution) return;
    if (r.terminal_count && e.sectors < std::max<std::uint16_t>(1, e.dtl)) {
        // TC ends the ID list early; the controller still writes to the index hole.
        const FloppyDrive& d = drives_[e.physical];
        finish_at(spindle_cycles(d, e.index_ns + revolution_ns(d)), kSt0Normal, 0, 0);
    }
}

void Fdc82077::apply_format_id() {
    // One ID (C, H, R, N) from the host: the sector it names gets the fill byte. The image keeps
    // the standard layout, so an ID naming a sector it does not have changes nothing.
    Exec& e = exec_;
    if (e.physical < 0 || !drives_[e.physical].has_disk()) {
        e.stalled = true;
        return;
    }
    FloppyDrive& d = drives_[e.physical];
    e.c = e.buf[0];
    e.h = e.buf[1];
    e.r = e.buf[2];
    e.n = e.buf[3];
    if (e.c == media_cylinder(d) && e.h == e.head && e.n == d.geometry.size_code) {
        if (const std::optional<std::uint32_t> lba = sector_lba(d, e.head, e.r)) {
            std::array<std::uint8_t, kSectorBytes> fill{};
            fill.fill(e.fill);
            const BlockStatus status = d.disk->write_sectors(*lba, fill);
            if (status != BlockStatus::Ok) {
                finish(status == BlockStatus::ReadOnly ? kSt0Abnormal : kSt0Abnormal | kSt0EquipCheck,
                       status == BlockStatus::ReadOnly ? kSt1NotWritable : 0, 0);
                return;
            }
            d.deleted.erase(*lba);
        }
    }
    ++e.sectors;
    const std::uint64_t rev = revolution_ns(d);
    const std::uint16_t sc = std::max<std::uint16_t>(1, e.dtl);
    if (e.sectors >= sc) {
        finish_at(spindle_cycles(d, e.index_ns + rev), kSt0Normal, 0, 0);  // done at the index
        return;
    }
    const std::uint64_t next = e.index_ns + rev * e.sectors / sc;
    e.pos_ns = std::max(next, spindle_ns(d, scheduler_.now()));
    schedule(Step::FormatSector, spindle_cycles(d, e.pos_ns));
}

void Fdc82077::host_byte_done() {
    Exec& e = exec_;
    // Non-DMA: INT follows RQM, byte by byte (datasheet 5.2.4, reason 3).
    pio_int_ = false;
    update_irq();
    if (e.buf_pos < e.buf_len) {
        pio_int_ = true;
        update_irq();
        return;
    }
    const HostWait wait = e.host;
    e.host = HostWait::None;
    if (e.physical < 0) return;
    const FloppyDrive& d = drives_[e.physical];
    const std::uint64_t now_ns = spindle_ns(d, scheduler_.now());
    switch (wait) {
        case HostWait::ReadData:
            e.pos_ns = std::max(e.pos_ns, now_ns);
            after_sector(false, e.stop_after);
            break;
        case HostWait::WriteData:
            e.pos_ns = std::max(e.pos_ns, now_ns);
            schedule(Step::SectorEnd, spindle_cycles(d, e.pos_ns));
            break;
        case HostWait::FormatId: apply_format_id(); break;
        case HostWait::None: break;
    }
}

void Fdc82077::finish_at(Cycles when, std::uint8_t ic, std::uint8_t st1, std::uint8_t st2) {
    exec_.st0 = ic;
    exec_.st1 = st1;
    exec_.st2 = st2;
    schedule(Step::Finish, when);
}

void Fdc82077::finish(std::uint8_t ic, std::uint8_t st1, std::uint8_t st2) {
    Exec& e = exec_;
    scheduler_.cancel(step_event_);
    step_event_ = kNoEvent;
    step_ = Step::None;
    const auto st0 = static_cast<std::uint8_t>(ic | (e.head ? kSt0Head : 0) | e.ds);
    to_result({st0, st1, st2, e.c, e.h, e.r, e.n});
    e.op = Op::None;
    e.host = HostWait::None;
    e.stalled = false;
    pio_int_ = false;
    result_int_ = true;  // entering the result phase of a data command interrupts (5.2.4)
    head_loaded_drive_ = e.physical;
    head_loaded_until_ = scheduler_.now() + cycles(head_unload_ns());
    update_irq();
}

}  // namespace lantern
