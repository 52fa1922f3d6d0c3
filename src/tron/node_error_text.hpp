// A node failure as one plain sentence for a person: "cannot reach the Tron node at
// 127.0.0.1:50051 (connection refused)" rather than gRPC's "failed to connect to all addresses;
// last error: UNKNOWN: ipv4:...".
#pragma once

#include <string>

#include "tron/client.hpp"

namespace lanetorrent::tron {

std::string plain_node_error(NodeError const& error, NodeConfig const& node);

}  // namespace lanetorrent::tron
