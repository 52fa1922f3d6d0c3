// StreamPlan: which pieces of a streamed file get deadlines, and which lose them. Deterministic
// (the caller passes the time; no clock, no libtorrent), so every rule is tested alone.
//
// The shape (docs/streaming.md "How pieces are chosen"):
// - Each reader (an HTTP response in progress) gets a window from its piece on, with deadlines
//   that grow with the distance in playback time: the byte distance at the consumption rate,
//   at least a floor apart. The window covers the buffer target (30 s of playback), at least 4
//   pieces and at most 64 MiB; pieces already had are skipped, and it reaches at least 2 missing
//   pieces past the reader while the file has them, so libtorrent's deadline list does not run
//   empty between updates (each empty -> non-empty turn cancels every request in flight).
//   Only the window's front (its first missing pieces, ~5 s of download) has deadlines at any
//   time, with priorities 7, 6, 5 from the reader on: libtorrent's regular picker, which makes
//   most requests, picks in random order within one priority.
// - The container's index first: the head and the tail of the file (1 %, at least 2 pieces,
//   at most 16 MiB each: an MP4 `moov` at either end, MKV cues at the end) get deadlines, the
//   head's front until a reader has read past it, the tail once every reader has a few seconds
//   of playback here (before that it would only delay them; a player that needs the tail at
//   once reads it, and then it is that reader's own front), until they are had.
// - Everything else is left to libtorrent's rarest-first picker, so the swarm stays healthy.
// - Deadlines already sent are sent again only when they move a lot (set_piece_deadline costs
//   libtorrent a linear scan per piece), and a window that moves on sets its new pieces before
//   clearing the old ones. A seek (a reader at a missing piece nothing was preparing) clears every
//   old deadline first, so that libtorrent drops the old window's queued requests.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include "engine/engine.hpp"
#include "stream/piece_file.hpp"

namespace lanetorrent::stream {

using Now = std::chrono::steady_clock::time_point;

struct PlanConfig {
    double buffer_target_seconds = 30;
    int min_window_pieces = 4;
    std::int64_t max_window_bytes = std::int64_t{64} << 20;
    // libtorrent inserts each deadline into a sorted vector: keep n small with small pieces.
    int max_window_pieces = 512;
    // Pieces past the reader that must be missing-and-wanted, while the file has them.
    int min_missing_ahead = 2;
    // Playback rate assumed until the consumption estimate exists (about 8 Mbit/s video).
    double assumed_rate = 1'000'000;
    // Consecutive deadlines are at least this far apart (deadline order is request order).
    int min_spacing_ms = 50;
    // The container's index at each end of the file.
    double index_fraction = 0.01;
    int index_min_pieces = 2;
    std::int64_t index_max_bytes = std::int64_t{16} << 20;
    // The tail's index waits until every reader has this much playback here ahead of it (at the
    // consumption rate, or the assumed one): fetched at once, its 1 % of the file took the
    // first second of a fast lane while the player drained (bench: stalls 3-9 s into playback).
    double tail_after_seconds = 4;
    // A deadline is sent again when it moves earlier by more than this (or this fraction of
    // the deadline), or later by more than the "later" pair: a stalled reader's deadlines are in
    // the past, where libtorrent still ranks them first, so they need not follow the clock.
    int resend_earlier_ms = 1000;
    double resend_earlier_fraction = 0.25;
    int resend_later_ms = 5000;
    double resend_later_fraction = 0.5;
    // Pieces up to this factor past the window (and past the front) keep their deadlines: a
    // wobbling rate estimate must not set and clear the far end on every update.
    double keep_factor = 1.25;
    // The front: only the first missing pieces of each window get deadlines, as many as the
    // torrent downloads in this many seconds (at least `min_front_pieces`). A deadline sets
    // priority 7, and libtorrent's regular picker, which fills a peer's queue with about 3 s of
    // requests (request_queue_time) before the once-a-second deadline round, picks among the
    // priority-7 pieces in random order: with the whole 30 s window at 7 the reader's own piece
    // waited behind a random dozen (bench: 13 pieces in, piece 0 not, 2 s after the start).
    // Just over the queue keeps that queue on the front; the front moves on as pieces arrive.
    double front_seconds = 5;
    int min_front_pieces = 4;
    // Priorities within a front, since libtorrent picks in random order within one: 7 for the
    // first `now_pieces` missing pieces (what the player reads now), 6 up to `next_seconds` of
    // download from the reader (at least `next_min_pieces`) and for the tail index, 5 for the
    // rest. Everything outside the fronts keeps its file priority (4).
    int now_pieces = 2;
    double next_seconds = 2;
    int next_min_pieces = 2;
};

struct PlanInput {
    FileGeometry geometry;
    std::vector<bool> have;  // per piece of the torrent (index = piece)
    std::vector<ReaderState> readers;
    double consumption_rate = 0;  // bytes/s, 0 = unknown
    double download_rate = 0;     // bytes/s the torrent receives now, 0 = unknown (the front)
    Now now{};
};

struct PlanOutput {
    std::vector<PieceDeadline> set;  // in deadline order
    std::vector<int> clear;          // ascending
    // A reader jumped where nothing was prepared: clear before set (apply_plan), on purpose
    // emptying libtorrent's deadline list so it cancels the requests queued for the old place.
    bool seek = false;
    bool empty() const { return set.empty() && clear.empty(); }
};

class StreamPlan {
  public:
    explicit StreamPlan(PlanConfig config = {}) : config_(config) {}

    // What to change so that the deadlines match `in`; remembers what it returned as sent.
    PlanOutput update(PlanInput const& in);
    // The stream ends: clear every deadline still pending (their pieces get their priority back).
    PlanOutput finish(std::vector<bool> const& have);

    // Deadlines as last sent: piece -> when it is due, and its priority.
    std::map<int, Now> const& active() const { return active_; }
    std::map<int, int> const& priorities() const { return priorities_; }
    PlanConfig const& config() const { return config_; }

  private:
    PlanConfig config_;
    std::map<int, Now> active_;
    std::map<int, int> priorities_;  // as last sent, for the pieces in active_
    // Readers seen by the last update. An HTTP response only moves forward, so a jump is a new
    // reader (libavformat opens a connection per seek).
    std::set<int> known_readers_;
    bool head_passed_ = false;
    bool tail_started_ = false;
};

// Sends a plan to the engine in the order that matters to libtorrent: set before clear (the list
// never empties, requests in flight stay), or clear before set for a seek.
Status apply_plan(Engine& engine, TorrentId const& id, PlanOutput const& plan);

}  // namespace lanetorrent::stream
