// The adapter around LanesCore: the plugin's events and the chain worker's answers go in with
// the time, the core's commands come out and are carried out here. Nothing here decides who
// pays what; it only moves facts and commands between threads, sockets, the node and the clock.
#include "lanes/lane_service.hpp"

#include <algorithm>
#include <exception>

#include <libtorrent/session.hpp>

#include "lanes/chain_worker.hpp"
#include "lanes/lanes_core.hpp"
#include "lanes/settlement_chain.hpp"
#include "tron/clock.hpp"
#include "tron/transaction.hpp"

namespace lanetorrent::lanes {

using namespace std::chrono_literals;

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
    core_ = std::make_unique<LanesCore>(*ledger_, enforcer_.get(), config_.sell, config_.buy);
    session.add_extension(plugin_);
    chain_ = std::make_unique<ChainWorker>(config_.node);
    next_second_ = std::chrono::steady_clock::now();
}

LaneService::~LaneService() {
    // The plugin stays in the session: with no offer it holds back no new connection's requests
    // waiting for an attach that nobody would send.
    plugin_->set_offer(std::nullopt);
    plugin_->set_wakeup({});
    chain_->set_wakeup({});
    chain_.reset();  // joins the worker before the state its continuations name goes away
}

Now LaneService::now() {
    return Now{std::chrono::steady_clock::now(), tron::now_ms()};
}

void LaneService::set_wakeup(std::function<void()> wakeup) {
    plugin_->set_wakeup(wakeup);
    chain_->set_wakeup(std::move(wakeup));
}

void LaneService::set_dialer(Dialer dialer) {
    dialer_ = std::move(dialer);
}

void LaneService::set_lane(TorrentId const& torrent, Lane lane, Caps caps) {
    core_->set_lane(torrent, lane, caps, now());
    run_commands();
}

void LaneService::set_buy_config(BuyConfig buy) {
    config_.buy = buy;
    core_->set_buy_config(std::move(buy), now());
    run_commands();
}

bool LaneService::can_buy() const {
    return core_->can_buy();
}

std::optional<std::array<Units, lane_count>> LaneService::offered_prices(
    TorrentId const& torrent) const {
    return core_->offered_prices(torrent);
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
        core_->on_finished(finished->id, now());
        run_commands();
    }
}

void LaneService::poll() {
    for (auto& event : plugin_->take_events()) on_event(event);
    for (auto& done : chain_->take_done()) done();
    // The node's health, as the chain worker sees it: said once per outage, not once per call.
    for (auto& node : chain_->take_node_notices()) {
        auto const kind = node.answers ? LaneNotice::Kind::settlement : LaneNotice::Kind::error;
        notices_.push_back(LaneNotice{kind, {}, {}, std::move(node.text), {}, node.answers});
    }
    core_->set_node_answers(chain_->node_answers());
    auto const at = now();
    if (core_->watching_closely(at) && at.steady >= next_close_look_ && at.steady < next_second_) {
        next_close_look_ = at.steady + 200ms;
        core_->track(at);
    }
    if (at.steady >= next_second_) {
        next_second_ = at.steady + 1s;
        once_a_second(at);
    }
    run_commands();
}

void LaneService::on_event(PluginEvent const& event) {
    auto const at = now();
    if (auto const* opened = std::get_if<wire::Opened>(&event)) {
        PeerConn peer;
        peer.id = opened->conn;
        peer.torrent = opened->torrent;
        peer.ip = opened->ip;
        peer.port = opened->port;
        peer.incoming = opened->incoming;
        peer.our_nonce = opened->our_nonce;
        if (enforcer_) peer.held = enforcer_->on_open(opened->ip, opened->classes);
        core_->on_opened(std::move(peer), at);
        // Its class has its limit now (posted before this): it may be served.
        plugin_->attach(opened->conn);
    } else if (auto const* hello = std::get_if<wire::HelloReceived>(&event)) {
        core_->on_hello(hello->conn,
                        LanesCore::HelloFacts{hello->peer_id, hello->our_peer_id, hello->client,
                                              hello->listen_port, hello->hello, hello->hello_error},
                        at);
    } else if (auto const* incoming = std::get_if<wire::Incoming>(&event)) {
        core_->on_message(incoming->conn, incoming->message, incoming->error, incoming->received,
                          at);
    } else if (auto const* traffic = std::get_if<wire::Traffic>(&event)) {
        core_->on_traffic(traffic->conn, traffic->sent, traffic->received, traffic->peer_is_seed,
                          at);
    } else if (auto const* queued = std::get_if<wire::GrantQueued>(&event)) {
        core_->on_grant_queued(queued->conn, queued->sent);
    } else if (auto const* closed = std::get_if<wire::Closed>(&event)) {
        std::string ip;
        if (auto const* peer = core_->peer(closed->conn)) ip = peer->ip;
        core_->on_closed(closed->conn, closed->sent, closed->received, at);
        sent_at_rebalance_.erase(closed->conn);
        if (enforcer_ && !ip.empty()) enforcer_->on_close(ip);
    }
    run_commands();
}

void LaneService::run_commands() {
    for (auto& command : core_->take_commands()) {
        std::visit(
            [&](auto& c) {
                using C = std::decay_t<decltype(c)>;
                if constexpr (std::is_same_v<C, command::Send>) {
                    plugin_->send(c.conn, c.message);
                } else if constexpr (std::is_same_v<C, command::SendGrant>) {
                    plugin_->send_grant(c.conn, c.grant);
                } else if constexpr (std::is_same_v<C, command::Unchoke>) {
                    plugin_->unchoke(c.conn);
                } else if constexpr (std::is_same_v<C, command::Disconnect>) {
                    plugin_->disconnect(c.conn);
                } else if constexpr (std::is_same_v<C, command::HoldOpen>) {
                    plugin_->hold_open(c.conn, c.held);
                } else if constexpr (std::is_same_v<C, command::Fence>) {
                    plugin_->set_fence(c.conn, c.paid_until);
                } else if constexpr (std::is_same_v<C, command::Dial>) {
                    if (dialer_) {
                        dialer_(c.torrent, Endpoint{c.ip, c.port});
                    } else {
                        (void)engine_.connect_peer(c.torrent, Endpoint{c.ip, c.port});
                    }
                } else if constexpr (std::is_same_v<C, command::Notify>) {
                    notices_.push_back(std::move(c.notice));
                } else if constexpr (std::is_same_v<C, command::Broadcast>) {
                    chain_->submit([this, c](tron::TronClient& client) {
                        protocol::Transaction tx;
                        bool const refused =
                            !tx.ParseFromString(c.transaction) || refused_for_good(client, tx);
                        return std::function<void()>([this, txid = c.txid, refused] {
                            // Transport failures: the status tracker keeps trying until the
                            // transaction expires.
                            if (refused) core_->on_broadcast_refused(txid, now());
                        });
                    });
                } else if constexpr (std::is_same_v<C, command::FetchHead>) {
                    chain_->submit([this, job = c.job](tron::TronClient& client) {
                        auto head = client.head_block();
                        std::optional<tron::BlockReference> ref;
                        std::string error;
                        if (head) {
                            ref = *head;
                        } else {
                            error = head.error();
                        }
                        return std::function<void()>([this, job, ref, error] {
                            core_->on_head_block(job, ref, error, now());
                        });
                    });
                } else if constexpr (std::is_same_v<C, command::Track>) {
                    chain_->submit([this, record = c.record](tron::TronClient& client) {
                        auto const answer = ask_chain(client, record);
                        return std::function<void()>([this, txid = record.txid, answer] {
                            core_->on_chain_status(txid, answer, now());
                        });
                    });
                }
            },
            command);
    }
}

void LaneService::once_a_second(Now at) {
    core_->tick(at);
    rebalance(at);
    write_live_peers(at);
}

// What `lanes status` shows, rewritten only when something changed (or every 30 s, so a reader
// sees the client is alive), and always while the ledger failed: that write is what tells it
// works again.
void LaneService::write_live_peers(Now at) {
    std::vector<LivePeer> live;
    for (auto const& peer : core_->peers()) {
        live.push_back(LivePeer{peer.role, peer.torrent, peer.endpoint, peer.client, peer.address,
                                peer.lane, peer.role == Role::earn ? peer.up_rate : peer.down_rate,
                                peer.debt, peer.paid, at.wall_ms});
    }
    auto const same = [](std::vector<LivePeer> const& a, std::vector<LivePeer> const& b) {
        return std::equal(
            a.begin(), a.end(), b.begin(), b.end(), [](LivePeer const& x, LivePeer const& y) {
                return x.role == y.role && x.torrent == y.torrent && x.endpoint == y.endpoint &&
                       x.client == y.client && x.address == y.address && x.lane == y.lane &&
                       x.rate == y.rate && x.debt == y.debt && x.paid == y.paid;
            });
    };
    if (!core_->storage_failed() && same(live, last_live_) && at.steady - last_live_write_ < 30s) {
        return;
    }
    try {
        ledger_->replace_live_peers(live);
    } catch (std::exception const& e) {
        return core_->storage_fault(e.what());
    }
    last_live_ = std::move(live);
    last_live_write_ = at.steady;
    core_->storage_recovered(at);  // that write went through
}

void LaneService::rebalance(Now at) {
    if (!enforcer_) return;
    std::int64_t total = 0;
    std::vector<LaneEnforcer::Member> members;
    double const seconds =
        std::max(0.1, std::chrono::duration<double>(at.steady - last_rebalance_).count());
    last_rebalance_ = at.steady;
    for (auto const& [id, peer] : core_->connections()) {
        total += peer.sent;
        auto& before = sent_at_rebalance_[id];
        auto const rate = static_cast<std::int64_t>((peer.sent - before) / seconds);
        before = peer.sent;
        if (!peer.peer_is_seed) members.push_back({peer.ip, peer.held, core_->sell_lane(id), rate});
    }
    // Upload budget: the configured one, or twice the best second of the last 20 (at least
    // 4 MiB/s), so an uncapped seller finds its capacity within seconds.
    std::int64_t const rate = std::max<std::int64_t>(0, total - last_total_sent_);
    last_total_sent_ = total;
    recent_rates_.push_back(rate);
    if (recent_rates_.size() > 20) recent_rates_.pop_front();
    std::int64_t budget = config_.sell ? config_.sell->upload_budget : 0;
    if (budget <= 0) {
        auto const best = *std::max_element(recent_rates_.begin(), recent_rates_.end());
        budget = std::max<std::int64_t>(best * 2, 4 << 20);
    }
    enforcer_->rebalance(budget, members);
    // A paid connection is unchoked when granted, but libtorrent unchokes at once only if its
    // class already ignores unchoke slots; a slot class learns that in the rebalance above. With
    // the slots all taken it stayed choked, and the choker skips it from then on: unchoke it now.
    for (auto const& [id, peer] : core_->connections()) {
        if (core_->sell_lane(id) != Lane::slow && !peer.peer_is_seed) plugin_->unchoke(id);
    }
}

std::vector<PeerLane> LaneService::peers() const {
    return core_->peers();
}

std::vector<LaneService::Exposure> LaneService::exposures() const {
    return core_->exposures();
}

std::vector<LaneNotice> LaneService::take_notices() {
    return std::exchange(notices_, {});
}

bool LaneService::settled_up() const {
    return chain_->idle() && core_->settled_up();
}

}  // namespace lanetorrent::lanes
