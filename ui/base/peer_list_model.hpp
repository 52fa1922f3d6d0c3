// The connected peers of one torrent for the details pane. Refreshed in place about once a second:
// rows keep their place when the peer set is unchanged, so selection and scrolling survive.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "lanes/lane_service.hpp"

namespace lanetorrent::ui {

class PeerListModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { address, client, lane, down_rate, up_rate, debt, paid, column_count };

    using QAbstractTableModel::QAbstractTableModel;

    void set_peers(std::vector<lanes::PeerLane> peers);
    lanes::PeerLane const& peer(int row) const { return peers_.at(static_cast<std::size_t>(row)); }

    int rowCount(QModelIndex const& parent = {}) const override;
    int columnCount(QModelIndex const& parent = {}) const override;
    QVariant data(QModelIndex const& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    std::vector<lanes::PeerLane> peers_;
};

}  // namespace lanetorrent::ui
