#include "app/screenshot_tour.hpp"

#include <QApplication>
#include <QDialog>
#include <QPixmap>
#include <QTimer>
#include <cstdio>

#include "gui/main_window.hpp"
#include "gui/player_window.hpp"

namespace lanetorrent::ui {
namespace {

// Long enough for the demo torrent to connect and show progress, rates and a lane.
constexpr int download_ms = 12000;
constexpr int settle_ms = 2500;  // a page or dialog lays out and loads (balances, QR code)
constexpr int play_ms = 12000;   // metadata, the first pieces, then some seconds of playback

}  // namespace

ScreenshotTour::ScreenshotTour(MainWindow& window, QString const& dir, QStringList sources,
                               QObject* parent)
    : QObject(parent), window_(window), dir_(dir), sources_(std::move(sources)) {}

void ScreenshotTour::start() {
    dir_.mkpath(QStringLiteral("."));
    window_.resize(1200, 720);
    if (!sources_.isEmpty()) window_.addSource(sources_.first(), true);
    QTimer::singleShot(sources_.isEmpty() ? settle_ms : download_ms, this, [this] {
        grab_window(QStringLiteral("main-window"));
        if (sources_.size() < 2) {
            wallet_page();
            return;
        }
        // The add dialog may run its own event loop (exec), so it is grabbed from a timer that
        // fires inside that loop.
        QTimer::singleShot(settle_ms, this, &ScreenshotTour::grab_dialog);
        window_.addSource(sources_.at(1), false);
    });
}

void ScreenshotTour::grab_window(QString const& name) {
    save(window_, name);
}

void ScreenshotTour::grab_dialog() {
    QDialog* dialog = nullptr;
    for (auto* widget : QApplication::topLevelWidgets()) {
        if (auto* candidate = qobject_cast<QDialog*>(widget); candidate && candidate->isVisible()) {
            dialog = candidate;
        }
    }
    if (dialog) {
        save(*dialog, QStringLiteral("add-dialog"));
        dialog->reject();
    } else {
        std::fprintf(stderr, "lanetorrent: no add dialog to grab\n");
    }
    QTimer::singleShot(0, this, &ScreenshotTour::wallet_page);
}

void ScreenshotTour::wallet_page() {
    window_.showWalletPage();
    QTimer::singleShot(settle_ms, this, [this] {
        grab_window(QStringLiteral("wallet"));
        if (sources_.size() < 3) {
            QCoreApplication::exit(0);
            return;
        }
        player();
    });
}

// The third source is a video: added, played while it downloads, and the player grabbed once
// it has shown some seconds (the seek bar then has downloaded parts ahead of the playhead).
void ScreenshotTour::player() {
    window_.showTorrentList();
    // The demo download is paused first, as a viewer would: the video gets the seller's lanes.
    window_.pauseSelected();
    window_.addSource(sources_.at(2), true);
    window_.playSelected();  // the torrent just added is the one selected
    QTimer::singleShot(play_ms, this, [this] {
        PlayerWindow* player = nullptr;
        for (auto* widget : QApplication::topLevelWidgets()) {
            if (auto* candidate = qobject_cast<PlayerWindow*>(widget); candidate)
                player = candidate;
        }
        if (player) {
            save(*player, QStringLiteral("player"));
        } else {
            std::fprintf(stderr, "lanetorrent: no player window to grab\n");
        }
        QCoreApplication::exit(0);
    });
}

bool ScreenshotTour::save(QWidget& widget, QString const& name) {
    auto const path = dir_.absoluteFilePath(name + QStringLiteral(".png"));
    bool const saved = widget.grab().save(path, "PNG");
    std::fprintf(stdout, "lanetorrent: %s %s\n", saved ? "screenshot" : "cannot write",
                 path.toLocal8Bit().constData());
    std::fflush(stdout);
    return saved;
}

}  // namespace lanetorrent::ui
