// Following settlements to the chain, on the chain worker's thread: both sides (re-)broadcast
// what is open, which is safe because the node answers a duplicate as already known, and believe
// only the node's answer. LaneService hands the answers to the core.
#include "lanes/settlement_chain.hpp"

#include "tron/bytes.hpp"
#include "tron/clock.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::lanes {

namespace {

// A transaction that is not in a block this long after its expiration never will be.
constexpr std::int64_t expiry_margin_ms = 30'000;

// The node's verdicts on a transaction that no re-broadcast can change.
bool refuses_for_good(tron::NodeError::Kind kind) {
    using Kind = tron::NodeError::Kind;
    switch (kind) {
        case Kind::signature:
        case Kind::contract_validate:
        case Kind::contract_execute:
        case Kind::bandwidth:  // the payer has neither bandwidth nor TRX to burn for it
        case Kind::tapos:
        case Kind::too_big:
        case Kind::expired:
            return true;
        default:
            return false;
    }
}

}  // namespace

ChainAnswer ask_chain(tron::TronClient& client, SettlementRecord const& record) {
    ChainAnswer answer{record.status, record.block, false, false};
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
    // A confirmed settlement that is in no block any more: a fork dropped its block. It counts
    // for nothing until it is in a block again (it is broadcast again from the next round on),
    // and fails if it expires first. Confirmed settlements are asked about until they are solid.
    if (seen && !*seen && record.status == SettlementStatus::confirmed) {
        return {SettlementStatus::pending, 0, true, duplicate};
    }
    if (seen && !*seen && record.status != SettlementStatus::confirmed &&
        tx.raw_data().expiration() + expiry_margin_ms < tron::now_ms()) {
        return {SettlementStatus::failed, 0, true, duplicate};  // expired without a block
    }
    return answer;
}

bool refused_for_good(tron::TronClient& client, protocol::Transaction const& tx) {
    auto const outcome = client.broadcast(tx);
    // Only a verdict on the transaction itself fails it at once. Anything else (no connection, a
    // busy node, an answer that makes no sense, an unknown error) may still end in a block: the
    // status tracker asks until the transaction has expired. And a transaction already in a
    // block (the payer broadcast it first) is as good as any.
    if (outcome || !refuses_for_good(outcome.failure().kind)) return false;
    auto const seen = client.transaction_status(tron::transaction_id(tx), false);
    return !(seen && *seen && (*seen)->in_block);
}

}  // namespace lanetorrent::lanes
