// TronClient: the wallet's view of a Tron full node (java-tron, or lanetorrent-devnet) over gRPC.
//
// Every call has a deadline. Transient failures (node unreachable, deadline exceeded, SERVER_BUSY)
// are retried with exponential backoff; broadcasting is retried too, because re-broadcasting the
// same signed transaction is safe (the node answers DUP_TRANSACTION_ERROR, which we report as
// "already known"). java-tron answers "not found" with status OK and an empty message; that
// becomes std::nullopt here, never an empty object that looks real.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "api/api.grpc.pb.h"
#include "engine/result.hpp"
#include "tron/address.hpp"
#include "tron/bytes.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::tron {

struct NodeConfig {
    std::string wallet_address = "127.0.0.1:50051";    // protocol.Wallet (host:port)
    std::string solidity_address = "127.0.0.1:50061";  // protocol.WalletSolidity
    bool tls = false;     // TronGrid serves plaintext; third-party providers use TLS
    std::string api_key;  // sent as TRON-PRO-API-KEY when set
    std::chrono::milliseconds deadline{5000};
    int attempts = 3;  // per call, for transient failures
    std::chrono::milliseconds first_backoff{200};
};

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

enum class BroadcastOutcome { accepted, already_known };

class TronClient {
  public:
    explicit TronClient(NodeConfig config);

    // nullopt: the account does not exist (not activated) on the node.
    NodeResult<std::optional<Balances>> balances(Address const& address);
    NodeResult<BlockReference> head_block();
    NodeResult<BlockReference> solid_head_block();
    NodeResult<AssetInfo> asset(std::string const& id);
    NodeResult<std::map<std::string, std::int64_t>> chain_parameters();

    NodeResult<BroadcastOutcome> broadcast(protocol::Transaction const& transaction);
    // nullopt: not (yet) in a block, or on the solidity node: not yet solidified.
    NodeResult<std::optional<TransactionStatus>> transaction_status(Hash32 const& txid,
                                                                    bool solidified);

    NodeConfig const& config() const { return config_; }

  private:
    template <class Call>
    grpc::Status call_with_retries(Call&& call);

    NodeConfig config_;
    std::unique_ptr<protocol::Wallet::Stub> wallet_;
    std::unique_ptr<protocol::WalletSolidity::Stub> solidity_;
};

// Maps a protocol.Return to NodeError (the node's message included), or nullopt for SUCCESS.
std::optional<NodeError> error_of(protocol::Return const& ret);

}  // namespace lanetorrent::tron
