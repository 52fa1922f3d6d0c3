// A session plugin that makes libtorrent remember which peers are seeds before it drops a
// connection between two seeds.
//
// libtorrent closes such a connection as soon as the peer's extension handshake says
// "upload_only", which arrives just before its bitfield. The peer list then never learns that
// the peer is a seed, and a finished torrent dials it again every `min_reconnect_time`, each
// dial answered by a connection closed at once. With 1,000 seeding torrents and three peers
// that was hundreds of connections a second and 5-17 % of a core per idle process
// (docs/soak.md). Holding the close until the bitfield (or have-all) has been read lets
// libtorrent mark the peer as a seed, and it never dials a seed from a finished torrent.
#pragma once

#include <memory>

#include <libtorrent/error_code.hpp>
#include <libtorrent/extensions.hpp>

namespace lanetorrent {

std::shared_ptr<lt::plugin> make_seed_marking_plugin();

// Whether libtorrent closes (or closed) a connection because neither side wants anything from
// the other.
bool closed_as_redundant(lt::error_code const& why);

}  // namespace lanetorrent
