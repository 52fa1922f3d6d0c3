// A settlement whose block a fork drops, against a real devnet that drops its newest block on
// request: the chain watch (ask_chain) sees it leave its block, the ledger stops counting it,
// and once broadcast again it is counted again. The rule itself is in core_test.cpp and
// ledger_test.cpp; this is the wiring to a node.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "devnet_fixture.hpp"
#include "lanes/ledger.hpp"
#include "lanes/settlement_chain.hpp"
#include "temp_dir.hpp"
#include "tron/bytes.hpp"
#include "tron/clock.hpp"

namespace lanetorrent::lanes {
namespace {

using namespace std::chrono_literals;
using devnet::test::key;

class ForkedSettlementTest : public devnet::test::DevnetTest {
  protected:
    void SetUp() override {
        DevnetTest::SetUp();
        // Slow blocks that never become solid in the test: the fork can always drop them.
        auto config = config_;
        config.block_interval_ms = 1000;
        config.solidify_after = 1000;
        restart(config);
    }

    tron::NodeConfig node() const {
        tron::NodeConfig config;
        config.wallet_address = endpoints_.wallet;
        config.solidity_address = endpoints_.solidity;
        return config;
    }
    // Asks the chain about the ledger's record until it reaches `status`, moving the ledger along.
    bool follow_until(tron::TronClient& client, std::string const& txid, SettlementStatus status) {
        auto const deadline = std::chrono::steady_clock::now() + 10s;
        while (std::chrono::steady_clock::now() < deadline) {
            auto const record = ledger_->settlement(txid);
            if (record->status == status) return true;
            auto const answer = ask_chain(client, *record);
            if (answer.changed) {
                EXPECT_TRUE(ledger_->set_settlement_status(txid, answer.status, answer.block,
                                                           tron::now_ms()));
            }
            std::this_thread::sleep_for(100ms);
        }
        return ledger_->settlement(txid)->status == status;
    }

    test::TempDir ledger_dir_{"fork-ledger"};
    std::unique_ptr<Ledger> ledger_ = Ledger::open(ledger_dir_.path() / "lanes.sqlite").value();
};

TEST_F(ForkedSettlementTest, ASettlementWhoseBlockIsDroppedStopsCountingUntilItIsInABlockAgain) {
    ChannelKey const channel{Role::earn, key(1).address().base58(), key(2).address().base58(),
                             "1002000"};
    auto const transfer = devnet::test::signed_transfer(key(1), key(1).address(), key(2).address(),
                                                        500, clients_->head());
    SettlementRecord record;
    record.txid = devnet::test::txid_of(transfer);
    record.channel = channel;
    record.from = 0;
    record.to = 500;
    record.transaction = transfer.SerializeAsString();
    record.status = SettlementStatus::pending;
    record.created_ms = record.updated_ms = tron::now_ms();
    ASSERT_TRUE(ledger_->add_settlement(record));
    tron::TronClient client(node());

    ASSERT_TRUE(follow_until(client, record.txid, SettlementStatus::confirmed));
    EXPECT_EQ(ledger_->channel(channel).settled, 500);

    // The fork: drop blocks from the head until the one with the settlement is gone.
    for (int i = 0; i < 5 && !clients_->info(record.txid).id().empty(); ++i) {
        ASSERT_TRUE(node_->chain().drop_head_block().ok());
    }
    ASSERT_TRUE(clients_->info(record.txid).id().empty()) << "the settlement's block is gone";
    auto const answer = ask_chain(client, *ledger_->settlement(record.txid));
    EXPECT_TRUE(answer.changed);
    EXPECT_EQ(answer.status, SettlementStatus::pending);
    ASSERT_TRUE(
        ledger_->set_settlement_status(record.txid, answer.status, answer.block, tron::now_ms()));
    EXPECT_EQ(ledger_->channel(channel).settled, 0) << "a settlement in no block pays nothing";

    // Broadcast again by the watch, it lands in a new block and counts again.
    ASSERT_TRUE(follow_until(client, record.txid, SettlementStatus::confirmed));
    EXPECT_EQ(ledger_->channel(channel).settled, 500);
    EXPECT_EQ(clients_->btt(key(2).address()), 1'000'000'000 + 500) << "paid once, not twice";
}

}  // namespace
}  // namespace lanetorrent::lanes
