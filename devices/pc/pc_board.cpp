#include "devices/pc/pc_board.h"

#include "devices/machine.h"

namespace lantern {

namespace {
CmosFloppyType cmos_type_for(const std::string& image) { return image.empty() ? CmosFloppyType::None : CmosFloppyType::M1_44; }
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
      fdc_(machine.scheduler(), machine.irq(6), dma_.channel(2), hz(), FloppyDriveType::Drive1440K),
      vga_(machine.scheduler(), hz()),
      pci_(machine.ports(), machine.memory()),
      ide_(machine.scheduler(), hz(), machine.irq(14), machine.irq(15), memory_access()),
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
    vga_.map_lfb(machine.memory());
    pci_.attach(0, 0, host_);
    pci_.attach(1, 0, isa_);
    pci_.attach(1, 1, ide_);
    ide_.map(ports);
    for (unsigned n = 0; n < 16; ++n)
        if (n != 2) isa_.connect_isa_irq(n, machine.irq(n));
    pci_.set_irq_router(&isa_);
    config_ports_.map(ports);
    input_.set_sinks(InputSinks{
        [this](const KeyInput& k) { keyboard_.key_event(k.key, k.down); },
        [this](const MouseMoveInput& m) { mouse_.move(m.dx, m.dy); },
        [this](const MouseButtonsInput& b) { mouse_.set_buttons(b.buttons); },
        [this](const MouseWheelInput& w) { mouse_.wheel(w.dz); },
        {},
    });

    if (!config.floppy_a.empty()) fdc_.insert_disk(0, FileImage::open(config.floppy_a));
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
    cmos_.floppies[0] = cmos_type_for(config.floppy_a);
    cmos_.boot_order = config.boot_order;
}

PcBoard::~PcBoard() = default;

std::uint64_t PcBoard::hz() const { return machine_.config().cpu_freq_hz; }

DmaMemoryAccess PcBoard::memory_access() {
    return DmaMemoryAccess{[this](std::uint32_t a) { return machine_.memory().read8(a); },
                           [this](std::uint32_t a, std::uint8_t v) { machine_.memory().write8(a, v); }};
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
}

}  // namespace lantern
