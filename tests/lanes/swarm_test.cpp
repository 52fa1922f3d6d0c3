// Lanes end to end: in-process Engines with LaneServices, each on its own loopback address, and
// the real lanetorrent-cli, paying a real lanetorrent-devnet process. Measures how the seeder's
// upload is shared between lanes, serves a plain BitTorrent client in the slow lane, follows the
// money onto the chain, and kills clients with SIGKILL in the middle of paying.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "cli.hpp"
#include "cli_lanes.hpp"
#include "engine/engine.hpp"
#include "engine/torrent_creator.hpp"
#include "engine/torrent_source.hpp"
#include "files.hpp"
#include "lanes/lane_service.hpp"
#include "lanes/ledger.hpp"
#include "ledger_invariants.hpp"
#include "net.hpp"
#include "peers.hpp"
#include "process.hpp"
#include "temp_dir.hpp"
#include "tron/bytes.hpp"
#include "tron/client.hpp"
#include "tron/keys.hpp"
#include "wallet/keystore.hpp"

namespace lanetorrent::lanes {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t MiB = 1 << 20;

// One lanetorrent-devnet process for the whole suite, funding every buyer the tests use.
struct Chain : Devnet {
    std::unique_ptr<test::TempDir> dir;
    std::vector<tron::PrivateKey> buyers;  // funded: 100 TRX, 100 000 BTT each
    std::vector<tron::PrivateKey> crowd;   // funded likewise, for the many-IP test
    fs::path cli_buyer_profile;            // its keystore holds one more funded key
    fs::path passphrase;
    std::string cli_buyer;
};
Chain* chain = nullptr;

// An Engine and its LaneService on a fresh loopback address, driven from the test's thread.
struct Client {
    Client(fs::path const& dir, std::optional<SellConfig> sell, std::optional<BuyConfig> buy,
           int upload_limit = 0)
        : ip(test::unique_loopback_ip()), profile(dir) {
        EngineSettings settings;
        settings.listen_interfaces = ip + ":" + std::to_string(test::free_port(ip));
        settings.try_next_ports = false;
        settings.make_local_only();
        settings.status_interval = 200ms;
        settings.upload_limit = upload_limit;
        auto opened = Engine::open(Profile::in_directory(dir), settings);
        if (!opened) throw std::runtime_error(opened.error());
        engine = std::move(opened.value());
        LaneConfig config;
        config.ledger_file = dir / "data" / "lanes.sqlite";
        config.sell = std::move(sell);
        config.buy = std::move(buy);
        config.node = chain->config();
        auto started = LaneService::open(*engine, std::move(config));
        if (!started) throw std::runtime_error(started.error());
        lanes = std::move(started.value());
    }
    ~Client() {
        lanes.reset();
        engine->shutdown(2s);
    }

    void poll(std::chrono::milliseconds wait) {
        for (auto const& event : engine->poll(wait)) {
            if (auto const* l = std::get_if<event::Listening>(&event)) {
                listening = Endpoint{l->address, static_cast<std::uint16_t>(l->port)};
            }
            if (std::holds_alternative<event::Finished>(event)) finished = true;
            if (auto const* c = std::get_if<event::Checked>(&event)) {
                checked = c->have_bytes == c->total_bytes;
            }
            lanes->observe(event);
        }
        lanes->poll();
        for (auto& n : lanes->take_notices()) notices.push_back(std::move(n));
    }
    std::int64_t downloaded(TorrentId const& id) const {
        auto const p = engine->progress(id);
        return p ? p->downloaded : 0;
    }
    // The lane the seller shows for peers on `ip`, if it has one connected.
    std::optional<Lane> lane_of(std::string const& peer_ip) const {
        for (auto const& p : lanes->peers()) {
            if (split_host(p.endpoint) == peer_ip) return p.lane;
        }
        return std::nullopt;
    }

    std::string ip;
    fs::path profile;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<LaneService> lanes;
    std::optional<Endpoint> listening;
    bool finished = false;
    bool checked = false;
    std::vector<LaneNotice> notices;
};

bool run_until(std::vector<Client*> const& clients, std::function<bool()> const& done,
               std::chrono::milliseconds timeout) {
    auto const deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (done()) return true;
        for (auto* c : clients) c->poll(5ms);
    }
    return done();
}

// Like run_until, for many clients: every engine is polled without waiting, so none of them
// sits idle while another one's wait runs out.
bool drive_until(std::vector<Client*> const& clients, std::function<bool()> const& done,
                 std::chrono::milliseconds timeout) {
    auto const deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (done()) return true;
        for (auto* c : clients) c->poll(0ms);
        std::this_thread::sleep_for(1ms);
    }
    return done();
}

class SwarmTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        chain = new Chain;
        chain->dir = std::make_unique<test::TempDir>("lanes-swarm-chain");
        auto const& dir = chain->dir->path();
        chain->passphrase = dir / "passphrase";
        std::ofstream(chain->passphrase) << "swarm test passphrase\n";
        chain->cli_buyer_profile = dir / "cli-buyer";
        chain->cli_buyer = create_cli_wallet(chain->cli_buyer_profile, chain->passphrase);
        ASSERT_FALSE(chain->cli_buyer.empty());
        for (int i = 0; i < 6; ++i) chain->buyers.push_back(tron::PrivateKey::generate());
        for (int i = 0; i < 30; ++i) chain->crowd.push_back(tron::PrivateKey::generate());

        std::vector<std::string> funded{chain->cli_buyer};
        for (auto const& key : chain->buyers) funded.push_back(key.address().base58());
        for (auto const& key : chain->crowd) funded.push_back(key.address().base58());
        ASSERT_TRUE(chain->start(dir, funded));
    }
    static void TearDownTestSuite() {
        delete chain;
        chain = nullptr;
    }

    void SetUp() override {
        // A devnet that did not start is a failure (SetUpTestSuite says why), never a skip.
        if (!chain || !chain->process) FAIL() << "the shared devnet did not start";
    }

    // A random payload of `bytes` and its torrent, in dir_/seed-data.
    void make_torrent(std::int64_t bytes, std::uint64_t seed, int piece_kib = 256) {
        content_ = dir_.subdir("seed-data");
        test::write_random_file(content_ / "payload.bin", static_cast<std::uint64_t>(bytes), seed);
        CreateOptions options;
        options.content = content_ / "payload.bin";
        options.piece_size_kib = piece_kib;
        auto created = create_torrent(options);
        ASSERT_TRUE(created) << created.error();
        torrent_file_ = dir_.path() / "payload.torrent";
        std::ofstream(torrent_file_, std::ios::binary)
            .write(created->bytes.data(), static_cast<std::streamsize>(created->bytes.size()));
        torrent_ = load_torrent_bytes(created->bytes, "test").value();
        id_ = created->id;
        total_ = bytes;
    }

    // min_payout: these tests settle every tail of 1 BTT or more when a download ends, unless
    // they say otherwise (the default carries tails below the settle threshold).
    std::unique_ptr<Client> seller(std::string const& name, std::int64_t budget,
                                   tron::Address const& payee, Units min_payout = 1'000'000,
                                   Units settle_threshold = 500'000'000) {
        SellConfig sell(payee);
        sell.upload_budget = budget;
        sell.min_payout = min_payout;
        sell.settle_threshold = settle_threshold;
        // The budget is the lanes' alone, as the CLI does: a session-wide cap as well would bind
        // first and split by peer instead of by lane.
        auto client = std::make_unique<Client>(dir_.path() / name, sell, std::nullopt);
        AddTorrent request;
        request.source = torrent_;
        request.save_path = content_;
        request.seed_only = true;
        EXPECT_TRUE(client->engine->add(request));
        auto* c = client.get();
        EXPECT_TRUE(run_until(
            {c}, [&] { return c->listening && c->checked; }, 60s));
        return client;
    }

    std::unique_ptr<Client> buyer(std::string const& name, Client const& from, Lane lane,
                                  std::optional<tron::PrivateKey> key) {
        std::optional<BuyConfig> buy;
        if (key)
            buy = BuyConfig{.key = *key,
                            .asset = "1002000",
                            .default_lane = lane,
                            .default_caps = Caps{kMaxPrice, 0, 0}};
        auto client = std::make_unique<Client>(dir_.path() / name, std::nullopt, buy);
        AddTorrent request;
        request.source = torrent_;
        request.save_path = dir_.path() / (name + "-save");
        auto added = client->engine->add(request);
        EXPECT_TRUE(added) << added.error();
        if (key) client->lanes->set_lane(id_, lane, Caps{kMaxPrice, 0, 0});
        EXPECT_TRUE(client->engine->pin_peer(id_, *from.listening));
        return client;
    }

    test::TempDir dir_{"lanes-swarm"};
    fs::path content_;
    fs::path torrent_file_;
    lt::add_torrent_params torrent_;
    TorrentId id_;
    std::int64_t total_ = 0;
};

TEST_F(SwarmTest, ThreeLanesShareTheUpload) {
    constexpr std::int64_t budget = 6 * MiB;
    make_torrent(112 * MiB, 7001);
    auto const payee = tron::PrivateKey::generate().address();
    auto seed = seller("seller", budget, payee);
    auto slow = buyer("slow", *seed, Lane::slow, std::nullopt);
    auto medium = buyer("medium", *seed, Lane::medium, chain->buyers[0]);
    auto fast = buyer("fast", *seed, Lane::fast, chain->buyers[1]);
    std::vector<Client*> all{seed.get(), slow.get(), medium.get(), fast.get()};

    ASSERT_TRUE(run_until(
        all,
        [&] {
            return seed->lane_of(medium->ip) == Lane::medium &&
                   seed->lane_of(fast->ip) == Lane::fast && seed->lane_of(slow->ip) == Lane::slow;
        },
        30s));
    // Two rebalances, so every class has its limit for the lanes as they are now.
    run_until(
        all, [] { return false; }, 2500ms);
    ASSERT_FALSE(slow->finished || medium->finished || fast->finished);

    std::array<Client*, 3> const downloaders{slow.get(), medium.get(), fast.get()};
    std::array<std::int64_t, 3> start{};
    for (int i = 0; i < 3; ++i) start[i] = downloaders[i]->downloaded(id_);
    auto const t0 = Clock::now();
    run_until(
        all, [] { return false; }, 8s);
    double const seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    std::array<double, 3> rate{};
    double sum = 0;
    for (int i = 0; i < 3; ++i) {
        rate[i] = static_cast<double>(downloaders[i]->downloaded(id_) - start[i]) / seconds;
        sum += rate[i];
    }
    EXPECT_FALSE(slow->finished || medium->finished || fast->finished)
        << "a downloader finished inside the window";
    EXPECT_EQ(seed->lane_of(medium->ip), Lane::medium);
    EXPECT_EQ(seed->lane_of(fast->ip), Lane::fast);

    std::array<double, 3> const configured{0.1, 0.3, 0.6};
    char const* names[] = {"slow", "medium", "fast"};
    std::cout << "[ lanes    ] budget " << budget / 1024 << " KiB/s, window " << seconds
              << " s, total " << sum / 1024 << " KiB/s\n";
    for (int i = 0; i < 3; ++i) {
        double const share = rate[i] / sum;
        std::cout << "[ lanes    ] " << names[i] << ": " << rate[i] / 1024 << " KiB/s, share "
                  << share << " (configured " << configured[i] << ", ratio "
                  << share / configured[i] << ")\n";
        // The slow lane is the smallest class (about 600 KiB/s here), where libtorrent's limiter
        // quanta weigh most: measured 0.84-1.04 of its share over eight CI-machine runs, against
        // 0.96-1.02 for medium and 0.99-1.02 for fast. Its bound is wider to match.
        double const bound = i == 0 ? 0.2 : 0.15;
        EXPECT_LE(std::abs(share / configured[i] - 1), bound) << names[i];
    }
    EXPECT_GT(rate[2], rate[1]);
    EXPECT_GT(rate[1], rate[0]);
}

TEST_F(SwarmTest, PlainPeerIsServedInTheSlowLane) {
    make_torrent(12 * MiB, 7002);
    auto const payee = tron::PrivateKey::generate().address();
    auto seed = seller("seller", 4 * MiB, payee);
    auto fast = buyer("fast", *seed, Lane::fast, chain->buyers[2]);
    auto const plain_data = dir_.subdir("transmission-data");
    test::TransmissionPeer plain(test::Role::kDownloader, dir_.subdir("transmission"), plain_data,
                                 torrent_file_.string());
    ASSERT_TRUE(seed->engine->pin_peer(id_, Endpoint{plain.ip(), plain.port()}));
    std::vector<Client*> all{seed.get(), fast.get()};

    std::optional<Lane> plain_lane;
    bool overlap = false;  // the plain peer and the paying buyer were served at the same time
    bool plain_ever_not_slow = false;
    ASSERT_TRUE(run_until(
        all,
        [&] {
            auto const lane = seed->lane_of(plain.ip());
            if (lane) {
                plain_lane = lane;
                plain_ever_not_slow = plain_ever_not_slow || *lane != Lane::slow;
                if (seed->lane_of(fast->ip) == Lane::fast) overlap = true;
            }
            return !plain.process().running() && fast->finished;
        },
        120s))
        << plain.process().stderr_text();
    EXPECT_EQ(plain.process().wait_for(1s), 0);
    ASSERT_TRUE(plain_lane.has_value()) << "the seller never listed the plain peer";
    EXPECT_EQ(*plain_lane, Lane::slow);
    EXPECT_FALSE(plain_ever_not_slow);
    EXPECT_TRUE(overlap) << "the paying buyer was never in fast while the plain peer was connected";
    EXPECT_TRUE(test::files_identical(content_ / "payload.bin", plain_data / "payload.bin"));
    EXPECT_TRUE(
        test::files_identical(content_ / "payload.bin", dir_.path() / "fast-save" / "payload.bin"));
}

TEST_F(SwarmTest, PaymentsReachTheChain) {
    make_torrent(40 * MiB, 7003);
    auto const payee = tron::PrivateKey::generate().address();
    auto const balance_before = chain->btt(payee);
    auto seed = seller("seller", 8 * MiB, payee);
    auto medium = buyer("medium", *seed, Lane::medium, chain->buyers[3]);
    auto fast = buyer("fast", *seed, Lane::fast, chain->buyers[4]);
    std::vector<Client*> all{seed.get(), medium.get(), fast.get()};
    ASSERT_TRUE(run_until(
        all, [&] { return medium->finished && fast->finished; }, 90s));

    auto channel_settled = [](Client& c, Role role) {
        auto const channels = c.lanes->ledger().channels(role);
        if (channels.empty()) return false;
        for (auto const& key : channels) {
            auto const state = c.lanes->ledger().channel(key);
            if (state.iou_amount <= 0 || state.settled != state.iou_amount) return false;
        }
        return true;
    };
    auto const t0 = Clock::now();
    ASSERT_TRUE(run_until(
        all,
        [&] {
            return seed->lanes->ledger().channels(Role::earn).size() == 2 &&
                   channel_settled(*seed, Role::earn) && channel_settled(*medium, Role::spend) &&
                   channel_settled(*fast, Role::spend) && seed->lanes->settled_up() &&
                   medium->lanes->settled_up() && fast->lanes->settled_up();
        },
        60s));
    std::cout << "[ lanes    ] settled up "
              << std::chrono::duration<double>(Clock::now() - t0).count()
              << " s after both finished\n";

    auto& earn = seed->lanes->ledger();
    Units const spent =
        medium->lanes->ledger().total(Role::spend) + fast->lanes->ledger().total(Role::spend);
    EXPECT_EQ(earn.total(Role::earn), spent);

    Units settled_sum = 0;
    for (auto* b : {medium.get(), fast.get()}) {
        auto const keys = b->lanes->ledger().channels(Role::spend);
        ASSERT_EQ(keys.size(), 1u);
        auto const mine = b->lanes->ledger().channel(keys[0]);
        auto earn_key = keys[0];
        earn_key.role = Role::earn;
        auto const theirs = earn.channel(earn_key);
        EXPECT_EQ(theirs.settled, theirs.iou_amount);
        EXPECT_EQ(mine.settled, mine.iou_amount);
        EXPECT_EQ(theirs.iou_amount, mine.iou_amount);
        EXPECT_EQ(theirs.settled, mine.settled);
        settled_sum += theirs.settled;
    }
    // Settled up means in a block: the next settlement need not wait for solidity.
    for (auto const& s : earn.settlements(Role::earn)) {
        EXPECT_TRUE(s.status == SettlementStatus::confirmed ||
                    s.status == SettlementStatus::solidified)
            << s.txid << " is " << to_string(s.status);
    }
    auto const balance_after = chain->btt(payee);
    EXPECT_EQ(balance_after - balance_before, settled_sum);

    struct Bought {
        Client* client;
        Units price;
        char const* name;
    };
    for (auto const& [client, price, name] :
         {Bought{medium.get(), 100'000'000, "medium"}, Bought{fast.get(), 300'000'000, "fast"}}) {
        auto const spend = client->lanes->ledger().total(Role::spend);
        std::cout << "[ lanes    ] " << name << " paid " << spend << " units for " << total_ / MiB
                  << " MiB (full price " << cost_of(total_, price) << ")\n";
        EXPECT_LE(spend, cost_of(total_, price)) << name;
        EXPECT_GE(spend, cost_of(total_ - 16 * MiB, price)) << name;
    }
    std::cout << "[ lanes    ] seller earned " << earn.total(Role::earn) << ", settled "
              << settled_sum << " in " << earn.settlements(Role::earn).size()
              << " settlements; balance " << balance_before << " -> " << balance_after << "\n";
}

// One wallet in two profiles (the GUI and the CLI on one machine, or two machines) buys from one
// seller in turn. The second profile's ledger knows nothing of the first one's IOUs and
// settlements: it continues the channel from the seller's state (its own latest IOU, which it
// verifies), without a reject, and nothing is paid twice.
TEST_F(SwarmTest, OneWalletInTwoProfilesBuysInTurnWithoutARejectOrADoublePayment) {
    make_torrent(24 * MiB, 7011);
    auto const payee = tron::PrivateKey::generate().address();
    auto const& key = chain->buyers[5];
    auto const payer_before = chain->btt(key.address());
    auto seed = seller("seller", 8 * MiB, payee);
    auto const settled_up = [&](Client& b) {
        return seed->lanes->settled_up() && b.lanes->settled_up();
    };
    {
        auto first = buyer("device-a", *seed, Lane::fast, key);
        std::vector<Client*> all{seed.get(), first.get()};
        ASSERT_TRUE(run_until(
            all, [&] { return first->finished; }, 90s));
        ASSERT_TRUE(run_until(
            all, [&] { return settled_up(*first); }, 60s));
        EXPECT_GT(first->lanes->ledger().total(Role::spend), 0) << "device A never paid";
        if (std::getenv("LANES_TRACE")) {
            for (auto const& n : first->notices) std::cout << "device A: " << n.text << "\n";
        }
    }
    auto second = buyer("device-b", *seed, Lane::fast, key);
    std::vector<Client*> all{seed.get(), second.get()};
    ASSERT_TRUE(run_until(
        all, [&] { return second->finished; }, 90s));
    ASSERT_TRUE(run_until(
        all, [&] { return settled_up(*second); }, 60s));

    for (auto const* c : {seed.get(), second.get()}) {
        for (auto const& n : c->notices) {
            EXPECT_NE(n.kind, LaneNotice::Kind::rejected) << n.peer << ": " << n.text;
            if (std::getenv("LANES_TRACE"))
                std::cout << (c == seed.get() ? "seller: " : "buyer: ") << n.peer << ": " << n.text
                          << "\n";
        }
    }
    EXPECT_GT(second->lanes->ledger().total(Role::spend), 0) << "device B never paid";
    ChannelKey const earn{Role::earn, key.address().base58(), payee.base58(), "1002000"};
    auto const state = seed->lanes->ledger().channel(earn);
    auto const paid = payer_before - chain->btt(key.address());
    std::cout << "[ lanes    ] two profiles: IOUs " << state.iou_amount << ", settled "
              << state.settled << ", the payer paid " << paid << ", the payee gained "
              << chain->btt(payee) << "\n";
    // Both devices bought (nearly) the whole torrent in the fast lane.
    EXPECT_GE(state.iou_amount, cost_of(2 * total_ - 16 * MiB, 300'000'000));
    EXPECT_EQ(chain->btt(payee), state.settled);
    EXPECT_EQ(paid, state.settled) << "paid twice, or not at all";
    EXPECT_LT(state.iou_amount - state.settled, 1'000'000) << "more than a carried tail is owed";
    expect_settlements_chain("seller", seed->lanes->ledger().settlements(Role::earn));
}

// Issue 12's swarm: 3 seeders and 3 buyers (fast, medium, slow), two downloads in a row between
// the same peers. Every unit is accounted for, per channel: IOU'd = settled + carried, carried
// below the minimum settlement (so at most the threshold), settled = the seeder's on-chain gain;
// a tail carried after the first download is settled after the second once it is worth it.
TEST_F(SwarmTest, ThreeSeedersThreeBuyersAccountForEveryUnitAcrossTwoDownloads) {
    constexpr Units min_settlement = 5'000'000;
    constexpr Units threshold = 20'000'000;
    constexpr std::int64_t size = 32 * MiB;
    make_torrent(size, 7021);
    auto const first_torrent = torrent_;
    auto const first_id = id_;
    std::vector<tron::Address> payees;
    std::vector<std::unique_ptr<Client>> sellers;
    for (int i = 0; i < 3; ++i) {
        payees.push_back(tron::PrivateKey::generate().address());
        sellers.push_back(seller("seller-" + std::to_string(i), 8 * MiB, payees.back(),
                                 min_settlement, threshold));
    }
    struct Buying {
        char const* name;
        Lane lane;
        std::optional<tron::PrivateKey> key;
    };
    std::vector<Buying> const plan{{"fast", Lane::fast, chain->buyers[0]},
                                   {"medium", Lane::medium, chain->buyers[1]},
                                   {"slow", Lane::slow, std::nullopt}};
    std::vector<std::unique_ptr<Client>> buyers;
    for (auto const& b : plan) {
        buyers.push_back(buyer(b.name, *sellers[0], b.lane, b.key));
        for (int i = 1; i < 3; ++i) {
            EXPECT_TRUE(buyers.back()->engine->pin_peer(id_, *sellers[i]->listening));
        }
    }
    std::vector<Client*> all;
    for (auto const& c : sellers) all.push_back(c.get());
    for (auto const& c : buyers) all.push_back(c.get());
    auto const everyone_settled_up = [&] {
        return std::all_of(all.begin(), all.end(),
                           [](Client* c) { return c->lanes->settled_up(); });
    };
    auto const download = [&](TorrentId const& id) {
        auto const have = [&](Client& c) {
            auto const p = c.engine->progress(id);
            return p && p->have_bytes == size;
        };
        ASSERT_TRUE(run_until(
            all,
            [&] {
                return std::all_of(buyers.begin(), buyers.end(),
                                   [&](auto const& c) { return have(*c); });
            },
            180s));
        ASSERT_TRUE(run_until(all, everyone_settled_up, 60s));
    };
    // Each buyer's final IOU is in its own ledger before it leaves: wait until every seller has
    // it too (it is on its way when settled_up() already holds for a carried tail).
    auto const ledgers_meet = [&] {
        for (std::size_t b = 0; b < 2; ++b) {
            auto const& key = *plan[b].key;
            for (std::size_t i = 0; i < 3; ++i) {
                ChannelKey k{Role::earn, key.address().base58(), payees[i].base58(), "1002000"};
                auto const seller_iou = sellers[i]->lanes->ledger().channel(k).iou_amount;
                k.role = Role::spend;
                if (buyers[b]->lanes->ledger().channel(k).iou_amount != seller_iou) return false;
            }
        }
        return true;
    };
    struct Channel {
        ChannelState seller;
        ChannelState buyer;
    };
    auto const channels = [&](std::size_t buyer) {
        std::vector<Channel> out;
        auto const& key = *plan[buyer].key;
        for (std::size_t i = 0; i < 3; ++i) {
            ChannelKey k{Role::earn, key.address().base58(), payees[i].base58(), "1002000"};
            Channel c;
            c.seller = sellers[i]->lanes->ledger().channel(k);
            k.role = Role::spend;
            c.buyer = buyers[buyer]->lanes->ledger().channel(k);
            out.push_back(c);
        }
        return out;
    };
    auto const check = [&](char const* when) {
        std::array<Units, 3> settled_per_payee{};
        for (std::size_t b = 0; b < 2; ++b) {
            Units carried = 0;
            Units settled = 0;
            auto const cs = channels(b);
            for (std::size_t i = 0; i < 3; ++i) {
                auto const& c = cs[i];
                EXPECT_EQ(c.seller.iou_amount, c.buyer.iou_amount) << plan[b].name << " " << i;
                EXPECT_EQ(c.seller.settled, c.buyer.settled) << plan[b].name << " " << i;
                EXPECT_LE(c.seller.settled, c.seller.iou_amount);
                EXPECT_LT(c.seller.iou_amount - c.seller.settled, min_settlement)
                    << plan[b].name << " carries more than a tail to seller " << i;
                carried += c.seller.iou_amount - c.seller.settled;
                settled += c.seller.settled;
                settled_per_payee[i] += c.seller.settled;
            }
            std::cout << "[ lanes    ] " << when << ": " << plan[b].name << " IOU'd "
                      << buyers[b]->lanes->ledger().total(Role::spend) << " = settled " << settled
                      << " + carried " << carried << " in "
                      << buyers[b]->lanes->ledger().settlements(Role::spend).size()
                      << " transfer(s)\n";
            EXPECT_EQ(buyers[b]->lanes->ledger().total(Role::spend), settled + carried)
                << plan[b].name;
        }
        for (std::size_t i = 0; i < 3; ++i) {
            EXPECT_EQ(chain->btt(payees[i]), settled_per_payee[i]) << "seller " << i;
        }
        EXPECT_TRUE(buyers[2]->lanes->ledger().channels(Role::spend).empty()) << "slow paid";
    };

    ASSERT_NO_FATAL_FAILURE(download(first_id));
    ASSERT_TRUE(run_until(all, ledgers_meet, 20s)) << "a final IOU never reached its seller";
    check("first download");
    Units carried_after_first = 0;
    std::vector<Channel> after_first;
    for (std::size_t b = 0; b < 2; ++b) {
        for (auto const& c : channels(b)) after_first.push_back(c);
    }
    for (auto const& c : channels(0)) carried_after_first += c.seller.iou_amount - c.seller.settled;

    // The second download, between the same peers.
    make_torrent(size, 7022);
    for (auto& s : sellers) {
        AddTorrent request;
        request.source = torrent_;
        request.save_path = content_;
        request.seed_only = true;
        ASSERT_TRUE(s->engine->add(request));
    }
    ASSERT_TRUE(run_until(
                    all, [] { return false; }, 2s) ||
                true);
    for (std::size_t b = 0; b < buyers.size(); ++b) {
        AddTorrent request;
        request.source = torrent_;
        request.save_path = dir_.path() / (std::string(plan[b].name) + "-save-2");
        ASSERT_TRUE(buyers[b]->engine->add(request));
        if (plan[b].key) buyers[b]->lanes->set_lane(id_, plan[b].lane, Caps{kMaxPrice, 0, 0});
        for (auto const& s : sellers) EXPECT_TRUE(buyers[b]->engine->pin_peer(id_, *s->listening));
    }
    ASSERT_NO_FATAL_FAILURE(download(id_));
    ASSERT_TRUE(run_until(all, ledgers_meet, 20s)) << "a final IOU never reached its seller";
    check("second download");
    // A channel that settles again settles what the first download left carried too: a
    // settlement runs from what is confirmed to the latest IOU.
    std::vector<Channel> after_second;
    for (std::size_t b = 0; b < 2; ++b) {
        for (auto const& c : channels(b)) after_second.push_back(c);
    }
    int carried_then_settled = 0;
    for (std::size_t i = 0; i < after_first.size(); ++i) {
        auto const& before = after_first[i].seller;
        auto const& after = after_second[i].seller;
        if (after.settled == before.settled) continue;
        EXPECT_GE(after.settled, before.iou_amount) << "channel " << i << " left a carried tail";
        if (before.iou_amount > before.settled) ++carried_then_settled;
    }
    Units settled_fast = 0;
    for (auto const& c : channels(0)) settled_fast += c.seller.settled;
    std::cout << "[ lanes    ] the fast buyer carried " << carried_after_first
              << " after the first download; settled " << settled_fast << " after the second; "
              << carried_then_settled << " channel(s) settled a tail carried from the first\n";
    EXPECT_GT(settled_fast, 0);
    (void)first_torrent;
}

// One seller, one fast buyer, two 16 MiB downloads (4.69 BTT each) with a 6 BTT minimum
// settlement: the first tail is carried, and the second download settles both, carried and new.
TEST_F(SwarmTest, ACarriedTailIsSettledAtTheNextDownload) {
    constexpr Units min_settlement = 6'000'000;
    make_torrent(16 * MiB, 7031);
    auto const payee = tron::PrivateKey::generate().address();
    auto seed = seller("seller", 8 * MiB, payee, min_settlement, 20'000'000);
    auto const& key = chain->buyers[2];
    auto fast = buyer("fast", *seed, Lane::fast, key);
    std::vector<Client*> all{seed.get(), fast.get()};
    ChannelKey const earn{Role::earn, key.address().base58(), payee.base58(), "1002000"};
    auto const state = [&] { return seed->lanes->ledger().channel(earn); };
    auto const finish = [&](TorrentId const& id) {
        ASSERT_TRUE(run_until(
            all,
            [&] {
                auto const p = fast->engine->progress(id);
                return p && p->have_bytes == total_;
            },
            90s));
        ASSERT_TRUE(run_until(
            all,
            [&] {
                auto k = earn;
                k.role = Role::spend;
                return seed->lanes->settled_up() && fast->lanes->settled_up() &&
                       fast->lanes->ledger().channel(k).iou_amount == state().iou_amount;
            },
            60s));
    };
    ASSERT_NO_FATAL_FAILURE(finish(id_));
    auto const first = state();
    std::cout << "[ lanes    ] first download: IOU'd " << first.iou_amount << ", settled "
              << first.settled << "\n";
    EXPECT_GT(first.iou_amount, 0);
    EXPECT_LT(first.iou_amount, min_settlement);
    EXPECT_EQ(first.settled, 0) << "a tail below the minimum was settled";
    EXPECT_EQ(chain->btt(payee), 0);

    make_torrent(16 * MiB, 7032);
    AddTorrent seeding;
    seeding.source = torrent_;
    seeding.save_path = content_;
    seeding.seed_only = true;
    ASSERT_TRUE(seed->engine->add(seeding));
    AddTorrent downloading;
    downloading.source = torrent_;
    downloading.save_path = dir_.path() / "fast-save-2";
    ASSERT_TRUE(fast->engine->add(downloading));
    fast->lanes->set_lane(id_, Lane::fast, Caps{kMaxPrice, 0, 0});
    ASSERT_TRUE(fast->engine->pin_peer(id_, *seed->listening));
    ASSERT_NO_FATAL_FAILURE(finish(id_));
    auto const second = state();
    std::cout << "[ lanes    ] second download: IOU'd " << second.iou_amount << ", settled "
              << second.settled << ", on chain " << chain->btt(payee) << "\n";
    EXPECT_GE(second.iou_amount, min_settlement);
    EXPECT_EQ(second.settled, second.iou_amount) << "the carried tail was not settled";
    EXPECT_EQ(chain->btt(payee), second.settled);
}

// More paying IPs than the enforcer has slots (26): the rest share the fast lane's class, and
// every one of them is still served in its lane, completes and pays.
TEST_F(SwarmTest, MoreThanThirtyTwoIpsStillWork) {
    constexpr int fast_count = 30;
    constexpr int slow_count = 6;
    static_assert(fast_count > LaneEnforcer::slot_count);
    make_torrent(16 * MiB, 7005);
    auto const payee = tron::PrivateKey::generate().address();
    auto seed = seller("seller", 32 * MiB, payee);
    std::vector<std::unique_ptr<Client>> fast;
    std::vector<std::unique_ptr<Client>> slow;
    for (int i = 0; i < fast_count; ++i) {
        fast.push_back(buyer("fast-" + std::to_string(i), *seed, Lane::fast, chain->crowd.at(i)));
    }
    for (int i = 0; i < slow_count; ++i) {
        slow.push_back(buyer("slow-" + std::to_string(i), *seed, Lane::slow, std::nullopt));
    }
    std::vector<Client*> all{seed.get()};
    std::vector<Client*> downloaders;
    for (auto const* group : {&fast, &slow}) {
        for (auto const& c : *group) {
            all.push_back(c.get());
            downloaders.push_back(c.get());
        }
    }
    auto const t0 = Clock::now();

    // Each downloader must be seen with every connection it has to the seller in its own lane,
    // and at one moment more buyers than there are slots must be in the fast lane together. Not
    // every IP need be connected at the same instant: a payer that came when no slot was free is
    // asked to reconnect into its class, and its dial waits out libtorrent's min_reconnect_time
    // (docs/lanes.md, known limits), while the first buyers may finish meanwhile.
    std::set<std::string> seen_in_lane;
    std::set<std::string> seen_elsewhere;
    std::size_t most_fast_at_once = 0;
    auto const observe = [&] {
        std::map<std::string, std::set<Lane>> lanes;
        for (auto const& p : seed->lanes->peers()) lanes[split_host(p.endpoint)].insert(p.lane);
        std::size_t fast_now = 0;
        auto check = [&](Client const& c, Lane lane) {
            auto const it = lanes.find(c.ip);
            if (it == lanes.end()) return;
            if (it->second == std::set<Lane>{lane}) {
                seen_in_lane.insert(c.ip);
                if (lane == Lane::fast) ++fast_now;
            } else if (lane == Lane::slow) {
                seen_elsewhere.insert(c.ip);  // a plain peer is never in a paid lane
            }
        };
        for (auto const& c : fast) check(*c, Lane::fast);
        for (auto const& c : slow) check(*c, Lane::slow);
        most_fast_at_once = std::max(most_fast_at_once, fast_now);
    };
    auto const done = [&] {
        observe();
        return std::all_of(downloaders.begin(), downloaders.end(),
                           [](Client* c) { return c->finished; });
    };
    ASSERT_TRUE(drive_until(all, done, 80s)) << [&] {
        int n = 0;
        for (auto* c : downloaders) n += c->finished ? 1 : 0;
        return std::to_string(n) + " of " + std::to_string(downloaders.size()) + " finished";
    }();
    auto const t_done = Clock::now();
    EXPECT_EQ(seen_in_lane.size(), downloaders.size())
        << "not every downloader was seen in its own lane at the seller";
    EXPECT_TRUE(seen_elsewhere.empty()) << "a plain peer was served in a paid lane";
    EXPECT_GT(most_fast_at_once, static_cast<std::size_t>(LaneEnforcer::slot_count))
        << "more buyers than slots were never in the fast lane together";
    std::cout << "[ lanes    ] at most " << most_fast_at_once << " of " << fast_count
              << " buyers in the fast lane at once\n";
    for (auto* c : downloaders) {
        auto const progress = c->engine->progress(id_);
        ASSERT_TRUE(progress) << c->ip;
        EXPECT_EQ(progress->total_bytes, total_) << c->ip;
        EXPECT_EQ(progress->have_bytes, total_) << c->ip;
        auto const saved = c->profile.parent_path() / (c->profile.filename().string() + "-save");
        EXPECT_EQ(fs::file_size(saved / "payload.bin"), static_cast<std::uintmax_t>(total_))
            << c->ip;
        EXPECT_TRUE(test::files_identical(content_ / "payload.bin", saved / "payload.bin"))
            << c->ip;
    }

    // The seller's earnings are the buyers' spending once every final IOU has arrived.
    auto spent = [&] {
        Units sum = 0;
        for (auto const& c : fast) sum += c->lanes->ledger().total(Role::spend);
        return sum;
    };
    EXPECT_TRUE(drive_until(
        all,
        [&] {
            return seed->lanes->ledger().channels(Role::earn).size() == std::size_t{fast_count} &&
                   seed->lanes->ledger().total(Role::earn) == spent();
        },
        20s))
        << "earned " << seed->lanes->ledger().total(Role::earn) << ", spent " << spent();
    for (auto const& c : fast) EXPECT_GT(c->lanes->ledger().total(Role::spend), 0) << c->ip;
    for (auto const& c : slow) EXPECT_EQ(c->lanes->ledger().total(Role::spend), 0) << c->ip;
    std::cout << "[ lanes    ] " << downloaders.size() << " downloaders finished in "
              << std::chrono::duration<double>(t_done - t0).count() << " s; seller earned "
              << seed->lanes->ledger().total(Role::earn) << " units from " << fast_count
              << " buyers\n";
}

TEST_F(SwarmTest, KillNineDuringPaymentKeepsLedgersConsistent) {
    make_torrent(48 * MiB, 7004);
    auto const payee = tron::PrivateKey::generate().address();
    CliLanes cli(dir_.path(), torrent_file_.string(), content_, payee.base58(), chain->config());
    cli.add_buyer({chain->cli_buyer_profile, chain->passphrase});

    auto seeder = cli.seeder(1);
    ASSERT_TRUE(seeder->wait_for_line([](auto l) { return test::is_event(l, "checked"); }, 30s))
        << seeder->stderr_text();
    auto downloader = cli.downloader(1);
    // The seller reports every IOU it accepts.
    ASSERT_TRUE(seeder->wait_for_line([](auto l) { return test::is_event(l, "iou"); }, 60s))
        << downloader->stderr_text() << seeder->stderr_text();
    ASSERT_TRUE(wait_for_progress(*downloader, 0.4, 60s)) << downloader->stderr_text();
    EXPECT_EQ(downloader->kill(), 128 + SIGKILL);
    std::cout << "[ lanes    ] killed the downloader at 40 %\n";
    std::vector<std::pair<std::string, std::string>> outputs;
    auto const keep_output = [&](std::string name, test::Process const& p) {
        outputs.emplace_back(name, p.stdout_text() + p.stderr_text());
    };
    keep_output("downloader 1", *downloader);

    downloader = cli.downloader(2);
    // The seller during payment: after the restarted buyer has paid again.
    ASSERT_TRUE(seeder->wait_for_line([](auto l) { return test::is_event(l, "iou"); }, 60s))
        << downloader->stderr_text() << seeder->stderr_text();
    ASSERT_TRUE(wait_for_progress(*downloader, 0.7, 60s)) << downloader->stderr_text();
    EXPECT_EQ(seeder->kill(), 128 + SIGKILL);
    std::cout << "[ lanes    ] killed the seeder at 70 %\n";
    keep_output("seeder 1", *seeder);
    seeder = cli.seeder(2);
    ASSERT_TRUE(seeder->wait_for_line([](auto l) { return test::is_event(l, "checked"); }, 30s))
        << seeder->stderr_text();

    auto const exit_code = downloader->wait_for(150s);
    ASSERT_EQ(exit_code, 0) << downloader->stderr_text();
    EXPECT_TRUE(
        test::files_identical(content_ / "payload.bin", dir_.path() / "save" / "payload.bin"));

    // The seller broadcasts and tracks the settlements; wait (reading both ledgers) until it
    // has counted every settlement the buyer made and nothing is open any more.
    auto const buyer_key = ChannelKey{Role::spend, chain->cli_buyer, payee.base58(), "1002000"};
    auto const seller_key = ChannelKey{Role::earn, chain->cli_buyer, payee.base58(), "1002000"};
    auto const deadline = Clock::now() + 60s;
    while (Clock::now() < deadline) {
        auto const buyer = Ledger::open(cli.buyer_ledger());
        auto const seller = Ledger::open(cli.seller_ledger());
        ASSERT_TRUE(buyer && seller);
        auto const sold_now = (*seller)->channel(seller_key);
        if (sold_now.settled > 0 && sold_now.settled == (*buyer)->channel(buyer_key).settled &&
            !(*seller)->open_settlement(seller_key))
            break;
        std::this_thread::sleep_for(250ms);
    }
    seeder->signal(SIGTERM);
    seeder->wait_for(15s);

    auto const buyer_ledger = Ledger::open(cli.buyer_ledger());
    ASSERT_TRUE(buyer_ledger) << buyer_ledger.error();
    auto const seller_ledger = Ledger::open(cli.seller_ledger());
    ASSERT_TRUE(seller_ledger) << seller_ledger.error();
    auto const bought = (*buyer_ledger)->channel(buyer_key);
    auto const sold = (*seller_ledger)->channel(seller_key);
    auto const buyer_ious = (*buyer_ledger)->ious(buyer_key);
    auto const seller_ious = (*seller_ledger)->ious(seller_key);
    std::cout << "[ lanes    ] buyer: IOU " << bought.iou_amount << " (seq " << bought.iou_seq
              << ", " << buyer_ious.size() << " IOUs), settled " << bought.settled
              << "; seller: IOU " << sold.iou_amount << " (seq " << sold.iou_seq << ", "
              << seller_ious.size() << " IOUs), settled " << sold.settled << "\n";

    ASSERT_GT(bought.iou_amount, 0);
    EXPECT_GE(bought.iou_amount, sold.iou_amount);
    if (bought.iou_amount != sold.iou_amount) {
        // At most one IOU the seller never received: the buyer's last one.
        ASSERT_GE(buyer_ious.size(), 2u);
        EXPECT_EQ(sold.iou_amount, buyer_ious[buyer_ious.size() - 2].amount);
    }
    // Every IOU the seller holds is one the buyer signed, with the same amount and seq.
    std::map<std::int64_t, Units> by_seq;
    for (auto const& iou : buyer_ious) by_seq[iou.seq] = iou.amount;
    for (auto const& iou : seller_ious) {
        ASSERT_TRUE(by_seq.count(iou.seq)) << iou.seq;
        EXPECT_EQ(by_seq[iou.seq], iou.amount) << iou.seq;
    }
    EXPECT_EQ(sold.settled, bought.settled);
    EXPECT_LE(sold.settled, sold.iou_amount);
    // The remainder below --settle-threshold is settled only if the seller asks for it within the
    // downloader's last seconds (settle_before_exit); otherwise at the next meeting.
    std::cout << "[ lanes    ] unsettled after the run: " << sold.iou_amount - sold.settled
              << " units\n";

    // No settlement counted twice: the good ones chain from 0 to `settled` without overlaps.
    EXPECT_EQ(expect_settlements_chain("downloader", (*buyer_ledger)->settlements(Role::spend)),
              bought.settled);
    EXPECT_EQ(expect_settlements_chain("seeder", (*seller_ledger)->settlements(Role::earn)),
              sold.settled);
    auto const balance = chain->btt(payee);
    EXPECT_EQ(balance, sold.settled);

    keep_output("downloader 2", *downloader);
    keep_output("seeder 2", *seeder);
    expect_no_key_material(outputs, {dir_.path(), chain->cli_buyer_profile},
                           chain->cli_buyer_profile / "data" / "keystore.json",
                           "swarm test passphrase");
}

}  // namespace
}  // namespace lanetorrent::lanes
