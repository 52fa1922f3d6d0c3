// ConsumptionEstimator: a player's reading rate from reader positions, deterministic.
#include "stream/consumption.hpp"

#include <gtest/gtest.h>

namespace lanetorrent::stream {
namespace {
using namespace std::chrono_literals;

ReaderState reader(int id, std::int64_t offset, bool waiting = false) {
    ReaderState r;
    r.id = id;
    r.offset = offset;
    r.end = std::int64_t{1} << 40;
    if (waiting) r.waiting_since = Now{};
    return r;
}

constexpr double bitrate = 750'000;  // a 6 Mbit/s video

TEST(ConsumptionEstimator, UnknownUntilAFewSecondsOfReading) {
    ConsumptionEstimator estimator;
    Now t{};
    std::int64_t offset = 0;
    for (int i = 0; i < 20; ++i) {  // 2 s
        estimator.observe(t, {reader(1, offset)});
        t += 100ms;
        offset += 75'000;
    }
    EXPECT_EQ(estimator.rate(), 0);
    for (int i = 0; i < 20; ++i) {
        estimator.observe(t, {reader(1, offset)});
        t += 100ms;
        offset += 75'000;
    }
    EXPECT_NEAR(estimator.rate(), bitrate, bitrate * 0.02);
}

TEST(ConsumptionEstimator, SteadyReadingInChunks) {
    // A player that takes 256 KiB whenever its buffer has room: uneven per tick, even on average.
    ConsumptionEstimator estimator;
    Now t{};
    double position = 0;
    std::int64_t served = 0;
    for (int i = 0; i < 600; ++i) {  // 60 s
        position += bitrate / 10;
        while (served < position) served += 256 * 1024;
        estimator.observe(t, {reader(1, served)});
        t += 100ms;
    }
    EXPECT_NEAR(estimator.rate(), bitrate, bitrate * 0.05);
}

TEST(ConsumptionEstimator, AReadAheadBurstBarelyMovesIt) {
    ConsumptionEstimator estimator;
    Now t{};
    std::int64_t offset = 0;
    auto play = [&](int ticks) {
        for (int i = 0; i < ticks; ++i) {
            estimator.observe(t, {reader(1, offset)});
            t += 100ms;
            offset += static_cast<std::int64_t>(bitrate / 10);
        }
    };
    play(100);
    // The player refills 8 MB of buffer in half a second (the socket buffers, its cache).
    for (int i = 0; i < 5; ++i) {
        offset += 1'600'000;
        estimator.observe(t, {reader(1, offset)});
        t += 100ms;
    }
    EXPECT_LT(estimator.rate(), bitrate * 1.3);
    play(50);
    EXPECT_NEAR(estimator.rate(), bitrate, bitrate * 0.25);
}

TEST(ConsumptionEstimator, ASeekIsNotReading) {
    ConsumptionEstimator estimator;
    Now t{};
    std::int64_t offset = 0;
    for (int i = 0; i < 100; ++i) {
        estimator.observe(t, {reader(1, offset)});
        t += 100ms;
        offset += 75'000;
    }
    // Seek to 500 MB: a new connection there, the old one closing a tick later.
    std::int64_t jumped = 500'000'000;
    estimator.observe(t, {reader(1, offset), reader(2, jumped)});
    t += 100ms;
    for (int i = 0; i < 50; ++i) {
        jumped += 75'000;
        estimator.observe(t, {reader(2, jumped)});
        t += 100ms;
    }
    EXPECT_NEAR(estimator.rate(), bitrate, bitrate * 0.02);
}

TEST(ConsumptionEstimator, StarvationDoesNotLowerIt) {
    ConsumptionEstimator estimator;
    Now t{};
    std::int64_t offset = 0;
    for (int i = 0; i < 100; ++i) {
        estimator.observe(t, {reader(1, offset)});
        t += 100ms;
        offset += 75'000;
    }
    // 20 s waiting for a piece, then a catch-up read of what arrived.
    for (int i = 0; i < 200; ++i) {
        estimator.observe(t, {reader(1, offset, true)});
        t += 100ms;
    }
    offset += 4'000'000;
    estimator.observe(t, {reader(1, offset)});
    t += 100ms;
    EXPECT_NEAR(estimator.rate(), bitrate, bitrate * 0.02);
}

TEST(ConsumptionEstimator, FollowsAChangeOfRateWithinTheWindow) {
    ConsumptionEstimator estimator;
    Now t{};
    std::int64_t offset = 0;
    for (int i = 0; i < 300; ++i) {
        estimator.observe(t, {reader(1, offset)});
        t += 100ms;
        offset += 75'000;
    }
    for (int i = 0; i < 400; ++i) {  // 40 s of a 2x bitrate
        estimator.observe(t, {reader(1, offset)});
        t += 100ms;
        offset += 150'000;
    }
    EXPECT_NEAR(estimator.rate(), 2 * bitrate, bitrate * 0.05);
}

}  // namespace
}  // namespace lanetorrent::stream
