// A download killed with SIGKILL continues from its saved resume data instead of starting over.
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <iostream>

#include "cli.hpp"
#include "files.hpp"
#include "interop_test.hpp"
#include "net.hpp"

namespace lanetorrent::test {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kMiB = 1024 * 1024;
constexpr std::int64_t kSize = 24 * kMiB;
constexpr std::int64_t kPiece = 256 * 1024;
// Pieces that were in flight around the last save are fetched again.
constexpr std::int64_t kAllowance = 4 * kPiece;

// A lanetorrent-cli seeder, and a rate-limited lanetorrent-cli download from it that gets killed
// half way.
class RestartInterop : public InteropTest {
  protected:
    void SetUp() override {
        content_ = dir("seed") / "restart.bin";
        write_random_file(content_, kSize, 401);
        torrent_ = root() / "restart.torrent";
        ASSERT_NO_FATAL_FAILURE(create_torrent(content_, torrent_, {"--piece-size", "256"}));
        hash_ = info_hash(torrent_.string());

        const std::string ip = unique_loopback_ip();
        seed_endpoint_ = ip + ":" + std::to_string(free_port(ip));
        seeder_ = start_cli("seed", dir("seed-profile"),
                            {"seed", torrent_.string(), "--data", dir("seed").string(), "--listen",
                             seed_endpoint_, "--seconds", "240", "--json"});
        ASSERT_TRUE(seeder_->wait_for_line(
            [](std::string_view line) { return is_event(line, "checked"); }, 60s))
            << "the seeder never reported its hash check";
    }

    std::vector<std::string> download_args(const std::string& listen_ip,
                                           int timeout_seconds = kTransferTimeoutSeconds) const {
        return {"download",
                torrent_.string(),
                "--save",
                dir("download").string(),
                "--listen",
                listen_ip + ":0",
                "--peer",
                seed_endpoint_,
                "--resume-interval",
                "1",
                "--timeout",
                std::to_string(timeout_seconds),
                "--json"};
    }

    // Runs the download limited to 2 MiB/s (about 12 s for the whole file), and SIGKILLs it as
    // soon as it has saved resume data after reaching 40 %. Returns how many bytes it had
    // according to its last progress line before that save.
    std::int64_t download_and_kill(const std::string& listen_ip) {
        std::vector<std::string> limited = download_args(listen_ip);
        limited.insert(limited.end(), {"--max-down", "2048"});
        auto first = start_cli("download-1", profile(), limited);
        std::int64_t have_at_save = 0;
        bool past_40_percent = false;
        const auto saved = first->wait_for_line(
            [&](std::string_view line) {
                const auto event = parse_event(line);
                if (!event) {
                    return false;
                }
                const std::string name = event->value("event", "");
                if (name == "progress") {
                    have_at_save = event->value("have_bytes", std::int64_t{0});
                    past_40_percent = past_40_percent || event->value("progress", 0.0) >= 0.4;
                }
                return past_40_percent && name == "resume_saved";
            },
            kTransferTimeout);
        EXPECT_TRUE(saved) << "no resume_saved event after 40 % progress";
        EXPECT_EQ(first->kill(), 128 + SIGKILL) << "the first run ended before it was killed";
        EXPECT_LT(have_at_save, kSize) << "the first run had everything; is --max-down ignored?";
        EXPECT_TRUE(std::filesystem::exists(profile() / "data" / "resume" / (hash_ + ".resume")));
        return have_at_save;
    }

    std::filesystem::path profile() const { return dir("download-profile"); }

    std::filesystem::path content_;
    std::filesystem::path torrent_;
    std::string hash_;
    std::string seed_endpoint_;
    std::unique_ptr<Process> seeder_;
};

// The second run comes from a fresh address: what is tested is the resume data, not how the
// seeder treats the vanished first run (next test).
TEST_F(RestartInterop, KilledDownloadContinuesFromResumeData) {
    const std::int64_t have_at_save = download_and_kill(unique_loopback_ip());
    ASSERT_FALSE(HasFailure());

    auto second = start_cli("download-2", profile(), download_args(unique_loopback_ip()));
    const nlohmann::json done = expect_done(*second, 0);
    EXPECT_TRUE(files_identical(content_, dir("download") / content_.filename()));

    const std::int64_t downloaded = done.value("downloaded", kSize);
    std::cout << "first run: " << have_at_save
              << " bytes at its last save; second run: " << downloaded << " bytes downloaded of "
              << kSize << "\n";
    EXPECT_LE(downloaded, kSize - have_at_save + kAllowance)
        << "the second run fetched more than the first one was missing (had " << have_at_save
        << " of " << kSize << " bytes at its last save)";
    for (const auto& event : parse_events(second->stdout_text())) {
        if (event.value("event", "") == "checked") {
            EXPECT_GE(event.value("have_bytes", std::int64_t{0}) + kAllowance, have_at_save)
                << "the restart did not pick up what the first run had saved: " << event.dump();
        }
    }
}

// Killed a few seconds after its last save: the pieces written since are on disk but not in the
// resume data. The restart hash-checks the files instead of trusting the stale piece list, so it
// has at least what the killed run had reported, and fetches none of it again.
TEST_F(RestartInterop, KilledBetweenSavesFetchesNoFinishedPieceAgain) {
    std::vector<std::string> args = download_args(unique_loopback_ip());
    auto const interval = std::find(args.begin(), args.end(), "--resume-interval");
    ASSERT_NE(interval, args.end());
    *std::next(interval) = "3";
    args.insert(args.end(), {"--max-down", "2048"});
    auto first = start_cli("download-1", profile(), args);
    int pieces_at_save = -1;
    int pieces_at_kill = 0;
    std::int64_t bytes_at_kill = 0;
    ASSERT_TRUE(first->wait_for_line(
        [&](std::string_view line) {
            auto const event = parse_event(line);
            if (!event) return false;
            auto const name = event->value("event", "");
            if (name == "resume_saved") pieces_at_save = pieces_at_kill;
            if (name == "progress") {
                pieces_at_kill = event->value("have_pieces", 0);
                bytes_at_kill = event->value("have_bytes", std::int64_t{0});
            }
            // Far enough past a save that whole pieces are on disk and missing from it.
            return pieces_at_save > 0 && pieces_at_kill >= pieces_at_save + 8 &&
                   bytes_at_kill >= kSize / 3;
        },
        kTransferTimeout))
        << first->stderr_text();
    EXPECT_EQ(first->kill(), 128 + SIGKILL) << "the first run ended before it was killed";
    ASSERT_LT(bytes_at_kill, kSize);

    auto second = start_cli("download-2", profile(), download_args(unique_loopback_ip()));
    nlohmann::json const done = expect_done(*second, 0);
    EXPECT_TRUE(files_identical(content_, dir("download") / content_.filename()));
    int checked = -1;
    for (auto const& event : parse_events(second->stdout_text())) {
        if (event.value("event", "") == "checked") checked = event.value("have_pieces", checked);
    }
    std::int64_t const downloaded = done.value("downloaded", kSize);
    std::cout << "killed run: " << pieces_at_save << " pieces at its last save, " << pieces_at_kill
              << " when killed; restart: " << checked << " found on disk, " << downloaded
              << " bytes downloaded\n";
    EXPECT_GE(checked, pieces_at_kill) << "a piece the killed run had finished was lost";
    // Only pieces that were partly downloaded when it died may come again.
    EXPECT_LE(downloaded, kSize - pieces_at_kill * kPiece + kAllowance);
    EXPECT_NE(second->stdout_text().find("stopped without saving"), std::string::npos)
        << "no warning that the files are checked again";
}

// Exactly the same command again, so the restarted download comes from the address the killed
// one used. The seeder must not keep refusing it because of the connection that died with the
// first run (the restarted download needs a few seconds; the timeout leaves ten times that).
TEST_F(RestartInterop, SeederServesDownloadRestartedOnSameAddress) {
    const std::string ip = unique_loopback_ip();
    download_and_kill(ip);
    ASSERT_FALSE(HasFailure());

    std::vector<std::string> again = download_args(ip, 60);
    auto second = start_cli("download-2", profile(), again);
    expect_done(*second, 0, 90s);
    EXPECT_TRUE(files_identical(content_, dir("download") / content_.filename()));
}

}  // namespace
}  // namespace lanetorrent::test
