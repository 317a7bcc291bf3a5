// I440fxHostBridge: the 82441FX PCI and Memory Controller (PMC) of the Intel 440FX PCIset, seen
// as PCI function 00:00.0 (vendor 8086h, device 1237h; 82441FX datasheet, section 3.2).
//
// Besides the identity registers it holds the Programmable Attribute Map (PAM0-PAM6, 59h-5Fh):
// thirteen segments of the C0000-FFFFF area, each with a Read Enable and a Write Enable bit.
//   RE=0 WE=0  reads and writes go to PCI/ISA (the BIOS ROM, option ROMs)
//   RE=1 WE=0  reads from DRAM, writes to PCI (write-protected shadow)
//   RE=0 WE=1  reads from the ROM, writes to DRAM (how a BIOS copies itself into shadow RAM)
//   RE=1 WE=1  plain DRAM
// PAM0 bits 6:4 cover F0000-FFFFF; PAM1-PAM6 each cover two 16 KiB segments, C0000-EFFFF (low
// nibble the lower segment). The memory decoding itself belongs to the board: the bridge tells a
// PamRouting what each segment should do whenever it changes (and all of them after a reset).
//
// SMRAM (72h) is register state only (Lantern has no SMM): bits 2:0 fixed 010b (A0000h), bits 6:3
// D_OPEN, D_CLS, D_LCK, G_SMRAME; once D_LCK is set only D_CLS stays writable and D_OPEN clears,
// until the next reset.
#pragma once

#include <array>
#include <cstdint>

#include "devices/pci/pci_function.h"

namespace lantern {

class PamRouting {
public:
    virtual ~PamRouting() = default;
    // Segment [base, base + size): reads go to DRAM when `read_dram` (else to PCI/ISA), writes go to
    // DRAM when `write_dram` (else to PCI/ISA, where a ROM ignores them).
    virtual void set_pam(std::uint32_t base, std::uint32_t size, bool read_dram, bool write_dram) = 0;
};

class I440fxHostBridge final : public PciFunction {
public:
    static constexpr unsigned kPamSegments = 13;
    static constexpr std::uint8_t kPam0 = 0x59;
    static constexpr std::uint8_t kSmram = 0x72;

    struct Segment {
        std::uint32_t base = 0;
        std::uint32_t size = 0;
    };
    // Segment 0 is F0000-FFFFF; segments 1-12 are the 16 KiB pieces of C0000-EFFFF.
    static Segment pam_segment(unsigned index);

    explicit I440fxHostBridge(PamRouting* routing = nullptr);

    // Connects the board's memory routing and tells it the state of every segment.
    void set_pam_routing(PamRouting* routing);
    bool pam_read_dram(unsigned segment) const { return (pam_bits(segment) & 1) != 0; }
    bool pam_write_dram(unsigned segment) const { return (pam_bits(segment) & 2) != 0; }
    std::uint8_t smram() const { return config8(kSmram); }
    bool smram_locked() const { return smram_locked_; }

    void reset() override;

    std::string_view inspect_name() const override { return "i440fx"; }

protected:
    void config_written(std::uint8_t reg, unsigned size, std::uint32_t value) override;
    void inspect_state(StateVisitor& v) override;
    void after_load() override;

private:
    unsigned pam_bits(unsigned segment) const;
    // Tells the routing about segments whose attributes changed (all of them when `force`).
    void push_pam(bool force);
    void write_smram(std::uint8_t value);

    PamRouting* routing_ = nullptr;
    std::array<std::uint8_t, kPamSegments> pam_told_{};  // what the routing was last told (RE|WE<<1)
    bool smram_locked_ = false;
};

}  // namespace lantern
