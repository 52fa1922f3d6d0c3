#include "base/price_estimate.hpp"

#include <fmt/format.h>

#include <limits>

#include "base/format.hpp"

namespace lanetorrent::ui {

namespace {

std::int64_t pow10(int decimals) {
    std::int64_t scale = 1;
    for (int i = 0; i < decimals; ++i) scale *= 10;
    return scale;
}

}  // namespace

LanePrices lane_prices(std::optional<LanePrices> const& offered, lanes::Units default_medium,
                       lanes::Units default_fast) {
    LanePrices prices = offered.value_or(LanePrices{0, default_medium, default_fast});
    prices[static_cast<int>(lanes::Lane::slow)] = 0;
    return prices;
}

LaneEstimate estimate_lane(lanes::Lane lane, std::int64_t size_bytes, LanePrices const& prices,
                           lanes::Caps const& caps) {
    LaneEstimate estimate;
    estimate.lane = lane;
    if (lane == lanes::Lane::slow) {
        estimate.cost = 0;
        return estimate;
    }
    estimate.price_per_gib = prices[static_cast<int>(lane)];
    estimate.price_above_cap = estimate.price_per_gib > caps.max_price_per_gib;
    if (size_bytes > 0) {
        estimate.cost = lanes::cost_of(size_bytes, estimate.price_per_gib);
        estimate.over_torrent_cap =
            caps.max_per_torrent > 0 && *estimate.cost > caps.max_per_torrent;
        estimate.over_day_cap = caps.max_per_day > 0 && *estimate.cost > caps.max_per_day;
    }
    return estimate;
}

std::array<LaneEstimate, lanes::lane_count> estimate_lanes(std::int64_t size_bytes,
                                                           LanePrices const& prices,
                                                           lanes::Caps const& caps) {
    return {estimate_lane(lanes::Lane::slow, size_bytes, prices, caps),
            estimate_lane(lanes::Lane::medium, size_bytes, prices, caps),
            estimate_lane(lanes::Lane::fast, size_bytes, prices, caps)};
}

lanes::Units units_from_btt(double btt, int decimals) {
    if (!(btt > 0)) return 0;
    // The spin box's value as the decimal text it shows, then the exact parser every other
    // amount goes through (base/format.hpp): one rounding, at the last decimal.
    auto const units = parse_amount(fmt::format("{:.{}f}", btt, decimals), decimals);
    return units ? units.value() : std::numeric_limits<lanes::Units>::max();
}

double btt_from_units(lanes::Units units, int decimals) {
    return static_cast<double>(units) / static_cast<double>(pow10(decimals));
}

}  // namespace lanetorrent::ui
