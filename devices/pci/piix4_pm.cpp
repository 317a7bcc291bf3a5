#include "devices/pci/piix4_pm.h"

namespace lantern {

namespace {
PciIdentity pm_identity() {
    PciIdentity id;
    id.vendor_id = 0x8086;
    id.device_id = 0x7113;
    id.revision = 0x03;
    id.class_code = 0x068000;  // bridge device, other bridge
    id.header_type = 0x00;
    id.interrupt_pin = 0x01;   // INTA# (used for SMBus interrupts)
    return id;
}
constexpr std::uint32_t kTimerMask = 0x00FFFFFF;
}  // namespace

Piix4Pm::Piix4Pm(Scheduler& scheduler, std::uint64_t cpu_freq_hz, IrqLine* sci)
    : PciFunction(pm_identity()),
      scheduler_(scheduler),
      clock_(ClockDomain::from_frequencies(cpu_freq_hz, kPmTimerHz)),
      sci_(sci) {
    set_default(pci_reg::kStatus, 0x0280, 2);
    set_writable(pci_reg::kCommand, 0x0001, 2);  // IOSE: SMBus I/O space
    set_default(kPmBase, 0x00000001, 4);         // bit 0: I/O space indicator
    set_writable(kPmBase, 0x0000FFC0, 4);
    for (std::uint8_t r = 0x44; r < 0x80; ++r) set_writable(r, 0xFF, 1);  // CNTA..DEVRESJ
    set_writable(kPmRegMisc, 0x01, 1);           // PMIOSE
    set_default(kDevActB, kApmcEn, 4);           // "SMM initialised": no SMM here (see header)
    set_default(0x90, 0x00000001, 4);            // SMBBA
    set_writable(0x90, 0x0000FFF0, 4);
    set_writable(0xD2, 0x0F, 1);                 // SMBHSTCFG
    set_writable(0xD3, 0xFF, 1);                 // SMBSLVC
    set_writable(0xD4, 0xFFFF, 2);               // SMBSHDW1/2

    // PM I/O block masks (82371AB datasheet, 3.7).
    auto w16 = [this](std::uint32_t off, std::uint16_t writable, std::uint16_t clear) {
        writable_[off] = static_cast<std::uint8_t>(writable);
        writable_[off + 1] = static_cast<std::uint8_t>(writable >> 8);
        clear_[off] = static_cast<std::uint8_t>(clear);
        clear_[off + 1] = static_cast<std::uint8_t>(clear >> 8);
    };
    w16(kPmSts, 0, 0x8531);      // RSM, RTC, PWRBTN, GBL, BM, TMROF status
    w16(kPmEn, 0x0521, 0);       // RTC_EN, PWRBTN_EN, GBL_EN, TMROF_EN
    w16(kPmCntrl, 0x1C03, 0);    // SUS_TYP, BRLD_EN_BM, SCI_EN (SUS_EN, GBL_RLS are write-only)
    w16(kGpSts, 0, 0x0F81);      // GPI status bits
    w16(kGpEn, 0x0F81, 0);
    for (std::uint32_t o = 0x10; o < 0x14; ++o) writable_[o] = 0xFF;  // PCNTRL
    w16(kGlbSts, 0, 0x0D25);     // GLBSTS: BIOS_STS, APM_STS, ... write-1-to-clear
    for (std::uint32_t o = 0x1C; o < 0x20; ++o) clear_[o] = 0xFF;     // DEVSTS
    w16(0x20, 0x8F07, 0);        // GLBEN
    for (std::uint32_t o = 0x28; o < 0x30; ++o) writable_[o] = 0xFF;  // GLBCTL, DEVCTL
    writable_[0x28] = 0xFD;      // BIOS_RLS (bit 1) is write-only
    for (std::uint32_t o = 0x34; o < 0x38; ++o) writable_[o] = 0xFF;  // GPOREG

    window_ = add_window(PciSpace::Io, kIoSize, io_, "piix4_pm_io");
    origin_cycles_ = scheduler_.now();
}

void Piix4Pm::set_sci_line(IrqLine* sci) {
    sci_ = sci;
    if (sci_) sci_->set_level(sci_level_);
}

std::uint64_t Piix4Pm::ticks() const {
    const Cycles now = scheduler_.now();
    return now > origin_cycles_ ? clock_.to_ticks(now - origin_cycles_) : 0;
}

std::uint32_t Piix4Pm::pm_timer() const { return static_cast<std::uint32_t>(ticks() & kTimerMask); }

void Piix4Pm::sync_timer() {
    const std::uint64_t epoch = ticks() >> 23;
    if (epoch != timer_epoch_) {
        regs_[kPmSts] |= kTmrOf;  // bit 23 toggled at least once since the last look
        timer_epoch_ = epoch;
    }
}

std::uint16_t Piix4Pm::reg16(std::uint32_t offset) const {
    return static_cast<std::uint16_t>(regs_[offset] | (regs_[offset + 1] << 8));
}

void Piix4Pm::update_sci() {
    const std::uint16_t pm_events = reg16(kPmSts) & reg16(kPmEn) & 0x0521;
    const std::uint16_t gp_events = reg16(kGpSts) & reg16(kGpEn);
    const bool level = (reg16(kPmCntrl) & kSciEn) && (pm_events || gp_events);
    sci_level_ = level;
    if (sci_) sci_->set_level(level);
    arm_timer_event();
}

void Piix4Pm::arm_timer_event() {
    // Only an enabled, not yet pending overflow can change the SCI: schedule its exact cycle.
    const bool want = (reg16(kPmEn) & kTmrOf) && !(regs_[kPmSts] & kTmrOf);
    if (!want) {
        if (timer_event_ != kNoEvent) scheduler_.cancel(timer_event_);
        timer_event_ = kNoEvent;
        timer_event_due_ = kNever;
        return;
    }
    const Cycles due = origin_cycles_ + clock_.to_cycles((timer_epoch_ + 1) << 23);
    if (timer_event_ != kNoEvent && timer_event_due_ == due && scheduler_.pending(timer_event_)) return;
    if (timer_event_ != kNoEvent) scheduler_.cancel(timer_event_);
    timer_event_due_ = due;
    timer_event_ = scheduler_.at(due, [this](Cycles when) { timer_event(when); }, "piix4_pm.tmrof");
}

void Piix4Pm::timer_event(Cycles) {
    timer_event_ = kNoEvent;
    timer_event_due_ = kNever;
    sync_timer();
    update_sci();
}

std::uint8_t Piix4Pm::io_byte(std::uint32_t offset) const {
    if (offset >= kIoSize) return 0xFF;
    if (offset >= kPmTmr && offset < kPmTmr + 4) return static_cast<std::uint8_t>(pm_timer() >> (8 * (offset - kPmTmr)));
    std::uint8_t b = regs_[offset];
    if (offset == kPmSts && (ticks() >> 23) != timer_epoch_) b |= kTmrOf;  // what sync would fold in
    return b;
}

void Piix4Pm::io_write_byte(std::uint32_t offset, std::uint8_t value) {
    if (offset >= kIoSize) return;
    std::uint8_t b = static_cast<std::uint8_t>((regs_[offset] & ~writable_[offset]) | (value & writable_[offset]));
    b = static_cast<std::uint8_t>(b & ~(value & clear_[offset]));
    regs_[offset] = b;
    if (offset == kPmCntrl && (value & 0x04)) regs_[kGlbSts] |= 0x01;  // GBL_RLS -> BIOS_STS (SMI)
    if (offset == kGlbCtl && (value & 0x02)) regs_[kPmSts] |= kGblSts; // BIOS_RLS -> GBL_STS (SCI)
    if (offset == kPmCntrl + 1 && (value & (kSusEn >> 8))) {
        const unsigned type = (value >> 2) & 7;  // SUS_TYP, bits 12:10
        last_sleep_type_ = static_cast<int>(type);
        if (type == 0) {
            powered_off_ = true;
            if (power_off_) power_off_();
        } else if (sleep_request_) {
            sleep_request_(type);
        }
    }
}

std::uint32_t Piix4Pm::PmIo::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i) v |= std::uint32_t(pm_.io_byte(offset + i)) << (8 * i);
    return v;
}

std::uint32_t Piix4Pm::PmIo::read(std::uint32_t offset, unsigned size) {
    if (offset < kPmSts + 2 && offset + size > kPmSts) pm_.sync_timer();
    return peek(offset, size);
}

void Piix4Pm::PmIo::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    pm_.sync_timer();  // a status bit set before this write must be clearable by it
    for (unsigned i = 0; i < size && i < 4; ++i)
        pm_.io_write_byte(offset + i, static_cast<std::uint8_t>(value >> (8 * i)));
    pm_.update_sci();
}

std::uint32_t Piix4Pm::ApmPorts::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i) {
        const std::uint32_t o = offset + i;
        v |= std::uint32_t(o == 0 ? pm_.apmc_ : o == 1 ? pm_.apms_ : 0xFF) << (8 * i);
    }
    return v;
}

void Piix4Pm::ApmPorts::write(std::uint32_t offset, std::uint32_t value, unsigned size) {
    for (unsigned i = 0; i < size && i < 4; ++i) {
        const auto b = static_cast<std::uint8_t>(value >> (8 * i));
        if (offset + i == 1) pm_.apms_ = b;
        if (offset + i != 0) continue;
        pm_.apmc_ = b;
        // What the firmware's SMI handler would do for the FADT's ACPI_ENABLE / ACPI_DISABLE.
        if (b == kAcpiEnable) pm_.regs_[kPmCntrl] |= kSciEn;
        if (b == kAcpiDisable) pm_.regs_[kPmCntrl] &= static_cast<std::uint8_t>(~kSciEn);
    }
    pm_.update_sci();
}

void Piix4Pm::update_windows() {
    set_window(window_, io_base(), io_enabled() && io_base() != 0);
    PciFunction::update_windows();
}

void Piix4Pm::reset() {
    regs_.fill(0);
    origin_cycles_ = scheduler_.now();
    timer_epoch_ = 0;
    powered_off_ = false;
    last_sleep_type_ = -1;
    apmc_ = apms_ = 0;
    PciFunction::reset();
    update_sci();
}

void Piix4Pm::inspect_state(StateVisitor& v) {
    StateGroup g(v, "pm_io");
    v.bytes("registers", regs_);
    v.visit("origin_cycles", origin_cycles_, "CPU cycle at which the PM timer read 0");
    v.visit("timer_epoch", timer_epoch_, "PM timer bit-23 periods folded into TMROF_STS");
    v.visit("sci_level", sci_level_, "SCI output (IRQ9)");
    v.visit("powered_off", powered_off_, "the OS entered Soft Off");
    v.visit("last_sleep_type", last_sleep_type_, "SUS_TYP of the last SUS_EN write (-1: none)");
    v.visit("timer_event_due", timer_event_due_, "cycle of the armed TMROF event");
    v.visit("apmc", apmc_, "APMC (B2h): last APM command");
    v.visit("apms", apms_, "APMS (B3h): APM status scratch byte");
    if (!v.loading()) {
        std::uint64_t tmr = pm_timer();
        std::uint64_t sts = reg16(kPmSts), en = reg16(kPmEn), cnt = reg16(kPmCntrl);
        v.field("pm_tmr", tmr, 24, "PMTMR: 3.579545 MHz ticks, 24 bits");
        v.field("pmsts", sts, 16, "PMSTS");
        v.field("pmen", en, 16, "PMEN");
        v.field("pmcntrl", cnt, 16, "PMCNTRL: bit 0 SCI_EN, 12:10 SUS_TYP");
    }
}

void Piix4Pm::after_load() {
    PciFunction::after_load();
    // The scheduler does not restore callbacks: drop any event of ours and re-arm from the state.
    if (timer_event_ != kNoEvent) scheduler_.cancel(timer_event_);
    timer_event_ = kNoEvent;
    timer_event_due_ = kNever;
    update_sci();
}

}  // namespace lantern
