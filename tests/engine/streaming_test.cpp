// The engine's streaming calls (issue 14) with real libtorrent sessions on loopback: a seeder
// capped at 1 MB/s (the engine's peer-class filter makes the cap bind loopback peers too), so the
// order in which pieces arrive is the picker's choice and not a race.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <libtorrent/session.hpp>

#include "engine/engine.hpp"
#include "engine/torrent_creator.hpp"
#include "engine/torrent_source.hpp"
#include "files.hpp"
#include "net.hpp"
#include "temp_dir.hpp"

namespace lanetorrent {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int piece_kib = 64;
constexpr int num_pieces = 128;  // 8 MiB: 8 s at the seeder's cap, far longer than any test waits

class Node {
  public:
    Node(fs::path const& profile_dir, EngineSettings settings = {}) {
        settings.listen_interfaces = test::unique_loopback_ip() + ":0";
        settings.try_next_ports = false;
        settings.make_local_only();
        settings.status_interval = 200ms;
        auto opened = Engine::open(Profile::in_directory(profile_dir), settings);
        if (!opened) throw std::runtime_error(opened.error());
        engine_ = std::move(opened.value());
    }
    Engine& engine() { return *engine_; }
    std::optional<Endpoint> const& listening() const { return listening_; }
    void poll(std::chrono::milliseconds wait) {
        for (auto& event : engine_->poll(wait)) {
            if (auto const* l = std::get_if<event::Listening>(&event)) {
                listening_ = Endpoint{l->address, static_cast<std::uint16_t>(l->port)};
            }
            if (std::holds_alternative<event::Checked>(event)) checked_ = true;
            if (auto const* p = std::get_if<event::PieceFinished>(&event)) {
                finished_.push_back(p->piece);
                finished_at_.push_back(Clock::now());
            }
        }
    }
    bool checked() const { return checked_; }
    std::vector<int> const& finished() const { return finished_; }
    std::vector<Clock::time_point> const& finished_at() const { return finished_at_; }

  private:
    std::unique_ptr<Engine> engine_;
    std::optional<Endpoint> listening_;
    bool checked_ = false;
    std::vector<int> finished_;
    std::vector<Clock::time_point> finished_at_;
};

bool run_until(std::vector<Node*> const& nodes, std::function<bool()> const& done,
               std::chrono::seconds timeout = 30s) {
    auto const deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (done()) return true;
        for (auto* node : nodes) node->poll(10ms);
    }
    return done();
}

std::vector<PieceDeadline> deadlines_for(int first, int count, int spacing_ms) {
    std::vector<PieceDeadline> out;
    for (int i = 0; i < count; ++i) out.push_back({first + i, i * spacing_ms});
    return out;
}

bool all_in(std::vector<int> const& pieces, std::set<int> const& wanted) {
    return std::all_of(pieces.begin(), pieces.end(), [&](int p) { return wanted.count(p) > 0; });
}

class StreamingEngineTest : public ::testing::Test {
  protected:
    void SetUp() override {
        content_ = dir_.subdir("seed-data");
        test::write_random_file(content_ / "video.bin",
                                std::uint64_t{num_pieces} * piece_kib * 1024 - 1000, 14);
        CreateOptions options;
        options.content = content_ / "video.bin";
        options.piece_size_kib = piece_kib;
        auto created = create_torrent(options);
        ASSERT_TRUE(created) << created.error();
        torrent_ = load_torrent_bytes(created->bytes, "test").value();
        id_ = created->id;

        EngineSettings capped;
        capped.upload_limit = 1'000'000;
        seeder_ = std::make_unique<Node>(dir_.path() / "seeder", capped);
        AddTorrent seed;
        seed.source = torrent_;
        seed.save_path = content_;
        seed.seed_only = true;
        ASSERT_TRUE(seeder_->engine().add(seed));
        ASSERT_TRUE(
            run_until({seeder_.get()}, [&] { return seeder_->listening() && seeder_->checked(); }));
        downloader_ = std::make_unique<Node>(dir_.path() / "downloader");
    }

    // Adds the torrent in streaming mode and waits for its (empty) check, without a peer yet.
    void add_streaming() {
        AddTorrent request;
        request.source = torrent_;
        request.save_path = dir_.path() / "save";
        ASSERT_TRUE(downloader_->engine().add(request));
        ASSERT_TRUE(downloader_->engine().set_streaming(id_, true));
        ASSERT_TRUE(run_until({downloader_.get()}, [&] { return downloader_->checked(); }));
    }
    void connect() { ASSERT_TRUE(downloader_->engine().pin_peer(id_, *seeder_->listening())); }
    bool run_until_finished(std::set<int> const& pieces, std::chrono::seconds timeout = 30s) {
        return run_until(
            {seeder_.get(), downloader_.get()},
            [&] {
                auto const& done = downloader_->finished();
                return std::all_of(pieces.begin(), pieces.end(), [&](int p) {
                    return std::find(done.begin(), done.end(), p) != done.end();
                });
            },
            timeout);
    }

    test::TempDir dir_;
    fs::path content_;
    lt::add_torrent_params torrent_;
    TorrentId id_;
    std::unique_ptr<Node> seeder_;
    std::unique_ptr<Node> downloader_;
};

TEST_F(StreamingEngineTest, FilePiecesDescribeTheFile) {
    add_streaming();
    auto const pieces = downloader_->engine().file_pieces(id_, 0);
    ASSERT_TRUE(pieces);
    EXPECT_EQ(pieces->name, "video.bin");
    EXPECT_EQ(pieces->path, dir_.path() / "save" / "video.bin");
    EXPECT_EQ(pieces->size, std::int64_t{num_pieces} * piece_kib * 1024 - 1000);
    EXPECT_EQ(pieces->offset_in_torrent, 0);
    EXPECT_EQ(pieces->piece_length, piece_kib * 1024);
    EXPECT_EQ(pieces->num_pieces, num_pieces);
    EXPECT_FALSE(downloader_->engine().file_pieces(id_, 1));
    auto const have = downloader_->engine().have_pieces(id_);
    EXPECT_EQ(have.size(), std::size_t{num_pieces});
    EXPECT_EQ(std::count(have.begin(), have.end(), true), 0);
    EXPECT_FALSE(downloader_->engine().set_piece_deadlines(id_, {{num_pieces, 0}}));
    EXPECT_FALSE(downloader_->engine().clear_piece_deadlines(id_, {-1}));
}

// libtorrent's initial_picker_threshold (4) makes a fresh torrent pick random pieces, ignoring
// deadlines, until it has 4; streaming sets it to 0, so the pieces with deadlines come first.
TEST_F(StreamingEngineTest, DeadlinePiecesInTheMiddleComeFirstOnAFreshTorrent) {
    add_streaming();
    std::set<int> const wanted{60, 61, 62, 63, 64, 65, 66, 67};
    ASSERT_TRUE(downloader_->engine().set_piece_deadlines(id_, deadlines_for(60, 8, 100)));
    connect();
    ASSERT_TRUE(run_until_finished(wanted));
    auto const& order = downloader_->finished();
    ASSERT_GE(order.size(), wanted.size());
    // The first pieces are the wanted ones (with libtorrent's threshold the first four picks are
    // random: the next test). Once every wanted piece is requested the regular picker goes on
    // with others, and one of those may finish before the last wanted one (2 runs in 7 under a
    // loaded suite): all eight come within the first eleven.
    std::vector<int> const first(order.begin(), order.begin() + 5);
    EXPECT_TRUE(all_in(first, wanted)) << ::testing::PrintToString(order);
    std::set<int> const early(order.begin(),
                              order.begin() + std::min(order.size(), wanted.size() + 3));
    for (int p : wanted)
        EXPECT_TRUE(early.count(p)) << p << ": " << ::testing::PrintToString(order);
    auto const have = downloader_->engine().have_pieces(id_);
    for (int p : wanted) EXPECT_TRUE(have[static_cast<std::size_t>(p)]) << p;
}

// The trap the test above guards against, shown: with libtorrent's default threshold back, the
// first pieces are random ones, deadlines or not.
TEST_F(StreamingEngineTest, WithLibtorrentsDefaultThresholdRandomPiecesComeFirst) {
    add_streaming();
    lt::settings_pack pack;
    pack.set_int(lt::settings_pack::initial_picker_threshold, 4);
    downloader_->engine().native_session().apply_settings(pack);
    std::set<int> const wanted{60, 61, 62, 63, 64, 65, 66, 67};
    ASSERT_TRUE(downloader_->engine().set_piece_deadlines(id_, deadlines_for(60, 8, 100)));
    connect();
    ASSERT_TRUE(run_until_finished(wanted));
    auto const& order = downloader_->finished();
    std::vector<int> const first(order.begin(), order.begin() + 8);
    EXPECT_FALSE(all_in(first, wanted)) << ::testing::PrintToString(order);
}

// A seek: the old window's deadlines are cleared and the new position's set, in one update. The
// new pieces are the next to arrive, after at most what was already on the wire.
TEST_F(StreamingEngineTest, MovedDeadlinesComeNext) {
    add_streaming();
    auto& engine = downloader_->engine();
    ASSERT_TRUE(engine.set_piece_deadlines(id_, deadlines_for(20, 16, 100)));
    connect();
    ASSERT_TRUE(run_until({seeder_.get(), downloader_.get()},
                          [&] { return downloader_->finished().size() >= 4; }));
    auto const before = downloader_->finished().size();
    std::vector<int> old_left;
    auto const have = engine.have_pieces(id_);
    for (int p = 20; p < 36; ++p) {
        if (!have[static_cast<std::size_t>(p)]) old_left.push_back(p);
    }
    auto const seek = Clock::now();
    // Cleared first, so libtorrent's deadline list empties and the first new deadline cancels
    // every request in flight for other pieces (cancel_non_critical). Set first, the old window's
    // 9-12 pieces already requested came first (1.5 s here; ~3 s of requests at any rate).
    ASSERT_TRUE(engine.clear_piece_deadlines(id_, old_left));
    ASSERT_TRUE(engine.set_piece_deadlines(id_, deadlines_for(100, 8, 100)));
    std::set<int> const wanted{100, 101, 102, 103, 104, 105, 106, 107};
    ASSERT_TRUE(run_until_finished(wanted));
    auto const& order = downloader_->finished();
    std::size_t last_new = before;  // index in `order` of the last new piece to arrive
    for (std::size_t i = before; i < order.size(); ++i) {
        if (wanted.count(order[i])) last_new = i;
    }
    std::vector<int> const after(order.begin() + static_cast<long>(before),
                                 order.begin() + static_cast<long>(last_new) + 1);
    auto const took =
        std::chrono::duration<double>(downloader_->finished_at()[last_new] - seek).count();
    auto const others =
        std::count_if(after.begin(), after.end(), [&](int p) { return wanted.count(p) == 0; });
    auto const old_window =
        std::count_if(after.begin(), after.end(), [&](int p) { return p >= 20 && p < 36; });
    std::cout << "seek: 8 new pieces in " << took << " s, " << others
              << " other pieces before the last of them (" << old_window
              << " of the old window); order after the seek " << ::testing::PrintToString(after)
              << "\n";
    // 8 pieces of 64 KiB at 1 MB/s: 0.5 s, plus up to a second for libtorrent's next round of
    // deadline requests; what was on the wire may come first, not the old window's queue. Once
    // every new piece is requested the picker may fetch pieces past the window alongside them
    // (a loaded machine saw 110 and 114 finish before 105); those do not hold the seek back
    // beyond `took`, so only the old window is counted.
    EXPECT_LT(took, 1.6);
    EXPECT_LE(old_window, 3);
}

// reset_piece_deadline leaves priority 1; the engine gives back what the file implies.
TEST_F(StreamingEngineTest, ClearedDeadlinesGetTheFilePriorityBack) {
    add_streaming();
    auto& engine = downloader_->engine();
    ASSERT_TRUE(engine.set_piece_deadlines(id_, deadlines_for(90, 4, 1000)));
    ASSERT_TRUE(run_until({downloader_.get()}, [&] {
        auto const priorities = engine.piece_priorities(id_);
        return priorities.size() == num_pieces && priorities[90] == 7 && priorities[93] == 7;
    }));
    EXPECT_EQ(engine.piece_priorities(id_)[89], 4);
    ASSERT_TRUE(engine.clear_piece_deadlines(id_, {90, 91, 92, 93}));
    auto const priorities = engine.piece_priorities(id_);
    for (int p = 90; p < 94; ++p) EXPECT_EQ(priorities[static_cast<std::size_t>(p)], 4) << p;

    // A skipped file's pieces go back to "skip", not to normal.
    ASSERT_TRUE(engine.set_file_priority(id_, 0, 0));
    ASSERT_TRUE(
        run_until({downloader_.get()}, [&] { return engine.piece_priorities(id_)[10] == 0; }));
    ASSERT_TRUE(engine.set_piece_deadlines(id_, deadlines_for(10, 1, 0)));
    ASSERT_TRUE(engine.clear_piece_deadlines(id_, {10}));
    EXPECT_EQ(engine.piece_priorities(id_)[10], 0);
}

// A file-priority change rewrites piece priorities from the files (libtorrent), wiping the 7s
// of pieces that still have deadlines; the engine raises them again.
TEST_F(StreamingEngineTest, DeadlinePiecesKeepTopPriorityAcrossFilePriorityChanges) {
    add_streaming();
    auto& engine = downloader_->engine();
    ASSERT_TRUE(engine.set_piece_deadlines(id_, deadlines_for(50, 2, 1000)));
    ASSERT_TRUE(engine.set_file_priority(id_, 0, 6));
    ASSERT_TRUE(run_until(
        {downloader_.get()},
        [&] {
            auto const priorities = engine.piece_priorities(id_);
            return priorities[10] == 6 && priorities[50] == 7 && priorities[51] == 7;
        },
        10s))
        << ::testing::PrintToString(engine.piece_priorities(id_));
}

// A deadline with a lower priority (the stream planner grades its front 7, 6, 5, since
// libtorrent picks in random order within one priority) keeps it, raised to the file's priority
// when that is higher, across file-priority changes too.
TEST_F(StreamingEngineTest, DeadlinesGetTheirPriorityAndKeepItAcrossFilePriorityChanges) {
    add_streaming();
    auto& engine = downloader_->engine();
    ASSERT_TRUE(
        engine.set_piece_deadlines(id_, {{.piece = 50, .deadline_ms = 0, .priority = 7},
                                         {.piece = 51, .deadline_ms = 100, .priority = 6},
                                         {.piece = 52, .deadline_ms = 200, .priority = 5}}));
    ASSERT_TRUE(run_until(
        {downloader_.get()},
        [&] {
            auto const p = engine.piece_priorities(id_);
            return p[50] == 7 && p[51] == 6 && p[52] == 5 && p[53] == 4;
        },
        10s))
        << ::testing::PrintToString(engine.piece_priorities(id_));
    ASSERT_TRUE(engine.set_file_priority(id_, 0, 6));
    ASSERT_TRUE(run_until(
        {downloader_.get()},
        [&] {
            auto const p = engine.piece_priorities(id_);
            return p[10] == 6 && p[50] == 7 && p[51] == 6 && p[52] == 6;
        },
        10s))
        << ::testing::PrintToString(engine.piece_priorities(id_));
}

// Streaming switches piece_finished alerts on for the session; a torrent that does not stream
// reports no pieces.
TEST_F(StreamingEngineTest, OnlyStreamingTorrentsReportPieces) {
    AddTorrent request;
    request.source = torrent_;
    request.save_path = dir_.path() / "save";
    ASSERT_TRUE(downloader_->engine().add(request));
    connect();
    ASSERT_TRUE(run_until({seeder_.get(), downloader_.get()}, [&] {
        auto const p = downloader_->engine().progress(id_);
        return p && p->have_pieces >= 4;
    }));
    EXPECT_TRUE(downloader_->finished().empty());
    ASSERT_TRUE(downloader_->engine().set_streaming(id_, true));
    ASSERT_TRUE(run_until({seeder_.get(), downloader_.get()},
                          [&] { return !downloader_->finished().empty(); }));
}

}  // namespace
}  // namespace lanetorrent
