// PinnedPeers decides when a pinned peer is dialled again; the engine tests show the dials on
// loopback, these pin down the rules.
#include "engine/pinned_peers.hpp"

#include <gtest/gtest.h>

namespace lanetorrent {
namespace {

lt::tcp::endpoint const seeder(lt::make_address("127.0.0.2"), 6881);
lt::tcp::endpoint const other(lt::make_address("127.0.0.3"), 6881);
lt::address const seeder_from_another_port = seeder.address();
auto const now = PinnedPeers::Clock::now();

TEST(PinnedPeers, DueUntilAConnectionInEitherDirection) {
    PinnedPeers pins;
    pins.add(seeder);
    pins.add(seeder);  // pinned twice is pinned once
    EXPECT_EQ(pins.due(now), std::vector<lt::tcp::endpoint>{seeder});
    // It dialled us: the connection comes from another port, and still counts.
    pins.on_connected(seeder_from_another_port);
    EXPECT_TRUE(pins.due(now).empty());
    EXPECT_TRUE(pins.any_connected());
}

TEST(PinnedPeers, DueAgainWhenTheLastConnectionCloses) {
    PinnedPeers pins;
    pins.add(seeder);
    pins.add(other);
    pins.on_connected(seeder.address());
    pins.on_connected(seeder.address());  // it dialled us while we dialled it
    pins.on_connected(other.address());
    pins.on_disconnected(seeder.address(), lt::errors::duplicate_peer_id);
    EXPECT_TRUE(pins.due(now).empty());
    pins.on_disconnected(seeder.address(), lt::error_code(ECONNRESET, lt::system_category()));
    EXPECT_EQ(pins.due(now), std::vector<lt::tcp::endpoint>{seeder});
}

TEST(PinnedPeers, AFailedDialIsDueAgain) {
    PinnedPeers pins;
    pins.add(seeder);
    pins.on_connected(seeder.address());  // libtorrent reports a dial as it starts
    pins.on_disconnected(seeder.address(), lt::error_code(ECONNREFUSED, lt::system_category()));
    EXPECT_EQ(pins.due(now), std::vector<lt::tcp::endpoint>{seeder});
}

TEST(PinnedPeers, PartedAsSeedsIsLeftAloneUntilWeWantDataAgain) {
    for (auto const why : {lt::errors::upload_upload_connection,
                           lt::errors::uninteresting_upload_peer, lt::errors::torrent_finished}) {
        PinnedPeers pins;
        pins.add(seeder);
        pins.set_complete(true);
        pins.on_connected(seeder.address());
        pins.on_disconnected(seeder.address(), why);
        EXPECT_TRUE(pins.due(now + std::chrono::hours(1)).empty()) << lt::error_code(why).message();
        pins.set_complete(false);
        EXPECT_EQ(pins.due(now), std::vector<lt::tcp::endpoint>{seeder});
    }
}

TEST(PinnedPeers, DownloadingDialsEveryRound) {
    PinnedPeers pins;
    pins.add(seeder);
    for (int round = 0; round < 5; ++round) {
        auto const at = now + round * std::chrono::seconds(3);
        EXPECT_EQ(pins.due(at), std::vector<lt::tcp::endpoint>{seeder}) << "round " << round;
    }
}

// A complete torrent has nothing to fetch: a pinned peer that does not answer (or answers and
// leaves) is dialled after 3, 6, 12... seconds, at most every 10 minutes.
TEST(PinnedPeers, CompleteTorrentBacksOff) {
    PinnedPeers pins;
    pins.add(seeder);
    pins.set_complete(true);
    std::vector<int> dialled_at;
    for (int second = 0; second <= 7200; ++second) {
        if (!pins.due(now + std::chrono::seconds(second)).empty()) dialled_at.push_back(second);
    }
    ASSERT_GE(dialled_at.size(), 9u);
    EXPECT_EQ(std::vector<int>(dialled_at.begin(), dialled_at.begin() + 9),
              (std::vector<int>{0, 3, 9, 21, 45, 93, 189, 381, 765}));
    EXPECT_EQ(dialled_at.back() - dialled_at[dialled_at.size() - 2], 600);

    // Wanting data again restarts the dials at once.
    pins.set_complete(false);
    EXPECT_EQ(pins.due(now + std::chrono::seconds(7201)), std::vector<lt::tcp::endpoint>{seeder});
}

// Alerts are not posted for every kind of close, so the engine recounts now and then.
TEST(PinnedPeers, RecountReplacesWhatTheAlertsSaid) {
    PinnedPeers pins;
    pins.add(seeder);
    pins.add(other);
    pins.on_connected(seeder.address());
    pins.on_connected(other.address());
    pins.recount({other.address(), other.address()});
    EXPECT_EQ(pins.due(now), std::vector<lt::tcp::endpoint>{seeder});
    pins.on_disconnected(other.address(), lt::errors::timed_out);
    EXPECT_EQ(pins.due(now), std::vector<lt::tcp::endpoint>{seeder});  // one of two left
    pins.recount({});
    EXPECT_FALSE(pins.any_connected());
    EXPECT_EQ(pins.due(now), (std::vector<lt::tcp::endpoint>{seeder, other}));
}

}  // namespace
}  // namespace lanetorrent
