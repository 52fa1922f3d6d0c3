// TorrentFilterModel: the sortable, filterable view of a TorrentListModel the main window shows.
// Sorts by the raw values (SortRole), so "2 GiB" sorts after "900 MiB"; filters by state and by a
// piece of the name.
#pragma once

#include <QSortFilterProxyModel>

namespace lanetorrent::ui {

class TorrentFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
  public:
    enum class StateFilter { all, downloading, seeding, paused, error };

    explicit TorrentFilterModel(QObject* parent = nullptr);

    void set_state_filter(StateFilter filter);
    StateFilter state_filter() const { return state_; }
    void set_name_filter(QString const& text);  // case-insensitive substring; empty = any
    QString name_filter() const { return name_; }

  protected:
    bool filterAcceptsRow(int source_row, QModelIndex const& source_parent) const override;

  private:
    StateFilter state_ = StateFilter::all;
    QString name_;
};

}  // namespace lanetorrent::ui
