// The lane picker of the add dialog: slow (free), medium and fast, each with what this torrent is
// expected to cost, the spending caps (editable, prefilled from the settings) and the wallet
// balance. A lane whose price is above the price cap is disabled (no seller would be paid); one
// whose cost runs past the per-torrent or daily cap stays selectable but says where it stops.
#pragma once

#include <QWidget>
#include <array>
#include <optional>

#include "base/price_estimate.hpp"

class QDoubleSpinBox;
class QLabel;
class QRadioButton;

namespace lanetorrent::ui {

class LanePicker : public QWidget {
    Q_OBJECT
  public:
    explicit LanePicker(QWidget* parent = nullptr);

    // 0 = unknown (a magnet before metadata): prices per GiB only.
    void set_size(qint64 bytes);
    // `offered`: the prices come from connected seeders rather than the defaults.
    void set_prices(LanePrices prices, bool offered);
    void set_caps(lanes::Caps caps);
    // Token balance in base units when known; a locked wallet cannot pay for medium or fast.
    void set_wallet(std::optional<lanes::Units> balance, bool unlocked);
    void set_lane(lanes::Lane lane);

    lanes::Lane lane() const;
    lanes::Caps caps() const;
    LaneEstimate estimate(lanes::Lane lane) const;
    QString lane_text(lanes::Lane lane) const;  // the choice as shown, price included
    QString lane_note(lanes::Lane lane) const;  // why a lane is disabled or limited, or empty
    bool lane_enabled(lanes::Lane lane) const;
    QString wallet_text() const;

  signals:
    void laneChanged(lanetorrent::lanes::Lane lane);

  private:
    void update_view();
    QDoubleSpinBox* cap_box(QString const& special_text);

    qint64 size_ = 0;
    LanePrices prices_{};
    bool offered_ = false;
    std::optional<lanes::Units> balance_;
    bool unlocked_ = false;
    std::array<QRadioButton*, lanes::lane_count> buttons_{};
    std::array<QLabel*, lanes::lane_count> notes_{};
    QLabel* price_source_ = nullptr;
    QDoubleSpinBox* max_price_ = nullptr;
    QDoubleSpinBox* max_torrent_ = nullptr;
    QDoubleSpinBox* max_day_ = nullptr;
    QLabel* wallet_ = nullptr;
};

}  // namespace lanetorrent::ui
