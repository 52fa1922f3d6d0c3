#include "base/media_player.hpp"

#include <mpv/client.h>
#include <mpv/render.h>

#include <QMetaObject>
#include <clocale>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace lanetorrent::ui {
namespace {

// reply_userdata of the observed properties, so that events are told apart without strcmp.
enum Property : std::uint64_t {
    time_pos = 1,
    duration,
    pause,
    paused_for_cache,
    cache_buffering_state,
    eof_reached,
    volume,
    mute,
    demuxer_cache_duration,
};

constexpr std::uint64_t load_request = 100;  // reply_userdata of loadfile

// Bounds a line of mpv's log before it is kept for an error sentence.
QString bounded_log_line(char const* text) {
    constexpr int max_chars = 300;
    auto line = QString::fromUtf8(text ? text : "").trimmed();
    if (line.size() > max_chars) line = line.left(max_chars) + QStringLiteral("…");
    return line;
}

}  // namespace

// The software render context and the thread that renders into QImages. The thread calls only
// mpv_render_* functions (render.h, "Threading"): anything else could deadlock against the core.
struct MediaPlayer::Render {
    mpv_render_context* context = nullptr;
    MediaPlayer* owner = nullptr;
    std::thread thread;
    std::mutex mutex;
    std::condition_variable wake;
    bool stop = false;
    bool update = false;  // mpv's update callback fired: maybe a new frame
    bool redraw = false;  // the target size changed: draw the current frame again
    QSize size;
    QImage latest;                          // the newest frame, taken by the GUI thread
    std::atomic<bool> frame_posted{false};  // a take_frame() call is queued

    static void on_update(void* self) {
        auto* render = static_cast<Render*>(self);
        {
            std::lock_guard lock(render->mutex);
            render->update = true;
        }
        render->wake.notify_one();
    }

    // A QImage over a 64-byte-aligned buffer with a 64-byte-aligned stride: mpv's fast path
    // (render.h, MPV_RENDER_PARAM_SW_STRIDE).
    static QImage aligned_image(QSize size) {
        std::size_t const stride = (std::size_t(size.width()) * 4 + 63) / 64 * 64;
        void* data = std::aligned_alloc(64, stride * std::size_t(size.height()));
        if (!data) return {};
        return QImage(
            static_cast<uchar*>(data), size.width(), size.height(), qsizetype(stride),
            QImage::Format_RGBX8888, [](void* p) { std::free(p); }, data);
    }

    void run() {
        for (;;) {
            QSize target;
            bool resized = false;
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [this] { return stop || update || redraw; });
                if (stop) return;
                resized = redraw;
                update = redraw = false;
                target = size;
            }
            std::uint64_t const flags = mpv_render_context_update(context);
            if (!(flags & MPV_RENDER_UPDATE_FRAME) && !resized) continue;
            if (target.isEmpty()) continue;
            QImage image = aligned_image(target);
            if (image.isNull()) continue;
            int dimensions[2] = {target.width(), target.height()};
            std::size_t stride = std::size_t(image.bytesPerLine());
            char format[] = "rgb0";  // bytes r, g, b, x: QImage::Format_RGBX8888
            mpv_render_param params[] = {
                {MPV_RENDER_PARAM_SW_SIZE, dimensions}, {MPV_RENDER_PARAM_SW_FORMAT, format},
                {MPV_RENDER_PARAM_SW_STRIDE, &stride},  {MPV_RENDER_PARAM_SW_POINTER, image.bits()},
                {MPV_RENDER_PARAM_INVALID, nullptr},
            };
            if (mpv_render_context_render(context, params) < 0) continue;
            {
                std::lock_guard lock(mutex);
                latest = std::move(image);
            }
            if (!frame_posted.exchange(true)) {
                QMetaObject::invokeMethod(
                    owner, [owner = owner] { owner->take_frame(); }, Qt::QueuedConnection);
            }
        }
    }
};

MediaPlayer::MediaPlayer(QObject* parent) : MediaPlayer(Options{}, parent) {}

MediaPlayer::MediaPlayer(Options options, QObject* parent) : QObject(parent), options_(options) {
    // libmpv refuses to start under a locale whose decimal point is not '.', and QApplication
    // sets the user's locale. Qt formats numbers through QLocale, so this changes nothing shown.
    std::setlocale(LC_NUMERIC, "C");
    mpv_ = mpv_create();
    if (!mpv_) {
        fail(tr("The video player (libmpv) could not start."));
        return;
    }
    // An embedded player: no user config or scripts, no keys or on-screen controller of its own,
    // nothing on the terminal.
    std::vector<std::pair<char const*, char const*>> const settings = {
        {"config", "no"},
        {"terminal", "no"},
        {"load-scripts", "no"},
        {"ytdl", "no"},
        {"input-default-bindings", "no"},
        {"input-vo-keyboard", "no"},
        {"osc", "no"},
        {"osd-level", "0"},
        {"resume-playback", "no"},
        {"idle", "yes"},
        // Stay on the last frame at the end, so the seek bar still works.
        {"keep-open", "yes"},
        // Our stream server waits for pieces and never fails a read; a stall is not an error.
        {"network-timeout", "600"},
        // When data is late, pause and wait (paused-for-cache) rather than skip.
        {"cache", "yes"},
        {"cache-pause", "yes"},
        {"cache-pause-wait", "1"},
        // And before the first frame: playback starts with 1 s cached instead of draining the
        // first piece and waiting again (bench/stream: the stalls of a player without a pre-roll
        // were all in the first 7 s, the fast lane's too).
        {"cache-pause-initial", "yes"},
        // Read ahead little: the stream server sees the reader, not the playhead. With 5 s (under
        // the auto lane's 10 s low mark) a reader that waits means playback is about to stall,
        // and the buffer the auto lane measures past the reader is the real one less 5 s. With
        // 30 s mpv sat at the download's frontier, always "waiting", and auto bought fast until
        // 30 s were downloaded ahead of the playhead.
        {"cache-secs", "5"},
        {"demuxer-max-bytes", "64MiB"},
        {"demuxer-max-back-bytes", "32MiB"},
        {"hwdec", "no"},
        {"vo", options_.video ? "libmpv" : "null"},
        {"audio-client-name", "LaneTorrent"},
    };
    for (auto const& [name, value] : settings) mpv_set_option_string(mpv_, name, value);
    if (!options_.audio) mpv_set_option_string(mpv_, "ao", "null");
    if (int const error = mpv_initialize(mpv_); error < 0) {
        fail(tr("The video player (libmpv) could not start: %1.")
                 .arg(QString::fromUtf8(mpv_error_string(error))));
        mpv_terminate_destroy(mpv_);
        mpv_ = nullptr;
        return;
    }
    mpv_request_log_messages(mpv_, "warn");
    mpv_observe_property(mpv_, time_pos, "time-pos", MPV_FORMAT_DOUBLE);
    mpv_observe_property(mpv_, Property::duration, "duration", MPV_FORMAT_DOUBLE);
    mpv_observe_property(mpv_, Property::pause, "pause", MPV_FORMAT_FLAG);
    mpv_observe_property(mpv_, Property::paused_for_cache, "paused-for-cache", MPV_FORMAT_FLAG);
    mpv_observe_property(mpv_, cache_buffering_state, "cache-buffering-state", MPV_FORMAT_INT64);
    mpv_observe_property(mpv_, eof_reached, "eof-reached", MPV_FORMAT_FLAG);
    mpv_observe_property(mpv_, Property::volume, "volume", MPV_FORMAT_DOUBLE);
    mpv_observe_property(mpv_, Property::mute, "mute", MPV_FORMAT_FLAG);
    mpv_observe_property(mpv_, demuxer_cache_duration, "demuxer-cache-duration", MPV_FORMAT_DOUBLE);

    if (options_.video) {
        // The render context must exist before playback starts, or mpv opens its own window.
        auto render = std::make_unique<Render>();
        render->owner = this;
        char api[] = MPV_RENDER_API_TYPE_SW;
        mpv_render_param params[] = {{MPV_RENDER_PARAM_API_TYPE, api},
                                     {MPV_RENDER_PARAM_INVALID, nullptr}};
        if (int const error = mpv_render_context_create(&render->context, mpv_, params);
            error < 0) {
            fail(tr("The video player could not create its software renderer: %1.")
                     .arg(QString::fromUtf8(mpv_error_string(error))));
            // Without a render context, vo=libmpv would fall back to a window of mpv's own.
            mpv_terminate_destroy(mpv_);
            mpv_ = nullptr;
            return;
        } else {
            mpv_render_context_set_update_callback(render->context, &Render::on_update,
                                                   render.get());
            render->thread = std::thread([r = render.get()] { r->run(); });
            render_ = std::move(render);
        }
    }

    mpv_set_wakeup_callback(
        mpv_,
        [](void* self) {
            auto* player = static_cast<MediaPlayer*>(self);
            if (player->drain_posted_.exchange(true)) return;
            QMetaObject::invokeMethod(
                player, [player] { player->drain_events(); }, Qt::QueuedConnection);
        },
        this);
}

MediaPlayer::~MediaPlayer() {
    // Returns only when no callback is running, so none can post to this object afterwards.
    if (mpv_) mpv_set_wakeup_callback(mpv_, nullptr, nullptr);
    if (render_) {
        {
            std::lock_guard lock(render_->mutex);
            render_->stop = true;
        }
        render_->wake.notify_one();
        render_->thread.join();
        mpv_render_context_set_update_callback(render_->context, nullptr, nullptr);
        // Before the core goes (render.h, "Context and handle lifecycle").
        mpv_render_context_free(render_->context);
        render_.reset();
    }
    // Cancels a read that waits on the network and joins mpv's threads.
    if (mpv_) mpv_terminate_destroy(mpv_);
}

QString MediaPlayer::state_name(State state) {
    switch (state) {
        case State::idle:
            return QStringLiteral("idle");
        case State::loading:
            return QStringLiteral("loading");
        case State::playing:
            return QStringLiteral("playing");
        case State::paused:
            return QStringLiteral("paused");
        case State::buffering:
            return QStringLiteral("buffering");
        case State::ended:
            return QStringLiteral("ended");
        case State::failed:
            return QStringLiteral("failed");
    }
    return {};
}

void MediaPlayer::load(QUrl const& url) {
    if (!mpv_) return;  // failed at start; the state says why
    if (!url.isValid() || url.isEmpty()) {
        fail(tr("There is no stream to play."));
        return;
    }
    url_ = url;
    error_.clear();
    last_log_error_.clear();
    loaded_ = true;
    restarted_ = false;
    eof_ = false;
    paused_for_cache_ = false;
    position_ = 0;
    duration_ = 0;
    cache_percent_ = 0;
    buffered_seconds_ = 0;
    QByteArray const target =
        url.isLocalFile() ? url.toLocalFile().toUtf8() : url.toString(QUrl::FullyEncoded).toUtf8();
    // A pause from the previous file would carry over; a new file plays.
    set_flag("pause", false);
    char const* args[] = {"loadfile", target.constData(), "replace", nullptr};
    if (int const error = mpv_command_async(mpv_, load_request, args); error < 0) {
        fail(tr("The player could not open %1: %2.")
                 .arg(url.toDisplayString(), QString::fromUtf8(mpv_error_string(error))));
        return;
    }
    emit positionChanged(0);
    emit durationChanged(0);
    update_state();
}

void MediaPlayer::stop() {
    if (!mpv_) return;
    command({"stop"});
    loaded_ = false;
    restarted_ = false;
    eof_ = false;
    error_.clear();
    position_ = 0;
    duration_ = 0;
    frame_ = QImage();
    emit positionChanged(0);
    emit frameReady(frame_);
    update_state();
}

void MediaPlayer::play() {
    if (!mpv_ || !loaded_) return;
    if (eof_) seek(0);  // play again from the start, as a player's play button does at the end
    set_flag("pause", false);
}

void MediaPlayer::pause() {
    if (mpv_ && loaded_) set_flag("pause", true);
}

void MediaPlayer::toggle_pause() {
    if (state_ == State::paused || state_ == State::ended) {
        play();
    } else {
        pause();
    }
}

void MediaPlayer::seek(double seconds) {
    if (!mpv_ || !loaded_) return;
    auto const target = QByteArray::number(std::max(0.0, seconds), 'f', 3);
    command({"seek", target.constData(), "absolute+exact"});
}

void MediaPlayer::seek_fraction(double fraction) {
    if (!mpv_ || !loaded_) return;
    auto const percent = QByteArray::number(std::clamp(fraction, 0.0, 1.0) * 100.0, 'f', 3);
    command({"seek", percent.constData(), "absolute-percent+exact"});
}

void MediaPlayer::seek_by(double seconds) {
    if (!mpv_ || !loaded_) return;
    auto const delta = QByteArray::number(seconds, 'f', 3);
    command({"seek", delta.constData(), "relative+exact"});
}

void MediaPlayer::set_volume(double percent) {
    if (mpv_) set_double("volume", std::clamp(percent, 0.0, 100.0));
}

void MediaPlayer::set_muted(bool muted) {
    if (mpv_) set_flag("mute", muted);
}

void MediaPlayer::set_render_size(QSize size) {
    if (!render_) return;
    {
        std::lock_guard lock(render_->mutex);
        if (render_->size == size) return;
        render_->size = size;
        render_->redraw = true;
    }
    render_->wake.notify_one();
}

void MediaPlayer::take_frame() {
    if (!render_) return;
    render_->frame_posted = false;
    {
        std::lock_guard lock(render_->mutex);
        frame_ = render_->latest;
    }
    if (frame_.isNull()) return;
    ++frames_;
    emit frameReady(frame_);
}

void MediaPlayer::drain_events() {
    drain_posted_ = false;
    if (!mpv_) return;
    for (;;) {
        mpv_event const* event = mpv_wait_event(mpv_, 0);
        if (!event || event->event_id == MPV_EVENT_NONE) break;
        handle(*event);
    }
}

void MediaPlayer::handle(mpv_event const& event) {
    switch (event.event_id) {
        case MPV_EVENT_LOG_MESSAGE: {
            auto const* message = static_cast<mpv_event_log_message const*>(event.data);
            if (message->log_level <= MPV_LOG_LEVEL_ERROR) {
                last_log_error_ = bounded_log_line(message->text);
            }
            break;
        }
        case MPV_EVENT_COMMAND_REPLY:
            if (event.reply_userdata == load_request && event.error < 0) {
                fail(tr("The player could not open %1: %2.")
                         .arg(url_.toDisplayString(),
                              QString::fromUtf8(mpv_error_string(event.error))));
            }
            break;
        case MPV_EVENT_FILE_LOADED:
            emit fileLoaded();
            break;
        case MPV_EVENT_PLAYBACK_RESTART:
            if (!loaded_) break;
            restarted_ = true;
            update_state();
            emit playbackRestarted();
            break;
        case MPV_EVENT_END_FILE: {
            auto const* end = static_cast<mpv_event_end_file const*>(event.data);
            if (end->reason == MPV_END_FILE_REASON_ERROR && loaded_) {
                auto sentence = tr("The player could not play %1: %2.")
                                    .arg(url_.toDisplayString(),
                                         QString::fromUtf8(mpv_error_string(end->error)));
                if (!last_log_error_.isEmpty()) sentence += QLatin1Char(' ') + last_log_error_;
                fail(sentence);
            } else if (end->reason == MPV_END_FILE_REASON_EOF && loaded_) {
                // keep-open normally holds the file at its end; this is the fallback.
                eof_ = true;
                update_state();
            }
            // A stop, or the old file ending as load() replaces it: state follows our commands.
            break;
        }
        case MPV_EVENT_PROPERTY_CHANGE: {
            auto const* property = static_cast<mpv_event_property const*>(event.data);
            bool const has = property->format != MPV_FORMAT_NONE && property->data;
            auto const as_double = [&] {
                return has ? *static_cast<double*>(property->data) : 0.0;
            };
            auto const as_flag = [&] { return has && *static_cast<int*>(property->data) != 0; };
            switch (event.reply_userdata) {
                case time_pos:
                    if (!loaded_) break;
                    position_ = std::max(0.0, as_double());
                    emit positionChanged(position_);
                    break;
                case Property::duration:
                    if (!loaded_) break;
                    duration_ = std::max(0.0, as_double());
                    emit durationChanged(duration_);
                    break;
                case Property::pause:
                    paused_ = as_flag();
                    update_state();
                    break;
                case Property::paused_for_cache:
                    paused_for_cache_ = as_flag();
                    update_state();
                    break;
                case eof_reached:
                    eof_ = loaded_ && as_flag();
                    update_state();
                    break;
                case cache_buffering_state:
                    cache_percent_ = has ? int(std::clamp<std::int64_t>(
                                               *static_cast<std::int64_t*>(property->data), 0, 100))
                                         : 0;
                    emit cachePercentChanged(cache_percent_);
                    break;
                case Property::volume:
                    if (!has) break;
                    volume_ = as_double();
                    emit volumeChanged(volume_);
                    break;
                case Property::mute:
                    muted_ = as_flag();
                    emit mutedChanged(muted_);
                    break;
                case demuxer_cache_duration:
                    buffered_seconds_ = has ? std::max(0.0, as_double()) : 0;
                    break;
                default:
                    break;
            }
            break;
        }
        default:
            break;
    }
}

void MediaPlayer::update_state() {
    State next = State::playing;
    if (!error_.isEmpty()) {
        next = State::failed;
    } else if (!loaded_) {
        next = State::idle;
    } else if (eof_) {
        next = State::ended;
    } else if (!restarted_) {
        next = State::loading;
    } else if (paused_) {
        next = State::paused;
    } else if (paused_for_cache_) {
        next = State::buffering;
    }
    if (next == state_) return;
    state_ = next;
    emit stateChanged(state_);
}

void MediaPlayer::fail(QString const& message) {
    error_ = message;
    update_state();
    emit failed(message);
}

void MediaPlayer::command(std::initializer_list<char const*> args) {
    std::vector<char const*> argv(args);
    argv.push_back(nullptr);
    // Errors come back as command replies; a refused seek is not worth failing playback for.
    mpv_command_async(mpv_, 0, argv.data());
}

void MediaPlayer::set_flag(char const* name, bool value) {
    int flag = value ? 1 : 0;
    mpv_set_property_async(mpv_, 0, name, MPV_FORMAT_FLAG, &flag);
}

void MediaPlayer::set_double(char const* name, double value) {
    mpv_set_property_async(mpv_, 0, name, MPV_FORMAT_DOUBLE, &value);
}

}  // namespace lanetorrent::ui
