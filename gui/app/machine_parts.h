// The optional parts of a Machine the GUI connects to: the display adapter, the input queue and
// the serial ports. The board gains them one by one (devices/machine.h); these helpers find each
// by its accessor when the Machine has it and answer "none" otherwise, so the GUI builds against
// every stage of the board. This is the one file to touch when an accessor is renamed.
#pragma once

#include <cstdint>

#include "devices/machine.h"

namespace lantern {
class Vga;
class InputQueue;
class Uart16550;
}  // namespace lantern

namespace lantern::gui {

template <class M>
const Vga* find_vga(M& m) {
    if constexpr (requires { m.vga(); }) return &m.vga();
    else return nullptr;
}

template <class M>
InputQueue* find_input_queue(M& m) {
    if constexpr (requires { m.input(); }) return &m.input();
    else if constexpr (requires { m.input_queue(); }) return &m.input_queue();
    else return nullptr;
}

// COM1..COM4 as n = 0..3.
template <class M>
Uart16550* find_uart(M& m, unsigned n) {
    if constexpr (requires { m.uart(n); }) return &m.uart(n);
    else if constexpr (requires { m.serial(n); }) return &m.serial(n);
    else {
        (void)n;
        return nullptr;
    }
}

}  // namespace lantern::gui
