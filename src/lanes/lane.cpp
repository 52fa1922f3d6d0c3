#include "lanes/lane.hpp"

#include <limits>

namespace lanetorrent::lanes {

namespace {

constexpr char const* lane_names[lane_count] = {"slow", "medium", "fast"};

// GCC's -Wpedantic warns about __int128 itself; __extension__ says we mean it.
__extension__ using Int128 = __int128;

}  // namespace

char const* to_string(Lane lane) {
    auto const index = static_cast<std::size_t>(lane);
    return index < lane_count ? lane_names[index] : "unknown";
}

std::optional<Lane> lane_from_string(std::string_view text) {
    for (int i = 0; i < lane_count; ++i) {
        if (text == lane_names[i]) return static_cast<Lane>(i);
    }
    return std::nullopt;
}

Units cost_of(std::int64_t bytes, Units price_per_gib) {
    // A negative count or price is a caller's bug; it must never turn into a credit.
    if (bytes <= 0 || price_per_gib <= 0) return 0;
    // bytes * price overflows 64 bits long before either factor is unrealistic (1 TiB at 10^7).
    auto const cost = Int128{bytes} * price_per_gib / bytes_per_gib;
    constexpr auto max = std::numeric_limits<Units>::max();
    return cost > max ? max : static_cast<Units>(cost);
}

}  // namespace lanetorrent::lanes
