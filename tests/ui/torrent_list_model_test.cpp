// TorrentListModel and TorrentFilterModel over a real Session: 1,000 torrents refresh with
// dataChanged for the changed rows only (never a reset), and the proxy filters and sorts by raw
// values.
#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <set>

#include "base/file_list_model.hpp"
#include "base/peer_list_model.hpp"
#include "base/torrent_filter_model.hpp"
#include "base/torrent_list_model.hpp"
#include "base_test_support.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::ui {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using lanetorrent::test::TempDir;
using test::make_torrent;
using test::pump_for;
using test::pump_until;
using test::TestProfile;

AddRequest request_for(test::MadeTorrent const& made, fs::path const& save, bool paused) {
    AddRequest request;
    request.source = QString::fromStdString(made.torrent_file.string());
    request.save_path = QString::fromStdString(save.string());
    request.paused = paused;
    return request;
}

TEST(TorrentListModelTest, AThousandTorrentsUpdateOnlyTheRowsThatChange) {
    TempDir dir("ui-model");
    TestProfile profile(dir.path() / "profile");
    auto session = profile.open();
    TorrentListModel model(*session);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    constexpr int count = 1000;
    auto const content = dir.subdir("content");
    auto const empty_save = dir.subdir("save");
    std::vector<TorrentId> ids;
    for (int i = 0; i < count; ++i) {
        auto const made = make_torrent(content, "file-" + std::to_string(i) + ".bin",
                                       1024 + static_cast<std::uint64_t>(i), 100 + i);
        auto added = session->add(request_for(made, empty_save, true));
        ASSERT_TRUE(added) << added.error();
        ids.push_back(added.value());
    }
    EXPECT_EQ(model.rowCount(), count);
    EXPECT_EQ(inserted.count(), count);
    EXPECT_EQ(model.index(7, TorrentListModel::name).data().toString(), "file-7.bin");
    EXPECT_EQ(model.index(7, TorrentListModel::size).data(TorrentListModel::SortRole).toLongLong(),
              1024 + 7);
    // Let every torrent settle into "paused".
    ASSERT_TRUE(pump_until([&] {
        for (int row = 0; row < count; ++row) {
            if (model.torrent_at(row).state != TorrentState::paused) return false;
        }
        return true;
    }));
    pump_for(1500ms);

    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layout(&model, &QAbstractItemModel::layoutChanged);
    QSignalSpy updated(session.get(), &Session::torrentsUpdated);
    // Nothing moves: a few refreshes, no signals.
    ASSERT_TRUE(pump_until([&] { return updated.count() >= 2; }, 10s));
    EXPECT_EQ(changed.count(), 0);

    std::set<int> const resumed{10, 500, 999};
    for (int row : resumed) ASSERT_TRUE(session->resume(ids[static_cast<std::size_t>(row)]));
    ASSERT_TRUE(pump_until([&] {
        for (int row : resumed) {
            if (model.index(row, TorrentListModel::state).data(TorrentListModel::StateRole) ==
                static_cast<int>(TorrentState::paused)) {
                return false;
            }
        }
        return true;
    }));
    pump_for(2500ms);
    ASSERT_GT(changed.count(), 0);
    std::set<int> touched;
    for (auto const& signal : changed) {
        auto const top_left = signal.at(0).value<QModelIndex>();
        auto const bottom_right = signal.at(1).value<QModelIndex>();
        for (int row = top_left.row(); row <= bottom_right.row(); ++row) touched.insert(row);
    }
    EXPECT_EQ(touched, resumed);
    EXPECT_EQ(reset.count(), 0);
    EXPECT_EQ(layout.count(), 0);

    // A removal removes exactly its row; the rest keep their places.
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    ASSERT_TRUE(session->remove(ids[500], RemoveData::keep));
    ASSERT_EQ(removed.count(), 1);
    EXPECT_EQ(removed.at(0).at(1).toInt(), 500);
    EXPECT_EQ(removed.at(0).at(2).toInt(), 500);
    EXPECT_EQ(model.rowCount(), count - 1);
    EXPECT_EQ(model.row_of(QString::fromStdString(ids[501])), 500);
    EXPECT_EQ(model.index(500, TorrentListModel::name).data().toString(), "file-501.bin");
    EXPECT_EQ(reset.count(), 0);
}

// The figures follow base/format.hpp's one rule (tests/base); the cells add only when to stay
// empty.
TEST(TorrentListModelTest, FormatsFiguresForPeople) {
    EXPECT_EQ(rate_cell(0), "");
    EXPECT_EQ(rate_cell(2048), "2.0 KiB/s");
    EXPECT_EQ(rate_cell(300LL * 1024 * 1024), "300.0 MiB/s");
    EXPECT_EQ(amount_cell(0), "");
    EXPECT_EQ(amount_cell(1'500'000), "1.5 BTT");
    EXPECT_EQ(amount_cell(4'895'712'281), "4,895.712281 BTT");
    EXPECT_EQ(amount_cell(1), "0.000001 BTT");
    EXPECT_EQ(eta_cell(std::nullopt), "∞");
    EXPECT_EQ(eta_cell(0), "");
    EXPECT_EQ(eta_cell(3725), "1 h 02 min");
    EXPECT_EQ(eta_cell(59), "59 s");
}

TEST(TorrentFilterModelTest, FiltersByStateAndNameAndSortsByRawValues) {
    TempDir dir("ui-filter");
    TestProfile profile(dir.path() / "profile");
    auto session = profile.open();
    TorrentListModel model(*session);
    TorrentFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::Fatal);

    auto const content = dir.subdir("content");
    auto const alpha = make_torrent(content, "alpha.bin", 10 * 1024, 1);
    auto const beta = make_torrent(content, "beta.bin", 900 * 1024, 2);
    auto const gamma = make_torrent(content, "gamma.bin", 2 * 1024 * 1024, 3);
    for (auto const* made : {&alpha, &beta, &gamma}) {
        ASSERT_TRUE(session->add(request_for(*made, content, false)));
    }
    auto const other = make_torrent(dir.subdir("elsewhere"), "delta.bin", 4096, 4);
    AddRequest magnet;
    magnet.source = QString::fromStdString("magnet:?xt=urn:btih:" + other.id + "&dn=delta.bin");
    ASSERT_TRUE(session->add(magnet));
    ASSERT_TRUE(pump_until([&] {
        return session->row(alpha.id)->state == TorrentState::seeding &&
               session->row(beta.id)->state == TorrentState::seeding &&
               session->row(gamma.id)->state == TorrentState::seeding;
    }));
    ASSERT_TRUE(session->pause(gamma.id));
    ASSERT_TRUE(pump_until([&] {
        return model.torrent_at(model.row_of(QString::fromStdString(gamma.id))).state ==
               TorrentState::paused;
    }));

    auto names = [&] {
        std::vector<std::string> out;
        for (int row = 0; row < filter.rowCount(); ++row) {
            out.push_back(
                filter.index(row, TorrentListModel::name).data().toString().toStdString());
        }
        return out;
    };
    using Names = std::vector<std::string>;
    EXPECT_EQ(filter.rowCount(), 4);
    filter.set_state_filter(TorrentFilterModel::StateFilter::seeding);
    EXPECT_EQ(names(), (Names{"alpha.bin", "beta.bin"}));
    filter.set_state_filter(TorrentFilterModel::StateFilter::paused);
    EXPECT_EQ(names(), (Names{"gamma.bin"}));
    filter.set_state_filter(TorrentFilterModel::StateFilter::downloading);
    EXPECT_EQ(names(), (Names{"delta.bin"}));
    filter.set_state_filter(TorrentFilterModel::StateFilter::error);
    EXPECT_EQ(filter.rowCount(), 0);

    filter.set_state_filter(TorrentFilterModel::StateFilter::all);
    filter.set_name_filter("ET");
    EXPECT_EQ(names(), (Names{"beta.bin"}));
    filter.set_name_filter({});

    // By size, largest first: 2 MiB must come before 900 KiB (text order would not).
    filter.sort(TorrentListModel::size, Qt::DescendingOrder);
    EXPECT_EQ(names(), (Names{"gamma.bin", "beta.bin", "alpha.bin", "delta.bin"}));
    filter.sort(TorrentListModel::name, Qt::AscendingOrder);
    EXPECT_EQ(names(), (Names{"alpha.bin", "beta.bin", "delta.bin", "gamma.bin"}));
    // The sort holds while rows update (dynamic sort) and when one is removed.
    ASSERT_TRUE(session->remove(beta.id, RemoveData::keep));
    EXPECT_EQ(names(), (Names{"alpha.bin", "delta.bin", "gamma.bin"}));
}

// A magnet's dn, a file's path and a peer's client are other people's text: the views show
// control characters and bidi overrides escaped, while sorting and filtering see the original.
TEST(ModelTextTest, ControlCharactersInNamesPathsAndClientsAreShownEscaped) {
    TempDir dir("ui-model-text");
    TestProfile profile(dir.path() / "profile");
    auto session = profile.open();
    TorrentListModel model(*session);
    AddRequest request;
    request.source = QStringLiteral(
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a"
        "&dn=%1B%5D0%3Bowned%07photo%E2%80%AEgpj.exe");
    request.save_path = QString::fromStdString(dir.subdir("save").string());
    request.paused = true;
    auto added = session->add(request);
    ASSERT_TRUE(added) << added.error();
    ASSERT_EQ(model.rowCount(), 1);
    auto const name = model.index(0, TorrentListModel::name);
    EXPECT_EQ(name.data().toString(), QStringLiteral("\\x1B]0;owned\\x07photo\\u202Egpj.exe"));
    EXPECT_EQ(name.data(TorrentListModel::SortRole).toString(),
              QString::fromUtf8("\x1b]0;owned\x07photo\u202egpj.exe"));

    FileListModel files;
    FileRow file;
    file.path = QString::fromUtf8("dir/evil\nname\x1b[2J.txt");
    files.set_files({file});
    EXPECT_EQ(files.index(0, FileListModel::path).data().toString(),
              QStringLiteral("dir/evil\\x0Aname\\x1B[2J.txt"));

    PeerListModel peers;
    lanes::PeerLane peer;
    peer.endpoint = "127.0.0.1:6881";
    peer.client =
        "Tixati\x9b"
        "2J";  // a C1 byte that is not UTF-8 on its own
    peers.set_peers({peer});
    EXPECT_EQ(peers.index(0, PeerListModel::client).data().toString(),
              QString::fromUtf8("Tixati\xEF\xBF\xBD"
                                "2J"));
}

}  // namespace
}  // namespace lanetorrent::ui
