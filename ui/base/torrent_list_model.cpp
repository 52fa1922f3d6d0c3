#include "base/torrent_list_model.hpp"

#include "base/display_text.hpp"
#include "base/format.hpp"

#include <cmath>
#include <set>

namespace lanetorrent::ui {

namespace {

// Whether `column` shows something different for `a` and `b`.
bool differs(TorrentRow const& a, TorrentRow const& b, int column) {
    switch (column) {
        case TorrentListModel::name:
            return a.name != b.name;
        case TorrentListModel::size:
            return a.size != b.size;
        case TorrentListModel::progress:
            return a.progress != b.progress;
        case TorrentListModel::state:
            return a.state != b.state || a.error != b.error;
        case TorrentListModel::down_rate:
            return a.download_rate != b.download_rate;
        case TorrentListModel::up_rate:
            return a.upload_rate != b.upload_rate;
        case TorrentListModel::lane:
            return a.lane != b.lane;
        case TorrentListModel::peers:
            return a.peers != b.peers || a.seeds != b.seeds;
        case TorrentListModel::eta:
            return a.eta_seconds != b.eta_seconds;
        case TorrentListModel::spent:
            return a.spent_units != b.spent_units;
        case TorrentListModel::earned:
            return a.earned_units != b.earned_units;
        default:
            return false;
    }
}

}  // namespace

QString rate_cell(qint64 bytes_per_second) {
    return bytes_per_second > 0 ? QString::fromStdString(format_rate(bytes_per_second)) : QString();
}

QString amount_cell(qint64 units) {
    return units > 0 ? QString::fromStdString(format_btt(units)) : QString();
}

QString eta_cell(std::optional<qint64> seconds) {
    if (!seconds) return QStringLiteral("∞");
    if (*seconds <= 0) return {};
    // base/format's "1 h 02 min", in words the translation chooses.
    auto const s = *seconds;
    if (s < 60) return TorrentListModel::tr("%1 s").arg(s);
    auto const two = [](qint64 n) { return QStringLiteral("%1").arg(n, 2, 10, QLatin1Char('0')); };
    if (s < 3600) return TorrentListModel::tr("%1 min %2 s").arg(s / 60).arg(two(s % 60));
    if (s < 86400) return TorrentListModel::tr("%1 h %2 min").arg(s / 3600).arg(two(s / 60 % 60));
    return TorrentListModel::tr("%1 d %2 h").arg(s / 86400).arg(two(s / 3600 % 24));
}

QString state_text(TorrentState state) {
    switch (state) {
        case TorrentState::checking:
            return TorrentListModel::tr("Checking");
        case TorrentState::downloading_metadata:
            return TorrentListModel::tr("Fetching metadata");
        case TorrentState::downloading:
            return TorrentListModel::tr("Downloading");
        case TorrentState::seeding:
            return TorrentListModel::tr("Seeding");
        case TorrentState::paused:
            return TorrentListModel::tr("Paused");
        case TorrentState::error:
            return TorrentListModel::tr("Error");
    }
    return {};
}

QString lane_text(lanes::Lane lane) {
    switch (lane) {
        case lanes::Lane::slow:
            return TorrentListModel::tr("Slow");
        case lanes::Lane::medium:
            return TorrentListModel::tr("Medium");
        case lanes::Lane::fast:
            return TorrentListModel::tr("Fast");
    }
    return {};
}

TorrentListModel::TorrentListModel(Session& session, QObject* parent)
    : QAbstractTableModel(parent), session_(session) {
    connect(&session_, &Session::torrentsUpdated, this, &TorrentListModel::refresh);
    connect(&session_, &Session::torrentAdded, this, &TorrentListModel::refresh);
    connect(&session_, &Session::torrentRemoved, this, &TorrentListModel::refresh);
    refresh();
}

int TorrentListModel::rowCount(QModelIndex const& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int TorrentListModel::columnCount(QModelIndex const& parent) const {
    return parent.isValid() ? 0 : column_count;
}

int TorrentListModel::row_of(QString const& id) const {
    return index_.value(id, -1);
}

void TorrentListModel::reindex() {
    index_.clear();
    index_.reserve(static_cast<qsizetype>(rows_.size()));
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        index_.insert(QString::fromStdString(rows_[i].id), static_cast<int>(i));
    }
}

void TorrentListModel::refresh() {
    auto const& ids = session_.torrent_ids();
    bool same = ids.size() == rows_.size();
    for (std::size_t i = 0; same && i < ids.size(); ++i) same = ids[i] == rows_[i].id;
    if (!same) sync_rows(ids);

    // Rows whose revision moved, in runs of adjacent rows: one dataChanged per run, over the
    // columns that changed in it.
    int run_first = -1;
    int left = column_count;
    int right = -1;
    auto flush = [&](int end) {
        if (run_first >= 0) emit dataChanged(index(run_first, left), index(end - 1, right));
        run_first = -1;
        left = column_count;
        right = -1;
    };
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        auto& mine = rows_[i];
        auto const* theirs = session_.find_row(mine.id);
        int first = -1;
        int last = -1;
        if (theirs && theirs->revision != mine.revision) {
            for (int column = 0; column < column_count; ++column) {
                if (!differs(mine, *theirs, column)) continue;
                if (first < 0) first = column;
                last = column;
            }
            mine = *theirs;
        }
        if (first < 0) {
            flush(static_cast<int>(i));
            continue;
        }
        if (run_first < 0) run_first = static_cast<int>(i);
        left = std::min(left, first);
        right = std::max(right, last);
    }
    flush(static_cast<int>(rows_.size()));
}

void TorrentListModel::sync_rows(std::vector<TorrentId> const& ids) {
    std::set<TorrentId> const wanted(ids.begin(), ids.end());
    // Removals, from the back so indexes stay valid, one signal per contiguous run.
    for (int i = static_cast<int>(rows_.size()) - 1; i >= 0;) {
        if (wanted.count(rows_[static_cast<std::size_t>(i)].id)) {
            --i;
            continue;
        }
        int first = i;
        while (first > 0 && !wanted.count(rows_[static_cast<std::size_t>(first - 1)].id)) --first;
        beginRemoveRows({}, first, i);
        rows_.erase(rows_.begin() + first, rows_.begin() + i + 1);
        endRemoveRows();
        i = first - 1;
    }
    reindex();

    // The session keeps add order and what is left here is a subsequence of it, so walking
    // both lists in step finds every insertion point.
    std::size_t pos = 0;
    for (std::size_t f = 0; f < ids.size();) {
        if (pos < rows_.size() && rows_[pos].id == ids[f]) {
            ++pos;
            ++f;
            continue;
        }
        auto const next_known = pos < rows_.size() ? rows_[pos].id : TorrentId{};
        std::vector<TorrentRow> fresh;
        for (; f < ids.size() && ids[f] != next_known; ++f) {
            auto const* row = session_.find_row(ids[f]);
            if (!row || index_.contains(QString::fromStdString(ids[f]))) {
                // Not a subsequence (the session reordered): rare enough to start over.
                beginResetModel();
                rows_ = session_.rows();
                reindex();
                endResetModel();
                return;
            }
            fresh.push_back(*row);
        }
        int const count = static_cast<int>(fresh.size());
        beginInsertRows({}, static_cast<int>(pos), static_cast<int>(pos) + count - 1);
        rows_.insert(rows_.begin() + static_cast<std::ptrdiff_t>(pos),
                     std::make_move_iterator(fresh.begin()), std::make_move_iterator(fresh.end()));
        endInsertRows();
        pos += fresh.size();
    }
    reindex();
}

QVariant TorrentListModel::data(QModelIndex const& index, int role) const {
    if (!index.isValid() || index.row() >= static_cast<int>(rows_.size())) return {};
    auto const& row = rows_[static_cast<std::size_t>(index.row())];
    if (role == IdRole) return QString::fromStdString(row.id);
    if (role == StateRole) return static_cast<int>(row.state);
    if (role == ProgressRole) return row.progress * 100.0;
    if (role == SortRole) {
        switch (index.column()) {
            case name:
                return row.name;
            case size:
                return row.size;
            case progress:
                return row.progress;
            case state:
                return static_cast<int>(row.state);
            case down_rate:
                return row.download_rate;
            case up_rate:
                return row.upload_rate;
            case lane:
                return static_cast<int>(row.lane);
            case peers:
                return row.peers;
            case eta:
                // Unknown sorts after every known time.
                return row.eta_seconds ? *row.eta_seconds : std::numeric_limits<qint64>::max();
            case spent:
                return row.spent_units;
            case earned:
                return row.earned_units;
            default:
                return {};
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
            case name:
                return display_text(row.name);
            case size:
                return row.size > 0 ? QString::fromStdString(format_bytes(row.size)) : QString();
            case progress:
                return QStringLiteral("%1%").arg(row.progress * 100.0, 0, 'f', 1);
            case state:
                return state_text(row.state);
            case down_rate:
                return rate_cell(row.download_rate);
            case up_rate:
                return rate_cell(row.upload_rate);
            case lane:
                return lane_text(row.lane);
            case peers:
                return QStringLiteral("%1 (%2)").arg(row.peers).arg(row.seeds);
            case eta:
                if (row.state != TorrentState::downloading) return QString();
                return eta_cell(row.eta_seconds);
            case spent:
                return amount_cell(row.spent_units);
            case earned:
                return amount_cell(row.earned_units);
            default:
                return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == state && !row.error.isEmpty()) return display_text(row.error);
        if (index.column() == name) return display_text(row.save_path);
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() != name && index.column() != state &&
        index.column() != lane) {
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant TorrentListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case name:
            return tr("Name");
        case size:
            return tr("Size");
        case progress:
            return tr("Progress");
        case state:
            return tr("State");
        case down_rate:
            return tr("Down");
        case up_rate:
            return tr("Up");
        case lane:
            return tr("Lane");
        case peers:
            return tr("Peers");
        case eta:
            return tr("ETA");
        case spent:
            return tr("Spent");
        case earned:
            return tr("Earned");
        default:
            return {};
    }
}

}  // namespace lanetorrent::ui
