// The one inspection interface: every CPU part and device lists its named fields through it.
//
// The GUI panes, the debugger's `info device`, snapshots and traces all walk components with a
// StateVisitor, so what a student sees on screen is exactly what a snapshot stores. The same walk
// restores state: a visitor whose `loading()` is true writes values back into the fields it is
// shown, so a component describes its state once and gets inspection, save and load from it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace lantern {

class StateVisitor {
public:
    virtual ~StateVisitor() = default;
    // True when the visitor loads values into the component (snapshot restore).
    virtual bool loading() const { return false; }
    // Groups nest: "pic.master", "pit.channel0", ...
    virtual void begin_group(std::string_view name) = 0;
    virtual void end_group() = 0;
    // A numeric field of `bits` width (1 for a flag). `description` is optional help text.
    virtual void field(std::string_view name, std::uint64_t& value, unsigned bits,
                       std::string_view description) = 0;
    virtual void text(std::string_view name, std::string& value) = 0;
    // Raw bytes (RAM, FIFOs, NVRAM); a loading visitor fills the span in place.
    virtual void bytes(std::string_view name, std::span<std::uint8_t> data) = 0;

    // Typed convenience: any integer, bool or enum field.
    template <class T>
    void visit(std::string_view name, T& value, std::string_view description = {}) {
        static_assert(std::is_integral_v<T> || std::is_enum_v<T>);
        std::uint64_t v = to_u64(value);
        constexpr unsigned bits = std::is_same_v<T, bool> ? 1u : unsigned(sizeof(T) * 8);
        field(name, v, bits, description);
        if (loading()) value = static_cast<T>(v);
    }

private:
    template <class T>
    static std::uint64_t to_u64(T v) {
        if constexpr (std::is_enum_v<T>)
            return static_cast<std::uint64_t>(static_cast<std::underlying_type_t<T>>(v));
        else
            return static_cast<std::uint64_t>(v);
    }
};

// Something that can be inspected (and, with a loading visitor, restored).
class Inspectable {
public:
    virtual ~Inspectable() = default;
    virtual std::string_view inspect_name() const = 0;
    virtual void inspect(StateVisitor& v) = 0;
};

// RAII group helper: `StateGroup g(v, "channel0");`
class StateGroup {
public:
    StateGroup(StateVisitor& v, std::string_view name) : v_(v) { v_.begin_group(name); }
    ~StateGroup() { v_.end_group(); }
    StateGroup(const StateGroup&) = delete;
    StateGroup& operator=(const StateGroup&) = delete;

private:
    StateVisitor& v_;
};

}  // namespace lantern
