#include "cpu/decoder.h"

namespace lantern {

unsigned operand_width(const OpcodeInfo& row, unsigned opsize) {
    if (row.has(attr::Byte)) return 1;
    // The first operand that names data (not an immediate, a count or a port) decides.
    for (Operand o : row.operands) {
        switch (o) {
            case Operand::Eb: case Operand::Gb: case Operand::AL: case Operand::Zb:
            case Operand::Ob: case Operand::Xb: case Operand::Yb:
                return 1;
            case Operand::Ew: case Operand::Gw: case Operand::Sw:
            case Operand::ES: case Operand::CS: case Operand::SS: case Operand::DS:
            case Operand::FS: case Operand::GS:
                return 2;
            case Operand::Ev: case Operand::Gv: case Operand::Zv: case Operand::AX:
            case Operand::Ov: case Operand::Xv: case Operand::Yv:
                return opsize;
            case Operand::Rd: case Operand::Cd: case Operand::Dd:
                return 4;
            default:
                break;
        }
    }
    return opsize;
}

}  // namespace lantern
