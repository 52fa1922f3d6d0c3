#include "gui/earnings_chart.hpp"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QDateTime>
#include <QValueAxis>
#include <cmath>

namespace lanetorrent::ui {

EarningsChart::EarningsChart(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    auto* chart = new QChart;
    chart->setTitle(tr("Earned and spent per day"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    series_ = new QBarSeries(chart);
    chart->addSeries(series_);
    setChart(chart);
    set_days({}, 6, QStringLiteral("BTT"));
}

void EarningsChart::set_days(std::vector<DayTotals> const& days, int precision,
                             QString const& unit) {
    series_->clear();
    auto* earned = new QBarSet(tr("Earned"));
    auto* spent = new QBarSet(tr("Spent"));
    QStringList labels;
    double const scale = std::pow(10.0, precision);
    double top = 0;
    for (auto const& day : days) {
        earned->append(double(day.earned) / scale);
        spent->append(double(day.spent) / scale);
        top = std::max({top, double(day.earned) / scale, double(day.spent) / scale});
        // Thirty "Nov 3" labels do not fit under a page-wide chart: the month is named only on
        // the first day and on the 1st. Up to 31 consecutive days stay unique, as the axis needs.
        auto const date = QDateTime::fromMSecsSinceEpoch(day.day_start_ms, Qt::UTC).date();
        bool const named = labels.isEmpty() || date.day() == 1;
        labels << date.toString(named ? QStringLiteral("MMM d") : QStringLiteral("d"));
    }
    series_->append(earned);
    series_->append(spent);

    auto* chart = this->chart();
    for (auto* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
    auto* x = new QBarCategoryAxis;
    x->append(labels);
    auto* y = new QValueAxis;
    y->setRange(0, top > 0 ? top * 1.1 : 1);
    y->setLabelFormat(QStringLiteral("%.6g"));
    y->setTitleText(unit);
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    series_->attachAxis(x);
    series_->attachAxis(y);
}

QStringList EarningsChart::categories() const {
    for (auto* axis : chart()->axes(Qt::Horizontal)) {
        if (auto* categories = qobject_cast<QBarCategoryAxis*>(axis)) {
            return categories->categories();
        }
    }
    return {};
}

}  // namespace lanetorrent::ui
