// The one formatting module: each rule in base/format.hpp, its edges, and exact amount parsing.
#include "base/format.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace lanetorrent {
namespace {

constexpr std::int64_t kib = 1024;
constexpr std::int64_t mib = kib * 1024;
constexpr std::int64_t gib = mib * 1024;
constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();
constexpr auto int64_min = std::numeric_limits<std::int64_t>::min();

TEST(FormatBytes, WholeBytesThenOneDecimalInIecUnits) {
    EXPECT_EQ(format_bytes(0), "0 B");
    EXPECT_EQ(format_bytes(512), "512 B");
    EXPECT_EQ(format_bytes(1023), "1023 B");
    EXPECT_EQ(format_bytes(kib), "1.0 KiB");
    EXPECT_EQ(format_bytes(1536), "1.5 KiB");
    // The figure of issue 15: one rule, so "300.0 MiB" on every screen.
    EXPECT_EQ(format_bytes(300 * mib), "300.0 MiB");
    EXPECT_EQ(format_bytes(5 * gib / 2), "2.5 GiB");
    EXPECT_EQ(format_bytes(-1536), "-1.5 KiB");
}

TEST(FormatBytes, RoundsHalfUpAndMovesToTheNextUnitRatherThanShow1024) {
    EXPECT_EQ(format_bytes(1024 + 51), "1.0 KiB");  // 1.0498
    EXPECT_EQ(format_bytes(1024 + 52), "1.1 KiB");  // 1.0508
    EXPECT_EQ(format_bytes(mib - 1), "1.0 MiB");    // 1023.999 KiB
    EXPECT_EQ(format_bytes(mib - 52), "1023.9 KiB");
    EXPECT_EQ(format_bytes(int64_max), "8.0 EiB");
    EXPECT_EQ(format_bytes(int64_min), "-8.0 EiB");
}

TEST(FormatRate, IsBytesPerSecond) {
    EXPECT_EQ(format_rate(0), "0 B/s");
    EXPECT_EQ(format_rate(2048), "2.0 KiB/s");
    EXPECT_EQ(format_rate(2516582), "2.4 MiB/s");
}

TEST(FormatDuration, TwoUnitsAtMostSecondOnePadded) {
    EXPECT_EQ(format_duration(0), "0 s");
    EXPECT_EQ(format_duration(45), "45 s");
    EXPECT_EQ(format_duration(60), "1 min 00 s");
    EXPECT_EQ(format_duration(185), "3 min 05 s");
    EXPECT_EQ(format_duration(3725), "1 h 02 min");
    EXPECT_EQ(format_duration(86399), "23 h 59 min");
    EXPECT_EQ(format_duration(2 * 86400 + 3 * 3600 + 59), "2 d 03 h");
    EXPECT_EQ(format_duration(-5), "0 s");
}

TEST(FormatAmount, TrimsTrailingZerosAndGroupsThousands) {
    EXPECT_EQ(format_btt(4'895'712'281), "4,895.712281 BTT");
    EXPECT_EQ(format_btt(0), "0 BTT");
    EXPECT_EQ(format_btt(1), "0.000001 BTT");
    EXPECT_EQ(format_btt(1'500'000), "1.5 BTT");
    EXPECT_EQ(format_btt(300'000'000), "300 BTT");
    EXPECT_EQ(format_btt(-1'500'000), "-1.5 BTT");
    EXPECT_EQ(format_btt(1'000'000'000'000), "1,000,000 BTT");
    EXPECT_EQ(format_trx(98'900'000), "98.9 TRX");
    EXPECT_EQ(format_btt(int64_min), "-9,223,372,036,854.775808 BTT");
    EXPECT_EQ(format_amount(int64_max, 0), "9,223,372,036,854,775,807");
    EXPECT_EQ(format_amount(int64_max, 18), "9.223372036854775807");
    EXPECT_EQ(format_token(1234, 2, "XYZ"), "12.34 XYZ");
    EXPECT_EQ(plain_amount(4'895'712'281, 6), "4895.712281");
}

TEST(ParseAmount, DecimalsBecomeExactBaseUnits) {
    EXPECT_EQ(parse_amount("1.5", 6).value(), 1'500'000);
    EXPECT_EQ(parse_amount("0.000001", 6).value(), 1);
    EXPECT_EQ(parse_amount("12", 6).value(), 12'000'000);
    EXPECT_EQ(parse_amount(" 12.5 ", 6).value(), 12'500'000);
    EXPECT_EQ(parse_amount(".5", 6).value(), 500'000);
    EXPECT_EQ(parse_amount("5.", 6).value(), 5'000'000);
    EXPECT_EQ(parse_amount("0", 6).value(), 0);
    EXPECT_EQ(parse_amount("000123.450", 3).value(), 123'450);
    EXPECT_EQ(parse_amount("7", 0).value(), 7);
    // Zeros past the precision add nothing, so they are no reason to refuse.
    EXPECT_EQ(parse_amount("1.50000000", 6).value(), 1'500'000);
    // What format_btt prints reads back: commas in threes.
    EXPECT_EQ(parse_amount("4,895.712281", 6).value(), 4'895'712'281);
    EXPECT_EQ(parse_amount("1,000,000", 6).value(), 1'000'000'000'000);
    // 0.1 + 0.2 style double errors cannot happen: 0.3 is 300000, not 299999.
    EXPECT_EQ(parse_amount("0.3", 6).value(), 300'000);
    EXPECT_EQ(parse_amount("9223372036854.775807", 6).value(), int64_max);
    EXPECT_EQ(parse_amount("9223372036854775807", 0).value(), int64_max);
}

TEST(ParseAmount, RefusesWithAKindAndASentence) {
    using Kind = AmountError::Kind;
    auto const kind_of = [](std::string_view text, int decimals = 6) {
        auto const parsed = parse_amount(text, decimals);
        if (parsed.ok()) {
            ADD_FAILURE() << "'" << text << "' was accepted as " << parsed.value();
            return Kind::empty;
        }
        EXPECT_FALSE(parsed.error().empty()) << text;
        return parsed.failure().kind;
    };
    EXPECT_EQ(kind_of(""), Kind::empty);
    EXPECT_EQ(kind_of("   "), Kind::empty);
    for (auto const* bad : {"abc", "1.2.3", "1e5", "0x10", "+1", "1,5", "1,23", "1234,567", ",123",
                            "1 000", ".", "1.5 BTT", "١"}) {
        EXPECT_EQ(kind_of(bad), Kind::malformed) << bad;
    }
    EXPECT_EQ(kind_of("-1"), Kind::negative);
    EXPECT_EQ(kind_of("-0.5"), Kind::negative);
    EXPECT_EQ(kind_of("1.0000001"), Kind::too_many_decimals);
    EXPECT_EQ(kind_of("1.5", 0), Kind::too_many_decimals);
    EXPECT_EQ(kind_of("9223372036854.775808"), Kind::too_large);
    EXPECT_EQ(kind_of("10000000000000"), Kind::too_large);
    EXPECT_EQ(kind_of("99999999999999999999999999999999"), Kind::too_large);

    EXPECT_EQ(parse_amount("1.0000001", 6).error(),
              "'1.0000001': this token has at most 6 decimal places");
    EXPECT_EQ(parse_amount("-1", 6).error(), "the amount must not be negative, got '-1'");
    // A long paste is quoted only in part.
    auto const long_text = std::string(1000, 'x');
    EXPECT_LT(parse_amount(long_text, 6).error().size(), 120u);
}

TEST(ParseAmount, RoundTripsWhatItFormats) {
    for (std::int64_t units : {std::int64_t{0}, std::int64_t{1}, std::int64_t{999'999},
                               std::int64_t{1'000'000}, std::int64_t{4'895'712'281}, int64_max}) {
        EXPECT_EQ(parse_amount(format_amount(units, 6), 6).value(), units);
        EXPECT_EQ(parse_amount(plain_amount(units, 6), 6).value(), units);
    }
}

}  // namespace
}  // namespace lanetorrent
