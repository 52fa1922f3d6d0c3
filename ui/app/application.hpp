// Application: the running app once this process is the profile's first instance. Wires the
// Session, the WalletService, the MainWindow, the tray icon and the single-instance server, and
// owns what the window alone cannot decide: hiding to the tray, quitting (asking only while
// something downloads), notifications, and quitting cleanly on SIGTERM.
//
// On stdout it reports "lanetorrent: ready" once the window is up and later launches can reach it
// ("lanetorrent: running without forwarding: <why>" before it when they cannot: a socket that
// cannot be listened on is not fatal) and "lanetorrent: added <info-hash>" for each torrent added,
// for scripts and the tests.
#pragma once

#include <QObject>
#include <QPointer>
#include <QSet>
#include <memory>

#include "app/command_line.hpp"
#include "app/quit_on_signal.hpp"
#include "base/app_settings.hpp"
#include "base/profile.hpp"
#include "base/result.hpp"

namespace lanetorrent::ui {

class KeystoreDialog;
class MainWindow;
class PaidLaneWatch;
class Session;
class SingleInstance;
class TrayIcon;
class WalletService;

class Application : public QObject {
    Q_OBJECT
  public:
    Application(CommandLine options, Profile profile, SingleInstance& instance);
    ~Application() override;  // closes the window first, the Session (saving resume data) last

    // Opens the session and shows the window, or only the tray icon with --minimized. Errors are
    // for a person (the engine could not open the profile).
    Status start();

    // The passphrase prompt when one is open (at start, when a paid lane is wanted and the wallet
    // is locked, or when a torrent is set to a paid lane later), else nullptr.
    KeystoreDialog* unlock_prompt() const;
    PaidLaneWatch* paid_lane_watch() const { return watch_.get(); }
    MainWindow* window() const { return window_.get(); }

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void addSources(QStringList const& sources, bool skip_dialog);
    void showWindow();
    void toggleWindow();
    void closeToTray();
    void quit();  // asks first if a download is in progress
    bool downloading() const;
    void notify(QString const& title, QString const& text);
    void keepAutostartInStep();
    void askToUnlock(QString const& reason);
    void watchPaidLanes();

    CommandLine options_;
    Profile profile_;
    SingleInstance& instance_;
    AppSettings settings_;
    QuitOnSignal signals_;
    // Declaration order is destruction order reversed: the window goes before the session.
    std::unique_ptr<Session> session_;
    std::unique_ptr<WalletService> wallet_;
    std::unique_ptr<MainWindow> window_;
    std::unique_ptr<TrayIcon> tray_;
    std::unique_ptr<PaidLaneWatch> watch_;
    QPointer<KeystoreDialog> unlock_prompt_;
    QSet<QString> seen_downloading_;  // so restoring a finished torrent does not notify
};

}  // namespace lanetorrent::ui
