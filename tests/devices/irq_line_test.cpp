#include <doctest/doctest.h>

#include <vector>

#include "devices/irq_line.h"

using namespace lantern;

TEST_SUITE("irq_line") {
    TEST_CASE("the sink sees level changes only") {
        std::vector<bool> seen;
        IrqLine line;
        line.raise();  // unconnected: remembered
        CHECK(line.level());
        line.connect([&](bool level) { seen.push_back(level); });
        CHECK(seen == std::vector<bool>{true});  // connecting reports the current level
        line.raise();
        line.lower();
        line.lower();
        line.pulse();
        CHECK(seen == std::vector<bool>{true, false, true, false});
        CHECK_FALSE(line.level());
    }
}
