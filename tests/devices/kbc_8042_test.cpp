#include <doctest/doctest.h>

#include <vector>

#include "ps2_test_board.h"

using namespace lantern;
using namespace lantern::testing;
using Bytes = std::vector<std::uint8_t>;

TEST_SUITE("kbc8042") {
    TEST_CASE("power-on status and command byte; replies take the controller's time") {
        Ps2Board b;
        CHECK(b.status() == Kbc8042::kInh);  // not inhibited, nothing buffered, SYS clear
        b.cmd(0x20);
        CHECK(b.status() == (Kbc8042::kInh | Kbc8042::kA2));
        run_until(b.sched, kReplyCycles - 1);
        CHECK_FALSE((b.status() & Kbc8042::kObf) != 0);
        run_until(b.sched, kReplyCycles);
        CHECK((b.status() & Kbc8042::kObf) != 0);
        CHECK(b.ports.read(0x60, 1) == 0x61);
        CHECK_FALSE((b.status() & Kbc8042::kObf) != 0);
        CHECK(b.ports.read(0x60, 1) == 0x61);  // a second read returns the stale byte
    }

    TEST_CASE("self-test answers 55 and sets SYS; interface tests answer 00") {
        Ps2Board b;
        b.cmd(0xAA);
        CHECK(b.next() == 0x55);
        CHECK((b.status() & Kbc8042::kSys) != 0);
        b.cmd(0xAB);
        CHECK(b.next() == 0x00);
        b.cmd(0xA9);
        CHECK(b.next() == 0x00);
        b.cmd(0xA4);
        CHECK(b.next() == 0xF1);
        b.cmd(0xC0);
        CHECK(b.next() == 0xA0);
    }

    TEST_CASE("command byte write and read back; enable/disable commands change it") {
        Ps2Board b;
        b.cmd(0x60);
        b.data(0x47);
        CHECK(b.kbc.command_byte() == 0x47);
        CHECK((b.status() & Kbc8042::kSys) != 0);  // SYS follows command byte bit 2
        b.cmd(0xAD);
        b.cmd(0xA7);
        b.cmd(0x20);
        CHECK(b.next() == (0x47 | 0x10 | 0x20));
        b.cmd(0xAE);
        b.cmd(0xA8);
        b.cmd(0x20);
        CHECK(b.next() == 0x47);
        b.cmd(0x65);  // RAM byte 5
        b.data(0x9C);
        b.cmd(0x25);
        CHECK(b.next() == 0x9C);
    }

    TEST_CASE("A20 through the output port (D1), DD/DF, and read back with D0") {
        Ps2Board b;
        CHECK(b.kbc.a20_enabled());
        b.cmd(0xD1);
        b.data(0xDD);  // A20 off, reset line high
        CHECK(b.a20 == std::vector<bool>{false});
        CHECK(b.resets == 0);
        b.cmd(0xD0);
        CHECK(b.next() == 0xCD);  // bits 4/5 show the (now empty) output buffer lines
        b.cmd(0xDF);
        CHECK(b.a20 == std::vector<bool>{false, true});
        b.cmd(0xDF);
        CHECK(b.a20.size() == 2);  // no change, no callback
        b.cmd(0xDD);
        CHECK(b.a20 == std::vector<bool>{false, true, false});
        CHECK_FALSE(b.kbc.a20_enabled());
    }

    TEST_CASE("CPU reset: FE and the F0-FF pulses with bit 0 clear, and D1 with bit 0 clear") {
        Ps2Board b;
        b.cmd(0xFE);
        CHECK(b.resets == 1);
        b.cmd(0xFF);  // pulses nothing
        b.cmd(0xFD);  // pulses bit 1 only
        CHECK(b.resets == 1);
        b.cmd(0xF0);
        CHECK(b.resets == 2);
        b.cmd(0xD1);
        b.data(0xDE);
        CHECK(b.resets == 3);
        b.cmd(0xD0);
        CHECK((*b.next() & 0x01) == 0x01);  // the line is released again
    }

    TEST_CASE("the keyboard's power-on AA arrives after its self-test, with IRQ1") {
        Ps2Board b;
        run_until(b.sched, kBatCycles + kSerialCycles - 1);
        CHECK_FALSE(b.irq1.level());
        run_until(b.sched, kBatCycles + kSerialCycles);
        CHECK(b.irq1.level());
        CHECK(b.status() == (Kbc8042::kInh | Kbc8042::kObf));
        CHECK(b.ports.read(0x60, 1) == 0xAA);
        CHECK_FALSE(b.irq1.level());
    }

    TEST_CASE("translation of set 2 to set 1: plain, extended, Print Screen, Pause") {
        Ps2Board b;
        b.boot();
        auto press = [&](Key k) {
            b.kbd.key_event(k, true);
            b.kbd.key_event(k, false);
            return b.drain();
        };
        CHECK(press(Key::A) == Bytes{0x1E, 0x9E});
        CHECK(press(Key::Escape) == Bytes{0x01, 0x81});
        CHECK(press(Key::Digit1) == Bytes{0x02, 0x82});
        CHECK(press(Key::Enter) == Bytes{0x1C, 0x9C});
        CHECK(press(Key::LeftShift) == Bytes{0x2A, 0xAA});
        CHECK(press(Key::F7) == Bytes{0x41, 0xC1});
        CHECK(press(Key::F11) == Bytes{0x57, 0xD7});
        CHECK(press(Key::F12) == Bytes{0x58, 0xD8});
        CHECK(press(Key::KpMultiply) == Bytes{0x37, 0xB7});
        CHECK(press(Key::NumLock) == Bytes{0x45, 0xC5});
        CHECK(press(Key::Kp7) == Bytes{0x47, 0xC7});
        CHECK(press(Key::Right) == Bytes{0xE0, 0x4D, 0xE0, 0xCD});
        CHECK(press(Key::RightCtrl) == Bytes{0xE0, 0x1D, 0xE0, 0x9D});
        CHECK(press(Key::KpEnter) == Bytes{0xE0, 0x1C, 0xE0, 0x9C});
        CHECK(press(Key::KpDivide) == Bytes{0xE0, 0x35, 0xE0, 0xB5});
        CHECK(press(Key::LeftMeta) == Bytes{0xE0, 0x5B, 0xE0, 0xDB});
        CHECK(press(Key::Delete) == Bytes{0xE0, 0x53, 0xE0, 0xD3});
        CHECK(press(Key::PrintScreen) == Bytes{0xE0, 0x2A, 0xE0, 0x37, 0xE0, 0xB7, 0xE0, 0xAA});
        CHECK(press(Key::Pause) == Bytes{0xE1, 0x1D, 0x45, 0xE1, 0x9D, 0xC5});
        b.kbd.key_event(Key::LeftCtrl, true);
        CHECK(b.drain() == Bytes{0x1D});
        CHECK(press(Key::Pause) == Bytes{0xE0, 0x46, 0xE0, 0xC6});  // Ctrl+Break
        b.kbd.key_event(Key::LeftCtrl, false);
        b.kbd.key_event(Key::LeftAlt, true);
        b.drain();
        CHECK(press(Key::PrintScreen) == Bytes{0x54, 0xD4});  // Alt+SysRq
    }

    TEST_CASE("with XLAT off the host sees raw set 2") {
        Ps2Board b;
        b.boot();
        b.cmd(0x60);
        b.data(0x03);
        b.kbd.key_event(Key::Right, true);
        b.kbd.key_event(Key::Right, false);
        CHECK(b.drain() == Bytes{0xE0, 0x74, 0xE0, 0xF0, 0x74});
        b.kbd.key_event(Key::Pause, true);
        CHECK(b.drain() == Bytes{0xE1, 0x14, 0x77, 0xE1, 0xF0, 0x14, 0xF0, 0x77});
    }

    TEST_CASE("keyboard commands and their acknowledgements through port 0x60") {
        Ps2Board b;
        b.boot();
        b.data(0xF2);
        CHECK(b.drain() == Bytes{0xFA, 0xAB, 0x41});  // 83 translated
        b.data(0xEE);
        CHECK(b.drain() == Bytes{0xEE});
        b.data(0xED);
        CHECK(b.drain() == Bytes{0xFA});
        b.data(0x07);
        CHECK(b.drain() == Bytes{0xFA});
        CHECK(b.kbd.leds() == 7);
        b.data(0xF3);
        b.data(0x00);
        CHECK(b.drain() == Bytes{0xFA, 0xFA});
        CHECK(b.kbd.typematic() == 0);
        b.data(0xF5);
        CHECK(b.drain() == Bytes{0xFA});
        CHECK_FALSE(b.kbd.scanning());
        b.kbd.key_event(Key::A, true);
        CHECK(b.drain().empty());
        b.data(0xF4);
        CHECK(b.drain() == Bytes{0xFA});
        b.data(0xFE);
        CHECK(b.drain() == Bytes{0xFA});  // Resend repeats the last byte
        b.data(0x12);
        CHECK(b.drain() == Bytes{0xFE});  // not a command

        b.cmd(0x60);
        b.data(0x01);  // raw: no translation
        b.data(0xF2);
        CHECK(b.drain() == Bytes{0xFA, 0xAB, 0x83});
        b.data(0xF0);
        b.data(0x00);
        CHECK(b.drain() == Bytes{0xFA, 0xFA, 0x02});
        b.data(0xF0);
        b.data(0x03);
        CHECK(b.drain() == Bytes{0xFA, 0xFA});
        CHECK(b.kbd.scan_code_set() == 3);
        b.kbd.key_event(Key::F1, true);
        b.kbd.key_event(Key::F1, false);
        CHECK(b.drain() == Bytes{0x07, 0xF0, 0x07});
        b.data(0xF0);
        b.data(0x01);
        b.drain();
        b.kbd.key_event(Key::Up, true);
        CHECK(b.drain() == Bytes{0xE0, 0x48});  // set 1 from the keyboard itself
        b.kbd.key_event(Key::Up, false);
        b.drain();

        b.data(0xFF);
        CHECK(b.next() == 0xFA);
        const Cycles reset_at = b.sched.now();
        CHECK(b.next() == 0xAA);
        CHECK(b.sched.now() >= reset_at + kBatCycles);
        CHECK(b.kbd.scan_code_set() == 2);
    }

    TEST_CASE("IRQ1 follows the output buffer and the command byte's enable") {
        Ps2Board b;
        b.boot();
        b.kbd.key_event(Key::B, true);
        const Cycles pressed = b.sched.now();
        run_until(b.sched, pressed + kSerialCycles - 1);
        CHECK_FALSE(b.irq1.level());
        run_until(b.sched, pressed + kSerialCycles);
        CHECK(b.irq1.level());
        CHECK_FALSE(b.irq12.level());
        CHECK(b.ports.read(0x60, 1) == 0x30);
        CHECK_FALSE(b.irq1.level());

        b.cmd(0x60);
        b.data(0x42);  // keyboard interrupt off
        b.kbd.key_event(Key::B, false);
        run_until(b.sched, b.sched.now() + 2 * kSerialCycles);
        CHECK((b.status() & Kbc8042::kObf) != 0);
        CHECK_FALSE(b.irq1.level());
        b.cmd(0x60);
        b.data(0x43);  // enabling it with a byte waiting raises IRQ1
        CHECK(b.irq1.level());
        CHECK(b.ports.read(0x60, 1) == 0xB0);
    }

    TEST_CASE("a disabled keyboard interface holds the bytes back until it is enabled") {
        Ps2Board b;
        b.boot();
        b.cmd(0xAD);
        b.kbd.key_event(Key::C, true);
        CHECK_FALSE(b.next(1'000'000).has_value());
        b.cmd(0xAE);
        CHECK(b.next() == 0x2E);
    }

    TEST_CASE("D2/D3 write the output buffer as if from the keyboard / mouse") {
        Ps2Board b;
        b.boot();
        b.cmd(0xD2);
        b.data(0x5A);
        CHECK(b.next() == 0x5A);
        b.cmd(0xD3);
        b.data(0xA5);
        run_until(b.sched, b.sched.now() + kReplyCycles);
        CHECK((b.status() & Kbc8042::kAuxb) != 0);
        CHECK(b.irq12.level());
        CHECK_FALSE(b.irq1.level());
        CHECK(b.ports.read(0x60, 1) == 0xA5);
        CHECK_FALSE(b.irq12.level());
    }

    TEST_CASE("mouse through D4: reset, identify, IRQ12 and AUXB") {
        Ps2Board b;
        b.boot();
        b.cmd(0xD4);
        b.data(0xFF);
        CHECK(b.next() == 0xFA);
        CHECK(b.next() == 0xAA);
        CHECK(b.next() == 0x00);
        b.cmd(0xD4);
        b.data(0xF2);
        run_until(b.sched, b.sched.now() + kSerialCycles);
        CHECK((b.status() & (Kbc8042::kObf | Kbc8042::kAuxb)) == (Kbc8042::kObf | Kbc8042::kAuxb));
        CHECK(b.irq12.level());
        CHECK(b.ports.read(0x60, 1) == 0xFA);
        CHECK_FALSE(b.irq12.level());
        CHECK(b.next() == 0x00);
    }

    TEST_CASE("keyboard and mouse bytes share the output buffer in turn") {
        Ps2Board b;
        b.boot();
        b.cmd(0xD4);
        b.data(0xE9);  // status request: FA + 3 bytes from the mouse
        b.kbd.key_event(Key::A, true);
        b.kbd.key_event(Key::B, true);
        Bytes bytes;
        for (int i = 0; i < 6; ++i) {
            auto v = b.next();
            REQUIRE(v.has_value());
            bytes.push_back(*v);
        }
        // The mouse went first (its FA was already on its way); then they alternate until the
        // keyboard has nothing left: FA(m) 1E(k) 00(m) 30(k) 02(m) 64(m).
        CHECK(bytes == Bytes{0xFA, 0x1E, 0x00, 0x30, 0x02, 0x64});
    }

    TEST_CASE("no keyboard: writes time out and read back FE") {
        Scheduler sched;
        IrqLine irq1, irq12;
        Kbc8042 kbc(sched, kPs2CpuHz, irq1, irq12, nullptr, nullptr, {}, {});
        kbc.write(0, 0xF2, 1);
        CHECK((kbc.status() & Kbc8042::kTimeout) != 0);
        run_until(sched, kReplyCycles);
        CHECK(kbc.read(0, 1) == 0xFE);
    }
}
