// High-precision constants for the transcendental kernels, computed offline with 700-bit
// arithmetic (no external data): each is {exponent, significand bits 127..64, bits 63..0}
// with bit 127 the integer bit, value = sig * 2^(exp - 127).
#pragma once

#include <cstdint>

namespace lantern::fpu::detail {

struct WideConstant {
    std::int32_t exp = 0;
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;
};

inline constexpr WideConstant kPiOver2{0, 0xC90FDAA22168C234u, 0xC4C6628B80DC1CD1u};
inline constexpr WideConstant kPi{1, 0xC90FDAA22168C234u, 0xC4C6628B80DC1CD1u};
inline constexpr WideConstant kPiOver4{-1, 0xC90FDAA22168C234u, 0xC4C6628B80DC1CD1u};
inline constexpr WideConstant kThreePiOver4{1, 0x96CBE3F9990E91A7u, 0x9394C9E8A0A5159Cu};
inline constexpr WideConstant kLn2{-1, 0xB17217F7D1CF79ABu, 0xC9E3B39803F2F6AFu};
inline constexpr WideConstant kLog2E{0, 0xB8AA3B295C17F0BBu, 0xBE87FED0691D3E88u};

// 2/pi to 448 bits, least significant 64-bit limb first: floor(2/pi * 2^448). Enough for an
// exact-to-2^-190 reduction of any |x| < 2^63 (SDM Vol. 1, 8.3.10 gives the FSIN/FCOS range).
inline constexpr std::uint64_t kTwoOverPi448[7] = {
    0xFE1DEB1CB129A73Eu, 0x06492EEA09D1921Cu, 0xB7246E3A424DD2E0u, 0xFE5163ABDEBBC561u,
    0xDB6295993C439041u, 0xFC2757D1F534DDC0u, 0xA2F9836E4E441529u,
};

// The x87's own pi for argument reduction: 66 bits, 0xC90FDAA22168C234 followed by binary 11
// (SDM Vol. 1, 8.3.10: "the FPU uses a 66-bit approximation of pi").
inline constexpr std::uint64_t kPi66High = 0xC90FDAA22168C234u;

// atan(k/64) for k = 0..64, the table behind FPATAN's argument reduction.
inline constexpr WideConstant kAtanTable[65] = {
    {0, 0, 0},  // atan(0/64)
    {-7, 0xFFFAAADDDB94D5BBu, 0xE78C564015F76048u},  // atan(1/64)
    {-6, 0xFFEAADDD4BB12542u, 0x779D776DDA8C6213u},  // atan(2/64)
    {-5, 0xBFDC0C2186D14FCFu, 0x220E10D61DF56EC7u},  // atan(3/64)
    {-5, 0xFFAADDB967EF4E36u, 0xCB2792DC0E2E0D51u},  // atan(4/64)
    {-4, 0x9FACF873E2ACEB58u, 0x99C50BBF08E6CDF6u},  // atan(5/64)
    {-4, 0xBF70C13017887460u, 0x93567E784CF83676u},  // atan(6/64)
    {-4, 0xDF1CF5F3783E1BEFu, 0x71E5340B30E5D9EEu},  // atan(7/64)
    {-4, 0xFEADD4D5617B6E32u, 0xC897989F3E888EF7u},  // atan(8/64)
    {-3, 0x8F0FD7D821B93725u, 0xBD37592983A0AF99u},  // atan(9/64)
    {-3, 0x9EB77746331362C3u, 0x47619D250360FE85u},  // atan(10/64)
    {-3, 0xAE4C08F1F6134EFAu, 0xB54D3FEF0C2DE994u},  // atan(11/64)
    {-3, 0xBDCBDA5E72D81134u, 0x7B0B4F881C9C7487u},  // atan(12/64)
    {-3, 0xCD35474B643130E7u, 0xB00F3DA1A46EEB3Au},  // atan(13/64)
    {-3, 0xDC86BA9493051022u, 0xF621A5C1CB552F02u},  // atan(14/64)
    {-3, 0xEBBEAEF902B9B38Cu, 0x91A2A68B2FBD78E7u},  // atan(15/64)
    {-3, 0xFADBAFC96406EB15u, 0x6DC79EF5F7A217E5u},  // atan(16/64)
    {-2, 0x84EE2CBEC31B12C5u, 0xC8E721970CABD3A2u},  // atan(17/64)
    {-2, 0x8C5FAD185F8BC130u, 0xCA4748B1BF88298Du},  // atan(18/64)
    {-2, 0x93C1B902BF7A2DF1u, 0x064592406FE1447Au},  // atan(19/64)
    {-2, 0x9B13B9B83F5E5E69u, 0xC5ABB498D27AF328u},  // atan(20/64)
    {-2, 0xA25521B615784D45u, 0x4378754988B8D9E3u},  // atan(21/64)
    {-2, 0xA9856CCA8E6A4EDAu, 0x99B7F77BF7D9E8C1u},  // atan(22/64)
    {-2, 0xB0A420184E7F0CB1u, 0xB51D51DC200A0FC2u},  // atan(23/64)
    {-2, 0xB7B0CA0F26F78473u, 0x8AA32122DCFE4483u},  // atan(24/64)
    {-2, 0xBEAB025B1D9FBAD3u, 0x910B856493411026u},  // atan(25/64)
    {-2, 0xC59269CA50D92B6Du, 0xA1746E91F50A28DDu},  // atan(26/64)
    {-2, 0xCC66AA2A6B58C33Cu, 0xD9311FA14ED9B7C3u},  // atan(27/64)
    {-2, 0xD327761E611FE5B6u, 0x427C95E9001E7136u},  // atan(28/64)
    {-2, 0xD9D488ED32E3635Cu, 0x30F6394A0806345Du},  // atan(29/64)
    {-2, 0xE06DA64A764F7C67u, 0xC631ED96798CB803u},  // atan(30/64)
    {-2, 0xE6F29A19609A84BAu, 0x60B77CE1CA6DC2C8u},  // atan(31/64)
    {-2, 0xED63382B0DDA7B45u, 0x6FE445ECBC3A8D03u},  // atan(32/64)
    {-2, 0xF3BF5BF8BAD1A21Cu, 0xA7B837E686ADF3FAu},  // atan(33/64)
    {-2, 0xFA06E85AA0A0BE5Cu, 0x66D23C7D5DC8ECC2u},  // atan(34/64)
    {-1, 0x801CE39E0D205C99u, 0xA6D6C6C54D938596u},  // atan(35/64)
    {-1, 0x832BF4A6D9867E2Au, 0x4B6A09CB61A515C0u},  // atan(36/64)
    {-1, 0x8630A2DADA1ED065u, 0xD3E84ED5013CA37Du},  // atan(37/64)
    {-1, 0x892AECDFDE9547B5u, 0x094478FC472B4AFBu},  // atan(38/64)
    {-1, 0x8C1AD445F3E09B8Cu, 0x439D801860205920u},  // atan(39/64)
    {-1, 0x8F005D5EF7F59F9Bu, 0x5C835E1665C43747u},  // atan(40/64)
    {-1, 0x91DB8F1664F350E2u, 0x10E4F9C1126E021Fu},  // atan(41/64)
    {-1, 0x94AC72C9847186F6u, 0x18C4F393F78A32F8u},  // atan(42/64)
    {-1, 0x97731420365E538Bu, 0xABD3FE19F1AEB6B2u},  // atan(43/64)
    {-1, 0x9A2F80E671BDDA20u, 0x4226F8E2204FF3BCu},  // atan(44/64)
    {-1, 0x9CE1C8E6A0B8CDB9u, 0xF799C4E8174CF11Cu},  // atan(45/64)
    {-1, 0x9F89FDC4F4B7A1ECu, 0xF8B492644F0701DFu},  // atan(46/64)
    {-1, 0xA22832DBCADAAE08u, 0x92FE9C08637AF0E5u},  // atan(47/64)
    {-1, 0xA4BC7D1934F70924u, 0x19A87F2A457DAC9Eu},  // atan(48/64)
    {-1, 0xA746F2DDB7602294u, 0x67B7D66F2D74E019u},  // atan(49/64)
    {-1, 0xA9C7ABDC4830F5C8u, 0x916A84B5BE7933F5u},  // atan(50/64)
    {-1, 0xAC3EC0FB997DD6A1u, 0xA36273A56AFA8EF4u},  // atan(51/64)
    {-1, 0xAEAC4C38B4D8C080u, 0x14725E2F3E52070Au},  // atan(52/64)
    {-1, 0xB110688AEBDC6F6Au, 0x43D65788B9F6A7B5u},  // atan(53/64)
    {-1, 0xB36B31C91F043691u, 0x590141744462F939u},  // atan(54/64)
    {-1, 0xB5BCC49059ECC4AFu, 0xF8F3CEE75E3907D5u},  // atan(55/64)
    {-1, 0xB8053E2BC2319E73u, 0xCB2DA55210A4443Du},  // atan(56/64)
    {-1, 0xBA44BC7DD470782Fu, 0x654C2CB10942E386u},  // atan(57/64)
    {-1, 0xBC7B5DEAE98AF280u, 0xD4113006E80FB290u},  // atan(58/64)
    {-1, 0xBEA94144FD049AACu, 0x1043C5E755282E7Du},  // atan(59/64)
    {-1, 0xC0CE85B8AC526640u, 0x89DD62C46E92FA24u},  // atan(60/64)
    {-1, 0xC2EB4ABB661628B5u, 0xB373FE45C61BB9FAu},  // atan(61/64)
    {-1, 0xC4FFAFFABF8FBD54u, 0x8CB43D10BC9E0221u},  // atan(62/64)
    {-1, 0xC70BD54CE602EE13u, 0xE7D54FBD09F2BE38u},  // atan(63/64)
    {-1, 0xC90FDAA22168C234u, 0xC4C6628B80DC1CD1u},  // atan(64/64)
};

}  // namespace lantern::fpu::detail
