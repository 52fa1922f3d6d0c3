// Issue 15, finding 3, with real widgets over real sessions on loopback: the add dialog fetches a
// magnet's metadata from a real seeder while it is open (files, total, each lane's price), a
// cancelled dialog leaves nothing behind, and the Trackers tab adds, edits, removes and
// reannounces trackers (Engine::trackers() follows) and shows a tracker's long answer whole.
#include <gtest/gtest.h>

#include <QByteArray>
#include <QElapsedTimer>
#include <QFontMetrics>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTreeWidget>

#include "base/price_estimate.hpp"
#include "base/wallet_service.hpp"
#include "base_test_support.hpp"
#include "gui/add_torrent_dialog.hpp"
#include "gui/details_pane.hpp"
#include "gui/lane_picker.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::ui {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using lanes::Lane;
using lanetorrent::test::TempDir;
using test::make_torrent;
using test::pump_until;
using test::TestProfile;

// A downloader session with a wallet service, and a seeder session that has `content` ready.
class MagnetDialog : public ::testing::Test {
  protected:
    void SetUp() override {
        seeder_profile_ = std::make_unique<TestProfile>(dir_.path() / "seeder");
        downloader_profile_ = std::make_unique<TestProfile>(dir_.path() / "downloader");
        seeder_ = seeder_profile_->open();
        downloader_ = downloader_profile_->open();
        wallet_ = std::make_unique<WalletService>(downloader_profile_->profile,
                                                  *downloader_profile_->settings);
    }
    void TearDown() override {
        wallet_.reset();
        downloader_.reset();
        seeder_.reset();
    }

    // Three files in a directory torrent, seeded by the seeder; returns the torrent's id.
    TorrentId seed_three_files() {
        fs::path const content = dir_.path() / "content" / "album";
        fs::create_directories(content);
        lanetorrent::test::write_random_file(content / "a.bin", 300'000, 1);
        lanetorrent::test::write_random_file(content / "b.bin", 700'000, 2);
        lanetorrent::test::write_random_file(content / "c.bin", 200'000, 3);
        CreateOptions options;
        options.content = content;
        options.piece_size_kib = 16;
        auto created = create_torrent(options);
        EXPECT_TRUE(created) << (created ? "" : created.error());
        fs::path const file = dir_.path() / "album.torrent";
        std::ofstream(file, std::ios::binary)
            .write(created->bytes.data(), static_cast<std::streamsize>(created->bytes.size()));
        AddRequest seed;
        seed.source = QString::fromStdString(file.string());
        seed.save_path = QString::fromStdString(content.parent_path().string());
        auto added = seeder_->add(seed);
        EXPECT_TRUE(added) << (added ? "" : added.error());
        EXPECT_TRUE(test::becomes_seed(*seeder_, created->id));
        return created->id;
    }

    QString magnet_for(TorrentId const& id) const {
        return QString::fromStdString("magnet:?xt=urn:btih:" + id +
                                      "&dn=album&x.pe=" + seeder_profile_->ip + ":" +
                                      std::to_string(seeder_profile_->port));
    }

    TempDir dir_{"ui-magnet"};
    std::unique_ptr<TestProfile> seeder_profile_;
    std::unique_ptr<TestProfile> downloader_profile_;
    std::unique_ptr<Session> seeder_;
    std::unique_ptr<Session> downloader_;
    std::unique_ptr<WalletService> wallet_;
};

constexpr qint64 total_bytes = 300'000 + 700'000 + 200'000;

TEST_F(MagnetDialog, FetchesTheMetadataWhileOpenAndShowsFilesTotalAndLanePrices) {
    auto const id = seed_three_files();
    QString const magnet = magnet_for(id);
    auto description = AddTorrentDialog::describe_source(magnet);
    ASSERT_TRUE(description) << description.error();
    ASSERT_FALSE(description->has_metadata);

    QElapsedTimer opened;
    opened.start();
    AddTorrentDialog dialog(magnet, *description, *downloader_, *wallet_,
                            *downloader_profile_->settings, std::nullopt);
    dialog.show();
    EXPECT_TRUE(dialog.fetching_metadata());
    EXPECT_TRUE(dialog.summary_text().contains("Fetching metadata"))
        << dialog.summary_text().toStdString();
    EXPECT_FALSE(dialog.lane_picker()->estimate(Lane::medium).cost.has_value());

    ASSERT_TRUE(pump_until([&] { return !dialog.fetching_metadata(); }, 30s))
        << "no metadata from the loopback seeder within 30 s";
    auto const fetch_ms = opened.elapsed();
    std::printf("metadata in the add dialog after %lld ms\n", static_cast<long long>(fetch_ms));
    EXPECT_LT(fetch_ms, 10'000);

    ASSERT_TRUE(dialog.description().has_metadata);
    EXPECT_EQ(dialog.description().total_size, total_bytes);
    auto* files = dialog.findChild<QTreeWidget*>("files");
    ASSERT_TRUE(files);
    ASSERT_EQ(files->topLevelItemCount(), 3);
    QStringList names;
    for (int i = 0; i < 3; ++i) names << files->topLevelItem(i)->text(0);
    EXPECT_TRUE(names.join(' ').contains("b.bin")) << names.join(' ').toStdString();
    EXPECT_TRUE(dialog.summary_text().contains(QLocale().formattedDataSize(total_bytes)))
        << dialog.summary_text().toStdString();
    // The lane picker now has a total per lane.
    auto const medium = dialog.lane_picker()->estimate(Lane::medium);
    ASSERT_TRUE(medium.cost.has_value());
    EXPECT_EQ(*medium.cost, lanes::cost_of(total_bytes, medium.price_per_gib));
    EXPECT_TRUE(dialog.lane_picker()->lane_text(Lane::fast).contains("about"))
        << dialog.lane_picker()->lane_text(Lane::fast).toStdString();

    // Nothing was added while the dialog was open.
    EXPECT_TRUE(downloader_->rows().empty());

    // Adding with one file skipped: the torrent starts with the fetched metadata and priorities.
    int skipped = -1;
    for (std::size_t i = 0; i < dialog.description().files.size(); ++i) {
        if (dialog.description().files[i].path.ends_with("b.bin")) skipped = static_cast<int>(i);
    }
    ASSERT_GE(skipped, 0);
    dialog.set_file_wanted(skipped, false);
    EXPECT_EQ(dialog.lane_picker()->estimate(Lane::medium).cost,
              lanes::cost_of(total_bytes - 700'000, medium.price_per_gib));
    dialog.set_save_path(QString::fromStdString((dir_.path() / "save").string()));
    auto added = downloader_->add(dialog.request());
    ASSERT_TRUE(added) << added.error();
    EXPECT_EQ(*added, id);
    auto const row = downloader_->row(id);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->name, "album");
    auto const added_files = downloader_->files(id);
    ASSERT_EQ(added_files.size(), 3u);
    for (auto const& f : added_files) EXPECT_EQ(f.priority, f.index == skipped ? 0 : 4);
    ASSERT_TRUE(pump_until(
        [&] {
            auto r = downloader_->row(id);
            return r && r->progress >= 1.0;
        },
        60s));
    EXPECT_TRUE(lanetorrent::test::files_identical(dir_.path() / "content" / "album" / "a.bin",
                                                   dir_.path() / "save" / "album" / "a.bin"));
    EXPECT_FALSE(fs::exists(dir_.path() / "save" / "album" / "b.bin"));
}

TEST_F(MagnetDialog, CancellingDropsTheFetchAndAddsNothing) {
    auto const id = seed_three_files();
    QString const magnet = magnet_for(id);
    auto description = AddTorrentDialog::describe_source(magnet);
    ASSERT_TRUE(description);
    {
        AddTorrentDialog dialog(magnet, *description, *downloader_, *wallet_,
                                *downloader_profile_->settings, std::nullopt);
        ASSERT_TRUE(pump_until([&] { return !dialog.fetching_metadata(); }, 30s));
        EXPECT_TRUE(downloader_->fetched_description(id).has_value());
        dialog.reject();
    }
    // The fetch is gone with the dialog; nothing is in the list or the profile.
    EXPECT_FALSE(downloader_->fetched_description(id).has_value());
    EXPECT_TRUE(downloader_->rows().empty());
    test::pump_for(500ms);
    EXPECT_TRUE(downloader_->rows().empty());
    EXPECT_FALSE(fs::exists(downloader_profile_->profile.resume_dir() / (id + ".resume")));
    // The seeder's connection to the fetch is closed.
    EXPECT_TRUE(pump_until([&] { return seeder_->peers(id).empty(); }, 20s));
    // And the same magnet can be added afterwards, without the dialog.
    AddRequest again;
    again.source = magnet;
    again.save_path = QString::fromStdString((dir_.path() / "again").string());
    auto added = downloader_->add(again);
    ASSERT_TRUE(added) << added.error();
    EXPECT_TRUE(pump_until([&] { return downloader_->row(id)->size == total_bytes; }, 30s));
}

// ---- the Trackers tab ----

// A minimal HTTP tracker on loopback that answers every announce with `failure reason`.
class FailingTracker : public QObject {
  public:
    explicit FailingTracker(QByteArray reason) : reason_(std::move(reason)) {
        server_.listen(QHostAddress::LocalHost, 0);
        connect(&server_, &QTcpServer::newConnection, this, [this] {
            while (auto* socket = server_.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    if (!socket->readAll().contains("GET ")) return;
                    QByteArray const body = "d14:failure reason" +
                                            QByteArray::number(reason_.size()) + ":" + reason_ +
                                            "e";
                    socket->write(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                        QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
                    socket->disconnectFromHost();
                    ++announces;
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    QString url() const {
        return QStringLiteral("http://127.0.0.1:%1/announce").arg(server_.serverPort());
    }
    int announces = 0;

  private:
    QByteArray reason_;
    QTcpServer server_;
};

class TrackersTab : public ::testing::Test {
  protected:
    void SetUp() override {
        profile_ = std::make_unique<TestProfile>(dir_.path());
        session_ = profile_->open();
        made_ = make_torrent(dir_.path(), "shared.bin", 50'000, 9);
        AddRequest request;
        request.source = QString::fromStdString(made_.torrent_file.string());
        request.save_path = QString::fromStdString(dir_.path().string());
        auto added = session_->add(request);
        ASSERT_TRUE(added) << added.error();
    }
    QStringList engine_urls() const {
        QStringList urls;
        for (auto const& t : session_->trackers(made_.id)) urls << t.raw_url;
        return urls;
    }

    TempDir dir_{"ui-trackers"};
    std::unique_ptr<TestProfile> profile_;
    std::unique_ptr<Session> session_;
    test::MadeTorrent made_;
};

TEST_F(TrackersTab, AddEditRemoveAndReannounceChangeTheEnginesTrackers) {
    DetailsPane pane(*session_);
    pane.set_torrent(made_.id);
    EXPECT_TRUE(engine_urls().isEmpty());

    ASSERT_TRUE(pane.add_trackers("udp://127.0.0.1:1/announce\n\n  http://127.0.0.1:2/announce  "));
    EXPECT_EQ(engine_urls(),
              (QStringList{"udp://127.0.0.1:1/announce", "http://127.0.0.1:2/announce"}));
    EXPECT_EQ(pane.tracker_table()->rowCount(), 2);

    // Refused with a sentence, and nothing changes.
    auto refused = pane.add_trackers("ftp://127.0.0.1/announce");
    EXPECT_FALSE(refused);
    EXPECT_TRUE(pane.tracker_error().contains("not a tracker URL"))
        << pane.tracker_error().toStdString();
    EXPECT_FALSE(pane.add_trackers("udp://127.0.0.1:1/announce"));  // a duplicate
    EXPECT_EQ(engine_urls().size(), 2);

    ASSERT_TRUE(pane.edit_tracker(0, "udp://127.0.0.1:3/announce"));
    EXPECT_EQ(engine_urls(),
              (QStringList{"udp://127.0.0.1:3/announce", "http://127.0.0.1:2/announce"}));
    EXPECT_TRUE(pane.tracker_error().isEmpty());

    ASSERT_TRUE(pane.remove_trackers({1}));
    EXPECT_EQ(engine_urls(), QStringList{"udp://127.0.0.1:3/announce"});
    EXPECT_EQ(pane.tracker_table()->rowCount(), 1);

    // Reannounce: the tracker is asked (it is a closed port: the status says it failed).
    FailingTracker tracker("go away");
    ASSERT_TRUE(pane.add_trackers(tracker.url()));
    ASSERT_TRUE(pane.reannounce({}));
    ASSERT_TRUE(pump_until([&] { return tracker.announces > 0; }, 20s));
    int const before = tracker.announces;
    ASSERT_TRUE(pane.reannounce({1}));
    EXPECT_TRUE(pump_until([&] { return tracker.announces > before; }, 20s))
        << "a second reannounce did not reach the tracker";

    // The edits are in the resume data: a restarted session has the same trackers (libtorrent
    // may list the ones of a tier in another order: BEP 12 asks clients to shuffle a tier).
    auto urls = engine_urls();
    session_.reset();
    session_ = profile_->open();
    auto restarted = engine_urls();
    urls.sort();
    restarted.sort();
    EXPECT_EQ(restarted, urls);
}

TEST_F(TrackersTab, ALongTrackerMessageIsShownWhole) {
    QByteArray reason =
        "This tracker has moved for good. Announce to https://tracker.example.org/announce "
        "instead, and see https://example.org/notice for why: registered users only, ";
    while (reason.size() < 400) reason += "and the rest of a long explanation ";
    reason += "THE END";
    FailingTracker tracker(reason);
    DetailsPane pane(*session_);
    pane.resize(700, 400);
    pane.show();
    pane.set_torrent(made_.id);
    pane.setCurrentIndex(2);  // Trackers
    ASSERT_TRUE(pane.add_trackers(tracker.url()));
    ASSERT_TRUE(pump_until(
        [&] {
            pane.refresh_trackers();
            auto const rows = session_->trackers(made_.id);
            return !rows.empty() && rows[0].status.contains("THE END");
        },
        20s))
        << "status: "
        << (session_->trackers(made_.id).empty()
                ? std::string()
                : session_->trackers(made_.id)[0].status.toStdString());
    QCoreApplication::processEvents();
    auto* table = pane.tracker_table();
    auto* cell = table->item(0, 2);
    ASSERT_TRUE(cell);
    // The whole message: in the cell, as its tooltip, and the row is tall enough to show it.
    EXPECT_TRUE(cell->text().contains(QString::fromLatin1(reason)));
    EXPECT_EQ(cell->toolTip(), cell->text());
    int const width = table->columnWidth(2);
    QRect const needed =
        QFontMetrics(table->font())
            .boundingRect(QRect(0, 0, width - 8, 100'000), Qt::TextWordWrap, cell->text());
    EXPECT_GE(table->rowHeight(0), needed.height())
        << "column " << width << " px wide, row " << table->rowHeight(0) << " px, text needs "
        << needed.height();
    EXPECT_EQ(table->textElideMode(), Qt::ElideNone);
    EXPECT_TRUE(table->wordWrap());
}

}  // namespace
}  // namespace lanetorrent::ui
