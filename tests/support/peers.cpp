#include "peers.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "net.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::test {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartTimeout = 20s;

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out.flush()) {
        throw std::runtime_error("cannot write " + path.string());
    }
}

void wait_until_listening_or_throw(Process& process, const std::string& ip, std::uint16_t port) {
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (!wait_until_listening(ip, port, 200ms)) {
        if (!process.running() || std::chrono::steady_clock::now() >= deadline) {
            throw std::runtime_error(process.name() + " is not listening on " + ip + ":" +
                                     std::to_string(port) + "; stderr: " + process.stderr_text() +
                                     "; stdout: " + process.stdout_text());
        }
    }
}

// The 20 raw bytes of a hex info-hash, as a tracker query wants them.
std::string percent_encoded(const std::string& info_hash) {
    if (info_hash.size() != 40) {
        throw std::invalid_argument("not a hex info-hash: " + info_hash);
    }
    std::string result;
    for (std::size_t i = 0; i < info_hash.size(); i += 2) {
        result += "%" + info_hash.substr(i, 2);
    }
    return result;
}

}  // namespace

Opentracker::Opentracker(const std::filesystem::path& dir)
    : dir_(dir), ip_(unique_loopback_ip()), port_(free_port(ip_)) {}

std::string Opentracker::announce_url() const {
    return "http://" + ip_ + ":" + std::to_string(port_) + "/announce";
}

void Opentracker::start(const std::vector<std::string>& info_hashes) {
    namespace fs = std::filesystem;
    if (info_hashes.empty()) {
        throw std::invalid_argument("an opentracker with an empty whitelist refuses everything");
    }
    // Run as root, opentracker chroots into -d and becomes nobody, so -w names a path inside the
    // chroot that nobody must be able to read. As another user it only changes directory.
    const fs::path root = dir_ / "root";
    fs::create_directories(root);
    std::string whitelist;
    for (const auto& hash : info_hashes) {
        whitelist += hash + "\n";
    }
    write_text(root / "whitelist.txt", whitelist);
    fs::permissions(root, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(root / "whitelist.txt", fs::perms::owner_read | fs::perms::owner_write |
                                                fs::perms::group_read | fs::perms::others_read);
    const std::string whitelist_arg =
        ::geteuid() == 0 ? "/whitelist.txt" : (root / "whitelist.txt").string();
    const std::string port = std::to_string(port_);
    process_ = std::make_unique<Process>(
        "opentracker",
        std::vector<std::string>{"opentracker", "-i", ip_, "-p", port, "-P", port, "-d",
                                 root.string(), "-w", whitelist_arg},
        dir_);
    // A thread of its own loads the whitelist: wait until announces are accepted, not only until
    // the port is open.
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    for (const auto& hash : info_hashes) {
        while (!accepts(hash)) {
            if (!process_->running() || std::chrono::steady_clock::now() >= deadline) {
                throw std::runtime_error("opentracker on " + ip_ + ":" + port +
                                         " does not accept " + hash +
                                         "; stderr: " + process_->stderr_text());
            }
            std::this_thread::sleep_for(100ms);
        }
    }
}

bool Opentracker::accepts(const std::string& info_hash) const {
    // A "stopped" announce for a peer that never started changes nothing, but it fails with
    // "Requested download is not authorized" until the whitelist is loaded.
    const std::optional<std::string> body =
        http_get(ip_, port_,
                 "/announce?info_hash=" + percent_encoded(info_hash) +
                     "&peer_id=-LT0000-probeprobepr&port=9&uploaded=0&downloaded=0&left=0"
                     "&compact=1&event=stopped");
    return body && body->find("failure reason") == std::string::npos;
}

std::optional<int> Opentracker::seeders(const std::string& info_hash) const {
    const std::optional<std::string> body =
        http_get(ip_, port_, "/scrape?info_hash=" + percent_encoded(info_hash));
    // d5:filesd20:<hash>d8:completei<N>e...ee; a hash nobody announced yet is simply missing.
    if (!body || !body->starts_with("d5:files")) {
        return std::nullopt;
    }
    const std::size_t key = body->find("8:completei");
    if (key == std::string::npos) {
        return 0;
    }
    return std::stoi(body->substr(key + 11));
}

bool Opentracker::wait_for_seeders(const std::string& info_hash, int count,
                                   std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (seeders(info_hash).value_or(0) < count) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return false;
        }
        std::this_thread::sleep_for(100ms);
    }
    return true;
}

LoopbackPeer::LoopbackPeer() : ip_(unique_loopback_ip()), port_(free_port(ip_)) {}

void LoopbackPeer::launch(const std::string& name, const std::vector<std::string>& argv,
                          const std::filesystem::path& log_dir) {
    process_ = std::make_unique<Process>(name, argv, log_dir);
    wait_until_listening_or_throw(*process_, ip_, port_);
}

std::string LoopbackPeer::endpoint() const {
    return ip_ + ":" + std::to_string(port_);
}

TransmissionPeer::TransmissionPeer(Role role, const std::filesystem::path& dir,
                                   const std::filesystem::path& data_dir,
                                   const std::string& torrent, const std::string& name) {
    const std::filesystem::path config = dir / (name + "-config");
    std::filesystem::create_directories(config);
    std::filesystem::create_directories(data_dir);
    const bool downloader = role == Role::kDownloader;
    const nlohmann::json settings = {
        // Binds the listener, outgoing peer connections and the tracker requests.
        {"bind-address-ipv4", ip_},
        // Otherwise it also listens on [::].
        {"bind-address-ipv6", "::1"},
        {"peer-port", port_},
        {"peer-port-random-on-start", false},
        {"dht-enabled", false},
        {"lpd-enabled", false},
        {"pex-enabled", false},
        {"utp-enabled", false},
        {"port-forwarding-enabled", false},
        {"blocklist-enabled", false},
        {"rpc-enabled", false},
        {"encryption", 0},  // prefer plaintext
        {"preallocation", 0},
        {"rename-partial-files", false},
        {"incomplete-dir-enabled", false},
        {"download-dir", data_dir.string()},
        {"download-queue-enabled", false},
        {"seed-queue-enabled", false},
        {"queue-stalled-enabled", false},
        {"speed-limit-down-enabled", false},
        {"speed-limit-up-enabled", false},
        {"alt-speed-enabled", false},
        {"idle-seeding-limit-enabled", false},
        {"script-torrent-done-enabled", false},
        {"watch-dir-enabled", false},
        // transmission-cli leaves its main loop only once the torrent is stopped; a ratio limit
        // of 0 stops a downloader right after it completes.
        {"ratio-limit-enabled", downloader},
        {"ratio-limit", 0},
    };
    write_text(config / "settings.json", settings.dump(2));
    launch(name, {"transmission-cli", "-g", config.string(), "-w", data_dir.string(), torrent},
           dir);
}

Aria2Peer::Aria2Peer(Role role, const std::filesystem::path& dir,
                     const std::filesystem::path& data_dir, const std::filesystem::path& torrent,
                     const std::string& name, std::chrono::seconds lifetime) {
    std::filesystem::create_directories(data_dir);
    std::vector<std::string> argv{
        "aria2c",
        "--no-conf=true",
        "--dir=" + data_dir.string(),
        // Binds the listener, peer connections and tracker requests.
        "--interface=" + ip_,
        "--listen-port=" + std::to_string(port_),
        "--enable-dht=false",
        "--enable-dht6=false",
        "--bt-enable-lpd=false",
        "--enable-peer-exchange=false",
        "--disable-ipv6=true",
        // The default preallocation writes the whole file before downloading.
        "--file-allocation=none",
        // Overrides the tracker's (long) interval: a downloader that announced before the
        // seeder, or a seeder looking for a leecher, learns about the other side within a second.
        "--bt-tracker-interval=1",
        "--summary-interval=1",
        "--enable-color=false",
        "--stop=" + std::to_string(lifetime.count()),
    };
    if (role == Role::kSeeder) {
        argv.insert(argv.end(), {"--check-integrity=true", "--bt-hash-check-seed=true",
                                 // 0.0 means seed regardless of ratio, until --stop.
                                 "--seed-ratio=0.0"});
    } else {
        // Exit (about 2 s) after completing.
        argv.insert(argv.end(), {"--seed-time=0"});
    }
    argv.push_back(torrent.string());
    launch(name, argv, dir);
}

void create_torrent_with_transmission(const std::filesystem::path& content,
                                      const std::filesystem::path& torrent,
                                      const std::vector<std::string>& trackers, int piece_kib) {
    std::vector<std::string> argv{"transmission-create", "-o", torrent.string()};
    for (const auto& tracker : trackers) {
        argv.insert(argv.end(), {"-t", tracker});
    }
    if (piece_kib > 0) {
        argv.insert(argv.end(), {"-s", std::to_string(piece_kib)});
    }
    argv.push_back(content.string());
    const TempDir logs("transmission-create");
    Process process("transmission-create", argv, logs.path());
    const std::optional<int> status = process.wait_for(120s);
    if (status != 0 || !std::filesystem::exists(torrent)) {
        throw std::runtime_error("transmission-create failed: " + process.stdout_text() +
                                 process.stderr_text());
    }
}

}  // namespace lanetorrent::test
