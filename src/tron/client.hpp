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

#include <grpcpp/channel.h>

#include "api/api.grpc.pb.h"
#include "base/result.hpp"
#include "tron/address.hpp"
#include "tron/bytes.hpp"
#include "tron/node_reply.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::tron {

struct NodeConfig {
    std::string wallet_address = "127.0.0.1:50051";    // protocol.Wallet (host:port)
    std::string solidity_address = "127.0.0.1:50061";  // protocol.WalletSolidity
    bool tls = false;  // TronGrid serves plaintext; third-party providers use TLS
    // With tls: a PEM file of CAs trusted besides the system's (a private node's own CA).
    std::string ca_file;
    std::string api_key;  // sent as TRON-PRO-API-KEY when set
    std::chrono::milliseconds deadline{5000};
    int attempts = 3;  // per call, for transient failures
    std::chrono::milliseconds first_backoff{200};
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
    grpc::Status call_with_retries(grpc::Channel& channel, Call&& call);
    static void pause(grpc::Channel& channel, std::chrono::milliseconds backoff);

    NodeConfig config_;
    // Set when the client cannot be used as configured (an unreadable --ca-file); every call
    // answers it.
    std::optional<NodeError> setup_error_;
    std::shared_ptr<grpc::Channel> wallet_channel_;
    std::shared_ptr<grpc::Channel> solidity_channel_;
    std::unique_ptr<protocol::Wallet::Stub> wallet_;
    std::unique_ptr<protocol::WalletSolidity::Stub> solidity_;
};

}  // namespace lanetorrent::tron
