// LaneService: lanes on top of an Engine, for the CLI and the GUI alike. It runs on one thread:
// the CLI's app thread (the same one that calls Engine::poll), or in the desktop app a thread of
// its own (LaneThread), so that its ledger commits never hold up the window. It owns the lane
// plugin, the peer classes, the ledger and the road to the Tron node.
//
// As a seller (config.sell set) it announces an offer, verifies each peer's proof, grants lanes,
// accepts IOUs inside a credit window and settles them on-chain. As a buyer (config.buy set)
// it proves its address, asks for the lane the user chose per torrent, pays as data arrives and
// signs settlements. A client can be both. Peers that do not speak the lane protocol are served
// in the slow lane.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "lanes/core_types.hpp"
#include "lanes/enforcer.hpp"
#include "lanes/lane_control.hpp"
#include "lanes/ledger.hpp"
#include "lanes/plugin.hpp"
#include "lanes/seller.hpp"
#include "tron/client.hpp"

namespace lanetorrent::lanes {

class ChainWorker;
class LanesCore;

struct LaneConfig {
    std::filesystem::path ledger_file;
    std::optional<SellConfig> sell;
    std::optional<BuyConfig> buy;
    tron::NodeConfig node;  // for settlements; unused if neither side ever settles
};

class LaneService : public LaneControl {
  public:
    // Call right after Engine::open, before any torrent is added.
    static Result<std::unique_ptr<LaneService>> open(Engine& engine, LaneConfig config);
    ~LaneService() override;

    // The lane to ask for on a torrent (buyer).
    void set_lane(TorrentId const& torrent, Lane lane, Caps caps) override;
    // Starts buying after open (the GUI unlocks the wallet later than it starts the session):
    // connected sellers are asked for the chosen lanes at once. Replaces an earlier buy config.
    void set_buy_config(BuyConfig buy);
    bool can_buy() const;
    // The lowest price per GiB each lane is offered at by the connected sellers of `torrent`
    // (in our asset once we buy, any asset before), or empty while none has made an offer.
    std::optional<std::array<Units, lane_count>> offered_prices(
        TorrentId const& torrent) const override;
    // IOU totals on one torrent: what we earned seeding it and spent downloading it.
    Units earned_on(TorrentId const& torrent) const;
    Units spent_on(TorrentId const& torrent) const override;
    // Feed every engine event here (finished downloads trigger a final IOU).
    void observe(Event const& event);
    // Does the work: plugin events, payments, settlements, lane limits. Call at least once a
    // second, and whenever the wakeup fires.
    void poll();
    void set_wakeup(std::function<void()> wakeup);
    // Where the core's "dial this seller again" goes. By default straight to the Engine, which
    // only its own thread may call: a LaneService on another thread hands the dial over to it.
    using Dialer = std::function<void(TorrentId const& torrent, Endpoint const& peer)>;
    void set_dialer(Dialer dialer);

    std::vector<PeerLane> peers() const override;
    // Selling: per payer channel, the highest exposure seen since this service started, and the
    // bound it is held to.
    using Exposure = ChannelExposure;
    std::vector<Exposure> exposures() const;
    std::vector<LaneNotice> take_notices();
    Ledger& ledger() { return *ledger_; }
    // Every IOU is covered by a settlement in a block or carried below the minimum settlement,
    // and nothing is in flight (what the demo and a finished download wait for).
    bool settled_up() const;

  private:
    LaneService(Engine& engine, LaneConfig config, std::unique_ptr<Ledger> ledger);

    static Now now();
    void on_event(PluginEvent const& event);
    // Carries out what the core decided, in order.
    void run_commands();
    void once_a_second(Now now);
    void write_live_peers(Now now);
    void rebalance(Now now);

    Engine& engine_;
    LaneConfig config_;
    std::unique_ptr<Ledger> ledger_;
    std::shared_ptr<LanePlugin> plugin_;
    std::unique_ptr<LaneEnforcer> enforcer_;
    std::unique_ptr<LanesCore> core_;
    std::unique_ptr<ChainWorker> chain_;
    Dialer dialer_;
    std::vector<LaneNotice> notices_;
    std::vector<LivePeer> last_live_;  // as last written for `lanes status`
    SteadyTime last_live_write_{};
    SteadyTime next_second_{};
    SteadyTime next_close_look_{};
    // The upload budget: what each connection was sent at the last rebalance, and the total
    // upload of each of the last 20 seconds.
    std::map<ConnectionId, std::int64_t> sent_at_rebalance_;
    std::int64_t last_total_sent_ = 0;
    SteadyTime last_rebalance_ = std::chrono::steady_clock::now();
    std::deque<std::int64_t> recent_rates_;
};

}  // namespace lanetorrent::lanes
