// VideoRig: the video BIOS module on a minimal PC of its own, for unit tests that call INT 10h
// from C++ and look at the VGA, the BIOS data area and the rendered screen.
//
// The board: 1 MiB of RAM (extended memory is not needed), the Vga with its ports, its A0000
// window and its linear framebuffer, the video module (vgabios.bin) as a ROM at E0000, a PCI
// configuration space with the VGA function (1234:1111) at 00:02.0 and its BAR 0 (so the VBE
// code has to find the framebuffer through PCI), and port 61h's refresh toggle (for the bell).
// POST's part is done in C++ the way bios/README.md promises it to the module: the IVT (every
// vector at an IRET, INT 10h at E000:0006), a zeroed BIOS data area with the equipment word and
// the EBDA segment, a stack. Then init() far-calls E000:0003.
//
// call() loads the registers, runs `INT 10h; HLT` from RAM with interrupts off and returns the
// registers the CPU had at the HLT.
//
// Given a whole 128 KiB BIOS image instead (E0000-FFFFF, e.g. video_screen.asm's), the rig maps
// that and run_reset() starts it at F000:FFF0 until it writes the exit port F4h.
#pragma once

#include <array>
#include <cstdio>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "cpu/cpu_bus.h"
#include "cpu/cpu_model.h"
#include "cpu/cpu_state.h"
#include "cpu/interpreter.h"
#include "devices/scheduler.h"
#include "devices/vga/vga.h"
#include "devices/vga/vga_render.h"

namespace lantern::testing {

struct Regs {
    std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0, esi = 0, edi = 0, ebp = 0;
    std::uint16_t es = 0, ds = 0;
    std::uint32_t eflags = 0;

    std::uint16_t ax() const { return static_cast<std::uint16_t>(eax); }
    std::uint16_t bx() const { return static_cast<std::uint16_t>(ebx); }
    std::uint16_t cx() const { return static_cast<std::uint16_t>(ecx); }
    std::uint16_t dx() const { return static_cast<std::uint16_t>(edx); }
    std::uint16_t si() const { return static_cast<std::uint16_t>(esi); }
    std::uint16_t di() const { return static_cast<std::uint16_t>(edi); }
    std::uint16_t bp() const { return static_cast<std::uint16_t>(ebp); }
    std::uint8_t al() const { return static_cast<std::uint8_t>(eax); }
    std::uint8_t ah() const { return static_cast<std::uint8_t>(eax >> 8); }
    std::uint8_t bl() const { return static_cast<std::uint8_t>(ebx); }
    std::uint8_t bh() const { return static_cast<std::uint8_t>(ebx >> 8); }
    std::uint8_t cl() const { return static_cast<std::uint8_t>(ecx); }
    std::uint8_t ch() const { return static_cast<std::uint8_t>(ecx >> 8); }
    std::uint8_t dl() const { return static_cast<std::uint8_t>(edx); }
    std::uint8_t dh() const { return static_cast<std::uint8_t>(edx >> 8); }
};

inline std::vector<std::uint8_t> read_binary(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class VideoRig final : public CpuBus {
public:
    static constexpr std::uint32_t kRomBase = 0xE0000;
    static constexpr std::uint32_t kRomBytes = 0x8000;
    static constexpr std::uint16_t kEbdaSeg = 0x9FC0;
    static constexpr std::uint32_t kStub = 0x0600;     // INT 10h; HLT
    static constexpr std::uint32_t kInitStub = 0x0610; // CALL FAR E000:0003; HLT
    static constexpr std::uint32_t kIret = 0x0620;     // every other vector
    static constexpr std::uint32_t kBuffer = 0x2000;   // scratch buffers for the tests (0000:2000)
    static constexpr std::uint64_t kCpuHz = 33'000'000;

    VideoRig(CpuModel model, std::uint32_t lfb_bar, std::vector<std::uint8_t> image = {})
        : rom_(image.empty() ? read_binary(LANTERN_VGABIOS_BIN) : std::move(image)), ram_(1u << 20, 0),
          lfb_bar_(lfb_bar), vga_(scheduler_, kCpuHz), cpu_(std::make_unique<Interpreter>(model, *this)) {
        rom_window_ = rom_.size() == 0x20000 ? 0x20000 : kRomBytes;
        if (rom_.size() > rom_window_) throw std::runtime_error("the ROM image does not fit");
        vga_.set_lfb_base(lfb_bar);
        // The IVT: all vectors at an IRET, INT 10h at the module's entry.
        ram_[kIret] = 0xCF;
        for (unsigned v = 0; v < 256; ++v) set_vector(v, 0x0000, static_cast<std::uint16_t>(kIret));
        set_vector(0x10, 0xE000, 0x0006);
        set_vector(0x1F, 0x0000, 0x0000);
        set_vector(0x43, 0x0000, 0x0000);
        // The BDA: equipment word "80x25 colour", 639 KiB, the EBDA.
        poke16(0x410, 0x0020);
        poke16(0x413, 639);
        poke16(0x40E, kEbdaSeg);
        ram_[kEbdaSeg * 16u] = 1;  // EBDA size in KiB
        const std::array<std::uint8_t, 3> stub = {0xCD, 0x10, 0xF4};
        std::copy(stub.begin(), stub.end(), ram_.begin() + kStub);
        const std::array<std::uint8_t, 6> init = {0x9A, 0x03, 0x00, 0x00, 0xE0, 0xF4};
        std::copy(init.begin(), init.end(), ram_.begin() + kInitStub);
    }

    // POST's far call of the init entry.
    void init() { run_at(kInitStub, Regs{}); }

    // A whole BIOS image from its reset vector, until it writes port F4h.
    void run_reset() {
        CpuState s;
        cpu_->get_state(s);
        s.segment(Seg::CS).selector = 0xF000;
        s.segment(Seg::CS).base = 0xF0000;
        s.eip = 0xFFF0;
        cpu_->set_state(s);
        for (int slice = 0; slice < 4000 && !exited_; ++slice) {
            const StopReason why = cpu_->run(1u << 20);
            if (why == StopReason::Halted || why == StopReason::Shutdown) break;
        }
        if (!exited_) throw std::runtime_error("the BIOS image did not reach its exit");
    }

    // INT 10h with these registers; returns the registers after it.
    Regs call(const Regs& in) { return run_at(kStub, in); }

    // Runs a piece of real-mode code (ending in HLT) at 0000:0700.
    Regs run_code(const std::vector<std::uint8_t>& code, const Regs& in) {
        std::copy(code.begin(), code.end(), ram_.begin() + kCode);
        return run_at(kCode, in, code.size());
    }
    static constexpr std::uint32_t kCode = 0x0700;

    Vga& vga() { return vga_; }
    Interpreter& cpu() { return *cpu_; }
    std::uint8_t peek(std::uint32_t addr) const { return addr < ram_.size() ? ram_[addr] : 0xFF; }
    std::uint16_t peek16(std::uint32_t addr) const {
        return static_cast<std::uint16_t>(peek(addr) | (peek(addr + 1) << 8));
    }
    std::uint32_t peek32(std::uint32_t addr) const { return peek16(addr) | (std::uint32_t{peek16(addr + 2)} << 16); }
    void poke(std::uint32_t addr, std::uint8_t v) { ram_.at(addr) = v; }
    void poke16(std::uint32_t addr, std::uint16_t v) {
        poke(addr, static_cast<std::uint8_t>(v));
        poke(addr + 1, static_cast<std::uint8_t>(v >> 8));
    }
    std::uint8_t bda(unsigned off) const { return peek(0x400 + off); }
    std::uint16_t bda16(unsigned off) const { return peek16(0x400 + off); }
    const std::vector<std::uint8_t>& rom() const { return rom_; }
    std::uint16_t rom16(std::uint32_t off) const {
        return static_cast<std::uint16_t>(rom_.at(off) | (rom_.at(off + 1) << 8));
    }
    // A far pointer stored in RAM, as a physical address.
    std::uint32_t far_ptr(std::uint32_t addr) const { return peek16(addr + 2) * 16u + peek16(addr); }
    std::uint8_t read_phys(std::uint32_t addr) { return mem_read8(addr); }
    std::uint64_t instructions() const { return cpu_->state().instructions; }
    std::uint8_t crtc(unsigned i) const { return vga_.crtc(i); }

    // CpuBus
    std::uint8_t mem_read8(std::uint32_t addr) override {
        sync();
        if (addr >= kVgaWindowBase && addr < kVgaWindowBase + kVgaWindowSize)
            return vga_.window_read(addr - kVgaWindowBase);
        if (addr >= kRomBase && addr < kRomBase + rom_window_)
            return addr - kRomBase < rom_.size() ? rom_[addr - kRomBase] : 0xFF;
        if (addr >= lfb_bar_ && addr - lfb_bar_ < kVgaVramBytes) return vga_.lfb_read(addr - lfb_bar_);
        return addr < ram_.size() ? ram_[addr] : 0xFF;
    }
    void mem_write8(std::uint32_t addr, std::uint8_t value) override {
        sync();
        if (addr >= kVgaWindowBase && addr < kVgaWindowBase + kVgaWindowSize) {
            vga_.window_write(addr - kVgaWindowBase, value);
            return;
        }
        if (addr >= kRomBase && addr < 0x100000) return;  // ROM (and nothing) above C0000
        if (addr >= lfb_bar_ && addr - lfb_bar_ < kVgaVramBytes) {
            vga_.lfb_write(addr - lfb_bar_, value);
            return;
        }
        if (addr < ram_.size()) ram_[addr] = value;
    }
    std::uint8_t peek8(std::uint32_t addr) const override { return peek(addr); }
    std::uint32_t io_read(std::uint16_t port, unsigned size) override {
        sync();
        if (port >= kVgaPortBase && port < kVgaPortBase + kVgaPortCount)
            return vga_.vga_ports().read(port - kVgaPortBase, size);
        if (port >= kDispiPortBase && port < kDispiPortBase + kDispiPortCount)
            return vga_.dispi_ports().read(port - kDispiPortBase, size);
        if (port == 0xCF8 && size == 4) return pci_address_;
        if (port >= 0xCFC && port < 0xD00) return pci_read(port - 0xCFC, size);
        if (port == 0x61) {
            refresh_ ^= 0x10;  // the refresh-detect bit toggles (fast, for the bell's wait)
            return refresh_ | port61_;
        }
        return size == 1 ? 0xFF : (size == 2 ? 0xFFFF : 0xFFFFFFFFu);
    }
    void io_write(std::uint16_t port, std::uint32_t value, unsigned size) override {
        sync();
        if (port >= kVgaPortBase && port < kVgaPortBase + kVgaPortCount) {
            vga_.vga_ports().write(port - kVgaPortBase, value, size);
        } else if (port >= kDispiPortBase && port < kDispiPortBase + kDispiPortCount) {
            vga_.dispi_ports().write(port - kDispiPortBase, value, size);
        } else if (port == 0xCF8 && size == 4) {
            pci_address_ = value;
        } else if (port == 0x61) {
            port61_ = static_cast<std::uint8_t>(value & 0x0F);
            if ((value & 0x03) == 0x03) ++beeps_started_;
        } else if (port == 0xF4) {
            exited_ = true;
        }
    }
    bool stop_requested() const override { return exited_; }

    unsigned beeps_started() const { return beeps_started_; }

private:
    void sync() {
        const Cycles now = cpu_->state().cycles;
        if (now > scheduler_.now()) scheduler_.advance_to(now);
    }
    void set_vector(unsigned v, std::uint16_t seg, std::uint16_t off) {
        poke16(v * 4, off);
        poke16(v * 4 + 2, seg);
    }
    // Bus 0, device 2, function 0 is the VGA: ID 1234:1111, BAR 0 = the framebuffer.
    std::uint32_t pci_read(unsigned byte, unsigned size) const {
        std::uint32_t v = 0xFFFFFFFFu;
        if ((pci_address_ & 0x80000000u) != 0 && ((pci_address_ >> 8) & 0xFFFF) == (2u << 3)) {
            switch (pci_address_ & 0xFC) {
                case 0x00: v = 0x11111234u; break;
                case 0x08: v = 0x03000000u; break;
                case 0x10: v = lfb_bar_ | 0x8; break;  // prefetchable 32-bit memory
                default: v = 0; break;
            }
        }
        v >>= 8 * byte;
        return size == 4 ? v : (size == 2 ? (v & 0xFFFF) : (v & 0xFF));
    }

    Regs run_at(std::uint32_t ip, const Regs& in, std::size_t length = 0) {
        CpuState s;
        cpu_->get_state(s);
        auto set_seg = [&](Seg seg, std::uint16_t sel) {
            s.segment(seg).selector = sel;
            s.segment(seg).base = sel * 16u;
        };
        s.gpr[static_cast<int>(Reg::AX)] = in.eax;
        s.gpr[static_cast<int>(Reg::BX)] = in.ebx;
        s.gpr[static_cast<int>(Reg::CX)] = in.ecx;
        s.gpr[static_cast<int>(Reg::DX)] = in.edx;
        s.gpr[static_cast<int>(Reg::SI)] = in.esi;
        s.gpr[static_cast<int>(Reg::DI)] = in.edi;
        s.gpr[static_cast<int>(Reg::BP)] = in.ebp;
        s.gpr[static_cast<int>(Reg::SP)] = 0x7000;
        set_seg(Seg::ES, in.es);
        set_seg(Seg::DS, in.ds);
        set_seg(Seg::SS, 0);
        set_seg(Seg::CS, 0);
        s.eip = ip;
        s.eflags = flag::R1;  // IF = 0: the HLT at the end stops the run
        s.halted = false;
        cpu_->set_state(s);
        StopReason why = StopReason::BudgetExhausted;
        for (int slice = 0; slice < 4000 && why != StopReason::Halted && why != StopReason::Shutdown; ++slice)
            why = cpu_->run(1u << 20);
        cpu_->get_state(s);
        if (why != StopReason::Halted) {
            char where[64];
            std::snprintf(where, sizeof where, " (stopped at %04X:%04X)", s.segment(Seg::CS).selector,
                          static_cast<unsigned>(s.eip));
            throw std::runtime_error(std::string("the BIOS call did not return") + where);
        }
        if (s.eip != ip + (length != 0 ? length : (ip == kStub ? 3u : 6u)))
            throw std::runtime_error("the BIOS call returned somewhere else");
        if (s.gpr[static_cast<int>(Reg::SP)] != 0x7000) throw std::runtime_error("the stack is unbalanced");
        Regs out;
        out.eax = s.gpr[static_cast<int>(Reg::AX)];
        out.ebx = s.gpr[static_cast<int>(Reg::BX)];
        out.ecx = s.gpr[static_cast<int>(Reg::CX)];
        out.edx = s.gpr[static_cast<int>(Reg::DX)];
        out.esi = s.gpr[static_cast<int>(Reg::SI)];
        out.edi = s.gpr[static_cast<int>(Reg::DI)];
        out.ebp = s.gpr[static_cast<int>(Reg::BP)];
        out.es = s.segment(Seg::ES).selector;
        out.ds = s.segment(Seg::DS).selector;
        out.eflags = s.eflags;
        return out;
    }

    std::vector<std::uint8_t> rom_;
    std::vector<std::uint8_t> ram_;
    std::uint32_t lfb_bar_;
    Scheduler scheduler_{};
    Vga vga_;
    std::unique_ptr<Interpreter> cpu_;
    std::uint32_t pci_address_ = 0;
    std::uint8_t refresh_ = 0;
    std::uint8_t port61_ = 0;
    unsigned beeps_started_ = 0;
    std::uint32_t rom_window_ = kRomBytes;
    bool exited_ = false;
};

}  // namespace lantern::testing
