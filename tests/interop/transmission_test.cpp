// lanetorrent-cli and Transmission 3.00 exchanging data in both directions on loopback.
#include <gtest/gtest.h>

#include <csignal>

#include "cli.hpp"
#include "files.hpp"
#include "interop_test.hpp"
#include "net.hpp"
#include "peers.hpp"

namespace lanetorrent::test {
namespace {

using namespace std::chrono_literals;

class TransmissionInterop : public InteropTest {};

constexpr std::uint64_t kMiB = 1024 * 1024;

// A torrent made by transmission-create and seeded by Transmission; the CLI finds the seeder
// through the tracker (Transmission accepts incoming loopback connections).
TEST_F(TransmissionInterop, CliDownloadsFromTransmissionThroughTracker) {
    const auto content = dir("seed") / "transmission-tracker.bin";
    write_random_file(content, 16 * kMiB, 101);
    Opentracker tracker(dir("tracker"));
    const auto torrent = root() / "transmission-tracker.torrent";
    create_torrent_with_transmission(content, torrent, {tracker.announce_url()});
    const std::string hash = info_hash(torrent.string());
    tracker.start({hash});

    TransmissionPeer seeder(Role::kSeeder, dir("transmission"), dir("seed"), torrent.string());
    ASSERT_TRUE(tracker.wait_for_seeders(hash, 1, 60s)) << "Transmission never announced";

    auto cli = start_cli("download", dir("profile"),
                         {"download", torrent.string(), "--save", dir("download").string(),
                          "--listen", unique_loopback_ip() + ":0", "--timeout",
                          std::to_string(kTransferTimeoutSeconds), "--json"});
    const nlohmann::json done = expect_done(*cli, 0);
    EXPECT_TRUE(files_identical(content, dir("download") / content.filename()));
    EXPECT_GE(done.value("downloaded", std::int64_t{0}), static_cast<std::int64_t>(16 * kMiB));
}

// No tracker at all: the CLI is told where the seeder is.
TEST_F(TransmissionInterop, CliDownloadsFromTransmissionWithPeerOnly) {
    const auto content = dir("seed") / "transmission-peer.bin";
    write_random_file(content, 16 * kMiB, 102);
    const auto torrent = root() / "transmission-peer.torrent";
    create_torrent_with_transmission(content, torrent);

    TransmissionPeer seeder(Role::kSeeder, dir("transmission"), dir("seed"), torrent.string());
    auto cli = start_cli("download", dir("profile"),
                         {"download", torrent.string(), "--save", dir("download").string(),
                          "--listen", unique_loopback_ip() + ":0", "--peer", seeder.endpoint(),
                          "--timeout", std::to_string(kTransferTimeoutSeconds), "--json"});
    expect_done(*cli, 0);
    EXPECT_TRUE(files_identical(content, dir("download") / content.filename()));
}

// Transmission downloads a multi-file torrent made by the CLI. It ignores loopback peers from
// the tracker, so the seeder connects out to it with --peer; the tracker is in the loop anyway,
// as it would be for a real swarm.
TEST_F(TransmissionInterop, TransmissionDownloadsFromCliSeed) {
    const auto content = dir("seed") / "transmission-leech";
    write_random_file(content / "video.bin", 10 * kMiB, 103);
    write_random_file(content / "extras" / "notes.bin", 3 * kMiB + 12345, 104);
    write_random_file(content / "extras" / "tiny.bin", 777, 105);
    Opentracker tracker(dir("tracker"));
    const auto torrent = root() / "transmission-leech.torrent";
    ASSERT_NO_FATAL_FAILURE(
        create_torrent(content, torrent, {"--tracker", tracker.announce_url()}));
    const std::string hash = info_hash(torrent.string());
    tracker.start({hash});

    TransmissionPeer leecher(Role::kDownloader, dir("transmission"), dir("download"),
                             torrent.string());
    auto seed = start_cli("seed", dir("profile"),
                          {"seed", torrent.string(), "--data", dir("seed").string(), "--listen",
                           unique_loopback_ip() + ":0", "--peer", leecher.endpoint(), "--seconds",
                           std::to_string(kTransferTimeoutSeconds + 60), "--json"});

    EXPECT_EQ(leecher.process().wait_for(kProcessTimeout), 0)
        << "transmission-cli exits 0 once it has every piece";
    EXPECT_EQ(differing_files(content, dir("download") / content.filename()),
              std::vector<std::string>{});

    // A clean stop of a seeder is a success.
    seed->signal(SIGTERM);
    const nlohmann::json done = expect_done(*seed, 0, 30s);
    EXPECT_GE(done.value("uploaded", std::int64_t{0}), static_cast<std::int64_t>(13 * kMiB));
}

}  // namespace
}  // namespace lanetorrent::test
