// What the ledgers of a seller and its buyers must say at any instant, however often and wherever
// their processes were killed: the two sides agree on the IOUs, no IOU or settlement is lost or
// counted twice, and a wallet never signs two different settlements for one debt.
#pragma once

#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "lanes/ledger.hpp"
#include "tron/client.hpp"

namespace lanetorrent::lanes {

// One buyer's payment channel, followed across kills.
struct FollowedChannel {
    std::string name;  // for messages: "downloader 1"
    std::string payer;
    std::string payee;
    std::filesystem::path buyer_ledger;
    // IOU seqs a kill may have kept from the seller: the buyer's last one when the buyer dies,
    // and those it sent into the connection of a seller that died.
    std::set<std::int64_t> may_be_lost;

    ChannelKey earn() const { return {Role::earn, payer, payee, "1002000"}; }
    ChannelKey spend() const { return {Role::spend, payer, payee, "1002000"}; }
};

// What one check saw of a channel.
struct ChannelView {
    ChannelState seller;
    ChannelState buyer;
};

// Reads the seller's ledger, then the buyers'. A buyer records an IOU or a settlement before it
// sends it, so whatever the seller holds is in the buyer's ledger by the time that is read, and
// the check holds while the processes run. `quiet`: every process has stopped, so nothing is in
// flight any more and the two sides must have met (same settled amount, at most the buyer's last
// IOU unseen). The failed settlements are looked up on `node`: none may be in a block.
std::vector<ChannelView> check_ledgers(std::filesystem::path const& seller_ledger,
                                       std::vector<FollowedChannel> const& channels,
                                       tron::NodeConfig const& node, bool quiet);

// No txid appears twice, and the settlements that did not fail chain from 0 without a gap or an
// overlap. Returns where they reach.
Units expect_settlements_chain(std::string const& who, std::vector<SettlementRecord> settlements);

// The highest IOU seq `ledger` holds on `key` (0: none).
std::int64_t last_iou_seq(std::filesystem::path const& ledger, ChannelKey const& key);

}  // namespace lanetorrent::lanes
