// What a torrent is expected to cost in each lane, before it is added: the lane picker's figures.
// Qt-free so the arithmetic is tested on its own. Amounts are token base units (integers), as in
// src/lanes; base/format.hpp (format_btt) turns them into text.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "lanes/lane.hpp"
#include "lanes/lane_service.hpp"

namespace lanetorrent::ui {

using LanePrices = std::array<lanes::Units, lanes::lane_count>;  // per GiB; slow is always 0

// The seeders' offers when any is known, else the defaults a buyer assumes (the settings' own
// prices, the same demo figures sellers start with). Slow is free either way.
LanePrices lane_prices(std::optional<LanePrices> const& offered, lanes::Units default_medium,
                       lanes::Units default_fast);

struct LaneEstimate {
    lanes::Lane lane = lanes::Lane::slow;
    lanes::Units price_per_gib = 0;
    std::optional<lanes::Units> cost;  // the whole torrent; empty while its size is unknown
    bool price_above_cap = false;      // no seller is paid at this price: the lane stays slow
    bool over_torrent_cap = false;     // the lane holds only until the per-torrent cap is spent
    bool over_day_cap = false;         // ...or the day's cap

    bool usable() const { return !price_above_cap; }
    bool fully_covered() const { return usable() && !over_torrent_cap && !over_day_cap; }
};

// `size_bytes` 0 means unknown (a magnet before metadata). Caps of 0 mean "no cap", except the
// price cap, where 0 means "never pay" (as in lanes::Caps).
LaneEstimate estimate_lane(lanes::Lane lane, std::int64_t size_bytes, LanePrices const& prices,
                           lanes::Caps const& caps);
std::array<LaneEstimate, lanes::lane_count> estimate_lanes(std::int64_t size_bytes,
                                                           LanePrices const& prices,
                                                           lanes::Caps const& caps);

// For spin boxes: 12.5 -> 12500000, rounded to the nearest unit, never negative.
lanes::Units units_from_btt(double btt, int decimals = 6);
double btt_from_units(lanes::Units units, int decimals = 6);

}  // namespace lanetorrent::ui
