#include "devices/pci/i440fx.h"

#include <cstdio>

namespace lantern {

namespace {
PciIdentity host_bridge_identity() {
    PciIdentity id;
    id.vendor_id = 0x8086;
    id.device_id = 0x1237;
    id.revision = 0x02;
    id.class_code = 0x060000;  // bridge device, host bridge
    id.header_type = 0x00;
    return id;
}
}  // namespace

I440fxHostBridge::Segment I440fxHostBridge::pam_segment(unsigned index) {
    if (index == 0) return {0xF0000, 0x10000};
    if (index >= kPamSegments) return {};
    return {0xC0000 + 0x4000 * (index - 1), 0x4000};
}

I440fxHostBridge::I440fxHostBridge(PamRouting* routing) : PciFunction(host_bridge_identity()), routing_(routing) {
    // Register defaults and writable bits from the 82441FX datasheet's register descriptions.
    set_default(pci_reg::kCommand, 0x0006, 2);  // memory access and bus master always on
    set_writable(pci_reg::kCommand, 0x0102, 2); // MAE and SERR# enable are the writable bits
    set_default(pci_reg::kStatus, 0x0280, 2);   // fast back-to-back capable, DEVSEL# medium
    set_writable(pci_reg::kLatencyTimer, 0xF8, 1);
    set_writable(0x50, 0xC3F4, 2);  // PMCCFG
    set_writable(0x52, 0xFF, 1);    // DETURBO / cache control
    set_writable(0x54, 0x82, 1);
    set_writable(0x55, 0xFFFF, 2);  // DRAMR
    set_writable(0x57, 0x77, 1);    // DRAMC
    set_writable(0x58, 0x7F, 1);    // DRAMT
    set_writable(kPam0, 0x70, 1);   // PAM0: only the F0000 nibble (RE, WE, CE)
    for (std::uint8_t r = kPam0 + 1; r <= 0x5F; ++r) set_writable(r, 0x77, 1);
    for (std::uint8_t r = 0x60; r <= 0x67; ++r) set_writable(r, 0xFF, 1);  // DRB0-7
    set_writable(0x68, 0xC0, 1);    // FDHC
    set_writable(0x70, 0xF8, 1);    // MTT
    set_writable(0x71, 0x1F, 1);    // CLT
    set_default(kSmram, 0x02, 1);   // C_BASE_SEG = 010b: SMRAM at A0000h; written by write_smram
    set_writable(0x90, 0x1B, 1);    // ERRCMD
    set_write_clear(0x91, 0x11, 1); // ERRSTS
}

unsigned I440fxHostBridge::pam_bits(unsigned segment) const {
    if (segment == 0) return (config8(kPam0) >> 4) & 3;
    if (segment >= kPamSegments) return 0;
    const unsigned i = segment - 1;
    return (config8(static_cast<std::uint8_t>(kPam0 + 1 + i / 2)) >> ((i & 1) * 4)) & 3;
}

void I440fxHostBridge::push_pam(bool force) {
    for (unsigned s = 0; s < kPamSegments; ++s) {
        const auto bits = static_cast<std::uint8_t>(pam_bits(s));
        if (!force && bits == pam_told_[s]) continue;
        pam_told_[s] = bits;
        if (routing_) {
            const Segment seg = pam_segment(s);
            routing_->set_pam(seg.base, seg.size, (bits & 1) != 0, (bits & 2) != 0);
        }
    }
}

void I440fxHostBridge::set_pam_routing(PamRouting* routing) {
    routing_ = routing;
    push_pam(true);
}

void I440fxHostBridge::write_smram(std::uint8_t value) {
    std::uint8_t cur = config8(kSmram);
    if (smram_locked_) {
        cur = static_cast<std::uint8_t>((cur & ~0x20) | (value & 0x20));  // only D_CLS
    } else {
        cur = static_cast<std::uint8_t>((cur & 0x87) | (value & 0x78));
        if (value & 0x10) {
            smram_locked_ = true;
            cur &= static_cast<std::uint8_t>(~0x40);  // D_LCK forces D_OPEN off
        }
    }
    store8(kSmram, cur);
}

void I440fxHostBridge::config_written(std::uint8_t reg, unsigned size, std::uint32_t value) {
    if (covers(reg, size, kSmram)) write_smram(static_cast<std::uint8_t>(value >> (8 * (kSmram - reg))));
    if (reg <= 0x5F && reg + size > kPam0) push_pam(false);
}

void I440fxHostBridge::reset() {
    PciFunction::reset();
    smram_locked_ = false;
    push_pam(true);
}

void I440fxHostBridge::inspect_state(StateVisitor& v) {
    v.visit("smram_locked", smram_locked_, "SMRAM D_LCK has been set since reset");
    if (v.loading()) return;
    for (unsigned s = 0; s < kPamSegments; ++s) {
        const Segment seg = pam_segment(s);
        char name[24];
        std::snprintf(name, sizeof name, "pam_%05X", seg.base);
        std::uint64_t bits = pam_bits(s);
        v.field(name, bits, 2, "bit 0 reads from DRAM, bit 1 writes to DRAM");
    }
}

void I440fxHostBridge::after_load() {
    PciFunction::after_load();
    push_pam(true);
}

}  // namespace lantern
