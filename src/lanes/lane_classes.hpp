// The peer classes a seller serves lanes through, as the lanes core sees them (no libtorrent
// here): the class a connection holds, and whether it can carry a lane without reconnecting.
// LaneEnforcer (enforcer.hpp) is the implementation on libtorrent's peer classes.
#pragma once

#include <array>
#include <string>

#include "lanes/lane.hpp"

namespace lanetorrent::lanes {

constexpr int lane_slot_count = 26;  // class ids 6..31

// The class a connection was given when it connected.
struct HeldClass {
    int slot = -1;           // >= 0: a class of the IP's own
    Lane lane = Lane::slow;  // for slot < 0: the shared class of this lane
};

struct LaneShares {
    std::array<int, lane_count> permille{100, 300, 600};  // slow, medium, fast
};

class LaneClasses {
  public:
    virtual ~LaneClasses() = default;
    // The connection from `ip` holding `held` is to be served in `lane`. False: its class
    // carries the lane from now on. True: the next connection from `ip` will land in a class
    // that can, and this one must reconnect to get the lane.
    virtual bool want(std::string const& ip, HeldClass const& held, Lane lane) = 0;
};

}  // namespace lanetorrent::lanes
