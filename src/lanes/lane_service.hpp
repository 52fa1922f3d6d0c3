// LaneService: lanes on top of an Engine, for the CLI and the GUI alike. It runs on the app
// thread (the same one that calls Engine::poll) and owns the lane plugin, the peer classes, the
// ledger and the road to the Tron node.
//
// As a seller (config.sell set) it announces an offer, verifies each peer's proof, grants lanes,
// accepts IOUs inside a credit window and settles them on-chain. As a buyer (config.wallet set)
// it proves its address, asks for the lane the user chose per torrent, pays as data arrives and
// signs settlements. A client can be both. Peers that do not speak the lane protocol are served
// in the slow lane.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "lanes/buyer_rules.hpp"
#include "lanes/enforcer.hpp"
#include "lanes/ledger.hpp"
#include "lanes/plugin.hpp"
#include "lanes/seller_rules.hpp"
#include "tron/client.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::lanes {

class ChainWorker;

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

struct BuyConfig {
    tron::PrivateKey key;  // signs proofs, IOUs and settlements; never leaves this object
    std::string asset = "1002000";
    Lane default_lane = Lane::slow;
    Caps default_caps;
};

struct LaneConfig {
    std::filesystem::path ledger_file;
    std::optional<SellConfig> sell;
    std::optional<BuyConfig> buy;
    tron::NodeConfig node;  // for settlements; unused if neither side ever settles
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

class LaneService {
  public:
    // Call right after Engine::open, before any torrent is added.
    static Result<std::unique_ptr<LaneService>> open(Engine& engine, LaneConfig config);
    ~LaneService();

    // The lane to ask for on a torrent (buyer).
    void set_lane(TorrentId const& torrent, Lane lane, Caps caps);
    // Starts buying after open (the GUI unlocks the wallet later than it starts the session):
    // connected sellers are asked for the chosen lanes at once. Replaces an earlier buy config.
    void set_buy_config(BuyConfig buy);
    bool can_buy() const { return config_.buy.has_value(); }
    // The lowest price per GiB each lane is offered at by the connected sellers of `torrent`
    // (in our asset once we buy, any asset before), or empty while none has made an offer.
    std::optional<std::array<Units, lane_count>> offered_prices(TorrentId const& torrent) const;
    // IOU totals on one torrent: what we earned seeding it and spent downloading it.
    Units earned_on(TorrentId const& torrent) const;
    Units spent_on(TorrentId const& torrent) const;
    // Feed every engine event here (finished downloads trigger a final IOU).
    void observe(Event const& event);
    // Does the work: plugin events, payments, settlements, lane limits. Call at least once a
    // second, and whenever the wakeup fires.
    void poll();
    void set_wakeup(std::function<void()> wakeup);

    std::vector<PeerLane> peers() const;
    // Selling: per payer channel, the highest exposure (what its paid bytes cost minus what is
    // confirmed on chain) seen since this service started, and the bound it is held to.
    struct Exposure {
        ChannelKey channel;
        Units peak = 0;
        Units bound = 0;  // at the fast lane's price and the largest window
    };
    std::vector<Exposure> exposures() const;
    std::vector<LaneNotice> take_notices();
    Ledger& ledger() { return *ledger_; }
    // Every IOU is covered by a final settlement and nothing is in flight (what the demo and a
    // finished download wait for).
    bool settled_up() const;

    struct Conn;
    struct Channel;

  private:
    LaneService(Engine& engine, LaneConfig config, std::unique_ptr<Ledger> ledger);

    void once_a_second(std::chrono::steady_clock::time_point now);
    void hold_connections_for_settlements();
    void on_event(PluginEvent const& event);
    void on_hello(Conn& conn, wire::HelloReceived const& hello);
    void on_message(Conn& conn, wire::Incoming const& incoming);
    void on_traffic(Conn& conn, std::int64_t sent, std::int64_t received);
    void on_closed(Conn& conn);
    void reject(Conn& conn, std::string code, std::string text);
    // Our own storage failed: stop selling and buying paid lanes, say so; never blame a peer.
    void storage_fault(std::string const& text);
    void storage_recovered();
    // Runs `work`; an exception (a ledger whose disk is full or locked) becomes a storage fault.
    template <class F>
    void guarded(F&& work);
    void notice(LaneNotice::Kind kind, Conn const& conn, std::string text, std::string txid = {});

    // selling.cpp
    void sell_prove(Conn& conn, msg::Prove const& prove);
    void sell_request(Conn& conn, msg::Request const& request);
    void sell_iou(Conn& conn, msg::Iou const& iou);
    void sell_settlement(Conn& conn, msg::Settlement const& settlement);
    void review(Channel& channel);
    void set_sell_lane(Conn& conn, Lane lane, std::string reason);
    CreditTerms credit_terms(Channel const& channel, Lane lane) const;
    std::int64_t window_left(Conn const& conn) const;
    void send_channel_state(Conn& conn);
    // payer_back: the payer has just proved itself on a new connection (a carried tail is due).
    void maybe_settle(Channel& channel, bool payer_back = false);
    void rebalance();

    // buying.cpp
    void buy_hello(Conn& conn);
    void buy_grant(Conn& conn, msg::Grant const& grant, std::int64_t received);
    void buy_settle_request(Conn& conn, msg::SettleRequest const& request);
    void buy_receipt(Conn& conn, msg::Receipt const& receipt);
    void buy_channel_state(Conn& conn, msg::ChannelState const& state);
    // An IOU for what is owed once a step's worth built up, or at once with `now` (the torrent is
    // complete, or we are leaving a paid lane).
    void pay(Conn& conn, bool now);
    Caps caps_for(TorrentId const& torrent) const;
    // What we may still sign on `torrent` under its caps (max: no cap).
    Units spending_room(TorrentId const& torrent) const;
    void watch_unwanted_paid_lane(Conn& conn);

    // settlements.cpp
    void track_settlements();
    // A settlement of the channel is signed or pending: not yet in a block. One at a time; one
    // that is confirmed (in a block, not yet solid) no longer counts.
    bool settlement_in_flight(ChannelKey const& key) const;
    void finish_settlement(std::string const& txid, SettlementStatus status, std::int64_t block);
    void send_receipt(Channel const& channel, std::string const& txid, SettlementStatus status,
                      Units to);

    Channel& channel_for(ChannelKey const& key);
    // Units a channel's paid bytes come to: closed segments plus its connections' open ones.
    Units accrued(Channel const& channel) const;
    void close_billing(Conn& conn);
    // Records an IOU (received or about to be sent) in the ledger and the channel's mirror of it.
    Result<Units, IouError> record_iou(Channel& channel, TorrentId const& torrent,
                                       msg::Iou const& iou);
    Conn* find(ConnectionId id);

    Engine& engine_;
    LaneConfig config_;
    std::unique_ptr<Ledger> ledger_;
    std::shared_ptr<LanePlugin> plugin_;
    std::unique_ptr<LaneEnforcer> enforcer_;
    std::unique_ptr<ChainWorker> chain_;
    std::map<ConnectionId, std::unique_ptr<Conn>> conns_;
    std::map<ChannelKey, std::unique_ptr<Channel>> channels_;
    std::map<TorrentId, std::pair<Lane, Caps>> choices_;
    std::set<TorrentId> finished_;
    std::vector<LaneNotice> notices_;
    std::set<std::string> tracking_;   // txids whose status is being fetched
    std::string storage_fault_;        // non-empty while our ledger cannot be written
    std::vector<LivePeer> last_live_;  // as last written for `lanes status`
    std::chrono::steady_clock::time_point last_live_write_{};
    // Payees of sellers that billed us for a lane we did not ask for: never paid again.
    std::set<std::string> distrusted_payees_;
    std::chrono::steady_clock::time_point next_second_;
    // After a settlement is accepted or signed, the chain is asked about it every 200 ms for a
    // while rather than once a second: the seller's exposure waits for it to be in a block, so
    // every second of delay is a second of the lane's rate (docs/lane-protocol.md, "Choosing
    // window and threshold").
    std::chrono::steady_clock::time_point watch_closely_until_{};
    std::chrono::steady_clock::time_point next_close_look_{};
    std::int64_t last_total_sent_ = 0;
    std::chrono::steady_clock::time_point last_rebalance_ = std::chrono::steady_clock::now();
    std::deque<std::int64_t> recent_rates_;  // total upload per second, for the budget
};

}  // namespace lanetorrent::lanes
