#include "engine/handshake_bounds.hpp"

#include <gtest/gtest.h>

namespace lanetorrent {
namespace {

TEST(HandshakeBoundsTest, RealClientsPass) {
    // qBittorrent 4.5 / libtorrent 2.0 send about 200 bytes with a name of 17.
    EXPECT_TRUE(extended_handshake_acceptable(200, 17));
    EXPECT_TRUE(extended_handshake_acceptable(200, 0));  // no name at all
    EXPECT_TRUE(
        extended_handshake_acceptable(max_extended_handshake_bytes, max_peer_client_name_bytes));
}

TEST(HandshakeBoundsTest, LongNameOrHugeHandshakeIsRefused) {
    EXPECT_FALSE(extended_handshake_acceptable(400, max_peer_client_name_bytes + 1));
    EXPECT_FALSE(extended_handshake_acceptable(max_extended_handshake_bytes + 1, 10));
    // The flood of issue 13: a name of 1 MiB, the most libtorrent hands over.
    EXPECT_FALSE(extended_handshake_acceptable(1024 * 1024 - 2, 1024 * 1024 - 20));
}

}  // namespace
}  // namespace lanetorrent
