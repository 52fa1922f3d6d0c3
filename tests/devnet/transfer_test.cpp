// The happy path over real gRPC: a transfer enters the pool, is confirmed in a block, and then
// shows up on WalletSolidity once solidified; queries answer the way java-tron's do.
#include "devnet_fixture.hpp"

namespace lanetorrent::devnet::test {
namespace {

using namespace std::chrono_literals;

TEST_F(DevnetTest, TransferToNewAccountConfirmsThenSolidifies) {
    auto const owner = key(1).address();
    auto const to = key(3).address();
    auto const transaction = signed_transfer(key(1), owner, to, 250'000, clients_->head());
    auto const result = clients_->broadcast(transaction);
    ASSERT_TRUE(result.result()) << result.message();
    EXPECT_EQ(result.code(), protocol::Return::SUCCESS);

    auto const txid = txid_of(transaction);
    auto const info = clients_->wait_for_info(txid, false, 5s);
    ASSERT_TRUE(info);
    EXPECT_GT(info->blocknumber(), 0);
    EXPECT_EQ(info->id(), txid);
    // A new recipient: 0.1 TRX account-creation bandwidth + 1 TRX system-contract fee.
    EXPECT_EQ(info->fee(), 1'100'000);
    EXPECT_EQ(info->receipt().net_fee(), 100'000);

    EXPECT_EQ(clients_->btt(owner), 1'000'000'000 - 250'000);
    EXPECT_EQ(clients_->btt(to), 250'000);
    EXPECT_EQ(clients_->account(owner).balance(), 100 * kTrx - 1'100'000);
    EXPECT_EQ(clients_->account(to).balance(), 0);

    auto const solid = clients_->wait_for_info(txid, true, 5s);
    ASSERT_TRUE(solid);
    EXPECT_EQ(solid->blocknumber(), info->blocknumber());
    auto const solid_to = clients_->solid_account(to);
    EXPECT_EQ(solid_to.address(), to.wire());
    EXPECT_EQ(solid_to.assetv2().at("1002000"), 250'000);

    // Transaction ids are the same on both services and the block lists the transaction once.
    grpc::ClientContext context;
    protocol::NumberMessage number;
    number.set_num(info->blocknumber());
    protocol::BlockExtention block;
    ASSERT_TRUE(clients_->solidity->GetBlockByNum2(&context, number, &block).ok());
    ASSERT_EQ(block.transactions_size(), 1);
    EXPECT_EQ(block.transactions(0).txid(), txid);
    EXPECT_EQ(block.block_header().raw_data().number(), info->blocknumber());
    // Block id rule: 8-byte big-endian number, then the header hash.
    EXPECT_EQ(block.blockid(), block_id(block.block_header().raw_data()));
}

TEST_F(DevnetTest, SolidityLagsBehindHead) {
    auto config = config_;
    config.solidify_after = 1000;
    restart(config);
    auto const transaction =
        signed_transfer(key(1), key(1).address(), key(2).address(), 1, clients_->head());
    ASSERT_TRUE(clients_->broadcast(transaction).result());
    auto const txid = txid_of(transaction);
    ASSERT_TRUE(clients_->wait_for_info(txid, false, 5s));
    EXPECT_TRUE(clients_->solid_info(txid).id().empty());

    grpc::ClientContext context;
    protocol::BlockExtention solid_head;
    ASSERT_TRUE(
        clients_->solidity->GetNowBlock2(&context, protocol::EmptyMessage(), &solid_head).ok());
    EXPECT_EQ(solid_head.block_header().raw_data().number(), 0);
    // The solidified view of the recipient does not include the unsolidified transfer yet.
    EXPECT_EQ(clients_->solid_account(key(2).address()).assetv2().at("1002000"), 1'000'000'000);
    EXPECT_EQ(clients_->btt(key(2).address()), 1'000'000'001);
}

TEST_F(DevnetTest, TransferAsset2BuildsABroadcastableTransaction) {
    protocol::TransferAssetContract contract;
    contract.set_asset_name("1002000");
    contract.set_owner_address(key(1).address().wire());
    contract.set_to_address(key(2).address().wire());
    contract.set_amount(42);
    grpc::ClientContext context;
    protocol::TransactionExtention built;
    ASSERT_TRUE(clients_->wallet->TransferAsset2(&context, contract, &built).ok());
    ASSERT_TRUE(built.result().result()) << built.result().message();
    EXPECT_EQ(built.txid(), txid_of(built.transaction()));
    auto const head = clients_->head();
    EXPECT_LE(built.transaction().raw_data().expiration(), head.timestamp_ms + 60'000);

    auto transaction = built.transaction();
    tron::sign_transaction(transaction, key(1));
    auto const result = clients_->broadcast(transaction);
    EXPECT_TRUE(result.result()) << result.message();
    ASSERT_TRUE(clients_->wait_for_info(built.txid(), false, 5s));
    EXPECT_EQ(clients_->btt(key(2).address()), 1'000'000'042);
}

TEST_F(DevnetTest, TransferAsset2ReportsValidationErrors) {
    auto build = [&](tron::Address const& to, std::int64_t amount) {
        protocol::TransferAssetContract contract;
        contract.set_asset_name("1002000");
        contract.set_owner_address(key(1).address().wire());
        contract.set_to_address(to.wire());
        contract.set_amount(amount);
        grpc::ClientContext context;
        protocol::TransactionExtention built;
        EXPECT_TRUE(clients_->wallet->TransferAsset2(&context, contract, &built).ok());
        EXPECT_FALSE(built.has_transaction());
        EXPECT_EQ(built.result().code(), protocol::Return::CONTRACT_VALIDATE_ERROR);
        return built.result().message();
    };
    EXPECT_EQ(build(key(1).address(), 1),
              "Contract validate error : Cannot transfer asset to yourself.");
    EXPECT_EQ(build(key(2).address(), 2'000'000'000),
              "Contract validate error : assetBalance is not sufficient.");
    EXPECT_EQ(build(key(2).address(), 0),
              "Contract validate error : Amount must be greater than 0.");
}

TEST_F(DevnetTest, QueriesAnswerLikeJavaTron) {
    grpc::ClientContext asset_context;
    protocol::BytesMessage id;
    id.set_value("1002000");
    protocol::AssetIssueContract asset;
    ASSERT_TRUE(clients_->wallet->GetAssetIssueById(&asset_context, id, &asset).ok());
    EXPECT_EQ(asset.id(), "1002000");
    EXPECT_EQ(asset.name(), "BTT");
    EXPECT_EQ(asset.abbr(), "BTT");
    EXPECT_EQ(asset.precision(), 6);

    grpc::ClientContext parameters_context;
    protocol::ChainParameters parameters;
    ASSERT_TRUE(clients_->wallet
                    ->GetChainParameters(&parameters_context, protocol::EmptyMessage(), &parameters)
                    .ok());
    std::map<std::string, std::int64_t> values;
    for (auto const& p : parameters.chainparameter()) values[p.key()] = p.value();
    EXPECT_EQ(values["getFreeNetLimit"], 600);
    EXPECT_EQ(values["getTransactionFee"], 1000);
    EXPECT_EQ(values["getCreateAccountFee"], 100'000);
    EXPECT_EQ(values["getCreateNewAccountFeeInSystemContract"], 1'000'000);
    EXPECT_EQ(values["getAllowSameTokenName"], 1);
    EXPECT_TRUE(values.contains("getMemoFee"));

    // Not found is OK with an empty message.
    EXPECT_TRUE(clients_->account(key(7).address()).address().empty());
    EXPECT_TRUE(clients_->info(std::string(32, 'x')).id().empty());
    EXPECT_EQ(clients_->account(key(1).address()).balance(), 100 * kTrx);
}

}  // namespace
}  // namespace lanetorrent::devnet::test

namespace lanetorrent::devnet::test {
namespace {

TEST_F(DevnetTest, RestartContinuesTheChainAndItsTaposReferences) {
    auto const before = clients_->head();
    auto const transaction = signed_transfer(key(1), key(1).address(), key(2).address(), 3, before);
    ASSERT_TRUE(clients_->broadcast(transaction).result());
    auto const txid = txid_of(transaction);
    ASSERT_TRUE(clients_->wait_for_info(txid, false, std::chrono::seconds(5)));

    restart(config_);
    auto const after = clients_->head();
    EXPECT_GE(after.number, before.number);
    // A reference taken before the restart is still known.
    auto const later = signed_transfer(key(1), key(1).address(), key(2).address(), 4, before);
    auto const result = clients_->broadcast(later);
    EXPECT_TRUE(result.result()) << result.message();

    grpc::ClientContext context;
    protocol::BytesMessage id;
    id.set_value(txid);
    protocol::Transaction stored;
    ASSERT_TRUE(clients_->wallet->GetTransactionById(&context, id, &stored).ok());
    EXPECT_EQ(txid_of(stored), txid);
    ASSERT_EQ(stored.ret_size(), 1);
    EXPECT_EQ(stored.ret(0).contractret(), protocol::Transaction::Result::SUCCESS);
}

}  // namespace
}  // namespace lanetorrent::devnet::test
