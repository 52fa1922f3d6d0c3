#include "gui/tray_icon.hpp"

#include <QIcon>
#include <QSignalBlocker>

#include "base/app_settings.hpp"
#include "base/format.hpp"
#include "base/session.hpp"
#include "gui/icons.hpp"

namespace lanetorrent::ui {
namespace {

QString rate_text(qint64 bytes_per_second) {
    return QString::fromStdString(format_rate(bytes_per_second));
}

// Every decimal that is not zero: small earnings stay visible (0.000001 BTT).
QString btt_text(qint64 units) {
    return QString::fromStdString(format_btt(units));
}

bool active(TorrentRow const& row) {
    return row.state == TorrentState::downloading || row.state == TorrentState::seeding ||
           row.state == TorrentState::downloading_metadata;
}

}  // namespace

TrayIcon::TrayIcon(Session& session, AppSettings& settings, QObject* parent)
    : QSystemTrayIcon(parent), session_(session), settings_(settings) {
    setIcon(QIcon(QStringLiteral(":/lanetorrent.svg")));
    toggle_window_ = menu_.addAction(tr("Show window"), this, &TrayIcon::toggleWindowRequested);
    menu_.addSeparator();
    menu_.addAction(tr("Pause all"), this, [this] { session_.pause_all(); });
    menu_.addAction(tr("Resume all"), this, [this] { session_.resume_all(); });
    seed_24_7_ = menu_.addAction(tr("Seed 24/7"));
    seed_24_7_->setCheckable(true);
    seed_24_7_->setChecked(settings_.seed_24_7());
    seed_24_7_->setToolTip(tr("Keep seeding and earning while the window is closed"));
    connect(seed_24_7_, &QAction::toggled, this, [this](bool on) {
        settings_.set_seed_24_7(on);
        settings_.sync();
    });
    menu_.addAction(tr("Open wallet"), this, &TrayIcon::walletRequested);
    menu_.addSeparator();
    menu_.addAction(themed_icon(QStringLiteral("application-exit")), tr("Quit"), this,
                    &TrayIcon::quitRequested);
    setContextMenu(&menu_);
    // A left click toggles the window, as in most tray apps; the right click opens the menu.
    connect(this, &QSystemTrayIcon::activated, this, [this](ActivationReason reason) {
        if (reason == Trigger) emit toggleWindowRequested();
    });
    connect(&session_, &Session::torrentsUpdated, this, &TrayIcon::refresh);
    refresh();
}

QString TrayIcon::tooltip(TrayStatus const& status) {
    auto const torrents =
        status.active == 1 ? tr("1 active torrent") : tr("%1 active torrents").arg(status.active);
    return tr("LaneTorrent\nDown %1, up %2\n%3\nEarned today: %4")
        .arg(rate_text(status.download_rate), rate_text(status.upload_rate), torrents,
             btt_text(status.earned_today));
}

void TrayIcon::setWindowShown(bool shown) {
    toggle_window_->setText(shown ? tr("Hide window") : tr("Show window"));
}

void TrayIcon::refresh() {
    TrayStatus status{.download_rate = session_.download_rate(),
                      .upload_rate = session_.upload_rate(),
                      .active = 0,
                      .earned_today = session_.earned_today()};
    for (auto const& row : session_.rows()) status.active += active(row) ? 1 : 0;
    setToolTip(tooltip(status));
    // Someone may have changed the setting in the settings dialog meanwhile.
    QSignalBlocker const blocker(seed_24_7_);
    seed_24_7_->setChecked(settings_.seed_24_7());
}

}  // namespace lanetorrent::ui
