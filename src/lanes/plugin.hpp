// The network-thread half of lanes: a libtorrent plugin that speaks the ln_lanes extension on
// every BitTorrent connection, counts each connection's payload bytes, and hands everything to the
// app thread as plain values. It decides nothing: verification, lanes, money and disk all happen
// on the app thread (LaneService), because libtorrent's network thread must never wait.
//
// App thread -> network thread: the command methods below post to the session's io_context (the
// same thread that runs every plugin callback), so they take effect at once, not at the next tick.
// Network thread -> app thread: a locked queue that take_events() drains.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <libtorrent/extensions.hpp>
#include <libtorrent/session_handle.hpp>

#include "engine/torrent_id.hpp"
#include "lanes/protocol.hpp"

namespace lanetorrent::lanes {

using ConnectionId = std::uint64_t;

namespace wire {

// A BitTorrent connection was attached to a torrent (one we dialled: once it has connected, when
// libtorrent has given it its peer classes). Counters start at zero here.
struct Opened {
    ConnectionId conn = 0;
    TorrentId torrent;
    std::string ip;
    int port = 0;
    bool incoming = false;
    Nonce our_nonce{};
    // The peer classes libtorrent gave it, as a bitmask of class ids 0-31. Read here, on the
    // network thread: the class filter changes while connections are in their handshakes, so
    // what it says when the app thread hears of a connection may not be what the connection got.
    std::uint32_t classes = 0;
};
// The peer's extended handshake. hello is empty for peers that do not speak ln_lanes (they stay in
// the slow lane); hello_error says why if what they sent could not be read.
struct HelloReceived {
    ConnectionId conn = 0;
    std::array<std::uint8_t, 20> peer_id{};
    std::array<std::uint8_t, 20> our_peer_id{};
    std::string client;
    int listen_port = 0;  // the handshake's "p", 0 if absent
    std::optional<Hello> hello;
    std::string hello_error;
};
// A complete ln_lanes message. message is empty (and error set) when it could not be decoded;
// empty with no error for a type we do not know. sent/received: the connection's payload counters
// when it arrived, so billing can start exactly at a grant.
struct Incoming {
    ConnectionId conn = 0;
    std::optional<Message> message;
    std::string error;
    std::int64_t sent = 0;
    std::int64_t received = 0;
};
// Cumulative payload counters, reported about once a second while they change.
struct Traffic {
    ConnectionId conn = 0;
    std::int64_t sent = 0;
    std::int64_t received = 0;
    bool peer_is_seed = false;
};
// A grant was queued for sending; every payload byte queued after it is in the new lane.
struct GrantQueued {
    ConnectionId conn = 0;
    std::int64_t sent = 0;
};
struct Closed {
    ConnectionId conn = 0;
    std::int64_t sent = 0;
    std::int64_t received = 0;
    std::string reason;
};

}  // namespace wire

using PluginEvent = std::variant<wire::Opened, wire::HelloReceived, wire::Incoming, wire::Traffic,
                                 wire::GrantQueued, wire::Closed>;

class LanePlugin : public lt::plugin {
  public:
    LanePlugin();
    ~LanePlugin() override;

    // --- app thread ---
    // What we sell, announced in handshakes from now on (empty: we sell nothing).
    void set_offer(std::optional<Offer> offer);
    std::vector<PluginEvent> take_events();
    // Called from the network thread when events are waiting; must only wake the app thread.
    void set_wakeup(std::function<void()> wakeup);

    void send(ConnectionId conn, Message const& message);
    void send_grant(ConnectionId conn, msg::Grant const& grant);  // reports GrantQueued
    void disconnect(ConnectionId conn);
    // After a lane class starts ignoring unchoke slots: unchoke now rather than at the next
    // unchoke round (up to 15 s away).
    void unchoke(ConnectionId conn);
    // On a seller, a new connection's requests are not served until the app thread has put it
    // in its lane's peer class and calls this (its classes may leave its handshakes unthrottled;
    // docs/lanes.md, Quota ticks). Posted after the class limits that the same call set.
    void attach(ConnectionId conn);
    // While held, a finished connection (both sides seeds) stays open for a settlement in
    // progress, up to 90 s after both became seeds, instead of closing once lane talk is quiet.
    void hold_open(ConnectionId conn, bool held);
    // A paid connection's credit as a hard stop on the network thread: once the payload sent on
    // it reaches `paid_until` (its cumulative sent counter), the peer is choked and its requests
    // are not served until a higher fence, or none (empty), is set. The app thread still decides
    // lanes; the fence only keeps its decision from arriving late.
    void set_fence(ConnectionId conn, std::optional<std::int64_t> paid_until);

    // --- libtorrent (network thread) ---
    void added(lt::session_handle const& session) override;
    std::shared_ptr<lt::torrent_plugin> new_torrent(lt::torrent_handle const& torrent,
                                                    lt::client_data_t) override;

    struct Shared;  // state the network thread and the app thread share

  private:
    void post(std::function<void(Shared&)> job);

    std::shared_ptr<Shared> shared_;
    std::optional<lt::session_handle> session_;
};

}  // namespace lanetorrent::lanes
