// Serial back-ends: spec parsing, the file back-end behind a UART, and host input stamping.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "uart_rig.h"

using namespace lantern;
using namespace lantern::testing;

namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream f(p, std::ios::binary);
    std::ostringstream s;
    s << f.rdbuf();
    return s.str();
}

}  // namespace

TEST_SUITE("serial_backend") {
    TEST_CASE("specs: stdio, none, file:PATH, and clear errors for anything else") {
        std::string error;
        CHECK(parse_serial_spec("stdio", error) == SerialSpec{SerialSpec::Kind::Stdio, {}});
        CHECK(parse_serial_spec("none", error) == SerialSpec{SerialSpec::Kind::None, {}});
        CHECK(parse_serial_spec("file:out/com1.txt", error) == SerialSpec{SerialSpec::Kind::File, "out/com1.txt"});
        CHECK(parse_serial_spec("file:a:b", error) == SerialSpec{SerialSpec::Kind::File, "a:b"});
        CHECK(error.empty());
        CHECK_FALSE(parse_serial_spec("file:", error));
        CHECK(error == "bad serial back-end 'file:': give a path after 'file:', e.g. file:com1.txt");
        CHECK_FALSE(parse_serial_spec("tcp:4444", error));
        CHECK(error == "bad serial back-end 'tcp:4444': give stdio, none or file:PATH");
        CHECK_FALSE(parse_serial_spec("", error));
        CHECK_FALSE(parse_serial_spec("STDIO", error));
    }

    TEST_CASE("make_serial_backend builds each kind; an unwritable file is a clear error") {
        std::string error;
        auto none = make_serial_backend(SerialSpec{SerialSpec::Kind::None, {}}, error);
        REQUIRE(none);
        CHECK(none->describe() == "none");
        CHECK(none->modem_lines() == ModemLines{});
        auto stdio = make_serial_backend(SerialSpec{SerialSpec::Kind::Stdio, {}}, error);
        REQUIRE(stdio);
        CHECK(stdio->describe() == "stdio");
        CHECK(stdio->modem_lines() == kTerminalReady);
        auto bad = make_serial_backend(SerialSpec{SerialSpec::Kind::File, "/nonexistent-dir/com1.txt"}, error);
        CHECK_FALSE(bad);
        CHECK(error == "cannot write /nonexistent-dir/com1.txt: No such file or directory");
    }

    TEST_CASE("file back-end: what the guest transmits lands in the file, bytes unchanged") {
        const auto path = std::filesystem::temp_directory_path() / ("lantern_com1_" + std::to_string(::getpid()) + ".txt");
        {
            std::ofstream old(path);
            old << "stale contents";  // opened once and truncated
        }
        std::string error;
        auto file = FileSerialBackend::open(path.string(), error);
        REQUIRE(file);
        CHECK(file->describe() == "file:" + path.string());
        Scheduler scheduler;
        IrqLine irq;
        PortMap ports;
        Uart16550 uart(scheduler, irq, 4'772'727, file.get(), "com1");
        uart.map(ports, kCom1Base);
        ports.write(kCom1Base + 3, 0x83, 1);
        ports.write(kCom1Base + 0, 0x01, 1);
        ports.write(kCom1Base + 3, 0x03, 1);
        ports.write(kCom1Base + 2, 0x07, 1);
        const std::string msg = "Hello\r\n\x01\xFF";
        for (char c : msg) ports.write(kCom1Base, static_cast<std::uint8_t>(c), 1);
        // Nothing is written before the characters have been on the wire.
        scheduler.advance_to(100);
        scheduler.run_due_events();
        file->flush();
        CHECK(read_file(path).empty());
        scheduler.advance_to(100'000);
        scheduler.run_due_events();
        file->flush();
        CHECK(read_file(path) == msg);
        CHECK(uart.chars_transmitted() == msg.size());
        file.reset();
        std::filesystem::remove(path);
    }

    TEST_CASE("7-bit characters: only the data bits reach the back-end") {
        UartRig r;
        r.set_line(1, 0x1A);  // 7E1
        r.out(kRbrThr, 0xC1);
        r.run_to(10'000);
        REQUIRE(r.backend.sent().size() == 1);
        CHECK(r.backend.sent()[0].byte == 0x41);
    }

    TEST_CASE("host input: polled without blocking, stamped with the cycle it is injected at") {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        HostSerialInput input(fds[0]);
        std::vector<std::pair<std::uint8_t, Cycles>> got;
        auto deliver = [&got](std::uint8_t b, Cycles when) { got.emplace_back(b, when); };
        CHECK(input.poll(10, 16, deliver) == 0);  // nothing yet: returns at once
        REQUIRE(::write(fds[1], "abc", 3) == 3);
        CHECK(input.poll(1234, 2, deliver) == 2);  // at most what the caller can take
        CHECK(input.poll(5678, 16, deliver) == 1);
        CHECK(input.poll(6000, 16, deliver) == 0);
        CHECK(got == std::vector<std::pair<std::uint8_t, Cycles>>{{'a', 1234}, {'b', 1234}, {'c', 5678}});
        CHECK_FALSE(input.at_end());
        ::close(fds[1]);
        CHECK(input.poll(7000, 16, deliver) == 0);
        CHECK(input.at_end());
        CHECK(input.bytes_delivered() == 3);
        ::close(fds[0]);
    }

    TEST_CASE("host input into a UART: the same stamps give the same run") {
        // The front-end's loop in miniature: run a slice, poll the host, hand bytes to COM1.
        auto run = [](const std::string& typed) {
            int fds[2];
            REQUIRE(::pipe(fds) == 0);
            REQUIRE(::write(fds[1], typed.data(), typed.size()) == static_cast<ssize_t>(typed.size()));
            ::close(fds[1]);
            HostSerialInput input(fds[0]);
            UartRig r;
            r.set_line(12);
            r.out(kIirFcr, 0x01);
            std::string echoed;
            for (Cycles slice = 0; slice < 200'000; slice += 10'000) {
                r.run_to(slice);
                input.poll(slice, r.uart.receive_space(), [&r](std::uint8_t b, Cycles when) { r.uart.receive(b, when); });
                while (r.in(kLsr) & 0x01) echoed.push_back(static_cast<char>(r.in(kRbrThr)));
            }
            ::close(fds[0]);
            return std::make_pair(echoed, r.uart.chars_received());
        };
        const auto first = run("dir\r");
        CHECK(first.first == "dir\r");
        CHECK(first == run("dir\r"));
    }
}

TEST_SUITE("serial_backend") {
    TEST_CASE("host bytes go through the input queue: recorded with their stamps, replayed exactly") {
        // Live run: stdin (a pipe here) polled between 10,000-cycle slices; COM1 fed by the
        // queue's serial sink at each event's cycle.
        auto wire = [](UartRig& r, InputQueue& q) {
            q.set_sinks(InputSinks{.serial = [&r](const SerialByteInput& in) {
                if (in.port == 0) r.uart.receive(in.byte, r.scheduler.now());
            }});
            r.set_line(12);
            r.out(kIirFcr, 0x01);
        };
        std::vector<InputEvent> recorded;
        std::vector<std::pair<char, Cycles>> live_rx;
        {
            int fds[2];
            REQUIRE(::pipe(fds) == 0);
            UartRig r;
            InputQueue q(r.scheduler);
            wire(r, q);
            q.set_recorder([&recorded](const InputEvent& e) { recorded.push_back(e); });
            HostSerialInput input(fds[0]);
            for (Cycles slice = 0; slice <= 100'000; slice += 10'000) {
                r.run_to(slice);
                if (slice == 20'000) REQUIRE(::write(fds[1], "ok", 2) == 2);  // typed mid-run
                input.poll(r.scheduler.now(), r.uart.receive_space(), HostSerialInput::to_input_queue(q, 0));
                for (Cycles c = slice; c < slice + 10'000; c += 50) {
                    r.run_to(c);
                    if (r.in(kLsr) & 0x01) live_rx.emplace_back(static_cast<char>(r.in(kRbrThr)), c);
                }
            }
            ::close(fds[0]);
            ::close(fds[1]);
        }
        REQUIRE(recorded.size() == 2);
        CHECK(recorded[0] == InputEvent{20'000, SerialByteInput{0, 'o'}});
        CHECK(recorded[1] == InputEvent{20'000, SerialByteInput{0, 'k'}});
        // 9600 8N1 on the PC clock: 'o' starts at tick 7724 (the first at or after cycle 20,000)
        // and is sampled 1824 ticks later (tick 9548, cycle 24,724, seen by the 50-cycle poll at
        // 24,750); 'k' follows one character (1920 ticks) behind.
        REQUIRE(live_rx.size() == 2);
        CHECK(live_rx[0] == std::pair<char, Cycles>{'o', 24'750});
        CHECK(live_rx[1].first == 'k');

        // Replay: no host at all, just the recorded events posted up front.
        std::vector<std::pair<char, Cycles>> replay_rx;
        UartRig r;
        InputQueue q(r.scheduler);
        wire(r, q);
        for (const InputEvent& e : recorded) q.post(e);
        for (Cycles c = 0; c < 110'000; c += 50) {
            r.run_to(c);
            if (r.in(kLsr) & 0x01) replay_rx.emplace_back(static_cast<char>(r.in(kRbrThr)), c);
        }
        CHECK(replay_rx == live_rx);
    }
}
