// The buyer's money rules without a socket or a ledger (docs/lane-protocol.md, "Buyer rules").
#include "lanes/buyer_rules.hpp"

#include <gtest/gtest.h>

namespace lanetorrent::lanes {
namespace {

constexpr Units kMax = std::numeric_limits<Units>::max();

Offer offer() {
    Offer o{tron::PrivateKey::generate().address(),
            "1002000",
            6,
            {},
            8 << 20,
            2 << 20,
            500'000'000,
            std::nullopt};
    o.lanes[1].price_per_gib = 100'000'000;
    o.lanes[2].price_per_gib = 300'000'000;
    return o;
}

msg::Grant grant(Lane lane, Units price) {
    return msg::Grant{lane, price, 8 << 20, false, "requested"};
}

TEST(BuyerRules, NoCapLeavesAllTheRoomThereIs) {
    EXPECT_EQ(spending_room(Caps{400'000'000, 0, 0}, 123, 456), kMax);
    EXPECT_EQ(spending_room(Caps{400'000'000, 1'000, 0}, 300, 0), 700);
    EXPECT_EQ(spending_room(Caps{400'000'000, 1'000, 500}, 300, 450), 50) << "the tighter one";
    EXPECT_EQ(spending_room(Caps{400'000'000, 1'000, 0}, 1'200, 0), 0) << "never negative";
}

TEST(BuyerRules, AskForTheChosenLaneOnlyWithinThePriceCapAndTheRoom) {
    Caps const caps{200'000'000, 0, 0};
    EXPECT_EQ(lane_to_ask(Lane::medium, caps, offer(), kMax), Lane::medium);
    EXPECT_EQ(lane_to_ask(Lane::fast, caps, offer(), kMax), Lane::slow) << "300 > 200";
    EXPECT_EQ(lane_to_ask(Lane::medium, caps, offer(), 0), Lane::slow) << "a cap is reached";
    EXPECT_EQ(lane_to_ask(Lane::slow, caps, offer(), kMax), Lane::slow);
}

TEST(BuyerRules, OnlyTheLaneAskedForIsPaidFor) {
    Caps const caps{400'000'000, 0, 0};
    EXPECT_TRUE(pays_for(grant(Lane::fast, 300'000'000), Lane::fast, caps, kMax));
    // A hostile seller's grants: a lane not asked for, after asking for slow, above the cap,
    // past a cap.
    EXPECT_FALSE(pays_for(grant(Lane::fast, 300'000'000), Lane::medium, caps, kMax));
    EXPECT_FALSE(pays_for(grant(Lane::fast, 300'000'000), Lane::slow, caps, kMax));
    EXPECT_FALSE(pays_for(grant(Lane::fast, 500'000'000), Lane::fast, caps, kMax));
    EXPECT_FALSE(pays_for(grant(Lane::fast, 300'000'000), Lane::fast, caps, 0));
    EXPECT_FALSE(pays_for(grant(Lane::slow, 0), Lane::slow, caps, kMax)) << "slow is free";
}

TEST(BuyerRules, IousAreClampedAtTheCapAndTheRestIsNotOwed) {
    // Within the room: all of it.
    auto step = next_iou(1'500, 1'000, 10'000);
    EXPECT_EQ(step.amount, 1'500);
    EXPECT_FALSE(step.capped);
    // Beyond it: up to the cap, and the rest forgiven.
    step = next_iou(1'500, 1'000, 200);
    EXPECT_EQ(step.amount, 1'200);
    EXPECT_TRUE(step.capped);
    EXPECT_EQ(step.forgiven, 300);
    // Exactly at it: signed, and capped from now on.
    step = next_iou(1'200, 1'000, 200);
    EXPECT_EQ(step.amount, 1'200);
    EXPECT_TRUE(step.capped);
    EXPECT_EQ(step.forgiven, 0);
}

TEST(BuyerRules, NoCapNeverOverflows) {
    // The bug this guards against: promised + "no cap" overflowed and no second IOU was signed.
    auto const step = next_iou(5'000'000, 600'000, kMax);
    EXPECT_EQ(step.amount, 5'000'000);
    EXPECT_FALSE(step.capped);
    EXPECT_EQ(next_iou(100, 100, kMax).amount, 100) << "nothing owed: nothing to sign";
}

}  // namespace
}  // namespace lanetorrent::lanes
