// Makes a .torrent from a file or directory on disk.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "engine/torrent_id.hpp"

namespace lanetorrent {

enum class TorrentFormat {
    // Default: Debian 12's other clients (Transmission 3.00, aria2 1.36) only understand v1.
    v1,
    hybrid,
    v2,
};

struct CreateOptions {
    std::filesystem::path content;      // file or directory to share
    std::vector<std::string> trackers;  // one tier each, in order
    std::vector<std::string> web_seeds;
    int piece_size_kib = 0;  // 0: libtorrent picks one for the size
    bool is_private = false;
    std::string comment;
    TorrentFormat format = TorrentFormat::v1;
};

struct CreatedTorrent {
    TorrentId id;
    std::vector<char> bytes;  // the bencoded .torrent
};

Result<CreatedTorrent> create_torrent(CreateOptions const& options);

}  // namespace lanetorrent
