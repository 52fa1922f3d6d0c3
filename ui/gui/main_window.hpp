// MainWindow: the torrent list with its filter, the details pane, toolbar and menus, and the
// wallet page as a second tab. It only talks to the base layer (Session, WalletService,
// AppSettings); the tray and the single-instance server live in ui/app and call the public slots.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <map>
#include <optional>
#include <vector>

#include "base/session.hpp"

class QAction;
class QActionGroup;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QMimeData;
class QTabWidget;
class QTableView;

namespace lanetorrent::ui {

class AppSettings;
class DetailsPane;
class Session;
class TorrentFilterModel;
class TorrentListModel;
class WalletService;

class PlayerWindow;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    MainWindow(Session& session, WalletService& wallet, AppSettings& settings,
               QWidget* parent = nullptr);
    ~MainWindow() override;

    // What a drop onto the window would add: local .torrent files and magnet links.
    static QStringList dropped_sources(QMimeData const* mime);

    QTableView* torrent_view() const { return view_; }
    TorrentListModel* torrent_model() const { return model_; }
    TorrentFilterModel* filter_model() const { return filter_; }
    DetailsPane* details() const { return details_; }
    std::vector<TorrentId> selected_ids() const;
    void select_torrent(TorrentId const& id);

  public slots:
    // Adds a .torrent path or magnet URI: through the add dialog, or at once when `skip_dialog`
    // (or the "skip the add dialog" setting) says so. Errors show in a message box.
    void addSource(QString const& source, bool skip_dialog);
    void showWalletPage();
    void showTorrentList();
    void bringToFront();  // show, raise, activate (a second launch asks for this)

    void addTorrentFile();  // file picker
    void addMagnet();       // input dialog
    void pauseSelected();
    void resumeSelected();
    void removeSelected();  // asks first, with "also delete the downloaded files"
    void openSelectedFolder();
    void limitSelected();  // asks for upload and download limits of the selected torrents
    void moveSelected();   // asks for a folder, then moves the selected torrents' files there
    // What the two dialogs do, callable from tests; errors are for a person.
    Status set_selected_limits(int upload_bytes_per_s, int download_bytes_per_s);
    Status move_selected(QString const& directory);
    // Plays the selected torrent while it downloads (its largest video file) in a player window.
    void playSelected();
    // Plays `file_index` of `id` (the largest video file when empty); errors in a message box.
    void play(lanetorrent::TorrentId const& id, std::optional<int> file_index = std::nullopt);
    void setSelectedLane(lanetorrent::lanes::Lane lane);
    void showSettings();

  signals:
    // The user closed or minimised the window while the tray may keep the app running; ui/app
    // decides whether to hide or quit.
    void closeRequested();
    void quitRequested();
    // The settings dialog saved its values; settings with effects outside the window (the
    // autostart entry) are applied by ui/app.
    void settingsApplied();

  protected:
    void closeEvent(QCloseEvent* event) override;
    void changeEvent(QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

  private:
    void create_actions();
    void create_menus();
    QWidget* create_torrent_page();
    void refresh();
    void update_actions();
    void show_torrent_menu(QPoint const& pos);
    void add_request(AddRequest const& request);
    void show_error(QString const& title, QString const& text);
    void connect_streams();
    PlayerWindow* player_for(QString const& id) const;
    void update_player(QString const& id);

    Session& session_;
    WalletService& wallet_;
    AppSettings& settings_;
    std::optional<lanes::Units> token_balance_;

    TorrentListModel* model_ = nullptr;
    TorrentFilterModel* filter_ = nullptr;
    QTableView* view_ = nullptr;
    QComboBox* state_filter_ = nullptr;
    QLineEdit* search_ = nullptr;
    DetailsPane* details_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    QWidget* torrent_page_ = nullptr;
    QWidget* wallet_page_ = nullptr;
    QLabel* rates_ = nullptr;
    QLabel* earned_ = nullptr;
    QLabel* node_down_ = nullptr;  // shown while the Tron node does not answer

    QAction* add_file_ = nullptr;
    QAction* add_magnet_ = nullptr;
    QAction* pause_ = nullptr;
    QAction* resume_ = nullptr;
    QAction* remove_ = nullptr;
    QAction* open_folder_ = nullptr;
    QAction* play_ = nullptr;
    QAction* limit_ = nullptr;
    QAction* move_ = nullptr;
    QAction* settings_action_ = nullptr;
    QAction* quit_ = nullptr;
    QMenu* lane_menu_ = nullptr;
    QActionGroup* lane_group_ = nullptr;
    // One player per torrent being streamed; closing it ends the stream.
    std::map<QString, QPointer<PlayerWindow>> players_;

  public:
    PlayerWindow* player(TorrentId const& id) const {
        return player_for(QString::fromStdString(id));
    }
};

}  // namespace lanetorrent::ui
