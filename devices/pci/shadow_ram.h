// ShadowRam: a ready-made PamRouting for boards that put the i440FX in front of a MemoryMap.
//
// The thirteen PAM segments of C0000-FFFFF each decode one of four ways (82441FX datasheet, PAM
// registers); ShadowRam maps each segment accordingly:
//   RE=0 WE=0  the ISA/PCI view: the ROM image (option ROMs, the BIOS), writes ignored
//   RE=1 WE=0  the DRAM copy, read-only (mapped as ROM over the DRAM bytes)
//   RE=0 WE=1  reads from the ROM image, writes into DRAM: a split MMIO region - what lets the
//              BIOS copy itself with a plain REP MOVSB over its own addresses
//   RE=1 WE=1  plain DRAM
// `dram` is the 256 KiB of DRAM behind C0000-FFFFF; `isa_view` is the 256 KiB the ISA/PCI side
// shows there (the board assembles it: the VGA BIOS at C0000, the system BIOS at the top, FFh in
// the holes). Nothing else may be mapped in C0000-FFFFF. Both spans must outlive the ShadowRam.
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "devices/io_device.h"
#include "devices/memory_map.h"
#include "devices/pci/i440fx.h"

namespace lantern {

class ShadowRam final : public PamRouting {
public:
    static constexpr std::uint32_t kBase = 0xC0000;
    static constexpr std::uint32_t kSize = 0x40000;

    // Throws std::invalid_argument unless both spans are kSize bytes. Maps every segment as the
    // PAM reset state (RE=0 WE=0) until the bridge says otherwise.
    ShadowRam(MemoryMap& memory, std::span<std::uint8_t> dram, std::span<const std::uint8_t> isa_view);
    ~ShadowRam() override;
    ShadowRam(const ShadowRam&) = delete;
    ShadowRam& operator=(const ShadowRam&) = delete;

    void set_pam(std::uint32_t base, std::uint32_t size, bool read_dram, bool write_dram) override;

private:
    // Reads come from the ISA view, writes go to DRAM (RE=0 WE=1).
    class WriteThrough final : public IoDevice {
    public:
        std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
        void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
        std::uint32_t peek(std::uint32_t offset, unsigned size) const override;
        std::string_view inspect_name() const override { return "pam_write_only"; }
        void inspect(StateVisitor& v) override { (void)v; }

        std::span<std::uint8_t> dram{};
        std::span<const std::uint8_t> rom{};
    };
    struct Segment {
        std::uint32_t base = 0;
        std::uint32_t size = 0;
        int state = -1;  // RE | WE << 1 as mapped, -1: not mapped
        WriteThrough device{};
    };

    Segment* find(std::uint32_t base, std::uint32_t size);

    MemoryMap& memory_;
    std::span<std::uint8_t> dram_;
    std::span<const std::uint8_t> isa_view_;
    std::array<Segment, I440fxHostBridge::kPamSegments> segments_{};
};

}  // namespace lantern
