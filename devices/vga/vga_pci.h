// VgaPci: the VGA as a PCI function - the identity the Bochs/QEMU "standard VGA" presents (vendor
// 1234h, device 1111h, class 030000h: display controller, VGA-compatible), which is what the
// SeaBIOS VGA BIOS built for it (vgabios-stdvga.bin) looks for, and what Lantern's own BIOS
// looks for to find the linear framebuffer.
//
//   BAR 0 (10h)  the linear framebuffer: prefetchable 32-bit memory, the 16 MiB of video memory
//                (PCI 2.1, 6.2.5.1). Wherever the firmware places it, the Vga's lfb() answers there
//                and Vga::set_lfb_base records the address for the VBE mode information.
//   ROM (30h)    the expansion ROM (PCI 2.1, 6.2.5.2; PCI Firmware Specification 3.0, 5.1 "PCI
//                Expansion ROM Header"): the VGA BIOS image, when the board is given one. A BIOS
//                that runs option ROMs enables it, copies it to C0000h and calls its entry point.
//                Without an image the register is read-only zero: "no expansion ROM".
//
// The legacy VGA resources (3B0-3DF, A0000-BFFFF) and the DISPI ports (1CE/1CF) decode whatever
// the Command register says, as on the Bochs/QEMU adapter: the board maps them once (Vga::map).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "devices/io_device.h"
#include "devices/pci/pci_function.h"
#include "devices/vga/vga.h"

namespace lantern {

// A ROM image behind a memory window: reads return the bytes, beyond the image 0xFF (an erased
// part); writes are ignored (PCI 2.1, 6.2.5.2: the ROM is read-only through its base register).
class RomWindow final : public IoDevice {
public:
    explicit RomWindow(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
    std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
    void write(std::uint32_t, std::uint32_t, unsigned) override {}
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;
    std::span<const std::uint8_t> bytes() const { return bytes_; }
    std::string_view inspect_name() const override { return "expansion_rom"; }
    void inspect(StateVisitor& v) override;

private:
    std::vector<std::uint8_t> bytes_;
};

class VgaPci final : public PciFunction {
public:
    static constexpr std::uint16_t kVendorId = 0x1234;
    static constexpr std::uint16_t kDeviceId = 0x1111;
    // The largest VGA BIOS image accepted (the PCI Firmware Specification allows up to 16 MiB of
    // ROM; a VGA BIOS is shadowed into C0000-C7FFF/CFFFF, so 128 KiB is already generous).
    static constexpr std::size_t kMaxRomBytes = 128 * 1024;

    // `rom`: the VGA BIOS image for the expansion ROM (empty: none). Throws std::invalid_argument
    // with a sentence for the user if it is larger than kMaxRomBytes.
    VgaPci(Vga& vga, std::vector<std::uint8_t> rom);

    bool has_rom() const { return has_rom_; }
    std::string_view inspect_name() const override { return "vga_pci"; }

protected:
    void update_windows() override;

private:
    Vga& vga_;
    RomWindow rom_;
    bool has_rom_ = false;
};

// Reads a VGA BIOS image for VgaPci (throws DiskImageError, a user's bad file, naming the file and the problem:
// missing, unreadable, empty, larger than kMaxRomBytes, or not an option ROM - no 55h AAh).
std::vector<std::uint8_t> load_vga_bios(const std::string& path);

// Debian's SeaBIOS VGA BIOS for this adapter (package seabios), what a SeaBIOS run uses when no
// --vgabios is given.
inline constexpr const char* kSeabiosStdVgaBios = "/usr/share/seabios/vgabios-stdvga.bin";

// True when a system BIOS image is SeaBIOS (its banner string is in the image): such a BIOS needs
// the VGA BIOS from the adapter's expansion ROM, while Lantern's BIOS carries its own video BIOS.
bool is_seabios_image(std::span<const std::uint8_t> bios);

}  // namespace lantern
