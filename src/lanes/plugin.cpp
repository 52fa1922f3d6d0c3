#include "lanes/plugin.hpp"

#include <boost/asio/post.hpp>
#include <libtorrent/bdecode.hpp>
#include <libtorrent/bt_peer_connection.hpp>
#include <libtorrent/entry.hpp>
#include <libtorrent/peer_connection.hpp>
#include <libtorrent/peer_connection_handle.hpp>
#include <libtorrent/peer_info.hpp>
#include <libtorrent/torrent_handle.hpp>
#include <map>

#include "engine/seed_marking.hpp"
#include "tron/bytes.hpp"

namespace lanetorrent::lanes {
namespace {

// More lane messages than this in one second is a flood, not a payment flow (an honest peer sends
// a few per second at most).
constexpr int max_messages_per_second = 64;
// Payload sent since the last traffic report that makes the next report go out at once instead of
// at the next tick: a paid lane's credit window is counted in bytes, and at loopback or LAN rates
// (or a peer class's burst) a second's worth of upload is many windows.
constexpr std::int64_t traffic_report_bytes = 128 * 1024;
// How long a lane peer's connection outlives the moment both sides have every piece: until the
// last IOU, the settlement request and the signed settlement (which needs a block from the
// payer's node) have crossed, i.e. until no lane message has passed for `lane_quiet` (and not
// before `redundant_min`: the final IOU follows the last traffic report, up to a second later),
// and at most `redundant_grace`. A buyer of many small torrents finishes several a second; holding
// each connection the full 20 s kept ~100 of the seller's connection slots from other buyers.
constexpr auto redundant_grace = std::chrono::seconds(20);
constexpr auto lane_quiet = std::chrono::seconds(5);
constexpr auto redundant_min = std::chrono::seconds(2);
// While the app holds a connection open for a settlement in progress (a tail worth a transfer is
// settled before the connection closes), at most this long after both sides became seeds: the
// payer has 60 s to hand over a settlement, and a block follows within seconds.
constexpr auto settlement_hold_max = std::chrono::seconds(90);
// Requests not served while a connection waits (fenced, or not attached yet) that are answered
// with a reject once it is served again; libtorrent keeps at most 500 outstanding.
constexpr std::size_t max_swallowed_requests = 1024;

class PeerPlugin;

}  // namespace

struct LanePlugin::Shared {
    // Guarded by mutex: touched by both threads.
    std::mutex mutex;
    std::vector<PluginEvent> events;
    std::function<void()> wakeup;
    std::optional<Offer> offer;

    // Network thread only.
    ConnectionId next_conn = 1;
    std::map<ConnectionId, std::weak_ptr<PeerPlugin>> peers;

    void push(PluginEvent event) {
        std::function<void()> wake;
        {
            std::lock_guard lock(mutex);
            events.push_back(std::move(event));
            wake = wakeup;
        }
        if (wake) wake();
    }

    std::optional<Offer> current_offer() {
        std::lock_guard lock(mutex);
        return offer;
    }
};

namespace {

std::array<std::uint8_t, 20> bytes_of(lt::peer_id const& id) {
    std::array<std::uint8_t, 20> out{};
    std::copy(id.begin(), id.end(), out.begin());
    return out;
}

// The connection's peer classes as a bitmask; only ids 0-31 can be named by the class filter.
std::uint32_t class_mask(lt::peer_connection_handle const& pc) {
    std::uint32_t mask = 0;
    if (auto const c = pc.native_handle()) {
        for (int i = 0; i < c->num_classes(); ++i) {
            auto const id = static_cast<std::uint32_t>(c->class_at(i));
            if (id < 32) mask |= 1u << id;
        }
    }
    return mask;
}

class PeerPlugin final : public lt::peer_plugin {
  public:
    // `attached`: false on a seller, whose peer classes may let this connection's handshakes
    // go unthrottled until the app thread has put it in its lane (LanePlugin::attach).
    PeerPlugin(lt::bt_peer_connection_handle pc, std::shared_ptr<LanePlugin::Shared> shared,
               ConnectionId conn, lt::peer_id our_id, bool attached)
        : pc_(std::move(pc)),
          shared_(std::move(shared)),
          conn_(conn),
          our_id_(our_id),
          attached_(attached) {
        tron::random_bytes(nonce_);
    }

    lt::string_view type() const override { return extension_name; }
    Nonce const& nonce() const { return nonce_; }

    void add_handshake(lt::entry& handshake) override {
        handshake["m"][extension_name] = local_message_id;
        Hello hello;
        hello.nonce = nonce_;
        hello.offer = shared_->current_offer();
        auto const bytes = encode_hello(hello);
        lt::error_code ec;
        auto const node = lt::bdecode(bytes, ec);
        if (!ec) handshake[extension_name] = lt::entry(node);
    }

    bool on_extension_handshake(lt::bdecode_node const& handshake) override {
        wire::HelloReceived event;
        event.conn = conn_;
        event.peer_id = bytes_of(pc_.pid());
        event.our_peer_id = bytes_of(our_id_);
        auto const name = handshake.dict_find_string_value("v");
        event.client = printable_client_name({name.data(), name.size()});
        event.listen_port = static_cast<int>(handshake.dict_find_int_value("p", 0));
        auto const ids = handshake.dict_find_dict("m");
        their_id_ = ids ? static_cast<int>(ids.dict_find_int_value(extension_name, -1)) : -1;
        auto const hello = handshake.dict_find_dict(extension_name);
        if (their_id_ > 0 && hello) {
            auto const raw = hello.data_section();
            if (auto decoded = decode_hello({raw.data(), static_cast<std::size_t>(raw.size())})) {
                event.hello = std::move(decoded.value());
            } else {
                event.hello_error = decoded.error();
            }
        }
        shared_->push(std::move(event));
        // Stay attached even to peers without lanes: their bytes are counted for the ledger.
        return true;
    }

    bool on_extended(int length, int msg, lt::span<char const> body) override {
        if (msg != local_message_id) return false;
        if (static_cast<std::size_t>(length) > max_message_bytes) {
            drop(lt::errors::packet_too_large);
            return true;
        }
        if (!pc_.packet_finished()) return true;  // libtorrent calls again as the rest arrives
        last_lane_message_ = lt::clock_type::now();
        if (count_message_is_flood()) {
            drop(lt::errors::too_many_requests_when_choked);  // closest code libtorrent has
            return true;
        }
        wire::Incoming event;
        event.conn = conn_;
        event.sent = sent_;
        event.received = received_;
        auto decoded = decode({body.data(), static_cast<std::size_t>(body.size())});
        if (decoded) {
            event.message = std::move(decoded.value());
        } else {
            event.error = decoded.error();
        }
        shared_->push(std::move(event));
        return true;
    }

    // libtorrent drops a connection between two seeds at once, but a buyer that just finished
    // still has its last IOU and the settlement to exchange: keep lane peers a little longer.
    // libtorrent asks only when something changes, so tick() closes the connection when the
    // grace is over; else it would hold a connection slot until the 10-minute inactivity
    // timeout (measured: a buyer of 300 small torrents stalled with 245 such connections).
    bool can_disconnect(lt::error_code const& ec) override {
        if (!closed_as_redundant(ec) || their_id_ <= 0) return true;
        auto const now = lt::clock_type::now();
        if (!both_seeds_since_) {
            both_seeds_since_ = now;
            redundant_because_ = ec;
        }
        return grace_over(now);
    }

    void sent_payload(int bytes) override {
        sent_ += bytes;
        if (fence_ && !fenced_ && sent_ >= *fence_) {
            // The paid lane's credit is used up and the app thread has not caught up yet (it may
            // be writing an IOU to disk): stop serving here, on the network thread, so a payer
            // that does not pay gets no more than what is already in the send buffer.
            fenced_ = true;
            pc_.choke_this_peer();
            report_traffic();
            return;
        }
        if (sent_ - reported_sent_ >= traffic_report_bytes) report_traffic();
    }
    // While fenced or not yet attached, requests are not served even if the choker unchokes
    // the peer.
    bool on_request(lt::peer_request const& request) override {
        if (attached_ && !fenced_) return false;
        if (swallowed_.size() < max_swallowed_requests) swallowed_.push_back(request);
        return true;
    }
    bool on_handshake(lt::span<char const> reserved) override {
        // BEP 6, the fast extension: bit 0x04 of the last reserved byte.
        supports_fast_ = reserved.size() >= 8 && (reserved[7] & 0x04) != 0;
        return true;
    }
    bool on_piece(lt::peer_request const&, lt::span<char const> data) override {
        received_ += data.size();
        // The buyer pays from these reports: at the same pace as the seller counts its debt.
        if (received_ - reported_received_ >= traffic_report_bytes) report_traffic();
        return false;
    }

    void tick() override {
        report_traffic();
        if (both_seeds_since_ && pc_.upload_only() && !pc_.is_interesting() &&
            !pc_.is_disconnecting() && grace_over(lt::clock_type::now())) {
            pc_.disconnect(redundant_because_, lt::operation_t::bittorrent);
        }
    }

    bool grace_over(lt::time_point now) const {
        if (held_open_) return now - *both_seeds_since_ > settlement_hold_max;
        return now - *both_seeds_since_ > redundant_grace ||
               (now - *both_seeds_since_ > redundant_min && now - last_lane_message_ > lane_quiet);
    }

    void report_traffic() {
        bool const seed = pc_.is_seed();
        if (sent_ == reported_sent_ && received_ == reported_received_ && seed == reported_seed_) {
            return;
        }
        reported_sent_ = sent_;
        reported_received_ = received_;
        reported_seed_ = seed;
        shared_->push(wire::Traffic{conn_, sent_, received_, seed});
    }

    // Reports the connection as opened, with the classes it holds now.
    void report_opened(wire::Opened opened) {
        opened.classes = class_mask(pc_);
        shared_->push(std::move(opened));
    }
    void report_when_connected(wire::Opened opened) { unreported_ = std::move(opened); }
    void on_connected() override {
        if (!unreported_) return;
        report_opened(std::move(*unreported_));
        unreported_.reset();
    }

    void on_disconnect(lt::error_code const& ec) override {
        if (closed_) return;
        closed_ = true;
        // Never reported as opened: nothing to close on the app thread either.
        if (unreported_) return;
        shared_->push(wire::Closed{conn_, sent_, received_, ec.message()});
    }

    void send(std::string const& body) {
        if (their_id_ <= 0 || closed_) return;
        last_lane_message_ = lt::clock_type::now();
        auto const framed = frame(their_id_, body);
        pc_.send_buffer(framed.data(), static_cast<int>(framed.size()));
    }
    std::int64_t sent() const { return sent_; }
    void disconnect() { drop(lt::errors::make_error_code(lt::errors::no_error)); }
    void unchoke() {
        if (!closed_) pc_.maybe_unchoke_this_peer();
    }
    void hold_open(bool held) { held_open_ = held; }
    void set_fence(std::optional<std::int64_t> paid_until) {
        fence_ = paid_until;
        if (!fenced_ || (fence_ && sent_ >= *fence_) || closed_) return;
        fenced_ = false;
        serve_again(true);
    }
    void attach() {
        if (attached_ || closed_) return;
        attached_ = true;
        // Not an unchoke of its own: this may run inside the connection's handshakes (an
        // encrypted incoming connection is attached to its torrent before the BitTorrent
        // handshake), where an unchoke message would be read as the handshake.
        serve_again(false);
    }

  private:
    // Requests swallowed while we did not serve are answered now, so the peer asks again: with
    // the fast extension by a reject for each (a choke does not cancel requests there, and the
    // peer would wait for them until its request timeout, tens of seconds with nothing else to
    // ask for); without it by a choke, which cancels them all.
    // `unchoke`: unchoke the peer even if nothing was held back (the fence lifts).
    void serve_again(bool unchoke) {
        if (!attached_ || fenced_) return;
        bool const held_back = !swallowed_.empty();
        if (held_back) {
            if (supports_fast_) {
                for (auto const& r : swallowed_) send_reject(r);
            } else {
                pc_.choke_this_peer();
            }
            swallowed_.clear();
        }
        if (held_back || unchoke) pc_.maybe_unchoke_this_peer();
    }

    void send_reject(lt::peer_request const& r) {
        constexpr std::uint8_t msg_reject_request = 16;
        std::array<char, 17> m{};
        auto put32 = [&](std::size_t at, std::uint32_t v) {
            for (int i = 0; i < 4; ++i) m[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
        };
        put32(0, 13);
        m[4] = static_cast<char>(msg_reject_request);
        put32(5, static_cast<std::uint32_t>(static_cast<int>(r.piece)));
        put32(9, static_cast<std::uint32_t>(r.start));
        put32(13, static_cast<std::uint32_t>(r.length));
        pc_.send_buffer(m.data(), static_cast<int>(m.size()));
    }

    bool count_message_is_flood() {
        auto const now = lt::clock_type::now();
        if (now - window_start_ >= std::chrono::seconds(1)) {
            window_start_ = now;
            messages_in_window_ = 0;
        }
        return ++messages_in_window_ > max_messages_per_second;
    }

    void drop(lt::error_code const& ec) {
        if (closed_ || pc_.is_disconnecting()) return;
        pc_.disconnect(ec, lt::operation_t::bittorrent, lt::disconnect_severity_t{0});
    }

    lt::bt_peer_connection_handle pc_;
    std::shared_ptr<LanePlugin::Shared> shared_;
    ConnectionId conn_;
    lt::peer_id our_id_;
    Nonce nonce_{};
    int their_id_ = -1;
    bool closed_ = false;
    bool held_open_ = false;
    // The sent counter up to which the paid lane's credit goes (LanePlugin::set_fence).
    std::optional<std::int64_t> fence_;
    bool attached_ = true;        // the app thread has put it in its lane (LanePlugin::attach)
    bool fenced_ = false;         // the fence was reached: choked, requests not served
    bool supports_fast_ = false;  // BEP 6: requests are answered by a piece or a reject
    std::vector<lt::peer_request> swallowed_;  // not served while fenced or not attached
    std::optional<wire::Opened> unreported_;   // a dialled connection until it connects
    std::int64_t sent_ = 0;
    std::int64_t received_ = 0;
    std::int64_t reported_sent_ = 0;
    std::int64_t reported_received_ = 0;
    bool reported_seed_ = false;
    lt::time_point window_start_{};
    std::optional<lt::time_point> both_seeds_since_;
    lt::time_point last_lane_message_ = lt::clock_type::now();
    lt::error_code redundant_because_;
    int messages_in_window_ = 0;
};

class TorrentPlugin final : public lt::torrent_plugin {
  public:
    TorrentPlugin(TorrentId id, lt::peer_id our_id, std::shared_ptr<LanePlugin::Shared> shared)
        : id_(std::move(id)), our_id_(our_id), shared_(std::move(shared)) {}

    std::shared_ptr<lt::peer_plugin> new_connection(lt::peer_connection_handle const& pc) override {
        if (pc.type() != lt::connection_type::bittorrent) return nullptr;  // web seeds
        auto const conn = shared_->next_conn++;
        // A seller serves no payload before the app thread has put the connection in its lane.
        bool const attached = !shared_->current_offer().has_value();
        auto peer = std::make_shared<PeerPlugin>(lt::bt_peer_connection_handle(pc), shared_, conn,
                                                 our_id_, attached);
        shared_->peers[conn] = peer;
        auto const remote = pc.remote();
        wire::Opened opened{
            conn,         id_, remote.address().to_string(), remote.port(), !pc.is_outgoing(),
            peer->nonce()};
        // An accepted connection got its peer classes when it was accepted. One we dial gets
        // them when libtorrent starts it, after this call, so it is reported once it has
        // connected (one that never connects is never reported). Read here, a dialled
        // connection had no class at all, and every payer a restarted seller dialled was asked
        // to reconnect, again at each redial.
        if (pc.is_outgoing()) {
            peer->report_when_connected(std::move(opened));
        } else {
            peer->report_opened(std::move(opened));
        }
        return peer;
    }

    void tick() override {
        // Forget connections libtorrent has destroyed.
        for (auto it = shared_->peers.begin(); it != shared_->peers.end();) {
            it = it->second.expired() ? shared_->peers.erase(it) : std::next(it);
        }
    }

  private:
    TorrentId id_;
    lt::peer_id our_id_;
    std::shared_ptr<LanePlugin::Shared> shared_;
};

}  // namespace

LanePlugin::LanePlugin() : shared_(std::make_shared<Shared>()) {}
LanePlugin::~LanePlugin() = default;

void LanePlugin::set_offer(std::optional<Offer> offer) {
    std::lock_guard lock(shared_->mutex);
    shared_->offer = std::move(offer);
}

std::vector<PluginEvent> LanePlugin::take_events() {
    std::lock_guard lock(shared_->mutex);
    return std::exchange(shared_->events, {});
}

void LanePlugin::set_wakeup(std::function<void()> wakeup) {
    std::lock_guard lock(shared_->mutex);
    shared_->wakeup = std::move(wakeup);
}

void LanePlugin::added(lt::session_handle const& session) {
    session_ = session;
}

std::shared_ptr<lt::torrent_plugin> LanePlugin::new_torrent(lt::torrent_handle const& torrent,
                                                            lt::client_data_t) {
    // Runs on the network thread, where these handle calls execute inline.
    // Runs on the network thread, where these handle calls execute inline. The engine sets a
    // full 20-byte fingerprint, which libtorrent uses as the peer id of every connection.
    lt::peer_id our_id{};
    if (session_) {
        auto const id = session_->get_settings().get_str(lt::settings_pack::peer_fingerprint);
        std::copy_n(id.begin(), std::min<std::size_t>(id.size(), 20), our_id.begin());
    }
    return std::make_shared<TorrentPlugin>(torrent_id_of(torrent.info_hashes()), our_id, shared_);
}

void LanePlugin::post(std::function<void(Shared&)> job) {
    if (!session_) return;
    boost::asio::post(session_->get_context(),
                      [shared = shared_, job = std::move(job)] { job(*shared); });
}

namespace {

template <class Fn>
void with_peer(LanePlugin::Shared& shared, ConnectionId conn, Fn&& fn) {
    auto const it = shared.peers.find(conn);
    if (it == shared.peers.end()) return;
    if (auto peer = it->second.lock()) fn(*peer);
}

}  // namespace

void LanePlugin::send(ConnectionId conn, Message const& message) {
    post([conn, body = encode(message)](Shared& shared) {
        with_peer(shared, conn, [&](PeerPlugin& peer) { peer.send(body); });
    });
}

void LanePlugin::send_grant(ConnectionId conn, msg::Grant const& grant) {
    post([conn, body = encode(grant)](Shared& shared) {
        with_peer(shared, conn, [&](PeerPlugin& peer) {
            peer.send(body);
            shared.push(wire::GrantQueued{conn, peer.sent()});
        });
    });
}

void LanePlugin::disconnect(ConnectionId conn) {
    post([conn](Shared& shared) {
        with_peer(shared, conn, [](PeerPlugin& peer) { peer.disconnect(); });
    });
}

void LanePlugin::attach(ConnectionId conn) {
    post([conn](Shared& shared) {
        with_peer(shared, conn, [](PeerPlugin& peer) { peer.attach(); });
    });
}

void LanePlugin::hold_open(ConnectionId conn, bool held) {
    post([conn, held](Shared& shared) {
        with_peer(shared, conn, [held](PeerPlugin& peer) { peer.hold_open(held); });
    });
}

void LanePlugin::set_fence(ConnectionId conn, std::optional<std::int64_t> paid_until) {
    post([conn, paid_until](Shared& shared) {
        with_peer(shared, conn, [paid_until](PeerPlugin& peer) { peer.set_fence(paid_until); });
    });
}

void LanePlugin::unchoke(ConnectionId conn) {
    post([conn](Shared& shared) {
        with_peer(shared, conn, [](PeerPlugin& peer) { peer.unchoke(); });
    });
}

}  // namespace lanetorrent::lanes
