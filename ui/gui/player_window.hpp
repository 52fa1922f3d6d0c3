// PlayerWindow: the in-app player for a stream (issue 14). The video (MediaPlayer's software
// frames), play/pause, a seek bar that also shows which parts of the file are downloaded, time,
// volume and mute, full screen, a "buffering" overlay while mpv waits for data, the lane and what
// the stream has cost so far, and "Open in external player". It knows nothing of torrents: whoever
// opens it passes the URL and keeps the ranges and the lane line current through the setters.
#pragma once

#include <QImage>
#include <QPair>
#include <QStringList>
#include <QUrl>
#include <QVector>
#include <QWidget>
#include <functional>
#include <optional>

#include "base/media_player.hpp"

class QLabel;
class QPushButton;
class QSlider;
class QToolButton;

namespace lanetorrent::ui {

// Paints the latest frame, keeping its aspect ratio, with black bars. mpv already renders at this
// widget's size with bars of its own; scaling here only covers the moment between a resize and
// the next frame.
class VideoView : public QWidget {
    Q_OBJECT
  public:
    explicit VideoView(QWidget* parent = nullptr);
    void set_frame(QImage const& frame);
    QImage frame() const { return frame_; }
    QSize render_size() const;  // device pixels

  signals:
    void renderSizeChanged(QSize device_pixels);
    void doubleClicked();

  protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;

  private:
    QImage frame_;
};

// The seek bar: the whole file as a groove, downloaded ranges as a lighter band, the played part,
// and the playhead. Click or drag to seek (the seek is requested on release).
class SeekBar : public QWidget {
    Q_OBJECT
  public:
    using Ranges = QVector<QPair<double, double>>;  // [begin, end) as fractions of the file
    static constexpr int max_ranges = 4096;

    explicit SeekBar(QWidget* parent = nullptr);

    // Clamped to [0, 1], empty ones dropped, sorted and merged; at most max_ranges (the rest are
    // merged into the last), so painting stays cheap whatever the caller passes.
    static Ranges normalized(Ranges ranges);
    void set_ranges(Ranges const& ranges);
    Ranges ranges() const { return ranges_; }
    double downloaded_fraction() const;  // of the whole file

    void set_position(double fraction);  // ignored while the user drags
    double position() const { return dragging_ ? drag_ : position_; }
    bool dragging() const { return dragging_; }
    double fraction_at(double x) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

  signals:
    void seekRequested(double fraction);
    void scrubbed(double fraction);  // while dragging, for the time label

  protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

  private:
    QRectF groove() const;

    Ranges ranges_;
    double position_ = 0;
    double drag_ = 0;
    bool dragging_ = false;
};

class PlayerWindow : public QWidget {
    Q_OBJECT
  public:
    static constexpr double key_seek_seconds = 5;

    // How to hand a URL to another player: mpv, else VLC, else the desktop's default (xdg-open).
    struct ExternalPlayer {
        QString program;
        QStringList arguments;
    };
    // `find` maps a program name to its path, or an empty string (QStandardPaths::findExecutable).
    static std::optional<ExternalPlayer> external_player(
        QUrl const& url, std::function<QString(QString const&)> const& find);

    explicit PlayerWindow(QWidget* parent = nullptr);
    explicit PlayerWindow(MediaPlayer::Options options, QWidget* parent = nullptr);
    ~PlayerWindow() override;

    // Plays `url`; `title` names the window ("Conference-talk.mkv").
    void play(QUrl const& url, QString const& title = {});
    void set_stream_info(QString const& lane, QString const& cost);
    void set_available_ranges(QVector<QPair<double, double>> const& ranges);

    MediaPlayer& player() { return *player_; }
    SeekBar* seek_bar() const { return seek_bar_; }
    VideoView* video_view() const { return video_; }
    QString position_text() const;
    QString stream_info_text() const;
    QString overlay_text() const;  // empty while the overlay is hidden

    void toggle_full_screen();
    // Starts the external player on the current URL (an argument list, never a shell) and pauses
    // this one; false, with a message box, when none could start.
    bool open_in_external_player();

  signals:
    void closed();  // the stream may stop
    void externalPlayerStarted(QString const& program);

  protected:
    void keyPressEvent(QKeyEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

  private:
    void build();
    void on_state(MediaPlayer::State state);
    void update_time();
    void update_overlay();
    void place_overlay();

    MediaPlayer* player_;
    VideoView* video_;
    QLabel* overlay_;
    SeekBar* seek_bar_;
    QToolButton* play_button_;
    QLabel* time_label_;
    QToolButton* mute_button_;
    QSlider* volume_slider_;
    QToolButton* full_screen_button_;
    QPushButton* external_button_;
    QLabel* status_label_;
    QString title_;
};

// "m:ss", or "h:mm:ss" from an hour on.
QString format_media_time(double seconds);

}  // namespace lanetorrent::ui
