// Declarations of every instruction handler named in opcodes.def. The handlers live in the
// exec_*.cpp files, one per instruction family.
#pragma once

#include "cpu/decoder.h"

namespace lantern {
class Interpreter;
namespace exec {

#define OPS(map, first, last, reg, mnem, o1, o2, o3, attrs, fr, fw, since, until, t86, t286, t386, \
            t486, tp5, h)                                                                          \
    void h(Interpreter&, const Insn&);
#define OP(map, opc, reg, mnem, o1, o2, o3, attrs, fr, fw, since, until, t86, t286, t386, t486, tp5, h) \
    void h(Interpreter&, const Insn&);
#define UD_RANGE(map, first, last, since, until)
#include "cpu/opcodes.def"
#include "cpu/opcodes_x87.def"
#undef OP
#undef OPS
#undef UD_RANGE

}  // namespace exec
}  // namespace lantern
