#include "devices/system/fast_a20_port.h"

namespace lantern {

void FastA20Port::reset() {
    const bool had_a20 = a20_enabled();
    value_ = 0;
    if (had_a20 && set_a20_) set_a20_(false);
}

void FastA20Port::write(std::uint32_t offset, std::uint32_t value, unsigned) {
    if (offset != 0) return;
    const std::uint8_t old = value_;
    value_ = static_cast<std::uint8_t>(value);
    if (((old ^ value_) & kA20) && set_a20_) set_a20_((value_ & kA20) != 0);
    if ((value_ & kFastReset) && !(old & kFastReset)) {
        // The reset pulse is issued on the rising edge; the bit then reads back 0 as the system
        // comes out of reset, so the next 0 -> 1 write resets again.
        value_ &= static_cast<std::uint8_t>(~kFastReset);
        if (reset_cpu_) reset_cpu_();
    }
}

void FastA20Port::inspect(StateVisitor& v) {
    StateGroup g(v, "port92");
    v.visit("value", value_, "bit 0 fast reset, bit 1 A20");
    if (v.loading() && set_a20_) set_a20_(a20_enabled());
}

}  // namespace lantern
