// The wallet core shared by the CLI and the app: signing TRX and TRC-10 transfers, the record of
// sent transfers in the profile, plain-words node errors, and a real send tracked to solidified on
// an in-process devnet.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "core/contract/balance_contract.pb.h"
#include "devnet_fixture.hpp"
#include "net.hpp"
#include "temp_dir.hpp"
#include "tron/clock.hpp"
#include "tron/node_error_text.hpp"
#include "wallet/balances.hpp"
#include "wallet/node_probe.hpp"
#include "wallet/send.hpp"
#include "wallet/sent_store.hpp"
#include "wallet/tracking.hpp"
#include "wallet/transfer.hpp"

namespace lanetorrent::wallet {
namespace {

using devnet::test::key;
using namespace std::chrono_literals;

tron::BlockReference some_block() {
    tron::BlockReference ref;
    ref.number = 0x1234;
    ref.timestamp_ms = 1'700'000'000'000;
    for (std::size_t i = 0; i < ref.id.size(); ++i) ref.id[i] = std::uint8_t(i);
    return ref;
}

TEST(WalletTransfer, TrxTransferIsATransferContractSignedByTheOwner) {
    auto const to = key(2).address();
    auto const signed_transfer =
        sign_transfer(key(1), {to, trx_asset, 2'500'000}, some_block(), 1'700'000'000'500);
    auto const& raw = signed_transfer.transaction.raw_data();
    ASSERT_EQ(raw.contract_size(), 1);
    EXPECT_EQ(raw.contract(0).type(), protocol::Transaction_Contract_ContractType_TransferContract);
    EXPECT_EQ(raw.contract(0).parameter().type_url(),
              "type.googleapis.com/protocol.TransferContract");
    protocol::TransferContract contract;
    ASSERT_TRUE(contract.ParseFromString(raw.contract(0).parameter().value()));
    EXPECT_EQ(contract.owner_address(), key(1).address().wire());
    EXPECT_EQ(contract.to_address(), to.wire());
    EXPECT_EQ(contract.amount(), 2'500'000);
    EXPECT_EQ(raw.expiration(), 1'700'000'000'000 + 60'000);
    EXPECT_EQ(raw.ref_block_bytes(), std::string("\x12\x34", 2));
    // Not a TRC-10 transfer: a verifier of lane payments must not take it for one.
    EXPECT_FALSE(tron::asset_transfer_of(signed_transfer.transaction).ok());

    EXPECT_EQ(signed_transfer.txid, tron::transaction_id(signed_transfer.transaction));
    auto const& signature = signed_transfer.transaction.signature(0);
    auto signer = tron::recover_signer(
        signed_transfer.txid,
        {reinterpret_cast<std::uint8_t const*>(signature.data()), signature.size()});
    ASSERT_TRUE(signer.ok()) << signer.error();
    EXPECT_EQ(signer.value(), key(1).address());
    EXPECT_EQ(signed_transfer.signature_hex().size(), 130u);
}

TEST(WalletTransfer, TokenTransferIsTheTrc10Builder) {
    auto const signed_transfer =
        sign_transfer(key(1), {key(2).address(), "1002000", 7}, some_block(), 1'700'000'000'500);
    auto contract = tron::asset_transfer_of(signed_transfer.transaction);
    ASSERT_TRUE(contract.ok()) << contract.error();
    EXPECT_EQ(contract->asset_name(), "1002000");
    EXPECT_EQ(contract->amount(), 7);
    EXPECT_EQ(signed_transfer.from, key(1).address());
}

TEST(WalletSentStore, SavesListsAndSkipsDamagedFiles) {
    test::TempDir dir("sent-store");
    SentStore store(dir.path() / "sent");
    EXPECT_TRUE(store.list().empty());
    auto const later = sign_transfer(key(1), {key(2).address(), "1002000", 5}, some_block(), 2'000);
    auto const earlier =
        sign_transfer(key(1), {key(3).address(), trx_asset, 9}, some_block(), 1'000);
    ASSERT_TRUE(store.save(later).ok());
    ASSERT_TRUE(store.save(earlier).ok());
    std::ofstream(store.dir() / "garbage.json") << "{not json";
    std::ofstream(store.dir() / (std::string(64, 'a') + ".json")) << "[1,2]";

    auto const records = store.list();
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[0].txid, earlier.txid_hex());
    EXPECT_EQ(records[0].asset, "TRX");
    EXPECT_EQ(records[0].to, key(3).address().base58());
    EXPECT_EQ(records[0].amount, 9);
    EXPECT_EQ(records[0].time_ms, 1'000);
    EXPECT_EQ(records[1].txid, later.txid_hex());
    EXPECT_EQ(records[1].transaction_hex, later.transaction_hex());
    EXPECT_EQ(records[1].expiration_ms, later.expiration_ms());
}

TEST(WalletNodeErrors, RefusedConnectionInPlainWords) {
    auto const ip = test::unique_loopback_ip();
    tron::NodeConfig node;
    node.wallet_address = ip + ":" + std::to_string(test::free_port(ip));
    node.solidity_address = node.wallet_address;
    node.attempts = 1;
    tron::TronClient client(node);
    auto head = client.head_block();
    ASSERT_FALSE(head.ok());
    EXPECT_EQ(tron::plain_node_error(head.failure(), node),
              "cannot reach the Tron node at " + node.wallet_address + " (connection refused)");
    auto probe = probe_node(node);
    ASSERT_FALSE(probe.ok());
    EXPECT_EQ(probe.error(), tron::plain_node_error(head.failure(), node));
    EXPECT_EQ(tron::plain_node_error({tron::NodeError::Kind::timeout, "x"}, node),
              "the Tron node at " + node.wallet_address + " did not answer within 5 s");
}

class WalletOnDevnet : public devnet::test::DevnetTest {
  protected:
    tron::NodeConfig node() const {
        tron::NodeConfig config;
        config.wallet_address = endpoints_.wallet;
        config.solidity_address = endpoints_.solidity;
        return config;
    }
    void SetUp() override {
        DevnetTest::SetUp();
        // A fresh chain has only its genesis block, which is no reference to sign against.
        auto const deadline = std::chrono::steady_clock::now() + 10s;
        while (!probe_node(node()).ok() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(50ms);
        }
    }
    test::TempDir profile_{"wallet-send"};
};

TEST_F(WalletOnDevnet, SendRecordsBroadcastsAndTracksToSolidified) {
    tron::TronClient client(node());
    auto probe = probe_node(node());
    ASSERT_TRUE(probe.ok()) << probe.error();

    auto const to = key(4).address();
    auto transfer = prepare_transfer(client, key(1), {to, "1002000", 42'000});
    ASSERT_TRUE(transfer.ok()) << transfer.error();
    SentStore store(profile_.path() / "sent");
    ASSERT_TRUE(record_and_broadcast(client, store, transfer.value()).ok());
    ASSERT_EQ(store.list().size(), 1u);
    // Re-broadcasting the recorded bytes is the same payment, not a second one.
    ASSERT_TRUE(record_and_broadcast(client, store, transfer.value()).ok());

    auto progress = wait_for_transfer(client, transfer->txid, transfer->expiration_ms(),
                                      TransferState::solidified, 50ms);
    ASSERT_TRUE(progress.ok()) << progress.error();
    EXPECT_EQ(progress->state, TransferState::solidified);
    EXPECT_GT(progress->block, 0);
    auto checked = check_transfer(client, transfer->txid, transfer->expiration_ms());
    ASSERT_TRUE(checked.ok());
    EXPECT_EQ(checked->state, TransferState::solidified);

    auto balances = fetch_balances(client, to, "1002000");
    ASSERT_TRUE(balances.ok());
    EXPECT_TRUE(balances->exists);
    EXPECT_EQ(balances->asset_units, 42'000);
    auto sender = fetch_balances(client, key(1).address(), "1002000");
    ASSERT_TRUE(sender.ok());
    EXPECT_EQ(sender->asset_units, 1'000'000'000 - 42'000);
    auto nobody = fetch_balances(client, key(5).address(), "1002000");
    ASSERT_TRUE(nobody.ok());
    EXPECT_FALSE(nobody->exists);

    // An unknown asset is refused before anything is signed or recorded.
    auto unknown = prepare_transfer(client, key(1), {to, "1999999", 1});
    EXPECT_FALSE(unknown.ok());
}

TEST_F(WalletOnDevnet, UnbroadcastTransferExpires) {
    tron::TronClient client(node());
    auto head = client.head_block();
    ASSERT_TRUE(head.ok());
    // Expired long ago and never broadcast: the node has never seen it.
    head->timestamp_ms = tron::now_ms() - 120'000;
    auto const transfer =
        sign_transfer(key(1), {key(2).address(), "1002000", 1}, head.value(), tron::now_ms());
    auto checked = check_transfer(client, transfer.txid, transfer.expiration_ms());
    ASSERT_TRUE(checked.ok());
    EXPECT_EQ(checked->state, TransferState::expired);
    auto waited = wait_for_transfer(client, transfer.txid, transfer.expiration_ms(),
                                    TransferState::confirmed, 10ms);
    ASSERT_TRUE(waited.ok());
    EXPECT_EQ(waited->state, TransferState::expired);
}

}  // namespace
}  // namespace lanetorrent::wallet
