// What the lanes core (lanes_core.hpp) takes and returns, and the settings it runs on. No
// threads, clocks, sockets, libtorrent, gRPC or SQLite here: the time comes in with every event,
// and what is to be done in the world leaves as Commands that LaneService carries out.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "engine/torrent_id.hpp"
#include "lanes/buyer_rules.hpp"
#include "lanes/lane_classes.hpp"
#include "lanes/ledger_types.hpp"
#include "lanes/protocol.hpp"
#include "tron/address.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::lanes {

using ConnectionId = std::uint64_t;
using SteadyTime = std::chrono::steady_clock::time_point;

// The time, handed to the core with every event: a steady clock for timeouts and rates, and
// the wall clock (ms since the epoch) for what is written down or signed.
struct Now {
    SteadyTime steady{};
    std::int64_t wall_ms = 0;
};

// Defaults in base units of a 6-decimal token (1 BTT = 1'000'000 units).
struct SellConfig {
    explicit SellConfig(tron::Address payee_address) : payee(payee_address) {}

    tron::Address payee;
    std::string asset = "1002000";
    int precision = 6;
    std::array<Units, lane_count> price_per_gib{0, 100'000'000, 300'000'000};  // 0 / 100 / 300 BTT
    LaneShares shares;
    // Bytes/s of upload the lanes share. 0: 1.25 x the best total rate of the last 20 s, so an
    // uncapped seeder discovers its capacity.
    std::int64_t upload_budget = 0;
    std::int64_t initial_window = 8 << 20;  // credit before the first IOU
    // The window grows by one IOU step per timely IOU, to this. It must cover what the lane
    // sends while a settlement goes from settle_req to a block (docs/lane-protocol.md, "Choosing
    // window and threshold"): 128 MiB is 8 s at 16 MiB/s, over two 3 s blocks.
    std::int64_t max_window = 128 << 20;
    std::int64_t iou_step = 2 << 20;
    // Settle once this much is unsettled (500 BTT: below one on-chain transfer per GiB even in the
    // fast lane), or a tail of at least min_payout once a payer is done or comes back, or any
    // tail after settle_interval. A smaller tail is carried in the channel. The default carries
    // every tail below the threshold: a transfer costs the payer ~281 bytes of bandwidth (2 a
    // day are free on mainnet), and settling each finished torrent's tail made 24 transfers per
    // GiB with 3 seeders; carried, a buyer makes about price / threshold transfers per GiB (0.6
    // in the fast lane) plus one per seller per settle_interval for the rest: 0.86 per GiB for a
    // fast buyer of 1 GiB a day from 3 sellers (docs/lane-protocol.md, "Tails").
    Units settle_threshold = 500'000'000;
    Units min_payout = 500'000'000;  // clamped to settle_threshold
    std::chrono::seconds settle_interval{7 * 24 * 3600};
    std::chrono::seconds settle_timeout{60};  // for the payer to hand over a settlement
};

// The offer a seller announces in its handshakes.
Offer offer_of(SellConfig const& sell);

struct BuyConfig {
    tron::PrivateKey key;  // signs proofs, IOUs and settlements; never leaves this object
    std::string asset = "1002000";
    Lane default_lane = Lane::slow;
    Caps default_caps;
};

// What the CLI and GUI show per connected peer.
struct PeerLane {
    TorrentId torrent;
    std::string endpoint;
    std::string client;
    std::string address;  // proven Tron address (theirs if they pay us, the payee if we pay)
    Role role = Role::earn;
    Lane lane = Lane::slow;
    std::int64_t up_rate = 0;  // bytes/s over the last few seconds
    std::int64_t down_rate = 0;
    std::int64_t uploaded = 0;
    std::int64_t downloaded = 0;
    Units debt = 0;  // accrued, not yet covered by an IOU
    Units paid = 0;  // cumulative IOUs on the channel
};

// Things worth telling a person (and the tests).
struct LaneNotice {
    enum class Kind { lane_changed, iou, settlement, rejected, error };
    Kind kind = Kind::error;
    TorrentId torrent;
    std::string peer;  // endpoint
    std::string text;
    std::string txid;  // for settlements
    // Set on the notices about the Tron node itself: whether it answers from now on.
    std::optional<bool> node_answers;
};

// A settlement the buyer is to sign once it knows a recent block (transactions name one).
struct SigningJob {
    ChannelKey channel;
    ConnectionId conn = 0;  // the connection the settle_req came on
    Units from = 0;
    Units to = 0;
};

// What the core asks the world to do, in order.
namespace command {
struct Send {
    ConnectionId conn = 0;
    Message message;
};
// A grant: the adapter reports back when it is queued (LanesCore::on_grant_queued), since
// billing starts with the next payload byte after it.
struct SendGrant {
    ConnectionId conn = 0;
    msg::Grant grant;
};
struct Unchoke {
    ConnectionId conn = 0;
};
struct Disconnect {
    ConnectionId conn = 0;
};
// Keep a finished connection open (or let it close) while its channel settles.
struct HoldOpen {
    ConnectionId conn = 0;
    bool held = false;
};
// The sent counter up to which a paid connection's credit goes; past it the adapter stops
// serving at once (LanePlugin::set_fence). Empty: no fence (the slow lane is free).
struct Fence {
    ConnectionId conn = 0;
    std::optional<std::int64_t> paid_until;
};
// Connect to a seller again (it closed the connection so that the next lands in a new class).
struct Dial {
    TorrentId torrent;
    std::string ip;
    std::uint16_t port = 0;
};
// Broadcast a settlement a payer handed over; LanesCore::on_broadcast_refused if the node
// refuses it for good.
struct Broadcast {
    std::string txid;
    std::string transaction;  // serialized protocol.Transaction
};
// Fetch the head block and answer LanesCore::on_head_block.
struct FetchHead {
    SigningJob job;
};
// Ask the chain what became of a settlement; answer LanesCore::on_chain_status.
struct Track {
    SettlementRecord record;
};
struct Notify {
    LaneNotice notice;
};
}  // namespace command

using Command =
    std::variant<command::Send, command::SendGrant, command::Unchoke, command::Disconnect,
                 command::HoldOpen, command::Fence, command::Dial, command::Broadcast,
                 command::FetchHead, command::Track, command::Notify>;

// What the chain said about a settlement (command::Track).
struct ChainAnswer {
    SettlementStatus status = SettlementStatus::pending;
    std::int64_t block = 0;
    bool changed = false;
    bool duplicate = false;  // the node already had it: a re-broadcast, not a second payment
};

// A BitTorrent connection as both sides of the core see it.
struct PeerConn {
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
    bool held_open = false;  // as last told to the adapter (command::HoldOpen)
    std::deque<std::pair<SteadyTime, std::pair<std::int64_t, std::int64_t>>> samples;  // rates

    std::string endpoint() const { return ip + ":" + std::to_string(port); }
    bool sells() const { return hello && hello->offer; }
};

// Payload billed at one price from a point of a byte counter on: one lane segment. A seller bills
// what it sends, a buyer what it receives.
struct Billing {
    std::optional<std::int64_t> start;  // the counter when billing began; empty: not billing
    Units price = 0;                    // per GiB
    Units cost(std::int64_t counter) const { return start ? cost_of(counter - *start, price) : 0; }
};

}  // namespace lanetorrent::lanes
