// Session and AppSettings against real libtorrent sessions on loopback: adding files and magnet
// links, pause/resume/remove, a transfer between two sessions, and settings persisted in the
// profile's ini file.
#include <gtest/gtest.h>

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <algorithm>
#include <cstdio>

#include "base/torrent_list_model.hpp"
#include "base_test_support.hpp"
#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"
#include "wallet/keystore.hpp"

namespace lanetorrent::ui {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using lanetorrent::test::TempDir;
using test::make_torrent;
using test::pump_for;
using test::pump_until;
using test::TestProfile;

TEST(AppSettingsTest, DefaultsFollowTheSpecification) {
    TempDir dir("ui-settings");
    auto const profile = Profile::in_directory(dir.path());
    AppSettings settings(profile);
    EXPECT_EQ(settings.node_preset(), NodePreset::local_devnet);
    EXPECT_EQ(settings.node().wallet_address, "127.0.0.1:50051");
    EXPECT_EQ(settings.node().solidity_address, "127.0.0.1:50061");
    EXPECT_EQ(settings.asset(), "1002000");
    EXPECT_EQ(settings.price_medium(), 100'000'000);
    EXPECT_EQ(settings.price_fast(), 300'000'000);
    EXPECT_EQ(settings.shares().permille, (std::array<int, 3>{100, 300, 600}));
    EXPECT_EQ(settings.default_lane(), lanes::Lane::slow);
    EXPECT_TRUE(settings.close_to_tray());
    EXPECT_TRUE(settings.seed_24_7());
    EXPECT_TRUE(settings.notifications());
    EXPECT_FALSE(settings.tray_notice_shown());
    EXPECT_FALSE(settings.autostart());
    EXPECT_FALSE(settings.skip_add_dialog());
    EXPECT_EQ(settings.upload_limit_kib(), 0);
    EXPECT_FALSE(settings.default_save_path().isEmpty());

    settings.set_node_preset(NodePreset::nile);
    EXPECT_EQ(settings.node().wallet_address, "grpc.nile.trongrid.io:50051");
    settings.set_node_preset(NodePreset::shasta);
    EXPECT_EQ(settings.node().wallet_address, "grpc.shasta.trongrid.io:50051");
    settings.set_node_preset(NodePreset::mainnet);
    EXPECT_EQ(settings.node().wallet_address, "grpc.trongrid.io:50051");
}

TEST(AppSettingsTest, EverySettingRoundTripsThroughTheIniFile) {
    TempDir dir("ui-settings");
    auto const profile = Profile::in_directory(dir.path());
    {
        AppSettings settings(profile);
        settings.set_node_preset(NodePreset::custom);
        tron::NodeConfig node;
        node.wallet_address = "node.example:443";
        node.solidity_address = "node.example:444";
        node.tls = true;
        node.api_key = "key-1";
        settings.set_custom_node(node);
        settings.set_asset("1000001");
        settings.set_sell_lanes(false);
        settings.set_prices(5, 7);
        settings.set_shares(lanes::LaneShares{{200, 300, 500}});
        settings.set_default_lane(lanes::Lane::fast);
        settings.set_caps(lanes::Caps{11, 12, 13});
        settings.set_listen_interfaces("127.0.0.9:7000");
        settings.set_rate_limits_kib(64, 128);
        settings.set_default_save_path("/tmp/somewhere");
        settings.set_close_to_tray(false);
        settings.set_tray_notice_shown(true);
        settings.set_seed_24_7(false);
        settings.set_autostart(true);
        settings.set_skip_add_dialog(true);
        settings.set_notifications(false);
        settings.sync();
    }
    EXPECT_TRUE(fs::exists(profile.config_dir() / "lanetorrent.ini"));
    AppSettings settings(profile);
    EXPECT_EQ(settings.node_preset(), NodePreset::custom);
    auto const node = settings.node();
    EXPECT_EQ(node.wallet_address, "node.example:443");
    EXPECT_EQ(node.solidity_address, "node.example:444");
    EXPECT_TRUE(node.tls);
    EXPECT_EQ(node.api_key, "key-1");
    EXPECT_EQ(settings.asset(), "1000001");
    EXPECT_FALSE(settings.sell_lanes());
    EXPECT_EQ(settings.price_medium(), 5);
    EXPECT_EQ(settings.price_fast(), 7);
    EXPECT_EQ(settings.shares().permille, (std::array<int, 3>{200, 300, 500}));
    EXPECT_EQ(settings.default_lane(), lanes::Lane::fast);
    EXPECT_EQ(settings.caps().max_price_per_gib, 11);
    EXPECT_EQ(settings.caps().max_per_torrent, 12);
    EXPECT_EQ(settings.caps().max_per_day, 13);
    EXPECT_EQ(settings.listen_interfaces(), "127.0.0.9:7000");
    EXPECT_EQ(settings.upload_limit_kib(), 64);
    EXPECT_EQ(settings.download_limit_kib(), 128);
    EXPECT_EQ(settings.default_save_path(), "/tmp/somewhere");
    EXPECT_FALSE(settings.close_to_tray());
    EXPECT_TRUE(settings.tray_notice_shown());
    EXPECT_FALSE(settings.seed_24_7());
    EXPECT_TRUE(settings.autostart());
    EXPECT_TRUE(settings.skip_add_dialog());
    EXPECT_FALSE(settings.notifications());
}

class SessionTest : public ::testing::Test {
  protected:
    TempDir dir_{"ui-session"};
};

TEST(ListenFallbackTest, AnyPortKeepsTheAddresses) {
    EXPECT_EQ(with_any_port("127.0.0.9:7000"), "127.0.0.9:0");
    EXPECT_EQ(with_any_port("0.0.0.0:6881,[::]:6881"), "0.0.0.0:0,[::]:0");
    EXPECT_EQ(with_any_port("eth0:6881"), "eth0:0");
    EXPECT_EQ(with_any_port("127.0.0.9:0"), std::nullopt);  // nothing to fall back to
    EXPECT_EQ(with_any_port(""), std::nullopt);
    EXPECT_TRUE(is_configured_port("0.0.0.0:6881,[::]:6881", 6881));
    EXPECT_FALSE(is_configured_port("0.0.0.0:6881,[::]:6881", 6882));
    EXPECT_TRUE(is_configured_port("127.0.0.9:0", 41234));
}

// The configured port is taken (here by a plain listening socket): the session listens on
// another port, says which and why, and leaves the setting alone.
TEST_F(SessionTest, TakenPortFallsBackToAnotherWithANotice) {
    TestProfile profile(dir_.path() / "profile");
    QTcpServer squatter;
    ASSERT_TRUE(squatter.listen(QHostAddress(QString::fromStdString(profile.ip)), profile.port))
        << squatter.errorString().toStdString();
    auto const configured = profile.settings->listen_interfaces();

    auto session = profile.open();
    QSignalSpy changed(session.get(), &Session::listenPortChanged);
    QSignalSpy warnings(session.get(), &Session::warning);
    ASSERT_TRUE(pump_until([&] { return changed.count() > 0; }, 10s))
        << "no notice; warnings: "
        << (warnings.isEmpty() ? std::string("none")
                               : warnings.first().at(0).toString().toStdString());
    auto const address = changed.first().at(0).toString();
    auto const port = changed.first().at(1).toInt();
    auto const message = changed.first().at(2).toString();
    EXPECT_EQ(address.toStdString(), profile.ip);
    EXPECT_NE(port, profile.port);
    EXPECT_GT(port, 0);
    EXPECT_TRUE(message.contains(QString::number(port))) << message.toStdString();
    EXPECT_TRUE(message.contains(QString::number(profile.port))) << message.toStdString();
    EXPECT_TRUE(message.contains("in use")) << message.toStdString();
    // The same sentence reaches the status bar (MainWindow shows every warning there).
    ASSERT_FALSE(warnings.isEmpty());
    EXPECT_EQ(warnings.last().at(0).toString(), message);
    EXPECT_EQ(profile.settings->listen_interfaces(), configured);

    // And it does take connections there.
    QTcpSocket client;
    client.connectToHost(address, static_cast<quint16>(port));
    EXPECT_TRUE(client.waitForConnected(5000)) << client.errorString().toStdString();
}

TEST_F(SessionTest, AddsFilesAndMagnetsPausesResumesAndRemoves) {
    auto const made = make_torrent(dir_.subdir("content"), "payload.bin", 300 * 1024 + 7, 1);
    TestProfile profile(dir_.path() / "profile");
    auto session = profile.open();
    QSignalSpy added(session.get(), &Session::torrentAdded);
    QSignalSpy removed(session.get(), &Session::torrentRemoved);

    AddRequest request;
    request.source = QString::fromStdString(made.torrent_file.string());
    request.save_path = QString::fromStdString((dir_.path() / "save").string());
    auto id = session->add(request);
    ASSERT_TRUE(id) << id.error();
    EXPECT_EQ(id.value(), made.id);
    ASSERT_EQ(added.count(), 1);
    EXPECT_EQ(added.at(0).at(0).toString().toStdString(), made.id);

    // A magnet for another torrent (nobody has it: it stays fetching metadata).
    auto const other = make_torrent(dir_.subdir("content2"), "other.bin", 40 * 1024, 2);
    AddRequest magnet;
    magnet.source = QString::fromStdString("magnet:?xt=urn:btih:" + other.id + "&dn=other.bin");
    auto magnet_id = session->add(magnet);
    ASSERT_TRUE(magnet_id) << magnet_id.error();

    auto rows = session->rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].id, made.id);
    EXPECT_EQ(rows[0].name, "payload.bin");
    EXPECT_EQ(rows[0].size, 300 * 1024 + 7);
    EXPECT_EQ(rows[0].save_path.toStdString(), (dir_.path() / "save").string());
    EXPECT_EQ(rows[1].id, other.id);
    EXPECT_EQ(rows[1].size, 0);  // no metadata yet

    // The files and trackers of a torrent with metadata.
    auto const files = session->files(made.id);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].path, "payload.bin");
    EXPECT_EQ(files[0].size, 300 * 1024 + 7);
    EXPECT_EQ(files[0].priority, 4);
    EXPECT_TRUE(session->files(other.id).empty());
    ASSERT_TRUE(session->set_file_priority(made.id, 0, 0));
    EXPECT_TRUE(pump_until([&] { return session->files(made.id).at(0).priority == 0; }, 5s));
    EXPECT_FALSE(session->set_file_priority(made.id, 3, 4));

    ASSERT_TRUE(session->pause(made.id));
    EXPECT_TRUE(pump_until([&] { return session->row(made.id)->state == TorrentState::paused; }));
    ASSERT_TRUE(session->resume(made.id));
    EXPECT_TRUE(pump_until([&] { return session->row(made.id)->state != TorrentState::paused; }));

    ASSERT_TRUE(session->remove(made.id, RemoveData::keep));
    ASSERT_EQ(removed.count(), 1);
    ASSERT_EQ(session->rows().size(), 1u);
    EXPECT_FALSE(session->row(made.id));
    EXPECT_FALSE(session->pause(made.id));
    AddRequest missing;
    missing.source = "/no/such/file.torrent";
    EXPECT_FALSE(session->add(missing));
}

TEST_F(SessionTest, RestartRestoresTorrentsAndTheirLanes) {
    auto const made = make_torrent(dir_.subdir("content"), "payload.bin", 64 * 1024, 3);
    TestProfile profile(dir_.path() / "profile");
    {
        auto session = profile.open();
        AddRequest request;
        request.source = QString::fromStdString(made.torrent_file.string());
        request.save_path = QString::fromStdString(made.content.parent_path().string());
        request.lane = lanes::Lane::medium;
        request.caps.max_price_per_gib = 200'000'000;
        ASSERT_TRUE(session->add(request));
        EXPECT_TRUE(
            pump_until([&] { return session->row(made.id)->state == TorrentState::seeding; }));
    }
    auto session = profile.open();
    auto const row = session->row(made.id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->name, "payload.bin");
    EXPECT_EQ(row->lane, lanes::Lane::medium);
    EXPECT_TRUE(pump_until([&] { return session->row(made.id)->state == TorrentState::seeding; }));
    EXPECT_DOUBLE_EQ(session->row(made.id)->progress, 1.0);
    // No lanes traffic: the history is every day of the range, all zero.
    auto const history = session->history(std::nullopt, 7);
    ASSERT_EQ(history.size(), 7u);
    EXPECT_EQ(history[6].day_start_ms - history[0].day_start_ms, 6 * 86'400'000LL);
    for (auto const& day : history) EXPECT_EQ(day.earned + day.spent, 0);
    EXPECT_EQ(session->earned_today(), 0);
    EXPECT_FALSE(session->can_buy());
    EXPECT_FALSE(session->offered_prices(made.id));
}

TEST_F(SessionTest, TwoSessionsTransferAndTheModelShowsItFinished) {
    auto const made = make_torrent(dir_.subdir("content"), "movie.bin", 2 * 1024 * 1024 + 99, 4);
    TestProfile seeder_profile(dir_.path() / "seeder");
    TestProfile downloader_profile(dir_.path() / "downloader");
    auto seeder = seeder_profile.open();
    auto downloader = downloader_profile.open();

    AddRequest seed;
    seed.source = QString::fromStdString(made.torrent_file.string());
    seed.save_path = QString::fromStdString(made.content.parent_path().string());
    ASSERT_TRUE(seeder->add(seed));
    ASSERT_TRUE(pump_until([&] { return seeder->row(made.id)->state == TorrentState::seeding; }));

    TorrentListModel model(*downloader);
    QSignalSpy finished(downloader.get(), &Session::torrentFinished);
    // A magnet naming the seeder (x.pe): metadata and data both come over loopback.
    AddRequest fetch;
    fetch.source =
        QString::fromStdString("magnet:?xt=urn:btih:" + made.id + "&x.pe=" + seeder_profile.ip +
                               ":" + std::to_string(seeder_profile.port));
    fetch.save_path = QString::fromStdString((dir_.path() / "save").string());
    ASSERT_TRUE(downloader->add(fetch));
    ASSERT_EQ(model.rowCount(), 1);

    ASSERT_TRUE(pump_until([&] { return finished.count() > 0; }, 90s));
    EXPECT_EQ(finished.at(0).at(0).toString().toStdString(), made.id);
    EXPECT_EQ(finished.at(0).at(1).toString(), "movie.bin");
    EXPECT_TRUE(
        lanetorrent::test::files_identical(made.content, dir_.path() / "save" / "movie.bin"));
    ASSERT_TRUE(pump_until([&] {
        return model.index(0, TorrentListModel::progress)
                   .data(TorrentListModel::ProgressRole)
                   .toDouble() == 100.0;
    }));
    EXPECT_EQ(model.index(0, TorrentListModel::name).data().toString(), "movie.bin");
    EXPECT_EQ(model.index(0, TorrentListModel::size).data(TorrentListModel::SortRole).toLongLong(),
              2 * 1024 * 1024 + 99);
    EXPECT_TRUE(pump_until(
        [&] { return model.index(0, TorrentListModel::state).data().toString() == "Seeding"; }));
    auto const peers = seeder->peers(made.id);
    EXPECT_FALSE(peers.empty());
}

// Lanes through the Session: a seller whose keystore names its payee and a buyer, both pointed at
// a node address nobody answers. No chain is needed: the amounts stay below the seller's minimum
// payout, so nothing settles.
class LaneSessionTest : public SessionTest {
  protected:
    void SetUp() override {
        tron::NodeConfig nowhere;
        nowhere.wallet_address = lanetorrent::test::unique_loopback_ip() + ":1";
        nowhere.solidity_address = nowhere.wallet_address;
        for (auto* profile : {&seller_profile_, &buyer_profile_}) {
            profile->settings->set_node_preset(NodePreset::custom);
            profile->settings->set_custom_node(nowhere);
        }
        seller_profile_.settings->set_sell_lanes(true);
        ASSERT_TRUE(seller_profile_.profile.create_directories());
        ASSERT_TRUE(wallet::Keystore::import(seller_profile_.profile.data_dir() / "keystore.json",
                                             tron::PrivateKey::generate(), "test passphrase",
                                             wallet::ScryptParams{10, 8, 1}));
    }

    // Opens both sessions, the buyer's downloads limited to `buyer_download_kib`, and has the
    // seller seed made_.
    void open_and_seed(int buyer_download_kib) {
        buyer_profile_.settings->set_rate_limits_kib(0, buyer_download_kib);
        seller_ = seller_profile_.open();
        buyer_ = buyer_profile_.open();
        AddRequest seed;
        seed.source = QString::fromStdString(made_.torrent_file.string());
        seed.save_path = QString::fromStdString(made_.content.parent_path().string());
        ASSERT_TRUE(seller_->add(seed));
        ASSERT_TRUE(test::becomes_seed(*seller_, made_.id));
    }

    // made_ from the seller in the medium lane, at up to 300 BTT per GiB.
    AddRequest medium_lane_magnet() {
        AddRequest fetch;
        fetch.source = QString::fromStdString("magnet:?xt=urn:btih:" + made_.id +
                                              "&x.pe=" + seller_profile_.ip + ":" +
                                              std::to_string(seller_profile_.port));
        fetch.save_path = QString::fromStdString((dir_.path() / "save").string());
        fetch.lane = lanes::Lane::medium;
        fetch.caps.max_price_per_gib = 300'000'000;
        return fetch;
    }

    test::MadeTorrent made_ = make_torrent(dir_.subdir("content"), "lane.bin", 8 * 1024 * 1024, 5);
    TestProfile seller_profile_{dir_.path() / "seller"};
    TestProfile buyer_profile_{dir_.path() / "buyer"};
    std::unique_ptr<Session> seller_;
    std::unique_ptr<Session> buyer_;
};

// A buyer that sees the seller's offer, unlocks its wallet later and pays for the medium lane.
TEST_F(LaneSessionTest, BuyerSeesOffersUnlocksLaterAndPaysTheSeller) {
    // Slow enough that most of the payload arrives after the wallet is unlocked.
    ASSERT_NO_FATAL_FAILURE(open_and_seed(1024));
    auto& seller = seller_;
    auto& buyer = buyer_;
    auto const& made = made_;
    auto fetch = medium_lane_magnet();
    ASSERT_TRUE(buyer->add(fetch));
    EXPECT_EQ(buyer->row(made.id)->lane, lanes::Lane::medium);
    EXPECT_FALSE(buyer->can_buy());

    ASSERT_TRUE(pump_until([&] { return buyer->offered_prices(made.id).has_value(); }, 30s));
    auto const prices = *buyer->offered_prices(made.id);
    EXPECT_EQ(prices[0], 0);
    EXPECT_EQ(prices[1], 100'000'000);
    EXPECT_EQ(prices[2], 300'000'000);

    buyer->set_wallet_key(tron::PrivateKey::generate());
    EXPECT_TRUE(buyer->can_buy());
    QSignalSpy finished(buyer.get(), &Session::torrentFinished);
    ASSERT_TRUE(pump_until([&] { return finished.count() > 0; }, 120s));
    // The lane thread signs the final IOU once it sees the finish (within a round, ~100 ms); the
    // rows catch up at the next tick, the seller once the IOU arrives.
    pump_for(1s);
    ASSERT_TRUE(pump_until(
        [&] {
            auto const ledger_spent = buyer->history(made.id, 1).at(0).spent;
            return ledger_spent > 0 && buyer->row(made.id)->spent_units == ledger_spent &&
                   seller->row(made.id)->earned_units == ledger_spent;
        },
        30s));
    auto const spent = buyer->history(made.id, 1).at(0).spent;
    EXPECT_LE(spent, lanes::cost_of(8 * 1024 * 1024, 100'000'000));
    auto const buyer_history = buyer->history(made.id, 2);
    ASSERT_EQ(buyer_history.size(), 2u);
    EXPECT_EQ(buyer_history[1].spent, spent);  // today
    EXPECT_EQ(seller->history(std::nullopt, 1).at(0).earned, spent);
    EXPECT_EQ(seller->earned_today(), spent);

    // Removed (files and all) and added again in the slow lane: the torrent's spent figure is
    // what the ledger holds for its info-hash, from the moment it is back in the list, and the
    // free download adds nothing to it; the seller's earned figure is unchanged too.
    ASSERT_TRUE(buyer->remove(made.id, RemoveData::delete_files));
    EXPECT_FALSE(buyer->row(made.id));
    fetch.lane = lanes::Lane::slow;
    ASSERT_TRUE(buyer->add(fetch));
    EXPECT_EQ(buyer->row(made.id)->lane, lanes::Lane::slow);
    EXPECT_EQ(buyer->row(made.id)->spent_units, spent);
    finished.clear();
    ASSERT_TRUE(pump_until([&] { return finished.count() > 0; }, 120s));
    pump_for(2s);  // a few ticks: a late IOU would show by now
    EXPECT_EQ(buyer->row(made.id)->spent_units, spent);
    EXPECT_EQ(buyer->history(made.id, 1).at(0).spent, spent);
    EXPECT_EQ(seller->row(made.id)->earned_units, spent);
}

// The lanes commit their ledger (fsync'd) before money moves. A ledger another process holds
// locked (a backup tool, `sqlite3` left open in a transaction) makes each commit wait up to the
// busy timeout; on the GUI thread that froze the window for the whole lock. The lanes now run on
// their own thread: the window keeps answering while a paid download's IOUs wait for the ledger,
// and the payments go on once it is free.
TEST_F(LaneSessionTest, ALockedLedgerNeverFreezesTheWindowDuringAPaidDownload) {
    ASSERT_NO_FATAL_FAILURE(open_and_seed(768));  // about 11 s for the file
    auto& seller = seller_;
    auto& buyer = buyer_;
    auto const& made = made_;
    buyer->set_wallet_key(tron::PrivateKey::generate());
    ASSERT_TRUE(buyer->add(medium_lane_magnet()));
    auto const spent_in_ledger = [&] { return buyer->history(made.id, 1).at(0).spent; };
    ASSERT_TRUE(pump_until([&] { return spent_in_ledger() > 0; }, 60s));
    ASSERT_LT(buyer->row(made.id)->progress, 0.7) << "too fast to lock the ledger mid-download";

    // Another connection takes the write lock for 3 s (the busy timeout is 5 s: no fault).
    sqlite::Database other(buyer->ledger_file(), sqlite::Sync::full);
    other.exec("BEGIN EXCLUSIVE");
    auto const spent_at_lock = spent_in_ledger();
    auto const progress_at_lock = buyer->row(made.id)->progress;
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 longest_gap = 0;
    QTimer beat;
    beat.setInterval(10);
    QObject::connect(&beat, &QTimer::timeout, [&] {
        longest_gap = std::max(longest_gap, clock.elapsed() - last);
        last = clock.elapsed();
    });
    beat.start();
    pump_for(3s);
    beat.stop();
    // Nothing was paid while the ledger was locked (an IOU is in the ledger before it leaves),
    // yet the window answered all along: the Session's own calls, the list's ticks, the data.
    EXPECT_EQ(spent_in_ledger(), spent_at_lock);
    EXPECT_GT(buyer->row(made.id)->progress, progress_at_lock);
    std::printf("ledger locked 3 s: longest event-loop gap %lld ms, spent %lld -> %lld\n",
                static_cast<long long>(longest_gap), static_cast<long long>(spent_at_lock),
                static_cast<long long>(spent_in_ledger()));
    EXPECT_LT(longest_gap, 500) << "the GUI thread waited for the ledger";
    other.exec("ROLLBACK");

    QSignalSpy finished(buyer.get(), &Session::torrentFinished);
    ASSERT_TRUE(pump_until([&] { return finished.count() > 0; }, 120s));
    pump_for(1s);
    // The IOUs waiting for the lock went out after it, and the seller has every one.
    ASSERT_TRUE(pump_until(
        [&] {
            auto const spent = spent_in_ledger();
            return spent > spent_at_lock && seller->row(made.id)->earned_units == spent;
        },
        30s));
}

}  // namespace
}  // namespace lanetorrent::ui
