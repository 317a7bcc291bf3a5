// A recursive-descent parser that evaluates as it parses (expressions are short and evaluated
// once per breakpoint hit, so there is no tree to keep). The grammar, lowest precedence first:
//
//   or      := and ('||' and)*            and  := bitor ('&&' bitor)*
//   bitor   := bitxor ('|' bitxor)*       bitxor := bitand ('^' bitand)*
//   bitand  := equal ('&' equal)*         equal := relate (('=='|'!=') relate)*
//   relate  := segoff (('<'|'<='|'>'|'>=') segoff)*
//   segoff  := shift (':' shift)?         shift := sum (('<<'|'>>') sum)*
//   sum     := product (('+'|'-') product)*
//   product := unary (('*'|'/'|'%') unary)*
//   unary   := ('-'|'!'|'~'|'+') unary | primary
//   primary := number | name | '(' or ')' | [size] '[' or ']'
#include "debugger/expression.h"

#include <array>
#include <cctype>

namespace lantern {

namespace {

constexpr std::array<std::string_view, 8> kSegmentNames = {"es", "cs", "ss", "ds", "fs", "gs", "", ""};

bool is_segment_name(std::string_view n) {
    for (auto s : kSegmentNames)
        if (!s.empty() && s == n) return true;
    return false;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Guards against a pathological expression exhausting the host stack.
constexpr int kMaxDepth = 64;

class Parser {
public:
    Parser(std::string_view text, const ExpressionContext& ctx) : text_(text), ctx_(ctx) {}

    ExpressionResult run() {
        ExpressionResult r;
        std::uint64_t v = 0;
        if (!parse_or(v)) {
            r.error = error_.empty() ? "bad expression" : error_;
            return r;
        }
        skip_space();
        if (pos_ != text_.size()) {
            r.error = "unexpected '" + std::string(text_.substr(pos_)) + "'";
            return r;
        }
        r.value = v;
        return r;
    }

private:
    struct Value {
        std::uint64_t v = 0;
        bool segment = false;           // a bare segment register: its base counts in seg:offset
        std::string segment_name{};
    };

    void skip_space() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    bool peek(std::string_view op) {
        skip_space();
        return text_.substr(pos_, op.size()) == op;
    }
    bool accept(std::string_view op) {
        if (!peek(op)) return false;
        pos_ += op.size();
        return true;
    }
    bool fail(std::string message) {
        if (error_.empty()) error_ = std::move(message);
        return false;
    }

    bool parse_or(std::uint64_t& v) {
        if (++depth_ > kMaxDepth) return fail("expression nested too deeply");
        bool ok = parse_and(v);
        while (ok && accept("||")) {
            std::uint64_t r = 0;
            ok = parse_and(r);
            v = (v != 0 || r != 0) ? 1 : 0;
        }
        --depth_;
        return ok;
    }
    bool parse_and(std::uint64_t& v) {
        bool ok = parse_bitor(v);
        while (ok && accept("&&")) {
            std::uint64_t r = 0;
            ok = parse_bitor(r);
            v = (v != 0 && r != 0) ? 1 : 0;
        }
        return ok;
    }
    bool parse_bitor(std::uint64_t& v) {
        bool ok = parse_bitxor(v);
        while (ok && !peek("||") && accept("|")) {
            std::uint64_t r = 0;
            ok = parse_bitxor(r);
            v |= r;
        }
        return ok;
    }
    bool parse_bitxor(std::uint64_t& v) {
        bool ok = parse_bitand(v);
        while (ok && accept("^")) {
            std::uint64_t r = 0;
            ok = parse_bitand(r);
            v ^= r;
        }
        return ok;
    }
    bool parse_bitand(std::uint64_t& v) {
        bool ok = parse_equal(v);
        while (ok && !peek("&&") && accept("&")) {
            std::uint64_t r = 0;
            ok = parse_equal(r);
            v &= r;
        }
        return ok;
    }
    bool parse_equal(std::uint64_t& v) {
        bool ok = parse_relate(v);
        while (ok) {
            bool eq;
            if (accept("==")) eq = true;
            else if (accept("!=")) eq = false;
            else break;
            std::uint64_t r = 0;
            ok = parse_relate(r);
            v = ((v == r) == eq) ? 1 : 0;
        }
        return ok;
    }
    bool parse_relate(std::uint64_t& v) {
        bool ok = parse_segoff(v);
        while (ok) {
            int op;
            if (accept("<=")) op = 0;
            else if (accept(">=")) op = 1;
            else if (!peek("<<") && accept("<")) op = 2;
            else if (!peek(">>") && accept(">")) op = 3;
            else break;
            std::uint64_t r = 0;
            ok = parse_segoff(r);
            switch (op) {
                case 0: v = v <= r; break;
                case 1: v = v >= r; break;
                case 2: v = v < r; break;
                default: v = v > r; break;
            }
        }
        return ok;
    }
    // seg:offset -> linear. A segment register contributes its descriptor-cache base (so the
    // result is right in every mode); a number is a real-mode paragraph.
    bool parse_segoff(std::uint64_t& v) {
        last_segment_.clear();
        if (!parse_shift(v)) return false;
        const std::string seg = last_segment_;
        if (!accept(":")) return true;
        std::uint64_t off = 0;
        if (!parse_shift(off)) return false;
        std::uint64_t base = (v & 0xFFFF) << 4;
        if (!seg.empty()) {
            const auto b = ctx_.segment_base(seg);
            if (!b) return fail("no base for segment " + seg);
            base = *b;
        }
        v = (base + off) & 0xFFFFFFFFu;
        return true;
    }
    bool parse_shift(std::uint64_t& v) {
        bool ok = parse_sum(v);
        while (ok) {
            bool left;
            if (accept("<<")) left = true;
            else if (accept(">>")) left = false;
            else break;
            std::uint64_t r = 0;
            ok = parse_sum(r);
            v = r >= 64 ? 0 : (left ? v << r : v >> r);
            last_segment_.clear();
        }
        return ok;
    }
    bool parse_sum(std::uint64_t& v) {
        bool ok = parse_product(v);
        while (ok) {
            bool plus;
            if (accept("+")) plus = true;
            else if (accept("-")) plus = false;
            else break;
            std::uint64_t r = 0;
            ok = parse_product(r);
            v = plus ? v + r : v - r;
            last_segment_.clear();
        }
        return ok;
    }
    bool parse_product(std::uint64_t& v) {
        bool ok = parse_unary(v);
        while (ok) {
            char op;
            if (accept("*")) op = '*';
            else if (accept("/")) op = '/';
            else if (accept("%")) op = '%';
            else break;
            std::uint64_t r = 0;
            ok = parse_unary(r);
            if (!ok) break;
            if (op != '*' && r == 0) return fail("division by zero");
            v = op == '*' ? v * r : op == '/' ? v / r : v % r;
            last_segment_.clear();
        }
        return ok;
    }
    bool parse_unary(std::uint64_t& v) {
        if (++depth_ > kMaxDepth) return fail("expression nested too deeply");
        bool ok;
        if (accept("-")) {
            ok = parse_unary(v);
            v = 0 - v;
            last_segment_.clear();
        } else if (accept("!")) {
            ok = parse_unary(v);
            v = v == 0 ? 1 : 0;
            last_segment_.clear();
        } else if (accept("~")) {
            ok = parse_unary(v);
            v = ~v;
            last_segment_.clear();
        } else if (accept("+")) {
            ok = parse_unary(v);
        } else {
            ok = parse_primary(v);
        }
        --depth_;
        return ok;
    }

    bool parse_memory(std::uint64_t& v, unsigned width) {
        // '[' already consumed.
        std::uint64_t addr = 0;
        if (!parse_or(addr)) return false;
        if (!accept("]")) return fail("missing ']'");
        const auto m = ctx_.read_memory(static_cast<std::uint32_t>(addr), width);
        if (!m) return fail("cannot read memory at linear " + hex(addr));
        v = *m;
        last_segment_.clear();
        return true;
    }

    static std::string hex(std::uint64_t v) {
        static constexpr char kDigits[] = "0123456789abcdef";
        std::string s;
        do {
            s.insert(s.begin(), kDigits[v & 15]);
            v >>= 4;
        } while (v);
        return "0x" + s;
    }

    bool parse_number(std::uint64_t& v) {
        const std::size_t start = pos_;
        std::size_t end = pos_;
        while (end < text_.size() && std::isalnum(static_cast<unsigned char>(text_[end]))) ++end;
        std::string word = lower(text_.substr(start, end - start));
        pos_ = end;
        unsigned base = 10;
        std::string digits = word;
        if (word.size() > 2 && word[0] == '0' && word[1] == 'x') {
            base = 16;
            digits = word.substr(2);
        } else if (word.size() > 2 && word[0] == '0' && word[1] == 'b') {
            base = 2;
            digits = word.substr(2);
        } else if (word.size() > 1 && word.back() == 'h') {
            base = 16;
            digits = word.substr(0, word.size() - 1);
        }
        if (digits.empty()) return fail("bad number '" + word + "'");
        std::uint64_t n = 0;
        for (char c : digits) {
            unsigned d;
            if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
            else return fail("bad number '" + word + "'");
            if (d >= base) return fail("bad number '" + word + "'");
            if (n > (UINT64_MAX - d) / base) return fail("number too large '" + word + "'");
            n = n * base + d;
        }
        v = n;
        return true;
    }

    bool parse_primary(std::uint64_t& v) {
        skip_space();
        if (pos_ >= text_.size()) return fail("expression ends too early");
        const char c = text_[pos_];
        if (c == '(') {
            ++pos_;
            if (!parse_or(v)) return false;
            if (!accept(")")) return fail("missing ')'");
            last_segment_.clear();
            return true;
        }
        if (c == '[') {
            ++pos_;
            return parse_memory(v, 4);
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            last_segment_.clear();
            return parse_number(v);
        }
        const bool dollar = c == '$';
        if (dollar) ++pos_;
        const std::size_t start = pos_;
        while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '_' ||
                                       text_[pos_] == '.' || text_[pos_] == '@'))
            ++pos_;
        if (pos_ == start) return fail("unexpected '" + std::string(1, c) + "'");
        const std::string_view name = text_.substr(start, pos_ - start);
        const std::string lname = lower(name);
        last_segment_.clear();
        if (!dollar) {
            unsigned width = 0;
            if (lname == "byte") width = 1;
            else if (lname == "word") width = 2;
            else if (lname == "dword") width = 4;
            if (width != 0 && accept("[")) return parse_memory(v, width);
        }
        if (is_register_name(lname)) {
            const auto r = ctx_.register_value(lname);
            if (!r) return fail("register " + lname + " is not available");
            v = *r;
            if (is_segment_name(lname)) last_segment_ = lname;
            return true;
        }
        if (const auto s = ctx_.symbol_value(name)) {
            v = *s;
            return true;
        }
        return fail("unknown register or symbol '" + std::string(name) + "'");
    }

    std::string_view text_;
    const ExpressionContext& ctx_;
    std::size_t pos_ = 0;
    int depth_ = 0;
    std::string error_{};
    std::string last_segment_{};  // the segment register the last primary was, if it was one
};

}  // namespace

bool is_register_name(std::string_view n) {
    static constexpr std::array<std::string_view, 57> kNames = {
        "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "ax", "cx", "dx", "bx", "sp", "bp", "si",
        "di", "al", "cl", "dl", "bl", "ah", "ch", "dh", "bh", "eip", "ip", "eflags", "flags", "es", "cs",
        "ss", "ds", "fs", "gs", "cr0", "cr2", "cr3", "cr4", "dr0", "dr1", "dr2", "dr3", "dr6", "dr7", "cf",
        "pf", "af", "zf", "sf", "tf", "if", "df", "of", "cpl", "cycles", "instructions", "pc"};
    for (auto k : kNames)
        if (k == n) return true;
    return false;
}

ExpressionResult evaluate_expression(std::string_view text, const ExpressionContext& context) {
    return Parser(text, context).run();
}

}  // namespace lantern
