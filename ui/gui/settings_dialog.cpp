#include "gui/settings_dialog.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTimeEdit>
#include <QVBoxLayout>

#include "base/app_settings.hpp"
#include "base/price_estimate.hpp"
#include "base/session.hpp"
#include "gui/node_settings_widget.hpp"

namespace lanetorrent::ui {

namespace {

QLabel* note(QString const& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setEnabled(false);  // greyed: an explanation, not a setting
    return label;
}

QSpinBox* kib_box(QWidget* parent) {
    auto* box = new QSpinBox(parent);
    box->setRange(0, 10'000'000);
    box->setSuffix(" KiB/s");
    box->setSpecialValueText(SettingsDialog::tr("unlimited"));
    return box;
}

}  // namespace

SettingsDialog::SettingsDialog(AppSettings& settings, Session* session, QWidget* parent)
    : QDialog(parent), settings_(settings), session_(session) {
    setWindowTitle(tr("Settings"));
    auto* pages = new QStackedWidget(this);
    auto* list = new QListWidget(this);
    list->setObjectName("pages");
    auto add = [&](QString const& title, QWidget* page) {
        list->addItem(title);
        pages->addWidget(page);
    };
    add(tr("Lanes (selling)"), lanes_page());
    add(tr("Spending"), spending_page());
    add(tr("Network"), network_page());
    add(tr("Downloads"), downloads_page());
    add(tr("Tron node"), node_page());
    add(tr("Desktop"), desktop_page());
    list->setFixedWidth(list->sizeHintForColumn(0) + 2 * list->frameWidth() + 16);
    connect(list, &QListWidget::currentRowChanged, pages, &QStackedWidget::setCurrentIndex);
    list->setCurrentRow(0);

    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &SettingsDialog::apply);

    auto* top = new QHBoxLayout;
    top->addWidget(list);
    top->addWidget(pages, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(buttons);
    resize(640, 420);
}

QDoubleSpinBox* SettingsDialog::btt_box(QString const& special_text) {
    auto* box = new QDoubleSpinBox(this);
    box->setDecimals(2);
    box->setRange(0, 1e12);
    box->setSuffix(" BTT");
    if (!special_text.isEmpty()) box->setSpecialValueText(special_text);
    return box;
}

QWidget* SettingsDialog::lanes_page() {
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    sell_ = new QCheckBox(tr("Sell medium and fast lanes to downloaders"), page);
    sell_->setObjectName("sell_lanes");
    sell_->setChecked(settings_.sell_lanes());
    form->addRow(sell_);
    price_medium_ = btt_box();
    price_medium_->setObjectName("price_medium");
    price_medium_->setValue(btt_from_units(settings_.price_medium()));
    price_fast_ = btt_box();
    price_fast_->setObjectName("price_fast");
    price_fast_->setValue(btt_from_units(settings_.price_fast()));
    form->addRow(tr("Medium price per GiB:"), price_medium_);
    form->addRow(tr("Fast price per GiB:"), price_fast_);
    auto const shares = settings_.shares();
    QString const names[] = {tr("Slow share:"), tr("Medium share:"), tr("Fast share:")};
    for (int i = 0; i < lanes::lane_count; ++i) {
        share_[i] = new QSpinBox(page);
        share_[i]->setObjectName(QString("share_") + lanes::to_string(static_cast<lanes::Lane>(i)));
        share_[i]->setRange(0, 100);
        share_[i]->setSuffix(" %");
        share_[i]->setValue(shares.permille[static_cast<std::size_t>(i)] / 10);
        form->addRow(names[i], share_[i]);
    }
    form->addRow(note(tr("Shares split your upload budget between the lanes. Selling needs a "
                         "wallet address to be paid to and takes effect on the next start."),
                      page));
    return page;
}

QWidget* SettingsDialog::spending_page() {
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    default_lane_ = new QComboBox(page);
    default_lane_->setObjectName("default_lane");
    default_lane_->addItems({tr("Slow (free)"), tr("Medium"), tr("Fast")});
    default_lane_->setCurrentIndex(static_cast<int>(settings_.default_lane()));
    form->addRow(tr("Default lane:"), default_lane_);
    auto const caps = settings_.caps();
    cap_price_ = btt_box(tr("never pay"));
    cap_price_->setObjectName("cap_price");
    cap_price_->setValue(btt_from_units(caps.max_price_per_gib));
    cap_torrent_ = btt_box(tr("no cap"));
    cap_torrent_->setObjectName("cap_torrent");
    cap_torrent_->setValue(btt_from_units(caps.max_per_torrent));
    cap_day_ = btt_box(tr("no cap"));
    cap_day_->setObjectName("cap_day");
    cap_day_->setValue(btt_from_units(caps.max_per_day));
    form->addRow(tr("Max price per GiB:"), cap_price_);
    form->addRow(tr("Max per torrent:"), cap_torrent_);
    form->addRow(tr("Max per day:"), cap_day_);
    form->addRow(note(tr("A seller asking more than the max price is not paid (you stay in the "
                         "slow lane). Once a cap is reached the torrent drops to slow; bytes "
                         "already received are always paid."),
                      page));
    return page;
}

QWidget* SettingsDialog::network_page() {
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    listen_ = new QLineEdit(settings_.listen_interfaces(), page);
    listen_->setObjectName("listen_interfaces");
    listen_->setPlaceholderText("0.0.0.0:6881,[::]:6881");
    form->addRow(tr("Listen on:"), listen_);
    up_limit_ = kib_box(page);
    up_limit_->setObjectName("upload_limit");
    up_limit_->setValue(settings_.upload_limit_kib());
    down_limit_ = kib_box(page);
    down_limit_->setObjectName("download_limit");
    down_limit_->setValue(settings_.download_limit_kib());
    form->addRow(tr("Upload limit:"), up_limit_);
    form->addRow(tr("Download limit:"), down_limit_);

    auto const alt = settings_.alt_speed();
    alt_up_ = kib_box(page);
    alt_up_->setObjectName("alt_upload_limit");
    alt_up_->setValue(alt.upload_kib);
    alt_down_ = kib_box(page);
    alt_down_->setObjectName("alt_download_limit");
    alt_down_->setValue(alt.download_kib);
    form->addRow(tr("Alternative upload limit:"), alt_up_);
    form->addRow(tr("Alternative download limit:"), alt_down_);
    alt_manual_ = new QCheckBox(tr("Use the alternative limits now"), page);
    alt_manual_->setObjectName("alt_manual");
    alt_manual_->setChecked(alt.manual);
    form->addRow(alt_manual_);
    alt_scheduled_ = new QCheckBox(tr("Use them on a schedule:"), page);
    alt_scheduled_->setObjectName("alt_scheduled");
    alt_scheduled_->setChecked(alt.scheduled);
    alt_from_ = new QTimeEdit(alt.from, page);
    alt_from_->setObjectName("alt_from");
    alt_from_->setDisplayFormat(QStringLiteral("HH:mm"));
    alt_to_ = new QTimeEdit(alt.to, page);
    alt_to_->setObjectName("alt_to");
    alt_to_->setDisplayFormat(QStringLiteral("HH:mm"));
    alt_days_ = new QComboBox(page);
    alt_days_->setObjectName("alt_days");
    alt_days_->addItem(tr("every day"), int(AltSpeed::Days::every_day));
    alt_days_->addItem(tr("on weekdays"), int(AltSpeed::Days::weekdays));
    alt_days_->addItem(tr("at weekends"), int(AltSpeed::Days::weekends));
    alt_days_->setCurrentIndex(std::max(0, alt_days_->findData(int(alt.days))));
    auto* schedule = new QHBoxLayout;
    schedule->addWidget(alt_scheduled_);
    schedule->addWidget(new QLabel(tr("from"), page));
    schedule->addWidget(alt_from_);
    schedule->addWidget(new QLabel(tr("to"), page));
    schedule->addWidget(alt_to_);
    schedule->addWidget(alt_days_, 1);
    form->addRow(schedule);

    auto const network = settings_.network();
    auto check = [page](QString const& text, char const* name, bool on) {
        auto* box = new QCheckBox(text, page);
        box->setObjectName(QString::fromLatin1(name));
        box->setChecked(on);
        return box;
    };
    dht_ = check(tr("DHT (find peers without a tracker)"), "dht", network.dht);
    pex_ = check(tr("Peer exchange (PeX)"), "pex", network.pex);
    lsd_ = check(tr("Local peer discovery"), "lsd", network.lsd);
    upnp_ = check(tr("Map the port on the router (UPnP / NAT-PMP)"), "upnp", network.upnp);
    for (auto* box : {dht_, pex_, lsd_, upnp_}) form->addRow(box);
    encryption_ = new QComboBox(page);
    encryption_->setObjectName("encryption");
    encryption_->addItem(tr("Prefer encryption"), QStringLiteral("prefer"));
    encryption_->addItem(tr("Require encryption"), QStringLiteral("require"));
    encryption_->addItem(tr("Disable encryption"), QStringLiteral("disable"));
    encryption_->setCurrentIndex(std::max(0, encryption_->findData(network.encryption)));
    form->addRow(tr("Encryption:"), encryption_);
    proxy_type_ = new QComboBox(page);
    proxy_type_->setObjectName("proxy_type");
    proxy_type_->addItem(tr("No proxy"), QStringLiteral("none"));
    proxy_type_->addItem(QStringLiteral("SOCKS5"), QStringLiteral("socks5"));
    proxy_type_->addItem(QStringLiteral("HTTP"), QStringLiteral("http"));
    proxy_type_->setCurrentIndex(std::max(0, proxy_type_->findData(network.proxy_type)));
    proxy_host_ = new QLineEdit(network.proxy_host, page);
    proxy_host_->setObjectName("proxy_host");
    proxy_host_->setMaxLength(253);
    proxy_port_ = new QSpinBox(page);
    proxy_port_->setObjectName("proxy_port");
    proxy_port_->setRange(1, 65535);
    proxy_port_->setValue(network.proxy_port);
    auto* proxy_row = new QHBoxLayout;
    proxy_row->addWidget(proxy_type_);
    proxy_row->addWidget(proxy_host_, 1);
    proxy_row->addWidget(proxy_port_);
    form->addRow(tr("Proxy:"), proxy_row);
    auto const follow_type = [this] {
        bool const on = proxy_type_->currentData().toString() != QLatin1String("none");
        proxy_host_->setEnabled(on);
        proxy_port_->setEnabled(on);
    };
    connect(proxy_type_, &QComboBox::currentIndexChanged, this, follow_type);
    follow_type();
    form->addRow(note(tr("Rate limits apply at once; the listen interfaces, discovery, "
                         "encryption and the proxy on the next start."),
                      page));
    return page;
}

QWidget* SettingsDialog::downloads_page() {
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    auto* row = new QHBoxLayout;
    save_path_ = new QLineEdit(settings_.default_save_path(), page);
    save_path_->setObjectName("default_save_path");
    auto* browse = new QPushButton(tr("Browse…"), page);
    connect(browse, &QPushButton::clicked, this, [this] {
        QString const dir =
            QFileDialog::getExistingDirectory(this, tr("Default save path"), save_path_->text());
        if (!dir.isEmpty()) save_path_->setText(dir);
    });
    row->addWidget(save_path_, 1);
    row->addWidget(browse);
    form->addRow(tr("Save downloads to:"), row);
    return page;
}

QWidget* SettingsDialog::node_page() {
    // It writes its fields to the settings as they change: nothing for apply() to do.
    node_widget_ = new NodeSettingsWidget(settings_, this);
    return node_widget_;
}

QWidget* SettingsDialog::desktop_page() {
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto check = [&](char const* name, QString const& text, bool on) {
        auto* box = new QCheckBox(text, page);
        box->setObjectName(name);
        box->setChecked(on);
        layout->addWidget(box);
        return box;
    };
    close_to_tray_ = check("close_to_tray",
                           tr("Closing or minimising the window keeps the app in "
                              "the tray"),
                           settings_.close_to_tray());
    seed_24_7_ = check("seed_24_7", tr("Seed 24/7 (keep earning while the window is closed)"),
                       settings_.seed_24_7());
    autostart_ =
        check("autostart", tr("Start on login, hidden in the tray"), settings_.autostart());
    skip_dialog_ = check("skip_add_dialog", tr("Add torrents without showing the add dialog"),
                         settings_.skip_add_dialog());
    notifications_ =
        check("notifications", tr("Notify when a download finishes or a payment settles"),
              settings_.notifications());
    layout->addStretch(1);
    return page;
}

void SettingsDialog::apply() {
    settings_.set_sell_lanes(sell_->isChecked());
    settings_.set_prices(units_from_btt(price_medium_->value()),
                         units_from_btt(price_fast_->value()));
    lanes::LaneShares shares;
    for (int i = 0; i < lanes::lane_count; ++i) {
        shares.permille[static_cast<std::size_t>(i)] = share_[i]->value() * 10;
    }
    settings_.set_shares(shares);

    settings_.set_default_lane(static_cast<lanes::Lane>(default_lane_->currentIndex()));
    settings_.set_caps({units_from_btt(cap_price_->value()), units_from_btt(cap_torrent_->value()),
                        units_from_btt(cap_day_->value())});

    settings_.set_listen_interfaces(listen_->text().trimmed());
    settings_.set_rate_limits_kib(up_limit_->value(), down_limit_->value());
    AltSpeed alt;
    alt.upload_kib = alt_up_->value();
    alt.download_kib = alt_down_->value();
    alt.manual = alt_manual_->isChecked();
    alt.scheduled = alt_scheduled_->isChecked();
    alt.from = alt_from_->time();
    alt.to = alt_to_->time();
    alt.days = static_cast<AltSpeed::Days>(alt_days_->currentData().toInt());
    settings_.set_alt_speed(alt);
    AppSettings::Network network;
    network.dht = dht_->isChecked();
    network.pex = pex_->isChecked();
    network.lsd = lsd_->isChecked();
    network.upnp = upnp_->isChecked();
    network.encryption = encryption_->currentData().toString();
    network.proxy_type = proxy_type_->currentData().toString();
    network.proxy_host = proxy_host_->text().trimmed();
    network.proxy_port = proxy_port_->value();
    settings_.set_network(network);
    if (session_) session_->set_rate_limits(up_limit_->value() * 1024, down_limit_->value() * 1024);

    settings_.set_default_save_path(save_path_->text().trimmed());

    settings_.set_close_to_tray(close_to_tray_->isChecked());
    settings_.set_seed_24_7(seed_24_7_->isChecked());
    settings_.set_autostart(autostart_->isChecked());
    settings_.set_skip_add_dialog(skip_dialog_->isChecked());
    settings_.set_notifications(notifications_->isChecked());
    settings_.sync();
    emit applied();
}

}  // namespace lanetorrent::ui
