// The debugger core on a real machine: every breakpoint kind stops exactly where the guest does
// the thing it watches and nowhere else, stepping lands where it should, an idle debugger asks
// the CPU for nothing, and debugging never changes what the guest computes.
#include <algorithm>

#include "cpu/interpreter.h"
#include "debugger_rig.h"

namespace lantern::test {

namespace {
unsigned kind_bit(ObserveKind k) { return static_cast<unsigned>(k); }
}  // namespace

TEST_CASE("with no breakpoints the CPU is asked to observe nothing") {
    DebugRig rig;
    Debugger& d = *rig.dbg;
    CHECK(d.observe_kinds_for_continue() == 0);
    const int exec = rig.exec("bump");
    CHECK(d.observe_kinds_for_continue() == kind_bit(ObserveKind::Instructions));
    d.breakpoints().find(exec)->enabled = false;
    CHECK(d.observe_kinds_for_continue() == 0);  // a disabled breakpoint costs nothing either
    Breakpoint w;
    w.kind = BreakKind::Watch;
    w.address = 0x600;
    const int watch = rig.add(w);
    CHECK(d.observe_kinds_for_continue() == kind_bit(ObserveKind::Memory));
    Breakpoint io;
    io.kind = BreakKind::Io;
    const int port = rig.add(io);
    Breakpoint in;
    in.kind = BreakKind::Interrupt;
    const int vec = rig.add(in);
    CHECK(d.observe_kinds_for_continue() ==
          (kind_bit(ObserveKind::Memory) | kind_bit(ObserveKind::Io) | kind_bit(ObserveKind::Interrupts)));
    Breakpoint dev;
    dev.kind = BreakKind::Device;
    const int device = rig.add(dev);  // through the Machine's event sink, not the CPU
    CHECK(d.observe_kinds_for_continue() ==
          (kind_bit(ObserveKind::Memory) | kind_bit(ObserveKind::Io) | kind_bit(ObserveKind::Interrupts)));
    for (int id : {exec, watch, port, vec, device}) d.breakpoints().remove(id);
    CHECK(d.observe_kinds_for_continue() == 0);
    d.set_magic_break(true);
    CHECK(d.observe_kinds_for_continue() == kind_bit(ObserveKind::Instructions));
}

TEST_CASE("debugging does not change what the guest computes") {
    for (CpuModel model : {CpuModel::I8086, CpuModel::I80286}) {
        CAPTURE(cpu_model_name(model));
        DebugRig plain(model);
        const RunResult r = plain.machine->run();
        REQUIRE(r.reason == MachineStop::DebugExit);

        DebugRig rig(model);
        rig.exec("bump");
        rig.exec("irq0_handler");
        Breakpoint w;
        w.kind = BreakKind::Watch;
        w.access = AccessKind::Access;
        w.address = 0x600;
        w.length = 4;
        rig.add(w);
        Breakpoint io;
        io.kind = BreakKind::Io;
        io.port_first = 0x20;
        io.port_last = 0x80;
        rig.add(io);
        Breakpoint in;
        in.kind = BreakKind::Interrupt;
        in.vector = 0x08;
        rig.add(in);
        Breakpoint mode;
        mode.kind = BreakKind::Mode;
        rig.add(mode);
        Breakpoint dev;
        dev.kind = BreakKind::Device;
        rig.add(dev);
        rig.dbg->set_magic_break(true);
        rig.dbg->step(7);
        rig.dbg->next();
        const auto stops = rig.stops_until_exit();
        CHECK(stops.size() > 10);
        CHECK(rig.dbg->state() == plain.machine->interpreter().state());
        CHECK(std::equal(rig.machine->ram().begin(), rig.machine->ram().end(), plain.machine->ram().begin()));
    }
}

TEST_CASE("exec breakpoints: linear, physical and segment:offset stop at bump, three times") {
    for (AddressKind kind : {AddressKind::Linear, AddressKind::Physical, AddressKind::SegOffset}) {
        DebugRig rig;
        Breakpoint b;
        b.address_kind = kind;
        b.address = rig.sym("bump");
        if (kind == AddressKind::SegOffset) {
            b.segment = 0xF000;
            b.address -= 0xF0000;
        }
        const int id = rig.add(b);
        std::vector<StopKind> kinds;
        const auto stops = rig.stops_until_exit(&kinds);
        CHECK(stops == std::vector<std::uint32_t>(3, rig.sym("bump")));
        CHECK(std::all_of(kinds.begin(), kinds.end(), [](StopKind k) { return k == StopKind::Breakpoint; }));
        CHECK(rig.dbg->breakpoints().find(id)->hits == 3);
    }
}

TEST_CASE("a segment:offset breakpoint does not stop at an alias of its linear address") {
    DebugRig rig;
    Breakpoint b;
    b.address_kind = AddressKind::SegOffset;
    b.segment = 0xF009;  // F009:0000 is linear F0090 (bump), but the CPU runs it as F000:0090
    b.address = 0;
    rig.add(b);
    CHECK(rig.stops_until_exit().empty());
}

TEST_CASE("conditions, ignore counts, temporary and disabled breakpoints") {
    DebugRig rig;
    Breakpoint cond;
    cond.address = rig.sym("bump");
    cond.condition = "cx == 1 && word[0x600] == 2";
    const int c = rig.add(cond);
    Breakpoint ignored;
    ignored.address = rig.sym("loop_top");
    ignored.ignore_count = 2;
    const int i = rig.add(ignored);
    Breakpoint temp;
    temp.address = rig.sym("inner_body");
    temp.temporary = true;
    const int t = rig.add(temp);
    Breakpoint off;
    off.address = rig.sym("compute");
    off.enabled = false;
    rig.add(off);

    const auto stops = rig.stops_until_exit();
    CHECK(stops == std::vector<std::uint32_t>{rig.sym("inner_body"), rig.sym("loop_top"), rig.sym("bump")});
    CHECK(rig.dbg->breakpoints().find(t) == nullptr);  // deleted by its stop
    CHECK(rig.dbg->breakpoints().find(c)->hits == 1);
    CHECK(rig.dbg->breakpoints().find(i)->hits == 3);  // counted while ignored
}

TEST_CASE("a condition that cannot be evaluated stops and says why") {
    DebugRig rig;
    Breakpoint b;
    b.address = rig.sym("bump");
    b.condition = "no_such_symbol == 1";
    rig.add(b);
    const StopInfo s = rig.dbg->continue_run();
    CHECK(s.kind == StopKind::ConditionError);
    CHECK(s.reason.find("no_such_symbol") != std::string::npos);
}

TEST_CASE("watchpoints stop after the instruction that accessed the data (8086 and 80286)") {
    for (CpuModel model : {CpuModel::I8086, CpuModel::I80286}) {
        CAPTURE(cpu_model_name(model));
        const std::uint32_t after_write = 0xF0000 + 0x2A + 6;  // set_counter: mov word [0x600], 0
        struct Case {
            AccessKind access;
            std::uint32_t address, length;
            std::vector<std::uint32_t> expected;  // pcs, filled below
        };
        DebugRig probe(model);
        const std::uint32_t bump_ret = probe.sym("bump") + 4, after_read = probe.sym("after_read");
        const std::vector<Case> cases = {
            {AccessKind::Write, 0x600, 2, {after_write, bump_ret, bump_ret, bump_ret}},
            {AccessKind::Read, 0x600, 2, {bump_ret, bump_ret, bump_ret, after_read}},
            {AccessKind::Access, 0x601, 1, {after_write, bump_ret, bump_ret, bump_ret, after_read}},
            {AccessKind::Access, 0x5FF, 1, {}},  // the byte below: never touched
            {AccessKind::Write, 0x604, 4, {}},   // above TICKS: never touched
        };
        for (const Case& c : cases) {
            CAPTURE(c.address);
            DebugRig rig(model);
            Breakpoint b;
            b.kind = BreakKind::Watch;
            b.access = c.access;
            b.address = c.address;
            b.length = c.length;
            rig.add(b);
            std::vector<StopKind> kinds;
            CHECK(rig.stops_until_exit(&kinds) == c.expected);
            CHECK(std::count(kinds.begin(), kinds.end(), StopKind::Watchpoint) == static_cast<long>(c.expected.size()));
        }
    }
}

TEST_CASE("a breakpoint on an IRQ handler's first instruction stops before it runs") {
    // The timer interrupt arrives twice (dbg_target.asm); delivering it is a step of its own, so
    // the breakpoint sees the handler's first instruction (push ax) before it executes.
    for (CpuModel model : {CpuModel::I8086, CpuModel::I80286}) {
        CAPTURE(cpu_model_name(model));
        DebugRig rig(model);
        const std::uint32_t handler = rig.sym("irq0_handler");
        rig.exec("irq0_handler");
        std::vector<StopKind> kinds;
        std::vector<std::uint32_t> sps;
        for (int n = 0; n < 2; ++n) {
            const StopInfo s = rig.dbg->continue_run();
            REQUIRE(s.kind == StopKind::Breakpoint);
            CHECK(rig.dbg->linear_pc() == handler);
            // The interrupt frame is on the stack and nothing of the handler's yet: [SP+2] is the
            // interrupted CS (F000), not AX pushed by the handler.
            const CpuState& cpu = rig.machine->interpreter().state();
            const std::uint32_t sp = cpu.segment(Seg::SS).base + (cpu.gpr[4] & 0xFFFF);
            CHECK((rig.machine->ram()[sp + 2] | rig.machine->ram()[sp + 3] << 8) == 0xF000);
        }
        CHECK(rig.dbg->continue_run().kind == StopKind::GuestExit);
    }
}

TEST_CASE("physical watchpoints see the physical address") {
    for (CpuModel model : {CpuModel::I8086, CpuModel::I80286}) {
        CAPTURE(cpu_model_name(model));
        DebugRig rig(model);
        Breakpoint b;
        b.kind = BreakKind::Watch;
        b.address_kind = AddressKind::Physical;
        b.address = 0x602;  // TICKS: written by the IRQ 0 handler (twice) and zeroed by start
        b.length = 2;
        rig.add(b);
        const auto stops = rig.stops_until_exit();
        REQUIRE(stops.size() == 3);
        CHECK(stops[1] == rig.sym("irq0_handler") + 6);
        CHECK(stops[2] == rig.sym("irq0_handler") + 6);
    }
}

TEST_CASE("I/O breakpoints stop after the port access, by direction and range") {
    DebugRig rig;
    Breakpoint post;
    post.kind = BreakKind::Io;
    post.access = AccessKind::Write;
    post.port_first = post.port_last = 0x80;
    rig.add(post);
    Breakpoint pit_in;
    pit_in.kind = BreakKind::Io;
    pit_in.access = AccessKind::Read;
    pit_in.port_first = 0x40;
    pit_in.port_last = 0x43;
    const int in_id = rig.add(pit_in);
    Breakpoint exit_port;
    exit_port.kind = BreakKind::Io;
    exit_port.access = AccessKind::Access;
    exit_port.port_first = 0xF4;
    exit_port.port_last = 0xF4;
    const int exit_id = rig.add(exit_port);
    const auto stops = rig.stops_until_exit();
    // The exit port's breakpoint stops after the OUT that ends the run, like any other; the next
    // continue reports the exit.
    CHECK(stops == std::vector<std::uint32_t>{rig.sym("after_out"), rig.sym("exit") + 4});
    CHECK(rig.dbg->breakpoints().find(in_id)->hits == 0);
    CHECK(rig.dbg->breakpoints().find(exit_id)->hits == 1);
}

TEST_CASE("interrupt breakpoints stop at the handler of their vector only") {
    DebugRig rig;
    Breakpoint b;
    b.kind = BreakKind::Interrupt;
    b.vector = 0x60;
    rig.add(b);
    Breakpoint other;
    other.kind = BreakKind::Interrupt;
    other.vector = 0x09;
    const int other_id = rig.add(other);
    const auto stops = rig.stops_until_exit();
    CHECK(stops == std::vector<std::uint32_t>{rig.sym("int60_handler")});
    CHECK(rig.dbg->breakpoints().find(other_id)->hits == 0);
}

TEST_CASE("mode breakpoints stop before the first instruction in the mode entered") {
    DebugRig rig(CpuModel::I80286);
    for (CpuModeKind m : {CpuModeKind::Real, CpuModeKind::Paging, CpuModeKind::V86, CpuModeKind::Protected}) {
        Breakpoint b;
        b.kind = BreakKind::Mode;
        b.mode = m;
        rig.add(b);
    }
    std::vector<StopKind> kinds;
    CHECK(rig.stops_until_exit(&kinds) == std::vector<std::uint32_t>{rig.sym("after_lmsw")});
    CHECK(kinds == std::vector<StopKind>{StopKind::ModeChange});

    DebugRig xt(CpuModel::I8086);  // the 8086 has one mode
    Breakpoint any;
    any.kind = BreakKind::Mode;
    xt.add(any);
    CHECK(xt.stops_until_exit().empty());
}

TEST_CASE("device breakpoints: IRQ 0 raised by the 8254, before the CPU reacts") {
    DebugRig rig;
    Breakpoint b;
    b.kind = BreakKind::Device;
    b.device = DeviceEventKind::IrqRaised;
    b.device_detail = 0;
    rig.add(b);
    Breakpoint irq1;
    irq1.kind = BreakKind::Device;
    irq1.device_detail = 1;
    const int irq1_id = rig.add(irq1);

    // Mode 2: OUT0 rises when the control word is written, then at the end of each count.
    StopInfo s = rig.dbg->continue_run();
    REQUIRE(s.kind == StopKind::DeviceEvent);
    CHECK(s.reason.find("IRQ 0 raised") != std::string::npos);
    CHECK(rig.dbg->linear_pc() == rig.sym("after_magic") + 0x18);  // just after `out 0x43, al`
    CHECK(rig.machine->irq(0).level());
    const Cycles first = rig.dbg->state().cycles;

    s = rig.dbg->continue_run();
    REQUIRE(s.kind == StopKind::DeviceEvent);
    CHECK(rig.dbg->state().halted);  // the CPU waits in HLT; the interrupt is not delivered yet
    CHECK(rig.dbg->read_memory(0x602, 2) == 1u);
    // 4096 PIT clocks of 4 CPU cycles (14.31818 MHz / 3 and / 12), plus the few clocks the
    // guest takes to write the count after the control word, and the clock that loads it.
    const Cycles period = rig.dbg->state().cycles - first;
    CHECK(period >= 4096 * 4);
    CHECK(period < 4112 * 4);
    CHECK(rig.stops_until_exit().empty());
    CHECK(rig.dbg->breakpoints().find(irq1_id)->hits == 0);
}

TEST_CASE("the magic breakpoint stops after xchg bx, bx only when enabled") {
    DebugRig off;
    CHECK(off.stops_until_exit().empty());
    DebugRig on;
    on.dbg->set_magic_break(true);
    std::vector<StopKind> kinds;
    CHECK(on.stops_until_exit(&kinds) == std::vector<std::uint32_t>{on.sym("after_magic")});
    CHECK(kinds == std::vector<StopKind>{StopKind::MagicBreak});
}

TEST_CASE("stepping: step, next over calls/INT/LOOP, finish, until, cycles") {
    DebugRig rig;
    Debugger& d = *rig.dbg;
    CHECK(d.run_until(rig.sym("inner_body")).kind == StopKind::Until);
    CHECK(d.linear_pc() == rig.sym("inner_body"));
    CHECK(d.finish().kind == StopKind::Finish);
    CHECK(d.linear_pc() == rig.sym("after_inner"));
    d.finish();
    CHECK(d.linear_pc() == rig.sym("after_compute"));
    const std::uint64_t before = d.state().instructions;
    CHECK(d.step(2).kind == StopKind::Step);
    CHECK(d.state().instructions == before + 2);
    CHECK(d.linear_pc() == rig.sym("bump"));
    d.finish();
    CHECK(d.next().kind == StopKind::Next);  // LOOP: runs until the loop falls through
    CHECK(d.linear_pc() == rig.sym("post_out") - 2);
    CHECK(d.read_memory(0x600, 2) == 3u);
    d.step(2);
    CHECK(d.linear_pc() == rig.sym("after_out"));
    d.next();  // INT 60h
    CHECK(d.linear_pc() == rig.sym("after_int"));
    CHECK((d.state().gpr[3] & 0xFFFF) == 0x6060);
    const Cycles c0 = d.state().cycles;
    CHECK(d.run_cycles(100).kind == StopKind::Cycles);
    CHECK(d.state().cycles >= c0 + 100);
    CHECK(d.state().cycles < c0 + 100 + 200);  // the first boundary past it, not much later
}

TEST_CASE("a breakpoint inside a stepped-over call still stops") {
    DebugRig rig;
    rig.dbg->run_until(rig.sym("set_counter") + 6);  // call compute
    rig.exec("inner_body");
    const StopInfo s = rig.dbg->next();
    CHECK(s.kind == StopKind::Breakpoint);
    CHECK(rig.dbg->linear_pc() == rig.sym("inner_body"));
}

TEST_CASE("registers and memory set through the debugger") {
    DebugRig rig(CpuModel::I80286);
    Debugger& d = *rig.dbg;
    std::string error;
    CHECK(d.set_register("ax", 0x1234, error));
    CHECK(d.set_register("ah", 0x56, error));
    CHECK(d.register_value("ax") == 0x5634u);
    CHECK(d.set_register("zf", 1, error));
    CHECK((d.state().eflags & flag::ZF) != 0);
    CHECK(d.set_register("ds", 0x1234, error));  // real mode: base = selector * 16
    CHECK(d.state().segment(Seg::DS).base == 0x12340u);
    CHECK_FALSE(d.set_register("xyz", 1, error));
    const std::array<std::uint8_t, 2> bytes{0xEF, 0xBE};
    CHECK(d.write_linear(0x700, bytes));
    CHECK(d.read_memory(0x700, 2) == 0xBEEFu);
    CHECK(d.evaluate("word[ds:0] == 0 && ([0x700] & 0xffff) == 0xbeef").value == 1u);

    // Protected mode: segment registers load through the GDT, without setting accessed bits.
    d.run_until(rig.sym("in_protected"));
    CHECK(d.set_register("es", 0x10, error));
    CHECK(d.state().segment(Seg::ES).base == 0u);
    CHECK_FALSE(d.set_register("es", 0x40, error));  // beyond the GDT's limit
    CHECK(error.find("outside the GDT") != std::string::npos);
}

}  // namespace lantern::test
