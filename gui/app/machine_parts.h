// The optional parts of a Machine the GUI connects to: the display adapter, the input queue and
// the serial ports. They live on the PC board (devices/pc/pc_board.h); a bare machine (CPU, PICs
// and PIT only) has none of them, and these helpers answer null for it. This is the one file to
// touch when an accessor is renamed.
#pragma once

#include "devices/machine.h"

namespace lantern::gui {

inline const Vga* find_vga(Machine& m) { return m.board() ? &m.board()->vga() : nullptr; }

inline InputQueue* find_input_queue(Machine& m) { return m.board() ? &m.board()->input() : nullptr; }

// COM1..COM4 as n = 0..3.
inline Uart16550* find_uart(Machine& m, unsigned n) {
    return m.board() && n < kComPorts.size() ? &m.board()->uart(n) : nullptr;
}

}  // namespace lantern::gui
