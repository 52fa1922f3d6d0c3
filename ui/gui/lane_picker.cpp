#include "gui/lane_picker.hpp"

#include <QButtonGroup>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

#include "base/format.hpp"

namespace lanetorrent::ui {

namespace {

constexpr std::array all_lanes{lanes::Lane::slow, lanes::Lane::medium, lanes::Lane::fast};

int at(lanes::Lane lane) {
    return static_cast<int>(lane);
}

QString btt(lanes::Units units) {
    return QString::fromStdString(format_btt(units));
}

// An estimate to the cent (0.01 BTT, rounded half up): six decimals would promise a precision
// the estimate does not have.
QString rough_btt(lanes::Units units) {
    constexpr lanes::Units cent = 10'000;
    return btt((units + cent / 2) / cent * cent);
}

QString lane_title(lanes::Lane lane) {
    switch (lane) {
        case lanes::Lane::slow:
            return LanePicker::tr("Slow");
        case lanes::Lane::medium:
            return LanePicker::tr("Medium");
        case lanes::Lane::fast:
            return LanePicker::tr("Fast");
    }
    return {};
}

}  // namespace

LanePicker::LanePicker(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    auto* lanes_box = new QGroupBox(tr("Lane"), this);
    auto* lanes_layout = new QVBoxLayout(lanes_box);
    auto* group = new QButtonGroup(this);
    for (auto const lane : all_lanes) {
        auto* button = new QRadioButton(lanes_box);
        button->setObjectName(QString("lane_") + lanes::to_string(lane));
        auto* note = new QLabel(lanes_box);
        note->setObjectName(QString("lane_note_") + lanes::to_string(lane));
        note->setWordWrap(true);
        note->setIndent(24);
        note->setVisible(false);
        group->addButton(button, at(lane));
        lanes_layout->addWidget(button);
        lanes_layout->addWidget(note);
        buttons_[at(lane)] = button;
        notes_[at(lane)] = note;
    }
    price_source_ = new QLabel(lanes_box);
    price_source_->setWordWrap(true);
    lanes_layout->addWidget(price_source_);
    buttons_[0]->setChecked(true);
    connect(group, &QButtonGroup::idToggled, this, [this](int id, bool checked) {
        if (!checked) return;
        update_view();
        emit laneChanged(static_cast<lanes::Lane>(id));
    });
    layout->addWidget(lanes_box);

    auto* caps_box = new QGroupBox(tr("Spending caps"), this);
    auto* caps_layout = new QFormLayout(caps_box);
    max_price_ = cap_box(tr("never pay"));
    max_torrent_ = cap_box(tr("no cap"));
    max_day_ = cap_box(tr("no cap"));
    max_price_->setObjectName("max_price_per_gib");
    max_torrent_->setObjectName("max_per_torrent");
    max_day_->setObjectName("max_per_day");
    caps_layout->addRow(tr("Max price per GiB:"), max_price_);
    caps_layout->addRow(tr("Max per torrent:"), max_torrent_);
    caps_layout->addRow(tr("Max per day (all torrents):"), max_day_);
    layout->addWidget(caps_box);

    wallet_ = new QLabel(this);
    wallet_->setObjectName("wallet_balance");
    wallet_->setWordWrap(true);
    layout->addWidget(wallet_);
    update_view();
}

QDoubleSpinBox* LanePicker::cap_box(QString const& special_text) {
    auto* box = new QDoubleSpinBox(this);
    box->setDecimals(2);
    box->setRange(0, 1e12);
    box->setSuffix(" BTT");
    box->setSpecialValueText(special_text);
    box->setAccelerated(true);
    connect(box, &QDoubleSpinBox::valueChanged, this, [this] { update_view(); });
    return box;
}

void LanePicker::set_size(qint64 bytes) {
    size_ = bytes;
    update_view();
}

void LanePicker::set_prices(LanePrices prices, bool offered) {
    prices_ = prices;
    offered_ = offered;
    update_view();
}

void LanePicker::set_caps(lanes::Caps caps) {
    // The boxes would each re-run update_view; once at the end is enough.
    QSignalBlocker const b1(max_price_), b2(max_torrent_), b3(max_day_);
    max_price_->setValue(btt_from_units(caps.max_price_per_gib));
    max_torrent_->setValue(btt_from_units(caps.max_per_torrent));
    max_day_->setValue(btt_from_units(caps.max_per_day));
    update_view();
}

void LanePicker::set_wallet(std::optional<lanes::Units> balance, bool unlocked) {
    balance_ = balance;
    unlocked_ = unlocked;
    update_view();
}

void LanePicker::set_lane(lanes::Lane lane) {
    if (lane_enabled(lane)) buttons_[at(lane)]->setChecked(true);
}

lanes::Lane LanePicker::lane() const {
    for (auto const lane : all_lanes) {
        if (buttons_[at(lane)]->isChecked()) return lane;
    }
    return lanes::Lane::slow;
}

lanes::Caps LanePicker::caps() const {
    return {units_from_btt(max_price_->value()), units_from_btt(max_torrent_->value()),
            units_from_btt(max_day_->value())};
}

LaneEstimate LanePicker::estimate(lanes::Lane lane) const {
    return estimate_lane(lane, size_, prices_, caps());
}

QString LanePicker::lane_text(lanes::Lane lane) const {
    if (lane == lanes::Lane::slow) return tr("Slow — free");
    auto const e = estimate(lane);
    QString const per_gib = tr("%1/GiB").arg(btt(e.price_per_gib));
    if (!e.cost) return tr("%1 — %2").arg(lane_title(lane), per_gib);
    return tr("%1 — about %2 (%3)").arg(lane_title(lane), rough_btt(*e.cost), per_gib);
}

QString LanePicker::lane_note(lanes::Lane lane) const {
    auto const e = estimate(lane);
    if (e.price_above_cap) return tr("Above your max price per GiB: no seller would be paid.");
    QStringList notes;
    if (e.over_torrent_cap) {
        notes << tr("Costs more than your per-torrent cap: %1 until %2 is spent, then slow.")
                     .arg(lane_title(lane).toLower(), btt(caps().max_per_torrent));
    }
    if (e.over_day_cap) notes << tr("Costs more than your daily cap allows in one day.");
    return notes.join(' ');
}

bool LanePicker::lane_enabled(lanes::Lane lane) const {
    return estimate(lane).usable();
}

QString LanePicker::wallet_text() const {
    return wallet_->text();
}

void LanePicker::update_view() {
    for (auto const lane : all_lanes) {
        auto* button = buttons_[at(lane)];
        button->setText(lane_text(lane));
        bool const enabled = lane_enabled(lane);
        button->setEnabled(enabled);
        QString const note = lane_note(lane);
        notes_[at(lane)]->setText(note);
        notes_[at(lane)]->setVisible(!note.isEmpty());
    }
    // A lane that just went above the price cap cannot stay chosen.
    if (!buttons_[at(lane())]->isEnabled()) buttons_[0]->setChecked(true);

    price_source_->setText(offered_ ? tr("Prices offered by the connected seeders.")
                                    : tr("Typical prices; seeders set their own once connected."));

    QString wallet;
    if (!unlocked_) {
        wallet = tr("Wallet locked — paid lanes need an unlocked wallet.");
        if (balance_) wallet += ' ' + tr("Balance: %1.").arg(btt(*balance_));
    } else if (!balance_) {
        wallet = tr("Wallet balance: not known yet.");
    } else {
        wallet = tr("Wallet balance: %1.").arg(btt(*balance_));
        auto const cost = estimate(lane()).cost;
        if (cost && *cost > *balance_) wallet += ' ' + tr("Not enough for the whole torrent.");
    }
    wallet_->setText(wallet);
}

}  // namespace lanetorrent::ui
