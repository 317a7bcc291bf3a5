#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "devices/irq_line.h"
#include "devices/memory_map.h"
#include "devices/pci/i440fx.h"
#include "devices/pci/pci_bus.h"
#include "devices/pci/pci_config_ports.h"
#include "devices/pci/piix3.h"
#include "devices/pci/piix3_ide.h"
#include "devices/pci/shadow_ram.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"
#include "fake_device.h"
#include "ide_rig.h"
#include "recording_visitor.h"

using namespace lantern;
using namespace lantern::testing;

namespace {

// A PCI function with an I/O BAR (32 bytes) and a memory BAR (4 KiB) on INTA#.
class TestFunction final : public PciFunction {
public:
    static PciIdentity identity() {
        PciIdentity id;
        id.vendor_id = 0x1234;
        id.device_id = 0x5678;
        id.class_code = 0x020000;
        id.interrupt_pin = 1;
        return id;
    }
    TestFunction() : PciFunction(identity()) {
        set_writable(pci_reg::kCommand, 0x0007, 2);
        define_bar(0, PciSpace::Io, 32, io, "test_io");
        define_bar(1, PciSpace::Memory, 4096, mmio, "test_mmio");
    }
    void interrupt(bool level) { set_intx(level); }
    void raise_status(std::uint16_t bits) {  // as the chip does on a bus error
        store8(pci_reg::kStatus, static_cast<std::uint8_t>(config8(pci_reg::kStatus) | bits));
        store8(pci_reg::kStatus + 1, static_cast<std::uint8_t>(config8(pci_reg::kStatus + 1) | bits >> 8));
    }
    std::string_view inspect_name() const override { return "test_function"; }

    FakeDevice io{0x100};
    FakeDevice mmio{0x200};
};

struct PciRig {
    PortMap ports{};
    MemoryMap memory{};
    PciBus bus{ports, memory};
    Piix3IsaBridge piix3{};
    PciConfigPorts config{bus, &piix3};
    PciRig() {
        config.map(ports);
        bus.attach(1, 0, piix3);
        bus.set_irq_router(&piix3);
    }
    void address(unsigned dev, unsigned fn, unsigned reg) {
        ports.write(0xCF8, 0x80000000u | dev << 11 | fn << 8 | (reg & 0xFC), 4);
    }
    std::uint32_t cfg_read(unsigned dev, unsigned fn, unsigned reg, unsigned size) {
        address(dev, fn, reg);
        return ports.read(static_cast<std::uint16_t>(0xCFC + (reg & 3)), size);
    }
    void cfg_write(unsigned dev, unsigned fn, unsigned reg, std::uint32_t v, unsigned size) {
        address(dev, fn, reg);
        ports.write(static_cast<std::uint16_t>(0xCFC + (reg & 3)), v, size);
    }
};

struct PamLog final : PamRouting {
    struct Call {
        std::uint32_t base, size;
        bool read, write;
    };
    std::vector<Call> calls;
    void set_pam(std::uint32_t base, std::uint32_t size, bool read_dram, bool write_dram) override {
        calls.push_back({base, size, read_dram, write_dram});
    }
};

}  // namespace

TEST_SUITE("pci") {
    TEST_CASE("PortMap and MemoryMap release ranges for decoders that move") {
        PortMap ports;
        FakeDevice a, b;
        ports.map(0x100, 8, a, "a");
        ports.map(0x200, 8, b, "b");
        CHECK_FALSE(ports.is_free(0x104, 8));
        CHECK(ports.is_free(0x108, 8));
        CHECK_FALSE(ports.unmap(0x100, b));  // not b's range
        CHECK(ports.unmap(0x100, a));
        CHECK(ports.read(0x100, 1) == 0xFF);
        CHECK(ports.device_at(0x200) == &b);  // the other range still decodes after re-indexing
        ports.map(0x100, 16, b, "b2");
        CHECK(ports.device_at(0x10F) == &b);

        MemoryMap mem;
        std::vector<std::uint8_t> ram(0x2000, 0x11);
        mem.map_ram(0x10000, ram, "ram");
        CHECK_FALSE(mem.is_free(0x11000, 0x2000));
        CHECK(mem.read8(0x10000) == 0x11);
        CHECK(mem.unmap(0x10000));
        CHECK_FALSE(mem.unmap(0x10000));
        CHECK(mem.read8(0x10000) == 0xFF);
        CHECK(mem.is_free(0x10000, 0x2000));
    }

    TEST_CASE("configuration mechanism #1: address register, data port widths, master abort") {
        PciRig r;
        r.ports.write(0xCF8, 0xFFFFFFFF, 4);
        CHECK(r.ports.read(0xCF8, 4) == 0x80FFFFFC);  // reserved bits 30:24 and 1:0 read 0
        r.ports.write(0xCF8, 0x12, 1);                 // a byte cycle is not CONFIG_ADDRESS
        CHECK(r.config.config_address() == 0x80FFFFFC);

        // 00:01.0 is the PIIX3: 8086:7000, class 060100, multi-function header.
        CHECK(r.cfg_read(1, 0, 0x00, 4) == 0x70008086);
        CHECK(r.cfg_read(1, 0, 0x00, 2) == 0x8086);
        CHECK(r.cfg_read(1, 0, 0x02, 2) == 0x7000);
        CHECK(r.cfg_read(1, 0, 0x01, 1) == 0x80);
        CHECK(r.cfg_read(1, 0, 0x03, 1) == 0x70);
        CHECK(r.cfg_read(1, 0, 0x08, 4) == 0x06010000);
        CHECK(r.cfg_read(1, 0, 0x0E, 1) == 0x80);
        // Absent device or function, another bus, or the enable bit clear: all ones.
        CHECK(r.cfg_read(5, 0, 0x00, 4) == 0xFFFFFFFF);
        CHECK(r.cfg_read(1, 4, 0x00, 2) == 0xFFFF);
        r.ports.write(0xCF8, 0x80010800, 4);  // bus 1
        CHECK(r.ports.read(0xCFC, 4) == 0xFFFFFFFF);
        r.ports.write(0xCF8, 0x00000800, 4);  // enable clear
        CHECK(r.ports.read(0xCFC, 4) == 0xFFFFFFFF);
        CHECK(r.ports.read(0xCFE, 2) == 0xFFFF);
    }

    TEST_CASE("config writes: masks keep read-only fields, any width at any offset") {
        PciRig r;
        r.cfg_write(1, 0, 0x00, 0xFFFFFFFF, 4);  // identity is read-only
        CHECK(r.cfg_read(1, 0, 0x00, 4) == 0x70008086);
        r.cfg_write(1, 0, 0x60, 0x0B0A0905, 4);  // PIRQRC[A:D] in one dword
        CHECK(r.cfg_read(1, 0, 0x60, 4) == 0x0B0A0905);
        r.cfg_write(1, 0, 0x61, 0x8C, 1);
        CHECK(r.cfg_read(1, 0, 0x60, 4) == 0x0B0A8C05);
        r.cfg_write(1, 0, 0x62, 0xFFFF, 2);      // bits 6:4 of PIRQRC are reserved
        CHECK(r.cfg_read(1, 0, 0x62, 2) == 0x8F8F);
        r.cfg_write(1, 0, 0x3C, 0x0E, 1);        // interrupt line: BIOS scratch
        CHECK(r.cfg_read(1, 0, 0x3C, 1) == 0x0E);
        CHECK(r.cfg_read(1, 0, 0x3C, 4) == 0x0000000E);
    }

    TEST_CASE("BAR size probing and remapping on BAR and Command writes") {
        PciRig r;
        TestFunction f;
        r.bus.attach(3, 0, f);
        // Size probe: write all ones, read back the size mask with the type bits.
        r.cfg_write(3, 0, 0x10, 0xFFFFFFFF, 4);
        // 32 bytes of I/O; bits 31:16 read back too (pci_function.h: firmware sizes in 32 bits)
        CHECK(r.cfg_read(3, 0, 0x10, 4) == 0xFFFFFFE1);
        r.cfg_write(3, 0, 0x14, 0xFFFFFFFF, 4);
        CHECK(r.cfg_read(3, 0, 0x14, 4) == 0xFFFFF000);  // 4 KiB of memory, 32-bit, not prefetchable
        CHECK_FALSE(f.windows()[0].mapped);                // decoding still off

        r.cfg_write(3, 0, 0x10, 0xC000, 4);
        r.cfg_write(3, 0, 0x14, 0xFEB00000, 4);
        CHECK(r.ports.read(0xC000, 1) == 0xFF);  // Command I/O enable still clear
        r.cfg_write(3, 0, 0x04, 0x0003, 2);
        CHECK(r.ports.device_at(0xC000) == &f.io);
        CHECK(r.ports.device_at(0xC01F) == &f.io);
        CHECK(r.ports.device_at(0xC020) == nullptr);
        r.ports.write(0xC004, 0x5A, 1);
        CHECK(f.io.accesses.back() == FakeDevice::Access{true, 4, 0x5A, 1});
        CHECK(r.memory.read8(0xFEB00010) == 0x10);  // FakeDevice mmio: base 0x200 + offset, low byte

        // Move the I/O BAR with a word write: the old range goes, the new one decodes.
        r.cfg_write(3, 0, 0x10, 0xD040, 2);
        CHECK(r.ports.device_at(0xC000) == nullptr);
        CHECK(r.ports.device_at(0xD040) == &f.io);
        // Memory decoding off: the MMIO region leaves the memory map.
        r.cfg_write(3, 0, 0x04, 0x0001, 1);
        CHECK(r.memory.is_free(0xFEB00000, 4096));
        CHECK(r.ports.device_at(0xD040) == &f.io);
        // A BAR over another decoder (the config ports) is left undecoded, without a crash.
        r.cfg_write(3, 0, 0x10, 0x0CE0, 4);
        CHECK(f.windows()[0].conflict);
        CHECK_FALSE(f.windows()[0].mapped);
        CHECK(r.ports.device_at(0xCF8) == &r.config);
        r.cfg_write(3, 0, 0x10, 0x1000, 4);
        CHECK(f.windows()[0].mapped);
        CHECK_FALSE(f.windows()[0].conflict);
        // Reset: registers back to defaults, windows unmapped.
        r.bus.reset();
        CHECK(r.ports.device_at(0x1000) == nullptr);
        CHECK(r.cfg_read(3, 0, 0x10, 4) == 0x00000001);
    }

    TEST_CASE("status register error bits are write-one-to-clear") {
        PciRig r;
        TestFunction f;
        r.bus.attach(3, 0, f);
        f.raise_status(0x3000);  // received target abort, received master abort
        CHECK(r.cfg_read(3, 0, 0x06, 2) == 0x3000);
        r.cfg_write(3, 0, 0x06, 0x0000, 2);  // zeros leave them
        CHECK(r.cfg_read(3, 0, 0x06, 2) == 0x3000);
        r.cfg_write(3, 0, 0x06, 0x1000, 2);  // a one clears just that bit
        CHECK(r.cfg_read(3, 0, 0x06, 2) == 0x2000);
        r.cfg_write(3, 0, 0x07, 0xFF, 1);
        CHECK(r.cfg_read(3, 0, 0x06, 2) == 0x0000);
    }

    TEST_CASE("PIIX3 IDE: BMIBA probes as 16 bytes of I/O; legacy ports decode only when enabled") {
        PciRig r;
        Scheduler sched;
        IrqLine irq14, irq15;
        Piix3Ide ide(sched, 8'000'000, irq14, irq15, DmaMemoryAccess{});
        r.bus.attach(1, 1, ide);
        ide.map(r.ports);
        CHECK(r.cfg_read(1, 1, 0x00, 4) == 0x70108086);
        CHECK(r.cfg_read(1, 1, 0x08, 4) == 0x01018000);
        r.cfg_write(1, 1, 0x20, 0xFFFFFFFF, 4);
        CHECK(r.cfg_read(1, 1, 0x20, 4) == 0xFFFFFFF1);  // as QEMU and Bochs present it (pci_function.h)
        CHECK_FALSE(ide.primary().decode_enabled());
        r.cfg_write(1, 1, 0x04, 0x0001, 2);
        CHECK_FALSE(ide.primary().decode_enabled());  // IDETIM decode enable still clear
        r.cfg_write(1, 1, 0x40, 0x80008000, 4);        // both IDETIM registers
        CHECK(ide.primary().decode_enabled());
        CHECK(ide.secondary().decode_enabled());
        r.cfg_write(1, 1, 0x20, 0xC001, 4);
        CHECK(r.ports.device_at(0xC000) != nullptr);
        CHECK(r.ports.device_at(0xC00F) != nullptr);
        r.ports.write(0xC004, 0x12345678, 4);
        CHECK(ide.bus_master(0).prd_table() == 0x12345678);
        r.ports.write(0xC00C, 0x00100003, 4);
        CHECK(ide.bus_master(1).prd_table() == 0x00100000);  // bits 1:0 read as zero
        CHECK(r.ports.read(0xC00C, 4) == 0x00100000);
    }

    TEST_CASE("PIRQ routing: PCI INTx# to ISA IRQs through PIRQRC") {
        PciRig r;
        std::vector<IrqLine> isa(16);
        for (unsigned i = 0; i < 16; ++i) r.piix3.connect_isa_irq(i, isa[i]);
        TestFunction dev2, dev3, dev6;
        r.bus.attach(2, 0, dev2);  // INTA# of device 2 is PIRQB#
        r.bus.attach(3, 0, dev3);  // device 3: PIRQC#
        r.bus.attach(6, 0, dev6);  // device 6: (6 + 1 - 2) mod 4 = PIRQB#, shared with device 2
        CHECK(Piix3IsaBridge::pirq_for(1, 1) == 0);
        CHECK(Piix3IsaBridge::pirq_for(2, 1) == 1);
        CHECK(Piix3IsaBridge::pirq_for(0, 1) == 3);

        dev2.interrupt(true);
        for (auto& l : isa) CHECK_FALSE(l.level());  // routing disabled by default (80h)
        r.cfg_write(1, 0, 0x61, 0x0B, 1);            // PIRQB# -> IRQ11
        CHECK(isa[11].level());
        dev6.interrupt(true);
        dev2.interrupt(false);
        CHECK(isa[11].level());  // device 6 still holds the shared line
        dev6.interrupt(false);
        CHECK_FALSE(isa[11].level());
        dev2.interrupt(true);
        CHECK(isa[11].level());
        r.cfg_write(1, 0, 0x61, 0x0A, 1);  // re-route while asserted
        CHECK_FALSE(isa[11].level());
        CHECK(isa[10].level());
        r.cfg_write(1, 0, 0x61, 0x8A, 1);  // IRQROUTEN set: disabled
        CHECK_FALSE(isa[10].level());
        r.cfg_write(1, 0, 0x61, 0x0D, 1);  // IRQ13 is reserved: nothing driven
        CHECK_FALSE(isa[13].level());
        r.cfg_write(1, 0, 0x61, 0x05, 1);
        r.cfg_write(1, 0, 0x62, 0x05, 1);  // PIRQB# and PIRQC# both on IRQ5
        dev3.interrupt(true);
        dev2.interrupt(false);
        CHECK(isa[5].level());
        dev3.interrupt(false);
        CHECK_FALSE(isa[5].level());
        CHECK(r.piix3.pirq_target(1) == 5);
        CHECK(r.piix3.pirq_target(0) == -1);
        RecordingVisitor v;
        r.piix3.inspect(v);
        CHECK(v.has("piix3.pirqb_irq=5"));
    }

    TEST_CASE("Reset Control at port CF9h") {
        PciRig r;
        std::vector<bool> resets;
        r.piix3.set_reset_request([&](bool hard) { resets.push_back(hard); });
        r.ports.write(0xCF9, 0x02, 1);  // SRST only: nothing yet
        CHECK(resets.empty());
        CHECK(r.ports.read(0xCF9, 1) == 0x02);
        r.ports.write(0xCF9, 0x06, 1);  // RCPU 0 -> 1 with SRST: hard reset
        REQUIRE(resets.size() == 1);
        CHECK(resets[0]);
        r.ports.write(0xCF9, 0x00, 1);
        r.ports.write(0xCF9, 0x04, 1);  // soft reset
        REQUIRE(resets.size() == 2);
        CHECK_FALSE(resets[1]);
        CHECK(r.config.config_address() == 0);  // untouched by the byte cycles
    }

    TEST_CASE("i440FX: identity, PAM routing of the shadow segments, SMRAM lock") {
        PciRig r;
        PamLog log;
        I440fxHostBridge host;
        r.bus.attach(0, 0, host);
        host.set_pam_routing(&log);
        CHECK(log.calls.size() == 13);  // every segment announced: ROM/PCI for both
        CHECK(log.calls[0].base == 0xF0000);
        CHECK(log.calls[0].size == 0x10000);
        CHECK_FALSE(log.calls[0].read);
        CHECK(log.calls[12].base == 0xEC000);
        log.calls.clear();
        CHECK(r.cfg_read(0, 0, 0x00, 4) == 0x12378086);
        CHECK(r.cfg_read(0, 0, 0x08, 4) == 0x06000002);

        // The BIOS copies itself: F0000 reads ROM, writes DRAM (WE only), then read-only DRAM.
        r.cfg_write(0, 0, 0x59, 0x20, 1);
        REQUIRE(log.calls.size() == 1);
        CHECK(log.calls[0].base == 0xF0000);
        CHECK_FALSE(log.calls[0].read);
        CHECK(log.calls[0].write);
        r.cfg_write(0, 0, 0x59, 0x1F, 1);  // low nibble reserved on PAM0
        CHECK(r.cfg_read(0, 0, 0x59, 1) == 0x10);
        REQUIRE(log.calls.size() == 2);
        CHECK(log.calls[1].read);
        CHECK_FALSE(log.calls[1].write);
        // PAM1 high nibble: C4000-C7FFF; a dword write touching PAM1-PAM3 announces only changes.
        log.calls.clear();
        r.cfg_write(0, 0, 0x58, 0x00301000, 4);  // PAM0 kept, PAM1 = 30h: C4000 RE+WE
        REQUIRE(log.calls.size() == 1);
        CHECK(log.calls[0].base == 0xC4000);
        CHECK(log.calls[0].size == 0x4000);
        CHECK(log.calls[0].read);
        CHECK(log.calls[0].write);
        CHECK(host.pam_read_dram(2));
        CHECK_FALSE(host.pam_read_dram(1));

        // SMRAM: C_BASE_SEG fixed at 010b; D_LCK locks D_OPEN off and leaves only D_CLS writable.
        CHECK(r.cfg_read(0, 0, 0x72, 1) == 0x02);
        r.cfg_write(0, 0, 0x72, 0x4F, 1);
        CHECK(r.cfg_read(0, 0, 0x72, 1) == 0x4A);
        r.cfg_write(0, 0, 0x72, 0x5A, 1);  // set D_LCK (with D_OPEN): D_OPEN is forced off
        CHECK(r.cfg_read(0, 0, 0x72, 1) == 0x1A);
        CHECK(host.smram_locked());
        r.cfg_write(0, 0, 0x72, 0x60, 1);  // only D_CLS changes now
        CHECK(r.cfg_read(0, 0, 0x72, 1) == 0x3A);
        log.calls.clear();
        r.bus.reset();
        CHECK_FALSE(host.smram_locked());
        CHECK(r.cfg_read(0, 0, 0x72, 1) == 0x02);
        CHECK(log.calls.size() == 13);
        CHECK_FALSE(log.calls[0].read);
    }

    TEST_CASE("inspection lists functions by address; a load re-derives windows") {
        SnapshotVisitor snap;
        {
            PciRig r;
            TestFunction f;
            r.bus.attach(3, 0, f);
            r.cfg_write(3, 0, 0x10, 0xC000, 4);
            r.cfg_write(3, 0, 0x04, 0x0001, 2);
            RecordingVisitor v;
            r.bus.inspect(v);
            CHECK(v.has("pci.00:03.0.test_function.config.vendor_id=4660"));
            CHECK(v.has("pci.00:03.0.test_function.test_io.mapped=1"));
            CHECK(v.has("pci.00:01.0.piix3.config.device_id=28672"));
            r.bus.inspect(snap);
        }
        PciRig r;
        TestFunction f;
        r.bus.attach(3, 0, f);
        CHECK(r.ports.device_at(0xC000) == nullptr);
        snap.set_loading(true);
        r.bus.inspect(snap);
        CHECK(r.ports.device_at(0xC000) == &f.io);
        CHECK(r.cfg_read(3, 0, 0x10, 4) == 0x0000C001);
    }
}

TEST_SUITE("pci") {
    TEST_CASE("whatever a guest writes to the config ports, nothing breaks") {
        std::uint64_t seed = 12345;
        auto next = [&seed] {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            return static_cast<std::uint32_t>(seed >> 33);
        };
        PciRig r;
        I440fxHostBridge host;
        TestFunction f;
        Scheduler sched;
        IrqLine irq14, irq15;
        Piix3Ide ide(sched, 8'000'000, irq14, irq15, DmaMemoryAccess{});
        r.bus.attach(0, 0, host);
        r.bus.attach(1, 1, ide);
        r.bus.attach(4, 0, f);
        ide.map(r.ports);
        std::vector<IrqLine> isa(16);
        for (unsigned i = 0; i < 16; ++i) r.piix3.connect_isa_irq(i, isa[i]);
        const unsigned sizes[] = {1, 2, 4};
        for (int i = 0; i < 100000; ++i) {
            const std::uint32_t v = next();
            const unsigned dev = (v & 1) ? (v >> 1) % 5 : (v >> 1) % 32;
            r.address(dev, (v >> 6) % 2, next() & 0xFF);
            const unsigned off = (v >> 8) % 4;
            const unsigned size = sizes[(v >> 10) % 3];
            if ((v >> 12) & 1)
                r.ports.write(static_cast<std::uint16_t>(0xCFC + off), next(), size);
            else
                r.ports.read(static_cast<std::uint16_t>(0xCFC + off), size);
            if ((v >> 14) % 64 == 0) f.interrupt((v >> 20) & 1);
        }
        r.bus.reset();
        CHECK(r.ports.device_at(0xCF8) == &r.config);
        CHECK(r.cfg_read(4, 0, 0x00, 4) == 0x56781234);
    }
}

TEST_SUITE("pci") {
    TEST_CASE("ShadowRam: the BIOS copies itself into shadow RAM through the PAM registers") {
        PciRig r;
        std::vector<std::uint8_t> dram(ShadowRam::kSize, 0x00);
        std::vector<std::uint8_t> isa(ShadowRam::kSize, 0xFF);
        for (std::size_t i = 0x30000; i < 0x40000; ++i) isa[i] = static_cast<std::uint8_t>(i * 3);  // BIOS at F0000
        isa[0] = 0x55;  // an option ROM at C0000
        isa[1] = 0xAA;
        ShadowRam shadow(r.memory, dram, isa);
        I440fxHostBridge host(&shadow);
        r.bus.attach(0, 0, host);
        host.set_pam_routing(&shadow);
        CHECK(r.memory.read8(0xF0001) == 3);
        CHECK(r.memory.read8(0xC0000) == 0x55);
        r.memory.write8(0xF0001, 0x99);  // ROM: ignored
        CHECK(r.memory.read8(0xF0001) == 3);
        CHECK(dram[0x30001] == 0);

        r.cfg_write(0, 0, 0x59, 0x20, 1);  // WE only: read ROM, write DRAM
        for (std::uint32_t a = 0xF0000; a < 0x100000; ++a) r.memory.write8(a, r.memory.read8(a));
        CHECK(r.memory.read8(0xF0001) == 3);
        CHECK(dram[0x30001] == 3);
        CHECK(std::equal(dram.begin() + 0x30000, dram.end(), isa.begin() + 0x30000));
        r.cfg_write(0, 0, 0x59, 0x30, 1);  // RE | WE: patch the copy
        r.memory.write8(0xF0001, 0x42);
        CHECK(r.memory.read8(0xF0001) == 0x42);
        r.cfg_write(0, 0, 0x59, 0x10, 1);  // RE only: write-protected shadow
        r.memory.write8(0xF0001, 0x77);
        CHECK(r.memory.read8(0xF0001) == 0x42);
        r.cfg_write(0, 0, 0x59, 0x00, 1);  // back to the ROM
        CHECK(r.memory.read8(0xF0001) == 3);
        // C0000-C3FFF (PAM1 low nibble) is independent of C4000-C7FFF.
        r.cfg_write(0, 0, 0x5A, 0x03, 1);
        r.memory.write8(0xC0000, 0x12);
        r.memory.write8(0xC4000, 0x34);
        CHECK(r.memory.read8(0xC0000) == 0x12);
        CHECK(r.memory.read8(0xC4000) == 0xFF);
        CHECK(dram[0x4000] == 0);
    }
}
