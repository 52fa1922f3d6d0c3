// lanetorrent-cli starting from a magnet link: metadata from an independent client (BEP 9), then
// the payload.
#include <gtest/gtest.h>

#include "cli.hpp"
#include "files.hpp"
#include "interop_test.hpp"
#include "net.hpp"
#include "peers.hpp"

namespace lanetorrent::test {
namespace {

using namespace std::chrono_literals;

class MagnetInterop : public InteropTest {};

constexpr std::uint64_t kMiB = 1024 * 1024;

// The metadata event must describe the payload the seeder really has.
void expect_metadata_event(Process& cli, std::uint64_t size) {
    bool found = false;
    for (const auto& event : parse_events(cli.stdout_text())) {
        if (event.value("event", "") == "metadata") {
            found = true;
            EXPECT_EQ(event.value("size", std::uint64_t{0}), size) << event.dump();
        }
    }
    EXPECT_TRUE(found) << "no metadata event";
}

// The magnet link carries the tracker (&tr=), which lists the Transmission seeder.
TEST_F(MagnetInterop, CliResolvesMagnetFromTransmissionThroughTracker) {
    const auto content = dir("seed") / "magnet-transmission.bin";
    write_random_file(content, 12 * kMiB + 5, 301);
    Opentracker tracker(dir("tracker"));
    const auto torrent = root() / "magnet-transmission.torrent";
    create_torrent_with_transmission(content, torrent, {tracker.announce_url()});
    const std::string hash = info_hash(torrent.string());
    tracker.start({hash});

    TransmissionPeer seeder(Role::kSeeder, dir("transmission"), dir("seed"), torrent.string());
    ASSERT_TRUE(tracker.wait_for_seeders(hash, 1, 60s)) << "Transmission never announced";

    const std::string magnet =
        magnet_link(hash, content.filename().string(), tracker.announce_url());
    EXPECT_EQ(info_hash(magnet), hash);
    auto cli = start_cli("download", dir("profile"),
                         {"download", magnet, "--save", dir("download").string(), "--listen",
                          unique_loopback_ip() + ":0", "--timeout",
                          std::to_string(kTransferTimeoutSeconds), "--json"});
    expect_done(*cli, 0);
    expect_metadata_event(*cli, 12 * kMiB + 5);
    EXPECT_TRUE(files_identical(content, dir("download") / content.filename()));
}

// A bare magnet link (no tracker) and --peer: the metadata can only come from aria2.
TEST_F(MagnetInterop, CliResolvesMagnetFromAria2WithPeerOnly) {
    const auto content = dir("seed") / "magnet-aria2";
    write_random_file(content / "part1.bin", 6 * kMiB, 302);
    write_random_file(content / "part2.bin", 2 * kMiB + 17, 303);
    const auto torrent = root() / "magnet-aria2.torrent";
    create_torrent_with_transmission(content, torrent);
    const std::string hash = info_hash(torrent.string());

    Aria2Peer seeder(Role::kSeeder, dir("aria2"), dir("seed"), torrent);
    auto cli = start_cli(
        "download", dir("profile"),
        {"download", magnet_link(hash, "magnet-aria2"), "--save", dir("download").string(),
         "--listen", unique_loopback_ip() + ":0", "--peer", seeder.endpoint(), "--timeout",
         std::to_string(kTransferTimeoutSeconds), "--json"});
    expect_done(*cli, 0);
    expect_metadata_event(*cli, 8 * kMiB + 17);
    EXPECT_EQ(differing_files(content, dir("download") / content.filename()),
              std::vector<std::string>{});
}

}  // namespace
}  // namespace lanetorrent::test
