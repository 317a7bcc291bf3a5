// A bench for the DMA, disk image and floppy controller tests: RAM behind an AT DMA pair, an
// 82077AA on its ports with IRQ 6 counted, a scheduler the test drives by hand, and disk images
// built in temporary files (nothing outside the repository is needed).
#pragma once

#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "devices/dma/at_dma.h"
#include "devices/floppy/fdc82077.h"
#include "devices/irq_line.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"
#include "devices/storage/file_image.h"

namespace lantern::testing {

// The byte at offset `i` of sector `lba` in the test images: different in every sector.
inline std::uint8_t image_byte(std::uint32_t lba, std::uint32_t i) {
    return static_cast<std::uint8_t>((lba * 37u + i * 3u + (lba >> 8)) ^ (i >> 8));
}

inline std::vector<std::uint8_t> image_bytes(std::uint64_t size) {
    std::vector<std::uint8_t> bytes(size);
    for (std::uint64_t o = 0; o < size; ++o) bytes[o] = image_byte(static_cast<std::uint32_t>(o / 512), o % 512);
    return bytes;
}

// A file in the temporary directory, removed when the object goes.
class TempFile {
public:
    explicit TempFile(const std::vector<std::uint8_t>& bytes) {
        static std::atomic<unsigned> counter{0};
        path_ = (std::filesystem::temp_directory_path() /
                 ("lantern_fdc_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".img"))
                    .string();
        std::ofstream out(path_, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    }
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    const std::string& path() const { return path_; }
    std::vector<std::uint8_t> contents() const {
        std::ifstream in(path_, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

private:
    std::string path_;
};

struct DmaBench {
    std::vector<std::uint8_t> ram = std::vector<std::uint8_t>(16u << 20, 0);
    AtDma dma{DmaMemoryAccess{[this](std::uint32_t a) { return ram[a & 0xFFFFFF]; },
                              [this](std::uint32_t a, std::uint8_t v) { ram[a & 0xFFFFFF] = v; }}};
    PortMap ports;

    DmaBench() { dma.map(ports); }

    void out(std::uint16_t port, std::uint8_t v) { ports.write(port, v, 1); }
    std::uint8_t in(std::uint16_t port) { return static_cast<std::uint8_t>(ports.read(port, 1)); }

    // Programs an 8-bit channel (0-3) as a BIOS does: mask, mode, flip-flop, address, count, page.
    void program8(unsigned ch, std::uint32_t phys, std::uint16_t count_minus_1, std::uint8_t mode) {
        static constexpr std::uint16_t kPage[4] = {0x87, 0x83, 0x81, 0x82};
        out(0x0A, static_cast<std::uint8_t>(0x04 | ch));
        out(0x0B, static_cast<std::uint8_t>(mode | ch));
        out(0x0C, 0);
        out(static_cast<std::uint16_t>(ch * 2), static_cast<std::uint8_t>(phys));
        out(static_cast<std::uint16_t>(ch * 2), static_cast<std::uint8_t>(phys >> 8));
        out(static_cast<std::uint16_t>(ch * 2 + 1), static_cast<std::uint8_t>(count_minus_1));
        out(static_cast<std::uint16_t>(ch * 2 + 1), static_cast<std::uint8_t>(count_minus_1 >> 8));
        out(kPage[ch], static_cast<std::uint8_t>(phys >> 16));
        out(0x0A, static_cast<std::uint8_t>(ch));  // unmask
    }
    // DMA2 in cascade mode with channel 4 unmasked, as the AT BIOS leaves it.
    void enable_cascade() {
        out(0xD6, 0xC0);  // mode: cascade, channel 4
        out(0xD4, 0x00);  // unmask channel 4
    }
};

constexpr std::uint64_t kCpuHz = 8'000'000;  // 8 cycles per microsecond: easy arithmetic

struct FdcBench : DmaBench {
    Scheduler scheduler;
    unsigned irq_edges = 0;
    IrqLine irq6{[this](bool level) {
        if (level) ++irq_edges;
    }};
    Fdc82077 fdc;

    explicit FdcBench(FloppyDriveType a = FloppyDriveType::Drive1440K, FloppyDriveType b = FloppyDriveType::None,
                      FdcOptions options = {})
        : fdc(scheduler, irq6, dma.channel(2), kCpuHz, a, b, options) {
        fdc.map(ports);
        enable_cascade();
    }

    static Cycles us(std::uint64_t microseconds) { return microseconds * 8; }

    // Runs events until `done()` or `limit` cycles from now; returns whether `done()` became true.
    template <class Pred>
    bool run_until(Pred done, Cycles limit = 8'000'000 * 10) {
        const Cycles end = scheduler.now() + limit;
        while (!done()) {
            const Cycles next = scheduler.next_event();
            if (next == kNever || next > end) return false;
            scheduler.advance_to(std::max(next, scheduler.now()));
            scheduler.run_due_events();
        }
        return true;
    }
    void advance(Cycles c) {
        const Cycles end = scheduler.now() + c;
        while (scheduler.next_event() <= end) {
            scheduler.advance_to(std::max(scheduler.next_event(), scheduler.now()));
            scheduler.run_due_events();
        }
        scheduler.advance_to(end);
    }
    bool irq() const { return irq6.level(); }
    bool wait_irq(Cycles limit = 8'000'000 * 10) { return run_until([this] { return irq6.level(); }, limit); }

    std::uint8_t msr() { return in(0x3F4); }
    void send(const std::vector<std::uint8_t>& bytes) {
        for (std::uint8_t b : bytes) {
            REQUIRE((msr() & 0xC0) == 0x80);  // RQM set, DIO host -> controller
            out(0x3F5, b);
        }
    }
    std::vector<std::uint8_t> results() {
        std::vector<std::uint8_t> r;
        for (int guard = 0; guard < 16 && (msr() & 0xC0) == 0xC0; ++guard) r.push_back(in(0x3F5));
        return r;
    }
    // DOR 0x1C | drive: controller out of reset, DMA/IRQ gate, the drive's motor on and selected;
    // then clears the four polling statuses and programs SPECIFY (SRT 3 ms, HUT 240 ms, HLT 2 ms at
    // 500 kbps) and the 500 kbps data rate.
    void power_up(unsigned drive = 0, std::uint8_t ccr = 0x00) {
        out(0x3F2, static_cast<std::uint8_t>((0x10 << drive) | 0x0C | drive));
        REQUIRE(wait_irq());
        for (int i = 0; i < 4; ++i) {
            send({0x08});
            results();
        }
        out(0x3F7, ccr);
        send({0x03, 0xDF, 0x02});
    }
    std::vector<std::uint8_t> seek(unsigned drive, std::uint8_t cylinder, std::uint8_t head = 0) {
        send({0x0F, static_cast<std::uint8_t>(drive | (head << 2)), cylinder});
        REQUIRE(wait_irq());
        send({0x08});
        return results();
    }
    std::unique_ptr<FileImage> open(const TempFile& f, ImageMode mode = ImageMode::Snapshot) {
        return FileImage::open(f.path(), mode);
    }
};

}  // namespace lantern::testing
