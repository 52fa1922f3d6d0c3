#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

// Independent BitTorrent programs, each on its own loopback address with DHT, LSD, PEX, UPnP and
// uTP off, set up the way that was measured to work on loopback (Debian 12: opentracker,
// Transmission 3.00, aria2 1.36). Each keeps its settings and logs (`<name>.stdout`,
// `<name>.stderr`) in the `dir` it is given, and each is a Process, so it stops when its object
// goes away.
namespace lanetorrent::test {

enum class Role {
    kSeeder,      // has the complete payload in its data directory; runs until stopped
    kDownloader,  // exits by itself, with 0, once it has the complete payload
};

class Opentracker {
  public:
    // Only reserves an address and a port, so a torrent can carry announce_url() before the
    // tracker, which must know the torrent's info-hash, starts.
    explicit Opentracker(const std::filesystem::path& dir);

    const std::string& ip() const { return ip_; }
    std::uint16_t port() const { return port_; }
    std::string announce_url() const;

    // Starts the tracker allowing only `info_hashes` (hex; Debian builds opentracker in whitelist
    // mode) and waits until it answers. Throws std::runtime_error if it does not.
    void start(const std::vector<std::string>& info_hashes);

    // The number of seeders the tracker lists for `info_hash`, from a scrape; nullopt if the
    // scrape fails.
    std::optional<int> seeders(const std::string& info_hash) const;
    // Waits until the tracker lists at least `count` seeders, so a downloader that announces next
    // learns about them on its first announce.
    bool wait_for_seeders(const std::string& info_hash, int count,
                          std::chrono::milliseconds timeout) const;

    Process& process() { return *process_; }

  private:
    bool accepts(const std::string& info_hash) const;

    std::filesystem::path dir_;
    std::string ip_;
    std::uint16_t port_;
    std::unique_ptr<Process> process_;
};

// An independent client on its own loopback address and a free port, run as a Process.
class LoopbackPeer {
  public:
    const std::string& ip() const { return ip_; }
    std::uint16_t port() const { return port_; }
    std::string endpoint() const;  // "IP:PORT"
    Process& process() { return *process_; }

  protected:
    LoopbackPeer();
    // Runs argv and waits until it listens on ip():port(); throws with its stderr if it does not.
    void launch(const std::string& name, const std::vector<std::string>& argv,
                const std::filesystem::path& log_dir);

    std::string ip_;
    std::uint16_t port_;

  private:
    std::unique_ptr<Process> process_;
};

// transmission-cli 3.00. It never connects to loopback peers a tracker hands out, but accepts
// incoming connections, so a seeder on the other side has to connect to endpoint() itself.
class TransmissionPeer : public LoopbackPeer {
  public:
    // Starts transmission-cli on `torrent` (a .torrent file or a magnet link) with its payload in
    // `data_dir`, and waits until it listens.
    TransmissionPeer(Role role, const std::filesystem::path& dir,
                     const std::filesystem::path& data_dir, const std::string& torrent,
                     const std::string& name = "transmission");
};

// aria2c 1.36, TCP only. As a seeder it re-announces every second and checks the payload first.
class Aria2Peer : public LoopbackPeer {
  public:
    // Starts aria2c on the .torrent file `torrent` with its payload in `data_dir`, and waits until
    // it listens. It stops by itself after `lifetime` in any case.
    Aria2Peer(Role role, const std::filesystem::path& dir, const std::filesystem::path& data_dir,
              const std::filesystem::path& torrent, const std::string& name = "aria2",
              std::chrono::seconds lifetime = std::chrono::seconds(240));
};

// Writes a v1 .torrent of `content` (a file or a directory) with transmission-create: a torrent
// made by an independent program. `piece_kib` 0 lets transmission-create choose.
void create_torrent_with_transmission(const std::filesystem::path& content,
                                      const std::filesystem::path& torrent,
                                      const std::vector<std::string>& trackers = {},
                                      int piece_kib = 0);

}  // namespace lanetorrent::test
