#include "hostile_peer.hpp"

#include <boost/asio/post.hpp>
#include <libtorrent/bdecode.hpp>
#include <libtorrent/bt_peer_connection.hpp>
#include <libtorrent/entry.hpp>
#include <libtorrent/extensions.hpp>
#include <libtorrent/peer_connection_handle.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/torrent_handle.hpp>
#include <map>
#include <mutex>
#include <stdexcept>

#include "engine/torrent_id.hpp"
#include "net.hpp"
#include "tron/bytes.hpp"
#include "tron/message_signing.hpp"

namespace lanetorrent::lanes::test {
namespace {
class HostilePeerPlugin;
}

struct HostilePeer::Shared {
    mutable std::mutex mutex;
    std::map<HostileConnId, HostileConn> conns;  // guarded by mutex
    // Network thread only.
    HostileConnId next = 1;
    std::map<HostileConnId, std::weak_ptr<HostilePeerPlugin>> peers;
    std::array<std::uint8_t, 20> our_peer_id{};
    std::optional<lt::session_handle> session;
    std::optional<Offer> offer;  // set before the session starts
};

namespace {

std::array<std::uint8_t, 20> bytes_of(lt::peer_id const& id) {
    std::array<std::uint8_t, 20> out{};
    std::copy(id.begin(), id.end(), out.begin());
    return out;
}

class HostilePeerPlugin final : public lt::peer_plugin {
  public:
    HostilePeerPlugin(lt::bt_peer_connection_handle pc, std::shared_ptr<HostilePeer::Shared> shared,
                      HostileConnId id)
        : pc_(std::move(pc)), shared_(std::move(shared)), id_(id) {
        tron::random_bytes(nonce_);
    }

    lt::string_view type() const override { return extension_name; }
    Nonce const& nonce() const { return nonce_; }

    void add_handshake(lt::entry& handshake) override {
        handshake["m"][extension_name] = local_message_id;
        Hello hello;
        hello.nonce = nonce_;
        hello.offer = shared_->offer;
        auto const bytes = encode_hello(hello);
        lt::error_code ec;
        auto const node = lt::bdecode(bytes, ec);
        if (!ec) handshake[extension_name] = lt::entry(node);
    }

    bool on_extension_handshake(lt::bdecode_node const& handshake) override {
        auto const ids = handshake.dict_find_dict("m");
        their_id_ = ids ? static_cast<int>(ids.dict_find_int_value(extension_name, -1)) : -1;
        std::optional<Hello> hello;
        if (auto const entry = handshake.dict_find_dict(extension_name)) {
            auto const raw = entry.data_section();
            if (auto decoded = decode_hello({raw.data(), static_cast<std::size_t>(raw.size())})) {
                hello = std::move(decoded.value());
            }
        }
        update([&](HostileConn& c) {
            c.hello_seen = true;
            c.their_id = their_id_;
            c.seller_hello = hello;
            c.seller_peer_id = bytes_of(pc_.pid());
        });
        return true;
    }

    bool on_extended(int length, int msg, lt::span<char const> body) override {
        if (msg != local_message_id) return false;
        if (static_cast<std::size_t>(length) > max_message_bytes) return true;
        if (!pc_.packet_finished()) return true;
        auto decoded = decode({body.data(), static_cast<std::size_t>(body.size())});
        update([&](HostileConn& c) {
            if (!decoded) {
                c.undecodable.push_back(decoded.error());
                return;
            }
            if (!decoded.value()) return;
            auto const& message = *decoded.value();
            if (auto const* grant = std::get_if<msg::Grant>(&message)) {
                c.grants.push_back(*grant);
                c.grant_received.push_back(c.received);
                c.grant_time.push_back(std::chrono::steady_clock::now());
                c.lane = grant->lane;
                c.price = grant->price_per_gib;
                segment_ = 0;
                segment_cost_before_ = c.cost;
            } else if (auto const* reject = std::get_if<msg::Reject>(&message)) {
                c.rejects.push_back(*reject);
            } else if (auto const* request = std::get_if<msg::SettleRequest>(&message)) {
                c.settle_requests.push_back(*request);
            } else if (auto const* receipt = std::get_if<msg::Receipt>(&message)) {
                c.receipts.push_back(*receipt);
            } else if (auto const* prove = std::get_if<msg::Prove>(&message)) {
                c.proves.push_back(*prove);
            } else if (auto const* asked = std::get_if<msg::Request>(&message)) {
                c.requests.push_back(*asked);
            } else if (auto const* iou = std::get_if<msg::Iou>(&message)) {
                c.ious.push_back(*iou);
            }
        });
        return true;
    }

    bool on_piece(lt::peer_request const&, lt::span<char const> data) override {
        update([&](HostileConn& c) {
            c.received += data.size();
            if (c.lane != Lane::slow && c.price > 0) {
                c.paid_received += data.size();
                // Rounded down per segment, as the protocol bills it.
                segment_ += data.size();
                c.cost = segment_cost_before_ + cost_of(segment_, c.price);
            }
        });
        return false;
    }

    void sent_payload(int bytes) override {
        update([&](HostileConn& c) { c.sent += bytes; });
    }

    void on_disconnect(lt::error_code const& ec) override {
        update([&](HostileConn& c) {
            c.open = false;
            c.close_reason = ec.message();
        });
    }

    void send_body(std::string const& body) {
        if (their_id_ <= 0 || pc_.is_disconnecting()) return;
        // frame() checks no size, so an oversize body goes out as it is.
        auto const framed = frame(their_id_, body);
        pc_.send_buffer(framed.data(), static_cast<int>(framed.size()));
    }
    void disconnect() {
        if (!pc_.is_disconnecting()) {
            pc_.disconnect(lt::errors::make_error_code(lt::errors::no_error),
                           lt::operation_t::bittorrent, lt::disconnect_severity_t{0});
        }
    }

  private:
    template <class Fn>
    void update(Fn&& fn) {
        std::lock_guard lock(shared_->mutex);
        fn(shared_->conns[id_]);
    }

    lt::bt_peer_connection_handle pc_;
    std::shared_ptr<HostilePeer::Shared> shared_;
    HostileConnId id_;
    Nonce nonce_{};
    int their_id_ = -1;
    std::int64_t segment_ = 0;
    Units segment_cost_before_ = 0;
};

class HostileTorrentPlugin final : public lt::torrent_plugin {
  public:
    HostileTorrentPlugin(TorrentId id, std::shared_ptr<HostilePeer::Shared> shared)
        : id_(std::move(id)), shared_(std::move(shared)) {}

    std::shared_ptr<lt::peer_plugin> new_connection(lt::peer_connection_handle const& pc) override {
        if (pc.type() != lt::connection_type::bittorrent) return nullptr;
        auto const id = shared_->next++;
        auto peer =
            std::make_shared<HostilePeerPlugin>(lt::bt_peer_connection_handle(pc), shared_, id);
        shared_->peers[id] = peer;
        std::lock_guard lock(shared_->mutex);
        auto& conn = shared_->conns[id];
        conn.id = id;
        conn.torrent = id_;
        conn.our_nonce = peer->nonce();
        conn.our_peer_id = shared_->our_peer_id;
        return peer;
    }

  private:
    TorrentId id_;
    std::shared_ptr<HostilePeer::Shared> shared_;
};

class HostilePlugin final : public lt::plugin {
  public:
    explicit HostilePlugin(std::shared_ptr<HostilePeer::Shared> shared)
        : shared_(std::move(shared)) {}
    void added(lt::session_handle const& session) override { shared_->session = session; }
    std::shared_ptr<lt::torrent_plugin> new_torrent(lt::torrent_handle const& torrent,
                                                    lt::client_data_t) override {
        return std::make_shared<HostileTorrentPlugin>(torrent_id_of(torrent.info_hashes()),
                                                      shared_);
    }

  private:
    std::shared_ptr<HostilePeer::Shared> shared_;
};

template <class Fn>
void on_network_thread(std::shared_ptr<HostilePeer::Shared> const& shared, HostileConnId id,
                       Fn fn) {
    if (!shared->session) return;
    boost::asio::post(shared->session->get_context(), [shared, id, fn = std::move(fn)] {
        auto const it = shared->peers.find(id);
        if (it == shared->peers.end()) return;
        if (auto peer = it->second.lock()) fn(*peer);
    });
}

}  // namespace

HostilePeer::HostilePeer(std::filesystem::path const& profile_dir, std::optional<Offer> offer,
                         int upload_limit)
    : ip_(lanetorrent::test::unique_loopback_ip()), shared_(std::make_shared<Shared>()) {
    shared_->offer = std::move(offer);
    EngineSettings settings;
    settings.listen_interfaces = ip_ + ":0";
    settings.try_next_ports = false;
    settings.make_local_only();
    settings.status_interval = std::chrono::milliseconds(200);
    settings.min_reconnect_seconds = 1;
    settings.upload_limit = upload_limit;
    peer_id_ = settings.peer_id;
    std::copy_n(peer_id_.begin(), std::min<std::size_t>(peer_id_.size(), 20),
                shared_->our_peer_id.begin());
    auto opened = Engine::open(Profile::in_directory(profile_dir), settings);
    if (!opened) throw std::runtime_error(opened.error());
    engine_ = std::move(opened.value());
    engine_->native_session().add_extension(std::make_shared<HostilePlugin>(shared_));
}

HostilePeer::~HostilePeer() {
    engine_.reset();
}

Result<TorrentId> HostilePeer::download(lt::add_torrent_params source,
                                        std::filesystem::path const& save, Endpoint const& seller) {
    AddTorrent request;
    request.source = std::move(source);
    request.save_path = save;
    auto added = engine_->add(std::move(request));
    if (!added) return added;
    if (auto pinned = engine_->pin_peer(added.value(), seller); !pinned) {
        return Error{pinned.error()};
    }
    return added;
}

Result<TorrentId> HostilePeer::seed(lt::add_torrent_params source,
                                    std::filesystem::path const& data) {
    AddTorrent request;
    request.source = std::move(source);
    request.save_path = data;
    request.seed_only = true;
    return engine_->add(std::move(request));
}

std::vector<Event> HostilePeer::poll(std::chrono::milliseconds wait) {
    auto events = engine_->poll(wait);
    for (auto const& event : events) {
        if (std::holds_alternative<event::Finished>(event)) finished_ = true;
        if (auto const* l = std::get_if<event::Listening>(&event)) {
            listening_ = Endpoint{l->address, static_cast<std::uint16_t>(l->port)};
        }
    }
    return events;
}

std::vector<HostileConn> HostilePeer::connections() const {
    std::lock_guard lock(shared_->mutex);
    std::vector<HostileConn> out;
    for (auto const& [id, conn] : shared_->conns) out.push_back(conn);
    return out;
}

std::optional<HostileConn> HostilePeer::connection(HostileConnId id) const {
    std::lock_guard lock(shared_->mutex);
    auto const it = shared_->conns.find(id);
    if (it == shared_->conns.end()) return std::nullopt;
    return it->second;
}

void HostilePeer::send(HostileConnId conn, Message const& message) {
    send_body(conn, encode(message));
}

void HostilePeer::send_body(HostileConnId conn, std::string body) {
    on_network_thread(shared_, conn,
                      [body = std::move(body)](HostilePeerPlugin& peer) { peer.send_body(body); });
}

void HostilePeer::disconnect(HostileConnId conn) {
    on_network_thread(shared_, conn, [](HostilePeerPlugin& peer) { peer.disconnect(); });
}

std::int64_t HostilePeer::paid_bytes() const {
    std::lock_guard lock(shared_->mutex);
    std::int64_t total = 0;
    for (auto const& [id, conn] : shared_->conns) total += conn.paid_received;
    return total;
}

Units HostilePeer::paid_cost() const {
    std::lock_guard lock(shared_->mutex);
    Units total = 0;
    for (auto const& [id, conn] : shared_->conns) total += conn.cost;
    return total;
}

std::vector<msg::Reject> HostilePeer::rejects() const {
    std::lock_guard lock(shared_->mutex);
    std::vector<msg::Reject> out;
    for (auto const& [id, conn] : shared_->conns) {
        out.insert(out.end(), conn.rejects.begin(), conn.rejects.end());
    }
    return out;
}

ProofContext HostilePeer::proof_context(HostileConn const& conn, tron::Address const& payer) {
    if (!conn.seller_hello || !conn.seller_hello->offer) {
        throw std::logic_error("no offer on this connection");
    }
    auto const& offer = *conn.seller_hello->offer;
    return ProofContext{.info_hash_hex = conn.torrent,
                        .asset = offer.asset,
                        .payee = offer.payee,
                        .payer = payer,
                        .seeder_nonce = conn.seller_hello->nonce,
                        .payer_nonce = conn.our_nonce,
                        .seeder_peer_id = conn.seller_peer_id,
                        .payer_peer_id = conn.our_peer_id};
}

msg::Prove HostilePeer::prove(HostileConn const& conn, tron::PrivateKey const& signer,
                              tron::Address const& claimed) {
    return msg::Prove{claimed,
                      tron::sign_message(signer, proof_text(proof_context(conn, claimed)))};
}

}  // namespace lanetorrent::lanes::test
