// Earned and spent per day as bars (Qt Charts), in whole tokens: what the lanes brought in
// against what downloads cost, over the last weeks.
#pragma once

#include <QChartView>
#include <vector>

#include "base/session.hpp"

class QBarSeries;

namespace lanetorrent::ui {

class EarningsChart : public QChartView {
    Q_OBJECT
  public:
    explicit EarningsChart(QWidget* parent = nullptr);

    // `days` oldest first, amounts in base units with `precision` decimals.
    void set_days(std::vector<DayTotals> const& days, int precision, QString const& unit);
    QBarSeries* series() const { return series_; }
    QStringList categories() const;

  private:
    QBarSeries* series_ = nullptr;
};

}  // namespace lanetorrent::ui
