// What a Tron node answers, decoded and checked. A node may be buggy, out of sync or hostile, so
// every reply is checked for what must hold (the account or transaction asked for, a block id
// that embeds its number, a sane precision) before anything is built on it. Kept apart from the
// gRPC calls so that the decoding can be fuzzed (tests/fuzz/node_reply_fuzz.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "api/api.pb.h"
#include "base/result.hpp"
#include "core/Tron.pb.h"
#include "core/contract/asset_issue_contract.pb.h"
#include "tron/address.hpp"
#include "tron/bytes.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::tron {

// Why a call failed. Node codes mirror protocol.Return.response_code; the rest are ours.
struct NodeError {
    enum class Kind {
        unreachable,  // transport failure after every attempt
        timeout,      // deadline exceeded after every attempt
        bad_reply,    // the node answered something that cannot be right
        not_found,    // the node does not know the thing asked for
        signature,    // SIGERROR
        contract_validate,
        contract_execute,
        bandwidth,  // BANDWITH_ERROR: not enough bandwidth or TRX to burn
        duplicate,  // DUP_TRANSACTION_ERROR
        tapos,
        too_big,
        expired,
        server_busy,
        no_connection,
        unsolidified,
        other,
    };
    Kind kind = Kind::other;
    std::string message;  // one sentence, including the node's own message
};

char const* to_string(NodeError::Kind kind);

template <class T>
using NodeResult = Result<T, NodeError>;

struct AssetInfo {
    std::string id;
    std::string name;
    std::string abbr;
    int precision = 0;
};

struct Balances {
    std::int64_t trx_sun = 0;
    std::map<std::string, std::int64_t> assets;  // token id -> base units (assetV2)
};

struct TransactionStatus {
    bool in_block = false;
    std::int64_t block_number = 0;
    std::int64_t fee_sun = 0;
    bool failed = false;  // TransactionInfo.result == FAILED
};

// Maps a protocol.Return to NodeError (the node's message included), or nullopt for SUCCESS.
std::optional<NodeError> error_of(protocol::Return const& ret);

// The decoders name `node` (host:port) in their errors.
// GetAccount: nullopt for an account the node does not know (not activated).
NodeResult<std::optional<Balances>> decode_account(protocol::Account const& account,
                                                   Address const& asked, std::string const& node);
// GetNowBlock2: the reference a transaction is built on.
NodeResult<BlockReference> decode_block(protocol::BlockExtention const& block,
                                        std::string const& node);
// GetAssetIssueById.
NodeResult<AssetInfo> decode_asset(protocol::AssetIssueContract const& contract,
                                   std::string const& id, std::string const& node);
// GetTransactionInfoById: nullopt while the transaction is in no block (or not solidified).
NodeResult<std::optional<TransactionStatus>> decode_transaction_info(
    protocol::TransactionInfo const& info, Hash32 const& txid, std::string const& node);

}  // namespace lanetorrent::tron
