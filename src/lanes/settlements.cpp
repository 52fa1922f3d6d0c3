// Following settlements to the chain: both sides (re-)broadcast what is open, which is safe
// because the node answers a duplicate as already known, and believe only the node's answer.
#include "lanes/chain_worker.hpp"
#include "lanes/lane_service.hpp"
#include "lanes/service_state.hpp"
#include "tron/bytes.hpp"
#include "tron/clock.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::lanes {

namespace {

// A transaction that is not in a block this long after its expiration never will be.
constexpr std::int64_t expiry_margin_ms = 30'000;

struct Answer {
    SettlementStatus status = SettlementStatus::pending;
    std::int64_t block = 0;
    bool changed = false;
    bool duplicate = false;  // the node already had it: a re-broadcast, not a second payment
};

Answer ask_chain(tron::TronClient& client, SettlementRecord const& record) {
    Answer answer{record.status, record.block, false, false};
    protocol::Transaction tx;
    if (!tx.ParseFromString(record.transaction)) return {SettlementStatus::failed, 0, true, false};
    auto const txid = tron::transaction_id(tx);
    bool duplicate = false;
    if (record.status != SettlementStatus::confirmed) {
        auto const outcome = client.broadcast(tx);
        duplicate = outcome && *outcome == tron::BroadcastOutcome::already_known;
        if (outcome && record.status == SettlementStatus::signed_) {
            answer = {SettlementStatus::pending, 0, true, false};
        }
    }
    answer.duplicate = duplicate;
    auto const solid = client.transaction_status(txid, true);
    if (solid && *solid && (*solid)->in_block) {
        auto const status =
            (*solid)->failed ? SettlementStatus::failed : SettlementStatus::solidified;
        return {status, (*solid)->block_number, true, duplicate};
    }
    auto const seen = client.transaction_status(txid, false);
    if (seen && *seen && (*seen)->in_block) {
        if ((*seen)->failed) {
            return {SettlementStatus::failed, (*seen)->block_number, true, duplicate};
        }
        if (record.status != SettlementStatus::confirmed) {
            return {SettlementStatus::confirmed, (*seen)->block_number, true, duplicate};
        }
        return answer;
    }
    if (seen && !*seen && record.status != SettlementStatus::confirmed &&
        tx.raw_data().expiration() + expiry_margin_ms < tron::now_ms()) {
        return {SettlementStatus::failed, 0, true, duplicate};  // expired without a block
    }
    return answer;
}

}  // namespace

bool LaneService::settlement_in_flight(ChannelKey const& key) const {
    auto const open = ledger_->open_settlement(key);
    return open &&
           (open->status == SettlementStatus::signed_ || open->status == SettlementStatus::pending);
}

void LaneService::track_settlements() {
    // The node's health, as the chain worker sees it: said once per outage, not once per call.
    for (auto& node : chain_->take_node_notices()) {
        auto const kind = node.answers ? LaneNotice::Kind::settlement : LaneNotice::Kind::error;
        notices_.push_back(LaneNotice{kind, {}, {}, std::move(node.text), {}, node.answers});
    }
    for (auto role : {Role::earn, Role::spend}) {
        for (auto const& record : ledger_->open_settlements(role)) {
            if (tracking_.count(record.txid)) continue;
            tracking_.insert(record.txid);
            chain_->submit([this, record](tron::TronClient& client) {
                auto const answer = ask_chain(client, record);
                return std::function<void()>([this, txid = record.txid, answer] {
                    tracking_.erase(txid);
                    if (answer.duplicate) {
                        notices_.push_back(
                            LaneNotice{LaneNotice::Kind::settlement,
                                       {},
                                       {},
                                       "broadcast again: the node already has it (not paid twice)",
                                       txid,
                                       {}});
                    }
                    if (answer.changed) finish_settlement(txid, answer.status, answer.block);
                });
            });
        }
    }
}

void LaneService::finish_settlement(std::string const& txid, SettlementStatus status,
                                    std::int64_t block) {
    auto const record = ledger_->settlement(txid);
    if (!record || record->status == status) return;
    if (auto set = ledger_->set_settlement_status(txid, status, block, tron::now_ms()); !set) {
        notices_.push_back(LaneNotice{LaneNotice::Kind::error, {}, {}, set.error(), txid, {}});
        return;
    }
    notices_.push_back(LaneNotice{LaneNotice::Kind::settlement,
                                  {},
                                  {},
                                  std::string("settlement ") + to_string(status),
                                  txid,
                                  {}});
    if (record->channel.role != Role::earn) return;
    auto& channel = channel_for(record->channel);
    if (status == SettlementStatus::failed) {
        channel.blocked = "settlement failed";
        channel.accepted_since_block.clear();
    } else if ((channel.blocked == "settlement failed" ||
                channel.blocked == "settlement not delivered") &&
               channel.accepted_since_block.count(txid)) {
        channel.blocked.clear();
        if (config_.sell) channel.window = config_.sell->initial_window;
    }
    channel.confirmed = ledger_->channel(channel.key).settled;
    send_receipt(channel, txid, status, record->to);
    review(channel);
    maybe_settle(channel);  // the next settlement may go as soon as this one is in a block
}

void LaneService::send_receipt(Channel const& channel, std::string const& txid,
                               SettlementStatus status, Units to) {
    msg::Receipt receipt;
    auto const bytes = tron::from_hex(txid);
    if (bytes && bytes->size() == receipt.txid.size()) {
        std::copy(bytes->begin(), bytes->end(), receipt.txid.begin());
    }
    receipt.status = to_string(status);
    receipt.to = to;
    for (auto& [id, conn] : conns_) {
        if (conn->channel == &channel) plugin_->send(conn->id, receipt);
    }
}

void LaneService::rebalance() {
    auto const& sell = config_.sell;
    if (!enforcer_) return;
    std::int64_t total = 0;
    std::vector<LaneEnforcer::Member> members;
    auto const now = std::chrono::steady_clock::now();
    double const seconds =
        std::max(0.1, std::chrono::duration<double>(now - last_rebalance_).count());
    last_rebalance_ = now;
    for (auto const& [id, conn] : conns_) {
        total += conn->sent;
        auto const rate =
            static_cast<std::int64_t>((conn->sent - conn->sent_at_rebalance) / seconds);
        conn->sent_at_rebalance = conn->sent;
        if (!conn->peer_is_seed) members.push_back({conn->ip, conn->held, conn->lane, rate});
    }
    // Upload budget: the configured one, or twice the best second of the last 20 (at least
    // 4 MiB/s), so an uncapped seller finds its capacity within seconds.
    std::int64_t const rate = std::max<std::int64_t>(0, total - last_total_sent_);
    last_total_sent_ = total;
    recent_rates_.push_back(rate);
    if (recent_rates_.size() > 20) recent_rates_.pop_front();
    std::int64_t budget = sell ? sell->upload_budget : 0;
    if (budget <= 0) {
        auto const best = *std::max_element(recent_rates_.begin(), recent_rates_.end());
        budget = std::max<std::int64_t>(best * 2, 4 << 20);
    }
    enforcer_->rebalance(budget, members);
    // A paid connection is unchoked when granted, but libtorrent unchokes at once only if its
    // class already ignores unchoke slots; a slot class learns that in the rebalance above. With
    // the slots all taken it stayed choked, and the choker skips it from then on: unchoke it now.
    for (auto const& [id, conn] : conns_) {
        if (conn->lane != Lane::slow && !conn->peer_is_seed) plugin_->unchoke(id);
    }
}

}  // namespace lanetorrent::lanes
