// What the chain says about settlements, asked on the chain worker's thread (they block on
// gRPC); LaneService hands the answers to the core.
#pragma once

#include "lanes/core_types.hpp"
#include "tron/client.hpp"

namespace lanetorrent::lanes {

// (Re-)broadcasts an open settlement and asks where it stands: in a block, solid, failed, or
// expired without a block.
ChainAnswer ask_chain(tron::TronClient& client, SettlementRecord const& record);
// Broadcasts a settlement a payer handed over. True only if the node refused it for good (a
// verdict on the transaction itself) and it is in no block.
bool refused_for_good(tron::TronClient& client, protocol::Transaction const& tx);

}  // namespace lanetorrent::lanes
