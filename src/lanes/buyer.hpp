// Buyer: the downloader's half of the lanes core. It proves our address to sellers, asks for the
// lane the user chose, pays for what arrives with IOUs that never pass the user's caps, signs
// settlements (never two different ones for one debt), and leaves a seller that bills a lane we
// did not ask for (buyer_rules.hpp has the rules as pure functions). No clock, socket or
// database of its own: LanesCore hands it events with the time, and it answers with commands.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lanes/core_context.hpp"
#include "lanes/core_types.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::lanes {

class Buyer {
  public:
    Buyer(BuyConfig config, CoreContext& context);

    BuyConfig const& config() const { return config_; }
    // A new key or caps: connected sellers are asked again at once.
    void set_config(BuyConfig config);
    // The lane to ask for on a torrent, and the caps that hold there.
    void set_lane(TorrentId const& torrent, Lane lane, Caps caps);

    void on_open(PeerConn const& peer);
    void on_closed(PeerConn const& peer, std::vector<TrafficDelta>& deltas);
    // The peer's handshake: a seller whose offer is in our asset is asked for a lane.
    void on_hello(PeerConn const& peer);
    // `received`: the payload counter when the grant arrived; billing starts there.
    void on_grant(PeerConn const& peer, msg::Grant const& grant, std::int64_t received);
    void on_settle_request(PeerConn const& peer, msg::SettleRequest const& request);
    void on_receipt(PeerConn const& peer, msg::Receipt const& receipt);
    void on_channel_state(PeerConn const& peer, msg::ChannelState const& state);
    void on_traffic(PeerConn const& peer);
    // The torrent is complete: what is owed on it is paid at once, in a final IOU.
    void on_finished(TorrentId const& torrent);
    // The head block a settlement names (command::FetchHead), or why the node gave none.
    void on_head_block(SigningJob const& job, std::optional<tron::BlockReference> const& head,
                       std::string const& error);
    // Once a second: a seller that kept us in a paid lane we did not ask for is left.
    void tick();
    void on_storage_fault();
    void on_storage_recovered();

    bool wants_held_open(ConnectionId id) const;
    struct View {
        bool buying = false;     // we pay this peer or it put us in a paid lane
        Lane lane = Lane::slow;  // the lane the seller says we are in
        std::string payee;
        Units paid = 0;
        Units debt = 0;
    };
    View view(ConnectionId id) const;
    // Nothing being signed, in flight, or above the seller's minimum settlement unsettled.
    bool settled_up() const;

  private:
    struct Channel {
        ChannelKey key;
        Units iou_amount = 0;  // the latest IOU we signed, mirrored from the ledger
        std::int64_t iou_seq = 0;
        // Units for segments already closed since this start; the ledger's IOU amount at start
        // counts as accrued, so old debts are not re-counted.
        Units closed = 0;
        std::int64_t signing = 0;  // settlements being built (head block in flight)
        // The seller's minimum settlement; a smaller tail is carried, not asked for now.
        Units carry_below = 0;
        // Settled as the seller's channel state says (settlements from another device).
        Units recovered_settled = 0;
    };
    struct Conn {
        ConnectionId id = 0;
        Channel* channel = nullptr;    // set once we proved our address to it
        Lane their_lane = Lane::slow;  // the lane the seller says we are in
        Lane asked_lane = Lane::slow;  // the one we last asked for
        // Since when the seller has kept us in a paid lane we did not ask for.
        std::optional<SteadyTime> unwanted_paid_since;
        Billing billing;       // on the bytes received
        bool closing = false;  // we asked libtorrent to close it
    };

    // The connection that carries the channel's IOUs to `peer`'s seller: the channel's oldest
    // one still open to that address (a payee's other device elsewhere keeps its own). IOUs
    // sent on two sockets could arrive out of order, and the seller refuses the later-signed
    // one's predecessor as stale.
    ConnectionId iou_carrier(Channel const& channel, PeerConn const& peer) const;
    Conn* find(ConnectionId id);
    Conn const* find(ConnectionId id) const;
    Channel& channel_for(ChannelKey const& key);
    Units accrued(Channel const& channel) const;
    void close_billing(Conn& conn, PeerConn const& peer);
    void ask(Conn& conn, PeerConn const& peer);
    // An IOU for what is owed once a step's worth built up, or at once with `now` (the torrent is
    // complete, or we are leaving a paid lane).
    void pay(Conn& conn, PeerConn const& peer, bool now);
    // Records an IOU we are about to send; a storage failure throws StorageFault.
    bool record(Channel& channel, TorrentId const& torrent, msg::Iou const& iou,
                PeerConn const& peer);
    void ask_slow(Conn& conn, PeerConn const& peer, std::string why);
    Caps caps_for(TorrentId const& torrent) const;
    // What we may still sign on `torrent` under its caps (max: no cap).
    Units spending_room(TorrentId const& torrent) const;

    BuyConfig config_;
    CoreContext& context_;
    std::map<ConnectionId, Conn> conns_;
    std::map<ChannelKey, std::unique_ptr<Channel>> channels_;
    std::map<TorrentId, std::pair<Lane, Caps>> choices_;
    std::set<TorrentId> finished_;
    // Payees of sellers that billed us for a lane we did not ask for: never paid again.
    std::set<std::string> distrusted_payees_;
};

}  // namespace lanetorrent::lanes
