#include "lanes/lane_service.hpp"

#include <algorithm>
#include <exception>
#include <limits>

#include <libtorrent/session.hpp>

#include "lanes/chain_worker.hpp"
#include "lanes/service_state.hpp"
#include "tron/clock.hpp"

namespace lanetorrent::lanes {

using namespace std::chrono_literals;

namespace {

constexpr auto rate_window = 3s;

Offer offer_of(SellConfig const& sell) {
    Offer offer{.payee = sell.payee,
                .asset = sell.asset,
                .precision = 6,
                .lanes = {},
                .initial_window_bytes = 0,
                .iou_step_bytes = 0,
                .settle_threshold = 0,
                .min_settlement = std::nullopt};
    offer.precision = sell.precision;
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

}  // namespace

Result<std::unique_ptr<LaneService>> LaneService::open(Engine& engine, LaneConfig config) {
    if (config.sell) {
        auto const& sell = *config.sell;
        if (sell.price_per_gib[0] != 0) return Error{"the slow lane is free: its price must be 0"};
        int total = 0;
        for (auto share : sell.shares.permille) {
            if (share < 0) return Error{"lane shares must not be negative"};
            total += share;
        }
        if (total <= 0 || total > 1000) return Error{"lane shares must add up to 1..1000 permille"};
    }
    auto ledger = Ledger::open(config.ledger_file);
    if (!ledger) return Error{ledger.error()};
    try {
        return std::unique_ptr<LaneService>(
            new LaneService(engine, std::move(config), std::move(ledger.value())));
    } catch (std::exception const& e) {
        return Error{std::string("cannot start lanes: ") + e.what()};
    }
}

LaneService::LaneService(Engine& engine, LaneConfig config, std::unique_ptr<Ledger> ledger)
    : engine_(engine),
      config_(std::move(config)),
      ledger_(std::move(ledger)),
      plugin_(std::make_shared<LanePlugin>()) {
    auto& session = engine_.native_session();
    // Only a seller shapes its upload into lanes; a buyer's uploads stay as the engine sets them.
    if (config_.sell) {
        enforcer_ = std::make_unique<LaneEnforcer>(session, config_.sell->shares);
        plugin_->set_offer(offer_of(*config_.sell));
    }
    session.add_extension(plugin_);
    chain_ = std::make_unique<ChainWorker>(config_.node);
    next_second_ = std::chrono::steady_clock::now();
}

template <class F>
void LaneService::guarded(F&& work) {
    try {
        work();
    } catch (std::exception const& e) {
        // The ledger throws only for its disk (full, locked, gone): our fault, never a peer's.
        storage_fault(e.what());
    }
}

LaneService::~LaneService() {
    plugin_->set_wakeup({});
    chain_->set_wakeup({});
    chain_.reset();  // joins the worker before the state its continuations name goes away
}

void LaneService::set_wakeup(std::function<void()> wakeup) {
    plugin_->set_wakeup(wakeup);
    chain_->set_wakeup(std::move(wakeup));
}

void LaneService::set_lane(TorrentId const& torrent, Lane lane, Caps caps) {
    choices_[torrent] = {lane, caps};
    guarded([&] {
        for (auto& [id, conn] : conns_) {
            if (conn->torrent == torrent && conn->hello && conn->hello->offer) buy_hello(*conn);
        }
    });
}

void LaneService::set_buy_config(BuyConfig buy) {
    config_.buy = std::move(buy);
    guarded([&] {
        for (auto& [id, conn] : conns_) {
            if (conn->hello && conn->hello->offer) buy_hello(*conn);
        }
    });
}

std::optional<std::array<Units, lane_count>> LaneService::offered_prices(
    TorrentId const& torrent) const {
    std::optional<std::array<Units, lane_count>> best;
    for (auto const& [id, conn] : conns_) {
        if (conn->torrent != torrent || !conn->hello || !conn->hello->offer) continue;
        auto const& offer = *conn->hello->offer;
        if (config_.buy && offer.asset != config_.buy->asset) continue;
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

Units LaneService::earned_on(TorrentId const& torrent) const {
    try {
        return ledger_->total_for_torrent(Role::earn, torrent);
    } catch (std::exception const&) {
        return 0;  // poll() reports the ledger's fault
    }
}

Units LaneService::spent_on(TorrentId const& torrent) const {
    try {
        return ledger_->total_for_torrent(Role::spend, torrent);
    } catch (std::exception const&) {
        return 0;
    }
}

void LaneService::observe(Event const& event) {
    if (auto const* finished = std::get_if<event::Finished>(&event)) {
        finished_.insert(finished->id);
        guarded([&] {
            for (auto& [id, conn] : conns_) {
                if (conn->torrent == finished->id && conn->channel) pay(*conn, true);
            }
        });
    }
}

Units LaneService::accrued(Channel const& channel) const {
    Units total = channel.closed;
    for (auto const& [id, conn] : conns_) {
        if (conn->channel == &channel) total += conn->billing.cost(conn->billed_bytes());
    }
    return total;
}

void LaneService::close_billing(Conn& conn) {
    if (conn.channel) conn.channel->closed += conn.billing.cost(conn.billed_bytes());
    conn.billing.start.reset();
}

Result<Units, IouError> LaneService::record_iou(Channel& channel, TorrentId const& torrent,
                                                msg::Iou const& iou) {
    IouRecord const record{channel.key,
                           torrent,
                           iou.amount,
                           iou.seq,
                           std::string(iou.signature.begin(), iou.signature.end()),
                           tron::now_ms()};
    auto recorded = ledger_->record_iou(record);
    if (recorded) {
        channel.iou_amount = iou.amount;
        channel.iou_seq = iou.seq;
    }
    return recorded;
}

LaneService::Conn* LaneService::find(ConnectionId id) {
    auto const it = conns_.find(id);
    return it == conns_.end() ? nullptr : it->second.get();
}

LaneService::Channel& LaneService::channel_for(ChannelKey const& key) {
    auto& slot = channels_[key];
    if (!slot) {
        slot = std::make_unique<Channel>();
        slot->key = key;
        auto const state = ledger_->channel(key);
        slot->iou_amount = state.iou_amount;
        slot->iou_seq = state.iou_seq;
        slot->confirmed = state.settled;
        slot->closed = state.iou_amount;
        if (config_.sell) slot->window = config_.sell->initial_window;
    }
    return *slot;
}

void LaneService::storage_fault(std::string const& text) {
    bool const first = storage_fault_.empty();
    storage_fault_ = text.empty() ? "the lanes ledger cannot be written" : text;
    if (!first) return;
    notices_.push_back(LaneNotice{LaneNotice::Kind::error,
                                  {},
                                  {},
                                  "lanes paused, the ledger cannot be written: " + storage_fault_,
                                  {},
                                  {}});
    // Selling: every payer to the slow lane until IOUs can be recorded again. Buying: ask every
    // seller for slow, since IOUs we cannot record we must not sign.
    for (auto& [key, channel] : channels_) {
        if (key.role == Role::earn && channel->blocked.empty())
            channel->blocked = "seller storage fault";
    }
    for (auto& [id, conn] : conns_) {
        if (conn->channel && conn->spends() && conn->asked_lane != Lane::slow) {
            close_billing(*conn);
            conn->billing.price = 0;
            conn->asked_lane = Lane::slow;
            plugin_->send(conn->id, msg::Request{Lane::slow, 0});
        }
    }
    for (auto& [key, channel] : channels_) {
        if (key.role == Role::earn) try {
                review(*channel);
            } catch (std::exception const&) {
            }
    }
}

void LaneService::storage_recovered() {
    if (storage_fault_.empty()) return;
    storage_fault_.clear();
    notices_.push_back(
        LaneNotice{LaneNotice::Kind::settlement, {}, {}, "the lanes ledger works again", {}, {}});
    for (auto& [key, channel] : channels_) {
        if (channel->blocked == "seller storage fault") {
            channel->blocked.clear();
            review(*channel);
        }
    }
    if (config_.buy) {
        for (auto& [id, conn] : conns_) {
            if (conn->hello && conn->hello->offer) buy_hello(*conn);
        }
    }
}

void LaneService::poll() {
    for (auto& event : plugin_->take_events()) guarded([&] { on_event(event); });
    for (auto& done : chain_->take_done()) guarded(done);
    auto const now = std::chrono::steady_clock::now();
    if (now < watch_closely_until_ && now >= next_close_look_ && now < next_second_) {
        next_close_look_ = now + 200ms;
        guarded([&] { track_settlements(); });
    }
    if (now < next_second_) return;
    next_second_ = now + 1s;
    guarded([&] { once_a_second(now); });
}

void LaneService::once_a_second(std::chrono::steady_clock::time_point now) {
    for (auto& [id, conn] : conns_) {
        if (conn->reconnect_asked && now - *conn->reconnect_asked >= 1s) plugin_->disconnect(id);
    }
    track_settlements();
    for (auto& [key, channel] : channels_) {
        if (key.role == Role::earn) {
            review(*channel);
            maybe_settle(*channel);
        }
    }
    for (auto& [id, conn] : conns_) watch_unwanted_paid_lane(*conn);
    hold_connections_for_settlements();
    rebalance();
    std::vector<LivePeer> live;
    for (auto const& peer : peers()) {
        live.push_back(LivePeer{peer.role, peer.torrent, peer.endpoint, peer.client, peer.address,
                                peer.lane, peer.role == Role::earn ? peer.up_rate : peer.down_rate,
                                peer.debt, peer.paid, tron::now_ms()});
    }
    // Rewritten only when something changed (or every 30 s, so a reader sees the client is
    // alive), and always while the ledger failed: that write is what tells it works again.
    auto const same = [](std::vector<LivePeer> const& a, std::vector<LivePeer> const& b) {
        return std::equal(
            a.begin(), a.end(), b.begin(), b.end(), [](LivePeer const& x, LivePeer const& y) {
                return x.role == y.role && x.torrent == y.torrent && x.endpoint == y.endpoint &&
                       x.client == y.client && x.address == y.address && x.lane == y.lane &&
                       x.rate == y.rate && x.debt == y.debt && x.paid == y.paid;
            });
    };
    if (storage_fault_.empty() && same(live, last_live_) && now - last_live_write_ < 30s) return;
    ledger_->replace_live_peers(live);
    last_live_ = std::move(live);
    last_live_write_ = now;
    storage_recovered();  // that write went through
}

// A tail worth a transfer is settled before the connection closes: keep a finished connection
// open while its channel has a settlement asked for, being signed, or not yet in a block.
void LaneService::hold_connections_for_settlements() {
    std::map<Channel const*, bool> busy;
    for (auto const& [key, channel] : channels_) {
        busy[channel.get()] = channel->ask || channel->signing > 0 || settlement_in_flight(key);
    }
    for (auto& [id, conn] : conns_) {
        bool const held = conn->channel && busy[conn->channel];
        if (held != conn->held_open) {
            conn->held_open = held;
            plugin_->hold_open(id, held);
        }
    }
}

void LaneService::on_event(PluginEvent const& event) {
    if (auto const* opened = std::get_if<wire::Opened>(&event)) {
        auto conn = std::make_unique<Conn>();
        conn->id = opened->conn;
        conn->torrent = opened->torrent;
        conn->ip = opened->ip;
        conn->port = opened->port;
        conn->incoming = opened->incoming;
        conn->our_nonce = opened->our_nonce;
        if (enforcer_) conn->held = enforcer_->on_open(opened->ip);
        conns_[conn->id] = std::move(conn);
        return;
    }
    auto const id = std::visit([](auto const& e) { return e.conn; }, event);
    auto* conn = find(id);
    if (!conn) return;
    if (auto const* hello = std::get_if<wire::HelloReceived>(&event))
        return on_hello(*conn, *hello);
    if (auto const* incoming = std::get_if<wire::Incoming>(&event)) {
        return on_message(*conn, *incoming);
    }
    if (auto const* traffic = std::get_if<wire::Traffic>(&event)) {
        conn->peer_is_seed = traffic->peer_is_seed;
        on_traffic(*conn, traffic->sent, traffic->received);
        // A connection in a paid lane may just have used up its credit window: check now, not
        // at the next once-a-second review, or a fast peer gets several windows unpaid.
        if (conn->billing.start && conn->channel && !conn->spends()) review(*conn->channel);
        return;
    }
    if (auto const* queued = std::get_if<wire::GrantQueued>(&event)) {
        if (conn->billing.price > 0 && !conn->billing.start) conn->billing.start = queued->sent;
        return;
    }
    if (auto const* closed = std::get_if<wire::Closed>(&event)) {
        on_traffic(*conn, closed->sent, closed->received);
        on_closed(*conn);
    }
}

void LaneService::on_hello(Conn& conn, wire::HelloReceived const& hello) {
    conn.their_peer_id = hello.peer_id;
    conn.our_peer_id = hello.our_peer_id;
    conn.client = hello.client;
    conn.listen_port = hello.listen_port;
    conn.hello = hello.hello;
    if (!hello.hello_error.empty()) {
        notice(LaneNotice::Kind::rejected, conn, "unreadable lane handshake: " + hello.hello_error);
    }
    if (conn.hello && conn.hello->offer && config_.buy) buy_hello(conn);
}

void LaneService::on_message(Conn& conn, wire::Incoming const& incoming) {
    if (!incoming.error.empty()) return reject(conn, "malformed", incoming.error);
    if (!incoming.message) return;  // a type from a later version
    auto const& message = *incoming.message;
    // While our ledger cannot record anything, money messages are dropped: IOUs are cumulative
    // and a settlement is asked for again, so nothing is lost and no peer is blamed.
    if (!storage_fault_.empty() && (std::holds_alternative<msg::Iou>(message) ||
                                    std::holds_alternative<msg::Settlement>(message))) {
        return;
    }
    bool const selling = config_.sell.has_value();
    bool const buying = config_.buy.has_value();
    if (auto const* m = std::get_if<msg::Prove>(&message); m && selling)
        return sell_prove(conn, *m);
    if (auto const* m = std::get_if<msg::Request>(&message); m && selling) {
        return sell_request(conn, *m);
    }
    if (auto const* m = std::get_if<msg::Iou>(&message); m && selling) return sell_iou(conn, *m);
    if (auto const* m = std::get_if<msg::Settlement>(&message); m && selling) {
        return sell_settlement(conn, *m);
    }
    if (auto const* m = std::get_if<msg::Grant>(&message); m && buying) {
        return buy_grant(conn, *m, incoming.received);
    }
    if (auto const* m = std::get_if<msg::SettleRequest>(&message); m && buying) {
        return buy_settle_request(conn, *m);
    }
    if (auto const* m = std::get_if<msg::Receipt>(&message); m && buying) {
        return buy_receipt(conn, *m);
    }
    if (auto const* m = std::get_if<msg::ChannelState>(&message); m && buying) {
        return buy_channel_state(conn, *m);
    }
    if (auto const* m = std::get_if<msg::Reject>(&message)) {
        return notice(LaneNotice::Kind::rejected, conn,
                      "peer refused our message (" + m->code + "): " + m->message);
    }
    reject(conn, "unexpected",
           "this client does not " + std::string(selling ? "buy" : "sell") + " lanes");
}

void LaneService::on_traffic(Conn& conn, std::int64_t sent, std::int64_t received) {
    conn.sent = sent;
    conn.received = received;
    auto const now = std::chrono::steady_clock::now();
    conn.samples.push_back({now, {sent, received}});
    while (conn.samples.size() > 2 && now - conn.samples.front().first > rate_window) {
        conn.samples.pop_front();
    }
    if (conn.billing.start && conn.spends()) pay(conn, false);
}

void LaneService::on_closed(Conn& conn) {
    if (conn.billing.start && conn.spends()) pay(conn, false);
    close_billing(conn);
    // The ledger names a peer by the address it pays from (or we pay to), else by its IP.
    std::vector<TrafficDelta> deltas;
    auto const peer = conn.payer     ? conn.payer->base58()
                      : conn.channel ? conn.channel->key.payee
                                     : conn.ip;
    if (conn.sent > 0) deltas.push_back({Role::earn, conn.torrent, peer, conn.lane, conn.sent});
    if (conn.received > 0) {
        deltas.push_back({Role::spend, conn.torrent, peer, conn.their_lane, conn.received});
    }
    ledger_->add_traffic(deltas);
    if (enforcer_) enforcer_->on_close(conn.ip);
    conns_.erase(conn.id);
}

void LaneService::reject(Conn& conn, std::string code, std::string text) {
    notice(LaneNotice::Kind::rejected, conn, code + ": " + text);
    plugin_->send(conn.id, msg::Reject{std::move(code), text.substr(0, 200)});
}

void LaneService::notice(LaneNotice::Kind kind, Conn const& conn, std::string text,
                         std::string txid) {
    notices_.push_back(LaneNotice{kind,
                                  conn.torrent,
                                  conn.ip + ":" + std::to_string(conn.port),
                                  std::move(text),
                                  std::move(txid),
                                  {}});
}

std::vector<LaneNotice> LaneService::take_notices() {
    return std::exchange(notices_, {});
}

bool LaneService::settled_up() const {
    if (!chain_->idle() || !tracking_.empty()) return false;
    try {
        for (auto const& [key, channel] : channels_) {
            if (channel->signing > 0 || channel->ask) return false;
            if (settlement_in_flight(key)) return false;
            // A tail below the seller's minimum settlement is carried in the channel, not lost:
            // it is asked for at the next meeting or after the settle interval.
            auto const state = ledger_->channel(key);
            Units const carry_below = key.role == Role::earn
                                          ? (config_.sell ? std::min(config_.sell->min_payout,
                                                                     config_.sell->settle_threshold)
                                                          : 0)
                                          : channel->carry_below;
            if (state.iou_amount - state.settled >= std::max<Units>(carry_below, 1)) return false;
        }
    } catch (std::exception const&) {
        return false;
    }
    return true;
}

std::vector<LaneService::Exposure> LaneService::exposures() const {
    std::vector<Exposure> out;
    if (!config_.sell) return out;
    auto const& sell = *config_.sell;
    CreditTerms const worst{sell.max_window, sell.price_per_gib[static_cast<int>(Lane::fast)],
                            sell.settle_threshold};
    for (auto const& [key, channel] : channels_) {
        if (key.role == Role::earn)
            out.push_back({key, channel->peak_exposure, exposure_bound(worst)});
    }
    return out;
}

std::vector<PeerLane> LaneService::peers() const {
    std::vector<PeerLane> out;
    for (auto const& [id, conn] : conns_) {
        PeerLane p;
        p.torrent = conn->torrent;
        p.endpoint = conn->ip + ":" + std::to_string(conn->port);
        p.client = conn->client;
        p.uploaded = conn->sent;
        p.downloaded = conn->received;
        if (conn->samples.size() >= 2) {
            auto const& [t0, first] = conn->samples.front();
            auto const& [t1, last] = conn->samples.back();
            double const seconds = std::chrono::duration<double>(t1 - t0).count();
            if (seconds > 0) {
                p.up_rate = static_cast<std::int64_t>((last.first - first.first) / seconds);
                p.down_rate = static_cast<std::int64_t>((last.second - first.second) / seconds);
            }
        }
        bool const buying = conn->spends() || conn->their_lane != Lane::slow;
        p.role = buying ? Role::spend : Role::earn;
        p.lane = buying ? conn->their_lane : conn->lane;
        if (conn->channel) {
            auto const& ch = *conn->channel;
            p.address = buying ? ch.key.payee : ch.key.payer;
            p.paid = ch.iou_amount;
            p.debt = std::max<Units>(0, accrued(ch) - ch.iou_amount);
        }
        out.push_back(std::move(p));
    }
    return out;
}

}  // namespace lanetorrent::lanes
