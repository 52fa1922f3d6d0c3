// The files of one torrent for the details pane, with their download priority. Refreshed in place:
// a torrent's file list only changes length when metadata arrives.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "base/session.hpp"

namespace lanetorrent::ui {

// The three priorities the GUI offers, on libtorrent's 0..7 scale.
enum class FilePriority { skip = 0, normal = 4, high = 7 };
QString priority_name(int priority);

class FileListModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { path, size, progress, priority, column_count };

    using QAbstractTableModel::QAbstractTableModel;

    void set_files(std::vector<FileRow> files);
    FileRow const& file(int row) const { return files_.at(static_cast<std::size_t>(row)); }

    int rowCount(QModelIndex const& parent = {}) const override;
    int columnCount(QModelIndex const& parent = {}) const override;
    QVariant data(QModelIndex const& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

  private:
    std::vector<FileRow> files_;
};

}  // namespace lanetorrent::ui
