#include "debugger/symbols.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace lantern {

namespace {

// A symbol file is untrusted input: cap what one file may add.
constexpr std::size_t kMaxSymbolsPerFile = 1'000'000;
constexpr std::size_t kMaxFileBytes = 256u << 20;

std::string hex(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", v);
    return buf;
}

std::optional<std::uint32_t> parse_hex(std::string_view s) {
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
    if (s.empty() || s.size() > 16) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
        unsigned d;
        if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
        else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
        else return std::nullopt;
        v = (v << 4) | d;
    }
    return static_cast<std::uint32_t>(v);  // nm of a 64-bit file prints 16 digits; keep the low 32
}

// Little- or big-endian field reads that fail (return false) past the end of the image.
class ElfReader {
public:
    ElfReader(std::span<const std::uint8_t> image, bool big_endian) : image_(image), big_(big_endian) {}
    bool u8(std::uint64_t off, std::uint32_t& out) const { return read(off, 1, out); }
    bool u16(std::uint64_t off, std::uint32_t& out) const { return read(off, 2, out); }
    bool u32(std::uint64_t off, std::uint32_t& out) const { return read(off, 4, out); }
    bool in_bounds(std::uint64_t off, std::uint64_t size) const {
        return off <= image_.size() && size <= image_.size() - off;
    }

private:
    bool read(std::uint64_t off, unsigned n, std::uint32_t& out) const {
        if (!in_bounds(off, n)) return false;
        out = 0;
        for (unsigned i = 0; i < n; ++i) {
            const unsigned shift = big_ ? 8 * (n - 1 - i) : 8 * i;
            out |= static_cast<std::uint32_t>(image_[off + i]) << shift;
        }
        return true;
    }
    std::span<const std::uint8_t> image_;
    bool big_;
};

struct SectionHeader {
    std::uint32_t type = 0, addr = 0, offset = 0, size = 0, link = 0, entsize = 0;
};

}  // namespace

void SymbolTable::add(Symbol s) {
    auto it = std::lower_bound(symbols_.begin(), symbols_.end(), s, [](const Symbol& a, const Symbol& b) {
        return a.address != b.address ? a.address < b.address : a.name < b.name;
    });
    if (it != symbols_.end() && it->address == s.address && it->name == s.name) {
        it->size = std::max(it->size, s.size);
        return;
    }
    symbols_.insert(it, std::move(s));
}

SymbolTable::LoadResult SymbolTable::load_file(const std::string& path, std::uint32_t bias) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return {0, "cannot open " + path};
    std::vector<std::uint8_t> bytes;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        bytes.insert(bytes.end(), buf, buf + in.gcount());
        if (bytes.size() > kMaxFileBytes) return {0, path + " is too large for a symbol file"};
    }
    if (bytes.size() >= 4 && bytes[0] == 0x7F && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F')
        return load_elf32(bytes, bias);
    return load_nm(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), bias);
}

SymbolTable::LoadResult SymbolTable::load_nm(std::string_view text, std::uint32_t bias) {
    LoadResult r;
    // A NASM map file (`[map symbols FILE]`): rows "REAL VIRTUAL NAME" under "---- Section ..."
    // headings; the "---- No Section ----" table lists EQU constants, which are not addresses.
    const bool nasm_map = text.find("- NASM Map file") != std::string_view::npos;
    bool in_section = !nasm_map;
    std::size_t line_no = 0, rejected = 0, first_rejected = 0;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
        ++line_no;
        if (nasm_map && line.starts_with("---- ")) {
            in_section = line.starts_with("---- Section");
            continue;
        }
        // Split into whitespace-separated words (at most four matter).
        std::vector<std::string_view> words;
        std::size_t i = 0;
        while (i < line.size() && words.size() < 4) {
            while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
            const std::size_t start = i;
            while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
            if (i > start) words.push_back(line.substr(start, i - start));
        }
        if (words.empty() || words[0][0] == '#' || words[0][0] == ';' || !in_section) continue;
        // An address is hex that starts with a digit (labels never do), so "ADDRESS NAME" (Bochs'
        // ldsym) and "NAME ADDRESS" (the Lantern BIOS map) tell themselves apart.
        auto address_word = [](std::string_view w) {
            return !w.empty() && std::isdigit(static_cast<unsigned char>(w[0])) ? parse_hex(w) : std::nullopt;
        };
        std::optional<std::uint32_t> addr;
        std::string_view name;
        if (words.size() == 2) {
            if ((addr = address_word(words[0]))) name = words[1];
            else if ((addr = address_word(words[1]))) name = words[0];
            // Neither starts with a digit ("a0000000 main"): the one that is hex at all.
            else if ((addr = parse_hex(words[0])) && !parse_hex(words[1])) name = words[1];
            else if ((addr = parse_hex(words[1])) && !parse_hex(words[0])) name = words[0];
            else addr.reset();
        } else if (words.size() == 3) {
            addr = parse_hex(words[0]);
            // nm: "ADDRESS T NAME"; NASM map: "REAL VIRTUAL NAME" (the real offset is used).
            if (addr && (words[1].size() == 1 || (nasm_map && parse_hex(words[1])))) name = words[2];
        }
        if (!addr || name.empty()) {
            // nm lists undefined symbols without an address ("         U printf"): skip those, and
            // headings (NASM's "Real Virtual Name"), but say so if nothing at all was understood.
            if (rejected++ == 0) first_rejected = line_no;
            continue;
        }
        if (r.added >= kMaxSymbolsPerFile) return {r.added, "too many symbols"};
        add(Symbol{*addr + bias, 0, std::string(name)});
        ++r.added;
    }
    if (r.added == 0 && rejected > 0)
        r.error = "line " + std::to_string(first_rejected) + ": expected \"ADDRESS [TYPE] NAME\" or \"NAME ADDRESS\"";
    return r;
}

SymbolTable::LoadResult SymbolTable::load_elf32(std::span<const std::uint8_t> image, std::uint32_t bias) {
    // ELF header (System V ABI, "ELF Header"): e_ident, then the 32-bit fields.
    if (image.size() < 52 || image[0] != 0x7F || image[1] != 'E' || image[2] != 'L' || image[3] != 'F')
        return {0, "not an ELF file"};
    if (image[4] != 1) return {0, "not a 32-bit ELF file (EI_CLASS is not ELFCLASS32)"};
    if (image[5] != 1 && image[5] != 2) return {0, "bad ELF data encoding (EI_DATA)"};
    const ElfReader rd(image, image[5] == 2);
    std::uint32_t e_type = 0, shoff = 0, shentsize = 0, shnum = 0;
    rd.u16(16, e_type);
    rd.u32(32, shoff);
    rd.u16(46, shentsize);
    rd.u16(48, shnum);
    if (shoff == 0 || shnum == 0) return {0, "the ELF file has no section headers"};
    if (shentsize < 40) return {0, "bad ELF section header size"};
    if (!rd.in_bounds(shoff, static_cast<std::uint64_t>(shentsize) * shnum))
        return {0, "the ELF section header table lies outside the file"};

    auto section = [&](std::uint32_t index) {
        SectionHeader h;
        const std::uint64_t base = shoff + static_cast<std::uint64_t>(index) * shentsize;
        rd.u32(base + 4, h.type);
        rd.u32(base + 12, h.addr);
        rd.u32(base + 16, h.offset);
        rd.u32(base + 20, h.size);
        rd.u32(base + 24, h.link);
        rd.u32(base + 36, h.entsize);
        return h;
    };

    // SHT_SYMTAB (2), else SHT_DYNSYM (11).
    std::optional<std::uint32_t> symtab;
    for (std::uint32_t type : {2u, 11u}) {
        for (std::uint32_t i = 0; i < shnum && !symtab; ++i)
            if (section(i).type == type) symtab = i;
        if (symtab) break;
    }
    if (!symtab) return {0, "the ELF file has no symbol table (stripped?)"};
    const SectionHeader st = section(*symtab);
    if (st.link >= shnum) return {0, "bad ELF symbol table string-table link"};
    const SectionHeader strtab = section(st.link);
    if (!rd.in_bounds(st.offset, st.size) || !rd.in_bounds(strtab.offset, strtab.size))
        return {0, "the ELF symbol table lies outside the file"};
    const std::uint32_t entsize = st.entsize >= 16 ? st.entsize : 16;

    LoadResult r;
    for (std::uint64_t off = 0; off + 16 <= st.size; off += entsize) {
        const std::uint64_t s = st.offset + off;
        std::uint32_t name_off = 0, value = 0, size = 0, info = 0, shndx = 0;
        rd.u32(s, name_off);
        rd.u32(s + 4, value);
        rd.u32(s + 8, size);
        rd.u8(s + 12, info);
        rd.u16(s + 14, shndx);
        const unsigned type = info & 0xF;  // STT_NOTYPE 0, OBJECT 1, FUNC 2, SECTION 3, FILE 4
        if (type > 2 || shndx == 0 || name_off == 0 || name_off >= strtab.size) continue;
        // The name: NUL-terminated inside the string table.
        std::string name;
        for (std::uint64_t p = strtab.offset + name_off; p < strtab.offset + strtab.size && image[p] != 0; ++p) {
            name.push_back(static_cast<char>(image[p]));
            if (name.size() > 4096) break;
        }
        if (name.empty() || name.starts_with("..@")) continue;  // NASM's macro-local labels
        // In a relocatable file (ET_REL) a value is an offset in its section; add the section's
        // address (0 unless something placed it). SHN_LORESERVE and up are special indexes.
        if (e_type == 1 && shndx < 0xFF00 && shndx < shnum) value += section(shndx).addr;
        if (r.added >= kMaxSymbolsPerFile) return {r.added, "too many symbols"};
        // SHN_ABS (0xFFF1): an absolute value (an EQU), not a place in the image: no bias.
        const bool absolute = shndx == 0xFFF1;
        add(Symbol{absolute ? value : value + bias, size, std::move(name), absolute});
        ++r.added;
    }
    return r;
}

std::optional<std::uint32_t> SymbolTable::find(std::string_view name) const {
    for (const Symbol& s : symbols_)
        if (s.name == name) return s.address;
    return std::nullopt;
}

const Symbol* SymbolTable::exact(std::uint32_t address) const {
    auto it = std::lower_bound(symbols_.begin(), symbols_.end(), address,
                               [](const Symbol& s, std::uint32_t a) { return s.address < a; });
    return (it != symbols_.end() && it->address == address) ? &*it : nullptr;
}

std::string SymbolTable::describe(std::uint32_t address, std::uint32_t max_distance) const {
    auto it = std::upper_bound(symbols_.begin(), symbols_.end(), address,
                               [](std::uint32_t a, const Symbol& s) { return a < s.address; });
    if (it == symbols_.begin()) return {};
    --it;
    // A constant names only its own value: "0x608" is not "COUNTER+0x8". Look below it (a little).
    for (int guard = 0; it->absolute && it->address != address; ++guard) {
        if (it == symbols_.begin() || guard == 64) return {};
        --it;
    }
    // Among several names at one address, the first (alphabetically) is shown.
    const std::uint32_t at = it->address;
    while (it != symbols_.begin() && std::prev(it)->address == at) --it;
    const std::uint32_t distance = address - it->address;
    const std::uint32_t limit = it->size != 0 ? it->size : max_distance;
    if (distance != 0 && distance >= limit) return {};
    return distance == 0 ? it->name : it->name + "+" + hex(distance);
}

}  // namespace lantern
