// Test board for the 8042 tests: a scheduler, the controller with a keyboard and a mouse on its
// ports, and helpers that let virtual time run until the controller has a byte for the host.
#pragma once

#include <optional>
#include <vector>

#include "devices/input/kbc8042.h"
#include "devices/input/ps2_keyboard.h"
#include "devices/input/ps2_mouse.h"
#include "devices/port_map.h"
#include "run_until.h"

namespace lantern::testing {

inline constexpr std::uint64_t kPs2CpuHz = 8'000'000;           // 8 cycles per microsecond
inline constexpr Cycles kReplyCycles = 160;                      // 20 us
inline constexpr Cycles kSerialCycles = 7'040;                   // 880 us
inline constexpr Cycles kBatCycles = 2'400'000;                  // 300 ms

struct Ps2Board {
    Scheduler sched;
    IrqLine irq1, irq12;
    Ps2Keyboard kbd{sched, kPs2CpuHz};
    Ps2Mouse mouse{sched, kPs2CpuHz};
    std::vector<bool> a20;
    int resets = 0;
    Kbc8042 kbc{sched, kPs2CpuHz, irq1, irq12, &kbd, &mouse,
                [this](bool on) { a20.push_back(on); }, [this] { ++resets; }};
    PortMap ports;

    Ps2Board() { kbc.map(ports); }

    std::uint8_t status() { return static_cast<std::uint8_t>(ports.read(0x64, 1)); }
    void cmd(std::uint8_t c) { ports.write(0x64, c, 1); }
    void data(std::uint8_t d) { ports.write(0x60, d, 1); }

    // Runs virtual time until the output buffer is full (at most `limit` cycles from now) and
    // reads port 0x60; nullopt if nothing came.
    std::optional<std::uint8_t> next(Cycles limit = 50'000'000) {
        const Cycles end = sched.now() + limit;
        while (!(status() & Kbc8042::kObf)) {
            if (sched.next_event() > end) return std::nullopt;
            sched.advance_to(std::max(sched.now(), sched.next_event()));
            sched.run_due_events();
        }
        return static_cast<std::uint8_t>(ports.read(0x60, 1));
    }
    // Every byte that arrives with gaps under `limit` cycles (12.5 ms: well below a typematic delay).
    std::vector<std::uint8_t> drain(Cycles limit = 100'000) {
        std::vector<std::uint8_t> out;
        while (auto b = next(limit)) out.push_back(*b);
        return out;
    }
    // Power-on self-tests over, their bytes consumed, the mouse port enabled with IRQ12.
    void boot() {
        run_until(sched, kBatCycles + 1);
        drain();
        cmd(0x60);
        data(0x43);  // IRQ1, IRQ12, translation; both ports enabled
        drain();     // the mouse's AA 00
    }
};

}  // namespace lantern::testing
