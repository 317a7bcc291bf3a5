// BlockCache: decoded instructions grouped into basic blocks, so code that runs again is not
// decoded again.
//
// What it caches. The decoder's output (Insn) depends on the code bytes and on one bit of CPU
// state, the code segment's default size CS.D (decode()'s `code32`); nothing else in the mode
// changes how bytes decode (the opcode map is per model and fixed). So a block is keyed by the
// physical address of its first byte and CS.D, and holds the records of the instructions that
// follow it in the same 4 KiB page, up to and including the first control transfer or
// mode-changing instruction (attr::Branch, attr::ModeChange) or an invalid opcode. An instruction
// that crosses the page end, wraps IP or is over-long is never cached: the interpreter decodes it
// byte by byte as before, so its faults come from the same byte.
//
// Why it never changes a result. The interpreter still runs one instruction at a time with every
// check it makes without the cache (interrupts, the cycle budget, TF, DR0-DR7, the debugger), and
// for each instruction it still translates CS:EIP through segmentation limits and the TLB (the
// access that fills the TLB and sets the page tables' accessed bits, exactly as the first code
// byte's fetch does); only then does it look for the physical address in the cache. Paging changes
// (CR0/CR3/CR4 loads, INVLPG, task switches) and segment loads therefore need no invalidation:
// they change the translation, and a different physical address or CS.D finds a different block.
// The one thing that can make a block stale is its bytes changing, and the bus reports every
// write to a page holding cached code (CodeWriteListener: CPU stores, DMA, debugger edits; a
// layout change or a load behind the bus flushes everything). A write invalidates the blocks it
// touches at once; the interpreter checks the block it is in before each instruction, so code that
// modifies the next instruction of its own block runs the new bytes.
//
// Chaining: each block remembers the last two blocks that followed it, so a loop's blocks find
// each other without a hash lookup.
//
// Memory: bounded. Past kMaxInsns cached instructions the cache is flushed and refills.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "cpu/cpu_bus.h"
#include "cpu/decoder.h"
#include "cpu/state_visitor.h"

namespace lantern {

struct BlockCacheStats {
    std::uint64_t blocks_built = 0;     // blocks decoded (cache misses that found cacheable code)
    std::uint64_t lookups = 0;          // instruction lookups
    std::uint64_t hits = 0;             // ... answered from a cached block
    std::uint64_t chained = 0;          // ... of which through a block's successor link
    std::uint64_t uncacheable = 0;      // instructions decoded the slow way (MMIO, page-crossing)
    std::uint64_t invalidations = 0;    // blocks dropped because their bytes were written
    std::uint64_t flushes = 0;          // whole-cache flushes (layout change, full, disabled)
};

class BlockCache final : public CodeWriteListener {
public:
    static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
    static constexpr std::size_t kMaxInsns = 1u << 18;  // ~12 MiB of records at most
    static constexpr unsigned kMaxBlockInsns = 64;

    struct Block {
        std::uint32_t phys = 0;       // CPU physical address of the first byte (lookup key)
        std::uint32_t bus_addr = 0;   // the same byte after the bus's masks (invalidation key)
        std::uint32_t first = 0;      // index of the first record in insns_
        std::uint16_t count = 0;      // instructions
        std::uint16_t bytes = 0;      // code bytes covered
        bool code32 = false;
        bool valid = false;
        std::uint32_t next[2] = {kNone, kNone};  // successors seen (chaining)
    };
    struct Record {
        Insn insn{};
        std::uint16_t offset = 0;     // from the block's first byte
    };

    BlockCache(const OpcodeMap& map, unsigned max_length, CpuBus& bus);
    ~BlockCache() override;
    BlockCache(const BlockCache&) = delete;
    BlockCache& operator=(const BlockCache&) = delete;

    void set_enabled(bool on);
    bool enabled() const { return enabled_; }

    // The cached record for the instruction at physical address `phys` decoded with `code32`, or
    // null (not cacheable: the caller decodes it itself). Called between instructions only.
    const Insn* lookup(std::uint32_t phys, bool code32) {
        ++stats_.lookups;
        if (cur_ != kNone) {
            const Block& b = blocks_[cur_];
            if (b.valid && pos_ < b.count && b.code32 == code32 && b.phys + records_[b.first + pos_].offset == phys)
                return hit(b);
        }
        return lookup_slow(phys, code32);
    }

    // Drops everything (at the next lookup, so a record in use stays readable until then).
    void flush();
    const BlockCacheStats& stats() const { return stats_; }
    std::size_t block_count() const { return live_blocks_; }
    void inspect(StateVisitor& v);

    // CodeWriteListener
    bool code_written(std::uint32_t addr) override;
    void code_map_changed() override { flush(); }

private:
    const Insn* hit(const Block& b) {
        ++stats_.hits;
        return &records_[b.first + pos_++].insn;
    }
    const Insn* lookup_slow(std::uint32_t phys, bool code32);
    std::uint32_t build(std::uint32_t phys, bool code32);
    void clear_storage();
    static std::uint64_t key(std::uint32_t phys, bool code32) {
        return (static_cast<std::uint64_t>(code32) << 32) | phys;
    }

    // Blocks with code on one bus page, and which 64-byte chunks of the page they cover, so a
    // data write next to code costs a mask test, not a block walk.
    struct PageEntry {
        std::uint64_t chunks = 0;
        std::vector<std::uint32_t> blocks{};
    };

    const OpcodeMap& map_;
    unsigned max_length_;
    CpuBus& bus_;
    bool enabled_ = true;
    bool flush_pending_ = false;
    std::vector<Block> blocks_{};
    std::vector<Record> records_{};
    std::unordered_map<std::uint64_t, std::uint32_t> index_{};
    std::unordered_map<std::uint32_t, PageEntry> pages_{};
    std::uint32_t cur_ = kNone;   // the block the last hit came from
    std::uint32_t pos_ = 0;       // the record in it expected next
    std::uint32_t no_code_page_ = kNone;  // last physical page the bus would not serve
    std::size_t live_blocks_ = 0;
    BlockCacheStats stats_{};
};

}  // namespace lantern
