// lanetorrent-cli and aria2 1.36 exchanging data in both directions on loopback.
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

class Aria2Interop : public InteropTest {};

constexpr std::uint64_t kMiB = 1024 * 1024;

// A multi-file torrent made by transmission-create, seeded by aria2, found through the tracker.
TEST_F(Aria2Interop, CliDownloadsMultiFileFromAria2ThroughTracker) {
    const auto content = dir("seed") / "aria2-album";
    write_random_file(content / "01.bin", 9 * kMiB, 201);
    write_random_file(content / "02.bin", 5 * kMiB + 4321, 202);
    write_random_file(content / "cover" / "front.bin", 200 * 1024 + 1, 203);
    Opentracker tracker(dir("tracker"));
    const auto torrent = root() / "aria2-album.torrent";
    create_torrent_with_transmission(content, torrent, {tracker.announce_url()});
    const std::string hash = info_hash(torrent.string());
    tracker.start({hash});

    Aria2Peer seeder(Role::kSeeder, dir("aria2"), dir("seed"), torrent);
    ASSERT_TRUE(tracker.wait_for_seeders(hash, 1, 60s)) << "aria2 never announced as a seeder";

    auto cli = start_cli("download", dir("profile"),
                         {"download", torrent.string(), "--save", dir("download").string(),
                          "--listen", unique_loopback_ip() + ":0", "--timeout",
                          std::to_string(kTransferTimeoutSeconds), "--json"});
    expect_done(*cli, 0);
    EXPECT_EQ(differing_files(content, dir("download") / content.filename()),
              std::vector<std::string>{});
}

// A torrent made by the CLI, without trackers; the CLI is told where aria2 listens.
TEST_F(Aria2Interop, CliDownloadsFromAria2WithPeerOnly) {
    const auto content = dir("seed") / "aria2-peer.bin";
    write_random_file(content, 20 * kMiB + 99, 204);
    const auto torrent = root() / "aria2-peer.torrent";
    ASSERT_NO_FATAL_FAILURE(create_torrent(content, torrent));

    Aria2Peer seeder(Role::kSeeder, dir("aria2"), dir("seed"), torrent);
    auto cli = start_cli("download", dir("profile"),
                         {"download", torrent.string(), "--save", dir("download").string(),
                          "--listen", unique_loopback_ip() + ":0", "--peer", seeder.endpoint(),
                          "--timeout", std::to_string(kTransferTimeoutSeconds), "--json"});
    expect_done(*cli, 0);
    EXPECT_TRUE(files_identical(content, dir("download") / content.filename()));
}

// aria2 downloads a torrent made and seeded by the CLI, finding the seeder through the tracker.
TEST_F(Aria2Interop, Aria2DownloadsFromCliSeedThroughTracker) {
    const auto content = dir("seed") / "aria2-leech.bin";
    write_random_file(content, 24 * kMiB, 205);
    Opentracker tracker(dir("tracker"));
    const auto torrent = root() / "aria2-leech.torrent";
    ASSERT_NO_FATAL_FAILURE(create_torrent(
        content, torrent, {"--tracker", tracker.announce_url(), "--piece-size", "256"}));
    const std::string hash = info_hash(torrent.string());
    tracker.start({hash});

    auto seed = start_cli("seed", dir("profile"),
                          {"seed", torrent.string(), "--data", dir("seed").string(), "--listen",
                           unique_loopback_ip() + ":0", "--seconds",
                           std::to_string(kTransferTimeoutSeconds + 60), "--json"});
    ASSERT_TRUE(tracker.wait_for_seeders(hash, 1, 60s)) << "the CLI never announced as a seeder";

    Aria2Peer leecher(Role::kDownloader, dir("aria2"), dir("download"), torrent);
    EXPECT_EQ(leecher.process().wait_for(kProcessTimeout), 0)
        << "aria2 exits 0 once it has every piece";
    EXPECT_TRUE(files_identical(content, dir("download") / content.filename()));

    seed->signal(SIGTERM);
    const nlohmann::json done = expect_done(*seed, 0, 30s);
    EXPECT_GE(done.value("uploaded", std::int64_t{0}), static_cast<std::int64_t>(24 * kMiB));
}

}  // namespace
}  // namespace lanetorrent::test
