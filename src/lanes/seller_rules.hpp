// The seller's money rules (docs/lane-protocol.md, "Credit and exposure" and "Settlement") as
// pure functions of a channel's figures: no clock, no sockets, no ledger. LaneService feeds them
// what it counted and what the chain said, and does what they return; the unit tests call them
// directly.
//
// The figures, all cumulative units of one channel (one payer, one payee, one asset):
//   accrued    what the paid bytes sent to the payer cost (every connection, every torrent)
//   promised   the latest IOU the payer signed
//   confirmed  what settlements that are in a block have paid
// An IOU is a promise, not money: it moves the credit window, never what is earned. What the
// seller can lose to a payer is its exposure, accrued - confirmed, and that is what is bounded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "lanes/lane.hpp"

namespace lanetorrent::lanes {

struct ChannelMoney {
    Units accrued = 0;
    Units promised = 0;
    Units confirmed = 0;

    Units unsigned_debt() const { return accrued > promised ? accrued - promised : 0; }
    Units exposure() const { return accrued > confirmed ? accrued - confirmed : 0; }
    Units unsettled() const { return promised > confirmed ? promised - confirmed : 0; }
};

// The terms a seller serves one payer's paid lane on.
struct CreditTerms {
    std::int64_t window_bytes = 0;  // the credit window now
    Units price_per_gib = 0;        // the lane's price (at least 1 is assumed)
    Units settle_threshold = 0;     // unsettled units that make the seller ask for a settlement
};

// The window in units at the lane's price.
Units window_units(CreditTerms const& terms);
// The most a payer can owe the seller while it is served in a paid lane: the window at the
// lane's price plus the settle threshold. (The seller's measured exposure may pass it by what
// was already in the connection's send buffer when the seller decided, one IOU step at most.)
Units exposure_bound(CreditTerms const& terms);

// Why a payer that asked for a paid lane is (not) served in it. The wire reasons of the grants
// that follow are in reason_text().
enum class Credit {
    ok,
    window_exceeded,      // unsigned debt beyond the window: the payer's IOUs are behind
    awaiting_settlement,  // exposure beyond the bound: the settlements are behind
};
char const* reason_text(Credit credit);

// Whether the paid lane may carry on. `held` is the verdict in force: a payer held back is let
// back in only once it is well inside again (half a window of margin), so a payer at the edge
// does not flap between lanes with every IOU.
Credit credit_verdict(ChannelMoney const& money, CreditTerms const& terms, Credit held);

// When to ask for a settlement, and of what.
struct SettlePolicy {
    Units threshold = 0;   // ask once this much is unsettled
    Units min_payout = 0;  // a smaller tail is carried until the next meeting or the interval
};
struct SettleSituation {
    bool in_flight = false;   // a settlement of this channel is signed or pending (not yet in
                              // a block); one at a time
    bool payer_done = false;  // final IOU, or the payer has every piece
    bool payer_back = false;  // the payer just proved itself on a new connection
    bool overdue = false;     // the oldest unsettled IOU is older than the settle interval
};
struct SettleRange {
    Units from = 0;
    Units to = 0;
    friend bool operator==(SettleRange const&, SettleRange const&) = default;
};
// The settle_req to send now, if any: from what is confirmed to the latest IOU.
std::optional<SettleRange> settlement_due(ChannelMoney const& money, SettlePolicy const& policy,
                                          SettleSituation const& situation);

// A settlement's range against the channel. `asked` is the open settle_req, if any.
enum class RangeVerdict {
    covers,   // pays at least what was asked (or, unasked, up to the latest IOU)
    partial,  // a valid part of it (a lagging payer's earlier transfer, or a cheat): counted as
              // money, but the settle_req stays open and its clock keeps running
    bad,      // not from what is confirmed, empty, or beyond the latest IOU
};
RangeVerdict settlement_range_verdict(SettleRange const& offered, ChannelMoney const& money,
                                      std::optional<SettleRange> const& asked);

// An IOU for more than the seller has served, by more than the window, is a promise of nothing;
// accepting it would only make the seller ask for money the payer will not pay.
bool iou_beyond_service(Units amount, ChannelMoney const& money, CreditTerms const& terms);

}  // namespace lanetorrent::lanes
