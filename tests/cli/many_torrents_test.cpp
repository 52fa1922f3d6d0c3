// `seed` and `download` with many torrents in one process, as the soak bench (bench/soak/run)
// runs them: one seeder of every torrent, downloaders that finish all of them, and
// `--keep-seeding`, which keeps a finished download in the swarm until it is stopped.
#include <gtest/gtest.h>

#include <csignal>
#include <set>
#include <thread>

#include "cli.hpp"
#include "files.hpp"
#include "net.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr int torrent_count = 12;

class ManyTorrentsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        data_ = dir_.subdir("data");
        for (int i = 0; i < torrent_count; ++i) {
            auto const name = "file-" + std::to_string(100 + i) + ".bin";
            write_random_file(data_ / name, (64 + 16 * i) * 1024, 600 + i);
            auto const torrent = (dir_.path() / (name + ".torrent")).string();
            auto const created = run_cli({"create", (data_ / name).string(), "-o", torrent});
            ASSERT_EQ(created.exit_code, 0) << created.err;
            torrents_.push_back(torrent);
        }
        auto const ip = unique_loopback_ip();
        seeder_at_ = ip + ":" + std::to_string(free_port(ip));
        auto argv = command(
            "seeder", "seed",
            {"--data", data_.string(), "--listen", seeder_at_, "--seconds", "120", "--json"});
        seeder_ = std::make_unique<Process>("seeder", argv, dir_.path());
        // Every torrent is hash-checked before the seeder serves it.
        for (int i = 0; i < torrent_count; ++i) {
            ASSERT_TRUE(seeder_->wait_for_line(
                [](auto line) {
                    auto const event = parse_event(line);
                    return event && (*event)["event"] == "checked" &&
                           (*event)["have_bytes"] == (*event)["total_bytes"];
                },
                30s))
                << seeder_->stderr_text();
        }
    }

    // lanetorrent-cli --profile DIR/profile SUBCOMMAND torrents... options...
    std::vector<std::string> command(std::string const& profile, std::string const& subcommand,
                                     std::vector<std::string> const& options) {
        std::vector<std::string> args{"--profile", (dir_.path() / profile).string(), subcommand};
        args.insert(args.end(), torrents_.begin(), torrents_.end());
        args.insert(args.end(), options.begin(), options.end());
        return cli_command(args);
    }

    std::vector<std::string> download_options(std::string const& save) {
        auto const ip = unique_loopback_ip();
        return {"--save",    (dir_.path() / save).string(),
                "--listen",  ip + ":" + std::to_string(free_port(ip)),
                "--peer",    seeder_at_,
                "--timeout", "60",
                "--json"};
    }

    TempDir dir_;
    fs::path data_;
    std::vector<std::string> torrents_;
    std::string seeder_at_;
    std::unique_ptr<Process> seeder_;
};

TEST_F(ManyTorrentsTest, OneDownloadFinishesEveryTorrentThenExits) {
    Process download("download", command("down", "download", download_options("save")),
                     dir_.path());
    ASSERT_EQ(download.wait_for(60s), 0) << download.stderr_text();
    auto const events = parse_events(download.stdout_text());
    std::set<std::string> finished;
    for (auto const& event : events) {
        if (event["event"] == "finished") finished.insert(event["id"].get<std::string>());
    }
    EXPECT_EQ(finished.size(), static_cast<std::size_t>(torrent_count));
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back()["event"], "done");
    EXPECT_EQ(events.back()["exit_code"], 0);
    EXPECT_EQ(differing_files(data_, dir_.path() / "save"), std::vector<std::string>{});
}

TEST_F(ManyTorrentsTest, KeepSeedingStaysUntilStoppedAndServesAnotherPeer) {
    auto options = download_options("first");
    options.push_back("--keep-seeding");
    Process first("first", command("first", "download", options), dir_.path());
    for (int i = 0; i < torrent_count; ++i) {
        ASSERT_TRUE(first.wait_for_line([](auto line) { return is_event(line, "finished"); }, 60s))
            << first.stderr_text();
    }
    EXPECT_EQ(differing_files(data_, dir_.path() / "first"), std::vector<std::string>{});

    // Finished, and still there: with the original seeder gone, a second downloader gets every
    // torrent from the first.
    seeder_->signal(SIGTERM);
    EXPECT_EQ(seeder_->wait_for(20s), 0) << seeder_->stderr_text();
    EXPECT_TRUE(first.running());
    auto const first_at = options[3];  // --listen's value
    auto second_options = download_options("second");
    second_options[5] = first_at;  // --peer: the first downloader, not the seeder
    Process second("second", command("second", "download", second_options), dir_.path());
    EXPECT_EQ(second.wait_for(60s), 0) << second.stderr_text();
    EXPECT_EQ(differing_files(data_, dir_.path() / "second"), std::vector<std::string>{});

    first.signal(SIGTERM);
    EXPECT_EQ(first.wait_for(20s), 0) << first.stderr_text();
    auto const events = parse_events(first.stdout_text());
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back()["event"], "done");
    EXPECT_GT(events.back()["uploaded"].get<std::int64_t>(), 0);
}

}  // namespace
}  // namespace lanetorrent::test
