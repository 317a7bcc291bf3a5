#include "devices/vga/vga_pci.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include "devices/storage/block_device.h"

namespace lantern {

namespace {
PciIdentity vga_identity() {
    PciIdentity id;
    id.vendor_id = VgaPci::kVendorId;
    id.device_id = VgaPci::kDeviceId;
    id.revision = 0x00;
    id.class_code = 0x030000;  // display controller, VGA-compatible (PCI 2.1, Appendix D)
    id.header_type = 0x00;
    id.interrupt_pin = 0;      // the VGA raises no interrupt
    return id;
}

// The smallest power of two >= n, at least 2 KiB (the expansion ROM register's granularity).
std::uint32_t rom_window_size(std::size_t n) {
    std::uint32_t size = 0x800;
    while (size < n) size <<= 1;
    return size;
}
}  // namespace

std::uint32_t RomWindow::peek(std::uint32_t offset, unsigned size) const {
    std::uint32_t v = 0;
    for (unsigned i = 0; i < size && i < 4; ++i) {
        const std::uint64_t a = std::uint64_t{offset} + i;
        v |= std::uint32_t(a < bytes_.size() ? bytes_[a] : 0xFF) << (8 * i);
    }
    return v;
}

void RomWindow::inspect(StateVisitor& v) {
    StateGroup g(v, "expansion_rom");
    std::uint64_t size = bytes_.size();
    if (!v.loading()) v.field("bytes", size, 32, "size of the ROM image");
}

VgaPci::VgaPci(Vga& vga, std::vector<std::uint8_t> rom)
    : PciFunction(vga_identity()), vga_(vga), rom_(std::move(rom)) {
    if (rom_.bytes().size() > kMaxRomBytes)
        throw std::invalid_argument("the VGA BIOS image is " + std::to_string(rom_.bytes().size()) +
                                    " bytes; at most " + std::to_string(kMaxRomBytes / 1024) + " KiB fits");
    set_default(pci_reg::kStatus, 0x0000, 2);
    // I/O and memory space enable, bus master (unused: the VGA never masters), VGA palette snoop.
    set_writable(pci_reg::kCommand, 0x0027, 2);
    define_bar(0, PciSpace::Memory, kVgaVramBytes, vga_.lfb(), "vga_lfb", /*prefetchable=*/true);
    has_rom_ = !rom_.bytes().empty();
    if (has_rom_) define_expansion_rom(rom_window_size(rom_.bytes().size()), rom_, "vga_rom");
}

void VgaPci::update_windows() {
    PciFunction::update_windows();
    // The VBE mode information reports the LFB address: follow BAR 0 wherever it is programmed.
    const std::uint32_t base = config32(pci_reg::kBar0) & 0xFFFFFFF0u;
    if (base != 0) vga_.set_lfb_base(base);
}

std::vector<std::uint8_t> load_vga_bios(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DiskImageError("cannot open the VGA BIOS " + path);
    std::vector<std::uint8_t> bytes;
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        bytes.insert(bytes.end(), buf, buf + in.gcount());
        if (bytes.size() > VgaPci::kMaxRomBytes)
            throw DiskImageError("the VGA BIOS " + path + " is larger than " +
                                     std::to_string(VgaPci::kMaxRomBytes / 1024) + " KiB");
    }
    if (bytes.empty()) throw DiskImageError("the VGA BIOS " + path + " is empty");
    // Every option ROM starts 55h AAh (PCI Firmware Specification 3.0, 5.1.1).
    if (bytes.size() < 3 || bytes[0] != 0x55 || bytes[1] != 0xAA)
        throw DiskImageError("the VGA BIOS " + path + " is not an option ROM (no 55h AAh signature)");
    return bytes;
}

bool is_seabios_image(std::span<const std::uint8_t> bios) {
    static constexpr std::string_view kBanner = "SeaBIOS (version ";
    return std::search(bios.begin(), bios.end(), kBanner.begin(), kBanner.end()) != bios.end();
}

}  // namespace lantern
