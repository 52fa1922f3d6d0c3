// LaneService's per-connection and per-channel state (private to src/lanes).
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <set>
#include <string>

#include "lanes/lane_service.hpp"
#include "lanes/seller_rules.hpp"

namespace lanetorrent::lanes {

using SteadyTime = std::chrono::steady_clock::time_point;

// Payload billed at one price from a point of a byte counter on: one lane segment. A seller bills
// what it sends, a buyer what it receives.
struct Billing {
    std::optional<std::int64_t> start;  // the counter when billing began; empty: not billing
    Units price = 0;                    // per GiB
    Units cost(std::int64_t counter) const { return start ? cost_of(counter - *start, price) : 0; }
};

struct LaneService::Conn {
    ConnectionId id = 0;
    TorrentId torrent;
    std::string ip;
    int port = 0;
    bool incoming = false;
    HeldClass held;
    Nonce our_nonce{};
    std::array<std::uint8_t, 20> our_peer_id{};
    std::array<std::uint8_t, 20> their_peer_id{};
    std::string client;
    int listen_port = 0;
    std::optional<Hello> hello;  // theirs; empty: the peer does not speak lanes
    std::int64_t sent = 0;
    std::int64_t received = 0;
    bool peer_is_seed = false;
    std::int64_t sent_at_rebalance = 0;
    std::deque<std::pair<SteadyTime, std::pair<std::int64_t, std::int64_t>>> samples;  // rates

    // Selling: the proven payer, what it asked for, and the lane it has.
    std::optional<tron::Address> payer;
    Lane requested = Lane::slow;
    Units max_price = 0;
    Lane lane = Lane::slow;
    // Every request gets a grant, even one that changes nothing.
    bool request_unanswered = false;
    bool held_open = false;  // kept open for a settlement in progress (LanePlugin::hold_open)
    std::optional<SteadyTime> reconnect_asked;  // we sent a reconnect grant; close it soon
    Channel* channel = nullptr;                 // set once proven (selling) or once paying (buying)

    // Buying: the lane the seller says we are in, and the one we last asked it for.
    Lane their_lane = Lane::slow;
    Lane asked_lane = Lane::slow;
    // Since when the seller has kept us in a paid lane we did not ask for (or asked it to leave).
    std::optional<SteadyTime> unwanted_paid_since;

    // The current segment, on `sent` when the channel earns and `received` when it spends.
    Billing billing;
    bool spends() const;
    std::int64_t billed_bytes() const { return spends() ? received : sent; }
};

struct LaneService::Channel {
    ChannelKey key;
    // The latest IOU's amount, mirrored from the ledger: billing reads it on every traffic report.
    Units iou_amount = 0;
    std::int64_t iou_seq = 0;
    // What settlements in a block have paid, mirrored from the ledger (earning channels).
    Units confirmed = 0;
    // Units for segments already closed, sent (earning) or received (spending), since this
    // start; the ledger's IOU amount at start counts as accrued, so old debts are not re-counted.
    Units closed = 0;
    std::int64_t window = 0;
    Credit held = Credit::ok;  // the credit verdict in force (seller_rules.hpp)
    Units peak_exposure = 0;   // the highest accrued - confirmed seen in this run
    std::string blocked;       // non-empty: held in the slow lane for this reason
    // Settlements accepted since the last settlement block: only their confirmation lifts it (an
    // earlier one confirming later must not undo a block that a bad or replayed one caused).
    std::set<std::string> accepted_since_block;
    bool final_seen = false;
    // The settle_req waiting for a settlement that covers it. A partial settlement leaves it open
    // (and its clock running); it is asked again for the rest once the part is in a block.
    struct Ask {
        SettleRange range;
        SteadyTime at;
        ConnectionId conn = 0;  // the connection it went out on
    };
    std::optional<Ask> ask;
    std::int64_t signing = 0;  // settlements being built (head block in flight)
    // Buying: the seller's minimum settlement; a smaller tail is carried, not asked for now.
    Units carry_below = 0;
    // Buying: settled as the seller's channel state says (settlements from another device).
    Units recovered_settled = 0;

    ChannelMoney money(Units accrued) const { return {accrued, iou_amount, confirmed}; }
};

inline bool LaneService::Conn::spends() const {
    return channel && channel->key.role == Role::spend;
}

}  // namespace lanetorrent::lanes
