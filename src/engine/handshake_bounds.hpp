// A session plugin that closes a connection whose BEP 10 extended handshake is absurdly large,
// before libtorrent keeps any of it.
//
// libtorrent 2.0.8 accepts messages of up to 1 MiB. It copies an extended handshake's client
// name (`v`) whole into the connection (peer_info::client), and the 1 MiB receive buffer it grew
// for the message stays allocated while the connection is idle: 100 peers each sending a 1 MiB
// name held 193 MiB of a seller's memory. Real clients send a name of a few dozen bytes and a
// handshake of a few hundred. libtorrent checks for a closed connection after the plugins have
// read the handshake and before it stores the name, so closing it here keeps nothing.
#pragma once

#include <cstddef>
#include <memory>

#include <libtorrent/extensions.hpp>

namespace lanetorrent {

inline constexpr std::size_t max_extended_handshake_bytes = 16 * 1024;
inline constexpr std::size_t max_peer_client_name_bytes = 256;

// Whether a peer whose extended handshake (the bencoded dictionary) is `handshake_bytes` long and
// names its client in `client_name_bytes` may stay connected.
bool extended_handshake_acceptable(std::size_t handshake_bytes, std::size_t client_name_bytes);

std::shared_ptr<lt::plugin> make_handshake_bounds_plugin();

}  // namespace lanetorrent
