// AutoLane: the lane a stream buys, from how much playback is buffered ahead of the player.
// Deterministic: the caller passes the time. Each decision carries its reason, a short sentence
// for the player window and the log.
//
// The policy (docs/streaming.md "The auto lane"), with seconds = contiguous bytes ahead of the
// furthest reader / the consumption rate, plus what the player holds when it says:
// - starving, below `low_seconds` (10 s), or nothing buffered before the rate is known (the
//   start): fast;
// - below the target (30 s): the cheapest lane known to deliver the consumption rate with a
//   margin (rates are learnt per lane while it is held), medium when nothing is known yet; a
//   lane that is held stays until the target is reached (hysteresis), except fast, which is
//   held above the low mark only while medium is known to fall short: fast costs 3x medium
//   (default prices) for little more speed;
// - above `high_factor` x the target (45 s), or the rest of the file is here: slow;
// - between the target and that: whatever is held.
// A change waits `min_dwell` (5 s) after the last one, except a move up for a starving or nearly
// empty buffer. No lane above what the caps allow: no paid lane without a price cap, none at an
// offered price above the cap, none once the torrent's spending cap is used up.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "lanes/buyer_rules.hpp"
#include "lanes/lane.hpp"

namespace lanetorrent::stream {

using Now = std::chrono::steady_clock::time_point;

struct AutoLaneConfig {
    double buffer_target_seconds = 30;
    double low_seconds = 10;
    double high_factor = 1.5;
    std::chrono::milliseconds min_dwell{5'000};
    // A lane "covers" the stream when it delivered at least this times the consumption rate.
    double margin = 1.25;
    // A lane's rate is learnt only this long after switching to it (a lane change takes ~1.5 s
    // to reach its rate).
    std::chrono::milliseconds settle{2'000};
    lanes::Caps caps;
};

struct AutoLaneInput {
    Now now{};
    double consumption_rate = 0;  // bytes/s, 0 = unknown
    std::int64_t ahead_bytes = 0;
    // Seconds the player itself holds ahead of its playhead, when it says (the app's player
    // does; an external one does not): the server's reader is ahead of playback by that much, so
    // `ahead_bytes` alone undercounts the buffer.
    double player_seconds = 0;
    bool starving = false;
    std::int64_t remaining_bytes = -1;  // from the read position to the end; -1 = unknown
    double download_rate = 0;           // the torrent's, bytes/s; 0 = unknown
    lanes::Lane current = lanes::Lane::slow;
    // The lowest price per GiB each lane is offered at (LaneService::offered_prices), if known.
    std::optional<std::array<lanes::Units, lanes::lane_count>> prices;
    lanes::Units spent = 0;  // on this torrent so far
};

struct AutoLaneDecision {
    lanes::Lane lane = lanes::Lane::slow;
    std::string reason;
};

class AutoLane {
  public:
    explicit AutoLane(AutoLaneConfig config = {}) : config_(config) {}

    AutoLaneDecision decide(AutoLaneInput const& in);
    // The highest lane the caps allow now.
    lanes::Lane highest_allowed(AutoLaneInput const& in) const;
    // What a lane delivered while held (bytes/s), 0 = not known.
    double learnt_rate(lanes::Lane lane) const { return rates_[static_cast<int>(lane)]; }

  private:
    AutoLaneConfig config_;
    std::optional<Now> last_change_;
    lanes::Lane held_ = lanes::Lane::slow;
    Now held_since_{};
    Now last_sample_{};
    std::array<double, lanes::lane_count> rates_{};
};

}  // namespace lanetorrent::stream
