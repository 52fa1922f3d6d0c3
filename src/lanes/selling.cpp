// The seller's side of LaneService: proofs, lane grants, the credit window, IOUs and the request
// for settlement. docs/lane-protocol.md is the contract; comments here say how we apply it.
#include <algorithm>
#include <limits>

#include "lanes/chain_worker.hpp"
#include "lanes/lane_service.hpp"
#include "lanes/service_state.hpp"
#include "tron/bytes.hpp"
#include "tron/clock.hpp"
#include "tron/message_signing.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::lanes {

using namespace std::chrono_literals;

void LaneService::sell_prove(Conn& conn, msg::Prove const& prove) {
    auto const& sell = *config_.sell;
    if (!conn.hello) return reject(conn, "bad_proof", "no ln_lanes handshake on this connection");
    ProofContext const context{.info_hash_hex = conn.torrent,
                               .asset = sell.asset,
                               .payee = sell.payee,
                               .payer = prove.payer,
                               .seeder_nonce = conn.our_nonce,
                               .payer_nonce = conn.hello->nonce,
                               .seeder_peer_id = conn.our_peer_id,
                               .payer_peer_id = conn.their_peer_id};
    auto const signer = tron::recover_message_signer(proof_text(context), prove.signature);
    if (!signer || !(*signer == prove.payer)) {
        conn.payer.reset();
        set_sell_lane(conn, Lane::slow, "bad proof");
        return reject(
            conn, "bad_proof",
            "the signature does not prove " + prove.payer.base58() + " for this connection");
    }
    conn.payer = prove.payer;
    conn.channel =
        &channel_for(ChannelKey{Role::earn, prove.payer.base58(), sell.payee.base58(), sell.asset});
    // What the channel stands at, so a payer whose own ledger is behind continues from it; and a
    // payer that comes back is asked for a tail it left unsettled.
    send_channel_state(conn);
    review(*conn.channel);
    maybe_settle(*conn.channel, /*payer_back=*/true);
}

void LaneService::sell_request(Conn& conn, msg::Request const& request) {
    if (!conn.payer && request.lane != Lane::slow) {
        set_sell_lane(conn, Lane::slow, "no proof");
        return reject(conn, "no_proof", "prove an address before asking for a paid lane");
    }
    conn.requested = request.lane;
    conn.max_price = request.max_price_per_gib;
    conn.request_unanswered = true;
    if (conn.channel) {
        review(*conn.channel);
    } else {
        set_sell_lane(conn, Lane::slow, "requested");
    }
}

CreditTerms LaneService::credit_terms(Channel const& channel, Lane lane) const {
    auto const& sell = *config_.sell;
    return CreditTerms{channel.window, sell.price_per_gib[static_cast<int>(lane)],
                       sell.settle_threshold};
}

// Decides the lane of every connection of one payer, from what it asked for and how it pays
// (seller_rules.hpp has the money rules).
void LaneService::review(Channel& channel) {
    auto const& sell = *config_.sell;
    auto const money = channel.money(accrued(channel));
    channel.peak_exposure = std::max(channel.peak_exposure, money.exposure());
    for (auto& [id, conn] : conns_) {
        // A connection being replaced for its new class is not reviewed again before it closes.
        if (conn->channel != &channel || conn->reconnect_asked) continue;
        Lane lane = conn->requested;
        std::string reason = "requested";
        Units const price = sell.price_per_gib[static_cast<int>(lane)];
        if (lane != Lane::slow && price > conn->max_price) {
            lane = Lane::slow;
            reason = "price above your cap";
        } else if (lane != Lane::slow && !channel.blocked.empty()) {
            lane = Lane::slow;
            reason = channel.blocked;
        } else if (lane != Lane::slow) {
            channel.held = credit_verdict(money, credit_terms(channel, lane), channel.held);
            if (channel.held != Credit::ok) {
                lane = Lane::slow;
                reason = reason_text(channel.held);
            }
        }
        if (lane != conn->lane || conn->request_unanswered ||
            (lane != Lane::slow && !conn->billing.start && conn->billing.price == 0)) {
            conn->request_unanswered = false;
            set_sell_lane(*conn, lane, reason);
        }
    }
}

void LaneService::set_sell_lane(Conn& conn, Lane lane, std::string reason) {
    auto const& sell = *config_.sell;
    close_billing(conn);
    conn.request_unanswered = false;
    bool const reconnect = enforcer_->want(conn.ip, conn.held, lane);
    msg::Grant grant;
    grant.lane = lane;
    grant.price_per_gib = sell.price_per_gib[static_cast<int>(lane)];
    grant.window_bytes = lane == Lane::slow ? 0 : window_left(conn);
    grant.reason = reason;
    grant.reconnect = reconnect && lane != Lane::slow;
    if (grant.reconnect) {
        // The new class needs a new connection: nothing is billed on this one, which closes.
        grant.price_per_gib = 0;
        grant.window_bytes = 0;
        conn.lane = Lane::slow;
        conn.billing.price = 0;
        conn.reconnect_asked = std::chrono::steady_clock::now();
        // Closed a second later (poll), so the grant saying why reaches the buyer first.
        plugin_->send_grant(conn.id, grant);
        notice(LaneNotice::Kind::lane_changed, conn,
               std::string("moving to ") + to_string(lane) + " (reconnecting)");
        return;
    }
    conn.lane = lane;
    conn.billing.price = grant.price_per_gib;
    plugin_->send_grant(conn.id, grant);  // its GrantQueued starts the billing segment
    if (lane != Lane::slow) plugin_->unchoke(conn.id);
    notice(LaneNotice::Kind::lane_changed, conn, std::string(to_string(lane)) + ": " + reason);
}

// The credit extended now, in bytes at the connection's lane: what is left of the window before
// unsigned debt or exposure would hold the payer back.
std::int64_t LaneService::window_left(Conn const& conn) const {
    if (!conn.channel) return 0;
    auto const& channel = *conn.channel;
    auto const terms = credit_terms(channel, conn.requested);
    auto const money = channel.money(accrued(channel));
    Units const left = std::min(window_units(terms) - money.unsigned_debt(),
                                exposure_bound(terms) - money.exposure());
    if (left <= 0) return 0;
    Units const price = std::max<Units>(terms.price_per_gib, 1);
    // Whatever is left beyond 2^33 units is more than any window: no overflow below that.
    if (left > (std::numeric_limits<std::int64_t>::max() >> 30)) return channel.window;
    return std::min((left << 30) / price, channel.window);
}

void LaneService::sell_iou(Conn& conn, msg::Iou const& iou) {
    auto const& sell = *config_.sell;
    if (!conn.payer || !conn.channel) return reject(conn, "no_proof", "IOU before a valid proof");
    auto& channel = *conn.channel;
    if (!(iou.payer == *conn.payer) || !(iou.payee == sell.payee) || iou.asset != sell.asset) {
        channel.blocked = "bad iou";
        review(channel);
        return reject(conn, "bad_iou", "the IOU is not for this payer, payee and asset");
    }
    auto const signer = tron::recover_message_signer(iou_text(iou), iou.signature);
    if (!signer || !(*signer == iou.payer)) {
        channel.blocked = "bad iou";
        review(channel);
        return reject(conn, "bad_iou", "the IOU signature is not the payer's");
    }
    Units const served = accrued(channel);
    auto const money = channel.money(served);
    if (iou_beyond_service(iou.amount, money, credit_terms(channel, conn.requested))) {
        channel.blocked = "bad iou";
        review(channel);
        return reject(conn, "bad_iou",
                      "the IOU promises " + std::to_string(iou.amount) + " for service worth " +
                          std::to_string(served));
    }
    // The same amount again under a higher seq changes nothing but is no offence: a final IOU
    // whose last segment cost less than a unit.
    if (iou.amount == channel.iou_amount && iou.seq > channel.iou_seq) {
        if (iou.final) channel.final_seen = true;
        maybe_settle(channel);
        return;
    }
    auto recorded = record_iou(channel, conn.torrent, iou);
    if (!recorded) {
        if (recorded.failure().kind == IouError::Kind::storage) {
            // Our disk, not the payer: stop selling paid lanes until it works again, say so,
            // and do not punish the payer.
            return storage_fault(recorded.error());
        }
        channel.blocked = "stale iou";
        review(channel);
        reject(conn, "stale_iou", recorded.error());
        // The payer's own latest IOU, so a payer whose ledger is behind (another device, a
        // restored backup) can verify its signature and continue from it.
        return send_channel_state(conn);
    }
    // A good IOU lifts an IOU block (not a settlement block) and, if it came while the payer was
    // within its window, earns it more credit.
    if (channel.blocked == "bad iou" || channel.blocked == "stale iou") channel.blocked.clear();
    Units const price = std::max<Units>(sell.price_per_gib[static_cast<int>(conn.requested)], 1);
    if (money.unsigned_debt() <= cost_of(channel.window, price)) {
        // Up to the maximum, never below the initial window (a seller may start above it).
        channel.window =
            std::max(std::min(channel.window + sell.iou_step, sell.max_window), channel.window);
    }
    // A payer that pays on is not done (it may be this payer's next download).
    channel.final_seen = iou.final;
    notices_.push_back(LaneNotice{LaneNotice::Kind::iou,
                                  conn.torrent,
                                  conn.ip + ":" + std::to_string(conn.port),
                                  "IOU " + std::to_string(iou.amount),
                                  {},
                                  {}});
    review(channel);
    maybe_settle(channel);
}

void LaneService::maybe_settle(Channel& channel, bool payer_back) {
    auto const& sell = *config_.sell;
    auto const now = std::chrono::steady_clock::now();
    // A request whose connection closed unanswered (the payer left, or it was a connection
    // replaced for a lane class) is not the payer's fault: ask again on the next connection.
    if (channel.ask && !find(channel.ask->conn)) channel.ask.reset();
    if (channel.ask) {
        // While our own node fails, the payer most likely cannot sign either (it needs a recent
        // block), and we could not broadcast what it hands over: the clock runs only while the
        // node answers. The credit bound still holds what the payer owes meanwhile.
        if (!chain_->node_answers()) channel.ask->at = now;
        if (now - channel.ask->at >= sell.settle_timeout) {
            channel.ask.reset();
            channel.blocked = "settlement not delivered";
            channel.accepted_since_block.clear();
            review(channel);
            return;
        }
    }
    bool const in_flight = settlement_in_flight(channel.key);
    auto const money = channel.money(accrued(channel));
    if (channel.ask) {
        // A partial settlement is in a block: ask for the rest, on the same clock.
        if (!in_flight && money.confirmed > channel.ask->range.from &&
            money.confirmed < money.promised) {
            channel.ask->range = SettleRange{money.confirmed, money.promised};
            if (auto* conn = find(channel.ask->conn)) {
                plugin_->send(conn->id, msg::SettleRequest{money.confirmed, money.promised});
            }
        }
        return;
    }
    auto const state = ledger_->channel(channel.key);
    SettleSituation situation;
    situation.in_flight = in_flight;
    // Done: it said so in a final IOU, or every connection of its channel is to a seed (a payer
    // with a finished torrent that is downloading another one is not done).
    bool any_conn = false, all_seeds = true;
    for (auto const& [id, conn] : conns_) {
        if (conn->channel != &channel) continue;
        any_conn = true;
        all_seeds = all_seeds && conn->peer_is_seed;
    }
    situation.payer_done = channel.final_seen || (any_conn && all_seeds);
    situation.payer_back = payer_back;
    situation.overdue =
        state.first_unsettled_ms > 0 && tron::now_ms() - state.first_unsettled_ms >=
                                            std::chrono::milliseconds(sell.settle_interval).count();
    auto const range = settlement_due(
        money,
        SettlePolicy{sell.settle_threshold, std::min(sell.min_payout, sell.settle_threshold)},
        situation);
    if (!range) return;
    for (auto& [id, conn] : conns_) {
        // Not on a connection about to close for a new class: the payer closes it as soon as
        // the grant arrives, before it could read a request sent after the grant.
        if (conn->channel != &channel || conn->reconnect_asked) continue;
        plugin_->send(conn->id, msg::SettleRequest{range->from, range->to});
        channel.ask = Channel::Ask{*range, now, conn->id};
        channel.final_seen = false;  // this request settles what the final IOU left
        return;
    }
}

namespace {

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

void LaneService::sell_settlement(Conn& conn, msg::Settlement const& settlement) {
    auto const& sell = *config_.sell;
    if (!conn.payer || !conn.channel) return reject(conn, "no_proof", "settlement before a proof");
    auto& channel = *conn.channel;
    auto fail = [&](std::string code, std::string why) {
        channel.blocked = "settlement failed";
        channel.accepted_since_block.clear();
        review(channel);
        reject(conn, std::move(code), std::move(why));
    };
    protocol::Transaction tx;
    if (!tx.ParseFromString(settlement.transaction)) {
        return fail("bad_settlement", "not a Tron transaction");
    }
    // A payer whose ledger lags behind ours (it has not yet seen a block we have seen) may hand
    // over, byte for byte, a settlement we already hold. That asks for nothing new: no credit,
    // and no blame either.
    if (auto const held = ledger_->settlement(tron::to_hex(tron::transaction_id(tx)));
        held && held->channel == channel.key && held->from == settlement.from &&
        held->to == settlement.to && held->transaction == settlement.transaction &&
        held->status != SettlementStatus::failed) {
        return notice(
            LaneNotice::Kind::settlement, conn,
            "settlement handed over again; already " + std::string(to_string(held->status)),
            held->txid);
    }
    // Any other use of a recorded transaction is a replay, whatever range it claims.
    if (ledger_->settlement(tron::to_hex(tron::transaction_id(tx)))) {
        return fail("replayed_settlement",
                    "transaction " + tron::to_hex(tron::transaction_id(tx)) + " was already used");
    }
    auto const transfer = tron::asset_transfer_of(tx);
    if (!transfer) return fail("bad_settlement", transfer.error());
    auto const state = ledger_->channel(channel.key);
    auto const owner = tron::Address::from_bytes(
        {reinterpret_cast<std::uint8_t const*>(transfer->owner_address().data()),
         transfer->owner_address().size()});
    auto const to = tron::Address::from_bytes(
        {reinterpret_cast<std::uint8_t const*>(transfer->to_address().data()),
         transfer->to_address().size()});
    if (!owner || !(*owner == *conn.payer)) return fail("bad_settlement", "not from the payer");
    if (!to || !(*to == sell.payee)) return fail("bad_settlement", "not paid to us");
    if (transfer->asset_name() != sell.asset) return fail("bad_settlement", "wrong asset");
    ChannelMoney const money{accrued(channel), state.iou_amount, state.settled};
    auto const range_verdict = settlement_range_verdict(
        SettleRange{settlement.from, settlement.to}, money,
        channel.ask ? std::optional<SettleRange>(channel.ask->range) : std::nullopt);
    if (range_verdict == RangeVerdict::bad) {
        return fail("bad_settlement", "the range does not match the IOUs and what is settled");
    }
    if (transfer->amount() != settlement.to - settlement.from) {
        return fail("bad_settlement", "the amount is not to - from");
    }
    // What java-tron accepts from an ordinary account: the owner permission (id 0) and one
    // signature. Anything else may fail on chain after we served against it.
    if (tx.raw_data().contract(0).permission_id() != 0) {
        return fail("bad_settlement", "the transfer must use the owner permission (id 0)");
    }
    if (tx.signature_size() != 1) return fail("bad_settlement", "expected one signature");
    auto const txid = tron::transaction_id(tx);
    auto const& sig = tx.signature(0);
    auto const signer =
        tron::recover_signer(txid, {reinterpret_cast<std::uint8_t const*>(sig.data()), sig.size()});
    if (!signer || !(*signer == *conn.payer))
        return fail("bad_settlement", "not signed by the payer");
    // An expired transaction is not refused here: one the payer already got into a block (it
    // broadcasts what it signed too, e.g. while we were down) is as good as any. The broadcast
    // below asks the node, and only a transaction that is in no block counts as failed.
    SettlementRecord record;
    record.txid = tron::to_hex(txid);
    record.channel = channel.key;
    record.from = settlement.from;
    record.to = settlement.to;
    record.transaction = settlement.transaction;
    record.status = SettlementStatus::pending;
    record.created_ms = record.updated_ms = tron::now_ms();
    if (auto added = ledger_->add_settlement(record); !added) {
        return fail("replayed_settlement", added.error());
    }
    // Only a settlement that covers the request answers it; a part is money all the same, but
    // the request stays open and its clock keeps running.
    watch_closely_until_ = std::chrono::steady_clock::now() + 10s;
    // Only a covering one can lift a settlement block once it is in a block.
    if (range_verdict == RangeVerdict::covers) {
        channel.ask.reset();
        channel.accepted_since_block.insert(record.txid);
    }
    notice(
        LaneNotice::Kind::settlement, conn,
        std::string(range_verdict == RangeVerdict::covers ? "settlement" : "partial settlement") +
            " of " + std::to_string(settlement.to - settlement.from) + " units broadcast",
        record.txid);
    send_receipt(channel, record.txid, SettlementStatus::pending, record.to);
    // Broadcast by us: the payer cannot claim it paid without the transfer reaching the chain.
    chain_->submit([this, txid = record.txid, tx](tron::TronClient& client) {
        auto const outcome = client.broadcast(tx);
        // Only a verdict on the transaction itself fails it at once. Anything else (no
        // connection, a busy node, an answer that makes no sense, an unknown error) may still
        // end in a block: the status tracker asks until the transaction has expired.
        bool refused = !outcome && refuses_for_good(outcome.failure().kind);
        if (refused) {
            auto const seen = client.transaction_status(tron::transaction_id(tx), false);
            refused = !(seen && *seen && (*seen)->in_block);
        }
        return std::function<void()>([this, txid, refused] {
            if (refused) finish_settlement(txid, SettlementStatus::failed, 0);
            // Transport failures: the status tracker keeps trying until the transaction expires.
        });
    });
}

void LaneService::send_channel_state(Conn& conn) {
    if (!conn.channel) return;
    auto const state = ledger_->channel(conn.channel->key);
    msg::ChannelState message;
    message.amount = state.iou_amount;
    message.seq = state.iou_seq;
    if (state.iou_signature.size() == message.signature.size()) {
        std::copy(state.iou_signature.begin(), state.iou_signature.end(),
                  message.signature.begin());
    }
    message.settled = std::min(state.settled, state.iou_amount);
    plugin_->send(conn.id, message);
}

}  // namespace lanetorrent::lanes
