#include <doctest/doctest.h>

#include <vector>

#include "devices/rtc/rtc146818.h"
#include "run_until.h"

using namespace lantern;
using lantern::testing::run_until;

namespace {

constexpr std::uint64_t kCpuHz = 8'000'000;  // 15625/64 CPU cycles per 32.768 kHz tick

// First CPU cycle at which the divider chain has counted `count` 32.768 kHz ticks from power-on.
Cycles cycle_of_count(std::uint64_t count) { return (count * 15625 + 63) / 64; }

struct Fixture {
    Scheduler sched;
    IrqLine irq8;
    std::vector<Cycles> raises;
    Rtc146818 rtc;
    explicit Fixture(RtcOptions o = {}) : rtc(sched, kCpuHz, irq8, o) {
        irq8.connect([this](bool level) {
            if (level) raises.push_back(sched.now());
        });
    }
    std::uint8_t rd(std::uint8_t reg) {
        rtc.write(0, reg, 1);
        return static_cast<std::uint8_t>(rtc.read(1, 1));
    }
    void wr(std::uint8_t reg, std::uint8_t v) {
        rtc.write(0, reg, 1);
        rtc.write(1, v, 1);
    }
    void at(Cycles t) { run_until(sched, t); }
};

}  // namespace

TEST_SUITE("rtc") {
    TEST_CASE("power-on registers: the fixed start time 2000-01-01 00:00:00, BCD, 24 h") {
        Fixture f;
        CHECK(f.rd(0x00) == 0x00);
        CHECK(f.rd(0x02) == 0x00);
        CHECK(f.rd(0x04) == 0x00);
        CHECK(f.rd(0x06) == 7);  // Saturday
        CHECK(f.rd(0x07) == 0x01);
        CHECK(f.rd(0x08) == 0x01);
        CHECK(f.rd(0x09) == 0x00);
        CHECK(f.rd(0x32) == 0x20);
        CHECK(f.rd(0x0A) == 0x26);
        CHECK(f.rd(0x0B) == 0x02);
        CHECK(f.rd(0x0C) == 0x00);
        CHECK(f.rd(0x0D) == 0x80);
        CHECK(f.sched.pending_count() == 0);  // no interrupt enabled: no events at all
    }

    TEST_CASE("day of week") {
        CHECK(rtc_day_of_week(2000, 1, 1) == 7);
        CHECK(rtc_day_of_week(2024, 2, 29) == 5);  // Thursday
        CHECK(rtc_day_of_week(1970, 1, 1) == 5);
        CHECK(rtc_day_of_week(2023, 10, 29) == 1);
    }

    TEST_CASE("time advances with virtual time only, the same way every run") {
        Fixture a, b;
        a.at(cycle_of_count(32768 * 3725 + 65));  // 1 h 2 min 5 s
        b.at(cycle_of_count(32768 * 3725 + 65));
        CHECK(a.rd(0x00) == 0x05);
        CHECK(a.rd(0x02) == 0x02);
        CHECK(a.rd(0x04) == 0x01);
        CHECK(a.rtc.current_time() == RtcDateTime{2000, 1, 1, 1, 2, 5});
        CHECK(b.rtc.current_time() == a.rtc.current_time());
    }

    TEST_CASE("a configurable start time, with leap years and month ends") {
        Fixture f(RtcOptions{RtcTimeSource::Fixed, RtcDateTime{2024, 2, 28, 23, 59, 59}});
        CHECK(f.rd(0x06) == 4);  // Wednesday
        f.at(cycle_of_count(32768 + 65));
        CHECK(f.rtc.current_time() == RtcDateTime{2024, 2, 29, 0, 0, 0});
        CHECK(f.rd(0x06) == 5);
        Fixture g(RtcOptions{RtcTimeSource::Fixed, RtcDateTime{2023, 2, 28, 23, 59, 59}});
        g.at(cycle_of_count(32768 + 65));
        CHECK(g.rtc.current_time() == RtcDateTime{2023, 3, 1, 0, 0, 0});
        Fixture h(RtcOptions{RtcTimeSource::Fixed, RtcDateTime{1999, 12, 31, 23, 59, 59}});
        h.at(cycle_of_count(32768 + 65));
        CHECK(h.rd(0x09) == 0x00);
        CHECK(h.rd(0x08) == 0x01);
        CHECK(h.rd(0x07) == 0x01);
    }

    TEST_CASE("UIP rises 244 us before the update and falls when the 1984 us update ends") {
        Fixture f;
        f.at(cycle_of_count(32768 - 9));
        CHECK((f.rd(0x0A) & 0x80) == 0);
        f.at(cycle_of_count(32768 - 8));
        CHECK((f.rd(0x0A) & 0x80) != 0);
        f.at(cycle_of_count(32768 + 64));
        CHECK((f.rd(0x0A) & 0x80) != 0);
        CHECK(f.rd(0x00) == 0x00);  // the new second is not there before the update ends
        CHECK((f.rd(0x0C) & 0x10) == 0);
        f.at(cycle_of_count(32768 + 65));
        CHECK((f.rd(0x0A) & 0x80) == 0);
        CHECK(f.rd(0x00) == 0x01);
    }

    TEST_CASE("binary mode and 12-hour mode with the PM bit") {
        Fixture f;
        f.wr(0x0B, 0x80 | 0x04);  // SET, binary, 12 h
        f.wr(0x00, 59);
        f.wr(0x02, 59);
        f.wr(0x04, 11);           // 11 AM
        f.wr(0x0B, 0x04);
        f.at(cycle_of_count(32768 + 65));
        CHECK(f.rd(0x04) == (0x80 | 12));  // 12 PM
        CHECK(f.rd(0x02) == 0);
        CHECK(f.rd(0x07) == 1);

        f.wr(0x0B, 0x80);         // SET, BCD, 12 h
        f.wr(0x00, 0x59);
        f.wr(0x02, 0x59);
        f.wr(0x04, 0x91);         // 11 PM
        f.wr(0x0B, 0x00);
        f.at(cycle_of_count(2 * 32768 + 65));
        CHECK(f.rd(0x04) == 0x12);  // 12 AM: PM clear, next day
        CHECK(f.rd(0x07) == 0x02);
        CHECK(f.rd(0x06) == 1);    // Sunday
        f.at(cycle_of_count(3602 * 32768 + 65));
        CHECK(f.rd(0x04) == 0x01);  // 1 AM: 12 -> 1 keeps AM
    }

    TEST_CASE("24-hour binary rollover") {
        Fixture f;
        f.wr(0x0B, 0x80 | 0x04 | 0x02);
        f.wr(0x00, 59);
        f.wr(0x02, 59);
        f.wr(0x04, 23);
        f.wr(0x0B, 0x04 | 0x02);
        f.at(cycle_of_count(32768 + 65));
        CHECK(f.rd(0x04) == 0);
        CHECK(f.rd(0x07) == 2);
    }

    TEST_CASE("SET inhibits updates and clears UIE; time resumes when it is cleared") {
        Fixture f;
        f.wr(0x0B, 0x02 | 0x10);  // UIE
        f.wr(0x0B, 0x82 | 0x10);  // SET going high clears UIE
        CHECK((f.rd(0x0B) & 0x10) == 0);
        f.at(cycle_of_count(3 * 32768 + 65));
        CHECK(f.rd(0x00) == 0x00);
        CHECK((f.rd(0x0A) & 0x80) == 0);
        f.wr(0x0B, 0x02);
        f.at(cycle_of_count(4 * 32768 + 65));
        CHECK(f.rd(0x00) == 0x01);
    }

    TEST_CASE("periodic interrupt at 1024 Hz (RS=6): IRQ8 every 976.5625 us, exact in CPU cycles") {
        Fixture f;
        f.wr(0x0B, 0x02 | 0x40);  // PIE
        std::vector<Cycles> expected;
        for (std::uint64_t k = 1; k <= 16; ++k) {
            f.at(f.sched.next_event());
            REQUIRE(f.irq8.level());
            CHECK(f.rd(0x0C) == 0xC0);  // IRQF | PF, then cleared
            CHECK_FALSE(f.irq8.level());
            expected.push_back(cycle_of_count(32 * k));  // ceil(k * 7812.5)
        }
        CHECK(f.raises == expected);
        CHECK(f.raises[0] == 7813);  // 7812.5 rounded up
        CHECK(f.raises[1] - f.raises[0] == 7812);
        CHECK(f.raises[2] - f.raises[1] == 7813);
    }

    TEST_CASE("periodic rates follow RS; PF is set without PIE and without any event") {
        Fixture f;
        f.wr(0x0A, 0x23);  // 8192 Hz: 4 counts
        CHECK(f.sched.pending_count() == 0);
        f.at(cycle_of_count(3));
        CHECK((f.rd(0x0C) & 0x40) == 0);
        f.at(cycle_of_count(4));
        CHECK(f.rd(0x0C) == 0x40);  // PF alone: no IRQF
        CHECK(f.rd(0x0C) == 0x00);
        f.wr(0x0A, 0x2F);  // 2 Hz
        f.wr(0x0B, 0x42);
        f.at(f.sched.next_event());
        CHECK(f.raises == std::vector<Cycles>{cycle_of_count(16384)});
        f.wr(0x0A, 0x20);  // RS = 0: no periodic interrupt
        f.rd(0x0C);
        CHECK(f.sched.pending_count() == 0);
    }

    TEST_CASE("update-ended interrupt; reading C clears the flags and drops IRQ8") {
        Fixture f;
        f.wr(0x0B, 0x12);
        f.at(f.sched.next_event());
        CHECK(f.raises == std::vector<Cycles>{cycle_of_count(32768 + 65)});
        CHECK(f.irq8.level());
        const auto peeked = [&] { f.rtc.write(0, 0x0C, 1); return f.rtc.peek(1, 1); }();
        // IRQF | PF | UF: PF is set by the default 1024 Hz rate whether or not PIE is on.
        CHECK(peeked == 0xD0);
        CHECK(f.irq8.level());  // peek has no side effect
        CHECK(f.rd(0x0C) == 0xD0);
        CHECK_FALSE(f.irq8.level());
        CHECK(f.rd(0x0C) == 0x00);
    }

    TEST_CASE("enabling an interrupt whose flag is already set raises IRQ8 at once") {
        Fixture f;
        f.at(cycle_of_count(32768 + 65));
        CHECK_FALSE(f.irq8.level());
        f.wr(0x0B, 0x12);
        CHECK(f.irq8.level());
        f.wr(0x0B, 0x02);  // IRQF = UF.UIE: clearing the enable releases the line
        CHECK_FALSE(f.irq8.level());
    }

    TEST_CASE("alarm, exact and with don't-care bytes") {
        Fixture f;
        f.wr(0x01, 0x05);
        f.wr(0x03, 0x00);
        f.wr(0x05, 0x00);
        f.wr(0x0B, 0x22);  // AIE
        f.at(cycle_of_count(4 * 32768 + 65));
        CHECK(f.raises.empty());
        f.at(f.sched.next_event());
        CHECK(f.raises == std::vector<Cycles>{cycle_of_count(5 * 32768 + 65)});
        CHECK(f.rd(0x0C) == (0x80 | 0x40 | 0x20 | 0x10));  // IRQF, PF (1024 Hz), AF and UF
        CHECK(f.rd(0x00) == 0x05);

        f.wr(0x01, 0xFF);  // every second
        f.wr(0x03, 0xC0);
        f.wr(0x05, 0xC0);
        f.raises.clear();
        f.at(cycle_of_count(6 * 32768 + 65));
        CHECK(f.raises.size() == 1);
        CHECK((f.rd(0x0C) & 0x20) != 0);
    }

    TEST_CASE("the alarm flag is set even without AIE (polled)") {
        Fixture f;
        f.wr(0x01, 0x02);
        f.wr(0x03, 0xC0);
        f.wr(0x05, 0xC0);
        f.at(cycle_of_count(10 * 32768));
        CHECK(f.rd(0x0C) == 0x70);  // PF | AF | UF, no IRQF
        CHECK(f.sched.pending_count() == 0);
    }

    TEST_CASE("divider reset: the first update comes half a second after release") {
        Fixture f;
        f.at(cycle_of_count(1000));
        f.wr(0x0A, 0x70);  // hold the chain in reset
        f.at(cycle_of_count(3 * 32768));
        CHECK(f.rd(0x00) == 0x00);
        CHECK((f.rd(0x0A) & 0x80) == 0);
        const Cycles release = f.sched.now();
        f.wr(0x0A, 0x26);
        f.wr(0x0B, 0x12);
        f.at(f.sched.next_event());
        REQUIRE(f.raises.size() == 1);
        // 16384 + 65 counts of the 32.768 kHz tick, from the tick the release fell in.
        const std::uint64_t tick = release * 64 / 15625;
        CHECK(f.raises[0] == cycle_of_count(tick + 16384 + 65));
        CHECK(f.rd(0x00) == 0x01);
    }

    TEST_CASE("NMI mask in port 0x70 bit 7: state and callback") {
        Fixture f;
        std::vector<bool> seen;
        f.rtc.set_nmi_mask_callback([&](bool d) { seen.push_back(d); });
        f.rtc.write(0, 0x8F, 1);
        CHECK(f.rtc.nmi_disabled());
        CHECK(f.rtc.index() == 0x0F);
        f.rtc.write(0, 0x8A, 1);
        f.rtc.write(0, 0x0A, 1);
        CHECK_FALSE(f.rtc.nmi_disabled());
        CHECK(seen == std::vector<bool>{true, false});
        CHECK(f.rtc.read(0, 1) == 0xFF);  // the index port is write-only
    }

    TEST_CASE("a word access to 0x70 selects the register and reaches it through 0x71") {
        Fixture f;
        PortMap ports;
        f.rtc.map(ports);
        ports.write(0x70, 0xA5'40, 2);  // index 0x40, data 0xA5
        CHECK(f.rtc.cmos_byte(0x40) == 0xA5);
        CHECK(ports.read(0x70, 2) == 0xA5'FF);
        CHECK(ports.peek(0x71, 1) == 0xA5);
    }

    TEST_CASE("NVRAM bytes keep their values; registers C and D are read-only") {
        Fixture f;
        for (unsigned i = 0x0E; i < 0x80; ++i) f.wr(static_cast<std::uint8_t>(i), static_cast<std::uint8_t>(i ^ 0x5A));
        for (unsigned i = 0x0E; i < 0x80; ++i) CHECK(f.rd(static_cast<std::uint8_t>(i)) == (i ^ 0x5A));
        f.wr(0x0C, 0xFF);
        f.wr(0x0D, 0x00);
        CHECK(f.rd(0x0C) == 0x00);
        CHECK(f.rd(0x0D) == 0x80);
        CHECK(f.rtc.cmos_byte(0x40) == (0x40 ^ 0x5A));
    }

    TEST_CASE("reset clears the enables and flags but not the time") {
        Fixture f;
        f.wr(0x0B, 0x72);
        f.at(cycle_of_count(32768 + 65));
        CHECK(f.irq8.level());
        f.rtc.reset();
        CHECK_FALSE(f.irq8.level());
        CHECK(f.rd(0x0B) == 0x02);
        CHECK(f.rd(0x00) == 0x01);
    }

    TEST_CASE("daylight saving: last Sunday in April skips 2 AM") {
        Fixture f(RtcOptions{RtcTimeSource::Fixed, RtcDateTime{1990, 4, 29, 1, 59, 59}});
        f.wr(0x0B, 0x03);  // 24 h, DSE
        f.at(cycle_of_count(32768 + 65));
        CHECK(f.rd(0x04) == 0x03);
        CHECK(f.rd(0x02) == 0x00);
    }

    TEST_CASE("daylight saving: last Sunday in October repeats 1 AM once") {
        Fixture f(RtcOptions{RtcTimeSource::Fixed, RtcDateTime{1990, 10, 28, 1, 59, 59}});
        f.wr(0x0B, 0x03);
        f.at(cycle_of_count(32768 + 65));
        CHECK(f.rd(0x04) == 0x01);
        CHECK(f.rd(0x02) == 0x00);
        f.at(cycle_of_count(3601 * 32768 + 65));
        CHECK(f.rd(0x04) == 0x02);
    }

    TEST_CASE("the guest cannot break it: every register and index takes any value") {
        Fixture f;
        for (unsigned reg = 0; reg < 0x0E; ++reg) f.wr(static_cast<std::uint8_t>(reg), 0xFF);
        f.wr(0x0A, 0x26);
        f.wr(0x0B, 0x7E);
        f.at(cycle_of_count(5 * 32768 + 65));
        for (unsigned reg = 0; reg < 0x80; ++reg) (void)f.rd(static_cast<std::uint8_t>(reg));
        CHECK(f.rd(0x0D) == 0x80);
    }
}
