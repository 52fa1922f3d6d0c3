// Below the torrent list: the selected torrent's peers, files (with priorities), trackers and
// what it earned and cost per day. The window calls refresh() on every Session update.
#pragma once

#include <QTabWidget>
#include <optional>

#include "base/session.hpp"

class QLabel;
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

  private:
    void refresh_trackers();
    void refresh_history();
    void show_file_menu(QPoint const& pos);

    Session& session_;
    std::optional<TorrentId> torrent_;
    PeerListModel* peers_ = nullptr;
    FileListModel* files_ = nullptr;
    QTableView* file_view_ = nullptr;
    QTableWidget* trackers_ = nullptr;
    QTableWidget* history_ = nullptr;
    QLabel* history_total_ = nullptr;
    int ticks_ = 0;
};

}  // namespace lanetorrent::ui
