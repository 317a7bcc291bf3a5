#include "devices/machine.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>

#include "cpu/interpreter.h"

namespace lantern {

namespace {
constexpr std::uint32_t kConventionalEnd = 0xA0000;  // 640 KiB: video memory starts at A0000
constexpr std::uint32_t kOneMiB = 0x100000;
}  // namespace

std::uint32_t default_memory_mib(CpuModel m) {
    if (m >= CpuModel::I80386) return 32;
    return m >= CpuModel::I80286 ? 4 : 1;
}

std::uint32_t max_memory_mib(CpuModel m) {
    if (m >= CpuModel::I80386) return 4096;
    return (address_mask(m) + 1) >> 20;  // 1 MiB on the 8086/186, 16 MiB on the 286
}

std::uint64_t default_cpu_freq_hz(CpuModel m) {
    // IBM PC 5150: 14.31818 MHz / 3 (Technical Reference, "System Board"); IBM PC/AT 5170
    // model 339: 8 MHz.
    // 386 and later: 33 MHz, a common board clock; --mhz sets any other.
    if (m >= CpuModel::I80386) return 33'000'000;
    return m >= CpuModel::I80286 ? 8'000'000 : 4'772'727;
}

std::string validate(const MachineConfig& c) {
    if (!is_supported(c.cpu_model))
        return "CPU model " + std::string(cpu_model_name(c.cpu_model)) + " is not supported yet";
    const std::uint32_t max_mib = max_memory_mib(c.cpu_model);
    if (c.memory_mib < 1 || c.memory_mib > max_mib) {
        return "the " + std::string(cpu_model_name(c.cpu_model)) + " addresses " + std::to_string(max_mib) +
               " MiB: memory must be " + (max_mib == 1 ? std::string("1") : "1.." + std::to_string(max_mib)) +
               " MiB, not " + std::to_string(c.memory_mib);
    }
    if (c.cpu_freq_hz == 0) return "the CPU clock must be above 0 Hz";
    if (c.bios_image.size() > kMaxBiosBytes) {
        return "the BIOS image is " + std::to_string(c.bios_image.size()) + " bytes; at most " +
               std::to_string(kMaxBiosBytes / 1024) + " KiB fits below 1 MiB";
    }
    return {};
}

std::string_view machine_stop_name(MachineStop s) {
    switch (s) {
        case MachineStop::DebugExit: return "debug exit";
        case MachineStop::Halted: return "halted";
        case MachineStop::Shutdown: return "shutdown";
        case MachineStop::InstructionLimit: return "instruction limit";
        case MachineStop::HostTimeout: return "host timeout";
        case MachineStop::StopRequested: return "stop requested";
        case MachineStop::PowerOff: return "power off";
        case MachineStop::CycleLimit: return "cycle limit";
    }
    return "?";
}

namespace {
MachineConfig checked(MachineConfig config) {
    if (const std::string why = validate(config); !why.empty()) throw std::invalid_argument(why);
    return config;
}
}  // namespace

Machine::Machine(MachineConfig config)
    : config_(checked(std::move(config))),
      pit_(scheduler_, pit_clock_domain(config_.cpu_freq_hz)),
      port61_(pit_) {
    ram_.assign(static_cast<std::size_t>(config_.memory_mib) << 20, 0);
    bios_ = config_.bios_image;
    map_memory();
    map_devices();
    if (config_.pc_board) board_ = std::make_unique<PcBoard>(*this, config_.board);

    cpu_ = std::make_unique<Interpreter>(config_.cpu_model, *this);
    cpu_cycles_ = &cpu_->state().cycles;
    cpu_->set_block_cache_enabled(config_.block_cache);
    reset();
}

Machine::~Machine() = default;

CpuBackend& Machine::cpu() { return *cpu_; }

void Machine::map_memory() {
    const CpuModel model = config_.cpu_model;
    memory_.set_bus_mask(address_mask(model));
    const std::uint64_t top = static_cast<std::uint64_t>(address_mask(model)) + 1;

    // The BIOS ROM ends at FFFFF, where the 8086 starts (FFFF:0000, 8086 Family User's Manual,
    // "System Reset"). The 286 starts at FFFFF0 (80286 Programmer's Reference 10.1), so the AT
    // board decodes the same ROM again at the top of its 16 MiB (IBM PC/AT Technical Reference,
    // "System Memory Map"); a 386 looks at the top of 4 GiB. The first far jump then continues
    // in the copy below 1 MiB.
    const std::uint32_t bios_size = static_cast<std::uint32_t>(bios_.size());
    std::uint64_t alias_base = top;
    if (bios_size > 0) {
        memory_.map_rom(kOneMiB - bios_size, bios_, "bios");
        if (top > kOneMiB) {
            alias_base = top - bios_size;
            memory_.map_rom(static_cast<std::uint32_t>(alias_base), bios_, "bios_alias");
        }
    }

    // Conventional memory: at most 640 KiB at address 0 (A0000-FFFFF is video memory, adapter
    // ROMs and the BIOS). Extended memory: the rest from 1 MiB up, on CPUs that reach it, below
    // the BIOS alias.
    const std::size_t conventional = std::min<std::size_t>(ram_.size(), kConventionalEnd);
    memory_.map_ram(0, std::span(ram_).first(conventional), "conventional_ram");
    if (top > kOneMiB && ram_.size() > kOneMiB) {
        const std::uint64_t end = std::min<std::uint64_t>(ram_.size(), alias_base);
        if (end > kOneMiB)
            memory_.map_ram(kOneMiB, std::span(ram_).subspan(kOneMiB, end - kOneMiB), "extended_ram");
    }
}

void Machine::map_devices() {
    ports_.map(kPicMasterPort, 2, pic_.master(), "pic_master");
    ports_.map(kPicSlavePort, 2, pic_.slave(), "pic_slave");
    ports_.map(kPitPort, 4, pit_, "pit");
    ports_.map(kSystemControlPortB, 1, port61_, "port61");
    ports_.map(kDebugConsolePort, 1, debug_console_, "debugcon");
    ports_.map(kDebugExitPort, 1, debug_exit_, "debug_exit");
    ports_.map(kPostCodePort, 1, post_code_, "post_code");

    // IBM PC/AT Technical Reference, "System Board", hardware interrupt listing: IRQ0 is the
    // timer's OUT0; the other lines come from the slots and the board's devices as they arrive.
    for (unsigned n = 0; n < irq_lines_.size(); ++n)
        if (n != kPicCascadeIr) pic_.connect(n, irq_lines_[n]);
    pit_.connect_output(0, &irq_lines_[0]);
    pit_.set_event_report([this](const DeviceEvent& e) { notify_event(e); });
    // Device events: a rising edge on a bus IRQ line (the debugger's "IRQ raised" breakpoint).
    for (unsigned n = 0; n < irq_lines_.size(); ++n)
        irq_lines_[n].set_tap([this, n](bool level) {
            if (level) notify_event(DeviceEvent{DeviceEventKind::IrqRaised, n, 0});
        });
}

void Machine::reset() {
    std::fill(ram_.begin(), ram_.end(), 0);
    scheduler_.reset();
    pic_.reset();
    pit_.reset();
    port61_.reset();
    debug_exit_.clear();
    memory_.set_a20_enabled(true);
    stop_flag_.store(false, std::memory_order_relaxed);
    cpu_->reset();
    if (board_) board_->power_on();
}

// The 8042 or port 92h pulsed the CPU's RESET line (the 286 way back to real mode): the CPU
// restarts at its reset vector while RAM and the chips keep their state, and time runs on.
void Machine::reset_cpu_only() {
    const Cycles cycles = cpu_->state().cycles;
    const std::uint64_t instructions = cpu_->state().instructions;
    cpu_->reset();
    cpu_->state().cycles = cycles;
    cpu_->state().instructions = instructions;
}

void Machine::load_ram(std::uint32_t addr, std::span<const std::uint8_t> bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const std::uint64_t a = static_cast<std::uint64_t>(addr) + i;
        if (a < ram_.size()) ram_[a] = bytes[i];
    }
    memory_.note_external_write();  // past the bus: cached code there must be decoded again
}

bool Machine::halted_forever() {
    // HLT with IF=1 waits for an interrupt. With no INTR and no NMI now, one can only come from
    // a device event; with no pending event, or with every PIC input masked or blocked behind an
    // in-service level (only the halted CPU could change that), nothing can ever deliver one:
    // the guest has stopped as surely as with IF=0. (No device raises NMI yet; one that does
    // from an event must be counted here.)
    const CpuState& s = cpu_->state();
    if (!s.halted || s.nmi_pending || intr_pending()) return false;
    return scheduler_.next_event() == kNever || !pic_.can_interrupt();
}

RunResult Machine::run(const RunLimits& limits) {
    using Clock = std::chrono::steady_clock;
    const bool timed = limits.host_timeout.count() > 0;
    const Clock::time_point deadline =
        timed ? Clock::now() + std::chrono::duration_cast<Clock::duration>(limits.host_timeout)
              : Clock::time_point::max();
    const std::uint64_t start_instructions = cpu_->state().instructions;
    const Cycles start_cycles = cpu_->state().cycles;
    stop_flag_.store(false, std::memory_order_relaxed);

    auto finish = [&](MachineStop reason) {
        RunResult r;
        r.reason = reason;
        r.debug_exit_value = debug_exit_.value();
        r.interrupts_enabled = (cpu_->state().eflags & flag::IF) != 0;
        r.instructions = cpu_->state().instructions - start_instructions;
        r.cycles = cpu_->state().cycles - start_cycles;
        return r;
    };

    if (debug_exit_.requested()) return finish(MachineStop::DebugExit);
    if (board_ && board_->powered_off()) return finish(MachineStop::PowerOff);
    for (;;) {
        sync_time();
        scheduler_.run_due_events();
        if (debug_exit_.requested()) return finish(MachineStop::DebugExit);
        // An event asked to stop (a debugger's device-event breakpoint): before the CPU reacts.
        if (stop_flag_.load(std::memory_order_relaxed)) return finish(MachineStop::StopRequested);

        const Cycles now = scheduler_.now();
        if (limits.stop_at_cycle != 0 && cpu_->state().cycles >= limits.stop_at_cycle)
            return finish(MachineStop::CycleLimit);
        Cycles budget = std::min(scheduler_.next_event() - now, kMaxSliceCycles);
        if (limits.stop_at_cycle != 0) budget = std::min(budget, limits.stop_at_cycle - cpu_->state().cycles);
        StopReason why;
        slice_end_ = now + budget;
        if (limits.max_instructions != 0) {
            const std::uint64_t done = cpu_->state().instructions - start_instructions;
            if (done >= limits.max_instructions) {
                slice_end_ = 0;
                return finish(MachineStop::InstructionLimit);
            }
            why = cpu_->run(budget, limits.max_instructions - done);
        } else {
            why = cpu_->run(budget);
        }
        slice_end_ = 0;
        sync_time();
        if (board_ && board_->powered_off()) return finish(MachineStop::PowerOff);
        if (board_ && board_->take_cpu_reset_request()) {
            reset_cpu_only();
            continue;
        }

        switch (why) {
            case StopReason::StopRequested:
                if (debug_exit_.requested()) return finish(MachineStop::DebugExit);
                break;
            case StopReason::Halted: return finish(MachineStop::Halted);
            case StopReason::Shutdown: return finish(MachineStop::Shutdown);
            case StopReason::InstructionLimit: return finish(MachineStop::InstructionLimit);
            case StopReason::BudgetExhausted: break;
            default: return finish(MachineStop::StopRequested);  // a stop the board has no name for
        }
        scheduler_.run_due_events();
        if (debug_exit_.requested()) return finish(MachineStop::DebugExit);
        if (halted_forever()) return finish(MachineStop::Halted);
        if (stop_flag_.load(std::memory_order_relaxed)) return finish(MachineStop::StopRequested);
        if (timed && Clock::now() >= deadline) return finish(MachineStop::HostTimeout);
    }
}

void Machine::inspect(StateVisitor& v) {
    StateGroup g(v, "machine");
    {
        StateGroup cg(v, "config");
        CpuModel model = config_.cpu_model;
        std::uint32_t memory_mib = config_.memory_mib;
        std::uint64_t freq_hz = config_.cpu_freq_hz;
        std::uint64_t bios_bytes = bios_.size();
        v.visit("cpu_model", model, "CpuModel (0 8086, 2 80286)");
        v.visit("memory_mib", memory_mib, "installed RAM in MiB");
        v.visit("cpu_freq_hz", freq_hz, "CPU clock");
        v.visit("bios_bytes", bios_bytes, "size of the BIOS ROM image");
    }
    cpu_->inspect(v);
    scheduler_.inspect(v);
    memory_.inspect(v);
    {
        StateGroup rg(v, "ram");
        v.bytes("bytes", ram_);
    }
    ports_.inspect(v);
    if (!v.loading()) {  // the lines are driven by the devices, which restore them
        StateGroup ig(v, "irq_lines");
        for (unsigned n = 0; n < irq_lines_.size(); ++n) {
            if (n == kPicCascadeIr) continue;
            bool level = irq_lines_[n].level();
            v.visit("irq" + std::to_string(n), level, "bus interrupt request line level");
        }
    }
    pic_.inspect(v);
    pit_.inspect(v);
    port61_.inspect(v);
    debug_console_.inspect(v);
    debug_exit_.inspect(v);
    post_code_.inspect(v);
    if (board_) board_->inspect(v);
}

}  // namespace lantern
