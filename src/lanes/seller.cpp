// The seller's side of the lanes core: proofs, lane grants, the credit window, IOUs and the
// request for settlement. docs/lane-protocol.md is the contract; comments here say how we apply
// it.
#include "lanes/seller.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

#include "tron/bytes.hpp"
#include "tron/message_signing.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::lanes {

using namespace std::chrono_literals;

namespace {

// Reasons that hold a channel in the slow lane until something lifts them.
constexpr char const* bad_iou = "bad iou";
constexpr char const* stale_iou = "stale iou";
constexpr char const* settlement_failed = "settlement failed";
constexpr char const* settlement_not_delivered = "settlement not delivered";
constexpr char const* storage_fault = "seller storage fault";

}  // namespace

Seller::Seller(SellConfig config, CoreContext& context, LaneClasses& classes)
    : config_(std::move(config)), context_(context), classes_(classes) {}

Seller::Conn* Seller::find(ConnectionId id) {
    return entry_of(conns_, id);
}

Seller::Conn const* Seller::find(ConnectionId id) const {
    return entry_of(conns_, id);
}

Seller::Channel& Seller::channel_for(ChannelKey const& key) {
    auto& slot = channels_[key];
    if (!slot) {
        slot = std::make_unique<Channel>();
        slot->key = key;
        auto const state = context_.store.channel(key);
        slot->iou_amount = state.iou_amount;
        slot->iou_seq = state.iou_seq;
        slot->confirmed = state.settled;
        slot->closed = state.iou_amount;
        slot->window = config_.initial_window;
    }
    return *slot;
}

Units Seller::accrued(Channel const& channel) const {
    Units total = channel.closed;
    for (auto const& [id, conn] : conns_) {
        if (conn.channel != &channel) continue;
        if (auto const* peer = context_.peer(id)) total += conn.billing.cost(peer->sent);
    }
    return total;
}

void Seller::close_billing(Conn& conn, PeerConn const& peer) {
    if (conn.channel) conn.channel->closed += conn.billing.cost(peer.sent);
    conn.billing.start.reset();
}

void Seller::on_open(PeerConn const& peer) {
    conns_[peer.id].id = peer.id;
}

void Seller::on_closed(PeerConn const& peer, std::vector<TrafficDelta>& deltas) {
    auto* conn = find(peer.id);
    if (!conn) return;
    close_billing(*conn, peer);
    // The ledger names a peer by the address it pays from, else by its IP.
    if (peer.sent > 0) {
        deltas.push_back({Role::earn, peer.torrent, conn->payer ? conn->payer->base58() : peer.ip,
                          conn->lane, peer.sent});
    }
    conns_.erase(peer.id);
}

void Seller::on_prove(PeerConn const& peer, msg::Prove const& prove) {
    auto& conn = *find(peer.id);
    if (!peer.hello) {
        return context_.reject(peer, "bad_proof", "no ln_lanes handshake on this connection");
    }
    ProofContext const proof{.info_hash_hex = peer.torrent,
                             .asset = config_.asset,
                             .payee = config_.payee,
                             .payer = prove.payer,
                             .seeder_nonce = peer.our_nonce,
                             .payer_nonce = peer.hello->nonce,
                             .seeder_peer_id = peer.our_peer_id,
                             .payer_peer_id = peer.their_peer_id};
    auto const signer = tron::recover_message_signer(proof_text(proof), prove.signature);
    if (!signer || !(*signer == prove.payer)) {
        conn.payer.reset();
        set_lane(conn, peer, Lane::slow, "bad proof");
        return context_.reject(
            peer, "bad_proof",
            "the signature does not prove " + prove.payer.base58() + " for this connection");
    }
    conn.payer = prove.payer;
    conn.channel = &channel_for(
        ChannelKey{Role::earn, prove.payer.base58(), config_.payee.base58(), config_.asset});
    // What the channel stands at, so a payer whose own ledger is behind continues from it; and a
    // payer that comes back is asked for a tail it left unsettled.
    send_channel_state(peer, *conn.channel);
    review(*conn.channel);
    maybe_settle(*conn.channel, /*payer_back=*/true);
}

void Seller::on_request(PeerConn const& peer, msg::Request const& request) {
    auto& conn = *find(peer.id);
    if (!conn.payer && request.lane != Lane::slow) {
        set_lane(conn, peer, Lane::slow, "no proof");
        return context_.reject(peer, "no_proof", "prove an address before asking for a paid lane");
    }
    conn.requested = request.lane;
    conn.max_price = request.max_price_per_gib;
    conn.request_unanswered = true;
    if (conn.channel) {
        review(*conn.channel);
    } else {
        set_lane(conn, peer, Lane::slow, "requested");
    }
}

void Seller::on_traffic(PeerConn const& peer) {
    auto const* conn = find(peer.id);
    // A connection in a paid lane may just have used up its credit window: check now, not at the
    // next once-a-second review, or a fast peer gets several windows unpaid.
    if (conn && conn->billing.start && conn->channel) review(*conn->channel);
}

void Seller::on_grant_queued(ConnectionId id, std::int64_t sent) {
    auto* conn = find(id);
    if (conn && conn->billing.price > 0 && !conn->billing.start) conn->billing.start = sent;
}

CreditTerms Seller::credit_terms(Channel const& channel, Lane lane) const {
    return CreditTerms{channel.window, config_.price_per_gib[static_cast<int>(lane)],
                       config_.settle_threshold};
}

void Seller::block(Channel& channel, std::string reason) {
    channel.blocked = std::move(reason);
    review(channel);
}

void Seller::review(Channel& channel) {
    auto const money = channel.money(accrued(channel));
    channel.peak_exposure = std::max(channel.peak_exposure, money.exposure());
    for (auto& [id, conn] : conns_) {
        // A connection being replaced for its new class is not reviewed again before it closes.
        if (conn.channel != &channel || conn.reconnect_asked) continue;
        auto const* peer = context_.peer(id);
        if (!peer) continue;
        Lane lane = conn.requested;
        std::string reason = "requested";
        Units const price = config_.price_per_gib[static_cast<int>(lane)];
        if (lane != Lane::slow && price > conn.max_price) {
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
        if (lane != conn.lane || conn.request_unanswered ||
            (lane != Lane::slow && !conn.billing.start && conn.billing.price == 0)) {
            set_lane(conn, *peer, lane, reason);
        }
    }
    set_fences(channel);
}

// The credit left, as a hard stop on each paid connection of the channel (split between them),
// so that a payer is held at the bound even when this thread is late to decide.
void Seller::set_fences(Channel const& channel) {
    // Fences move by at least this much, so rounding and traffic reports do not send one each.
    constexpr std::int64_t fence_step = 16 * 1024;
    // Half an IOU step past the credit: the fence is a backstop for a late decision, not the
    // decision, and stays inside the spec's one step of slack with the send buffer added.
    constexpr std::int64_t fence_slack = 1 << 20;
    std::int64_t paid = 0;
    for (auto const& [id, conn] : conns_)
        paid += conn.channel == &channel && conn.billing.price > 0;
    for (auto& [id, conn] : conns_) {
        if (conn.channel != &channel) continue;
        auto const* peer = context_.peer(id);
        std::optional<std::int64_t> fence;
        if (peer && conn.billing.price > 0 && conn.lane != Lane::slow) {
            // Past the point where the credit verdict holds the payer back, so the traffic report
            // the plugin sends at the fence makes this thread decide.
            fence = peer->sent + window_left(conn) / std::max<std::int64_t>(paid, 1) + fence_slack;
        }
        bool const moved = fence.has_value() != conn.fence.has_value() ||
                           (fence && std::abs(*fence - *conn.fence) >= fence_step);
        if (!moved) continue;
        conn.fence = fence;
        context_.out.push_back(command::Fence{id, fence});
    }
}

void Seller::set_lane(Conn& conn, PeerConn const& peer, Lane lane, std::string reason) {
    close_billing(conn, peer);
    conn.request_unanswered = false;
    bool const reconnect = classes_.want(peer.ip, peer.held, lane);
    msg::Grant grant;
    grant.lane = lane;
    grant.price_per_gib = config_.price_per_gib[static_cast<int>(lane)];
    grant.window_bytes = lane == Lane::slow ? 0 : window_left(conn);
    grant.reason = reason;
    grant.reconnect = reconnect && lane != Lane::slow;
    if (grant.reconnect) {
        // The new class needs a new connection: nothing is billed on this one, which closes.
        grant.price_per_gib = 0;
        grant.window_bytes = 0;
        conn.lane = Lane::slow;
        conn.billing.price = 0;
        // Closed a second later (tick), so the grant saying why reaches the buyer first.
        conn.reconnect_asked = context_.now.steady;
        context_.out.push_back(command::SendGrant{conn.id, grant});
        context_.notice(LaneNotice::Kind::lane_changed, peer,
                        std::string("moving to ") + to_string(lane) + " (reconnecting)");
        return;
    }
    conn.lane = lane;
    conn.billing.price = grant.price_per_gib;
    context_.out.push_back(command::SendGrant{conn.id, grant});  // its queueing starts billing
    if (lane != Lane::slow) context_.out.push_back(command::Unchoke{conn.id});
    context_.notice(LaneNotice::Kind::lane_changed, peer,
                    std::string(to_string(lane)) + ": " + reason);
}

// The credit extended now, in bytes at the connection's lane: what is left of the window before
// unsigned debt or exposure would hold the payer back.
std::int64_t Seller::window_left(Conn const& conn) const {
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

void Seller::on_iou(PeerConn const& peer, msg::Iou const& iou) {
    auto& conn = *find(peer.id);
    if (!conn.payer || !conn.channel) {
        return context_.reject(peer, "no_proof", "IOU before a valid proof");
    }
    auto& channel = *conn.channel;
    if (!(iou.payer == *conn.payer) || !(iou.payee == config_.payee) ||
        iou.asset != config_.asset) {
        block(channel, bad_iou);
        return context_.reject(peer, "bad_iou", "the IOU is not for this payer, payee and asset");
    }
    auto const signer = tron::recover_message_signer(iou_text(iou), iou.signature);
    if (!signer || !(*signer == iou.payer)) {
        block(channel, bad_iou);
        return context_.reject(peer, "bad_iou", "the IOU signature is not the payer's");
    }
    Units const served = accrued(channel);
    auto const money = channel.money(served);
    if (iou_beyond_service(iou.amount, money, credit_terms(channel, conn.requested))) {
        block(channel, bad_iou);
        return context_.reject(peer, "bad_iou",
                               "the IOU promises " + std::to_string(iou.amount) +
                                   " for service worth " + std::to_string(served));
    }
    // The same amount again under a higher seq changes nothing but is no offence: a final IOU
    // whose last segment cost less than a unit.
    if (iou.amount == channel.iou_amount && iou.seq > channel.iou_seq) {
        if (iou.final) channel.final_seen = true;
        // It lifts an IOU hold: a payer whose IOUs are current has nothing higher to sign.
        if (channel.blocked == bad_iou || channel.blocked == stale_iou) {
            channel.blocked.clear();
            review(channel);
        }
        maybe_settle(channel);
        return;
    }
    IouRecord const record{channel.key,
                           peer.torrent,
                           iou.amount,
                           iou.seq,
                           std::string(iou.signature.begin(), iou.signature.end()),
                           context_.now.wall_ms};
    auto recorded = context_.store.record_iou(record);
    if (!recorded) {
        // Our disk, not the payer: LanesCore stops selling paid lanes until it works again.
        if (recorded.failure().kind == IouError::Kind::storage)
            throw StorageFault(recorded.error());
        block(channel, stale_iou);
        context_.reject(peer, "stale_iou", recorded.error());
        // The payer's own latest IOU, so a payer whose ledger is behind (another device, a
        // restored backup) can verify its signature and continue from it.
        return send_channel_state(peer, channel);
    }
    channel.iou_amount = iou.amount;
    channel.iou_seq = iou.seq;
    // A good IOU lifts an IOU block (not a settlement block) and, if it came while the payer was
    // within its window, earns it more credit.
    if (channel.blocked == bad_iou || channel.blocked == stale_iou) channel.blocked.clear();
    Units const price = std::max<Units>(config_.price_per_gib[static_cast<int>(conn.requested)], 1);
    if (money.unsigned_debt() <= cost_of(channel.window, price)) {
        // Up to the maximum, never below the initial window (a seller may start above it).
        channel.window = std::max(std::min(channel.window + config_.iou_step, config_.max_window),
                                  channel.window);
    }
    // A payer that pays on is not done (it may be this payer's next download).
    channel.final_seen = iou.final;
    context_.notice(LaneNotice::Kind::iou, peer, "IOU " + std::to_string(iou.amount));
    review(channel);
    maybe_settle(channel);
}

void Seller::maybe_settle(Channel& channel, bool payer_back) {
    auto const now = context_.now.steady;
    // A request whose connection closed unanswered (the payer left, or it was a connection
    // replaced for a lane class) is not the payer's fault: ask again on the next connection.
    if (channel.ask && !find(channel.ask->conn)) channel.ask.reset();
    if (channel.ask) {
        // While our own node fails, the payer most likely cannot sign either (it needs a recent
        // block), and we could not broadcast what it hands over: the clock runs only while the
        // node answers. The credit bound still holds what the payer owes meanwhile.
        if (!context_.node_answers) channel.ask->at = now;
        if (now - channel.ask->at >= config_.settle_timeout) {
            channel.ask.reset();
            channel.accepted_since_block.clear();
            block(channel, settlement_not_delivered);
            return;
        }
    }
    bool const in_flight = settlement_not_in_block(context_.store, channel.key);
    auto const money = channel.money(accrued(channel));
    if (channel.ask) {
        // A partial settlement is in a block: ask for the rest, on the same clock.
        if (!in_flight && money.confirmed > channel.ask->range.from &&
            money.confirmed < money.promised) {
            channel.ask->range = SettleRange{money.confirmed, money.promised};
            if (find(channel.ask->conn)) {
                context_.send(channel.ask->conn,
                              msg::SettleRequest{money.confirmed, money.promised});
            }
        }
        return;
    }
    auto const state = context_.store.channel(channel.key);
    SettleSituation situation;
    situation.in_flight = in_flight;
    // Done: it said so in a final IOU, or every connection of its channel is to a seed (a payer
    // with a finished torrent that is downloading another one is not done).
    bool any_conn = false, all_seeds = true;
    for (auto const& [id, conn] : conns_) {
        if (conn.channel != &channel) continue;
        any_conn = true;
        auto const* peer = context_.peer(id);
        all_seeds = all_seeds && peer && peer->peer_is_seed;
    }
    situation.payer_done = channel.final_seen || (any_conn && all_seeds);
    situation.payer_back = payer_back;
    situation.overdue = state.first_unsettled_ms > 0 &&
                        context_.now.wall_ms - state.first_unsettled_ms >=
                            std::chrono::milliseconds(config_.settle_interval).count();
    auto const range =
        settlement_due(money,
                       SettlePolicy{config_.settle_threshold,
                                    std::min(config_.min_payout, config_.settle_threshold)},
                       situation);
    if (!range) return;
    for (auto& [id, conn] : conns_) {
        // Not on a connection about to close for a new class: the payer closes it as soon as
        // the grant arrives, before it could read a request sent after the grant.
        if (conn.channel != &channel || conn.reconnect_asked) continue;
        context_.send(id, msg::SettleRequest{range->from, range->to});
        channel.ask = Channel::Ask{*range, now, id};
        channel.final_seen = false;  // this request settles what the final IOU left
        return;
    }
}

void Seller::on_settlement(PeerConn const& peer, msg::Settlement const& settlement) {
    auto& conn = *find(peer.id);
    if (!conn.payer || !conn.channel) {
        return context_.reject(peer, "no_proof", "settlement before a proof");
    }
    auto& channel = *conn.channel;
    auto fail = [&](std::string code, std::string why) {
        channel.accepted_since_block.clear();
        block(channel, settlement_failed);
        context_.reject(peer, std::move(code), std::move(why));
    };
    protocol::Transaction tx;
    if (!tx.ParseFromString(settlement.transaction)) {
        return fail("bad_settlement", "not a Tron transaction");
    }
    auto const txid = tron::transaction_id(tx);
    auto const txid_hex = tron::to_hex(txid);
    // A payer whose ledger lags behind ours (it has not yet seen a block we have seen) may hand
    // over, byte for byte, a settlement we already hold. That asks for nothing new: no credit,
    // and no blame either. Any other use of a recorded transaction is a replay, whatever range
    // it claims.
    if (auto const held = context_.store.settlement(txid_hex)) {
        if (held->channel == channel.key && held->from == settlement.from &&
            held->to == settlement.to && held->transaction == settlement.transaction &&
            held->status != SettlementStatus::failed) {
            return context_.notice(
                LaneNotice::Kind::settlement, peer,
                "settlement handed over again; already " + std::string(to_string(held->status)),
                held->txid);
        }
        return fail("replayed_settlement", "transaction " + txid_hex + " was already used");
    }
    auto const transfer = tron::asset_transfer_of(tx);
    if (!transfer) return fail("bad_settlement", transfer.error());
    auto const state = context_.store.channel(channel.key);
    auto const owner = tron::Address::from_bytes(
        {reinterpret_cast<std::uint8_t const*>(transfer->owner_address().data()),
         transfer->owner_address().size()});
    auto const to = tron::Address::from_bytes(
        {reinterpret_cast<std::uint8_t const*>(transfer->to_address().data()),
         transfer->to_address().size()});
    if (!owner || !(*owner == *conn.payer)) return fail("bad_settlement", "not from the payer");
    if (!to || !(*to == config_.payee)) return fail("bad_settlement", "not paid to us");
    if (transfer->asset_name() != config_.asset) return fail("bad_settlement", "wrong asset");
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
    auto const& sig = tx.signature(0);
    auto const signer =
        tron::recover_signer(txid, {reinterpret_cast<std::uint8_t const*>(sig.data()), sig.size()});
    if (!signer || !(*signer == *conn.payer)) {
        return fail("bad_settlement", "not signed by the payer");
    }
    // An expired transaction is not refused here: one the payer already got into a block (it
    // broadcasts what it signed too, e.g. while we were down) is as good as any. The broadcast
    // asks the node, and only a transaction that is in no block counts as failed.
    SettlementRecord record;
    record.txid = txid_hex;
    record.channel = channel.key;
    record.from = settlement.from;
    record.to = settlement.to;
    record.transaction = settlement.transaction;
    record.status = SettlementStatus::pending;
    record.created_ms = record.updated_ms = context_.now.wall_ms;
    if (auto added = context_.store.add_settlement(record); !added) {
        return fail("replayed_settlement", added.error());
    }
    context_.watch_closely();
    // Only a settlement that covers the request answers it, and only a covering one can lift a
    // settlement block once it is in a block; a part is money all the same, but the request
    // stays open and its clock keeps running.
    if (range_verdict == RangeVerdict::covers) {
        channel.ask.reset();
        channel.accepted_since_block.insert(record.txid);
    }
    context_.notice(
        LaneNotice::Kind::settlement, peer,
        std::string(range_verdict == RangeVerdict::covers ? "settlement" : "partial settlement") +
            " of " + std::to_string(settlement.to - settlement.from) + " units broadcast",
        record.txid);
    send_receipt(channel, record.txid, SettlementStatus::pending, record.to);
    // Broadcast by us: the payer cannot claim it paid without the transfer reaching the chain.
    context_.out.push_back(command::Broadcast{record.txid, record.transaction});
}

void Seller::on_settlement_status(SettlementRecord const& record, SettlementStatus status) {
    auto& channel = channel_for(record.channel);
    if (status == SettlementStatus::failed) {
        channel.blocked = settlement_failed;
        channel.accepted_since_block.clear();
    } else if ((channel.blocked == settlement_failed ||
                channel.blocked == settlement_not_delivered) &&
               channel.accepted_since_block.count(record.txid)) {
        channel.blocked.clear();
        channel.window = config_.initial_window;
    }
    channel.confirmed = context_.store.channel(channel.key).settled;
    send_receipt(channel, record.txid, status, record.to);
    review(channel);
    maybe_settle(channel);  // the next settlement may go as soon as this one is in a block
}

void Seller::send_receipt(Channel const& channel, std::string const& txid, SettlementStatus status,
                          Units to) {
    msg::Receipt receipt;
    auto const bytes = tron::from_hex(txid);
    if (bytes && bytes->size() == receipt.txid.size()) {
        std::copy(bytes->begin(), bytes->end(), receipt.txid.begin());
    }
    receipt.status = to_string(status);
    receipt.to = to;
    for (auto const& [id, conn] : conns_) {
        if (conn.channel == &channel) context_.send(id, receipt);
    }
}

void Seller::send_channel_state(PeerConn const& peer, Channel const& channel) {
    auto const state = context_.store.channel(channel.key);
    msg::ChannelState message;
    message.amount = state.iou_amount;
    message.seq = state.iou_seq;
    if (state.iou_signature.size() == message.signature.size()) {
        std::copy(state.iou_signature.begin(), state.iou_signature.end(),
                  message.signature.begin());
    }
    message.settled = std::min(state.settled, state.iou_amount);
    context_.send(peer.id, message);
}

void Seller::tick() {
    for (auto const& [id, conn] : conns_) {
        if (conn.reconnect_asked && context_.now.steady - *conn.reconnect_asked >= 1s) {
            context_.out.push_back(command::Disconnect{id});
        }
    }
    for (auto& [key, channel] : channels_) {
        review(*channel);
        maybe_settle(*channel);
    }
}

void Seller::on_storage_fault() {
    // Every payer to the slow lane until IOUs can be recorded again.
    for (auto& [key, channel] : channels_) {
        if (channel->blocked.empty()) block(*channel, storage_fault);
    }
}

void Seller::on_storage_recovered() {
    for (auto& [key, channel] : channels_) {
        if (channel->blocked == storage_fault) {
            channel->blocked.clear();
            review(*channel);
        }
    }
}

bool Seller::wants_held_open(ConnectionId id) const {
    auto const* conn = find(id);
    if (!conn || !conn->channel) return false;
    return conn->channel->ask || settlement_not_in_block(context_.store, conn->channel->key);
}

Lane Seller::lane_of(ConnectionId id) const {
    auto const* conn = find(id);
    return conn ? conn->lane : Lane::slow;
}

Seller::View Seller::view(ConnectionId id) const {
    View out;
    auto const* conn = find(id);
    if (!conn) return out;
    out.lane = conn->lane;
    if (conn->channel) {
        out.payer = conn->channel->key.payer;
        out.paid = conn->channel->iou_amount;
        out.debt = std::max<Units>(0, accrued(*conn->channel) - conn->channel->iou_amount);
    }
    return out;
}

std::vector<ChannelExposure> Seller::exposures() const {
    std::vector<ChannelExposure> out;
    CreditTerms const worst{config_.max_window, config_.price_per_gib[static_cast<int>(Lane::fast)],
                            config_.settle_threshold};
    for (auto const& [key, channel] : channels_) {
        out.push_back({key, channel->peak_exposure, exposure_bound(worst)});
    }
    return out;
}

bool Seller::settled_up() const {
    Units const carry_below =
        std::max<Units>(std::min(config_.min_payout, config_.settle_threshold), 1);
    for (auto const& [key, channel] : channels_) {
        if (channel->ask || settlement_not_in_block(context_.store, key)) return false;
        // A tail below the minimum settlement is carried in the channel, not lost: it is asked
        // for at the next meeting or after the settle interval.
        auto const state = context_.store.channel(key);
        if (state.iou_amount - state.settled >= carry_below) return false;
    }
    return true;
}

}  // namespace lanetorrent::lanes
