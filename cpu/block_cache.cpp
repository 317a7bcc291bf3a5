#include "cpu/block_cache.h"

#include <algorithm>

namespace lantern {

namespace {
constexpr std::uint32_t kPageSize = 4096;
constexpr std::uint32_t kChunkShift = 6;  // 64-byte chunks: 64 per page, one bit each

std::uint64_t chunk_bits(std::uint32_t first_offset, std::uint32_t bytes) {
    const std::uint32_t lo = first_offset >> kChunkShift;
    const std::uint32_t hi = (first_offset + bytes - 1) >> kChunkShift;
    const std::uint64_t upto_hi = hi >= 63 ? ~0ull : ((1ull << (hi + 1)) - 1);
    return upto_hi & ~((1ull << lo) - 1);
}
}  // namespace

BlockCache::BlockCache(const OpcodeMap& map, unsigned max_length, CpuBus& bus)
    : map_(map), max_length_(max_length), bus_(bus) {
    bus_.set_code_write_listener(this);
}

BlockCache::~BlockCache() { bus_.set_code_write_listener(nullptr); }

void BlockCache::set_enabled(bool on) {
    if (on == enabled_) return;
    enabled_ = on;
    flush();
    clear_storage();  // set between runs: nothing is in use
}

void BlockCache::flush() {
    // Called from inside a bus write (a layout change in the middle of an instruction): mark
    // everything dead now, free it at the next lookup, when no record is in use.
    for (Block& b : blocks_) b.valid = false;
    cur_ = kNone;
    flush_pending_ = true;
}

void BlockCache::clear_storage() {
    if (!blocks_.empty() || !pages_.empty()) ++stats_.flushes;
    blocks_.clear();
    records_.clear();
    index_.clear();
    pages_.clear();
    live_blocks_ = 0;
    cur_ = kNone;
    pos_ = 0;
    no_code_page_ = kNone;
    flush_pending_ = false;
    bus_.unwatch_code_pages();
}

const Insn* BlockCache::lookup_slow(std::uint32_t phys, bool code32) {
    if (flush_pending_) clear_storage();
    // Chaining: the block we just left usually knows where it goes.
    std::uint32_t found = kNone;
    const std::uint32_t prev = cur_;
    if (prev != kNone) {
        for (std::uint32_t n : blocks_[prev].next) {
            if (n == kNone) continue;
            const Block& b = blocks_[n];
            if (b.valid && b.phys == phys && b.code32 == code32) {
                found = n;
                ++stats_.chained;
                break;
            }
        }
    }
    const bool chained = found != kNone;
    if (!chained) {
        const auto it = index_.find(key(phys, code32));
        if (it != index_.end()) found = it->second;
    }
    bool linkable = prev != kNone && blocks_[prev].valid && pos_ >= blocks_[prev].count;
    if (found == kNone) {
        if (records_.size() + kMaxBlockInsns > kMaxInsns || blocks_.size() >= kMaxInsns / 4) {
            clear_storage();  // full: start again (bounded memory)
            linkable = false;
        }
        if ((phys >> 12) != no_code_page_) found = build(phys, code32);
        if (found == kNone) {
            ++stats_.uncacheable;
            cur_ = kNone;
            return nullptr;
        }
    }
    if (!chained && linkable) {
        Block& p = blocks_[prev];
        p.next[1] = p.next[0];
        p.next[0] = found;
    }
    const Block& b = blocks_[found];
    cur_ = found;
    pos_ = 0;
    if (b.count == 0) {  // a remembered "decode it yourself" (the instruction crosses the page)
        ++stats_.uncacheable;
        cur_ = kNone;
        return nullptr;
    }
    return hit(b);
}

std::uint32_t BlockCache::build(std::uint32_t phys, bool code32) {
    const CodePage page = bus_.code_page(phys);
    if (!page.bytes) {
        no_code_page_ = phys >> 12;
        return kNone;
    }
    const std::uint32_t start = phys & (kPageSize - 1);
    Block b;
    b.phys = phys;
    b.bus_addr = (page.bus_page << 12) | start;
    b.first = static_cast<std::uint32_t>(records_.size());
    b.code32 = code32;
    b.valid = true;
    std::uint32_t off = start;
    while (b.count < kMaxBlockInsns) {
        bool crossed = false;
        const Insn insn = decode(
            map_,
            [&](unsigned n) -> std::uint8_t {
                if (off + n >= kPageSize) {
                    crossed = true;
                    return 0;
                }
                return page.bytes[off + n];
            },
            max_length_, code32);
        if (crossed || insn.too_long) break;
        records_.push_back(Record{insn, static_cast<std::uint16_t>(off - start)});
        ++b.count;
        off += insn.length;
        if (insn.info->has(attr::Branch | attr::ModeChange | attr::Invalid)) break;
        if (off >= kPageSize) break;
    }
    // An empty block remembers that the first instruction cannot be cached; it covers the bytes
    // up to the page end, so a write there lets the next visit try again.
    b.bytes = static_cast<std::uint16_t>(b.count ? off - start : kPageSize - start);
    const std::uint32_t id = static_cast<std::uint32_t>(blocks_.size());
    blocks_.push_back(b);
    index_[key(phys, code32)] = id;
    PageEntry& pe = pages_[page.bus_page];
    pe.blocks.push_back(id);
    pe.chunks |= chunk_bits(start, b.bytes);
    ++live_blocks_;
    ++stats_.blocks_built;
    return id;
}

bool BlockCache::code_written(std::uint32_t addr) {
    const auto it = pages_.find(addr >> 12);
    if (it == pages_.end()) return false;
    PageEntry& pe = it->second;
    const std::uint32_t offset = addr & (kPageSize - 1);
    if (!(pe.chunks & (1ull << (offset >> kChunkShift)))) return true;  // data beside the code
    std::uint64_t chunks = 0;
    std::size_t keep = 0;
    for (std::uint32_t id : pe.blocks) {
        Block& b = blocks_[id];
        if (!b.valid) continue;
        const std::uint32_t first = b.bus_addr & (kPageSize - 1);
        if (offset >= first && offset < first + b.bytes) {
            b.valid = false;  // the record in use (if any) stays readable until the next lookup
            const auto ix = index_.find(key(b.phys, b.code32));
            if (ix != index_.end() && ix->second == id) index_.erase(ix);
            --live_blocks_;
            ++stats_.invalidations;
            continue;
        }
        chunks |= chunk_bits(first, b.bytes);
        pe.blocks[keep++] = id;
    }
    pe.blocks.resize(keep);
    pe.chunks = chunks;
    if (keep == 0) {
        pages_.erase(it);
        return false;
    }
    return true;
}

void BlockCache::inspect(StateVisitor& v) {
    StateGroup g(v, "block_cache");
    // Statistics only: nothing here is architectural. A loading visitor is shown the same fields
    // (into copies, ignored), and a restored machine starts with a cold cache.
    bool on = enabled_;
    std::uint64_t live = live_blocks_;
    std::uint64_t records = records_.size();
    std::uint64_t pages = pages_.size();
    BlockCacheStats s = stats_;
    v.visit("enabled", on, "decoded blocks are reused (off: --no-block-cache)");
    v.visit("blocks", live, "valid cached blocks");
    v.visit("records", records, "decoded instruction records stored");
    v.visit("code_pages", pages, "physical pages with cached code (writes to them are watched)");
    v.visit("blocks_built", s.blocks_built, "blocks decoded since power-on");
    v.visit("lookups", s.lookups, "instructions looked up");
    v.visit("hits", s.hits, "instructions taken from a cached block");
    v.visit("chained", s.chained, "block changes found through a successor link");
    v.visit("uncacheable", s.uncacheable, "instructions decoded byte by byte (MMIO, crossing a page)");
    v.visit("invalidations", s.invalidations, "blocks dropped because their code was written");
    v.visit("flushes", s.flushes, "whole-cache flushes (memory layout or A20 changed, cache full)");
    std::uint64_t hit_permille = s.lookups ? s.hits * 1000 / s.lookups : 0;
    v.visit("hit_rate_permille", hit_permille, "hits per thousand lookups");
    if (v.loading()) flush();
}

}  // namespace lantern
