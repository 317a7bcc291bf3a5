// A fixed-capacity byte FIFO with storage that never moves or grows, so a snapshot can save and
// restore it as raw bytes plus a head index and a count. Every index is reduced modulo the
// capacity and counts are clamped, so even a corrupted snapshot cannot make it read or write
// outside its array.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "cpu/state_visitor.h"

namespace lantern {

template <std::size_t Capacity>
class ByteFifo {
public:
    static_assert(Capacity > 0 && Capacity <= 256);

    std::size_t size() const { return count_; }
    bool empty() const { return count_ == 0; }
    bool full() const { return count_ >= limit_; }
    // A FIFO can be run at a smaller depth (a 16550 in 16450 mode holds one byte).
    void set_limit(std::size_t limit) { limit_ = limit == 0 ? 1 : (limit > Capacity ? Capacity : limit); }
    std::size_t limit() const { return limit_; }

    // Returns false (and drops the byte) when full.
    bool push(std::uint8_t v) {
        if (full()) return false;
        data_[(head_ + count_) % Capacity] = v;
        ++count_;
        return true;
    }
    // The oldest byte; 0 when empty.
    std::uint8_t front() const { return empty() ? 0 : data_[head_ % Capacity]; }
    std::uint8_t at(std::size_t i) const { return i < count_ ? data_[(head_ + i) % Capacity] : 0; }
    std::uint8_t pop() {
        if (empty()) return 0;
        const std::uint8_t v = data_[head_ % Capacity];
        head_ = (head_ + 1) % Capacity;
        --count_;
        return v;
    }
    // Replaces the newest byte (a 16450-mode THR or RBR written again before it was taken).
    void replace_back(std::uint8_t v) {
        if (!empty()) data_[(head_ + count_ - 1) % Capacity] = v;
    }
    void clear() {
        head_ = 0;
        count_ = 0;
    }

    void inspect(StateVisitor& v, std::string_view name) {
        StateGroup g(v, name);
        v.visit("head", head_, "index of the oldest byte in `data`");
        v.visit("count", count_, "bytes held");
        v.visit("limit", limit_, "bytes it can hold in the current mode");
        v.bytes("data", std::span<std::uint8_t>(data_));
        if (v.loading()) {
            head_ %= Capacity;
            if (count_ > Capacity) count_ = Capacity;
            set_limit(limit_);
            if (count_ > limit_) count_ = limit_;
        }
    }

private:
    std::array<std::uint8_t, Capacity> data_{};
    std::size_t head_ = 0;
    std::size_t count_ = 0;
    std::size_t limit_ = Capacity;
};

}  // namespace lantern
