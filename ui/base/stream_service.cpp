#include "base/stream_service.hpp"

#include <numeric>
#include <tuple>
#include <vector>

#include "stream/http_server.hpp"

namespace lanetorrent::ui {

namespace {

using namespace std::chrono_literals;

// The pieces a file touches, to drop every deadline the stream may have set on them.
std::vector<int> pieces_of(FilePieces const& file) {
    if (file.piece_length <= 0 || file.size <= 0) return {};
    auto const first = static_cast<int>(file.offset_in_torrent / file.piece_length);
    auto const last =
        static_cast<int>((file.offset_in_torrent + file.size - 1) / file.piece_length);
    std::vector<int> pieces(static_cast<std::size_t>(last - first + 1));
    std::iota(pieces.begin(), pieces.end(), first);
    return pieces;
}

}  // namespace

StreamService::StreamService(Engine& engine, lanes::LaneControl* lanes, std::function<void()> wake,
                             QObject* parent)
    : QObject(parent), engine_(engine), lanes_(lanes), wake_(std::move(wake)) {
    plan_timer_.setInterval(100ms);
    connect(&plan_timer_, &QTimer::timeout, this, [this] { wake_(); });
}

StreamService::~StreamService() {
    // Streams unpublish their files from the server, so they end first.
    streams_.clear();
    server_.reset();
}

Status StreamService::play(TorrentId const& id, PlayRequest const& request) {
    if (streams_.contains(id)) return Ok{};
    if (!server_) {
        auto started = stream::StreamServer::start();
        if (!started) {
            return Error{tr("The player's local server cannot start: %1")
                             .arg(QString::fromStdString(started.error()))
                             .toStdString()};
        }
        server_ = std::move(started.value());
    }
    stream::StreamOptions options;
    options.file_index = request.file_index;
    options.auto_lane = request.auto_lane && lanes_ != nullptr;
    options.caps = request.caps;
    options.buffer_target = request.buffer_target;
    Running running;
    running.auto_lane = options.auto_lane;
    // The server's thread calls `wake` when a reader moves: plan at once, not at the next tick.
    running.stream =
        std::make_unique<stream::TorrentStream>(engine_, lanes_, *server_, id, options, wake_);
    if (auto const& error = running.stream->error()) return Error{*error};
    streams_.emplace(id, std::move(running));
    plan_timer_.start();
    wake_();
    return Ok{};
}

bool StreamService::stop(TorrentId const& id) {
    auto const it = streams_.find(id);
    if (it == streams_.end()) return false;
    bool const bought_lane = it->second.auto_lane;
    int const file_index = it->second.stream->file_index();
    streams_.erase(it);
    // Back to a plain download: no deadlines left behind at priority 7, rarest-first again.
    if (file_index >= 0) {
        if (auto const file = engine_.file_pieces(id, file_index)) {
            (void)engine_.clear_piece_deadlines(id, pieces_of(*file));
        }
    }
    (void)engine_.set_streaming(id, false);
    if (streams_.empty()) plan_timer_.stop();
    return bought_lane;
}

void StreamService::stop_all() {
    while (!streams_.empty()) stop(streams_.begin()->first);
}

void StreamService::set_player_buffer(TorrentId const& id, double seconds) {
    if (auto const it = streams_.find(id); it != streams_.end()) {
        it->second.stream->set_player_buffer(seconds);
    }
}

std::optional<StreamInfo> StreamService::info(TorrentId const& id) const {
    auto const it = streams_.find(id);
    if (it == streams_.end()) return std::nullopt;
    auto const& stream = *it->second.stream;
    StreamInfo info;
    if (stream.url()) info.url = QUrl(QString::fromStdString(*stream.url()));
    info.title = QString::fromStdString(stream.file_name());
    info.size = stream.file_size();
    info.auto_lane = it->second.auto_lane;
    info.status = stream.status();
    if (info.size > 0) {
        auto const size = static_cast<double>(info.size);
        for (auto const& [begin, end] : stream.available_ranges()) {
            info.ranges.append(
                {static_cast<double>(begin) / size, static_cast<double>(end) / size});
        }
    }
    return info;
}

void StreamService::observe(Event const& event) {
    for (auto& [id, running] : streams_) running.stream->observe(event);
}

void StreamService::tick(std::chrono::steady_clock::time_point now) {
    // Signals go out after the loop: a slot may stop a stream.
    std::vector<std::tuple<TorrentId, QUrl, QString>> readies;
    std::vector<std::pair<TorrentId, QString>> failures;
    for (auto& [id, running] : streams_) {
        auto& stream = *running.stream;
        stream.tick(now);
        if (stream.error()) {
            failures.emplace_back(id, QString::fromStdString(*stream.error()));
        } else if (!running.announced && stream.url()) {
            running.announced = true;
            readies.emplace_back(id, QUrl(QString::fromStdString(*stream.url())),
                                 QString::fromStdString(stream.file_name()));
        }
    }
    for (auto const& [id, message] : failures) {
        stop(id);
        emit failed(QString::fromStdString(id), message);
    }
    for (auto const& [id, url, title] : readies) {
        if (playing(id)) emit ready(QString::fromStdString(id), url, title);
    }
}

void StreamService::report() {
    std::vector<QString> ids;
    for (auto const& [id, running] : streams_) ids.push_back(QString::fromStdString(id));
    for (auto const& id : ids) emit updated(id);
}

}  // namespace lanetorrent::ui
