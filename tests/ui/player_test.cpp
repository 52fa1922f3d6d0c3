// The in-app player (issue 14): MediaPlayer (libmpv) and PlayerWindow under
// QT_QPA_PLATFORM=offscreen, on real videos made by ffmpeg at test time (8 s of testsrc2 and a
// tone, H.264/AAC, a keyframe every 2 s; a faststart MP4 and the same streams in MKV), served over
// loopback HTTP with byte ranges by a server that, like the stream server, makes a reader wait for
// bytes it does not have yet.
#include <gtest/gtest.h>

#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "base/media_player.hpp"
#include "base/stream_service.hpp"
#include "base/wallet_service.hpp"
#include "base_test_support.hpp"
#include "engine/torrent_creator.hpp"
#include "gui/add_torrent_dialog.hpp"
#include "gui/main_window.hpp"
#include "gui/player_window.hpp"
#include "net.hpp"
#include "range_server.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::ui {
namespace {

using namespace std::chrono_literals;
using test::RangeServer;
using State = MediaPlayer::State;

constexpr double video_seconds = 8;

// Runs the event loop until `done` holds or `timeout` passes; returns done().
bool pump_until(std::function<bool()> const& done, std::chrono::milliseconds timeout) {
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeout.count()) {
        if (done()) return true;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    }
    return done();
}

void pump_for(std::chrono::milliseconds duration) {
    pump_until([] { return false; }, duration);
}

struct TestVideos {
    QByteArray mp4;  // faststart
    QByteArray mkv;
    QString problem;  // why there are none
};

QString run_ffmpeg(QString const& ffmpeg, QStringList const& arguments) {
    QProcess process;
    process.start(ffmpeg, QStringList{"-hide_banner", "-loglevel", "error", "-y"} + arguments);
    if (!process.waitForFinished(60'000) || process.exitCode() != 0) {
        return QStringLiteral("ffmpeg failed: ") +
               QString::fromUtf8(process.readAllStandardError());
    }
    return {};
}

// Made once per run (about a second of encoding).
TestVideos const& test_videos() {
    static TestVideos const videos = [] {
        TestVideos made;
        auto const ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
        if (ffmpeg.isEmpty()) {
            made.problem = QStringLiteral("ffmpeg is not installed");
            return made;
        }
        lanetorrent::test::TempDir dir("lanetorrent-player-test");
        auto const mp4 = QString::fromStdString((dir.path() / "video.mp4").string());
        auto const mkv = QString::fromStdString((dir.path() / "video.mkv").string());
        made.problem = run_ffmpeg(ffmpeg, {"-f",        "lavfi",
                                           "-i",        "testsrc2=size=320x240:rate=25",
                                           "-f",        "lavfi",
                                           "-i",        "sine=frequency=440:sample_rate=48000",
                                           "-t",        QString::number(video_seconds),
                                           "-c:v",      "libx264",
                                           "-preset",   "veryfast",
                                           "-g",        "50",
                                           "-pix_fmt",  "yuv420p",
                                           "-c:a",      "aac",
                                           "-movflags", "+faststart",
                                           mp4});
        if (made.problem.isEmpty()) {
            made.problem = run_ffmpeg(ffmpeg, {"-i", mp4, "-c", "copy", mkv});
        }
        if (!made.problem.isEmpty()) return made;
        QFile a(mp4), b(mkv);
        if (a.open(QIODevice::ReadOnly)) made.mp4 = a.readAll();
        if (b.open(QIODevice::ReadOnly)) made.mkv = b.readAll();
        if (made.mp4.isEmpty() || made.mkv.isEmpty()) made.problem = "ffmpeg wrote no video";
        return made;
    }();
    return videos;
}

#define REQUIRE_VIDEOS()                                                                     \
    do {                                                                                     \
        if (!QStandardPaths::findExecutable(QStringLiteral("ffmpeg")).size()) {              \
            GTEST_SKIP() << "ffmpeg is not installed";                                       \
        }                                                                                    \
        ASSERT_TRUE(test_videos().problem.isEmpty()) << test_videos().problem.toStdString(); \
    } while (0)

std::unique_ptr<RangeServer> serve_mp4() {
    return std::make_unique<RangeServer>(test_videos().mp4, QStringLiteral("video.mp4"),
                                         "video/mp4");
}

std::unique_ptr<RangeServer> serve_mkv() {
    return std::make_unique<RangeServer>(test_videos().mkv, QStringLiteral("video.mkv"),
                                         "video/x-matroska");
}

MediaPlayer::Options headless() {
    MediaPlayer::Options options;
    options.video = false;
    options.audio = false;
    return options;
}

bool reaches(MediaPlayer const& player, State state, std::chrono::milliseconds timeout = 8s) {
    return pump_until([&] { return player.state() == state || player.state() == State::failed; },
                      timeout) &&
           player.state() == state;
}

// Seeks to `fraction` and waits for mpv's playback-restart and the position reported after it;
// returns the milliseconds from the seek to that position.
qint64 seek_and_wait(MediaPlayer& player, double fraction) {
    QSignalSpy restarted(&player, &MediaPlayer::playbackRestarted);
    QElapsedTimer timer;
    timer.start();
    player.seek_fraction(fraction);
    EXPECT_TRUE(pump_until([&] { return restarted.count() > 0; }, 5s)) << "no playback-restart";
    QSignalSpy moved(&player, &MediaPlayer::positionChanged);
    pump_until([&] { return moved.count() > 0; }, 2s);
    return timer.elapsed();
}

// ---- MediaPlayer, no video output ----

TEST(MediaPlayer, PlaysOverHttpAndThePositionAdvances) {
    REQUIRE_VIDEOS();
    auto server = serve_mp4();
    ASSERT_TRUE(server->listening());
    MediaPlayer player(headless());
    ASSERT_NE(player.state(), State::failed) << player.error().toStdString();
    QSignalSpy states(&player, &MediaPlayer::stateChanged);
    QElapsedTimer timer;
    timer.start();
    player.load(server->url());
    EXPECT_EQ(player.state(), State::loading);
    ASSERT_TRUE(reaches(player, State::playing)) << player.error().toStdString();
    auto const first_frame_ms = timer.elapsed();
    EXPECT_NEAR(player.duration(), video_seconds, 0.2);
    double const start = player.position();
    ASSERT_TRUE(pump_until([&] { return player.position() >= start + 1.0; }, 4s))
        << "position stuck at " << player.position();
    EXPECT_GT(server->requests(), 0);
    std::printf("[ figures  ] MP4 over loopback HTTP: playing after %lld ms\n",
                static_cast<long long>(first_frame_ms));
}

TEST(MediaPlayer, SeeksToHalfOfAnMp4AndAnMkvOverHttp) {
    REQUIRE_VIDEOS();
    for (bool const mkv : {false, true}) {
        SCOPED_TRACE(mkv ? "MKV" : "MP4");
        auto server = mkv ? serve_mkv() : serve_mp4();
        MediaPlayer player(headless());
        player.load(server->url());
        ASSERT_TRUE(reaches(player, State::playing)) << player.error().toStdString();
        ASSERT_GT(player.duration(), 0);
        auto const ms = seek_and_wait(player, 0.5);
        // Qt 6.4's backends land an MKV seek at 0 or ignore it (docs/streaming.md).
        EXPECT_NEAR(player.position(), player.duration() / 2, 1.0);
        EXPECT_EQ(player.state(), State::playing);
        std::printf(
            "[ figures  ] %s seek to 50 %%: %lld ms to playback-restart and position %.2f\n",
            mkv ? "MKV" : "MP4", static_cast<long long>(ms), player.position());
    }
}

TEST(MediaPlayer, PauseStopsThePositionAndPlayResumesIt) {
    REQUIRE_VIDEOS();
    auto server = serve_mp4();
    MediaPlayer player(headless());
    player.load(server->url());
    ASSERT_TRUE(reaches(player, State::playing)) << player.error().toStdString();
    player.pause();
    ASSERT_TRUE(reaches(player, State::paused, 2s));
    double const held = player.position();
    pump_for(800ms);
    EXPECT_NEAR(player.position(), held, 0.05);
    EXPECT_EQ(player.state(), State::paused);
    player.toggle_pause();
    ASSERT_TRUE(reaches(player, State::playing, 2s));
    EXPECT_TRUE(pump_until([&] { return player.position() > held + 0.4; }, 3s));
}

// The property Qt Multimedia lacks: when the data is late, mpv pauses for its cache and goes on
// from the same place when the data arrives; it does not skip ahead by wall time.
TEST(MediaPlayer, WaitsForLateDataInsteadOfSkipping) {
    REQUIRE_VIDEOS();
    auto server = serve_mp4();
    server->set_available(server->size() * 4 / 10);
    MediaPlayer player(headless());
    QVector<State> seen;
    QObject::connect(&player, &MediaPlayer::stateChanged, [&](State s) { seen.push_back(s); });
    player.load(server->url());
    ASSERT_TRUE(reaches(player, State::playing)) << player.error().toStdString();
    ASSERT_TRUE(reaches(player, State::buffering, 8s))
        << "state " << MediaPlayer::state_name(player.state()).toStdString() << " at "
        << player.position();
    double const starved_at = player.position();
    EXPECT_LT(starved_at, video_seconds * 0.6);
    pump_for(1500ms);
    EXPECT_NEAR(player.position(), starved_at, 0.1) << "played on without data";
    EXPECT_EQ(player.state(), State::buffering);

    server->set_available(server->size());
    ASSERT_TRUE(reaches(player, State::playing, 5s));
    double const resumed_at = player.position();
    EXPECT_NEAR(resumed_at, starved_at, 0.5) << "skipped content after the stall";
    ASSERT_TRUE(pump_until([&] { return player.position() >= resumed_at + 1.0; }, 4s));
    EXPECT_TRUE(seen.contains(State::buffering));
    std::printf("[ figures  ] starved at %.2f s, resumed at %.2f s\n", starved_at, resumed_at);
}

// A stream's first second is its most fragile: the download is still reaching its lane's rate.
// The player starts only once a second is cached (cache-pause-initial), instead of playing the
// first frames it has and stalling right after (bench/stream: every stall of a player without a
// pre-roll was in the first 7 s).
TEST(MediaPlayer, StartsOnlyWithASecondCached) {
    REQUIRE_VIDEOS();
    auto server = serve_mp4();
    // The index (faststart: at the head) and about half a second of media.
    server->set_available(server->size() / 8);
    MediaPlayer player(headless());
    player.load(server->url());
    // It has opened the file (the duration is in the index) and holds media it could play.
    ASSERT_TRUE(
        pump_until([&] { return player.duration() > 0 && player.buffered_seconds() >= 0.3; }, 8s));
    pump_for(1500ms);
    // Without the pre-roll it played what it had (about 0.5 s) and waited there.
    EXPECT_LT(player.position(), 0.1) << "started with under a second cached";
    EXPECT_NE(player.state(), State::playing);
    std::printf("[ figures  ] held at %.2f s with %.2f s cached\n", player.position(),
                player.buffered_seconds());

    server->set_available(server->size());
    ASSERT_TRUE(reaches(player, State::playing, 5s));
    ASSERT_TRUE(pump_until([&] { return player.position() >= 1.0; }, 4s));
}

TEST(MediaPlayer, AStreamThatCannotBeOpenedFailsWithASentence) {
    // A port nobody listens on: connection refused.
    auto const port = lanetorrent::test::free_port("127.0.0.1");
    MediaPlayer player(headless());
    QSignalSpy failed(&player, &MediaPlayer::failed);
    player.load(QUrl(QStringLiteral("http://127.0.0.1:%1/none.mp4").arg(port)));
    ASSERT_TRUE(reaches(player, State::failed, 8s))
        << MediaPlayer::state_name(player.state()).toStdString();
    EXPECT_FALSE(player.error().isEmpty());
    EXPECT_TRUE(player.error().contains(QStringLiteral("none.mp4")))
        << player.error().toStdString();
    EXPECT_EQ(failed.count(), 1);
    // Not a video at all.
    RangeServer junk(QByteArray(200'000, 'x'), QStringLiteral("junk.mp4"), "video/mp4");
    player.load(junk.url());
    ASSERT_TRUE(reaches(player, State::failed, 8s));
    EXPECT_TRUE(player.error().contains(QStringLiteral("junk.mp4")))
        << player.error().toStdString();
}

TEST(MediaPlayer, StateNamesAndAnEmptyUrl) {
    MediaPlayer player(headless());
    EXPECT_EQ(player.state(), State::idle);
    player.load(QUrl());
    EXPECT_EQ(player.state(), State::failed);
    EXPECT_FALSE(player.error().isEmpty());
    EXPECT_EQ(MediaPlayer::state_name(State::buffering), QStringLiteral("buffering"));
}

// ---- PlayerWindow, software renderer ----

// Share of sampled pixels that are not near black.
double lit_share(QImage const& image) {
    if (image.isNull()) return 0;
    int lit = 0, total = 0;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7) {
            QColor const c = image.pixelColor(x, y);
            lit += std::max({c.red(), c.green(), c.blue()}) > 48;
            ++total;
        }
    }
    return total ? double(lit) / total : 0;
}

MediaPlayer::Options software_video() {
    MediaPlayer::Options options;
    options.video = true;
    options.audio = false;
    return options;
}

TEST(PlayerWindow, ShowsFramesAndThePositionMovesUntilPaused) {
    REQUIRE_VIDEOS();
    auto server = serve_mp4();
    PlayerWindow window(software_video());
    window.resize(640, 480);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    QElapsedTimer timer;
    timer.start();
    window.play(server->url(), QStringLiteral("video.mp4"));
    EXPECT_TRUE(window.windowTitle().contains(QStringLiteral("video.mp4")));
    auto& player = window.player();
    ASSERT_TRUE(player.has_video_output());
    ASSERT_TRUE(pump_until([&] { return lit_share(window.video_view()->frame()) > 0.3; }, 8s))
        << "no picture; state " << MediaPlayer::state_name(player.state()).toStdString() << " "
        << player.error().toStdString();
    auto const first_picture_ms = timer.elapsed();
    // Rendered at the view's size, letterboxed by mpv.
    EXPECT_EQ(window.video_view()->frame().size(), window.video_view()->render_size());
    ASSERT_TRUE(reaches(player, State::playing));
    EXPECT_TRUE(window.overlay_text().isEmpty());
    auto const before = window.position_text();
    ASSERT_TRUE(pump_until([&] { return window.position_text() != before; }, 3s))
        << before.toStdString();
    EXPECT_TRUE(window.position_text().endsWith(QStringLiteral("/ 0:08")))
        << window.position_text().toStdString();
    // The video is 25 frames per second; every one should reach the window.
    auto const frames_before = player.frames_rendered();
    pump_for(1s);
    auto const frames_per_second = player.frames_rendered() - frames_before;
    EXPECT_GE(frames_per_second, 20);

    QTest::keyClick(&window, Qt::Key_Space);
    ASSERT_TRUE(reaches(player, State::paused, 2s));
    pump_for(300ms);
    auto const paused_text = window.position_text();
    double const paused_at = player.position();
    pump_for(1200ms);
    EXPECT_EQ(window.position_text(), paused_text);
    EXPECT_NEAR(player.position(), paused_at, 0.05);

    QTest::keyClick(&window, Qt::Key_Space);
    ASSERT_TRUE(reaches(player, State::playing, 2s));
    std::printf("[ figures  ] window: first picture after %lld ms, %lld frames in 1 s at %dx%d\n",
                static_cast<long long>(first_picture_ms), static_cast<long long>(frames_per_second),
                window.video_view()->render_size().width(),
                window.video_view()->render_size().height());
}

TEST(PlayerWindow, SeekBarClicksSeekAndArrowKeysStep) {
    REQUIRE_VIDEOS();
    auto server = serve_mkv();
    PlayerWindow window(software_video());
    window.resize(640, 480);
    window.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
    window.play(server->url());
    auto& player = window.player();
    ASSERT_TRUE(reaches(player, State::playing)) << player.error().toStdString();
    player.pause();
    ASSERT_TRUE(reaches(player, State::paused, 2s));

    auto* bar = window.seek_bar();
    QSignalSpy restarted(&player, &MediaPlayer::playbackRestarted);
    int const x = int(bar->width() * 0.75);
    QTest::mouseClick(bar, Qt::LeftButton, {}, QPoint(x, bar->height() / 2));
    double const target = bar->fraction_at(x) * player.duration();
    ASSERT_TRUE(pump_until([&] { return restarted.count() > 0; }, 5s));
    ASSERT_TRUE(pump_until([&] { return std::abs(player.position() - target) < 1.0; }, 2s))
        << player.position() << " vs " << target;
    EXPECT_NEAR(bar->position(), target / player.duration(), 0.1);

    double const before = player.position();
    QTest::keyClick(&window, Qt::Key_Left);
    ASSERT_TRUE(pump_until([&] { return std::abs(player.position() - (before - 5)) < 0.5; }, 5s))
        << player.position() << " after Left from " << before;
}

TEST(PlayerWindow, SeekBarKeepsTheDownloadedRanges) {
    PlayerWindow window(software_video());
    // Out of order, overlapping, out of bounds, empty and NaN: what a buggy caller might send.
    window.set_available_ranges({{0.5, 0.6},
                                 {0.0, 0.1},
                                 {0.55, 0.7},
                                 {0.9, 1.4},
                                 {-0.2, 0.05},
                                 {0.3, 0.3},
                                 {std::nan(""), 0.4}});
    SeekBar::Ranges const expected{{0.0, 0.1}, {0.5, 0.7}, {0.9, 1.0}};
    EXPECT_EQ(window.seek_bar()->ranges(), expected);
    EXPECT_NEAR(window.seek_bar()->downloaded_fraction(), 0.4, 1e-9);
    window.set_available_ranges({});
    EXPECT_TRUE(window.seek_bar()->ranges().isEmpty());

    // Bounded whatever the caller passes.
    SeekBar::Ranges many;
    for (int i = 0; i < 10'000; ++i) many.push_back({i / 10'000.0, (i + 0.5) / 10'000.0});
    auto const bounded = SeekBar::normalized(many);
    EXPECT_EQ(bounded.size(), SeekBar::max_ranges);
    EXPECT_NEAR(bounded.back().second, 0.99995, 1e-9);

    window.set_stream_info(QStringLiteral("fast"), QStringLiteral("0.42 BTT"));
    EXPECT_TRUE(window.stream_info_text().contains(QStringLiteral("fast")));
    EXPECT_TRUE(window.stream_info_text().contains(QStringLiteral("0.42 BTT")));
    window.set_stream_info({}, {});
    EXPECT_TRUE(window.stream_info_text().isEmpty());
}

TEST(PlayerWindow, ExternalPlayerIsAnArgumentListNeverAShell) {
    QUrl const url(QStringLiteral("http://127.0.0.1:5000/abc/My%20video;rm%20-rf.mkv"));
    auto const only = [](QStringList names) {
        return [names](QString const& name) {
            return names.contains(name) ? QStringLiteral("/usr/bin/") + name : QString();
        };
    };
    auto mpv = PlayerWindow::external_player(url, only({"mpv", "vlc", "xdg-open"}));
    ASSERT_TRUE(mpv);
    EXPECT_EQ(mpv->program, QStringLiteral("/usr/bin/mpv"));
    EXPECT_EQ(mpv->arguments.last(), url.toString(QUrl::FullyEncoded));
    EXPECT_EQ(mpv->arguments.at(mpv->arguments.size() - 2), QStringLiteral("--"));
    auto vlc = PlayerWindow::external_player(url, only({"vlc", "xdg-open"}));
    ASSERT_TRUE(vlc);
    EXPECT_EQ(vlc->program, QStringLiteral("/usr/bin/vlc"));
    auto open = PlayerWindow::external_player(url, only({"xdg-open"}));
    ASSERT_TRUE(open);
    EXPECT_EQ(open->arguments, QStringList{url.toString(QUrl::FullyEncoded)});
    EXPECT_FALSE(PlayerWindow::external_player(url, only({})));
    EXPECT_FALSE(PlayerWindow::external_player(QUrl(), only({"mpv"})));
}

TEST(PlayerWindow, MediaTimes) {
    EXPECT_EQ(format_media_time(0), QStringLiteral("0:00"));
    EXPECT_EQ(format_media_time(65.9), QStringLiteral("1:05"));
    EXPECT_EQ(format_media_time(3600 + 62), QStringLiteral("1:01:02"));
    EXPECT_EQ(format_media_time(-3), QStringLiteral("0:00"));
    EXPECT_EQ(format_media_time(std::nan("")), QStringLiteral("0:00"));
}

// ---- Play from the torrent list: Session + StreamService + PlayerWindow, end to end ----

// A seeder session with the test MP4 and a downloader session with the main window. The video is
// streamed from a magnet link: the player waits for the metadata, then for the first pieces.
class PlayFromTheList : public ::testing::Test {
  protected:
    void SetUp() override {
        REQUIRE_VIDEOS();
        namespace fs = std::filesystem;
        seeder_profile_ = std::make_unique<test::TestProfile>(dir_.path() / "seeder");
        viewer_profile_ = std::make_unique<test::TestProfile>(dir_.path() / "viewer");
        seeder_ = seeder_profile_->open();
        viewer_ = viewer_profile_->open();
        wallet_ =
            std::make_unique<WalletService>(viewer_profile_->profile, *viewer_profile_->settings);

        fs::path const content = dir_.path() / "content" / "talk.mp4";
        fs::create_directories(content.parent_path());
        {
            QFile out(QString::fromStdString(content.string()));
            ASSERT_TRUE(out.open(QIODevice::WriteOnly));
            out.write(test_videos().mp4);
        }
        CreateOptions options;
        options.content = content;
        options.piece_size_kib = 16;  // many pieces: the stream has something to plan
        auto created = create_torrent(options);
        ASSERT_TRUE(created) << created.error();
        id_ = created->id;
        fs::path const torrent_file = dir_.path() / "talk.torrent";
        std::ofstream(torrent_file, std::ios::binary)
            .write(created->bytes.data(), static_cast<std::streamsize>(created->bytes.size()));
        AddRequest seed;
        seed.source = QString::fromStdString(torrent_file.string());
        seed.save_path = QString::fromStdString(content.parent_path().string());
        ASSERT_TRUE(seeder_->add(seed));
        ASSERT_TRUE(test::becomes_seed(*seeder_, id_));
        window_ = std::make_unique<MainWindow>(*viewer_, *wallet_, *viewer_profile_->settings);
    }
    void TearDown() override {
        window_.reset();
        wallet_.reset();
        viewer_.reset();
        seeder_.reset();
    }

    QString magnet() const {
        return QString::fromStdString("magnet:?xt=urn:btih:" + id_ +
                                      "&dn=talk&x.pe=" + seeder_profile_->ip + ":" +
                                      std::to_string(seeder_profile_->port));
    }

    lanetorrent::test::TempDir dir_{"ui-play"};
    std::unique_ptr<test::TestProfile> seeder_profile_;
    std::unique_ptr<test::TestProfile> viewer_profile_;
    std::unique_ptr<Session> seeder_;
    std::unique_ptr<Session> viewer_;
    std::unique_ptr<WalletService> wallet_;
    std::unique_ptr<MainWindow> window_;
    TorrentId id_;
};

TEST_F(PlayFromTheList, AMagnetPlaysWhileItDownloadsAndClosingEndsTheStream) {
    auto* viewer = viewer_.get();
    auto& window = *window_;
    AddRequest add;
    add.source = magnet();
    add.save_path = QString::fromStdString((dir_.path() / "viewer" / "downloads").string());
    auto const id = viewer->add(add);
    ASSERT_TRUE(id) << id.error();
    window.play(*id);
    auto* player = window.player(*id);
    ASSERT_NE(player, nullptr);
    EXPECT_TRUE(viewer->streams().playing(*id));
    // Play again raises the same window.
    window.play(*id);
    EXPECT_EQ(window.player(*id), player);

    ASSERT_TRUE(reaches(player->player(), State::playing, 30s))
        << MediaPlayer::state_name(player->player().state()).toStdString() << " "
        << player->player().error().toStdString();
    EXPECT_TRUE(player->windowTitle().contains(QStringLiteral("talk.mp4")))
        << player->windowTitle().toStdString();
    auto const before = player->player().position();
    ASSERT_TRUE(pump_until([&] { return player->player().position() > before + 1; }, 10s))
        << "the position did not move";
    // The lane and the cost are shown, and the seek bar has the downloaded parts.
    ASSERT_TRUE(pump_until([&] { return !player->stream_info_text().isEmpty(); }, 3s));
    EXPECT_TRUE(player->stream_info_text().contains(QStringLiteral("slow")))
        << player->stream_info_text().toStdString();
    EXPECT_TRUE(player->stream_info_text().contains(QStringLiteral("0 BTT")))
        << player->stream_info_text().toStdString();
    ASSERT_TRUE(pump_until([&] { return player->seek_bar()->downloaded_fraction() > 0; }, 3s));
    auto const info = viewer->streams().info(*id);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->title, QStringLiteral("talk.mp4"));
    EXPECT_EQ(info->size, test_videos().mp4.size());
    EXPECT_EQ(info->url.host(), QStringLiteral("127.0.0.1"));

    // Closing the player ends the stream: the URL stops answering.
    QUrl const url = info->url;
    player->close();
    EXPECT_TRUE(pump_until([&] { return window.player(*id) == nullptr; }, 3s));
    EXPECT_FALSE(viewer->streams().playing(*id));
    EXPECT_FALSE(viewer->streams().info(*id));
    MediaPlayer probe(headless());
    probe.load(url);
    EXPECT_TRUE(reaches(probe, State::failed, 10s))
        << MediaPlayer::state_name(probe.state()).toStdString();
    // And the download goes on as a plain one.
    ASSERT_TRUE(pump_until([&] { return viewer->row(*id)->progress >= 1.0; }, 60s));
}

TEST_F(PlayFromTheList, PlayWhileDownloadingInTheAddDialogOpensThePlayer) {
    window_->addSource(magnet(), false);
    AddTorrentDialog* dialog = nullptr;
    ASSERT_TRUE(pump_until([&] { return (dialog = window_->findChild<AddTorrentDialog*>()); }, 5s));
    auto* play = dialog->findChild<QCheckBox*>(QStringLiteral("play"));
    auto* paused = dialog->findChild<QCheckBox*>(QStringLiteral("start_paused"));
    ASSERT_TRUE(play && paused);
    EXPECT_FALSE(play->isChecked());
    paused->setChecked(true);
    play->setChecked(true);  // a paused torrent cannot play: the other box clears
    EXPECT_FALSE(paused->isChecked());
    EXPECT_TRUE(dialog->request().play);
    dialog->set_save_path(QString::fromStdString((dir_.path() / "viewer" / "dl").string()));
    ASSERT_TRUE(pump_until([&] { return dialog->findChild<QPushButton*>() != nullptr; }, 1s));
    dialog->accept();
    ASSERT_TRUE(pump_until([&] { return window_->player(id_) != nullptr; }, 5s));
    ASSERT_TRUE(reaches(window_->player(id_)->player(), State::playing, 30s))
        << window_->player(id_)->player().error().toStdString();
}

}  // namespace
}  // namespace lanetorrent::ui
