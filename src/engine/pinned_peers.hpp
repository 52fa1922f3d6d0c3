// The peers one torrent was told to keep dialling (`--peer`, the GUI's "add peer"): peers no
// tracker names. libtorrent forgets a peer after a few failed dials, so the engine dials a pinned
// peer again whenever it has no connection to it: every round (a few seconds) while the torrent
// downloads, less and less often once it is complete.
//
// It learns about connections from libtorrent's alerts instead of asking for each torrent's peer
// list every round, and it leaves alone a peer it parted from because both sides had every piece.
// With 1,000 complete torrents, that polling and those dials (each one also marks the torrent as
// changed, so it is reported and its resume data saved again) kept every idle process at 5-17 %
// of a core (docs/soak.md).
#pragma once

#include <chrono>
#include <vector>

#include <libtorrent/address.hpp>
#include <libtorrent/error_code.hpp>
#include <libtorrent/socket.hpp>

namespace lanetorrent {

class PinnedPeers {
  public:
    using Clock = std::chrono::steady_clock;
    // The waits between dials of a complete torrent: the first, doubled after each dial, and the
    // longest.
    static constexpr std::chrono::seconds first_backoff{3};
    static constexpr std::chrono::seconds max_backoff{600};

    void add(lt::tcp::endpoint const& peer);
    bool empty() const { return pins_.empty(); }

    // Any connection with the peer's address counts, in either direction: a peer that dials us
    // comes from another port than the one it listens on.
    void on_connected(lt::address const& address);
    // `why` is libtorrent's reason, for a connection or for a dial that failed.
    void on_disconnected(lt::address const& address, lt::error_code const& why);
    // Whether the torrent has everything it wants. When it wants data again (a file was
    // selected, a recheck found pieces missing) every pin is dialled at once and every round.
    void set_complete(bool complete);

    // The peers to dial now; each one's next dial is scheduled.
    std::vector<lt::tcp::endpoint> due(Clock::time_point now);
    // Whether any pin is believed connected; the count rests on alerts, and libtorrent posts no
    // disconnect alert for a few kinds of close, so such a torrent is recounted now and then.
    bool any_connected() const;
    // Replaces the counts with the addresses of the torrent's live connections.
    void recount(std::vector<lt::address> const& connected);

  private:
    struct Pin {
        lt::tcp::endpoint endpoint;
        int connections = 0;
        bool parted_as_seeds = false;
        Clock::duration backoff{};
        Clock::time_point next_dial{};
    };
    std::vector<Pin> pins_;
    bool complete_ = false;
};

}  // namespace lanetorrent
