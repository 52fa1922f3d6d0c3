// lanetorrent-bench-bare: the smallest libtorrent seeder/downloader pair, used by bench/transfer
// as the ceiling that LaneTorrent's wrapper must not fall below.
//
// Session settings are libtorrent's defaults except what loopback needs: listen and connect from
// one 127.0.0.x address, DHT/LSD/UPnP/NAT-PMP off. Nothing is tuned. uTP is also off unless
// --utp is given: libtorrent tries uTP first on outgoing connections, aria2 and Transmission speak
// TCP, and libtorrent's uTP on loopback is 4-40x slower than its TCP and erratic (docs/bench.md).
//
//   lanetorrent-bench-bare seed     TORRENT DATA_DIR LISTEN_IP:PORT [--utp]
//   lanetorrent-bench-bare download TORRENT SAVE_DIR LISTEN_IP:PORT PEER_IP:PORT [--utp]
//
// The seeder hash-checks DATA_DIR, prints "seeding <t>" and runs until SIGINT/SIGTERM (exit 1 if
// the data does not match). The downloader prints "first_byte <t>" when the first payload block
// has arrived and "finished <t>" once every piece has passed its hash check, then exits 0.
// <t> is wall-clock time in seconds since the Unix epoch.

#include <libtorrent/address.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/session_params.hpp>
#include <libtorrent/settings_pack.hpp>
#include <libtorrent/torrent_handle.hpp>
#include <libtorrent/torrent_info.hpp>
#include <libtorrent/torrent_status.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_signal(int /*signum*/) {
    g_stop = true;
}

void print_event(char const* name) {
    auto const now = std::chrono::system_clock::now().time_since_epoch();
    double const secs = std::chrono::duration<double>(now).count();
    std::printf("%s %.6f\n", name, secs);
    std::fflush(stdout);
}

// "127.0.0.2:6881" -> endpoint. Throws on a malformed address.
lt::tcp::endpoint parse_endpoint(std::string const& text) {
    auto const colon = text.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("expected IP:PORT, got " + text);
    return {lt::make_address(text.substr(0, colon)),
            static_cast<unsigned short>(std::stoul(text.substr(colon + 1)))};
}

int run(bool seed, std::string const& torrent, std::string const& dir, std::string const& listen,
        std::string const& peer, bool utp) {
    auto const listen_ep = parse_endpoint(listen);
    lt::settings_pack pack;
    pack.set_str(lt::settings_pack::listen_interfaces, listen);
    pack.set_str(lt::settings_pack::outgoing_interfaces, listen_ep.address().to_string());
    pack.set_bool(lt::settings_pack::enable_dht, false);
    pack.set_bool(lt::settings_pack::enable_lsd, false);
    pack.set_bool(lt::settings_pack::enable_upnp, false);
    pack.set_bool(lt::settings_pack::enable_natpmp, false);
    pack.set_bool(lt::settings_pack::enable_outgoing_utp, utp);
    pack.set_bool(lt::settings_pack::enable_incoming_utp, utp);
    // Alerts only (not a performance setting): block_progress is switched off after first_byte.
    auto const base_alerts = lt::alert_category::error | lt::alert_category::status;
    pack.set_int(lt::settings_pack::alert_mask,
                 static_cast<int>(base_alerts | (seed ? lt::alert_category_t{}
                                                      : lt::alert_category::block_progress)));
    lt::session ses(lt::session_params(std::move(pack)));

    lt::add_torrent_params atp;
    atp.ti = std::make_shared<lt::torrent_info>(torrent);
    atp.save_path = dir;
    lt::torrent_handle const h = ses.add_torrent(std::move(atp));

    lt::tcp::endpoint peer_ep;
    if (!seed) peer_ep = parse_endpoint(peer);
    bool first_byte = false;
    bool checked = false;
    auto last_connect = std::chrono::steady_clock::time_point{};

    while (!g_stop) {
        // The downloader (re)connects to the seeder whenever it has no peer, at most once a second.
        if (!seed && checked &&
            std::chrono::steady_clock::now() - last_connect > std::chrono::seconds(1)) {
            if (h.status({}).num_peers == 0) h.connect_peer(peer_ep);
            last_connect = std::chrono::steady_clock::now();
        }
        ses.wait_for_alert(std::chrono::milliseconds(100));
        std::vector<lt::alert*> alerts;
        ses.pop_alerts(&alerts);
        for (lt::alert const* a : alerts) {
            if (auto const* e = lt::alert_cast<lt::torrent_error_alert>(a)) {
                std::fprintf(stderr, "error: %s\n", e->message().c_str());
                return 1;
            }
            if (lt::alert_cast<lt::torrent_checked_alert>(a) != nullptr) {
                checked = true;
                if (seed) {
                    lt::torrent_status const st = h.status({});
                    if (!st.is_seeding) {
                        std::fprintf(stderr, "error: data in %s does not match: %d of %d pieces\n",
                                     dir.c_str(), st.num_pieces, h.torrent_file()->num_pieces());
                        return 1;
                    }
                    print_event("seeding");
                }
            } else if (!seed && !first_byte &&
                       lt::alert_cast<lt::block_finished_alert>(a) != nullptr) {
                print_event("first_byte");
                first_byte = true;
                lt::settings_pack quiet;
                quiet.set_int(lt::settings_pack::alert_mask, static_cast<int>(base_alerts));
                ses.apply_settings(std::move(quiet));
            } else if (!seed && lt::alert_cast<lt::torrent_finished_alert>(a) != nullptr) {
                print_event("finished");
                return 0;
            }
        }
    }
    return seed ? 0 : 1;  // a download interrupted before completion is a failure
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    bool const utp = !args.empty() && args.back() == "--utp";
    if (utp) args.pop_back();
    bool const seed = args.size() == 4 && args[0] == "seed";
    bool const download = args.size() == 5 && args[0] == "download";
    if (!seed && !download) {
        std::fprintf(stderr,
                     "usage: %s seed TORRENT DATA_DIR LISTEN_IP:PORT [--utp]\n"
                     "       %s download TORRENT SAVE_DIR LISTEN_IP:PORT PEER_IP:PORT [--utp]\n",
                     argv[0], argv[0]);
        return 2;
    }
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    try {
        return run(seed, args[1], args[2], args[3], download ? args[4] : std::string(), utp);
    } catch (std::exception const& ex) {
        std::fprintf(stderr, "error: %s\n", ex.what());
        return 1;
    }
}
