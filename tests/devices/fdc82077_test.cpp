// 82077AA: registers, reset, seeks, sense commands, configuration and timing.
#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

#include "fdc_rig.h"
#include "recording_visitor.h"

using namespace lantern;
using lantern::testing::FdcBench;
using lantern::testing::image_bytes;
using lantern::testing::TempFile;
using Bytes = std::vector<std::uint8_t>;

namespace {
constexpr std::size_t k144 = 1474560;

// A visitor that stores every numeric field and byte block by path, then loads them back.
class StateStore final : public StateVisitor {
public:
    bool loading() const override { return loading_; }
    void begin_group(std::string_view name) override { path_.emplace_back(name); }
    void end_group() override { path_.pop_back(); }
    void field(std::string_view name, std::uint64_t& value, unsigned, std::string_view) override {
        const std::string key = prefix() + std::string(name);
        if (loading_) value = fields_.at(key);
        else fields_[key] = value;
    }
    void text(std::string_view, std::string&) override {}
    void bytes(std::string_view name, std::span<std::uint8_t> data) override {
        const std::string key = prefix() + std::string(name);
        if (loading_) std::copy(blobs_.at(key).begin(), blobs_.at(key).end(), data.begin());
        else blobs_[key].assign(data.begin(), data.end());
    }
    void set_loading(bool l) { loading_ = l; }

private:
    std::string prefix() const {
        std::string p;
        for (const auto& g : path_) p += g + ".";
        return p;
    }
    bool loading_ = false;
    std::vector<std::string> path_;
    std::map<std::string, std::uint64_t> fields_;
    std::map<std::string, Bytes> blobs_;
};
}  // namespace

TEST_SUITE("fdc82077") {
    TEST_CASE("power-on holds the chip in reset; releasing it gives one IRQ and four polling statuses") {
        FdcBench b;
        CHECK(b.fdc.dor() == 0x00);
        CHECK(b.msr() == 0x00);  // in reset: not even RQM
        b.out(0x3F2, 0x0C);      // /RESET high, DMA and IRQ gate on
        const Cycles released = b.scheduler.now();
        CHECK_FALSE(b.irq());
        REQUIRE(b.wait_irq());
        // One polling loop after the reset: 250 us at the 250 kbps power-on data rate.
        CHECK(b.scheduler.now() - released == FdcBench::us(250));
        CHECK(b.irq_edges == 1);
        CHECK(b.msr() == 0x80);
        for (std::uint8_t d = 0; d < 4; ++d) {
            b.send({0x08});
            CHECK(b.msr() == 0xD0);  // result phase: RQM, DIO, busy
            CHECK(b.results() == Bytes{static_cast<std::uint8_t>(0xC0 | d), 0x00});
        }
        CHECK_FALSE(b.irq());
        b.send({0x08});  // nothing left to sense: invalid command
        CHECK(b.results() == Bytes{0x80});
        CHECK(b.msr() == 0x80);
    }

    TEST_CASE("a DSR software reset clears itself and polls again; the DMA gate gates IRQ 6") {
        FdcBench b;
        b.out(0x3F2, 0x04);  // out of reset, but the DMA/IRQ gate is off
        b.advance(FdcBench::us(1000));
        CHECK(b.fdc.interrupt_pending());
        CHECK_FALSE(b.irq());
        b.out(0x3F2, 0x0C);  // gate on: the pending interrupt reaches IRQ 6
        CHECK(b.irq());
        for (int i = 0; i < 4; ++i) {
            b.send({0x08});
            b.results();
        }
        b.out(0x3F4, 0x80);  // DSR S/W RESET (data rate 500 kbps)
        CHECK(b.msr() == 0x80);
        const Cycles t = b.scheduler.now();
        REQUIRE(b.wait_irq());
        CHECK(b.scheduler.now() - t == FdcBench::us(125));  // the polling loop at 500 kbps
        b.send({0x08});
        CHECK(b.results() == Bytes{0xC0, 0x00});
    }

    TEST_CASE("VERSION, invalid opcodes, CONFIGURE, LOCK, PERPENDICULAR MODE and DUMPREG") {
        FdcBench b;
        b.power_up();
        b.send({0x10});
        CHECK(b.results() == Bytes{0x90});
        b.send({0x1F});  // no such command
        CHECK(b.results() == Bytes{0x80});
        b.send({0x43});  // SPECIFY's opcode with the MFM bit: invalid too
        CHECK(b.results() == Bytes{0x80});
        CHECK_FALSE(b.irq());

        b.send({0x13, 0x00, 0x57, 0x20});  // CONFIGURE: EIS, POLL off, FIFOTHR 7, PRETRK 0x20 (EFIFO 0)
        b.send({0x12, 0x80 | 0x08 | 0x03});  // PERPENDICULAR: OW, D1, GAP, WGATE
        b.send({0x0E});
        Bytes regs = b.results();
        REQUIRE(regs.size() == 10);
        CHECK(regs[4] == 0xDF);  // SRT 0xD, HUT 0xF
        CHECK(regs[5] == 0x02);  // HLT 1, DMA mode
        CHECK(regs[7] == 0x0B);  // LOCK 0, D1, GAP, WGATE
        CHECK(regs[8] == 0x57);
        CHECK(regs[9] == 0x20);

        b.send({0x94});  // LOCK on
        CHECK(b.results() == Bytes{0x10});
        b.out(0x3F4, 0x80);  // software reset
        REQUIRE(b.wait_irq());
        for (int i = 0; i < 4; ++i) {
            b.send({0x08});
            b.results();
        }
        b.send({0x0E});
        regs = b.results();
        CHECK(regs[7] == 0x88);  // LOCK kept, D1 kept, GAP/WGATE cleared by the reset
        CHECK(regs[8] == 0x07);  // EIS and POLL back to defaults; EFIFO and FIFOTHR locked
        CHECK(regs[9] == 0x20);  // PRETRK locked

        b.send({0x14});  // LOCK off
        CHECK(b.results() == Bytes{0x00});
        b.out(0x3F4, 0x80);
        REQUIRE(b.wait_irq());
        for (int i = 0; i < 4; ++i) {
            b.send({0x08});
            b.results();
        }
        b.send({0x0E});
        regs = b.results();
        CHECK(regs[8] == 0x20);  // EFIFO=1 (FIFO off), threshold 0: the reset defaults
        CHECK(regs[9] == 0x00);
        b.send({0x12, 0x00});    // PERPENDICULAR without OW leaves the drive bits alone
        b.send({0x0E});
        CHECK(b.results()[7] == 0x08);
    }

    TEST_CASE("recalibrate and seek end with an interrupt; SENSE INTERRUPT STATUS gives ST0 and PCN") {
        FdcBench b;
        TempFile file(image_bytes(k144));
        b.fdc.insert_disk(0, b.open(file));
        b.power_up();
        b.send({0x07, 0x00});  // RECALIBRATE drive 0 (the head is on track 0 already)
        REQUIRE(b.wait_irq());
        b.send({0x08});
        CHECK(b.results() == Bytes{0x20, 0x00});

        b.send({0x0F, 0x04, 10});  // SEEK drive 0, head 1, cylinder 10
        CHECK(b.msr() == 0x81);    // RQM and drive 0 busy: the controller takes commands meanwhile
        REQUIRE(b.wait_irq());
        CHECK(b.msr() == 0x80);
        b.send({0x08});
        CHECK(b.results() == Bytes{0x20, 10});  // "the H bit in ST0 always returns 0" after a seek
        CHECK(b.fdc.drive(0).track == 10);
        CHECK(b.fdc.pcn(0) == 10);

        b.send({0xCF, 0x00, 5});  // RELATIVE SEEK inward 5
        REQUIRE(b.wait_irq());
        b.send({0x08});
        CHECK(b.results() == Bytes{0x20, 15});
        b.send({0x8F, 0x00, 12});  // RELATIVE SEEK outward 12
        REQUIRE(b.wait_irq());
        b.send({0x08});
        CHECK(b.results() == Bytes{0x20, 3});
        CHECK(b.fdc.drive(0).track == 3);
    }

    TEST_CASE("IRQ 6 for a seek comes after steps x step rate, not a cycle earlier") {
        FdcBench b;
        TempFile file(image_bytes(k144));
        b.fdc.insert_disk(0, b.open(file));
        b.power_up();  // 500 kbps, SRT 0xD: 3 ms per step
        b.send({0x0F, 0x00, 10});
        const Cycles start = b.scheduler.now();
        const Cycles expected = start + 10 * FdcBench::us(3000);
        b.advance(expected - start - 1);
        CHECK_FALSE(b.irq());
        b.advance(1);
        CHECK(b.irq());
        b.send({0x08});
        CHECK(b.results() == Bytes{0x20, 10});

        // At 250 kbps every SPECIFY delay doubles: 6 ms a step.
        b.out(0x3F7, 0x02);
        b.send({0x0F, 0x00, 12});
        const Cycles t2 = b.scheduler.now();
        REQUIRE(b.wait_irq());
        CHECK(b.scheduler.now() - t2 == 2 * FdcBench::us(6000));
    }

    TEST_CASE("the fast option shortens mechanical delays by 100 but keeps their order") {
        FdcBench b(FloppyDriveType::Drive1440K, FloppyDriveType::None, FdcOptions{true});
        b.power_up();
        b.send({0x0F, 0x00, 10});
        const Cycles t = b.scheduler.now();
        REQUIRE(b.wait_irq());
        CHECK(b.scheduler.now() - t == 10 * FdcBench::us(30));
    }

    TEST_CASE("RECALIBRATE gives up after 79 steps with EC; a second one reaches track 0") {
        FdcBench b;
        TempFile file(image_bytes(k144));
        b.fdc.insert_disk(0, b.open(file));
        b.power_up();
        b.seek(0, 82);  // past the recorded tracks, short of the stop (track 83)
        CHECK(b.fdc.drive(0).track == 82);
        b.send({0x07, 0x00});
        const Cycles t = b.scheduler.now();
        REQUIRE(b.wait_irq());
        CHECK(b.scheduler.now() - t == 79 * FdcBench::us(3000));
        b.send({0x08});
        CHECK(b.results() == Bytes{0x70, 0x00});  // abnormal, seek end, equipment check
        CHECK(b.fdc.drive(0).track == 3);
        b.send({0x07, 0x00});
        REQUIRE(b.wait_irq());
        b.send({0x08});
        CHECK(b.results() == Bytes{0x20, 0x00});
        CHECK(b.fdc.drive(0).track == 0);
    }

    TEST_CASE("a recalibrate with no drive answering never sees TRK0") {
        FdcBench b;  // drive B: not connected
        b.power_up(1);
        b.send({0x07, 0x01});
        REQUIRE(b.wait_irq());
        b.send({0x08});
        CHECK(b.results() == Bytes{0x71, 0x00});
    }

    TEST_CASE("SENSE DRIVE STATUS reports track 0, write protect and the always-one bits") {
        FdcBench b;
        TempFile file(image_bytes(k144));
        b.fdc.insert_disk(0, b.open(file), true);
        b.power_up();
        b.send({0x04, 0x04});  // head 1, drive 0
        CHECK(b.results() == Bytes{0x40 | 0x28 | 0x10 | 0x04});
        b.seek(0, 2);
        b.send({0x04, 0x00});
        CHECK(b.results() == Bytes{0x40 | 0x28});
        // With the motor off the drive is not selected: none of its lines reach the controller.
        b.out(0x3F2, 0x0C);
        b.send({0x04, 0x00});
        CHECK(b.results() == Bytes{0x28});
    }

    TEST_CASE("the disk change line: set at power-on and by an eject, cleared by a step pulse") {
        FdcBench b;
        TempFile file(image_bytes(k144));
        b.fdc.insert_disk(0, b.open(file));
        b.power_up();
        CHECK((b.in(0x3F7) & 0x80) != 0);
        b.seek(0, 0);  // no step pulse: still set
        CHECK((b.in(0x3F7) & 0x80) != 0);
        b.seek(0, 1);  // one step
        CHECK((b.in(0x3F7) & 0x80) == 0);
        CHECK((b.in(0x3F7) & 0x7F) == 0x7F);  // bits 6-0 are not the FDC's
        auto disk = b.fdc.eject_disk(0);
        CHECK((b.in(0x3F7) & 0x80) != 0);
        b.seek(0, 2);  // stepping an empty drive does not clear it
        CHECK((b.in(0x3F7) & 0x80) != 0);
        b.fdc.insert_disk(0, std::move(disk));
        CHECK((b.in(0x3F7) & 0x80) != 0);
        b.seek(0, 1);
        CHECK((b.in(0x3F7) & 0x80) == 0);
        b.out(0x3F2, 0x0C);  // motor off: the drive is deselected, the line reads inactive
        CHECK((b.in(0x3F7) & 0x80) == 0);
    }

    TEST_CASE("media checks: unknown sizes and wrong form factors are refused at insertion") {
        FdcBench b(FloppyDriveType::Drive1440K, FloppyDriveType::Drive1200K);
        TempFile odd(Bytes(1000 * 512, 0));
        CHECK_THROWS_AS(b.fdc.insert_disk(0, b.open(odd)), DiskImageError);
        TempFile five(image_bytes(1228800));
        CHECK_THROWS_AS(b.fdc.insert_disk(0, b.open(five)), DiskImageError);  // 5.25" disk, 3.5" drive
        CHECK_NOTHROW(b.fdc.insert_disk(1, b.open(five)));
        CHECK_THROWS_AS(b.fdc.insert_disk(2, b.open(five)), DiskImageError);  // no drive C:
        CHECK(floppy_drive_spec(FloppyDriveType::Drive1440K).cmos_type == 4);
        CHECK(media_data_rate_kbps(FloppyDriveType::Drive1200K, *floppy_geometry_for_size(368640)) == 300);
        CHECK(media_data_rate_kbps(FloppyDriveType::Drive360K, *floppy_geometry_for_size(1228800)) == 0);
    }

    TEST_CASE("state saved mid-seek restores into a fresh controller and the seek still ends on time") {
        StateStore store;
        Cycles due = 0;
        {
            FdcBench b;
            b.power_up();
            b.send({0x0F, 0x00, 20});
            due = b.scheduler.now() + 20 * FdcBench::us(3000);
            b.advance(FdcBench::us(1000));
            b.fdc.inspect(store);
        }
        FdcBench c;
        c.advance(due - FdcBench::us(30000) * 2);  // any time before the seek is due
        c.out(0x3F2, 0x1C);  // motor on, as in the saved machine
        store.set_loading(true);
        c.fdc.inspect(store);
        CHECK(c.fdc.msr() == 0x81);
        REQUIRE(c.wait_irq());
        CHECK(c.scheduler.now() == due);
        c.send({0x08});
        CHECK(c.results() == Bytes{0x20, 20});
        testing::RecordingVisitor v;
        c.fdc.inspect(v);
        CHECK(v.has("fdc.drive0.pcn=20"));
        CHECK(v.has("fdc.drive0.media=none"));
    }

    TEST_CASE("random port writes, reads and time never crash or hang the controller") {
        FdcBench b(FloppyDriveType::Drive1440K, FloppyDriveType::Drive360K);
        TempFile a(image_bytes(k144));
        TempFile c(image_bytes(368640));
        b.fdc.insert_disk(0, b.open(a));
        b.fdc.insert_disk(1, b.open(c));
        std::uint32_t x = 12345;  // a fixed LCG: the same "random" guest every run
        auto next = [&x] {
            x = x * 1103515245u + 12345u;
            return x >> 16;
        };
        static constexpr std::uint16_t kPorts[] = {0x3F0, 0x3F1, 0x3F2, 0x3F3, 0x3F4, 0x3F5, 0x3F7, 0x00,
                                                   0x04, 0x05, 0x08, 0x0A, 0x0B, 0x81, 0xC0, 0xD4};
        for (int i = 0; i < 200'000; ++i) {
            const std::uint16_t port = kPorts[next() % 16];
            const unsigned what = next() % 8;
            if (what < 4) {
                std::uint8_t v = static_cast<std::uint8_t>(next());
                if (port == 0x3F2 && (next() % 4) != 0) v |= 0x1C;  // mostly keep a motor on
                if (port == 0x3F4 && (next() % 8) != 0) v &= 0x7F;  // resets now and then
                b.out(port, v);
            } else if (what < 7) {
                (void)b.in(port);
            } else {
                b.advance(next() % FdcBench::us(20'000));
            }
            if (i % 50'000 == 0) {
                auto disk = b.fdc.eject_disk(0);
                b.fdc.insert_disk(0, std::move(disk));
            }
        }
        b.advance(FdcBench::us(5'000'000));
        testing::RecordingVisitor v;
        b.fdc.inspect(v);
        CHECK(v.has_prefix("fdc.dor="));
        CHECK(b.scheduler.pending_count() <= 5);  // at most one controller event and four seeks
    }
}
