// Piix4Pm: the power-management function of the 82371AB PIIX4, PCI function 00:01.3 (vendor
// 8086h, device 7113h; 82371AB datasheet, sections 3.6 "Power management configuration
// registers" and 3.7 "Power management I/O registers"), the ACPI hardware an OS drives through
// the FADT: PM1a status/enable/control, the PM timer and the GPE block.
//
// PCI configuration: PMBA (40h, bits 15:6) places the 64-byte PM I/O block; PMREGMISC (80h) bit 0
// PMIOSE enables its decoding. SMBus (SMBBA 90h, SMBHSTCFG D2h) and the device monitor registers
// are register state only - Lantern has no SMBus devices.
//
// PM I/O block (offsets from PMBA):
//   00h PMSTS   write-1-to-clear status: TMROF_STS (0), BM_STS (4), GBL_STS (5), PWRBTN_STS (8),
//               RTC_STS (10), RSM_STS/WAK_STS (15)
//   02h PMEN    enables for those events (SCI when SCI_EN is set)
//   04h PMCNTRL SCI_EN (0), BRLD_EN_BM (1), GBL_RLS (2, write-only), SUS_TYP (12:10),
//               SUS_EN (13, write-only): writing SUS_EN = 1 enters the sleep state SUS_TYP; type 0 is
//               Soft Off (S5), which calls the board's power_off callback (the run ends cleanly)
//   08h PMTMR   24-bit free-running count of the 3.579545 MHz clock (14.31818 MHz / 4), read-only;
//               TMROF_STS sets each time bit 23 toggles
//   0Ch GPSTS / 0Eh GPEN, 10h PCNTRL, 14h/15h PLVL2/PLVL3, 18h GLBSTS, 1Ch DEVSTS, 20h GLBEN,
//   28h GLBCTL (bit 1 BIOS_RLS sets GBL_STS), 2Ch DEVCTL, 30h GPIREG, 34h GPOREG
//
// The timer is computed, not ticked: count = clock ticks since power-on, converted exactly from CPU
// cycles through a ClockDomain, so reading it at cycle N always gives the same value. The SCI is a
// level output (IRQ9 on PC boards, per the FADT's SCI_INT): SCI_EN and any enabled status bit.
// An event is scheduled only while TMROF_EN is set, at the next bit-23 toggle.
//
// SMM: Lantern's CPUs have no System Management Mode, so nothing can take an SMI. Like QEMU's
// PIIX4 without SMM, DEVACTB (58h) comes out of reset with APMC_EN (bit 25) set, which firmware
// reads as "SMM already initialised" (SeaBIOS's piix4_apmc_smm_setup returns instead of waiting
// forever for an SMI handler to clear APMS). APMC (I/O B2h) and APMS (B3h) are plain registers
// (82371AB datasheet, "APMC" / "APMS"), and the two APMC commands the firmware's SMI handler
// would serve - the FADT's ACPI_ENABLE F1h and ACPI_DISABLE F0h, what SeaBIOS's handler does -
// set and clear SCI_EN directly, as QEMU does.
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "devices/clock_domain.h"
#include "devices/io_device.h"
#include "devices/irq_line.h"
#include "devices/pci/pci_function.h"
#include "devices/scheduler.h"

namespace lantern {

class Piix4Pm final : public PciFunction {
public:
    static constexpr std::uint64_t kPmTimerHz = 3'579'545;  // 14.31818 MHz / 4
    static constexpr std::uint32_t kIoSize = 64;
    static constexpr std::uint8_t kPmBase = 0x40;
    static constexpr std::uint8_t kPmRegMisc = 0x80;
    static constexpr std::uint8_t kDevActB = 0x58;
    static constexpr std::uint32_t kApmcEn = 1u << 25;
    static constexpr std::uint16_t kApmPortBase = 0xB2;  // APMC B2h, APMS B3h
    static constexpr std::uint8_t kAcpiEnable = 0xF1, kAcpiDisable = 0xF0;

    // PM I/O register offsets.
    static constexpr std::uint32_t kPmSts = 0x00, kPmEn = 0x02, kPmCntrl = 0x04, kPmTmr = 0x08;
    static constexpr std::uint32_t kGpSts = 0x0C, kGpEn = 0x0E, kGlbSts = 0x18, kGlbCtl = 0x28;
    static constexpr std::uint16_t kTmrOf = 1u << 0, kGblSts = 1u << 5;
    static constexpr std::uint16_t kSciEn = 1u << 0, kSusEn = 1u << 13;

    Piix4Pm(Scheduler& scheduler, std::uint64_t cpu_freq_hz, IrqLine* sci = nullptr);

    void set_sci_line(IrqLine* sci);
    // Called when the OS enters Soft Off (SUS_TYP 0, SUS_EN 1).
    void set_power_off(std::function<void()> callback) { power_off_ = std::move(callback); }
    // Called for the other sleep types (1-7); Lantern's board has no suspend, so without a
    // callback they are recorded (last_sleep_type) and the machine keeps running.
    void set_sleep_request(std::function<void(unsigned sus_typ)> cb) { sleep_request_ = std::move(cb); }

    // The 24-bit PM timer value now.
    std::uint32_t pm_timer() const;
    bool sci_level() const { return sci_level_; }
    bool io_enabled() const { return (config8(kPmRegMisc) & 1) != 0; }
    std::uint16_t io_base() const { return static_cast<std::uint16_t>(config32(kPmBase) & 0xFFC0); }
    int last_sleep_type() const { return last_sleep_type_; }
    bool powered_off() const { return powered_off_; }

    // The PM I/O block as a device (the bus maps it at PMBA while PMIOSE is set).
    IoDevice& io() { return io_; }
    // APMC and APMS, two bytes the board maps at kApmPortBase.
    IoDevice& apm_ports() { return apm_; }

    void reset() override;

    std::string_view inspect_name() const override { return "piix4_pm"; }

protected:
    void update_windows() override;
    void inspect_state(StateVisitor& v) override;
    void after_load() override;

private:
    class PmIo final : public IoDevice {
    public:
        explicit PmIo(Piix4Pm& pm) : pm_(pm) {}
        std::uint32_t read(std::uint32_t offset, unsigned size) override;
        void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
        std::uint32_t peek(std::uint32_t offset, unsigned size) const override;
        std::string_view inspect_name() const override { return "piix4_pm_io"; }
        void inspect(StateVisitor& v) override { pm_.inspect_state(v); }

    private:
        Piix4Pm& pm_;
    };

    class ApmPorts final : public IoDevice {
    public:
        explicit ApmPorts(Piix4Pm& pm) : pm_(pm) {}
        std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
        void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
        std::uint32_t peek(std::uint32_t offset, unsigned size) const override;
        std::string_view inspect_name() const override { return "apm"; }
        void inspect(StateVisitor& v) override { pm_.inspect_state(v); }

    private:
        Piix4Pm& pm_;
    };

    std::uint64_t ticks() const;
    // Folds bit-23 toggles since the last look into TMROF_STS.
    void sync_timer();
    std::uint8_t io_byte(std::uint32_t offset) const;
    void io_write_byte(std::uint32_t offset, std::uint8_t value);
    std::uint16_t reg16(std::uint32_t offset) const;
    void update_sci();
    void arm_timer_event();
    void timer_event(Cycles when);

    Scheduler& scheduler_;
    ClockDomain clock_;
    IrqLine* sci_ = nullptr;
    PmIo io_{*this};
    ApmPorts apm_{*this};
    std::uint8_t apmc_ = 0, apms_ = 0;
    std::size_t window_ = 0;
    std::function<void()> power_off_{};
    std::function<void(unsigned)> sleep_request_{};

    std::array<std::uint8_t, kIoSize> regs_{};      // the I/O block's stored bytes
    std::array<std::uint8_t, kIoSize> writable_{};  // per byte: bits software may write
    std::array<std::uint8_t, kIoSize> clear_{};     // per byte: write-1-to-clear bits
    Cycles origin_cycles_ = 0;                     // cycle at which the timer read 0
    std::uint64_t timer_epoch_ = 0;                // ticks >> 23 when TMROF_STS was last folded in
    bool sci_level_ = false;
    bool powered_off_ = false;
    int last_sleep_type_ = -1;
    EventId timer_event_ = kNoEvent;
    Cycles timer_event_due_ = 0;  // cycle of the armed overflow event, kNever when none
};

}  // namespace lantern
