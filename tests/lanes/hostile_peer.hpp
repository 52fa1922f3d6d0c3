// A hostile lane buyer for tests: a real libtorrent session (our Engine, local only, on its own
// 127.x address) with a plugin that speaks ln_lanes but decides nothing by itself. The test reads
// what the seller said on each connection (its hello, grants, rejects, settle requests) and
// scripts what to send back, built with our own codec: forged or replayed proofs, bad IOUs,
// settlements that should not be credited, garbage.
//
// It also counts the payload it receives on every connection and how much of it arrived while the
// seller said the connection was in a paid lane (the last grant before the data names the lane;
// one TCP stream keeps the order).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "lanes/protocol.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::lanes::test {

using HostileConnId = std::uint64_t;

// What one connection to the seller looked like (a snapshot).
struct HostileConn {
    HostileConnId id = 0;
    TorrentId torrent;
    bool open = true;
    std::string close_reason;
    bool hello_seen = false;
    int their_id = -1;                  // the seller's ln_lanes message id
    std::optional<Hello> seller_hello;  // its handshake entry (offer and nonce)
    std::array<std::uint8_t, 20> seller_peer_id{};
    std::array<std::uint8_t, 20> our_peer_id{};
    Nonce our_nonce{};
    std::vector<msg::Grant> grants;
    std::vector<std::int64_t> grant_received;  // `received` when each grant arrived
    std::vector<std::chrono::steady_clock::time_point> grant_time;
    std::vector<msg::Reject> rejects;
    std::vector<msg::SettleRequest> settle_requests;
    std::vector<msg::Receipt> receipts;
    std::vector<std::string> undecodable;  // lane messages from the seller we could not read
    Lane lane = Lane::slow;                // from the last grant
    Units price = 0;
    std::int64_t received = 0;       // payload bytes
    std::int64_t paid_received = 0;  // payload bytes while in a paid lane
    Units cost = 0;                  // what those paid bytes cost at each segment's price
    // As a hostile seller: what the buyer sent, and the payload we sent it.
    std::vector<msg::Prove> proves;
    std::vector<msg::Request> requests;
    std::vector<msg::Iou> ious;
    std::int64_t sent = 0;
};

class HostilePeer {
  public:
    // With an offer, it announces it in every handshake: a hostile seller.
    // upload_limit: bytes/s, 0 for none.
    explicit HostilePeer(std::filesystem::path const& profile_dir,
                         std::optional<Offer> offer = std::nullopt, int upload_limit = 0);
    ~HostilePeer();
    HostilePeer(HostilePeer const&) = delete;
    HostilePeer& operator=(HostilePeer const&) = delete;

    Engine& engine() { return *engine_; }
    std::string const& ip() const { return ip_; }

    // Downloads `source` into `save`, dialling `seller` whenever not connected.
    Result<TorrentId> download(lt::add_torrent_params source, std::filesystem::path const& save,
                               Endpoint const& seller);
    // Seeds `source` from `data` (a hostile seller).
    Result<TorrentId> seed(lt::add_torrent_params source, std::filesystem::path const& data);
    std::vector<Event> poll(std::chrono::milliseconds wait);
    std::optional<Endpoint> listening() const { return listening_; }
    bool finished() const { return finished_; }

    std::vector<HostileConn> connections() const;  // oldest first
    std::optional<HostileConn> connection(HostileConnId id) const;

    // Sends one lane message (or any body, e.g. garbage or an oversize one) on a connection.
    void send(HostileConnId conn, Message const& message);
    void send_body(HostileConnId conn, std::string body);
    void disconnect(HostileConnId conn);

    // Over every connection so far.
    std::int64_t paid_bytes() const;
    Units paid_cost() const;
    std::vector<msg::Reject> rejects() const;

    // What a proof on `conn` binds, as the seller will rebuild it.
    static ProofContext proof_context(HostileConn const& conn, tron::Address const& payer);
    // prove{payer = claimed, sig = signer's signature over the proof text for `conn`}.
    static msg::Prove prove(HostileConn const& conn, tron::PrivateKey const& signer,
                            tron::Address const& claimed);

    struct Shared;

  private:
    std::string ip_;
    std::string peer_id_;
    std::unique_ptr<Engine> engine_;
    std::shared_ptr<Shared> shared_;
    bool finished_ = false;
    std::optional<Endpoint> listening_;
};

}  // namespace lanetorrent::lanes::test
