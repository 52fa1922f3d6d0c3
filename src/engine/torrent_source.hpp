// What a user hands us to download: a .torrent file or a magnet link. Loading validates it fully
// and turns every problem into one readable sentence, so a corrupt file never reaches the session.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <libtorrent/add_torrent_params.hpp>

#include "engine/result.hpp"
#include "engine/torrent_id.hpp"

namespace lanetorrent {

bool looks_like_magnet(std::string_view text);

// Parses a magnet URI (BEP 9): it must carry a v1 (btih) or v2 (btmh) info-hash.
Result<lt::add_torrent_params> parse_magnet(std::string_view uri);

// Loads and validates a .torrent file; refuses files over 64 MiB (the largest sane metadata).
Result<lt::add_torrent_params> load_torrent_file(std::string const& path);
// The same for .torrent bytes already in memory (dropped, downloaded); `origin` names them in
// errors.
Result<lt::add_torrent_params> load_torrent_bytes(std::span<char const> bytes,
                                                  std::string const& origin);

// Either of the above, chosen by the text's shape.
Result<lt::add_torrent_params> load_torrent_source(std::string const& file_or_magnet);

struct FileEntry {
    std::string path;
    std::int64_t size = 0;
    bool pad = false;  // BEP 47 padding: not real content
};

// What `info` prints and the GUI's add dialog shows.
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
