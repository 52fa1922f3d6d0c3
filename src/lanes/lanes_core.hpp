// LanesCore: every lanes rule, with no threads, clock reads, libtorrent, gRPC or SQLite. It takes
// events (a connection opened, a lane message, new byte counts, a chain answer, the time) and
// returns commands (send this message, grant that lane, disconnect, broadcast, ask the chain);
// LaneService (lane_service.hpp) is the thin adapter that feeds it from the plugin, the chain
// worker and the clock, and carries its commands out. Its ledger is a LaneStore.
//
// The seller and the buyer are two types (seller.hpp, buyer.hpp); a client may be both, and
// this routes each event to the side it concerns. Every entry point takes the time and never
// throws: a ledger that cannot be written becomes a storage fault (paid lanes pause, a notice
// says why, no peer is blamed) until a write works again.
//
// The unit tests (tests/lanes/core_test.cpp) drive it with scripted events and a real ledger
// file, in milliseconds; the hostile, swarm and crash tests prove the wiring end to end.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "lanes/buyer.hpp"
#include "lanes/core_context.hpp"
#include "lanes/core_types.hpp"
#include "lanes/seller.hpp"

namespace lanetorrent::lanes {

class LanesCore {
  public:
    // `classes` is needed only to sell (it may be null for a buyer).
    LanesCore(LaneStore& store, LaneClasses* classes, std::optional<SellConfig> sell,
              std::optional<BuyConfig> buy);

    // --- events ---
    void on_opened(PeerConn peer, Now now);  // id, torrent, ip, port, incoming, nonce, held
    struct HelloFacts {
        std::array<std::uint8_t, 20> peer_id{};
        std::array<std::uint8_t, 20> our_peer_id{};
        std::string client;  // already bounded (printable_client_name)
        int listen_port = 0;
        std::optional<Hello> hello;
        std::string hello_error;
    };
    void on_hello(ConnectionId id, HelloFacts facts, Now now);
    // A message, or why it could not be read (`error`); `received`: the payload counter then.
    void on_message(ConnectionId id, std::optional<Message> const& message,
                    std::string const& error, std::int64_t received, Now now);
    void on_traffic(ConnectionId id, std::int64_t sent, std::int64_t received, bool peer_is_seed,
                    Now now);
    void on_grant_queued(ConnectionId id, std::int64_t sent);
    void on_closed(ConnectionId id, std::int64_t sent, std::int64_t received, Now now);
    void on_finished(TorrentId const& torrent, Now now);
    // Once a second.
    void tick(Now now);
    // Several times a second while a settlement was just handed over or signed: ask the chain.
    bool watching_closely(Now now) const { return now.steady < context_.watch_closely_until; }
    void track(Now now);
    void on_chain_status(std::string const& txid, ChainAnswer const& answer, Now now);
    void on_broadcast_refused(std::string const& txid, Now now);
    void on_head_block(SigningJob const& job, std::optional<tron::BlockReference> const& head,
                       std::string const& error, Now now);
    void set_node_answers(bool answers) { context_.node_answers = answers; }
    // Our ledger failed outside the core (the adapter's own writes), or works again.
    void storage_fault(std::string const& text);
    void storage_recovered(Now now);

    // --- buyer settings ---
    void set_lane(TorrentId const& torrent, Lane lane, Caps caps, Now now);
    void set_buy_config(BuyConfig buy, Now now);
    bool can_buy() const { return buyer_.has_value(); }

    std::vector<Command> take_commands() { return std::exchange(context_.out, {}); }

    // --- views ---
    std::vector<PeerLane> peers() const;
    std::optional<std::array<Units, lane_count>> offered_prices(TorrentId const& torrent) const;
    std::vector<ChannelExposure> exposures() const;
    // Every IOU is covered by a settlement in a block or carried below the minimum settlement,
    // and nothing is being signed, asked for or tracked.
    bool settled_up() const;
    bool storage_failed() const { return !context_.storage_fault.empty(); }
    // The lane a seller serves a connection in (slow when we do not sell).
    Lane sell_lane(ConnectionId id) const { return seller_ ? seller_->lane_of(id) : Lane::slow; }
    PeerConn const* peer(ConnectionId id) const { return context_.peer(id); }
    std::map<ConnectionId, PeerConn> const& connections() const { return context_.peers; }

  private:
    // Runs `work` at `now`; a storage failure inside becomes a storage fault.
    template <class F>
    void guarded(Now now, F&& work);
    void dispatch(PeerConn& peer, Message const& message, std::int64_t received);
    void finish_settlement(std::string const& txid, SettlementStatus status, std::int64_t block);
    void hold_connections_for_settlements();

    CoreContext context_;
    std::optional<Seller> seller_;
    std::optional<Buyer> buyer_;
    std::set<std::string> tracking_;  // txids whose status is being asked (command::Track)
    // The buyer's settings as they came, kept for a buyer made later (a wallet unlocked after the
    // torrents were added).
    std::map<TorrentId, std::pair<Lane, Caps>> choices_;
    std::set<TorrentId> finished_;
};

}  // namespace lanetorrent::lanes
