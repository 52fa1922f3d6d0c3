// Paints a progress bar in a table cell. The value (0..`full`) comes from `role` of the same index
// (Qt::UserRole by default), so the model keeps its text for sorting and copying.
#pragma once

#include <QStyledItemDelegate>

namespace lanetorrent::ui {

class ProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
  public:
    explicit ProgressDelegate(QObject* parent = nullptr, int role = Qt::UserRole, double full = 1.0)
        : QStyledItemDelegate(parent), role_(role), full_(full) {}

    void paint(QPainter* painter, QStyleOptionViewItem const& option,
               QModelIndex const& index) const override;

  private:
    int role_;
    double full_;
};

}  // namespace lanetorrent::ui
