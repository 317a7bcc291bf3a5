#include <doctest/doctest.h>

#include <vector>

#include "devices/port_map.h"
#include "devices/system/fast_a20_port.h"

using namespace lantern;

TEST_SUITE("fast_a20_port") {
    TEST_CASE("bit 1 drives A20, a rising bit 0 resets the CPU") {
        std::vector<bool> a20;
        int resets = 0;
        FastA20Port p([&](bool on) { a20.push_back(on); }, [&] { ++resets; });
        PortMap ports;
        p.map(ports);
        CHECK(ports.read(0x92, 1) == 0x00);
        ports.write(0x92, 0x02, 1);
        CHECK(a20 == std::vector<bool>{true});
        CHECK(ports.read(0x92, 1) == 0x02);
        ports.write(0x92, 0x02, 1);  // no change, no callback
        CHECK(a20.size() == 1);
        CHECK(resets == 0);
        ports.write(0x92, 0x03, 1);
        CHECK(resets == 1);
        CHECK(ports.read(0x92, 1) == 0x02);  // reads back 0 once the reset is under way
        ports.write(0x92, 0x03, 1);
        CHECK(resets == 2);
        ports.write(0x92, 0x00, 1);
        CHECK(a20 == std::vector<bool>{true, false});
        p.reset();
        CHECK(p.value() == 0);
    }
}
