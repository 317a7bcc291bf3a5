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
            // x87: the memory operand's size in bytes; the environment and save-area formats
            // follow the operand size; ST registers hold 10-byte extended reals.
            case Operand::AXw: case Operand::M16int: case Operand::M2byte:
                return 2;
            case Operand::M32int: case Operand::M32fp:
                return 4;
            case Operand::M64int: case Operand::M64fp:
                return 8;
            case Operand::M80fp: case Operand::M80bcd: case Operand::ST0: case Operand::STi:
                return 10;
            case Operand::Menv: case Operand::Mstate:
                return opsize;
            default:
                break;
        }
    }
    return opsize;
}

}  // namespace lantern
