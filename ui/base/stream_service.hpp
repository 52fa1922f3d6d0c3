// StreamService: the torrents the app plays while they download (issue 14). For each, a
// stream::TorrentStream (a file served over the loopback server, deadlines on the pieces ahead of
// the player, and with `auto` the lane the buffer needs) fed with the Session's engine events on
// the GUI thread. The Session owns it and drives it; the player window only sees a URL and the
// figures below.
#pragma once

#include <QObject>
#include <QPair>
#include <QString>
#include <QTimer>
#include <QUrl>
#include <QVector>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "base/result.hpp"
#include "engine/engine.hpp"
#include "lanes/lane_control.hpp"
#include "stream/torrent_stream.hpp"

namespace lanetorrent::stream {
class StreamServer;
}

namespace lanetorrent::ui {

// How a stream buys its lane.
struct PlayRequest {
    std::optional<int> file_index;  // empty: the largest video file
    // Buy the lane the playback needs within `caps` (medium or fast while the buffer is short,
    // slow once it is full); otherwise the torrent keeps the lane it has.
    bool auto_lane = false;
    lanes::Caps caps;
    std::chrono::seconds buffer_target{30};
};

// What the player window shows of a stream.
struct StreamInfo {
    QUrl url;       // empty until the torrent has metadata and the file is published
    QString title;  // the file's name
    qint64 size = 0;
    bool auto_lane = false;
    stream::BufferStatus status;
    QVector<QPair<double, double>> ranges;  // downloaded parts, as fractions of the file
};

class StreamService : public QObject {
    Q_OBJECT
  public:
    // `wake` asks the owner for a poll (observe + tick) soon; it may be called from any thread.
    StreamService(Engine& engine, lanes::LaneControl* lanes, std::function<void()> wake,
                  QObject* parent = nullptr);
    ~StreamService() override;

    // Starts playing `id`, or does nothing if it plays already. The loopback server starts with
    // the first stream. Errors are for a person (no such torrent, the server cannot listen).
    Status play(TorrentId const& id, PlayRequest const& request);
    // Ends the stream: its URL stops working, deadlines are dropped and the torrent goes back to
    // rarest-first. Returns whether it bought its lane itself (the caller restores the lane the
    // user chose).
    bool stop(TorrentId const& id);
    void stop_all();
    bool playing(TorrentId const& id) const { return streams_.contains(id); }
    std::optional<StreamInfo> info(TorrentId const& id) const;
    // Seconds the app's player holds ahead of its playhead: the auto lane counts them.
    void set_player_buffer(TorrentId const& id, double seconds);

    // From the owner's poll, on the GUI thread.
    void observe(Event const& event);
    void tick(std::chrono::steady_clock::time_point now);
    // Once a second: updated() for every stream.
    void report();

  signals:
    void ready(QString id, QUrl url, QString title);  // the URL works from now on
    void updated(QString id);
    void failed(QString id, QString message);  // the stream ended: nothing to play

  private:
    struct Running {
        std::unique_ptr<stream::TorrentStream> stream;
        bool auto_lane = false;
        bool announced = false;
    };

    Engine& engine_;
    lanes::LaneControl* lanes_;
    std::function<void()> wake_;
    std::unique_ptr<stream::StreamServer> server_;
    std::map<TorrentId, Running> streams_;
    // Planning runs every 100 ms while something plays: deadlines follow the player closely.
    QTimer plan_timer_;
};

}  // namespace lanetorrent::ui
