// BiosRig: the Lantern BIOS (bios/, the whole 128 KiB image) on a PC assembled here from the
// device classes, for tests that boot disk images and read what the boot code reported.
//
// The board is the Lantern PC as bios/README.md describes it: Machine (CPU, RAM, PICs, PIT,
// port 61h, debug ports) plus the MC146818 RTC with the CMOS a SETUP would leave, the 8042 with a
// PS/2 keyboard, the AT DMA pair, the 82077AA with a 1.44 MB drive A:, PCI (i440FX host bridge,
// PIIX3 ISA bridge with PIRQ routing, PIIX3 IDE with both channels), the VGA on its legacy ports
// and windows, and a second debug console on the firmware log port 402h. It stands in for the
// board's own wiring until tests can go through `lantern run`; it leaves out what the BIOS does
// not need to boot (serial ports, the PM function, shadow RAM routing).
//
// Output: console() is what went to port E9h, log() what went to port 402h, screen() the VGA
// text screen. type() presses and releases keys on the keyboard.
#pragma once

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "cpu/cpu_model.h"
#include "devices/byte_sink.h"
#include "devices/debug_ports.h"
#include "devices/dma/at_dma.h"
#include "devices/floppy/fdc82077.h"
#include "devices/ide/ata_disk.h"
#include "devices/ide/atapi_cdrom.h"
#include "devices/input/kbc8042.h"
#include "devices/input/keys.h"
#include "devices/input/ps2_keyboard.h"
#include "devices/input/ps2_mouse.h"
#include "devices/machine.h"
#include "devices/pci/i440fx.h"
#include "devices/pci/pci_bus.h"
#include "devices/pci/pci_config_ports.h"
#include "devices/pci/piix3.h"
#include "devices/pci/piix3_ide.h"
#include "devices/rtc/cmos_layout.h"
#include "devices/rtc/rtc146818.h"
#include "devices/storage/file_image.h"
#include "devices/vga/vga.h"
#include "devices/vga/vga_render.h"

namespace lantern::testing {

class CollectSink final : public ByteSink {
public:
    void put(std::uint8_t byte) override { text.push_back(static_cast<char>(byte)); }
    std::string text{};
};

struct BiosRigConfig {
    CpuModel cpu = CpuModel::P6;
    std::string bios_path{};     // the 128 KiB image (lantern_bios.bin)
    std::string floppy{};        // drive A: (1.44 MB drive)
    std::string hard_disk{};     // primary master
    std::string cdrom{};         // secondary master
    std::array<CmosBootDevice, 3> boot_order{CmosBootDevice::Floppy, CmosBootDevice::HardDisk,
                                             CmosBootDevice::CdRom};
};

class BiosRig {
public:
    explicit BiosRig(const BiosRigConfig& c)
        : machine_(make_config(c)),
          rtc_(machine_.scheduler(), hz(), machine_.irq(8)),
          keyboard_(machine_.scheduler(), hz()),
          mouse_(machine_.scheduler(), hz()),
          kbc_(machine_.scheduler(), hz(), machine_.irq(1), machine_.irq(12), &keyboard_, &mouse_,
               [this](bool on) { machine_.memory().set_a20_enabled(on); }, [] {}),
          dma_(dma_access()),
          fdc_(machine_.scheduler(), machine_.irq(6), dma_.channel(2), hz(), FloppyDriveType::Drive1440K),
          vga_(machine_.scheduler(), hz()),
          pci_(machine_.ports(), machine_.memory()),
          ide_(machine_.scheduler(), hz(), machine_.irq(14), machine_.irq(15), dma_access()),
          config_ports_(pci_, &isa_) {
        PortMap& ports = machine_.ports();
        machine_.debug_console().set_sink(&console_);
        firmware_log_.set_sink(&log_);
        ports.map(0x402, 1, firmware_log_, "firmware_log");
        rtc_.map(ports);
        kbc_.map(ports);
        ports.unmap(kPostCodePort, machine_.post_code());  // the AT's page registers own 80h
        dma_.map(ports);
        fdc_.map(ports);
        vga_.map(ports);
        vga_.map(machine_.memory());
        vga_.map_lfb(machine_.memory());
        pci_.attach(0, 0, host_);
        pci_.attach(1, 0, isa_);
        pci_.attach(1, 1, ide_);
        ide_.map(ports);
        for (unsigned n = 0; n < 16; ++n)
            if (n != 2) isa_.connect_isa_irq(n, machine_.irq(n));
        pci_.set_irq_router(&isa_);
        config_ports_.map(ports);
        if (!c.floppy.empty()) fdc_.insert_disk(0, FileImage::open(c.floppy));
        if (!c.hard_disk.empty()) {
            hd_image_ = FileImage::open(c.hard_disk);
            disk_ = std::make_unique<AtaDisk>(*hd_image_);
            ide_.primary().attach(0, *disk_);
        }
        if (!c.cdrom.empty()) {
            cd_image_ = FileImage::open(c.cdrom, ImageMode::ReadOnly, 2048);
            cdrom_.insert_media(*cd_image_);
            ide_.secondary().attach(0, cdrom_);
        }
        cmos_.memory_bytes = std::uint64_t(machine_.config().memory_mib) << 20;
        cmos_.floppies[0] = c.floppy.empty() ? CmosFloppyType::None : CmosFloppyType::M1_44;
        cmos_.boot_order = c.boot_order;
        machine_.reset();
        cmos_.apply(rtc_.cmos());
    }

    // Runs until the guest exits through port F4h, halts for good, or `seconds` of host time.
    RunResult run(double seconds) {
        RunLimits limits;
        limits.host_timeout = std::chrono::nanoseconds(static_cast<std::int64_t>(seconds * 1e9));
        return machine_.run(limits);
    }
    // Runs in slices until the screen shows `text` (true) or `seconds` of host time pass.
    bool run_until_screen(const std::string& text, double seconds) {
        for (double spent = 0; spent < seconds; spent += 0.25) {
            const auto r = run(0.25);
            if (screen().find(text) != std::string::npos) return true;
            if (r.reason != MachineStop::HostTimeout) return false;
        }
        return false;
    }
    RunResult run_instructions(std::uint64_t n) {
        RunLimits limits;
        limits.max_instructions = n;
        return machine_.run(limits);
    }

    // Types `text` (lower-case letters, digits, space, '.', ':', '\\', '\n'), a key at a time.
    void type(const std::string& text) {
        for (char ch : text) {
            bool shift = false;
            const Key key = key_for(ch, shift);
            if (shift) press(Key::LeftShift, true);
            press(key, true);
            press(key, false);
            if (shift) press(Key::LeftShift, false);
        }
    }

    const std::string& console() const { return console_.text; }
    const std::string& log() const { return log_.text; }
    std::string screen() const { return text_dump(vga_); }
    Machine& machine() { return machine_; }
    std::uint8_t ram8(std::uint32_t a) { return machine_.ram()[a]; }
    std::uint16_t ram16(std::uint32_t a) { return static_cast<std::uint16_t>(ram8(a) | ram8(a + 1) << 8); }

private:
    static MachineConfig make_config(const BiosRigConfig& c) {
        MachineConfig m;
        m.cpu_model = c.cpu;
        m.memory_mib = c.cpu >= CpuModel::I80386 ? 32 : (c.cpu == CpuModel::I80286 ? 16 : 1);
        m.cpu_freq_hz = c.cpu >= CpuModel::I80386 ? 33'000'000 : default_cpu_freq_hz(c.cpu);
        std::ifstream in(c.bios_path, std::ios::binary);
        m.bios_image.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        return m;
    }
    std::uint64_t hz() const { return machine_.config().cpu_freq_hz; }
    DmaMemoryAccess dma_access() {
        return DmaMemoryAccess{[this](std::uint32_t a) { return machine_.memory().read8(a); },
                               [this](std::uint32_t a, std::uint8_t v) { machine_.memory().write8(a, v); }};
    }
    void press(Key key, bool down) {
        keyboard_.key_event(key, down);
        run_instructions(300'000);
    }
    static Key key_for(char ch, bool& shift) {
        shift = false;
        if (ch >= 'a' && ch <= 'z') {
            static constexpr Key letters[] = {Key::A, Key::B, Key::C, Key::D, Key::E, Key::F, Key::G, Key::H, Key::I,
                                              Key::J, Key::K, Key::L, Key::M, Key::N, Key::O, Key::P, Key::Q, Key::R,
                                              Key::S, Key::T, Key::U, Key::V, Key::W, Key::X, Key::Y, Key::Z};
            return letters[ch - 'a'];
        }
        if (ch >= '1' && ch <= '9') return static_cast<Key>(static_cast<int>(Key::Digit1) + (ch - '1'));
        if (ch == '0') return Key::Digit0;
        if (ch == '\n') return Key::Enter;
        if (ch == '.') return Key::Period;
        if (ch == '\\') return Key::Backslash;
        if (ch == ':') {
            shift = true;
            return Key::Semicolon;
        }
        return Key::Space;
    }

    Machine machine_;
    CollectSink console_{};
    CollectSink log_{};
    DebugConsole firmware_log_{};
    Rtc146818 rtc_;
    CmosLayout cmos_{};
    Ps2Keyboard keyboard_;
    Ps2Mouse mouse_;
    Kbc8042 kbc_;
    AtDma dma_;
    Fdc82077 fdc_;
    Vga vga_;
    PciBus pci_;
    I440fxHostBridge host_{};
    Piix3IsaBridge isa_{};
    Piix3Ide ide_;
    PciConfigPorts config_ports_;
    std::unique_ptr<FileImage> hd_image_{};
    std::unique_ptr<FileImage> cd_image_{};
    std::unique_ptr<AtaDisk> disk_{};
    AtapiCdrom cdrom_{};
};

}  // namespace lantern::testing
