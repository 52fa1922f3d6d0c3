#include "ledger_invariants.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "tron/bytes.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::lanes {
Units expect_settlements_chain(std::string const& who, std::vector<SettlementRecord> settlements) {
    std::sort(settlements.begin(), settlements.end(), [](auto const& a, auto const& b) {
        return std::tie(a.from, a.created_ms) < std::tie(b.from, b.created_ms);
    });
    std::set<std::string> txids;
    Units reached = 0;
    for (auto const& s : settlements) {
        EXPECT_TRUE(txids.insert(s.txid).second) << who << ": settlement " << s.txid << " twice";
        EXPECT_LT(s.from, s.to) << who << ": settlement " << s.txid;
        if (s.status == SettlementStatus::failed) continue;
        EXPECT_EQ(s.from, reached) << who << ": settlement " << s.txid << " [" << s.from << ", "
                                   << s.to << ") overlaps or skips; the others reach " << reached;
        reached = std::max(reached, s.to);
    }
    return reached;
}

namespace {

// One side's view of one channel.
struct Side {
    ChannelState state;
    std::vector<IouRecord> ious;                // oldest first
    std::vector<SettlementRecord> settlements;  // this channel's only
};

// The state first, then the lists: a list can only have grown since, so the state's IOU is in it
// and its settled amount is covered by it.
Side read_side(Ledger const& ledger, ChannelKey const& key) {
    Side side;
    side.state = ledger.channel(key);
    side.ious = ledger.ious(key);
    for (auto& s : ledger.settlements(key.role)) {
        if (s.channel == key) side.settlements.push_back(std::move(s));
    }
    return side;
}

bool counted(SettlementStatus status) {
    return status == SettlementStatus::confirmed || status == SettlementStatus::solidified;
}

std::int64_t expiration_of(SettlementRecord const& record) {
    protocol::Transaction tx;
    if (!tx.ParseFromString(record.transaction)) return 0;
    return tx.raw_data().expiration();
}

void expect_state_in_list(std::string const& who, Side const& side) {
    if (side.state.iou_seq == 0) {
        EXPECT_EQ(side.state.iou_amount, 0) << who;
        return;
    }
    auto const it = std::find_if(side.ious.begin(), side.ious.end(),
                                 [&](auto const& iou) { return iou.seq == side.state.iou_seq; });
    ASSERT_NE(it, side.ious.end())
        << who << ": the channel's IOU seq " << side.state.iou_seq << " is not among its IOUs";
    EXPECT_EQ(it->amount, side.state.iou_amount) << who << ": IOU seq " << it->seq;
}

void expect_ious_agree(FollowedChannel const& c, Side const& seller, Side const& buyer,
                       bool quiet) {
    // The buyer continues its sequence after every restart: 1, 2, 3 ... with rising amounts.
    std::map<std::int64_t, Units> issued;
    for (std::size_t i = 0; i < buyer.ious.size(); ++i) {
        auto const& iou = buyer.ious[i];
        EXPECT_EQ(iou.seq, static_cast<std::int64_t>(i) + 1)
            << c.name << ": the buyer's IOU seqs skip or repeat";
        EXPECT_GT(iou.amount, i == 0 ? 0 : buyer.ious[i - 1].amount)
            << c.name << ": IOU seq " << iou.seq << " does not raise the amount";
        issued[iou.seq] = iou.amount;
    }
    expect_state_in_list(c.name + " (buyer)", buyer);
    expect_state_in_list(c.name + " (seller)", seller);

    // Every IOU the seller holds is one the buyer signed, same seq and amount.
    std::int64_t seller_last = 0;
    Units seller_amount = 0;
    std::set<std::int64_t> received;
    for (auto const& iou : seller.ious) {
        EXPECT_GT(iou.seq, seller_last) << c.name << ": the seller's IOU seqs repeat";
        EXPECT_GT(iou.amount, seller_amount) << c.name << ": the seller counts an IOU twice";
        seller_last = iou.seq;
        seller_amount = iou.amount;
        auto const it = issued.find(iou.seq);
        if (it == issued.end()) {
            ADD_FAILURE() << c.name << ": the seller holds IOU seq " << iou.seq
                          << " that the buyer never issued";
            continue;
        }
        EXPECT_EQ(it->second, iou.amount) << c.name << ": IOU seq " << iou.seq;
        received.insert(iou.seq);
    }
    EXPECT_LE(seller.state.iou_amount, buyer.state.iou_amount) << c.name;

    // An IOU the seller skipped is one a kill took; after its last one it may still be on its way.
    std::vector<std::int64_t> tail;
    for (auto const& [seq, amount] : issued) {
        if (received.count(seq)) continue;
        if (seq > seller_last) {
            tail.push_back(seq);
            continue;
        }
        EXPECT_TRUE(c.may_be_lost.count(seq))
            << c.name << ": IOU seq " << seq << " (" << amount
            << " units) never reached the seller, and no kill explains it";
    }
    if (!quiet) return;
    EXPECT_LE(tail.size(), 1u) << c.name << ": " << tail.size()
                               << " of the buyer's last IOUs never reached the seller";
    for (auto const seq : tail) {
        EXPECT_TRUE(c.may_be_lost.count(seq))
            << c.name << ": the buyer's last IOU (seq " << seq
            << ") never reached the seller, and no kill explains it";
    }
}

// The counted (confirmed, solidified) settlements come first in the chain; the channel's
// settled amount is where the counted ones end.
void expect_settlement_chain(std::string const& who, Side const& side, bool quiet) {
    auto const reached = expect_settlements_chain(who, side.settlements);
    auto sorted = side.settlements;
    std::erase_if(sorted, [](auto const& s) { return s.status == SettlementStatus::failed; });
    std::sort(sorted.begin(), sorted.end(),
              [](auto const& a, auto const& b) { return a.from < b.from; });
    Units counted_to = 0;
    bool open_seen = false;
    for (auto const& s : sorted) {
        if (counted(s.status)) {
            EXPECT_FALSE(open_seen) << who << ": settlement " << s.txid
                                    << " counts although an earlier one is still open";
            counted_to = s.to;
        } else {
            open_seen = true;
        }
    }
    EXPECT_LE(side.state.settled, counted_to) << who << ": settled more than its settlements";
    if (!quiet) return;
    EXPECT_EQ(side.state.settled, counted_to) << who;
    EXPECT_LE(reached, side.state.iou_amount) << who << ": settlements beyond the IOUs";
}

// Two settlements of one debt exist only if the first expired unused before the second was signed.
void expect_one_signature_per_debt(std::string const& who, Side const& buyer) {
    auto const& all = buyer.settlements;
    for (std::size_t i = 0; i < all.size(); ++i) {
        for (std::size_t j = i + 1; j < all.size(); ++j) {
            auto const& a = all[i];
            auto const& b = all[j];
            if (!(a.from < b.to && b.from < a.to)) continue;
            auto const& early = a.created_ms <= b.created_ms ? a : b;
            auto const& late = a.created_ms <= b.created_ms ? b : a;
            bool const replaced_after_expiry =
                early.status == SettlementStatus::failed && expiration_of(early) < late.created_ms;
            EXPECT_TRUE(replaced_after_expiry)
                << who << ": the wallet signed two settlements for one debt: " << early.txid << " ["
                << early.from << ", " << early.to << ") " << to_string(early.status)
                << ", expiring at " << expiration_of(early) << ", and " << late.txid << " ["
                << late.from << ", " << late.to << ") " << to_string(late.status) << ", signed at "
                << late.created_ms;
        }
    }
}

void expect_seller_holds_what_buyer_signed(std::string const& who, Side const& seller,
                                           Side const& buyer) {
    std::map<std::string, SettlementRecord const*> signed_by_buyer;
    for (auto const& s : buyer.settlements) signed_by_buyer[s.txid] = &s;
    for (auto const& s : seller.settlements) {
        auto const it = signed_by_buyer.find(s.txid);
        if (it == signed_by_buyer.end()) {
            ADD_FAILURE() << who << ": the seller holds settlement " << s.txid
                          << " that the buyer never signed";
            continue;
        }
        EXPECT_EQ(it->second->from, s.from) << who << ": settlement " << s.txid;
        EXPECT_EQ(it->second->to, s.to) << who << ": settlement " << s.txid;
        EXPECT_TRUE(it->second->transaction == s.transaction) << who << ": settlement " << s.txid;
    }
}

// A settlement a ledger gave up on must not have moved money after all.
void expect_failed_not_on_chain(tron::TronClient& client, std::string const& who,
                                Side const& side) {
    for (auto const& s : side.settlements) {
        if (s.status != SettlementStatus::failed) continue;
        auto const bytes = tron::from_hex(s.txid);
        ASSERT_TRUE(bytes && bytes->size() == 32) << s.txid;
        tron::Hash32 id{};
        std::copy(bytes->begin(), bytes->end(), id.begin());
        auto const status = client.transaction_status(id, false);
        ASSERT_TRUE(status) << status.failure().message;
        if (!*status) continue;
        EXPECT_FALSE((*status)->in_block && !(*status)->failed)
            << who << ": settlement " << s.txid
            << " is failed in the ledger but succeeded in block " << (*status)->block_number;
    }
}

}  // namespace

std::vector<ChannelView> check_ledgers(std::filesystem::path const& seller_ledger,
                                       std::vector<FollowedChannel> const& channels,
                                       tron::NodeConfig const& node, bool quiet) {
    std::vector<Side> sellers;
    {
        auto const seller = Ledger::open(seller_ledger);
        EXPECT_TRUE(seller) << seller.error();
        if (!seller) return {};
        Units sum = 0;
        for (auto const& c : channels) {
            sellers.push_back(read_side(**seller, c.earn()));
            sum += sellers.back().state.iou_amount;
        }
        if (quiet) {
            EXPECT_EQ((*seller)->total(Role::earn), sum) << "the seller's earnings counted twice";
        }
    }
    tron::TronClient client(node);
    std::vector<ChannelView> views;
    for (std::size_t i = 0; i < channels.size(); ++i) {
        auto const& c = channels[i];
        auto const& seller = sellers[i];
        auto const opened = Ledger::open(c.buyer_ledger);
        EXPECT_TRUE(opened) << opened.error();
        if (!opened) return views;
        auto const buyer = read_side(**opened, c.spend());
        if (quiet) {
            EXPECT_EQ((*opened)->total(Role::spend), buyer.state.iou_amount)
                << c.name << ": spending counted twice";
            EXPECT_EQ(seller.state.settled, buyer.state.settled)
                << c.name << ": the two sides count different settlements";
        }
        expect_ious_agree(c, seller, buyer, quiet);
        expect_settlement_chain(c.name + " (seller)", seller, quiet);
        expect_settlement_chain(c.name + " (buyer)", buyer, quiet);
        expect_one_signature_per_debt(c.name, buyer);
        expect_seller_holds_what_buyer_signed(c.name, seller, buyer);
        expect_failed_not_on_chain(client, c.name + " (seller)", seller);
        expect_failed_not_on_chain(client, c.name + " (buyer)", buyer);
        views.push_back({seller.state, buyer.state});
    }
    return views;
}

std::int64_t last_iou_seq(std::filesystem::path const& ledger, ChannelKey const& key) {
    auto const opened = Ledger::open(ledger);
    EXPECT_TRUE(opened) << opened.error();
    if (!opened) return 0;
    auto const ious = (*opened)->ious(key);
    return ious.empty() ? 0 : ious.back().seq;
}

}  // namespace lanetorrent::lanes
