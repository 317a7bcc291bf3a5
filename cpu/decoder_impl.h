// Template body of decode(); included by decoder.h only.
#pragma once

namespace lantern {

template <class Fetch>
Insn decode(const OpcodeMap& map, Fetch&& fetch, unsigned max_length, bool code32) {
    Insn in;
    in.opsize = code32 ? 4 : 2;
    in.addrsize = code32 ? 4 : 2;
    unsigned n = 0;
    auto next = [&]() -> std::uint8_t {
        std::uint8_t b = fetch(n);
        ++n;
        if (n > max_length) in.too_long = true;
        return b;
    };

    // Prefixes (SDM Vol. 2, 2.1.1). On the 8086 each is a one-byte "instruction" the BIU
    // remembers; decoding them with the instruction is equivalent for everything but interrupts.
    std::uint8_t b = 0;
    const OpcodeInfo* row = nullptr;
    for (;;) {
        b = next();
        row = map.lookup(OpMap::Primary, b, 0);
        if (!row->has(attr::Prefix) || in.too_long) break;
        ++in.prefix_count;
        switch (b) {
            case 0x26: in.seg_override = 0; break;
            case 0x2E: in.seg_override = 1; break;
            case 0x36: in.seg_override = 2; break;
            case 0x3E: in.seg_override = 3; break;
            case 0x64: in.seg_override = 4; break;
            case 0x65: in.seg_override = 5; break;
            case 0x66: in.opsize = code32 ? 2 : 4; break;   // operand-size override (386+)
            case 0x67: in.addrsize = code32 ? 2 : 4; break; // address-size override (386+)
            case 0xF0: case 0xF1: in.lock = true; break;
            case 0xF2: in.rep = RepPrefix::RepNE; break;
            case 0xF3: in.rep = RepPrefix::RepE; break;
            default: break;
        }
    }

    OpMap opmap = OpMap::Primary;
    in.opcode = b;
    if (row->has(attr::Escape)) {
        opmap = OpMap::Map0F;
        in.opcode = next();
        row = map.lookup(opmap, in.opcode, 0);
    }

    if (row->has(attr::ModRM) || map.is_group(opmap, in.opcode)) {
        in.has_modrm = true;
        in.modrm = next();
        in.mod = in.modrm >> 6;
        in.reg = (in.modrm >> 3) & 7;
        in.rm = in.modrm & 7;
        row = map.lookup(opmap, in.opcode, in.reg);
        // x87 register forms (mod = 11) have their own map, indexed by escape byte and reg with
        // r/m picking the row (SDM Vol. 2, A.4.2); Insn::opcode stays the D8-DF byte.
        if (row->has(attr::Fpu) && in.mod == 3 && opmap == OpMap::Primary)
            row = map.lookup(OpMap::X87Reg, x87_reg_index(in.opcode, in.reg), in.rm);
        // MOV to/from CRn/DRn ignore the mod field: the r/m field always names a register.
        if (row->has(attr::ForceReg)) in.mod = 3;
        if (in.mod != 3) {
            in.is_mem = true;
            if (in.addrsize == 2) {
                // 16-bit addressing (SDM Vol. 2, Table 2-1).
                if (in.mod == 0 && in.rm == 6) {
                    in.disp = next();
                    in.disp |= next() << 8;
                } else if (in.mod == 1) {
                    in.disp = static_cast<std::uint32_t>(static_cast<std::int8_t>(next()));
                } else if (in.mod == 2) {
                    in.disp = next();
                    in.disp |= next() << 8;
                }
            } else {
                // 32-bit addressing with the SIB byte (SDM Vol. 2, Tables 2-2 and 2-3).
                bool disp32 = in.mod == 2;
                if (in.rm == 4) {
                    in.has_sib = true;
                    in.sib = next();
                    if (in.mod == 0 && (in.sib & 7) == 5) disp32 = true;
                } else if (in.mod == 0 && in.rm == 5) {
                    disp32 = true;
                }
                if (in.mod == 1) {
                    in.disp = static_cast<std::uint32_t>(static_cast<std::int8_t>(next()));
                } else if (disp32) {
                    in.disp = next();
                    in.disp |= next() << 8;
                    in.disp |= static_cast<std::uint32_t>(next()) << 16;
                    in.disp |= static_cast<std::uint32_t>(next()) << 24;
                }
            }
        }
    }
    in.info = row;
    in.width = static_cast<std::uint8_t>(operand_width(*row, in.opsize));

    // Immediates, in operand order.
    bool first_imm = true;
    for (Operand o : row->operands) {
        std::uint32_t v = 0;
        switch (o) {
            case Operand::Ib:
                v = next();
                break;
            case Operand::Ibs:
            case Operand::Jb:
                v = static_cast<std::uint32_t>(static_cast<std::int8_t>(next()));
                break;
            case Operand::Iw:
                v = next();
                v |= next() << 8;
                break;
            case Operand::Iv:
            case Operand::Jv:
            case Operand::Ob:
            case Operand::Ov: {
                // Immediates follow the operand size, memory offsets the address size.
                const bool wide = (o == Operand::Ob || o == Operand::Ov) ? in.addrsize == 4 : in.opsize == 4;
                v = next();
                v |= next() << 8;
                if (wide) {
                    v |= static_cast<std::uint32_t>(next()) << 16;
                    v |= static_cast<std::uint32_t>(next()) << 24;
                } else if (o == Operand::Jv) {
                    v = static_cast<std::uint32_t>(static_cast<std::int16_t>(v));
                }
                break;
            }
            case Operand::Ap:
                v = next();
                v |= next() << 8;
                if (in.opsize == 4) {
                    v |= static_cast<std::uint32_t>(next()) << 16;
                    v |= static_cast<std::uint32_t>(next()) << 24;
                }
                in.imm = v;
                in.imm2 = next();
                in.imm2 |= next() << 8;
                first_imm = false;
                continue;
            default:
                continue;
        }
        if (first_imm) {
            in.imm = v;
            first_imm = false;
        } else {
            in.imm2 = v;
        }
    }
    in.length = static_cast<std::uint8_t>(n > 255 ? 255 : n);
    return in;
}

}  // namespace lantern
