// The hidden `--screenshot DIR` mode used by scripts/screenshots: adds the first source at once
// and lets it download a while, then saves the main window, the add dialog (for the second
// source), the wallet page and the player on the third source (a video played while it
// downloads) as PNG files with QWidget::grab, and quits. Grabbing the widgets
// themselves needs no X tool and gives the same pictures under Xvfb or offscreen.
#pragma once

#include <QDir>
#include <QObject>
#include <QStringList>

namespace lanetorrent::ui {

class MainWindow;

class ScreenshotTour : public QObject {
    Q_OBJECT
  public:
    ScreenshotTour(MainWindow& window, QString const& dir, QStringList sources, QObject* parent);
    void start();

  private:
    void grab_window(QString const& name);
    void grab_dialog();
    void wallet_page();
    void player();
    bool save(QWidget& widget, QString const& name);

    MainWindow& window_;
    QDir dir_;
    QStringList sources_;
};

}  // namespace lanetorrent::ui
