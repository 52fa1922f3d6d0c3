// A real buyer (Engine + LaneService) against a hostile seller (HostilePeer with an offer) that
// bills lanes the buyer did not ask for and ignores its requests for slow. What
// docs/lane-protocol.md promises the buyer: it never signs IOUs beyond its caps or for a lane it
// did not ask for, and a seller that keeps it in such a lane is disconnected and not paid again.
#include <gtest/gtest.h>

#include <functional>
#include <iostream>
#include <set>

#include "devnet_fixture.hpp"
#include "engine/torrent_creator.hpp"
#include "engine/torrent_source.hpp"
#include "files.hpp"
#include "hostile_peer.hpp"
#include "lanes/lane_service.hpp"
#include "net.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::lanes::test {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::int64_t kMiB = 1 << 20;
constexpr Units kFastPrice = 300'000'000;

class HostileSellerTest : public ::testing::Test {
  protected:
    void start(Lane lane, Caps caps) {
        auto const content = dir_.subdir("seed-data");
        lanetorrent::test::write_random_file(content / "payload.bin", 48 * kMiB, 777);
        CreateOptions options;
        options.content = content / "payload.bin";
        options.piece_size_kib = 256;
        auto created = create_torrent(options);
        ASSERT_TRUE(created) << created.error();
        auto const torrent = load_torrent_bytes(created->bytes, "hostile-seller").value();
        id_ = created->id;

        Offer offer{payee_.address(), "1002000", 6, {}, 8 * kMiB, kMiB, 500'000'000, 1'000'000};
        offer.lanes[0] = {0, 100};
        offer.lanes[1] = {100'000'000, 300};
        offer.lanes[2] = {kFastPrice, 600};
        // 4 MiB/s: the download takes long enough to see what the buyer does after its cap.
        seller_ = std::make_unique<HostilePeer>(dir_.path() / "seller", offer, 4 * kMiB);
        ASSERT_TRUE(seller_->seed(torrent, content));
        auto const deadline = std::chrono::steady_clock::now() + 30s;
        while (!seller_->listening() && std::chrono::steady_clock::now() < deadline) {
            seller_->poll(10ms);
        }
        ASSERT_TRUE(seller_->listening());

        auto const ip = lanetorrent::test::unique_loopback_ip();
        EngineSettings settings;
        settings.listen_interfaces = ip + ":0";
        settings.try_next_ports = false;
        settings.make_local_only();
        settings.status_interval = 200ms;
        auto engine = Engine::open(Profile::in_directory(dir_.path() / "buyer"), settings);
        ASSERT_TRUE(engine) << engine.error();
        buyer_ = std::move(engine.value());
        LaneConfig config;
        config.ledger_file = dir_.path() / "buyer-lanes.sqlite";
        config.buy = BuyConfig{
            .key = payer_, .asset = "1002000", .default_lane = lane, .default_caps = caps};
        // No node: this seller never asks for a settlement.
        config.node.wallet_address = "127.0.0.1:1";
        config.node.solidity_address = "127.0.0.1:1";
        auto service = LaneService::open(*buyer_, std::move(config));
        ASSERT_TRUE(service) << service.error();
        lanes_ = std::move(service.value());
        AddTorrent add;
        add.source = torrent;
        add.save_path = dir_.path() / "buyer-save";
        ASSERT_TRUE(buyer_->add(add));
        lanes_->set_lane(id_, lane, caps);
        ASSERT_TRUE(buyer_->pin_peer(id_, *seller_->listening()));
    }

    void TearDown() override {
        lanes_.reset();
        buyer_.reset();
        seller_.reset();
    }

    // The hostile seller's script: a fast grant at once on every connection, and again in answer
    // to every request, whatever was asked.
    void grant_fast_whatever_is_asked() {
        for (auto const& conn : seller_->connections()) {
            if (!conn.open || !conn.hello_seen) continue;
            auto& answered = answered_[conn.id];
            bool const fresh = !greeted_.count(conn.id);
            if (!fresh && answered >= conn.requests.size()) continue;
            greeted_.insert(conn.id);
            answered = conn.requests.size();
            seller_->send(conn.id,
                          msg::Grant{Lane::fast, kFastPrice, 8 * kMiB, false, "requested"});
        }
    }

    void run(std::chrono::seconds limit) {
        auto const deadline = std::chrono::steady_clock::now() + limit;
        bool finished = false;
        while (std::chrono::steady_clock::now() < deadline && !finished) {
            for (auto const& event : buyer_->poll(1ms)) {
                lanes_->observe(event);
                if (std::holds_alternative<event::Finished>(event)) finished = true;
            }
            lanes_->poll();
            for (auto& n : lanes_->take_notices()) notices_.push_back(std::move(n));
            seller_->poll(1ms);
            grant_fast_whatever_is_asked();
        }
    }

    Units signed_total() { return lanes_->ledger().total(Role::spend); }
    Units largest_iou_received() {
        Units largest = 0;
        for (auto const& conn : seller_->connections()) {
            for (auto const& iou : conn.ious) largest = std::max(largest, iou.amount);
        }
        return largest;
    }
    bool told(std::string const& words) const {
        for (auto const& n : notices_) {
            if (n.text.find(words) != std::string::npos) return true;
        }
        return false;
    }

    lanetorrent::test::TempDir dir_{"lanes-hostile-seller"};
    tron::PrivateKey payer_ = devnet::test::key(5);
    tron::PrivateKey payee_ = devnet::test::key(6);
    TorrentId id_;
    std::unique_ptr<HostilePeer> seller_;
    std::unique_ptr<Engine> buyer_;
    std::unique_ptr<LaneService> lanes_;
    std::map<HostileConnId, std::size_t> answered_;
    std::set<HostileConnId> greeted_;
    std::vector<LaneNotice> notices_;
};

TEST_F(HostileSellerTest, TheCapsHoldAgainstASellerThatIgnoresSlow) {
    // 1 BTT for this torrent: 3.4 MiB of the 48 at the fast price. The seller keeps granting fast.
    Units const cap = 1'000'000;
    ASSERT_NO_FATAL_FAILURE(start(Lane::fast, Caps{400'000'000, cap, 0}));
    run(40s);
    std::cout << "[ seller   ] signed " << signed_total() << " units (cap " << cap
              << "), largest IOU the seller got " << largest_iou_received() << "\n";
    EXPECT_GT(signed_total(), 0) << "never bought anything: the test shows nothing";
    EXPECT_LE(signed_total(), cap);
    EXPECT_LE(largest_iou_received(), cap);
    EXPECT_TRUE(told("not paid again")) << "the seller was not left";
    // And not paid again: no connection after the first gets a proof.
    auto const conns = seller_->connections();
    for (std::size_t i = 1; i < conns.size(); ++i) {
        EXPECT_TRUE(conns[i].ious.empty()) << "connection " << conns[i].id << " was paid";
    }
}

TEST_F(HostileSellerTest, NothingIsSignedForALaneThatWasNotAskedFor) {
    // The buyer wants medium; the seller answers every request with fast.
    ASSERT_NO_FATAL_FAILURE(start(Lane::medium, Caps{400'000'000, 0, 0}));
    run(20s);
    std::cout << "[ seller   ] signed " << signed_total() << " units for an unasked fast lane\n";
    EXPECT_EQ(signed_total(), 0);
    EXPECT_EQ(largest_iou_received(), 0);
    bool asked_medium = false;
    for (auto const& conn : seller_->connections()) {
        for (auto const& r : conn.requests) asked_medium = asked_medium || r.lane == Lane::medium;
    }
    EXPECT_TRUE(asked_medium);
    EXPECT_TRUE(told("not paid again"));
}

}  // namespace
}  // namespace lanetorrent::lanes::test
