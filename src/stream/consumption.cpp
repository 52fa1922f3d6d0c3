#include "stream/consumption.hpp"

#include <algorithm>

namespace lanetorrent::stream {

void ConsumptionEstimator::observe(Now now, std::vector<ReaderState> const& readers) {
    bool const waiting = std::any_of(readers.begin(), readers.end(), [](ReaderState const& r) {
        return r.waiting_since.has_value();
    });
    std::int64_t advance = 0;
    bool continuing = false;
    for (auto const& reader : readers) {
        auto const it = offsets_.find(reader.id);
        if (it == offsets_.end()) continue;
        continuing = true;
        advance = std::max(advance, reader.offset - it->second);
    }
    if (started_ && now > last_ && continuing && !waiting && !was_waiting_) {
        double const seconds = std::chrono::duration<double>(now - last_).count();
        if (rate_ > 0) {
            double const bucket = std::max(config_.bucket_seconds * rate_,
                                           static_cast<double>(config_.min_bucket_bytes));
            allowance_ = std::min(bucket, allowance_ + config_.burst_factor * rate_ * seconds);
            advance = std::min(advance, static_cast<std::int64_t>(allowance_));
            allowance_ -= static_cast<double>(advance);
        } else {
            allowance_ = static_cast<double>(config_.min_bucket_bytes);
        }
        intervals_.push_back({now, seconds, advance});
        recompute();
    }
    started_ = true;
    last_ = now;
    was_waiting_ = waiting;
    offsets_.clear();
    for (auto const& reader : readers) offsets_[reader.id] = reader.offset;
}

void ConsumptionEstimator::recompute() {
    // Counted time, newest first, up to the window.
    double const window = std::chrono::duration<double>(config_.window).count();
    double seconds = 0;
    for (auto it = intervals_.rbegin(); it != intervals_.rend(); ++it) {
        seconds += it->seconds;
        if (seconds >= window) {
            intervals_.erase(intervals_.begin(), std::prev(it.base()));
            break;
        }
    }
    seconds = 0;
    std::int64_t bytes = 0;
    for (auto const& interval : intervals_) {
        seconds += interval.seconds;
        bytes += interval.bytes;
    }
    if (seconds < std::chrono::duration<double>(config_.min_span).count()) return;
    rate_ = static_cast<double>(bytes) / seconds;
}

}  // namespace lanetorrent::stream
