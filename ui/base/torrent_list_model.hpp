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

// Human-readable figures the list, the tray and the details pane share.
QString format_bytes(qint64 bytes);                 // "1.5 MiB"
QString format_rate(qint64 bytes_per_s);            // "1.5 MiB/s", empty for 0
QString format_eta(std::optional<qint64> seconds);  // "2h 5m", "∞" when unknown
QString format_units(qint64 units);                 // token base units (6 decimals) as "12.5 BTT"
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
