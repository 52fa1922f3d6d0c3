// TorrentListModel: the main window's torrent table over Session::rows(). It refreshes about once
// a second without resetting: rows are inserted and removed as torrents come and go, and
// dataChanged covers only the rows whose values changed, so selections, scroll position and the
// sort survive, and 1,000 torrents cost little when few of them move.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <vector>

#include "base/session.hpp"

namespace lanetorrent::ui {

// Cell texts the list and the details pane share. The figures come from base/format.hpp (src/base),
// the one formatting module the CLI uses too; a cell stays empty where a figure says nothing (no
// rate, nothing spent), so the eye finds the torrents that move.
QString rate_cell(qint64 bytes_per_second);       // "2.4 MiB/s", empty for 0
QString amount_cell(qint64 units);                // BTT base units as "1.5 BTT", empty for 0
QString eta_cell(std::optional<qint64> seconds);  // "1 h 02 min", "∞" when unknown
QString state_text(TorrentState state);
QString lane_text(lanes::Lane lane);

class TorrentListModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column {
        name,
        size,
        progress,
        state,
        down_rate,
        up_rate,
        lane,
        peers,
        eta,
        spent,
        earned,
        column_count,
    };
    enum Role {
        SortRole = Qt::UserRole,  // the raw value of a column (numbers as numbers)
        ProgressRole,             // 0..100 as a double, for the progress-bar delegate
        IdRole,                   // the torrent id (QString), any column
        StateRole,                // TorrentState as int, any column
    };

    // Follows the session's signals by itself; `session` must outlive the model.
    explicit TorrentListModel(Session& session, QObject* parent = nullptr);

    int rowCount(QModelIndex const& parent = {}) const override;
    int columnCount(QModelIndex const& parent = {}) const override;
    QVariant data(QModelIndex const& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Pulls Session::rows() and emits the smallest set of signals that describes the change.
    void refresh();

    TorrentRow const& torrent_at(int row) const { return rows_.at(static_cast<std::size_t>(row)); }
    int row_of(QString const& id) const;  // -1 if not listed

  private:
    Session& session_;
    std::vector<TorrentRow> rows_;
    QHash<QString, int> index_;  // id -> row
    void reindex();
    void sync_rows(std::vector<TorrentId> const& ids);  // inserts and removes rows
};

}  // namespace lanetorrent::ui
