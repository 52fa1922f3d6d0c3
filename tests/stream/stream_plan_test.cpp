// StreamPlan: which pieces get deadlines as readers move. Pure: no libtorrent, no clock.
#include "stream/stream_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

namespace lanetorrent::stream {
namespace {
using namespace std::chrono_literals;

constexpr int piece = 1 << 20;     // 1 MiB
constexpr int pieces = 1000;       // a ~1 GB file
constexpr int tail = pieces - 11;  // its last 1 % starts near the end of piece 989

FileGeometry geometry(int num_pieces = pieces) {
    FileGeometry g;
    g.path = "/tmp/video.mp4";
    g.name = "video.mp4";
    g.piece_length = piece;
    g.num_pieces = num_pieces;
    g.size = std::int64_t{num_pieces} * piece - 1000;
    return g;
}

ReaderState reader(int id, std::int64_t offset, std::int64_t end = std::int64_t{pieces} * piece) {
    ReaderState r;
    r.id = id;
    r.offset = offset;
    r.end = end;
    return r;
}

std::set<int> pieces_of(std::vector<PieceDeadline> const& set) {
    std::set<int> out;
    for (auto const& d : set) out.insert(d.piece);
    return out;
}

int deadline_of(std::vector<PieceDeadline> const& set, int p) {
    for (auto const& d : set) {
        if (d.piece == p) return d.deadline_ms;
    }
    return -1;
}

struct Fixture {
    StreamPlan plan;
    PlanInput in;
    Fixture() {
        in.geometry = geometry();
        in.have.assign(pieces, false);
        in.consumption_rate = 1'000'000;  // 1 MB/s: 30 s = 30 MB = 29 pieces
        // Fast enough that the front (5 s of download) is past every window: the window's rules
        // alone. The front has its own tests below.
        in.download_rate = 100e6;
        in.now = Now{} + 100s;
    }
    PlanOutput update() { return plan.update(in); }
    void have(int first, int last) {
        for (int p = first; p <= last; ++p) in.have[p] = true;
    }
    std::set<int> active() const {
        std::set<int> out;
        for (auto const& [p, due] : plan.active()) out.insert(p);
        return out;
    }
};

TEST(StreamPlan, StartGivesTheReadersWindowAndBothEndsOfTheFile) {
    Fixture f;
    f.in.readers = {reader(1, 0)};
    auto const out = f.update();
    EXPECT_TRUE(out.clear.empty());
    EXPECT_FALSE(out.seek);
    auto const set = pieces_of(out.set);
    // The window: 30 s at 1 MB/s from byte 0 is pieces 0..28.
    for (int p = 0; p <= 28; ++p) EXPECT_TRUE(set.count(p)) << p;
    EXPECT_FALSE(set.count(29));
    EXPECT_FALSE(set.count(500));
    // The tail waits for 4 s of playback ahead of the reader (TheTailWaitsForSecondsAhead).
    EXPECT_FALSE(set.count(pieces - 1));
    // The reader's piece first, then the rest of the window.
    EXPECT_EQ(out.set.front().piece, 0);
    EXPECT_EQ(out.set.front().deadline_ms, 0);
    // Deadlines grow with the distance at the consumption rate: piece 20 starts 20.97 MB in.
    EXPECT_NEAR(deadline_of(out.set, 20), 20'972, 2);
    EXPECT_TRUE(std::is_sorted(out.set.begin(), out.set.end(), [](auto const& a, auto const& b) {
        return a.deadline_ms < b.deadline_ms;
    }));

    // Once 4 s of playback are here (4 MB at 1 MB/s: pieces 0..3): the tail, 1 % of the file
    // (a moov at the end, MKV cues), due before the rest of the window.
    f.have(0, 3);
    auto const next = pieces_of(f.update().set);
    for (int p = tail; p < pieces; ++p) EXPECT_TRUE(next.count(p)) << p;
    EXPECT_FALSE(next.count(tail - 1));
    EXPECT_LT(f.plan.active().at(tail), f.plan.active().at(11));
    EXPECT_LT(f.plan.active().at(pieces - 1), f.plan.active().at(11));
}

TEST(StreamPlan, BeforeAnyReaderOnlyTheHeadIsWanted) {
    Fixture f;
    auto const set = pieces_of(f.update().set);
    std::set<int> expected;
    for (int p = 0; p < 10; ++p) expected.insert(p);  // 1 % of the file
    EXPECT_EQ(set, expected);
    // At an unknown download rate only its front (4 pieces): the player's first read is there.
    Fixture g;
    g.in.download_rate = 0;
    EXPECT_EQ(pieces_of(g.update().set), (std::set<int>{0, 1, 2, 3}));
}

TEST(StreamPlan, PiecesAlreadyHadAreSkipped) {
    Fixture f;
    f.have(0, 5);
    f.have(10, 12);
    f.have(tail, pieces - 1);
    f.in.readers = {reader(1, 0)};
    auto const set = pieces_of(f.update().set);
    for (int p : {0, 5, 10, 12, pieces - 1}) EXPECT_FALSE(set.count(p)) << p;
    for (int p : {6, 9, 13, 28}) EXPECT_TRUE(set.count(p)) << p;
}

TEST(StreamPlan, NothingChangesNothingIsSent) {
    Fixture f;
    f.have(tail, pieces - 1);
    f.in.readers = {reader(1, 0)};
    ASSERT_FALSE(f.update().empty());
    EXPECT_TRUE(f.update().empty());
    // Time passes and the reader moves at the consumption rate: the deadlines already sent are
    // still right (they are absolute in libtorrent), so only the window's new far end is sent.
    f.in.now += 2s;
    f.in.readers = {reader(1, 2'000'000)};
    f.have(0, 1);
    auto const out = f.update();
    EXPECT_TRUE(out.clear.empty());
    // ... and the reader's next two pieces, which move up to priority 7.
    EXPECT_LE(out.set.size(), 5u) << ::testing::PrintToString(pieces_of(out.set));
    for (auto const& d : out.set) {
        EXPECT_TRUE(d.piece >= 29 || ((d.piece == 2 || d.piece == 3) && d.priority == 7))
            << d.piece;
    }
    EXPECT_TRUE(f.update().empty());
}

TEST(StreamPlan, AStalledReaderDoesNotResendItsWindowEverySecond) {
    Fixture f;
    f.in.readers = {reader(1, 0)};
    f.update();
    f.in.readers[0].waiting_since = f.in.now;
    int sent = 0;
    for (int i = 0; i < 20; ++i) {  // 2 s of 100 ms ticks
        f.in.now += 100ms;
        sent += static_cast<int>(f.update().set.size());
    }
    EXPECT_EQ(sent, 0);
}

TEST(StreamPlan, WindowFollowsTheReaderAndClearsWhatItLeftBehind) {
    Fixture f;
    f.in.readers = {reader(1, 0)};
    f.update();
    // The reader read pieces 0..9 (downloaded) and is at 10 MiB; 20 s later.
    f.have(0, 9);
    f.have(tail, pieces - 1);
    f.in.now += 10s;
    f.in.readers = {reader(1, std::int64_t{10} * piece)};
    auto out = f.update();
    EXPECT_FALSE(out.seek);
    EXPECT_TRUE(out.clear.empty());  // behind pieces are had, libtorrent dropped them itself
    auto const active = f.active();
    EXPECT_EQ(*active.begin(), 10);
    EXPECT_TRUE(active.count(38));  // 10 MiB + 30 MB
    EXPECT_FALSE(active.count(45));

    // The player closes the stream: everything it had asked for goes.
    f.in.readers.clear();
    out = f.update();
    EXPECT_FALSE(out.seek);
    EXPECT_EQ(out.clear.size(), active.size());
    EXPECT_TRUE(f.active().empty());
}

TEST(StreamPlan, ASeekMovesTheWindowAndClearsTheOldOneInTheSameUpdate) {
    Fixture f;
    f.in.readers = {reader(1, 0)};
    f.update();
    f.have(0, 16);  // 5 s ahead of the reader below: the tail's index is wanted too
    f.in.now += 12s;
    f.in.readers = {reader(1, 12 * piece)};  // past the head: it is plain data now
    ASSERT_FALSE(f.update().seek);
    f.in.now += 1s;
    // libavformat seeks with a new connection at 50 %, then closes the old one; the planner may
    // see both.
    std::int64_t const middle = std::int64_t{500} * piece + 12345;
    f.in.readers = {reader(1, 13 * piece), reader(2, middle)};
    auto const out = f.update();
    EXPECT_TRUE(out.seek);
    ASSERT_FALSE(out.set.empty());
    EXPECT_EQ(out.set.front().piece, 500);
    EXPECT_EQ(out.set.front().deadline_ms, 0);
    auto const set = pieces_of(out.set);
    for (int p = 500; p <= 528; ++p) EXPECT_TRUE(set.count(p)) << p;
    // The old window's deadlines are cleared in this very update (apply_plan clears them first,
    // so libtorrent drops their queued requests), and the old reader's window is not re-set.
    std::set<int> const cleared(out.clear.begin(), out.clear.end());
    for (int p = 17; p <= 40; ++p) EXPECT_TRUE(cleared.count(p)) << p;
    for (int p = 13; p <= 40; ++p) EXPECT_FALSE(set.count(p)) << p;
    // The index is still wanted (not had yet), so it is set again after the clear.
    EXPECT_TRUE(set.count(pieces - 1));

    // The old connection closes: nothing more to do for it.
    f.in.readers = {reader(2, middle)};
    auto const after = f.update();
    EXPECT_FALSE(after.seek);
    EXPECT_TRUE(after.empty()) << ::testing::PrintToString(after.clear);
}

TEST(StreamPlan, AnOldReaderThatStaysGetsItsWindowBackWithoutAnotherSeek) {
    Fixture f;
    f.in.readers = {reader(1, 0)};
    f.update();
    f.in.readers = {reader(1, 0), reader(2, std::int64_t{500} * piece)};
    ASSERT_TRUE(f.update().seek);
    auto const again = f.update();  // both still there: two real players
    EXPECT_FALSE(again.seek);
    EXPECT_TRUE(pieces_of(again.set).count(15));
    EXPECT_TRUE(again.clear.empty());
}

TEST(StreamPlan, ANewReaderWherePiecesArePreparedIsNoSeek) {
    Fixture f;
    f.in.readers = {reader(1, 0)};
    f.update();
    // The player reads the moov at the tail (prepared as the index), then the data after the
    // header (in the window).
    f.in.readers = {reader(1, 100), reader(2, std::int64_t{pieces - 3} * piece)};
    EXPECT_FALSE(f.update().seek);
    f.in.readers = {reader(3, 48)};
    auto const out = f.update();
    EXPECT_FALSE(out.seek);
}

TEST(StreamPlan, TheListStaysNonEmptyWhenTheWindowIsAllHere) {
    Fixture f;
    f.have(0, 60);  // the download is far ahead of the reader
    f.have(tail, pieces - 1);
    f.in.readers = {reader(1, 0)};
    auto const set = pieces_of(f.update().set);
    EXPECT_EQ(set, (std::set<int>{61, 62}));
}

TEST(StreamPlan, WindowIsBoundedBySizeAndByTheReadersEnd) {
    Fixture f;
    f.in.consumption_rate = 100e6;  // 30 s would be 3 GB
    f.have(tail, pieces - 1);
    f.in.readers = {reader(1, 0)};
    auto set = pieces_of(f.update().set);
    EXPECT_EQ(set.size(), 64u);  // 64 MiB
    // A range request for 3 pieces only.
    Fixture g;
    g.have(tail, pieces - 1);
    g.have(0, 9);
    g.in.readers = {reader(1, std::int64_t{100} * piece, std::int64_t{103} * piece)};
    set = pieces_of(g.update().set);
    EXPECT_EQ(set, (std::set<int>{100, 101, 102}));
    // Slow consumption: still at least 4 pieces.
    Fixture h;
    h.in.consumption_rate = 10'000;
    h.have(tail, pieces - 1);
    h.have(0, 9);
    h.in.readers = {reader(1, std::int64_t{100} * piece)};
    set = pieces_of(h.update().set);
    EXPECT_EQ(set, (std::set<int>{100, 101, 102, 103}));
}

TEST(StreamPlan, AWobblingRateDoesNotSetAndClearTheFarEnd) {
    Fixture f;
    f.have(tail, pieces - 1);
    f.in.readers = {reader(1, 0)};
    f.update();
    int changes = 0;
    for (int i = 0; i < 20; ++i) {
        f.in.consumption_rate = i % 2 ? 1'100'000 : 900'000;
        f.in.now += 100ms;
        auto const out = f.update();
        changes += static_cast<int>(out.clear.size());
    }
    EXPECT_EQ(changes, 0);
}

// libtorrent's regular picker fills a peer's queue (~3 s of requests) with priority-7 pieces in
// random order, and every deadline sets 7: only the window's first missing pieces get them, as
// many as 5 s of download, so that the reader's piece is never behind a random part of its window.
TEST(StreamPlan, OnlyTheFrontOfTheWindowHasDeadlines) {
    Fixture f;
    f.in.download_rate = 0;  // not known yet: 4 pieces
    f.in.readers = {reader(1, 0)};
    EXPECT_EQ(pieces_of(f.update().set), (std::set<int>{0, 1, 2, 3}));
    // 2 MB/s: 10 MB, pieces 0..9 (the last one starts 9.4 MB in).
    f.in.download_rate = 2e6;
    auto const out = f.update();
    EXPECT_TRUE(out.clear.empty());
    EXPECT_EQ(f.active(), (std::set<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    // Pieces already had do not count: with 2..5 here the front reaches piece 13.
    f.have(2, 5);
    f.update();
    EXPECT_EQ(f.active(), (std::set<int>{0, 1, 6, 7, 8, 9, 10, 11, 12, 13}));
}

TEST(StreamPlan, TheFrontMovesOnAsPiecesArriveAndAFallingRateDoesNotClearIt) {
    Fixture f;
    f.have(tail, pieces - 1);
    f.in.download_rate = 2e6;
    f.in.readers = {reader(1, 0)};
    f.update();
    f.have(0, 3);
    f.in.now += 2s;
    auto out = f.update();
    EXPECT_TRUE(out.clear.empty());
    EXPECT_EQ(f.active(), (std::set<int>{4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
    // The rate halves: the pieces already sent keep their deadlines (up to 1.25x the front), so
    // a wobbling rate does not clear and set them; further out they go.
    f.in.download_rate = 1.6e6;  // 8 MB: 8 pieces; 10 MB kept
    out = f.update();
    EXPECT_TRUE(out.empty()) << ::testing::PrintToString(out.clear);
    f.in.download_rate = 0.8e6;  // 4 pieces (min), 5 MB kept: pieces 4..8
    out = f.update();
    EXPECT_EQ(std::set<int>(out.clear.begin(), out.clear.end()),
              (std::set<int>{9, 10, 11, 12, 13}));
    EXPECT_TRUE(out.set.empty());
}

// libtorrent's regular picker makes most requests (the deadline round runs once a second) and
// picks in random order within one priority: the front is graded, 7 for the reader's next two
// pieces, 6 up to 2 s of download from the reader, 5 for the rest, and a piece moves up as the
// front reaches it (sent again with its new priority, once per step).
TEST(StreamPlan, TheFrontIsGradedSoThatTheReadersPieceComesFirst) {
    Fixture f;
    f.have(tail, pieces - 1);
    f.in.download_rate = 2e6;  // front: 10 MB (pieces 0..9), 6 up to 4 MB (pieces 2, 3)
    f.in.readers = {reader(1, 0)};
    auto out = f.update();
    std::map<int, int> priority;
    for (auto const& d : out.set) priority[d.piece] = d.priority;
    EXPECT_EQ(priority,
              (std::map<int, int>{
                  {0, 7}, {1, 7}, {2, 6}, {3, 6}, {4, 5}, {5, 5}, {6, 5}, {7, 5}, {8, 5}, {9, 5}}));
    // Pieces 0 and 2 arrive: 1 and 3 are the reader's next two, 4 and 5 are within 4 MB of
    // missing data, and the front reaches 11.
    f.have(0, 0);
    f.have(2, 2);
    out = f.update();
    priority.clear();
    for (auto const& d : out.set) priority[d.piece] = d.priority;
    EXPECT_EQ(priority, (std::map<int, int>{{3, 7}, {4, 6}, {5, 6}, {10, 5}, {11, 5}}));
    EXPECT_EQ(f.plan.priorities().at(1), 7);
    EXPECT_EQ(f.plan.priorities().at(6), 5);
    EXPECT_TRUE(f.update().empty());
}

// A faststart file needs no tail, and a tail fetched at the start competes with the reader's
// first seconds (its deadlines come before the window's): the tail waits until every reader has
// 4 s of playback ahead, and once started it stays until it is here.
TEST(StreamPlan, TheTailWaitsForSecondsAhead) {
    Fixture f;
    f.in.readers = {reader(1, 0)};
    EXPECT_FALSE(pieces_of(f.update().set).count(pieces - 1));
    f.have(0, 0);
    EXPECT_FALSE(pieces_of(f.update().set).count(pieces - 1));
    f.have(1, 2);  // 3 MiB = 3.1 MB ahead at 1 MB/s: 3.1 s
    EXPECT_FALSE(pieces_of(f.update().set).count(pieces - 1));
    // A second reader with nothing ahead holds it back too.
    f.have(3, 3);
    f.in.readers = {reader(1, 0), reader(2, std::int64_t{500} * piece)};
    EXPECT_FALSE(pieces_of(f.update().set).count(pieces - 1));
    f.in.readers = {reader(1, 0)};
    EXPECT_TRUE(pieces_of(f.update().set).count(pieces - 1));
    // The reader catches up with the download (its piece is missing): the tail stays.
    f.have(1, 28);
    f.in.readers = {reader(1, std::int64_t{29} * piece)};
    auto const out = f.update();
    EXPECT_FALSE(std::count(out.clear.begin(), out.clear.end(), pieces - 1));
    EXPECT_TRUE(f.active().count(pieces - 1));
}

// libavformat reads an MP4's moov at the end with a new connection: that is the index the plan
// prepares, not a seek that would clear the start of the file.
TEST(StreamPlan, AReaderInTheTailIsNoSeek) {
    Fixture f;
    f.in.readers = {reader(1, 0)};
    f.update();  // the tail is not wanted yet (the first piece is not here)
    f.in.readers = {reader(1, 100), reader(2, std::int64_t{pieces - 2} * piece)};
    auto const out = f.update();
    EXPECT_FALSE(out.seek);
    EXPECT_TRUE(out.clear.empty());
    EXPECT_TRUE(pieces_of(out.set).count(pieces - 2));
}

TEST(StreamPlan, FinishClearsWhatIsPending) {
    Fixture f;
    f.in.readers = {reader(1, 0)};
    f.update();
    f.have(0, 4);
    auto const out = f.plan.finish(f.in.have);
    EXPECT_EQ(out.clear.front(), 5);
    EXPECT_EQ(std::count(out.clear.begin(), out.clear.end(), 0), 0);
    EXPECT_TRUE(f.plan.active().empty());
}

TEST(StreamPlan, AFileInTheMiddleOfATorrentOnlyGetsItsOwnPieces) {
    StreamPlan plan;
    PlanInput in;
    in.geometry.piece_length = piece;
    in.geometry.num_pieces = 100;
    in.geometry.offset_in_torrent = std::int64_t{40} * piece + 500;
    in.geometry.size = std::int64_t{10} * piece;  // pieces 40..50
    in.have.assign(100, false);
    in.readers = {reader(1, 0, in.geometry.size)};
    for (auto const& d : plan.update(in).set) {
        EXPECT_GE(d.piece, 40);
        EXPECT_LE(d.piece, 50);
    }
}

}  // namespace
}  // namespace lanetorrent::stream
