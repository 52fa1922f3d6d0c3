// Every BroadcastTransaction rejection the wallet must handle, provoked over gRPC, with
// java-tron's codes and messages.
#include "devnet/wire.hpp"
#include "devnet_fixture.hpp"
#include "tron/clock.hpp"

namespace lanetorrent::devnet::test {
namespace {

using namespace std::chrono_literals;

TEST_F(DevnetTest, RejectsASignatureByAnotherKey) {
    auto const transaction =
        signed_transfer(key(2), key(1).address(), key(2).address(), 1, clients_->head());
    auto const result = clients_->broadcast(transaction);
    EXPECT_FALSE(result.result());
    EXPECT_EQ(result.code(), protocol::Return::SIGERROR);
    EXPECT_TRUE(result.message().starts_with("Validate signature error: ")) << result.message();
}

TEST_F(DevnetTest, RejectsATamperedTransaction) {
    auto transaction =
        signed_transfer(key(1), key(1).address(), key(2).address(), 1, clients_->head());
    // Changing the signed bytes changes the txid the node recomputes, so the signature no longer
    // recovers to the owner.
    transaction.mutable_raw_data()->set_timestamp(transaction.raw_data().timestamp() + 1);
    EXPECT_EQ(clients_->broadcast(transaction).code(), protocol::Return::SIGERROR);

    auto unsigned_transaction = transaction;
    unsigned_transaction.clear_signature();
    EXPECT_EQ(clients_->broadcast(unsigned_transaction).code(), protocol::Return::SIGERROR);
}

TEST_F(DevnetTest, RejectsAnUnknownReferenceBlock) {
    auto ref = clients_->head();
    ref.id[10] ^= 0xff;
    auto const result =
        clients_->broadcast(signed_transfer(key(1), key(1).address(), key(2).address(), 1, ref));
    EXPECT_EQ(result.code(), protocol::Return::TAPOS_ERROR);
    EXPECT_EQ(result.message(), "Tapos check error.");
}

TEST_F(DevnetTest, RejectsExpiredAndTooDistantExpirations) {
    auto const head = clients_->head();
    auto const expired = clients_->broadcast(
        signed_transfer(key(1), key(1).address(), key(2).address(), 1, head, -1000));
    EXPECT_EQ(expired.code(), protocol::Return::TRANSACTION_EXPIRATION_ERROR);
    EXPECT_EQ(expired.message(), "Transaction expired");

    auto const distant = clients_->broadcast(
        signed_transfer(key(1), key(1).address(), key(2).address(), 1, head, 25LL * 3600 * 1000));
    EXPECT_EQ(distant.code(), protocol::Return::TRANSACTION_EXPIRATION_ERROR);
}

TEST_F(DevnetTest, RebroadcastIsADuplicateBeforeAndAfterConfirmation) {
    auto const transaction =
        signed_transfer(key(1), key(1).address(), key(2).address(), 5, clients_->head());
    ASSERT_TRUE(clients_->broadcast(transaction).result());
    auto const pending = clients_->broadcast(transaction);
    EXPECT_EQ(pending.code(), protocol::Return::DUP_TRANSACTION_ERROR);
    EXPECT_EQ(pending.message(), "Dup transaction.");

    ASSERT_TRUE(clients_->wait_for_info(txid_of(transaction), false, 5s));
    EXPECT_EQ(clients_->broadcast(transaction).code(), protocol::Return::DUP_TRANSACTION_ERROR);
    // Applied exactly once.
    EXPECT_EQ(clients_->btt(key(2).address()), 1'000'000'005);
}

TEST_F(DevnetTest, RejectsInsufficientAssetBalance) {
    auto const result = clients_->broadcast(signed_transfer(
        key(1), key(1).address(), key(2).address(), 1'000'000'001, clients_->head()));
    EXPECT_EQ(result.code(), protocol::Return::CONTRACT_VALIDATE_ERROR);
    EXPECT_EQ(result.message(), "Contract validate error : assetBalance is not sufficient.");
}

TEST_F(DevnetTest, RejectsAnUnknownOwner) {
    auto const stranger = key(5);
    auto const result = clients_->broadcast(
        signed_transfer(stranger, stranger.address(), key(1).address(), 1, clients_->head()));
    EXPECT_EQ(result.code(), protocol::Return::CONTRACT_VALIDATE_ERROR);
    EXPECT_EQ(result.message(), "Contract validate error : account [" +
                                    stranger.address().base58() + "] does not exist");
}

TEST_F(DevnetTest, RejectsATransferToSelf) {
    auto const result = clients_->broadcast(
        signed_transfer(key(1), key(1).address(), key(1).address(), 1, clients_->head()));
    EXPECT_EQ(result.code(), protocol::Return::CONTRACT_VALIDATE_ERROR);
    EXPECT_EQ(result.message(), "Contract validate error : Cannot transfer asset to yourself.");
}

TEST_F(DevnetTest, FreeBandwidthRunsOutWithoutTrx) {
    // key(2) holds BTT but no TRX: two ~281-byte transfers fit in the 600-byte daily allowance,
    // the third needs a TRX burn it cannot pay.
    auto const owner = key(2).address();
    auto const to = key(1).address();
    for (int i = 1; i <= 2; ++i) {
        auto const result =
            clients_->broadcast(signed_transfer(key(2), owner, to, i, clients_->head()));
        ASSERT_TRUE(result.result()) << i << ": " << result.message();
    }
    auto const third = clients_->broadcast(signed_transfer(key(2), owner, to, 3, clients_->head()));
    EXPECT_EQ(third.code(), protocol::Return::BANDWITH_ERROR);
    EXPECT_EQ(third.message(), "Account resource insufficient error.");

    grpc::ClientContext context;
    protocol::Account request;
    request.set_address(owner.wire());
    protocol::AccountNetMessage net;
    ASSERT_TRUE(clients_->wallet->GetAccountNet(&context, request, &net).ok());
    EXPECT_EQ(net.freenetlimit(), 600);
    EXPECT_GT(net.freenetused(), 500);
    EXPECT_LE(net.freenetused(), 600);
}

TEST_F(DevnetTest, BurnsTrxOnceFreeBandwidthIsUsed) {
    auto const owner = key(1).address();
    auto const to = key(2).address();
    std::string last;
    for (int i = 1; i <= 3; ++i) {
        auto const transaction = signed_transfer(key(1), owner, to, i, clients_->head());
        ASSERT_TRUE(clients_->broadcast(transaction).result());
        last = txid_of(transaction);
    }
    auto const info = clients_->wait_for_info(last, false, 5s);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->receipt().net_usage(), 0);
    EXPECT_GT(info->receipt().net_fee(), 250 * 1000);
    EXPECT_EQ(info->fee(), info->receipt().net_fee());
    EXPECT_EQ(clients_->account(owner).balance(), 100 * kTrx - info->fee());
}

}  // namespace
}  // namespace lanetorrent::devnet::test

namespace lanetorrent::devnet::test {
namespace {

TEST_F(DevnetTest, RejectsATransactionWithoutContract) {
    protocol::Transaction empty;
    empty.mutable_raw_data()->set_expiration(clients_->head().timestamp_ms + 60'000);
    auto const result = clients_->broadcast(empty);
    EXPECT_EQ(result.code(), protocol::Return::CONTRACT_VALIDATE_ERROR);
    EXPECT_EQ(result.message(), "Contract validate error : No contract!");
}

TEST_F(DevnetTest, ChargesTheMemoFee) {
    auto const now = clients_->head();
    auto transaction =
        tron::build_asset_transfer({key(1).address(), key(2).address(), "1002000", 1}, now, 0);
    transaction.mutable_raw_data()->set_data("thanks for the seed");
    tron::sign_transaction(transaction, key(1));
    ASSERT_TRUE(clients_->broadcast(transaction).result());
    auto const info = clients_->wait_for_info(txid_of(transaction), false, std::chrono::seconds(5));
    ASSERT_TRUE(info);
    // The first transfer fits in the free bandwidth, so the fee is the memo fee alone.
    EXPECT_EQ(info->receipt().net_fee(), 0);
    EXPECT_EQ(info->fee(), 1'000'000);
}

}  // namespace
}  // namespace lanetorrent::devnet::test

// java-tron's permission and signature-weight checks (TransactionCapsule.validatePubSignature,
// checkPermission, checkWeight), each provoked over gRPC and compared with java-tron's text.
namespace lanetorrent::devnet::test {
namespace {

// A transfer by `owner` naming permission `permission_id`, signed by each of `signers` in turn.
protocol::Transaction transfer_signed_by(std::vector<tron::PrivateKey> const& signers,
                                         tron::Address const& owner, int permission_id,
                                         tron::BlockReference const& ref) {
    auto transaction = tron::build_asset_transfer({owner, key(2).address(), "1002000", 1}, ref,
                                                  tron::now_ms(), 60'000);
    transaction.mutable_raw_data()->mutable_contract(0)->set_permission_id(permission_id);
    for (auto const& signer : signers) tron::sign_transaction(transaction, signer);
    return transaction;
}

void expect_sigerror(protocol::Return const& result, std::string const& reason) {
    EXPECT_FALSE(result.result());
    EXPECT_EQ(result.code(), protocol::Return::SIGERROR);
    EXPECT_EQ(result.message(), "Validate signature error: " + reason);
}

TEST_F(DevnetTest, RejectsTheSameKeySigningTwice) {
    // The default owner permission holds one key, so java-tron stops at the count of signatures.
    auto const result = clients_->broadcast(
        transfer_signed_by({key(1), key(1)}, key(1).address(), 0, clients_->head()));
    expect_sigerror(result, "Signature count is 2 more than key counts of permission : 1");
}

TEST_F(DevnetTest, RejectsAnUnknownPermissionId) {
    expect_sigerror(
        clients_->broadcast(transfer_signed_by({key(1)}, key(1).address(), 9, clients_->head())),
        "permission isn't exit");
    // Permission 1 is the witness permission, which only a witness holds.
    expect_sigerror(
        clients_->broadcast(transfer_signed_by({key(1)}, key(1).address(), 1, clients_->head())),
        "permission isn't exit");
    // An owner without an account has the default owner (0) and active (2) permissions only.
    expect_sigerror(
        clients_->broadcast(transfer_signed_by({key(5)}, key(5).address(), 3, clients_->head())),
        "permission isn't exit");
}

TEST_F(DevnetTest, AcceptsTheDefaultActivePermission) {
    // Every account has the active permission 2 (its own key, threshold 1), and it allows
    // TransferAssetContract.
    auto const transaction = transfer_signed_by({key(1)}, key(1).address(), 2, clients_->head());
    auto const result = clients_->broadcast(transaction);
    EXPECT_TRUE(result.result()) << result.message();
    EXPECT_EQ(clients_->account(key(1).address()).active_permission(0).id(), 2);
}

TEST_F(DevnetTest, RejectsTooManySignatures) {
    auto const result = clients_->broadcast(transfer_signed_by(
        {key(1), key(2), key(3), key(4), key(5), key(6)}, key(1).address(), 0, clients_->head()));
    expect_sigerror(result, "too many signatures");
}

TEST_F(DevnetTest, RejectsAShortSignature) {
    auto transaction = transfer_signed_by({key(1)}, key(1).address(), 0, clients_->head());
    transaction.mutable_signature(0)->resize(64);
    expect_sigerror(clients_->broadcast(transaction), "Signature size is 64");
}

TEST_F(DevnetTest, RejectsTwoContractsInOneTransaction) {
    auto transaction = transfer_signed_by({}, key(1).address(), 0, clients_->head());
    *transaction.mutable_raw_data()->add_contract() = transaction.raw_data().contract(0);
    tron::sign_transaction(transaction, key(1));
    auto const result = clients_->broadcast(transaction);
    EXPECT_EQ(result.code(), protocol::Return::CONTRACT_VALIDATE_ERROR);
    EXPECT_EQ(result.message(), "Contract validate error : tx " +
                                    tron::to_hex(tron::transaction_id(transaction)) +
                                    " contract size should be exactly 1, this is extend feature "
                                    ",actual :2");
}

// key(6) has a 2-of-2 active permission 3 with key(7); key(8) is a witness.
class DevnetPermissionsTest : public DevnetTest {
  protected:
    void SetUp() override {
        DevnetTest::SetUp();
        auto config = config_;
        config.data_dir = dir_.path() / "permissions";
        GenesisAccount multisig{key(6).address().wire(), 100 * kTrx, 1'000'000};
        multisig.active_permissions.push_back(
            {3, "pair", 2, {{key(6).address().wire(), 1}, {key(7).address().wire(), 1}}});
        GenesisAccount witness{key(8).address().wire(), 100 * kTrx, 1'000'000};
        witness.witness = true;
        config.genesis.accounts.push_back(multisig);
        config.genesis.accounts.push_back(witness);
        restart(config);
    }
};

TEST_F(DevnetPermissionsTest, RejectsAKeyThatSignsTwice) {
    auto const result = clients_->broadcast(
        transfer_signed_by({key(6), key(6)}, key(6).address(), 3, clients_->head()));
    expect_sigerror(result, key(6).address().base58() + " has signed twice!");
}

TEST_F(DevnetPermissionsTest, RejectsWeightBelowTheThreshold) {
    expect_sigerror(
        clients_->broadcast(transfer_signed_by({key(6)}, key(6).address(), 3, clients_->head())),
        "sig error");
    auto const both = transfer_signed_by({key(6), key(7)}, key(6).address(), 3, clients_->head());
    auto const result = clients_->broadcast(both);
    EXPECT_TRUE(result.result()) << result.message();
    ASSERT_TRUE(clients_->wait_for_info(txid_of(both), false, std::chrono::seconds(5)));
    // A custom active permission replaces the default one.
    expect_sigerror(
        clients_->broadcast(transfer_signed_by({key(6)}, key(6).address(), 2, clients_->head())),
        "permission isn't exit");
}

TEST_F(DevnetPermissionsTest, RejectsMoreSignaturesThanThePermissionHasKeys) {
    auto const result = clients_->broadcast(
        transfer_signed_by({key(6), key(7), key(1)}, key(6).address(), 3, clients_->head()));
    expect_sigerror(result, "Signature count is 3 more than key counts of permission : 2");
}

TEST_F(DevnetPermissionsTest, RejectsTheWitnessPermissionForATransfer) {
    expect_sigerror(
        clients_->broadcast(transfer_signed_by({key(8)}, key(8).address(), 1, clients_->head())),
        "Permission type is error");
    auto const account = clients_->account(key(8).address());
    EXPECT_EQ(account.witness_permission().type(), protocol::Permission::Witness);
    // The witness's owner permission still signs.
    EXPECT_TRUE(
        clients_->broadcast(transfer_signed_by({key(8)}, key(8).address(), 0, clients_->head()))
            .result());
}

TEST_F(DevnetPermissionsTest, RejectsAKeyOutsideThePermission) {
    auto const transaction =
        transfer_signed_by({key(6), key(1)}, key(6).address(), 3, clients_->head());
    expect_sigerror(clients_->broadcast(transaction),
                    tron::to_hex(as_span(transaction.signature(1))) + " is signed by " +
                        key(1).address().base58() + " but it is not contained of permission.");
}

}  // namespace
}  // namespace lanetorrent::devnet::test
