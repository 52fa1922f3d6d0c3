// Below the torrent list: the selected torrent's peers, files (with priorities), trackers and
// what it earned and cost per day. The window calls refresh() on every Session update.
// The Trackers tab reannounces, adds, edits and removes trackers (buttons and a context menu)
// and shows each tracker's whole answer, wrapped, with the same text as a tooltip.
#pragma once

#include <QTabWidget>
#include <optional>

#include "base/session.hpp"

class QLabel;
class QPushButton;
class QTableView;
class QTableWidget;

namespace lanetorrent::ui {

class FileListModel;
class PeerListModel;

class DetailsPane : public QTabWidget {
    Q_OBJECT
  public:
    explicit DetailsPane(Session& session, QWidget* parent = nullptr);

    void set_torrent(std::optional<TorrentId> id);
    std::optional<TorrentId> const& torrent() const { return torrent_; }
    void refresh();

    PeerListModel* peer_model() const { return peers_; }
    FileListModel* file_model() const { return files_; }
    // Sets the priority of the files at these rows and refreshes; errors show in the pane.
    void set_priority(QList<int> const& rows, int priority);

    // The Trackers tab's actions, callable from tests; an error also shows under the table.
    // `urls`: one per line, blank lines ignored.
    Status add_trackers(QString const& urls);
    Status edit_tracker(int row, QString const& url);
    Status remove_trackers(QList<int> const& rows);
    Status reannounce(QList<int> const& rows);  // every tracker when empty
    QTableWidget* tracker_table() const { return trackers_; }
    QString tracker_error() const;
    void refresh_trackers();

  signals:
    // "Play" on a file in the Files tab (its index, as Session::play takes it).
    void playFileRequested(lanetorrent::TorrentId id, int file_index);

  private:
    void refresh_history();
    QList<int> selected_tracker_rows() const;
    void show_tracker_menu(QPoint const& pos);
    void ask_add_trackers();
    void ask_edit_tracker();
    Status tracker_result(Status status);
    void show_file_menu(QPoint const& pos);

    Session& session_;
    std::optional<TorrentId> torrent_;
    PeerListModel* peers_ = nullptr;
    FileListModel* files_ = nullptr;
    QTableView* file_view_ = nullptr;
    QTableWidget* trackers_ = nullptr;
    std::vector<TrackerRow> tracker_rows_;
    QLabel* tracker_error_ = nullptr;
    QPushButton* edit_tracker_ = nullptr;
    QPushButton* remove_tracker_ = nullptr;
    QTableWidget* history_ = nullptr;
    QLabel* history_total_ = nullptr;
    int ticks_ = 0;
};

}  // namespace lanetorrent::ui
