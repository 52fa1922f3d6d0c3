// The gRPC faces of the chain: protocol.Wallet (full node, port 50051) and protocol.WalletSolidity
// (solidified data only, port 50061), with java-tron's method names and reply shapes.
#pragma once

#include "api/api.grpc.pb.h"
#include "devnet/chain.hpp"

namespace lanetorrent::devnet {

class WalletService final : public protocol::Wallet::Service {
  public:
    explicit WalletService(Chain& chain) : chain_(chain) {}

    grpc::Status GetAccount(grpc::ServerContext*, protocol::Account const* request,
                            protocol::Account* reply) override;
    grpc::Status GetAccountNet(grpc::ServerContext*, protocol::Account const* request,
                               protocol::AccountNetMessage* reply) override;
    grpc::Status GetNowBlock2(grpc::ServerContext*, protocol::EmptyMessage const* request,
                              protocol::BlockExtention* reply) override;
    grpc::Status GetBlockByNum2(grpc::ServerContext*, protocol::NumberMessage const* request,
                                protocol::BlockExtention* reply) override;
    grpc::Status TransferAsset2(grpc::ServerContext*,
                                protocol::TransferAssetContract const* request,
                                protocol::TransactionExtention* reply) override;
    grpc::Status BroadcastTransaction(grpc::ServerContext*, protocol::Transaction const* request,
                                      protocol::Return* reply) override;
    grpc::Status GetTransactionById(grpc::ServerContext*, protocol::BytesMessage const* request,
                                    protocol::Transaction* reply) override;
    grpc::Status GetTransactionInfoById(grpc::ServerContext*, protocol::BytesMessage const* request,
                                        protocol::TransactionInfo* reply) override;
    grpc::Status GetAssetIssueById(grpc::ServerContext*, protocol::BytesMessage const* request,
                                   protocol::AssetIssueContract* reply) override;
    grpc::Status GetChainParameters(grpc::ServerContext*, protocol::EmptyMessage const* request,
                                    protocol::ChainParameters* reply) override;

  private:
    Chain& chain_;
};

class SolidityService final : public protocol::WalletSolidity::Service {
  public:
    explicit SolidityService(Chain& chain) : chain_(chain) {}

    grpc::Status GetAccount(grpc::ServerContext*, protocol::Account const* request,
                            protocol::Account* reply) override;
    grpc::Status GetNowBlock2(grpc::ServerContext*, protocol::EmptyMessage const* request,
                              protocol::BlockExtention* reply) override;
    grpc::Status GetBlockByNum2(grpc::ServerContext*, protocol::NumberMessage const* request,
                                protocol::BlockExtention* reply) override;
    grpc::Status GetTransactionById(grpc::ServerContext*, protocol::BytesMessage const* request,
                                    protocol::Transaction* reply) override;
    grpc::Status GetTransactionInfoById(grpc::ServerContext*, protocol::BytesMessage const* request,
                                        protocol::TransactionInfo* reply) override;
    grpc::Status GetAssetIssueById(grpc::ServerContext*, protocol::BytesMessage const* request,
                                   protocol::AssetIssueContract* reply) override;

  private:
    Chain& chain_;
};

}  // namespace lanetorrent::devnet
