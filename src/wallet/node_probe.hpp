// "Test connection" for the node settings: asks the full node and the solidity node for their
// head blocks, so a wrong port, a TLS mismatch or a bad API key shows up before the first payment.
#pragma once

#include <string>

#include "base/result.hpp"
#include "tron/client.hpp"

namespace lanetorrent::wallet {

// One try per call (a person is waiting); on success a sentence with both block heights.
Result<std::string> probe_node(tron::NodeConfig node);

}  // namespace lanetorrent::wallet
