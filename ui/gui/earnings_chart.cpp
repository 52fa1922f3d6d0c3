#include "gui/earnings_chart.hpp"

#include <QBarSeries>
#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QDateTime>
#include <QEvent>
#include <QLegend>
#include <QLocale>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace lanetorrent::ui {

namespace {

// Room the y-axis labels and the chart's margins take from the width, before layout knows.
constexpr int axis_allowance_px = 90;
constexpr int label_gap_px = 14;

QString day_label(qint64 day_start_ms) {
    auto const date = QDateTime::fromMSecsSinceEpoch(day_start_ms, Qt::UTC).date();
    //: The day under each bar, a QDate format: "MMM d" is "Dec 3"; a language without short
    //: month names writes the month as a number ("M月d日").
    return QLocale().toString(date, EarningsChart::tr("MMM d"));
}

// `a` with `share` of `b` mixed in: grid lines a little apart from the background.
QColor mix(QColor const& a, QColor const& b, double share) {
    return QColor::fromRgbF(float(a.redF() * (1 - share) + b.redF() * share),
                            float(a.greenF() * (1 - share) + b.greenF() * share),
                            float(a.blueF() * (1 - share) + b.blueF() * share));
}

}  // namespace

AxisScale round_scale(double top, int max_ticks, double resolution) {
    max_ticks = std::max(max_ticks, 1);
    if (!(top > 0)) top = resolution * max_ticks;
    double const raw = std::max(top / max_ticks, resolution);
    double const magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = 10 * magnitude;
    for (double const m : {1.0, 2.0, 5.0, 10.0}) {
        // A relative slack, so 100 / 5 = 20 is a step of 20, not of 50.
        if (m * magnitude * max_ticks >= top * (1 - 1e-9)) {
            step = m * magnitude;
            break;
        }
    }
    AxisScale scale;
    scale.step = step;
    scale.max = std::ceil(top / step - 1e-9) * step;
    scale.decimals = std::max(0, -static_cast<int>(std::floor(std::log10(step) + 1e-9)));
    return scale;
}

int label_step(int days, int max_labels) {
    max_labels = std::max(max_labels, 1);
    for (int const step : {1, 2, 3, 5, 7, 10, 14, 15, 30}) {
        if ((days + step - 1) / step <= max_labels) return step;
    }
    return std::max(days, 1);
}

EarningsChart::EarningsChart(QWidget* parent) : QChartView(parent) {
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    auto* chart = new QChart;
    chart->setTitle(tr("Earned and spent per day"));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->setBackgroundRoundness(0);
    series_ = new QBarSeries(chart);
    chart->addSeries(series_);
    x_ = new QCategoryAxis(chart);
    x_->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    y_ = new QValueAxis(chart);
    y_->setTickType(QValueAxis::TicksDynamic);
    y_->setTickAnchor(0);
    y_->setMinorTickCount(0);
    chart->addAxis(x_, Qt::AlignBottom);
    chart->addAxis(y_, Qt::AlignLeft);
    series_->attachAxis(x_);
    series_->attachAxis(y_);
    setChart(chart);
    set_days({}, 6, QStringLiteral("BTT"));
}

void EarningsChart::set_days(std::vector<DayTotals> const& days, int precision,
                             QString const& unit) {
    series_->clear();
    auto* earned = new QBarSet(tr("Earned"));
    auto* spent = new QBarSet(tr("Spent"));
    double const scale = std::pow(10.0, precision);
    double top = 0;
    day_starts_.clear();
    for (auto const& day : days) {
        earned->append(double(day.earned) / scale);
        spent->append(double(day.spent) / scale);
        top = std::max({top, double(day.earned) / scale, double(day.spent) / scale});
        day_starts_.push_back(day.day_start_ms);
    }
    series_->append(earned);
    series_->append(spent);

    // Nothing earned or spent yet: a scale of whole tokens, not of millionths.
    auto const y = round_scale(top > 0 ? top : 1.0, 5, 1.0 / scale);
    // Fixed ticks while range and step change: with dynamic ticks, a new range under the old
    // step (0..3 BTT at a step of 1e-6) would have Qt Charts build millions of tick items.
    y_->setTickType(QValueAxis::TicksFixed);
    y_->setRange(0, y.max);
    y_->setTickInterval(y.step);
    y_->setTickType(QValueAxis::TicksDynamic);
    y_->setLabelFormat(QStringLiteral("%.") + QString::number(y.decimals) + QStringLiteral("f"));
    y_->setTitleText(unit);
    place_labels();
    apply_palette();
}

// A label under every day, every other day or fewer, as the width allows: a "Dec 3" that does
// not fit would be drawn as "…". Today (the right end) always has one.
void EarningsChart::place_labels() {
    for (auto const& label : x_->categoriesLabels()) x_->remove(label);
    int const days = static_cast<int>(day_starts_.size());
    x_->setStartValue(-0.5);
    x_->setRange(-0.5, std::max(days, 1) - 0.5);
    if (days == 0) return;
    int widest = 0;
    for (auto const ms : day_starts_) {
        widest = std::max(widest, fontMetrics().horizontalAdvance(day_label(ms)));
    }
    int const room = std::max(width() - axis_allowance_px, 0);
    int const step = label_step(days, room / (widest + label_gap_px));
    for (int i = (days - 1) % step; i < days; i += step) {
        x_->append(day_label(day_starts_[static_cast<std::size_t>(i)]), i);
    }
}

QColor EarningsChart::earned_color() const {
    return palette().color(QPalette::Highlight);
}

// The highlight's complement at the same saturation and value: as readable on the theme's
// background as the highlight is, and apart from it in any theme. A grey highlight has no hue
// to turn; then a fixed orange does.
QColor EarningsChart::spent_color() const {
    auto const accent = earned_color();
    int const hue = accent.hsvHue();
    if (hue < 0 || accent.hsvSaturation() < 40) {
        return palette().color(QPalette::Base).lightness() < 128 ? QColor(0xf0, 0x9a, 0x4a)
                                                                 : QColor(0xc8, 0x5a, 0x12);
    }
    return QColor::fromHsv((hue + 180) % 360, accent.hsvSaturation(), accent.value());
}

void EarningsChart::apply_palette() {
    auto const& p = palette();
    auto const text = p.color(QPalette::Text);
    auto const base = p.color(QPalette::Base);
    auto* chart = this->chart();
    chart->setBackgroundBrush(base);
    chart->setBackgroundPen(Qt::NoPen);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    setBackgroundBrush(base);
    for (QAbstractAxis* axis : {static_cast<QAbstractAxis*>(x_), static_cast<QAbstractAxis*>(y_)}) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(mix(base, text, 0.5));
        axis->setGridLineColor(mix(base, text, 0.15));
    }
    auto const sets = series_->barSets();
    if (sets.size() == 2) {
        sets[0]->setColor(earned_color());
        sets[0]->setBorderColor(earned_color());
        sets[1]->setColor(spent_color());
        sets[1]->setBorderColor(spent_color());
    }
}

QStringList EarningsChart::categories() const {
    return x_->categoriesLabels();
}

void EarningsChart::resizeEvent(QResizeEvent* event) {
    QChartView::resizeEvent(event);
    place_labels();
}

void EarningsChart::changeEvent(QEvent* event) {
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        if (event->type() == QEvent::FontChange) place_labels();
        apply_palette();
    }
}

}  // namespace lanetorrent::ui
