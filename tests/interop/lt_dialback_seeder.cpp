// A plain libtorrent 2.0.8 seeder that keeps dialling the peers it is given (every 200 ms), as a
// seeder that connects back to a downloader does. libtorrent's own defaults otherwise (uTP both
// ways, which it tries first when dialling), except DHT, LSD, UPnP and NAT-PMP, which are off.
//
// Usage: lanetorrent-test-lt-dialback-seeder [--tcp-only] TORRENT DATA_DIR LISTEN_IP:PORT
//                                             [DIAL_IP:PORT ...]
// Prints "listening IP:PORT" and "checked" lines; runs until SIGTERM or SIGINT.
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/settings_pack.hpp>
#include <libtorrent/torrent_info.hpp>

#include <chrono>
#include <csignal>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

namespace {

volatile std::sig_atomic_t stop_requested = 0;

lt::tcp::endpoint endpoint_of(std::string const& text) {
    auto const colon = text.rfind(':');
    return {lt::make_address(text.substr(0, colon)),
            static_cast<std::uint16_t>(std::stoi(text.substr(colon + 1)))};
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    bool tcp_only = false;
    if (!args.empty() && args.front() == "--tcp-only") {
        tcp_only = true;
        args.erase(args.begin());
    }
    if (args.size() < 3) {
        std::cerr << "usage: lanetorrent-test-lt-dialback-seeder [--tcp-only] TORRENT DATA_DIR "
                     "LISTEN_IP:PORT [DIAL_IP:PORT ...]\n";
        return 2;
    }
    std::signal(SIGTERM, [](int) { stop_requested = 1; });
    std::signal(SIGINT, [](int) { stop_requested = 1; });
    try {
        auto const listen = endpoint_of(args[2]);
        lt::settings_pack pack;
        pack.set_str(lt::settings_pack::listen_interfaces, args[2]);
        pack.set_str(lt::settings_pack::outgoing_interfaces, listen.address().to_string());
        pack.set_bool(lt::settings_pack::enable_dht, false);
        pack.set_bool(lt::settings_pack::enable_lsd, false);
        pack.set_bool(lt::settings_pack::enable_upnp, false);
        pack.set_bool(lt::settings_pack::enable_natpmp, false);
        pack.set_int(lt::settings_pack::min_reconnect_time, 1);
        if (tcp_only) {
            pack.set_bool(lt::settings_pack::enable_outgoing_utp, false);
            pack.set_bool(lt::settings_pack::enable_incoming_utp, false);
        }
        pack.set_int(lt::settings_pack::alert_mask,
                     lt::alert_category::error | lt::alert_category::status);
        lt::session session(pack);
        lt::add_torrent_params params;
        params.ti = std::make_shared<lt::torrent_info>(args[0]);
        params.save_path = args[1];
        params.flags &= ~(lt::torrent_flags::auto_managed | lt::torrent_flags::paused);
        auto torrent = session.add_torrent(params);
        std::vector<lt::tcp::endpoint> dial;
        for (std::size_t i = 3; i < args.size(); ++i) dial.push_back(endpoint_of(args[i]));

        bool listening = false;
        while (!stop_requested) {
            std::vector<lt::alert*> alerts;
            session.pop_alerts(&alerts);
            for (auto const* a : alerts) {
                if (auto const* l = lt::alert_cast<lt::listen_succeeded_alert>(a)) {
                    if (l->socket_type == lt::socket_type_t::tcp && !listening) {
                        listening = true;
                        std::cout << "listening " << l->address << ":" << l->port << std::endl;
                    }
                } else if (a->type() == lt::torrent_checked_alert::alert_type) {
                    std::cout << "checked" << std::endl;
                } else if (a->category() & lt::alert_category::error) {
                    std::cerr << a->message() << std::endl;
                }
            }
            for (auto const& peer : dial) torrent.connect_peer(peer);
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        }
    } catch (std::exception const& e) {
        std::cerr << "lanetorrent-test-lt-dialback-seeder: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
