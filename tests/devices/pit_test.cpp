// The 8254 beyond the modes: reading and latching (8254 datasheet, "Read Operations", "Counter
// Latch Command", "Read-Back Command"), the read/write flip-flops, the OUT0 events and their
// timing in CPU cycles, the OUT2 history, snapshots, and the O(1) advance checked against
// pulse-by-pulse ticking.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "pit_rig.h"
#include "recording_visitor.h"

using namespace lantern;
using lantern::testing::MiniSnapshot;
using lantern::testing::PitRig;

namespace {
constexpr std::uint8_t control(unsigned counter, unsigned mode, bool bcd = false) {
    return static_cast<std::uint8_t>((counter << 6) | 0x30 | (mode << 1) | (bcd ? 1 : 0));
}

bool same_state(const PitCounter& a, const PitCounter& b) {
    return a.programmed == b.programmed && a.mode == b.mode && a.mode_bits == b.mode_bits && a.access == b.access &&
           a.bcd == b.bcd && a.cr == b.cr && a.ce == b.ce && a.ol == b.ol && a.pending_lsb == b.pending_lsb &&
           a.status_latch == b.status_latch && a.count_latched == b.count_latched &&
           a.status_latched == b.status_latched && a.read_msb_next == b.read_msb_next &&
           a.write_msb_next == b.write_msb_next && a.null_count == b.null_count && a.out == b.out &&
           a.gate == b.gate && a.trigger == b.trigger && a.load_pending == b.load_pending &&
           a.counting == b.counting && a.count_written == b.count_written && a.armed == b.armed &&
           a.odd_extra == b.odd_extra;
}
}  // namespace

TEST_SUITE("pit") {
    TEST_CASE("power-on: nothing counts, OUT low, the control port reads as open bus") {
        PitRig r;
        r.to_tick(100000);
        CHECK_FALSE(r.pit.out(0));
        CHECK(r.pit.next_out_event(0) == kNever);
        CHECK(r.sched.pending_count() == 0);
        CHECK(r.in(0x43) == 0xFF);
        r.out(0x40, 0x12);  // a count before any control word goes nowhere
        CHECK_FALSE(r.pit.counter(0).count_written);
    }

    TEST_CASE("a complete count written by software is reported as a PitReload event") {
        PitRig r;
        std::vector<DeviceEvent> events;
        r.pit.set_event_report([&](const DeviceEvent& e) { events.push_back(e); });
        r.out(0x43, 0x34);  // counter 0, LSB then MSB, mode 2
        r.out(0x40, 0x9C);
        CHECK(events.empty());  // half a count
        r.out(0x40, 0x2E);
        REQUIRE(events.size() == 1);
        CHECK(events[0].kind == DeviceEventKind::PitReload);
        CHECK(events[0].detail == 0);
        r.out(0x43, 0x90);  // counter 2, LSB only, mode 0
        r.out(0x42, 0x10);
        REQUIRE(events.size() == 2);
        CHECK(events[1].detail == 2);
        r.out(0x43, 0x00);  // a counter latch command is no count
        r.out(0x41, 0x55);  // counter 1 never programmed: the byte is ignored
        CHECK(events.size() == 2);
    }

    TEST_CASE("counter latch: the count is frozen until read; a second latch is ignored") {
        PitRig r;
        r.to_tick(10);
        r.program(control(0, 2), 1000);
        r.to_tick(20);
        r.out(0x43, 0x00);  // latch counter 0
        r.to_tick(25);
        r.out(0x43, 0x00);  // ignored: the first latch is unread
        r.to_tick(30);
        CHECK(r.in(0x40) == (991 & 0xFF));
        r.to_tick(35);
        CHECK(r.in(0x40) == (991 >> 8));
        // Released: the next reads follow the counter again (read without latching).
        CHECK(r.in(0x40) == ((1000 - 24) & 0xFF));
        CHECK(r.in(0x40) == ((1000 - 24) >> 8));
    }

    TEST_CASE("LSB-only and MSB-only access") {
        PitRig r;
        r.to_tick(10);
        r.out(0x43, 0x14);  // counter 0, LSB only, mode 2
        r.out(0x40, 0x20);
        CHECK(r.pit.counter(0).cr == 0x0020);
        r.to_tick(12);
        CHECK(r.in(0x40) == 0x1F);
        CHECK(r.in(0x40) == 0x1F);  // every read is the LSB
        r.out(0x43, 0x24);           // MSB only
        r.out(0x40, 0x01);
        CHECK(r.pit.counter(0).cr == 0x0100);
        r.to_tick(14);
        CHECK(r.in(0x40) == 0x00);  // CE = 0x00FF: its MSB
        r.out(0x43, 0x00);
        CHECK(r.in(0x40) == 0x00);
    }

    TEST_CASE("reads and writes may interleave: separate read and write flip-flops") {
        PitRig r;
        r.pit.set_gate(2, false);  // frozen, so the values are easy to follow
        r.to_tick(10);
        r.program(control(2, 0), 0x1234);
        r.to_tick(12);
        CHECK(r.in(0x42) == 0x34);  // 1. read LSB
        r.out(0x42, 0x78);          // 2. write new LSB (mode 0: counting stops, OUT low)
        CHECK(r.in(0x42) == 0x12);  // 3. read MSB
        r.out(0x42, 0x56);          // 4. write new MSB
        CHECK(r.pit.counter(2).cr == 0x5678);
        r.to_tick(13);
        CHECK(r.latched(2) == 0x5678);
    }

    TEST_CASE("read-back: status and count latched together, status read first") {
        PitRig r;
        r.to_tick(10);
        r.program(control(0, 2), 100);
        // Before the load pulse NULL COUNT is set.
        r.out(0x43, 0xE2);  // read-back, status only (COUNT bit 5 = 1), counter 0
        CHECK(r.in(0x40) == 0xF4);  // OUT 1, NULL COUNT 1, RW 11, mode 010, binary
        r.to_tick(20);
        r.out(0x43, 0xC2);  // count and status of counter 0
        r.to_tick(30);
        CHECK(r.in(0x40) == 0xB4);  // status first, NULL COUNT clear now
        CHECK(r.in(0x40) == 91);    // then the count latched at tick 20
        CHECK(r.in(0x40) == 0);
        // Count latched first and status second: the status still comes first.
        r.out(0x43, 0x00);
        r.out(0x43, 0xE2);
        CHECK(r.in(0x40) == 0xB4);
        CHECK(r.in(0x40) == 81);
        CHECK(r.in(0x40) == 0);
        // Several counters at once (D1-D3); a repeated status latch is ignored until read.
        r.pit.set_gate(2, true);
        r.program(control(1, 3), 10);
        r.program(control(2, 0, true), 0x50);
        r.to_tick(40);
        r.out(0x43, 0xCE);  // count and status of counters 0, 1 and 2
        r.to_tick(41);
        r.out(0x43, 0xE8);  // status of counter 2 again: ignored
        CHECK(r.in(0x41) == 0x36);  // OUT 0 (second half of the square wave), mode 3
        CHECK(r.in(0x41) == 2);
        CHECK(r.in(0x41) == 0);
        CHECK(r.in(0x42) == 0x31);  // OUT 0, mode 0, BCD
        CHECK(r.in(0x42) == 0x41);  // BCD 41 (loaded 50 at 31, nine pulses)
        CHECK(r.in(0x42) == 0x00);
        CHECK(r.in(0x40) == 0xB4);  // counter 0: still in its first period of 100
        CHECK(r.in(0x40) == 71);
        CHECK(r.in(0x40) == 0);
    }

    TEST_CASE("OUT0 events exist only while OUT0 is wired and will change") {
        Scheduler s;
        Pit8254 pit(s, ClockDomain::from_ratio(4, 1));
        pit.write(3, control(0, 3), 1);
        pit.write(0, 100, 1);
        pit.write(0, 0, 1);
        CHECK(s.pending_count() == 0);  // nobody watches OUT0
        IrqLine line;
        pit.connect_output(0, &line);
        CHECK(line.level());
        CHECK(s.pending_count() == 1);
        CHECK(pit.next_out_event(0) == pit.clock().to_cycles(1 + 50));
        pit.connect_output(0, nullptr);
        CHECK(s.pending_count() == 0);
        // Counter 2 never has events: port 0x61 and the speaker read it when they need it.
        pit.write(3, control(2, 3), 1);
        pit.write(2, 4, 1);
        pit.write(2, 0, 1);
        CHECK(s.pending_count() == 0);
    }

    TEST_CASE("reprogramming re-arms the OUT0 event at once") {
        PitRig r;
        r.to_tick(10);
        r.program(control(0, 2), 30000);
        CHECK(r.pit.next_out_event(0) == r.cycle_of(10 + 30000));
        r.to_tick(100);
        r.program(control(0, 2), 5);
        CHECK(r.pit.next_out_event(0) == r.cycle_of(100 + 5));
        r.to_tick(106);
        CHECK(r.edges0.back() == std::make_pair(r.cycle_of(106), true));
    }

    TEST_CASE("count 0 in modes 2 and 3: IRQ0 at 18.2 Hz, exact in CPU cycles at two CPU clocks") {
        struct Clock {
            std::uint64_t cpu_hz;
            ClockDomain domain;
        };
        const Clock clocks[] = {{4'772'727, pit_clock_domain(4'772'727)}, {8'000'000, pit_clock_domain(8'000'000)}};
        CHECK(clocks[0].domain.num() == 4);  // the 5150's shared crystal: exactly 4 cycles a tick
        CHECK(clocks[0].domain.den() == 1);
        for (const Clock& clock : clocks) {
            for (unsigned mode : {2u, 3u}) {
                CAPTURE(clock.cpu_hz);
                CAPTURE(mode);
                PitRig r(clock.domain);
                r.program(control(0, mode), 0);  // at cycle 0: loaded on tick 1
                r.to_cycle(clock.cpu_hz);        // one second of CPU time
                std::vector<Cycles> rising;
                for (auto [cycle, level] : r.edges0)
                    if (level) rising.push_back(cycle);
                // The control word's own edge, then one rising edge every 65536 ticks after the
                // load: 18 of them in a second (1193182 / 65536 = 18.2).
                REQUIRE(rising.size() == 1 + 18);
                for (std::uint64_t k = 1; k <= 18; ++k)
                    CHECK(rising[k] == clock.domain.to_cycles(1 + 65536 * k));
                const double hz = 17.0 * static_cast<double>(clock.cpu_hz) / static_cast<double>(rising[18] - rising[1]);
                CHECK(hz == doctest::Approx(1193182.0 / 65536.0).epsilon(1e-6));
                if (clock.cpu_hz == 4'772'727) CHECK(rising[2] - rising[1] == 262144);
            }
        }
    }

    TEST_CASE("OUT2's recent edges are kept exactly, however the time is cut into syncs") {
        auto run = [](std::uint64_t step_ticks) {
            PitRig r;
            r.pit.set_gate(2, true);
            r.program(control(2, 3), 10);  // edges at 1 + 5k
            for (std::uint64_t t = step_ticks; t <= 100000; t += step_ticks) {
                r.to_tick(t);
                r.pit.sync();
            }
            r.to_tick(100000);
            r.pit.sync();
            return r.pit.out2_history();
        };
        const auto one_go = run(100000);
        REQUIRE(one_go.size() == Pit8254::kOut2HistorySize);
        const ClockDomain c = ClockDomain::from_ratio(4, 1);
        const std::uint64_t last_k = (100000 - 1) / 5;
        for (std::size_t i = 0; i < one_go.size(); ++i) {
            const std::uint64_t k = last_k - (one_go.size() - 1 - i);
            CHECK(one_go[i].cycle == c.to_cycles(1 + 5 * k));
            CHECK(one_go[i].level == (k % 2 == 0));
        }
        for (std::uint64_t step : {1u, 7u, 333u, 4096u}) {
            const auto sliced = run(step);
            REQUIRE(sliced.size() == one_go.size());
            for (std::size_t i = 0; i < sliced.size(); ++i) {
                CHECK(sliced[i].cycle == one_go[i].cycle);
                CHECK(sliced[i].level == one_go[i].level);
            }
        }
    }

    TEST_CASE("peek has no side effects; reads through the port do") {
        PitRig r;
        r.to_tick(10);
        r.program(control(0, 2), 1000);
        r.to_tick(20);
        r.out(0x43, 0xC2);
        CHECK(r.pit.peek(0, 1) == 0xB4);
        CHECK(r.pit.peek(0, 1) == 0xB4);
        CHECK(r.pit.counter(0).status_latched);
        CHECK(r.in(0x40) == 0xB4);
        CHECK(r.pit.peek(0, 1) == (991 & 0xFF));
        r.to_tick(25);
        CHECK(r.pit.peek_out(0));
    }

    TEST_CASE("inspect lists every counter field; a snapshot restores them and re-arms OUT0") {
        PitRig a;
        a.pit.set_gate(2, true);
        a.to_tick(10);
        a.program(control(0, 3), 1001);
        a.program(control(2, 2), 77);
        a.to_tick(5000);
        a.out(0x43, 0x00);  // a latch pending in the snapshot
        MiniSnapshot snap;
        a.sched.inspect(snap);
        a.pit.inspect(snap);

        PitRig b;
        b.to_tick(3);
        b.program(control(0, 0), 5);
        snap.start_loading();
        b.sched.inspect(snap);
        b.pit.inspect(snap);
        CHECK(b.pit.next_out_event(0) == a.pit.next_out_event(0));
        CHECK(b.out0.level() == a.out0.level());
        a.edges0.clear();
        b.edges0.clear();
        a.to_tick(40000);
        b.to_tick(40000);
        CHECK(a.edges0 == b.edges0);
        CHECK(a.edges0.size() > 50);
        CHECK(a.in(0x40) == b.in(0x40));  // the latched count survived
        CHECK(a.in(0x40) == b.in(0x40));
        CHECK(a.latched(2) == b.latched(2));

        testing::RecordingVisitor v;
        a.pit.inspect(v);
        CHECK(v.has("pit.counter0.mode=3"));
        CHECK(v.has("pit.counter0.cr=1001"));
        CHECK(v.has("pit.counter2.gate=1"));
        CHECK(v.has_prefix("pit.counter0.next_out_event="));
        CHECK(v.has_prefix("pit.out2_history.slot31.cycle="));
    }

    TEST_CASE("advance(n) equals n single pulses, in every mode, for random programming") {
        std::mt19937 rng(20240605);  // fixed seed: the test is deterministic
        auto pick = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
        for (int trial = 0; trial < 400; ++trial) {
            PitCounter fast, slow;
            std::vector<std::pair<std::uint64_t, bool>> fast_edges, slow_edges;
            std::uint64_t elapsed = 0;
            for (int step = 0; step < 40; ++step) {
                const unsigned op = pick(10);
                if (op == 0) {
                    const auto cw = static_cast<std::uint8_t>((1 + pick(3)) << 4 | pick(8) << 1 | pick(2));
                    fast.write_control(cw);
                    slow.write_control(cw);
                } else if (op <= 2) {
                    std::uint8_t v = static_cast<std::uint8_t>(pick(4) == 0 ? rng() : pick(12));
                    fast.write_data(v);
                    slow.write_data(v);
                } else if (op == 3) {
                    const bool g = pick(2) == 1;
                    fast.set_gate(g);
                    slow.set_gate(g);
                } else if (op == 4) {
                    fast.latch_count();
                    slow.latch_count();
                    CHECK(fast.read_data() == slow.read_data());
                } else {
                    const std::uint64_t n = pick(8) == 0 ? 20000 + pick(50000) : 1 + pick(60);
                    // The prediction of the next OUT change matches what ticking shows.
                    const std::uint64_t predicted = fast.pulses_until_out_change();
                    fast.advance(n, [&](std::uint64_t p, bool l) { fast_edges.emplace_back(elapsed + p, l); },
                                 pick(3));
                    std::uint64_t first_change = PitCounter::kForever;
                    for (std::uint64_t i = 1; i <= n; ++i) {
                        const bool before = slow.out;
                        slow.tick();
                        if (slow.out != before) {
                            slow_edges.emplace_back(elapsed + i, slow.out);
                            if (first_change == PitCounter::kForever) first_change = i;
                        }
                    }
                    if (first_change != PitCounter::kForever) CHECK(predicted == first_change);
                    else CHECK((predicted == PitCounter::kForever || predicted > n));
                    elapsed += n;
                }
                REQUIRE(same_state(fast, slow));
            }
            // Periods skipped in one go are missing from fast_edges; every edge it does report is
            // a real one, at the right pulse.
            REQUIRE(fast_edges.size() <= slow_edges.size());
            std::size_t j = 0;
            for (const auto& e : fast_edges) {
                while (j < slow_edges.size() && slow_edges[j] != e) ++j;
                CHECK(j < slow_edges.size());
            }
        }
    }
}
