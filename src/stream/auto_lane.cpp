#include "stream/auto_lane.hpp"

#include <cmath>
#include <cstdio>

namespace lanetorrent::stream {

namespace {

using lanes::Lane;

std::string seconds_text(double seconds) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f s", seconds);
    return text;
}

std::string rate_text(double bytes_per_second) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0f kB/s", bytes_per_second / 1000);
    return text;
}

}  // namespace

Lane AutoLane::highest_allowed(AutoLaneInput const& in) const {
    auto const& caps = config_.caps;
    if (caps.max_price_per_gib <= 0) return Lane::slow;
    // The daily cap needs the whole wallet's day; LaneService holds to it whatever we ask.
    if (lanes::spending_room(caps, in.spent, 0) <= 0) return Lane::slow;
    if (!in.prices) return Lane::fast;
    for (Lane lane : {Lane::fast, Lane::medium}) {
        if ((*in.prices)[static_cast<int>(lane)] <= caps.max_price_per_gib) return lane;
    }
    return Lane::slow;
}

AutoLaneDecision AutoLane::decide(AutoLaneInput const& in) {
    if (in.current != held_) {
        held_ = in.current;
        held_since_ = in.now;
    }
    // What the held lane delivers, once it had time to reach its rate (5 s average).
    if (in.download_rate > 0 && in.now - held_since_ >= config_.settle) {
        double const dt = std::chrono::duration<double>(in.now - last_sample_).count();
        double const weight = 1 - std::exp(-std::max(0.0, dt) / 5.0);
        auto& rate = rates_[static_cast<int>(held_)];
        rate = rate > 0 ? rate + weight * (in.download_rate - rate) : in.download_rate;
    }
    last_sample_ = in.now;

    double const rate = in.consumption_rate;
    double const target = config_.buffer_target_seconds;
    auto covers = [&](Lane lane) {
        return rates_[static_cast<int>(lane)] >= rate * config_.margin;
    };
    auto known = [&](Lane lane) { return rates_[static_cast<int>(lane)] > 0; };

    Lane want = held_;
    std::string why;
    bool urgent = false;  // may move up inside the dwell
    if (in.remaining_bytes >= 0 && in.ahead_bytes >= in.remaining_bytes) {
        want = Lane::slow;
        why = "the rest of the file is here";
    } else if (in.starving) {
        want = Lane::fast;
        why = "the player waits for data";
        urgent = true;
    } else if (rate <= 0) {
        why = "consumption rate not known yet";
        if (in.ahead_bytes == 0 && held_ == Lane::slow) {
            // The start: nothing is buffered, and a lane takes ~1.5 s to reach its rate. Waiting
            // for the player to starve first cost the bench's auto viewer two stalls in its
            // first seconds that the fast viewer did not have.
            want = Lane::fast;
            why = "starting with an empty buffer";
            urgent = true;
        }
    } else {
        double const ahead =
            static_cast<double>(in.ahead_bytes) / rate + std::max(0.0, in.player_seconds);
        std::string const buffer = "buffer " + seconds_text(ahead);
        if (ahead < config_.low_seconds) {
            want = Lane::fast;
            why = buffer + " < " + seconds_text(config_.low_seconds);
            urgent = true;
        } else if (ahead < target) {
            why = buffer + " < " + seconds_text(target) + " target";
            bool const medium_falls_short = known(Lane::medium) && !covers(Lane::medium);
            if ((held_ == Lane::fast && medium_falls_short) ||
                (held_ == Lane::medium && !medium_falls_short)) {
                // Hysteresis: a lane bought to fill the buffer keeps it until the target.
                why += ", keeping " + std::string(lanes::to_string(held_)) + " until then";
            } else if (known(Lane::slow) && covers(Lane::slow)) {
                want = Lane::slow;
                why += ", and slow delivers " + rate_text(rates_[0]);
            } else if (!medium_falls_short) {
                // Fast is for an empty buffer: above the low mark the cheaper lane that keeps up
                // fills it (bench: fast held to 45 s cost as much as fast all the way).
                want = Lane::medium;
                if (held_ == Lane::fast)
                    why += ", fast only below " + seconds_text(config_.low_seconds);
            } else {
                want = Lane::fast;
                why += ", and medium delivers " + rate_text(rates_[1]) + " for a " +
                       rate_text(rate) + " stream";
            }
        } else if (ahead > config_.high_factor * target) {
            want = Lane::slow;
            why = buffer + " > " + seconds_text(config_.high_factor * target);
        } else {
            why = buffer + ", within " + seconds_text(target) + "-" +
                  seconds_text(config_.high_factor * target);
            if (held_ == Lane::fast && !(known(Lane::medium) && !covers(Lane::medium))) {
                want = Lane::medium;
                why += ", fast only below " + seconds_text(config_.low_seconds);
            }
        }
    }

    Lane const cap = highest_allowed(in);
    if (want > cap) {
        want = cap;
        why += std::string("; the caps allow ") + lanes::to_string(cap);
    }
    if (want != held_ && last_change_ && in.now - *last_change_ < config_.min_dwell &&
        !(urgent && want > held_)) {
        return {held_,
                why + "; holding " + lanes::to_string(held_) + " (changed " +
                    seconds_text(std::chrono::duration<double>(in.now - *last_change_).count()) +
                    " ago)"};
    }
    if (want != held_) {
        last_change_ = in.now;
        held_ = want;
        held_since_ = in.now;
    }
    return {want, why};
}

}  // namespace lanetorrent::stream
