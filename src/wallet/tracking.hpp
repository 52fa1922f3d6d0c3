// Where a sent transfer stands on the chain. Broadcast success only means "entered the pool": a
// transfer is confirmed once it is in a block, solidified once that block is irreversible, and
// dropped (expired) if no block took it before its expiration plus a few blocks.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "tron/client.hpp"

namespace lanetorrent::wallet {

enum class TransferState { pending, confirmed, solidified, failed, expired };
char const* to_string(TransferState state);

struct TransferProgress {
    TransferState state = TransferState::pending;
    std::int64_t block = 0;
    std::int64_t fee_sun = 0;
};

// The margin past expiration after which an unconfirmed transfer counts as dropped.
inline constexpr std::int64_t expiry_grace_ms = 10'000;

// One look at the node (solidity node first, then the full node).
tron::NodeResult<TransferProgress> check_transfer(tron::TronClient& client,
                                                  tron::Hash32 const& txid,
                                                  std::int64_t expiration_ms);

// Polls until the transfer reaches `target` (confirmed or solidified), fails on chain or expires.
tron::NodeResult<TransferProgress> wait_for_transfer(
    tron::TronClient& client, tron::Hash32 const& txid, std::int64_t expiration_ms,
    TransferState target, std::chrono::milliseconds poll = std::chrono::milliseconds(500));

// The 32 bytes of a 64-digit hex txid, or an error.
Result<tron::Hash32> parse_txid(std::string const& hex);

}  // namespace lanetorrent::wallet
