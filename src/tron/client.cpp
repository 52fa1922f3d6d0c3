#include "tron/client.hpp"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <thread>

namespace lanetorrent::tron {

namespace {

using Kind = NodeError::Kind;

bool transient(grpc::Status const& status) {
    return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
           status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED ||
           status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED;
}

NodeError transport_error(grpc::Status const& status, std::string const& target) {
    if (status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
        return {Kind::timeout, "the Tron node at " + target + " did not answer in time"};
    }
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        return {Kind::unreachable,
                "cannot reach the Tron node at " + target + ": " + status.error_message()};
    }
    return {Kind::bad_reply, "the Tron node at " + target +
                                 " failed the call: " + status.error_message() + " (gRPC code " +
                                 std::to_string(status.error_code()) + ")"};
}

// A block reference straight from the node is checked before a transaction is built on it: the
// id must embed the block number, as every Tron block id does.
NodeResult<BlockReference> reference_of(protocol::BlockExtention const& block,
                                        std::string const& target) {
    auto const& id = block.blockid();
    auto const number = block.block_header().raw_data().number();
    if (id.size() != 32 || number <= 0) {
        return NodeError{Kind::bad_reply,
                         "the Tron node at " + target + " sent no usable head block"};
    }
    BlockReference ref;
    std::copy(id.begin(), id.end(), ref.id.begin());
    std::int64_t embedded = 0;
    for (int i = 0; i < 8; ++i) embedded = (embedded << 8) | ref.id[i];
    if (embedded != number) {
        return NodeError{Kind::bad_reply, "the Tron node at " + target +
                                              " sent a block id that does not match its number"};
    }
    ref.number = number;
    ref.timestamp_ms = block.block_header().raw_data().timestamp();
    return ref;
}

std::string wire(Hash32 const& hash) {
    return {hash.begin(), hash.end()};
}

}  // namespace

char const* to_string(NodeError::Kind kind) {
    switch (kind) {
        case Kind::unreachable:
            return "unreachable";
        case Kind::timeout:
            return "timeout";
        case Kind::bad_reply:
            return "bad_reply";
        case Kind::not_found:
            return "not_found";
        case Kind::signature:
            return "signature";
        case Kind::contract_validate:
            return "contract_validate";
        case Kind::contract_execute:
            return "contract_execute";
        case Kind::bandwidth:
            return "bandwidth";
        case Kind::duplicate:
            return "duplicate";
        case Kind::tapos:
            return "tapos";
        case Kind::too_big:
            return "too_big";
        case Kind::expired:
            return "expired";
        case Kind::server_busy:
            return "server_busy";
        case Kind::no_connection:
            return "no_connection";
        case Kind::unsolidified:
            return "unsolidified";
        case Kind::other:
            return "other";
    }
    return "other";
}

std::optional<NodeError> error_of(protocol::Return const& ret) {
    using Code = protocol::Return;
    if (ret.code() == Code::SUCCESS) return std::nullopt;
    Kind kind = Kind::other;
    switch (ret.code()) {
        case Code::SIGERROR:
            kind = Kind::signature;
            break;
        case Code::CONTRACT_VALIDATE_ERROR:
            kind = Kind::contract_validate;
            break;
        case Code::CONTRACT_EXE_ERROR:
            kind = Kind::contract_execute;
            break;
        case Code::BANDWITH_ERROR:
            kind = Kind::bandwidth;
            break;
        case Code::DUP_TRANSACTION_ERROR:
            kind = Kind::duplicate;
            break;
        case Code::TAPOS_ERROR:
            kind = Kind::tapos;
            break;
        case Code::TOO_BIG_TRANSACTION_ERROR:
            kind = Kind::too_big;
            break;
        case Code::TRANSACTION_EXPIRATION_ERROR:
            kind = Kind::expired;
            break;
        case Code::SERVER_BUSY:
            kind = Kind::server_busy;
            break;
        case Code::NO_CONNECTION:
        case Code::NOT_ENOUGH_EFFECTIVE_CONNECTION:
            kind = Kind::no_connection;
            break;
        case Code::BLOCK_UNSOLIDIFIED:
            kind = Kind::unsolidified;
            break;
        default:
            break;
    }
    auto const message = ret.message().empty() ? std::string("no message") : ret.message();
    return NodeError{kind, "the Tron node refused the transaction (" +
                               std::string(Code::response_code_Name(ret.code())) + "): " + message};
}

TronClient::TronClient(NodeConfig config) : config_(std::move(config)) {
    auto const credentials = config_.tls ? grpc::SslCredentials(grpc::SslCredentialsOptions{})
                                         : grpc::InsecureChannelCredentials();
    wallet_ = protocol::Wallet::NewStub(grpc::CreateChannel(config_.wallet_address, credentials));
    solidity_ = protocol::WalletSolidity::NewStub(
        grpc::CreateChannel(config_.solidity_address, credentials));
}

template <class Call>
grpc::Status TronClient::call_with_retries(Call&& call) {
    auto backoff = config_.first_backoff;
    grpc::Status status;
    for (int attempt = 1; attempt <= std::max(1, config_.attempts); ++attempt) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + config_.deadline);
        // gRPC metadata keys are lowercase on the wire (HTTP/2); TronGrid matches them without
        // regard to case, as HTTP headers are.
        if (!config_.api_key.empty()) context.AddMetadata("tron-pro-api-key", config_.api_key);
        status = call(context);
        if (status.ok() || !transient(status)) return status;
        if (attempt < config_.attempts) {
            std::this_thread::sleep_for(backoff);
            backoff *= 2;
        }
    }
    return status;
}

NodeResult<std::optional<Balances>> TronClient::balances(Address const& address) {
    protocol::Account request;
    request.set_address(address.wire());
    protocol::Account account;
    auto const status = call_with_retries([&](grpc::ClientContext& context) {
        return wallet_->GetAccount(&context, request, &account);
    });
    if (!status.ok()) return transport_error(status, config_.wallet_address);
    if (account.address().empty()) return std::optional<Balances>{};
    if (account.address() != address.wire()) {
        return NodeError{Kind::bad_reply, "the Tron node at " + config_.wallet_address +
                                              " answered for a different account"};
    }
    Balances balances;
    balances.trx_sun = account.balance();
    for (auto const& [id, amount] : account.assetv2()) balances.assets[id] = amount;
    return std::optional<Balances>(balances);
}

NodeResult<BlockReference> TronClient::head_block() {
    protocol::BlockExtention block;
    auto const status = call_with_retries([&](grpc::ClientContext& context) {
        return wallet_->GetNowBlock2(&context, protocol::EmptyMessage{}, &block);
    });
    if (!status.ok()) return transport_error(status, config_.wallet_address);
    return reference_of(block, config_.wallet_address);
}

NodeResult<BlockReference> TronClient::solid_head_block() {
    protocol::BlockExtention block;
    auto const status = call_with_retries([&](grpc::ClientContext& context) {
        return solidity_->GetNowBlock2(&context, protocol::EmptyMessage{}, &block);
    });
    if (!status.ok()) return transport_error(status, config_.solidity_address);
    return reference_of(block, config_.solidity_address);
}

NodeResult<AssetInfo> TronClient::asset(std::string const& id) {
    protocol::BytesMessage request;
    request.set_value(id);
    protocol::AssetIssueContract contract;
    auto const status = call_with_retries([&](grpc::ClientContext& context) {
        return wallet_->GetAssetIssueById(&context, request, &contract);
    });
    if (!status.ok()) return transport_error(status, config_.wallet_address);
    if (contract.id().empty()) {
        return NodeError{Kind::not_found, "the Tron node knows no TRC-10 asset with id " + id};
    }
    if (contract.id() != id || contract.precision() < 0 || contract.precision() > 6) {
        return NodeError{Kind::bad_reply, "the Tron node at " + config_.wallet_address +
                                              " described asset " + id + " inconsistently"};
    }
    return AssetInfo{contract.id(), contract.name(), contract.abbr(), contract.precision()};
}

NodeResult<std::map<std::string, std::int64_t>> TronClient::chain_parameters() {
    protocol::ChainParameters parameters;
    auto const status = call_with_retries([&](grpc::ClientContext& context) {
        return wallet_->GetChainParameters(&context, protocol::EmptyMessage{}, &parameters);
    });
    if (!status.ok()) return transport_error(status, config_.wallet_address);
    std::map<std::string, std::int64_t> out;
    for (auto const& parameter : parameters.chainparameter()) {
        out[parameter.key()] = parameter.value();
    }
    return out;
}

NodeResult<BroadcastOutcome> TronClient::broadcast(protocol::Transaction const& transaction) {
    auto backoff = config_.first_backoff;
    for (int attempt = 1;; ++attempt) {
        protocol::Return ret;
        auto const status = call_with_retries([&](grpc::ClientContext& context) {
            return wallet_->BroadcastTransaction(&context, transaction, &ret);
        });
        if (!status.ok()) return transport_error(status, config_.wallet_address);
        auto const error = error_of(ret);
        if (!error) return BroadcastOutcome::accepted;
        // Our own earlier attempt may have reached the node before its answer was lost.
        if (error->kind == Kind::duplicate) return BroadcastOutcome::already_known;
        if (error->kind != Kind::server_busy || attempt >= config_.attempts) return *error;
        std::this_thread::sleep_for(backoff);
        backoff *= 2;
    }
}

NodeResult<std::optional<TransactionStatus>> TronClient::transaction_status(Hash32 const& txid,
                                                                            bool solidified) {
    protocol::BytesMessage request;
    request.set_value(wire(txid));
    protocol::TransactionInfo info;
    auto const status = call_with_retries([&](grpc::ClientContext& context) {
        return solidified ? solidity_->GetTransactionInfoById(&context, request, &info)
                          : wallet_->GetTransactionInfoById(&context, request, &info);
    });
    auto const& target = solidified ? config_.solidity_address : config_.wallet_address;
    if (!status.ok()) return transport_error(status, target);
    if (info.id().empty()) return std::optional<TransactionStatus>{};
    if (info.id() != wire(txid) || info.blocknumber() <= 0) {
        return NodeError{Kind::bad_reply,
                         "the Tron node at " + target + " answered for a different transaction"};
    }
    TransactionStatus result;
    result.in_block = true;
    result.block_number = info.blocknumber();
    result.fee_sun = info.fee();
    result.failed = info.result() == protocol::TransactionInfo::FAILED;
    return std::optional<TransactionStatus>(result);
}

}  // namespace lanetorrent::tron
