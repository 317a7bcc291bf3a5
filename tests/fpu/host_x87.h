// The host's x87 as a test oracle (x86/x86-64 hosts only).
//
// Each helper loads the operands as raw 80-bit patterns (FLD m80 raises nothing), sets the
// control word, runs one instruction, and reads back the status word with the no-wait FNSTSW
// before FNCLEX clears any pending unmasked exception, so storing the registers afterwards
// never traps. Stack picture before the instruction: ST(0) = a, ST(1) = b.
//
// AT&T operand order: only ST(0)-destination register forms are used ("fsub %st(1), %st" is
// Intel's "fsub st, st(1)", i.e. ST(0) = ST(0) - ST(1)), which GNU as does not reverse.
#pragma once

// Define LANTERN_FPU_NO_HOST_ORACLE to build the skip path on an x86 host.
#if (defined(__x86_64__) || defined(__i386__)) && !defined(LANTERN_FPU_NO_HOST_ORACLE)
#define LANTERN_HOST_X87 1

#include <cstdint>
#include <cstring>

#include "cpu/fpu/float80.h"

namespace lantern::fpu::host {

struct alignas(16) Raw80 {
    unsigned char b[16] = {};
};

inline Raw80 to_raw(Float80 v) {
    Raw80 r{};
    const auto bytes = v.to_bytes();
    std::memcpy(r.b, bytes.data(), 10);
    return r;
}
inline Float80 from_raw(const Raw80& r) { return Float80::from_bytes(r.b); }

struct Out {
    Float80 st0{};
    Float80 st1{};
    Float80 st2{};
    std::uint16_t sw = 0;
};

// DEPTH = number of registers on the stack after INSN (1..3); all are popped.
#define LANTERN_HOST_OP(NAME, INSN, DEPTH)                                                              \
    inline Out NAME(Float80 a, Float80 b, std::uint16_t cw) {                                            \
        Raw80 ra = to_raw(a), rb = to_raw(b), r0{}, r1{}, r2{};                                          \
        std::uint16_t sw = 0, saved = 0;                                                                 \
        asm volatile("fnstcw %[saved]\n\tfninit\n\tfldcw %[cw]\n\t"                                      \
                     "fldt %[b]\n\tfldt %[a]\n\t" INSN "\n\t"                                            \
                     "fnstsw %[sw]\n\tfnclex\n\t"                                                        \
                     "fstpt %[r0]\n\t" DEPTH##_POPS "fldcw %[saved]"                                      \
                     : [sw] "=m"(sw), [saved] "=m"(saved), [r0] "=m"(r0), [r1] "=m"(r1), [r2] "=m"(r2)    \
                     : [cw] "m"(cw), [a] "m"(ra), [b] "m"(rb)                                            \
                     : "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)", "memory");   \
        return {from_raw(r0), from_raw(r1), from_raw(r2), sw};                                           \
    }
#define ONE_POPS ""
#define TWO_POPS "fstpt %[r1]\n\t"
#define THREE_POPS "fstpt %[r1]\n\tfstpt %[r2]\n\t"

LANTERN_HOST_OP(fadd, "fadd %%st(1), %%st", TWO)
LANTERN_HOST_OP(fsub, "fsub %%st(1), %%st", TWO)
LANTERN_HOST_OP(fmul, "fmul %%st(1), %%st", TWO)
LANTERN_HOST_OP(fdiv, "fdiv %%st(1), %%st", TWO)
LANTERN_HOST_OP(fsqrt, "fsqrt", TWO)
LANTERN_HOST_OP(fcom, "fcom %%st(1)", TWO)
LANTERN_HOST_OP(fucom, "fucom %%st(1)", TWO)
LANTERN_HOST_OP(ftst, "ftst", TWO)
LANTERN_HOST_OP(fxam, "fxam", TWO)
LANTERN_HOST_OP(frndint, "frndint", TWO)
LANTERN_HOST_OP(fscale, "fscale", TWO)
LANTERN_HOST_OP(fprem, "fprem", TWO)
LANTERN_HOST_OP(fprem1, "fprem1", TWO)
LANTERN_HOST_OP(fxtract, "fxtract", THREE)
LANTERN_HOST_OP(fsin, "fsin", TWO)
LANTERN_HOST_OP(fcos, "fcos", TWO)
LANTERN_HOST_OP(fsincos, "fsincos", THREE)
LANTERN_HOST_OP(fptan, "fptan", THREE)
LANTERN_HOST_OP(fpatan, "fpatan", ONE)   // ST(1) = atan(ST(1) / ST(0)), pop
LANTERN_HOST_OP(f2xm1, "f2xm1", TWO)
LANTERN_HOST_OP(fyl2x, "fyl2x", ONE)     // ST(1) = ST(1) * log2(ST(0)), pop
LANTERN_HOST_OP(fyl2xp1, "fyl2xp1", ONE) // ST(1) = ST(1) * log2(ST(0) + 1), pop
LANTERN_HOST_OP(fchs, "fchs", TWO)
LANTERN_HOST_OP(fabs_, "fabs", TWO)
LANTERN_HOST_OP(fld1, "fld1", THREE)
LANTERN_HOST_OP(fldl2t, "fldl2t", THREE)
LANTERN_HOST_OP(fldl2e, "fldl2e", THREE)
LANTERN_HOST_OP(fldpi, "fldpi", THREE)
LANTERN_HOST_OP(fldlg2, "fldlg2", THREE)
LANTERN_HOST_OP(fldln2, "fldln2", THREE)

// Stores: ST(0) = a is stored to memory with INSN, then popped if the instruction did not.
template <class T>
struct StoreOut {
    T value{};
    std::uint16_t sw = 0;
};

#define LANTERN_HOST_STORE(NAME, INSN, TYPE)                                                         \
    inline StoreOut<TYPE> NAME(Float80 a, std::uint16_t cw) {                                         \
        Raw80 ra = to_raw(a);                                                                         \
        TYPE out{};                                                                                   \
        std::uint16_t sw = 0, saved = 0;                                                              \
        asm volatile("fnstcw %[saved]\n\tfninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t" INSN " %[out]\n\t"     \
                     "fnstsw %[sw]\n\tfnclex\n\tfldcw %[saved]"                                       \
                     : [sw] "=m"(sw), [saved] "=m"(saved), [out] "+m"(out)                            \
                     : [cw] "m"(cw), [a] "m"(ra)                                                      \
                     : "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)", "memory"); \
        return {out, sw};                                                                             \
    }

struct Bcd {
    unsigned char b[10] = {};
};

LANTERN_HOST_STORE(fistp16, "fistps", std::int16_t)
LANTERN_HOST_STORE(fistp32, "fistpl", std::int32_t)
LANTERN_HOST_STORE(fistp64, "fistpll", std::int64_t)
LANTERN_HOST_STORE(fisttp16, "fisttps", std::int16_t)
LANTERN_HOST_STORE(fisttp32, "fisttpl", std::int32_t)
LANTERN_HOST_STORE(fisttp64, "fisttpll", std::int64_t)
LANTERN_HOST_STORE(fstp32, "fstps", std::uint32_t)
LANTERN_HOST_STORE(fstp64, "fstpl", std::uint64_t)
LANTERN_HOST_STORE(fbstp, "fbstp", Bcd)

// Loads: the memory operand is pushed with INSN and the result popped as m80.
#define LANTERN_HOST_LOAD(NAME, INSN, TYPE)                                                          \
    inline Out NAME(TYPE in, std::uint16_t cw) {                                                      \
        Raw80 r0{};                                                                                   \
        std::uint16_t sw = 0, saved = 0;                                                              \
        asm volatile("fnstcw %[saved]\n\tfninit\n\tfldcw %[cw]\n\t" INSN " %[in]\n\t"                  \
                     "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r0]\n\tfldcw %[saved]"                        \
                     : [sw] "=m"(sw), [saved] "=m"(saved), [r0] "=m"(r0)                              \
                     : [cw] "m"(cw), [in] "m"(in)                                                     \
                     : "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)", "memory"); \
        return {from_raw(r0), {}, {}, sw};                                                            \
    }

LANTERN_HOST_LOAD(flds, "flds", std::uint32_t)
LANTERN_HOST_LOAD(fldl, "fldl", std::uint64_t)
LANTERN_HOST_LOAD(fbld, "fbld", Bcd)

// Control-word round trip: what FNSTCW reads back after FLDCW of `cw`.
inline std::uint16_t fldcw_fnstcw(std::uint16_t cw) {
    std::uint16_t out = 0, saved = 0;
    asm volatile("fnstcw %[saved]\n\tfninit\n\tfldcw %[cw]\n\tfnstcw %[out]\n\tfldcw %[saved]"
                 : [out] "=m"(out), [saved] "=m"(saved)
                 : [cw] "m"(cw)
                 : "memory");
    return out;
}

}  // namespace lantern::fpu::host

#endif
