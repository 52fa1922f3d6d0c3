// The executable around the window: command line, the single-instance protocol, autostart, the
// tray tooltip, and the real `lanetorrent` binary run twice on one profile (a second launch hands
// its magnet link to the first and exits 0; SIGTERM ends the first cleanly; a socket left by a
// SIGKILLed instance does not block the next one; neither does a squatter on the old /tmp path,
// and a socket that cannot be listened on only turns forwarding off).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QTimer>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
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

// Sets an environment variable for one test and puts the old value back.
class ScopedEnv {
  public:
    ScopedEnv(char const* name, QByteArray const& value)
        : name_(name), had_(qEnvironmentVariableIsSet(name)), old_(qgetenv(name)) {
        qputenv(name, value);
    }
    ~ScopedEnv() {
        if (had_) {
            qputenv(name_, old_);
        } else {
            qunsetenv(name_);
        }
    }
    ScopedEnv(ScopedEnv const&) = delete;
    ScopedEnv& operator=(ScopedEnv const&) = delete;

  private:
    char const* name_;
    bool had_;
    QByteArray old_;
};

// A directory as the XDG spec wants $XDG_RUNTIME_DIR: this user's, mode 0700.
fs::path private_dir(TempDir const& dir, std::string const& name) {
    auto const path = dir.subdir(name);
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace);
    return path;
}

// Where the socket used to be: the shared /tmp, under a name anyone can compute.
QString old_tmp_socket_path(Profile const& profile) {
    auto const dir = QDir(q(profile.config_dir())).absolutePath();
    QCryptographicHash hash(QCryptographicHash::Sha256);
    hash.addData(dir.toUtf8());
    hash.addData(QByteArray::number(static_cast<qulonglong>(::getuid())));
    return QDir::temp().absoluteFilePath(QStringLiteral("lanetorrent-") +
                                         QString::fromLatin1(hash.result().toHex().left(24)));
}

// Something at `path` that QLocalServer can neither remove nor listen on: a directory with a file
// in it (what a squatter or a stray `mkdir` leaves).
void block_path(QString const& path) {
    fs::create_directories(path.toStdString());
    std::ofstream(path.toStdString() + "/occupied") << "x";
}

// In a child process, as user `uid` (or as this user when 0 is not needed): connects to the
// socket at `path`, sends `frame` and reads the answer. The exit status is 0 for an
// acknowledgement, 1 when the server closed the connection without one, 2 when the connection
// itself failed. The child uses only system calls: it is forked from a threaded process.
pid_t send_from_child(std::string const& path, QByteArray const& frame, std::optional<uid_t> uid) {
    pid_t const pid = ::fork();
    if (pid != 0) return pid;
    ::alarm(20);  // never outlives a broken test
    if (uid && (::setgid(*uid) != 0 || ::setuid(*uid) != 0)) ::_exit(3);
    int const fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::_exit(2);
    }
    // The server may have dropped the connection already: no SIGPIPE, just "no acknowledgement".
    if (::send(fd, frame.constData(), static_cast<std::size_t>(frame.size()), MSG_NOSIGNAL) !=
        frame.size()) {
        ::_exit(1);
    }
    char answer = 0;
    ::_exit(::read(fd, &answer, 1) == 1 && answer == instance_ack ? 0 : 1);
}

// Runs the event loop (so a server in this process can answer) until the child exits.
int wait_for_child(pid_t pid) {
    int status = -1;
    QEventLoop loop;
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (::waitpid(pid, &status, WNOHANG) == pid) loop.quit();
    });
    poll.start(5);
    loop.exec();
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

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

TEST(SingleInstance, SocketLivesInAPrivateRuntimeDirOrInTheProfile) {
    TempDir dir("lanetorrent-app");
    auto const profile = Profile::in_directory(dir.path() / "profile");
    ASSERT_TRUE(profile.create_directories());
    auto const in_profile = q(profile.config_dir() / "instance.sock");
    auto const runtime = private_dir(dir, "runtime");

    ScopedEnv const env("XDG_RUNTIME_DIR", q(runtime).toUtf8());
    auto const name = SingleInstance::server_name_for(profile);
    EXPECT_TRUE(name.startsWith(q(runtime) + "/lanetorrent-")) << name.toStdString();
    EXPECT_TRUE(name.endsWith(".sock")) << name.toStdString();
    auto const other = Profile::in_directory(dir.path() / "other");
    EXPECT_NE(SingleInstance::server_name_for(other), name);

    // A runtime directory others may enter, a relative one, or none: the profile's own directory.
    fs::permissions(runtime, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec,
                    fs::perm_options::replace);
    EXPECT_EQ(SingleInstance::server_name_for(profile), in_profile);
    qputenv("XDG_RUNTIME_DIR", "relative/run");
    EXPECT_EQ(SingleInstance::server_name_for(profile), in_profile);
    qputenv("XDG_RUNTIME_DIR", "");
    EXPECT_EQ(SingleInstance::server_name_for(profile), in_profile);
}

// The first instance started in a desktop session, the second from a shell without
// $XDG_RUNTIME_DIR (su -, ssh), and the other way round: the links still arrive.
TEST(SingleInstance, ForwardsAcrossADifferentRuntimeDir) {
    TempDir dir("lanetorrent-app");
    auto const runtime = q(private_dir(dir, "runtime")).toUtf8();
    for (bool const primary_sees_runtime : {true, false}) {
        auto const profile = Profile::in_directory(
            dir.path() / (primary_sees_runtime ? "profile-runtime" : "profile-plain"));
        ASSERT_TRUE(profile.create_directories());
        std::unique_ptr<SingleInstance> first;
        {
            ScopedEnv const env("XDG_RUNTIME_DIR", primary_sees_runtime ? runtime : "");
            auto claimed = SingleInstance::claim(profile);
            ASSERT_TRUE(claimed);
            first = std::move(claimed.value());
            ASSERT_TRUE(first->listen());
        }
        ScopedEnv const env("XDG_RUNTIME_DIR", primary_sees_runtime ? "" : runtime);
        auto second = SingleInstance::claim(profile);
        ASSERT_TRUE(second);
        ASSERT_EQ((*second)->role(), SingleInstance::Role::secondary);
        ASSERT_NE((*second)->server_name(), first->server_name());

        InstanceMessage const message{.sources = {"magnet:?xt=urn:btih:abc"}};
        auto sent = std::async(std::launch::async, [&] {
            auto status = (*second)->forward(message, 10s);
            return status ? std::string() : status.error();
        });
        QEventLoop loop;
        std::optional<InstanceMessage> received;
        QObject::connect(first.get(), &SingleInstance::messageReceived,
                         [&](QStringList sources, bool skip) {
                             received = InstanceMessage{.sources = sources, .skip_dialog = skip};
                             loop.quit();
                         });
        QTimer::singleShot(10s, &loop, &QEventLoop::quit);
        loop.exec();
        EXPECT_EQ(received, message) << primary_sees_runtime;
        EXPECT_EQ(sent.get(), "");
    }
}

TEST(SingleInstance, ListenFailsWithAReasonWhenThePathIsTaken) {
    TempDir dir("lanetorrent-app");
    ScopedEnv const env("XDG_RUNTIME_DIR", q(private_dir(dir, "runtime")).toUtf8());
    auto const profile = Profile::in_directory(dir.path() / "profile");
    ASSERT_TRUE(profile.create_directories());
    block_path(SingleInstance::server_name_for(profile));
    {
        // One of the two places is enough.
        auto first = SingleInstance::claim(profile);
        ASSERT_TRUE(first);
        EXPECT_TRUE((*first)->listen());
    }
    block_path(SingleInstance::profile_socket_for(profile));
    auto first = SingleInstance::claim(profile);
    ASSERT_TRUE(first);
    auto const listening = (*first)->listen();
    ASSERT_FALSE(listening);
    for (auto const& path :
         {SingleInstance::server_name_for(profile), SingleInstance::profile_socket_for(profile)}) {
        EXPECT_NE(
            listening.error().find("cannot listen for other launches on " + path.toStdString()),
            std::string::npos)
            << listening.error();
    }
}

// The socket's directory and mode already keep other users out; this loosens both, as a careless
// chmod might, to show the peer check alone still refuses them. Needs root to act as another user.
TEST(SingleInstance, DropsAConnectionFromAnotherUser) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to connect as another user";
    TempDir dir("lanetorrent-app");
    auto const runtime = private_dir(dir, "runtime");
    ScopedEnv const env("XDG_RUNTIME_DIR", q(runtime).toUtf8());
    auto const profile = Profile::in_directory(dir.path() / "profile");
    ASSERT_TRUE(profile.create_directories());
    auto first = SingleInstance::claim(profile);
    ASSERT_TRUE(first);
    ASSERT_TRUE((*first)->listen());
    int received = 0;
    QObject::connect(first->get(), &SingleInstance::messageReceived, [&] { ++received; });

    auto const path = SingleInstance::server_name_for(profile).toStdString();
    auto const frame = encode(InstanceMessage{.sources = {"magnet:?xt=urn:btih:abc"}});
    fs::permissions(dir.path(), fs::perms::all, fs::perm_options::replace);
    fs::permissions(runtime, fs::perms::all, fs::perm_options::replace);
    fs::permissions(path, fs::perms::all, fs::perm_options::replace);

    uid_t const nobody = 65534;
    EXPECT_EQ(wait_for_child(send_from_child(path, frame, nobody)), 1);
    QCoreApplication::processEvents();
    EXPECT_EQ(received, 0);
    // The same frame from this user is taken: the refusal above was the peer check.
    EXPECT_EQ(wait_for_child(send_from_child(path, frame, std::nullopt)), 0);
    QEventLoop loop;
    QTimer::singleShot(0, &loop, &QEventLoop::quit);  // the signal is queued
    loop.exec();
    EXPECT_EQ(received, 1);
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
    // The one rule of base/format.hpp: trailing zeros trimmed, as everywhere else.
    EXPECT_TRUE(text.contains("12.5 BTT")) << text.toStdString();
    EXPECT_FALSE(text.contains("12.500000")) << text.toStdString();
}

// The real binary, twice, on one profile.
class AppProcess : public ::testing::Test {
  protected:
    void SetUp() override {
        // The app and this test agree on the socket's place: the child inherits the variable.
        runtime_env_.emplace("XDG_RUNTIME_DIR", q(private_dir(dir_, "runtime")).toUtf8());
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

    QString socket_path() const {
        return SingleInstance::server_name_for(Profile::in_directory(profile_dir_));
    }

    TempDir dir_{"lanetorrent-app"};
    fs::path profile_dir_ = dir_.path() / "profile";
    std::optional<ScopedEnv> runtime_env_;
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
    auto const socket = socket_path();
    EXPECT_TRUE(QFile::exists(socket)) << socket.toStdString();

    auto next = launch("next", {"--minimized"});
    ASSERT_TRUE(ready(*next)) << logs(*next);
    auto second = launch("second", {"--skip-dialog", made_up_magnet});
    EXPECT_EQ(second->wait_for(15s), 0) << logs(*second);
    EXPECT_TRUE(added(*next, made_up_hash)) << logs(*next);
    next->signal(SIGTERM);
    EXPECT_EQ(next->wait_for(30s), 0) << logs(*next);
}

// The app may hold an unlocked wallet key for as long as it runs: no core file, and (as for the
// CLI) /proc entries only root can read, which a test running as root cannot tell apart.
TEST_F(AppProcess, KeepsSecretsOutOfCoreDumps) {
    auto app = launch("app", {"--minimized"});
    ASSERT_TRUE(ready(*app)) << logs(*app);
    std::ifstream limits("/proc/" + std::to_string(app->pid()) + "/limits");
    std::string line;
    while (std::getline(limits, line) && line.rfind("Max core file size", 0) != 0) {
    }
    EXPECT_NE(line.find("Max core file size        0                    0"), std::string::npos)
        << line;
    if (::geteuid() != 0) {
        struct stat st {};
        ASSERT_EQ(::stat(("/proc/" + std::to_string(app->pid())).c_str(), &st), 0);
        EXPECT_EQ(st.st_uid, 0u);
    }
    app->signal(SIGTERM);
    EXPECT_EQ(app->wait_for(30s), 0) << logs(*app);
}

// Before, the socket sat at a path in the shared /tmp that anyone could compute and create first:
// the app then exited with "cannot listen for other launches". Here another user's directory
// squats that path (without a runtime directory, so the profile fallback is what is used).
TEST_F(AppProcess, SquatterOnTheOldTmpPathDoesNotBlockStart) {
    qputenv("XDG_RUNTIME_DIR", "");
    auto const squatted = old_tmp_socket_path(Profile::in_directory(profile_dir_));
    block_path(squatted);
    if (::geteuid() == 0) {
        ASSERT_EQ(::chown(squatted.toLocal8Bit().constData(), 65534, 65534), 0);
    }
    struct RemoveSquat {
        QString path;
        ~RemoveSquat() { fs::remove_all(path.toStdString()); }
    } const cleanup{squatted};

    auto first = launch("first", {"--minimized"});
    ASSERT_TRUE(ready(*first)) << logs(*first);
    EXPECT_EQ(first->stdout_text().find("without forwarding"), std::string::npos) << logs(*first);
    EXPECT_TRUE(QFile::exists(q(profile_dir_ / "config" / "instance.sock")));
    auto second = launch("second", {"--skip-dialog", made_up_magnet});
    EXPECT_EQ(second->wait_for(15s), 0) << logs(*second);
    EXPECT_TRUE(added(*first, made_up_hash)) << logs(*first);
    first->signal(SIGTERM);
    EXPECT_EQ(first->wait_for(30s), 0) << logs(*first);
}

TEST_F(AppProcess, StartsWithoutForwardingWhenItCannotListen) {
    block_path(socket_path());
    block_path(SingleInstance::profile_socket_for(Profile::in_directory(profile_dir_)));
    auto first = launch("first", {"--minimized", "--skip-dialog", made_up_magnet});
    auto const notice = first->wait_for_line(
        [](std::string_view line) {
            return line.starts_with("lanetorrent: running without forwarding: cannot listen");
        },
        60s);
    ASSERT_TRUE(notice) << logs(*first);
    ASSERT_TRUE(ready(*first)) << logs(*first);
    // Its own sources still go in.
    EXPECT_TRUE(added(*first, made_up_hash)) << logs(*first);
    first->signal(SIGTERM);
    EXPECT_EQ(first->wait_for(30s), 0) << logs(*first);
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
