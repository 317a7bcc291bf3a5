// x87 helpers shared with the rest of the interpreter (the x87 row handlers themselves are
// declared in exec.h like every other handler and live in exec_fpu.cpp).
#pragma once

namespace lantern {
class Interpreter;
namespace exec {

// WAIT/FWAIT on a model with an x87 (SDM Vol. 2, WAIT/FWAIT; Vol. 3, Table 2-2): #NM when
// CR0.MP and CR0.TS are both set, then the pending-exception check of a waiting x87
// instruction (#MF with CR0.NE = 1, FERR# with NE = 0).
void x87_wait(Interpreter& c);

}  // namespace exec
}  // namespace lantern
