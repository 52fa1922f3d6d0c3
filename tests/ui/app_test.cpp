// The executable around the window: command line, the single-instance protocol, autostart, the
// tray tooltip, and the real `lanetorrent` binary run twice on one profile (a second launch hands
// its magnet link to the first and exits 0; SIGTERM ends the first cleanly; a socket left by a
// SIGKILLed instance does not block the next one).
#include <gtest/gtest.h>
#include <signal.h>

#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QTimer>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <thread>

#include "app/command_line.hpp"
#include "app/instance_message.hpp"
#include "app/single_instance.hpp"
#include "base/app_settings.hpp"
#include "base/autostart.hpp"
#include "gui/tray_icon.hpp"
#include "net.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::ui {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test::Process;
using test::TempDir;

QString q(fs::path const& path) {
    return QString::fromStdString(path.string());
}

// A made-up but well-formed v1 info-hash: no swarm has it, so the torrent just waits for peers.
constexpr char made_up_hash[] = "0123456789abcdef0123456789abcdef01234567";
std::string const made_up_magnet =
    std::string("magnet:?xt=urn:btih:") + made_up_hash + "&dn=made-up";

Result<CommandLine> parse(QStringList arguments) {
    arguments.prepend(QStringLiteral("lanetorrent"));
    return parse_command_line(arguments, QStringLiteral("/home/someone/Downloads"));
}

TEST(CommandLine, ReadsOptionsAndMakesPathsAbsolute) {
    auto const parsed =
        parse({"--profile", "p", "--minimized", "--skip-dialog", "magnet:?xt=urn:btih:abc",
               "a.torrent", "/tmp/b.torrent", "file:///tmp/c%20d.torrent"});
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(parsed->profile_dir, "/home/someone/Downloads/p");
    EXPECT_TRUE(parsed->minimized);
    EXPECT_TRUE(parsed->skip_dialog);
    EXPECT_EQ(parsed->sources,
              QStringList({"magnet:?xt=urn:btih:abc", "/home/someone/Downloads/a.torrent",
                           "/tmp/b.torrent", "/tmp/c d.torrent"}));
    EXPECT_FALSE(parsed->print_and_exit);
    EXPECT_TRUE(parsed->screenshot_dir.isEmpty());
}

TEST(CommandLine, DefaultsToTheXdgProfileAndAWindow) {
    auto const parsed = parse({});
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_TRUE(parsed->profile_dir.isEmpty());
    EXPECT_FALSE(parsed->minimized);
    EXPECT_FALSE(parsed->skip_dialog);
    EXPECT_TRUE(parsed->sources.isEmpty());
}

TEST(CommandLine, RejectsUnknownOptionsAndAMissingValue) {
    auto const unknown = parse({"--frobnicate"});
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().find("frobnicate"), std::string::npos);
    EXPECT_FALSE(parse({"--profile"}));
}

TEST(CommandLine, HelpListsTheOptionsButNotTheHiddenOne) {
    auto const help = parse({"--help"});
    ASSERT_TRUE(help && help->print_and_exit);
    EXPECT_TRUE(help->print_and_exit->contains("--profile <dir>"));
    EXPECT_TRUE(help->print_and_exit->contains("--minimized"));
    EXPECT_TRUE(help->print_and_exit->contains("--skip-dialog"));
    EXPECT_FALSE(help->print_and_exit->contains("--screenshot"));
    auto const version = parse({"--version"});
    ASSERT_TRUE(version && version->print_and_exit);
    EXPECT_TRUE(version->print_and_exit->startsWith(QCoreApplication::applicationName()));
    auto const screenshot = parse({"--screenshot", "shots"});
    ASSERT_TRUE(screenshot);
    EXPECT_EQ(screenshot->screenshot_dir, "/home/someone/Downloads/shots");
}

TEST(InstanceMessage, RoundTripsInPieces) {
    InstanceMessage const sent{.sources = {"magnet:?xt=urn:btih:abc", "/tmp/ä b.torrent"},
                               .skip_dialog = true};
    QByteArray const frame = encode(sent) + encode(InstanceMessage{});
    QByteArray buffer;
    std::vector<InstanceMessage> received;
    for (char byte : frame) {  // one byte at a time, as a slow socket might deliver it
        buffer.append(byte);
        auto decoded = decode(buffer);
        ASSERT_FALSE(decoded.malformed);
        if (decoded.message) received.push_back(*decoded.message);
    }
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0], sent);
    EXPECT_EQ(received[1], InstanceMessage{});
    EXPECT_TRUE(buffer.isEmpty());
}

TEST(InstanceMessage, RejectsForeignFrames) {
    QByteArray huge("\xff\xff\xff\xff", 4);
    EXPECT_TRUE(decode(huge).malformed);
    QByteArray frame = encode(InstanceMessage{.sources = {"x"}, .skip_dialog = false});
    frame[5] = 'Z';  // inside the magic number
    EXPECT_TRUE(decode(frame).malformed);
    QByteArray empty;
    auto const nothing = decode(empty);
    EXPECT_FALSE(nothing.malformed);
    EXPECT_FALSE(nothing.message);
}

TEST(SingleInstance, SecondClaimForwardsToTheFirst) {
    TempDir dir("lanetorrent-app");
    auto const profile = Profile::in_directory(dir.path() / "profile");
    ASSERT_TRUE(profile.create_directories());
    auto const other = Profile::in_directory(dir.path() / "other");
    ASSERT_TRUE(other.create_directories());
    EXPECT_NE(SingleInstance::server_name_for(profile), SingleInstance::server_name_for(other));

    auto first = SingleInstance::claim(profile);
    ASSERT_TRUE(first) << first.error();
    ASSERT_EQ((*first)->role(), SingleInstance::Role::primary);
    auto second = SingleInstance::claim(profile);
    ASSERT_TRUE(second) << second.error();
    ASSERT_EQ((*second)->role(), SingleInstance::Role::secondary);
    auto elsewhere = SingleInstance::claim(other);
    ASSERT_TRUE(elsewhere);
    EXPECT_EQ((*elsewhere)->role(), SingleInstance::Role::primary);

    // The second starts sending before the first listens: a primary that is still starting.
    InstanceMessage const message{.sources = {"magnet:?xt=urn:btih:abc"}, .skip_dialog = true};
    auto sent = std::async(std::launch::async, [&] {
        auto status = (*second)->forward(message, 10s);
        return status ? std::string() : status.error();
    });
    std::this_thread::sleep_for(300ms);
    ASSERT_TRUE((*first)->listen());
    QEventLoop loop;
    std::optional<InstanceMessage> received;
    QObject::connect(first->get(), &SingleInstance::messageReceived,
                     [&](QStringList sources, bool skip) {
                         received = InstanceMessage{.sources = sources, .skip_dialog = skip};
                         loop.quit();
                     });
    QTimer::singleShot(10s, &loop, &QEventLoop::quit);
    loop.exec();
    ASSERT_TRUE(received);
    EXPECT_EQ(*received, message);
    EXPECT_EQ(sent.get(), "");
}

TEST(SingleInstance, SecondGivesUpWhenNobodyAnswers) {
    TempDir dir("lanetorrent-app");
    auto const profile = Profile::in_directory(dir.path() / "profile");
    ASSERT_TRUE(profile.create_directories());
    auto first = SingleInstance::claim(profile);
    auto second = SingleInstance::claim(profile);
    ASSERT_TRUE(first && second);
    auto const status = (*second)->forward(InstanceMessage{}, 500ms);
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().find("does not answer"), std::string::npos);
}

class Autostart : public ::testing::Test {
  protected:
    void SetUp() override {
        saved_config_ = qgetenv("XDG_CONFIG_HOME");
        saved_home_ = qgetenv("HOME");
        qputenv("XDG_CONFIG_HOME", q(dir_.path() / "config").toUtf8());
        qputenv("HOME", q(dir_.path() / "home").toUtf8());
    }
    void TearDown() override {
        qputenv("XDG_CONFIG_HOME", saved_config_);
        qputenv("HOME", saved_home_);
    }
    TempDir dir_{"lanetorrent-autostart"};
    QByteArray saved_config_;
    QByteArray saved_home_;
};

TEST_F(Autostart, WritesAValidEntryAndRemovesIt) {
    auto const entry = dir_.path() / "config" / "autostart" / "lanetorrent.desktop";
    EXPECT_EQ(autostart_entry_path(), q(entry));
    EXPECT_FALSE(autostart_enabled());
    ASSERT_TRUE(set_autostart(true));
    ASSERT_TRUE(autostart_enabled());
    auto const text = test::read_file(entry);
    EXPECT_NE(text.find("\nExec=lanetorrent --minimized\n"), std::string::npos) << text;
    EXPECT_NE(text.find("\nType=Application\n"), std::string::npos) << text;
    Process validate("validate", {"desktop-file-validate", entry.string()}, dir_.path());
    EXPECT_EQ(validate.wait_for(30s), 0) << validate.stdout_text() << validate.stderr_text();

    ASSERT_TRUE(set_autostart(false));
    EXPECT_FALSE(fs::exists(entry));
    EXPECT_TRUE(set_autostart(false));  // already gone is fine
}

TEST_F(Autostart, QuotesPathsAndFallsBackToHome) {
    qputenv("XDG_CONFIG_HOME", "relative/config");  // the spec says: ignore it
    auto const entry = dir_.path() / "home" / ".config" / "autostart" / "lanetorrent.desktop";
    EXPECT_EQ(autostart_entry_path(), q(entry));
    ASSERT_TRUE(set_autostart(true, "/opt/lane torrent/lanetorrent", "/data/my \"profile\""));
    auto const text = test::read_file(entry);
    EXPECT_NE(text.find("Exec=\"/opt/lane torrent/lanetorrent\" --minimized --profile "
                        "\"/data/my \\\\\"profile\\\\\"\"\n"),
              std::string::npos)
        << text;
    Process validate("validate", {"desktop-file-validate", entry.string()}, dir_.path());
    EXPECT_EQ(validate.wait_for(30s), 0) << validate.stdout_text() << validate.stderr_text();
    ASSERT_TRUE(set_autostart(false));
    EXPECT_FALSE(fs::exists(entry));
}

TEST(TrayIcon, TooltipShowsRatesTorrentsAndEarnings) {
    auto const text = TrayIcon::tooltip(TrayStatus{
        .download_rate = 3 << 20, .upload_rate = 1536, .active = 2, .earned_today = 12'500'000});
    EXPECT_TRUE(text.contains("3.0 MiB/s")) << text.toStdString();
    EXPECT_TRUE(text.contains("1.5 KiB/s")) << text.toStdString();
    EXPECT_TRUE(text.contains("2 active torrents")) << text.toStdString();
    EXPECT_TRUE(text.contains("12.500000 BTT")) << text.toStdString();
}

// The real binary, twice, on one profile.
class AppProcess : public ::testing::Test {
  protected:
    void SetUp() override {
        auto const profile = Profile::in_directory(profile_dir_);
        ASSERT_TRUE(profile.create_directories());
        // Loopback only (the Session then turns DHT, LSD and port mapping off) and a save path
        // inside the test directory.
        AppSettings settings(profile);
        auto const ip = test::unique_loopback_ip();
        settings.set_listen_interfaces(
            QString::fromStdString(ip + ":" + std::to_string(test::free_port(ip))));
        settings.set_default_save_path(q(dir_.subdir("downloads")));
        settings.set_notifications(false);
        settings.sync();
    }

    std::unique_ptr<Process> launch(std::string const& name, std::vector<std::string> extra) {
        std::vector<std::string> argv{LANETORRENT_APP, "--profile", profile_dir_.string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        test::SpawnOptions options;
        options.env = {{"QT_QPA_PLATFORM", "offscreen"},
                       {"XDG_CONFIG_HOME", dir_.subdir("xdg-config").string()},
                       {"XDG_DATA_HOME", dir_.subdir("xdg-data").string()},
                       {"XDG_CACHE_HOME", dir_.subdir("xdg-cache").string()}};
        return std::make_unique<Process>(name, argv, dir_.path(), options);
    }

    static bool ready(Process& app) {
        return app
            .wait_for_line([](std::string_view line) { return line == "lanetorrent: ready"; }, 60s)
            .has_value();
    }

    static bool added(Process& app, std::string const& hash) {
        std::string const expected = "lanetorrent: added " + hash;
        return app.wait_for_line([&](std::string_view line) { return line == expected; }, 30s)
            .has_value();
    }

    static std::string logs(Process& app) { return app.stdout_text() + app.stderr_text(); }

    TempDir dir_{"lanetorrent-app"};
    fs::path profile_dir_ = dir_.path() / "profile";
};

TEST_F(AppProcess, SecondLaunchHandsItsMagnetToTheFirst) {
    auto first = launch("first", {"--minimized"});
    ASSERT_TRUE(ready(*first)) << logs(*first);

    auto second = launch("second", {"--skip-dialog", made_up_magnet});
    EXPECT_EQ(second->wait_for(15s), 0) << logs(*second);
    EXPECT_TRUE(added(*first, made_up_hash)) << logs(*first);

    // A bare second launch only brings the window up, and still exits 0.
    auto third = launch("third", {});
    EXPECT_EQ(third->wait_for(15s), 0) << logs(*third);

    first->signal(SIGTERM);
    EXPECT_EQ(first->wait_for(30s), 0) << logs(*first);
    // Quitting saved the torrent, so the next start restores it.
    EXPECT_TRUE(fs::exists(Profile::in_directory(profile_dir_).resume_dir() /
                           (std::string(made_up_hash) + ".resume")));
}

TEST_F(AppProcess, SecondLaunchWaitsForAFirstThatIsStillStarting) {
    auto first = launch("first", {"--minimized"});
    // The lock is the first thing it takes, well before it listens (after opening the engine).
    auto const lock = profile_dir_ / "config" / "instance.lock";
    auto const deadline = std::chrono::steady_clock::now() + 30s;
    while (!fs::exists(lock) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(fs::exists(lock)) << logs(*first);
    auto second = launch("second", {"--skip-dialog", made_up_magnet});
    EXPECT_EQ(second->wait_for(30s), 0) << logs(*second);
    EXPECT_TRUE(added(*first, made_up_hash)) << logs(*first);
    first->signal(SIGTERM);
    EXPECT_EQ(first->wait_for(30s), 0) << logs(*first);
}

TEST_F(AppProcess, StaleSocketOfAKilledInstanceDoesNotBlockTheNext) {
    {
        auto killed = launch("killed", {"--minimized"});
        ASSERT_TRUE(ready(*killed)) << logs(*killed);
        killed->kill();  // SIGKILL: the lock file and the socket file stay behind
    }
    auto const socket = QDir::temp().absoluteFilePath(
        SingleInstance::server_name_for(Profile::in_directory(profile_dir_)));
    EXPECT_TRUE(QFile::exists(socket)) << socket.toStdString();

    auto next = launch("next", {"--minimized"});
    ASSERT_TRUE(ready(*next)) << logs(*next);
    auto second = launch("second", {"--skip-dialog", made_up_magnet});
    EXPECT_EQ(second->wait_for(15s), 0) << logs(*second);
    EXPECT_TRUE(added(*next, made_up_hash)) << logs(*next);
    next->signal(SIGTERM);
    EXPECT_EQ(next->wait_for(30s), 0) << logs(*next);
}

}  // namespace
}  // namespace lanetorrent::ui

int main(int argc, char** argv) {
    // gtest_discover_tests runs this binary at build time, outside ctest's ENVIRONMENT.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
