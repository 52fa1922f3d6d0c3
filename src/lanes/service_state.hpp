// LaneService's per-connection and per-channel state (private to src/lanes).
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <set>
#include <string>

#include "lanes/lane_service.hpp"

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
    std::optional<SteadyTime> reconnect_asked;  // we sent a reconnect grant; close it soon
    Channel* channel = nullptr;                 // set once proven (selling) or once paying (buying)

    // Buying: the lane the seller says we are in.
    Lane their_lane = Lane::slow;

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
    // Units for segments already closed, sent (earning) or received (spending), since this
    // start; the ledger's IOU amount at start counts as accrued, so old debts are not re-counted.
    Units closed = 0;
    std::int64_t window = 0;
    bool over_window = false;
    std::string blocked;  // non-empty: held in the slow lane for this reason
    // Settlements accepted since the last settlement block: only their confirmation lifts it (an
    // earlier one confirming later must not undo a block that a bad or replayed one caused).
    std::set<std::string> accepted_since_block;
    bool final_seen = false;
    std::optional<SteadyTime> settle_asked;  // when a settle_req went out unanswered
    ConnectionId settle_conn = 0;            // the connection it went out on
    std::int64_t signing = 0;                // settlements being built (head block in flight)
};

inline bool LaneService::Conn::spends() const {
    return channel && channel->key.role == Role::spend;
}

}  // namespace lanetorrent::lanes
