// What a user hands us to download: a .torrent file or a magnet link. Loading validates it fully
// and turns every problem into one readable sentence, so a corrupt file never reaches the session.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <libtorrent/add_torrent_params.hpp>

#include "base/result.hpp"
#include "engine/torrent_id.hpp"

namespace lanetorrent {

bool looks_like_magnet(std::string_view text);

// What a torrent may hold, at most. Anything past these is someone's mistake or an attack, and
// libtorrent pays for it on the thread that adds the torrent (it looks for duplicate trackers one
// by one: 100,000 trackers took 20 s in session_handle::add_torrent, 400,000 over 10 minutes).
struct TorrentBounds {
    // Public tracker lists that users paste run to ~150 URLs; every tracker is announced to.
    static constexpr std::size_t max_trackers = 200;
    // Each web seed is an HTTP server libtorrent may keep connections to.
    static constexpr std::size_t max_web_seeds = 64;
    // Peers and DHT nodes a magnet link (x.pe) or resume data hands over: libtorrent's own
    // peer-list size (max_peerlist_size), so resume data, which never holds more, loses none.
    static constexpr std::size_t max_peers = 3000;
    // Files: the largest real torrents (data sets, archives) hold a few hundred thousand; the
    // decode-token limit below caps a .torrent at about this many anyway (~6 tokens per file).
    static constexpr int max_files = 500'000;
    // libtorrent's load_torrent_limits, set here so that they do not change under us: the
    // largest .torrent read (64 MiB, above libtorrent's 10 MB default so that big v2 torrents
    // load), pieces (libtorrent's default), nesting depth and bencode tokens (its defaults).
    static constexpr std::size_t max_file_bytes = 64 * 1024 * 1024;
    static constexpr int max_pieces = 0x200000;
    static constexpr int max_decode_depth = 100;
    static constexpr int max_decode_tokens = 3'000'000;
};

// Sentences saying what loading dropped to keep a torrent within TorrentBounds, e.g. "kept the
// first 200 of 400000 trackers".
using LoadWarnings = std::vector<std::string>;

// Drops duplicate and empty trackers and web seeds, and everything past TorrentBounds, keeping
// the first ones; says what it dropped in `warnings`. Every loader below does this, and
// Engine::add does it again for parameters that come from elsewhere (resume data).
void bound_torrent_lists(lt::add_torrent_params& params, LoadWarnings& warnings);

// Parses a magnet URI (BEP 9): it must carry a v1 (btih) or v2 (btmh) info-hash.
Result<lt::add_torrent_params> parse_magnet(std::string_view uri, LoadWarnings* warnings = nullptr);

// Loads and validates a .torrent file; refuses files over 64 MiB (the largest sane metadata).
Result<lt::add_torrent_params> load_torrent_file(std::string const& path,
                                                 LoadWarnings* warnings = nullptr);
// The same for .torrent bytes already in memory (dropped, downloaded); `origin` names them in
// errors.
Result<lt::add_torrent_params> load_torrent_bytes(std::span<char const> bytes,
                                                  std::string const& origin,
                                                  LoadWarnings* warnings = nullptr);

// Either of the above, chosen by the text's shape.
Result<lt::add_torrent_params> load_torrent_source(std::string const& file_or_magnet,
                                                   LoadWarnings* warnings = nullptr);

struct FileEntry {
    std::string path;
    std::int64_t size = 0;
    bool pad = false;  // BEP 47 padding: not real content
};

// What `info` prints and the GUI's add dialog shows. Every string is valid UTF-8 (invalid
// sequences replaced by U+FFFD), so it can go into JSON or a QString as it is; control
// characters are left in: a terminal or a label escapes them (printable_text()).
struct TorrentDescription {
    TorrentId id;
    std::string name;
    std::string info_hash_v1;   // 40 hex digits, empty if the torrent is v2-only
    std::string info_hash_v2;   // 64 hex digits, empty if the torrent is v1-only
    bool has_metadata = false;  // false for a magnet link
    std::int64_t total_size = 0;
    int piece_size = 0;
    int num_pieces = 0;
    bool is_private = false;
    std::string comment;
    std::string creator;
    std::vector<FileEntry> files;
    std::vector<std::string> trackers;
    std::vector<std::string> web_seeds;
};

TorrentDescription describe(lt::add_torrent_params const& params);

}  // namespace lanetorrent
