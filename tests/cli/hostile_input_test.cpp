// Torrents and magnet links written to hurt (issue 13): absurd lists, bytes that are not UTF-8,
// control characters meant for the terminal. Each test runs the real binary on a torrent
// bencoded here byte for byte, and looks at what it printed and how long it took.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

#include "cli.hpp"
#include "net.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string bstring(std::string const& bytes) {
    return std::to_string(bytes.size()) + ":" + bytes;
}

struct HostileTorrent {
    std::string name = "payload";
    std::string comment;
    std::vector<std::string> trackers;  // one per tier
    std::vector<std::string> web_seeds;

    // Keys in sorted order, as bencode wants them.
    std::string bencoded() const {
        std::string out = "d";
        if (!trackers.empty()) {
            out += bstring("announce") + bstring(trackers.front());
            out += bstring("announce-list") + "l";
            for (auto const& tracker : trackers) out += "l" + bstring(tracker) + "e";
            out += "e";
        }
        if (!comment.empty()) out += bstring("comment") + bstring(comment);
        out += bstring("info") + "d" + bstring("length") + "i16384e" + bstring("name") +
               bstring(name) + bstring("piece length") + "i16384e" + bstring("pieces") +
               bstring(std::string(20, '\0')) + "e";
        if (!web_seeds.empty()) {
            out += bstring("url-list") + "l";
            for (auto const& seed : web_seeds) out += bstring(seed);
            out += "e";
        }
        return out + "e";
    }
};

class HostileInputTest : public ::testing::Test {
  protected:
    std::string write_torrent(std::string const& name, HostileTorrent const& torrent) {
        auto const path = dir_.path() / name;
        std::ofstream(path, std::ios::binary) << torrent.bencoded();
        return path.string();
    }

    // A 10 MB .torrent: 300,000 trackers (about 35 bytes each).
    std::string huge_tracker_list() {
        HostileTorrent torrent;
        for (int i = 0; i < 300'000; ++i) {
            torrent.trackers.push_back("http://127.0.0.1:1/announce/" + std::to_string(i));
        }
        auto const path = write_torrent("huge.torrent", torrent);
        EXPECT_GT(fs::file_size(path), 10'000'000u);
        return path;
    }

    std::vector<std::string> download(std::string const& source, bool json) {
        auto const ip = unique_loopback_ip();
        std::vector<std::string> args = {"--profile", (dir_.path() / "profile").string(),
                                         "download",  source,
                                         "--save",    (dir_.path() / "save").string(),
                                         "--listen",  ip + ":" + std::to_string(free_port(ip)),
                                         "--timeout", "1"};
        if (json) args.push_back("--json");
        return args;
    }

    TempDir dir_;
};

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST_F(HostileInputTest, AHugeTrackerListIsCutWithAWarningAndTakesSeconds) {
    auto const torrent = huge_tracker_list();
    auto start = Clock::now();
    auto const info = run_cli({"info", torrent, "--json"});
    auto const info_seconds = seconds_since(start);
    ASSERT_EQ(info.exit_code, 0) << info.err;
    EXPECT_LT(info_seconds, 5.0);  // measured ~1 s (docs/reliability.md)
    EXPECT_NE(info.err.find("warning: kept the first 200 of 300000 distinct trackers"),
              std::string::npos)
        << info.err;
    EXPECT_EQ(nlohmann::json::parse(info.out)["trackers"].size(), 200u);

    // Unbounded, add_torrent ran for over 5 minutes; --timeout 1 then ends the download.
    start = Clock::now();
    auto const run = run_cli(download(torrent, true), 120s);
    auto const download_seconds = seconds_since(start);
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_NE(run.err.find("within 1 seconds"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("kept the first 200 of 300000"), std::string::npos) << run.err;
    EXPECT_LT(download_seconds, 6.0);  // 1 s of --timeout, the rest loading and shutting down
}

TEST_F(HostileInputTest, SigtermEndsADownloadAtOnceWhateverStepItIsIn) {
    auto const torrent = huge_tracker_list();
    Process process("download", cli_command(download(torrent, true)), dir_.path());
    std::this_thread::sleep_for(300ms);  // inside loading or adding: no event to wait for
    auto const start = Clock::now();
    process.signal(SIGTERM);
    auto const code = process.wait_for(5s);
    ASSERT_TRUE(code.has_value()) << "SIGTERM ignored";
    EXPECT_LT(seconds_since(start), 3.0);
    // 143 if the signal came while loading or adding, 1 ("interrupted") if in the loop.
    EXPECT_TRUE(*code == 128 + SIGTERM || *code == 1) << *code << process.stderr_text();
}

TEST_F(HostileInputTest, BytesThatAreNotUtf8GiveValidJson) {
    HostileTorrent torrent;
    torrent.name = "caf\xE9";
    torrent.comment = "\xFF\xFE comment";
    torrent.trackers = {"http://127.0.0.1:1/\xFF\xFE/announce"};
    torrent.web_seeds = {"http://127.0.0.1:1/\xC3(/seed"};
    auto const path = write_torrent("latin1.torrent", torrent);
    std::string const replacement = "\xEF\xBF\xBD";

    auto const info = run_cli({"info", path, "--json"});
    ASSERT_EQ(info.exit_code, 0) << info.err;  // was 1: "internal error: [json.exception..."
    auto const json = nlohmann::json::parse(info.out);
    EXPECT_EQ(json["trackers"][0], "http://127.0.0.1:1/" + replacement + replacement + "/announce");
    // libtorrent escapes web seeds (%c3) and repairs comments ("__") itself.
    EXPECT_EQ(json["web_seeds"].size(), 1u);
    EXPECT_TRUE(json["comment"].is_string());

    std::string const magnet =
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn=%FF%FEname"
        "&tr=http%3A%2F%2F127.0.0.1%3A1%2F%FF";
    auto const magnet_info = run_cli({"info", magnet, "--json"});
    ASSERT_EQ(magnet_info.exit_code, 0) << magnet_info.err;
    EXPECT_EQ(nlohmann::json::parse(magnet_info.out)["name"], replacement + replacement + "name");

    for (auto const& source : {path, magnet}) {
        auto const run = run_cli(download(source, true));
        EXPECT_EQ(run.exit_code, 1) << run.err;
        EXPECT_EQ(run.err.find("internal error"), std::string::npos) << run.err;
        std::size_t lines = 0;
        for (std::size_t at = 0; at < run.out.size(); at = run.out.find('\n', at) + 1) {
            auto const end = run.out.find('\n', at);
            if (end == std::string::npos) break;
            EXPECT_TRUE(nlohmann::json::accept(run.out.substr(at, end - at)))
                << run.out.substr(at, end - at);
            ++lines;
        }
        auto const events = parse_events(run.out);
        EXPECT_EQ(events.size(), lines);
        EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](auto const& e) {
            return e["event"] == "done";
        })) << run.out;
    }
}

TEST_F(HostileInputTest, ControlCharactersNeverReachTheTerminal) {
    std::string const magnet =
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
        "&dn=%1B%5D0%3Bowned%07name%E2%80%AEfdp.exe&tr=http%3A%2F%2F127.0.0.1%3A1%2F%1B%5B2J";
    HostileTorrent torrent;
    torrent.comment = "\x1b[2Jcleared";
    torrent.trackers = {"http://127.0.0.1:1/\x1b]0;owned\x07"};
    auto const path = write_torrent("escape.torrent", torrent);

    auto const no_controls = [](std::string const& text) {
        return text.find('\x1b') == std::string::npos && text.find('\x07') == std::string::npos &&
               text.find("\xE2\x80\xAE") == std::string::npos;
    };
    auto const magnet_info = run_cli({"info", magnet});
    ASSERT_EQ(magnet_info.exit_code, 0) << magnet_info.err;
    EXPECT_TRUE(no_controls(magnet_info.out)) << magnet_info.out;
    EXPECT_NE(magnet_info.out.find("name:       \\x1B]0;owned\\x07name\\u202Efdp.exe"),
              std::string::npos)
        << magnet_info.out;
    EXPECT_NE(magnet_info.out.find("http://127.0.0.1:1/\\x1B[2J"), std::string::npos)
        << magnet_info.out;

    auto const file_info = run_cli({"info", path});
    ASSERT_EQ(file_info.exit_code, 0) << file_info.err;
    EXPECT_TRUE(no_controls(file_info.out)) << file_info.out;
    EXPECT_NE(file_info.out.find("comment:    \\x1B[2Jcleared"), std::string::npos)
        << file_info.out;

    for (auto const& source : {magnet, path}) {
        auto const run = run_cli(download(source, false));
        EXPECT_EQ(run.exit_code, 1) << run.err;
        EXPECT_TRUE(no_controls(run.out)) << run.out;
        EXPECT_TRUE(no_controls(run.err)) << run.err;
    }
    auto const added = run_cli(download(magnet, false));
    EXPECT_NE(added.out.find("added \\x1B]0;owned\\x07name"), std::string::npos) << added.out;
}

}  // namespace
}  // namespace lanetorrent::test
