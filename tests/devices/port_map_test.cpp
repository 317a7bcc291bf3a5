#include <doctest/doctest.h>

#include <stdexcept>

#include "devices/port_map.h"
#include "fake_device.h"

using namespace lantern;
using testing::FakeDevice;
using Access = FakeDevice::Access;

TEST_SUITE("port_map") {
    TEST_CASE("unclaimed ports read all ones and swallow writes") {
        PortMap ports;
        CHECK(ports.read(0x3F8, 1) == 0xFF);
        CHECK(ports.read(0x3F8, 2) == 0xFFFF);
        CHECK(ports.read(0x3F8, 4) == 0xFFFFFFFFu);
        ports.write(0x3F8, 0x12, 1);  // nothing to see: must simply not crash
        CHECK(ports.device_at(0x3F8) == nullptr);
    }

    TEST_CASE("a device sees offsets into its range and the access size") {
        PortMap ports;
        FakeDevice pic(0x20);
        ports.map(0x20, 2, pic, "pic");
        CHECK(ports.device_at(0x21) == &pic);
        CHECK(ports.device_at(0x22) == nullptr);
        ports.write(0x21, 0xFB, 1);
        CHECK(ports.read(0x20, 1) == 0x20);
        CHECK(pic.accesses == std::vector<Access>{{true, 1, 0xFB, 1}, {false, 0, 0x20, 1}});
    }

    TEST_CASE("a word access inside one range reaches the device whole") {
        PortMap ports;
        FakeDevice ide(0x1000);
        ports.map(0x1F0, 8, ide, "ide");
        ports.write(0x1F0, 0xBEEF, 2);
        CHECK(ports.read(0x1F0, 2) == 0x1000);
        CHECK(ide.accesses == std::vector<Access>{{true, 0, 0xBEEF, 2}, {false, 0, 0x1000, 2}});
    }

    TEST_CASE("an access straddling ranges is split into bytes, lowest port first") {
        PortMap ports;
        FakeDevice a(0x10), b(0x40);
        ports.map(0x60, 1, a, "a");
        ports.map(0x61, 1, b, "b");
        CHECK(ports.read(0x60, 2) == 0x4010);
        ports.write(0x60, 0xCDAB, 2);
        CHECK(a.accesses.back() == Access{true, 0, 0xAB, 1});
        CHECK(b.accesses.back() == Access{true, 0, 0xCD, 1});
        // Half claimed, half open bus.
        CHECK(ports.read(0x61, 2) == 0xFF40);
        // A dword from the last claimed port of a range into nothing.
        CHECK(ports.read(0x5F, 4) == 0xFF4010FFu);
    }

    TEST_CASE("port numbers wrap at 0xFFFF") {
        PortMap ports;
        FakeDevice d(0x77);
        ports.map(0x0000, 1, d, "zero");
        CHECK(ports.read(0xFFFF, 2) == 0x77FF);
    }

    TEST_CASE("peek has no side effects; read does") {
        PortMap ports;
        FakeDevice d(0x5);
        ports.map(0x80, 1, d, "d");
        CHECK(ports.peek(0x80, 1) == 0x05);
        CHECK(ports.peek(0x80, 1) == 0x05);
        CHECK(d.reads == 0);
        CHECK(ports.read(0x80, 1) == 0x05);
        CHECK(ports.peek(0x80, 1) == 0x05);  // the device now says 0x105; a byte port shows 0x05
        CHECK(d.reads == 1);
        CHECK(ports.peek(0x81, 1) == 0xFF);
    }

    TEST_CASE("values are masked to the access size") {
        PortMap ports;
        FakeDevice d(0x12345678);
        ports.map(0x100, 4, d, "d");
        CHECK(ports.read(0x100, 1) == 0x78);
        CHECK(ports.read(0x100, 2) == 0x5778);  // second read: +0x100
        ports.write(0x100, 0xAABBCCDD, 1);
        CHECK(d.accesses.back().value == 0xDD);
    }

    TEST_CASE("overlapping and bad ranges are rejected") {
        PortMap ports;
        FakeDevice a, b;
        ports.map(0x40, 4, a, "pit");
        CHECK_THROWS_AS(ports.map(0x43, 1, b, "b"), std::invalid_argument);
        CHECK_THROWS_AS(ports.map(0x3E, 3, b, "b"), std::invalid_argument);
        CHECK_THROWS_AS(ports.map(0x50, 0, b, "b"), std::invalid_argument);
        CHECK_THROWS_AS(ports.map(0xFFFF, 2, b, "b"), std::invalid_argument);
        ports.map(0xFFFF, 1, b, "last");  // the very last port is fine
        CHECK(ports.device_at(0xFFFF) == &b);
    }
}
