// The lanes ledger against a real SQLite file: the IOU and settlement rules, the derived amounts,
// persistence, a second connection, and kill -9 at random instants in a child process.
#include "lanes/ledger.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::lanes {
namespace {

using namespace std::chrono_literals;
using lanetorrent::test::TempDir;

ChannelKey key(Role role = Role::spend, std::string payee = "TPayee") {
    return ChannelKey{role, "TPayer", std::move(payee), "1002000"};
}

IouRecord iou(ChannelKey const& channel, Units amount, std::int64_t seq,
              std::string torrent = "torrent-a", std::int64_t at_ms = 1'000) {
    return IouRecord{channel, std::move(torrent), amount, seq, std::string(65, 's'), at_ms};
}

SettlementRecord settlement(std::string txid, ChannelKey const& channel, Units from, Units to,
                            std::int64_t created_ms = 1'000) {
    return SettlementRecord{
        std::move(txid),           channel, from,       to,        "signed-transaction",
        SettlementStatus::signed_, 0,       created_ms, created_ms};
}

class LedgerTest : public ::testing::Test {
  protected:
    std::filesystem::path file() const { return dir_.path() / "profile" / "lanes.sqlite"; }

    std::unique_ptr<Ledger> open() {
        auto ledger = Ledger::open(file());
        EXPECT_TRUE(ledger) << ledger.error();
        return ledger ? std::move(ledger).value() : nullptr;
    }

    TempDir dir_{"ledger-test"};
};

TEST_F(LedgerTest, IousMustIncreaseInAmountAndSeq) {
    auto ledger = open();
    auto const k = key();
    auto first = ledger->record_iou(iou(k, 100, 1));
    ASSERT_TRUE(first) << first.error();
    EXPECT_EQ(*first, 100);

    auto stale_amount = ledger->record_iou(iou(k, 90, 2));
    ASSERT_FALSE(stale_amount);
    EXPECT_EQ(stale_amount.error(), "IOU amount 90 does not exceed 100");
    auto equal_amount = ledger->record_iou(iou(k, 100, 2));
    ASSERT_FALSE(equal_amount);
    EXPECT_EQ(equal_amount.error(), "IOU amount 100 does not exceed 100");
    auto stale_seq = ledger->record_iou(iou(k, 150, 0));
    ASSERT_FALSE(stale_seq);
    EXPECT_EQ(stale_seq.error(), "IOU seq 0 does not exceed 1");
    auto equal_seq = ledger->record_iou(iou(k, 150, 1));
    ASSERT_FALSE(equal_seq);
    EXPECT_EQ(equal_seq.error(), "IOU seq 1 does not exceed 1");

    auto const unchanged = ledger->channel(k);
    EXPECT_EQ(unchanged.iou_amount, 100);
    EXPECT_EQ(unchanged.iou_seq, 1);
    EXPECT_EQ(unchanged.iou_signature, std::string(65, 's'));
    EXPECT_EQ(ledger->ious(k).size(), 1u);
    EXPECT_EQ(ledger->total(Role::spend), 100);

    auto second = ledger->record_iou(iou(k, 150, 5));
    ASSERT_TRUE(second) << second.error();
    EXPECT_EQ(*second, 50);
    EXPECT_EQ(ledger->channel(k).iou_seq, 5);
    EXPECT_EQ(ledger->ious(k).size(), 2u);
}

TEST_F(LedgerTest, ChannelsAndRolesAreIndependent) {
    auto ledger = open();
    auto const spend_a = key(Role::spend, "TPayeeA");
    auto const spend_b = key(Role::spend, "TPayeeB");
    auto const earn_a = key(Role::earn, "TPayeeA");  // same addresses, the other side's book
    ASSERT_TRUE(ledger->record_iou(iou(spend_a, 500, 10)));
    ASSERT_TRUE(ledger->record_iou(iou(spend_b, 20, 1)));  // low amount and seq: another channel
    ASSERT_TRUE(ledger->record_iou(iou(earn_a, 7, 1)));

    EXPECT_EQ(ledger->channel(spend_a).iou_amount, 500);
    EXPECT_EQ(ledger->channel(spend_b).iou_amount, 20);
    EXPECT_EQ(ledger->channel(earn_a).iou_amount, 7);
    EXPECT_EQ(ledger->channel(key(Role::earn, "TNobody")).iou_amount, 0);
    EXPECT_EQ(ledger->total(Role::spend), 520);
    EXPECT_EQ(ledger->total(Role::earn), 7);
    EXPECT_EQ(ledger->channels(Role::spend), (std::vector<ChannelKey>{spend_a, spend_b}));
    EXPECT_EQ(ledger->channels(Role::earn), (std::vector<ChannelKey>{earn_a}));

    ASSERT_TRUE(ledger->add_settlement(settlement("tx-earn", earn_a, 0, 7)));
    EXPECT_EQ(ledger->settlements(Role::earn).size(), 1u);
    EXPECT_TRUE(ledger->settlements(Role::spend).empty());
    EXPECT_FALSE(ledger->open_settlement(spend_a));
}

TEST_F(LedgerTest, SettlementLifecycleRaisesSettledOnce) {
    auto ledger = open();
    auto const k = key();
    ASSERT_TRUE(ledger->record_iou(iou(k, 100, 1, "torrent-a", 1'000)));
    ASSERT_TRUE(ledger->record_iou(iou(k, 200, 2, "torrent-a", 2'000)));
    EXPECT_EQ(ledger->channel(k).first_unsettled_ms, 1'000);

    ASSERT_TRUE(ledger->add_settlement(settlement("tx1", k, 0, 150, 3'000)));
    ASSERT_TRUE(ledger->open_settlement(k));
    EXPECT_EQ(ledger->open_settlement(k)->txid, "tx1");
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::pending, 0, 3'100));
    EXPECT_EQ(ledger->channel(k).settled, 0);

    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::confirmed, 77, 4'000));
    auto state = ledger->channel(k);
    EXPECT_EQ(state.settled, 150);
    EXPECT_EQ(state.last_settled_ms, 4'000);
    EXPECT_EQ(state.first_unsettled_ms, 2'000);  // the IOU to 200 is only partly settled
    // Repeating a status is a no-op, and solidifying does not count the transfer again.
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::confirmed, 77, 4'500));
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::solidified, 77, 5'000));
    state = ledger->channel(k);
    EXPECT_EQ(state.settled, 150);
    EXPECT_EQ(state.last_settled_ms, 4'000);
    EXPECT_FALSE(ledger->open_settlement(k));

    auto const record = ledger->settlement("tx1");
    ASSERT_TRUE(record);
    EXPECT_EQ(record->status, SettlementStatus::solidified);
    EXPECT_EQ(record->block, 77);
    EXPECT_EQ(record->from, 0);
    EXPECT_EQ(record->to, 150);
    EXPECT_EQ(record->transaction, "signed-transaction");
    EXPECT_EQ(record->channel, k);
    EXPECT_EQ(record->created_ms, 3'000);
    EXPECT_EQ(record->updated_ms, 5'000);

    ASSERT_TRUE(ledger->add_settlement(settlement("tx2", k, 150, 200, 6'000)));
    ASSERT_TRUE(ledger->set_settlement_status("tx2", SettlementStatus::confirmed, 80, 7'000));
    state = ledger->channel(k);
    EXPECT_EQ(state.settled, 200);
    EXPECT_EQ(state.first_unsettled_ms, 0);
    EXPECT_EQ(ledger->settlements(Role::spend).front().txid, "tx2");  // newest first
}

TEST_F(LedgerTest, ReplayedTxidIsRefused) {
    auto ledger = open();
    ASSERT_TRUE(ledger->add_settlement(settlement("tx1", key(), 0, 100)));
    auto const replay = ledger->add_settlement(settlement("tx1", key(), 100, 200));
    ASSERT_FALSE(replay);
    EXPECT_NE(replay.error().find("already recorded"), std::string::npos) << replay.error();
    // Also once the first has failed: a txid names one transaction forever.
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::failed, 0, 2'000));
    EXPECT_FALSE(ledger->add_settlement(settlement("tx1", key(), 0, 100)));
    EXPECT_EQ(ledger->settlements(Role::spend).size(), 1u);
}

TEST_F(LedgerTest, OneLiveSettlementPerDebt) {
    auto ledger = open();
    auto const k = key();
    ASSERT_TRUE(ledger->add_settlement(settlement("tx1", k, 0, 100)));
    auto const second = ledger->add_settlement(settlement("tx2", k, 0, 120));
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().find("tx1"), std::string::npos) << second.error();
    EXPECT_FALSE(ledger->settlement("tx2"));
    // The same debt in another channel is another debt.
    EXPECT_TRUE(ledger->add_settlement(settlement("tx3", key(Role::earn), 0, 100)));

    // Once the first failed, the debt may be settled again.
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::failed, 0, 2'000));
    EXPECT_FALSE(ledger->open_settlement(k));
    ASSERT_TRUE(ledger->add_settlement(settlement("tx2", k, 0, 120)));
    EXPECT_EQ(ledger->open_settlement(k)->txid, "tx2");
    EXPECT_FALSE(ledger->add_settlement(settlement("tx4", k, 0, 130)));
}

TEST_F(LedgerTest, TheUniqueIndexHoldsEvenAgainstDirectWrites) {
    auto ledger = open();
    ASSERT_TRUE(ledger->add_settlement(settlement("tx1", key(), 0, 100)));
    sqlite::Database raw(file(), sqlite::Sync::full);
    EXPECT_THROW(raw.exec("INSERT INTO settlements SELECT 'tx9', role, payer, payee, asset, "
                          "from_amount, to_amount, transaction_bytes, 'pending', block, "
                          "created_ms, updated_ms FROM settlements WHERE txid = 'tx1'"),
                 sqlite::SqliteError);
}

TEST_F(LedgerTest, StatusNeverMovesBackwardsButForAFork) {
    auto ledger = open();
    auto const k = key();
    ASSERT_TRUE(ledger->add_settlement(settlement("tx1", k, 0, 100)));
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::pending, 0, 2'000));
    EXPECT_FALSE(ledger->set_settlement_status("tx1", SettlementStatus::signed_, 0, 2'100));
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::confirmed, 5, 2'200));
    auto const back = ledger->set_settlement_status("tx1", SettlementStatus::signed_, 0, 2'300);
    ASSERT_FALSE(back);
    EXPECT_EQ(back.error(), "settlement tx1 cannot go from confirmed to signed");
    EXPECT_EQ(ledger->settlement("tx1")->status, SettlementStatus::confirmed);
    EXPECT_EQ(ledger->channel(k).settled, 100);

    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::solidified, 5, 2'400));
    EXPECT_FALSE(ledger->set_settlement_status("tx1", SettlementStatus::failed, 0, 2'500));
    EXPECT_FALSE(ledger->set_settlement_status("tx1", SettlementStatus::confirmed, 5, 2'500));
    EXPECT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::solidified, 5, 2'600));

    // failed is final too.
    ASSERT_TRUE(ledger->add_settlement(settlement("tx2", k, 100, 200)));
    ASSERT_TRUE(ledger->set_settlement_status("tx2", SettlementStatus::failed, 0, 3'000));
    EXPECT_FALSE(ledger->set_settlement_status("tx2", SettlementStatus::pending, 0, 3'100));

    auto const unknown = ledger->set_settlement_status("nope", SettlementStatus::pending, 0, 1);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error(), "no settlement nope in the ledger");
}

TEST_F(LedgerTest, AConfirmedSettlementThatFailsStopsCounting) {
    // A fork can drop a transaction from a block that never became solid.
    auto ledger = open();
    auto const k = key();
    ASSERT_TRUE(ledger->add_settlement(settlement("tx1", k, 0, 100)));
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::confirmed, 5, 2'000));
    EXPECT_EQ(ledger->channel(k).settled, 100);
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::failed, 0, 3'000));
    EXPECT_EQ(ledger->channel(k).settled, 0);
}

TEST_F(LedgerTest, SettledIsTheContiguousRunOfRangesInABlock) {
    // A seller's settlements begin at 0; if a fork drops the block of an earlier one after a
    // later one confirmed, the gap does not count as paid, and neither does anything after it.
    auto ledger = open();
    auto const k = key(Role::earn);
    ASSERT_TRUE(ledger->add_settlement(settlement("tx1", k, 0, 100)));
    ASSERT_TRUE(ledger->add_settlement(settlement("tx2", k, 100, 250)));
    ASSERT_TRUE(ledger->set_settlement_status("tx2", SettlementStatus::confirmed, 6, 2'000));
    EXPECT_EQ(ledger->channel(k).settled, 0) << "tx1 is not in a block: nothing is paid from 0";
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::confirmed, 5, 2'000));
    EXPECT_EQ(ledger->channel(k).settled, 250);
    // The fork: tx1's block is gone; it is pending again (the only move back).
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::pending, 0, 3'000));
    EXPECT_EQ(ledger->channel(k).settled, 0);
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::confirmed, 7, 4'000));
    EXPECT_EQ(ledger->channel(k).settled, 250);
    // Solid settlements never move back.
    ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::solidified, 7, 5'000));
    EXPECT_FALSE(ledger->set_settlement_status("tx1", SettlementStatus::pending, 0, 6'000));
}

TEST_F(LedgerTest, APayersSecondDeviceCountsFromWhereItsSettlementsBegin) {
    // The first device settled [0, 100); the second one's ledger begins at 100.
    auto ledger = open();
    auto const k = key(Role::spend);
    ASSERT_TRUE(ledger->add_settlement(settlement("tx2", k, 100, 250)));
    ASSERT_TRUE(ledger->set_settlement_status("tx2", SettlementStatus::confirmed, 6, 2'000));
    EXPECT_EQ(ledger->channel(k).settled, 250);
}

TEST_F(LedgerTest, NothingToSettleIsRefused) {
    auto ledger = open();
    EXPECT_FALSE(ledger->add_settlement(settlement("tx1", key(), 100, 100)));
    EXPECT_FALSE(ledger->add_settlement(settlement("tx1", key(), 100, 50)));
}

TEST_F(LedgerTest, TotalsPerTorrentAndSince) {
    auto ledger = open();
    auto const a = key(Role::spend, "TPayeeA");
    auto const b = key(Role::spend, "TPayeeB");
    ASSERT_TRUE(ledger->record_iou(iou(a, 100, 1, "torrent-1", 1'000)));
    ASSERT_TRUE(ledger->record_iou(iou(a, 130, 2, "torrent-2", 2'000)));  // +30
    ASSERT_TRUE(ledger->record_iou(iou(b, 50, 1, "torrent-1", 3'000)));
    ASSERT_TRUE(ledger->record_iou(iou(a, 200, 3, "torrent-1", 4'000)));  // +70
    ASSERT_TRUE(ledger->record_iou(iou(key(Role::earn), 999, 1, "torrent-1", 4'000)));

    EXPECT_EQ(ledger->total_for_torrent(Role::spend, "torrent-1"), 220);
    EXPECT_EQ(ledger->total_for_torrent(Role::spend, "torrent-2"), 30);
    EXPECT_EQ(ledger->total_for_torrent(Role::spend, "torrent-3"), 0);
    EXPECT_EQ(ledger->total_since(Role::spend, 2'000), 150);
    EXPECT_EQ(ledger->total_since(Role::spend, 4'001), 0);
    EXPECT_EQ(ledger->total(Role::spend), 250);
    EXPECT_EQ(ledger->total(Role::earn), 999);
    EXPECT_EQ(ledger->total_for_torrent(Role::earn, "torrent-1"), 999);
    auto const spent = ledger->totals_by_torrent(Role::spend);
    ASSERT_EQ(spent.size(), 2u);
    EXPECT_EQ(spent.at("torrent-1"), 220);
    EXPECT_EQ(spent.at("torrent-2"), 30);
    EXPECT_EQ(ledger->totals_by_torrent(Role::earn).at("torrent-1"), 999);

    auto const log = ledger->ious(a);
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log[1].torrent, "torrent-2");
    EXPECT_EQ(log[1].amount, 130);
    EXPECT_EQ(log[1].seq, 2);
    EXPECT_EQ(log[1].at_ms, 2'000);
    EXPECT_EQ(log[1].channel, a);
}

// The wallet history names what each settlement paid for: the IOU increases inside its range,
// per torrent, a straddling increase split at the boundary.
TEST_F(LedgerTest, SettlementTorrentsAreTheIousInsideItsRange) {
    auto ledger = open();
    auto const a = key(Role::spend, "TPayeeA");
    ASSERT_TRUE(ledger->record_iou(iou(a, 100, 1, "torrent-1")));  // (0, 100]
    ASSERT_TRUE(ledger->record_iou(iou(a, 130, 2, "torrent-2")));  // (100, 130]
    ASSERT_TRUE(ledger->record_iou(iou(a, 200, 3, "torrent-1")));  // (130, 200]
    ASSERT_TRUE(ledger->record_iou(iou(a, 260, 4, "torrent-2")));  // (200, 260]
    // Another channel and the other role with the same torrents: not part of it.
    ASSERT_TRUE(ledger->record_iou(iou(key(Role::spend, "TPayeeB"), 500, 1, "torrent-1")));
    ASSERT_TRUE(ledger->record_iou(iou(key(Role::earn, "TPayeeA"), 500, 1, "torrent-1")));

    auto const first = ledger->settlement_torrents(settlement("tx-1", a, 0, 130));
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first[0].torrent, "torrent-1");
    EXPECT_EQ(first[0].amount, 100);
    EXPECT_EQ(first[1].torrent, "torrent-2");
    EXPECT_EQ(first[1].amount, 30);

    // 150 .. 230: 50 of the third IOU, 30 of the fourth.
    auto const middle = ledger->settlement_torrents(settlement("tx-2", a, 150, 230));
    ASSERT_EQ(middle.size(), 2u);
    EXPECT_EQ(middle[0].torrent, "torrent-1");
    EXPECT_EQ(middle[0].amount, 50);
    EXPECT_EQ(middle[1].torrent, "torrent-2");
    EXPECT_EQ(middle[1].amount, 30);

    auto const all = ledger->settlement_torrents(settlement("tx-3", a, 0, 260));
    Units sum = 0;
    for (auto const& share : all) sum += share.amount;
    EXPECT_EQ(sum, 260);
    EXPECT_TRUE(ledger->settlement_torrents(settlement("tx-4", a, 260, 300)).empty());
    // Read only: the ledger is as it was.
    EXPECT_EQ(ledger->channel(a).iou_amount, 260);
    EXPECT_TRUE(ledger->settlements(Role::spend).empty());
}

TEST_F(LedgerTest, DailyTotalsPerUtcDayAndTorrent) {
    constexpr std::int64_t day = 86'400'000;
    auto ledger = open();
    auto const spend = key(Role::spend, "TPayeeA");
    auto const earn = key(Role::earn, "TPayeeB");
    ASSERT_TRUE(ledger->record_iou(iou(spend, 100, 1, "torrent-1", 10 * day + 5)));
    ASSERT_TRUE(ledger->record_iou(iou(spend, 130, 2, "torrent-2", 10 * day + day - 1)));  // +30
    ASSERT_TRUE(ledger->record_iou(iou(earn, 40, 1, "torrent-1", 10 * day + 7)));
    ASSERT_TRUE(ledger->record_iou(iou(earn, 45, 2, "torrent-1", 12 * day)));        // +5
    ASSERT_TRUE(ledger->record_iou(iou(spend, 200, 3, "torrent-1", 12 * day + 1)));  // +70

    auto const all = ledger->daily_totals(0);
    ASSERT_EQ(all.size(), 2u);  // day 11 had nothing
    EXPECT_EQ(all[0].day_start_ms, 10 * day);
    EXPECT_EQ(all[0].earned, 40);
    EXPECT_EQ(all[0].spent, 130);
    EXPECT_EQ(all[1].day_start_ms, 12 * day);
    EXPECT_EQ(all[1].earned, 5);
    EXPECT_EQ(all[1].spent, 70);

    auto const one = ledger->daily_totals(0, "torrent-2");
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].spent, 30);
    EXPECT_EQ(one[0].earned, 0);

    auto const recent = ledger->daily_totals(12 * day);
    ASSERT_EQ(recent.size(), 1u);
    EXPECT_EQ(recent[0].spent, 70);
    EXPECT_TRUE(ledger->daily_totals(0, "torrent-3").empty());
}

TEST_F(LedgerTest, IousWithoutATimeGetTheClock) {
    auto ledger = open();
    auto const before = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    ASSERT_TRUE(ledger->record_iou(iou(key(), 10, 1, "t", 0)));
    EXPECT_GE(ledger->ious(key()).front().at_ms, before);
    EXPECT_GE(ledger->channel(key()).first_unsettled_ms, before);
}

TEST_F(LedgerTest, TrafficAccumulatesPerLane) {
    auto ledger = open();
    ledger->add_traffic({{Role::earn, "t1", "TPeer", Lane::fast, 1000},
                         {Role::earn, "t1", "TPeer", Lane::slow, 10},
                         {Role::earn, "t1", "1.2.3.4", Lane::slow, 5},
                         {Role::spend, "t1", "TPeer", Lane::medium, 7}});
    ledger->add_traffic({{Role::earn, "t1", "TPeer", Lane::fast, 24},
                         {Role::earn, "t2", "TPeer", Lane::medium, 3}});

    auto const earn = ledger->traffic(Role::earn);
    ASSERT_EQ(earn.size(), 3u);
    EXPECT_EQ(earn[0].torrent, "t1");
    EXPECT_EQ(earn[0].peer, "1.2.3.4");
    EXPECT_EQ(earn[0].bytes, (std::array<std::int64_t, lane_count>{5, 0, 0}));
    EXPECT_EQ(earn[1].peer, "TPeer");
    EXPECT_EQ(earn[1].bytes, (std::array<std::int64_t, lane_count>{10, 0, 1024}));
    EXPECT_EQ(earn[2].torrent, "t2");
    EXPECT_EQ(earn[2].bytes, (std::array<std::int64_t, lane_count>{0, 3, 0}));
    auto const spend = ledger->traffic(Role::spend);
    ASSERT_EQ(spend.size(), 1u);
    EXPECT_EQ(spend[0].role, Role::spend);
    EXPECT_EQ(spend[0].bytes, (std::array<std::int64_t, lane_count>{0, 7, 0}));
}

TEST_F(LedgerTest, LivePeersAreReplacedWhole) {
    auto ledger = open();
    ledger->replace_live_peers(
        {{Role::earn, "t1", "1.2.3.4:6881", "LT", "TA", Lane::fast, 100, 5, 50, 1'000},
         {Role::spend, "t2", "5.6.7.8:6881", "qB", "", Lane::slow, 0, 0, 0, 1'000}});
    ASSERT_EQ(ledger->live_peers().size(), 2u);
    ledger->replace_live_peers(
        {{Role::spend, "t3", "9.9.9.9:1", "Tr", "TB", Lane::medium, 42, 3, 9, 2'000}});
    auto const peers = ledger->live_peers();
    ASSERT_EQ(peers.size(), 1u);
    EXPECT_EQ(peers[0].role, Role::spend);
    EXPECT_EQ(peers[0].torrent, "t3");
    EXPECT_EQ(peers[0].endpoint, "9.9.9.9:1");
    EXPECT_EQ(peers[0].client, "Tr");
    EXPECT_EQ(peers[0].address, "TB");
    EXPECT_EQ(peers[0].lane, Lane::medium);
    EXPECT_EQ(peers[0].rate, 42);
    EXPECT_EQ(peers[0].debt, 3);
    EXPECT_EQ(peers[0].paid, 9);
    EXPECT_EQ(peers[0].updated_ms, 2'000);
    ledger->replace_live_peers({});
    EXPECT_TRUE(ledger->live_peers().empty());
}

TEST_F(LedgerTest, ReopeningKeepsEverything) {
    auto const k = key(Role::earn);
    {
        auto ledger = open();
        ASSERT_TRUE(ledger->record_iou(iou(k, 100, 1, "t1", 1'000)));
        ASSERT_TRUE(ledger->record_iou(iou(k, 300, 2, "t1", 2'000)));
        ASSERT_TRUE(ledger->add_settlement(settlement("tx1", k, 0, 100)));
        ASSERT_TRUE(ledger->set_settlement_status("tx1", SettlementStatus::confirmed, 9, 3'000));
        ASSERT_TRUE(ledger->add_settlement(settlement("tx2", k, 100, 300)));
        ledger->add_traffic({{Role::earn, "t1", "TPeer", Lane::fast, 4096}});
        ledger->replace_live_peers(
            {{Role::earn, "t1", "1.2.3.4:1", "LT", "TPeer", Lane::fast, 1, 2, 3, 4}});
    }
    auto ledger = open();
    auto const state = ledger->channel(k);
    EXPECT_EQ(state.iou_amount, 300);
    EXPECT_EQ(state.iou_seq, 2);
    EXPECT_EQ(state.settled, 100);
    EXPECT_EQ(state.last_settled_ms, 3'000);
    EXPECT_EQ(state.first_unsettled_ms, 2'000);
    EXPECT_EQ(ledger->ious(k).size(), 2u);
    EXPECT_EQ(ledger->total(Role::earn), 300);
    EXPECT_EQ(ledger->settlement("tx1")->status, SettlementStatus::confirmed);
    EXPECT_EQ(ledger->open_settlement(k)->txid, "tx2");  // the newest of tx1 (confirmed) and tx2
    EXPECT_EQ(ledger->settlements(Role::earn).size(), 2u);
    EXPECT_FALSE(ledger->add_settlement(settlement("tx3", k, 100, 300)));
    ASSERT_EQ(ledger->traffic(Role::earn).size(), 1u);
    EXPECT_EQ(ledger->traffic(Role::earn)[0].bytes[2], 4096);
    EXPECT_EQ(ledger->live_peers().size(), 1u);
    EXPECT_FALSE(ledger->record_iou(iou(k, 300, 3)));
}

TEST_F(LedgerTest, TheFileIsPrivateAndItsDirectoryCreated) {
    auto ledger = open();
    ASSERT_TRUE(ledger);
    struct stat info {};
    ASSERT_EQ(::stat(file().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
    ASSERT_TRUE(ledger->record_iou(iou(key(), 1, 1)));
    ASSERT_EQ(::stat((file().string() + "-wal").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
}

TEST_F(LedgerTest, AnExistingLooseFileIsTightened) {
    std::filesystem::create_directories(file().parent_path());
    { std::ofstream(file()).flush(); }
    ::chmod(file().c_str(), 0644);
    ASSERT_TRUE(open());
    struct stat info {};
    ASSERT_EQ(::stat(file().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600);
}

TEST_F(LedgerTest, ACorruptFileIsAClearError) {
    std::filesystem::create_directories(file().parent_path());
    {
        std::ofstream out(file(), std::ios::binary);
        out << std::string(8192, 'x');
    }
    auto const ledger = Ledger::open(file());
    ASSERT_FALSE(ledger);
    EXPECT_NE(ledger.error().find("is not a valid LaneTorrent ledger"), std::string::npos)
        << ledger.error();
    EXPECT_NE(ledger.error().find(file().string()), std::string::npos) << ledger.error();
}

TEST_F(LedgerTest, ANewerSchemaIsRefused) {
    ASSERT_TRUE(open());
    {
        sqlite::Database raw(file(), sqlite::Sync::full);
        raw.exec("PRAGMA user_version = 99");
    }
    auto const ledger = Ledger::open(file());
    ASSERT_FALSE(ledger);
    EXPECT_NE(ledger.error().find("schema version 99"), std::string::npos) << ledger.error();
}

TEST_F(LedgerTest, AReaderIsNotBlockedByAnOpenWriteTransaction) {
    auto writer = open();
    ASSERT_TRUE(writer->record_iou(iou(key(), 10, 1)));
    sqlite::Database raw(file(), sqlite::Sync::full);
    sqlite::WriteTransaction holding(raw);
    raw.exec("UPDATE channels SET iou_amount = 999");  // not committed
    auto reader = open();
    ASSERT_TRUE(reader);
    EXPECT_EQ(reader->channel(key()).iou_amount, 10);
    EXPECT_EQ(reader->total(Role::spend), 10);
}

// Runs `body` in a forked child that ends with _exit (never returning into gtest). The parent
// must hold no open Ledger across fork(): an SQLite connection must not be shared with a child.
template <class Body>
pid_t spawn(Body body) {
    std::fflush(nullptr);
    pid_t const pid = ::fork();
    if (pid == 0) _exit(body());
    return pid;
}

// Waits for the child up to `timeout`, then SIGKILLs it. Returns the wait status.
int reap(pid_t pid, std::chrono::milliseconds timeout) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            break;
        }
        std::this_thread::sleep_for(1ms);
    }
    return status;
}

TEST_F(LedgerTest, AnotherProcessReadsAndWritesWhileOneWrites) {
    ASSERT_TRUE(open());  // created here, so the child never races the parent on the schema
    auto const k = key();
    constexpr std::int64_t count = 300;
    pid_t const child = spawn([&] {
        auto ledger = Ledger::open(file());
        if (!ledger) return 2;
        for (std::int64_t seq = 1; seq <= count; ++seq) {
            if (!(*ledger)->record_iou(iou(k, seq * 10, seq))) return 3;
        }
        return 0;
    });
    ASSERT_GT(child, 0);
    {
        auto ledger = open();
        // Reads see whole transactions only; writes on another channel wait for the lock
        // (busy_timeout) instead of failing.
        std::int64_t earn_seq = 0;
        while (ledger->channel(k).iou_seq < count && earn_seq < 5'000) {
            auto const state = ledger->channel(k);
            ASSERT_EQ(state.iou_amount, state.iou_seq * 10);
            ++earn_seq;
            auto const wrote = ledger->record_iou(iou(key(Role::earn), earn_seq, earn_seq));
            ASSERT_TRUE(wrote) << wrote.error();
        }
        EXPECT_EQ(ledger->total(Role::earn), earn_seq);
    }
    int const status = reap(child, 20s);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    EXPECT_EQ(open()->channel(k).iou_amount, count * 10);
}

// The child of the crash test: IOUs (amount = seq * 10) as fast as it can, and every 50 IOUs a
// settlement of everything so far moved through pending to confirmed. A settlement a previous
// child left open is driven on first. Exits only with an error code; the parent kills it.
int crash_writer(std::filesystem::path const& file, ChannelKey const& k) {
    auto opened = Ledger::open(file);
    if (!opened) return 2;
    auto& ledger = **opened;
    auto drive = [&](std::string const& txid, std::int64_t block) {
        bool const is_signed = ledger.settlement(txid)->status == SettlementStatus::signed_;
        if (is_signed && !ledger.set_settlement_status(txid, SettlementStatus::pending, 0, block)) {
            return false;
        }
        return ledger.set_settlement_status(txid, SettlementStatus::confirmed, block, block).ok();
    };
    if (auto open = ledger.open_settlement(k); open && !drive(open->txid, open->to)) return 3;
    for (std::int64_t seq = ledger.channel(k).iou_seq + 1;; ++seq) {
        if (!ledger.record_iou(iou(k, seq * 10, seq, "torrent-" + std::to_string(seq % 3), seq))) {
            return 4;
        }
        if (seq % 50 != 0) continue;
        auto const txid = "tx-" + std::to_string(seq);
        auto const from = ledger.channel(k).settled;
        if (!ledger.add_settlement(settlement(txid, k, from, seq * 10, seq))) return 5;
        if (!drive(txid, seq)) return 6;
    }
}

// What must hold after any kill: the channel row agrees with the IOU log and the settlements.
void expect_consistent(Ledger& ledger, ChannelKey const& k) {
    auto const state = ledger.channel(k);
    auto const log = ledger.ious(k);
    std::int64_t expected_seq = 0;
    for (auto const& record : log) {
        ASSERT_EQ(record.seq, ++expected_seq);  // no gap, no duplicate
        ASSERT_EQ(record.amount, record.seq * 10);
    }
    EXPECT_EQ(state.iou_seq, expected_seq);
    EXPECT_EQ(state.iou_amount, log.empty() ? 0 : log.back().amount);
    EXPECT_EQ(ledger.total(Role::spend), state.iou_amount);
    Units per_torrent = 0;
    for (int t = 0; t < 3; ++t) {
        per_torrent += ledger.total_for_torrent(Role::spend, "torrent-" + std::to_string(t));
    }
    EXPECT_EQ(per_torrent, state.iou_amount);

    Units confirmed_to = 0;
    std::set<Units> live_froms;
    int open = 0;
    for (auto const& s : ledger.settlements(Role::spend)) {
        EXPECT_TRUE(live_froms.insert(s.from).second) << "two settlements from " << s.from;
        EXPECT_NE(s.status, SettlementStatus::failed);
        if (s.status == SettlementStatus::confirmed) confirmed_to = std::max(confirmed_to, s.to);
        if (s.status != SettlementStatus::confirmed) ++open;
        EXPECT_LE(s.to, state.iou_amount);
    }
    EXPECT_LE(open, 1);  // the child settles one debt at a time
    EXPECT_EQ(state.settled, confirmed_to);
}

TEST_F(LedgerTest, KillNineAtRandomMomentsLosesNoMoneyAndCountsNothingTwice) {
    ASSERT_TRUE(open());
    auto const k = key();
    auto const seed = std::random_device{}();
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 random(seed);
    // Long enough rounds that several settlements happen (each commit is an fsync).
    std::uniform_int_distribution<int> delay_ms(5, 120);
    // At least 25 kills, and more (up to 60) until a few settlements have been exercised.
    int round = 0;
    for (std::size_t settlements = 0; round < 25 || (settlements < 3 && round < 60); ++round) {
        pid_t const child = spawn([&] { return crash_writer(file(), k); });
        ASSERT_GT(child, 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
        ::kill(child, SIGKILL);
        int status = 0;
        ASSERT_EQ(::waitpid(child, &status, 0), child);
        ASSERT_TRUE(WIFSIGNALED(status))
            << "round " << round << ": the writer exited with " << WEXITSTATUS(status);
        auto ledger = open();
        ASSERT_TRUE(ledger);
        SCOPED_TRACE("round " + std::to_string(round));
        expect_consistent(*ledger, k);
        if (HasFailure()) return;
        settlements = ledger->settlements(Role::spend).size();
    }
    auto ledger = open();
    auto const state = ledger->channel(k);
    std::printf("after %d kills: %lld IOUs, %zu settlements, settled %lld of %lld\n", round,
                static_cast<long long>(state.iou_seq), ledger->settlements(Role::spend).size(),
                static_cast<long long>(state.settled), static_cast<long long>(state.iou_amount));
    EXPECT_GE(ledger->settlements(Role::spend).size(), 3u);
}

}  // namespace
}  // namespace lanetorrent::lanes
