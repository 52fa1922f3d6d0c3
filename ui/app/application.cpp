#include "app/application.hpp"

#include <QApplication>
#include <QEvent>
#include <QFile>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTimer>
#include <cstdio>

#include "app/screenshot_tour.hpp"
#include "app/single_instance.hpp"
#include "base/autostart.hpp"
#include "base/keyring.hpp"
#include "base/paid_lane_watch.hpp"
#include "base/session.hpp"
#include "base/wallet_service.hpp"
#include "gui/keystore_dialog.hpp"
#include "gui/main_window.hpp"
#include "gui/tray_icon.hpp"

namespace lanetorrent::ui {
namespace {

void report(QString const& line) {
    std::fprintf(stdout, "lanetorrent: %s\n", line.toLocal8Bit().constData());
    std::fflush(stdout);
}

bool in_progress(TorrentRow const& row) {
    return (row.state == TorrentState::downloading ||
            row.state == TorrentState::downloading_metadata) &&
           row.progress < 1.0;
}

}  // namespace

Application::Application(CommandLine options, Profile profile, SingleInstance& instance)
    : options_(std::move(options)),
      profile_(std::move(profile)),
      instance_(instance),
      settings_(profile_) {}

Application::~Application() {
    delete unlock_prompt_.data();
    watch_.reset();
    tray_.reset();
    window_.reset();
    wallet_.reset();
    session_.reset();
    settings_.sync();
}

Status Application::start() {
    auto session = Session::open(profile_, settings_);
    if (!session) return Error{session.error()};
    session_ = std::move(session.value());
    wallet_ = std::make_unique<WalletService>(profile_, settings_);
    connect(wallet_.get(), &WalletService::unlockedWith, session_.get(), &Session::set_wallet_key);
    window_ = std::make_unique<MainWindow>(*session_, *wallet_, settings_);
    window_->installEventFilter(this);
    tray_ = std::make_unique<TrayIcon>(*session_, settings_);

    connect(window_.get(), &MainWindow::closeRequested, this, &Application::closeToTray);
    connect(window_.get(), &MainWindow::quitRequested, this, &Application::quit);
    connect(window_.get(), &MainWindow::settingsApplied, this, &Application::keepAutostartInStep);
    connect(tray_.get(), &TrayIcon::toggleWindowRequested, this, &Application::toggleWindow);
    connect(tray_.get(), &TrayIcon::walletRequested, this, [this] {
        showWindow();
        window_->showWalletPage();
    });
    connect(tray_.get(), &TrayIcon::quitRequested, this, &Application::quit);
    connect(&instance_, &SingleInstance::messageReceived, this, &Application::addSources);
    // exit(), not quit(): Qt 6's quit() first closes every window, and closing the window asks
    // this class to quit again.
    connect(&signals_, &QuitOnSignal::received, this, [] { QCoreApplication::exit(0); });

    connect(session_.get(), &Session::torrentAdded, this,
            [](QString const& id) { report(QStringLiteral("added ") + id); });
    connect(session_.get(), &Session::torrentsUpdated, this, [this] {
        for (auto const& row : session_->rows()) {
            if (in_progress(row)) seen_downloading_.insert(QString::fromStdString(row.id));
        }
    });
    connect(session_.get(), &Session::torrentFinished, this,
            [this](QString const& id, QString const& name) {
                if (!seen_downloading_.remove(id)) return;
                notify(tr("Download finished"), name);
            });
    connect(session_.get(), &Session::settlementChanged, this,
            [this](QString const&, QString const& status, QString const& text) {
                if (status == QLatin1String("confirmed")) notify(tr("Payment settled"), text);
            });
    keepAutostartInStep();

    if (!options_.screenshot_dir.isEmpty()) {
        // Screenshots need the window; the tour quits the app when it is done.
        // scripts/screenshots unlocks its demo wallet from a 0600 file, so the pictures show paid
        // lanes, settlements and the history.
        if (auto const file = qEnvironmentVariable("LANETORRENT_SCREENSHOT_PASSPHRASE_FILE");
            !file.isEmpty()) {
            QFile passphrase(file);
            if (passphrase.open(QIODevice::ReadOnly)) {
                auto const unlocked =
                    wallet_->unlock(QString::fromUtf8(passphrase.readLine()).trimmed());
                if (!unlocked)
                    report(QStringLiteral("screenshot wallet: ") +
                           QString::fromStdString(unlocked.error()));
            }
        }
        auto* tour = new ScreenshotTour(*window_, options_.screenshot_dir, options_.sources, this);
        showWindow();
        tour->start();
        return Ok{};
    }

    bool const tray = QSystemTrayIcon::isSystemTrayAvailable();
    if (tray) tray_->show();
    // Without a tray a hidden window could not be reached again, so it always shows.
    if (!options_.minimized || !tray) showWindow();
    if (auto const listening = instance_.listen(); !listening) {
        // Forwarding is a convenience: without it this instance still works, and a later launch
        // only fails to hand over its links. So start, and say why and what it means.
        auto const notice =
            tr("A second launch cannot pass links to this window (%1). Add them here instead; "
               "restarting LaneTorrent may fix it.")
                .arg(QString::fromStdString(listening.error()));
        report(QStringLiteral("running without forwarding: ") +
               QString::fromStdString(listening.error()));
        window_->statusBar()->showMessage(notice);
        notify(tr("LaneTorrent"), notice);
    }
    report(QStringLiteral("ready"));
    watchPaidLanes();
    for (auto const& source : options_.sources) window_->addSource(source, options_.skip_dialog);
    return Ok{};
}

// Never a silent slow lane: the keyring or a prompt unlocks the wallet when a paid lane is
// wanted, and a download held in the slow lane says why in a notification.
void Application::watchPaidLanes() {
    watch_ = std::make_unique<PaidLaneWatch>(*session_, *wallet_);
    connect(watch_.get(), &PaidLaneWatch::unlockWanted, this, &Application::askToUnlock);
    connect(watch_.get(), &PaidLaneWatch::heldInSlow, this,
            [this](QString const&, QString const& name, QString const& message) {
                notify(tr("Download held in the slow lane"),
                       QStringLiteral("%1\n%2").arg(name, message));
            });
    connect(watch_.get(), &PaidLaneWatch::keyringResult, this,
            [this](bool unlocked, QString const& message) {
                report(unlocked ? QStringLiteral("wallet unlocked from the keyring")
                                : QStringLiteral("keyring: ") + message);
                window_->statusBar()->showMessage(message, 10'000);
            });
    auto& keeper = wallet_->passphrase_keeper();
    for (auto signal : {&PassphraseKeeper::rememberFinished, &PassphraseKeeper::forgetFinished}) {
        connect(&keeper, signal, this, [this](bool ok, QString const& message) {
            window_->statusBar()->showMessage(message, 10'000);
            if (!ok) notify(tr("System keyring"), message);
        });
    }
    // From the event loop: the window is drawn first, and whoever listens to the watch (the
    // tray, a test) is connected before its first notice.
    QTimer::singleShot(0, watch_.get(), [watch = watch_.get()] { watch->start(); });
}

void Application::askToUnlock(QString const& reason) {
    if (unlock_prompt_) {
        unlock_prompt_->set_reason(reason);
        unlock_prompt_->raise();
        return;
    }
    report(QStringLiteral("asking for the wallet passphrase"));
    // Over the window when it shows; on its own when the app runs hidden in the tray.
    auto* parent = window_->isVisible() ? window_.get() : nullptr;
    unlock_prompt_ = new KeystoreDialog(*wallet_, KeystoreDialog::Mode::unlock, parent);
    unlock_prompt_->setAttribute(Qt::WA_DeleteOnClose);
    unlock_prompt_->set_reason(reason);
    unlock_prompt_->open();
    unlock_prompt_->raise();
    unlock_prompt_->activateWindow();
}

KeystoreDialog* Application::unlock_prompt() const {
    return unlock_prompt_.data();
}

// A later launch: it means "show me the app" even if this one started hidden.
void Application::addSources(QStringList const& sources, bool skip_dialog) {
    window_->bringToFront();
    for (auto const& source : sources) window_->addSource(source, skip_dialog);
}

void Application::showWindow() {
    window_->bringToFront();
}

void Application::toggleWindow() {
    if (window_->isVisible() && !window_->isMinimized()) {
        window_->hide();
    } else {
        showWindow();
    }
}

void Application::closeToTray() {
    bool const tray = QSystemTrayIcon::isSystemTrayAvailable() && tray_->isVisible();
    if (!tray) {
        // Minimising without a tray leaves the window in the taskbar; closing it quits.
        if (!window_->isMinimized()) quit();
        return;
    }
    if (!settings_.close_to_tray() && !settings_.seed_24_7() && !window_->isMinimized()) {
        quit();
        return;
    }
    window_->hide();
    if (!settings_.tray_notice_shown()) {
        tray_->showMessage(tr("LaneTorrent keeps running"),
                           tr("It goes on seeding in the tray. Use Quit in the tray menu to stop "
                              "it."),
                           QSystemTrayIcon::Information);
        settings_.set_tray_notice_shown(true);
        settings_.sync();
    }
}

bool Application::downloading() const {
    for (auto const& row : session_->rows()) {
        if (in_progress(row)) return true;
    }
    return false;
}

void Application::quit() {
    if (downloading()) {
        auto const answer = QMessageBox::question(
            window_->isVisible() ? window_.get() : nullptr, tr("Quit LaneTorrent"),
            tr("Downloads are in progress. They continue where they stopped the next time "
               "LaneTorrent starts. Quit now?"));
        if (answer != QMessageBox::Yes) return;
    }
    QCoreApplication::exit(0);
}

void Application::notify(QString const& title, QString const& text) {
    if (!settings_.notifications() || !tray_->isVisible()) return;
    tray_->showMessage(title, text, QSystemTrayIcon::Information);
}

// The settings dialog stores the wish; the entry itself follows it here, with the path of this
// binary when it is not the `lanetorrent` on PATH (a build tree).
void Application::keepAutostartInStep() {
    if (settings_.autostart() == autostart_enabled()) return;
    auto const self = QCoreApplication::applicationFilePath();
    auto const program = QStandardPaths::findExecutable(QStringLiteral("lanetorrent")) == self
                             ? QStringLiteral("lanetorrent")
                             : self;
    if (auto const done = set_autostart(settings_.autostart(), program, options_.profile_dir);
        !done) {
        report(QString::fromStdString(done.error()));
    }
}

bool Application::eventFilter(QObject* watched, QEvent* event) {
    if (watched == window_.get() && tray_ &&
        (event->type() == QEvent::Show || event->type() == QEvent::Hide)) {
        tray_->setWindowShown(event->type() == QEvent::Show);
    }
    return QObject::eventFilter(watched, event);
}

}  // namespace lanetorrent::ui
