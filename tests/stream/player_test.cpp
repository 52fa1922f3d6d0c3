// A real player (ffmpeg, the libavformat that mpv and Qt's FFmpeg backend also use) reads a video
// through the streaming server while its pieces arrive in random order. An MP4 without faststart
// makes it fetch the index at the end before any frame: it must wait for those pieces, never see
// zeros, and decode exactly the frames of the file on disk.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "stream/http_server.hpp"
#include "stream_files.hpp"

namespace lanetorrent::stream {
namespace {

using namespace std::chrono_literals;

struct ProcessResult {
    int status = -1;
    std::string output;
};

// `command` is built by the test from fixed words and paths under its own temporary directory.
ProcessResult run(std::string const& command) {
    ProcessResult result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, n);
    result.status = ::pclose(pipe);
    return result;
}

std::string read_all(std::filesystem::path const& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// framemd5 lines without the header comments (they name the input).
std::string frames_only(std::string const& framemd5) {
    std::istringstream in(framemd5);
    std::string line;
    std::string out;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != '#') out += line + "\n";
    }
    return out;
}

class PlayerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        if (run("command -v ffmpeg >/dev/null 2>&1").status != 0) {
            GTEST_SKIP() << "ffmpeg is not installed";
        }
        video_ = dir_.path() / "source.mp4";
        // 6 s of 320x240 H.264 with the index (moov) at the end, as a camera or a plain
        // `ffmpeg -i x out.mp4` writes it.
        ProcessResult const made =
            run("ffmpeg -nostdin -v error -f lavfi -i testsrc2=size=320x240:rate=25 "
                "-t 6 -c:v libx264 -preset ultrafast -g 50 -pix_fmt yuv420p -y '" +
                video_.string() + "' 2>&1");
        ASSERT_EQ(made.status, 0) << made.output;
        content_ = read_all(video_);
        ASSERT_GT(content_.size(), 100'000u);
    }

    std::string local_frames(std::string const& options) {
        ProcessResult const local = run("timeout 60 ffmpeg -nostdin -v error " + options + " -i '" +
                                        video_.string() + "' -map 0:v -f framemd5 - 2>&1");
        EXPECT_EQ(local.status, 0) << local.output;
        return frames_only(local.output);
    }

    // Serves the video from a file that starts as zeros, as libtorrent's sparse file does, and
    // writes and marks its pieces in random order, one every `interval`.
    std::string stream_frames(std::string const& options, std::chrono::milliseconds interval) {
        auto server = StreamServer::start();
        EXPECT_TRUE(server.ok());
        if (!server.ok()) return {};
        std::filesystem::path const disk = dir_.path() / "streamed.mp4";
        test::write_file(disk, std::string(content_.size(), '\0'));
        FileGeometry geometry;
        geometry.path = disk;
        geometry.name = "streamed.mp4";
        geometry.size = static_cast<std::int64_t>(content_.size());
        geometry.offset_in_torrent = 5'000;
        geometry.piece_length = 16 * 1024;
        geometry.num_pieces = static_cast<int>(
            (geometry.offset_in_torrent + geometry.size + geometry.piece_length - 1) /
            geometry.piece_length);
        auto file = std::make_shared<PieceFile>(geometry);
        std::string const url = (*server)->publish(file);

        std::vector<int> order(static_cast<std::size_t>(geometry.num_pieces));
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), std::mt19937(1234));
        std::atomic<bool> done{false};
        std::atomic<int> waits_seen{0};
        std::thread app([&] {
            // Nothing is there when the player's first request comes.
            auto const give_up = std::chrono::steady_clock::now() + 20s;
            while (!done && file->readers().empty() && std::chrono::steady_clock::now() < give_up) {
                std::this_thread::sleep_for(1ms);
            }
            for (int p : order) {
                if (done) break;
                std::this_thread::sleep_for(interval);
                auto const readers = file->readers();
                waits_seen += static_cast<int>(std::count_if(
                    readers.begin(), readers.end(),
                    [](ReaderState const& r) { return r.waiting_since.has_value(); }));
                auto const [begin, end] = geometry.bytes_of_piece(p);
                test::write_at(disk, begin,
                               content_.substr(static_cast<std::size_t>(begin),
                                               static_cast<std::size_t>(end - begin)));
                file->mark_have(p);
            }
        });
        auto const started = std::chrono::steady_clock::now();
        ProcessResult const streamed = run("timeout 60 ffmpeg -nostdin -v error " + options +
                                           " -i '" + url + "' -map 0:v -f framemd5 - 2>&1");
        auto const took = std::chrono::steady_clock::now() - started;
        done = true;
        app.join();
        EXPECT_EQ(streamed.status, 0) << streamed.output;
        EXPECT_GT(waits_seen.load(), 0) << "the player never had to wait";
        std::printf("ffmpeg %s: %zu pieces, %lld ms, %lld bytes served for %zu bytes of file\n",
                    options.c_str(), order.size(),
                    static_cast<long long>(
                        std::chrono::duration_cast<std::chrono::milliseconds>(took).count()),
                    static_cast<long long>(file->bytes_served()), content_.size());
        return frames_only(streamed.output);
    }

    test::TempDir dir_;
    std::filesystem::path video_;
    std::string content_;
};

TEST_F(PlayerTest, FfmpegDecodesEveryFrameWhilePiecesArriveInRandomOrder) {
    std::string const expected = local_frames("");
    ASSERT_EQ(std::count(expected.begin(), expected.end(), '\n'), 150);
    std::string const streamed = stream_frames("", 5ms);
    EXPECT_TRUE(streamed == expected) << streamed.substr(0, 2000);
}

TEST_F(PlayerTest, FfmpegSeeksIntoTheMiddleWhilePiecesArrive) {
    std::string const expected = local_frames("-ss 3");
    ASSERT_GT(std::count(expected.begin(), expected.end(), '\n'), 50);
    std::string const streamed = stream_frames("-ss 3", 5ms);
    EXPECT_TRUE(streamed == expected) << streamed.substr(0, 2000);
}

}  // namespace
}  // namespace lanetorrent::stream
