// The tray icon: a tooltip with the rates, the active torrents and what seeding earned today, and
// a menu for what people do without opening the window. Only the app decides what the actions
// mean for the window; the icon just asks.
#pragma once

#include <QAction>
#include <QMenu>
#include <QSystemTrayIcon>

namespace lanetorrent::ui {

class AppSettings;
class Session;

struct TrayStatus {
    int download_rate = 0;  // bytes/s
    int upload_rate = 0;
    int active = 0;           // downloading or seeding, not paused
    qint64 earned_today = 0;  // token base units
};

class TrayIcon : public QSystemTrayIcon {
    Q_OBJECT
  public:
    TrayIcon(Session& session, AppSettings& settings, QObject* parent = nullptr);

    static QString tooltip(TrayStatus const& status);
    QMenu& menu() { return menu_; }

  public slots:
    void setWindowShown(bool shown);  // "Hide window" while it shows, "Show window" otherwise
    void refresh();

  signals:
    void toggleWindowRequested();
    void walletRequested();
    void quitRequested();

  private:
    Session& session_;
    AppSettings& settings_;
    QMenu menu_;
    QAction* toggle_window_ = nullptr;
    QAction* seed_24_7_ = nullptr;
};

}  // namespace lanetorrent::ui
