// Seller: the seeder's half of the lanes core. It verifies each peer's proof, grants lanes,
// accepts IOUs inside a credit window and asks for settlements, holding every payer to the
// exposure bound of docs/lane-protocol.md (seller_rules.hpp has the rules as pure functions;
// this applies them to connections and channels). No clock, socket or database of its own:
// LanesCore hands it events with the time, and it answers with commands.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lanes/core_context.hpp"
#include "lanes/core_types.hpp"
#include "lanes/seller_rules.hpp"

namespace lanetorrent::lanes {

// Per payer channel, the highest exposure (what its paid bytes cost minus what is confirmed on
// chain) seen since the core started, and the bound it is held to.
struct ChannelExposure {
    ChannelKey channel;
    Units peak = 0;
    Units bound = 0;  // at the fast lane's price and the largest window
};

class Seller {
  public:
    Seller(SellConfig config, CoreContext& context, LaneClasses& classes);

    SellConfig const& config() const { return config_; }

    void on_open(PeerConn const& peer);
    // The connection is gone: its billing closes, and its bytes are added to `deltas`.
    void on_closed(PeerConn const& peer, std::vector<TrafficDelta>& deltas);
    void on_prove(PeerConn const& peer, msg::Prove const& prove);
    void on_request(PeerConn const& peer, msg::Request const& request);
    void on_iou(PeerConn const& peer, msg::Iou const& iou);
    void on_settlement(PeerConn const& peer, msg::Settlement const& settlement);
    // New payload counters: a paid connection may just have used up its credit window.
    void on_traffic(PeerConn const& peer);
    void on_grant_queued(ConnectionId id, std::int64_t sent);
    // The chain's verdict on one of our settlements moved it to `status` (already in the ledger).
    void on_settlement_status(SettlementRecord const& record, SettlementStatus status);
    // Once a second: connections asked to reconnect close, every channel is reviewed and asked
    // to settle if due.
    void tick();
    void on_storage_fault();
    void on_storage_recovered();

    // Whether a finished connection must stay open: its channel has a settlement asked for or
    // not yet in a block.
    bool wants_held_open(ConnectionId id) const;
    Lane lane_of(ConnectionId id) const;
    // For the peer list: the proven payer, what its channel promised, and what it owes beyond.
    struct View {
        Lane lane = Lane::slow;
        std::string payer;  // empty: not proven
        Units paid = 0;
        Units debt = 0;
    };
    View view(ConnectionId id) const;
    std::vector<ChannelExposure> exposures() const;
    // Nothing asked for, in flight, or above the minimum settlement left unsettled.
    bool settled_up() const;

  private:
    struct Channel;
    struct Conn {
        ConnectionId id = 0;
        std::optional<tron::Address> payer;  // proven
        Lane requested = Lane::slow;
        Units max_price = 0;
        Lane lane = Lane::slow;
        // Every request gets a grant, even one that changes nothing.
        bool request_unanswered = false;
        std::optional<SteadyTime> reconnect_asked;  // we sent a reconnect grant; close it soon
        Channel* channel = nullptr;                 // set once proven
        Billing billing;                            // on the bytes sent
        std::optional<std::int64_t> fence;          // as last sent (command::Fence)
    };
    struct Channel {
        ChannelKey key;
        // The latest IOU, mirrored from the ledger: billing reads it on every traffic report.
        Units iou_amount = 0;
        std::int64_t iou_seq = 0;
        Units confirmed = 0;  // what settlements in a block have paid, mirrored from the ledger
        // Units for segments already closed since this start; the ledger's IOU amount at start
        // counts as accrued, so old debts are not re-counted.
        Units closed = 0;
        std::int64_t window = 0;
        Credit held = Credit::ok;  // the credit verdict in force (seller_rules.hpp)
        Units peak_exposure = 0;   // the highest accrued - confirmed seen in this run
        std::string blocked;       // non-empty: held in the slow lane for this reason
        // Settlements accepted since the last settlement block: only their confirmation lifts
        // it (an earlier one confirming later must not undo a block a bad one caused).
        std::set<std::string> accepted_since_block;
        bool final_seen = false;
        // The settle_req waiting for a settlement that covers it. A partial settlement leaves it
        // open (and its clock running); the rest is asked for once the part is in a block.
        struct Ask {
            SettleRange range;
            SteadyTime at;
            ConnectionId conn = 0;  // the connection it went out on
        };
        std::optional<Ask> ask;

        ChannelMoney money(Units accrued) const { return {accrued, iou_amount, confirmed}; }
    };

    Conn* find(ConnectionId id);
    Conn const* find(ConnectionId id) const;
    Channel& channel_for(ChannelKey const& key);
    Units accrued(Channel const& channel) const;
    void close_billing(Conn& conn, PeerConn const& peer);
    CreditTerms credit_terms(Channel const& channel, Lane lane) const;
    std::int64_t window_left(Conn const& conn) const;
    // Decides the lane of every connection of one payer from what it asked for and how it pays.
    void review(Channel& channel);
    void set_lane(Conn& conn, PeerConn const& peer, Lane lane, std::string reason);
    void set_fences(Channel const& channel);
    void block(Channel& channel, std::string reason);
    void send_channel_state(PeerConn const& peer, Channel const& channel);
    // payer_back: the payer has just proved itself on a new connection (a carried tail is due).
    void maybe_settle(Channel& channel, bool payer_back = false);
    void send_receipt(Channel const& channel, std::string const& txid, SettlementStatus status,
                      Units to);

    SellConfig config_;
    CoreContext& context_;
    LaneClasses& classes_;
    std::map<ConnectionId, Conn> conns_;
    std::map<ChannelKey, std::unique_ptr<Channel>> channels_;
};

}  // namespace lanetorrent::lanes
