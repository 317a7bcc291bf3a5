// The asynchronous serial line as a 16550A sees it: the character format programmed in the Line
// Control Register, and one character's bit pattern on the wire.
//
// A character on the line is a start bit (space, 0), 5 to 8 data bits, least significant first, an
// optional parity bit and 1, 1.5 or 2 stop bits (mark, 1); between characters the line idles at
// mark (PC16550D datasheet, "Line Control Register" and Figure "Basic Serial Data Format"). A
// WireFrame records the line levels after the start bit exactly as a transmitter drove them, and
// the receiver decodes them with its own LCR. So a transmitter and a receiver that disagree on the
// format (the datasheet's loopback "parity and framing error simulation") give real parity and
// framing errors, from the same code path as a clean character.
#pragma once

#include <bit>
#include <cstdint>

namespace lantern {

// LCR bits (PC16550D datasheet, "Line Control Register").
namespace lcr {
inline constexpr std::uint8_t kWordLengthMask = 0x03;  // WLS1-0: 5, 6, 7, 8 data bits
inline constexpr std::uint8_t kStopBits = 0x04;        // STB: 1.5 (5-bit words) or 2 stop bits
inline constexpr std::uint8_t kParityEnable = 0x08;    // PEN
inline constexpr std::uint8_t kEvenParity = 0x10;      // EPS
inline constexpr std::uint8_t kStickParity = 0x20;     // stick parity
inline constexpr std::uint8_t kBreak = 0x40;           // set break: SOUT forced to space
inline constexpr std::uint8_t kDlab = 0x80;            // divisor latch access bit
}  // namespace lcr

struct LineFormat {
    unsigned data_bits = 8;
    bool parity = false;
    bool even_parity = false;
    bool stick_parity = false;
    unsigned stop_half_bits = 2;  // 2: one stop bit, 3: one and a half, 4: two

    static constexpr LineFormat from_lcr(std::uint8_t lcr_value) {
        LineFormat f;
        f.data_bits = 5u + (lcr_value & lcr::kWordLengthMask);
        f.parity = (lcr_value & lcr::kParityEnable) != 0;
        f.even_parity = (lcr_value & lcr::kEvenParity) != 0;
        f.stick_parity = (lcr_value & lcr::kStickParity) != 0;
        // "1.5 Stop bits are generated when a 5-bit word length is selected, 2 otherwise".
        f.stop_half_bits = (lcr_value & lcr::kStopBits) == 0 ? 2u : (f.data_bits == 5 ? 3u : 4u);
        return f;
    }

    // Start bit, data bits and parity bit: everything before the first stop bit.
    constexpr unsigned bits_before_stop() const { return 1u + data_bits + (parity ? 1u : 0u); }
    // The whole character in half bit times (start + data + parity + stop).
    constexpr unsigned frame_half_bits() const { return 2u * bits_before_stop() + stop_half_bits; }
    constexpr std::uint8_t data_mask() const { return static_cast<std::uint8_t>((1u << data_bits) - 1u); }

    // The parity bit a transmitter sends for `data`. Odd/even parity counts the data bits and the
    // parity bit together; stick parity sends a constant: "When bits 3, 4 and 5 are logic 1 the
    // Parity bit is transmitted and checked as a logic 0. If bits 3 and 5 are 1 and bit 4 is a
    // logic 0 then the Parity bit is transmitted and checked as a logic 1."
    constexpr bool parity_bit(std::uint8_t data) const {
        if (stick_parity) return !even_parity;
        const bool odd_ones = (std::popcount(static_cast<unsigned>(data & data_mask())) & 1) != 0;
        return even_parity ? odd_ones : !odd_ones;
    }
};

// The line after the start bit: bit i of `levels` is the level (1 = mark) of the i-th bit time
// after the start bit. Bits past the character's end are idle line, i.e. mark. `line_break` means
// the line stays at space for longer than a whole character (a break), with `levels` all zero.
struct WireFrame {
    std::uint16_t levels = 0xFFFF;
    bool line_break = false;

    static constexpr WireFrame encode(std::uint8_t data, const LineFormat& f) {
        std::uint16_t v = 0xFFFF;  // stop bits and the idle line after them are mark
        const std::uint16_t data_field = static_cast<std::uint16_t>((1u << f.data_bits) - 1u);
        v = static_cast<std::uint16_t>((v & ~data_field) | (data & f.data_mask()));
        if (f.parity && !f.parity_bit(data)) v = static_cast<std::uint16_t>(v & ~(1u << f.data_bits));
        return WireFrame{v, false};
    }
    static constexpr WireFrame spacing_break() { return WireFrame{0x0000, true}; }
};

// What a receiver makes of a frame, decoded with its own format.
struct ReceivedChar {
    std::uint8_t data = 0;  // the data bits; unused high bits of the RBR read as 0
    bool parity_error = false;
    bool framing_error = false;  // "the received character did not have a valid Stop bit"
    bool line_break = false;

    static constexpr ReceivedChar decode(const WireFrame& w, const LineFormat& f) {
        ReceivedChar c;
        c.data = static_cast<std::uint8_t>(w.levels & f.data_mask());
        unsigned next = f.data_bits;
        if (f.parity) {
            const bool got = ((w.levels >> next) & 1u) != 0;
            c.parity_error = got != f.parity_bit(c.data);
            ++next;
        }
        // "The receiver checks the first Stop-bit only, regardless of the number of Stop bits
        // selected" (datasheet, Line Control Register bit 2).
        c.framing_error = ((w.levels >> next) & 1u) == 0;
        c.line_break = w.line_break;
        return c;
    }
};

}  // namespace lantern
