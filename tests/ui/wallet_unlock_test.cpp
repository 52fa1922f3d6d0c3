// Issue 15, finding 2 ("never a silent slow lane"), with real widgets, real sessions on loopback,
// a real keystore and, where one runs, a real Secret Service:
//  - passphrase rules and the strength hint; an error never cuts off the dialog's text;
//  - the backup step writes a copy that unlocks (checked here with the wallet library itself);
//  - the app asks for the passphrase at start when a paid lane is saved and the wallet is locked,
//    and not otherwise; a download held in the slow lane raises a notification;
//  - the keyring: without a Secret Service it fails with a sentence at once and the app falls back
//    to asking; with gnome-keyring (if installed) the passphrase round-trips and unlocks at start.
#include <gtest/gtest.h>

#include <QCheckBox>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <cstdlib>

#include "app/application.hpp"
#include "app/single_instance.hpp"
#include "base/keyring.hpp"
#include "base/paid_lane_watch.hpp"
#include "base/passphrase_rules.hpp"
#include "base/wallet_service.hpp"
#include "base_test_support.hpp"
#include "gui/keystore_dialog.hpp"
#include "gui/main_window.hpp"
#include "net.hpp"
#include "temp_dir.hpp"
#include "wallet/keystore.hpp"

namespace lanetorrent::ui {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using lanes::Lane;
using lanetorrent::test::TempDir;
using test::pump_until;
using test::TestProfile;

QString const good_passphrase = QStringLiteral("correct horse battery staple");

// No D-Bus session bus and no display: what a test machine, a server or a systemd service has.
// QtKeychain (libsecret) must fail at once rather than wait.
void without_session_bus() {
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/lanetorrent-test-bus");
    qunsetenv("DISPLAY");
}

// ---- passphrase rules: pure ----

TEST(PassphraseRules, ShortAndWellKnownAreRefusedWithASentence) {
    auto const abc = check_new_passphrase("abc");
    ASSERT_FALSE(abc);
    EXPECT_NE(abc.error().find("at least 10 characters"), std::string::npos) << abc.error();
    EXPECT_NE(abc.error().find("this one has 3"), std::string::npos) << abc.error();
    EXPECT_FALSE(check_new_passphrase(""));
    EXPECT_FALSE(check_new_passphrase("aaaaaaaaaaaaaaa"));
    EXPECT_FALSE(check_new_passphrase("1234567890"));
    EXPECT_FALSE(check_new_passphrase("Password123"));
    EXPECT_FALSE(check_new_passphrase("qwertyuiop"));
    EXPECT_TRUE(check_new_passphrase(good_passphrase));
    EXPECT_TRUE(check_new_passphrase("Tr0ub4dor&3x"));
}

TEST(PassphraseRules, StrengthGrowsWithLengthAndCharacterClasses) {
    EXPECT_EQ(rate_passphrase("abc").strength, PassphraseStrength::too_short);
    EXPECT_EQ(rate_passphrase("abcdefghij").strength, PassphraseStrength::weak);  // a run
    EXPECT_EQ(rate_passphrase("hjkwqpzmxv").strength, PassphraseStrength::fair);
    EXPECT_GE(rate_passphrase("hjKw9!pzmxvT").strength, PassphraseStrength::good);
    EXPECT_EQ(rate_passphrase(good_passphrase).strength, PassphraseStrength::strong);
    EXPECT_LT(rate_passphrase("hjkwqpzmxv").bits, rate_passphrase("hjkwqpzmxv9!").bits);
    EXPECT_FALSE(rate_passphrase(good_passphrase).hint.isEmpty());
}

// ---- the keystore dialog over a real keystore ----

class WalletDialogs : public ::testing::Test {
  protected:
    void SetUp() override {
        without_session_bus();
        profile_ = std::make_unique<Profile>(Profile::in_directory(dir_.path() / "profile"));
        settings_ = std::make_unique<AppSettings>(*profile_);
        auto const ip = lanetorrent::test::unique_loopback_ip();
        tron::NodeConfig nowhere;  // a closed port: balances never arrive
        nowhere.wallet_address = ip + ":" + std::to_string(lanetorrent::test::free_port(ip));
        nowhere.solidity_address = nowhere.wallet_address;
        settings_->set_node_preset(NodePreset::custom);
        settings_->set_custom_node(nowhere);
        wallet_ = std::make_unique<WalletService>(*profile_, *settings_);
    }
    void TearDown() override { wallet_.reset(); }

    static void type(KeystoreDialog& dialog, QString const& passphrase, QString const& repeat) {
        dialog.findChild<QLineEdit*>("passphrase")->setText(passphrase);
        if (auto* r = dialog.findChild<QLineEdit*>("passphrase_repeat")) r->setText(repeat);
    }

    // Every visible label of `dialog` is as tall as its wrapped text and inside the dialog.
    static void expect_nothing_cut_off(QDialog& dialog) {
        for (auto* label : dialog.findChildren<QLabel*>()) {
            if (!label->isVisibleTo(&dialog) || label->text().isEmpty()) continue;
            if (label->wordWrap()) {
                EXPECT_GE(label->height(), label->heightForWidth(label->width()))
                    << label->objectName().toStdString() << ": " << label->text().toStdString();
            }
            QRect const in_dialog(label->mapTo(&dialog, QPoint(0, 0)), label->size());
            EXPECT_TRUE(dialog.rect().contains(in_dialog))
                << label->objectName().toStdString() << " lies outside the dialog";
        }
    }

    TempDir dir_{"ui-unlock"};
    std::unique_ptr<Profile> profile_;
    std::unique_ptr<AppSettings> settings_;
    std::unique_ptr<WalletService> wallet_;
};

TEST_F(WalletDialogs, CreateRefusesAbcAndAcceptsALongPassphraseWithAStrengthHint) {
    KeystoreDialog dialog(*wallet_, KeystoreDialog::Mode::create);
    dialog.show();
    type(dialog, "abc", "abc");
    EXPECT_TRUE(dialog.strength_text().contains("too short"))
        << dialog.strength_text().toStdString();
    EXPECT_FALSE(dialog.submit());
    EXPECT_TRUE(dialog.error_text().contains("at least 10 characters"))
        << dialog.error_text().toStdString();
    EXPECT_FALSE(wallet_->has_keystore());
    // The service refuses it too, whoever calls.
    EXPECT_FALSE(wallet_->create("abc"));

    type(dialog, good_passphrase, good_passphrase);
    EXPECT_TRUE(dialog.strength_text().contains("strong")) << dialog.strength_text().toStdString();
    dialog.set_remember(false);
    EXPECT_TRUE(dialog.submit()) << dialog.error_text().toStdString();
    EXPECT_TRUE(wallet_->has_keystore());
    EXPECT_TRUE(wallet_->unlocked());
    EXPECT_TRUE(dialog.on_backup_page());
}

TEST_F(WalletDialogs, ThePassphrasesDifferErrorDoesNotCutOffTheDialog) {
    KeystoreDialog dialog(*wallet_, KeystoreDialog::Mode::create);
    dialog.show();
    QCoreApplication::processEvents();
    int const height_before = dialog.height();
    type(dialog, good_passphrase, good_passphrase + "!");
    EXPECT_FALSE(dialog.submit());
    EXPECT_TRUE(dialog.error_text().contains("differ"));
    QCoreApplication::processEvents();
    EXPECT_GT(dialog.height(), height_before) << "the dialog did not grow for the error";
    expect_nothing_cut_off(dialog);
    // The import dialog, with its extra row and a long error, too.
    KeystoreDialog import(*wallet_, KeystoreDialog::Mode::import_key);
    import.show();
    import.findChild<QLineEdit*>("private_key")->setText("12345");
    type(import, good_passphrase, good_passphrase);
    EXPECT_FALSE(import.submit());
    QCoreApplication::processEvents();
    expect_nothing_cut_off(import);
}

TEST_F(WalletDialogs, TheBackupStepWritesACopyThatUnlocks) {
    KeystoreDialog dialog(*wallet_, KeystoreDialog::Mode::create);
    dialog.show();
    type(dialog, good_passphrase, good_passphrase);
    dialog.set_remember(false);
    ASSERT_TRUE(dialog.submit()) << dialog.error_text().toStdString();
    ASSERT_TRUE(dialog.on_backup_page());
    auto* done = dialog.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok);
    EXPECT_FALSE(done->isEnabled()) << "Done before any copy was saved";

    // Over the keystore itself: refused.
    EXPECT_FALSE(dialog.save_backup(wallet_->keystore_path()));
    // Into a directory that does not exist: refused with a sentence, nothing lost.
    EXPECT_FALSE(
        dialog.save_backup(QString::fromStdString((dir_.path() / "no" / "x.json").string())));
    EXPECT_TRUE(dialog.backup_text().contains("not saved")) << dialog.backup_text().toStdString();

    fs::path const copy = dir_.path() / "usb-stick" / "wallet-backup.json";
    fs::create_directories(copy.parent_path());
    auto const saved = dialog.save_backup(QString::fromStdString(copy.string()));
    ASSERT_TRUE(saved) << saved.error();
    EXPECT_TRUE(dialog.backup_text().contains("unlocks with your passphrase"))
        << dialog.backup_text().toStdString();
    EXPECT_TRUE(done->isEnabled());
    // Independently of the dialog: the copy opens with the passphrase to the same address.
    auto const key = wallet::Keystore::unlock(copy, good_passphrase.toStdString());
    ASSERT_TRUE(key) << key.error();
    EXPECT_EQ(QString::fromStdString(key->address().base58()), wallet_->address());
    EXPECT_EQ(fs::status(copy).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_FALSE(wallet::Keystore::unlock(copy, "another passphrase"));
    done->click();
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
}

TEST_F(WalletDialogs, TheBackupCanBeSkippedAfterAWarning) {
    KeystoreDialog dialog(*wallet_, KeystoreDialog::Mode::create);
    type(dialog, good_passphrase, good_passphrase);
    dialog.set_remember(false);
    ASSERT_TRUE(dialog.submit());
    ASSERT_TRUE(dialog.on_backup_page());
    EXPECT_TRUE(dialog.skip_backup(true));
    EXPECT_EQ(dialog.result(), QDialog::Accepted);
    EXPECT_TRUE(wallet_->unlocked());
}

// ---- the keyring without a Secret Service ----

TEST_F(WalletDialogs, WithoutASecretServiceTheKeyringFailsAtOnceWithASentence) {
    ASSERT_TRUE(wallet_->create(good_passphrase));
    auto& keeper = wallet_->passphrase_keeper();
    QSignalSpy remembered(&keeper, &PassphraseKeeper::rememberFinished);
    QElapsedTimer timer;
    timer.start();
    keeper.remember(good_passphrase);
    ASSERT_TRUE(pump_until([&] { return remembered.count() > 0; }, 30s));
    auto const took_ms = timer.elapsed();
    std::printf("keyring write without a Secret Service failed after %lld ms: %s\n",
                static_cast<long long>(took_ms),
                remembered.at(0).at(1).toString().toStdString().c_str());
    EXPECT_LT(took_ms, 5000);
    EXPECT_FALSE(remembered.at(0).at(0).toBool());
    EXPECT_TRUE(remembered.at(0).at(1).toString().contains("keyring"))
        << remembered.at(0).at(1).toString().toStdString();
    EXPECT_FALSE(keeper.remembered());

    // Reading (as at start, with the flag set by an earlier run) fails the same way.
    settings_->raw().setValue("wallet/passphrase_in_keyring", true);
    WalletService restarted(*profile_, *settings_);
    QSignalSpy unlocked(&restarted.passphrase_keeper(), &PassphraseKeeper::unlockFinished);
    restarted.passphrase_keeper().unlock_from_keyring();
    ASSERT_TRUE(pump_until([&] { return unlocked.count() > 0; }, 30s));
    EXPECT_FALSE(unlocked.at(0).at(0).toBool());
    EXPECT_FALSE(restarted.unlocked());
}

// ---- startup: the prompt, the keyring fallback and the held-in-slow notice ----

class StartupPrompt : public ::testing::Test {
  protected:
    void SetUp() override {
        without_session_bus();
        profile_ = std::make_unique<TestProfile>(dir_.path());
        profile_->settings->set_close_to_tray(false);
        auto const ip = lanetorrent::test::unique_loopback_ip();
        tron::NodeConfig nowhere;
        nowhere.wallet_address = ip + ":" + std::to_string(lanetorrent::test::free_port(ip));
        nowhere.solidity_address = nowhere.wallet_address;
        profile_->settings->set_node_preset(NodePreset::custom);
        profile_->settings->set_custom_node(nowhere);
    }

    void make_wallet() {
        WalletService wallet(profile_->profile, *profile_->settings);
        ASSERT_TRUE(wallet.create(good_passphrase));
    }

    // A previous run: a torrent (a magnet nobody serves, so it never completes) in `lane`.
    void previous_run_with(Lane lane) {
        auto session = profile_->open();
        AddRequest request;
        request.source = QStringLiteral(
            "magnet:?xt=urn:btih:00112233445566778899aabbccddeeff00112233&dn=wanted");
        request.lane = lane;
        request.caps = profile_->settings->caps();
        auto added = session->add(request);
        ASSERT_TRUE(added) << added.error();
        session.reset();
        profile_->settings->sync();
    }

    std::unique_ptr<Application> start_app() {
        profile_->settings->sync();
        auto claimed = SingleInstance::claim(profile_->profile);
        EXPECT_TRUE(claimed) << (claimed ? "" : claimed.error());
        instance_ = std::move(claimed).value();
        CommandLine options;
        options.profile_dir = QString::fromStdString(dir_.path().string());
        auto app = std::make_unique<Application>(options, profile_->profile, *instance_);
        auto started = app->start();
        EXPECT_TRUE(started) << (started ? "" : started.error());
        return app;
    }

    TempDir dir_{"ui-startup"};
    std::unique_ptr<TestProfile> profile_;
    std::unique_ptr<SingleInstance> instance_;
};

TEST_F(StartupPrompt, AsksForThePassphraseWhenAPaidLaneIsSavedAndTheWalletIsLocked) {
    make_wallet();
    previous_run_with(Lane::fast);
    auto app = start_app();
    ASSERT_TRUE(pump_until([&] { return app->unlock_prompt() != nullptr; }, 5s));
    auto* prompt = app->unlock_prompt();
    EXPECT_EQ(prompt->mode(), KeystoreDialog::Mode::unlock);
    EXPECT_TRUE(prompt->isVisible());
    auto* reason = prompt->findChild<QLabel*>("reason");
    ASSERT_TRUE(reason);
    EXPECT_TRUE(reason->text().contains("1 download")) << reason->text().toStdString();
    // The remember box is offered.
    EXPECT_TRUE(prompt->findChild<QCheckBox*>("remember")->isVisibleTo(prompt));

    // Unlocking through it lets the lanes buy.
    prompt->findChild<QLineEdit*>("passphrase")->setText(good_passphrase);
    prompt->set_remember(false);
    ASSERT_TRUE(prompt->submit()) << prompt->error_text().toStdString();
    EXPECT_TRUE(pump_until([&] { return app->unlock_prompt() == nullptr; }, 5s));
    EXPECT_TRUE(app->window()->findChild<QWidget*>() != nullptr);
}

TEST_F(StartupPrompt, DoesNotAskWhenOnlySlowLanesAreSaved) {
    make_wallet();
    previous_run_with(Lane::slow);
    auto app = start_app();
    test::pump_for(1500ms);
    EXPECT_EQ(app->unlock_prompt(), nullptr);
}

TEST_F(StartupPrompt, DoesNotAskWithoutAWalletButSaysWhyTheDownloadIsSlow) {
    previous_run_with(Lane::medium);
    auto app = start_app();
    QSignalSpy held(app->paid_lane_watch(), &PaidLaneWatch::heldInSlow);
    ASSERT_TRUE(pump_until([&] { return held.count() > 0; }, 10s));
    EXPECT_EQ(app->unlock_prompt(), nullptr);
    EXPECT_TRUE(held.at(0).at(2).toString().contains("no wallet"))
        << held.at(0).at(2).toString().toStdString();
}

TEST_F(StartupPrompt, AKeyringThatCannotBeReachedFallsBackToAsking) {
    make_wallet();
    previous_run_with(Lane::fast);
    // An earlier run remembered the passphrase; this machine has no Secret Service now.
    profile_->settings->raw().setValue("wallet/passphrase_in_keyring", true);
    auto app = start_app();
    ASSERT_TRUE(pump_until([&] { return app->unlock_prompt() != nullptr; }, 10s))
        << "no prompt after the keyring failed";
    auto const reason = app->unlock_prompt()->findChild<QLabel*>("reason")->text();
    EXPECT_TRUE(reason.contains("could not be read")) << reason.toStdString();
    EXPECT_TRUE(reason.contains("keyring")) << reason.toStdString();
    // The box stays ticked: the user wanted it remembered.
    EXPECT_TRUE(app->unlock_prompt()->remember());
}

TEST_F(StartupPrompt, SettingAPaidLaneLaterAsksOnceForThatTorrent) {
    make_wallet();
    auto app = start_app();
    test::pump_for(300ms);
    ASSERT_EQ(app->unlock_prompt(), nullptr);
    auto const made = test::make_torrent(dir_.path(), "later.bin", 40'000, 5);
    app->window()->addSource(QString::fromStdString(made.torrent_file.string()), true);
    test::pump_for(300ms);
    EXPECT_EQ(app->unlock_prompt(), nullptr) << "asked for a slow download";
    app->window()->select_torrent(made.id);
    // The file is not there: it is a download, and fast from now on.
    app->window()->setSelectedLane(Lane::fast);
    ASSERT_TRUE(pump_until([&] { return app->unlock_prompt() != nullptr; }, 5s));
    EXPECT_TRUE(app->unlock_prompt()->findChild<QLabel*>("reason")->text().contains("later.bin"));
    app->unlock_prompt()->reject();
    ASSERT_TRUE(pump_until([&] { return app->unlock_prompt() == nullptr; }, 5s));
    app->window()->setSelectedLane(Lane::medium);
    test::pump_for(300ms);
    EXPECT_EQ(app->unlock_prompt(), nullptr) << "asked twice for the same torrent";
}

// The watch on its own, over a real session: held-in-slow notices once per reason.
TEST_F(StartupPrompt, AHeldDownloadIsNotifiedOncePerReason) {
    make_wallet();
    auto session = profile_->open();
    WalletService wallet(profile_->profile, *profile_->settings);
    PaidLaneWatch watch(*session, wallet);
    QSignalSpy held(&watch, &PaidLaneWatch::heldInSlow);
    QSignalSpy asked(&watch, &PaidLaneWatch::unlockWanted);
    watch.start();
    EXPECT_EQ(asked.count(), 0) << "asked with no paid download";

    AddRequest request;
    request.source =
        QStringLiteral("magnet:?xt=urn:btih:00112233445566778899aabbccddeeff00112233&dn=wanted");
    request.lane = Lane::medium;
    ASSERT_TRUE(session->add(request));
    ASSERT_TRUE(pump_until([&] { return held.count() > 0; }, 5s));
    EXPECT_EQ(held.at(0).at(0).toString(), "00112233445566778899aabbccddeeff00112233");
    EXPECT_TRUE(held.at(0).at(2).toString().contains("until the wallet is unlocked"));
    EXPECT_EQ(asked.count(), 1);
    EXPECT_EQ(watch.reason_now(), HeldReason::wallet_locked);
    test::pump_for(2500ms);  // more updates: no second notice for the same reason
    EXPECT_EQ(held.count(), 1);

    ASSERT_TRUE(wallet.unlock(good_passphrase));
    EXPECT_EQ(watch.reason_now(), HeldReason::none);  // balances unknown: not "empty"
    // The node reports an empty wallet: held again, for want of BTT.
    emit wallet.balancesChanged(5'000'000, 0);
    ASSERT_EQ(held.count(), 2);
    EXPECT_TRUE(held.at(1).at(2).toString().contains("no BTT"));
    emit wallet.balancesChanged(0, 100'000'000);
    ASSERT_EQ(held.count(), 3);
    EXPECT_TRUE(held.at(2).at(2).toString().contains("TRX"));
    emit wallet.balancesChanged(5'000'000, 100'000'000);
    EXPECT_EQ(watch.reason_now(), HeldReason::none);
    EXPECT_EQ(held.count(), 3);
}

TEST(HeldReason, FromTheWalletState) {
    qint64 const fee = 268'000;
    EXPECT_EQ(held_reason(false, false, {}, {}, fee), HeldReason::no_wallet);
    EXPECT_EQ(held_reason(true, false, 10, 10'000'000, fee), HeldReason::wallet_locked);
    EXPECT_EQ(held_reason(true, true, {}, {}, fee), HeldReason::none);
    EXPECT_EQ(held_reason(true, true, 0, 10'000'000, fee), HeldReason::no_tokens);
    EXPECT_EQ(held_reason(true, true, 10, fee - 1, fee), HeldReason::no_trx_for_fees);
    EXPECT_EQ(held_reason(true, true, 10, fee, fee), HeldReason::none);
}

// ---- with a real Secret Service (gnome-keyring), when this machine has one ----

class RealSecretService : public ::testing::Test {
  protected:
    void SetUp() override {
        auto const daemon = QStandardPaths::findExecutable("gnome-keyring-daemon");
        auto const bus = QStandardPaths::findExecutable("dbus-daemon");
        if (daemon.isEmpty() || bus.isEmpty()) {
            GTEST_SKIP() << "no gnome-keyring-daemon or dbus-daemon on PATH";
        }
        fs::create_directories(dir_.path() / "runtime");
        fs::permissions(dir_.path() / "runtime", fs::perms::owner_all);
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("HOME", QString::fromStdString((dir_.path() / "home").string()));
        env.insert("XDG_DATA_HOME", QString::fromStdString((dir_.path() / "data").string()));
        env.insert("XDG_RUNTIME_DIR", QString::fromStdString((dir_.path() / "runtime").string()));
        env.remove("DISPLAY");
        bus_.setProcessEnvironment(env);
        bus_.start(bus, {"--session", "--nofork", "--print-address=1"});
        ASSERT_TRUE(bus_.waitForStarted(5000));
        ASSERT_TRUE(pump_until([&] { return bus_.canReadLine(); }, 5s)) << "no bus address";
        auto const address = QString::fromUtf8(bus_.readLine()).trimmed();
        env.insert("DBUS_SESSION_BUS_ADDRESS", address);
        qputenv("DBUS_SESSION_BUS_ADDRESS", address.toUtf8());
        qunsetenv("DISPLAY");
        qputenv("XDG_RUNTIME_DIR", env.value("XDG_RUNTIME_DIR").toUtf8());
        keyring_.setProcessEnvironment(env);
        keyring_.start(daemon, {"--foreground", "--unlock", "--components=secrets"});
        ASSERT_TRUE(keyring_.waitForStarted(5000));
        keyring_.write("keyring password for tests");
        keyring_.closeWriteChannel();
        bool const registered = pump_until(
            [] {
                auto* names = QDBusConnection::sessionBus().interface();
                return names && names->isServiceRegistered("org.freedesktop.secrets").value();
            },
            10s);
        if (!registered) GTEST_SKIP() << "gnome-keyring did not register the Secret Service";
        profile_ = std::make_unique<Profile>(Profile::in_directory(dir_.path() / "profile"));
        settings_ = std::make_unique<AppSettings>(*profile_);
    }
    void TearDown() override {
        for (auto* process : {&keyring_, &bus_}) {
            if (process->state() == QProcess::NotRunning) continue;
            process->terminate();
            if (!process->waitForFinished(3000)) process->kill();
            process->waitForFinished(3000);
        }
    }

    TempDir dir_{"ui-keyring"};
    QProcess bus_;
    QProcess keyring_;
    std::unique_ptr<Profile> profile_;
    std::unique_ptr<AppSettings> settings_;
};

TEST_F(RealSecretService, RemembersUnlocksAtStartAndForgets) {
    {
        WalletService wallet(*profile_, *settings_);
        KeystoreDialog dialog(wallet, KeystoreDialog::Mode::create);
        dialog.findChild<QLineEdit*>("passphrase")->setText(good_passphrase);
        dialog.findChild<QLineEdit*>("passphrase_repeat")->setText(good_passphrase);
        dialog.set_remember(true);
        QSignalSpy remembered(&wallet.passphrase_keeper(), &PassphraseKeeper::rememberFinished);
        ASSERT_TRUE(dialog.submit()) << dialog.error_text().toStdString();
        ASSERT_TRUE(pump_until([&] { return remembered.count() > 0; }, 20s));
        ASSERT_TRUE(remembered.at(0).at(0).toBool())
            << remembered.at(0).at(1).toString().toStdString();
        EXPECT_TRUE(wallet.passphrase_keeper().remembered());
    }
    // A restart: the passphrase comes from the keyring, nobody types it.
    {
        WalletService wallet(*profile_, *settings_);
        ASSERT_FALSE(wallet.unlocked());
        QSignalSpy unlocked(&wallet.passphrase_keeper(), &PassphraseKeeper::unlockFinished);
        wallet.passphrase_keeper().unlock_from_keyring();
        ASSERT_TRUE(pump_until([&] { return unlocked.count() > 0; }, 20s));
        EXPECT_TRUE(unlocked.at(0).at(0).toBool()) << unlocked.at(0).at(1).toString().toStdString();
        EXPECT_TRUE(wallet.unlocked());

        QSignalSpy forgotten(&wallet.passphrase_keeper(), &PassphraseKeeper::forgetFinished);
        wallet.passphrase_keeper().forget();
        ASSERT_TRUE(pump_until([&] { return forgotten.count() > 0; }, 20s));
        EXPECT_TRUE(forgotten.at(0).at(0).toBool())
            << forgotten.at(0).at(1).toString().toStdString();
        EXPECT_FALSE(wallet.passphrase_keeper().remembered());
    }
    // Forgotten: nothing to read any more.
    WalletService wallet(*profile_, *settings_);
    QSignalSpy unlocked(&wallet.passphrase_keeper(), &PassphraseKeeper::unlockFinished);
    wallet.passphrase_keeper().unlock_from_keyring();
    ASSERT_TRUE(pump_until([&] { return unlocked.count() > 0; }, 20s));
    EXPECT_FALSE(unlocked.at(0).at(0).toBool());
    EXPECT_TRUE(unlocked.at(0).at(1).toString().contains("no passphrase"))
        << unlocked.at(0).at(1).toString().toStdString();
}

}  // namespace
}  // namespace lanetorrent::ui
