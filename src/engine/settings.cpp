#include "engine/settings.hpp"

#include <libtorrent/alert.hpp>
#include <libtorrent/fingerprint.hpp>
#include <random>
#include <set>
#include <sstream>

#include "engine/version.hpp"

namespace lanetorrent {

std::string single_listen_ip(std::string const& listen_interfaces) {
    std::set<std::string> ips;
    std::stringstream items(listen_interfaces);
    for (std::string item; std::getline(items, item, ',');) {
        auto const endpoint = parse_endpoint(item);
        if (!endpoint) return {};  // a device name such as "eth0": no single IP
        ips.insert(endpoint->address);
    }
    if (ips.size() != 1) return {};
    auto const ip = *ips.begin();
    return ip == "0.0.0.0" || ip == "::" ? std::string{} : ip;
}

std::string generate_peer_id() {
    static constexpr char alphabet[] =
        "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::random_device random;
    std::uniform_int_distribution<std::size_t> pick(0, sizeof(alphabet) - 2);
    std::string id = lt::generate_fingerprint("LN", 0, 1, 0, 0);
    while (id.size() < 20) id += alphabet[pick(random)];
    return id;
}

lt::settings_pack to_settings_pack(EngineSettings const& s) {
    using sp = lt::settings_pack;
    sp pack;
    pack.set_str(sp::user_agent, user_agent());
    // A full 20-byte id rather than libtorrent's prefix plus per-torrent random tail: the lane
    // protocol's proofs bind both peers' ids, so each side must know the id it presents.
    pack.set_str(sp::peer_fingerprint, s.peer_id);
    pack.set_str(sp::listen_interfaces, s.listen_interfaces);
    pack.set_str(sp::outgoing_interfaces, single_listen_ip(s.listen_interfaces));
    pack.set_int(sp::max_retry_port_bind, s.try_next_ports ? 10 : 0);
    pack.set_bool(sp::listen_system_port_fallback, s.try_next_ports);

    auto const policy = s.encryption == EngineSettings::Encryption::require   ? sp::pe_forced
                        : s.encryption == EngineSettings::Encryption::disable ? sp::pe_disabled
                                                                              : sp::pe_enabled;
    pack.set_int(sp::out_enc_policy, policy);
    pack.set_int(sp::in_enc_policy, policy);
    // Required means RC4 only: libtorrent's "both" would let a peer settle for plaintext headers.
    pack.set_int(sp::allowed_enc_level,
                 s.encryption == EngineSettings::Encryption::require ? sp::pe_rc4 : sp::pe_both);
    if (!s.proxy_host.empty()) {
        pack.set_int(sp::proxy_type,
                     s.proxy_type == EngineSettings::ProxyType::http ? sp::http : sp::socks5);
        pack.set_str(sp::proxy_hostname, s.proxy_host);
        pack.set_int(sp::proxy_port, s.proxy_port);
        pack.set_bool(sp::proxy_peer_connections, true);
        pack.set_bool(sp::proxy_tracker_connections, true);
        pack.set_bool(sp::proxy_hostnames, true);
    } else {
        pack.set_int(sp::proxy_type, sp::none);
    }

    pack.set_bool(sp::enable_dht, s.dht);
    if (!s.dht) pack.set_str(sp::dht_bootstrap_nodes, "");
    pack.set_bool(sp::enable_lsd, s.lsd);
    pack.set_bool(sp::enable_upnp, s.upnp);
    pack.set_bool(sp::enable_natpmp, s.upnp);
    pack.set_bool(sp::enable_outgoing_utp, s.outgoing_utp);
    pack.set_bool(sp::enable_incoming_utp, s.incoming_utp);
    // libtorrent throttles TCP peers when uTP peers are present (peer_proportional); that would
    // make limits and lanes depend on which transport a peer happened to use.
    pack.set_int(sp::mixed_mode_algorithm, sp::prefer_tcp);

    pack.set_int(sp::upload_rate_limit, s.upload_limit);
    // Limits mean payload, as in qBittorrent's default: a user's "2 MiB/s" and a lane's share
    // are about the data, and libtorrent's overhead estimate would shave 2-5 % off each.
    pack.set_bool(sp::rate_limit_ip_overhead, false);
    pack.set_int(sp::download_rate_limit, s.download_limit);

    // No queue caps: libtorrent's defaults (5 active seeds, 3 downloads) silently stop seeding
    // every torrent beyond the fifth. Torrents are also added without auto-management.
    pack.set_int(sp::active_downloads, -1);
    pack.set_int(sp::active_seeds, -1);
    pack.set_int(sp::active_limit, -1);
    pack.set_int(sp::active_checking, 1);
    pack.set_int(sp::active_tracker_limit, -1);
    pack.set_int(sp::active_dht_limit, -1);
    pack.set_int(sp::active_lsd_limit, -1);
    // Every tracker the user lists is announced to (qBittorrent's "always announce to all
    // trackers"): otherwise one tracker still waiting for an answer holds back the rest of its
    // tier, and a reannounce the user asked for on another tracker never leaves.
    pack.set_bool(sp::announce_to_all_trackers, true);
    pack.set_bool(sp::announce_to_all_tiers, true);

    pack.set_int(sp::min_reconnect_time, s.min_reconnect_seconds);
    pack.set_int(sp::connections_limit, s.connections_limit);
    pack.set_int(sp::inactivity_timeout, s.no_interest_timeout_seconds);
    pack.set_int(sp::stop_tracker_timeout, 2);
    // Thousands of torrents produce bursts of alerts at startup; dropped alerts lose state.
    pack.set_int(sp::alert_queue_size, 100000);
    pack.set_int(sp::alert_mask, lt::alert_category::error | lt::alert_category::status |
                                     lt::alert_category::storage | lt::alert_category::connect |
                                     lt::alert_category::tracker |
                                     lt::alert_category::performance_warning);
    return pack;
}

}  // namespace lanetorrent
