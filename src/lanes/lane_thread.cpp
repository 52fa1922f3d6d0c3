#include "lanes/lane_thread.hpp"

#include <chrono>
#include <exception>
#include <set>

namespace lanetorrent::lanes {

using namespace std::chrono_literals;

namespace {
// The service wants a poll at least once a second and every 200 ms while it watches a settlement
// closely. Rounds also run at every wakeup (plugin events come many times a second on a busy
// download); the figures are copied out at most every 100 ms, which bounds how old they are, and
// the ledger's totals once a second or after a request.
constexpr auto round_interval = 100ms;
constexpr auto figures_interval = 100ms;
constexpr auto totals_interval = 1s;
}  // namespace

LaneThread::LaneThread(Engine& engine, std::unique_ptr<LaneService> service)
    : engine_(engine), service_(std::move(service)) {
    service_->set_wakeup([this] {
        {
            std::lock_guard lock(mutex_);
            woken_ = true;
        }
        work_.notify_one();
    });
    service_->set_dialer([this](TorrentId const& torrent, Endpoint const& peer) {
        std::function<void()> wakeup;
        {
            std::lock_guard lock(mutex_);
            dials_.emplace_back(torrent, peer);
            wakeup = wakeup_;
        }
        if (wakeup) wakeup();
    });
    figures_.can_buy = service_->can_buy();
    thread_ = std::thread([this] { run(); });
}

LaneThread::~LaneThread() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        wakeup_ = {};
    }
    work_.notify_one();
    thread_.join();
    service_->set_wakeup({});
    service_->set_dialer({});
    service_.reset();
}

void LaneThread::set_wakeup(std::function<void()> wakeup) {
    std::lock_guard lock(mutex_);
    wakeup_ = std::move(wakeup);
}

void LaneThread::post(Task task) {
    {
        std::lock_guard lock(mutex_);
        tasks_.push_back(std::move(task));
    }
    work_.notify_one();
}

void LaneThread::observe(Event const& event) {
    // Only a finished download means anything to the lanes; the rest stay on this thread.
    if (!std::holds_alternative<event::Finished>(event)) return;
    post([event](LaneService& service) { service.observe(event); });
}

void LaneThread::set_lane(TorrentId const& torrent, Lane lane, Caps caps) {
    post([torrent, lane, caps](LaneService& service) { service.set_lane(torrent, lane, caps); });
}

void LaneThread::set_buy_config(BuyConfig buy) {
    {
        // What the owner asks next (can_buy) already sees it.
        std::lock_guard lock(mutex_);
        figures_.can_buy = true;
    }
    post([buy = std::move(buy)](LaneService& service) mutable {
        service.set_buy_config(std::move(buy));
    });
}

void LaneThread::poll() {
    std::vector<std::pair<TorrentId, Endpoint>> dials;
    {
        std::lock_guard lock(mutex_);
        dials.swap(dials_);
    }
    // A seller that is gone or a torrent removed meanwhile: the dial is dropped, as on the CLI.
    for (auto const& [torrent, peer] : dials) (void)engine_.connect_peer(torrent, peer);
}

bool LaneThread::can_buy() const {
    std::lock_guard lock(mutex_);
    return figures_.can_buy;
}

std::optional<std::array<Units, lane_count>> LaneThread::offered_prices(
    TorrentId const& torrent) const {
    std::lock_guard lock(mutex_);
    auto const it = figures_.prices.find(torrent);
    if (it == figures_.prices.end()) return std::nullopt;
    return it->second;
}

Units LaneThread::spent_on(TorrentId const& torrent) const {
    std::lock_guard lock(mutex_);
    auto const it = figures_.spent.find(torrent);
    return it == figures_.spent.end() ? 0 : it->second;
}

std::map<TorrentId, Units> LaneThread::totals_by_torrent(Role role) const {
    std::lock_guard lock(mutex_);
    return role == Role::earn ? figures_.earned : figures_.spent;
}

std::vector<PeerLane> LaneThread::peers() const {
    std::lock_guard lock(mutex_);
    return figures_.peers;
}

std::vector<LaneNotice> LaneThread::take_notices() {
    std::lock_guard lock(mutex_);
    return std::exchange(notices_, {});
}

void LaneThread::run() {
    auto next_figures = std::chrono::steady_clock::now();
    auto next_totals = next_figures;
    for (;;) {
        std::vector<Task> tasks;
        {
            std::unique_lock lock(mutex_);
            work_.wait_for(lock, round_interval,
                           [&] { return stopping_ || woken_ || !tasks_.empty(); });
            if (stopping_) return;
            woken_ = false;
            tasks.swap(tasks_);
        }
        // The service reports its own faults (a ledger it cannot write) as notices; anything it
        // throws past that is a bug of ours, and it must not end the thread the money runs on.
        try {
            for (auto& task : tasks) task(*service_);
            service_->poll();
            auto const now = std::chrono::steady_clock::now();
            bool const with_totals = now >= next_totals || !tasks.empty();
            bool const with_figures = with_totals || now >= next_figures;
            if (with_totals) next_totals = now + totals_interval;
            if (with_figures) next_figures = now + figures_interval;
            publish(with_figures, with_totals);
        } catch (std::exception const&) {
        }
    }
}

void LaneThread::publish(bool with_figures, bool with_totals) {
    Figures figures;
    if (with_figures) {
        figures.can_buy = service_->can_buy();
        figures.peers = service_->peers();
        std::set<TorrentId> torrents;
        for (auto const& peer : figures.peers) torrents.insert(peer.torrent);
        for (auto const& torrent : torrents) {
            if (auto prices = service_->offered_prices(torrent)) figures.prices[torrent] = *prices;
        }
    }
    if (with_totals) {
        try {
            figures.earned = service_->ledger().totals_by_torrent(Role::earn);
            figures.spent = service_->ledger().totals_by_torrent(Role::spend);
        } catch (std::exception const&) {
            with_totals = false;  // the service tells of a ledger it cannot read; keep the last
        }
    }
    auto notices = service_->take_notices();
    std::function<void()> wakeup;
    {
        std::lock_guard lock(mutex_);
        if (with_figures) {
            // A buy config posted but not yet run stays visible as one.
            figures_.can_buy = figures.can_buy || figures_.can_buy;
            figures_.peers = std::move(figures.peers);
            figures_.prices = std::move(figures.prices);
        }
        if (with_totals) {
            figures_.earned = std::move(figures.earned);
            figures_.spent = std::move(figures.spent);
        }
        for (auto& notice : notices) notices_.push_back(std::move(notice));
        if (!notices_.empty() || !dials_.empty()) wakeup = wakeup_;
    }
    if (wakeup) wakeup();
}

}  // namespace lanetorrent::lanes
