// The GDB remote stub: lets Debian's `gdb` debug the emulated PC over the GDB Remote Serial
// Protocol (the gdb manual, appendix "GDB Remote Serial Protocol"), as QEMU's -s/-S do.
//
// What gdb sees:
//   - an i386 target (target.xml through qXfer:features:read): the org.gnu.gdb.i386.core
//     registers, plus a Lantern feature with cr0 cr2 cr3 cr4, the segment bases (csbase ...),
//     gdtr/idtr, ldtr, tr, eip_off and cycles. Its architecture is i8086 while the CPU runs
//     16-bit code when gdb connects (always on the 8086 and 286), so gdb disassembles 16-bit
//     code right; after a switch to 32-bit code, `set architecture i386`;
//   - ONE FLAT ADDRESS SPACE OF LINEAR ADDRESSES: memory packets (m, M, X) and breakpoints (Z0-Z4)
//     take linear addresses (paging applies), and $eip/$pc read as the LINEAR pc, CS.base + EIP.
//     In protected mode with flat segments that is EIP itself; in real mode it is CS*16 + IP, so
//     `x/i $pc`, `break *0x7c00` and stepping all agree. The offset itself is $eip_off; writing
//     $eip sets EIP = value - CS.base.
//   - software (Z0) and hardware (Z1) breakpoints are both the debugger's exec breakpoints (no
//     INT3 is written into guest memory); Z2/Z3/Z4 are write/read/access watchpoints;
//   - `monitor CMD` (qRcmd) runs a command of the CLI debugger (monitor info gdt, monitor
//     devbreak irq 0, ...); commands that would run the machine are refused there;
//   - Ctrl-C in gdb (0x03 while running) stops the machine; the guest's debug exit (port 0xF4)
//     ends the session with gdb's "exited with code" (W packet).
// The stub is transport-agnostic (GdbTransport); gdb_socket.h gives it a TCP connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "debugger/cli_debugger.h"
#include "debugger/debugger.h"

namespace lantern {

class GdbTransport {
public:
    virtual ~GdbTransport() = default;
    // Blocks until some bytes arrive and appends them; false when the connection is closed.
    virtual bool read(std::string& out) = 0;
    // Appends whatever has arrived without blocking; false when the connection is closed.
    virtual bool poll(std::string& out) = 0;
    virtual bool write(std::string_view bytes) = 0;
};

// Packet framing: "$data#cs" with the modulo-256 sum of data as two hex digits.
std::string gdb_frame(std::string_view data);
// Escapes '#', '$', '}' and '*' for binary replies (0x7d, then the byte XOR 0x20).
std::string gdb_escape_binary(std::string_view data);
std::string gdb_hex(std::string_view bytes);
std::optional<std::string> gdb_unhex(std::string_view hex);

// The target description gdb reads (exposed for tests): architecture i8086 for 16-bit code
// (the 8086 and 286 always; later models in real or virtual-8086 mode or 16-bit protected mode).
std::string gdb_target_xml(bool i8086);

class GdbStub {
public:
    enum class End : std::uint8_t {
        Detached,     // gdb detached (D): the machine runs on without the debugger
        Killed,       // gdb killed the target (k, vKill)
        Closed,       // the connection closed without a goodbye
        GuestExited,  // the guest wrote port 0xF4 (reported to gdb with a W packet)
    };

    GdbStub(Debugger& debugger, GdbTransport& transport);
    ~GdbStub();

    // Serves gdb until it detaches, kills, disconnects or the guest exits. The machine stays
    // stopped except while gdb has it continue or step.
    End serve();
    // How the last run ended (for the exit status once the session is over).
    const std::optional<StopInfo>& last_stop() const { return last_stop_; }

private:
    // Returns false when the session is over (end_ says how).
    bool handle(const std::string& packet);
    void send(std::string_view data);
    bool next_packet(std::string& packet);
    bool take_packet(std::string& packet);
    std::string stop_reply(const StopInfo& stop);
    std::string run(bool single_step);
    std::string read_registers();
    bool write_register(unsigned n, std::string_view bytes);
    std::string read_memory(std::string_view args);
    std::string write_memory(std::string_view args, bool binary);
    std::string breakpoint(std::string_view args, bool insert);
    std::string monitor(std::string_view hex_command);
    std::string xfer(std::string_view args);

    Debugger& dbg_;
    GdbTransport& io_;
    std::ostringstream monitor_out_{};
    CliDebugger cli_;
    std::string inbox_{};
    bool ack_ = true;
    bool interrupt_seen_ = false;
    End end_ = End::Closed;
    std::optional<StopInfo> last_stop_{};
    std::map<int, char> z_type_{};  // breakpoint id -> the Z packet type that made it ('0'-'4')
    std::string target_xml_{};      // fixed at gdb's first read, so its pieces agree
};

}  // namespace lantern
