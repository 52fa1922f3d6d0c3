// Files the engine writes and reads: atomic state files, torrents, magnets, resume data.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <libtorrent/torrent_info.hpp>

#include "base/atomic_file.hpp"
#include "engine/resume_store.hpp"
#include "engine/torrent_creator.hpp"
#include "engine/torrent_source.hpp"
#include "files.hpp"
#include "temp_dir.hpp"

namespace lanetorrent {
namespace {
namespace fs = std::filesystem;

std::string slurp(fs::path const& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

void write(fs::path const& path, std::string const& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

TEST(AtomicFile, ReplacesContentPrivatelyAndLeavesNoTemporaryFile) {
    test::TempDir dir;
    auto const path = dir.path() / "state";
    std::string const first = "first version", second = "second, longer version";
    ASSERT_TRUE(write_file_atomically(path, {first.data(), first.size()}));
    ASSERT_TRUE(write_file_atomically(path, {second.data(), second.size()}));
    EXPECT_EQ(slurp(path), second);
    EXPECT_FALSE(fs::exists(dir.path() / "state.tmp"));
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(AtomicFile, FailureLeavesTheOldFileIntact) {
    test::TempDir dir;
    auto const path = dir.path() / "missing-dir" / "state";
    std::string const bytes = "x";
    auto status = write_file_atomically(path, {bytes.data(), bytes.size()});
    ASSERT_FALSE(status);
    EXPECT_NE(status.error().find("missing-dir"), std::string::npos) << status.error();
}

TEST(AtomicFile, ReadRefusesOversizedFiles) {
    test::TempDir dir;
    write(dir.path() / "big", std::string(100, 'x'));
    EXPECT_TRUE(read_file(dir.path() / "big", 100));
    auto refused = read_file(dir.path() / "big", 99);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("too large"), std::string::npos) << refused.error();
}

class CreatedTorrent : public ::testing::Test {
  protected:
    void SetUp() override {
        content_ = dir_.subdir("content") / "album";
        fs::create_directories(content_ / "disc2");
        test::write_random_file(content_ / "a.bin", 300 * 1024, 1);
        test::write_random_file(content_ / "disc2" / "b.bin", 70 * 1024, 2);
        test::write_random_file(content_ / ".hidden", 10, 3);
    }

    Result<lt::add_torrent_params> create(CreateOptions options) {
        auto created = create_torrent(options);
        if (!created) return Error{created.error()};
        auto const file = dir_.path() / "out.torrent";
        EXPECT_TRUE(write_file_atomically(file, created->bytes));
        return load_torrent_file(file.string());
    }

    test::TempDir dir_;
    fs::path content_;
};

TEST_F(CreatedTorrent, DescribesWhatWasShared) {
    CreateOptions options;
    options.content = content_;
    options.trackers = {"http://127.0.0.1:1/announce", "udp://127.0.0.1:2"};
    options.piece_size_kib = 64;
    options.is_private = true;
    options.comment = "test";
    auto params = create(options);
    ASSERT_TRUE(params) << params.error();
    auto const d = describe(params.value());
    EXPECT_EQ(d.name, "album");
    EXPECT_TRUE(d.has_metadata);
    EXPECT_EQ(d.total_size, 370 * 1024);
    EXPECT_EQ(d.piece_size, 64 * 1024);
    EXPECT_EQ(d.num_pieces, 6);
    EXPECT_TRUE(d.is_private);
    EXPECT_EQ(d.comment, "test");
    EXPECT_EQ(d.trackers, options.trackers);
    EXPECT_EQ(d.info_hash_v1.size(), 40u);
    EXPECT_TRUE(d.info_hash_v2.empty()) << "v1 is the default format";
    EXPECT_EQ(d.id, d.info_hash_v1);
    ASSERT_EQ(d.files.size(), 2u) << "hidden files are not shared";
    EXPECT_EQ(d.files[0].path, "album/a.bin");
    EXPECT_EQ(d.files[1].path, "album/disc2/b.bin");
}

TEST_F(CreatedTorrent, HybridCarriesBothHashes) {
    CreateOptions options;
    options.content = content_;
    options.format = TorrentFormat::hybrid;
    auto params = create(options);
    ASSERT_TRUE(params) << params.error();
    auto const d = describe(params.value());
    EXPECT_EQ(d.info_hash_v1.size(), 40u);
    EXPECT_EQ(d.info_hash_v2.size(), 64u);
}

TEST_F(CreatedTorrent, RefusesBadInput) {
    CreateOptions options;
    options.content = dir_.path() / "nothing-here";
    EXPECT_FALSE(create_torrent(options));
    options.content = content_;
    options.piece_size_kib = 48;
    EXPECT_FALSE(create_torrent(options));
    options.piece_size_kib = 8;
    EXPECT_FALSE(create_torrent(options));
}

TEST(TorrentSource, CorruptOrTruncatedFilesGiveOneSentence) {
    test::TempDir dir;
    test::write_random_file(dir.path() / "data.bin", 100 * 1024, 7);
    CreateOptions options;
    options.content = dir.path() / "data.bin";
    auto created = create_torrent(options);
    ASSERT_TRUE(created) << created.error();
    std::string const good(created->bytes.begin(), created->bytes.end());

    std::vector<std::pair<std::string, std::string>> const cases = {
        {"empty", ""},
        {"truncated", good.substr(0, good.size() / 2)},
        {"garbage", "this is not bencode"},
        {"a list", "l4:spam4:eggse"},
        {"no info", "d8:announce3:urle"},
    };
    for (auto const& [name, bytes] : cases) {
        auto const path = dir.path() / (name + ".torrent");
        write(path, bytes);
        auto loaded = load_torrent_file(path.string());
        ASSERT_FALSE(loaded) << name;
        EXPECT_NE(loaded.error().find(path.string()), std::string::npos) << loaded.error();
        EXPECT_EQ(loaded.error().find('\n'), std::string::npos) << loaded.error();
    }
    EXPECT_FALSE(load_torrent_file((dir.path() / "absent.torrent").string()));
}

TEST(TorrentSource, MagnetLinks) {
    std::string const hash = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    auto magnet = load_torrent_source("magnet:?xt=urn:btih:" + hash +
                                      "&dn=Some+Name&tr=http%3A%2F%2F127.0.0.1%3A1%2Fannounce");
    ASSERT_TRUE(magnet) << magnet.error();
    auto const d = describe(magnet.value());
    EXPECT_EQ(d.id, hash);
    EXPECT_EQ(d.name, "Some Name");
    EXPECT_FALSE(d.has_metadata);
    EXPECT_EQ(d.trackers, std::vector<std::string>{"http://127.0.0.1:1/announce"});

    for (char const* bad : {"magnet:?dn=no-hash", "magnet:?xt=urn:btih:not-hex",
                            "magnet:?xt=urn:btih:c12fe1c06bba", "magnet:"}) {
        auto parsed = parse_magnet(bad);
        EXPECT_FALSE(parsed) << bad;
        if (!parsed) {
            EXPECT_EQ(parsed.error().rfind("invalid magnet link", 0), 0u);
        }
    }
}

TEST(ResumeStore, RoundTripsAndKeepsMetadataApart) {
    test::TempDir dir;
    test::write_random_file(dir.path() / "x.bin", 64 * 1024, 9);
    CreateOptions options;
    options.content = dir.path() / "x.bin";
    auto created = create_torrent(options);
    ASSERT_TRUE(created);
    auto params = load_torrent_bytes(created->bytes, "test").value();
    params.save_path = "/some/where";

    ResumeStore store(dir.subdir("resume"));
    EXPECT_FALSE(store.has(created->id));
    ASSERT_TRUE(store.save(created->id, params));
    EXPECT_TRUE(store.has(created->id));
    EXPECT_TRUE(fs::exists(dir.path() / "resume" / (created->id + ".torrent")));
    EXPECT_EQ(store.saved_ids(), std::vector<TorrentId>{created->id});

    auto loaded = store.load(created->id);
    ASSERT_TRUE(loaded) << loaded.error();
    EXPECT_EQ(loaded->save_path, "/some/where");
    ASSERT_TRUE(loaded->ti);
    EXPECT_EQ(torrent_id_of(loaded->ti->info_hashes()), created->id);

    store.remove(created->id);
    EXPECT_FALSE(store.has(created->id));
}

TEST(ResumeStore, CorruptResumeDataIsReportedAndLeftInPlace) {
    test::TempDir dir;
    ResumeStore store(dir.path());
    TorrentId const id(40, 'a');
    write(dir.path() / (id + ".resume"), "d4:junk");
    auto loaded = store.load(id);
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().find("corrupt"), std::string::npos) << loaded.error();
    EXPECT_EQ(slurp(dir.path() / (id + ".resume")), "d4:junk");
}

TEST(ResumeStore, OneProcessAtATimePerTorrent) {
    test::TempDir dir;
    ResumeStore store(dir.path());
    TorrentId const id(40, 'b');
    auto first = store.lock(id);
    ASSERT_TRUE(first) << first.error();
    // flock() locks belong to the open file, so a second open in this process conflicts just as
    // another process would.
    auto second = store.lock(id);
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().find("already open"), std::string::npos) << second.error();
    first.value().reset();
    EXPECT_TRUE(store.lock(id));
}

TEST(ResumeStore, LockRemembersWhetherTheLastHolderStoppedCleanly) {
    test::TempDir dir;
    ResumeStore store(dir.path());
    TorrentId const id(40, 'c');
    {
        auto lock = store.lock(id);
        ASSERT_TRUE(lock) << lock.error();
        EXPECT_TRUE((*lock)->stopped_cleanly()) << "a torrent never held before";
        // Dropped without mark_stopped(), as a kill -9 drops it.
    }
    {
        auto lock = store.lock(id);
        ASSERT_TRUE(lock);
        EXPECT_FALSE((*lock)->stopped_cleanly());
        (*lock)->mark_stopped();
    }
    auto lock = store.lock(id);
    ASSERT_TRUE(lock);
    EXPECT_TRUE((*lock)->stopped_cleanly());
    lock.value().reset();
    EXPECT_FALSE((*store.lock(id))->stopped_cleanly()) << "held again, and not stopped";
}

}  // namespace
}  // namespace lanetorrent
