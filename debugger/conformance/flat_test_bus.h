// A flat-RAM CpuBus for single-instruction conformance tests.
//
// The whole physical address space is one byte vector (1 MiB on the 8086, 16 MiB on the 286),
// allocated once and reused for every test: a test touches only a few dozen bytes, so instead
// of clearing megabytes per test we remember the addresses that were loaded or written and zero
// just those. Addresses wrap at the model's bus width (the 8086's 20-bit wrap at 0xFFFFF).
//
// Every CPU write is logged so the runner can check that the instruction wrote nothing the
// expected final state does not account for. I/O reads return all ones (the suites' README: IN
// must read 0xFF/0xFFFF) and I/O writes are ignored. No interrupt controller: INTR never rises.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

#include "cpu/cpu_bus.h"
#include "debugger/conformance/moo_reader.h"

namespace lantern::conformance {

class FlatTestBus final : public CpuBus {
public:
    // `address_mask` is the model's physical address mask (lantern::address_mask).
    explicit FlatTestBus(std::uint32_t address_mask)
        : mask_(address_mask), ram_(std::size_t{address_mask} + 1, 0),
          watched_((std::size_t{address_mask} + 1) >> 12, false) {}

    std::uint32_t address_mask() const { return mask_; }

    // Returns every byte touched since the last reset to zero and forgets the write log.
    void reset() {
        for (std::uint32_t a : touched_) ram_[a] = 0;
        for (std::uint32_t a : writes_) ram_[a] = 0;
        touched_.clear();
        writes_.clear();
        if (listener_) listener_->code_map_changed();
    }
    // Loads a test's initial RAM (not logged as CPU writes).
    void load(std::span<const MooRamEntry> entries) {
        for (const MooRamEntry& e : entries) {
            const std::uint32_t a = e.address & mask_;
            ram_[a] = e.value;
            touched_.push_back(a);
        }
        if (listener_) listener_->code_map_changed();  // new code behind the CPU's back
    }
    std::uint8_t peek(std::uint32_t addr) const { return ram_[addr & mask_]; }
    // Physical addresses the CPU wrote, in order, with repeats.
    const std::vector<std::uint32_t>& writes() const { return writes_; }

    // CpuBus
    std::uint8_t mem_read8(std::uint32_t addr) override { return ram_[addr & mask_]; }
    void mem_write8(std::uint32_t addr, std::uint8_t value) override {
        const std::uint32_t a = addr & mask_;
        ram_[a] = value;
        writes_.push_back(a);
        if (listener_ && watched_[a >> 12] && !listener_->code_written(a)) watched_[a >> 12] = false;
    }
    // Code caching (cpu/block_cache.h): the flat RAM serves every page, and reports CPU writes
    // to the pages it served, so the conformance runs exercise the cached path too.
    CodePage code_page(std::uint32_t addr) override {
        const std::uint32_t page = (addr & mask_) >> 12;
        watched_[page] = true;
        return {ram_.data() + (std::size_t{page} << 12), page};
    }
    void set_code_write_listener(CodeWriteListener* listener) override { listener_ = listener; }
    void unwatch_code_pages() override { std::fill(watched_.begin(), watched_.end(), false); }
    std::uint32_t io_read(std::uint16_t, unsigned size) override {
        return size >= 4 ? 0xFFFFFFFFu : (size == 2 ? 0xFFFFu : 0xFFu);
    }
    void io_write(std::uint16_t, std::uint32_t, unsigned) override {}

private:
    std::uint32_t mask_;
    std::vector<std::uint8_t> ram_;
    std::vector<std::uint32_t> touched_;
    std::vector<std::uint32_t> writes_;
    std::vector<bool> watched_;
    CodeWriteListener* listener_ = nullptr;
};

}  // namespace lantern::conformance
