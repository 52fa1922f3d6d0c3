// The seller's money rules without a socket, a clock or a ledger: every rule of
// docs/lane-protocol.md's "Credit and exposure" and "Settlement" sections, in milliseconds.
#include "lanes/seller_rules.hpp"

#include <gtest/gtest.h>

namespace lanetorrent::lanes {
namespace {

constexpr std::int64_t kMiB = 1 << 20;
constexpr Units kFast = 300'000'000;  // units per GiB
// 8 MiB at 300 BTT/GiB = 2.34375 BTT; with a 1 BTT threshold the bound is 3.34375 BTT, the
// figure issue 12's attacks were measured against.
constexpr CreditTerms kTerms{8 * kMiB, kFast, 1'000'000};

TEST(SellerRules, TheBoundIsTheWindowAtTheLanesPricePlusTheThreshold) {
    EXPECT_EQ(window_units(kTerms), 2'343'750);
    EXPECT_EQ(exposure_bound(kTerms), 3'343'750);
    // A free lane is priced at 1 for the window, so the bound is never zero by accident.
    EXPECT_EQ(window_units(CreditTerms{kMiB, 0, 0}), 0);
}

TEST(SellerRules, IousMoveTheWindowButNeverWhatIsEarned) {
    // A payer that signs for everything but never settles: its unsigned debt stays 0, but its
    // exposure grows and holds it back at the bound.
    ChannelMoney money{3'343'750, 3'343'750, 0};
    EXPECT_EQ(credit_verdict(money, kTerms, Credit::ok), Credit::ok);
    money.accrued = money.promised = 3'343'751;
    EXPECT_EQ(credit_verdict(money, kTerms, Credit::ok), Credit::awaiting_settlement);
    // One IOU for 2^50 units changes nothing: it is not money.
    money.promised = Units{1} << 50;
    EXPECT_EQ(credit_verdict(money, kTerms, Credit::ok), Credit::awaiting_settlement);
}

TEST(SellerRules, UnsignedDebtBeyondTheWindowHoldsThePayerBack) {
    ChannelMoney money{2'343'750, 0, 0};
    EXPECT_EQ(credit_verdict(money, kTerms, Credit::ok), Credit::ok);
    money.accrued += 1;
    EXPECT_EQ(credit_verdict(money, kTerms, Credit::ok), Credit::window_exceeded);
}

TEST(SellerRules, APayerHeldBackReturnsOnlyWithHalfAWindowOfMargin) {
    ChannelMoney money{2'000'000, 0, 0};
    EXPECT_EQ(credit_verdict(money, kTerms, Credit::ok), Credit::ok);
    EXPECT_EQ(credit_verdict(money, kTerms, Credit::window_exceeded), Credit::window_exceeded);
    money.promised = 900'000;  // unsigned debt 1.1 BTT, below half the window (1.17 BTT)
    EXPECT_EQ(credit_verdict(money, kTerms, Credit::window_exceeded), Credit::ok);
    // Exposure: back once confirmed settlements leave half a window below the bound.
    ChannelMoney settling{3'000'000, 3'000'000, 0};
    EXPECT_EQ(credit_verdict(settling, kTerms, Credit::awaiting_settlement),
              Credit::awaiting_settlement);
    settling.confirmed = 1'000'000;
    EXPECT_EQ(credit_verdict(settling, kTerms, Credit::awaiting_settlement), Credit::ok);
}

TEST(SellerRules, ReasonsAreTheSpecsWords) {
    EXPECT_STREQ(reason_text(Credit::ok), "requested");
    EXPECT_STREQ(reason_text(Credit::window_exceeded), "window exceeded");
    EXPECT_STREQ(reason_text(Credit::awaiting_settlement), "awaiting settlement");
}

TEST(SellerRules, SettleAtTheThresholdFromWhatIsConfirmedToTheLatestIou) {
    SettlePolicy const policy{1'000'000, 100'000};
    EXPECT_EQ(settlement_due({5'000'000, 999'999, 0}, policy, {}), std::nullopt);
    auto const due = settlement_due({5'000'000, 1'500'000, 400'000}, policy, {});
    ASSERT_TRUE(due);
    EXPECT_EQ(*due, (SettleRange{400'000, 1'500'000}));
}

TEST(SellerRules, OneSettlementInFlightAtATimeButAConfirmedOneIsNotInFlight) {
    SettlePolicy const policy{1'000'000, 100'000};
    ChannelMoney const money{5'000'000, 3'000'000, 1'000'000};
    SettleSituation situation;
    situation.in_flight = true;  // signed or pending: not yet in a block
    EXPECT_EQ(settlement_due(money, policy, situation), std::nullopt);
    situation.in_flight = false;  // in a block (confirmed, not yet solid): the next may go
    EXPECT_TRUE(settlement_due(money, policy, situation));
}

TEST(SellerRules, TailsAreSettledWhenWorthATransferAndCarriedOtherwise) {
    SettlePolicy const policy{1'000'000, 100'000};
    SettleSituation done;
    done.payer_done = true;
    EXPECT_EQ(settlement_due({0, 99'999, 0}, policy, done), std::nullopt) << "carried";
    EXPECT_TRUE(settlement_due({0, 100'000, 0}, policy, done));
    EXPECT_EQ(settlement_due({0, 100'000, 0}, policy, {}), std::nullopt) << "not done: wait";
    // A payer that comes back on any connection is asked for what it carried.
    SettleSituation back;
    back.payer_back = true;
    EXPECT_TRUE(settlement_due({0, 100'000, 0}, policy, back));
    // After the settle interval, any tail.
    SettleSituation overdue;
    overdue.overdue = true;
    EXPECT_TRUE(settlement_due({0, 1, 0}, policy, overdue));
    EXPECT_EQ(settlement_due({7, 7, 7}, policy, overdue), std::nullopt) << "nothing owed";
}

TEST(SellerRules, ASettlementMustCoverTheRangeAskedFor) {
    ChannelMoney const money{5'000'000, 3'000'000, 1'000'000};
    std::optional<SettleRange> const asked = SettleRange{1'000'000, 3'000'000};
    EXPECT_EQ(settlement_range_verdict({1'000'000, 3'000'000}, money, asked), RangeVerdict::covers);
    // The 1-unit answer to every settle_req: money, but not an answer.
    EXPECT_EQ(settlement_range_verdict({1'000'000, 1'000'001}, money, asked),
              RangeVerdict::partial);
    EXPECT_EQ(settlement_range_verdict({999'999, 3'000'000}, money, asked), RangeVerdict::bad)
        << "not from what is confirmed";
    EXPECT_EQ(settlement_range_verdict({1'000'000, 3'000'001}, money, asked), RangeVerdict::bad)
        << "beyond the latest IOU";
    EXPECT_EQ(settlement_range_verdict({1'000'000, 1'000'000}, money, asked), RangeVerdict::bad);
    // Unasked, it must reach the latest IOU to count as an answer.
    EXPECT_EQ(settlement_range_verdict({1'000'000, 3'000'000}, money, std::nullopt),
              RangeVerdict::covers);
    EXPECT_EQ(settlement_range_verdict({1'000'000, 2'000'000}, money, std::nullopt),
              RangeVerdict::partial);
}

TEST(SellerRules, AnIouForFarMoreThanWasServedIsRefused) {
    ChannelMoney const money{1'000'000, 900'000, 0};
    EXPECT_FALSE(iou_beyond_service(1'000'000 + window_units(kTerms), money, kTerms));
    EXPECT_TRUE(iou_beyond_service(1'000'001 + window_units(kTerms), money, kTerms));
    EXPECT_TRUE(iou_beyond_service(Units{1} << 50, money, kTerms));
}

}  // namespace
}  // namespace lanetorrent::lanes
