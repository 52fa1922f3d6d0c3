// LaneEnforcer: makes each peer's lane show in its upload rate, with libtorrent 2.0.8's peer
// classes (docs/lanes.md has the measurements behind every choice here).
//
// The facts it is built on: a connection gets its classes once, when it connects, from the peer-
// class IP filter (only class ids 0-31 are addressable); a class's limits can change at any time
// and apply at once; a class limit is shared by all its members.
//
// So every connection starts in the shared "slow" class. An IP that wants a paid lane gets a class
// of its own (a slot, 26 of them) if one is free, else the shared class of its lane, and the
// filter sends exactly one connection there: the next one from that IP (the slot is "armed" for
// it). Every other connection from the IP lands in "slow", so a connection that proved nothing
// (another torrent, another program behind the same address) never rides on a payer's class. The
// payer's live connection reconnects once to pick the class up; after that, lane changes of a
// slot IP are just new limits on its class, set the moment the lane is granted.
//
// Each lane's share of the upload budget is split evenly over its connections, and a class's
// limit is the sum of its members' parts, so the classes together never promise more than the
// budget. Limits are recomputed whenever a connection opens, closes or changes lane, and once a
// second with measured rates (which also steer each class to its target, see corrected()).
// Paid lanes ignore unchoke slots; slow peers use the normal slots, which therefore stay free for
// slow and new peers.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <libtorrent/fwd.hpp>
#include <libtorrent/peer_class.hpp>

#include "lanes/lane.hpp"
#include "lanes/lane_classes.hpp"

namespace lanetorrent::lanes {

// One connection as the limits see it: the class it sits in and the lane it is served in.
struct Seat {
    HeldClass held;
    Lane lane = Lane::slow;
};

// What each class should deliver (bytes/s of payload), and how many connections sit in it.
struct ClassTargets {
    std::array<std::int64_t, lane_count> shared{};
    std::array<std::int64_t, lane_slot_count> slot{};
    std::array<int, lane_count> shared_members{};
    std::array<int, lane_slot_count> slot_members{};
};

// The lanes' budgets: each lane with members gets its share, renormalised over the lanes that
// have members, so no bandwidth idles while someone wants it.
std::array<std::int64_t, lane_count> lane_budgets(std::int64_t budget, LaneShares const& shares,
                                                  std::array<int, lane_count> const& members);

// Each connection's part is its lane's budget over the lane's connections; a class gets the sum of
// its members' parts (a slot shared by a fast and a slow connection gets one fast and one slow
// part, never two fast ones), so the targets add up to the budget. An empty class gets about what
// one more slow connection would (at least 16 KiB/s): enough for a newcomer's handshake, not the
// whole budget (which it used to get, and burst with).
ClassTargets class_targets(std::int64_t budget, LaneShares const& shares,
                           std::vector<Seat> const& seats);

// libtorrent's limiter does not deliver exactly the limit it is given; this learns the ratio
// delivered / allowed of one class (see LaneEnforcer::corrected in enforcer.cpp for why so).
struct LimiterCorrection {
    double ratio = 1.0;            // delivered / allowed
    std::int64_t last_target = 0;  // at the last update
    double delivered = 0;          // decaying sums over the seconds since the target settled
    double allowed = 0;
    int seconds = 0;  // in those sums

    // One second: the class's target now, what it delivered and what it was allowed during the
    // second that ended. Returns the limit to give it.
    std::int64_t update(std::int64_t target, std::int64_t measured, std::int64_t allowed_limit);
    std::int64_t limit(std::int64_t target) const {
        return static_cast<std::int64_t>(static_cast<double>(target) / ratio);
    }
};

class LaneEnforcer : public LaneClasses {
  public:
    static constexpr int slot_count = lane_slot_count;

    // Creates the classes and installs the filter. Call before any torrent is added: per-torrent
    // limits take class ids from the same pool, and only ids up to 31 can be used by the filter.
    LaneEnforcer(lt::session& session, LaneShares shares);
    ~LaneEnforcer() override;

    // A connection from `ip` was attached with the peer classes `classes` (wire::Opened): the
    // class it holds. Also sets the limits at once.
    HeldClass on_open(std::string const& ip, std::uint32_t classes);
    void on_close(std::string const& ip);
    // The connection from `ip` holding `held` is to be served in `lane`. If its class can carry
    // the lane, the limits change at once and this returns false. Otherwise it arms a class for
    // `ip` (a free slot if any) that the next connection from `ip` lands in, and returns true: the
    // connection must reconnect to get `lane`.
    bool want(std::string const& ip, HeldClass const& held, Lane lane) override;

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
        Lane shared_lane = Lane::slow;  // the class it wants when it has no slot
        bool armed = false;             // the filter sends its next connection to its class
        int connections = 0;
        std::chrono::steady_clock::time_point last_closed{};
    };
    struct Held {  // a connection as the enforcer last heard of it
        std::string ip;
        Seat seat;
    };
    void install_filter();
    void configure(lt::peer_class_t id, std::int64_t limit, bool ignore_slots);
    void apply(std::vector<std::int64_t> const* rates);
    void release_idle_slots();
    bool armed_slot(int slot) const;
    void pick_spare();
    void precharge(lt::peer_class_t id, std::int64_t limit);
    HeldClass held_of(std::uint32_t mask) const;
    void set_seat_lane(std::string const& ip, HeldClass const& held, Lane lane);

    lt::session& session_;
    LaneShares shares_;
    std::int64_t budget_ = 0;  // from the last rebalance
    std::array<lt::peer_class_t, lane_count> shared_{};
    std::array<lt::peer_class_t, slot_count> slots_{};
    std::array<std::string, slot_count> slot_owner_;  // ip, empty if free
    std::map<std::string, IpState> ips_;
    // Every connection with its seat: replaced by each rebalance's members, kept up to date in
    // between by on_open, on_close and want so that limits follow at once.
    std::vector<Held> seats_;
    std::map<int, std::pair<std::int64_t, bool>> applied_;  // class id -> (limit, ignore slots)
    std::map<int, lt::peer_class_info> info_;               // class id -> record as we wrote it
    std::map<int, LimiterCorrection> correction_;           // class id ->
    int spare_ = -1;  // the free slot unknown addresses land in, or -1
    // Per class id, bumped whenever its limit is set: a precharge restores only its own limit.
    // Shared with the network thread's timers.
    std::shared_ptr<std::array<std::atomic<std::uint64_t>, 32>> generation_ =
        std::make_shared<std::array<std::atomic<std::uint64_t>, 32>>();
};

}  // namespace lanetorrent::lanes
