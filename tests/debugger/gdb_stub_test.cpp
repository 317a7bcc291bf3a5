// The gdb stub's protocol handling over an in-memory connection: framing, acknowledgements,
// registers, memory, breakpoints, stepping, monitor commands, interrupts and the exit report.
// (tests/debugger/gdb_batch_test.sh drives the same stub with Debian's real gdb.)
#include <array>
#include <string>
#include <vector>

#include "debugger/gdb_stub.h"
#include "debugger_rig.h"

namespace lantern::test {

namespace {

// Feeds gdb's side from a script; every packet the stub sends is recorded.
class ScriptedTransport final : public GdbTransport {
public:
    // Each chunk is delivered by one read() (a chunk may hold several packets).
    std::vector<std::string> chunks;
    std::string sent;
    std::string interrupt_on_poll;  // bytes handed to the first poll() while the machine runs

    bool read(std::string& out) override {
        if (next_ >= chunks.size()) return false;
        out += chunks[next_++];
        return true;
    }
    bool poll(std::string& out) override {
        out += interrupt_on_poll;
        interrupt_on_poll.clear();
        return true;
    }
    bool write(std::string_view bytes) override {
        sent.append(bytes);
        return true;
    }

    // The payloads of the packets the stub sent, in order.
    std::vector<std::string> replies() const {
        std::vector<std::string> out;
        std::size_t i = 0;
        while ((i = sent.find('$', i)) != std::string::npos) {
            const std::size_t hash = sent.find('#', i);
            out.push_back(sent.substr(i + 1, hash - i - 1));
            i = hash + 3;
        }
        return out;
    }

private:
    std::size_t next_ = 0;
};

std::string packet(std::string_view data) { return gdb_frame(data); }
// gdb's acknowledgement of our last reply, then a packet.
std::string acked(std::string_view data) {
    std::string out(1, '+');
    out += gdb_frame(data);
    return out;
}

}  // namespace

TEST_CASE("gdb framing: checksums, hex, binary escapes") {
    CHECK(gdb_frame("OK") == "$OK#9a");
    CHECK(gdb_frame("") == "$#00");
    CHECK(gdb_hex(std::string("\x01\xab", 2)) == "01ab");
    CHECK(gdb_unhex("01AB") == std::string("\x01\xab", 2));
    CHECK_FALSE(gdb_unhex("0").has_value());
    CHECK_FALSE(gdb_unhex("zz").has_value());
    CHECK(gdb_escape_binary("a#b$c}d*") == "a}\x03" "b}\x04" "c}]d}\x0a");
}

TEST_CASE("gdb target description: the i386 core feature, and i8086 for 16-bit code") {
    const std::string xml16 = gdb_target_xml(true), xml32 = gdb_target_xml(false);
    CHECK(xml16.find("<architecture>i8086</architecture>") != std::string::npos);
    CHECK(xml32.find("<architecture>i386</architecture>") != std::string::npos);
    CHECK(xml32.find("org.gnu.gdb.i386.core") != std::string::npos);
    for (const char* reg : {"\"eax\"", "\"eip\"", "\"eflags\"", "\"gs\"", "\"st7\"", "\"fop\"", "\"cr0\"", "\"cr3\"",
                            "\"csbase\"", "\"gdtr_base\"", "\"eip_off\""})
        CHECK_MESSAGE(xml32.find(reg) != std::string::npos, reg);
}

TEST_CASE("gdb session: registers, memory, a breakpoint, a step, monitor, detach") {
    DebugRig rig;
    ScriptedTransport io;
    io.chunks = {
        acked("qSupported:multiprocess+;swbreak+;hwbreak+"),
        acked("qXfer:features:read:target.xml:0,1000") + packet("?"),
        packet("g"),
        packet("mffff0,5"),
        packet("Z0,f0090,1"),
        packet("c"),
        packet("p8") + packet("m600,2"),
        packet("z0,f0090,1") + packet("s"),
        packet("M700,2:efbe") + packet("m700,2"),
        packet("qRcmd," + gdb_hex("info break")),
        packet("qRcmd," + gdb_hex("continue")),
        packet("D"),
    };
    GdbStub stub(*rig.dbg, io);
    CHECK(stub.serve() == GdbStub::End::Detached);
    const auto r = io.replies();
    REQUIRE(r.size() == 18);
    CHECK(r[0].find("qXfer:features:read+") != std::string::npos);
    CHECK(r[0].find("swbreak+") != std::string::npos);
    CHECK(r[1].front() == 'l');  // the whole description in one reply
    CHECK(r[1].find("i8086") != std::string::npos);
    CHECK(r[2] == "T05thread:1;");
    // g: eax..edi zero at reset, then eip = the linear pc FFFF0 (8086: CS=FFFF, IP=0).
    CHECK(r[3].substr(0, 64) == std::string(64, '0'));
    CHECK(r[3].substr(64, 8) == "f0ff0f00");
    CHECK(r[4] == "ea000000f0");  // jmp 0xf000:0 at the reset vector
    CHECK(r[5] == "OK");
    CHECK(r[6] == "T05swbreak:;thread:1;");
    CHECK(r[7] == "90000f00");  // $eip: linear F0090 (bump), little-endian
    CHECK(r[8] == "0000");      // COUNTER before the first bump
    CHECK(r[9] == "OK");
    CHECK(r[10] == "T05thread:1;");
    CHECK(rig.dbg->linear_pc() == rig.sym("bump") + 4);
    CHECK(r[11] == "OK");
    CHECK(r[12] == "efbe");
    // monitor: the command's output as O packets, then OK; running commands are refused.
    CHECK(r[13].front() == 'O');
    CHECK(gdb_unhex(r[13].substr(1)).value().find("No breakpoints") != std::string::npos);
    CHECK(r[14] == "OK");
    CHECK(gdb_unhex(r[15].substr(1)).value().find("use gdb's own continue") != std::string::npos);
    CHECK(r[16] == "OK");
    CHECK(r.back() == "OK");  // D
    // Every packet was acknowledged.
    CHECK(io.sent.front() == '+');
}

TEST_CASE("gdb session: watchpoints report their address; the guest's exit ends the session") {
    DebugRig rig(CpuModel::I80286);
    ScriptedTransport io;
    io.chunks = {packet("QStartNoAckMode"), packet("Z2,600,2"), packet("c"), packet("z2,600,2"), packet("c")};
    GdbStub stub(*rig.dbg, io);
    CHECK(stub.serve() == GdbStub::End::GuestExited);
    const auto r = io.replies();
    REQUIRE(r.size() == 5);
    CHECK(r[0] == "OK");
    CHECK(r[2] == "T05watch:600;thread:1;");
    CHECK(r[4] == "W01");  // the guest wrote 0 to port F4h: exit status 1, as `lantern` gives
    CHECK(io.sent.find('+', io.sent.find("$OK")) == std::string::npos);  // no acks after NoAck mode
}

TEST_CASE("gdb session: Ctrl-C (0x03) interrupts a running machine") {
    DebugRig rig;
    // A guest that never ends: `jmp $` at 0000:0800.
    const std::array<std::uint8_t, 2> loop{0xEB, 0xFE};
    REQUIRE(rig.dbg->write_linear(0x800, loop));
    std::string error;
    REQUIRE(rig.dbg->set_register("cs", 0, error));
    REQUIRE(rig.dbg->set_register("ip", 0x800, error));
    ScriptedTransport io;
    io.chunks = {packet("c"), packet("k")};
    io.interrupt_on_poll.assign(1, '\x03');
    GdbStub stub(*rig.dbg, io);
    CHECK(stub.serve() == GdbStub::End::Killed);
    const auto r = io.replies();
    REQUIRE(r.size() == 1);
    CHECK(r[0] == "T02thread:1;");
}

TEST_CASE("gdb session: a bad checksum is refused and the packet sent again") {
    DebugRig rig;
    ScriptedTransport io;
    io.chunks = {"$g#00", packet("g"), packet("D")};
    GdbStub stub(*rig.dbg, io);
    CHECK(stub.serve() == GdbStub::End::Detached);
    CHECK(io.sent.substr(0, 2) == "-+");
}

}  // namespace lantern::test
