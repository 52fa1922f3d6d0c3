// ConsumptionEstimator: how fast a player reads a stream (bytes/s), from the readers' positions
// over time. Deterministic: the caller passes the time.
//
// What it must not be fooled by:
// - Seeks. An HTTP response only moves forward, so a jump is a new reader (libavformat opens a
//   connection per seek): only the advance of readers seen at the previous observation counts.
// - Read-ahead bursts. Players fill a buffer at start and after a stall (socket buffers alone hold
//   ~4 MB on loopback). The rate is a long window's (30 s) average, and what counts of a reader's
//   advance is drawn from a bucket that refills at 2x the current estimate and holds 2 s of it
//   (at least 1 MiB): chunked reads count in full, a burst only up to the bucket. Of several
//   readers only the one that advanced most counts.
// - Starvation. While a reader waits for data the player reads what the download allows, not what
//   it needs: those intervals count neither bytes nor time, nor do intervals without readers
//   (nothing plays).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "stream/piece_file.hpp"

namespace lanetorrent::stream {

using Now = std::chrono::steady_clock::time_point;

struct ConsumptionConfig {
    std::chrono::milliseconds window{30'000};
    // No rate before this much reading time: the first seconds are the player's buffer fill.
    std::chrono::milliseconds min_span{3'000};
    double burst_factor = 2;
    double bucket_seconds = 2;
    std::int64_t min_bucket_bytes = std::int64_t{1} << 20;
};

class ConsumptionEstimator {
  public:
    explicit ConsumptionEstimator(ConsumptionConfig config = {}) : config_(config) {}

    void observe(Now now, std::vector<ReaderState> const& readers);
    // Bytes/s; 0 while unknown.
    double rate() const { return rate_; }

  private:
    struct Interval {
        Now end;
        double seconds = 0;
        std::int64_t bytes = 0;
    };
    void recompute();

    ConsumptionConfig config_;
    bool started_ = false;
    Now last_{};
    std::map<int, std::int64_t> offsets_;  // reader id -> offset at the last observation
    bool was_waiting_ = false;
    double allowance_ = 0;  // bytes the bucket holds
    std::deque<Interval> intervals_;
    double rate_ = 0;
};

}  // namespace lanetorrent::stream
