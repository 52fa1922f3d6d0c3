#include "lanes/lanes_core.hpp"

#include <algorithm>
#include <exception>
#include <limits>

namespace lanetorrent::lanes {

using namespace std::chrono_literals;

namespace {

constexpr auto rate_window = 3s;

}  // namespace

Offer offer_of(SellConfig const& sell) {
    Offer offer{.payee = sell.payee,
                .asset = sell.asset,
                .precision = sell.precision,
                .lanes = {},
                .initial_window_bytes = 0,
                .iou_step_bytes = 0,
                .settle_threshold = 0,
                .min_settlement = std::nullopt};
    for (int l = 0; l < lane_count; ++l) {
        offer.lanes[l].price_per_gib = sell.price_per_gib[l];
        offer.lanes[l].share_permille = sell.shares.permille[l];
    }
    offer.initial_window_bytes = sell.initial_window;
    offer.iou_step_bytes = sell.iou_step;
    offer.settle_threshold = sell.settle_threshold;
    offer.min_settlement = std::min(sell.min_payout, sell.settle_threshold);
    return offer;
}

LanesCore::LanesCore(LaneStore& store, LaneClasses* classes, std::optional<SellConfig> sell,
                     std::optional<BuyConfig> buy)
    : context_(store) {
    if (sell && classes) seller_.emplace(std::move(*sell), context_, *classes);
    if (buy) buyer_.emplace(std::move(*buy), context_);
}

template <class F>
void LanesCore::guarded(Now now, F&& work) {
    context_.now = now;
    try {
        work();
    } catch (std::exception const& e) {
        // The ledger throws only for its disk (full, locked, gone): our fault, never a peer's.
        storage_fault(e.what());
    }
}

void LanesCore::storage_fault(std::string const& text) {
    bool const first = context_.storage_fault.empty();
    context_.storage_fault = text.empty() ? "the lanes ledger cannot be written" : text;
    if (!first) return;
    context_.notice(
        LaneNotice{LaneNotice::Kind::error,
                   {},
                   {},
                   "lanes paused, the ledger cannot be written: " + context_.storage_fault,
                   {},
                   {}});
    // Selling: every payer to the slow lane; buying: ask every seller for slow. Reviewing reads
    // the ledger, which may fail again: that is the fault already being reported.
    try {
        if (buyer_) buyer_->on_storage_fault();
        if (seller_) seller_->on_storage_fault();
    } catch (std::exception const&) {
    }
}

void LanesCore::storage_recovered(Now now) {
    if (context_.storage_fault.empty()) return;
    guarded(now, [&] {
        context_.storage_fault.clear();
        context_.notice(LaneNotice{
            LaneNotice::Kind::settlement, {}, {}, "the lanes ledger works again", {}, {}});
        if (seller_) seller_->on_storage_recovered();
        if (buyer_) buyer_->on_storage_recovered();
    });
}

void LanesCore::on_opened(PeerConn peer, Now now) {
    guarded(now, [&] {
        auto const id = peer.id;
        auto& stored = context_.peers[id] = std::move(peer);
        if (seller_) seller_->on_open(stored);
        if (buyer_) buyer_->on_open(stored);
    });
}

void LanesCore::on_hello(ConnectionId id, HelloFacts facts, Now now) {
    guarded(now, [&] {
        auto* peer = context_.peer(id);
        if (!peer) return;
        peer->their_peer_id = facts.peer_id;
        peer->our_peer_id = facts.our_peer_id;
        peer->client = std::move(facts.client);
        peer->listen_port = facts.listen_port;
        peer->hello = std::move(facts.hello);
        if (!facts.hello_error.empty()) {
            context_.notice(LaneNotice::Kind::rejected, *peer,
                            "unreadable lane handshake: " + facts.hello_error);
        }
        if (buyer_) buyer_->on_hello(*peer);
    });
}

void LanesCore::on_message(ConnectionId id, std::optional<Message> const& message,
                           std::string const& error, std::int64_t received, Now now) {
    guarded(now, [&] {
        auto* peer = context_.peer(id);
        if (!peer) return;
        if (!error.empty()) return context_.reject(*peer, "malformed", error);
        if (!message) return;  // a type from a later version
        // While our ledger cannot record anything, money messages are dropped: IOUs are
        // cumulative and a settlement is asked for again, so nothing is lost and no peer is
        // blamed.
        if (!context_.storage_fault.empty() &&
            (std::holds_alternative<msg::Iou>(*message) ||
             std::holds_alternative<msg::Settlement>(*message))) {
            return;
        }
        dispatch(*peer, *message, received);
    });
}

void LanesCore::dispatch(PeerConn& peer, Message const& message, std::int64_t received) {
    if (seller_) {
        if (auto const* m = std::get_if<msg::Prove>(&message)) return seller_->on_prove(peer, *m);
        if (auto const* m = std::get_if<msg::Request>(&message)) {
            return seller_->on_request(peer, *m);
        }
        if (auto const* m = std::get_if<msg::Iou>(&message)) return seller_->on_iou(peer, *m);
        if (auto const* m = std::get_if<msg::Settlement>(&message)) {
            return seller_->on_settlement(peer, *m);
        }
    }
    if (buyer_) {
        if (auto const* m = std::get_if<msg::Grant>(&message)) {
            return buyer_->on_grant(peer, *m, received);
        }
        if (auto const* m = std::get_if<msg::SettleRequest>(&message)) {
            return buyer_->on_settle_request(peer, *m);
        }
        if (auto const* m = std::get_if<msg::Receipt>(&message)) {
            return buyer_->on_receipt(peer, *m);
        }
        if (auto const* m = std::get_if<msg::ChannelState>(&message)) {
            return buyer_->on_channel_state(peer, *m);
        }
    }
    if (auto const* m = std::get_if<msg::Reject>(&message)) {
        return context_.notice(LaneNotice::Kind::rejected, peer,
                               "peer refused our message (" + m->code + "): " + m->message);
    }
    context_.reject(peer, "unexpected",
                    "this client does not " + std::string(seller_ ? "buy" : "sell") + " lanes");
}

void LanesCore::on_traffic(ConnectionId id, std::int64_t sent, std::int64_t received,
                           bool peer_is_seed, Now now) {
    guarded(now, [&] {
        auto* peer = context_.peer(id);
        if (!peer) return;
        peer->sent = sent;
        peer->received = received;
        peer->peer_is_seed = peer_is_seed;
        peer->samples.push_back({now.steady, {sent, received}});
        while (peer->samples.size() > 2 && now.steady - peer->samples.front().first > rate_window) {
            peer->samples.pop_front();
        }
        if (buyer_) buyer_->on_traffic(*peer);
        if (seller_) seller_->on_traffic(*peer);
    });
}

void LanesCore::on_grant_queued(ConnectionId id, std::int64_t sent) {
    if (seller_) seller_->on_grant_queued(id, sent);
}

void LanesCore::on_closed(ConnectionId id, std::int64_t sent, std::int64_t received, Now now) {
    guarded(now, [&] {
        auto* peer = context_.peer(id);
        if (!peer) return;
        peer->sent = sent;
        peer->received = received;
        std::vector<TrafficDelta> deltas;
        // Each side settles its books first; the traffic rows are written last, so that a
        // ledger failure there cannot leave a side holding a closed connection.
        try {
            if (buyer_) buyer_->on_closed(*peer, deltas);
            if (seller_) seller_->on_closed(*peer, deltas);
        } catch (...) {
            context_.peers.erase(id);
            throw;
        }
        context_.peers.erase(id);
        if (!deltas.empty()) context_.store.add_traffic(deltas);
    });
}

void LanesCore::on_finished(TorrentId const& torrent, Now now) {
    finished_.insert(torrent);
    guarded(now, [&] {
        if (buyer_) buyer_->on_finished(torrent);
    });
}

void LanesCore::tick(Now now) {
    guarded(now, [&] {
        track(now);
        if (seller_) seller_->tick();
        if (buyer_) buyer_->tick();
        hold_connections_for_settlements();
    });
}

// A tail worth a transfer is settled before the connection closes: keep a finished connection
// open while its channel has a settlement asked for, being signed, or not yet in a block.
void LanesCore::hold_connections_for_settlements() {
    for (auto& [id, peer] : context_.peers) {
        bool const held =
            (seller_ && seller_->wants_held_open(id)) || (buyer_ && buyer_->wants_held_open(id));
        if (held != peer.held_open) {
            peer.held_open = held;
            context_.out.push_back(command::HoldOpen{id, held});
        }
    }
}

void LanesCore::track(Now now) {
    guarded(now, [&] {
        for (auto role : {Role::earn, Role::spend}) {
            for (auto const& record : context_.store.open_settlements(role)) {
                if (!tracking_.insert(record.txid).second) continue;
                context_.out.push_back(command::Track{record});
            }
        }
    });
}

void LanesCore::on_chain_status(std::string const& txid, ChainAnswer const& answer, Now now) {
    guarded(now, [&] {
        tracking_.erase(txid);
        if (answer.duplicate) {
            context_.notice(LaneNotice{LaneNotice::Kind::settlement,
                                       {},
                                       {},
                                       "broadcast again: the node already has it (not paid twice)",
                                       txid,
                                       {}});
        }
        if (answer.changed) finish_settlement(txid, answer.status, answer.block);
    });
}

void LanesCore::on_broadcast_refused(std::string const& txid, Now now) {
    guarded(now, [&] { finish_settlement(txid, SettlementStatus::failed, 0); });
}

void LanesCore::finish_settlement(std::string const& txid, SettlementStatus status,
                                  std::int64_t block) {
    auto const record = context_.store.settlement(txid);
    if (!record || record->status == status) return;
    if (auto set = context_.store.set_settlement_status(txid, status, block, context_.now.wall_ms);
        !set) {
        context_.notice(LaneNotice{LaneNotice::Kind::error, {}, {}, set.error(), txid, {}});
        return;
    }
    context_.notice(LaneNotice{LaneNotice::Kind::settlement,
                               {},
                               {},
                               std::string("settlement ") + to_string(status),
                               txid,
                               {}});
    if (record->channel.role == Role::earn && seller_) {
        seller_->on_settlement_status(*record, status);
    }
}

void LanesCore::on_head_block(SigningJob const& job,
                              std::optional<tron::BlockReference> const& head,
                              std::string const& error, Now now) {
    guarded(now, [&] {
        if (buyer_) buyer_->on_head_block(job, head, error);
    });
}

void LanesCore::set_lane(TorrentId const& torrent, Lane lane, Caps caps, Now now) {
    choices_[torrent] = {lane, caps};
    guarded(now, [&] {
        if (buyer_) buyer_->set_lane(torrent, lane, caps);
    });
}

void LanesCore::set_buy_config(BuyConfig buy, Now now) {
    guarded(now, [&] {
        if (buyer_) {
            buyer_->set_config(std::move(buy));
        } else {
            // What the user chose before the wallet was unlocked holds from now on.
            buyer_.emplace(std::move(buy), context_);
            for (auto const& [torrent, choice] : choices_) {
                buyer_->set_lane(torrent, choice.first, choice.second);
            }
            for (auto const& torrent : finished_) buyer_->on_finished(torrent);
            for (auto const& [id, peer] : context_.peers) buyer_->on_open(peer);
            for (auto const& [id, peer] : context_.peers) buyer_->on_hello(peer);
        }
    });
}

std::vector<PeerLane> LanesCore::peers() const {
    std::vector<PeerLane> out;
    for (auto const& [id, peer] : context_.peers) {
        PeerLane p;
        p.torrent = peer.torrent;
        p.endpoint = peer.endpoint();
        p.client = peer.client;
        p.uploaded = peer.sent;
        p.downloaded = peer.received;
        if (peer.samples.size() >= 2) {
            auto const& [t0, first] = peer.samples.front();
            auto const& [t1, last] = peer.samples.back();
            double const seconds = std::chrono::duration<double>(t1 - t0).count();
            if (seconds > 0) {
                p.up_rate = static_cast<std::int64_t>((last.first - first.first) / seconds);
                p.down_rate = static_cast<std::int64_t>((last.second - first.second) / seconds);
            }
        }
        auto const bought = buyer_ ? buyer_->view(id) : Buyer::View{};
        if (bought.buying) {
            p.role = Role::spend;
            p.lane = bought.lane;
            p.address = bought.payee;
            p.paid = bought.paid;
            p.debt = bought.debt;
        } else if (seller_) {
            auto const sold = seller_->view(id);
            p.role = Role::earn;
            p.lane = sold.lane;
            p.address = sold.payer;
            p.paid = sold.paid;
            p.debt = sold.debt;
        }
        out.push_back(std::move(p));
    }
    return out;
}

std::optional<std::array<Units, lane_count>> LanesCore::offered_prices(
    TorrentId const& torrent) const {
    std::optional<std::array<Units, lane_count>> best;
    for (auto const& [id, peer] : context_.peers) {
        if (peer.torrent != torrent || !peer.sells()) continue;
        auto const& offer = *peer.hello->offer;
        if (buyer_ && offer.asset != buyer_->config().asset) continue;
        if (!best) {
            best.emplace();
            best->fill(std::numeric_limits<Units>::max());
        }
        for (int l = 0; l < lane_count; ++l) {
            (*best)[l] = std::min((*best)[l], offer.lanes[l].price_per_gib);
        }
    }
    return best;
}

std::vector<ChannelExposure> LanesCore::exposures() const {
    return seller_ ? seller_->exposures() : std::vector<ChannelExposure>{};
}

bool LanesCore::settled_up() const {
    if (!tracking_.empty()) return false;
    try {
        return (!seller_ || seller_->settled_up()) && (!buyer_ || buyer_->settled_up());
    } catch (std::exception const&) {
        return false;
    }
}

}  // namespace lanetorrent::lanes
