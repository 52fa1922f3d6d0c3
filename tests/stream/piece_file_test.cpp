#include "stream/piece_file.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "stream_files.hpp"

namespace lanetorrent::stream {
namespace {

using test::sample_geometry;

constexpr std::int64_t piece = 256 * 1024;
using Bytes = std::pair<std::int64_t, std::int64_t>;

class PieceFileTest : public ::testing::Test {
  protected:
    void SetUp() override {
        path_ = dir_.path() / "movie.mkv";
        content_ = test::random_bytes(3'000'000, 7);
        test::write_file(path_, content_);
    }

    test::TempDir dir_;
    std::filesystem::path path_;
    std::string content_;
};

TEST(FileGeometryTest, AFileAtAnOffsetInsideTheTorrent) {
    FileGeometry const g = sample_geometry("/x/movie.mkv", "movie.mkv");
    EXPECT_EQ(g.num_pieces, 13);
    EXPECT_EQ(g.first_piece(), 0);
    EXPECT_EQ(g.last_piece(), 11);
    EXPECT_EQ(g.piece_at(0), 0);
    EXPECT_EQ(g.piece_at(piece - 100'000 - 1), 0);
    EXPECT_EQ(g.piece_at(piece - 100'000), 1);
    EXPECT_EQ(g.piece_at(g.size - 1), 11);

    EXPECT_EQ(g.bytes_of_piece(0), Bytes(0, piece - 100'000));
    EXPECT_EQ(g.bytes_of_piece(1), Bytes(piece - 100'000, 2 * piece - 100'000));
    EXPECT_EQ(g.bytes_of_piece(11), Bytes(11 * piece - 100'000, 3'000'000));
    // Pieces outside the file hold none of it.
    EXPECT_EQ(g.bytes_of_piece(12).first, g.bytes_of_piece(12).second);
    EXPECT_EQ(g.bytes_of_piece(-1).first, g.bytes_of_piece(-1).second);

    // The pieces' parts tile the file exactly.
    std::int64_t next = 0;
    for (int p = g.first_piece(); p <= g.last_piece(); ++p) {
        auto const [begin, end] = g.bytes_of_piece(p);
        EXPECT_EQ(begin, next) << p;
        EXPECT_GT(end, begin) << p;
        next = end;
    }
    EXPECT_EQ(next, g.size);
}

TEST(FileGeometryTest, AFileStartingInALaterPiece) {
    FileGeometry g;
    g.size = 10;
    g.offset_in_torrent = 5 * piece + 3;
    g.piece_length = static_cast<int>(piece);
    g.num_pieces = 8;
    EXPECT_EQ(g.first_piece(), 5);
    EXPECT_EQ(g.last_piece(), 5);
    EXPECT_EQ(g.bytes_of_piece(5), Bytes(0, 10));
    EXPECT_EQ(g.bytes_of_piece(4).first, g.bytes_of_piece(4).second);
}

TEST_F(PieceFileTest, ReadableBytesStopAtTheFirstMissingPiece) {
    PieceFile file(sample_geometry(path_, "movie.mkv"));
    EXPECT_EQ(file.readable_from(0), 0);
    file.mark_have(0);
    file.mark_have(1);
    file.mark_have(3);
    EXPECT_TRUE(file.have(3));
    EXPECT_FALSE(file.have(2));
    EXPECT_EQ(file.readable_from(0), 2 * piece - 100'000);
    EXPECT_EQ(file.readable_from(1000), 2 * piece - 100'000 - 1000);
    EXPECT_EQ(file.readable_from(2 * piece - 100'000), 0);
    EXPECT_EQ(file.readable_from(3 * piece - 100'000), piece);
    EXPECT_EQ(file.readable_from(-1), 0);
    EXPECT_EQ(file.readable_from(3'000'000), 0);

    file.mark_have(std::vector<bool>(13, true));
    EXPECT_EQ(file.readable_from(0), 3'000'000);
    EXPECT_EQ(file.readable_from(2'999'999), 1);
}

TEST_F(PieceFileTest, OutOfRangePiecesAreIgnored) {
    PieceFile file(sample_geometry(path_, "movie.mkv"));
    file.mark_have(-1);
    file.mark_have(13);
    file.mark_have(1'000'000);
    EXPECT_FALSE(file.have(13));
    file.mark_have(std::vector<bool>(1000, false));
    EXPECT_EQ(file.readable_from(0), 0);
}

TEST_F(PieceFileTest, ReadReturnsOnlyBytesOfPiecesItHas) {
    PieceFile file(sample_geometry(path_, "movie.mkv"));
    std::string buffer(1'000'000, '\0');
    auto nothing = file.read(0, buffer);
    ASSERT_TRUE(nothing.ok()) << nothing.error();
    EXPECT_EQ(*nothing, 0u);

    file.mark_have(0);
    file.mark_have(1);
    auto const got = file.read(10, buffer);
    ASSERT_TRUE(got.ok()) << got.error();
    // The bytes on disk go on (the test wrote the whole file), but piece 2 is not had.
    ASSERT_EQ(*got, static_cast<std::size_t>(2 * piece - 100'000 - 10));
    EXPECT_EQ(buffer.substr(0, *got), content_.substr(10, *got));
    EXPECT_EQ(file.bytes_served(), static_cast<std::int64_t>(*got));

    auto const small = file.read(5, std::span<char>(buffer.data(), 100));
    ASSERT_TRUE(small.ok());
    EXPECT_EQ(*small, 100u);
    EXPECT_EQ(buffer.substr(0, 100), content_.substr(5, 100));
}

TEST_F(PieceFileTest, AFileShorterOnDiskThanItsPiecesIsAnError) {
    test::write_file(path_, content_.substr(0, 1000));
    PieceFile file(sample_geometry(path_, "movie.mkv"));
    file.mark_have(std::vector<bool>(13, true));
    std::string buffer(4096, '\0');
    auto const inside = file.read(0, buffer);
    ASSERT_TRUE(inside.ok());
    EXPECT_EQ(*inside, 1000u);  // what is there
    auto const past = file.read(2000, buffer);
    EXPECT_FALSE(past.ok());
    EXPECT_NE(past.error().find("shorter"), std::string::npos) << past.error();
}

TEST_F(PieceFileTest, AMissingFileIsAnError) {
    PieceFile file(sample_geometry(dir_.path() / "absent.mkv", "absent.mkv"));
    file.mark_have(0);
    std::string buffer(16, '\0');
    auto const got = file.read(0, buffer);
    ASSERT_FALSE(got.ok());
    EXPECT_NE(got.error().find("absent.mkv"), std::string::npos) << got.error();
}

TEST_F(PieceFileTest, WhenReadableRunsOnTheThreadThatMarksThePiece) {
    PieceFile file(sample_geometry(path_, "movie.mkv"));
    file.mark_have(0);
    std::int64_t const offset = piece - 100'000 + 5;  // in piece 1
    std::promise<std::thread::id> woken;
    std::uint64_t const ticket =
        file.when_readable(offset, [&] { woken.set_value(std::this_thread::get_id()); });
    EXPECT_NE(ticket, 0u);
    auto future = woken.get_future();
    file.mark_have(2);  // not the one it waits for
    EXPECT_EQ(future.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);

    std::thread marker([&] { file.mark_have(1); });
    std::thread::id const marker_id = marker.get_id();
    ASSERT_EQ(future.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    EXPECT_EQ(future.get(), marker_id);
    marker.join();
}

TEST_F(PieceFileTest, WhenReadableRunsAtOnceWhenThereIsNothingToWaitFor) {
    PieceFile file(sample_geometry(path_, "movie.mkv"));
    file.mark_have(0);
    int calls = 0;
    EXPECT_EQ(file.when_readable(0, [&] { ++calls; }), 0u);
    EXPECT_EQ(file.when_readable(3'000'000, [&] { ++calls; }), 0u);  // past the end
    EXPECT_EQ(calls, 2);
}

TEST_F(PieceFileTest, ACancelledWaiterIsNotCalled) {
    PieceFile file(sample_geometry(path_, "movie.mkv"));
    int calls = 0;
    std::uint64_t const ticket = file.when_readable(0, [&] { ++calls; });
    file.cancel(ticket);
    file.mark_have(std::vector<bool>(13, true));
    file.close();
    EXPECT_EQ(calls, 0);
}

TEST_F(PieceFileTest, CloseWakesEveryWaiterAndReadsFail) {
    PieceFile file(sample_geometry(path_, "movie.mkv"));
    file.mark_have(0);
    std::atomic<int> calls{0};
    for (int p = 1; p <= 11; ++p) {
        file.when_readable(file.geometry().bytes_of_piece(p).first, [&] { ++calls; });
    }
    std::thread closer([&] { file.close(); });
    closer.join();
    EXPECT_EQ(calls.load(), 11);
    EXPECT_TRUE(file.closed());
    std::string buffer(16, '\0');
    EXPECT_FALSE(file.read(0, buffer).ok());
    // Waiting on a closed file returns at once.
    EXPECT_EQ(file.when_readable(piece, [&] { ++calls; }), 0u);
    EXPECT_EQ(calls.load(), 12);
    file.close();  // again: nothing happens
}

TEST_F(PieceFileTest, MarkingAllAtOnceWakesWaiters) {
    PieceFile file(sample_geometry(path_, "movie.mkv"));
    int calls = 0;
    file.when_readable(2'000'000, [&] { ++calls; });
    std::vector<bool> have(13, false);
    have[file.geometry().piece_at(2'000'000)] = true;
    file.mark_have(have);
    EXPECT_EQ(calls, 1);
}

TEST_F(PieceFileTest, ReadersReportOffsetsAndWaiting) {
    PieceFile file(sample_geometry(path_, "movie.mkv"));
    std::atomic<int> wakes{0};
    file.set_on_readers_changed([&] { ++wakes; });

    int const a = file.open_reader(0, 3'000'000);
    int const b = file.open_reader(2'000'000, 2'500'000);
    EXPECT_NE(a, b);
    EXPECT_EQ(wakes.load(), 2);

    file.move_reader(a, 1000);  // same piece: no wake
    EXPECT_EQ(wakes.load(), 2);
    file.move_reader(a, piece);  // the next piece: wake
    EXPECT_EQ(wakes.load(), 3);
    auto const before = std::chrono::steady_clock::now();
    file.set_waiting(b, true);
    file.set_waiting(b, true);  // already waiting: the time it started is kept
    EXPECT_EQ(wakes.load(), 4);

    auto readers = file.readers();
    ASSERT_EQ(readers.size(), 2u);
    EXPECT_EQ(readers[0].id, a);
    EXPECT_EQ(readers[0].offset, piece);
    EXPECT_EQ(readers[0].end, 3'000'000);
    EXPECT_FALSE(readers[0].waiting_since);
    EXPECT_EQ(readers[1].offset, 2'000'000);
    EXPECT_EQ(readers[1].end, 2'500'000);
    ASSERT_TRUE(readers[1].waiting_since);
    EXPECT_LE(*readers[1].waiting_since, std::chrono::steady_clock::now());
    EXPECT_GE(*readers[1].waiting_since, before);

    file.set_waiting(b, false);
    EXPECT_FALSE(file.readers()[1].waiting_since);
    file.close_reader(a);
    file.close_reader(a);  // unknown now: ignored
    file.move_reader(a, 0);
    ASSERT_EQ(file.readers().size(), 1u);
    EXPECT_EQ(file.readers()[0].id, b);
    file.close_reader(b);
    EXPECT_TRUE(file.readers().empty());
    EXPECT_EQ(wakes.load(), 7);
}

}  // namespace
}  // namespace lanetorrent::stream
