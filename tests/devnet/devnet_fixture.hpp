// Shared by the devnet tests: an in-process devnet on a unique loopback address, real gRPC stubs
// to it, and signed transfers built with the client's own tron helpers.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "api/api.grpc.pb.h"
#include "devnet/node.hpp"
#include "temp_dir.hpp"
#include "tron/keys.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::devnet::test {

inline constexpr std::int64_t kTrx = 1'000'000;  // sun

tron::PrivateKey key(int n);  // 0x00..0n: the well-known vectors, so failures are reproducible

struct Endpoints {
    std::string wallet;
    std::string solidity;
};
Endpoints unique_endpoints();

struct Clients {
    explicit Clients(Endpoints const& endpoints);
    std::unique_ptr<protocol::Wallet::Stub> wallet;
    std::unique_ptr<protocol::WalletSolidity::Stub> solidity;

    tron::BlockReference head();
    protocol::Account account(tron::Address const& address);
    protocol::Account solid_account(tron::Address const& address);
    std::int64_t btt(tron::Address const& address);
    protocol::Return broadcast(protocol::Transaction const& transaction);
    protocol::TransactionInfo info(std::string const& txid);
    protocol::TransactionInfo solid_info(std::string const& txid);
    // Polls until GetTransactionInfoById (on Wallet or WalletSolidity) answers non-empty.
    std::optional<protocol::TransactionInfo> wait_for_info(std::string const& txid, bool solid,
                                                           std::chrono::milliseconds timeout);
};

// A signed TRC-10 transfer of the devnet's BTT referring to `ref`.
protocol::Transaction signed_transfer(tron::PrivateKey const& signer, tron::Address const& owner,
                                      tron::Address const& to, std::int64_t amount,
                                      tron::BlockReference const& ref,
                                      std::int64_t expiration_ms = 60'000);
std::string txid_of(protocol::Transaction const& transaction);

// key(1): 100 TRX and 1 000 BTT; key(2): 0 TRX and 1 000 BTT; key(3) and up: no account.
Config test_config(lanetorrent::test::TempDir const& dir, Endpoints const& endpoints);

class DevnetTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;
    // Restarts the in-process node with different settings before a test uses it.
    void restart(Config const& config);

    lanetorrent::test::TempDir dir_{"devnet-test"};
    Endpoints endpoints_;
    Config config_;
    std::unique_ptr<Node> node_;
    std::unique_ptr<Clients> clients_;
};

}  // namespace lanetorrent::devnet::test
