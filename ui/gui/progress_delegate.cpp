#include "gui/progress_delegate.hpp"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>
#include <algorithm>

namespace lanetorrent::ui {

void ProgressDelegate::paint(QPainter* painter, QStyleOptionViewItem const& option,
                             QModelIndex const& index) const {
    QVariant const value = index.data(role_);
    if (!value.isValid()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    double const fraction = std::clamp(value.toDouble() / full_, 0.0, 1.0);
    QStyle* style = option.widget ? option.widget->style() : QApplication::style();
    // Selection background first, so a selected row stays one band of colour.
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &option, painter, option.widget);

    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(1, 1, -1, -1);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = static_cast<int>(fraction * 1000);
    bar.text = QString::number(fraction * 100, 'f', 1) + " %";
    bar.textVisible = true;
    bar.palette = option.palette;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
}

}  // namespace lanetorrent::ui
