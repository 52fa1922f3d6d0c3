// The engine through its public API, with real libtorrent sessions talking over loopback.
#include "engine/engine.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <libtorrent/torrent_info.hpp>

#include "engine/torrent_creator.hpp"
#include "engine/torrent_source.hpp"
#include "files.hpp"
#include "net.hpp"
#include "temp_dir.hpp"
#include "tmpfs_mount.hpp"

namespace lanetorrent {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// One engine on its own loopback address, remembering every event it produced.
class Node {
  public:
    Node(fs::path const& profile_dir, EngineSettings settings = {})
        : ip_(test::unique_loopback_ip()), profile_dir_(profile_dir) {
        settings.listen_interfaces = ip_ + ":0";
        settings.try_next_ports = false;
        settings.make_local_only();
        settings.status_interval = 200ms;
        settings_ = settings;
        open();
    }

    void open() {
        auto opened = Engine::open(Profile::in_directory(profile_dir_), settings_);
        if (!opened) throw std::runtime_error(opened.error());
        engine_ = std::move(opened.value());
        listening_.reset();
    }
    void close() { engine_.reset(); }

    Engine& engine() { return *engine_; }
    std::string const& ip() const { return ip_; }
    std::optional<Endpoint> const& listening() const { return listening_; }
    std::vector<Event> const& history() const { return history_; }

    void poll(std::chrono::milliseconds wait) {
        for (auto& event : engine_->poll(wait)) {
            if (auto const* l = std::get_if<event::Listening>(&event)) {
                listening_ = Endpoint{l->address, static_cast<std::uint16_t>(l->port)};
            }
            history_.push_back(std::move(event));
        }
    }

    template <class E>
    std::vector<E> events() const {
        std::vector<E> out;
        for (auto const& event : history_) {
            if (auto const* e = std::get_if<E>(&event)) out.push_back(*e);
        }
        return out;
    }
    void forget_events() { history_.clear(); }

  private:
    std::string ip_;
    fs::path profile_dir_;
    EngineSettings settings_;
    std::unique_ptr<Engine> engine_;
    std::optional<Endpoint> listening_;
    std::vector<Event> history_;
};

// Polls every node until `done` holds or the timeout passes.
bool run_until(std::vector<Node*> const& nodes, std::function<bool()> const& done,
               std::chrono::seconds timeout = 60s) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        for (auto* node : nodes) node->poll(20ms);
    }
    return done();
}

class EngineTest : public ::testing::Test {
  protected:
    void SetUp() override {
        content_ = dir_.subdir("seed-data");
        test::write_random_file(content_ / "payload.bin", 3 * 1024 * 1024 + 12345, 42);
        CreateOptions options;
        options.content = content_ / "payload.bin";
        options.piece_size_kib = 32;
        auto created = create_torrent(options);
        ASSERT_TRUE(created) << created.error();
        torrent_ = load_torrent_bytes(created->bytes, "test").value();
        id_ = created->id;
    }

    AddTorrent seed_request() const {
        AddTorrent request;
        request.source = torrent_;
        request.save_path = content_;
        request.seed_only = true;
        return request;
    }

    AddTorrent download_request(fs::path const& save) const {
        AddTorrent request;
        request.source = torrent_;
        request.save_path = save;
        return request;
    }

    // Starts a seeder and waits until it has verified its data and listens.
    void start_seeder(Node& seeder) {
        ASSERT_TRUE(seeder.engine().add(seed_request()));
        ASSERT_TRUE(run_until({&seeder}, [&] {
            return seeder.listening() && !seeder.events<event::Checked>().empty();
        }));
        auto const checked = seeder.events<event::Checked>().front();
        ASSERT_EQ(checked.have_bytes, checked.total_bytes);
    }

    bool finished(Node& node) const { return !node.events<event::Finished>().empty(); }

    // Adds the torrent to `downloader`, saving into save/, with `seeder` as its pinned peer.
    void start_download(Node& downloader, Node const& seeder) {
        ASSERT_TRUE(downloader.engine().add(download_request(dir_.path() / "save")));
        ASSERT_TRUE(downloader.engine().pin_peer(id_, *seeder.listening()));
    }
    bool saved_file_is_whole() const {
        return test::files_identical(content_ / "payload.bin",
                                     dir_.path() / "save" / "payload.bin");
    }

    test::TempDir dir_;
    fs::path content_;
    lt::add_torrent_params torrent_;
    TorrentId id_;
};

TEST_F(EngineTest, DownloadsFromAnotherSessionOnLoopback) {
    Node seeder(dir_.path() / "seeder");
    start_seeder(seeder);
    Node downloader(dir_.path() / "downloader");
    auto added = downloader.engine().add(download_request(dir_.path() / "save"));
    ASSERT_TRUE(added) << added.error();
    EXPECT_EQ(added.value(), id_);
    ASSERT_TRUE(downloader.engine().pin_peer(id_, *seeder.listening()));

    ASSERT_TRUE(run_until({&seeder, &downloader}, [&] { return finished(downloader); }));
    EXPECT_TRUE(
        test::files_identical(content_ / "payload.bin", dir_.path() / "save" / "payload.bin"));
    EXPECT_EQ(downloader.events<event::TorrentAdded>().size(), 1u);
    auto const progress = downloader.engine().progress(id_);
    ASSERT_TRUE(progress);
    EXPECT_EQ(progress->have_bytes, progress->total_bytes);
    EXPECT_GE(progress->downloaded, progress->total_bytes);

    // The seeder saw the connection come from the downloader's listen address: outgoing
    // connections leave from the configured interface.
    auto const incoming = seeder.events<event::PeerConnected>();
    ASSERT_FALSE(incoming.empty());
    EXPECT_TRUE(incoming.front().incoming);
    EXPECT_EQ(parse_endpoint(incoming.front().peer)->address, downloader.ip());
}

// A full disk and a read-only save path stop the download with an error that says it will go on
// by itself; once the user fixes the disk, it does, and the file is complete and correct.
TEST_F(EngineTest, DiskFaultsStopTheDownloadUntilTheSavePathIsUsableAgain) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to mount a tmpfs";
    for (bool const read_only : {false, true}) {
        SCOPED_TRACE(read_only ? "read-only save path" : "full disk");
        auto const save = dir_.path() / (read_only ? "read-only" : "full");
        test::TmpfsMount mount(save, "size=1m");
        if (!mount.mounted()) GTEST_SKIP() << "cannot mount a tmpfs here";
        if (read_only) {
            ASSERT_TRUE(mount.remount("size=16m", true));
        }
        Node seeder(dir_.path() / "seeder");
        start_seeder(seeder);
        EngineSettings settings;
        settings.disk_retry_interval = 1s;
        Node downloader(dir_.path() / (read_only ? "ro-downloader" : "full-downloader"), settings);
        ASSERT_TRUE(downloader.engine().add(download_request(save)));
        ASSERT_TRUE(downloader.engine().pin_peer(id_, *seeder.listening()));

        ASSERT_TRUE(run_until({&seeder, &downloader},
                              [&] { return !downloader.events<event::TorrentError>().empty(); }));
        auto const error = downloader.events<event::TorrentError>().front();
        EXPECT_TRUE(error.retrying) << error.message;
        EXPECT_NE(error.message.find(read_only ? "Read-only file system" : "No space left"),
                  std::string::npos)
            << error.message;
        // Nothing changes while the disk stays as it is: no retry storm, no second report.
        run_until(
            {&seeder, &downloader}, [] { return false; }, 4s);
        EXPECT_EQ(downloader.events<event::TorrentError>().size(), 1u);
        EXPECT_EQ(downloader.engine().progress(id_)->state, TorrentState::error);

        ASSERT_TRUE(mount.remount("size=16m"));  // more space, and writable
        ASSERT_TRUE(run_until(
            {&seeder, &downloader}, [&] { return finished(downloader); }, 60s));
        EXPECT_TRUE(test::files_identical(content_ / "payload.bin", save / "payload.bin"));
    }
}

TEST_F(EngineTest, FetchesMetadataForAMagnetLink) {
    Node seeder(dir_.path() / "seeder");
    start_seeder(seeder);
    Node downloader(dir_.path() / "downloader");
    auto magnet = parse_magnet("magnet:?xt=urn:btih:" + id_);
    ASSERT_TRUE(magnet);
    AddTorrent request;
    request.source = magnet.value();
    request.save_path = dir_.path() / "save";
    ASSERT_TRUE(downloader.engine().add(request));
    ASSERT_TRUE(downloader.engine().pin_peer(id_, *seeder.listening()));

    ASSERT_TRUE(run_until({&seeder, &downloader}, [&] { return finished(downloader); }));
    auto const metadata = downloader.events<event::MetadataReceived>();
    ASSERT_EQ(metadata.size(), 1u);
    EXPECT_EQ(metadata.front().name, "payload.bin");
    EXPECT_TRUE(
        test::files_identical(content_ / "payload.bin", dir_.path() / "save" / "payload.bin"));
}

TEST_F(EngineTest, RestartContinuesFromResumeDataWithoutRechecking) {
    Node seeder(dir_.path() / "seeder");
    start_seeder(seeder);
    Node downloader(dir_.path() / "downloader");
    start_download(downloader, seeder);
    ASSERT_TRUE(run_until({&seeder, &downloader}, [&] { return finished(downloader); }));
    downloader.close();  // shutdown saves resume data

    // Flip one byte without changing size or layout. A re-check would find the broken piece;
    // trusting the resume data (what we want for complete files) does not look.
    auto const file = dir_.path() / "save" / "payload.bin";
    {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(1000);
        f.put('\0' == char(f.peek()) ? '\1' : '\0');
    }

    downloader.forget_events();
    downloader.open();
    auto const restored = downloader.engine().restore_all();
    ASSERT_EQ(restored, std::vector<TorrentId>{id_});
    ASSERT_TRUE(
        run_until({&downloader}, [&] { return !downloader.events<event::Checked>().empty(); }));
    auto const checked = downloader.events<event::Checked>().front();
    EXPECT_EQ(checked.have_bytes, checked.total_bytes) << "the complete file was re-checked";
    EXPECT_TRUE(downloader.events<event::Warning>().empty());
    EXPECT_EQ(downloader.engine().progress(id_)->downloaded, 0);
}

TEST_F(EngineTest, RateLimitsBindLoopbackPeers) {
    // libtorrent exempts loopback and LAN peers from limits by default; the engine must not.
    EngineSettings limited;
    limited.download_limit = 512 * 1024;
    Node seeder(dir_.path() / "seeder");
    start_seeder(seeder);
    Node downloader(dir_.path() / "downloader", limited);
    ASSERT_TRUE(downloader.engine().add(download_request(dir_.path() / "save")));
    ASSERT_TRUE(downloader.engine().pin_peer(id_, *seeder.listening()));
    auto const start = std::chrono::steady_clock::now();
    ASSERT_TRUE(run_until(
        {&seeder, &downloader}, [&] { return finished(downloader); }, 90s));
    auto const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    // ~3 MiB at 0.5 MiB/s: an unlimited loopback transfer takes well under a second. This is a
    // lower bound that proves the limit applied, not a speed measurement.
    EXPECT_GT(seconds.count(), 4.0);
    // A transfer that lasts seconds reports progress along the way (a fast one may finish
    // between two status updates).
    auto const updates = downloader.events<event::Progress>();
    ASSERT_GE(updates.size(), 3u);
    EXPECT_LT(updates.front().status.have_bytes, updates.back().status.have_bytes);
}

// A pinned peer is dialled again whenever the connection to it is gone...
TEST_F(EngineTest, PinnedPeerIsDialledAgainAfterTheConnectionDrops) {
    EngineSettings limited;
    limited.upload_limit = 256 * 1024;  // ~12 s for the payload: time to cut the connection
    Node seeder(dir_.path() / "seeder", limited);
    start_seeder(seeder);
    Node downloader(dir_.path() / "downloader");
    start_download(downloader, seeder);
    ASSERT_TRUE(run_until({&seeder, &downloader}, [&] {
        auto const progress = downloader.engine().progress(id_);
        return progress && progress->have_bytes > 0;
    }));

    // Pausing drops every connection; the seeder does not dial back (it learnt no listen port
    // it may use: the downloader's was never announced to it as a peer to dial).
    ASSERT_TRUE(seeder.engine().pause(id_));
    run_until(
        {&seeder, &downloader}, [] { return false; }, 1s);
    seeder.forget_events();
    ASSERT_TRUE(seeder.engine().resume(id_));
    ASSERT_TRUE(run_until({&seeder, &downloader}, [&] { return finished(downloader); }));
    bool dialled_in = false;
    for (auto const& connected : seeder.events<event::PeerConnected>()) {
        dialled_in = dialled_in || (connected.incoming &&
                                    parse_endpoint(connected.peer)->address == downloader.ip());
    }
    EXPECT_TRUE(dialled_in) << "the downloader did not dial the seeder again";
    EXPECT_TRUE(saved_file_is_whole());
}

// ...but not once both sides have every piece: two seeds have nothing to exchange.
TEST_F(EngineTest, PinnedPeerIsLeftAloneOnceBothAreSeeds) {
    Node seeder(dir_.path() / "seeder");
    start_seeder(seeder);
    Node downloader(dir_.path() / "downloader");
    start_download(downloader, seeder);
    ASSERT_TRUE(run_until({&seeder, &downloader}, [&] { return finished(downloader); }));
    ASSERT_TRUE(run_until({&seeder, &downloader}, [&] {
        return seeder.events<event::PeerDisconnected>().size() >=
               seeder.events<event::PeerConnected>().size();
    }));
    auto const connections = seeder.events<event::PeerConnected>().size();
    run_until(
        {&seeder, &downloader}, [] { return false; }, 10s);  // three redial rounds
    // Which side closes first is a race. When the downloader closes (its torrent finished, or
    // the seeder's upload-only flag) it knows both are seeds and never dials again. When the
    // seeder closes first the downloader sees only "end of file", so it dials once more after
    // the first back-off (3 s), learns on that connection that both are seeds, and stops: at
    // most one more connection, where an endless redial would have made three in 10 s.
    EXPECT_LE(seeder.events<event::PeerConnected>().size(), connections + 1);
}

// libtorrent drops a connection between two seeds on the peer's "upload_only" flag, before its
// bitfield, so it never learnt the peer was a seed and dialled it again every reconnect interval,
// for good. The engine's seed-marking plugin holds the close until the bitfield is read.
TEST_F(EngineTest, SeedDoesNotKeepDiallingAnotherSeed) {
    auto quick = [] {
        EngineSettings settings;             // each with its own peer id
        settings.min_reconnect_seconds = 2;  // libtorrent's redial interval; 10 s by default
        return settings;
    };
    Node first(dir_.path() / "first", quick());
    start_seeder(first);
    Node second(dir_.path() / "second", quick());
    start_seeder(second);
    // A libtorrent dial, not the engine's pinned-peer redial, is what this is about: add the
    // peer once.
    ASSERT_TRUE(first.engine().connect_peer(id_, *second.listening()));
    run_until(
        {&first, &second}, [] { return false; }, 12s);
    EXPECT_EQ(first.events<event::PeerConnected>().size(), 1u);
    EXPECT_LE(second.events<event::PeerConnected>().size(), 1u);
    EXPECT_EQ(first.events<event::PeerConnected>().size(),
              first.events<event::PeerDisconnected>().size());
}

TEST_F(EngineTest, SeedsManyTorrentsAtOnce) {
    // libtorrent's default queue (5 active seeds) would pause most of these.
    Node seeder(dir_.path() / "seeder");
    std::vector<TorrentId> ids;
    for (int i = 0; i < 12; ++i) {
        auto const data = dir_.subdir("many");
        auto const name = "file" + std::to_string(i);
        test::write_random_file(data / name, 20000, 100 + i);
        CreateOptions options;
        options.content = data / name;
        auto created = create_torrent(options);
        ASSERT_TRUE(created);
        AddTorrent request;
        request.source = load_torrent_bytes(created->bytes, "test").value();
        request.save_path = data;
        request.seed_only = true;
        auto added = seeder.engine().add(request);
        ASSERT_TRUE(added) << added.error();
        ids.push_back(added.value());
    }
    auto all_seeding = [&] {
        return std::all_of(ids.begin(), ids.end(), [&](auto const& id) {
            auto const p = seeder.engine().progress(id);
            return p && p->state == TorrentState::seeding;
        });
    };
    ASSERT_TRUE(run_until({&seeder}, all_seeding, 30s));
    // Still seeding a little later: nothing queues them afterwards.
    run_until(
        {&seeder}, [] { return false; }, 2s);
    EXPECT_TRUE(all_seeding());
}

TEST_F(EngineTest, SeedingRefusesDataThatDoesNotMatch) {
    auto const wrong = dir_.subdir("wrong");
    test::write_random_file(wrong / "payload.bin", fs::file_size(content_ / "payload.bin"), 99);
    Node seeder(dir_.path() / "seeder");
    auto request = seed_request();
    request.save_path = wrong;
    ASSERT_TRUE(seeder.engine().add(request));
    ASSERT_TRUE(
        run_until({&seeder}, [&] { return !seeder.events<event::TorrentError>().empty(); }));
    EXPECT_NE(seeder.events<event::TorrentError>().front().message.find("does not match"),
              std::string::npos);
}

TEST_F(EngineTest, PauseResumeAndRemoveWithData) {
    Node seeder(dir_.path() / "seeder");
    start_seeder(seeder);
    Node downloader(dir_.path() / "downloader");
    ASSERT_TRUE(downloader.engine().add(download_request(dir_.path() / "save")));
    ASSERT_TRUE(downloader.engine().pause(id_));
    ASSERT_TRUE(run_until({&downloader}, [&] {
        return downloader.engine().progress(id_)->state == TorrentState::paused;
    }));
    ASSERT_TRUE(downloader.engine().resume(id_));
    ASSERT_TRUE(downloader.engine().pin_peer(id_, *seeder.listening()));
    ASSERT_TRUE(run_until({&seeder, &downloader}, [&] { return finished(downloader); }));

    auto const resume_file = dir_.path() / "downloader" / "data" / "resume" / (id_ + ".resume");
    EXPECT_TRUE(fs::exists(resume_file));
    ASSERT_TRUE(downloader.engine().remove(id_, RemoveData::delete_files));
    EXPECT_FALSE(fs::exists(resume_file));
    EXPECT_TRUE(downloader.engine().torrents().empty());
    EXPECT_FALSE(downloader.engine().pause(id_));
    ASSERT_TRUE(run_until({&downloader},
                          [&] { return !fs::exists(dir_.path() / "save" / "payload.bin"); }));
}

TEST_F(EngineTest, FilesPrioritiesTrackersAndSavePath) {
    auto const content = dir_.subdir("multi") / "album";
    test::write_random_file(content / "a.bin", 200 * 1024 + 1, 7);
    test::write_random_file(content / "b.bin", 300 * 1024 + 3, 8);
    CreateOptions options;
    options.content = content;
    options.piece_size_kib = 32;
    // Nothing listens on port 1: the tracker fails at once, on loopback.
    options.trackers = {"http://127.0.0.1:1/announce"};
    auto created = create_torrent(options);
    ASSERT_TRUE(created) << created.error();
    auto const source = load_torrent_bytes(created->bytes, "multi").value();

    Node seeder(dir_.path() / "seeder");
    AddTorrent seed;
    seed.source = source;
    seed.save_path = content.parent_path();
    seed.seed_only = true;
    ASSERT_TRUE(seeder.engine().add(seed));
    ASSERT_TRUE(run_until(
        {&seeder}, [&] { return seeder.listening() && !seeder.events<event::Checked>().empty(); }));
    auto const seeded = seeder.engine().files(created->id);
    ASSERT_EQ(seeded.size(), 2u);
    EXPECT_EQ(seeded[0].path, "album/a.bin");
    EXPECT_EQ(seeded[0].size, 200 * 1024 + 1);
    EXPECT_EQ(seeded[0].done, seeded[0].size);
    EXPECT_EQ(seeded[1].path, "album/b.bin");
    EXPECT_EQ(seeded[1].priority, 4);
    EXPECT_EQ(seeder.engine().save_path(created->id), content.parent_path());

    Node downloader(dir_.path() / "downloader");
    AddTorrent fetch;
    fetch.source = source;
    fetch.save_path = dir_.path() / "save";
    fetch.file_priorities = {0, 4};  // skip a.bin
    ASSERT_TRUE(downloader.engine().add(fetch));
    auto files = downloader.engine().files(created->id);
    ASSERT_EQ(files.size(), 2u);
    EXPECT_EQ(files[0].priority, 0);
    EXPECT_EQ(files[1].priority, 4);
    EXPECT_EQ(files[1].done, 0);
    ASSERT_TRUE(downloader.engine().pin_peer(created->id, *seeder.listening()));
    ASSERT_TRUE(run_until({&seeder, &downloader}, [&] { return finished(downloader); }));
    files = downloader.engine().files(created->id);
    EXPECT_EQ(files[1].done, files[1].size);
    EXPECT_LT(files[0].done, files[0].size);  // only the piece it shares with b.bin
    EXPECT_TRUE(test::files_identical(content / "b.bin", dir_.path() / "save" / "album" / "b.bin"));

    // What was asked for shows at once, although libtorrent applies it on its disk thread, and
    // quick changes in a row build on each other rather than on libtorrent's older view.
    ASSERT_TRUE(downloader.engine().set_file_priority(created->id, 0, 7));
    EXPECT_EQ(downloader.engine().files(created->id)[0].priority, 7);
    ASSERT_TRUE(downloader.engine().set_file_priorities(created->id, {1, 2}));
    ASSERT_TRUE(downloader.engine().set_file_priority(created->id, 0, 0));
    ASSERT_TRUE(downloader.engine().set_file_priority(created->id, 1, 6));
    files = downloader.engine().files(created->id);
    EXPECT_EQ(files[0].priority, 0);
    EXPECT_EQ(files[1].priority, 6);
    EXPECT_FALSE(downloader.engine().set_file_priority(created->id, 2, 4));
    EXPECT_FALSE(downloader.engine().set_file_priority("nope", 0, 4));
    EXPECT_TRUE(downloader.engine().files("nope").empty());

    auto trackers = downloader.engine().trackers(created->id);
    ASSERT_EQ(trackers.size(), 1u);
    EXPECT_EQ(trackers[0].url, "http://127.0.0.1:1/announce");
    // The refused announce shows as the tracker's error.
    ASSERT_TRUE(run_until(
        {&downloader},
        [&] {
            auto const status = downloader.engine().trackers(created->id).at(0).status;
            return status != "not contacted yet" && status != "updating" && status != "working";
        },
        30s));
}

TEST_F(EngineTest, SameTorrentTwiceIsRefused) {
    Node node(dir_.path() / "node");
    ASSERT_TRUE(node.engine().add(download_request(dir_.path() / "save")));
    auto again = node.engine().add(download_request(dir_.path() / "save"));
    ASSERT_FALSE(again);
    EXPECT_NE(again.error().find("already"), std::string::npos);
}

}  // namespace
}  // namespace lanetorrent
