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

namespace {

// What we ask for on a torrent: the user's lane, unless its price is above their cap.
Lane affordable(Lane wanted, Caps const& caps, Offer const& offer) {
    if (wanted == Lane::slow) return Lane::slow;
    auto const price = offer.lanes[static_cast<int>(wanted)].price_per_gib;
    return price <= caps.max_price_per_gib ? wanted : Lane::slow;
}

}  // namespace

void LaneService::buy_hello(Conn& conn) {
    auto const& buy = *config_.buy;
    auto const& offer = *conn.hello->offer;
    if (offer.asset != buy.asset) return;  // we hold a different token: stay slow
    auto const choice = choices_.find(conn.torrent);
    Lane const wanted = choice != choices_.end() ? choice->second.first : buy.default_lane;
    Caps const caps = choice != choices_.end() ? choice->second.second : buy.default_caps;
    Lane lane = affordable(wanted, caps, offer);
    if (lane != Lane::slow && caps.max_per_torrent > 0 &&
        ledger_->total_for_torrent(Role::spend, conn.torrent) >= caps.max_per_torrent) {
        lane = Lane::slow;
    }
    if (lane != Lane::slow && caps.max_per_day > 0 &&
        ledger_->total_since(Role::spend, tron::now_ms() - 86'400'000) >= caps.max_per_day) {
        lane = Lane::slow;
    }
    if (lane == Lane::slow && conn.their_lane == Lane::slow) return;
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
    }
    plugin_->send(conn.id, msg::Request{lane, lane == Lane::slow ? 0 : caps.max_price_per_gib});
}

void LaneService::buy_grant(Conn& conn, msg::Grant const& grant, std::int64_t received) {
    if (!conn.channel || !conn.hello || !conn.hello->offer) return;
    close_billing(conn);
    conn.their_lane = grant.lane;
    conn.billing.price = grant.price_per_gib;
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
    auto const choice = choices_.find(conn.torrent);
    Caps const caps = choice != choices_.end() ? choice->second.second : config_.buy->default_caps;
    if (grant.price_per_gib > caps.max_price_per_gib) {
        // Never pay more than the user allowed, whatever the seller says: back to slow.
        conn.billing.price = 0;
        plugin_->send(conn.id, msg::Request{Lane::slow, 0});
        return;
    }
    if (grant.price_per_gib > 0) conn.billing.start = received;
}

// Sends an IOU for everything owed on the connection's channel once a step's worth has built up
// (or at once when `final`). The IOU is in our ledger before it leaves: a restart continues the
// sequence instead of repeating it.
void LaneService::pay(Conn& conn, bool final) {
    if (!conn.channel || !conn.hello || !conn.hello->offer) return;
    auto& channel = *conn.channel;
    auto const& offer = *conn.hello->offer;
    Units const amount = accrued(channel);
    Units const step = cost_of(offer.iou_step_bytes, std::max<Units>(conn.billing.price, 1));
    if (amount <= channel.iou_amount) return;
    if (!final && amount - channel.iou_amount < std::max<Units>(step, 1)) return;
    msg::Iou iou{.payer = config_.buy->key.address(),
                 .payee = offer.payee,
                 .asset = offer.asset,
                 .amount = amount,
                 .seq = channel.iou_seq + 1,
                 .final = final || finished_.count(conn.torrent) > 0,
                 .signature = {}};
    iou.signature = tron::sign_message(config_.buy->key, iou_text(iou));
    if (auto recorded = record_iou(channel, conn.torrent, iou); !recorded) {
        return notice(LaneNotice::Kind::error, conn, "cannot record IOU: " + recorded.error());
    }
    plugin_->send(conn.id, iou);
    // Caps are checked as money goes out: once one is reached, ask for the slow lane.
    auto const choice = choices_.find(conn.torrent);
    Caps const caps = choice != choices_.end() ? choice->second.second : config_.buy->default_caps;
    bool const capped =
        (caps.max_per_torrent > 0 &&
         ledger_->total_for_torrent(Role::spend, conn.torrent) >= caps.max_per_torrent) ||
        (caps.max_per_day > 0 &&
         ledger_->total_since(Role::spend, tron::now_ms() - 86'400'000) >= caps.max_per_day);
    if (capped && conn.their_lane != Lane::slow) {
        notice(LaneNotice::Kind::lane_changed, conn, "spending cap reached: asking for slow");
        plugin_->send(conn.id, msg::Request{Lane::slow, 0});
    }
}

void LaneService::buy_settle_request(Conn& conn, msg::SettleRequest const& request) {
    if (!conn.channel) return reject(conn, "malformed", "settle_req before we paid anything");
    auto& channel = *conn.channel;
    auto const answer = answer_settle_request(request, *ledger_, channel.key);
    switch (answer.kind) {
        case SettleAnswer::Kind::resend: {
            auto const& done = *answer.settlement;
            plugin_->send(conn.id, msg::Settlement{done.from, done.to, done.transaction});
            return;
        }
        case SettleAnswer::Kind::refuse:
            return reject(conn, "malformed", answer.why);
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
            if (peer) {
                plugin_->send(conn_id, msg::Settlement{from, to, record.transaction});
                notice(LaneNotice::Kind::settlement, *peer,
                       "signed a settlement of " + std::to_string(to - from) + " units",
                       record.txid);
            }
        });
    });
}

void LaneService::buy_receipt(Conn& conn, msg::Receipt const& receipt) {
    // Only a hint: the chain is asked directly (track_settlements) before anything is believed.
    notice(LaneNotice::Kind::settlement, conn, "seller reports settlement " + receipt.status,
           tron::to_hex(receipt.txid));
}

}  // namespace lanetorrent::lanes
