#include "lanes/buyer_rules.hpp"

#include <algorithm>

namespace lanetorrent::lanes {

Units spending_room(Caps const& caps, Units spent_on_torrent, Units spent_today) {
    Units room = std::numeric_limits<Units>::max();
    if (caps.max_per_torrent > 0) room = std::min(room, caps.max_per_torrent - spent_on_torrent);
    if (caps.max_per_day > 0) room = std::min(room, caps.max_per_day - spent_today);
    return std::max<Units>(room, 0);
}

Lane lane_to_ask(Lane wanted, Caps const& caps, Offer const& offer, Units room) {
    if (wanted == Lane::slow || room <= 0) return Lane::slow;
    auto const price = offer.lanes[static_cast<int>(wanted)].price_per_gib;
    return price <= caps.max_price_per_gib ? wanted : Lane::slow;
}

bool pays_for(msg::Grant const& grant, Lane asked, Caps const& caps, Units room) {
    return grant.price_per_gib > 0 && grant.lane != Lane::slow && grant.lane == asked &&
           grant.price_per_gib <= caps.max_price_per_gib && room > 0;
}

IouStep next_iou(Units owed, Units promised, Units room) {
    if (owed <= promised) return {promised, room <= 0, 0};
    // Compared as an increase: promised + room can overflow when there is no cap.
    Units const increase = owed - promised;
    if (increase < room) return {owed, false, 0};
    return {promised + room, true, increase - room};
}

}  // namespace lanetorrent::lanes
