// Machine: one emulated PC. It owns everything — RAM and ROM bytes, the memory and port maps, the
// scheduler, the devices and the CPU — and nothing lives in globals, so two Machines never share
// state and a test can build as many as it likes.
//
// The CPU sees the world only through CpuBus, which the Machine implements. The run loop hands
// the CPU a cycle budget that ends at the scheduler's next event, fires the events that are due,
// and repeats until something stops the run. Everything the guest can observe depends only on the
// configuration and the guest's own actions: the host's clock can end a run (--timeout) but is
// read only between slices and never changes what the guest sees.
//
// Time: the scheduler's now() equals the CPU's cycle count whenever a device is accessed (every
// bus access first brings the scheduler up to the CPU), so a device computes its state from
// now() exactly. A device that schedules an event earlier than the end of the CPU's current
// budget (a reprogrammed timer) is served on time too: stop_requested() answers true at once,
// the CPU returns at the next instruction boundary, and the loop recomputes the budget up to the
// new event, fires it when due and goes on.
//
// The board: the PC/AT's two 8259As (IRQ0-15, irq(n)), the 8254 timer (OUT0 -> IRQ0, GATE2 and
// OUT2 on port 0x61) and system control port B (0x61). Both CPU models get the AT's interrupt
// layout for now; the PC/XT's single 8259A and 8255 PPI arrive with that board.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cpu/cpu_backend.h"
#include "cpu/cpu_bus.h"
#include "cpu/cpu_model.h"
#include "cpu/state_visitor.h"
#include "devices/debug_ports.h"
#include "devices/device_event.h"
#include "devices/irq_line.h"
#include "devices/memory_map.h"
#include "devices/pc/pc_board.h"
#include "devices/pic/dual_pic.h"
#include "devices/port_map.h"
#include "devices/scheduler.h"
#include "devices/timer/pit8254.h"
#include "devices/timer/system_control_port.h"

namespace lantern {

class Interpreter;

struct MachineConfig {
    CpuModel cpu_model = CpuModel::I8086;
    std::uint32_t memory_mib = 1;           // installed RAM
    std::uint64_t cpu_freq_hz = 4'772'727;  // the IBM PC's 14.31818 MHz crystal / 3
    std::vector<std::uint8_t> bios_image{}; // mapped to end at 0xFFFFF (empty: no ROM)
    // The rest of the PC/AT (CMOS, 8042, DMA, floppy, IDE, PCI, VGA): off for bare ROM runs.
    bool pc_board = false;
    PcBoardConfig board{};
    // The CPU's decoded-block cache (cpu/block_cache.h): speed only, never a different result.
    bool block_cache = true;
};

// Defaults and limits per model, shared with the command line.
std::uint32_t default_memory_mib(CpuModel m);  // 1 MiB on the 8086, 4 MiB on the 286
std::uint32_t max_memory_mib(CpuModel m);      // what the address bus reaches: 1 MiB, 16 MiB
std::uint64_t default_cpu_freq_hz(CpuModel m); // 4.77 MHz (IBM PC 5150), 8 MHz (IBM PC/AT 5170)
inline constexpr std::size_t kMaxBiosBytes = 256 * 1024;  // C0000-FFFFF, above the 640 KiB of RAM

// An empty string when `config` can be built, otherwise why not (one sentence, for the user).
std::string validate(const MachineConfig& config);

enum class MachineStop : std::uint8_t {
    DebugExit,        // the guest wrote port 0xF4
    Halted,           // HLT with nothing that can ever wake the CPU (interrupts off, or every
                      // interrupt source masked or idle)
    Shutdown,         // triple fault / shutdown cycle
    InstructionLimit, // RunLimits::max_instructions retired
    HostTimeout,      // RunLimits::host_timeout of wall-clock time passed
    StopRequested,    // request_stop() (debugger, GUI)
    PowerOff,         // the OS powered the machine off (ACPI S5 through the PIIX4 PM block)
    CycleLimit,       // RunLimits::stop_at_cycle reached
};
std::string_view machine_stop_name(MachineStop s);

struct RunLimits {
    std::uint64_t max_instructions = 0;             // counted from the start of run(); 0: none
    std::chrono::nanoseconds host_timeout{0};       // wall-clock; 0: none
    Cycles stop_at_cycle = 0;                       // virtual time: stop when the CPU reaches it; 0: none
};

struct RunResult {
    MachineStop reason = MachineStop::StopRequested;
    std::uint32_t debug_exit_value = 0;  // for DebugExit
    bool interrupts_enabled = false;     // for Halted: HLT with IF=1 but no interrupt source
    std::uint64_t instructions = 0;      // retired during this run
    Cycles cycles = 0;                   // CPU cycles during this run
};

class Machine final : public CpuBus, public Inspectable {
public:
    // Throws std::invalid_argument with validate()'s message if the config cannot be built.
    explicit Machine(MachineConfig config);
    ~Machine() override;
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    // Power-on reset: RAM cleared, devices and scheduler reset, CPU at its reset vector.
    void reset();
    // Runs until a stop condition; can be called again to continue (after clearing a debug exit
    // with debug_exit().clear()).
    RunResult run(const RunLimits& limits = {});
    // Asks a running run() to return at the next instruction boundary (safe from another thread).
    void request_stop() { stop_flag_.store(true, std::memory_order_relaxed); }

    // Device events (devices/device_event.h) go to `sink` (the debugger); null: nobody listens.
    // A sink that wants the run to stop calls request_stop(): run() then returns at the next
    // instruction boundary, before the CPU reacts to the event.
    void set_event_sink(DeviceEventSink* sink) { event_sink_ = sink; }
    void notify_event(const DeviceEvent& event) {
        if (event_sink_) event_sink_->device_event(event);
    }

    const MachineConfig& config() const { return config_; }
    CpuBackend& cpu();
    Interpreter& interpreter() { return *cpu_; }
    Scheduler& scheduler() { return scheduler_; }
    MemoryMap& memory() { return memory_; }
    PortMap& ports() { return ports_; }
    DebugConsole& debug_console() { return debug_console_; }
    DebugExit& debug_exit() { return debug_exit_; }
    PostCode& post_code() { return post_code_; }
    DualPic& pic() { return pic_; }
    PcBoard* board() { return board_.get(); }
    Pit8254& pit() { return pit_; }
    SystemControlPortB& port61() { return port61_; }
    // The interrupt request lines of the bus, IRQ0-15, wired to the PICs. irq(2) is irq(9): the
    // master's IR2 carries the slave, and the AT wires the slot pin the PC called IRQ2 to IRQ9.
    IrqLine& irq(unsigned n) { return irq_lines_.at(n == kPicCascadeIr ? 9 : n); }
    std::span<std::uint8_t> ram() { return ram_; }

    // Copies bytes into RAM at a physical address (tests, loaders); bytes outside RAM are dropped.
    void load_ram(std::uint32_t addr, std::span<const std::uint8_t> bytes);

    // CpuBus. Every access first brings the scheduler's time up to the CPU's (memory too: an
    // access may reach a memory-mapped device).
    std::uint8_t mem_read8(std::uint32_t addr) override {
        sync_time();
        return memory_.read8(addr);
    }
    void mem_write8(std::uint32_t addr, std::uint8_t value) override {
        sync_time();
        memory_.write8(addr, value);
    }
    std::uint16_t mem_read16(std::uint32_t addr) override {
        sync_time();
        return memory_.read16(addr);
    }
    void mem_write16(std::uint32_t addr, std::uint16_t value) override {
        sync_time();
        memory_.write16(addr, value);
    }
    std::uint32_t io_read(std::uint16_t port, unsigned size) override {
        sync_time();
        return ports_.read(port, size);
    }
    void io_write(std::uint16_t port, std::uint32_t value, unsigned size) override {
        sync_time();
        ports_.write(port, value, size);
    }
    // Code caching (cpu/block_cache.h): the memory map serves and watches code pages.
    CodePage code_page(std::uint32_t addr) override { return memory_.code_page(addr); }
    void set_code_write_listener(CodeWriteListener* listener) override {
        memory_.set_code_write_listener(listener);
    }
    void unwatch_code_pages() override { memory_.unwatch_code_pages(); }
    bool intr_pending() override { return pic_.intr(); }
    std::uint8_t intr_acknowledge() override {
        sync_time();
        return pic_.acknowledge();
    }
    // Also true when a device has scheduled an event earlier than the end of the budget the CPU
    // was given (a reprogrammed timer), or one that is already due: the CPU returns after the
    // instruction that did it, and the loop recomputes the budget. (Returning at once matters
    // for HLT: the interpreter idles a halted CPU straight to its budget's end.)
    // The debugger's side-effect-free reads (and the CPU's peek_translate page walks).
    std::uint8_t peek8(std::uint32_t addr) const override { return memory_.peek8(addr); }
    bool stop_requested() const override {
        const Cycles next = scheduler_.next_event();
        return debug_exit_.requested() || stop_flag_.load(std::memory_order_relaxed) || next < slice_end_ ||
               next <= *cpu_cycles_ ||
               (board_ && (board_->cpu_reset_requested() || board_->powered_off()));
    }

    // Inspectable: the machine's configuration, then every component in turn.
    std::string_view inspect_name() const override { return "machine"; }
    void inspect(StateVisitor& v) override;

    // The longest slice the CPU runs without returning to the loop, so host-side checks (timeout,
    // stop requests) stay responsive even when no device event is pending. Guest-invisible: the
    // CPU is cycle-exact, so splitting a run into slices changes nothing it can observe.
    static constexpr Cycles kMaxSliceCycles = 1u << 20;

private:
    void map_memory();
    void map_devices();
    bool halted_forever();
    void reset_cpu_only();
    // The scheduler's now() := the CPU's cycle count (never backward).
    void sync_time() {
        if (*cpu_cycles_ > scheduler_.now()) scheduler_.advance_to(*cpu_cycles_);
    }

    MachineConfig config_;
    std::vector<std::uint8_t> ram_{};
    std::vector<std::uint8_t> bios_{};
    MemoryMap memory_{};
    PortMap ports_{};
    Scheduler scheduler_{};
    DebugConsole debug_console_{};
    DebugExit debug_exit_{};
    PostCode post_code_{};
    std::array<IrqLine, 16> irq_lines_{};
    DualPic pic_{};
    Pit8254 pit_;                  // after scheduler_: it holds events there
    SystemControlPortB port61_;
    std::unique_ptr<PcBoard> board_{};  // after the buses, lines and PICs it is wired to
    std::unique_ptr<Interpreter> cpu_{};
    const Cycles* cpu_cycles_ = nullptr;  // the CPU's cycle counter (CpuState::cycles)
    Cycles slice_end_ = 0;                // where the CPU's current budget ends (0: not running)
    std::atomic<bool> stop_flag_{false};
    DeviceEventSink* event_sink_ = nullptr;  // the debugger, when one is attached
};

}  // namespace lantern
