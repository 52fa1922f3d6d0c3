#include "devnet/services.hpp"

#include <chrono>

#include "tron/clock.hpp"

namespace lanetorrent::devnet {
namespace {

using tron::now_ms;

// A broken database is the node's fault, not the caller's: INTERNAL, never a fake empty answer.
template <class F>
grpc::Status guarded(F&& f) {
    try {
        f();
        return grpc::Status::OK;
    } catch (std::exception const& e) {
        return {grpc::StatusCode::INTERNAL, e.what()};
    }
}

}  // namespace

grpc::Status WalletService::GetAccount(grpc::ServerContext*, protocol::Account const* request,
                                       protocol::Account* reply) {
    return guarded([&] { *reply = chain_.account(request->address(), false); });
}

grpc::Status WalletService::GetAccountNet(grpc::ServerContext*, protocol::Account const* request,
                                          protocol::AccountNetMessage* reply) {
    return guarded([&] { *reply = chain_.account_net(request->address()); });
}

grpc::Status WalletService::GetNowBlock2(grpc::ServerContext*, protocol::EmptyMessage const*,
                                         protocol::BlockExtention* reply) {
    return guarded([&] { *reply = chain_.now_block(false); });
}

grpc::Status WalletService::GetBlockByNum2(grpc::ServerContext*,
                                           protocol::NumberMessage const* request,
                                           protocol::BlockExtention* reply) {
    return guarded([&] { *reply = chain_.block(request->num(), false); });
}

grpc::Status WalletService::TransferAsset2(grpc::ServerContext*,
                                           protocol::TransferAssetContract const* request,
                                           protocol::TransactionExtention* reply) {
    return guarded([&] { *reply = chain_.transfer_asset(*request, now_ms()); });
}

grpc::Status WalletService::BroadcastTransaction(grpc::ServerContext*,
                                                 protocol::Transaction const* request,
                                                 protocol::Return* reply) {
    try {
        *reply = chain_.broadcast(*request);
    } catch (std::exception const& e) {
        reply->set_result(false);
        reply->set_code(protocol::Return::OTHER_ERROR);
        reply->set_message(std::string("Error: ") + e.what());
    }
    return grpc::Status::OK;
}

grpc::Status WalletService::GetTransactionById(grpc::ServerContext*,
                                               protocol::BytesMessage const* request,
                                               protocol::Transaction* reply) {
    return guarded([&] { *reply = chain_.transaction(request->value(), false); });
}

grpc::Status WalletService::GetTransactionInfoById(grpc::ServerContext*,
                                                   protocol::BytesMessage const* request,
                                                   protocol::TransactionInfo* reply) {
    return guarded([&] { *reply = chain_.transaction_info(request->value(), false); });
}

grpc::Status WalletService::GetAssetIssueById(grpc::ServerContext*,
                                              protocol::BytesMessage const* request,
                                              protocol::AssetIssueContract* reply) {
    return guarded([&] { *reply = chain_.asset(request->value()); });
}

grpc::Status WalletService::GetChainParameters(grpc::ServerContext*, protocol::EmptyMessage const*,
                                               protocol::ChainParameters* reply) {
    return guarded([&] { *reply = chain_.chain_parameters(); });
}

grpc::Status SolidityService::GetAccount(grpc::ServerContext*, protocol::Account const* request,
                                         protocol::Account* reply) {
    return guarded([&] { *reply = chain_.account(request->address(), true); });
}

grpc::Status SolidityService::GetNowBlock2(grpc::ServerContext*, protocol::EmptyMessage const*,
                                           protocol::BlockExtention* reply) {
    return guarded([&] { *reply = chain_.now_block(true); });
}

grpc::Status SolidityService::GetBlockByNum2(grpc::ServerContext*,
                                             protocol::NumberMessage const* request,
                                             protocol::BlockExtention* reply) {
    return guarded([&] { *reply = chain_.block(request->num(), true); });
}

grpc::Status SolidityService::GetTransactionById(grpc::ServerContext*,
                                                 protocol::BytesMessage const* request,
                                                 protocol::Transaction* reply) {
    return guarded([&] { *reply = chain_.transaction(request->value(), true); });
}

grpc::Status SolidityService::GetTransactionInfoById(grpc::ServerContext*,
                                                     protocol::BytesMessage const* request,
                                                     protocol::TransactionInfo* reply) {
    return guarded([&] { *reply = chain_.transaction_info(request->value(), true); });
}

grpc::Status SolidityService::GetAssetIssueById(grpc::ServerContext*,
                                                protocol::BytesMessage const* request,
                                                protocol::AssetIssueContract* reply) {
    return guarded([&] { *reply = chain_.asset(request->value()); });
}

}  // namespace lanetorrent::devnet
