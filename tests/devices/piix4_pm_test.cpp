#include <doctest/doctest.h>

#include "devices/irq_line.h"
#include "devices/memory_map.h"
#include "devices/pci/pci_bus.h"
#include "devices/pci/piix4_pm.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"
#include "ide_rig.h"
#include "recording_visitor.h"
#include "run_until.h"

using namespace lantern;
using namespace lantern::testing;

namespace {

constexpr std::uint16_t kPmBase = 0xB000;

struct PmRig {
    explicit PmRig(std::uint64_t cpu_hz) : pm(scheduler, cpu_hz, &sci) {
        bus.attach(1, 3, pm);
        pm.config_write(0x40, kPmBase, 4);  // PMBA
        pm.config_write(0x80, 0x01, 1);     // PMIOSE
    }
    std::uint32_t in(std::uint16_t off, unsigned size) { return ports.read(kPmBase + off, size); }
    void out(std::uint16_t off, std::uint32_t v, unsigned size) { ports.write(kPmBase + off, v, size); }

    Scheduler scheduler{};
    PortMap ports{};
    MemoryMap memory{};
    PciBus bus{ports, memory};
    IrqLine sci{};
    Piix4Pm pm;
};

}  // namespace

TEST_SUITE("piix4_pm") {
    TEST_CASE("configuration: identity, PMBA and PMIOSE place the PM I/O block") {
        Scheduler s;
        PortMap ports;
        MemoryMap memory;
        PciBus bus(ports, memory);
        Piix4Pm pm(s, 33'000'000);
        bus.attach(1, 3, pm);
        CHECK(pm.config_read(0x00, 4) == 0x71138086);
        CHECK((pm.config_read(0x08, 4) >> 8) == 0x068000);
        CHECK(pm.config_read(0x3D, 1) == 0x01);
        CHECK(pm.config_read(0x40, 4) == 0x00000001);
        pm.config_write(0x40, 0xFFFFFFFF, 4);
        CHECK(pm.config_read(0x40, 4) == 0x0000FFC1);  // 64 bytes of I/O
        pm.config_write(0x40, 0x0000E000, 4);
        CHECK(ports.device_at(0xE000) == nullptr);  // PMIOSE still clear
        pm.config_write(0x80, 0x01, 1);
        CHECK(ports.device_at(0xE000) == &pm.io());
        CHECK(ports.device_at(0xE03F) == &pm.io());
        CHECK(ports.device_at(0xE040) == nullptr);
        pm.config_write(0x41, 0xE1, 1);  // move to E100h
        CHECK(ports.device_at(0xE000) == nullptr);
        CHECK(ports.device_at(0xE100) == &pm.io());
        pm.config_write(0x80, 0x00, 1);
        CHECK(ports.device_at(0xE100) == nullptr);
    }

    TEST_CASE("No SMM: APMC_EN reads set after reset; APMC F1h/F0h switch SCI_EN, APMS is a scratch byte") {
        PmRig r(33'000'000);
        r.ports.map(Piix4Pm::kApmPortBase, 2, r.pm.apm_ports(), "apm");
        CHECK((r.pm.config_read(0x58, 4) & Piix4Pm::kApmcEn) != 0);
        r.ports.write(0xB3, 0x01, 1);
        CHECK(r.ports.read(0xB3, 1) == 0x01);  // nothing clears it: no SMI handler runs
        CHECK((r.in(0x04, 2) & 1) == 0);
        r.ports.write(0xB2, 0xF1, 1);          // ACPI_ENABLE
        CHECK((r.in(0x04, 2) & 1) == 1);
        CHECK(r.ports.read(0xB2, 1) == 0xF1);
        r.ports.write(0xB2, 0xF0, 1);          // ACPI_DISABLE
        CHECK((r.in(0x04, 2) & 1) == 0);
        r.pm.config_write(0x58, 0, 4);
        r.pm.reset();
        CHECK((r.pm.config_read(0x58, 4) & Piix4Pm::kApmcEn) != 0);
        CHECK(r.ports.read(0xB3, 1) == 0x00);
    }

    TEST_CASE("PM timer: exact 3.579545 MHz ticks at a 14.31818 MHz CPU (4 cycles per tick)") {
        PmRig r(14'318'180);
        CHECK(r.in(0x08, 4) == 0);
        run_until(r.scheduler, 3999);
        CHECK(r.in(0x08, 4) == 999);
        run_until(r.scheduler, 4000);
        CHECK(r.in(0x08, 4) == 1000);
        CHECK(r.in(0x09, 1) == 0x03);  // byte reads see the same count
        // TMROF_STS sets exactly when bit 23 toggles (2^23 ticks = 4 * 2^23 cycles).
        run_until(r.scheduler, 4ull * (1u << 23) - 1);
        CHECK(r.in(0x08, 4) == 0x7FFFFF);
        CHECK((r.in(0x00, 2) & 1) == 0);
        run_until(r.scheduler, 4ull * (1u << 23));
        CHECK(r.in(0x08, 4) == 0x800000);
        CHECK((r.in(0x00, 2) & 1) == 1);
        r.out(0x00, 0x0001, 2);  // write one to clear
        CHECK((r.in(0x00, 2) & 1) == 0);
        // 24 bits: it wraps to zero after 2^24 ticks, toggling bit 23 again.
        run_until(r.scheduler, 4ull * (1u << 24) + 8);
        CHECK(r.in(0x08, 4) == 2);
        CHECK((r.in(0x00, 2) & 1) == 1);
    }

    TEST_CASE("PM timer: exact ticks at a 33 MHz CPU") {
        PmRig r(33'000'000);
        run_until(r.scheduler, 9);
        CHECK(r.pm.pm_timer() == 0);   // 9 * 3579545 / 33e6 = 0.976
        run_until(r.scheduler, 10);
        CHECK(r.pm.pm_timer() == 1);   // 1.085
        run_until(r.scheduler, 33'000'000);
        CHECK(r.in(0x08, 4) == 3'579'545);  // one second
        run_until(r.scheduler, 330'000'001);
        CHECK(r.in(0x08, 4) == (35'795'450u & 0xFFFFFF));  // ten seconds, wrapped to 24 bits
    }

    TEST_CASE("SCI: timer overflow with TMROF_EN and SCI_EN, at the exact cycle") {
        PmRig r(14'318'180);
        r.out(0x02, 0x0001, 2);  // TMROF_EN
        r.out(0x04, 0x0001, 2);  // SCI_EN
        CHECK_FALSE(r.sci.level());
        run_until(r.scheduler, 4ull * (1u << 23) - 1);
        CHECK_FALSE(r.sci.level());
        run_until(r.scheduler, 4ull * (1u << 23));
        CHECK(r.sci.level());
        CHECK(r.pm.sci_level());
        r.out(0x00, 0x0001, 2);
        CHECK_FALSE(r.sci.level());
        run_until(r.scheduler, 4ull * (1u << 24));  // the next toggle (the wrap) interrupts again
        CHECK(r.sci.level());
        r.out(0x04, 0x0000, 2);  // SCI_EN off: the status stays, the line drops
        CHECK_FALSE(r.sci.level());
        CHECK((r.in(0x00, 2) & 1) == 1);
    }

    TEST_CASE("SCI from BIOS_RLS -> GBL_STS when GBL_EN is set") {
        PmRig r(33'000'000);
        r.out(0x04, 0x0001, 2);
        r.out(0x28, 0x02, 1);  // BIOS_RLS
        CHECK((r.in(0x00, 2) & 0x20) != 0);
        CHECK_FALSE(r.sci.level());  // GBL_EN still clear
        r.out(0x02, 0x0020, 2);
        CHECK(r.sci.level());
        CHECK((r.in(0x28, 1) & 0x02) == 0);  // BIOS_RLS is write-only
        r.out(0x00, 0x0020, 2);
        CHECK_FALSE(r.sci.level());
    }

    TEST_CASE("SUS_EN with SUS_TYP 0 (soft off) powers off; other types only record") {
        PmRig r(33'000'000);
        int offs = 0;
        std::vector<unsigned> sleeps;
        r.pm.set_power_off([&] { ++offs; });
        r.pm.set_sleep_request([&](unsigned t) { sleeps.push_back(t); });
        r.out(0x04, 0x1401, 2);  // SUS_TYP 5, no SUS_EN: just register state
        CHECK(r.in(0x04, 2) == 0x1401);
        CHECK(offs == 0);
        r.out(0x04, 0x3401, 2);  // SUS_EN with type 5
        CHECK(offs == 0);
        REQUIRE(sleeps.size() == 1);
        CHECK(sleeps[0] == 5);
        CHECK(r.in(0x04, 2) == 0x1401);  // SUS_EN reads back 0
        CHECK_FALSE(r.pm.powered_off());
        r.out(0x04, 0x2001, 2);  // what an ACPI OS writes for \_S5 (SLP_TYP 0) + SLP_EN
        CHECK(offs == 1);
        CHECK(r.pm.powered_off());
        CHECK(r.pm.last_sleep_type() == 0);
        r.out(0x05, 0x20, 1);    // a byte write to the high half works too
        CHECK(offs == 2);
        RecordingVisitor v;
        r.pm.inspect(v);
        CHECK(v.has("piix4_pm.pm_io.powered_off=1"));
    }

    TEST_CASE("a snapshot load re-arms the overflow event") {
        SnapshotVisitor snap;
        {
            PmRig r(14'318'180);
            r.out(0x02, 0x0001, 2);
            r.out(0x04, 0x0001, 2);
            run_until(r.scheduler, 1000);
            r.scheduler.inspect(snap);
            r.pm.inspect(snap);
        }
        PmRig r(14'318'180);
        snap.set_loading(true);
        r.scheduler.inspect(snap);
        r.pm.inspect(snap);
        CHECK(r.pm.pm_timer() == 250);
        run_until(r.scheduler, 4ull * (1u << 23) - 1);
        CHECK_FALSE(r.sci.level());
        run_until(r.scheduler, 4ull * (1u << 23));
        CHECK(r.sci.level());
    }
}
