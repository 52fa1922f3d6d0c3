// The buyer's money rules (docs/lane-protocol.md, "Buyer rules") as pure functions: what to ask
// for, which grants to pay for, and how far an IOU may go under the user's caps. LaneService
// (buying.cpp) applies them; the unit tests call them directly.
#pragma once

#include <limits>

#include "lanes/lane.hpp"
#include "lanes/protocol.hpp"

namespace lanetorrent::lanes {

// What the user allows on one torrent.
struct Caps {
    Units max_price_per_gib = 0;  // a seller asking more is not paid; 0 = no paid lane
    Units max_per_torrent = 0;    // 0 = no cap
    Units max_per_day = 0;        // rolling 24 h, all torrents; 0 = no cap
};

// What may still be signed on a torrent: the tighter of the two caps minus what was signed
// against each (never negative); no cap: the largest amount there is.
Units spending_room(Caps const& caps, Units spent_on_torrent, Units spent_today);

// The lane to ask a seller for: the user's choice if the offer's price for it is within the cap
// and the caps leave room, else slow.
Lane lane_to_ask(Lane wanted, Caps const& caps, Offer const& offer, Units room);

// Whether a grant is paid for: only the lane last asked for, at a price within the cap, while
// the caps leave room. Any other paid grant is not billed.
bool pays_for(msg::Grant const& grant, Lane asked, Caps const& caps, Units room);

// The next IOU's amount: what is owed, clamped so that the increase stays within `room`.
struct IouStep {
    Units amount = 0;     // to sign (equal to `promised`: nothing to sign)
    bool capped = false;  // a cap is reached: ask for slow, bill nothing more
    Units forgiven = 0;   // owed beyond the cap: never signed, not owed
};
IouStep next_iou(Units owed, Units promised, Units room);

}  // namespace lanetorrent::lanes
