// Absurd lists in .torrent files and magnet links (issue 13): a torrent with 400,000 trackers made
// session_handle::add_torrent run for over 10 minutes. Loaders keep the first TorrentBounds of each
// list and say so; the engine bounds what reaches it another way; what libtorrent itself bounds
// (pieces, tokens, depth) gives a sentence. Torrents are bencoded here, byte for byte.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <libtorrent/bencode.hpp>
#include <libtorrent/entry.hpp>
#include <libtorrent/torrent_info.hpp>
#include <set>

#include "engine/engine.hpp"
#include "engine/torrent_source.hpp"
#include "net.hpp"
#include "temp_dir.hpp"

namespace lanetorrent {
namespace {
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A valid one-piece, one-file v1 torrent; `extend` adds keys to the top level or the info dict.
std::string bencoded_torrent(std::function<void(lt::entry& top, lt::entry& info)> const& extend) {
    lt::entry top(lt::entry::dictionary_t);
    lt::entry info(lt::entry::dictionary_t);
    info["name"] = "payload";
    info["piece length"] = 16384;
    info["length"] = 16384;
    info["pieces"] = std::string(20, '\0');
    extend(top, info);
    top["info"] = info;
    std::string out;
    lt::bencode(std::back_inserter(out), top);
    return out;
}

std::string with_trackers(int count, int distinct) {
    return bencoded_torrent([&](lt::entry& top, lt::entry&) {
        lt::entry::list_type tiers;
        for (int i = 0; i < count; ++i) {
            tiers.emplace_back(lt::entry::list_type{
                lt::entry("http://127.0.0.1:1/announce/" + std::to_string(i % distinct))});
        }
        top["announce-list"] = tiers;
    });
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(TorrentBounds, HundredsOfThousandsOfTrackersAreCutToTheFirstDistinctOnes) {
    auto const bytes = with_trackers(400'000, 400'000);
    ASSERT_GT(bytes.size(), 10'000'000u);
    auto const start = Clock::now();
    LoadWarnings warnings;
    auto loaded = load_torrent_bytes(bytes, "huge.torrent", &warnings);
    EXPECT_LT(seconds_since(start), 5.0);
    ASSERT_TRUE(loaded) << loaded.error();
    ASSERT_EQ(loaded->trackers.size(), TorrentBounds::max_trackers);
    // libtorrent orders trackers by tier (a byte) and shuffles each tier, so "first" is in
    // that order; each is kept once, with its tier.
    EXPECT_EQ(std::set<std::string>(loaded->trackers.begin(), loaded->trackers.end()).size(),
              TorrentBounds::max_trackers);
    EXPECT_EQ(loaded->tracker_tiers.size(), TorrentBounds::max_trackers);
    EXPECT_TRUE(std::is_sorted(loaded->tracker_tiers.begin(), loaded->tracker_tiers.end()));
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("kept the first 200 of 400000 distinct trackers"), std::string::npos)
        << warnings[0];
}

TEST(TorrentBounds, DuplicateTrackersAreDroppedWithoutAWarning) {
    LoadWarnings warnings;
    auto loaded = load_torrent_bytes(with_trackers(5'000, 10), "dups.torrent", &warnings);
    ASSERT_TRUE(loaded) << loaded.error();
    EXPECT_EQ(loaded->trackers.size(), 10u);
    EXPECT_TRUE(warnings.empty());
}

TEST(TorrentBounds, WebSeedsAreCut) {
    auto const bytes = bencoded_torrent([](lt::entry& top, lt::entry&) {
        lt::entry::list_type seeds;
        for (int i = 0; i < 100'000; ++i) {
            seeds.emplace_back("http://127.0.0.1:1/seed/" + std::to_string(i));
        }
        top["url-list"] = seeds;
    });
    LoadWarnings warnings;
    auto loaded = load_torrent_bytes(bytes, "seeds.torrent", &warnings);
    ASSERT_TRUE(loaded) << loaded.error();
    EXPECT_EQ(loaded->url_seeds.size(), TorrentBounds::max_web_seeds);
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("of 100000 distinct web seeds"), std::string::npos) << warnings[0];
}

TEST(TorrentBounds, MagnetTrackersAndPeersAreCut) {
    std::string magnet = "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    for (int i = 0; i < 20'000; ++i) {
        magnet += "&tr=http%3A%2F%2F127.0.0.1%3A1%2F" + std::to_string(i);
        magnet += "&x.pe=127.0.0.1:" + std::to_string(1 + i % 60000);
    }
    auto const start = Clock::now();
    LoadWarnings warnings;
    auto parsed = parse_magnet(magnet, &warnings);
    EXPECT_LT(seconds_since(start), 5.0);
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(parsed->trackers.size(), TorrentBounds::max_trackers);
    EXPECT_LE(parsed->peers.size(), TorrentBounds::max_peers);
    EXPECT_EQ(warnings.size(), 2u);
}

TEST(TorrentBounds, WhatLibtorrentBoundsIsRefusedWithASentence) {
    // More bencode tokens than TorrentBounds::max_decode_tokens: a file list of 700,000 entries.
    auto const files = bencoded_torrent([](lt::entry&, lt::entry& info) {
        info.dict().erase("length");
        lt::entry::list_type list;
        for (int i = 0; i < 700'000; ++i) {
            lt::entry file(lt::entry::dictionary_t);
            file["length"] = 0;
            file["path"] = lt::entry::list_type{lt::entry("f" + std::to_string(i))};
            list.push_back(file);
        }
        list.back()["length"] = 16384;
        info["files"] = list;
    });
    auto const start = Clock::now();
    auto loaded = load_torrent_bytes(files, "many-files.torrent");
    EXPECT_LT(seconds_since(start), 5.0);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().rfind("many-files.torrent is not a valid .torrent file: ", 0), 0u)
        << loaded.error();

    // Nesting deeper than max_decode_depth.
    std::string deep = "d4:infod4:name1:x12:piece lengthi16384e6:lengthi16384e6:pieces20:";
    deep += std::string(20, '\0') + "5:extra" + std::string(200, 'l') + std::string(200, 'e');
    deep += "ee";
    auto nested = load_torrent_bytes(deep, "deep.torrent");
    ASSERT_FALSE(nested);
    EXPECT_EQ(nested.error().find('\n'), std::string::npos);
}

TEST(TorrentBounds, TheEngineBoundsParametersThatDidNotComeThroughALoader) {
    test::TempDir dir;
    EngineSettings settings;
    settings.listen_interfaces = test::unique_loopback_ip() + ":0";
    settings.try_next_ports = false;
    settings.make_local_only();
    auto engine = Engine::open(Profile::in_directory(dir.path() / "profile"), settings);
    ASSERT_TRUE(engine) << engine.error();

    auto params = load_torrent_bytes(with_trackers(1, 1), "one.torrent");
    ASSERT_TRUE(params) << params.error();
    params->trackers.clear();
    for (int i = 0; i < 100'000; ++i) {
        params->trackers.push_back("http://127.0.0.1:1/" + std::to_string(i));
    }
    AddTorrent request;
    request.source = std::move(params.value());
    request.save_path = dir.path() / "save";
    auto const start = Clock::now();
    auto added = (*engine)->add(std::move(request));
    EXPECT_LT(seconds_since(start), 5.0);  // unbounded: 20 s
    ASSERT_TRUE(added) << added.error();
    EXPECT_EQ((*engine)->trackers(added.value()).size(), TorrentBounds::max_trackers);
    bool warned = false;
    for (auto const& event : (*engine)->poll(0ms)) {
        if (auto const* w = std::get_if<event::Warning>(&event)) {
            warned = warned || w->message.find("of 100000 distinct trackers") != std::string::npos;
        }
    }
    EXPECT_TRUE(warned);
    (*engine)->shutdown();
}

}  // namespace
}  // namespace lanetorrent
