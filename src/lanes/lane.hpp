// Lanes and the money types every part of src/lanes shares.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lanetorrent::lanes {

// slow is free and is where every peer starts (and every peer that does not speak the lane
// protocol stays); medium and fast are paid. The order matters: a higher lane gets more.
enum class Lane : std::uint8_t { slow = 0, medium = 1, fast = 2 };
inline constexpr int lane_count = 3;

char const* to_string(Lane lane);
std::optional<Lane> lane_from_string(std::string_view text);

// Token amounts are integers in the asset's base units (BTTOLD: 6 decimals). Never floating point.
using Units = std::int64_t;

inline constexpr std::int64_t bytes_per_gib = std::int64_t{1} << 30;

// What `bytes` cost at `price_per_gib`, rounded down: the payer never owes a fraction of a unit
// and both sides compute the same figure from the same cumulative byte count. Exact for every
// int64 input (128-bit product); a negative count or price costs 0, and a cost beyond int64
// saturates at its maximum.
Units cost_of(std::int64_t bytes, Units price_per_gib);

}  // namespace lanetorrent::lanes
