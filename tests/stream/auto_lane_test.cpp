// AutoLane: the lane a stream buys from its buffer, deterministic. A small simulation drives it:
// a player consuming at a video's bitrate, a download at the rate of the lane held.
#include "stream/auto_lane.hpp"

#include <gtest/gtest.h>

#include <map>

namespace lanetorrent::stream {
namespace {
using namespace std::chrono_literals;
using lanes::Lane;

constexpr double bitrate = 750'000;  // 6 Mbit/s

AutoLaneConfig config_with_caps() {
    AutoLaneConfig config;
    config.caps.max_price_per_gib = 1'000'000;
    return config;
}

AutoLaneInput at(Now now, double ahead_seconds, Lane current) {
    AutoLaneInput in;
    in.now = now;
    in.consumption_rate = bitrate;
    in.ahead_bytes = static_cast<std::int64_t>(ahead_seconds * bitrate);
    in.current = current;
    return in;
}

TEST(AutoLane, StartsFastWhileThePlayerWaits) {
    AutoLane lane(config_with_caps());
    AutoLaneInput in;
    in.starving = true;
    auto const d = lane.decide(in);
    EXPECT_EQ(d.lane, Lane::fast);
    EXPECT_EQ(d.reason, "the player waits for data");
}

// The start: nothing buffered, the rate not known yet. Fast at once, not after the player first
// waits (a lane needs ~1.5 s to reach its rate: the bench's auto viewer stalled twice in its
// first seconds, the fast viewer not); once something is buffered an unknown rate holds.
TEST(AutoLane, StartsFastBeforeTheRateIsKnown) {
    AutoLane lane(config_with_caps());
    Now t{};
    AutoLaneInput in;
    in.now = t;
    auto d = lane.decide(in);
    EXPECT_EQ(d.lane, Lane::fast);
    EXPECT_EQ(d.reason, "starting with an empty buffer");
    in.now += 1s;
    in.current = Lane::fast;
    in.ahead_bytes = 1 << 20;
    EXPECT_EQ(lane.decide(in).lane, Lane::fast);
    // Something buffered already (a resumed download): an unknown rate holds slow.
    AutoLane resumed(config_with_caps());
    AutoLaneInput later;
    later.ahead_bytes = 1 << 20;
    EXPECT_EQ(resumed.decide(later).lane, Lane::slow);
    // No paid lane without caps, start or not.
    EXPECT_EQ(AutoLane{}.decide(AutoLaneInput{}).lane, Lane::slow);
}

TEST(AutoLane, BuysByBufferLevel) {
    Now t{};
    {
        AutoLane lane(config_with_caps());
        auto const d = lane.decide(at(t, 5, Lane::slow));
        EXPECT_EQ(d.lane, Lane::fast);
        EXPECT_EQ(d.reason, "buffer 5 s < 10 s");
    }
    {
        AutoLane lane(config_with_caps());
        auto const d = lane.decide(at(t, 20, Lane::slow));
        EXPECT_EQ(d.lane, Lane::medium);
        EXPECT_EQ(d.reason, "buffer 20 s < 30 s target");
    }
    {
        AutoLane lane(config_with_caps());
        EXPECT_EQ(lane.decide(at(t, 35, Lane::medium)).lane, Lane::medium);  // within the band
    }
    {
        AutoLane lane(config_with_caps());
        auto const d = lane.decide(at(t, 50, Lane::fast));
        EXPECT_EQ(d.lane, Lane::slow);
        EXPECT_EQ(d.reason, "buffer 50 s > 45 s");
    }
    {
        AutoLane lane(config_with_caps());
        auto in = at(t, 3, Lane::fast);
        in.remaining_bytes = in.ahead_bytes;  // 3 s before the end and all of it here
        auto const d = lane.decide(in);
        EXPECT_EQ(d.lane, Lane::slow);
        EXPECT_EQ(d.reason, "the rest of the file is here");
    }
}

// Fast fills an empty buffer; above the low mark medium takes over (a third of fast's price at
// the seller's defaults) unless medium is known to fall short. Holding fast to 45 s cost as much
// as the fast lane all the way (bench, 40 s video: auto 100 % of fast's cost per hour).
TEST(AutoLane, FastIsOnlyForAnEmptyBuffer) {
    AutoLane lane(config_with_caps());
    Now t{};
    ASSERT_EQ(lane.decide(at(t, 0, Lane::slow)).lane, Lane::fast);
    t += 6s;
    auto d = lane.decide(at(t, 12, Lane::fast));
    EXPECT_EQ(d.lane, Lane::medium);
    EXPECT_EQ(d.reason, "buffer 12 s < 30 s target, fast only below 10 s");
    // Fast held in the band (the buffer filled within the dwell): medium too.
    AutoLane other(config_with_caps());
    Now u{};
    ASSERT_EQ(other.decide(at(u, 5, Lane::slow)).lane, Lane::fast);
    u += 6s;
    EXPECT_EQ(other.decide(at(u, 35, Lane::fast)).lane, Lane::medium);
    // Medium known to fall short: fast stays until the target.
    AutoLane short_medium(config_with_caps());
    Now v{};
    ASSERT_EQ(short_medium.decide(at(v, 20, Lane::slow)).lane, Lane::medium);
    for (int i = 0; i < 40; ++i) {  // medium delivers 600 kB/s for a 750 kB/s stream
        v += 100ms;
        auto in = at(v, 20, Lane::medium);
        in.download_rate = 600'000;
        short_medium.decide(in);
    }
    v += 6s;
    ASSERT_EQ(short_medium.decide(at(v, 5, Lane::medium)).lane, Lane::fast);
    v += 6s;
    d = short_medium.decide(at(v, 15, Lane::fast));
    EXPECT_EQ(d.lane, Lane::fast);
    EXPECT_EQ(d.reason, "buffer 15 s < 30 s target, keeping fast until then");
}

// The server's reader runs ahead of playback by what the player holds (mpv keeps seconds in its
// demuxer cache): seen from the server alone the buffer is 2 s and auto buys fast; counting the
// player's 11 s it is 13 s, and medium fills it (the bench's auto viewer held fast for its first
// ~30 s that way, stop 19).
TEST(AutoLane, CountsWhatThePlayerHolds) {
    // Started in fast with an empty buffer; past the dwell, 2 s ahead at the server.
    auto decide_after_start = [](double player_seconds) {
        AutoLane lane(config_with_caps());
        Now t{};
        EXPECT_EQ(lane.decide(at(t, 0, Lane::slow)).lane, Lane::fast);
        auto in = at(t + 6s, 2, Lane::fast);
        in.player_seconds = player_seconds;
        return lane.decide(in);
    };
    EXPECT_EQ(decide_after_start(0).lane, Lane::fast);
    auto const d = decide_after_start(11);
    EXPECT_EQ(d.lane, Lane::medium);
    EXPECT_EQ(d.reason, "buffer 13 s < 30 s target, fast only below 10 s");
}

TEST(AutoLane, NoPaidLaneBeyondTheCaps) {
    Now t{};
    {
        AutoLane lane(AutoLaneConfig{});  // no price cap: no paid lane at all
        auto const d = lane.decide(at(t, 2, Lane::slow));
        EXPECT_EQ(d.lane, Lane::slow);
        EXPECT_EQ(d.reason, "buffer 2 s < 10 s; the caps allow slow");
    }
    {
        auto config = config_with_caps();
        AutoLane lane(config);
        auto in = at(t, 2, Lane::slow);
        in.prices = std::array<lanes::Units, 3>{0, 500'000, 2'000'000};  // fast above the cap
        auto const d = lane.decide(in);
        EXPECT_EQ(d.lane, Lane::medium);
        EXPECT_EQ(lane.highest_allowed(in), Lane::medium);
    }
    {
        auto config = config_with_caps();
        config.caps.max_per_torrent = 100;
        AutoLane lane(config);
        auto in = at(t, 2, Lane::slow);
        in.spent = 100;  // used up
        EXPECT_EQ(lane.decide(in).lane, Lane::slow);
    }
}

TEST(AutoLane, HoldsALaneForTheDwellUnlessTheBufferRunsDry) {
    AutoLane lane(config_with_caps());
    Now t{};
    ASSERT_EQ(lane.decide(at(t, 20, Lane::slow)).lane, Lane::medium);
    t += 2s;
    auto d = lane.decide(at(t, 50, Lane::medium));  // full already, but only 2 s later
    EXPECT_EQ(d.lane, Lane::medium);
    EXPECT_EQ(d.reason, "buffer 50 s > 45 s; holding medium (changed 2 s ago)");
    t += 1s;
    EXPECT_EQ(lane.decide(at(t, 4, Lane::medium)).lane, Lane::fast);  // urgent: at once
    t += 6s;
    EXPECT_EQ(lane.decide(at(t, 50, Lane::fast)).lane, Lane::slow);
}

TEST(AutoLane, MediumThatFallsShortIsReplacedByFast) {
    AutoLane lane(config_with_caps());
    Now t{};
    ASSERT_EQ(lane.decide(at(t, 25, Lane::slow)).lane, Lane::medium);
    // Medium delivers 600 kB/s for a 750 kB/s stream: the buffer drains.
    for (int i = 1; i <= 100; ++i) {
        t += 100ms;
        auto in = at(t, 25 - i * 0.02, Lane::medium);
        in.download_rate = 600'000;
        auto const d = lane.decide(in);
        if (d.lane != Lane::medium) {
            EXPECT_EQ(d.lane, Lane::fast);
            EXPECT_NE(d.reason.find("medium delivers 600 kB/s for a 750 kB/s stream"),
                      std::string::npos)
                << d.reason;
            return;
        }
    }
    FAIL() << "stayed on medium";
}

// A played video: the buffer fills with what the lane delivers and drains at the bitrate. The
// slow lane delivers less than the bitrate, medium 1.5x, fast 4x.
struct Run {
    std::map<Lane, double> seconds_on;
    int changes = 0;
    double min_buffer = 1e9;
    double max_buffer = 0;
};

Run simulate(AutoLaneConfig config, double start_buffer, double seconds) {
    std::map<Lane, double> const delivers{
        {Lane::slow, 0.6 * bitrate}, {Lane::medium, 1.5 * bitrate}, {Lane::fast, 4 * bitrate}};
    AutoLane lane(config);
    Run run;
    Now t{};
    Lane current = Lane::slow;
    double buffer = start_buffer;  // seconds of playback ahead
    Now changed_at = t;
    for (double s = 0; s < seconds; s += 0.1) {
        t += 100ms;
        // A lane change reaches its rate after ~1.5 s (docs/lanes.md); until then, the old one.
        double const rate =
            t - changed_at < 1500ms ? delivers.at(Lane::slow) : delivers.at(current);
        buffer = std::max(0.0, buffer + (rate / bitrate - 1) * 0.1);
        auto in = at(t, buffer, current);
        in.download_rate = rate;
        in.starving = buffer <= 0;
        auto const d = lane.decide(in);
        if (d.lane != current) {
            ++run.changes;
            current = d.lane;
            changed_at = t;
        }
        run.seconds_on[current] += 0.1;
        run.max_buffer = std::max(run.max_buffer, buffer);
        // After the start (an empty buffer is where every stream begins).
        if (run.max_buffer >= config.low_seconds) run.min_buffer = std::min(run.min_buffer, buffer);
    }
    return run;
}

TEST(AutoLane, ASimulatedPlaybackNeverRunsDryAndPaysForPartOfIt) {
    auto run = simulate(config_with_caps(), 0, 600);  // 10 minutes from an empty buffer
    EXPECT_GT(run.min_buffer, 5);
    EXPECT_GE(run.max_buffer, 30);
    // Cycles of slow (draining 45 -> 30 s) and medium (filling), not flapping every tick.
    EXPECT_LT(run.changes, 40) << run.changes;
    EXPECT_GT(run.seconds_on.at(Lane::slow), 100);
    EXPECT_LT(run.seconds_on[Lane::fast], 60);
    std::cout << "10 min: slow " << run.seconds_on.at(Lane::slow) << " s, medium "
              << run.seconds_on[Lane::medium] << " s, fast " << run.seconds_on[Lane::fast] << " s, "
              << run.changes << " changes, buffer " << run.min_buffer << "-" << run.max_buffer
              << " s\n";
}

TEST(AutoLane, WithoutPaidLanesItStaysSlow) {
    auto run = simulate(AutoLaneConfig{}, 0, 60);
    EXPECT_EQ(run.changes, 0);
    EXPECT_EQ(run.seconds_on.count(Lane::fast), 0u);
}

}  // namespace
}  // namespace lanetorrent::stream
