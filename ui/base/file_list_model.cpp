#include "base/file_list_model.hpp"

#include "base/display_text.hpp"

#include <QLocale>

namespace lanetorrent::ui {

QString priority_name(int priority) {
    if (priority <= 0) return QObject::tr("Skip");
    if (priority >= 6) return QObject::tr("High");
    return QObject::tr("Normal");
}

void FileListModel::set_files(std::vector<FileRow> files) {
    if (files.size() != files_.size()) {
        beginResetModel();
        files_ = std::move(files);
        endResetModel();
        return;
    }
    files_ = std::move(files);
    if (!files_.empty()) emit dataChanged(index(0, 0), index(rowCount() - 1, column_count - 1));
}

int FileListModel::rowCount(QModelIndex const& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(files_.size());
}

int FileListModel::columnCount(QModelIndex const& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant FileListModel::data(QModelIndex const& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    auto const& f = files_[static_cast<std::size_t>(index.row())];
    // The progress delegate paints from the raw fraction.
    if (role == Qt::UserRole && index.column() == progress) return f.progress;
    if (role == Qt::TextAlignmentRole && index.column() == size) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
        case path:
            return display_text(f.path);
        case size:
            return QLocale().formattedDataSize(f.size);
        case progress:
            return QString::number(f.progress * 100, 'f', 1) + " %";
        case priority:
            return priority_name(f.priority);
        default:
            return {};
    }
}

QVariant FileListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case path:
            return tr("File");
        case size:
            return tr("Size");
        case progress:
            return tr("Progress");
        case priority:
            return tr("Priority");
        default:
            return {};
    }
}

}  // namespace lanetorrent::ui
