// Serialisers for the x87 environment, FSAVE and FXSAVE images (see fpu_image.h).
#include "cpu/fpu/fpu_image.h"

namespace lantern::fpu {

namespace {

void put16(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v);
    p[1] = static_cast<std::uint8_t>(v >> 8);
}
void put32(std::uint8_t* p, std::uint32_t v) {
    put16(p, v);
    put16(p + 2, v >> 16);
}
std::uint16_t get16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t get32(const std::uint8_t* p) { return get16(p) | (std::uint32_t{get16(p + 2)} << 16); }

// Real-mode pointers are linear addresses: selector * 16 + offset.
std::uint32_t linear(const FpuPointer& p) { return (std::uint32_t{p.selector} << 4) + p.offset; }

// Tags for FLDENV/FRSTOR/FXRSTOR: only "empty or not" is taken from the image.
void restore_tags(FpuState& s, std::uint16_t image_tags) {
    for (unsigned r = 0; r < 8; ++r) {
        const bool empty = ((image_tags >> (2 * r)) & 3u) == 3u;
        s.set_tag(r, empty ? Tag::Empty : FpuState::tag_for(s.regs[r]));
    }
}

void load_status(FpuState& s, std::uint16_t status) {
    s.status = status;
    s.update_summary();  // a pending unmasked exception re-arms ES/B
}

// Environment writer shared by both widths; `wide` selects the 28-byte layout.
void write_env(const FpuState& s, EnvMode mode, bool wide, std::uint8_t* p) {
    const std::uint16_t fop = s.last_opcode & 0x7FFu;
    if (!wide) {
        put16(p + 0, s.stored_control());
        put16(p + 2, s.status);
        put16(p + 4, stored_tag_word(s));
        if (mode == EnvMode::Protected) {
            put16(p + 6, s.last_instruction.offset);
            put16(p + 8, s.last_instruction.selector);
            put16(p + 10, s.last_operand.offset);
            put16(p + 12, s.last_operand.selector);
        } else {
            const std::uint32_t ip = linear(s.last_instruction), dp = linear(s.last_operand);
            put16(p + 6, ip);
            put16(p + 8, ((ip >> 16) & 0xFu) << 12 | fop);
            put16(p + 10, dp);
            put16(p + 12, ((dp >> 16) & 0xFu) << 12);
        }
        return;
    }
    // Unused upper halves read back as FFFF on real chips (measured with FNSTENV).
    put32(p + 0, 0xFFFF0000u | s.stored_control());
    put32(p + 4, 0xFFFF0000u | s.status);
    put32(p + 8, 0xFFFF0000u | stored_tag_word(s));
    if (mode == EnvMode::Protected) {
        put32(p + 12, s.last_instruction.offset);
        put32(p + 16, s.last_instruction.selector | (std::uint32_t{fop} << 16));
        put32(p + 20, s.last_operand.offset);
        put32(p + 24, 0xFFFF0000u | s.last_operand.selector);
    } else {
        const std::uint32_t ip = linear(s.last_instruction), dp = linear(s.last_operand);
        put32(p + 12, 0xFFFF0000u | (ip & 0xFFFFu));
        put32(p + 16, ((ip >> 16) << 12) | fop);
        put32(p + 20, 0xFFFF0000u | (dp & 0xFFFFu));
        put32(p + 24, (dp >> 16) << 12);
    }
}

void read_env(FpuState& s, EnvMode mode, bool wide, const std::uint8_t* p) {
    if (!wide) {
        s.control = static_cast<std::uint16_t>((get16(p) & cw::kWritableMask) | cw::kAlwaysOne);
        load_status(s, get16(p + 2));
        restore_tags(s, get16(p + 4));
        if (mode == EnvMode::Protected) {
            s.last_instruction = {get16(p + 8), get16(p + 6)};
            s.last_operand = {get16(p + 12), get16(p + 10)};
        } else {
            const std::uint16_t w = get16(p + 8);
            s.last_opcode = w & 0x7FFu;
            s.last_instruction = {0, get16(p + 6) | (static_cast<std::uint32_t>(w >> 12) << 16)};
            s.last_operand = {0, get16(p + 10) | (static_cast<std::uint32_t>(get16(p + 12) >> 12) << 16)};
        }
        return;
    }
    s.control = static_cast<std::uint16_t>((get16(p) & cw::kWritableMask) | cw::kAlwaysOne);
    load_status(s, get16(p + 4));
    restore_tags(s, get16(p + 8));
    if (mode == EnvMode::Protected) {
        s.last_instruction = {get16(p + 16), get32(p + 12)};
        s.last_opcode = static_cast<std::uint16_t>((get32(p + 16) >> 16) & 0x7FFu);
        s.last_operand = {get16(p + 24), get32(p + 20)};
    } else {
        const std::uint32_t w = get32(p + 16);
        s.last_opcode = static_cast<std::uint16_t>(w & 0x7FFu);
        s.last_instruction = {0, get16(p + 12) | (((w >> 12) & 0xFFFFu) << 16)};
        s.last_operand = {0, get16(p + 20) | (((get32(p + 24) >> 12) & 0xFFFFu) << 16)};
    }
}

void write_registers(const FpuState& s, std::uint8_t* p, unsigned stride) {
    for (unsigned i = 0; i < 8; ++i) {
        const auto bytes = s.st(i).to_bytes();
        for (unsigned b = 0; b < 10; ++b) p[i * stride + b] = bytes[b];
    }
}

void read_registers(FpuState& s, const std::uint8_t* p, unsigned stride) {
    for (unsigned i = 0; i < 8; ++i) s.regs[s.physical(i)] = Float80::from_bytes(p + i * stride);
}

}  // namespace

std::uint16_t stored_tag_word(const FpuState& s) {
    std::uint16_t t = 0;
    for (unsigned r = 0; r < 8; ++r) {
        const Tag tag = s.tag(r) == Tag::Empty ? Tag::Empty : FpuState::tag_for(s.regs[r]);
        t = static_cast<std::uint16_t>(t | (static_cast<unsigned>(tag) << (2 * r)));
    }
    return t;
}

Env16 fstenv16(FpuState& s, EnvMode mode) {
    Env16 e{};
    write_env(s, mode, false, e.data());
    s.control |= exc::kAll;
    return e;
}

Env32 fstenv32(FpuState& s, EnvMode mode) {
    Env32 e{};
    write_env(s, mode, true, e.data());
    s.control |= exc::kAll;
    return e;
}

void fldenv16(FpuState& s, const Env16& image, EnvMode mode) { read_env(s, mode, false, image.data()); }
void fldenv32(FpuState& s, const Env32& image, EnvMode mode) { read_env(s, mode, true, image.data()); }

SaveImage16 fsave16(FpuState& s, EnvMode mode) {
    SaveImage16 img{};
    write_env(s, mode, false, img.data());
    write_registers(s, img.data() + 14, 10);
    s.finit();
    return img;
}

SaveImage32 fsave32(FpuState& s, EnvMode mode) {
    SaveImage32 img{};
    write_env(s, mode, true, img.data());
    write_registers(s, img.data() + 28, 10);
    s.finit();
    return img;
}

// FRSTOR loads the registers before the tags are recomputed from them, and TOP (from the
// status word) before the ST-ordered registers are placed.
void frstor16(FpuState& s, const SaveImage16& image, EnvMode mode) {
    s.status = get16(image.data() + 2);
    read_registers(s, image.data() + 14, 10);
    read_env(s, mode, false, image.data());
}

void frstor32(FpuState& s, const SaveImage32& image, EnvMode mode) {
    s.status = get16(image.data() + 4);
    read_registers(s, image.data() + 28, 10);
    read_env(s, mode, true, image.data());
}

void fxsave(const FpuState& s, std::span<std::uint8_t, 512> image) {
    std::uint8_t* p = image.data();
    put16(p + 0, s.stored_control());
    put16(p + 2, s.status);
    std::uint8_t abridged = 0;  // 1 bit per physical register: 1 = not empty
    for (unsigned r = 0; r < 8; ++r)
        if (s.tag(r) != Tag::Empty) abridged = static_cast<std::uint8_t>(abridged | (1u << r));
    p[4] = abridged;
    p[5] = 0;
    put16(p + 6, s.last_opcode & 0x7FFu);
    put32(p + 8, s.last_instruction.offset);
    put16(p + 12, s.last_instruction.selector);
    put16(p + 14, 0);
    put32(p + 16, s.last_operand.offset);
    put16(p + 20, s.last_operand.selector);
    put16(p + 22, 0);
    for (unsigned i = 0; i < 8; ++i)
        for (unsigned b = 10; b < 16; ++b) p[32 + 16 * i + b] = 0;
    write_registers(s, p + 32, 16);
}

void fxrstor(FpuState& s, std::span<const std::uint8_t, 512> image) {
    const std::uint8_t* p = image.data();
    s.control = static_cast<std::uint16_t>((get16(p) & cw::kWritableMask) | cw::kAlwaysOne);
    s.status = get16(p + 2);
    s.last_opcode = get16(p + 6) & 0x7FFu;
    s.last_instruction = {get16(p + 12), get32(p + 8)};
    s.last_operand = {get16(p + 20), get32(p + 16)};
    read_registers(s, p + 32, 16);
    std::uint16_t tags = 0;
    for (unsigned r = 0; r < 8; ++r)
        if (!((p[4] >> r) & 1u)) tags = static_cast<std::uint16_t>(tags | (3u << (2 * r)));
    restore_tags(s, tags);
    s.update_summary();
}

}  // namespace lantern::fpu
