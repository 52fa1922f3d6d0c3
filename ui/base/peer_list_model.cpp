#include "base/peer_list_model.hpp"

#include "base/display_text.hpp"
#include "base/format.hpp"
#include "base/torrent_list_model.hpp"

namespace lanetorrent::ui {

namespace {

QString rate_text(std::int64_t bytes_per_second) {
    if (bytes_per_second <= 0) return {};
    return QString::fromStdString(format_rate(bytes_per_second));
}

bool same_peers(std::vector<lanes::PeerLane> const& a, std::vector<lanes::PeerLane> const& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].endpoint != b[i].endpoint) return false;
    }
    return true;
}

}  // namespace

void PeerListModel::set_peers(std::vector<lanes::PeerLane> peers) {
    if (!same_peers(peers_, peers)) {
        beginResetModel();
        peers_ = std::move(peers);
        endResetModel();
        return;
    }
    peers_ = std::move(peers);
    if (!peers_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, column_count - 1));
}

int PeerListModel::rowCount(QModelIndex const& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(peers_.size());
}

int PeerListModel::columnCount(QModelIndex const& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant PeerListModel::data(QModelIndex const& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    auto const& p = peers_[static_cast<std::size_t>(index.row())];
    if (role == Qt::ToolTipRole && index.column() == address && !p.address.empty()) {
        return QString::fromStdString(p.address);
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case address:
            return QString::fromStdString(p.endpoint);
        case client:
            return display_text(QString::fromStdString(p.client));
        case lane:
            return lane_text(p.lane);
        case down_rate:
            return rate_text(p.down_rate);
        case up_rate:
            return rate_text(p.up_rate);
        case debt:
            return p.debt ? QString::fromStdString(format_btt(p.debt)) : QString();
        case paid:
            return p.paid ? QString::fromStdString(format_btt(p.paid)) : QString();
        default:
            return {};
    }
}

QVariant PeerListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case address:
            return tr("Address");
        case client:
            return tr("Client");
        case lane:
            return tr("Lane");
        case down_rate:
            return tr("Down");
        case up_rate:
            return tr("Up");
        case debt:
            return tr("Owed");
        case paid:
            return tr("Paid");
        default:
            return {};
    }
}

}  // namespace lanetorrent::ui
