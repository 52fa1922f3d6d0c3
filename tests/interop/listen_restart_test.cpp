// A download killed with SIGKILL and started again at once comes back on its port (issue 13:
// `cannot listen on IP:PORT: Address already in use` for 4-6 s was reported when the seeder also
// dials the downloader back). Two plain libtorrent 2.0.8 seeders (lanetorrent-test-lt-dialback-
// seeder, one with libtorrent's defaults, which dial over uTP first, and one TCP only) keep
// dialling the downloader's listen port while the downloader also dials them; every round kills
// the downloader in the middle of the transfer and starts the same command without waiting for
// the killed process to be reaped. docs/reliability.md, "Restart right after a crash", lists what
// was tried to reproduce the report.
#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>

#include "cli.hpp"
#include "files.hpp"
#include "interop_test.hpp"
#include "net.hpp"

namespace lanetorrent::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kMiB = 1024 * 1024;
constexpr int kRounds = 6;

class ListenRestartInterop : public InteropTest {
  protected:
    std::unique_ptr<Process> start_seeder(std::string const& name, bool tcp_only,
                                          std::string const& endpoint,
                                          std::string const& downloader) {
        std::vector<std::string> argv{LANETORRENT_TEST_LT_SEEDER};
        if (tcp_only) argv.push_back("--tcp-only");
        argv.insert(argv.end(), {torrent_.string(), dir("seed").string(), endpoint, downloader});
        auto seeder = std::make_unique<Process>(name, argv, root());
        EXPECT_TRUE(seeder->wait_for_line([](auto l) { return l == "checked"; }, 60s))
            << seeder->stderr_text();
        return seeder;
    }

    std::filesystem::path torrent_;
};

TEST_F(ListenRestartInterop, KilledDownloadComesBackAtOnceOnItsPort) {
    auto const content = dir("seed") / "restart.bin";
    write_random_file(content, 256 * kMiB, 1307);
    torrent_ = root() / "restart.torrent";
    ASSERT_NO_FATAL_FAILURE(create_torrent(content, torrent_));

    auto const ip = unique_loopback_ip();
    auto const downloader = ip + ":" + std::to_string(free_port(ip));
    std::vector<std::string> seeders;
    for (int i = 0; i < 2; ++i) {
        auto const seed_ip = unique_loopback_ip();
        seeders.push_back(seed_ip + ":" + std::to_string(free_port(seed_ip)));
    }
    auto const utp_seeder = start_seeder("lt-seeder", false, seeders[0], downloader);
    auto const tcp_seeder = start_seeder("lt-seeder-tcp", true, seeders[1], downloader);

    // Slow enough that every round kills a transfer in progress.
    std::vector<std::string> const args{"download",
                                        torrent_.string(),
                                        "--save",
                                        dir("download").string(),
                                        "--listen",
                                        downloader,
                                        "--peer",
                                        seeders[0],
                                        "--peer",
                                        seeders[1],
                                        "--max-down",
                                        "8192",
                                        "--resume-interval",
                                        "1",
                                        "--json"};
    auto const listening_event = [&](Process& p) {
        return p.wait_for_line(
            [](std::string_view l) {
                return is_event(l, "listening") || is_event(l, "done") ||
                       l.find("cannot listen") != std::string_view::npos;
            },
            10s);
    };
    int dialled_in = 0;  // rounds in which a seeder's connection to the downloader was accepted
    auto download = start_cli("download-0", dir("profile"), args);
    for (int round = 1; round <= kRounds; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        // Data is flowing and a seeder has dialled in.
        ASSERT_TRUE(download->wait_for_line(
            [](std::string_view l) {
                auto const e = parse_event(l);
                return e && e->value("event", "") == "stats" && e->value("download_rate", 0) > 0;
            },
            30s))
            << download->stdout_text() << download->stderr_text();
        if (download->stdout_text().find("\"incoming\":true") != std::string::npos) ++dialled_in;
        download->signal(SIGKILL);  // as a crash: the test does not wait for it to be reaped
        auto const killed = Clock::now();
        auto next = start_cli("download-" + std::to_string(round), dir("profile"), args);
        auto const line = listening_event(*next);
        auto const seconds = std::chrono::duration<double>(Clock::now() - killed).count();
        ASSERT_TRUE(line) << next->stdout_text() << next->stderr_text();
        auto const e = parse_event(*line);
        ASSERT_TRUE(e && e->value("event", "") == "listening")
            << "the restarted download did not listen: " << *line << next->stderr_text();
        EXPECT_EQ(e->value("address", "") + ":" + std::to_string(e->value("port", 0)), downloader);
        EXPECT_LT(seconds, 3.0) << "listening " << seconds << " s after the kill";
        std::cout << "[ restart  ] round " << round << ": listening on " << downloader << " "
                  << seconds << " s after kill -9" << std::endl;
        EXPECT_TRUE(download->wait_for(10s)) << "the killed download is still running";
        download = std::move(next);
    }
    EXPECT_GT(dialled_in, 0) << "no seeder ever dialled the downloader";
    std::cout << "[ restart  ] a seeder had dialled in before the kill in " << dialled_in << " of "
              << kRounds << " rounds" << std::endl;
}

}  // namespace
}  // namespace lanetorrent::test
