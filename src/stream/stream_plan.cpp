#include "stream/stream_plan.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

namespace lanetorrent::stream {

namespace {

bool had(std::vector<bool> const& have, int piece) {
    return piece >= 0 && static_cast<std::size_t>(piece) < have.size() &&
           have[static_cast<std::size_t>(piece)];
}

int milliseconds_of(double seconds) {
    double const ms = std::ceil(seconds * 1000);
    if (!(ms < INT_MAX)) return INT_MAX;  // also NaN
    return std::max(0, static_cast<int>(ms));
}

std::int64_t milliseconds_between(Now from, Now to) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
}

}  // namespace

PlanOutput StreamPlan::update(PlanInput const& in) {
    PlanOutput out;
    auto const& g = in.geometry;
    if (g.piece_length <= 0 || g.size <= 0) return out;
    int const first = g.first_piece();
    int const last = g.last_piece();
    std::int64_t const piece_bytes = g.piece_length;
    double const rate = in.consumption_rate > 0 ? in.consumption_rate : config_.assumed_rate;
    auto const min_window = std::int64_t{config_.min_window_pieces} * piece_bytes;
    auto const window_bytes = std::max(
        min_window, std::min(static_cast<std::int64_t>(config_.buffer_target_seconds * rate),
                             config_.max_window_bytes));

    // Only the window's front gets deadlines (PlanConfig::front_seconds).
    std::int64_t const front_bytes = std::max<std::int64_t>(
        std::int64_t{config_.min_front_pieces} * piece_bytes,
        static_cast<std::int64_t>(config_.front_seconds * std::max(0.0, in.download_rate)));
    auto const keep_front_bytes = static_cast<std::int64_t>(front_bytes * config_.keep_factor);
    auto const index_bytes =
        std::min(std::max(static_cast<std::int64_t>(config_.index_fraction * g.size),
                          std::int64_t{config_.index_min_pieces} * piece_bytes),
                 std::max(config_.index_max_bytes, piece_bytes));
    int const tail_first = g.piece_at(std::max<std::int64_t>(0, g.size - index_bytes));

    // Pieces already had have left libtorrent's list by themselves.
    for (auto it = active_.begin(); it != active_.end();) {
        it = had(in.have, it->first) ? active_.erase(it) : std::next(it);
    }

    // A new reader at a missing piece nothing was preparing: the player jumped there.
    std::vector<ReaderState> readers;
    std::vector<bool> jumped;
    for (auto const& reader : in.readers) {
        std::int64_t const end = std::min(reader.end, g.size);
        if (reader.offset < 0 || reader.offset >= end) continue;
        int const start = g.piece_at(reader.offset);
        readers.push_back(reader);
        readers.back().end = end;
        // A reader in the tail is the player fetching the index, which is wanted anyway.
        jumped.push_back(!known_readers_.count(reader.id) && !active_.empty() &&
                         !had(in.have, start) && !active_.count(start) && start < tail_first);
    }
    bool const seek = std::find(jumped.begin(), jumped.end(), true) != jumped.end();
    known_readers_.clear();
    for (auto const& reader : readers) known_readers_.insert(reader.id);

    // piece -> deadline in ms from now, priority
    std::map<int, std::pair<int, int>> desired;
    auto want = [&](int piece, int ms, int priority) {
        if (piece < first || piece > last || had(in.have, piece)) return;
        auto const [it, inserted] = desired.emplace(piece, std::pair{ms, priority});
        if (inserted) return;
        it->second.first = std::min(it->second.first, ms);
        it->second.second = std::max(it->second.second, priority);
    };
    // The priority of a piece of a front with `missing_before` bytes missing before it.
    std::int64_t const next_bytes = std::max<std::int64_t>(
        std::int64_t{config_.next_min_pieces} * piece_bytes,
        static_cast<std::int64_t>(config_.next_seconds * std::max(0.0, in.download_rate)));
    auto grade = [&](int missing_before, std::int64_t missing_bytes_before) {
        if (missing_before < config_.now_pieces) return 7;
        return missing_bytes_before < next_bytes ? 6 : 5;
    };
    // Pieces whose deadlines may stay although the window no longer reaches them (yet).
    std::vector<std::pair<int, int>> keep;

    for (std::size_t r = 0; r < readers.size(); ++r) {
        auto const& reader = readers[r];
        // At a seek the other readers' windows wait one update: most likely the player's old
        // connection, about to close, and if not, its pieces come back next time, set first.
        if (seek && !jumped[r]) continue;
        int const start = g.piece_at(reader.offset);
        int const end_piece = g.piece_at(reader.end - 1);
        int const window_last = g.piece_at(std::min(reader.end, reader.offset + window_bytes) - 1);
        auto const keep_bytes = static_cast<std::int64_t>(window_bytes * config_.keep_factor);
        int const keep_window_last =
            g.piece_at(std::min(reader.end, reader.offset + keep_bytes) - 1);
        int keep_last = start;
        int missing = 0;
        std::int64_t missing_bytes = 0;  // of the pieces before `piece`
        for (int piece = start, j = 0; piece <= end_piece && j < config_.max_window_pieces;
             ++piece, ++j) {
            if (had(in.have, piece)) continue;
            bool const in_window = piece <= window_last || j < config_.min_window_pieces;
            bool const wanted =
                missing < config_.min_missing_ahead || (in_window && missing_bytes < front_bytes);
            bool const keepable = piece <= keep_window_last && missing_bytes < keep_front_bytes;
            if (!wanted && !keepable) break;
            ++missing;
            auto const [begin, end] = g.bytes_of_piece(piece);
            missing_bytes += end - begin;
            keep_last = piece;
            if (!wanted) continue;
            auto const ahead = std::max<std::int64_t>(0, begin - reader.offset);
            int const ms = std::max(j * config_.min_spacing_ms,
                                    milliseconds_of(static_cast<double>(ahead) / rate));
            want(piece, ms, grade(missing - 1, missing_bytes - (end - begin)));
        }
        keep.emplace_back(start, keep_last);
    }

    // The container's index at both ends, right after the readers' first pieces.
    // The head only until a reader has read past it: after that it is plain data, and a seek
    // must not keep its requests alive. Only its front: it is the start of the data too.
    std::int64_t const head_end = std::min(g.size, index_bytes);
    for (auto const& reader : readers) head_passed_ = head_passed_ || reader.offset >= head_end;
    int k = 1;
    std::int64_t head_missing = 0;
    int head_count = 0;
    for (int piece = first; !head_passed_ && piece <= g.piece_at(head_end - 1); ++piece) {
        if (had(in.have, piece)) continue;
        if (head_missing >= keep_front_bytes) break;
        bool const in_front = head_missing < front_bytes;
        auto const [begin, end] = g.bytes_of_piece(piece);
        if (in_front) want(piece, k++ * config_.min_spacing_ms, grade(head_count, head_missing));
        head_missing += end - begin;
        ++head_count;
        if (!in_front) {
            keep.emplace_back(piece, piece);  // sent earlier: may stay, as past a window's front
        }
    }
    // The tail once every reader has tail_after_seconds of playback here: a faststart file does
    // not need it, and its deadlines come before the window's, so earlier it would take the
    // bandwidth the player's first seconds need. Once started it stays wanted until had, so a
    // reader that catches up with the download later does not clear and set it again.
    auto const tail_after_bytes = static_cast<std::int64_t>(config_.tail_after_seconds * rate);
    auto const has_seconds_ahead = [&](ReaderState const& r) {
        int const at = g.piece_at(r.offset);
        if (at >= tail_first) return true;
        for (int piece = at; piece <= last && had(in.have, piece); ++piece) {
            auto const end = g.bytes_of_piece(piece).second;
            if (end - r.offset >= tail_after_bytes || end >= r.end) return true;
        }
        return false;
    };
    tail_started_ =
        tail_started_ ||
        (!readers.empty() && std::all_of(readers.begin(), readers.end(), has_seconds_ahead));
    // Below what the readers read now (7): a player that needs the tail reads it, and then
    // the tail is that reader's own front.
    for (int piece = tail_first; tail_started_ && piece <= last; ++piece) {
        want(piece, k++ * config_.min_spacing_ms, 6);
    }

    if (seek) {
        for (auto const& [piece, due] : active_) out.clear.push_back(piece);
        active_.clear();
    } else {
        for (auto it = active_.begin(); it != active_.end();) {
            int const piece = it->first;
            bool const kept = desired.count(piece) ||
                              std::any_of(keep.begin(), keep.end(), [&](auto const& range) {
                                  return piece >= range.first && piece <= range.second;
                              });
            if (kept) {
                ++it;
                continue;
            }
            out.clear.push_back(piece);
            it = active_.erase(it);
        }
    }

    for (auto const& [piece, wanted] : desired) {
        auto const [ms, priority] = wanted;
        auto const due = in.now + std::chrono::milliseconds(ms);
        if (auto const it = active_.find(piece); it != active_.end()) {
            auto const moved = milliseconds_between(it->second, due);  // > 0: later
            bool const earlier = -moved > std::max<double>(config_.resend_earlier_ms,
                                                           config_.resend_earlier_fraction * ms);
            bool const later = moved > std::max<double>(config_.resend_later_ms,
                                                        config_.resend_later_fraction * ms);
            // A piece moves up as the front reaches it (at most twice); it never moves down, so
            // a falling rate estimate does not send the front again.
            bool const raised = priority > priorities_[piece];
            if (!earlier && !later && !raised) continue;
        }
        active_[piece] = due;
        priorities_[piece] = std::max(priorities_[piece], priority);
        out.set.push_back({piece, ms, priorities_[piece]});
    }
    for (auto it = priorities_.begin(); it != priorities_.end();) {
        it = active_.count(it->first) ? std::next(it) : priorities_.erase(it);
    }
    std::sort(out.set.begin(), out.set.end(), [](PieceDeadline const& a, PieceDeadline const& b) {
        return a.deadline_ms != b.deadline_ms ? a.deadline_ms < b.deadline_ms : a.piece < b.piece;
    });
    out.seek = seek && !out.clear.empty();
    return out;
}

PlanOutput StreamPlan::finish(std::vector<bool> const& have) {
    PlanOutput out;
    for (auto const& [piece, due] : active_) {
        if (!had(have, piece)) out.clear.push_back(piece);
    }
    active_.clear();
    priorities_.clear();
    known_readers_.clear();
    head_passed_ = false;
    tail_started_ = false;
    return out;
}

Status apply_plan(Engine& engine, TorrentId const& id, PlanOutput const& plan) {
    if (plan.seek && !plan.clear.empty()) {
        if (auto status = engine.clear_piece_deadlines(id, plan.clear); !status) return status;
    }
    if (!plan.set.empty()) {
        if (auto status = engine.set_piece_deadlines(id, plan.set); !status) return status;
    }
    if (!plan.seek && !plan.clear.empty()) return engine.clear_piece_deadlines(id, plan.clear);
    return Ok{};
}

}  // namespace lanetorrent::stream
