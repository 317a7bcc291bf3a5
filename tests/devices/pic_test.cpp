// The 8259A and the PC/AT's cascaded pair, against the 8259A datasheet: initialisation (ICW1-4),
// masking (OCW1), EOI and rotation (OCW2), special mask, poll and register reads (OCW3), AEOI,
// edge and level triggering (LTIM, ELCR), the default IR7 for a vanished request, and cascading.
#include <doctest/doctest.h>

#include "devices/pic/dual_pic.h"
#include "devices/pic/elcr.h"
#include "pit_rig.h"
#include "recording_visitor.h"

using namespace lantern;

namespace {
struct PicRig {
    DualPic pic;

    void out(std::uint16_t port, std::uint8_t v) {
        (port >= 0xA0 ? pic.slave() : pic.master()).write(port & 1, v, 1);
    }
    std::uint8_t in(std::uint16_t port) {
        return static_cast<std::uint8_t>((port >= 0xA0 ? pic.slave() : pic.master()).read(port & 1, 1));
    }
    // The IBM PC/AT BIOS's initialisation: edge-triggered, cascade on IR2, vectors 08h and 70h.
    void init_at(std::uint8_t master_icw4 = 0x01, std::uint8_t slave_icw4 = 0x01, std::uint8_t icw1 = 0x11) {
        out(0x20, icw1);
        out(0x21, 0x08);
        out(0x21, 0x04);
        out(0x21, master_icw4);
        out(0xA0, icw1);
        out(0xA1, 0x70);
        out(0xA1, 0x02);
        out(0xA1, slave_icw4);
    }
    void pulse_edge(unsigned irq) {
        pic.set_irq(irq, false);
        pic.set_irq(irq, true);
    }
    std::uint8_t irr(std::uint16_t port) {
        out(port, 0x0A);
        return in(port);
    }
    std::uint8_t isr(std::uint16_t port) {
        out(port, 0x0B);
        const std::uint8_t v = in(port);
        out(port, 0x0A);
        return v;
    }
};
}  // namespace

TEST_SUITE("pic") {
    TEST_CASE("power-on and the ICW sequence: IMR cleared, edge sense reset, vector from ICW2") {
        PicRig r;
        CHECK(r.in(0x21) == 0xFF);  // all masked until programmed
        r.pic.set_irq(0, true);
        CHECK(r.pic.master().irr() == 0x01);
        CHECK_FALSE(r.pic.intr());
        r.init_at();
        CHECK(r.pic.master().initialised());
        CHECK(r.in(0x21) == 0x00);
        // IR0 is still high, but ICW1 reset the edge sense: no request until a new rising edge.
        CHECK(r.pic.master().irr() == 0x00);
        CHECK_FALSE(r.pic.intr());
        r.out(0x21, 0xFE);
        CHECK(r.in(0x21) == 0xFE);
        r.pulse_edge(0);
        CHECK(r.in(0x20) == 0x01);  // IRR is what the even port reads after init
        CHECK(r.pic.intr());
        CHECK(r.pic.acknowledge() == 0x08);
        CHECK(r.pic.master().isr() == 0x01);
        CHECK(r.pic.master().irr() == 0x00);  // the edge was consumed; the line is still high
        CHECK_FALSE(r.pic.intr());
        r.out(0x20, 0x20);  // non-specific EOI
        CHECK(r.pic.master().isr() == 0x00);
        CHECK_FALSE(r.pic.intr());  // no new edge, no new request
        r.pulse_edge(0);
        CHECK(r.pic.intr());
    }

    TEST_CASE("masking: IRR records a masked request, IMR keeps it from the CPU") {
        PicRig r;
        r.init_at();
        r.out(0x21, 0x10);
        r.pic.set_irq(4, true);
        CHECK(r.irr(0x20) == 0x10);
        CHECK_FALSE(r.pic.intr());
        r.out(0x21, 0x00);
        CHECK(r.pic.intr());
        CHECK(r.pic.acknowledge() == 0x0C);
    }

    TEST_CASE("fully nested: a level in service blocks itself and lower ones, not higher ones") {
        PicRig r;
        r.init_at();
        r.pic.set_irq(3, true);
        r.pic.set_irq(5, true);
        CHECK(r.pic.acknowledge() == 0x0B);
        CHECK_FALSE(r.pic.intr());  // IR5 waits behind IR3
        r.pic.set_irq(1, true);
        CHECK(r.pic.intr());
        CHECK(r.pic.acknowledge() == 0x09);
        CHECK(r.isr(0x20) == 0x0A);
        r.out(0x20, 0x20);  // non-specific EOI ends the highest level in service: IR1
        CHECK(r.isr(0x20) == 0x08);
        CHECK_FALSE(r.pic.intr());
        r.out(0x20, 0x63);  // specific EOI for IR3
        CHECK(r.pic.intr());
        CHECK(r.pic.acknowledge() == 0x0D);
    }

    TEST_CASE("rotation: set priority, rotate on non-specific and specific EOI, rotate in AEOI") {
        PicRig r;
        r.init_at();
        r.out(0x20, 0xC3);  // set priority: IR3 lowest, so IR4 highest
        CHECK(r.pic.master().lowest_priority() == 3);
        r.pic.set_irq(1, true);
        r.pic.set_irq(5, true);
        CHECK(r.pic.acknowledge() == 0x0D);  // 4,5,6,7,0,1,2,3: 5 before 1
        r.out(0x20, 0x65);                   // specific EOI 5
        CHECK(r.pic.acknowledge() == 0x09);
        r.out(0x20, 0xA0);  // rotate on non-specific EOI: IR1 becomes the lowest
        CHECK(r.pic.master().lowest_priority() == 1);
        CHECK(r.pic.master().isr() == 0x00);
        r.pulse_edge(1);
        r.pulse_edge(7);
        CHECK(r.pic.acknowledge() == 0x0F);  // 2,3,4,5,6,7,0,1: IR7 first now
        r.out(0x20, 0xE7);                   // rotate on specific EOI 7: IR7 lowest
        CHECK(r.pic.master().lowest_priority() == 7);
        CHECK(r.pic.acknowledge() == 0x09);
        r.out(0x20, 0x20);

        PicRig a;
        a.init_at(0x03);  // AEOI
        CHECK(a.pic.master().auto_eoi());
        a.pic.set_irq(6, true);
        CHECK(a.pic.acknowledge() == 0x0E);
        CHECK(a.pic.master().isr() == 0x00);  // cleared at the end of the INTA sequence
        a.out(0x20, 0x80);                    // rotate in AEOI mode
        a.pic.set_irq(4, true);
        CHECK(a.pic.acknowledge() == 0x0C);
        CHECK(a.pic.master().lowest_priority() == 4);
        a.out(0x20, 0x00);  // clear rotate in AEOI
        a.pic.set_irq(1, true);
        CHECK(a.pic.acknowledge() == 0x09);
        CHECK(a.pic.master().lowest_priority() == 4);
    }

    TEST_CASE("special mask mode: masking the level in service lets lower levels in") {
        PicRig r;
        r.init_at();
        r.pic.set_irq(3, true);
        CHECK(r.pic.acknowledge() == 0x0B);
        r.pic.set_irq(5, true);
        CHECK_FALSE(r.pic.intr());
        r.out(0x21, 0x08);  // mask IR3
        CHECK_FALSE(r.pic.intr());
        r.out(0x20, 0x68);  // ESMM + SMM: set special mask mode
        CHECK(r.pic.master().special_mask());
        CHECK(r.pic.intr());
        CHECK(r.pic.acknowledge() == 0x0D);
        CHECK(r.pic.master().isr() == 0x28);
        r.out(0x20, 0x48);  // reset special mask mode
        CHECK_FALSE(r.pic.master().special_mask());
        r.out(0x20, 0x20);  // non-specific EOI: the highest in service, IR3
        CHECK(r.pic.master().isr() == 0x20);
    }

    TEST_CASE("poll: the next read acknowledges and returns the level; either port") {
        PicRig r;
        r.init_at();
        r.out(0x20, 0x0C);
        CHECK(r.in(0x20) == 0x00);  // no request: I = 0
        r.pic.set_irq(6, true);
        r.out(0x20, 0x0C);
        CHECK(r.pic.master().peek(0, 1) == 0x86);  // peek leaves the poll armed
        CHECK(r.in(0x21) == 0x86);
        CHECK(r.pic.master().isr() == 0x40);
        CHECK(r.in(0x21) == 0x00);  // back to reading IMR
        CHECK(r.in(0x20) == 0x00);  // and IRR: the poll consumed IR6's edge
        r.out(0x20, 0x20);
        CHECK(r.pic.master().isr() == 0x00);
    }

    TEST_CASE("the default IR7: a request gone before INTA leaves ISR alone") {
        PicRig r;
        r.init_at();
        r.pic.set_irq(4, true);
        CHECK(r.pic.intr());
        r.pic.set_irq(4, false);  // the request vanishes (transparent request latch)
        CHECK(r.pic.master().irr() == 0x00);
        CHECK(r.pic.acknowledge() == 0x0F);
        CHECK(r.pic.master().isr() == 0x00);  // a spurious IR7 sets no ISR bit
        r.pic.set_irq(7, true);
        CHECK(r.pic.acknowledge() == 0x0F);
        CHECK(r.pic.master().isr() == 0x80);  // a real one does
    }

    TEST_CASE("edge versus level triggering: LTIM and the ELCR") {
        PicRig edge;
        edge.init_at();
        edge.pic.set_irq(3, true);
        CHECK(edge.pic.acknowledge() == 0x0B);
        edge.out(0x20, 0x20);
        CHECK_FALSE(edge.pic.intr());  // held high: no second interrupt

        PicRig level;
        level.pic.set_irq(3, true);
        level.init_at(0x01, 0x01, 0x19);  // LTIM
        CHECK(level.pic.intr());          // a high level is a request, no edge needed
        CHECK(level.pic.acknowledge() == 0x0B);
        CHECK(level.irr(0x20) == 0x08);   // IRR follows the level
        CHECK_FALSE(level.pic.intr());
        level.out(0x20, 0x20);
        CHECK(level.pic.intr());  // still high after EOI: interrupts again
        level.pic.set_irq(3, false);
        CHECK_FALSE(level.pic.intr());

        PicRig e;
        Elcr elcr(e.pic);
        e.init_at();
        elcr.write(0, 0xFF, 1);
        elcr.write(1, 0xFF, 1);
        CHECK(elcr.read(0, 2) == 0xDEF8);  // IRQ0-2, 8 and 13 are edge only
        elcr.write(0, 0x0008, 2);          // IRQ3 level, the rest edge
        e.pic.set_irq(4, true);
        CHECK(e.pic.acknowledge() == 0x0C);
        e.out(0x20, 0x20);
        CHECK_FALSE(e.pic.intr());  // IRQ4 is edge-triggered: once per edge
        e.pic.set_irq(3, true);
        CHECK(e.pic.acknowledge() == 0x0B);
        e.out(0x20, 0x20);
        CHECK(e.pic.intr());  // IRQ3 is level-triggered: again while high
        CHECK(e.pic.acknowledge() == 0x0B);
        e.out(0x20, 0x20);
        e.pic.set_irq(3, false);
        CHECK_FALSE(e.pic.intr());
        elcr.reset();
        CHECK(elcr.value() == 0);
    }

    TEST_CASE("cascade: the slave's vector through the master's IR2, both in service") {
        PicRig r;
        r.init_at();
        r.pic.set_irq(10, true);
        CHECK(r.pic.master().irr() == 0x04);
        CHECK(r.pic.intr());
        CHECK(r.pic.acknowledge() == 0x72);
        CHECK(r.pic.master().isr() == 0x04);
        CHECK(r.pic.slave().isr() == 0x04);
        r.pic.set_irq(3, true);
        CHECK_FALSE(r.pic.intr());  // IRQ8-15 sit at the master's IR2, above IRQ3
        r.pic.set_irq(1, true);
        CHECK(r.pic.intr());
        CHECK(r.pic.acknowledge() == 0x09);
        r.out(0x20, 0x20);
        r.out(0xA0, 0x20);
        r.out(0x20, 0x20);
        CHECK(r.pic.acknowledge() == 0x0B);
        r.out(0x20, 0x20);
        // Within the slave: IRQ8 before IRQ15.
        r.pic.set_irq(15, true);
        r.pic.set_irq(8, true);
        CHECK(r.pic.acknowledge() == 0x70);
        r.out(0xA0, 0x20);
        r.out(0x20, 0x20);
        CHECK(r.pic.acknowledge() == 0x77);
        CHECK(r.pic.slave().isr() == 0x80);
    }

    TEST_CASE("cascade edge cases: spurious IRQ15, a slave that does not answer, IRQ2") {
        PicRig r;
        r.init_at();
        // A glitch on the cascade wire: the master sees IR2, the slave has nothing to give. The
        // slave answers with its default IR7 (IRQ15) and sets nothing; the master's IR2 is in
        // service and needs its EOI.
        r.pic.master().set_input(2, true);
        CHECK(r.pic.acknowledge() == 0x77);
        CHECK(r.pic.master().isr() == 0x04);
        CHECK(r.pic.slave().isr() == 0x00);
        r.out(0x20, 0x20);
        r.pic.master().set_input(2, false);
        // The slave programmed with another ID does not answer: the data bus floats.
        r.out(0xA0, 0x11);
        r.out(0xA1, 0x70);
        r.out(0xA1, 0x05);
        r.out(0xA1, 0x01);
        r.pic.set_irq(9, true);
        CHECK(r.pic.acknowledge() == 0xFF);
        // IRQ2 cannot be driven: it is the cascade wire.
        PicRig c;
        c.init_at();
        c.pic.set_irq(2, true);
        CHECK_FALSE(c.pic.intr());
    }

    TEST_CASE("special fully nested mode lets a higher slave request nest") {
        for (bool sfnm : {false, true}) {
            CAPTURE(sfnm);
            PicRig r;
            r.init_at(sfnm ? 0x11 : 0x01);
            r.pic.set_irq(12, true);
            CHECK(r.pic.acknowledge() == 0x74);
            r.pic.set_irq(9, true);  // higher than IRQ12 inside the slave
            CHECK(r.pic.intr() == sfnm);
            if (sfnm) {
                CHECK(r.pic.acknowledge() == 0x71);
                CHECK(r.pic.slave().isr() == 0x12);
            }
        }
    }

    TEST_CASE("a slave in AEOI with another request pending gives the master a fresh edge") {
        PicRig r;
        r.init_at(0x01, 0x03);
        r.pic.set_irq(9, true);
        r.pic.set_irq(10, true);
        CHECK(r.pic.acknowledge() == 0x71);
        CHECK(r.pic.slave().isr() == 0x00);
        CHECK_FALSE(r.pic.intr());  // the master's IR2 is in service
        r.out(0x20, 0x20);
        CHECK(r.pic.intr());
        CHECK(r.pic.acknowledge() == 0x72);
    }

    TEST_CASE("MCS-80/85 mode: the second INTA byte is the CALL address's low byte") {
        PicRig r;
        r.out(0x20, 0xF6);  // A7-A5 = 111, ICW1, ADI = 4, single, no ICW4
        r.out(0x21, 0x12);
        CHECK(r.pic.master().initialised());
        r.pic.set_irq(3, true);
        CHECK(r.pic.acknowledge() == 0xEC);
        r.out(0x20, 0xD2);  // interval 8
        r.out(0x21, 0x12);
        r.pulse_edge(3);
        CHECK(r.pic.acknowledge() == 0xD8);
    }

    TEST_CASE("can_interrupt: false only when no input can ever reach the CPU") {
        PicRig r;
        CHECK_FALSE(r.pic.can_interrupt());  // power-on: all masked
        r.init_at();
        r.out(0x21, 0xFF);
        r.out(0xA1, 0x00);
        CHECK_FALSE(r.pic.can_interrupt());  // slave open, but the cascade is masked
        r.out(0x21, 0xFB);
        CHECK(r.pic.can_interrupt());
        r.out(0xA1, 0xFF);
        CHECK_FALSE(r.pic.can_interrupt());  // cascade open, nothing behind it
        r.out(0x21, 0xFC);                   // IRQ0 and 1
        CHECK(r.pic.can_interrupt());
        r.pic.set_irq(0, true);
        CHECK(r.pic.acknowledge() == 0x08);
        CHECK_FALSE(r.pic.can_interrupt());  // IR0 in service blocks IR1: only an EOI helps
        r.out(0x20, 0x20);
        CHECK(r.pic.can_interrupt());
    }

    TEST_CASE("several lines on one IRQ are wired-OR; a connected line reports its level") {
        PicRig r;
        r.init_at(0x01, 0x01, 0x19);  // level-triggered, so IRR shows the wire's level
        IrqLine a, b;
        a.raise();
        r.pic.connect(5, a);
        r.pic.connect(5, b);
        CHECK(r.pic.master().input_levels() == 0x20);
        b.raise();
        a.lower();
        CHECK(r.pic.master().input_levels() == 0x20);
        b.lower();
        CHECK(r.pic.master().input_levels() == 0x00);
    }

    TEST_CASE("inspect lists both chips; a snapshot restores them") {
        PicRig a;
        a.init_at();
        a.out(0x21, 0xF0);
        a.pic.set_irq(11, true);
        a.pic.set_irq(1, true);
        CHECK(a.pic.acknowledge() == 0x09);
        testing::RecordingVisitor v;
        a.pic.inspect(v);
        CHECK(v.has("pic.master.imr=240"));
        CHECK(v.has("pic.master.isr=2"));
        CHECK(v.has("pic.master.icw2=8"));
        CHECK(v.has("pic.slave.icw2=112"));
        CHECK(v.has("pic.slave.irr=8"));
        CHECK(v.has("pic.master.int=0"));  // the slave's request (IR2) waits behind IR1 in service
        testing::MiniSnapshot snap;
        a.pic.inspect(snap);
        PicRig b;
        snap.start_loading();
        b.pic.inspect(snap);
        CHECK(b.pic.master().isr() == 0x02);
        CHECK(b.pic.master().imr() == 0xF0);
        CHECK(b.pic.slave().irr() == 0x08);
        CHECK(b.pic.intr() == a.pic.intr());
        CHECK(b.pic.acknowledge() == a.pic.acknowledge());
    }
}
