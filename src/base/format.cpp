#include "base/format.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <limits>

namespace lanetorrent {

namespace {

// |value| without overflow: the magnitude of INT64_MIN fits in a uint64.
std::uint64_t magnitude(std::int64_t value) {
    return value < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(value)
                     : static_cast<std::uint64_t>(value);
}

std::uint64_t pow10(int decimals) {
    std::uint64_t scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    return scale;
}

// "4895" -> "4,895".
std::string grouped(std::uint64_t whole) {
    auto digits = std::to_string(whole);
    for (auto at = static_cast<std::ptrdiff_t>(digits.size()) - 3; at > 0; at -= 3) {
        digits.insert(static_cast<std::size_t>(at), 1, ',');
    }
    return digits;
}

// A token's precision comes from a node's answer: one out of range is held to int64's 0..18
// rather than overflow 10^decimals.
int clamped(int decimals) {
    return decimals < 0 ? 0 : decimals > 18 ? 18 : decimals;
}

std::string amount_text(std::int64_t units, int decimals, bool with_commas) {
    decimals = clamped(decimals);
    auto const scale = pow10(decimals);
    auto const size = magnitude(units);
    auto const whole = size / scale;
    auto text =
        std::string(units < 0 ? "-" : "") + (with_commas ? grouped(whole) : std::to_string(whole));
    if (auto const fraction = size % scale; fraction != 0) {
        auto digits = fmt::format("{:0{}}", fraction, decimals);
        digits.erase(digits.find_last_not_of('0') + 1);
        text += "." + digits;
    }
    return text;
}

// What an error message may quote of the input: enough to recognise it, never a whole paste.
std::string quoted(std::string_view text) {
    constexpr std::size_t limit = 40;
    std::string shown;
    for (char c : text.substr(0, limit)) {
        shown += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
    }
    return "'" + shown + (text.size() > limit ? "...'" : "'");
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// The whole part's digits with its thousands commas removed, or false when the commas are not
// every three digits (so "1,5" is not silently read as 15).
bool strip_grouping(std::string_view whole, std::string& digits) {
    if (whole.find(',') == std::string_view::npos) {
        digits.assign(whole);
        return true;
    }
    std::size_t group = 0;  // digits since the last comma
    bool first = true;
    for (char c : whole) {
        if (c == ',') {
            if (group == 0 || (first && group > 3) || (!first && group != 3)) return false;
            first = false;
            group = 0;
            continue;
        }
        digits += c;
        ++group;
    }
    return group == 3;
}

}  // namespace

std::string format_bytes(std::int64_t bytes) {
    static constexpr char const* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    auto const sign = bytes < 0 ? "-" : "";
    auto const size = magnitude(bytes);
    if (size < 1024) return fmt::format("{}{} B", sign, size);
    // Tenths of the unit, rounded half up, in integers; the next unit when rounding reaches 1024.
    for (int unit = 1; unit < 7; ++unit) {
        std::uint64_t const scale = std::uint64_t{1} << (10 * unit);
        std::uint64_t const rest = size % scale;  // < scale <= 2^60, so rest * 10 fits
        std::uint64_t const tenths = size / scale * 10 + (rest * 10 + scale / 2) / scale;
        if (tenths < 10240 || unit == 6) {
            return fmt::format("{}{}.{} {}", sign, tenths / 10, tenths % 10, units[unit]);
        }
    }
    return {};  // not reached: the loop returns at EiB
}

std::string format_rate(std::int64_t bytes_per_second) {
    return format_bytes(bytes_per_second) + "/s";
}

std::string format_duration(std::int64_t seconds) {
    auto const s = seconds < 0 ? 0 : seconds;
    if (s < 60) return fmt::format("{} s", s);
    if (s < 3600) return fmt::format("{} min {:02} s", s / 60, s % 60);
    if (s < 86400) return fmt::format("{} h {:02} min", s / 3600, s / 60 % 60);
    return fmt::format("{} d {:02} h", s / 86400, s / 3600 % 24);
}

std::string format_amount(std::int64_t units, int decimals) {
    return amount_text(units, decimals, true);
}

std::string plain_amount(std::int64_t units, int decimals) {
    return amount_text(units, decimals, false);
}

std::string format_token(std::int64_t units, int decimals, std::string_view symbol) {
    return format_amount(units, decimals) + " " + std::string(symbol);
}

std::string format_btt(std::int64_t units) {
    return format_token(units, btt_decimals, "BTT");
}

std::string format_trx(std::int64_t sun) {
    return format_token(sun, trx_decimals, "TRX");
}

ParsedAmount parse_amount(std::string_view text, int decimals) {
    using Kind = AmountError::Kind;
    decimals = clamped(decimals);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (text.empty()) return AmountError{Kind::empty, "no amount given"};
    auto const malformed = [&] {
        return AmountError{Kind::malformed, quoted(text) +
                                                " is not an amount: write a decimal number "
                                                "with a '.' such as 12.5"};
    };
    if (text.front() == '-') {
        return AmountError{Kind::negative, "the amount must not be negative, got " + quoted(text)};
    }
    auto const point = text.find('.');
    auto const whole_text = text.substr(0, point);
    auto const fraction =
        point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
    if (whole_text.empty() && fraction.empty()) return malformed();
    std::string whole;
    if (!strip_grouping(whole_text, whole)) return malformed();
    for (char c : whole) {
        if (!is_digit(c)) return malformed();
    }
    for (char c : fraction) {
        if (!is_digit(c)) return malformed();
    }
    // Trailing zeros past the precision change nothing ("1.50" for a 1-decimal token).
    auto significant = fraction;
    while (significant.size() > static_cast<std::size_t>(decimals) && significant.back() == '0') {
        significant.remove_suffix(1);
    }
    if (significant.size() > static_cast<std::size_t>(decimals)) {
        return AmountError{Kind::too_many_decimals,
                           decimals == 0
                               ? quoted(text) + ": this token has no decimal places"
                               : fmt::format("{}: this token has at most {} decimal places",
                                             quoted(text), decimals)};
    }
    // units = whole * 10^decimals + fraction, each step checked against int64's range.
    constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    auto const too_large = [&] {
        return AmountError{
            Kind::too_large,
            fmt::format("{} is too large: at most {}", quoted(text),
                        format_amount(std::numeric_limits<std::int64_t>::max(), decimals))};
    };
    std::uint64_t units = 0;
    auto const append = [&](char digit) {
        auto const d = static_cast<std::uint64_t>(digit - '0');
        if (units > (max - d) / 10) return false;
        units = units * 10 + d;
        return true;
    };
    for (char c : whole) {
        if (!append(c)) return too_large();
    }
    for (int i = 0; i < decimals; ++i) {
        auto const digit = static_cast<std::size_t>(i) < significant.size() ? significant[i] : '0';
        if (!append(digit)) return too_large();
    }
    return static_cast<std::int64_t>(units);
}

}  // namespace lanetorrent
