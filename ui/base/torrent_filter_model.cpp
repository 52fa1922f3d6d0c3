#include "base/torrent_filter_model.hpp"

#include "base/torrent_list_model.hpp"

namespace lanetorrent::ui {

TorrentFilterModel::TorrentFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
    setSortRole(TorrentListModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void TorrentFilterModel::set_state_filter(StateFilter filter) {
    if (filter == state_) return;
    state_ = filter;
    invalidateFilter();
}

void TorrentFilterModel::set_name_filter(QString const& text) {
    if (text == name_) return;
    name_ = text;
    invalidateFilter();
}

bool TorrentFilterModel::filterAcceptsRow(int source_row, QModelIndex const& source_parent) const {
    auto const* source = sourceModel();
    if (!source) return false;
    auto const first = source->index(source_row, TorrentListModel::name, source_parent);
    if (!name_.isEmpty() &&
        !first.data(Qt::DisplayRole).toString().contains(name_, Qt::CaseInsensitive)) {
        return false;
    }
    auto const state = static_cast<TorrentState>(first.data(TorrentListModel::StateRole).toInt());
    switch (state_) {
        case StateFilter::all:
            return true;
        case StateFilter::downloading:
            // Checking and fetching metadata are on the way to downloading.
            return state == TorrentState::downloading ||
                   state == TorrentState::downloading_metadata || state == TorrentState::checking;
        case StateFilter::seeding:
            return state == TorrentState::seeding;
        case StateFilter::paused:
            return state == TorrentState::paused;
        case StateFilter::error:
            return state == TorrentState::error;
    }
    return true;
}

}  // namespace lanetorrent::ui
