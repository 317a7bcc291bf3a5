#include "devices/memory_map.h"

#include <algorithm>
#include <stdexcept>

namespace lantern {

namespace {
constexpr std::uint64_t kAddressSpace = 1ull << 32;
}

MemoryMap::MemoryMap()
    : read_page_(kFastLimit >> kPageBits, nullptr), write_page_(kFastLimit >> kPageBits, nullptr) {}

void MemoryMap::add(Region r) {
    if (r.end <= r.base || r.end > kAddressSpace)
        throw std::invalid_argument("MemoryMap: bad region " + r.name);
    for (const Region& o : regions_) {
        if (r.base < o.end && o.base < r.end)
            throw std::invalid_argument("MemoryMap: " + r.name + " overlaps " + o.name);
    }
    const auto pos = std::upper_bound(regions_.begin(), regions_.end(), r.base,
                                      [](std::uint32_t b, const Region& x) { return b < x.base; });
    regions_.insert(pos, std::move(r));
    rebuild_fast_pages();
}

void MemoryMap::map_ram(std::uint32_t base, std::span<std::uint8_t> backing, std::string_view name) {
    Region r;
    r.name = std::string(name);
    r.kind = RegionKind::Ram;
    r.base = base;
    r.end = base + static_cast<std::uint64_t>(backing.size());
    r.ram = backing.data();
    add(std::move(r));
}

void MemoryMap::map_rom(std::uint32_t base, std::span<const std::uint8_t> image, std::string_view name) {
    Region r;
    r.name = std::string(name);
    r.kind = RegionKind::Rom;
    r.base = base;
    r.end = base + static_cast<std::uint64_t>(image.size());
    r.rom = image.data();
    add(std::move(r));
}

void MemoryMap::map_mmio(std::uint32_t base, std::uint32_t size, IoDevice& device, std::string_view name) {
    Region r;
    r.name = std::string(name);
    r.kind = RegionKind::Mmio;
    r.base = base;
    r.end = base + static_cast<std::uint64_t>(size);
    r.device = &device;
    add(std::move(r));
}

bool MemoryMap::unmap(std::uint32_t base) {
    for (auto it = regions_.begin(); it != regions_.end(); ++it) {
        if (it->base != base) continue;
        regions_.erase(it);
        rebuild_fast_pages();
        return true;
    }
    return false;
}

bool MemoryMap::is_free(std::uint32_t base, std::uint64_t size) const {
    const std::uint64_t end = static_cast<std::uint64_t>(base) + size;
    if (size == 0 || end > kAddressSpace) return false;
    for (const Region& o : regions_) {
        if (base < o.end && o.base < end) return false;
    }
    return true;
}

void MemoryMap::rebuild_fast_pages() {
    fill_fast_pages();
    // The layout changed: cached code may now decode to other bytes (cpu/block_cache.h).
    if (!watched_.empty()) std::fill(watched_.begin(), watched_.end(), 0);
    if (listener_) listener_->code_map_changed();
}

void MemoryMap::fill_fast_pages() {
    std::fill(read_page_.begin(), read_page_.end(), nullptr);
    std::fill(write_page_.begin(), write_page_.end(), nullptr);
    for (const Region& r : regions_) {
        if (r.kind == RegionKind::Mmio) continue;
        // Only pages the region covers completely: a page shared with another region (or a
        // hole) must take the slow path so each byte reaches its own owner.
        const std::uint64_t first_page = (static_cast<std::uint64_t>(r.base) + kPageMask) >> kPageBits;
        const std::uint64_t end_page = std::min<std::uint64_t>(r.end, kFastLimit) >> kPageBits;
        for (std::uint64_t page = first_page; page < end_page; ++page) {
            const std::uint64_t offset = (page << kPageBits) - r.base;
            if (r.kind == RegionKind::Ram) {
                read_page_[page] = r.ram + offset;
                write_page_[page] = r.ram + offset;
            } else {
                read_page_[page] = r.rom + offset;
            }
        }
    }
}

const MemoryMap::Region* MemoryMap::find(std::uint32_t addr) const {
    auto it = std::upper_bound(regions_.begin(), regions_.end(), addr,
                               [](std::uint32_t a, const Region& x) { return a < x.base; });
    if (it == regions_.begin()) return nullptr;
    --it;
    return addr < it->end ? &*it : nullptr;
}

std::uint8_t MemoryMap::slow_read8(std::uint32_t addr) {
    const Region* r = find(addr);
    if (!r) return 0xFF;
    const std::uint32_t offset = addr - r->base;
    switch (r->kind) {
        case RegionKind::Ram: return r->ram[offset];
        case RegionKind::Rom: return r->rom[offset];
        case RegionKind::Mmio: return static_cast<std::uint8_t>(r->device->read(offset, 1));
    }
    return 0xFF;
}

void MemoryMap::slow_write8(std::uint32_t addr, std::uint8_t value) {
    const Region* r = find(addr);
    if (!r) return;
    const std::uint32_t offset = addr - r->base;
    switch (r->kind) {
        case RegionKind::Ram:
            r->ram[offset] = value;
            if (listener_ && watched(addr >> kPageBits)) note_code_write(addr);
            break;
        case RegionKind::Rom: break;  // no write enable on a ROM
        case RegionKind::Mmio: r->device->write(offset, value, 1); break;
    }
}

std::uint16_t MemoryMap::read16(std::uint32_t addr) {
    addr &= mask_;
    if ((addr & kPageMask) != kPageMask && addr < kFastLimit) {
        if (const std::uint8_t* p = read_page_[addr >> kPageBits]) {
            const std::uint32_t o = addr & kPageMask;
            return static_cast<std::uint16_t>(p[o] | (p[o + 1] << 8));
        }
    }
    const std::uint32_t next = (addr + 1) & mask_;
    if (next == addr + 1) {
        if (const Region* r = find(addr); r && r->kind == RegionKind::Mmio && next < r->end)
            return static_cast<std::uint16_t>(r->device->read(addr - r->base, 2));
    }
    return static_cast<std::uint16_t>(read8(addr) | (read8(next) << 8));
}

void MemoryMap::write16(std::uint32_t addr, std::uint16_t value) {
    addr &= mask_;
    if ((addr & kPageMask) != kPageMask && addr < kFastLimit) {
        if (std::uint8_t* p = write_page_[addr >> kPageBits]) {
            const std::uint32_t o = addr & kPageMask;
            p[o] = static_cast<std::uint8_t>(value);
            p[o + 1] = static_cast<std::uint8_t>(value >> 8);
            return;
        }
    }
    const std::uint32_t next = (addr + 1) & mask_;
    if (next == addr + 1) {
        if (const Region* r = find(addr); r && r->kind == RegionKind::Mmio && next < r->end) {
            r->device->write(addr - r->base, value, 2);
            return;
        }
    }
    write8(addr, static_cast<std::uint8_t>(value));
    write8(next, static_cast<std::uint8_t>(value >> 8));
}

CodePage MemoryMap::code_page(std::uint32_t addr) {
    addr &= mask_;
    const std::uint32_t page = addr >> kPageBits;
    const std::uint64_t start = static_cast<std::uint64_t>(page) << kPageBits;
    const Region* r = find(addr);
    if (!r || r->kind == RegionKind::Mmio || start < r->base || start + kPageMask + 1 > r->end) return {};
    const std::uint64_t offset = start - r->base;
    if (r->kind == RegionKind::Rom) return {r->rom + offset, page};  // nothing can write a ROM
    if (watched_.empty()) watched_.assign((kAddressSpace >> kPageBits) / 64, 0);
    watched_[page >> 6] |= 1ull << (page & 63);
    if (start < kFastLimit) write_page_[page] = nullptr;  // writes now take the slow path
    return {r->ram + offset, page};
}

void MemoryMap::note_code_write(std::uint32_t addr) {
    if (listener_->code_written(addr)) return;
    // No cached code left on the page: give it its fast write path back.
    const std::uint32_t page = addr >> kPageBits;
    watched_[page >> 6] &= ~(1ull << (page & 63));
    if (addr < kFastLimit) {
        const Region* r = find(addr);
        const std::uint64_t start = static_cast<std::uint64_t>(page) << kPageBits;
        if (r && r->kind == RegionKind::Ram && start >= r->base && start + kPageMask + 1 <= r->end)
            write_page_[page] = r->ram + (start - r->base);
    }
}

void MemoryMap::unwatch_code_pages() {
    if (watched_.empty()) return;
    std::fill(watched_.begin(), watched_.end(), 0);
    fill_fast_pages();
}

std::uint8_t MemoryMap::peek8(std::uint32_t addr) const {
    addr &= mask_;
    const Region* r = find(addr);
    if (!r) return 0xFF;
    const std::uint32_t offset = addr - r->base;
    switch (r->kind) {
        case RegionKind::Ram: return r->ram[offset];
        case RegionKind::Rom: return r->rom[offset];
        case RegionKind::Mmio: return static_cast<std::uint8_t>(r->device->peek(offset, 1));
    }
    return 0xFF;
}

std::vector<MemoryMap::RegionInfo> MemoryMap::regions() const {
    std::vector<RegionInfo> out;
    out.reserve(regions_.size());
    for (const Region& r : regions_) out.push_back(RegionInfo{r.name, r.kind, r.base, r.end - r.base});
    return out;
}

void MemoryMap::inspect(StateVisitor& v) {
    StateGroup g(v, "memory");
    v.visit("a20_enabled", a20_enabled_, "A20 gate open: addresses are not wrapped at 1 MiB");
    if (v.loading()) {
        update_mask();
        return;
    }
    std::uint64_t mask = mask_;
    v.field("address_mask", mask, 32, "bus lines and A20 applied to every physical address");
    for (const Region& r : regions_) {
        StateGroup rg(v, r.name);
        std::uint64_t base = r.base;
        std::uint64_t size = r.end - r.base;
        std::uint64_t kind = static_cast<std::uint64_t>(r.kind);
        v.field("base", base, 32, "first physical address");
        v.field("size", size, 33, "bytes");
        v.field("kind", kind, 2, "0 RAM, 1 ROM, 2 MMIO");
    }
}

}  // namespace lantern
