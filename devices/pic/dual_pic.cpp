#include "devices/pic/dual_pic.h"

namespace lantern {

DualPic::DualPic() {
    slave_.set_int_listener([this](bool level) { master_.set_input(kPicCascadeIr, level); });
}

void DualPic::reset() {
    slave_.reset();
    master_.reset();
}

void DualPic::set_irq(unsigned irq, bool level) {
    if (irq < 8) {
        if (irq != kPicCascadeIr) master_.set_input(irq, level);
    } else if (irq < 16) {
        slave_.set_input(irq - 8, level);
    }
}

void DualPic::connect(unsigned irq, IrqLine& line) {
    if (irq >= lines_.size() || irq == kPicCascadeIr) return;
    lines_[irq].push_back(&line);
    line.connect([this, irq](bool) { line_changed(irq); });
}

void DualPic::line_changed(unsigned irq) {
    bool any = false;
    for (const IrqLine* l : lines_[irq]) any = any || l->level();
    set_irq(irq, any);
}

std::uint8_t DualPic::acknowledge() {
    const Pic8259::Ack m = master_.acknowledge();
    if (m.spurious || !m.cascade) return m.vector;
    // The master sent the cascade address on CAS0-2; a slave in cascade mode with that ID
    // answers (8259A datasheet, "Cascading"). If the slave's request went away meanwhile it
    // answers with its own default IR7: the spurious IRQ15, with the master's IR2 in service.
    if (!slave_.is_master() && !slave_.single() && slave_.slave_id() == m.ir) return slave_.acknowledge().vector;
    return 0xFF;  // nobody drives the data bus
}

bool DualPic::can_interrupt() const {
    const bool slave_could = slave_.could_interrupt(0xFF);
    const std::uint8_t master_live = slave_could ? 0xFF : static_cast<std::uint8_t>(~(1u << kPicCascadeIr));
    return master_.could_interrupt(master_live);
}

void DualPic::set_level_triggered(std::uint16_t mask) {
    master_.set_level_triggered_mask(static_cast<std::uint8_t>(mask));
    slave_.set_level_triggered_mask(static_cast<std::uint8_t>(mask >> 8));
}

void DualPic::inspect(StateVisitor& v) {
    StateGroup g(v, "pic");
    slave_.inspect(v);  // the slave first: restoring it re-drives the master's IR2
    master_.inspect(v);
}

}  // namespace lantern
