// lanetorrent-cli as users and scripts meet it: exit codes, one-sentence errors for every kind of
// bad input, output formats, signals. Each test runs the real binary.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include "cli.hpp"
#include "files.hpp"
#include "net.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "tmpfs_mount.hpp"

namespace lanetorrent::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr char const* error_prefix = "lanetorrent-cli: error: ";

// "Max core file size  0  0  bytes" in /proc/PID/limits: no core file, soft or hard.
bool core_limit_is_zero(pid_t pid) {
    std::ifstream limits("/proc/" + std::to_string(pid) + "/limits");
    for (std::string line; std::getline(limits, line);) {
        if (line.rfind("Max core file size", 0) != 0) continue;
        std::istringstream fields(line.substr(std::string("Max core file size").size()));
        std::string soft, hard;
        fields >> soft >> hard;
        return soft == "0" && hard == "0";
    }
    return false;
}

// An error message is one line on stderr, starting with the program's name.
void expect_one_sentence_error(CliRun const& run, std::string const& contains) {
    EXPECT_EQ(run.err.rfind(error_prefix, 0), 0u) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_NE(run.err.find(contains), std::string::npos) << run.err;
}

class CliTest : public ::testing::Test {
  protected:
    void SetUp() override {
        data_ = dir_.subdir("data");
        write_random_file(data_ / "payload.bin", 4 * 1024 * 1024, 5);
        torrent_ = (dir_.path() / "payload.torrent").string();
        auto const created = run_cli({"create", (data_ / "payload.bin").string(), "-o", torrent_});
        ASSERT_EQ(created.exit_code, 0) << created.err;
    }

    std::vector<std::string> with_profile(std::string const& name, std::vector<std::string> args) {
        args.insert(args.begin(), {"--profile", (dir_.path() / name).string()});
        return args;
    }

    // A seeder in the background; returns its listen address once it is serving.
    std::string start_seeder(std::unique_ptr<Process>& seeder) {
        auto const ip = unique_loopback_ip();
        auto const endpoint = ip + ":" + std::to_string(free_port(ip));
        seeder = std::make_unique<Process>(
            "seeder",
            cli_command(
                with_profile("seed-profile", {"seed", torrent_, "--data", data_.string(),
                                              "--listen", endpoint, "--seconds", "60", "--json"})),
            dir_.path());
        EXPECT_TRUE(seeder->wait_for_line([](auto line) { return is_event(line, "checked"); }, 30s))
            << seeder->stderr_text();
        return endpoint;
    }

    std::string fresh_listen() {
        auto const ip = unique_loopback_ip();
        return ip + ":" + std::to_string(free_port(ip));
    }

    TempDir dir_;
    fs::path data_;
    std::string torrent_;
};

TEST_F(CliTest, HelpOnEveryCommandExitsZero) {
    for (auto const* command : {"create", "info", "seed", "download"}) {
        auto const run = run_cli({command, "--help"});
        EXPECT_EQ(run.exit_code, 0) << command;
        EXPECT_NE(run.out.find("Usage"), std::string::npos) << command;
    }
    EXPECT_EQ(run_cli({"--help"}).exit_code, 0);
    auto const version = run_cli({"--version"});
    EXPECT_EQ(version.exit_code, 0);
    EXPECT_NE(version.out.find("lanetorrent-cli"), std::string::npos);
}

TEST_F(CliTest, BadUsageExitsTwo) {
    std::vector<std::vector<std::string>> const cases = {
        {},
        {"frobnicate"},
        {"download"},
        {"download", torrent_},  // --save missing
        {"download", torrent_, "--save", "x", "--bogus"},
        {"download", torrent_, "--save", "x", "--listen", "127.0.0.1"},
        {"download", torrent_, "--save", "x", "--peer", "nowhere:1"},
        {"download", torrent_, "--save", "x", "--timeout", "-3"},
        {"download", torrent_, "--save", "x", "--ca-file", "ca.pem"},  // --ca-file needs --tls
        {"download", "magnet:?xt=urn:btih:not-a-hash", "--save", "x"},
        {"seed", "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a", "--data", "x"},
        {"info", "magnet:?dn=no-hash"},
        {"create", data_.string(), "-o", "x.torrent", "--piece-size", "24"},
        {"create", data_.string(), "-o", "x.torrent", "--format", "v3"},
    };
    for (auto const& args : cases) {
        auto const run = run_cli(args);
        std::string joined;
        for (auto const& arg : args) joined += arg + " ";
        EXPECT_EQ(run.exit_code, 2) << joined << "\n" << run.err;
        EXPECT_EQ(run.err.rfind(error_prefix, 0), 0u) << joined << "\n" << run.err;
    }
}

TEST_F(CliTest, CorruptOrTruncatedTorrentFilesFailClearly) {
    std::ifstream in(torrent_, std::ios::binary);
    std::string const good{std::istreambuf_iterator<char>(in), {}};
    auto const truncated = dir_.path() / "truncated.torrent";
    std::ofstream(truncated, std::ios::binary) << good.substr(0, good.size() - 20);
    auto const corrupt = dir_.path() / "corrupt.torrent";
    std::ofstream(corrupt, std::ios::binary) << "d4:infod6:lengthi-5eee";

    for (auto const& file : {truncated, corrupt}) {
        for (auto const& args : std::vector<std::vector<std::string>>{
                 {"info", file.string()},
                 with_profile("p", {"download", file.string(), "--save", dir_.path() / "out"})}) {
            auto const run = run_cli(args);
            EXPECT_EQ(run.exit_code, 1) << run.err;
            expect_one_sentence_error(run, file.string());
        }
    }
    auto const missing = run_cli({"info", (dir_.path() / "missing.torrent").string()});
    EXPECT_EQ(missing.exit_code, 1);
    expect_one_sentence_error(missing, "No such file");
}

TEST_F(CliTest, InfoDescribesTorrentsAndMagnets) {
    auto const text = run_cli({"info", torrent_});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.out.find("payload.bin"), std::string::npos);
    EXPECT_NE(text.out.find("4194304 bytes"), std::string::npos) << text.out;

    auto const json = torrent_info(torrent_);
    EXPECT_EQ(json["name"], "payload.bin");
    EXPECT_EQ(json["size"], 4 * 1024 * 1024);
    EXPECT_EQ(json["files"].size(), 1u);
    auto const hash = json["info_hash_v1"].get<std::string>();
    ASSERT_EQ(hash.size(), 40u);

    auto const magnet = torrent_info("magnet:?xt=urn:btih:" + hash + "&dn=named");
    EXPECT_EQ(magnet["info_hash_v1"], hash);
    EXPECT_EQ(magnet["name"], "named");
    EXPECT_EQ(magnet["has_metadata"], false);
}

TEST_F(CliTest, CreateRecordsTrackersPieceSizeAndPrivacy) {
    auto const out = (dir_.path() / "custom.torrent").string();
    auto const run = run_cli({"create", data_.string(), "-o", out, "--tracker",
                              "http://127.0.0.1:1/announce", "--piece-size", "256", "--private"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    auto const info = torrent_info(out);
    EXPECT_EQ(info["piece_size"], 256 * 1024);
    EXPECT_EQ(info["private"], true);
    EXPECT_EQ(info["trackers"], nlohmann::json::array({"http://127.0.0.1:1/announce"}));
    EXPECT_NE(run.out.find(info["info_hash_v1"].get<std::string>()), std::string::npos);
}

TEST_F(CliTest, SeedFailsOnMissingOrMismatchedData) {
    auto const missing =
        run_cli(with_profile("p", {"seed", torrent_, "--data", (dir_.path() / "nope").string(),
                                   "--listen", fresh_listen()}));
    EXPECT_EQ(missing.exit_code, 1);
    expect_one_sentence_error(missing, "does not exist");

    auto const other = dir_.subdir("other");
    write_random_file(other / "payload.bin", 4 * 1024 * 1024, 6);
    auto const mismatched = run_cli(with_profile(
        "p", {"seed", torrent_, "--data", other.string(), "--listen", fresh_listen()}));
    EXPECT_EQ(mismatched.exit_code, 1);
    expect_one_sentence_error(mismatched, "does not match");
}

TEST_F(CliTest, BusyListenPortFails) {
    auto const ip = unique_loopback_ip();
    auto const port = free_port(ip);
    int const blocker = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
    ASSERT_EQ(::bind(blocker, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ASSERT_EQ(::listen(blocker, 1), 0);
    auto const endpoint = ip + ":" + std::to_string(port);
    auto const run = run_cli(with_profile(
        "p", {"download", torrent_, "--save", dir_.path() / "out", "--listen", endpoint}));
    ::close(blocker);
    EXPECT_EQ(run.exit_code, 1);
    expect_one_sentence_error(run, "cannot listen on " + endpoint + ": Address already in use");
}

TEST_F(CliTest, UnwritableSaveDirectoryFails) {
    // Root ignores permission bits, so as root the directory is a read-only mount instead.
    auto const save = dir_.path() / "readonly";
    std::optional<TmpfsMount> mount;
    if (::geteuid() == 0) {
        mount.emplace(save, "size=1m");
        if (!mount->mounted()) GTEST_SKIP() << "cannot mount a tmpfs here";
        ASSERT_TRUE(mount->remount("", true));
    } else {
        fs::create_directories(save);
        fs::permissions(save, fs::perms::owner_read | fs::perms::owner_exec);
    }
    auto const run = run_cli(with_profile(
        "p", {"download", torrent_, "--save", save.string(), "--listen", fresh_listen()}));
    EXPECT_EQ(run.exit_code, 1);
    expect_one_sentence_error(run, "cannot write to save directory " + save.string());
}

TEST_F(CliTest, FullDiskStopsTheDownloadWithAClearErrorAndResumesWhenSpaceReturns) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a small tmpfs";
    auto const save = dir_.path() / "small-disk";
    TmpfsMount small(save, "size=1m");
    if (!small.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here";
    std::unique_ptr<Process> seeder;
    auto const seeder_endpoint = start_seeder(seeder);
    Process download("download",
                     cli_command(with_profile("p", {"download", torrent_, "--save", save.string(),
                                                    "--listen", fresh_listen(), "--peer",
                                                    seeder_endpoint, "--timeout", "90", "--json"})),
                     dir_.path());
    auto const stopped =
        download.wait_for_line([](std::string_view line) { return is_event(line, "error"); }, 60s);
    ASSERT_TRUE(stopped) << download.stderr_text();
    auto const error = nlohmann::json::parse(*stopped);
    EXPECT_TRUE(error.value("retrying", false)) << *stopped;
    auto const message = error.value("message", "");
    EXPECT_NE(message.find("No space left on device"), std::string::npos) << message;
    EXPECT_NE(message.find("resumes by itself once space is freed"), std::string::npos) << message;
    // The user frees space; the download goes on by itself and completes.
    ASSERT_TRUE(small.remount("size=16m"));
    EXPECT_TRUE(download.wait_for_line(
        [](std::string_view line) {
            return is_event(line, "warning") && line.find("usable again") != line.npos;
        },
        30s));
    EXPECT_EQ(download.wait_for(80s), 0) << download.stderr_text();
    EXPECT_TRUE(files_identical(data_ / "payload.bin", save / "payload.bin"));
}

TEST_F(CliTest, DownloadTimesOutWithoutPeers) {
    auto const run = run_cli(with_profile("p", {"download", torrent_, "--save", dir_.path() / "out",
                                                "--listen", fresh_listen(), "--timeout", "2"}));
    EXPECT_EQ(run.exit_code, 1);
    expect_one_sentence_error(run, "did not finish within 2 seconds");
}

TEST_F(CliTest, JsonLinesEndWithDoneAndPlainOutputShowsProgress) {
    std::unique_ptr<Process> seeder;
    auto const seeder_endpoint = start_seeder(seeder);
    auto const json = run_cli(with_profile(
        "p1", {"download", torrent_, "--save", dir_.path() / "out1", "--listen", fresh_listen(),
               "--peer", seeder_endpoint, "--json", "--timeout", "60"}));
    ASSERT_EQ(json.exit_code, 0) << json.err;
    auto const events = parse_events(json.out);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back()["event"], "done");
    EXPECT_EQ(events.back()["exit_code"], 0);
    EXPECT_EQ(events.back()["downloaded"], 4 * 1024 * 1024);
    EXPECT_TRUE(std::any_of(events.begin(), events.end(),
                            [](auto const& e) { return e["event"] == "finished"; }));
    EXPECT_TRUE(files_identical(data_ / "payload.bin", dir_.path() / "out1" / "payload.bin"));

    auto const plain = run_cli(
        with_profile("p2", {"download", torrent_, "--save", dir_.path() / "out2", "--listen",
                            fresh_listen(), "--peer", seeder_endpoint, "--timeout", "60"}));
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    EXPECT_NE(plain.out.find("finished: every piece downloaded and hash-checked"),
              std::string::npos)
        << plain.out;
    EXPECT_EQ(plain.out.find('\r'), std::string::npos) << "no progress bar when not a terminal";
}

TEST_F(CliTest, ProgressBarOnATerminal) {
    // script(1) gives the CLI a pseudo-terminal as stdout.
    std::unique_ptr<Process> seeder;
    auto const seeder_endpoint = start_seeder(seeder);
    std::string command = cli_path();
    for (auto const& arg :
         with_profile("p", {"download", torrent_, "--save", (dir_.path() / "out").string(),
                            "--listen", fresh_listen(), "--peer", seeder_endpoint, "--timeout",
                            "60", "--max-down", "1024"})) {
        command += " '" + arg + "'";
    }
    Process terminal("terminal", {"script", "-qefc", command, "/dev/null"}, dir_.path());
    ASSERT_EQ(terminal.wait_for(90s), 0) << terminal.stderr_text();
    auto const out = terminal.stdout_text();
    EXPECT_NE(out.find("\r\x1b[K["), std::string::npos) << out;
    EXPECT_NE(out.find("eta"), std::string::npos) << out;
}

TEST_F(CliTest, SignalsStopCleanly) {
    // A seeder stopped by SIGTERM exits 0 and leaves resume data behind.
    std::unique_ptr<Process> seeder;
    start_seeder(seeder);
    seeder->signal(SIGTERM);
    EXPECT_EQ(seeder->wait_for(20s), 0) << seeder->stderr_text();
    EXPECT_FALSE(fs::is_empty(dir_.path() / "seed-profile" / "data" / "resume"));

    // An interrupted download exits 1 and says how to continue.
    Process download("download",
                     cli_command(with_profile(
                         "p", {"download", torrent_, "--save", (dir_.path() / "out").string(),
                               "--listen", fresh_listen(), "--json"})),
                     dir_.path());
    ASSERT_TRUE(download.wait_for_line([](auto line) { return is_event(line, "added"); }, 20s));
    download.signal(SIGINT);
    EXPECT_EQ(download.wait_for(20s), 1);
    EXPECT_NE(download.stderr_text().find("interrupted"), std::string::npos)
        << download.stderr_text();
}

// A seeder may hold an unlocked wallet key for days: it must never write it into a core file,
// and other processes of the same user must not read its memory.
TEST_F(CliTest, KeepsSecretsOutOfCoreDumps) {
    std::unique_ptr<Process> seeder;
    start_seeder(seeder);
    EXPECT_TRUE(core_limit_is_zero(seeder->pid()));
    // An undumpable process's /proc entries belong to root; for root itself that proves nothing
    // (tests/wallet checks the flag directly).
    if (::geteuid() != 0) {
        struct stat st {};
        ASSERT_EQ(::stat(("/proc/" + std::to_string(seeder->pid())).c_str(), &st), 0);
        EXPECT_EQ(st.st_uid, 0u);
    }
    seeder->signal(SIGTERM);
    EXPECT_EQ(seeder->wait_for(20s), 0) << seeder->stderr_text();
}

TEST_F(CliTest, SameTorrentInTwoProcessesOfOneProfileIsRefused) {
    Process first("first",
                  cli_command(with_profile(
                      "shared", {"download", torrent_, "--save", (dir_.path() / "out").string(),
                                 "--listen", fresh_listen(), "--json"})),
                  dir_.path());
    ASSERT_TRUE(first.wait_for_line([](auto line) { return is_event(line, "added"); }, 20s));
    auto const second =
        run_cli(with_profile("shared", {"download", torrent_, "--save", dir_.path() / "out",
                                        "--listen", fresh_listen()}));
    EXPECT_EQ(second.exit_code, 1);
    expect_one_sentence_error(second, "already open in another LaneTorrent process");
}

}  // namespace
}  // namespace lanetorrent::test
