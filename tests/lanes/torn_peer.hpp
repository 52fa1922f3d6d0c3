// A peer that hangs up in the middle of every message: it opens a raw TCP connection from its own
// loopback address, writes the first `cut` bytes of a BitTorrent conversation (handshake, BEP 10
// extended handshake announcing ln_lanes, an extended message, a block request) and closes, half
// the time with a TCP reset. Whatever the cut, the seller must free what the connection held.
#pragma once

#include <cstddef>
#include <string>

#include "engine/endpoint.hpp"

namespace lanetorrent::lanes::test {

class TornPeer {
  public:
    // `info_hash` is the torrent's 20-byte v1 hash.
    TornPeer(std::string ip, std::string const& info_hash);

    std::size_t conversation_size() const { return conversation_.size(); }
    // One connection cut after `cut` bytes; false if the seller could not be reached at all.
    bool connect_and_cut(Endpoint const& seller, std::size_t cut, bool reset);

  private:
    std::string ip_;
    std::string conversation_;
};

// Anonymous memory of this process (RssAnon), in KiB: what leaks grow. File pages a download maps
// are left out, as they are the page cache, not the client's memory.
long rss_anon_kib();

}  // namespace lanetorrent::lanes::test
