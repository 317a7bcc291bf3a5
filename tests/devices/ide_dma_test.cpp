#include <doctest/doctest.h>

#include "devices/ide/ata_disk.h"
#include "devices/ide/atapi_cdrom.h"
#include "devices/memory_map.h"
#include "devices/pci/pci_bus.h"
#include "devices/pci/piix3_ide.h"
#include "devices/storage/file_image.h"
#include "devices/storage/memory_image.h"
#include "ide_rig.h"

using namespace lantern;
using namespace lantern::testing;

namespace {

constexpr std::uint16_t kBm = 0xC000;  // BMIBA
constexpr std::uint32_t kPrd = 0x1000;

struct DmaRig {
    DmaRig() : ide(scheduler, kCpuHz, irq14.line, irq15.line, dma_access()) {
        memory.map_ram(0, ram, "ram");
        bus.attach(1, 1, ide);
        ide.map(ports);
        ide.config_write(0x20, kBm, 4);
        ide.config_write(0x40, 0x80008000, 4);  // IDETIM: decode both channels
        ide.config_write(0x04, 0x0005, 2);      // I/O space, bus master
        ide.primary().attach(0, disk);
    }
    DmaMemoryAccess dma_access() {
        DmaMemoryAccess a;
        a.read8 = [this](std::uint32_t addr) { return memory.read8(addr); };
        a.write8 = [this](std::uint32_t addr, std::uint8_t v) { memory.write8(addr, v); };
        return a;
    }
    void prd(unsigned index, std::uint32_t addr, std::uint32_t count, bool eot, std::uint32_t table = kPrd) {
        const std::uint32_t e = table + 8 * index;
        for (unsigned b = 0; b < 4; ++b) memory.write8(e + b, static_cast<std::uint8_t>(addr >> (8 * b)));
        memory.write8(e + 4, static_cast<std::uint8_t>(count));
        memory.write8(e + 5, static_cast<std::uint8_t>(count >> 8));
        memory.write8(e + 6, 0);
        memory.write8(e + 7, eot ? 0x80 : 0x00);
    }
    std::vector<std::uint8_t> ram_at(std::uint32_t addr, std::size_t n) {
        return {ram.begin() + addr, ram.begin() + addr + static_cast<std::ptrdiff_t>(n)};
    }
    std::uint8_t bm_status() { return static_cast<std::uint8_t>(ports.read(kBm + 2, 1)); }
    void bm_start(bool to_memory, std::uint32_t table = kPrd) {
        ports.write(kBm + 4, table, 4);
        ports.write(kBm + 2, 0x06, 1);  // clear interrupt and error
        ports.write(kBm, to_memory ? 0x09 : 0x01, 1);
    }
    bool step() {
        if (scheduler.pending_count() == 0) return false;
        scheduler.advance_to(std::max(scheduler.now(), scheduler.next_event()));
        scheduler.run_due_events();
        return true;
    }
    void run_all() {
        for (int i = 0; i < 1000 && step(); ++i) {
        }
    }
    std::uint8_t in8(std::uint16_t p) { return static_cast<std::uint8_t>(ports.read(p, 1)); }
    void out8(std::uint16_t p, std::uint8_t v) { ports.write(p, v, 1); }
    void lba28(std::uint32_t lba, std::uint8_t count) {
        out8(0x1F2, count);
        out8(0x1F3, static_cast<std::uint8_t>(lba));
        out8(0x1F4, static_cast<std::uint8_t>(lba >> 8));
        out8(0x1F5, static_cast<std::uint8_t>(lba >> 16));
        out8(0x1F6, static_cast<std::uint8_t>(0xE0 | (lba >> 24)));
    }

    static constexpr std::uint64_t kCpuHz = 8'000'000;
    std::vector<std::uint8_t> image = patterned_image(1024);
    TempImage file{image};
    std::unique_ptr<FileImage> media = FileImage::open(file.path(), ImageMode::Snapshot);
    AtaDisk disk{*media};
    Scheduler scheduler{};
    PortMap ports{};
    MemoryMap memory{};
    std::vector<std::uint8_t> ram = std::vector<std::uint8_t>(1 << 20, 0);
    PciBus bus{ports, memory};
    IrqRecorder irq14{};
    IrqRecorder irq15{};
    Piix3Ide ide;
};

std::vector<std::uint8_t> sectors_of(const std::vector<std::uint8_t>& img, std::uint64_t lba, unsigned n) {
    return {img.begin() + static_cast<std::ptrdiff_t>(lba * 512), img.begin() + static_cast<std::ptrdiff_t>((lba + n) * 512)};
}

}  // namespace

TEST_SUITE("ide_dma") {
    TEST_CASE("READ DMA walks a two-entry PRD table into RAM; status, interrupt and timing") {
        DmaRig r;
        r.prd(0, 0x20000, 1024, false);
        r.prd(1, 0x30000, 1536, true);
        r.lba28(50, 5);
        const Cycles start = r.scheduler.now();
        r.out8(0x1F7, ata::kReadDma);
        r.bm_start(true);
        CHECK((r.bm_status() & 0x01) == 0x01);  // active
        // The drive needs kAccessNs before it asks for DMA; then 2560 bytes at 60 ns a byte.
        r.step();
        CHECK((r.in8(0x3F6) & ata::kStatusDrq) != 0);
        CHECK_FALSE(r.irq14.level());
        CHECK(r.scheduler.now() - start == r.ide.primary().ns_to_cycles(ata::kAccessNs));
        const Cycles burst_start = r.scheduler.now();
        r.run_all();
        CHECK(r.scheduler.now() - burst_start == r.ide.primary().ns_to_cycles(2560 * ata::kDmaNsPerByte));
        CHECK(r.irq14.level());
        CHECK(r.bm_status() == 0x04);  // interrupt, not active: the PRDs matched exactly
        CHECK(r.in8(0x1F7) == 0x50);
        CHECK_FALSE(r.irq14.level());
        CHECK(r.ram_at(0x20000, 1024) == sectors_of(r.image, 50, 2));
        CHECK(r.ram_at(0x30000, 1536) == sectors_of(r.image, 52, 3));
        CHECK(r.in8(0x1F3) == 54);  // last sector transferred
        r.ports.write(kBm + 2, 0x04, 1);
        CHECK(r.bm_status() == 0x00);
        r.ports.write(kBm, 0x00, 1);
    }

    TEST_CASE("WRITE DMA from RAM lands in the overlay only; READ DMA EXT reads it back") {
        DmaRig r;
        for (std::uint32_t i = 0; i < 1024; ++i) r.ram[0x40000 + i] = static_cast<std::uint8_t>(i * 13 + 1);
        r.prd(0, 0x40000, 1024, true);
        r.bm_start(false);  // the engine may be started before the command
        r.lba28(700, 2);
        r.out8(0x1F7, ata::kWriteDma);
        r.run_all();
        CHECK(r.in8(0x1F7) == 0x50);
        CHECK(r.bm_status() == 0x04);
        CHECK(r.file.contents() == r.image);
        CHECK(r.media->overlay().size() == 2);
        r.ports.write(kBm, 0x00, 1);

        r.prd(0, 0x50000, 1024, true);
        r.out8(0x1F2, 0);
        r.out8(0x1F3, 0);
        r.out8(0x1F4, 0);
        r.out8(0x1F5, 0);
        r.out8(0x1F2, 2);
        r.out8(0x1F3, static_cast<std::uint8_t>(700));
        r.out8(0x1F4, 700 >> 8);
        r.out8(0x1F5, 0);
        r.out8(0x1F6, 0x40);
        r.out8(0x1F7, ata::kReadDmaExt);
        r.bm_start(true);
        r.run_all();
        CHECK(r.in8(0x1F7) == 0x50);
        CHECK(r.ram_at(0x50000, 1024) == r.ram_at(0x40000, 1024));
    }

    TEST_CASE("PRD table shorter than the transfer: active and interrupt both clear, the drive waits") {
        DmaRig r;
        r.prd(0, 0x20000, 512, true);
        r.lba28(10, 2);
        r.out8(0x1F7, ata::kReadDma);
        r.bm_start(true);
        r.run_all();
        CHECK(r.bm_status() == 0x00);  // the error case of SFF-8038i's table
        CHECK_FALSE(r.irq14.level());
        CHECK((r.in8(0x3F6) & ata::kStatusDrq) != 0);  // still waiting for the rest
        CHECK(r.ram_at(0x20000, 512) == sectors_of(r.image, 10, 1));
        // The driver gives it more room and restarts the engine: the drive carries on.
        r.ports.write(kBm, 0x08, 1);
        r.prd(0, 0x28000, 512, true);
        r.bm_start(true);
        r.run_all();
        CHECK(r.irq14.level());
        CHECK(r.bm_status() == 0x04);
        CHECK(r.ram_at(0x28000, 512) == sectors_of(r.image, 11, 1));
        CHECK(r.in8(0x1F7) == 0x50);
    }

    TEST_CASE("PRD table longer than the transfer: interrupt with active still set") {
        DmaRig r;
        r.prd(0, 0x20000, 0, true);  // count 0 = 64 KiB
        r.lba28(3, 1);
        r.out8(0x1F7, ata::kReadDma);
        r.bm_start(true);
        r.run_all();
        CHECK(r.bm_status() == 0x05);
        CHECK(r.irq14.level());
        CHECK(r.ram_at(0x20000, 512) == sectors_of(r.image, 3, 1));
        r.ports.write(kBm, 0x08, 1);  // stop: active clears
        CHECK(r.bm_status() == 0x04);
    }

    TEST_CASE("a PRD table without EOT is cut off after 8192 entries") {
        DmaRig r;
        for (unsigned i = 0; i < 8192; ++i) r.prd(i, 0x80000 + 2 * i, 2, false, 0x60000);
        r.lba28(0, 64);  // 32 KiB wanted, 16 KiB of regions before the cut-off
        r.out8(0x1F7, ata::kReadDma);
        r.bm_start(true, 0x60000);
        r.run_all();
        CHECK(r.bm_status() == 0x00);
        CHECK(r.ram_at(0x80000, 512) == sectors_of(r.image, 0, 1));
        CHECK((r.in8(0x3F6) & ata::kStatusDrq) != 0);
    }

    TEST_CASE("no transfer without PCI Bus Master Enable") {
        DmaRig r;
        r.ide.config_write(0x04, 0x0001, 2);
        r.prd(0, 0x20000, 512, true);
        r.lba28(5, 1);
        r.out8(0x1F7, ata::kReadDma);
        r.bm_start(true);
        r.run_all();
        CHECK(r.bm_status() == 0x01);
        CHECK(r.ram_at(0x20000, 512) != sectors_of(r.image, 5, 1));
        r.ide.config_write(0x04, 0x0005, 2);
        r.run_all();
        CHECK(r.bm_status() == 0x04);
        CHECK(r.ram_at(0x20000, 512) == sectors_of(r.image, 5, 1));
    }

    TEST_CASE("ATAPI READ(10) by DMA on the secondary channel") {
        DmaRig r;
        MemoryImage iso(patterned_image(32, 2048), 2048, false);
        AtapiCdrom cd;
        cd.insert_media(iso);
        r.ide.secondary().attach(0, cd);
        auto packet = [&](std::initializer_list<std::uint8_t> cdb, bool dma) {
            r.out8(0x171, dma ? 1 : 0);
            r.out8(0x174, 0x00);
            r.out8(0x175, 0x08);
            r.out8(0x176, 0xA0);
            r.out8(0x177, ata::kPacket);
            r.run_all();
            std::array<std::uint8_t, 12> c{};
            std::copy(cdb.begin(), cdb.end(), c.begin());
            for (unsigned i = 0; i < 12; i += 2) r.ports.write(0x170, c[i] | c[i + 1] << 8, 2);
            r.run_all();
        };
        packet({0x00}, false);  // TEST UNIT READY: the medium-changed unit attention first
        CHECK((r.in8(0x177) & ata::kStatusErr) != 0);
        r.prd(0, 0x70000, 3 * 2048, true, 0x2000);
        r.ports.write(kBm + 8 + 4, 0x2000, 4);
        r.ports.write(kBm + 8, 0x09, 1);
        packet({0x28, 0, 0, 0, 0, 4, 0, 0, 3}, true);  // READ(10) LBA 4, 3 sectors
        CHECK(r.in8(0x177) == 0x40);
        CHECK(r.in8(0x172) == 0x03);  // IO | CoD: status phase
        CHECK(r.irq15.rises >= 2);
        CHECK(static_cast<std::uint8_t>(r.ports.read(kBm + 10, 1)) == 0x04);
        const auto iso_bytes = patterned_image(32, 2048);
        CHECK(r.ram_at(0x70000, 3 * 2048) ==
              std::vector<std::uint8_t>(iso_bytes.begin() + 4 * 2048, iso_bytes.begin() + 7 * 2048));
    }
}

TEST_SUITE("ide_dma") {
    TEST_CASE("whatever a guest writes to the IDE, bus-master and PCI registers, nothing breaks") {
        // A fixed-seed generator: the same "random" guest every run.
        std::uint64_t seed = 0x9E3779B97F4A7C15ull;
        auto next = [&seed] {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            return static_cast<std::uint32_t>(seed >> 33);
        };
        DmaRig r;
        MemoryImage iso(patterned_image(16, 2048), 2048, false);
        AtapiCdrom cd;
        cd.insert_media(iso);
        r.ide.secondary().attach(0, cd);
        MemoryImage small(patterned_image(8));
        AtaDisk slave(small);
        r.ide.primary().attach(1, slave);
        const std::uint16_t ports[] = {0x1F0, 0x1F1, 0x1F2, 0x1F3, 0x1F4, 0x1F5, 0x1F6, 0x1F7, 0x3F6,
                                       0x170, 0x171, 0x172, 0x173, 0x174, 0x175, 0x176, 0x177, 0x376,
                                       kBm, kBm + 2, kBm + 4, kBm + 8, kBm + 10, kBm + 12};
        const unsigned sizes[] = {1, 2, 4};
        for (int i = 0; i < 200000; ++i) {
            const std::uint32_t v = next();
            const std::uint16_t port = ports[v % std::size(ports)];
            const unsigned size = sizes[(v >> 8) % 3];
            if ((v >> 12) & 1) {
                std::uint32_t value = next();
                if (port == 0x1F7 || port == 0x177) {  // mostly real commands, some garbage
                    const std::uint8_t cmds[] = {0x20, 0x24, 0x29, 0x30, 0x34, 0x40, 0x70, 0x91, 0xA0, 0xA1,
                                                 0xC4, 0xC5, 0xC6, 0xC8, 0xCA, 0x25, 0x35, 0xEC, 0xEF, 0x90, 0x08};
                    if (value & 0x100) value = cmds[value % std::size(cmds)];
                }
                if ((port == kBm + 4 || port == kBm + 12) && (value & 1)) value &= 0x000FFFFF;  // PRDs in RAM, mostly
                r.ports.write(port, value, size);
            } else {
                r.ports.read(port, size);
            }
            if ((v >> 20) % 8 == 0) r.step();
            if ((v >> 24) % 4096 == 0) {  // timing registers and the like; decoding stays on
                const auto reg = static_cast<std::uint8_t>(0x08 + next() % 0xF8);
                if ((reg < 0x20 || reg > 0x27) && (reg < 0x40 || reg > 0x43)) r.ide.config_write(reg, next(), 1);
            }
        }
        r.run_all();
        CHECK(r.scheduler.pending_count() < 8);
        CHECK(r.irq14.rises > 100);  // the commands really ran
        CHECK(r.irq15.rises > 100);
    }
}
