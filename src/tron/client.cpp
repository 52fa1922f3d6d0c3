#include "tron/client.hpp"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
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

std::string wire(Hash32 const& hash) {
    return {hash.begin(), hash.end()};
}

// The PEM in `file`, at most 1 MiB (a CA bundle is ~200 KiB).
Result<std::string> read_pem(std::string const& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Error{"cannot read " + file + ": " + std::strerror(errno)};
    std::string pem(1 << 20, '\0');
    in.read(pem.data(), static_cast<std::streamsize>(pem.size()));
    pem.resize(static_cast<std::size_t>(in.gcount()));
    if (in.peek() != std::char_traits<char>::eof()) return Error{file + " is larger than 1 MiB"};
    if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
        return Error{file + " holds no PEM certificate"};
    }
    return pem;
}

// gRPC trusts either its default roots or the roots it is given: to trust a CA file *besides*
// the system's, hand it both.
std::string system_roots() {
    for (char const* bundle : {"/etc/ssl/certs/ca-certificates.crt",
                               "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"}) {
        std::ifstream in(bundle, std::ios::binary);
        if (in) return std::string(std::istreambuf_iterator<char>(in), {});
    }
    return {};
}

}  // namespace

TronClient::TronClient(NodeConfig config) : config_(std::move(config)) {
    std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
    if (config_.tls) {
        grpc::SslCredentialsOptions options;
        if (!config_.ca_file.empty()) {
            if (auto pem = read_pem(config_.ca_file)) {
                options.pem_root_certs = *pem + "\n" + system_roots();
            } else {
                setup_error_ = NodeError{Kind::other, "--ca-file: " + pem.error()};
            }
        }
        credentials = grpc::SslCredentials(options);
    }
    // gRPC waits 1 s after a failed connection before it tries again, then 1.6 s, 2.6 s, ... up
    // to 120 s, and fails every call in between at once: a client that asked a node which was
    // still starting heard nothing for 5 s (measured), and our own retries never reached the
    // node. Reconnecting after 100 ms, at most every 2 s, costs one refused SYN now and then.
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    arguments.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
    wallet_channel_ = grpc::CreateCustomChannel(config_.wallet_address, credentials, arguments);
    solidity_channel_ = grpc::CreateCustomChannel(config_.solidity_address, credentials, arguments);
    wallet_ = protocol::Wallet::NewStub(wallet_channel_);
    solidity_ = protocol::WalletSolidity::NewStub(solidity_channel_);
}

void TronClient::pause(grpc::Channel& channel, std::chrono::milliseconds backoff) {
    // Sleeps, but polls the channel meanwhile. A connection gRPC opens in the background (after
    // its reconnect backoff) is only noticed while some thread polls, and a call that fails fast
    // does not: a node that came up while the channel was failing was answered only by gRPC's
    // backup poller, every 5 s (measured: 5-10 s). Returns early once the channel is ready.
    auto const until = std::chrono::system_clock::now() + backoff;
    auto state = channel.GetState(true);
    if (state == GRPC_CHANNEL_READY) {
        // Connected, but slow or busy: a plain backoff.
        std::this_thread::sleep_until(until);
        return;
    }
    while (state != GRPC_CHANNEL_READY && channel.WaitForStateChange(state, until)) {
        state = channel.GetState(true);
    }
}

template <class Call>
grpc::Status TronClient::call_with_retries(grpc::Channel& channel, Call&& call) {
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
            pause(channel, backoff);
            backoff *= 2;
        }
    }
    return status;
}

NodeResult<std::optional<Balances>> TronClient::balances(Address const& address) {
    if (setup_error_) return *setup_error_;
    protocol::Account request;
    request.set_address(address.wire());
    protocol::Account account;
    auto const status = call_with_retries(*wallet_channel_, [&](grpc::ClientContext& context) {
        return wallet_->GetAccount(&context, request, &account);
    });
    if (!status.ok()) return transport_error(status, config_.wallet_address);
    return decode_account(account, address, config_.wallet_address);
}

NodeResult<BlockReference> TronClient::head_block() {
    if (setup_error_) return *setup_error_;
    protocol::BlockExtention block;
    auto const status = call_with_retries(*wallet_channel_, [&](grpc::ClientContext& context) {
        return wallet_->GetNowBlock2(&context, protocol::EmptyMessage{}, &block);
    });
    if (!status.ok()) return transport_error(status, config_.wallet_address);
    return decode_block(block, config_.wallet_address);
}

NodeResult<BlockReference> TronClient::solid_head_block() {
    if (setup_error_) return *setup_error_;
    protocol::BlockExtention block;
    auto const status = call_with_retries(*solidity_channel_, [&](grpc::ClientContext& context) {
        return solidity_->GetNowBlock2(&context, protocol::EmptyMessage{}, &block);
    });
    if (!status.ok()) return transport_error(status, config_.solidity_address);
    return decode_block(block, config_.solidity_address);
}

NodeResult<AssetInfo> TronClient::asset(std::string const& id) {
    if (setup_error_) return *setup_error_;
    protocol::BytesMessage request;
    request.set_value(id);
    protocol::AssetIssueContract contract;
    auto const status = call_with_retries(*wallet_channel_, [&](grpc::ClientContext& context) {
        return wallet_->GetAssetIssueById(&context, request, &contract);
    });
    if (!status.ok()) return transport_error(status, config_.wallet_address);
    return decode_asset(contract, id, config_.wallet_address);
}

NodeResult<std::map<std::string, std::int64_t>> TronClient::chain_parameters() {
    if (setup_error_) return *setup_error_;
    protocol::ChainParameters parameters;
    auto const status = call_with_retries(*wallet_channel_, [&](grpc::ClientContext& context) {
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
    if (setup_error_) return *setup_error_;
    auto backoff = config_.first_backoff;
    for (int attempt = 1;; ++attempt) {
        protocol::Return ret;
        auto const status = call_with_retries(*wallet_channel_, [&](grpc::ClientContext& context) {
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
    if (setup_error_) return *setup_error_;
    protocol::BytesMessage request;
    request.set_value(wire(txid));
    protocol::TransactionInfo info;
    auto const status = call_with_retries(
        solidified ? *solidity_channel_ : *wallet_channel_, [&](grpc::ClientContext& context) {
            return solidified ? solidity_->GetTransactionInfoById(&context, request, &info)
                              : wallet_->GetTransactionInfoById(&context, request, &info);
        });
    auto const& target = solidified ? config_.solidity_address : config_.wallet_address;
    if (!status.ok()) return transport_error(status, target);
    return decode_transaction_info(info, txid, target);
}

}  // namespace lanetorrent::tron
