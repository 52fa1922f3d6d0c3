// The one place numbers become text for people, and decimal token amounts become base units: the
// CLI, the desktop app's models and widgets all print bytes, rates, durations and BTT through
// here, so the same figure reads the same on every screen.
//
// The rules (docs/cli.md, "How numbers are shown"):
// - Bytes in IEC units. Under 1 KiB as a whole number ("512 B"); from 1 KiB up with exactly one
//   decimal, rounded half up, in the largest unit that keeps the figure under 1024
//   ("1.5 KiB", "300.0 MiB", "1.0 GiB"; never "1024.0 KiB").
// - Rates are bytes per second: "2.4 MiB/s", "0 B/s".
// - Durations in two units at most, the second zero-padded: "45 s", "3 min 05 s", "1 h 02 min",
//   "2 d 03 h".
// - Token amounts as decimals of the asset's precision (BTT and TRX: 6), with a thousands comma,
//   and the fraction's trailing zeros trimmed (no decimal point when nothing is left):
//   "4,895.712281 BTT", "1.5 BTT", "0 BTT", "0.000001 BTT". Exact: integer arithmetic only.
// - Amounts typed by people ("1.5", "0.000001", "4,895.712281") are parsed exactly into base
//   units: never through a double.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace lanetorrent {

inline constexpr int btt_decimals = 6;  // TRC-10 id 1002000 (tron-facts.md)
inline constexpr int trx_decimals = 6;  // 1 TRX = 1,000,000 sun

std::string format_bytes(std::int64_t bytes);            // "300.0 MiB"
std::string format_rate(std::int64_t bytes_per_second);  // "2.4 MiB/s"
std::string format_duration(std::int64_t seconds);       // "1 h 02 min"; negative counts as 0

// `units` of a token with `decimals` decimals: "4,895.712281", "-1.5", "0". Every function here
// holds `decimals` to 0..18 (an int64 has 19 digits).
std::string format_amount(std::int64_t units, int decimals);
// The same without the thousands comma, for JSON and for text a person edits: "4895.712281".
std::string plain_amount(std::int64_t units, int decimals);
// format_amount and the token's symbol: "4,895.712281 BTT".
std::string format_token(std::int64_t units, int decimals, std::string_view symbol);
std::string format_btt(std::int64_t units);  // format_token(units, 6, "BTT")
std::string format_trx(std::int64_t sun);    // format_token(sun, 6, "TRX")

struct AmountError {
    enum class Kind {
        empty,              // nothing but spaces
        malformed,          // not a decimal number ("abc", "1.2.3", "1e5", "1,5")
        negative,           // "-1"
        too_many_decimals,  // "1.0000001" for a 6-decimal token
        too_large,          // more base units than an int64 holds
    };
    Kind kind;
    std::string message;  // one sentence, quoting at most the first 40 characters of the input
};

// A parsed amount in base units, or why the text is not one.
class [[nodiscard]] ParsedAmount {
  public:
    ParsedAmount(std::int64_t units) : state_(units) {}
    ParsedAmount(AmountError error) : state_(std::move(error)) {}

    bool ok() const { return std::holds_alternative<std::int64_t>(state_); }
    explicit operator bool() const { return ok(); }
    std::int64_t value() const { return std::get<std::int64_t>(state_); }
    AmountError const& failure() const { return std::get<AmountError>(state_); }
    std::string const& error() const { return failure().message; }

  private:
    std::variant<std::int64_t, AmountError> state_;
};

// "1.5" with 6 decimals -> 1500000. Accepts surrounding spaces, ".5" and "5.", and thousands
// commas when every group after the first has three digits ("4,895.712281"). Zero is an amount;
// callers that need a positive one say so. `decimals` is 0..18.
ParsedAmount parse_amount(std::string_view text, int decimals);

}  // namespace lanetorrent
