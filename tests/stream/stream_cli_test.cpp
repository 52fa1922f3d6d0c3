// `lanetorrent-cli stream` as a user runs it: a real seeder process, the streaming client, and a
// player's reads over HTTP on loopback. With lanes: a real lanetorrent-devnet and a seller that
// sells them, and `--lane auto` buying speed only while the buffer is short.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "cli.hpp"
#include "cli_lanes.hpp"
#include "files.hpp"
#include "http_reader.hpp"
#include "net.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::stream {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kMiB = 1 << 20;

std::string read_bytes(fs::path const& path, std::int64_t offset, std::int64_t length) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(offset);
    std::string bytes(static_cast<std::size_t>(length), '\0');
    in.read(bytes.data(), length);
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    return bytes;
}

class StreamCliTest : public ::testing::Test {
  protected:
    void SetUp() override {
        fs::create_directories(dir_.path() / "data");
        video_ = dir_.path() / "data" / "video.mp4";
        test::write_random_file(video_, kFileSize, 14);
        torrent_ = (dir_.path() / "video.torrent").string();
        auto const created =
            test::run_cli({"create", video_.string(), "-o", torrent_, "--piece-size", "256"}, 30s);
        ASSERT_EQ(created.exit_code, 0) << created.err;
        seed_endpoint_ = test::unique_loopback_ip() + ":" + "6881";
    }

    std::unique_ptr<test::Process> seeder(int max_up_kib, std::vector<std::string> extra = {}) {
        std::vector<std::string> args{
            "--profile", (dir_.path() / "seeder").string(), "seed",      torrent_,
            "--data",    (dir_.path() / "data").string(),   "--listen",  seed_endpoint_,
            "--max-up",  std::to_string(max_up_kib),        "--seconds", "150",
            "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto p = std::make_unique<test::Process>("seeder", test::cli_command(args), dir_.path());
        EXPECT_TRUE(p->wait_for_line([](auto l) { return test::is_event(l, "checked"); }, 30s))
            << p->stderr_text();
        return p;
    }

    std::unique_ptr<test::Process> streamer(std::string const& source,
                                            std::vector<std::string> extra = {},
                                            std::string const& name = "stream") {
        std::vector<std::string> args{"--profile", (dir_.path() / (name + "-profile")).string(),
                                      "stream",    source,
                                      "--save",    (dir_.path() / (name + "-save")).string(),
                                      "--listen",  test::unique_loopback_ip() + ":6881",
                                      "--peer",    seed_endpoint_,
                                      "--seconds", "150",
                                      "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        return std::make_unique<test::Process>(name, test::cli_command(args), dir_.path());
    }

    // The URL of the `stream` event.
    static std::string wait_for_url(test::Process& p) {
        auto const line = p.wait_for_line([](auto l) { return test::is_event(l, "stream"); }, 60s);
        if (!line) return {};
        auto const event = test::parse_event(*line);
        return event ? event->value("url", "") : "";
    }

    static constexpr std::int64_t kFileSize = 24 * kMiB;
    test::TempDir dir_{"stream-cli"};
    fs::path video_;
    std::string torrent_;
    std::string seed_endpoint_;
};

// The player's first read is served from the pieces that arrived first, and the whole file read
// over HTTP is the file, byte for byte, read while it was still downloading.
TEST_F(StreamCliTest, ServesTheFileWhileItDownloads) {
    auto seed = seeder(2048);
    auto stream = streamer(torrent_);
    auto const url = wait_for_url(*stream);
    ASSERT_FALSE(url.empty()) << stream->stderr_text();
    auto const parsed = parse_url(url);
    ASSERT_TRUE(parsed) << url;

    auto const head = http_request(*parsed, "HEAD", {});
    ASSERT_TRUE(head) << head.error();
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->header("content-length"), std::to_string(kFileSize));
    EXPECT_EQ(head->header("content-type"), "video/mp4");
    EXPECT_EQ(head->header("accept-ranges"), "bytes");

    auto const start = Clock::now();
    auto const body = http_request(*parsed, "GET", {});
    auto const seconds = std::chrono::duration<double>(Clock::now() - start).count();
    ASSERT_TRUE(body) << body.error();
    EXPECT_EQ(body->status, 200);
    ASSERT_EQ(body->body.size(), static_cast<std::size_t>(kFileSize));
    auto const file = read_bytes(video_, 0, kFileSize);
    auto const differ = std::mismatch(body->body.begin(), body->body.end(), file.begin());
    EXPECT_TRUE(differ.first == body->body.end())
        << "the stream is not the file from byte " << (differ.first - body->body.begin())
        << " (piece " << (differ.first - body->body.begin()) / (256 * 1024) << ")";
    std::cout << fmt::format("[ stream   ] 24 MiB read over HTTP in {:.1f} s at a 2 MiB/s seeder\n",
                             seconds);
    // The read could only finish when the last piece did: at 2 MiB/s that is about 12 s, and
    // the response waited for pieces instead of failing or serving holes.
    EXPECT_GT(seconds, 5.0);
    auto const buffer =
        stream->wait_for_line([](auto l) { return test::is_event(l, "buffer"); }, 10s);
    EXPECT_TRUE(buffer) << "no buffer events";
}

// A seek (a range in the middle of a file not yet downloaded) is served long before the download
// reaches it in order: its pieces get deadlines at once.
TEST_F(StreamCliTest, SeekFetchesTheMiddleFirst) {
    auto seed = seeder(1024);
    auto stream = streamer(torrent_);
    auto const url = wait_for_url(*stream);
    ASSERT_FALSE(url.empty()) << stream->stderr_text();
    auto const parsed = parse_url(url);
    ASSERT_TRUE(parsed);

    std::int64_t const offset = 16 * kMiB;
    auto const start = Clock::now();
    auto const part = http_request(
        *parsed, "GET", {{"Range", fmt::format("bytes={}-{}", offset, offset + kMiB - 1)}});
    auto const seconds = std::chrono::duration<double>(Clock::now() - start).count();
    ASSERT_TRUE(part) << part.error();
    EXPECT_EQ(part->status, 206);
    EXPECT_EQ(part->header("content-range"),
              fmt::format("bytes {}-{}/{}", offset, offset + kMiB - 1, kFileSize));
    EXPECT_TRUE(part->body == read_bytes(video_, offset, kMiB));
    std::cout << fmt::format(
        "[ stream   ] 1 MiB at 16 MiB of 24 MiB served in {:.1f} s at a "
        "1 MiB/s seeder\n",
        seconds);
    // In order, 17 MiB at 1 MiB/s is 17 s; by deadline, about one MiB's worth plus the first
    // pieces and the index at the tail.
    EXPECT_LT(seconds, 9.0);
}

// A magnet link: the stream is published once the metadata has come from the peer.
TEST_F(StreamCliTest, StreamsAMagnetLink) {
    auto seed = seeder(4096);
    auto const magnet = "magnet:?xt=urn:btih:" + test::info_hash(torrent_);
    auto stream = streamer(magnet);
    auto const url = wait_for_url(*stream);
    ASSERT_FALSE(url.empty()) << stream->stderr_text();
    auto const parsed = parse_url(url);
    ASSERT_TRUE(parsed);
    auto const part = http_request(*parsed, "GET", {{"Range", "bytes=0-1048575"}});
    ASSERT_TRUE(part) << part.error();
    EXPECT_EQ(part->status, 206);
    EXPECT_TRUE(part->body == read_bytes(video_, 0, kMiB));
}

// A file index that the torrent does not have is a clear error, not a hang.
TEST_F(StreamCliTest, AMissingFileIndexIsAnError) {
    auto seed = seeder(4096);
    auto stream = streamer(torrent_, {"--file", "3"});
    auto const code = stream->wait_for(60s);
    ASSERT_TRUE(code) << "still running";
    EXPECT_NE(*code, 0);
    EXPECT_NE(stream->stderr_text().find("no file 3"), std::string::npos) << stream->stderr_text();
}

// --lane auto against a seller with lanes on a devnet: starved at the start it buys a paid lane,
// with the buffer full it drops back to slow, and it never spends past --max-per-torrent.
TEST_F(StreamCliTest, AutoLaneBuysWhenTheBufferIsShortAndStopsWhenItIsFull) {
    lanes::Devnet chain;
    auto const passphrase = dir_.path() / "passphrase";
    std::ofstream(passphrase) << "stream test passphrase\n";
    auto const payee_profile = dir_.path() / "payee";
    auto const payee = lanes::create_cli_wallet(payee_profile, passphrase);
    auto const buyer_profile = dir_.path() / "auto-profile";
    auto const buyer = lanes::create_cli_wallet(buyer_profile, passphrase);
    ASSERT_FALSE(payee.empty() || buyer.empty());
    ASSERT_TRUE(chain.start(dir_.path() / "devnet", {buyer}));
    auto const node = chain.config();

    auto seed = seeder(4096, {"--payee", payee, "--node", node.wallet_address, "--solidity-node",
                              node.solidity_address, "--settle-threshold", "2000000",
                              "--min-settlement", "100000"});
    // A plain downloader next to it, so that the slow lane is shared and a paid lane gets more.
    auto plain = streamer(torrent_, {}, "plain");
    lanes::Units const cap = 3'000'000;  // 3 BTT: about 10 MiB at the fast price
    auto stream = streamer(
        torrent_,
        {"--lane", "auto", "--max-price", std::to_string(lanes::kMaxPrice), "--max-per-torrent",
         std::to_string(cap), "--buffer-seconds", "5", "--passphrase-file", passphrase.string(),
         "--node", node.wallet_address, "--solidity-node", node.solidity_address},
        "auto");
    auto const url = wait_for_url(*stream);
    ASSERT_FALSE(url.empty()) << stream->stderr_text();
    auto const parsed = parse_url(url);
    ASSERT_TRUE(parsed);

    // A player at 768 KiB/s: it reads the whole file in about 32 s.
    auto const read = http_read_paced(*parsed, 768 * 1024, 90s);
    ASSERT_TRUE(read) << read.error();
    EXPECT_EQ(read->size(), static_cast<std::size_t>(kFileSize));
    // Let the last buffer events come.
    std::this_thread::sleep_for(3s);

    std::vector<std::string> lanes_seen;
    lanes::Units spent = 0;
    for (auto const& e : test::parse_events(stream->stdout_text())) {
        if (e.value("event", "") != "buffer") continue;
        auto const lane = e.value("lane", "");
        if (lanes_seen.empty() || lanes_seen.back() != lane) lanes_seen.push_back(lane);
        spent = std::max<lanes::Units>(spent, e.value("spent", lanes::Units{0}));
    }
    std::string story;
    for (auto const& lane : lanes_seen) story += lane + " ";
    std::cout << "[ stream   ] auto lane: " << story << "spent " << spent << " units\n";
    ASSERT_GE(lanes_seen.size(), 2u) << story << stream->stdout_text();
    EXPECT_NE(std::find(lanes_seen.begin(), lanes_seen.end(), "fast"), lanes_seen.end()) << story;
    EXPECT_EQ(lanes_seen.back(), "slow") << story;
    EXPECT_GT(spent, 0);
    EXPECT_LE(spent, cap);
}

// --lane fast: the buffer events report the lane the seller granted (they said slow for a fixed
// lane, which was paid for all the same: the lane was only tracked for --lane auto).
TEST_F(StreamCliTest, AFixedPaidLaneReportsTheLaneTheSellerGranted) {
    lanes::Devnet chain;
    auto const passphrase = dir_.path() / "passphrase";
    std::ofstream(passphrase) << "stream test passphrase\n";
    auto const payee = lanes::create_cli_wallet(dir_.path() / "payee", passphrase);
    auto const buyer = lanes::create_cli_wallet(dir_.path() / "fast-profile", passphrase);
    ASSERT_FALSE(payee.empty() || buyer.empty());
    ASSERT_TRUE(chain.start(dir_.path() / "devnet", {buyer}));
    auto const node = chain.config();
    auto seed = seeder(1024, {"--payee", payee, "--node", node.wallet_address, "--solidity-node",
                              node.solidity_address});
    auto stream = streamer(torrent_,
                           {"--lane", "fast", "--max-price", std::to_string(lanes::kMaxPrice),
                            "--passphrase-file", passphrase.string(), "--node",
                            node.wallet_address, "--solidity-node", node.solidity_address},
                           "fast");
    ASSERT_FALSE(wait_for_url(*stream).empty()) << stream->stderr_text();
    auto const paid = stream->wait_for_line(
        [](auto l) {
            auto const e = test::parse_event(l);
            return e && e->value("event", "") == "buffer" && e->value("lane", "") == "fast" &&
                   e->value("spent", lanes::Units{0}) > 0;
        },
        30s);
    EXPECT_TRUE(paid) << "no buffer event in the fast lane with a payment:\n"
                      << stream->stdout_text();
}

}  // namespace
}  // namespace lanetorrent::stream
