// The seller's peer classes against real sessions on loopback: the upload budget holds for the sum
// of all peers, and a connection that has not proven a payer gets the slow lane's rate even when
// it comes from the IP of a payer that holds a class of its own. No devnet: nothing here settles
// (the IOUs stay far below the settlement threshold), so the node address is never dialled.
//
// Also the enforcer's pure policy (class targets, arming, the limiter correction), in ms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>

#include "engine/engine.hpp"
#include "engine/torrent_creator.hpp"
#include "engine/torrent_source.hpp"
#include "files.hpp"
#include "lanes/enforcer.hpp"
#include "lanes/lane_service.hpp"
#include "net.hpp"
#include "temp_dir.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::lanes {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t MiB = 1 << 20;
constexpr Units kMaxPrice = 1'000'000'000;

// An Engine, with a LaneService when it sells or buys, on a loopback address.
struct Node {
    Node(fs::path const& dir, std::string node_ip, std::optional<SellConfig> sell,
         std::optional<BuyConfig> buy)
        : ip(std::move(node_ip)) {
        EngineSettings settings;
        settings.listen_interfaces = ip + ":" + std::to_string(test::free_port(ip));
        settings.try_next_ports = false;
        settings.make_local_only();
        settings.status_interval = 200ms;
        auto opened = Engine::open(Profile::in_directory(dir), settings);
        if (!opened) throw std::runtime_error(opened.error());
        engine = std::move(opened.value());
        if (!sell && !buy) return;
        LaneConfig config;
        config.ledger_file = dir / "data" / "lanes.sqlite";
        config.sell = std::move(sell);
        config.buy = std::move(buy);
        config.node.wallet_address = "127.0.0.1:9";  // never needed: nothing settles
        config.node.solidity_address = "127.0.0.1:9";
        auto started = LaneService::open(*engine, std::move(config));
        if (!started) throw std::runtime_error(started.error());
        lanes = std::move(started.value());
    }
    ~Node() {
        lanes.reset();
        engine->shutdown(2s);
    }

    void poll() {
        for (auto const& event : engine->poll(0ms)) {
            if (auto const* l = std::get_if<event::Listening>(&event)) {
                listening = Endpoint{l->address, static_cast<std::uint16_t>(l->port)};
            }
            if (auto const* c = std::get_if<event::Checked>(&event)) {
                if (c->have_bytes == c->total_bytes) ++checked;
            }
            if (std::getenv("ENFORCER_TRACE")) {
                if (auto const* c = std::get_if<event::PeerConnected>(&event)) {
                    std::cout << "[ opened   ] " << ip << " " << c->id.substr(0, 6) << " "
                              << c->peer << (c->incoming ? " in" : " out") << "\n";
                }
                if (auto const* d = std::get_if<event::PeerDisconnected>(&event)) {
                    std::cout << "[ closed   ] " << ip << " " << d->id.substr(0, 6) << " "
                              << d->peer << " " << d->reason << "\n";
                }
            }
            if (lanes) lanes->observe(event);
        }
        if (lanes) lanes->poll();
        if (lanes) {
            for (auto const& n : lanes->take_notices()) {
                notices.push_back(n.text);
                if (std::getenv("ENFORCER_TRACE")) {
                    std::cout << "[ notice   ] "
                              << std::chrono::duration_cast<std::chrono::milliseconds>(
                                     Clock::now().time_since_epoch())
                                         .count() %
                                     100000
                              << " " << ip << " " << n.peer << " " << n.text << "\n";
                }
            }
        }
    }
    std::int64_t downloaded(TorrentId const& id) const {
        auto const p = engine->progress(id);
        return p ? p->downloaded : 0;
    }
    std::int64_t uploaded(TorrentId const& id) const {
        auto const p = engine->progress(id);
        return p ? p->uploaded : 0;
    }
    bool finished(TorrentId const& id) const {
        auto const p = engine->progress(id);
        return p && p->total_bytes > 0 && p->have_bytes == p->total_bytes;
    }

    std::string ip;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<LaneService> lanes;
    std::optional<Endpoint> listening;
    int checked = 0;
    std::vector<std::string> notices;
};

struct Torrent {
    lt::add_torrent_params params;
    TorrentId id;
    fs::path dir;  // the seller's copy
};

class EnforcerTest : public ::testing::Test {
  protected:
    Torrent make_torrent(std::string const& name, std::int64_t bytes, std::uint64_t seed) {
        auto const dir = content_ / name;
        fs::create_directories(dir);
        test::write_random_file(dir / "payload.bin", static_cast<std::uint64_t>(bytes), seed);
        CreateOptions options;
        options.content = dir / "payload.bin";
        options.piece_size_kib = 256;
        auto created = create_torrent(options);
        EXPECT_TRUE(created) << created.error();
        return Torrent{load_torrent_bytes(created->bytes, name).value(), created->id, dir};
    }

    Node& seller(std::int64_t budget, std::vector<Torrent const*> const& torrents) {
        SellConfig sell(tron::PrivateKey::generate().address());
        sell.upload_budget = budget;
        nodes_.push_back(std::make_unique<Node>(dir_.path() / "seller", test::unique_loopback_ip(),
                                                sell, std::nullopt));
        auto& node = *nodes_.back();
        for (auto const* t : torrents) {
            AddTorrent add;
            add.source = t->params;
            add.save_path = t->dir;
            add.seed_only = true;
            EXPECT_TRUE(node.engine->add(add));
        }
        EXPECT_TRUE(run_until(
            [&] { return node.listening && node.checked == static_cast<int>(torrents.size()); },
            60s));
        return node;
    }

    // A downloader of `torrent` from `from`, paying for `lane` when it is not slow. `dial`: it
    // keeps dialling `from`; else it waits for `from` to dial it.
    Node& buyer(std::string const& name, std::string const& ip, Node const& from,
                Torrent const& torrent, Lane lane, bool dial = true) {
        std::optional<BuyConfig> buy;
        if (lane != Lane::slow) {
            buy = BuyConfig{.key = tron::PrivateKey::generate(),
                            .asset = "1002000",
                            .default_lane = lane,
                            .default_caps = Caps{kMaxPrice, 0, 0}};
        }
        nodes_.push_back(std::make_unique<Node>(dir_.path() / name, ip, std::nullopt, buy));
        auto& node = *nodes_.back();
        AddTorrent add;
        add.source = torrent.params;
        add.save_path = dir_.path() / (name + "-save");
        auto added = node.engine->add(add);
        EXPECT_TRUE(added) << added.error();
        if (node.lanes) node.lanes->set_lane(torrent.id, lane, Caps{kMaxPrice, 0, 0});
        if (dial) {
            EXPECT_TRUE(node.engine->pin_peer(torrent.id, *from.listening));
        }
        return node;
    }

    // Every node is polled without waiting, so none sits idle while another one waits.
    bool run_until(std::function<bool()> const& done, std::chrono::milliseconds timeout) {
        auto const deadline = Clock::now() + timeout;
        while (Clock::now() < deadline) {
            if (done()) return true;
            for (auto& node : nodes_) node->poll();
            std::this_thread::sleep_for(1ms);
        }
        return done();
    }
    void run_for(std::chrono::milliseconds duration) {
        run_until([] { return false; }, duration);
    }

    // The lane the seller shows for the peer on `ip` downloading `torrent`.
    static std::optional<Lane> lane_at(Node const& seller, std::string const& ip,
                                       TorrentId const& torrent) {
        for (auto const& p : seller.lanes->peers()) {
            if (p.torrent == torrent && p.endpoint.rfind(ip + ":", 0) == 0) return p.lane;
        }
        return std::nullopt;
    }

    test::TempDir dir_{"lanes-enforcer"};
    fs::path content_ = dir_.subdir("content");
    std::vector<std::unique_ptr<Node>> nodes_;
};

// Measured before the fix with a 3 MiB/s budget: four peers together got several times the
// budget. Every peer is counted, paid or not, in a class of its own or shared.
TEST_F(EnforcerTest, UploadBudgetHoldsForTheSumOfAllPeers) {
    constexpr std::int64_t budget = 3 * MiB;
    auto const torrent = make_torrent("one", 160 * MiB, 9101);
    auto& seed = seller(budget, {&torrent});
    auto& plain = buyer("plain", test::unique_loopback_ip(), seed, torrent, Lane::slow);
    auto& medium = buyer("medium", test::unique_loopback_ip(), seed, torrent, Lane::medium);
    auto& fast = buyer("fast", test::unique_loopback_ip(), seed, torrent, Lane::fast);
    auto& fast2 = buyer("fast2", test::unique_loopback_ip(), seed, torrent, Lane::fast);
    ASSERT_TRUE(run_until(
        [&] {
            return lane_at(seed, plain.ip, torrent.id) == Lane::slow &&
                   lane_at(seed, medium.ip, torrent.id) == Lane::medium &&
                   lane_at(seed, fast.ip, torrent.id) == Lane::fast &&
                   lane_at(seed, fast2.ip, torrent.id) == Lane::fast;
        },
        30s));
    run_for(2500ms);  // two rebalances with everyone in their lanes
    std::array<Node*, 4> const peers{&plain, &medium, &fast, &fast2};
    auto const sent0 = seed.uploaded(torrent.id);
    std::array<std::int64_t, 4> got0{};
    for (std::size_t i = 0; i < peers.size(); ++i) got0[i] = peers[i]->downloaded(torrent.id);
    auto const t0 = Clock::now();
    run_for(8s);
    double const seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    double const total = static_cast<double>(seed.uploaded(torrent.id) - sent0) / seconds;
    char const* names[] = {"plain", "medium", "fast", "fast2"};
    for (std::size_t i = 0; i < peers.size(); ++i) {
        EXPECT_FALSE(peers[i]->finished(torrent.id)) << names[i] << " finished inside the window";
        std::cout << "[ budget   ] " << names[i] << ": "
                  << static_cast<double>(peers[i]->downloaded(torrent.id) - got0[i]) / seconds /
                         1024
                  << " KiB/s\n";
    }
    std::cout << "[ budget   ] seller total " << total / 1024 << " KiB/s of " << budget / 1024
              << " (" << total / static_cast<double>(budget) << ")\n";
    RecordProperty("total_over_budget", std::to_string(total / static_cast<double>(budget)));
    EXPECT_LE(total, 1.05 * static_cast<double>(budget));
    EXPECT_GE(total, 0.85 * static_cast<double>(budget));
}

// A payer's IP holds a slot class; a second connection from that IP (another torrent, no proof)
// must not ride on it, and the budget holds for all of them together. Measured before the fix
// (4 MiB/s budget): the rider got 2.65 MiB/s, 9.7x the plain peer from another IP, and the seller
// sent 7.3 MiB/s in all (the slot's limit was the fast lane's part times its two connections).
TEST_F(EnforcerTest, UnprovenConnectionFromAPayersIpGetsTheSlowRate) {
    constexpr std::int64_t budget = 4 * MiB;
    auto const paid = make_torrent("paid", 128 * MiB, 9201);
    auto const other = make_torrent("other", 64 * MiB, 9202);
    auto& seed = seller(budget, {&paid, &other});
    auto const shared_ip = test::unique_loopback_ip();
    auto& payer = buyer("payer", shared_ip, seed, paid, Lane::fast);
    ASSERT_TRUE(run_until([&] { return lane_at(seed, shared_ip, paid.id) == Lane::fast; }, 30s));
    // The payer's IP now holds its class; a plain client on the same IP and one elsewhere.
    auto& rider = buyer("rider", shared_ip, seed, other, Lane::slow);
    auto& plain = buyer("plain", test::unique_loopback_ip(), seed, other, Lane::slow);
    ASSERT_TRUE(run_until(
        [&] { return lane_at(seed, shared_ip, other.id) && lane_at(seed, plain.ip, other.id); },
        30s));
    run_for(2500ms);
    auto const rider0 = rider.downloaded(other.id);
    auto const plain0 = plain.downloaded(other.id);
    auto const payer0 = payer.downloaded(paid.id);
    auto const sent0 = seed.uploaded(paid.id) + seed.uploaded(other.id);
    auto const t0 = Clock::now();
    run_for(6s);
    double const seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    double const rider_rate = static_cast<double>(rider.downloaded(other.id) - rider0) / seconds;
    double const plain_rate = static_cast<double>(plain.downloaded(other.id) - plain0) / seconds;
    double const payer_rate = static_cast<double>(payer.downloaded(paid.id) - payer0) / seconds;
    double const total =
        static_cast<double>(seed.uploaded(paid.id) + seed.uploaded(other.id) - sent0) / seconds;
    std::cout << "[ rider    ] unproven on the payer's IP " << rider_rate / 1024
              << " KiB/s, plain elsewhere " << plain_rate / 1024 << " KiB/s, payer (fast) "
              << payer_rate / 1024 << " KiB/s; seller total " << total / 1024 << " KiB/s of "
              << budget / 1024 << "\n";
    RecordProperty("rider_over_plain", std::to_string(rider_rate / std::max(plain_rate, 1.0)));
    EXPECT_FALSE(rider.finished(other.id) || plain.finished(other.id) || payer.finished(paid.id));
    EXPECT_EQ(lane_at(seed, shared_ip, paid.id), Lane::fast);
    // Both plain connections share the slow lane: each about half of it.
    EXPECT_LE(rider_rate, 1.5 * plain_rate + 64 * 1024);
    EXPECT_LE(total, 1.05 * static_cast<double>(budget));
    // And the payer still gets its lane: fast is 60 / (10 + 60) of the budget here.
    EXPECT_GE(payer_rate, 0.75 * static_cast<double>(budget) * 6 / 7);
}

// A payer that already holds its class with a seller (buying one torrent) starts a second torrent
// from it: the new connection lands in the shared slow class (one class, one connection), so its
// paid lane needs a reconnect. Before the fix the payer's redial waited out libtorrent's
// min_reconnect_time (10 s, 20 s once the seller had closed it first) and the video of
// docs/streaming.md never left slow while the first download ran; a lane reconnect now redials at
// once.
TEST_F(EnforcerTest, ASecondPaidTorrentFromTheSameSellerGetsItsLaneWithinSeconds) {
    constexpr std::int64_t budget = 8 * MiB;
    auto const first = make_torrent("first", 256 * MiB, 9401);
    auto const second = make_torrent("second", 128 * MiB, 9402);
    auto& seed = seller(budget, {&first, &second});
    auto& payer = buyer("payer", test::unique_loopback_ip(), seed, first, Lane::fast);
    ASSERT_TRUE(run_until([&] { return lane_at(seed, payer.ip, first.id) == Lane::fast; }, 30s));
    AddTorrent add;
    add.source = second.params;
    add.save_path = dir_.path() / "payer-second-save";  // both files are payload.bin
    ASSERT_TRUE(payer.engine->add(add));
    payer.lanes->set_lane(second.id, Lane::fast, Caps{kMaxPrice, 0, 0});
    ASSERT_TRUE(payer.engine->pin_peer(second.id, *seed.listening));
    if (std::getenv("ENFORCER_TRACE")) {
        std::cout << "[ ids      ] first " << first.id.substr(0, 6) << " second "
                  << second.id.substr(0, 6) << "\n";
    }
    auto const t0 = Clock::now();
    auto next_trace = t0;
    bool const paid = run_until(
        [&] {
            if (std::getenv("ENFORCER_TRACE") && Clock::now() >= next_trace) {
                next_trace += 1s;
                for (auto const& p : seed.lanes->peers()) {
                    std::cout << "[ seller   ] " << p.endpoint << " "
                              << (p.torrent == first.id ? "first" : "second") << " "
                              << to_string(p.lane) << "\n";
                }
                for (auto const& p : payer.lanes->peers()) {
                    std::cout << "[ payer    ] " << p.endpoint << " "
                              << (p.torrent == first.id ? "first" : "second") << " "
                              << to_string(p.lane) << "\n";
                }
            }
            return lane_at(seed, payer.ip, second.id) == Lane::fast &&
                   lane_at(seed, payer.ip, first.id) == Lane::fast;
        },
        30s);
    double const seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    std::cout << "[ second   ] the second torrent's connection is in the fast lane after "
              << (paid ? std::to_string(seconds) + " s" : std::string("never (30 s)")) << "\n";
    RecordProperty("second_torrent_paid_after_s", std::to_string(seconds));
    ASSERT_TRUE(paid);
    EXPECT_LE(seconds, 5.0);
    // Both downloads go on in their lanes.
    auto const got_second = payer.downloaded(second.id);
    run_for(2s);
    EXPECT_GT(payer.downloaded(second.id), got_second);
    EXPECT_FALSE(payer.finished(first.id));
}

// A seller dials its payers itself after a restart (from its resume data). libtorrent gives a
// dialled connection its peer classes only after the torrent's plugins were told of it, and the
// enforcer read none there: every such payer was taken for a newcomer in the shared slow class and
// asked to reconnect, the seller's next dial came before the payer's (which waits out
// min_reconnect_time) and was asked again, and the crash rounds saw no IOU for over 120 s.
TEST_F(EnforcerTest, APayerTheSellerDialsGetsItsLaneWithoutAReconnect) {
    auto const torrent = make_torrent("dialled", 64 * MiB, 9501);
    auto& seed = seller(8 * MiB, {&torrent});
    auto& payer =
        buyer("payer", test::unique_loopback_ip(), seed, torrent, Lane::fast, /*dial=*/false);
    ASSERT_TRUE(run_until([&] { return payer.listening.has_value(); }, 30s));
    auto const t0 = Clock::now();
    ASSERT_TRUE(seed.engine->connect_peer(torrent.id, *payer.listening));
    bool const paid =
        run_until([&] { return lane_at(seed, payer.ip, torrent.id) == Lane::fast; }, 30s);
    double const seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    std::cout << "[ dialled  ] the payer the seller dialled is in the fast lane after " << seconds
              << " s\n";
    ASSERT_TRUE(paid);
    for (auto const& text : seed.notices) {
        EXPECT_EQ(text.find("reconnecting"), std::string::npos) << text;
    }
    EXPECT_LE(seconds, 5.0);
}

// Not a timed test (speed goals are shown in bench/): prints when a fast buyer's lane shows in its
// rate after it connects, and after a demotion to medium and a promotion back, with a plain peer
// alongside so the lanes differ. Rates come from the seller's per-connection byte counts.
TEST_F(EnforcerTest, LaneSwitchTimeline) {
    constexpr std::int64_t budget = 16 * MiB;
    auto const torrent = make_torrent("big", 512 * MiB, 9301);
    auto& seed = seller(budget, {&torrent});
    auto& plain = buyer("plain", test::unique_loopback_ip(), seed, torrent, Lane::slow);
    ASSERT_TRUE(run_until([&] { return plain.downloaded(torrent.id) > 0; }, 30s));
    auto const t0 = Clock::now();
    auto& payer = buyer("payer", test::unique_loopback_ip(), seed, torrent, Lane::fast);
    auto ms = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    };
    // The seller's count of bytes sent to the payer (all its connections), sampled as we go.
    std::vector<std::pair<double, std::int64_t>> curve;
    std::optional<Lane> last_lane;
    auto sample = [&] {
        std::int64_t sent = 0;
        std::optional<Lane> lane;
        for (auto const& p : seed.lanes->peers()) {
            if (p.endpoint.rfind(payer.ip + ":", 0) != 0) continue;
            sent += p.uploaded;
            lane = p.lane;
        }
        if (lane != last_lane) {
            std::cout << "[ timeline ] " << ms() << " ms ("
                      << std::chrono::duration_cast<std::chrono::milliseconds>(
                             Clock::now().time_since_epoch())
                                 .count() %
                             100000
                      << "): seller has the payer in " << (lane ? to_string(*lane) : "-") << "\n";
            last_lane = lane;
        }
        curve.push_back({static_cast<double>(ms()) / 1000, sent});
    };
    // Closed connections drop out of peers(): keep a running total across them.
    std::int64_t carried = 0;
    std::int64_t last_sum = 0;
    auto sent_total = [&] {
        std::int64_t sum = 0;
        for (auto const& p : seed.lanes->peers()) {
            if (p.endpoint.rfind(payer.ip + ":", 0) == 0) sum += p.uploaded;
        }
        if (sum < last_sum) carried += last_sum;  // the old connection went away
        last_sum = sum;
        return carried + sum;
    };
    // First moment from which the rate over the last second is >= 80 % of `rate`.
    auto reached = [&](double since, double rate) -> std::optional<double> {
        for (std::size_t i = 0; i < curve.size(); ++i) {
            if (curve[i].first < since + 1.0) continue;
            std::size_t j = i;
            while (j > 0 && curve[i].first - curve[j].first < 1.0) --j;
            double const r = static_cast<double>(curve[i].second - curve[j].second) /
                             (curve[i].first - curve[j].first);
            if (r >= 0.8 * rate) return curve[i].first;
        }
        return std::nullopt;
    };
    auto run_sampling = [&](std::chrono::milliseconds duration) {
        auto const end = Clock::now() + duration;
        while (Clock::now() < end) {
            for (auto& node : nodes_) node->poll();
            sample();
            curve.back().second = sent_total();
            std::this_thread::sleep_for(5ms);
        }
    };
    double const fast_rate = budget * 600.0 / 700;
    double const medium_rate = budget * 300.0 / 400;
    run_sampling(6s);
    auto const up = reached(0, fast_rate);
    if (std::getenv("ENFORCER_TRACE")) {
        double next = 0;
        std::size_t j = 0;
        for (std::size_t i = 0; i < curve.size(); ++i) {
            if (curve[i].first < next) continue;
            if (i > 0) {
                std::cout << "[ curve    ] " << curve[i].first << " s: "
                          << static_cast<double>(curve[i].second - curve[j].second) /
                                 (curve[i].first - curve[j].first) / MiB
                          << " MiB/s\n";
            }
            j = i;
            next = curve[i].first + 0.2;
        }
    }
    std::cout << "[ timeline ] connect -> 80 % of the fast lane's rate: "
              << (up ? std::to_string(*up) + " s" : std::string("never")) << "\n";
    double const demoted = static_cast<double>(ms()) / 1000;
    payer.lanes->set_lane(torrent.id, Lane::medium, Caps{kMaxPrice, 0, 0});
    run_sampling(4s);
    std::optional<double> down;
    for (std::size_t i = 0; i < curve.size(); ++i) {
        if (curve[i].first < demoted + 1.0) continue;
        std::size_t j = i;
        while (j > 0 && curve[i].first - curve[j].first < 1.0) --j;
        double const r = static_cast<double>(curve[i].second - curve[j].second) /
                         (curve[i].first - curve[j].first);
        if (r <= 1.2 * medium_rate) {
            down = curve[i].first - demoted;
            break;
        }
    }
    std::cout << "[ timeline ] demotion fast -> medium shows (rate <= 1.2 x medium's) after "
              << (down ? std::to_string(*down) + " s" : std::string("never")) << "\n";
    double const promoted = static_cast<double>(ms()) / 1000;
    payer.lanes->set_lane(torrent.id, Lane::fast, Caps{kMaxPrice, 0, 0});
    run_sampling(4s);
    auto const back = reached(promoted, fast_rate);
    std::cout << "[ timeline ] promotion medium -> fast shows (rate >= 0.8 x fast's) after "
              << (back ? std::to_string(*back - promoted) + " s" : std::string("never")) << "\n";
    EXPECT_TRUE(up.has_value());
}

// --- the pure policy ---------------------------------------------------------------------------

Seat seat(int slot, Lane lane, Lane held_lane = Lane::slow) {
    return Seat{HeldClass{slot, held_lane}, lane};
}

std::int64_t sum(ClassTargets const& t) {
    std::int64_t total = 0;
    for (int l = 0; l < lane_count; ++l) total += t.shared_members[l] > 0 ? t.shared[l] : 0;
    for (int s = 0; s < lane_slot_count; ++s) total += t.slot_members[s] > 0 ? t.slot[s] : 0;
    return total;
}

TEST(ClassTargets, AddUpToTheBudget) {
    constexpr std::int64_t budget = 3 * MiB;
    // Two plain peers, a medium and two fast payers in slots.
    std::vector<Seat> const seats{seat(-1, Lane::slow), seat(-1, Lane::slow), seat(0, Lane::medium),
                                  seat(1, Lane::fast), seat(2, Lane::fast)};
    auto const t = class_targets(budget, LaneShares{}, seats);
    EXPECT_EQ(t.shared_members[0], 2);
    EXPECT_EQ(t.shared[0], budget * 100 / 1000);
    EXPECT_EQ(t.slot[0], budget * 300 / 1000);
    EXPECT_EQ(t.slot[1], budget * 600 / 1000 / 2);
    EXPECT_EQ(t.slot[2], budget * 600 / 1000 / 2);
    EXPECT_LE(sum(t), budget);
    EXPECT_GE(sum(t), budget - 8);
}

// A slot that also holds an unproven connection gets one fast part and one slow part, not two
// fast ones (measured before: such a connection got 15x a plain peer, and the sum overshot).
TEST(ClassTargets, SlotCountsEachMemberInItsOwnLane) {
    constexpr std::int64_t budget = 4 * MiB;
    std::vector<Seat> const seats{seat(-1, Lane::slow), seat(3, Lane::fast), seat(3, Lane::slow)};
    auto const t = class_targets(budget, LaneShares{}, seats);
    auto const slow_part = budget * 100 / 700 / 2;
    auto const fast_part = budget * 600 / 700;
    EXPECT_EQ(t.slot_members[3], 2);
    EXPECT_EQ(t.slot[3], fast_part + slow_part);
    EXPECT_EQ(t.shared[0], slow_part);
    EXPECT_LE(sum(t), budget);
}

// An empty class is ready for one more slow connection, never the whole budget.
TEST(ClassTargets, EmptyClassesGetANewcomersPart) {
    constexpr std::int64_t budget = 8 * MiB;
    std::vector<Seat> const seats{seat(0, Lane::fast)};
    auto const t = class_targets(budget, LaneShares{}, seats);
    // One more slow next to one fast would get 8 MiB * 100 / 700 = 1.14 MiB/s: 1 MiB/s.
    auto const welcome = MiB;
    EXPECT_EQ(t.slot[0], budget);  // fast alone has everything
    EXPECT_EQ(t.slot[1], welcome);
    EXPECT_EQ(t.shared[0], welcome);
    EXPECT_EQ(t.shared[2], welcome);
    // A tiny budget still lets a handshake through.
    auto const tiny = class_targets(10'000, LaneShares{}, seats);
    EXPECT_EQ(tiny.slot[5], 16 * 1024);
}

TEST(ClassTargets, SharedClassesOfManyPayers) {
    constexpr std::int64_t budget = 6 * MiB;
    std::vector<Seat> seats;
    for (int i = 0; i < 4; ++i) seats.push_back(seat(-1, Lane::fast, Lane::fast));
    seats.push_back(seat(-1, Lane::medium, Lane::medium));
    auto const t = class_targets(budget, LaneShares{}, seats);
    EXPECT_EQ(t.shared_members[2], 4);
    EXPECT_EQ(t.shared[2], 4 * (budget * 600 / 900 / 4));
    EXPECT_EQ(t.shared[1], budget * 300 / 900);
}

TEST(LimiterCorrection, LearnsOnlyFromASteadyBusyClass) {
    LimiterCorrection c;
    // A class that delivers 120 % of its limit (the shared slow class did).
    std::int64_t limit = c.update(1000, 0, 0);
    EXPECT_EQ(limit, 1000);
    for (int i = 0; i < 6; ++i) limit = c.update(1000, limit * 12 / 10, limit);
    EXPECT_NEAR(c.ratio, 1.2, 0.05);
    EXPECT_NEAR(static_cast<double>(limit), 1000 / 1.2, 40);
    // Its peers want less than the limit: nothing learnt.
    LimiterCorrection idle;
    for (int i = 0; i < 6; ++i) idle.update(1000, 300, 1000);
    EXPECT_EQ(idle.ratio, 1.0);
}

TEST(LimiterCorrection, KeepsWhatItLearntWhenTheTargetMoves) {
    LimiterCorrection c;
    std::int64_t limit = c.update(1000, 0, 0);
    for (int i = 0; i < 6; ++i) limit = c.update(1000, limit * 12 / 10, limit);
    double const learnt = c.ratio;
    // A promotion: the new target applies at once with the learnt ratio, no three-second
    // relearning at 1.0 first.
    EXPECT_EQ(c.update(5000, limit * 12 / 10, limit), static_cast<std::int64_t>(5000 / learnt));
    EXPECT_EQ(c.limit(8000), static_cast<std::int64_t>(8000 / learnt));
    // Bursts (a tenth, then one and a half times the limit) do not push the ratio up.
    LimiterCorrection bursty;
    std::int64_t l = bursty.update(1000, 0, 0);
    for (int i = 0; i < 10; ++i) l = bursty.update(1000, i % 2 ? l * 15 / 10 : l / 10, l);
    EXPECT_LE(bursty.ratio, 1.0);
}

}  // namespace
}  // namespace lanetorrent::lanes
