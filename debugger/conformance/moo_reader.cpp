#include "debugger/conformance/moo_reader.h"

#include <zlib.h>

#include <algorithm>
#include <cstdio>
#include <memory>

namespace lantern::conformance {

namespace {

// The largest inflated file we accept. The biggest upstream file (8086 A4, REP MOVSB) inflates
// to about 17 MiB; the cap only stops a corrupt or hostile stream from exhausting memory.
constexpr std::size_t kMaxInflatedBytes = std::size_t{512} << 20;

std::string hex_offset(std::size_t off) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%zx", off);
    return buf;
}

// A bounds-checked little-endian reader over one chunk payload. `base` is the payload's offset
// in the file, so errors can say where the damage is.
class Cursor {
public:
    Cursor(std::span<const std::uint8_t> data, std::size_t base) : data_(data), base_(base) {}

    bool at_end() const { return pos_ == data_.size(); }
    std::size_t remaining() const { return data_.size() - pos_; }
    std::size_t offset() const { return base_ + pos_; }

    void need(std::size_t n, std::string_view what) const {
        if (remaining() < n)
            throw MooError("truncated " + std::string(what) + " at offset " + hex_offset(offset()) +
                           ": need " + std::to_string(n) + " bytes, " +
                           std::to_string(remaining()) + " left");
    }
    std::uint8_t u8(std::string_view what) {
        need(1, what);
        return data_[pos_++];
    }
    std::uint16_t u16(std::string_view what) {
        need(2, what);
        auto v = static_cast<std::uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
        pos_ += 2;
        return v;
    }
    std::uint32_t u32(std::string_view what) {
        need(4, what);
        std::uint32_t v = 0;
        for (int i = 3; i >= 0; --i) v = (v << 8) | data_[pos_ + i];
        pos_ += 4;
        return v;
    }
    std::uint64_t u64(std::string_view what) {
        std::uint64_t lo = u32(what);
        std::uint64_t hi = u32(what);
        return lo | (hi << 32);
    }
    std::span<const std::uint8_t> bytes(std::size_t n, std::string_view what) {
        need(n, what);
        auto s = data_.subspan(pos_, n);
        pos_ += n;
        return s;
    }
    void skip(std::size_t n, std::string_view what) { bytes(n, what); }

private:
    std::span<const std::uint8_t> data_;
    std::size_t base_;
    std::size_t pos_ = 0;
};

struct Chunk {
    std::string id;  // four characters
    Cursor payload;
};

// Reads the next chunk header and carves its payload out of the enclosing cursor.
Chunk next_chunk(Cursor& c, std::string_view context) {
    const std::string where = "chunk header in " + std::string(context);
    auto id_bytes = c.bytes(4, where);
    std::string id(id_bytes.begin(), id_bytes.end());
    for (char ch : id) {
        if (ch < 0x20 || ch > 0x7E)
            throw MooError("corrupt chunk id in " + std::string(context) + " at offset " +
                           hex_offset(c.offset() - 4) + " (not printable ASCII)");
    }
    std::uint32_t length = c.u32(where);
    const std::size_t start = c.offset();
    if (length > c.remaining())
        throw MooError("chunk '" + id + "' at offset " + hex_offset(start - 8) + " claims " +
                       std::to_string(length) + " bytes but only " +
                       std::to_string(c.remaining()) + " remain in " + std::string(context));
    return Chunk{id, Cursor(c.bytes(length, where), start)};
}

MooRegisters parse_regs(Cursor c, std::string_view what) {
    MooRegisters r;
    r.present = c.u16(what);
    if (r.present >> kMooRegCount)
        throw MooError(std::string(what) + " bitmask has bits beyond FLAGS set (corrupt?)");
    for (int i = 0; i < kMooRegCount; ++i) {
        if ((r.present >> i) & 1u) r.value[i] = c.u16(what);
    }
    return r;
}

// A uint32 count followed by that many bytes (NAME, BYTS, QUEU).
std::span<const std::uint8_t> counted_bytes(Cursor& c, std::string_view what) {
    std::uint32_t n = c.u32(what);
    return c.bytes(n, what);
}

MooCpuState parse_cpu_state(Cursor c, std::string_view what) {
    MooCpuState s;
    const std::string ctx(what);
    while (!c.at_end()) {
        Chunk ch = next_chunk(c, ctx);
        if (ch.id == "REGS") {
            s.regs = parse_regs(ch.payload, ctx + "/REGS");
        } else if (ch.id == "RMSK") {
            s.reg_masks = parse_regs(ch.payload, ctx + "/RMSK");
        } else if (ch.id == "RAM ") {
            std::uint32_t n = ch.payload.u32(ctx + "/RAM count");
            // Check the whole table up front so a corrupt count cannot trigger a huge reserve.
            if (n > ch.payload.remaining() / 5)
                throw MooError(ctx + "/RAM claims " + std::to_string(n) + " entries but holds " +
                               std::to_string(ch.payload.remaining() / 5));
            s.ram.reserve(n);
            for (std::uint32_t i = 0; i < n; ++i) {
                MooRamEntry e;
                e.address = ch.payload.u32(ctx + "/RAM entry");
                e.value = ch.payload.u8(ctx + "/RAM entry");
                s.ram.push_back(e);
            }
        } else if (ch.id == "QUEU") {
            auto q = counted_bytes(ch.payload, ctx + "/QUEU");
            s.queue.assign(q.begin(), q.end());
        }
        // RG32, RM32, EA32 (386 sets) and future chunks: skipped by length, per the spec.
    }
    return s;
}

MooTest parse_test(Cursor c, std::size_t ordinal) {
    MooTest t;
    const std::string ctx = "TEST #" + std::to_string(ordinal);
    t.index = c.u32(ctx + " index");
    bool have_init = false, have_final = false;
    while (!c.at_end()) {
        Chunk ch = next_chunk(c, ctx);
        if (ch.id == "NAME") {
            auto s = counted_bytes(ch.payload, ctx + "/NAME");
            t.name.assign(s.begin(), s.end());
        } else if (ch.id == "BYTS") {
            auto s = counted_bytes(ch.payload, ctx + "/BYTS");
            t.bytes.assign(s.begin(), s.end());
        } else if (ch.id == "INIT") {
            t.initial = parse_cpu_state(ch.payload, ctx + "/INIT");
            have_init = true;
        } else if (ch.id == "FINA") {
            t.final_state = parse_cpu_state(ch.payload, ctx + "/FINA");
            have_final = true;
        } else if (ch.id == "CYCL") {
            t.cycle_count = ch.payload.u32(ctx + "/CYCL count");
            // 15 bytes per cycle record: a count the payload cannot hold means corruption.
            if (t.cycle_count > ch.payload.remaining() / 15)
                throw MooError(ctx + "/CYCL claims " + std::to_string(t.cycle_count) +
                               " cycles but holds " +
                               std::to_string(ch.payload.remaining() / 15));
        } else if (ch.id == "EXCP") {
            MooException e;
            e.vector = ch.payload.u8(ctx + "/EXCP");
            e.flags_address = ch.payload.u32(ctx + "/EXCP");
            t.exception = e;
        } else if (ch.id == "HASH") {
            auto h = ch.payload.bytes(20, ctx + "/HASH");
            std::array<std::uint8_t, 20> a{};
            std::copy(h.begin(), h.end(), a.begin());
            t.hash = a;
        }
        // GMET, IDX and unknown chunks: skipped.
    }
    if (!have_init || !have_final)
        throw MooError(ctx + " (\"" + t.name + "\") lacks its " +
                       (have_init ? "FINA" : "INIT") + " chunk");
    // The initial state must be complete: the runner builds the whole CPU from it.
    constexpr std::uint16_t kAllRegs = (1u << kMooRegCount) - 1;
    if ((t.initial.regs.present & kAllRegs) != kAllRegs)
        throw MooError(ctx + " (\"" + t.name + "\"): INIT/REGS does not list every register");
    return t;
}

std::string trim_right(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    return s;
}

MooMeta parse_meta(Cursor c) {
    MooMeta m;
    m.major_version = c.u8("META");
    m.minor_version = c.u8("META");
    m.cpu_type = c.u8("META");
    m.opcode = c.u32("META");
    auto mn = c.bytes(8, "META mnemonic");
    m.mnemonic = trim_right(std::string(mn.begin(), mn.end()));
    m.test_count = c.u32("META");
    m.file_seed = c.u64("META");
    m.cpu_mode = c.u8("META");
    return m;
}

}  // namespace

std::string_view moo_reg_name(MooReg r) {
    static constexpr std::array<std::string_view, kMooRegCount> kNames = {
        "ax", "bx", "cx", "dx", "cs", "ss", "ds", "es", "sp", "bp", "si", "di", "ip", "flags"};
    return kNames[static_cast<int>(r)];
}

std::string MooTest::hash_hex() const {
    if (!hash) return {};
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string s;
    for (std::uint8_t b : *hash) {
        s += kDigits[b >> 4];
        s += kDigits[b & 15];
    }
    return s;
}

MooFile parse_moo(std::span<const std::uint8_t> data) {
    MooFile f;
    Cursor top(data, 0);
    if (top.at_end()) throw MooError("empty file");
    Chunk header = next_chunk(top, "file");
    if (header.id != "MOO ")
        throw MooError("not a MOO file: first chunk is '" + header.id + "', expected 'MOO '");
    f.major_version = header.payload.u8("MOO header");
    f.minor_version = header.payload.u8("MOO header");
    header.payload.skip(2, "MOO header");
    f.declared_test_count = header.payload.u32("MOO header");
    auto id = header.payload.bytes(4, "MOO header CPU id");
    f.cpu_id.assign(id.begin(), id.end());

    while (!top.at_end()) {
        Chunk ch = next_chunk(top, "file");
        if (ch.id == "TEST") {
            f.tests.push_back(parse_test(ch.payload, f.tests.size()));
        } else if (ch.id == "META") {
            f.meta = parse_meta(ch.payload);
        } else if (ch.id == "RMSK") {
            f.reg_masks = parse_regs(ch.payload, "file RMSK");
        }
    }
    if (f.tests.size() != f.declared_test_count)
        throw MooError("header declares " + std::to_string(f.declared_test_count) +
                       " tests but the file holds " + std::to_string(f.tests.size()) +
                       " (truncated?)");
    return f;
}

std::vector<std::uint8_t> read_maybe_gzipped(const std::filesystem::path& path) {
    // gzread passes non-gzip files through unchanged, so plain .MOO files work too.
    struct GzClose {
        void operator()(gzFile_s* g) const { gzclose(g); }
    };
    std::unique_ptr<gzFile_s, GzClose> gz(gzopen(path.c_str(), "rb"));
    if (!gz) throw MooError("cannot open " + path.string());
    gzbuffer(gz.get(), 1u << 18);

    std::vector<std::uint8_t> out;
    constexpr unsigned kStep = 1u << 20;
    for (;;) {
        const std::size_t old = out.size();
        if (old + kStep > kMaxInflatedBytes)
            throw MooError(path.string() + ": inflates to more than " +
                           std::to_string(kMaxInflatedBytes >> 20) + " MiB (corrupt?)");
        out.resize(old + kStep);
        int n = gzread(gz.get(), out.data() + old, kStep);
        if (n < 0) {
            int err = 0;
            const char* msg = gzerror(gz.get(), &err);
            throw MooError(path.string() + ": corrupt gzip data (" + (msg ? msg : "?") + ")");
        }
        out.resize(old + static_cast<std::size_t>(n));
        if (n == 0) break;
    }
    // A stream cut short reads as a short file; zlib reports it only through gzerror.
    int err = Z_OK;
    const char* msg = gzerror(gz.get(), &err);
    if (err != Z_OK && err != Z_STREAM_END)
        throw MooError(path.string() + ": gzip stream error (" + (msg ? msg : "?") + ")");
    return out;
}

MooFile read_moo_file(const std::filesystem::path& path) {
    std::vector<std::uint8_t> data = read_maybe_gzipped(path);
    try {
        return parse_moo(data);
    } catch (const MooError& e) {
        throw MooError(path.filename().string() + ": " + e.what());
    }
}

}  // namespace lantern::conformance
