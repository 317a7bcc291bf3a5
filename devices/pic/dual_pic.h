// DualPic: the PC/AT's two cascaded 8259As (IBM PC/AT Technical Reference, "System Board",
// interrupt controllers): the master at ports 0x20-0x21 takes IRQ0-7, the slave at 0xA0-0xA1
// takes IRQ8-15, and the slave's INT drives the master's IR2. The INTA sequence goes to both:
// the master resolves, and if its acknowledged input has a slave (ICW3), the slave whose ID
// matches the cascade address puts the vector on the bus.
//
// IRQ2 has no input of its own: the master's IR2 is the cascade wire. (The ISA slot pin that
// was IRQ2 on the PC is wired to IRQ9 on the AT; the board maps it.)
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "cpu/state_visitor.h"
#include "devices/irq_line.h"
#include "devices/pic/pic8259.h"

namespace lantern {

inline constexpr std::uint16_t kPicMasterPort = 0x20;  // 0x20-0x21
inline constexpr std::uint16_t kPicSlavePort = 0xA0;   // 0xA0-0xA1
inline constexpr unsigned kPicCascadeIr = 2;

class DualPic final : public Inspectable {
public:
    DualPic();
    DualPic(const DualPic&) = delete;
    DualPic& operator=(const DualPic&) = delete;

    void reset();

    // IRQ `irq` (0-15) is at `level`. IRQ2 is the cascade and cannot be driven from outside.
    void set_irq(unsigned irq, bool level);
    // Wires `line` to IRQ `irq`: its level changes reach the controller from now on. Several
    // lines on one IRQ are wired-OR (a PCI interrupt routed onto an ISA IRQ, PIIX PIRQRC): the
    // input is high while any of them is. The lines must outlive the controller.
    void connect(unsigned irq, IrqLine& line);

    // The CPU's INTR pin and the INTA sequence (two INTA bus cycles on the 8086/286).
    bool intr() const { return master_.int_output(); }
    std::uint8_t acknowledge();
    // Could any input still interrupt the CPU without the CPU reprogramming a PIC? (Used to tell
    // a HLT that nothing can ever wake from one that waits for a device.)
    bool can_interrupt() const;

    // The ELCR (PIIX): bit n makes IRQ n level-triggered.
    void set_level_triggered(std::uint16_t mask);

    Pic8259& master() { return master_; }
    Pic8259& slave() { return slave_; }
    const Pic8259& master() const { return master_; }
    const Pic8259& slave() const { return slave_; }

    std::string_view inspect_name() const override { return "pic"; }
    void inspect(StateVisitor& v) override;

private:
    void line_changed(unsigned irq);

    std::array<std::vector<IrqLine*>, 16> lines_{};  // per IRQ: the lines wired to it
    Pic8259 master_{PicRole::Master, "master"};
    Pic8259 slave_{PicRole::Slave, "slave"};
};

}  // namespace lantern
