// LaneThread: a LaneService on a thread of its own, for the desktop app.
//
// The lanes commit their ledger before money moves (an IOU is on disk before it is sent, a
// settlement before it is broadcast), with SQLite's synchronous=FULL: an fsync per commit, a few
// per second on a busy paid download. On the GUI thread each one froze the window for as long as
// the disk took; a ledger another process held locked froze it for up to the busy timeout (5 s).
// Here the service runs on its own thread and the GUI's thread (the owner) only posts requests
// and reads figures the lane thread publishes after each round: nothing it calls waits for the
// ledger, the node or the lane thread.
//
// The Engine is not thread-safe, so the one thing the service asks of it from its thread (dial a
// seller again) is handed back to the owner and carried out in poll().
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "lanes/lane_service.hpp"

namespace lanetorrent::lanes {

class LaneThread : public LaneControl {
  public:
    // Takes over `service` (opened on the owner thread, right after Engine::open) and starts its
    // thread.
    LaneThread(Engine& engine, std::unique_ptr<LaneService> service);
    // Stops the thread after the round it is in, then closes the service.
    ~LaneThread() override;
    LaneThread(LaneThread const&) = delete;
    LaneThread& operator=(LaneThread const&) = delete;

    // --- owner thread; every call returns at once ---

    // Called from the lane thread when there is something for poll() or take_notices(); it must
    // only wake the owner (post a queued call).
    void set_wakeup(std::function<void()> wakeup);
    // Feed every engine event here, as to LaneService::observe.
    void observe(Event const& event);
    void set_lane(TorrentId const& torrent, Lane lane, Caps caps) override;
    void set_buy_config(BuyConfig buy);
    // Carries out what the lane thread handed back (dials), on the owner thread.
    void poll();

    // Figures as of the lane thread's last round (at most about 100 ms old), and what it noticed.
    bool can_buy() const;
    std::optional<std::array<Units, lane_count>> offered_prices(
        TorrentId const& torrent) const override;
    Units spent_on(TorrentId const& torrent) const override;
    // IOU totals per torrent, as Ledger::totals_by_torrent (refreshed about once a second).
    std::map<TorrentId, Units> totals_by_torrent(Role role) const;
    std::vector<PeerLane> peers() const override;
    std::vector<LaneNotice> take_notices();

  private:
    using Task = std::function<void(LaneService&)>;
    struct Figures {
        bool can_buy = false;
        std::vector<PeerLane> peers;
        std::map<TorrentId, std::array<Units, lane_count>> prices;
        std::map<TorrentId, Units> earned;
        std::map<TorrentId, Units> spent;
    };

    void post(Task task);
    void run();
    // On the lane thread: the figures the owner reads (peers and prices when `with_figures`,
    // the ledger's totals when `with_totals`), and whatever waits for it (notices, dials).
    void publish(bool with_figures, bool with_totals);

    Engine& engine_;
    std::unique_ptr<LaneService> service_;

    mutable std::mutex mutex_;
    std::condition_variable work_;
    std::vector<Task> tasks_;
    bool woken_ = false;  // the service's own wakeup fired (plugin events, node answers)
    bool stopping_ = false;
    Figures figures_;
    std::vector<LaneNotice> notices_;
    std::vector<std::pair<TorrentId, Endpoint>> dials_;
    std::function<void()> wakeup_;
    std::thread thread_;  // last: it starts once everything it uses exists
};

}  // namespace lanetorrent::lanes
