// The rig itself, on the guest every machine has: the Lantern BIOS's own POST, its banner on the
// screen, a key typed through the keyboard path, and bytes through COM1 in both directions.
#include <doctest/doctest.h>

#include "tests/guests/guest_rig.h"

using namespace lantern;
using namespace lantern::test;

TEST_SUITE("guest_rig") {
    TEST_CASE("ASCII maps to US-layout keys, with Shift and Ctrl") {
        CHECK(key_for_ascii('a')->key == Key::A);
        CHECK_FALSE(key_for_ascii('a')->shift);
        CHECK(key_for_ascii('A')->shift);
        CHECK(key_for_ascii(':')->key == Key::Semicolon);
        CHECK(key_for_ascii(':')->shift);
        CHECK(key_for_ascii('\n')->key == Key::Enter);
        CHECK(key_for_ascii('\x03')->ctrl);
        CHECK(key_for_ascii('\x03')->key == Key::C);
        CHECK_FALSE(key_for_ascii('\x7f'));
        CHECK(key_from_name("enter") == Key::Enter);
        CHECK(key_from_name("F10") == Key::F10);
        CHECK_FALSE(key_from_name("Hyper"));
    }

    TEST_CASE("The Lantern BIOS with no disk says so on the screen") {
        GuestRig rig(GuestOptions{});
        const bool said = rig.run_until_screen("No bootable", 200'000'000);
        if (!said) MESSAGE(rig.screen());
        CHECK(said);
        CHECK(rig.virtual_seconds() > 0.0);
    }
}
