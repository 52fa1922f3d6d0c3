// The buyer's side of the lanes core: prove our address, ask for the lane the user chose, pay
// for what arrives, and sign settlements (never two different ones for one debt).
#include "lanes/buyer.hpp"

#include <algorithm>

#include "lanes/settle_answer.hpp"
#include "tron/bytes.hpp"
#include "tron/message_signing.hpp"

namespace lanetorrent::lanes {

Buyer::Buyer(BuyConfig config, CoreContext& context)
    : config_(std::move(config)), context_(context) {}

void Buyer::set_config(BuyConfig config) {
    config_ = std::move(config);
    for (auto& [id, conn] : conns_) {
        if (auto const* peer = context_.peer(id); peer && peer->sells()) ask(conn, *peer);
    }
}

void Buyer::set_lane(TorrentId const& torrent, Lane lane, Caps caps) {
    choices_[torrent] = {lane, caps};
    for (auto& [id, conn] : conns_) {
        auto const* peer = context_.peer(id);
        if (peer && peer->torrent == torrent && peer->sells()) ask(conn, *peer);
    }
}

Buyer::Conn* Buyer::find(ConnectionId id) {
    return entry_of(conns_, id);
}

Buyer::Conn const* Buyer::find(ConnectionId id) const {
    return entry_of(conns_, id);
}

Buyer::Channel& Buyer::channel_for(ChannelKey const& key) {
    auto& slot = channels_[key];
    if (!slot) {
        slot = std::make_unique<Channel>();
        slot->key = key;
        auto const state = context_.store.channel(key);
        slot->iou_amount = state.iou_amount;
        slot->iou_seq = state.iou_seq;
        slot->closed = state.iou_amount;
    }
    return *slot;
}

Units Buyer::accrued(Channel const& channel) const {
    Units total = channel.closed;
    for (auto const& [id, conn] : conns_) {
        if (conn.channel != &channel) continue;
        if (auto const* peer = context_.peer(id)) total += conn.billing.cost(peer->received);
    }
    return total;
}

void Buyer::close_billing(Conn& conn, PeerConn const& peer) {
    if (conn.channel) conn.channel->closed += conn.billing.cost(peer.received);
    conn.billing.start.reset();
}

Caps Buyer::caps_for(TorrentId const& torrent) const {
    auto const choice = choices_.find(torrent);
    return choice != choices_.end() ? choice->second.second : config_.default_caps;
}

Units Buyer::spending_room(TorrentId const& torrent) const {
    auto const caps = caps_for(torrent);
    // The ledger is asked only for the caps that are set.
    Units const on_torrent =
        caps.max_per_torrent > 0 ? context_.store.total_for_torrent(Role::spend, torrent) : 0;
    Units const today = caps.max_per_day > 0 ? context_.store.total_since(
                                                   Role::spend, context_.now.wall_ms - 86'400'000)
                                             : 0;
    return lanes::spending_room(caps, on_torrent, today);
}

void Buyer::on_open(PeerConn const& peer) {
    conns_[peer.id].id = peer.id;
}

void Buyer::on_closed(PeerConn const& peer, std::vector<TrafficDelta>& deltas) {
    auto* conn = find(peer.id);
    if (!conn) return;
    if (conn->billing.start && conn->channel) pay(*conn, peer, false);
    close_billing(*conn, peer);
    // The ledger names a peer by the address we pay to, else by its IP.
    if (peer.received > 0) {
        deltas.push_back({Role::spend, peer.torrent,
                          conn->channel ? conn->channel->key.payee : peer.ip, conn->their_lane,
                          peer.received});
    }
    conns_.erase(peer.id);
}

void Buyer::on_hello(PeerConn const& peer) {
    if (auto* conn = find(peer.id); conn && peer.sells()) ask(*conn, peer);
}

void Buyer::ask(Conn& conn, PeerConn const& peer) {
    auto const& offer = *peer.hello->offer;
    if (offer.asset != config_.asset) return;  // we hold a different token: stay slow
    auto const choice = choices_.find(peer.torrent);
    Lane const wanted = choice != choices_.end() ? choice->second.first : config_.default_lane;
    Caps const caps = caps_for(peer.torrent);
    Lane lane = lane_to_ask(wanted, caps, offer, spending_room(peer.torrent));
    // Nothing paid to a seller that billed us for a lane we did not want, nor while our ledger
    // cannot record what we sign.
    if (distrusted_payees_.count(offer.payee.base58()) || !context_.storage_fault.empty()) {
        lane = Lane::slow;
    }
    if (lane == Lane::slow && conn.their_lane == Lane::slow && conn.asked_lane == Lane::slow) {
        return;
    }
    auto const payer = config_.key.address();
    if (!conn.channel) {
        ProofContext const proof{.info_hash_hex = peer.torrent,
                                 .asset = offer.asset,
                                 .payee = offer.payee,
                                 .payer = payer,
                                 .seeder_nonce = peer.hello->nonce,
                                 .payer_nonce = peer.our_nonce,
                                 .seeder_peer_id = peer.their_peer_id,
                                 .payer_peer_id = peer.our_peer_id};
        context_.send(peer.id,
                      msg::Prove{payer, tron::sign_message(config_.key, proof_text(proof))});
        conn.channel = &channel_for(
            ChannelKey{Role::spend, payer.base58(), offer.payee.base58(), offer.asset});
        conn.channel->carry_below = offer.min_settlement.value_or(offer.settle_threshold);
    }
    conn.asked_lane = lane;
    context_.send(peer.id, msg::Request{lane, lane == Lane::slow ? 0 : caps.max_price_per_gib});
}

void Buyer::on_grant(PeerConn const& peer, msg::Grant const& grant, std::int64_t received) {
    auto* found = find(peer.id);
    if (!found || !found->channel || !peer.sells()) return;
    auto& conn = *found;
    bool const was_billing = conn.billing.start.has_value();
    close_billing(conn, peer);
    // Leaving a paid lane (or its price): pay for the segment that ends here at once, as the
    // spec asks, rather than at the next step.
    if (was_billing) pay(conn, peer, true);
    conn.their_lane = grant.lane;
    conn.billing.price = 0;
    context_.notice(LaneNotice::Kind::lane_changed, peer,
                    std::string("seller put us in ") + to_string(grant.lane) + ": " + grant.reason);
    if (grant.reconnect) {
        // The seller closes this connection so that the next one lands in the new lane's class.
        auto const port = peer.incoming ? peer.listen_port : peer.port;
        conn.closing = true;
        context_.out.push_back(command::Disconnect{peer.id});
        if (port > 0) {
            context_.out.push_back(
                command::Dial{peer.torrent, peer.ip, static_cast<std::uint16_t>(port)});
        }
        return;
    }
    if (grant.price_per_gib == 0) {
        conn.unwanted_paid_since.reset();
        return;
    }
    // We pay only for the lane we asked for, at a price within the user's cap, while the caps
    // leave room: whatever the seller says, anything else is not billed, and we ask again for
    // what we want (slow, if this price or the caps rule the paid lane out).
    Caps const caps = caps_for(peer.torrent);
    Units const room = context_.storage_fault.empty() ? spending_room(peer.torrent) : 0;
    if (!pays_for(grant, conn.asked_lane, caps, room)) {
        if (grant.price_per_gib > caps.max_price_per_gib || room <= 0) {
            conn.asked_lane = Lane::slow;
        }
        context_.notice(LaneNotice::Kind::rejected, peer,
                        std::string("not paying for ") + to_string(grant.lane) +
                            ": we did not ask for it at that price");
        // Asked once per episode: a seller that answers every request with the same grant must
        // not turn this into a ping-pong.
        if (conn.unwanted_paid_since) return;
        conn.unwanted_paid_since = context_.now.steady;
        context_.send(peer.id,
                      msg::Request{conn.asked_lane,
                                   conn.asked_lane == Lane::slow ? 0 : caps.max_price_per_gib});
        return;
    }
    conn.unwanted_paid_since.reset();
    conn.billing.price = grant.price_per_gib;
    conn.billing.start = received;
}

void Buyer::on_traffic(PeerConn const& peer) {
    if (auto* conn = find(peer.id); conn && conn->billing.start && conn->channel) {
        pay(*conn, peer, false);
    }
}

void Buyer::on_finished(TorrentId const& torrent) {
    finished_.insert(torrent);
    for (auto& [id, conn] : conns_) {
        auto const* peer = context_.peer(id);
        if (peer && peer->torrent == torrent && conn.channel) pay(conn, *peer, true);
    }
}

// A seller that keeps us in a paid lane after we asked for slow would bill us for it: we do not
// sign for those bytes, and after a grace for the grant to cross we leave and never pay it again.
void Buyer::tick() {
    constexpr auto grace = std::chrono::seconds(3);
    for (auto& [id, conn] : conns_) {
        auto const* peer = context_.peer(id);
        if (!conn.unwanted_paid_since || !peer || !peer->sells()) continue;
        if (context_.now.steady - *conn.unwanted_paid_since < grace) continue;
        conn.unwanted_paid_since.reset();
        distrusted_payees_.insert(peer->hello->offer->payee.base58());
        context_.notice(
            LaneNotice::Kind::rejected, *peer,
            "the seller kept us in a paid lane we did not ask for: disconnected, not paid again");
        conn.closing = true;
        context_.out.push_back(command::Disconnect{id});
    }
}

bool Buyer::record(Channel& channel, TorrentId const& torrent, msg::Iou const& iou,
                   PeerConn const& peer) {
    IouRecord const record{channel.key,
                           torrent,
                           iou.amount,
                           iou.seq,
                           std::string(iou.signature.begin(), iou.signature.end()),
                           context_.now.wall_ms};
    auto recorded = context_.store.record_iou(record);
    if (!recorded) {
        if (recorded.failure().kind == IouError::Kind::storage)
            throw StorageFault(recorded.error());
        context_.notice(LaneNotice::Kind::error, peer, "cannot record IOU: " + recorded.error());
        return false;
    }
    channel.iou_amount = iou.amount;
    channel.iou_seq = iou.seq;
    return true;
}

void Buyer::ask_slow(Conn& conn, PeerConn const& peer, std::string why) {
    close_billing(conn, peer);
    conn.billing.price = 0;
    if (conn.asked_lane == Lane::slow && conn.their_lane == Lane::slow) return;
    conn.asked_lane = Lane::slow;
    if (!why.empty()) context_.notice(LaneNotice::Kind::lane_changed, peer, std::move(why));
    context_.send(peer.id, msg::Request{Lane::slow, 0});
}

// Sends an IOU for everything owed on the connection's channel once a step's worth has built up
// (or at once when `now`), never past the user's caps. The IOU is in our ledger before it leaves:
// a restart continues the sequence instead of repeating it.
ConnectionId Buyer::iou_carrier(Channel const& channel, PeerConn const& peer) const {
    for (auto const& [id, conn] : conns_) {  // ordered by id: the oldest first
        if (conn.channel != &channel || conn.closing) continue;
        auto const* other = context_.peer(id);
        if (other && other->ip == peer.ip) return id;
    }
    return peer.id;
}

void Buyer::pay(Conn& conn, PeerConn const& peer, bool now) {
    if (!conn.channel || !peer.sells() || !context_.storage_fault.empty()) return;
    auto& channel = *conn.channel;
    auto const& offer = *peer.hello->offer;
    Units amount = accrued(channel);
    Units const step = cost_of(offer.iou_step_bytes, std::max<Units>(conn.billing.price, 1));
    if (amount <= channel.iou_amount) return;
    if (!now && amount - channel.iou_amount < std::max<Units>(step, 1)) return;
    auto const step_taken = next_iou(amount, channel.iou_amount, spending_room(peer.torrent));
    if (step_taken.amount > channel.iou_amount) {
        msg::Iou iou{.payer = config_.key.address(),
                     .payee = offer.payee,
                     .asset = offer.asset,
                     .amount = step_taken.amount,
                     .seq = channel.iou_seq + 1,
                     .final = finished_.count(peer.torrent) > 0,
                     .signature = {}};
        iou.signature = tron::sign_message(config_.key, iou_text(iou));
        if (!record(channel, peer.torrent, iou, peer)) return;
        context_.send(iou_carrier(channel, peer), iou);
    }
    if (step_taken.capped) {
        // A cap is reached: nothing more is signed on this torrent. Whatever the seller sends
        // before it moves us to slow is its risk, inside its window.
        for (auto& [id, other] : conns_) {
            auto const* other_peer = context_.peer(id);
            if (!other_peer || other_peer->torrent != peer.torrent || !other.channel) continue;
            ask_slow(other, *other_peer, "spending cap reached: asking for slow");
        }
        // What was billed past the cap is not owed.
        channel.closed -= step_taken.forgiven;
    }
}

void Buyer::on_settle_request(PeerConn const& peer, msg::SettleRequest const& request) {
    auto* conn = find(peer.id);
    if (!conn || !conn->channel) {
        return context_.reject(peer, "bad_settle_req", "settle_req before we paid anything");
    }
    auto& channel = *conn->channel;
    auto const answer =
        answer_settle_request(request, context_.store, channel.key, channel.recovered_settled);
    switch (answer.kind) {
        case SettleAnswer::Kind::resend: {
            auto const& done = *answer.settlement;
            return context_.send(peer.id, msg::Settlement{done.from, done.to, done.transaction});
        }
        case SettleAnswer::Kind::refuse:
            return context_.reject(peer, "bad_settle_req", answer.why);
        case SettleAnswer::Kind::sign:
            break;
    }
    // One at a time: the seller asks again for what is left once this one is in a block.
    if (channel.signing > 0 || !tron::Address::parse(channel.key.payee)) return;
    ++channel.signing;
    context_.out.push_back(
        command::FetchHead{SigningJob{channel.key, peer.id, request.from, request.to}});
}

void Buyer::on_head_block(SigningJob const& job, std::optional<tron::BlockReference> const& head,
                          std::string const& error) {
    auto& channel = channel_for(job.channel);
    --channel.signing;
    auto const* peer = context_.peer(job.conn);
    if (!head) {
        if (peer) context_.notice(LaneNotice::Kind::error, *peer, "cannot settle: " + error);
        return;
    }
    auto const payee = tron::Address::parse(channel.key.payee);
    tron::AssetTransfer const transfer{config_.key.address(), *payee, channel.key.asset,
                                       job.to - job.from};
    auto tx = tron::build_asset_transfer(transfer, *head, context_.now.wall_ms);
    tron::sign_transaction(tx, config_.key);
    SettlementRecord record;
    record.txid = tron::to_hex(tron::transaction_id(tx));
    record.channel = channel.key;
    record.from = job.from;
    record.to = job.to;
    record.transaction = tx.SerializeAsString();
    record.status = SettlementStatus::signed_;
    record.created_ms = record.updated_ms = context_.now.wall_ms;
    // In our ledger before it leaves: never two different transfers for one debt.
    if (auto added = context_.store.add_settlement(record); !added) {
        if (peer) {
            context_.notice(LaneNotice::Kind::error, *peer,
                            "cannot record settlement: " + added.error());
        }
        return;
    }
    context_.watch_closely();
    if (peer) {
        context_.send(job.conn, msg::Settlement{job.from, job.to, record.transaction});
        context_.notice(LaneNotice::Kind::settlement, *peer,
                        "signed a settlement of " + std::to_string(job.to - job.from) + " units",
                        record.txid);
    }
}

// The seller's view of our channel. If it holds an IOU of ours newer than our ledger's (we paid
// from another device, or our profile was restored from a backup), and the signature is ours,
// we continue from it: the next IOU goes on from there and no reject follows.
void Buyer::on_channel_state(PeerConn const& peer, msg::ChannelState const& state) {
    auto* conn = find(peer.id);
    if (!conn || !conn->channel || !peer.sells()) return;
    auto& channel = *conn->channel;
    auto const& offer = *peer.hello->offer;
    if (state.seq > channel.iou_seq && state.amount >= channel.iou_amount) {
        msg::Iou const iou{.payer = config_.key.address(),
                           .payee = offer.payee,
                           .asset = offer.asset,
                           .amount = state.amount,
                           .seq = state.seq,
                           .final = false,
                           .signature = state.signature};
        auto const signer = tron::recover_message_signer(iou_text(iou), iou.signature);
        if (!signer || !(*signer == iou.payer)) {
            return context_.notice(LaneNotice::Kind::rejected, peer,
                                   "the seller's channel state does not carry our own signature");
        }
        Units const before = channel.iou_amount;
        // Recorded under no torrent: it was spent from another device, on a torrent we may not
        // know, and must not count against this torrent's cap.
        if (!record(channel, {}, iou, peer)) return;
        channel.closed += state.amount - before;  // owed from here on, on top of that
        context_.notice(LaneNotice::Kind::iou, peer,
                        "continued the channel from our IOU " + std::to_string(state.amount) +
                            " (seq " + std::to_string(state.seq) + ") that the seller holds");
    }
    if (state.amount <= channel.iou_amount) {
        channel.recovered_settled = std::max(channel.recovered_settled, state.settled);
    }
}

void Buyer::on_receipt(PeerConn const& peer, msg::Receipt const& receipt) {
    // Only a hint: the chain is asked directly (command::Track) before anything is believed.
    context_.notice(LaneNotice::Kind::settlement, peer,
                    "seller reports settlement " + receipt.status, tron::to_hex(receipt.txid));
}

void Buyer::on_storage_fault() {
    // Ask every seller for slow: IOUs we cannot record we must not sign.
    for (auto& [id, conn] : conns_) {
        auto const* peer = context_.peer(id);
        if (peer && conn.channel && conn.asked_lane != Lane::slow) ask_slow(conn, *peer, {});
    }
}

void Buyer::on_storage_recovered() {
    for (auto& [id, conn] : conns_) {
        if (auto const* peer = context_.peer(id); peer && peer->sells()) ask(conn, *peer);
    }
}

bool Buyer::wants_held_open(ConnectionId id) const {
    auto const* conn = find(id);
    if (!conn || !conn->channel) return false;
    return conn->channel->signing > 0 ||
           settlement_not_in_block(context_.store, conn->channel->key);
}

Buyer::View Buyer::view(ConnectionId id) const {
    View out;
    auto const* conn = find(id);
    if (!conn) return out;
    out.buying = conn->channel || conn->their_lane != Lane::slow;
    out.lane = conn->their_lane;
    if (conn->channel) {
        out.payee = conn->channel->key.payee;
        out.paid = conn->channel->iou_amount;
        out.debt = std::max<Units>(0, accrued(*conn->channel) - conn->channel->iou_amount);
    }
    return out;
}

bool Buyer::settled_up() const {
    for (auto const& [key, channel] : channels_) {
        if (channel->signing > 0 || settlement_not_in_block(context_.store, key)) return false;
        // A tail below the seller's minimum settlement is carried in the channel, not lost.
        auto const state = context_.store.channel(key);
        if (state.iou_amount - state.settled >= std::max<Units>(channel->carry_below, 1)) {
            return false;
        }
    }
    return true;
}

}  // namespace lanetorrent::lanes
