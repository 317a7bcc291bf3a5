// PcBoard: the PC/AT chips beyond the CPU, PICs and PIT, wired the way an AT-class PCI board
// (i440FX + PIIX3) wires them, and owned by the Machine.
//
// The Machine creates one when MachineConfig::pc_board is set. The board takes its interrupt
// lines, ports, memory and time from the Machine, so every chip sees the same scheduler and
// the CPU's exact cycle when it is accessed. Wiring follows the IBM PC/AT Technical Reference
// (ISA ports and IRQs) and the PIIX3 datasheet (PCI functions 00:00.0, 00:01.0, 00:01.1).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cpu/state_visitor.h"
#include "devices/byte_sink.h"
#include "devices/debug_ports.h"
#include "devices/dma/at_dma.h"
#include "devices/floppy/fdc82077.h"
#include "devices/ide/ata_disk.h"
#include "devices/ide/atapi_cdrom.h"
#include "devices/input/input_queue.h"
#include "devices/input/kbc8042.h"
#include "devices/input/ps2_keyboard.h"
#include "devices/input/ps2_mouse.h"
#include "devices/pci/i440fx.h"
#include "devices/pci/pci_bus.h"
#include "devices/pci/pci_config_ports.h"
#include "devices/pci/piix3.h"
#include "devices/pci/piix3_ide.h"
#include "devices/pc/linux_boot.h"
#include "devices/pci/piix4_pm.h"
#include "devices/pci/shadow_ram.h"
#include "devices/rtc/cmos_layout.h"
#include "devices/rtc/rtc146818.h"
#include "devices/serial/serial_backend.h"
#include "devices/serial/uart16550.h"
#include "devices/storage/file_image.h"
#include "devices/system/fast_a20_port.h"
#include "devices/vga/vga.h"
#include "devices/vga/vga_pci.h"

namespace lantern {

class Machine;

struct PcBoardConfig {
    std::string floppy_a{};   // image for drive A: (a 1.44 MB drive; smaller media fit it too)
    // Or drive A:'s image held in memory (the built-in demo disk, a test's image); used instead of
    // floppy_a when non-empty. The guest's writes change only this copy: no host file is touched.
    std::vector<std::uint8_t> floppy_a_bytes{};
    std::string hard_disk{};  // primary master
    std::string cdrom{};      // secondary master (2048-byte sector ISO)
    std::array<CmosBootDevice, 3> boot_order{CmosBootDevice::Floppy, CmosBootDevice::HardDisk,
                                             CmosBootDevice::CdRom};
    RtcOptions rtc{};
    // What is plugged into COM1-COM4 (not owned; null: nothing attached, an open connector).
    std::array<SerialBackend*, 4> serial{};
    // A Linux kernel to boot instead of a disk (--kernel/--initrd/--append); empty kernel: none.
    LinuxBootConfig linux_boot{};
    // The VGA BIOS the VGA function's expansion ROM serves (--vgabios). Empty: none for Lantern's
    // BIOS (it has its own video BIOS), kSeabiosStdVgaBios for a SeaBIOS image when installed.
    std::string vga_bios{};
    // The floppy drives' mechanics (steps, head load, rotation): real by default; `fast` divides
    // every delay by FdcOptions::kFastDivisor, for tests whose firmware busy-waits on the drive.
    FdcOptions floppy_timing{};
};

// The PC/AT's serial ports: base port and IRQ (IBM PC/AT Technical Reference, "Serial/Parallel
// Adapter"; COM3/COM4 share IRQ4/IRQ3 with COM1/COM2 by the later de-facto convention).
struct ComPort {
    std::uint16_t base;
    unsigned irq;
};
inline constexpr std::array<ComPort, 4> kComPorts{{{0x3F8, 4}, {0x2F8, 3}, {0x3E8, 4}, {0x2E8, 3}}};

class PcBoard final : public Inspectable {
public:
    // Opens the images (throws DiskImageError with a sentence for the user) and maps every chip.
    PcBoard(Machine& machine, const PcBoardConfig& config);
    ~PcBoard() override;
    PcBoard(const PcBoard&) = delete;
    PcBoard& operator=(const PcBoard&) = delete;

    // Power-on: every chip to its reset state, the CMOS filled from the configuration.
    void power_on();

    Vga& vga() { return vga_; }
    const Vga& vga() const { return vga_; }
    VgaPci& vga_pci() { return *vga_pci_; }
    Ps2Keyboard& keyboard() { return keyboard_; }
    InputQueue& input() { return input_; }
    Rtc146818& rtc() { return rtc_; }
    Uart16550& uart(unsigned index) { return *uarts_.at(index); }
    Piix4Pm& power_management() { return pm_; }
    // The OS put the machine into Soft Off (ACPI S5 through the PIIX4 PM block): the Machine ends
    // the run with MachineStop::PowerOff.
    bool powered_off() const { return pm_.powered_off(); }
    // Where the firmware's log (port 0x402, as SeaBIOS and the Bochs BIOS write it) goes.
    void set_firmware_log(ByteSink* sink) { firmware_log_.set_sink(sink); }
    // The CPU reset the 8042 (output port bit 0) or port 0x92 asked for; the Machine resets the
    // CPU at the next instruction boundary and clears it.
    bool cpu_reset_requested() const { return cpu_reset_request_; }
    bool take_cpu_reset_request() {
        const bool r = cpu_reset_request_;
        cpu_reset_request_ = false;
        return r;
    }

    std::string_view inspect_name() const override { return "board"; }
    void inspect(StateVisitor& v) override;

private:
    std::uint64_t hz() const;
    DmaMemoryAccess memory_access();
    void update_a20();
    void map_shadow_ram();
    void update_shared_irq(unsigned irq);

    Machine& machine_;
    PcBoardConfig config_;
    bool kbc_a20_ = true, port92_a20_ = false, cpu_reset_request_ = false;
    DebugConsole firmware_log_{};
    Rtc146818 rtc_;
    CmosLayout cmos_{};
    Ps2Keyboard keyboard_;
    Ps2Mouse mouse_;
    Kbc8042 kbc_;
    FastA20Port port92_;
    InputQueue input_;
    AtDma dma_;
    Fdc82077 fdc_;
    Vga vga_;
    PciBus pci_;
    I440fxHostBridge host_{};
    Piix3IsaBridge isa_{};
    Piix3Ide ide_;
    Piix4Pm pm_;
    PciConfigPorts config_ports_;
    std::unique_ptr<VgaPci> vga_pci_{};
    // C0000-FFFFF behind the i440FX's PAM registers: the ISA/PCI side (the BIOS ROM at the top,
    // FFh below it) and the DRAM underneath (the Machine's RAM at those addresses).
    std::vector<std::uint8_t> shadow_isa_view_{};
    std::unique_ptr<ShadowRam> shadow_{};
    // Each UART drives its own line; lines that share an ISA IRQ are wired-OR onto it (a UART
    // with OUT2 clear does not drive its line at all, which is how COM1 and COM3 can share IRQ4).
    std::array<IrqLine, 4> uart_irq_{};
    std::array<std::unique_ptr<Uart16550>, 4> uarts_{};
    std::unique_ptr<FileImage> hd_image_{};
    std::unique_ptr<FileImage> cd_image_{};
    std::unique_ptr<AtaDisk> disk_{};
    AtapiCdrom cdrom_{};
    std::unique_ptr<LinuxLoader> linux_loader_{};  // only with a kernel configured
};

}  // namespace lantern
