// BoundedFifo: a fixed-capacity ring buffer for the byte queues of the PS/2 devices and the 8042.
// Nothing the guest or the host does can grow it: push() refuses when full, and the caller
// decides what a full buffer means (an overrun code, a dropped packet).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "cpu/state_visitor.h"

namespace lantern {

template <class T, std::size_t N>
class BoundedFifo {
public:
    static constexpr std::size_t kCapacity = N;

    bool empty() const { return count_ == 0; }
    bool full() const { return count_ == N; }
    std::size_t size() const { return count_; }
    std::size_t free_space() const { return N - count_; }

    bool push(T v) {
        if (full()) return false;
        data_[(head_ + count_) % N] = v;
        ++count_;
        return true;
    }
    // Puts a value back at the front (a transfer that was aborted and will be retried).
    bool push_front(T v) {
        if (full()) return false;
        head_ = (head_ + N - 1) % N;
        data_[head_] = v;
        ++count_;
        return true;
    }
    T front() const { return count_ ? data_[head_] : T{}; }
    T pop() {
        if (count_ == 0) return T{};
        const T v = data_[head_];
        head_ = (head_ + 1) % N;
        --count_;
        return v;
    }
    T at(std::size_t i) const { return i < count_ ? data_[(head_ + i) % N] : T{}; }
    void clear() { head_ = count_ = 0; }

    // Lists the entries, oldest first; a loading visitor rebuilds the buffer from them.
    void inspect(StateVisitor& v, std::string_view name) {
        StateGroup g(v, name);
        std::uint64_t count = count_;
        v.visit("count", count, "entries waiting");
        if (v.loading()) {
            std::array<T, N> items{};
            const std::size_t n = count > N ? N : static_cast<std::size_t>(count);
            for (std::size_t i = 0; i < n; ++i) v.visit(std::to_string(i), items[i]);
            clear();
            for (std::size_t i = 0; i < n; ++i) push(items[i]);
            return;
        }
        for (std::size_t i = 0; i < count_; ++i) {
            T item = at(i);
            v.visit(std::to_string(i), item);
        }
    }

private:
    std::array<T, N> data_{};
    std::size_t head_ = 0;
    std::size_t count_ = 0;
};

}  // namespace lantern
