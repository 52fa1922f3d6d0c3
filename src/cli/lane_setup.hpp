// Turns the lane options of `seed` and `download` into a LaneConfig (or none: lanes off).
#pragma once

#include <optional>

#include "cli/commands.hpp"
#include "lanes/lane_service.hpp"

namespace lanetorrent::cli {

// Lanes are on for a seed given --payee and for a download given a paid --lane. Errors are
// usage errors (bad address, bad shares) or a keystore that does not open.
Result<std::optional<lanes::LaneConfig>> lane_config(Profile const& profile,
                                                     TransferOptions const& options);

// The lane and caps a download asks for (`auto` starts in slow).
std::pair<lanes::Lane, lanes::Caps> lane_choice(LaneCliOptions const& options);

}  // namespace lanetorrent::cli
