// Linux/x86 boot protocol loader: `lantern --kernel bzImage --initrd initrd --append "..."`,
// the way QEMU's -kernel does it, but with our own BIOS doing its POST first.
//
// The mechanism (why a port device and a BIOS hook, not a copy at power-on): the BIOS clears and
// uses low memory during POST, so the kernel can only go into RAM once POST is over. Our INT 19h
// (bios/linux_boot.asm) asks this device, through port 0x5F0, whether a kernel is configured; if
// so it tells the device to copy the pieces into RAM at that moment and far-jumps to the kernel's
// real-mode setup. The copy happens at one instruction (the OUT), so it is deterministic, and
// inspect() shows where every piece went.
//
// Ports (base kLinuxLoaderPort, mapped only when a kernel is configured; otherwise the BIOS reads
// the open bus, FFh, and boots from disk as usual):
//   +0 read (byte)  'L' (4Ch) while a kernel waits to be loaded, 'D' once it has been
//   +0 write 01h    load now: setup, kernel, initrd and command line into RAM, header patched
//   +2 read (word)  the real-mode segment (CS = segment + 20h, DS = ES = SS = segment)
//   +4 read (word)  the stack pointer for setup (the end of its heap, heap_end_ptr + 200h)
//
// Layout (Linux boot protocol, Documentation/x86/boot.rst, "Loading the rest of the kernel" and
// "Sample boot configuration"; QEMU's choice too): real-mode code at 0x10000 (64 KiB for setup,
// heap and stack), command line at 0x20000, protected-mode kernel at 0x100000, initrd page-aligned
// as high as min(initrd_addr_max, RAM top) allows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "devices/io_device.h"

namespace lantern {

class Machine;

struct LinuxBootConfig {
    std::string kernel{};   // bzImage; empty: no kernel, boot from disks as usual
    std::string initrd{};   // optional
    std::string cmdline{};
};

inline constexpr std::uint16_t kLinuxLoaderPort = 0x5F0;

// What the loader read from the kernel's setup header (boot.rst, "The real-mode kernel header").
struct LinuxKernelHeader {
    std::uint16_t version = 0;           // 0x206, e.g. 0x020F for protocol 2.15
    std::uint32_t setup_bytes = 0;       // (setup_sects + 1) * 512: boot sector + setup
    std::uint8_t loadflags = 0;          // 0x211
    std::uint32_t initrd_addr_max = 0;   // 0x22C (0x37FFFFFF before protocol 2.03)
    std::uint32_t cmdline_size = 0;      // 0x238 (255 before protocol 2.06)
    std::uint32_t pref_address = 0;     // 0x258 (2.10+), where a relocatable kernel runs
    std::uint32_t init_size = 0;         // 0x260 (2.10+), memory it needs from there
};

// Parses and checks a bzImage; throws DiskImageError with one sentence for the user when it is
// not a bzImage or its protocol is older than 2.02.
LinuxKernelHeader parse_linux_header(const std::vector<std::uint8_t>& image, const std::string& name);

class LinuxLoader final : public IoDevice {
public:
    static constexpr std::uint32_t kRealModeBase = 0x10000;
    static constexpr std::uint32_t kCmdlineBase = 0x20000;
    static constexpr std::uint32_t kKernelBase = 0x100000;

    // Reads the files and checks that everything fits in the machine's RAM; throws DiskImageError
    // (one sentence) on a missing file, a file that is not a bzImage, or too little memory.
    LinuxLoader(Machine& machine, const LinuxBootConfig& config);

    // Copies the pieces into RAM and patches the header (what the OUT at +0 does).
    void load();
    bool loaded() const { return loaded_; }
    std::uint32_t initrd_address() const { return initrd_addr_; }
    const LinuxKernelHeader& header() const { return header_; }

    void map(class PortMap& ports);

    std::uint32_t read(std::uint32_t offset, unsigned size) override { return peek(offset, size); }
    void write(std::uint32_t offset, std::uint32_t value, unsigned size) override;
    std::uint32_t peek(std::uint32_t offset, unsigned size) const override;

    std::string_view inspect_name() const override { return "linux_loader"; }
    void inspect(StateVisitor& v) override;

    // Power-on: the kernel waits to be loaded again (the Machine cleared RAM).
    void reset() { loaded_ = false; }

private:
    Machine& machine_;
    LinuxBootConfig config_;
    std::vector<std::uint8_t> kernel_{};
    std::vector<std::uint8_t> initrd_{};
    LinuxKernelHeader header_{};
    std::uint32_t initrd_addr_ = 0;
    std::uint16_t stack_pointer_ = 0;
    bool loaded_ = false;
    std::uint64_t loads_ = 0;
};

}  // namespace lantern
