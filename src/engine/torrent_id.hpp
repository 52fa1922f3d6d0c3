// How the engine names a torrent: the hex of its v1 info-hash, or of its v2 info-hash for v2-only
// torrents. Chosen once when the torrent is added and never changed, even when metadata later
// reveals a hybrid torrent's v2 hash, so resume files and events keep one stable name.
#pragma once

#include <string>

#include <libtorrent/info_hash.hpp>

namespace lanetorrent {

using TorrentId = std::string;

// Lowercase hex of any byte sequence (digests, raw ids).
template <class Bytes>
std::string to_hex(Bytes const& bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (auto const byte : bytes) {
        out += digits[static_cast<unsigned char>(byte) >> 4];
        out += digits[static_cast<unsigned char>(byte) & 0xf];
    }
    return out;
}

inline TorrentId torrent_id_of(lt::info_hash_t const& hashes) {
    return hashes.has_v1() ? to_hex(hashes.v1) : to_hex(hashes.v2);
}

}  // namespace lanetorrent
