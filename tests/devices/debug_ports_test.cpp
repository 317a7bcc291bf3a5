#include <doctest/doctest.h>

#include "devices/debug_ports.h"
#include "devices/port_map.h"
#include "recording_visitor.h"

using namespace lantern;

TEST_SUITE("debug_ports") {
    TEST_CASE("port 0xE9 prints bytes to its sink") {
        PortMap ports;
        DebugConsole con;
        StringSink sink;
        con.set_sink(&sink);
        ports.map(kDebugConsolePort, 1, con, "debugcon");
        for (char c : std::string_view("Hi!\n")) ports.write(0xE9, static_cast<std::uint8_t>(c), 1);
        ports.write(0xE9, 0x4100 | 'x', 2);  // OUT DX, AX: the low byte is the character
        CHECK(sink.text() == "Hi!\nx");
        CHECK(con.bytes_written() == 5);
        CHECK(ports.read(0xE9, 1) == 0xE9);  // the Bochs presence check
    }

    TEST_CASE("no sink: output is dropped, not a crash") {
        DebugConsole con;
        con.write(0, 'a', 1);
        CHECK(con.bytes_written() == 1);
    }

    TEST_CASE("port 0xF4 requests an exit with status (v << 1) | 1") {
        PortMap ports;
        DebugExit ex;
        ports.map(kDebugExitPort, 1, ex, "debug_exit");
        CHECK_FALSE(ex.requested());
        ports.write(0xF4, 0, 1);
        CHECK(ex.requested());
        CHECK(ex.value() == 0);
        CHECK(ex.exit_status() == 1);
        ports.write(0xF4, 0x1234, 1);  // a byte port: only AL arrives
        CHECK(ex.value() == 0x34);
        CHECK(ex.exit_status() == 0x69);
        ex.clear();
        CHECK_FALSE(ex.requested());
    }

    TEST_CASE("port 0x80 keeps the last POST code") {
        PortMap ports;
        PostCode post;
        ports.map(kPostCodePort, 1, post, "post_code");
        ports.write(0x80, 0x01, 1);
        ports.write(0x80, 0x55, 1);
        CHECK(post.last_code() == 0x55);
        CHECK(post.writes() == 2);
        CHECK(ports.peek(0x80, 1) == 0x55);
        testing::RecordingVisitor v;
        post.inspect(v);
        CHECK(v.has("post_code.last_code=85"));
    }
}
