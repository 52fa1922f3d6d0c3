// MediaPlayer: libmpv behind Qt signals, for the in-app player. No widgets: the window paints the
// frames this class hands over as QImages.
//
// Why libmpv and not Qt Multimedia: on Debian's Qt 6.4 the GStreamer backend ignores MKV seeks over
// HTTP and skips content after a stall, and the FFmpeg backend jumps an MKV seek to 0 and freezes
// without a word (docs/streaming.md, "The player"). mpv seeks both containers over HTTP and, when
// the torrent is late, pauses for its cache (paused-for-cache) instead of skipping.
//
// Threads: mpv runs its own. Its wakeup callback only posts a queued call, and every event and
// property change is turned into a signal on the thread that owns this object (the GUI thread).
// Video (when enabled) uses mpv's software render API on a render thread of ours that calls only
// mpv_render_* functions, as render.h asks; finished frames come back to the GUI thread.
#pragma once

#include <QImage>
#include <QObject>
#include <QSize>
#include <QString>
#include <QUrl>
#include <atomic>
#include <memory>

struct mpv_handle;
struct mpv_event;

namespace lanetorrent::ui {

class MediaPlayer : public QObject {
    Q_OBJECT
  public:
    enum class State { idle, loading, playing, paused, buffering, ended, failed };
    Q_ENUM(State)

    struct Options {
        // Decode and render video into QImages (software renderer). Off: vo=null, as in tests that
        // only need positions.
        bool video = true;
        bool audio = true;  // off: ao=null
    };

    explicit MediaPlayer(QObject* parent = nullptr);
    explicit MediaPlayer(Options options, QObject* parent = nullptr);
    ~MediaPlayer() override;

    // Starts playing `url` (http://, file:// or a local path), replacing what was loaded.
    void load(QUrl const& url);
    void stop();  // unloads; state idle
    void play();
    void pause();
    void toggle_pause();
    // Absolute seek to `seconds` (exact, not to the previous keyframe).
    void seek(double seconds);
    // Absolute seek to `fraction` (0..1) of the duration.
    void seek_fraction(double fraction);
    // Relative seek by `seconds`, exact.
    void seek_by(double seconds);
    void set_volume(double percent);  // 0..100
    void set_muted(bool muted);

    // The size the window wants frames at, in device pixels. mpv scales and adds black bars.
    void set_render_size(QSize size);

    State state() const { return state_; }
    QString error() const { return error_; }  // a sentence, when state() == failed
    QUrl url() const { return url_; }
    double position() const { return position_; }  // seconds, 0 before the first frame
    double duration() const { return duration_; }  // seconds, 0 while unknown
    double volume() const { return volume_; }
    bool muted() const { return muted_; }
    int cache_percent() const { return cache_percent_; }  // cache-buffering-state, 0..100
    // Seconds of media the player holds ahead of its playhead (demuxer-cache-duration): data the
    // stream server already handed over, which its own count of what is ahead cannot see.
    double buffered_seconds() const { return buffered_seconds_; }
    bool has_video_output() const { return render_ != nullptr; }
    QImage frame() const { return frame_; }  // the latest rendered frame (may be null)
    qint64 frames_rendered() const { return frames_; }

    static QString state_name(State state);

  signals:
    void stateChanged(lanetorrent::ui::MediaPlayer::State state);
    void positionChanged(double seconds);
    void durationChanged(double seconds);
    void volumeChanged(double percent);
    void mutedChanged(bool muted);
    void cachePercentChanged(int percent);
    void fileLoaded();
    // The first frame after a load or a seek is on its way to the screen (mpv's playback-restart).
    void playbackRestarted();
    void frameReady(QImage const& frame);
    void failed(QString const& message);

  private:
    struct Render;  // the software render context and its thread

    void drain_events();
    void handle(mpv_event const& event);
    void update_state();
    void fail(QString const& message);
    void command(std::initializer_list<char const*> args);
    void set_flag(char const* name, bool value);
    void set_double(char const* name, double value);
    void take_frame();

    Options options_;
    mpv_handle* mpv_ = nullptr;
    std::unique_ptr<Render> render_;
    std::atomic<bool> drain_posted_{false};

    QUrl url_;
    bool loaded_ = false;     // between load() and stop()/end-file
    bool restarted_ = false;  // first playback-restart after load() seen
    bool paused_ = false;
    bool paused_for_cache_ = false;
    bool eof_ = false;
    State state_ = State::idle;
    QString error_;
    QString last_log_error_;  // mpv's last error line, for the failure sentence
    double position_ = 0;
    double duration_ = 0;
    double volume_ = 100;
    bool muted_ = false;
    int cache_percent_ = 0;
    double buffered_seconds_ = 0;
    QImage frame_;
    qint64 frames_ = 0;
};

}  // namespace lanetorrent::ui
