#include "stream/torrent_stream.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

namespace lanetorrent::stream {

using namespace std::chrono_literals;

namespace {

bool is_video(std::string const& path) {
    static constexpr std::array<std::string_view, 12> extensions = {
        ".mp4", ".m4v",  ".mkv", ".webm", ".avi",  ".mov",
        ".ts",  ".m2ts", ".ogv", ".mpg",  ".mpeg", ".wmv"};
    auto const dot = path.rfind('.');
    if (dot == std::string::npos) return false;
    std::string extension = path.substr(dot);
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return std::find(extensions.begin(), extensions.end(), extension) != extensions.end();
}

// How often the planner runs when nothing wakes it: libtorrent sends deadline requests once a
// second, so planning more often only matters right after a reader moved (which wakes us).
constexpr auto plan_interval = 100ms;

}  // namespace

int pick_stream_file(std::vector<TorrentFile> const& files) {
    TorrentFile const* best = nullptr;
    for (auto const& file : files) {
        if (!best) {
            best = &file;
            continue;
        }
        bool const video = is_video(file.path);
        bool const best_video = is_video(best->path);
        if (video != best_video ? video : file.size > best->size) best = &file;
    }
    return best ? best->index : -1;
}

TorrentStream::TorrentStream(Engine& engine, lanes::LaneControl* lanes, StreamServer& server,
                             TorrentId id, StreamOptions options, std::function<void()> wake)
    : engine_(engine),
      lanes_(lanes),
      server_(server),
      id_(std::move(id)),
      options_(std::move(options)),
      wake_(std::move(wake)),
      plan_(PlanConfig{.buffer_target_seconds =
                           static_cast<double>(options_.buffer_target.count())}) {
    // Before any piece arrives: a fresh torrent would otherwise fetch random pieces first.
    (void)engine_.set_streaming(id_, true);
    if (options_.sequential) (void)engine_.set_sequential(id_, true);
    if (options_.auto_lane && lanes_) {
        AutoLaneConfig config;
        config.buffer_target_seconds = static_cast<double>(options_.buffer_target.count());
        config.caps = options_.caps;
        auto_lane_.emplace(config);
        // The start (nothing buffered, the rate unknown) is decided now, before the torrent's
        // first connection is attached: a connection asks for its lane in its hello, while a
        // live one moving to a paid lane takes about a second more (docs/lanes.md), and the
        // first seconds of playback are the ones with nothing buffered.
        AutoLaneInput start;
        start.now = std::chrono::steady_clock::now();
        start.prices = lanes_->offered_prices(id_);
        start.spent = lanes_->spent_on(id_);
        follow(auto_lane_->decide(start));
    }
    try_publish();
}

TorrentStream::~TorrentStream() {
    if (file_) {
        server_.unpublish(file_);
        file_->close();
    }
}

std::string TorrentStream::file_name() const {
    return file_ ? file_->geometry().name : "";
}

std::int64_t TorrentStream::file_size() const {
    return file_ ? file_->geometry().size : 0;
}

void TorrentStream::observe(Event const& event) {
    if (auto const* piece = std::get_if<event::PieceFinished>(&event)) {
        if (file_ && piece->id == id_) file_->mark_have(piece->piece);
        return;
    }
    if (auto const* checked = std::get_if<event::Checked>(&event)) {
        if (checked->id != id_) return;
        if (!file_) return try_publish();
        file_->mark_have(engine_.have_pieces(id_));
        return;
    }
    if (auto const* metadata = std::get_if<event::MetadataReceived>(&event)) {
        if (metadata->id == id_ && !file_) try_publish();
    }
}

void TorrentStream::try_publish() {
    if (file_ || error_) return;
    auto const files = engine_.files(id_);
    if (files.empty()) return;  // a magnet still fetching its metadata
    int const index = options_.file_index.value_or(pick_stream_file(files));
    auto const pieces = engine_.file_pieces(id_, index);
    if (!pieces) {
        error_ = options_.file_index
                     ? "the torrent has no file " + std::to_string(*options_.file_index)
                     : std::string("the torrent has no file to play");
        return;
    }
    file_index_ = index;
    FileGeometry geometry;
    geometry.path = pieces->path;
    geometry.name = pieces->name;
    geometry.size = pieces->size;
    geometry.offset_in_torrent = pieces->offset_in_torrent;
    geometry.piece_length = pieces->piece_length;
    geometry.num_pieces = pieces->num_pieces;
    file_ = std::make_shared<PieceFile>(std::move(geometry));
    file_->mark_have(engine_.have_pieces(id_));
    file_->set_on_readers_changed(wake_);
    url_ = server_.publish(file_);
}

void TorrentStream::tick(std::chrono::steady_clock::time_point now) {
    if (!file_) {
        try_publish();
        return;
    }
    auto readers = file_->readers();
    bool const moved =
        readers.size() != last_readers_.size() ||
        !std::equal(readers.begin(), readers.end(), last_readers_.begin(),
                    [](ReaderState const& a, ReaderState const& b) {
                        return a.id == b.id && a.offset == b.offset &&
                               a.waiting_since.has_value() == b.waiting_since.has_value();
                    });
    if (!moved && now < next_plan_) return;
    next_plan_ = now + plan_interval;
    last_readers_ = readers;
    plan(now, readers);
    choose_lane(now);
}

void TorrentStream::plan(std::chrono::steady_clock::time_point now,
                         std::vector<ReaderState> const& readers) {
    auto const& geometry = file_->geometry();
    consumption_.observe(now, readers);
    double const rate = consumption_.rate();

    PlanInput input;
    input.geometry = geometry;
    input.have.assign(static_cast<std::size_t>(geometry.num_pieces), false);
    for (int piece = geometry.first_piece(); piece <= geometry.last_piece(); ++piece) {
        input.have[static_cast<std::size_t>(piece)] = file_->have(piece);
    }
    input.readers = readers;
    input.consumption_rate = rate;
    if (auto const progress = engine_.progress(id_)) input.download_rate = progress->download_rate;
    input.now = now;
    if (!options_.sequential) {
        auto const decision = plan_.update(input);
        if (!decision.empty()) (void)apply_plan(engine_, id_, decision);
    }

    BufferStatus status;
    for (auto const& reader : readers) {
        if (reader.waiting_since) status.starving = true;
        status.read_offset = std::max(status.read_offset, reader.offset);
    }
    status.ahead_bytes = file_->readable_from(status.read_offset);
    status.consumption_rate = rate;
    status.ahead_seconds = rate > 0 ? static_cast<double>(status.ahead_bytes) / rate : 0;
    status.lane = granted_lane();
    status.lane_reason = status_.lane_reason;
    if (lanes_) status.spent = lanes_->spent_on(id_);
    status_ = status;
}

void TorrentStream::choose_lane(std::chrono::steady_clock::time_point now) {
    if (!auto_lane_ || !lanes_) return;
    AutoLaneInput input;
    input.now = now;
    input.consumption_rate = status_.consumption_rate;
    input.ahead_bytes = status_.ahead_bytes;
    input.player_seconds = player_seconds_;
    input.starving = status_.starving;
    input.remaining_bytes = file_->geometry().size - status_.read_offset;
    if (auto const progress = engine_.progress(id_)) input.download_rate = progress->download_rate;
    input.current = lane_;
    input.prices = lanes_->offered_prices(id_);
    input.spent = status_.spent;
    follow(auto_lane_->decide(input));
}

void TorrentStream::follow(AutoLaneDecision const& decision) {
    status_.lane_reason = decision.reason;
    if (decision.lane == lane_) return;
    lane_ = decision.lane;
    lanes_->set_lane(id_, lane_, options_.caps);
}

lanes::Lane TorrentStream::granted_lane() const {
    auto lane = lanes::Lane::slow;
    if (!lanes_) return lane;
    for (auto const& peer : lanes_->peers()) {
        if (peer.torrent == id_ && peer.role == lanes::Role::spend)
            lane = std::max(lane, peer.lane);
    }
    return lane;
}

std::vector<std::pair<std::int64_t, std::int64_t>> TorrentStream::available_ranges() const {
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    if (!file_) return ranges;
    auto const& geometry = file_->geometry();
    for (int piece = geometry.first_piece(); piece <= geometry.last_piece(); ++piece) {
        if (!file_->have(piece)) continue;
        auto const [begin, end] = geometry.bytes_of_piece(piece);
        if (begin == end) continue;
        if (!ranges.empty() && ranges.back().second == begin) {
            ranges.back().second = end;
        } else {
            ranges.emplace_back(begin, end);
        }
    }
    return ranges;
}

}  // namespace lanetorrent::stream
