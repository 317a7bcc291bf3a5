// Fdc82077: virtual time. Every delay is computed in nanoseconds and converted to CPU cycles
// through an exact ClockDomain, so the same command takes the same number of cycles every run.
#include <algorithm>

#include "devices/floppy/fdc82077.h"
#include "devices/floppy/fdc82077_bits.h"

namespace lantern {

using namespace fdc;

std::uint64_t Fdc82077::scaled_ns(std::uint64_t ns_at_500k) const {
    // The datasheet's SPECIFY table (Table 5-10) lists the delays for each data rate: they scale
    // with 500 kbps / rate because the chip's timers run off the data rate clock.
    return ns_at_500k * 500 / data_rate_kbps();
}

std::uint64_t Fdc82077::mech_ns(std::uint64_t ns) const {
    return options_.fast ? std::max<std::uint64_t>(1, ns / kFastDivisor) : ns;
}

std::uint64_t Fdc82077::step_ns() const { return mech_ns(scaled_ns((16u - srt_) * 1'000'000ull)); }

std::uint64_t Fdc82077::head_load_ns() const {
    return mech_ns(scaled_ns((hlt_ == 0 ? 128u : hlt_) * 2'000'000ull));
}

std::uint64_t Fdc82077::head_unload_ns() const {
    return mech_ns(scaled_ns((hut_ == 0 ? 16u : hut_) * 16'000'000ull));
}

std::uint64_t Fdc82077::revolution_ns(const FloppyDrive& d) const {
    return mech_ns(60'000'000'000ull / std::max<std::uint32_t>(1, d.spec().rpm));
}

std::uint64_t Fdc82077::spindle_ns(const FloppyDrive& d, Cycles t) const {
    return t <= d.spin_epoch ? 0 : ns_clock_.to_ticks(t - d.spin_epoch);
}

Cycles Fdc82077::spindle_cycles(const FloppyDrive& d, std::uint64_t ns) const {
    return d.spin_epoch + ns_clock_.to_cycles(ns);
}

std::uint64_t Fdc82077::next_at(std::uint64_t pos, std::uint64_t offset, std::uint64_t rev) {
    std::uint64_t t = pos - pos % rev + offset;
    if (t < pos) t += rev;
    return t;
}

void Fdc82077::schedule(Step step, Cycles when) {
    scheduler_.cancel(step_event_);
    step_ = step;
    step_when_ = when;
    step_event_ = scheduler_.at(when, [this](Cycles w) { on_event(w); }, "fdc");
}

void Fdc82077::on_event(Cycles when) {
    step_event_ = kNoEvent;
    const Step step = step_;
    step_ = Step::None;
    switch (step) {
        case Step::None: break;
        case Step::ResetPoll:
            if (!poll_disabled_)
                for (unsigned d = 0; d < kDrives; ++d)
                    push_sense(static_cast<std::uint8_t>(kSt0Polling | d), pcn_[d]);
            update_irq();
            break;
        case Step::Locate:
            if (exec_.physical >= 0) exec_.pos_ns = spindle_ns(drives_[exec_.physical], when);
            locate();
            break;
        case Step::SectorStart: sector_start(); break;
        case Step::SectorEnd: sector_end(); break;
        case Step::FormatSector: format_sector(); break;
        case Step::Finish: finish(exec_.st0, exec_.st1, exec_.st2); break;
    }
}

}  // namespace lantern
