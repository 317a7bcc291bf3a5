// Flag arithmetic shared by the instruction families (SDM Vol. 1, 3.4.3 and Appendix A).
// Flags are computed eagerly; every helper takes the operand width in bytes.
#pragma once

#include <cstdint>

#include "cpu/cpu_state.h"

namespace lantern::alu {

constexpr std::uint32_t mask(unsigned width) {
    return width == 1 ? 0xFFu : width == 2 ? 0xFFFFu : 0xFFFFFFFFu;
}
constexpr std::uint32_t sign_bit(unsigned width) { return 1u << (width * 8 - 1); }

constexpr bool parity_even(std::uint32_t v) {
    v &= 0xFF;
    v ^= v >> 4;
    v ^= v >> 2;
    v ^= v >> 1;
    return (v & 1) == 0;
}

// SF, ZF and PF from a result.
constexpr std::uint32_t szp(std::uint32_t r, unsigned width) {
    r &= mask(width);
    std::uint32_t f = 0;
    if (r == 0) f |= flag::ZF;
    if (r & sign_bit(width)) f |= flag::SF;
    if (parity_even(r)) f |= flag::PF;
    return f;
}

struct Result {
    std::uint32_t value;
    std::uint32_t flags;  // the arithmetic flags (OSZAPC) the operation produced
};

constexpr Result add(std::uint32_t a, std::uint32_t b, unsigned carry_in, unsigned width) {
    const std::uint32_t m = mask(width);
    a &= m;
    b &= m;
    std::uint64_t wide = static_cast<std::uint64_t>(a) + b + carry_in;
    std::uint32_t r = static_cast<std::uint32_t>(wide) & m;
    std::uint32_t f = szp(r, width);
    if (wide > m) f |= flag::CF;
    if ((a ^ b ^ r) & 0x10) f |= flag::AF;
    if ((a ^ r) & (b ^ r) & sign_bit(width)) f |= flag::OF;
    return {r, f};
}

constexpr Result sub(std::uint32_t a, std::uint32_t b, unsigned borrow_in, unsigned width) {
    const std::uint32_t m = mask(width);
    a &= m;
    b &= m;
    std::uint32_t r = (a - b - borrow_in) & m;
    std::uint32_t f = szp(r, width);
    if (static_cast<std::uint64_t>(b) + borrow_in > a) f |= flag::CF;
    if ((a ^ b ^ r) & 0x10) f |= flag::AF;
    if ((a ^ b) & (a ^ r) & sign_bit(width)) f |= flag::OF;
    return {r, f};
}

// AND/OR/XOR/TEST: CF = OF = 0; AF is undefined and these models clear it.
constexpr Result logic(std::uint32_t r, unsigned width) {
    r &= mask(width);
    return {r, szp(r, width)};
}

constexpr std::uint32_t sign_extend(std::uint32_t v, unsigned width) {
    if (width == 1) return static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<std::int8_t>(v)));
    if (width == 2) return static_cast<std::uint32_t>(static_cast<std::int32_t>(static_cast<std::int16_t>(v)));
    return v;
}

}  // namespace lantern::alu
