// The engine's settings, with the defaults a 24/7 seeding client needs. Each field says why it
// differs from libtorrent's default where it does.
#pragma once

#include <chrono>
#include <string>

#include <libtorrent/settings_pack.hpp>

#include "engine/endpoint.hpp"

namespace lanetorrent {

// "-LN0100-" and 12 random characters: new for every session, as BitTorrent clients do, so the
// id does not follow a user across restarts.
std::string generate_peer_id();

struct EngineSettings {
    // libtorrent's listen_interfaces syntax. When every interface is one IP (e.g.
    // "127.0.0.5:6881"), outgoing connections and tracker announces also leave from that IP:
    // trackers hand out the announce's source address, so this is what lets several clients
    // share one machine.
    std::string listen_interfaces = "0.0.0.0:6881,[::]:6881";
    // When the port is taken, try the next ones (libtorrent's behaviour). Off when the user named
    // an exact address: peers and scripts expect us there, so a busy port must be an error.
    bool try_next_ports = true;

    bool dht = true;
    bool lsd = true;   // local service discovery
    bool upnp = true;  // UPnP and NAT-PMP port mapping
    bool pex = true;   // peer exchange

    // BitTorrent protocol encryption (MSE/PE), as qBittorrent offers it: prefer it and accept
    // both, require it (plaintext peers are refused), or never use it.
    enum class Encryption { prefer, require, disable };
    Encryption encryption = Encryption::prefer;

    // A proxy for peer and tracker connections; none when `proxy_host` is empty.
    enum class ProxyType { socks5, http };
    ProxyType proxy_type = ProxyType::socks5;
    std::string proxy_host;
    int proxy_port = 1080;
    // We accept uTP from peers that prefer it, but dial TCP: libtorrent tries uTP first on
    // outgoing connections, and its uTP moved data 8x slower and at 4x the CPU of TCP between two
    // of our peers on loopback (docs/bench.md), cost ~4 s of fallback per TCP-only peer (aria2),
    // and peer classes, which lanes rely on, are simplest to reason about on TCP.
    bool outgoing_utp = false;
    bool incoming_utp = true;

    // Session-wide limits in bytes/s, 0 = unlimited. Unlike libtorrent's default they also bind
    // LAN and loopback peers: a limit the user set should hold for every peer.
    int upload_limit = 0;
    int download_limit = 0;

    // How often torrents whose state changed get their resume data rewritten; each save is one
    // small file per changed torrent. After a crash the pieces written since the last save are
    // found by a hash check; the saves keep the rest (peers, priorities, totals) current.
    std::chrono::seconds resume_save_interval{10};
    // How often a torrent stopped by a full disk or a read-only save path looks again whether it
    // can go on (one statvfs); failed retries back off up to five minutes.
    std::chrono::seconds disk_retry_interval{5};
    // How often the engine posts progress events.
    std::chrono::milliseconds status_interval{1000};

    // libtorrent waits 60 s before redialling a peer that refused a connection; one early refusal
    // (a peer that was still starting) would then stall a transfer for a minute.
    int min_reconnect_seconds = 10;

    // Open peer connections, all torrents together. libtorrent's default is 200; a session
    // seeding hundreds of torrents needs a few per torrent, and qBittorrent uses 500.
    int connections_limit = 500;
    // A connection on which neither side has wanted anything for this long is closed when the
    // session is (nearly) out of connection slots. libtorrent waits 10 minutes; with many small
    // torrents two downloaders filled each other's slots with such connections, for torrents
    // neither had yet, and stopped both for those 10 minutes while the seeder sat idle
    // (docs/soak.md).
    int no_interest_timeout_seconds = 20;

    // The 20-byte peer id this session presents on every connection (generate_peer_id()).
    std::string peer_id = generate_peer_id();

    // Switch off everything that discovers or maps beyond this machine. Used with loopback
    // listen addresses: DHT, LSD and UPnP cannot work there and would only send traffic out.
    void make_local_only() { dht = lsd = upnp = pex = false; }
};

// The single IP every listen interface uses, if there is exactly one (the outgoing interface).
std::string single_listen_ip(std::string const& listen_interfaces);

lt::settings_pack to_settings_pack(EngineSettings const& settings);

}  // namespace lanetorrent
