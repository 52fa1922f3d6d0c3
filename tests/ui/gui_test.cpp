// The main window and its dialogs under QT_QPA_PLATFORM=offscreen: the lane picker's price
// arithmetic on its own, then real widgets over a real Session (loopback libtorrent, its own
// profile) and real .torrent files.
#include <gtest/gtest.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QUrl>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "base/file_list_model.hpp"
#include "base/price_estimate.hpp"
#include "base/torrent_list_model.hpp"
#include "base/wallet_service.hpp"
#include "base_test_support.hpp"
#include "engine/settings.hpp"
#include "gui/add_torrent_dialog.hpp"
#include "gui/details_pane.hpp"
#include "gui/lane_picker.hpp"
#include "gui/main_window.hpp"
#include "gui/settings_dialog.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::ui {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using lanes::Lane;
using lanetorrent::test::TempDir;
using test::becomes_seed;
using test::make_torrent;
using test::pump_until;
using test::TestProfile;

constexpr lanes::Units btt = 1'000'000;  // base units per BTT (6 decimals)
constexpr std::int64_t gib = lanes::bytes_per_gib;

// ---- price estimates: pure arithmetic ----

TEST(PriceEstimate, CostIsSizeTimesPricePerGibRoundedDown) {
    LanePrices const prices{0, 100 * btt, 300 * btt};
    lanes::Caps const caps{1000 * btt, 0, 0};
    auto const e = estimate_lanes(2 * gib, prices, caps);
    EXPECT_EQ(e[0].cost, 0);
    EXPECT_EQ(e[1].cost, 200 * btt);
    EXPECT_EQ(e[2].cost, 600 * btt);
    EXPECT_EQ(estimate_lane(Lane::medium, gib + gib / 2, prices, caps).cost, 150 * btt);
    // 1 byte at 100 BTT/GiB is 0.093 units: the payer never owes a fraction.
    EXPECT_EQ(estimate_lane(Lane::medium, 1, prices, caps).cost, 0);
    EXPECT_EQ(estimate_lane(Lane::medium, 11, prices, caps).cost, 1);
    // Unknown size (a magnet): a price per GiB but no cost.
    auto const magnet = estimate_lane(Lane::fast, 0, prices, caps);
    EXPECT_FALSE(magnet.cost.has_value());
    EXPECT_EQ(magnet.price_per_gib, 300 * btt);
}

TEST(PriceEstimate, OffersReplaceTheDefaultsAndSlowStaysFree) {
    EXPECT_EQ(lane_prices(std::nullopt, 100 * btt, 300 * btt),
              (LanePrices{0, 100 * btt, 300 * btt}));
    EXPECT_EQ(lane_prices(LanePrices{5, 40 * btt, 90 * btt}, 100 * btt, 300 * btt),
              (LanePrices{0, 40 * btt, 90 * btt}));
}

TEST(PriceEstimate, CapsFlagWhereALaneStops) {
    LanePrices const prices{0, 100 * btt, 300 * btt};
    // Price cap: fast asks more than we pay per GiB; a cap of 0 pays nobody.
    auto e = estimate_lanes(gib, prices, {200 * btt, 0, 0});
    EXPECT_TRUE(e[1].usable());
    EXPECT_FALSE(e[2].usable());
    EXPECT_FALSE(estimate_lane(Lane::medium, gib, prices, {0, 0, 0}).usable());
    EXPECT_TRUE(estimate_lane(Lane::slow, gib, prices, {0, 0, 0}).fully_covered());
    // A price equal to the cap is paid.
    EXPECT_TRUE(estimate_lane(Lane::fast, gib, prices, {300 * btt, 0, 0}).usable());
    // Per-torrent and per-day caps: usable, but not for the whole torrent.
    e = estimate_lanes(3 * gib, prices, {300 * btt, 500 * btt, 800 * btt});
    EXPECT_TRUE(e[1].fully_covered());  // 300 BTT
    EXPECT_TRUE(e[2].usable());         // 900 BTT
    EXPECT_TRUE(e[2].over_torrent_cap);
    EXPECT_TRUE(e[2].over_day_cap);
    EXPECT_FALSE(e[2].fully_covered());
    // Unknown size: only the price cap can be judged.
    auto const magnet = estimate_lane(Lane::fast, 0, prices, {300 * btt, 1, 1});
    EXPECT_TRUE(magnet.fully_covered());
}

// Formatting itself is base/format.hpp's (tests/base); the spin boxes' doubles go through its exact
// parser.
TEST(PriceEstimate, SpinBoxValuesBecomeBaseUnits) {
    EXPECT_EQ(units_from_btt(12.5), 12'500'000);
    EXPECT_EQ(units_from_btt(0.3), 300'000);
    EXPECT_EQ(units_from_btt(1e30), std::numeric_limits<lanes::Units>::max());
    EXPECT_EQ(units_from_btt(0.0000014), 1);
    EXPECT_EQ(units_from_btt(-3), 0);
    EXPECT_DOUBLE_EQ(btt_from_units(2'250'000), 2.25);
}

// ---- the lane picker widget ----

TEST(LanePickerTest, ShowsTheExpectedPriceOfEachLane) {
    LanePicker picker;
    picker.set_prices({0, 100 * btt, 300 * btt}, false);
    picker.set_caps({300 * btt, 0, 0});
    picker.set_size(2 * gib);
    auto* medium = picker.findChild<QRadioButton*>("lane_medium");
    auto* fast = picker.findChild<QRadioButton*>("lane_fast");
    ASSERT_TRUE(medium && fast);
    EXPECT_TRUE(picker.findChild<QRadioButton*>("lane_slow")->text().contains("free"));
    EXPECT_TRUE(medium->text().contains("200 BTT")) << medium->text().toStdString();
    EXPECT_TRUE(medium->text().contains("100 BTT/GiB")) << medium->text().toStdString();
    EXPECT_TRUE(fast->text().contains("600 BTT")) << fast->text().toStdString();
    EXPECT_TRUE(medium->isEnabled());
    EXPECT_TRUE(fast->isEnabled());

    // Offered prices replace the defaults and say so.
    picker.set_prices({0, 10 * btt, 20 * btt}, true);
    EXPECT_TRUE(medium->text().contains("20 BTT")) << medium->text().toStdString();
    EXPECT_TRUE(fast->text().contains("40 BTT")) << fast->text().toStdString();
}

TEST(LanePickerTest, DisablesALaneAboveThePriceCapAndFlagsOneOverTheTorrentCap) {
    LanePicker picker;
    picker.set_prices({0, 100 * btt, 300 * btt}, false);
    picker.set_size(2 * gib);
    picker.set_caps({150 * btt, 500 * btt, 0});
    auto* fast = picker.findChild<QRadioButton*>("lane_fast");
    EXPECT_FALSE(fast->isEnabled());
    EXPECT_FALSE(picker.lane_note(Lane::fast).isEmpty());
    EXPECT_TRUE(picker.lane_note(Lane::medium).isEmpty());
    picker.set_lane(Lane::fast);
    EXPECT_EQ(picker.lane(), Lane::slow);  // a disabled lane cannot be chosen

    // Raising the price cap in the picker itself re-enables fast, now flagged at 600 > 500 BTT.
    picker.set_lane(Lane::medium);
    EXPECT_EQ(picker.lane(), Lane::medium);
    picker.findChild<QDoubleSpinBox*>("max_price_per_gib")->setValue(400);
    EXPECT_TRUE(fast->isEnabled());
    EXPECT_TRUE(picker.lane_note(Lane::fast).contains("per-torrent cap"));
    picker.set_lane(Lane::fast);
    EXPECT_EQ(picker.lane(), Lane::fast);
    EXPECT_EQ(picker.caps().max_price_per_gib, 400 * btt);
    EXPECT_EQ(picker.caps().max_per_torrent, 500 * btt);

    // Lowering it again drops the chosen lane back to slow rather than keep an unpaid choice.
    picker.findChild<QDoubleSpinBox*>("max_price_per_gib")->setValue(50);
    EXPECT_EQ(picker.lane(), Lane::slow);
    EXPECT_FALSE(picker.lane_enabled(Lane::medium));
}

TEST(LanePickerTest, SaysWhenTheWalletIsLockedAndShowsTheBalance) {
    LanePicker picker;
    picker.set_prices({0, 100 * btt, 300 * btt}, false);
    picker.set_caps({300 * btt, 0, 0});
    picker.set_size(gib);
    picker.set_wallet(std::nullopt, false);
    EXPECT_TRUE(picker.wallet_text().contains("wallet locked", Qt::CaseInsensitive));
    picker.set_wallet(250 * btt, true);
    EXPECT_TRUE(picker.wallet_text().contains("250 BTT"));
    picker.set_lane(Lane::fast);  // 300 BTT > 250 BTT
    EXPECT_TRUE(picker.wallet_text().contains("Not enough"));
}

// ---- dialogs and the window over a real session ----

class GuiWithSession : public ::testing::Test {
  protected:
    void SetUp() override {
        profile_ = std::make_unique<TestProfile>(dir_.path());
        profile_->settings->set_close_to_tray(false);
        session_ = profile_->open();
        wallet_ = std::make_unique<WalletService>(profile_->profile, *profile_->settings);
    }
    void TearDown() override {
        wallet_.reset();
        session_.reset();
    }
    AppSettings& settings() { return *profile_->settings; }

    // A directory torrent of three files under dir/content/multi.
    fs::path make_multi_file_torrent() {
        fs::path const content = dir_.path() / "content" / "multi";
        fs::create_directories(content);
        lanetorrent::test::write_random_file(content / "a.bin", 40'000, 1);
        lanetorrent::test::write_random_file(content / "b.bin", 70'000, 2);
        lanetorrent::test::write_random_file(content / "c.bin", 20'000, 3);
        CreateOptions options;
        options.content = content;
        options.piece_size_kib = 16;
        auto created = create_torrent(options);
        EXPECT_TRUE(created) << (created ? "" : created.error());
        fs::path const file = dir_.path() / "multi.torrent";
        std::ofstream(file, std::ios::binary)
            .write(created->bytes.data(), static_cast<std::streamsize>(created->bytes.size()));
        return file;
    }

    TempDir dir_{"ui-gui"};
    std::unique_ptr<TestProfile> profile_;
    std::unique_ptr<Session> session_;
    std::unique_ptr<WalletService> wallet_;
};

TEST_F(GuiWithSession, AddDialogBuildsTheRequestFromARealTorrent) {
    fs::path const file = make_multi_file_torrent();
    QString const source = QString::fromStdString(file.string());
    auto description = AddTorrentDialog::describe_source(source);
    ASSERT_TRUE(description) << description.error();
    ASSERT_EQ(description->files.size(), 3u);

    settings().set_default_lane(Lane::medium);
    settings().set_caps({300 * btt, 0, 1000 * btt});
    AddTorrentDialog dialog(source, *description, *session_, *wallet_, settings(), std::nullopt);
    EXPECT_EQ(dialog.request().save_path, settings().default_save_path());
    EXPECT_EQ(dialog.lane_picker()->lane(), Lane::medium);

    int skipped = -1;
    for (std::size_t i = 0; i < description->files.size(); ++i) {
        if (description->files[i].path.ends_with("b.bin")) skipped = static_cast<int>(i);
    }
    ASSERT_GE(skipped, 0);
    dialog.set_file_wanted(skipped, false);
    dialog.set_save_path(QString::fromStdString((dir_.path() / "elsewhere").string()));
    dialog.set_start_paused(true);
    dialog.lane_picker()->set_lane(Lane::fast);

    AddRequest const request = dialog.request();
    EXPECT_EQ(request.source, source);
    EXPECT_EQ(request.save_path.toStdString(), (dir_.path() / "elsewhere").string());
    EXPECT_EQ(request.lane, Lane::fast);
    EXPECT_EQ(request.caps.max_price_per_gib, 300 * btt);
    EXPECT_EQ(request.caps.max_per_day, 1000 * btt);
    EXPECT_TRUE(request.paused);
    ASSERT_EQ(request.file_priorities.size(), 3u);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(request.file_priorities[static_cast<std::size_t>(i)], i == skipped ? 0 : 4);
    }
    // The price follows the selected bytes only: 60,000 of 130,000 bytes.
    auto const wanted = 40'000 + 20'000;
    EXPECT_EQ(dialog.lane_picker()->estimate(Lane::fast).cost, lanes::cost_of(wanted, 300 * btt));

    // And the session accepts it with those priorities.
    auto added = session_->add(request);
    ASSERT_TRUE(added) << added.error();
    auto const files = session_->files(*added);
    ASSERT_EQ(files.size(), 3u);
    for (auto const& f : files) EXPECT_EQ(f.priority, f.index == skipped ? 0 : 4);
}

TEST_F(GuiWithSession, AddDialogForAMagnetWaitsForTheFileList) {
    QString const magnet = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=x";
    auto description = AddTorrentDialog::describe_source(magnet);
    ASSERT_TRUE(description) << description.error();
    AddTorrentDialog dialog(magnet, *description, *session_, *wallet_, settings(), std::nullopt);
    EXPECT_TRUE(dialog.request().file_priorities.empty());
    EXPECT_FALSE(dialog.lane_picker()->estimate(Lane::medium).cost.has_value());
    EXPECT_FALSE(AddTorrentDialog::describe_source("/nonexistent/file.torrent"));
}

// Every key press does one thing: no two actions share a shortcut, no two menus a mnemonic, and
// no shortcut is Alt plus a menu's mnemonic (Alt+O for the settings once opened the Tools menu).
TEST_F(GuiWithSession, KeyboardShortcutsAndMenuMnemonicsNeverClash) {
    MainWindow window(*session_, *wallet_, settings());
    std::map<QString, QString> taken;  // key sequence -> what it does
    auto const claim = [&](QKeySequence const& keys, QString const& what) {
        if (keys.isEmpty()) return;
        auto const text = keys.toString(QKeySequence::PortableText);
        auto const [it, fresh] = taken.emplace(text, what);
        EXPECT_TRUE(fresh) << text.toStdString() << " is both \"" << it->second.toStdString()
                           << "\" and \"" << what.toStdString() << "\"";
    };
    for (auto* menu : window.menuBar()->findChildren<QMenu*>(Qt::FindDirectChildrenOnly)) {
        auto const title = menu->title();
        auto const at = title.indexOf(QLatin1Char('&'));
        if (at >= 0 && at + 1 < title.size()) {
            claim(QKeySequence(QStringLiteral("Alt+") + title.at(at + 1).toUpper()), title);
        }
    }
    std::set<QAction*> seen;
    for (auto* action : window.findChildren<QAction*>()) {
        if (!seen.insert(action).second) continue;
        for (auto const& keys : action->shortcuts()) claim(keys, action->text());
    }
    EXPECT_GE(taken.size(), 10u);
}

// What qBittorrent users reach for first: a torrent's own speed limits and moving its files.
TEST_F(GuiWithSession, PerTorrentLimitsAndMoveStorage) {
    namespace fs = std::filesystem;
    fs::create_directories(dir_.path() / "first");
    auto const made = make_torrent(dir_.path() / "first", "movie.bin", 300'000, 9);
    settings().set_default_save_path(QString::fromStdString((dir_.path() / "first").string()));
    MainWindow window(*session_, *wallet_, settings());
    window.addSource(QString::fromStdString(made.torrent_file.string()), true);
    ASSERT_TRUE(becomes_seed(*session_, made.id));
    window.select_torrent(made.id);

    ASSERT_TRUE(window.set_selected_limits(50 * 1024, 200 * 1024));
    EXPECT_EQ(session_->torrent_limits(made.id), (std::pair{50 * 1024, 200 * 1024}));
    EXPECT_FALSE(window.set_selected_limits(-1, 0));
    ASSERT_TRUE(window.set_selected_limits(0, 0));
    EXPECT_EQ(session_->torrent_limits(made.id), (std::pair{0, 0}));

    // A move: the file is in the new folder, gone from the old one, and the list follows.
    auto const second = dir_.path() / "second";
    ASSERT_TRUE(window.move_selected(QString::fromStdString(second.string())));
    ASSERT_TRUE(pump_until(
        [&] {
            return session_->row(made.id)->save_path == QString::fromStdString(second.string());
        },
        20s))
        << session_->row(made.id)->save_path.toStdString();
    EXPECT_TRUE(fs::exists(second / "movie.bin"));
    EXPECT_FALSE(fs::exists(dir_.path() / "first" / "movie.bin"));

    // Onto a folder that has a file of that name: refused, nothing overwritten, nothing moved.
    auto const third = dir_.path() / "third";
    fs::create_directories(third);
    std::ofstream(third / "movie.bin") << "the user's own file";
    QSignalSpy warned(session_.get(), &Session::warning);
    ASSERT_TRUE(window.move_selected(QString::fromStdString(third.string())));
    ASSERT_TRUE(pump_until([&] { return warned.count() > 0; }, 20s));
    EXPECT_TRUE(warned.last().at(0).toString().contains("cannot move"))
        << warned.last().at(0).toString().toStdString();
    EXPECT_EQ(fs::file_size(third / "movie.bin"), std::string("the user's own file").size());
    EXPECT_TRUE(fs::exists(second / "movie.bin"));
    EXPECT_FALSE(window.move_selected(QStringLiteral("relative/path")));
}

// Without an icon theme (a bare window manager, this offscreen test) every toolbar button still
// has a picture: the bundled SVGs stand in for the freedesktop names.
TEST_F(GuiWithSession, ToolbarIconsFallBackToTheBundledOnes) {
    auto const theme = QIcon::themeName();
    QIcon::setThemeName(QStringLiteral("no-such-theme"));
    MainWindow window(*session_, *wallet_, settings());
    auto* toolbar = window.findChild<QToolBar*>(QStringLiteral("main_toolbar"));
    ASSERT_NE(toolbar, nullptr);
    int with_icons = 0;
    for (auto* action : toolbar->actions()) {
        if (action->isSeparator()) continue;
        EXPECT_FALSE(action->icon().pixmap(24, 24).isNull()) << action->text().toStdString();
        ++with_icons;
    }
    EXPECT_GE(with_icons, 7);
    QIcon::setThemeName(theme);
}

TEST_F(GuiWithSession, MainWindowListsAnAddedTorrentAndRemovesItAfterConfirmation) {
    auto const made = make_torrent(dir_.path(), "seeded.bin", 100'000, 7);
    settings().set_default_save_path(QString::fromStdString(dir_.path().string()));
    MainWindow window(*session_, *wallet_, settings());
    window.addSource(QString::fromStdString(made.torrent_file.string()), true);
    auto* model = window.torrent_model();
    ASSERT_TRUE(pump_until([&] { return model->rowCount() == 1; }, 30s));
    EXPECT_EQ(model->index(0, TorrentListModel::name).data().toString(), "seeded.bin");
    EXPECT_EQ(window.torrent_view()->model()->rowCount(), 1);
    // The content is already there: it checks and seeds.
    ASSERT_TRUE(becomes_seed(*session_, made.id));

    // Selecting it fills the details pane.
    window.select_torrent(made.id);
    ASSERT_EQ(window.selected_ids(), std::vector<TorrentId>{made.id});
    ASSERT_TRUE(pump_until([&] { return window.details()->file_model()->rowCount() == 1; }, 10s));
    EXPECT_EQ(window.details()->file_model()->file(0).path.toStdString(), "seeded.bin");

    // The context menu's lane choice goes to the session and shows in the list.
    window.setSelectedLane(Lane::medium);
    EXPECT_EQ(session_->row(made.id)->lane, Lane::medium);
    EXPECT_EQ(model->index(0, TorrentListModel::lane).data().toString(), lane_text(Lane::medium));

    // The search box filters the list.
    window.findChild<QLineEdit*>("search")->setText("nothing like it");
    EXPECT_EQ(window.torrent_view()->model()->rowCount(), 0);
    window.findChild<QLineEdit*>("search")->clear();
    EXPECT_EQ(window.torrent_view()->model()->rowCount(), 1);
    window.select_torrent(made.id);

    // Cancelling the confirmation keeps it.
    auto answer = [](bool remove, bool delete_files) {
        QTimer::singleShot(0, [=] {
            for (auto* widget : QApplication::topLevelWidgets()) {
                auto* box = qobject_cast<QMessageBox*>(widget);
                if (!box || box->objectName() != "confirm_remove" || !box->isVisible()) continue;
                box->findChild<QCheckBox*>("delete_files")->setChecked(delete_files);
                box->button(remove ? QMessageBox::Yes : QMessageBox::Cancel)->click();
            }
        });
    };
    ASSERT_TRUE(session_->row(made.id).has_value());
    ASSERT_EQ(window.selected_ids(), std::vector<TorrentId>{made.id});
    answer(false, true);
    window.removeSelected();
    EXPECT_TRUE(session_->row(made.id).has_value());
    EXPECT_TRUE(fs::exists(made.content));

    // Confirming with "also delete the downloaded files" removes it and its data.
    answer(true, true);
    window.removeSelected();
    ASSERT_TRUE(pump_until([&] { return model->rowCount() == 0; }, 30s));
    EXPECT_FALSE(session_->row(made.id).has_value());
    EXPECT_TRUE(pump_until([&] { return !fs::exists(made.content); }, 30s));
    EXPECT_TRUE(fs::exists(made.torrent_file));
}

TEST_F(GuiWithSession, AddingThroughTheDialogAddsWhatItSays) {
    fs::path const file = make_multi_file_torrent();
    MainWindow window(*session_, *wallet_, settings());
    window.addSource(QString::fromStdString(file.string()), false);
    auto* dialog = window.findChild<AddTorrentDialog*>();
    ASSERT_NE(dialog, nullptr);
    EXPECT_TRUE(dialog->isVisible());
    EXPECT_EQ(window.torrent_model()->rowCount(), 0);  // nothing until the user says Add
    TorrentId const id = dialog->description().id;
    dialog->set_start_paused(true);
    dialog->accept();
    ASSERT_TRUE(pump_until([&] { return window.torrent_model()->rowCount() == 1; }, 30s));
    EXPECT_EQ(window.selected_ids(), std::vector<TorrentId>{id});
    ASSERT_TRUE(pump_until(
        [&] {
            auto row = session_->row(id);
            return row && row->state == TorrentState::paused;
        },
        30s));

    // A file that is not a torrent says why, without blocking the window.
    fs::path const junk = dir_.path() / "junk.torrent";
    std::ofstream(junk) << "not bencoded";
    window.addSource(QString::fromStdString(junk.string()), false);
    auto* error = window.findChild<QMessageBox*>("error_box");
    ASSERT_NE(error, nullptr);
    EXPECT_FALSE(error->text().isEmpty());
    EXPECT_EQ(window.torrent_model()->rowCount(), 1);
}

TEST_F(GuiWithSession, DetailsPaneChangesFilePriorities) {
    fs::path const file = make_multi_file_torrent();
    AddRequest request;
    request.source = QString::fromStdString(file.string());
    request.save_path = QString::fromStdString((dir_.path() / "downloads").string());
    request.paused = true;
    auto added = session_->add(request);
    ASSERT_TRUE(added) << added.error();

    DetailsPane pane(*session_);
    pane.set_torrent(*added);
    ASSERT_TRUE(pump_until([&] { return pane.file_model()->rowCount() == 3; }, 10s));
    pane.set_priority({1}, static_cast<int>(FilePriority::skip));
    pane.set_priority({2}, static_cast<int>(FilePriority::high));
    auto const files = session_->files(*added);
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0].priority, 4);
    EXPECT_EQ(files[1].priority, 0);
    EXPECT_EQ(files[2].priority, 7);
    EXPECT_EQ(pane.file_model()->index(1, FileListModel::priority).data().toString(), "Skip");
    EXPECT_EQ(pane.file_model()->index(2, FileListModel::priority).data().toString(), "High");
}

TEST_F(GuiWithSession, ClosingWithTheTrayAsksTheAppInsteadOfClosing) {
    MainWindow window(*session_, *wallet_, settings());
    window.show();
    QSignalSpy close_requested(&window, &MainWindow::closeRequested);
    QSignalSpy quit_requested(&window, &MainWindow::quitRequested);
    settings().set_close_to_tray(true);
    EXPECT_FALSE(window.close());  // the event was ignored
    EXPECT_EQ(close_requested.count(), 1);
    EXPECT_TRUE(window.isVisible());
    settings().set_close_to_tray(false);
    EXPECT_TRUE(window.close());
    EXPECT_EQ(quit_requested.count(), 1);
}

TEST(MainWindowDrop, AcceptsTorrentFilesAndMagnetLinksOnly) {
    QMimeData files;
    files.setUrls({QUrl::fromLocalFile("/tmp/a.torrent"), QUrl::fromLocalFile("/tmp/notes.txt"),
                   QUrl::fromLocalFile("/tmp/B.TORRENT"),
                   QUrl("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567")});
    QStringList const sources = MainWindow::dropped_sources(&files);
    ASSERT_EQ(sources.size(), 3);
    EXPECT_EQ(sources[0], "/tmp/a.torrent");
    EXPECT_EQ(sources[1], "/tmp/B.TORRENT");
    EXPECT_TRUE(sources[2].startsWith("magnet:?xt=urn:btih:0123"));

    QMimeData text;
    text.setText("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567\nhello\n");
    EXPECT_EQ(MainWindow::dropped_sources(&text).size(), 1);
    QMimeData junk;
    junk.setText("just some words");
    EXPECT_TRUE(MainWindow::dropped_sources(&junk).isEmpty());
}

TEST_F(GuiWithSession, SettingsDialogRoundTripsIntoAppSettings) {
    {
        SettingsDialog dialog(settings(), session_.get());
        // The pages start from the stored values.
        EXPECT_DOUBLE_EQ(dialog.findChild<QDoubleSpinBox*>("price_medium")->value(), 100.0);
        EXPECT_EQ(dialog.findChild<QSpinBox*>("share_fast")->value(), 60);

        dialog.findChild<QCheckBox*>("sell_lanes")->setChecked(true);
        dialog.findChild<QDoubleSpinBox*>("price_medium")->setValue(12.5);
        dialog.findChild<QDoubleSpinBox*>("price_fast")->setValue(40);
        dialog.findChild<QSpinBox*>("share_slow")->setValue(20);
        dialog.findChild<QSpinBox*>("share_medium")->setValue(30);
        dialog.findChild<QSpinBox*>("share_fast")->setValue(50);
        dialog.findChild<QComboBox*>("default_lane")->setCurrentIndex(2);
        dialog.findChild<QDoubleSpinBox*>("cap_price")->setValue(45);
        dialog.findChild<QDoubleSpinBox*>("cap_torrent")->setValue(0);
        dialog.findChild<QDoubleSpinBox*>("cap_day")->setValue(99.25);
        dialog.findChild<QLineEdit*>("listen_interfaces")->setText("127.0.0.9:7001");
        dialog.findChild<QSpinBox*>("upload_limit")->setValue(512);
        dialog.findChild<QSpinBox*>("download_limit")->setValue(2048);
        dialog.findChild<QLineEdit*>("default_save_path")->setText("/srv/downloads");
        dialog.findChild<QCheckBox*>("close_to_tray")->setChecked(false);
        dialog.findChild<QCheckBox*>("seed_24_7")->setChecked(false);
        dialog.findChild<QCheckBox*>("autostart")->setChecked(true);
        dialog.findChild<QCheckBox*>("skip_add_dialog")->setChecked(true);
        dialog.findChild<QCheckBox*>("notifications")->setChecked(false);
        QSignalSpy applied(&dialog, &SettingsDialog::applied);
        dialog.apply();
        EXPECT_EQ(applied.count(), 1);
    }
    // A fresh reader of the same ini file sees every value.
    AppSettings reread(profile_->profile);
    EXPECT_TRUE(reread.sell_lanes());
    EXPECT_EQ(reread.price_medium(), 12'500'000);
    EXPECT_EQ(reread.price_fast(), 40 * btt);
    EXPECT_EQ(reread.shares().permille, (std::array<int, 3>{200, 300, 500}));
    EXPECT_EQ(reread.default_lane(), Lane::fast);
    EXPECT_EQ(reread.caps().max_price_per_gib, 45 * btt);
    EXPECT_EQ(reread.caps().max_per_torrent, 0);
    EXPECT_EQ(reread.caps().max_per_day, 99'250'000);
    EXPECT_EQ(reread.listen_interfaces(), "127.0.0.9:7001");
    EXPECT_EQ(reread.upload_limit_kib(), 512);
    EXPECT_EQ(reread.download_limit_kib(), 2048);
    EXPECT_EQ(reread.default_save_path(), "/srv/downloads");
    EXPECT_FALSE(reread.close_to_tray());
    EXPECT_FALSE(reread.seed_24_7());
    EXPECT_TRUE(reread.autostart());
    EXPECT_TRUE(reread.skip_add_dialog());
    EXPECT_FALSE(reread.notifications());

    // Reopened, the dialog shows what was saved.
    SettingsDialog again(reread, nullptr);
    EXPECT_DOUBLE_EQ(again.findChild<QDoubleSpinBox*>("cap_day")->value(), 99.25);
    EXPECT_EQ(again.findChild<QComboBox*>("default_lane")->currentIndex(), 2);
}

// Discovery, encryption and the proxy: from the dialog through the ini file into the settings
// libtorrent is given.
TEST_F(GuiWithSession, NetworkSettingsReachTheEngine) {
    {
        SettingsDialog dialog(settings(), nullptr);
        EXPECT_TRUE(dialog.findChild<QCheckBox*>("dht")->isChecked());
        EXPECT_FALSE(dialog.findChild<QLineEdit*>("proxy_host")->isEnabled());
        dialog.findChild<QCheckBox*>("dht")->setChecked(false);
        dialog.findChild<QCheckBox*>("lsd")->setChecked(false);
        auto* encryption = dialog.findChild<QComboBox*>("encryption");
        encryption->setCurrentIndex(encryption->findData("require"));
        auto* proxy = dialog.findChild<QComboBox*>("proxy_type");
        proxy->setCurrentIndex(proxy->findData("socks5"));
        EXPECT_TRUE(dialog.findChild<QLineEdit*>("proxy_host")->isEnabled());
        dialog.findChild<QLineEdit*>("proxy_host")->setText("  proxy.example.org ");
        dialog.findChild<QSpinBox*>("proxy_port")->setValue(9050);
        dialog.findChild<QLineEdit*>("listen_interfaces")->setText("0.0.0.0:6881");
        dialog.apply();
    }
    AppSettings reread(profile_->profile);
    auto const network = reread.network();
    EXPECT_FALSE(network.dht);
    EXPECT_TRUE(network.pex);
    EXPECT_FALSE(network.lsd);
    EXPECT_EQ(network.encryption, "require");
    EXPECT_EQ(network.proxy_host, "proxy.example.org");

    auto const pack = to_settings_pack(engine_settings(reread));
    EXPECT_FALSE(pack.get_bool(lt::settings_pack::enable_dht));
    EXPECT_FALSE(pack.get_bool(lt::settings_pack::enable_lsd));
    EXPECT_EQ(pack.get_int(lt::settings_pack::out_enc_policy), lt::settings_pack::pe_forced);
    EXPECT_EQ(pack.get_int(lt::settings_pack::in_enc_policy), lt::settings_pack::pe_forced);
    EXPECT_EQ(pack.get_int(lt::settings_pack::proxy_type), lt::settings_pack::socks5);
    EXPECT_EQ(pack.get_str(lt::settings_pack::proxy_hostname), "proxy.example.org");
    EXPECT_EQ(pack.get_int(lt::settings_pack::proxy_port), 9050);
    EXPECT_TRUE(pack.get_bool(lt::settings_pack::proxy_peer_connections));

    // Garbage in the file is not used: the defaults stand.
    reread.raw().setValue("network/encryption", "rot13");
    reread.raw().setValue("network/proxy_port", 70000);
    EXPECT_EQ(reread.network().encryption, "prefer");
    EXPECT_EQ(reread.network().proxy_port, 1080);
    // A loopback profile keeps discovery off whatever the settings say.
    reread.set_listen_interfaces("127.0.0.9:7001");
    reread.raw().setValue("network/dht", true);
    EXPECT_FALSE(to_settings_pack(engine_settings(reread)).get_bool(lt::settings_pack::enable_dht));
}

}  // namespace
}  // namespace lanetorrent::ui
