// LaneControl: what a stream (or any other policy above the lanes) may ask of them, whether the
// LaneService runs on the caller's thread (the CLI) or on a thread of its own (LaneThread, the
// desktop app). Calls return at once; the figures may be a moment old.
#pragma once

#include <array>
#include <optional>
#include <vector>

#include "engine/torrent_id.hpp"
#include "lanes/core_types.hpp"

namespace lanetorrent::lanes {

class LaneControl {
  public:
    virtual ~LaneControl() = default;

    // The lane to ask for on a torrent (buyer), now and on every later connection.
    virtual void set_lane(TorrentId const& torrent, Lane lane, Caps caps) = 0;
    // The lowest price per GiB each lane is offered at by the connected sellers of `torrent`,
    // or empty while none has made an offer.
    virtual std::optional<std::array<Units, lane_count>> offered_prices(
        TorrentId const& torrent) const = 0;
    // IOU totals on one torrent: what we spent downloading it.
    virtual Units spent_on(TorrentId const& torrent) const = 0;
    virtual std::vector<PeerLane> peers() const = 0;
};

}  // namespace lanetorrent::lanes
