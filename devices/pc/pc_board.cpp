#include "devices/pc/pc_board.h"

#include <algorithm>
#include <filesystem>

#include "devices/machine.h"
#include "devices/storage/memory_image.h"

namespace lantern {

namespace {
CmosFloppyType cmos_type_for(const std::string& image) { return image.empty() ? CmosFloppyType::None : CmosFloppyType::M1_44; }

// The VGA BIOS for the VGA function's expansion ROM: the one asked for, else Debian's SeaBIOS
// stdvga BIOS when the system BIOS is SeaBIOS (which expects to find it there), else none.
std::vector<std::uint8_t> vga_bios_for(const std::vector<std::uint8_t>& system_bios, const std::string& path) {
    if (!path.empty()) return load_vga_bios(path);
    if (is_seabios_image(system_bios) && std::filesystem::exists(kSeabiosStdVgaBios))
        return load_vga_bios(kSeabiosStdVgaBios);
    return {};
}
}  // namespace

PcBoard::PcBoard(Machine& machine, const PcBoardConfig& config)
    : machine_(machine),
      config_(config),
      rtc_(machine.scheduler(), hz(), machine.irq(8), config.rtc),
      keyboard_(machine.scheduler(), hz()),
      mouse_(machine.scheduler(), hz()),
      // The 8042's output port drives A20 and the CPU's RESET line (IBM PC/AT Technical
      // Reference, "Keyboard Controller"); port 92h does the same (PIIX3 datasheet, "Port 92h").
      kbc_(machine.scheduler(), hz(), machine.irq(1), machine.irq(12), &keyboard_, &mouse_,
           [this](bool on) {
               kbc_a20_ = on;
               update_a20();
           },
           [this] { cpu_reset_request_ = true; }),
      port92_([this](bool on) {
                  port92_a20_ = on;
                  update_a20();
              },
              [this] { cpu_reset_request_ = true; }),
      input_(machine.scheduler()),
      dma_(memory_access()),
      fdc_(machine.scheduler(), machine.irq(6), dma_.channel(2), hz(), FloppyDriveType::Drive1440K,
           FloppyDriveType::None, config.floppy_timing),
      vga_(machine.scheduler(), hz()),
      pci_(machine.ports(), machine.memory()),
      ide_(machine.scheduler(), hz(), machine.irq(14), machine.irq(15), memory_access()),
      // The SCI is IRQ9 on PC boards (what QEMU's and Bochs's ACPI tables tell the OS, FADT SCI_INT).
      pm_(machine.scheduler(), hz(), &machine.irq(9)),
      config_ports_(pci_, &isa_) {
    PortMap& ports = machine.ports();
    ports.map(0x402, 1, firmware_log_, "firmware_log");
    rtc_.map(ports);
    kbc_.map(ports);
    port92_.map(ports);
    // On the AT, port 80h is one of the DMA page registers; POST codes are what is written there.
    ports.unmap(kPostCodePort, machine.post_code());
    dma_.pages().set_port80_observer([&machine](std::uint8_t v) { machine.post_code().write(0, v, 1); });
    dma_.map(ports);
    fdc_.map(ports);
    vga_.map(ports);
    vga_.map(machine.memory());
    pci_.attach(0, 0, host_);
    pci_.attach(1, 0, isa_);
    pci_.attach(1, 1, ide_);
    pci_.attach(1, 3, pm_);
    ports.map(Piix4Pm::kApmPortBase, 2, pm_.apm_ports(), "apm");
    // The VGA at 00:02.0 (where the Bochs/QEMU boards put it); BAR 0 places the linear framebuffer.
    vga_pci_ = std::make_unique<VgaPci>(vga_, vga_bios_for(machine.config().bios_image, config.vga_bios));
    pci_.attach(2, 0, *vga_pci_);
    map_shadow_ram();
    ide_.map(ports);
    // Device events (devices/device_event.h) go to whoever the Machine reports to.
    const DeviceEventReport report = [&machine](const DeviceEvent& e) { machine.notify_event(e); };
    fdc_.set_event_report(report);
    vga_.set_event_report(report);
    ide_.primary().set_event_report(report, 0x80);
    ide_.secondary().set_event_report(report, 0x82);
    for (unsigned n = 0; n < 16; ++n)
        if (n != 2) isa_.connect_isa_irq(n, machine.irq(n));
    pci_.set_irq_router(&isa_);
    config_ports_.map(ports);
    input_.set_sinks(InputSinks{
        [this](const KeyInput& k) { keyboard_.key_event(k.key, k.down); },
        [this](const MouseMoveInput& m) { mouse_.move(m.dx, m.dy); },
        [this](const MouseButtonsInput& b) { mouse_.set_buttons(b.buttons); },
        [this](const MouseWheelInput& w) { mouse_.wheel(w.dz); },
        [this](const SerialByteInput& b) {
            if (b.port < uarts_.size()) uarts_[b.port]->receive(b.byte, machine_.scheduler().now());
        },
    });
    for (unsigned i = 0; i < kComPorts.size(); ++i) {
        static constexpr std::array<std::string_view, 4> kNames{"com1", "com2", "com3", "com4"};
        const unsigned irq = kComPorts[i].irq;
        uart_irq_[i].connect([this, irq](bool) { update_shared_irq(irq); });
        uarts_[i] = std::make_unique<Uart16550>(machine.scheduler(), uart_irq_[i], hz(), config.serial[i], kNames[i]);
        uarts_[i]->map(ports, kComPorts[i].base);
    }

    if (!config.floppy_a_bytes.empty()) {
        fdc_.insert_disk(0, std::make_unique<MemoryImage>(config.floppy_a_bytes));
        config_.floppy_a_bytes = {};  // the drive's MemoryImage holds the bytes now: no second copy
    } else if (!config.floppy_a.empty()) {
        fdc_.insert_disk(0, FileImage::open(config.floppy_a));
    }
    if (!config.hard_disk.empty()) {
        hd_image_ = FileImage::open(config.hard_disk);
        disk_ = std::make_unique<AtaDisk>(*hd_image_);
        ide_.primary().attach(0, *disk_);
    }
    if (!config.cdrom.empty()) {
        cd_image_ = FileImage::open(config.cdrom, ImageMode::ReadOnly, 2048);
        cdrom_.insert_media(*cd_image_);
        ide_.secondary().attach(0, cdrom_);
    }
    cmos_.memory_bytes = std::uint64_t(machine.config().memory_mib) << 20;
    cmos_.floppies[0] = config.floppy_a_bytes.empty() ? cmos_type_for(config.floppy_a) : CmosFloppyType::M1_44;
    cmos_.boot_order = config.boot_order;
    // Read and checked now, so a bad --kernel fails before the machine runs; copied into RAM when
    // the BIOS's INT 19h asks for it (devices/pc/linux_boot.h says why).
    if (!config.linux_boot.kernel.empty()) {
        linux_loader_ = std::make_unique<LinuxLoader>(machine, config.linux_boot);
        linux_loader_->map(ports);
    }
}

PcBoard::~PcBoard() = default;

std::uint64_t PcBoard::hz() const { return machine_.config().cpu_freq_hz; }

DmaMemoryAccess PcBoard::memory_access() {
    return DmaMemoryAccess{[this](std::uint32_t a) { return machine_.memory().read8(a); },
                           [this](std::uint32_t a, std::uint8_t v) { machine_.memory().write8(a, v); }};
}

void PcBoard::update_shared_irq(unsigned irq) {
    bool level = false;
    for (unsigned i = 0; i < kComPorts.size(); ++i)
        if (kComPorts[i].irq == irq && uart_irq_[i].level()) level = true;
    machine_.irq(irq).set_level(level);
}

// The BIOS ROM leaves the Machine's plain mapping for the i440FX's PAM decoding of C0000-FFFFF
// (82441FX datasheet, PAM0-PAM6): after reset every segment reads the ROM side; the firmware then
// copies itself into the DRAM underneath and write-protects it (Lantern's BIOS, shadow.asm), or
// turns the whole area into RAM and copies itself from the 4 GiB alias (SeaBIOS). The alias at the
// top of the address space stays ROM.
void PcBoard::map_shadow_ram() {
    constexpr std::uint32_t kOneMiB = 0x100000;
    MemoryMap& memory = machine_.memory();
    const std::vector<std::uint8_t>& bios = machine_.config().bios_image;
    shadow_isa_view_.assign(ShadowRam::kSize, 0xFF);
    if (!bios.empty()) {
        memory.unmap(kOneMiB - static_cast<std::uint32_t>(bios.size()));
        std::copy(bios.begin(), bios.end(), shadow_isa_view_.end() - static_cast<std::ptrdiff_t>(bios.size()));
    }
    shadow_ = std::make_unique<ShadowRam>(memory, machine_.ram().subspan(ShadowRam::kBase, ShadowRam::kSize),
                                          shadow_isa_view_);
    host_.set_pam_routing(shadow_.get());
}

void PcBoard::update_a20() { machine_.memory().set_a20_enabled(kbc_a20_ || port92_a20_); }

void PcBoard::power_on() {
    // The Machine has just reset the scheduler: every chip re-arms its own events here.
    rtc_.power_on();
    cmos_.apply(rtc_.cmos());
    keyboard_.power_on();
    mouse_.power_on();
    kbc_.power_on();
    port92_.reset();
    kbc_a20_ = true;
    port92_a20_ = false;
    update_a20();
    dma_.reset();
    fdc_.reset();
    vga_.reset();
    pci_.reset();
    for (auto& uart : uarts_) uart->reset();
    if (linux_loader_) linux_loader_->reset();
    cpu_reset_request_ = false;
}

void PcBoard::inspect(StateVisitor& v) {
    StateGroup g(v, "board");
    v.visit("kbc_a20", kbc_a20_);
    v.visit("port92_a20", port92_a20_);
    v.visit("cpu_reset_request", cpu_reset_request_);
    rtc_.inspect(v);
    keyboard_.inspect(v);
    mouse_.inspect(v);
    kbc_.inspect(v);
    input_.inspect(v);
    dma_.inspect(v);
    fdc_.inspect(v);
    vga_.inspect(v);
    pci_.inspect(v);
    for (auto& uart : uarts_) uart->inspect(v);
    if (linux_loader_) linux_loader_->inspect(v);
}

}  // namespace lantern
