// PciFunction: one PCI function's 256-byte configuration space (PCI Local Bus Specification 2.1,
// chapter 6, "Configuration Space"), the base class of every PCI chip function in Lantern.
//
// The space is an array of bytes with two masks per byte: which bits software may write, and
// which bits are "write 1 to clear" status bits (the Status register, section 6.2.3). A write
// merges through the masks, so read-only identity fields, hard-wired BAR type bits and reserved
// bits keep their values without per-register code. A subclass declares its registers in its
// constructor (defaults and masks) and reacts to writes in `config_written`.
//
// Base address registers (section 6.2.5.1): a BAR's low address bits are read-only zero, so
// writing all ones and reading back gives the size ("size probing"). A function's I/O and memory
// windows - BARs plus chip-specific ones such as the PIIX4 PM base - are remapped in the PortMap /
// MemoryMap whenever their base or the Command register's I/O / memory enable changes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/state_visitor.h"
#include "devices/io_device.h"

namespace lantern {

class PciBus;

// Standard header offsets (PCI 2.1, Figure 6-1, type 00h header).
namespace pci_reg {
inline constexpr std::uint8_t kVendorId = 0x00;
inline constexpr std::uint8_t kDeviceId = 0x02;
inline constexpr std::uint8_t kCommand = 0x04;
inline constexpr std::uint8_t kStatus = 0x06;
inline constexpr std::uint8_t kRevision = 0x08;
inline constexpr std::uint8_t kProgIf = 0x09;
inline constexpr std::uint8_t kCacheLineSize = 0x0C;
inline constexpr std::uint8_t kLatencyTimer = 0x0D;
inline constexpr std::uint8_t kHeaderType = 0x0E;
inline constexpr std::uint8_t kBar0 = 0x10;
inline constexpr std::uint8_t kSubsystemVendorId = 0x2C;
inline constexpr std::uint8_t kSubsystemId = 0x2E;
inline constexpr std::uint8_t kExpansionRom = 0x30;
inline constexpr std::uint8_t kInterruptLine = 0x3C;
inline constexpr std::uint8_t kInterruptPin = 0x3D;
}  // namespace pci_reg

// Command register bits (PCI 2.1, section 6.2.2).
namespace pci_command {
inline constexpr std::uint16_t kIoSpace = 1u << 0;
inline constexpr std::uint16_t kMemorySpace = 1u << 1;
inline constexpr std::uint16_t kBusMaster = 1u << 2;
}  // namespace pci_command

enum class PciSpace : std::uint8_t { Io, Memory };

// An address window a function decodes, and where it is mapped right now.
struct PciWindow {
    PciSpace space = PciSpace::Io;
    std::uint32_t size = 0;
    IoDevice* device = nullptr;
    std::string name{};
    int bar = -1;                  // BAR index 0-5, kExpansionRomBar, or -1 for a chip-specific window
    std::uint32_t base = 0;        // the base the registers ask for
    bool enabled = false;          // the registers ask for decoding
    bool mapped = false;           // currently in the PortMap / MemoryMap
    std::uint32_t mapped_base = 0;
    bool conflict = false;         // asked for, but overlapping another decoder: not decoded
};

// PciWindow::bar of the Expansion ROM Base Address register (30h).
inline constexpr int kExpansionRomBar = 6;

struct PciIdentity {
    std::uint16_t vendor_id = 0x8086;
    std::uint16_t device_id = 0;
    std::uint8_t revision = 0;
    std::uint32_t class_code = 0;  // base class << 16 | subclass << 8 | programming interface
    std::uint8_t header_type = 0;  // bit 7: multi-function device
    std::uint8_t interrupt_pin = 0; // 0 none, 1-4 INTA#-INTD#
};

class PciFunction : public Inspectable {
public:
    explicit PciFunction(const PciIdentity& id);
    ~PciFunction() override = default;
    PciFunction(const PciFunction&) = delete;
    PciFunction& operator=(const PciFunction&) = delete;

    // Configuration accesses from the host bridge. `reg` is the byte offset, `size` 1, 2 or 4;
    // an access never crosses a dword (mechanism #1 guarantees it; others are clipped).
    std::uint32_t config_read(std::uint8_t reg, unsigned size) { return config_peek(reg, size); }
    std::uint32_t config_peek(std::uint8_t reg, unsigned size) const;
    void config_write(std::uint8_t reg, std::uint32_t value, unsigned size);

    // PCIRST#: registers back to their defaults, windows re-derived (and so unmapped).
    virtual void reset();

    std::uint16_t command() const { return config16(pci_reg::kCommand); }
    std::uint8_t interrupt_pin() const { return config_[pci_reg::kInterruptPin]; }
    const std::vector<PciWindow>& windows() const { return windows_; }
    std::uint8_t device_number() const { return device_; }
    std::uint8_t function_number() const { return function_; }

    // Called by PciBus::attach.
    void attach(PciBus& bus, std::uint8_t device, std::uint8_t function);
    void detach_windows();

    // Inspectable: a group named inspect_name() holding the registers, the windows, then the
    // subclass's own state (inspect_state). Loading re-derives the windows (after_load).
    void inspect(StateVisitor& v) final;

protected:
    // Constructor-time register declarations. `set_default` also sets the current value.
    void set_default(std::uint8_t reg, std::uint32_t value, unsigned size);
    void set_writable(std::uint8_t reg, std::uint32_t mask, unsigned size);
    void set_write_clear(std::uint8_t reg, std::uint32_t mask, unsigned size);
    // BAR `index` (0-5) decoding `size` bytes (a power of two: >= 4 for I/O, >= 16 for memory).
    // I/O BARs decode 16 bits (the x86 I/O space) but keep bits 31:16 writable, so sizing reads
    // them back as ones. Intel's PIIX datasheets hard-wire those bits to 0 (PCI 2.1, 6.2.5.1
    // allows it), but firmware that sizes with 32-bit arithmetic (SeaBIOS's pciinit computes
    // ~(value & ~3) + 1) then sees a 4 GiB I/O window and gives up; QEMU and Bochs present their
    // PIIX functions' I/O BARs this way, and Lantern follows them.
    // `prefetchable` sets a memory BAR's bit 3 (reads have no side effects: a frame buffer).
    void define_bar(unsigned index, PciSpace space, std::uint32_t size, IoDevice& device,
                    std::string_view name, bool prefetchable = false);
    // The Expansion ROM Base Address register (30h; PCI 2.1, 6.2.5.2): bits 31:11 the address (the
    // bits below `size` read as zero, so sizing works as for a BAR), bit 0 the ROM's own decode
    // enable. The ROM answers only while bit 0 and the Command register's memory enable are both
    // set. `size` is a power of two, at least 2 KiB. A function without one reads 30h as zero.
    void define_expansion_rom(std::uint32_t size, IoDevice& device, std::string_view name);
    // A window whose base and enable the subclass derives itself (update_windows override).
    std::size_t add_window(PciSpace space, std::uint32_t size, IoDevice& device, std::string_view name);
    void set_window(std::size_t index, std::uint32_t base, bool enabled);

    // After a config write has been merged into the registers (bytes [reg, reg + size)); `value`
    // is what the host wrote, for registers with rules the masks cannot express (lock bits).
    virtual void config_written(std::uint8_t reg, unsigned size, std::uint32_t value) {
        (void)reg;
        (void)size;
        (void)value;
    }
    // True when the access [reg, reg + size) covers config byte `r`.
    static bool covers(std::uint8_t reg, unsigned size, unsigned r) { return r >= reg && r < reg + size; }
    // Re-derives every window from the registers and applies changes to the buses. Subclasses
    // with chip-specific windows override, call set_window, then call this base version.
    virtual void update_windows();

    // Drives this function's INTx# pin (as given by the Interrupt Pin register).
    void set_intx(bool level);
    bool intx_level() const { return intx_level_; }

    std::uint8_t config8(std::uint8_t reg) const { return config_[reg]; }
    std::uint16_t config16(std::uint8_t reg) const;
    std::uint32_t config32(std::uint8_t reg) const;
    // Hardware-side stores that bypass the write masks (status bits the chip sets itself).
    void store8(std::uint8_t reg, std::uint8_t value) { config_[reg] = value; }

    // Chip state beyond the registers (timers, latches, pending events).
    virtual void inspect_state(StateVisitor& v) { (void)v; }
    // After a snapshot load: windows re-derived; subclasses re-arm events and re-drive outputs.
    virtual void after_load() { update_windows(); }

private:
    std::array<std::uint8_t, 256> config_{};
    std::array<std::uint8_t, 256> defaults_{};
    std::array<std::uint8_t, 256> writable_{};
    std::array<std::uint8_t, 256> write_clear_{};
    std::vector<PciWindow> windows_{};
    PciBus* bus_ = nullptr;
    std::uint8_t device_ = 0;
    std::uint8_t function_ = 0;
    bool intx_level_ = false;
};

}  // namespace lantern
