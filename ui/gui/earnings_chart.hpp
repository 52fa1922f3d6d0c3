// Earned and spent per day as bars side by side (Qt Charts), in whole tokens: what the lanes
// brought in against what downloads cost, over the last weeks. The x-axis names days as dates
// ("Dec 3"), as many as fit its width; the y-axis has round ticks (1, 2 or 5 × 10ⁿ); colours
// come from the widget's palette, so a dark theme gets a dark chart.
#pragma once

#include <QChartView>
#include <QStringList>
#include <vector>

#include "base/session.hpp"

class QBarSeries;
class QCategoryAxis;
class QValueAxis;

namespace lanetorrent::ui {

// A value axis from 0 to `max` in steps of `step` (1, 2 or 5 × 10ⁿ), showing `decimals`.
struct AxisScale {
    double max = 1;
    double step = 0.2;
    int decimals = 1;
};
// The smallest such scale that reaches `top` in at most `max_ticks` steps, with steps no finer
// than `resolution` (a token's smallest unit).
AxisScale round_scale(double top, int max_ticks = 5, double resolution = 1e-6);
// Every how many days a date label goes under the bars so that at most `max_labels` show.
int label_step(int days, int max_labels);

class EarningsChart : public QChartView {
    Q_OBJECT
  public:
    explicit EarningsChart(QWidget* parent = nullptr);

    // `days` oldest first, amounts in base units with `precision` decimals.
    void set_days(std::vector<DayTotals> const& days, int precision, QString const& unit);
    QBarSeries* series() const { return series_; }
    // The date labels the x-axis shows now, left to right.
    QStringList categories() const;
    QCategoryAxis* x_axis() const { return x_; }
    QValueAxis* y_axis() const { return y_; }
    // The colours the bars are painted in: earned, spent.
    QColor earned_color() const;
    QColor spent_color() const;

  protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

  private:
    void place_labels();
    void apply_palette();

    QBarSeries* series_ = nullptr;
    QCategoryAxis* x_ = nullptr;
    QValueAxis* y_ = nullptr;
    std::vector<qint64> day_starts_;  // UTC midnight of each bar
};

}  // namespace lanetorrent::ui
