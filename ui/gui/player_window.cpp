#include "gui/player_window.hpp"

#include <QCloseEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QProcess>
#include <QPushButton>
#include <QSlider>
#include <QStandardPaths>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace lanetorrent::ui {

QString format_media_time(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) seconds = 0;
    auto const total = static_cast<long long>(seconds);
    int const s = int(total % 60);
    int const m = int(total / 60 % 60);
    auto const h = total / 3600;
    if (h > 0) {
        return QStringLiteral("%1:%2:%3")
            .arg(h)
            .arg(m, 2, 10, QLatin1Char('0'))
            .arg(s, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

// ---- VideoView ----

VideoView::VideoView(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(320, 180);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void VideoView::set_frame(QImage const& frame) {
    frame_ = frame;
    update();
}

QSize VideoView::render_size() const {
    return (QSizeF(size()) * devicePixelRatioF()).toSize();
}

void VideoView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), Qt::black);
    if (frame_.isNull()) return;
    QSizeF const target = QSizeF(frame_.size()).scaled(QSizeF(size()), Qt::KeepAspectRatio);
    QRectF const place((width() - target.width()) / 2, (height() - target.height()) / 2,
                       target.width(), target.height());
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(place, frame_);
}

void VideoView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    emit renderSizeChanged(render_size());
}

void VideoView::mouseDoubleClickEvent(QMouseEvent* event) {
    event->accept();
    emit doubleClicked();
}

// ---- SeekBar ----

SeekBar::SeekBar(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setMouseTracking(false);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Lighter: downloaded. Click or drag to seek."));
}

SeekBar::Ranges SeekBar::normalized(Ranges ranges) {
    Ranges clean;
    for (auto [begin, end] : ranges) {
        if (!std::isfinite(begin) || !std::isfinite(end)) continue;
        begin = std::clamp(begin, 0.0, 1.0);
        end = std::clamp(end, 0.0, 1.0);
        if (end > begin) clean.push_back({begin, end});
    }
    std::sort(clean.begin(), clean.end());
    Ranges merged;
    for (auto const& range : clean) {
        if (!merged.isEmpty() && range.first <= merged.back().second) {
            merged.back().second = std::max(merged.back().second, range.second);
        } else if (merged.size() == max_ranges) {
            merged.back().second = std::max(merged.back().second, range.second);
        } else {
            merged.push_back(range);
        }
    }
    return merged;
}

void SeekBar::set_ranges(Ranges const& ranges) {
    ranges_ = normalized(ranges);
    update();
}

double SeekBar::downloaded_fraction() const {
    double sum = 0;
    for (auto const& [begin, end] : ranges_) sum += end - begin;
    return sum;
}

void SeekBar::set_position(double fraction) {
    if (!std::isfinite(fraction)) fraction = 0;
    position_ = std::clamp(fraction, 0.0, 1.0);
    if (!dragging_) update();
}

QRectF SeekBar::groove() const {
    qreal const margin = 7;  // room for the playhead at both ends
    qreal const thickness = 6;
    return {margin, (height() - thickness) / 2, std::max<qreal>(1, width() - 2 * margin),
            thickness};
}

double SeekBar::fraction_at(double x) const {
    auto const g = groove();
    return std::clamp((x - g.left()) / g.width(), 0.0, 1.0);
}

QSize SeekBar::sizeHint() const {
    return {400, 22};
}

QSize SeekBar::minimumSizeHint() const {
    return {80, 22};
}

void SeekBar::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    auto const g = groove();
    auto const pal = palette();
    QColor const base = pal.color(QPalette::Mid).darker(150);
    QColor const downloaded = pal.color(QPalette::Mid).lighter(130);
    QColor const played = pal.color(QPalette::Highlight);

    painter.setPen(Qt::NoPen);
    painter.setBrush(base);
    painter.drawRoundedRect(g, 3, 3);
    painter.setBrush(downloaded);
    for (auto const& [begin, end] : ranges_) {
        QRectF band(g.left() + begin * g.width(), g.top(), (end - begin) * g.width(), g.height());
        band.setWidth(std::max<qreal>(band.width(), 1));  // a piece is never invisible
        painter.drawRect(band);
    }
    double const at = position();
    QRectF const done(g.left(), g.top() + 1, at * g.width(), g.height() - 2);
    painter.setBrush(played);
    painter.drawRect(done);
    painter.setBrush(pal.color(QPalette::Light));
    painter.setPen(QPen(played, 2));
    painter.drawEllipse(QPointF(g.left() + at * g.width(), g.center().y()), 6, 6);
}

void SeekBar::mousePressEvent(QMouseEvent* event) {
    if (event->button() != Qt::LeftButton) return QWidget::mousePressEvent(event);
    dragging_ = true;
    drag_ = fraction_at(event->position().x());
    emit scrubbed(drag_);
    update();
}

void SeekBar::mouseMoveEvent(QMouseEvent* event) {
    if (!dragging_) return QWidget::mouseMoveEvent(event);
    drag_ = fraction_at(event->position().x());
    emit scrubbed(drag_);
    update();
}

void SeekBar::mouseReleaseEvent(QMouseEvent* event) {
    if (!dragging_ || event->button() != Qt::LeftButton) return QWidget::mouseReleaseEvent(event);
    dragging_ = false;
    drag_ = fraction_at(event->position().x());
    position_ = drag_;  // shows the target until the player reports from there
    update();
    emit seekRequested(drag_);
}

// ---- PlayerWindow ----

std::optional<PlayerWindow::ExternalPlayer> PlayerWindow::external_player(
    QUrl const& url, std::function<QString(QString const&)> const& find) {
    if (!url.isValid() || url.isEmpty()) return std::nullopt;
    QString const target = url.isLocalFile() ? url.toLocalFile() : url.toString(QUrl::FullyEncoded);
    // "--" ends the options: nothing in the URL can become a flag.
    if (auto mpv = find(QStringLiteral("mpv")); !mpv.isEmpty()) {
        return ExternalPlayer{mpv,
                              {QStringLiteral("--force-window=yes"), QStringLiteral("--"), target}};
    }
    if (auto vlc = find(QStringLiteral("vlc")); !vlc.isEmpty()) {
        return ExternalPlayer{vlc, {QStringLiteral("--"), target}};
    }
    if (auto open = find(QStringLiteral("xdg-open")); !open.isEmpty()) {
        return ExternalPlayer{open, {target}};
    }
    return std::nullopt;
}

PlayerWindow::PlayerWindow(QWidget* parent) : PlayerWindow(MediaPlayer::Options{}, parent) {}

PlayerWindow::PlayerWindow(MediaPlayer::Options options, QWidget* parent)
    : QWidget(parent, Qt::Window), player_(new MediaPlayer(options, this)) {
    build();
}

PlayerWindow::~PlayerWindow() = default;

void PlayerWindow::build() {
    setWindowTitle(tr("LaneTorrent player"));
    setFocusPolicy(Qt::StrongFocus);
    resize(800, 520);

    video_ = new VideoView(this);
    overlay_ = new QLabel(video_);
    overlay_->setAlignment(Qt::AlignCenter);
    overlay_->setWordWrap(true);
    overlay_->setStyleSheet(QStringLiteral(
        "QLabel { color: white; background: rgba(0, 0, 0, 160); border-radius: 6px; padding: 10px; "
        "font-size: 15px; }"));
    overlay_->hide();

    seek_bar_ = new SeekBar(this);
    seek_bar_->setFocusPolicy(Qt::NoFocus);

    auto const tool = [this](QStyle::StandardPixmap icon, QString const& tip) {
        auto* button = new QToolButton(this);
        button->setIcon(style()->standardIcon(icon));
        button->setToolTip(tip);
        button->setFocusPolicy(Qt::NoFocus);
        button->setAutoRaise(true);
        return button;
    };
    play_button_ = tool(QStyle::SP_MediaPlay, tr("Play (Space)"));
    time_label_ = new QLabel(this);
    time_label_->setObjectName(QStringLiteral("position"));
    time_label_->setTextFormat(Qt::PlainText);
    mute_button_ = tool(QStyle::SP_MediaVolume, tr("Mute (M)"));
    mute_button_->setCheckable(true);
    volume_slider_ = new QSlider(Qt::Horizontal, this);
    volume_slider_->setRange(0, 100);
    volume_slider_->setValue(100);
    volume_slider_->setFixedWidth(100);
    volume_slider_->setFocusPolicy(Qt::NoFocus);
    volume_slider_->setToolTip(tr("Volume"));
    full_screen_button_ = tool(QStyle::SP_TitleBarMaxButton, tr("Full screen (F)"));
    external_button_ = new QPushButton(tr("Open in external player"), this);
    external_button_->setFocusPolicy(Qt::NoFocus);
    external_button_->setToolTip(
        tr("Hand this stream to mpv, VLC or the desktop's default player"));
    status_label_ = new QLabel(this);
    status_label_->setObjectName(QStringLiteral("streamInfo"));
    status_label_->setTextFormat(Qt::PlainText);
    status_label_->hide();

    auto* controls = new QHBoxLayout;
    controls->addWidget(play_button_);
    controls->addWidget(time_label_);
    controls->addStretch();
    controls->addWidget(mute_button_);
    controls->addWidget(volume_slider_);
    controls->addWidget(full_screen_button_);
    controls->addWidget(external_button_);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 4);
    layout->setSpacing(2);
    layout->addWidget(video_, 1);
    auto* below = new QVBoxLayout;
    below->setContentsMargins(6, 0, 6, 0);
    below->addWidget(seek_bar_);
    below->addLayout(controls);
    below->addWidget(status_label_);
    layout->addLayout(below);

    connect(player_, &MediaPlayer::frameReady, video_, &VideoView::set_frame);
    connect(video_, &VideoView::renderSizeChanged, player_, &MediaPlayer::set_render_size);
    connect(video_, &VideoView::renderSizeChanged, this, &PlayerWindow::place_overlay);
    connect(video_, &VideoView::doubleClicked, this, &PlayerWindow::toggle_full_screen);
    connect(player_, &MediaPlayer::stateChanged, this, &PlayerWindow::on_state);
    connect(player_, &MediaPlayer::positionChanged, this, &PlayerWindow::update_time);
    connect(player_, &MediaPlayer::durationChanged, this, &PlayerWindow::update_time);
    connect(player_, &MediaPlayer::cachePercentChanged, this, &PlayerWindow::update_overlay);
    connect(player_, &MediaPlayer::volumeChanged, this, [this](double percent) {
        QSignalBlocker block(volume_slider_);
        volume_slider_->setValue(int(std::lround(percent)));
    });
    connect(player_, &MediaPlayer::mutedChanged, this, [this](bool muted) {
        QSignalBlocker block(mute_button_);
        mute_button_->setChecked(muted);
        mute_button_->setIcon(
            style()->standardIcon(muted ? QStyle::SP_MediaVolumeMuted : QStyle::SP_MediaVolume));
    });
    connect(seek_bar_, &SeekBar::seekRequested, player_, &MediaPlayer::seek_fraction);
    connect(seek_bar_, &SeekBar::scrubbed, this, &PlayerWindow::update_time);
    connect(play_button_, &QToolButton::clicked, player_, &MediaPlayer::toggle_pause);
    connect(mute_button_, &QToolButton::toggled, player_, &MediaPlayer::set_muted);
    connect(volume_slider_, &QSlider::valueChanged, player_,
            [this](int value) { player_->set_volume(value); });
    connect(full_screen_button_, &QToolButton::clicked, this, &PlayerWindow::toggle_full_screen);
    connect(external_button_, &QPushButton::clicked, this, &PlayerWindow::open_in_external_player);

    update_time();
    on_state(player_->state());
}

void PlayerWindow::play(QUrl const& url, QString const& title) {
    title_ = title.isEmpty() ? url.fileName() : title;
    setWindowTitle(title_.isEmpty() ? tr("LaneTorrent player")
                                    : tr("%1 — LaneTorrent player").arg(title_));
    player_->set_render_size(video_->render_size());
    player_->load(url);
}

void PlayerWindow::set_stream_info(QString const& lane, QString const& cost) {
    if (lane.isEmpty() && cost.isEmpty()) {
        status_label_->clear();
        status_label_->hide();
        return;
    }
    QStringList parts;
    if (!lane.isEmpty()) parts << tr("Lane: %1").arg(lane);
    if (!cost.isEmpty()) parts << tr("This stream has cost %1 so far").arg(cost);
    status_label_->setText(parts.join(QStringLiteral(" · ")));
    status_label_->show();
}

void PlayerWindow::set_available_ranges(QVector<QPair<double, double>> const& ranges) {
    seek_bar_->set_ranges(ranges);
}

QString PlayerWindow::position_text() const {
    return time_label_->text();
}

QString PlayerWindow::stream_info_text() const {
    return status_label_->isVisibleTo(this) ? status_label_->text() : QString();
}

QString PlayerWindow::overlay_text() const {
    return overlay_->isVisibleTo(video_) ? overlay_->text() : QString();
}

void PlayerWindow::toggle_full_screen() {
    if (isFullScreen()) {
        showNormal();
    } else {
        showFullScreen();
    }
}

bool PlayerWindow::open_in_external_player() {
    auto const url = player_->url();
    auto const external = external_player(
        url, [](QString const& name) { return QStandardPaths::findExecutable(name); });
    if (!external) {
        QMessageBox::warning(this, tr("Open in external player"),
                             url.isEmpty() ? tr("There is no stream to hand over.")
                                           : tr("No external player was found. Install mpv or VLC, "
                                                "or open this address in one:\n%1")
                                                 .arg(url.toDisplayString()));
        return false;
    }
    if (!QProcess::startDetached(external->program, external->arguments)) {
        QMessageBox::warning(this, tr("Open in external player"),
                             tr("%1 could not start.").arg(external->program));
        return false;
    }
    // Two players on one stream would read it twice and pull the planner two ways.
    player_->pause();
    emit externalPlayerStarted(external->program);
    return true;
}

void PlayerWindow::on_state(MediaPlayer::State state) {
    bool const playing = state == MediaPlayer::State::playing ||
                         state == MediaPlayer::State::buffering ||
                         state == MediaPlayer::State::loading;
    play_button_->setIcon(
        style()->standardIcon(playing ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    play_button_->setToolTip(playing ? tr("Pause (Space)") : tr("Play (Space)"));
    bool const loaded = state != MediaPlayer::State::idle && state != MediaPlayer::State::failed;
    play_button_->setEnabled(loaded);
    seek_bar_->setEnabled(loaded);
    external_button_->setEnabled(!player_->url().isEmpty());
    update_overlay();
}

void PlayerWindow::update_time() {
    double const duration = player_->duration();
    double position = player_->position();
    if (seek_bar_->dragging()) {
        position = seek_bar_->position() * duration;
    } else if (duration > 0) {
        seek_bar_->set_position(position / duration);
    }
    time_label_->setText(
        duration > 0 ? tr("%1 / %2").arg(format_media_time(position), format_media_time(duration))
                     : format_media_time(position));
}

void PlayerWindow::update_overlay() {
    QString text;
    switch (player_->state()) {
        case MediaPlayer::State::loading:
            text = tr("Loading…");
            break;
        case MediaPlayer::State::buffering:
            text = tr("Buffering… %1 %").arg(player_->cache_percent());
            break;
        case MediaPlayer::State::failed:
            text = player_->error();
            break;
        default:
            break;
    }
    overlay_->setText(text);
    overlay_->setVisible(!text.isEmpty());
    place_overlay();
}

void PlayerWindow::place_overlay() {
    if (!overlay_->isVisibleTo(video_)) return;
    int const width = std::min(video_->width() - 20, 520);
    overlay_->setFixedWidth(std::max(width, 100));
    overlay_->adjustSize();
    overlay_->move((video_->width() - overlay_->width()) / 2,
                   (video_->height() - overlay_->height()) / 2);
    overlay_->raise();
}

void PlayerWindow::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_Space:
            player_->toggle_pause();
            break;
        case Qt::Key_Left:
            player_->seek_by(-key_seek_seconds);
            break;
        case Qt::Key_Right:
            player_->seek_by(key_seek_seconds);
            break;
        case Qt::Key_F:
            toggle_full_screen();
            break;
        case Qt::Key_M:
            player_->set_muted(!player_->muted());
            break;
        case Qt::Key_Escape:
            if (!isFullScreen()) return QWidget::keyPressEvent(event);
            showNormal();
            break;
        default:
            return QWidget::keyPressEvent(event);
    }
    event->accept();
}

void PlayerWindow::closeEvent(QCloseEvent* event) {
    player_->stop();
    emit closed();
    QWidget::closeEvent(event);
}

void PlayerWindow::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    place_overlay();
}

}  // namespace lanetorrent::ui
