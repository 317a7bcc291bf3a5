// A COM1 on its own: scheduler, IRQ line, port map and a capturing back-end, with helpers that
// play the CPU's part (port accesses at a given cycle) and the board's (firing due events).
#pragma once

#include <cstdint>

#include "devices/irq_line.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"
#include "devices/serial/serial_backend.h"
#include "devices/serial/uart16550.h"

namespace lantern::testing {

// Register offsets.
enum : unsigned { kRbrThr = 0, kIer = 1, kIirFcr = 2, kLcr = 3, kMcr = 4, kLsr = 5, kMsr = 6, kScr = 7 };

struct UartRig {
    explicit UartRig(std::uint64_t cpu_hz = 4'772'727, ModemLines lines = kTerminalReady)
        : backend(lines), uart(scheduler, irq, cpu_hz, &backend, "com1") {
        uart.map(ports, kCom1Base);
    }

    // Moves virtual time to cycle `c` and fires what is due, as the board does between slices.
    void run_to(Cycles c) {
        scheduler.advance_to(c);
        scheduler.run_due_events();
    }
    std::uint8_t in(unsigned reg) { return static_cast<std::uint8_t>(ports.read(kCom1Base + reg, 1)); }
    void out(unsigned reg, std::uint8_t v) { ports.write(static_cast<std::uint16_t>(kCom1Base + reg), v, 1); }
    // Programs the divisor latch and the line format (LCR without DLAB).
    void set_line(std::uint16_t divisor, std::uint8_t lcr_value = 0x03) {
        out(kLcr, static_cast<std::uint8_t>(0x80 | lcr_value));
        out(kRbrThr, static_cast<std::uint8_t>(divisor & 0xFF));
        out(kIer, static_cast<std::uint8_t>(divisor >> 8));
        out(kLcr, lcr_value);
    }
    // The CPU cycle at which crystal tick `t` has happened.
    Cycles cycle_of(std::uint64_t t) const { return uart.xin_clock().to_cycles(t); }
    std::uint8_t iir_id() { return static_cast<std::uint8_t>(ports.peek(kCom1Base + kIirFcr, 1) & 0x0F); }

    Scheduler scheduler;
    IrqLine irq;
    CaptureSerialBackend backend;
    PortMap ports;
    Uart16550 uart;
};

}  // namespace lantern::testing
