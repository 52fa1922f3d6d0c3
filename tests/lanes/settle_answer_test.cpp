// How a payer answers settle_req, against a real SQLite ledger: one debt gets one transfer, and a
// seller that is ahead of (or behind) the payer's ledger still gets a sensible answer.
#include "lanes/settle_answer.hpp"

#include "lanes/ledger.hpp"

#include <gtest/gtest.h>

#include "temp_dir.hpp"

namespace lanetorrent::lanes {
namespace {

using Kind = SettleAnswer::Kind;

class SettleAnswerTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = Ledger::open(dir_.path() / "lanes.sqlite");
        ASSERT_TRUE(opened) << opened.error();
        ledger_ = std::move(opened).value();
    }

    void owe(Units amount) {
        auto const recorded = ledger_->record_iou(
            IouRecord{key_, "torrent", amount, ++seq_, std::string(65, 's'), 1});
        ASSERT_TRUE(recorded) << recorded.error();
    }

    void signed_settlement(std::string txid, Units from, Units to) {
        auto const added = ledger_->add_settlement(
            SettlementRecord{std::move(txid), key_, from, to, "tx " + std::to_string(from),
                             SettlementStatus::signed_, 0, 1, 1});
        ASSERT_TRUE(added) << added.error();
    }

    void mark(std::string const& txid, SettlementStatus status) {
        auto const set = ledger_->set_settlement_status(txid, status, 7, 2);
        ASSERT_TRUE(set) << set.error();
    }

    SettleAnswer answer(Units from, Units to) {
        return answer_settle_request(msg::SettleRequest{from, to}, *ledger_, key_);
    }

    void expect_refused(Units from, Units to, std::string const& why) {
        auto const refused = answer(from, to);
        EXPECT_EQ(refused.kind, Kind::refuse) << from << ".." << to;
        EXPECT_EQ(refused.why, why);
    }

    lanetorrent::test::TempDir dir_{"settle-answer"};
    std::unique_ptr<Ledger> ledger_;
    ChannelKey key_{Role::spend, "TPayer", "TPayee", "1002000"};
    std::int64_t seq_ = 0;
};

TEST_F(SettleAnswerTest, SignsWhatIsOwedAndRefusesWhatIsNot) {
    owe(100);
    EXPECT_EQ(answer(0, 100).kind, Kind::sign);
    EXPECT_EQ(answer(0, 60).kind, Kind::sign);  // a part of the debt is fine too

    expect_refused(0, 150, "settle_req asks for more than our IOUs");
    expect_refused(100, 100, "settle_req asks for more than our IOUs");
    expect_refused(10, 100, "settle_req starts at 10 but our settlements end at 0");
}

TEST_F(SettleAnswerTest, OneDebtGetsOneTransferUntilItFails) {
    owe(100);
    signed_settlement("aa", 0, 100);
    owe(120);
    for (auto status : {SettlementStatus::signed_, SettlementStatus::pending}) {
        if (status != SettlementStatus::signed_) mark("aa", status);
        // Asked again for the same debt, even for more of it: the same bytes again.
        for (Units to : {100, 120}) {
            auto const again = answer(0, to);
            ASSERT_EQ(again.kind, Kind::resend) << to;
            EXPECT_EQ(again.settlement->txid, "aa");
            EXPECT_EQ(again.settlement->transaction, "tx 0");
        }
    }
    // Once it failed (expired in no block), the debt may get a new transfer.
    mark("aa", SettlementStatus::failed);
    EXPECT_EQ(answer(0, 120).kind, Kind::sign);
}

// The seller saw our settlement in a block before our own tracker did, and asks for what came
// after it. Sending the older settlement again would read as a replay to the seller.
TEST_F(SettleAnswerTest, SellerAheadOfUsGetsTheNextRangeSigned) {
    owe(100);
    signed_settlement("aa", 0, 100);
    mark("aa", SettlementStatus::pending);
    owe(250);
    EXPECT_EQ(answer(100, 250).kind, Kind::sign);
    mark("aa", SettlementStatus::confirmed);  // counted by us too, but still open (not solid)
    EXPECT_EQ(answer(100, 250).kind, Kind::sign);
    expect_refused(150, 250, "settle_req starts at 150 but our settlements end at 100");
}

// The seller was killed before it recorded our settlement, which we then broadcast and saw
// solidify: it asks for that range again and gets that same transfer, not a second one.
TEST_F(SettleAnswerTest, SellerBehindUsGetsTheSettlementItMissed) {
    owe(100);
    signed_settlement("aa", 0, 100);
    mark("aa", SettlementStatus::solidified);
    owe(250);
    auto const missed = answer(0, 250);
    ASSERT_EQ(missed.kind, Kind::resend);
    EXPECT_EQ(missed.settlement->txid, "aa");
    EXPECT_EQ(answer(100, 250).kind, Kind::sign);
}

}  // namespace
}  // namespace lanetorrent::lanes
