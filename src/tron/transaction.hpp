// Building, hashing and signing Tron transactions. The txid is SHA-256 of raw_data exactly as the
// node re-serializes it, so raw_data is always encoded canonically (ascending field numbers,
// proto3 defaults omitted), which is what protobuf's C++ serializer does.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.hpp"
#include "core/Tron.pb.h"
#include "core/contract/asset_issue_contract.pb.h"
#include "tron/address.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::tron {

inline constexpr char const* transfer_asset_type_url =
    "type.googleapis.com/protocol.TransferAssetContract";

// The block a transaction refers to (TAPOS) and the clock it expires against.
struct BlockReference {
    std::int64_t number = 0;
    Hash32 id{};                    // 8-byte big-endian number || 24 bytes of the header hash
    std::int64_t timestamp_ms = 0;  // the block's timestamp
};

struct AssetTransfer {
    Address owner;
    Address to;
    std::string asset_id = "1002000";  // TRC-10 token id as ASCII decimal
    std::int64_t amount = 0;           // base units (amount x 10^precision); never floating point
};

// ref_block_bytes = low 16 bits of the number, ref_block_hash = id[8..16), expiration =
// block timestamp + expiration_ms, timestamp = now_ms.
protocol::Transaction build_asset_transfer(AssetTransfer const& transfer, BlockReference const& ref,
                                           std::int64_t now_ms,
                                           std::int64_t expiration_ms = 60'000);

Hash32 transaction_id(protocol::Transaction const& transaction);
// Appends the owner's signature over transaction_id() (v = recovery id).
void sign_transaction(protocol::Transaction& transaction, PrivateKey const& key);

// Reads a TransferAssetContract back out of a transaction (for verifying a payment someone
// handed us): exactly one contract, the right type and type URL.
Result<protocol::TransferAssetContract> asset_transfer_of(protocol::Transaction const& transaction);

}  // namespace lanetorrent::tron
