// LaneEnforcer: makes each peer's lane show in its upload rate, with libtorrent 2.0.8's peer
// classes (docs/lanes.md has the measurements behind every choice here).
//
// The facts it is built on: a connection gets its classes once, when it connects, from the peer-
// class IP filter (only class ids 0-31 are addressable); a class's limits can change at any time
// and apply at once; a class limit is shared by all its members.
//
// So every IP starts in the shared "slow" class. An IP that wants a paid lane gets a class of its
// own (a slot, 26 of them) if one is free, else the shared class of its lane; either way its live
// connection must reconnect once to pick the class up. After that, lane changes of a slot IP are
// just new limits on its class (about 1 s); a shared-class IP reconnects for every change.
// Each lane's share of the upload budget is split evenly over its connections every second.
// Paid lanes ignore unchoke slots; slow peers use the normal slots, which therefore stay free for
// slow and new peers.
#pragma once

#include <array>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <libtorrent/fwd.hpp>
#include <libtorrent/peer_class.hpp>

#include "lanes/lane.hpp"

namespace lanetorrent::lanes {

// The class a connection was given when it connected.
struct HeldClass {
    int slot = -1;           // >= 0: a class of the IP's own
    Lane lane = Lane::slow;  // for slot < 0: the shared class of this lane
};

struct LaneShares {
    std::array<int, lane_count> permille{100, 300, 600};  // slow, medium, fast
};

class LaneEnforcer {
  public:
    static constexpr int slot_count = 26;  // class ids 6..31

    // Creates the classes and installs the filter. Call before any torrent is added: per-torrent
    // limits take class ids from the same pool, and only ids up to 31 can be used by the filter.
    LaneEnforcer(lt::session& session, LaneShares shares);

    HeldClass on_open(std::string const& ip);
    void on_close(std::string const& ip);
    // Makes the next connection from `ip` land in a class that can carry `lane` (a free slot if
    // any). Returns true if a connection holding `held` must reconnect to get `lane`.
    bool want(std::string const& ip, HeldClass const& held, Lane lane);

    struct Member {
        std::string ip;
        HeldClass held;
        Lane lane = Lane::slow;  // the lane it is in now
        std::int64_t rate = 0;   // payload bytes/s it was sent since the last rebalance
    };
    // Once a second: the budget (bytes/s of payload upload to share) and every connection that
    // is uploading-eligible. Sets every class's limit and slot flags.
    void rebalance(std::int64_t budget, std::vector<Member> const& members);

    int free_slots() const;
    void set_shares(LaneShares shares) { shares_ = shares; }
    LaneShares const& shares() const { return shares_; }

  private:
    struct IpState {
        int slot = -1;
        Lane shared_lane = Lane::slow;  // filter mapping when it has no slot
        int connections = 0;
        std::chrono::steady_clock::time_point last_closed{};
    };
    void install_filter();
    void configure(lt::peer_class_t id, std::int64_t limit, bool ignore_slots);
    void release_idle_slots();
    std::int64_t corrected(lt::peer_class_t id, std::int64_t target, std::int64_t measured);

    lt::session& session_;
    LaneShares shares_;
    std::array<lt::peer_class_t, lane_count> shared_{};
    std::array<lt::peer_class_t, slot_count> slots_{};
    std::array<std::string, slot_count> slot_owner_;  // ip, empty if free
    std::map<std::string, IpState> ips_;
    std::map<int, std::pair<std::int64_t, bool>> applied_;  // class id -> (limit, ignore slots)
    // What a class learnt about libtorrent's limiter; see corrected().
    struct Correction {
        double ratio = 1.0;            // delivered / allowed
        std::int64_t last_target = 0;  // at the last rebalance
        double delivered = 0;          // decaying sums over the seconds since the target settled
        double allowed = 0;
        int seconds = 0;  // in those sums
    };
    std::map<int, Correction> correction_;  // class id ->
};

// The lanes' budgets: each lane with members gets its share, renormalised over the lanes that
// have members, so no bandwidth idles while someone wants it.
std::array<std::int64_t, lane_count> lane_budgets(std::int64_t budget, LaneShares const& shares,
                                                  std::array<int, lane_count> const& members);

}  // namespace lanetorrent::lanes
