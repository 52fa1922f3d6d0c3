// TorrentStream: one file of one torrent, played while it downloads. The adapter that joins the
// parts of src/stream to the engine and the lanes, on the app thread:
//
//   engine events ──► PieceFile (what may be served) ──► StreamServer (the player's HTTP reads)
//                                                             │ reader positions
//   Engine::set_piece_deadlines ◄── StreamPlan ◄──────────────┤
//   LaneControl::set_lane       ◄── AutoLane   ◄── ConsumptionEstimator
//
// The rules (which pieces get deadlines, which lane to buy) are deterministic and tested alone
// (stream_plan, auto_lane, consumption); this class only feeds them the world and carries out
// what they decide. It never reads pieces through libtorrent (read_piece on a missing piece
// pauses the torrent in 2.0.8): the server reads the file once a piece has passed.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "lanes/lane.hpp"
#include "lanes/lane_control.hpp"
#include "stream/auto_lane.hpp"
#include "stream/consumption.hpp"
#include "stream/http_server.hpp"
#include "stream/piece_file.hpp"
#include "stream/stream_plan.hpp"

namespace lanetorrent::stream {

struct StreamOptions {
    // The file to play (Engine::files index); empty: the largest video file, else the largest.
    std::optional<int> file_index;
    // `auto`: buy the lane the playback needs (AutoLane); otherwise the lane stays what the
    // caller set on the torrent.
    bool auto_lane = false;
    lanes::Caps caps;
    std::chrono::seconds buffer_target{30};
    // libtorrent's sequential download instead of the planner's deadlines: what qBittorrent
    // offers, kept to compare against (bench/stream).
    bool sequential = false;
};

// What the player and the user see of a stream, about once a second.
struct BufferStatus {
    std::int64_t read_offset = 0;  // the furthest reader's next byte
    std::int64_t ahead_bytes = 0;  // contiguous bytes downloaded past it
    double ahead_seconds = 0;      // the same in playback time (0 while the rate is unknown)
    double consumption_rate = 0;   // bytes/s the player reads, estimated
    bool starving = false;         // a reader waits for data
    // The lane a seller has put this torrent in (the highest, with several; slow while none
    // has granted one): what is paid for, whether `auto` or the user chose the lane.
    lanes::Lane lane = lanes::Lane::slow;
    std::string lane_reason;  // why auto asks for its lane (empty without auto)
    lanes::Units spent = 0;   // IOUs on this torrent so far
};

class TorrentStream {
  public:
    // `wake` is called from the server's thread when a reader moves, so the app thread can plan
    // at once instead of at its next tick. `lanes` may be null (no lanes: the slow lane only).
    TorrentStream(Engine& engine, lanes::LaneControl* lanes, StreamServer& server, TorrentId id,
                  StreamOptions options, std::function<void()> wake);
    ~TorrentStream();  // unpublishes the file; waiting readers get their connection closed
    TorrentStream(TorrentStream const&) = delete;
    TorrentStream& operator=(TorrentStream const&) = delete;

    // Feed every engine event (metadata, checked, pieces).
    void observe(Event const& event);
    // Plans deadlines and the lane. Call on every loop turn; it does real work at most every
    // 100 ms, and at once after a reader moved.
    void tick(std::chrono::steady_clock::time_point now);

    // Set once the torrent has metadata and the file is published.
    std::optional<std::string> const& url() const { return url_; }
    std::string file_name() const;
    std::int64_t file_size() const;
    int file_index() const { return file_index_; }
    // Set when the torrent has no file to play (empty, or the index given is out of range).
    std::optional<std::string> const& error() const { return error_; }

    BufferStatus status() const { return status_; }
    // What the player holds ahead of its playhead, in seconds, when it can say (the app's
    // player); the auto lane counts it as buffered.
    void set_player_buffer(double seconds) { player_seconds_ = seconds; }
    // Downloaded byte ranges of the file, merged, for a seek bar.
    std::vector<std::pair<std::int64_t, std::int64_t>> available_ranges() const;

  private:
    void try_publish();
    void plan(std::chrono::steady_clock::time_point now, std::vector<ReaderState> const& readers);
    void choose_lane(std::chrono::steady_clock::time_point now);
    // Asks the lanes for what `auto` decided, if it changed.
    void follow(AutoLaneDecision const& decision);
    lanes::Lane granted_lane() const;

    Engine& engine_;
    lanes::LaneControl* lanes_;
    StreamServer& server_;
    TorrentId id_;
    StreamOptions options_;
    std::function<void()> wake_;

    int file_index_ = -1;
    std::shared_ptr<PieceFile> file_;
    std::optional<std::string> url_;
    std::optional<std::string> error_;
    StreamPlan plan_;
    ConsumptionEstimator consumption_;
    std::optional<AutoLane> auto_lane_;
    lanes::Lane lane_ = lanes::Lane::slow;  // what `auto` asked for
    double player_seconds_ = 0;
    BufferStatus status_;
    std::vector<ReaderState> last_readers_;
    std::chrono::steady_clock::time_point next_plan_{};
};

// The file a stream plays when none is named: the largest with a video extension, else the
// largest. -1 when `files` is empty.
int pick_stream_file(std::vector<TorrentFile> const& files);

}  // namespace lanetorrent::stream
