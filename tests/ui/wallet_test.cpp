// The wallet in the desktop app: WalletService against a real in-process devnet on its own
// loopback address and a real keystore in a temporary profile, and the wallet widgets under
// QT_QPA_PLATFORM=offscreen.
#include <gtest/gtest.h>

#include <QBarSeries>
#include <QBarSet>
#include <QElapsedTimer>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTableView>
#include <memory>
#include <thread>

#include "base/app_settings.hpp"
#include "base/wallet_history.hpp"
#include "base/wallet_service.hpp"
#include "base_test_support.hpp"
#include "devnet_fixture.hpp"
#include "gui/earnings_chart.hpp"
#include "gui/keystore_dialog.hpp"
#include "gui/main_window.hpp"
#include "gui/node_settings_widget.hpp"
#include "gui/qr_code_widget.hpp"
#include "gui/send_dialog.hpp"
#include "gui/wallet_page.hpp"
#include "lanes/ledger.hpp"
#include "net.hpp"
#include "tcp_proxy.hpp"
#include "temp_dir.hpp"
#include "tron/client.hpp"
#include "tron/clock.hpp"
#include "wallet/node_probe.hpp"

namespace lanetorrent::ui::test {
namespace {

using namespace std::chrono_literals;
using devnet::test::key;
using devnet::test::kTrx;

QString const passphrase = QStringLiteral("correct horse battery staple");
QString base58(tron::PrivateKey const& k) {
    return QString::fromStdString(k.address().base58());
}

// A profile with its own settings, a wallet service on it and, when asked, a devnet whose
// key(1) holds 100 TRX and 1 000 BTT.
class WalletUi : public ::testing::Test {
  protected:
    void SetUp() override {
        profile_ = std::make_unique<Profile>(Profile::in_directory(dir_.path() / "profile"));
        settings_ = std::make_unique<AppSettings>(*profile_);
        // Until a test starts a devnet, the node is a closed port on a loopback address of its
        // own, never the default 127.0.0.1:50051 someone else's devnet may be listening on.
        auto const ip = lanetorrent::test::unique_loopback_ip();
        tron::NodeConfig nowhere;
        nowhere.wallet_address = ip + ":" + std::to_string(lanetorrent::test::free_port(ip));
        nowhere.solidity_address = nowhere.wallet_address;
        settings_->set_node_preset(NodePreset::custom);
        settings_->set_custom_node(nowhere);
        wallet_ = std::make_unique<WalletService>(*profile_, *settings_);
    }
    void TearDown() override {
        wallet_.reset();
        node_.reset();
    }

    void start_devnet() {
        auto const endpoints = devnet::test::unique_endpoints();
        auto node = devnet::Node::start(devnet::test::test_config(dir_, endpoints));
        ASSERT_TRUE(node.ok()) << node.error();
        node_ = std::move(node).value();
        tron::NodeConfig config;
        config.wallet_address = endpoints.wallet;
        config.solidity_address = endpoints.solidity;
        settings_->set_node_preset(NodePreset::custom);
        settings_->set_custom_node(config);
        // A fresh chain has only its genesis block, which is no reference to sign against.
        auto const deadline = std::chrono::steady_clock::now() + 10s;
        while (!wallet::probe_node(config).ok() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(50ms);
        }
    }

    void import_funded_key() {
        auto imported =
            wallet_->import_key(QString::fromStdString(tron::to_hex(key(1).secret())), passphrase);
        ASSERT_TRUE(imported.ok()) << imported.error();
    }

    // The balance of `address` straight from the node, bypassing the code under test.
    std::int64_t btt_of(tron::Address const& address) {
        tron::TronClient client(settings_->node());
        auto balances = client.balances(address);
        EXPECT_TRUE(balances.ok());
        if (!balances || !balances.value()) return 0;
        auto const& assets = (*balances)->assets;
        auto it = assets.find("1002000");
        return it == assets.end() ? 0 : it->second;
    }

    lanetorrent::test::TempDir dir_{"ui-wallet-test"};
    std::unique_ptr<Profile> profile_;
    std::unique_ptr<AppSettings> settings_;
    std::unique_ptr<WalletService> wallet_;
    std::unique_ptr<devnet::Node> node_;
};

TEST(WalletValidation, Addresses) {
    auto const good = base58(key(1));
    EXPECT_TRUE(WalletService::validate_address(good).ok());
    EXPECT_TRUE(WalletService::validate_address(QStringLiteral("  ") + good + " ").ok());

    // Base58 digits swapped: still 34 characters, but the checksum no longer matches.
    auto bad_checksum = good;
    std::swap(bad_checksum[10], bad_checksum[11]);
    ASSERT_NE(bad_checksum, good);
    auto const checksum = WalletService::validate_address(bad_checksum);
    ASSERT_FALSE(checksum.ok());
    EXPECT_NE(checksum.error().find("checksum"), std::string::npos) << checksum.error();

    auto const short_one = WalletService::validate_address(good.left(33));
    EXPECT_FALSE(short_one.ok());
    EXPECT_FALSE(WalletService::validate_address(good + "1").ok());

    auto const empty = WalletService::validate_address(QString());
    ASSERT_FALSE(empty.ok());
    EXPECT_NE(empty.error().find("address"), std::string::npos);
}

TEST(WalletValidation, Amounts) {
    EXPECT_EQ(WalletService::parse_amount("12.5", 6).value(), 12'500'000);
    EXPECT_EQ(WalletService::parse_amount(" 1 ", 6).value(), 1'000'000);
    EXPECT_EQ(WalletService::parse_amount("0.000001", 6).value(), 1);
    EXPECT_EQ(WalletService::parse_amount(".5", 6).value(), 500'000);
    EXPECT_EQ(WalletService::parse_amount("7", 0).value(), 7);
    EXPECT_EQ(WalletService::parse_amount("000123.450", 3).value(), 123'450);

    auto const too_precise = WalletService::parse_amount("1.0000001", 6);
    ASSERT_FALSE(too_precise.ok());
    EXPECT_NE(too_precise.error().find("6 decimal places"), std::string::npos);
    EXPECT_FALSE(WalletService::parse_amount("1.5", 0).ok());
    for (auto const* bad : {"", ".", "abc", "-1", "1e5", "1,5", "1.2.3", "0", "0.000000"}) {
        EXPECT_FALSE(WalletService::parse_amount(QString::fromLatin1(bad), 6).ok()) << bad;
    }
    EXPECT_FALSE(WalletService::parse_amount("10000000000000", 6).ok());  // > int64 base units
    EXPECT_EQ(WalletService::parse_amount("1000000000000", 6).value(), 1'000'000'000'000'000'000);

    EXPECT_EQ(WalletService::format_amount(12'500'000, 6), "12.5");
    EXPECT_EQ(WalletService::format_amount(1, 6), "0.000001");
    EXPECT_EQ(WalletService::format_amount(0, 6), "0");
    EXPECT_EQ(WalletService::format_amount(42, 0), "42");
}

TEST_F(WalletUi, KeystoreCreateUnlockAndWrongPassphrase) {
    EXPECT_FALSE(wallet_->has_keystore());
    EXPECT_TRUE(wallet_->address().isEmpty());
    EXPECT_FALSE(wallet_->unlock(passphrase).ok());

    QString unlocked_address;
    QObject::connect(wallet_.get(), &WalletService::unlockedWith,
                     [&](tron::PrivateKey k) { unlocked_address = base58(k); });
    auto created = wallet_->create(passphrase);
    ASSERT_TRUE(created.ok()) << created.error();
    EXPECT_TRUE(wallet_->has_keystore());
    EXPECT_TRUE(wallet_->unlocked());
    auto const address = wallet_->address();
    EXPECT_TRUE(WalletService::validate_address(address).ok()) << address.toStdString();
    EXPECT_EQ(unlocked_address, address);
    EXPECT_FALSE(wallet_->create(passphrase).ok()) << "a second create must not replace the key";

    // A new start of the app: the keystore is there, locked.
    wallet_ = std::make_unique<WalletService>(*profile_, *settings_);
    unlocked_address.clear();
    QObject::connect(wallet_.get(), &WalletService::unlockedWith,
                     [&](tron::PrivateKey k) { unlocked_address = base58(k); });
    EXPECT_FALSE(wallet_->unlocked());
    EXPECT_EQ(wallet_->address(), address);
    auto const wrong = wallet_->unlock(QStringLiteral("not it"));
    ASSERT_FALSE(wrong.ok());
    EXPECT_NE(wrong.error().find("passphrase"), std::string::npos) << wrong.error();
    EXPECT_FALSE(wallet_->unlocked());
    EXPECT_TRUE(unlocked_address.isEmpty());

    // The same through the dialog: the passphrase field is wiped either way.
    KeystoreDialog dialog(*wallet_, KeystoreDialog::Mode::unlock);
    auto* field = dialog.findChild<QLineEdit*>(QStringLiteral("passphrase"));
    ASSERT_NE(field, nullptr);
    field->setText(QStringLiteral("still not it"));
    EXPECT_FALSE(dialog.submit());
    EXPECT_FALSE(dialog.error_text().isEmpty());
    EXPECT_TRUE(field->text().isEmpty());
    field->setText(passphrase);
    EXPECT_TRUE(dialog.submit()) << dialog.error_text().toStdString();
    EXPECT_TRUE(field->text().isEmpty());
    EXPECT_TRUE(wallet_->unlocked());
    EXPECT_EQ(unlocked_address, address);
}

TEST_F(WalletUi, ImportRejectsAKeyThatIsNotOne) {
    EXPECT_FALSE(wallet_->import_key(QStringLiteral("12345"), passphrase).ok());
    EXPECT_FALSE(wallet_->has_keystore());
    KeystoreDialog dialog(*wallet_, KeystoreDialog::Mode::import_key);
    dialog.findChild<QLineEdit*>(QStringLiteral("private_key"))
        ->setText(QString::fromStdString(tron::to_hex(key(2).secret())));
    dialog.findChild<QLineEdit*>(QStringLiteral("passphrase"))->setText(passphrase);
    dialog.findChild<QLineEdit*>(QStringLiteral("passphrase_repeat"))->setText("typo");
    EXPECT_FALSE(dialog.submit());
    EXPECT_FALSE(wallet_->has_keystore());
    dialog.findChild<QLineEdit*>(QStringLiteral("private_key"))
        ->setText(QString::fromStdString(tron::to_hex(key(2).secret())));
    dialog.findChild<QLineEdit*>(QStringLiteral("passphrase"))->setText(passphrase);
    dialog.findChild<QLineEdit*>(QStringLiteral("passphrase_repeat"))->setText(passphrase);
    EXPECT_TRUE(dialog.submit()) << dialog.error_text().toStdString();
    EXPECT_EQ(wallet_->address(), base58(key(2)));
}

TEST_F(WalletUi, SendDialogConfirmsAmountAndAddressAndRefusesABadOne) {
    import_funded_key();
    SendDialog dialog(*wallet_, QStringLiteral("BTT"), 6);
    auto const to = base58(key(3));
    EXPECT_NE(dialog.fee_text().indexOf("0.281 TRX"), -1) << dialog.fee_text().toStdString();

    dialog.set_recipient(to.left(30));
    EXPECT_TRUE(dialog.address_hint().startsWith(QStringLiteral("✖")));
    dialog.set_amount(QStringLiteral("12.5"));
    EXPECT_FALSE(dialog.review());
    EXPECT_FALSE(dialog.confirming());
    EXPECT_FALSE(dialog.error_text().isEmpty());
    EXPECT_FALSE(dialog.confirm()) << "nothing is sent from the form page";

    dialog.set_recipient(to);
    EXPECT_TRUE(dialog.address_hint().startsWith(QStringLiteral("✔")));
    dialog.set_amount(QStringLiteral("12.1234567"));
    EXPECT_FALSE(dialog.review());
    dialog.set_amount(QStringLiteral("12.5"));
    ASSERT_TRUE(dialog.review()) << dialog.error_text().toStdString();
    EXPECT_TRUE(dialog.confirming());
    auto const summary = dialog.confirmation_text();
    EXPECT_NE(summary.indexOf(QStringLiteral("12.5 BTT")), -1) << summary.toStdString();
    EXPECT_NE(summary.indexOf(to), -1) << summary.toStdString();

    dialog.back();
    dialog.choose_trx(true);
    dialog.set_amount(QStringLiteral("3"));
    ASSERT_TRUE(dialog.review());
    EXPECT_NE(dialog.confirmation_text().indexOf(QStringLiteral("3 TRX")), -1);

    // A wrong passphrase is refused at once and nothing reaches the history.
    dialog.set_passphrase(QStringLiteral("wrong"));
    EXPECT_FALSE(dialog.confirm());
    EXPECT_NE(dialog.error_text().indexOf(QStringLiteral("passphrase")), -1)
        << dialog.error_text().toStdString();
    EXPECT_TRUE(wallet_->history().empty());
}

TEST_F(WalletUi, RealSendMovesBalancesAndIsTrackedToConfirmed) {
    start_devnet();
    import_funded_key();
    QSignalSpy balances(wallet_.get(), &WalletService::balancesChanged);
    wallet_->refresh();
    ASSERT_TRUE(balances.wait(20'000));
    EXPECT_EQ(balances.last().at(0).toLongLong(), 100 * kTrx);
    EXPECT_EQ(balances.last().at(1).toLongLong(), 1'000'000'000);

    auto const to = key(3).address();
    QSignalSpy finished(wallet_.get(), &WalletService::sendFinished);
    QSignalSpy failed(wallet_.get(), &WalletService::sendFailed);
    auto sent =
        wallet_->send(QString::fromStdString(to.base58()), wallet_->asset(), 1'500'000, passphrase);
    ASSERT_TRUE(sent.ok()) << sent.error();
    ASSERT_TRUE(pump_until([&] { return !finished.isEmpty() || !failed.isEmpty(); }, 20s));
    ASSERT_TRUE(failed.isEmpty()) << failed.first().at(0).toString().toStdString();
    auto const txid = finished.first().at(0).toString();
    EXPECT_EQ(txid.size(), 64);

    auto status_of = [&] {
        for (auto const& entry : wallet_->history()) {
            if (entry.txid == txid) return entry.status;
        }
        return QString();
    };
    EXPECT_FALSE(status_of().isEmpty()) << "the transfer is in the history at once";
    ASSERT_TRUE(
        pump_until([&] { return status_of() == "confirmed" || status_of() == "solidified"; }, 30s))
        << status_of().toStdString();
    ASSERT_TRUE(pump_until([&] { return status_of() == "solidified"; }, 30s))
        << status_of().toStdString();
    auto const history = wallet_->history();
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].to, QString::fromStdString(to.base58()));
    EXPECT_EQ(history[0].amount, 1'500'000);
    EXPECT_EQ(history[0].asset, "1002000");
    EXPECT_GT(history[0].time_ms, 0);

    EXPECT_EQ(btt_of(to), 1'500'000);
    balances.clear();
    wallet_->refresh();
    ASSERT_TRUE(balances.wait(20'000));
    EXPECT_EQ(balances.last().at(1).toLongLong(), 1'000'000'000 - 1'500'000);
    EXPECT_LT(balances.last().at(0).toLongLong(), 100 * kTrx) << "creating the account burns TRX";

    // The record survives a restart of the app, with its final status from the node.
    wallet_ = std::make_unique<WalletService>(*profile_, *settings_);
    QSignalSpy changed(wallet_.get(), &WalletService::historyChanged);
    wallet_->refresh();
    ASSERT_TRUE(pump_until([&] { return status_of() == "solidified"; }, 20s));
}

TEST_F(WalletUi, RealSendThroughThePage) {
    start_devnet();
    import_funded_key();
    WalletPage page(*wallet_, nullptr);
    page.resize(900, 600);
    page.show();
    ASSERT_TRUE(pump_until([&] { return page.token_text() == "1,000"; }, 20s))
        << page.token_text().toStdString() << " / " << page.status_text().toStdString();
    EXPECT_EQ(page.trx_text(), "100");
    EXPECT_EQ(page.findChild<QLabel*>(QStringLiteral("address"))->text(), base58(key(1)));
    EXPECT_EQ(page.qr_code()->text(), base58(key(1)));

    page.openSendDialog();
    auto* dialog = page.findChild<SendDialog*>();
    ASSERT_NE(dialog, nullptr);
    dialog->set_recipient(base58(key(2)));
    dialog->set_amount(QStringLiteral("2.5"));
    ASSERT_TRUE(dialog->review());
    dialog->set_passphrase(passphrase);
    ASSERT_TRUE(dialog->confirm()) << dialog->error_text().toStdString();
    auto* history = page.history_model();
    auto const cell = [&](int column) {
        return history->data(history->index(0, column)).toString();
    };
    ASSERT_TRUE(pump_until([&] { return history->rowCount() == 1; }, 20s));
    ASSERT_TRUE(pump_until(
        [&] {
            auto const status = cell(WalletHistoryModel::status);
            return status == "confirmed" || status == "solidified";
        },
        30s))
        << cell(WalletHistoryModel::status).toStdString();
    EXPECT_EQ(cell(WalletHistoryModel::amount),
              QString::fromUtf8("\u22122.5 BTT"));  // a minus sign
    EXPECT_EQ(cell(WalletHistoryModel::peer), base58(key(2)));
    EXPECT_EQ(page.history_table()->model()->rowCount(), 1);
    page.refresh();
    ASSERT_TRUE(pump_until([&] { return page.token_text() == "997.5"; }, 20s))
        << page.token_text().toStdString();
}

TEST_F(WalletUi, ConnectionTestSucceedsOnTheDevnetAndFailsInPlainWords) {
    start_devnet();
    QSignalSpy tested(wallet_.get(), &WalletService::connectionTested);
    wallet_->test_connection(settings_->node());
    ASSERT_TRUE(tested.wait(20'000));
    EXPECT_TRUE(tested.last().at(0).toBool()) << tested.last().at(1).toString().toStdString();
    EXPECT_NE(tested.last().at(1).toString().indexOf("block"), -1);

    auto const ip = lanetorrent::test::unique_loopback_ip();
    auto const closed = ip + ":" + std::to_string(lanetorrent::test::free_port(ip));
    tron::NodeConfig nowhere;
    nowhere.wallet_address = closed;
    nowhere.solidity_address = closed;
    wallet_->test_connection(nowhere);
    ASSERT_TRUE(tested.wait(20'000));
    EXPECT_FALSE(tested.last().at(0).toBool());
    EXPECT_EQ(tested.last().at(1).toString().toStdString(),
              "cannot reach the Tron node at " + closed + " (connection refused)");

    // A refresh against the closed port says the same, and nothing crashes or blocks.
    settings_->set_custom_node(nowhere);
    import_funded_key();
    QSignalSpy errors(wallet_.get(), &WalletService::nodeError);
    wallet_->refresh();
    ASSERT_TRUE(errors.wait(20'000));
    EXPECT_NE(errors.first().at(0).toString().indexOf("connection refused"), -1);
}

TEST_F(WalletUi, NodeSettingsWidgetPresetsAndTest) {
    start_devnet();
    auto const devnet = settings_->node();
    NodeSettingsWidget widget(*settings_);
    EXPECT_EQ(widget.node().wallet_address, devnet.wallet_address);
    QSignalSpy tested(&widget, &NodeSettingsWidget::connectionTested);
    widget.test_connection();
    ASSERT_TRUE(tested.wait(20'000));
    EXPECT_TRUE(tested.last().at(0).toBool()) << tested.last().at(1).toString().toStdString();
    EXPECT_TRUE(widget.result_text().contains("block"));

    widget.select_preset(NodePreset::nile);
    EXPECT_EQ(settings_->node_preset(), NodePreset::nile);
    EXPECT_EQ(widget.node().wallet_address, settings_->node().wallet_address);
    EXPECT_TRUE(widget.findChild<QLineEdit*>(QStringLiteral("node_wallet_address"))->isReadOnly());

    widget.select_preset(NodePreset::custom);
    auto* address = widget.findChild<QLineEdit*>(QStringLiteral("node_wallet_address"));
    EXPECT_FALSE(address->isReadOnly());
    EXPECT_EQ(address->text().toStdString(), devnet.wallet_address);
    auto const ip = lanetorrent::test::unique_loopback_ip();
    auto const closed = ip + ":" + std::to_string(lanetorrent::test::free_port(ip));
    address->setText(QString::fromStdString(closed));
    emit address->editingFinished();
    EXPECT_EQ(settings_->node().wallet_address, closed);
    widget.test_connection();
    ASSERT_TRUE(tested.wait(20'000));
    EXPECT_FALSE(tested.last().at(0).toBool());
    EXPECT_TRUE(widget.result_text().contains("connection refused"))
        << widget.result_text().toStdString();
}

// A node that accepts and never answers holds a probe for its whole 5 s deadline. Closing the
// settings meanwhile must not wait for it (the widget joined its probe thread: the GUI froze).
TEST_F(WalletUi, ClosingTheNodeSettingsDuringATestDoesNotWait) {
    start_devnet();
    lanetorrent::test::TcpProxy silent(settings_->node().wallet_address);
    silent.set_mode(lanetorrent::test::TcpProxy::Mode::blackhole);
    auto widget = std::make_unique<NodeSettingsWidget>(*settings_);
    widget->select_preset(NodePreset::custom);
    auto* address = widget->findChild<QLineEdit*>(QStringLiteral("node_wallet_address"));
    address->setText(QString::fromStdString(silent.endpoint()));
    emit address->editingFinished();
    widget->test_connection();
    EXPECT_TRUE(widget->result_text().contains(QStringLiteral("…")));
    test::pump_for(300ms);
    QElapsedTimer timer;
    timer.start();
    widget.reset();
    EXPECT_LT(timer.elapsed(), 200) << "the widget waited for the probe";
    // The answer that comes later has nobody to go to, and nothing breaks.
    test::pump_for(6s);
}

TEST(WalletWidgets, QrCodeEncodesTheAddress) {
    QrCodeWidget qr;
    EXPECT_EQ(qr.modules(), 0);
    auto const address = base58(key(1));
    ASSERT_EQ(address.size(), 34);
    qr.set_text(address);
    // 34 bytes at level M need version 3: 17 + 4 x 3 = 29 modules a side.
    ASSERT_EQ(qr.modules(), 29);
    // The three finder patterns: a dark ring, a light ring, a dark 3x3 core.
    for (auto [ox, oy] : {std::pair{0, 0}, std::pair{22, 0}, std::pair{0, 22}}) {
        EXPECT_TRUE(qr.dark(ox, oy));
        EXPECT_TRUE(qr.dark(ox + 6, oy + 6));
        EXPECT_FALSE(qr.dark(ox + 1, oy + 1));
        EXPECT_TRUE(qr.dark(ox + 3, oy + 3));
    }
    EXPECT_FALSE(qr.dark(7, 7)) << "separator";

    auto const image = qr.render(4);
    ASSERT_EQ(image.width(), (29 + 2 * QrCodeWidget::quiet_zone) * 4);
    EXPECT_EQ(image.pixelColor(0, 0), QColor(Qt::white));
    EXPECT_EQ(image.pixelColor(15, 15), QColor(Qt::white)) << "quiet zone";
    EXPECT_EQ(image.pixelColor(16, 16), QColor(Qt::black)) << "first module";

    qr.resize(300, 300);
    qr.show();
    auto const shot = qr.grab().toImage();
    int dark = 0;
    int light = 0;
    for (int y = 0; y < shot.height(); ++y) {
        for (int x = 0; x < shot.width(); ++x) {
            (qGray(shot.pixel(x, y)) < 128 ? dark : light) += 1;
        }
    }
    EXPECT_GT(dark, shot.width() * shot.height() / 10);
    EXPECT_GT(light, shot.width() * shot.height() / 3);
}

TEST(WalletWidgets, EarningsChartShowsTheSeriesItIsGiven) {
    EarningsChart chart;
    qint64 const day = 86'400'000;
    std::vector<DayTotals> const days = {
        {20 * day, 1'500'000, 0}, {21 * day, 0, 250'000}, {22 * day, 3'000'000, 1'000'000}};
    chart.set_days(days, 6, QStringLiteral("BTT"));
    auto const sets = chart.series()->barSets();
    ASSERT_EQ(sets.size(), 2);
    ASSERT_EQ(sets[0]->count(), 3);
    EXPECT_DOUBLE_EQ(sets[0]->at(0), 1.5);
    EXPECT_DOUBLE_EQ(sets[0]->at(2), 3.0);
    EXPECT_DOUBLE_EQ(sets[1]->at(1), 0.25);
    EXPECT_DOUBLE_EQ(sets[1]->at(2), 1.0);
    EXPECT_EQ(chart.categories().size(), 3);
    EXPECT_EQ(chart.categories(), (QStringList{"Jan 21", "Jan 22", "Jan 23"}));

    chart.set_days({}, 6, QStringLiteral("BTT"));
    EXPECT_EQ(chart.series()->barSets().first()->count(), 0);
}

TEST_F(WalletUi, PageWithoutAKeystoreOffersCreateAndImport) {
    WalletPage page(*wallet_, nullptr);
    page.resize(900, 600);
    auto* create = page.findChild<QPushButton*>(QStringLiteral("create"));
    auto* unlock = page.findChild<QPushButton*>(QStringLiteral("unlock"));
    ASSERT_TRUE(create && unlock);
    EXPECT_FALSE(create->isHidden());
    EXPECT_TRUE(unlock->isHidden());
    EXPECT_EQ(page.qr_code()->modules(), 0);

    ASSERT_TRUE(wallet_->create(passphrase).ok());
    page.refresh();
    EXPECT_TRUE(create->isHidden());
    EXPECT_EQ(page.qr_code()->modules(), 29);

    // Locked on the next start: the page offers Unlock.
    wallet_ = std::make_unique<WalletService>(*profile_, *settings_);
    WalletPage locked(*wallet_, nullptr);
    EXPECT_FALSE(locked.findChild<QPushButton*>(QStringLiteral("unlock"))->isHidden());
}

}  // namespace
}  // namespace lanetorrent::ui::test

namespace lanetorrent::ui::test {
namespace {

// The node going away and coming back, as the main window tells it: a plain sentence that stays
// in the status bar while settlements wait, and a note when the node answers again.
TEST_F(WalletUi, MainWindowShowsANodeOutageUntilTheNodeAnswersAgain) {
    start_devnet();
    auto const direct = settings_->node();
    lanetorrent::test::TcpProxy proxy(direct.wallet_address);
    proxy.set_mode(lanetorrent::test::TcpProxy::Mode::refuse);
    auto via_proxy = direct;
    via_proxy.wallet_address = proxy.endpoint();
    settings_->set_custom_node(via_proxy);

    // A settlement the profile signed before: the session follows it to the chain from the
    // start, so from the start it watches the node.
    {
        devnet::test::Clients clients({direct.wallet_address, direct.solidity_address});
        auto const tx = devnet::test::signed_transfer(key(1), key(1).address(), key(2).address(), 1,
                                                      clients.head());
        auto ledger = lanes::Ledger::open(profile_->data_dir() / "lanes.sqlite");
        ASSERT_TRUE(ledger) << ledger.error();
        auto const now = tron::now_ms();
        auto const added = (*ledger)->add_settlement(lanes::SettlementRecord{
            devnet::test::txid_of(tx),
            lanes::ChannelKey{lanes::Role::spend, key(1).address().base58(),
                              key(2).address().base58(), "1002000"},
            0, 1, tx.SerializeAsString(), lanes::SettlementStatus::signed_, 0, now, now});
        ASSERT_TRUE(added) << added.error();
    }
    auto const ip = lanetorrent::test::unique_loopback_ip();
    settings_->set_listen_interfaces(
        QString::fromStdString(ip + ":" + std::to_string(lanetorrent::test::free_port(ip))));
    auto session = Session::open(*profile_, *settings_);
    ASSERT_TRUE(session) << session.error();
    MainWindow window(**session, *wallet_, *settings_);
    window.show();
    auto* const node_down = window.findChild<QLabel*>("nodeDown");
    ASSERT_NE(node_down, nullptr);

    ASSERT_TRUE(pump_until([&] { return !node_down->isHidden(); }, 30s)) << "nothing said";
    auto const text = node_down->text();
    EXPECT_TRUE(text.contains(QString::fromStdString("cannot reach the Tron node at " +
                                                     proxy.endpoint() + " (connection refused)")))
        << text.toStdString();
    EXPECT_TRUE(text.contains("settlements wait and are retried")) << text.toStdString();
    pump_for(3s);
    EXPECT_FALSE(node_down->isHidden()) << "the outage went out of view while it lasts";

    proxy.set_mode(lanetorrent::test::TcpProxy::Mode::forward);
    ASSERT_TRUE(pump_until([&] { return node_down->isHidden(); }, 30s));
    EXPECT_TRUE(window.statusBar()->currentMessage().contains("answers again"))
        << window.statusBar()->currentMessage().toStdString();
}

}  // namespace
}  // namespace lanetorrent::ui::test
