// The buyer's side of LaneService: prove our address, ask for the lane the user chose, pay for
// what arrives, and sign settlements (never two different ones for one debt).
#include <algorithm>

#include "lanes/chain_worker.hpp"
#include "lanes/lane_service.hpp"
#include "lanes/service_state.hpp"
#include "lanes/settle_answer.hpp"
#include "tron/bytes.hpp"
#include "tron/clock.hpp"
#include "tron/message_signing.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::lanes {

Caps LaneService::caps_for(TorrentId const& torrent) const {
    auto const choice = choices_.find(torrent);
    return choice != choices_.end() ? choice->second.second : config_.buy->default_caps;
}

Units LaneService::spending_room(TorrentId const& torrent) const {
    auto const caps = caps_for(torrent);
    // The ledger is asked only for the caps that are set.
    Units const on_torrent =
        caps.max_per_torrent > 0 ? ledger_->total_for_torrent(Role::spend, torrent) : 0;
    Units const today =
        caps.max_per_day > 0 ? ledger_->total_since(Role::spend, tron::now_ms() - 86'400'000) : 0;
    return lanes::spending_room(caps, on_torrent, today);
}

void LaneService::buy_hello(Conn& conn) {
    auto const& buy = *config_.buy;
    auto const& offer = *conn.hello->offer;
    if (offer.asset != buy.asset) return;  // we hold a different token: stay slow
    auto const choice = choices_.find(conn.torrent);
    Lane const wanted = choice != choices_.end() ? choice->second.first : buy.default_lane;
    Caps const caps = caps_for(conn.torrent);
    Lane lane = lane_to_ask(wanted, caps, offer, spending_room(conn.torrent));
    // Nothing paid to a seller that billed us for a lane we did not want, nor while our ledger
    // cannot record what we sign.
    if (distrusted_payees_.count(offer.payee.base58()) || !storage_fault_.empty()) {
        lane = Lane::slow;
    }
    if (lane == Lane::slow && conn.their_lane == Lane::slow && conn.asked_lane == Lane::slow)
        return;
    auto const payer = buy.key.address();
    if (!conn.channel) {
        ProofContext const context{.info_hash_hex = conn.torrent,
                                   .asset = offer.asset,
                                   .payee = offer.payee,
                                   .payer = payer,
                                   .seeder_nonce = conn.hello->nonce,
                                   .payer_nonce = conn.our_nonce,
                                   .seeder_peer_id = conn.their_peer_id,
                                   .payer_peer_id = conn.our_peer_id};
        plugin_->send(conn.id, msg::Prove{payer, tron::sign_message(buy.key, proof_text(context))});
        conn.channel = &channel_for(
            ChannelKey{Role::spend, payer.base58(), offer.payee.base58(), offer.asset});
        conn.channel->carry_below = offer.min_settlement.value_or(offer.settle_threshold);
    }
    conn.asked_lane = lane;
    plugin_->send(conn.id, msg::Request{lane, lane == Lane::slow ? 0 : caps.max_price_per_gib});
}

void LaneService::buy_grant(Conn& conn, msg::Grant const& grant, std::int64_t received) {
    if (!conn.channel || !conn.hello || !conn.hello->offer) return;
    bool const was_billing = conn.billing.start.has_value();
    close_billing(conn);
    // Leaving a paid lane (or its price): pay for the segment that ends here at once, as the
    // spec asks, rather than at the next step.
    if (was_billing) pay(conn, true);
    conn.their_lane = grant.lane;
    conn.billing.price = 0;
    notice(LaneNotice::Kind::lane_changed, conn,
           std::string("seller put us in ") + to_string(grant.lane) + ": " + grant.reason);
    if (grant.reconnect) {
        // The seller closes this connection so that the next one lands in the new lane's class.
        Endpoint const seller{
            conn.ip, static_cast<std::uint16_t>(conn.incoming ? conn.listen_port : conn.port)};
        plugin_->disconnect(conn.id);
        if (seller.port > 0) (void)engine_.connect_peer(conn.torrent, seller);
        return;
    }
    if (grant.price_per_gib == 0) {
        conn.unwanted_paid_since.reset();
        return;
    }
    // We pay only for the lane we asked for, at a price within the user's cap, while the caps
    // leave room: whatever the seller says, anything else is not billed, and we ask again for
    // what we want (slow, if this price or the caps rule the paid lane out).
    Caps const caps = caps_for(conn.torrent);
    Units const room = storage_fault_.empty() ? spending_room(conn.torrent) : 0;
    if (!pays_for(grant, conn.asked_lane, caps, room)) {
        // Ask again for what we want, or for slow if this price or the caps rule it out.
        if (grant.price_per_gib > caps.max_price_per_gib || room <= 0) {
            conn.asked_lane = Lane::slow;
        }
        notice(LaneNotice::Kind::rejected, conn,
               std::string("not paying for ") + to_string(grant.lane) +
                   ": we did not ask for it at that price");
        // Asked once per episode: a seller that answers every request with the same grant must
        // not turn this into a ping-pong.
        if (conn.unwanted_paid_since) return;
        conn.unwanted_paid_since = std::chrono::steady_clock::now();
        plugin_->send(conn.id,
                      msg::Request{conn.asked_lane,
                                   conn.asked_lane == Lane::slow ? 0 : caps.max_price_per_gib});
        return;
    }
    conn.unwanted_paid_since.reset();
    conn.billing.price = grant.price_per_gib;
    conn.billing.start = received;
}

// A seller that keeps us in a paid lane after we asked for slow would bill us for it: we do not
// sign for those bytes, and after a grace for the grant to cross we leave and never pay it again.
void LaneService::watch_unwanted_paid_lane(Conn& conn) {
    constexpr auto grace = std::chrono::seconds(3);
    if (!conn.unwanted_paid_since || !conn.hello || !conn.hello->offer) return;
    if (std::chrono::steady_clock::now() - *conn.unwanted_paid_since < grace) return;
    conn.unwanted_paid_since.reset();
    distrusted_payees_.insert(conn.hello->offer->payee.base58());
    notice(LaneNotice::Kind::rejected, conn,
           "the seller kept us in a paid lane we did not ask for: disconnected, not paid again");
    plugin_->disconnect(conn.id);
}

// Sends an IOU for everything owed on the connection's channel once a step's worth has built up
// (or at once when `final`), never past the user's caps. The IOU is in our ledger before it
// leaves: a restart continues the sequence instead of repeating it.
void LaneService::pay(Conn& conn, bool now) {
    if (!conn.channel || !conn.hello || !conn.hello->offer || !storage_fault_.empty()) return;
    auto& channel = *conn.channel;
    auto const& offer = *conn.hello->offer;
    Units amount = accrued(channel);
    Units const step = cost_of(offer.iou_step_bytes, std::max<Units>(conn.billing.price, 1));
    if (amount <= channel.iou_amount) return;
    if (!now && amount - channel.iou_amount < std::max<Units>(step, 1)) return;
    auto const step_taken = next_iou(amount, channel.iou_amount, spending_room(conn.torrent));
    bool const capped = step_taken.capped;
    Units const overflow = step_taken.forgiven;
    amount = step_taken.amount;
    if (amount > channel.iou_amount) {
        msg::Iou iou{.payer = config_.buy->key.address(),
                     .payee = offer.payee,
                     .asset = offer.asset,
                     .amount = amount,
                     .seq = channel.iou_seq + 1,
                     .final = finished_.count(conn.torrent) > 0,
                     .signature = {}};
        iou.signature = tron::sign_message(config_.buy->key, iou_text(iou));
        if (auto recorded = record_iou(channel, conn.torrent, iou); !recorded) {
            if (recorded.failure().kind == IouError::Kind::storage) {
                return storage_fault(recorded.error());
            }
            return notice(LaneNotice::Kind::error, conn, "cannot record IOU: " + recorded.error());
        }
        plugin_->send(conn.id, iou);
    }
    if (capped) {
        // A cap is reached: nothing more is signed on this torrent. Whatever the seller sends
        // before it moves us to slow is its risk, inside its window.
        for (auto& [id, other] : conns_) {
            if (other->torrent != conn.torrent || !other->spends()) continue;
            close_billing(*other);
            other->billing.price = 0;
            if (other->asked_lane != Lane::slow || other->their_lane != Lane::slow) {
                other->asked_lane = Lane::slow;
                notice(LaneNotice::Kind::lane_changed, *other,
                       "spending cap reached: asking for slow");
                plugin_->send(other->id, msg::Request{Lane::slow, 0});
            }
        }
        // What was billed past the cap is not owed.
        channel.closed -= overflow;
    }
}

void LaneService::buy_settle_request(Conn& conn, msg::SettleRequest const& request) {
    if (!conn.channel) return reject(conn, "bad_settle_req", "settle_req before we paid anything");
    auto& channel = *conn.channel;
    auto const answer =
        answer_settle_request(request, *ledger_, channel.key, channel.recovered_settled);
    switch (answer.kind) {
        case SettleAnswer::Kind::resend: {
            auto const& done = *answer.settlement;
            plugin_->send(conn.id, msg::Settlement{done.from, done.to, done.transaction});
            return;
        }
        case SettleAnswer::Kind::refuse:
            return reject(conn, "bad_settle_req", answer.why);
        case SettleAnswer::Kind::sign:
            break;
    }
    if (channel.signing > 0) return;
    ++channel.signing;
    auto const payee = tron::Address::parse(channel.key.payee);
    if (!payee) return;
    tron::AssetTransfer transfer{config_.buy->key.address(), *payee, channel.key.asset,
                                 request.to - request.from};
    auto const conn_id = conn.id;
    auto* ch = &channel;
    auto const from = request.from;
    auto const to = request.to;
    chain_->submit([this, transfer, conn_id, ch, from, to](tron::TronClient& client) {
        auto head = client.head_block();
        return std::function<void()>([this, transfer, conn_id, ch, from, to, head] {
            --ch->signing;
            auto* peer = find(conn_id);
            if (!head) {
                if (peer) notice(LaneNotice::Kind::error, *peer, "cannot settle: " + head.error());
                return;
            }
            auto tx = tron::build_asset_transfer(transfer, *head, tron::now_ms());
            tron::sign_transaction(tx, config_.buy->key);
            SettlementRecord record;
            record.txid = tron::to_hex(tron::transaction_id(tx));
            record.channel = ch->key;
            record.from = from;
            record.to = to;
            record.transaction = tx.SerializeAsString();
            record.status = SettlementStatus::signed_;
            record.created_ms = record.updated_ms = tron::now_ms();
            if (auto added = ledger_->add_settlement(record); !added) {
                if (peer)
                    notice(LaneNotice::Kind::error, *peer,
                           "cannot record settlement: " + added.error());
                return;
            }
            watch_closely_until_ = std::chrono::steady_clock::now() + std::chrono::seconds(10);
            if (peer) {
                plugin_->send(conn_id, msg::Settlement{from, to, record.transaction});
                notice(LaneNotice::Kind::settlement, *peer,
                       "signed a settlement of " + std::to_string(to - from) + " units",
                       record.txid);
            }
        });
    });
}

// The seller's view of our channel. If it holds an IOU of ours newer than our ledger's (we paid
// from another device, or our profile was restored from a backup), and the signature is ours,
// we continue from it: the next IOU goes on from there and no reject follows.
void LaneService::buy_channel_state(Conn& conn, msg::ChannelState const& state) {
    if (!conn.channel || !conn.hello || !conn.hello->offer) return;
    auto& channel = *conn.channel;
    auto const& offer = *conn.hello->offer;
    if (state.seq > channel.iou_seq && state.amount >= channel.iou_amount) {
        msg::Iou const iou{.payer = config_.buy->key.address(),
                           .payee = offer.payee,
                           .asset = offer.asset,
                           .amount = state.amount,
                           .seq = state.seq,
                           .final = false,
                           .signature = state.signature};
        auto const signer = tron::recover_message_signer(iou_text(iou), iou.signature);
        if (!signer || !(*signer == iou.payer)) {
            return notice(LaneNotice::Kind::rejected, conn,
                          "the seller's channel state does not carry our own signature");
        }
        Units const before = channel.iou_amount;
        // Recorded under no torrent: it was spent from another device, on a torrent we may not
        // know, and must not count against this torrent's cap.
        if (auto recorded = record_iou(channel, {}, iou); !recorded) {
            if (recorded.failure().kind == IouError::Kind::storage) {
                return storage_fault(recorded.error());
            }
            return;
        }
        channel.closed += state.amount - before;  // owed from here on, on top of that
        notice(LaneNotice::Kind::iou, conn,
               "continued the channel from our IOU " + std::to_string(state.amount) + " (seq " +
                   std::to_string(state.seq) + ") that the seller holds");
    }
    if (state.amount <= channel.iou_amount) {
        channel.recovered_settled = std::max(channel.recovered_settled, state.settled);
    }
}

void LaneService::buy_receipt(Conn& conn, msg::Receipt const& receipt) {
    // Only a hint: the chain is asked directly (track_settlements) before anything is believed.
    notice(LaneNotice::Kind::settlement, conn, "seller reports settlement " + receipt.status,
           tron::to_hex(receipt.txid));
}

}  // namespace lanetorrent::lanes
