// The lanes core without sockets, threads, a clock or a node: a seller core and a buyer core,
// each with its own real ledger file, joined by a loop that carries their messages (encoded and
// decoded as on the wire), counts the bytes between them and plays a chain that takes a block
// when the test says so. Every rule of docs/lane-protocol.md that protects money is a test here,
// in milliseconds; the hostile, swarm and crash tests prove the same rules through real
// sessions.
#include "lanes/lanes_core.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lanes/ledger.hpp"
#include "temp_dir.hpp"
#include "tron/bytes.hpp"
#include "tron/message_signing.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::lanes {
namespace {

using namespace std::chrono_literals;
using test::TempDir;

constexpr std::int64_t kMiB = 1 << 20;
constexpr Units kBtt = 1'000'000;
constexpr char const* kTorrent = "0123456789abcdef0123456789abcdef01234567";

tron::PrivateKey key_of(char digit) {
    return tron::PrivateKey::from_hex(std::string(64, digit)).value();
}

// The seller's peer classes as the core sees them: every class carries every lane, unless the
// test says the next lane needs a reconnect.
struct Classes : LaneClasses {
    bool reconnect = false;
    bool want(std::string const&, HeldClass const&, Lane) override { return reconnect; }
};

// A chain: transactions broadcast wait in a pool until the test makes a block.
struct Chain {
    struct Entry {
        bool in_block = false;
        std::int64_t block = 0;
    };
    std::map<std::string, Entry> txs;
    std::int64_t height = 100;
    bool refuse_next = false;

    void add(std::string const& transaction) {
        protocol::Transaction tx;
        if (tx.ParseFromString(transaction))
            txs.try_emplace(tron::to_hex(tron::transaction_id(tx)));
    }
    void make_block() {
        ++height;
        for (auto& [txid, entry] : txs) {
            if (!entry.in_block) entry = {true, height};
        }
    }
    // A fork: the newest block is dropped, and its transactions wait in the pool again.
    void drop_newest_block() {
        for (auto& [txid, entry] : txs) {
            if (entry.in_block && entry.block == height) entry = {};
        }
        --height;
    }
    ChainAnswer answer(SettlementRecord const& record) {
        add(record.transaction);  // both sides (re-)broadcast what they track
        auto const& entry = txs[record.txid];
        if (!entry.in_block && record.status == SettlementStatus::confirmed) {
            return {SettlementStatus::pending, 0, true, false};  // its block is gone
        }
        if (entry.in_block) {
            return {SettlementStatus::confirmed, entry.block,
                    record.status != SettlementStatus::confirmed, false};
        }
        return {SettlementStatus::pending, 0, record.status == SettlementStatus::signed_, false};
    }
};

// One side: a core with its ledger and the one connection to the other side.
struct Side {
    Side(std::string const& name, std::optional<SellConfig> sell, std::optional<BuyConfig> buy)
        : dir("core-" + name),
          ledger(Ledger::open(dir.path() / "lanes.sqlite").value()),
          core(*ledger, &classes, std::move(sell), std::move(buy)) {}

    TempDir dir;
    std::unique_ptr<Ledger> ledger;
    Classes classes;
    LanesCore core;
    std::int64_t sent = 0;
    std::int64_t received = 0;
    bool connected = false;
    std::vector<Message> inbox;  // every message this side received, in order
    // A hostile or unlucky peer: what returns true here is lost on the way to this side.
    std::function<bool(Message const&)> lose;
    std::vector<LaneNotice> notices;
    std::vector<command::SendGrant> grants_sent;
    std::optional<std::int64_t> fence;  // as the plugin would hold it (command::Fence)
    bool late = false;                  // traffic reports do not reach the core (a busy thread)
    int disconnects = 0;
};

SellConfig seller_config(tron::Address payee) {
    SellConfig sell(payee);
    sell.initial_window = 8 * kMiB;
    sell.max_window = 32 * kMiB;
    sell.iou_step = 2 * kMiB;
    sell.settle_threshold = 1 * kBtt;
    sell.min_payout = 1 * kBtt;
    return sell;
}

class LanesCoreTest : public ::testing::Test {
  protected:
    LanesCoreTest()
        : seller_key_(key_of('1')),
          buyer_key_(key_of('2')),
          sell_config_(seller_config(seller_key_.address())),
          seller_side_(std::make_unique<Side>("seller", sell_config_, std::nullopt)),
          buyer_side_(new_buyer("buyer")) {}

    // Before connect(): a seller on other terms.
    void sell_on(SellConfig config) {
        sell_config_ = std::move(config);
        seller_side_ = std::make_unique<Side>("seller", sell_config_, std::nullopt);
    }
    Side& seller() { return *seller_side_; }
    Side const& seller() const { return *seller_side_; }

    std::unique_ptr<Side> new_buyer(std::string const& name) {
        return std::make_unique<Side>(name, std::nullopt,
                                      BuyConfig{buyer_key_, "1002000", Lane::fast, caps()});
    }
    Side& buyer() { return *buyer_side_; }
    Side const& buyer() const { return *buyer_side_; }

    static Caps caps() { return Caps{1000 * kBtt, 0, 0}; }
    Now at() const { return Now{start_ + elapsed_, 1'800'000'000'000 + elapsed_ / 1ms}; }
    void advance(std::chrono::milliseconds d) { elapsed_ += d; }

    // Connects the two sides (connection id 1 on each) and lets them talk until quiet.
    void connect() {
        PeerConn at_seller;
        at_seller.id = 1;
        at_seller.torrent = kTorrent;
        at_seller.ip = "127.0.0.2";
        at_seller.port = 50000 + ++connections_;
        at_seller.incoming = true;
        at_seller.our_nonce.fill(0x11);
        PeerConn at_buyer = at_seller;
        at_buyer.ip = "127.0.0.1";
        at_buyer.incoming = false;
        at_buyer.our_nonce.fill(0x22);
        seller().sent = seller().received = buyer().sent = buyer().received = 0;
        seller().core.on_opened(at_seller, at());
        buyer().core.on_opened(at_buyer, at());
        seller().connected = buyer().connected = true;
        std::array<std::uint8_t, 20> seller_id{}, buyer_id{};
        seller_id.fill(0x51);
        buyer_id.fill(0x52);
        Hello buyer_hello;
        buyer_hello.nonce.fill(0x22);
        Hello seller_hello;
        seller_hello.nonce.fill(0x11);
        seller_hello.offer = offer_of(sell_config_);
        seller().core.on_hello(1, {buyer_id, seller_id, "buyer", 0, buyer_hello, {}}, at());
        buyer().core.on_hello(1, {seller_id, buyer_id, "seller", 6881, seller_hello, {}}, at());
        pump();
    }
    void disconnect() {
        pump();
        seller().core.on_closed(1, seller().sent, seller().received, at());
        buyer().core.on_closed(1, buyer().sent, buyer().received, at());
        seller().connected = buyer().connected = false;
        pump();
    }

    // Carries out both sides' commands until neither has any left.
    void pump() {
        for (int round = 0; round < 100; ++round) {
            bool any = false;
            any |= carry(seller(), buyer());
            any |= carry(buyer(), seller());
            if (!any) return;
        }
        FAIL() << "the two cores keep talking";
    }
    bool carry(Side& from, Side& to) {
        auto commands = from.core.take_commands();
        for (auto& command : commands) {
            if (auto* send = std::get_if<command::Send>(&command)) {
                deliver(to, send->message);
            } else if (auto* grant = std::get_if<command::SendGrant>(&command)) {
                from.grants_sent.push_back(*grant);
                from.core.on_grant_queued(1, from.sent);
                deliver(to, grant->grant);
            } else if (auto* fence = std::get_if<command::Fence>(&command)) {
                from.fence = fence->paid_until;
            } else if (std::holds_alternative<command::Disconnect>(command)) {
                ++from.disconnects;
            } else if (auto* notify = std::get_if<command::Notify>(&command)) {
                from.notices.push_back(notify->notice);
            } else if (auto* broadcast = std::get_if<command::Broadcast>(&command)) {
                if (chain_.refuse_next) {
                    chain_.refuse_next = false;
                    from.core.on_broadcast_refused(broadcast->txid, at());
                } else {
                    chain_.add(broadcast->transaction);
                }
            } else if (auto* track = std::get_if<command::Track>(&command)) {
                from.core.on_chain_status(track->record.txid, chain_.answer(track->record), at());
            } else if (auto* fetch = std::get_if<command::FetchHead>(&command)) {
                tron::BlockReference head;
                head.number = chain_.height;
                head.id.fill(0x33);
                head.timestamp_ms = at().wall_ms;
                from.core.on_head_block(fetch->job, head, {}, at());
            }
        }
        return !commands.empty();
    }
    void deliver(Side& to, Message const& message) {
        if (!to.connected || (to.lose && to.lose(message))) return;
        // As on the wire: what cannot be encoded and decoded again never arrives.
        auto decoded = decode(encode(message));
        ASSERT_TRUE(decoded && *decoded) << "a message that does not survive the wire";
        to.inbox.push_back(**decoded);
        to.core.on_message(1, **decoded, {}, to.received, at());
    }

    // Payload from the seller to the buyer, reported to both sides in steps.
    void transfer(std::int64_t bytes, std::int64_t step = kMiB / 4) {
        while (bytes > 0) {
            auto n = std::min(bytes, step);
            // The plugin stops serving at the fence, whatever the core has seen.
            if (seller().fence)
                n = std::min(n, std::max<std::int64_t>(0, *seller().fence - seller().sent));
            if (n == 0) return;
            bytes -= n;
            seller().sent += n;
            buyer().received += n;
            buyer().core.on_traffic(1, buyer().sent, buyer().received, false, at());
            pump();
            if (!seller().late) {
                seller().core.on_traffic(1, seller().sent, seller().received, false, at());
            }
            pump();
        }
    }
    // A second passes on both sides: timers, tracking, reviews.
    void second() {
        advance(1s);
        seller().core.tick(at());
        buyer().core.tick(at());
        pump();
    }
    Lane lane_at_seller() { return seller().core.sell_lane(1); }
    template <class M>
    std::vector<M> received_by(Side const& side) const {
        std::vector<M> out;
        for (auto const& m : side.inbox) {
            if (auto const* typed = std::get_if<M>(&m)) out.push_back(*typed);
        }
        return out;
    }
    ChannelKey earn_key() const {
        return {Role::earn, buyer_key_.address().base58(), seller_key_.address().base58(),
                "1002000"};
    }
    ChannelKey spend_key() const {
        auto key = earn_key();
        key.role = Role::spend;
        return key;
    }
    // What the seller's paid bytes cost minus what is confirmed on chain for the channel.
    Units exposure() {
        auto const e = seller().core.exposures();
        return e.empty() ? 0 : e.front().peak;
    }
    // Signs an IOU as the buyer would (for a hostile buyer's messages).
    msg::Iou iou(Units amount, std::int64_t seq, bool final = false) {
        msg::Iou out{.payer = buyer_key_.address(),
                     .payee = seller_key_.address(),
                     .asset = "1002000",
                     .amount = amount,
                     .seq = seq,
                     .final = final,
                     .signature = {}};
        out.signature = tron::sign_message(buyer_key_, iou_text(out));
        return out;
    }
    // A settlement transaction as the buyer would sign it.
    std::string settlement_tx(Units amount, int permission = 0, int signatures = 1) {
        tron::AssetTransfer const transfer{buyer_key_.address(), seller_key_.address(), "1002000",
                                           amount};
        tron::BlockReference head;
        head.number = chain_.height;
        head.id.fill(0x33);
        head.timestamp_ms = at().wall_ms;
        auto tx = tron::build_asset_transfer(transfer, head, at().wall_ms + amount);
        tx.mutable_raw_data()->mutable_contract(0)->set_permission_id(permission);
        for (int i = 0; i < signatures; ++i) tron::sign_transaction(tx, buyer_key_);
        return tx.SerializeAsString();
    }
    // Sends a message to the seller as if from the buyer (a buyer that bends the rules).
    void buyer_says(Message const& message) {
        deliver(seller(), message);
        pump();
    }
    bool seller_rejected(std::string const& code) const {
        for (auto const& r : received_by<msg::Reject>(buyer())) {
            if (r.code == code) return true;
        }
        return false;
    }

    tron::PrivateKey seller_key_;
    tron::PrivateKey buyer_key_;
    SellConfig sell_config_;
    std::unique_ptr<Side> seller_side_;
    std::unique_ptr<Side> buyer_side_;
    Chain chain_;
    SteadyTime const start_ = SteadyTime{} + 1000h;
    std::chrono::milliseconds elapsed_{0};
    int connections_ = 0;
};

// --- Seller ---

TEST_F(LanesCoreTest, AProvenRequestGetsItsLaneWithTheCreditExtendedNow) {
    connect();
    ASSERT_EQ(lane_at_seller(), Lane::fast);
    auto const grants = received_by<msg::Grant>(buyer());
    ASSERT_FALSE(grants.empty());
    EXPECT_EQ(grants.back().lane, Lane::fast);
    EXPECT_EQ(grants.back().price_per_gib, 300 * kBtt);
    EXPECT_EQ(grants.back().window_bytes, 8 * kMiB);  // nothing owed yet: the whole window
    // The seller told the payer where its channel stands as soon as it proved itself.
    EXPECT_EQ(received_by<msg::ChannelState>(buyer()).size(), 1u);
}

TEST_F(LanesCoreTest, EveryRequestGetsAGrantAndOneAboveTheCapIsSlowSayingWhy) {
    connect();
    auto const before = received_by<msg::Grant>(buyer()).size();
    buyer_says(msg::Request{Lane::fast, 300 * kBtt});  // changes nothing: still a grant
    EXPECT_EQ(received_by<msg::Grant>(buyer()).size(), before + 1);
    buyer_says(msg::Request{Lane::fast, 299 * kBtt});
    auto const grants = received_by<msg::Grant>(buyer());
    EXPECT_EQ(grants.back().lane, Lane::slow);
    EXPECT_EQ(grants.back().reason, "price above your cap");
}

TEST_F(LanesCoreTest, APaidLaneWithoutAProofIsRefused) {
    connect();
    // A second torrent's connection from the same buyer that proves nothing.
    PeerConn other;
    other.id = 2;
    other.torrent = kTorrent;
    other.ip = "127.0.0.2";
    seller().core.on_opened(other, at());
    seller().core.on_message(2, Message{msg::Request{Lane::fast, 300 * kBtt}}, {}, 0, at());
    EXPECT_EQ(seller().core.sell_lane(2), Lane::slow);
    bool refused = false;
    for (auto const& c : seller().core.take_commands()) {
        if (auto const* send = std::get_if<command::Send>(&c)) {
            if (auto const* r = std::get_if<msg::Reject>(&send->message)) {
                refused = r->code == "no_proof";
            }
        }
    }
    EXPECT_TRUE(refused);
}

TEST_F(LanesCoreTest, AnHonestPayerAtFullSpeedIsNeverHeldBackAndStaysInsideTheBound) {
    // The spec's sizing: the window covers what the lane sends while a settlement goes from
    // settle_req to a block (16 MiB/s over two 3 s blocks is under the 128 MiB maximum).
    auto sell = seller_config(seller_key_.address());
    sell.max_window = 128 * kMiB;
    sell.settle_threshold = sell.min_payout = 5 * kBtt;
    sell_on(sell);
    connect();
    Units const bound = seller().core.exposures().front().bound;
    // 512 MiB in the fast lane (150 BTT), a block every 3 s of 16 MiB/s.
    for (int second_no = 0; second_no < 32; ++second_no) {
        transfer(16 * kMiB);
        if (second_no % 3 == 2) chain_.make_block();
        second();
        ASSERT_EQ(lane_at_seller(), Lane::fast) << "held back at second " << second_no;
    }
    EXPECT_LE(exposure(), bound);
    auto const channel = seller().ledger->channel(earn_key());
    EXPECT_GT(channel.settled, 100 * kBtt);
    EXPECT_EQ(channel.iou_amount, cost_of(512 * kMiB, 300 * kBtt));
}

TEST_F(LanesCoreTest, UnsignedDebtBeyondTheWindowMovesThePayerToSlow) {
    // A buyer that never pays: none of its IOUs or settlements arrive.
    seller().lose = [](Message const& m) {
        return std::holds_alternative<msg::Iou>(m) || std::holds_alternative<msg::Settlement>(m);
    };
    connect();
    transfer(8 * kMiB + kMiB / 2);
    EXPECT_EQ(lane_at_seller(), Lane::slow);
    EXPECT_EQ(seller().grants_sent.back().grant.reason, "window exceeded");
    // The paid bytes it got beyond the window are at most one traffic report's worth.
    EXPECT_LE(exposure(), cost_of(8 * kMiB + kMiB / 4, 300 * kBtt));
}

TEST_F(LanesCoreTest, TheFenceHoldsAPayerThatDoesNotPayEvenWhenTheSellerIsLate) {
    // The seller's thread hears of no traffic at all (it is busy writing to disk): the credit
    // fence set at the grant stops the paid bytes at the window on its own.
    seller().lose = [](Message const& m) {
        return std::holds_alternative<msg::Iou>(m) || std::holds_alternative<msg::Settlement>(m);
    };
    connect();
    ASSERT_TRUE(seller().fence.has_value());
    seller().late = true;
    transfer(64 * kMiB);
    EXPECT_EQ(seller().sent, 9 * kMiB) << "the window and the fence's 1 MiB of slack, no more";
    // Once the seller catches up, the payer is moved to slow and the fence is lifted.
    seller().late = false;
    seller().core.on_traffic(1, seller().sent, seller().received, false, at());
    pump();
    EXPECT_EQ(lane_at_seller(), Lane::slow);
    EXPECT_FALSE(seller().fence.has_value());
}

TEST_F(LanesCoreTest, IousWithoutSettlementsHoldThePayerAtTheExposureBound) {
    // A buyer that signs every IOU but never hands over a settlement.
    seller().lose = [](Message const& m) { return std::holds_alternative<msg::Settlement>(m); };
    connect();
    Units const bound = exposure_bound(CreditTerms{32 * kMiB, 300 * kBtt, 1 * kBtt});
    for (int i = 0; i < 200 && lane_at_seller() == Lane::fast; ++i) transfer(kMiB / 2);
    EXPECT_EQ(lane_at_seller(), Lane::slow);
    EXPECT_EQ(seller().grants_sent.back().grant.reason, "awaiting settlement");
    EXPECT_EQ(seller().ledger->channel(earn_key()).settled, 0);
    // Measured against what is confirmed on chain (nothing), with one report of slack.
    EXPECT_LE(exposure(), bound + cost_of(kMiB / 4, 300 * kBtt));
    EXPECT_GT(seller().ledger->channel(earn_key()).iou_amount, 1 * kBtt) << "IOUs are not money";
}

TEST_F(LanesCoreTest, AnIouForFarMoreThanWasServedIsRefusedAndEarnsNothing) {
    connect();
    transfer(kMiB);
    // From here on the buyer only lies: one IOU for 2^50 units, then nothing.
    deliver(seller(), iou(Units{1} << 50, 1000));
    seller().lose = [](Message const& m) { return std::holds_alternative<msg::Iou>(m); };
    pump();
    EXPECT_TRUE(seller_rejected("bad_iou"));
    EXPECT_EQ(lane_at_seller(), Lane::slow);
    EXPECT_LT(seller().ledger->channel(earn_key()).iou_amount, Units{1} << 50);
    EXPECT_EQ(seller().ledger->channel(earn_key()).settled, 0);
}

TEST_F(LanesCoreTest, AZeroCostFinalIouIsNoOffence) {
    connect();
    transfer(3 * kMiB);
    auto const state = buyer().ledger->channel(spend_key());
    ASSERT_GT(state.iou_amount, 0);
    buyer_says(iou(state.iou_amount, state.iou_seq + 1, /*final=*/true));
    EXPECT_FALSE(seller_rejected("stale_iou"));
    EXPECT_EQ(lane_at_seller(), Lane::fast);
}

TEST_F(LanesCoreTest, APayerWithCurrentIousComesBackFromAnIouHoldWithTheSameAmount) {
    connect();
    transfer(2 * kMiB);  // one IOU step: paid in full
    auto const state = buyer().ledger->channel(spend_key());
    ASSERT_EQ(state.iou_amount, cost_of(2 * kMiB, 300 * kBtt));
    buyer_says(iou(state.iou_amount - 1, state.iou_seq));  // a stale one: held
    ASSERT_EQ(lane_at_seller(), Lane::slow);
    // Nothing is owed, so nothing higher can be signed: the same amount under a higher seq.
    buyer_says(iou(state.iou_amount, state.iou_seq + 1));
    EXPECT_EQ(lane_at_seller(), Lane::fast);
}

TEST_F(LanesCoreTest, AStaleIouIsAnsweredWithThePayersOwnLatestIou) {
    connect();
    transfer(3 * kMiB);
    auto const state = buyer().ledger->channel(spend_key());
    auto const states_before = received_by<msg::ChannelState>(buyer()).size();
    buyer_says(iou(state.iou_amount - 1, state.iou_seq));
    EXPECT_TRUE(seller_rejected("stale_iou"));
    auto const states = received_by<msg::ChannelState>(buyer());
    ASSERT_EQ(states.size(), states_before + 1);
    EXPECT_EQ(states.back().amount, state.iou_amount);
    EXPECT_EQ(states.back().seq, state.iou_seq);
}

TEST_F(LanesCoreTest, ASettlementMustCoverTheRangeAskedAndAPartOneKeepsTheClockRunning) {
    // The buyer answers every settle_req with a valid 1-unit transfer instead of the range.
    seller().lose = [](Message const& m) { return std::holds_alternative<msg::Settlement>(m); };
    connect();
    transfer(4 * kMiB);  // 1.17 BTT IOU'd: above the 1 BTT threshold
    auto const asks = received_by<msg::SettleRequest>(buyer());
    ASSERT_EQ(asks.size(), 1u);
    seller().lose = nullptr;
    buyer_says(msg::Settlement{asks[0].from, asks[0].from + 1, settlement_tx(1)});
    EXPECT_FALSE(seller_rejected("bad_settlement")) << "a part is money all the same";
    chain_.make_block();
    second();
    EXPECT_EQ(seller().ledger->channel(earn_key()).settled, asks[0].from + 1);
    // The rest is asked for at once, on the same clock...
    auto const again = received_by<msg::SettleRequest>(buyer());
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(again[1].from, asks[0].from + 1);
    // ... which runs out 60 s after the first request: the payer goes to slow.
    seller().lose = [](Message const& m) { return std::holds_alternative<msg::Settlement>(m); };
    for (int i = 0; i < 60; ++i) second();
    EXPECT_EQ(lane_at_seller(), Lane::slow);
    EXPECT_EQ(seller().grants_sent.back().grant.reason, "settlement not delivered");
}

TEST_F(LanesCoreTest, ASettlementOnAnotherPermissionOrWithTwoSignaturesIsRefused) {
    connect();
    transfer(3 * kMiB);
    auto const promised = seller().ledger->channel(earn_key()).iou_amount;
    ASSERT_GT(promised, 0);
    buyer_says(msg::Settlement{0, promised, settlement_tx(promised, /*permission=*/2)});
    EXPECT_TRUE(seller_rejected("bad_settlement"));
    EXPECT_EQ(lane_at_seller(), Lane::slow);
    buyer_says(msg::Settlement{0, promised, settlement_tx(promised, 0, /*signatures=*/2)});
    EXPECT_EQ(received_by<msg::Reject>(buyer()).back().message, "expected one signature");
}

TEST_F(LanesCoreTest, AReplayedSettlementIsRefused) {
    connect();
    transfer(4 * kMiB);
    chain_.make_block();
    second();
    auto const settlements = received_by<msg::Settlement>(seller());
    ASSERT_FALSE(settlements.empty());
    auto replay = settlements.front();
    replay.to += 1;  // the same transaction under another range
    buyer_says(replay);
    EXPECT_TRUE(seller_rejected("replayed_settlement"));
}

TEST_F(LanesCoreTest, TheNextSettleRequestGoesOutOnceThePreviousIsInABlock) {
    connect();
    transfer(4 * kMiB);  // first settlement asked for and handed over
    ASSERT_EQ(received_by<msg::SettleRequest>(buyer()).size(), 1u);
    transfer(4 * kMiB);  // more owed, but the first is not in a block yet: no second request
    EXPECT_EQ(received_by<msg::SettleRequest>(buyer()).size(), 1u);
    chain_.make_block();  // in a block (confirmed), not solid: that is enough
    seller().core.track(at());
    buyer().core.track(at());
    pump();
    EXPECT_EQ(received_by<msg::SettleRequest>(buyer()).size(), 2u);
    EXPECT_EQ(received_by<msg::SettleRequest>(buyer()).back().from,
              received_by<msg::SettleRequest>(buyer()).front().to);
}

TEST_F(LanesCoreTest, AnUnansweredSettleRequestMovesThePayerToSlowAfterItsTimeout) {
    // The buyer hears the request but its settlements never arrive.
    seller().lose = [](Message const& m) { return std::holds_alternative<msg::Settlement>(m); };
    connect();
    transfer(4 * kMiB);
    ASSERT_EQ(received_by<msg::SettleRequest>(buyer()).size(), 1u);
    ASSERT_EQ(lane_at_seller(), Lane::fast);
    // While the node does not answer, the clock does not run (the payer could not sign either).
    seller().core.set_node_answers(false);
    for (int i = 0; i < 70; ++i) second();
    EXPECT_EQ(lane_at_seller(), Lane::fast);
    seller().core.set_node_answers(true);
    for (int i = 0; i < 59; ++i) second();
    EXPECT_EQ(lane_at_seller(), Lane::fast);
    for (int i = 0; i < 2; ++i) second();
    EXPECT_EQ(lane_at_seller(), Lane::slow);
    EXPECT_EQ(seller().grants_sent.back().grant.reason, "settlement not delivered");
}

TEST_F(LanesCoreTest, ATailBelowTheMinimumIsCarriedAndAskedForWhenThePayerComesBack) {
    connect();
    transfer(2 * kMiB + kMiB / 2);  // 0.73 BTT: below the 1 BTT minimum settlement
    buyer().core.on_finished(kTorrent, at());
    pump();
    for (int i = 0; i < 3; ++i) second();
    EXPECT_TRUE(received_by<msg::SettleRequest>(buyer()).empty()) << "a small tail is carried";
    EXPECT_TRUE(seller().core.settled_up());
    EXPECT_TRUE(buyer().core.settled_up());
    auto const carried = seller().ledger->channel(earn_key()).iou_amount;
    EXPECT_GT(carried, 0);
    disconnect();
    // The payer comes back (any torrent, any connection): the tail is asked for at once...
    seller().inbox.clear();
    buyer().inbox.clear();
    seller().core.on_closed(1, 0, 0, at());
    connect();
    // ... but only if it is worth a transfer: 0.73 BTT is not, so it stays carried.
    EXPECT_TRUE(received_by<msg::SettleRequest>(buyer()).empty());
    transfer(kMiB);  // now 1.02 BTT, the next meeting's tail is worth it once done
    buyer().core.on_finished(kTorrent, at());
    pump();
    second();
    ASSERT_FALSE(received_by<msg::SettleRequest>(buyer()).empty());
    EXPECT_EQ(received_by<msg::SettleRequest>(buyer()).back().from, 0);
    chain_.make_block();
    second();
    auto const channel = seller().ledger->channel(earn_key());
    EXPECT_EQ(channel.settled, channel.iou_amount) << "every IOU'd unit settled";
}

TEST_F(LanesCoreTest, AStorageFaultPausesPaidLanesAndBlamesNoOne) {
    connect();
    transfer(kMiB);
    seller().core.storage_fault("disk full");
    pump();
    EXPECT_EQ(lane_at_seller(), Lane::slow);
    EXPECT_FALSE(seller_rejected("stale_iou"));
    EXPECT_FALSE(seller_rejected("bad_iou"));
    EXPECT_TRUE(seller().core.storage_failed());
    bool told = false;
    for (auto const& n : seller().notices) told |= n.text.find("disk full") != std::string::npos;
    EXPECT_TRUE(told);
    seller().core.storage_recovered(at());
    pump();
    EXPECT_EQ(lane_at_seller(), Lane::fast);
}

TEST_F(LanesCoreTest, ABroadcastTheNodeRefusesForGoodMovesThePayerToSlow) {
    connect();
    chain_.refuse_next = true;
    transfer(4 * kMiB);
    EXPECT_EQ(lane_at_seller(), Lane::slow);
    EXPECT_EQ(seller().grants_sent.back().grant.reason, "settlement failed");
}

TEST_F(LanesCoreTest, ASettlementWhoseBlockAForkDropsStopsCountingAndHoldsThePayer) {
    auto sell = seller_config(seller_key_.address());
    sell.max_window = 8 * kMiB;
    sell_on(sell);
    connect();
    transfer(4 * kMiB);  // the first settlement: [0, 1.17 BTT)
    chain_.make_block();
    second();
    auto const first = seller().ledger->channel(earn_key()).settled;
    ASSERT_GT(first, 0);
    transfer(4 * kMiB);  // the second: [1.17, 2.34 BTT)
    chain_.make_block();
    second();
    ASSERT_GT(seller().ledger->channel(earn_key()).settled, first);
    // A fork drops the block with the second settlement: the seller counts only the first again.
    chain_.drop_newest_block();
    second();
    EXPECT_EQ(seller().ledger->channel(earn_key()).settled, first);
    // Broadcast again, it returns in the next block, and counts again.
    chain_.make_block();
    second();
    second();
    auto const channel = seller().ledger->channel(earn_key());
    EXPECT_EQ(channel.settled, channel.iou_amount);
    EXPECT_EQ(lane_at_seller(), Lane::fast);
}

// --- Buyer ---

TEST_F(LanesCoreTest, TheBuyerPaysOnlyForTheLaneItAskedForAndLeavesASellerThatInsists) {
    buyer().core.set_lane(kTorrent, Lane::medium, Caps{1000 * kBtt, 0, 0}, at());
    connect();
    // A hostile seller grants fast although medium was asked for.
    msg::Grant grant{Lane::fast, 300 * kBtt, 8 * kMiB, false, "requested"};
    deliver(buyer(), grant);
    buyer().core.take_commands();
    transfer(6 * kMiB);
    EXPECT_EQ(buyer().ledger->channel(spend_key()).iou_amount, 0) << "nothing signed for fast";
    for (int i = 0; i < 4; ++i) second();
    EXPECT_GE(buyer().disconnects, 1);
}

TEST_F(LanesCoreTest, AWalletUnlockedLaterBuysTheLaneChosenBefore) {
    // The GUI: torrents are added with a lane before the wallet is unlocked.
    buyer_side_ = std::make_unique<Side>("buyer-locked", std::nullopt, std::nullopt);
    buyer().core.set_lane(kTorrent, Lane::medium, Caps{300 * kBtt, 0, 0}, at());
    connect();
    EXPECT_EQ(lane_at_seller(), Lane::slow);
    buyer().core.set_buy_config(BuyConfig{buyer_key_, "1002000", Lane::slow, caps()}, at());
    pump();
    EXPECT_EQ(lane_at_seller(), Lane::medium) << "the lane chosen before the unlock";
    transfer(3 * kMiB);
    EXPECT_EQ(buyer().ledger->channel(spend_key()).iou_amount, cost_of(2 * kMiB, 100 * kBtt));
}

TEST_F(LanesCoreTest, IousNeverPassTheCapsWhateverTheSellerSends) {
    buyer().core.set_lane(kTorrent, Lane::fast, Caps{300 * kBtt, 1 * kBtt, 0}, at());
    connect();
    transfer(16 * kMiB);  // 4.7 BTT of service
    EXPECT_LE(buyer().ledger->channel(spend_key()).iou_amount, 1 * kBtt);
    EXPECT_LE(buyer().ledger->total_for_torrent(Role::spend, kTorrent), 1 * kBtt);
    // The buyer asked for slow once the cap was reached.
    auto const requests = received_by<msg::Request>(seller());
    ASSERT_FALSE(requests.empty());
    EXPECT_EQ(requests.back().lane, Lane::slow);
}

TEST_F(LanesCoreTest, LeavingAPaidLanePaysForItAtOnce) {
    connect();
    transfer(kMiB + kMiB / 2);  // below one IOU step: not paid yet
    auto const before = received_by<msg::Iou>(seller()).size();
    buyer().core.set_lane(kTorrent, Lane::slow, caps(), at());
    pump();
    auto const ious = received_by<msg::Iou>(seller());
    ASSERT_EQ(ious.size(), before + 1);
    EXPECT_EQ(ious.back().amount, cost_of(kMiB + kMiB / 2, 300 * kBtt));
}

// A buyer with two connections in one channel (two torrents from one seller) signs IOUs in seq
// order, but two sockets can deliver them out of order, and the seller refuses the one that comes
// second as stale (seen once in ten runs of EnforcerTest.ASecondPaidTorrent...: the honest payer
// was held in slow and told `stale_iou`). A channel's IOUs therefore all go out on one of its
// connections, the oldest still open, whichever torrent's bytes they pay for.
TEST_F(LanesCoreTest, AChannelsIousGoOutOnOneConnectionSoTheyCannotOvertakeEachOther) {
    auto& core = buyer().core;
    std::array<std::uint8_t, 20> seller_id{}, buyer_id{};
    seller_id.fill(0x51);
    buyer_id.fill(0x52);
    Hello seller_hello;
    seller_hello.nonce.fill(0x11);
    seller_hello.offer = offer_of(sell_config_);
    std::string const torrents[] = {kTorrent, "fedcba9876543210fedcba9876543210fedcba98"};
    for (ConnectionId id : {ConnectionId{1}, ConnectionId{2}}) {
        PeerConn peer;
        peer.id = id;
        peer.torrent = torrents[id - 1];
        peer.ip = "127.0.0.1";
        peer.port = 6881;
        peer.our_nonce.fill(0x22);
        core.on_opened(peer, at());
        core.on_hello(id, {seller_id, buyer_id, "seller", 6881, seller_hello, {}}, at());
        msg::Grant grant{Lane::fast, sell_config_.price_per_gib[static_cast<int>(Lane::fast)],
                         8 * kMiB, false, "requested"};
        core.on_message(id, Message{grant}, {}, 0, at());
    }
    (void)core.take_commands();
    std::vector<ConnectionId> carriers;
    std::int64_t received[3] = {0, 0, 0};
    for (int step = 0; step < 8; ++step) {
        // Both torrents' bytes arrive, the second one's more often.
        for (ConnectionId id : {ConnectionId{2}, ConnectionId{2}, ConnectionId{1}}) {
            received[id] += kMiB;
            core.on_traffic(id, 0, received[id], false, at());
        }
        for (auto const& command : core.take_commands()) {
            auto const* send = std::get_if<command::Send>(&command);
            if (send && std::holds_alternative<msg::Iou>(send->message)) {
                carriers.push_back(send->conn);
            }
        }
    }
    ASSERT_GE(carriers.size(), 4u);
    for (auto const carrier : carriers) EXPECT_EQ(carrier, 1u);
    // Once that connection closes, the next one carries them.
    core.on_closed(1, 0, received[1], at());
    (void)core.take_commands();
    received[2] += 4 * kMiB;
    core.on_traffic(2, 0, received[2], false, at());
    bool carried_on_two = false;
    for (auto const& command : core.take_commands()) {
        auto const* send = std::get_if<command::Send>(&command);
        if (send && std::holds_alternative<msg::Iou>(send->message)) {
            EXPECT_EQ(send->conn, 2u);
            carried_on_two = true;
        }
    }
    EXPECT_TRUE(carried_on_two);
}

TEST_F(LanesCoreTest, ABuyerWhoseLedgerIsBehindContinuesFromItsOwnIouTheSellerHolds) {
    connect();
    transfer(4 * kMiB);
    chain_.make_block();
    second();
    disconnect();
    auto const first_device = buyer().ledger->channel(spend_key());
    ASSERT_GT(first_device.iou_amount, 0);
    // The same wallet from a second profile (or a restored backup): an empty ledger.
    buyer_side_ = new_buyer("buyer-second-device");
    connect();
    transfer(4 * kMiB);
    chain_.make_block();
    second();
    EXPECT_FALSE(seller_rejected("stale_iou"));
    EXPECT_FALSE(seller_rejected("bad_settle_req"));
    EXPECT_EQ(lane_at_seller(), Lane::fast);
    auto const second_device = buyer().ledger->channel(spend_key());
    auto const seller_state = seller().ledger->channel(earn_key());
    EXPECT_EQ(second_device.iou_amount, seller_state.iou_amount);
    EXPECT_EQ(second_device.iou_amount, first_device.iou_amount + cost_of(4 * kMiB, 300 * kBtt));
    // One debt, one transfer: the second device never signed what the first one settled.
    for (auto const& record : buyer().ledger->settlements(Role::spend)) {
        EXPECT_GE(record.from, first_device.settled);
    }
}

TEST_F(LanesCoreTest, AChannelStateNotSignedByUsIsIgnored) {
    connect();
    transfer(3 * kMiB);
    auto const state = buyer().ledger->channel(spend_key());
    msg::ChannelState forged{state.iou_amount + 10 * kBtt, state.iou_seq + 5, {}, 0};
    forged.signature[0] = 1;
    deliver(buyer(), forged);
    pump();
    EXPECT_EQ(buyer().ledger->channel(spend_key()).iou_amount, state.iou_amount);
}

TEST_F(LanesCoreTest, NeverTwoSettlementsForOneDebt) {
    connect();
    transfer(4 * kMiB);
    auto const signed_ = received_by<msg::Settlement>(seller());
    ASSERT_EQ(signed_.size(), 1u);
    // The seller asks for the same range again (it lost our answer): the same transaction.
    auto const ask = received_by<msg::SettleRequest>(buyer()).back();
    deliver(buyer(), ask);
    pump();
    auto const again = received_by<msg::Settlement>(seller());
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(again.back().transaction, again.front().transaction);
}

}  // namespace
}  // namespace lanetorrent::lanes
