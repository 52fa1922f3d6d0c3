#include "stream/byte_range.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

namespace lanetorrent::stream {

namespace {

// Far beyond any file; larger numbers saturate here, so "bytes=0-99999999999999999999" means "to
// the end" rather than overflowing.
constexpr std::int64_t saturated = std::numeric_limits<std::int64_t>::max() / 4;
// More ranges than this in one header is not a player; the header is ignored.
constexpr std::size_t max_ranges = 64;

bool is_ows(char c) {
    return c == ' ' || c == '\t';
}
bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
    return s;
}

// 1*DIGIT, saturating; nullopt if empty or not all digits.
std::optional<std::int64_t> parse_digits(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::int64_t value = 0;
    for (char c : s) {
        if (!is_digit(c)) return std::nullopt;
        value = std::min(saturated, value * 10 + (c - '0'));
    }
    return value;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
               return lower(x) == lower(y);
           });
}

// One range-spec: first-pos "-" [ last-pos ] or "-" suffix-length. Positions are inclusive here;
// nullopt if malformed (including last-pos < first-pos, which RFC 9110 calls invalid).
struct Spec {
    bool suffix = false;
    std::int64_t first = 0;
    std::optional<std::int64_t> last;  // for a suffix: the suffix length
};

std::optional<Spec> parse_spec(std::string_view s) {
    auto const dash = s.find('-');
    if (dash == std::string_view::npos) return std::nullopt;
    std::string_view const left = s.substr(0, dash);
    std::string_view const right = s.substr(dash + 1);
    if (left.empty()) {
        auto const length = parse_digits(right);
        if (!length) return std::nullopt;
        return Spec{true, 0, *length};
    }
    auto const first = parse_digits(left);
    if (!first) return std::nullopt;
    if (right.empty()) return Spec{false, *first, std::nullopt};
    auto const last = parse_digits(right);
    if (!last || *last < *first) return std::nullopt;
    return Spec{false, *first, *last};
}

}  // namespace

RangeDecision decide_range(std::string_view header, std::int64_t size) {
    RangeDecision const whole{RangeDecision::Kind::whole, 0, size};
    // An empty file has no byte a Content-Range could name: it is always sent whole.
    if (header.size() > max_range_header || size <= 0) return whole;

    header = trim(header);
    auto const eq = header.find('=');
    if (eq == std::string_view::npos) return whole;
    // RFC 9110 14.2: a range unit the server does not understand is ignored.
    if (!equals_ignoring_case(trim(header.substr(0, eq)), "bytes")) return whole;

    // range-set = 1#range-spec; the list syntax allows empty elements (", ,").
    std::vector<Spec> specs;
    std::string_view rest = header.substr(eq + 1);
    while (true) {
        auto const comma = rest.find(',');
        std::string_view const element = trim(rest.substr(0, comma));
        if (!element.empty()) {
            auto spec = parse_spec(element);
            if (!spec) return whole;
            specs.push_back(*spec);
            if (specs.size() > max_ranges) return whole;
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    if (specs.empty()) return whole;

    // Satisfiable: an int-range starting inside the file, or a suffix of non-zero length.
    std::vector<RangeDecision> satisfiable;
    for (Spec const& spec : specs) {
        if (spec.suffix) {
            if (*spec.last == 0) continue;
            satisfiable.push_back(
                {RangeDecision::Kind::part, size - std::min(*spec.last, size), size});
        } else {
            if (spec.first >= size) continue;
            std::int64_t const end = spec.last ? std::min(*spec.last + 1, size) : size;
            satisfiable.push_back({RangeDecision::Kind::part, spec.first, end});
        }
    }
    if (satisfiable.empty()) return {RangeDecision::Kind::unsatisfiable, 0, 0};
    // Several ranges would need a multipart/byteranges body, which no player asks for; ignoring
    // the header (the whole file, 200) is what RFC 9110 allows.
    if (satisfiable.size() > 1 || specs.size() > 1) return whole;
    return satisfiable.front();
}

std::string content_range(RangeDecision const& decision, std::int64_t size) {
    if (decision.kind == RangeDecision::Kind::unsatisfiable) {
        return "bytes */" + std::to_string(size);
    }
    return "bytes " + std::to_string(decision.begin) + "-" + std::to_string(decision.end - 1) +
           "/" + std::to_string(size);
}

}  // namespace lanetorrent::stream
