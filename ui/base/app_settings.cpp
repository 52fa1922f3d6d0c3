#include "base/app_settings.hpp"

#include <QStandardPaths>

namespace lanetorrent::ui {

namespace {

// Keys, grouped as the ini file shows them.
constexpr char const* kNodePreset = "node/preset";
constexpr char const* kNodeWallet = "node/wallet_address";
constexpr char const* kNodeSolidity = "node/solidity_address";
constexpr char const* kNodeTls = "node/tls";
constexpr char const* kNodeApiKey = "node/api_key";
constexpr char const* kAsset = "node/asset";
constexpr char const* kSell = "selling/enabled";
constexpr char const* kPriceMedium = "selling/price_medium";
constexpr char const* kPriceFast = "selling/price_fast";
constexpr char const* kShareSlow = "selling/share_slow";
constexpr char const* kShareMedium = "selling/share_medium";
constexpr char const* kShareFast = "selling/share_fast";
constexpr char const* kDefaultLane = "buying/default_lane";
constexpr char const* kCapPrice = "buying/max_price_per_gib";
constexpr char const* kCapTorrent = "buying/max_per_torrent";
constexpr char const* kCapDay = "buying/max_per_day";
constexpr char const* kListen = "network/listen_interfaces";
constexpr char const* kUpLimit = "network/upload_limit_kib";
constexpr char const* kDownLimit = "network/download_limit_kib";
constexpr char const* kSavePath = "disk/default_save_path";
constexpr char const* kCloseToTray = "desktop/close_to_tray";
constexpr char const* kTrayNotice = "desktop/tray_notice_shown";
constexpr char const* kSeed247 = "desktop/seed_24_7";
constexpr char const* kAutostart = "desktop/autostart";
constexpr char const* kSkipDialog = "desktop/skip_add_dialog";
constexpr char const* kNotifications = "desktop/notifications";

// Defaults in base units of the 6-decimal token: what SellConfig uses, so the GUI and the CLI
// offer the same lanes out of the box.
constexpr lanes::Units kDefaultPriceMedium = 100'000'000;  // 100 BTT/GiB
constexpr lanes::Units kDefaultPriceFast = 300'000'000;    // 300 BTT/GiB
// A buyer pays at most the default fast price per GiB and 10 000 BTT a day unless told otherwise:
// a fresh install can use the lanes it sees, but cannot drain a wallet.
constexpr lanes::Units kDefaultCapPrice = kDefaultPriceFast;
constexpr lanes::Units kDefaultCapDay = 10'000'000'000;

}  // namespace

AppSettings::AppSettings(Profile const& profile)
    : settings_(std::make_unique<QSettings>(
          QString::fromStdString((profile.config_dir() / "lanetorrent.ini").string()),
          QSettings::IniFormat)) {}

NodePreset AppSettings::node_preset() const {
    auto const text = settings_->value(kNodePreset, "local_devnet").toString().toStdString();
    return wallet::preset_from_key(text).value_or(NodePreset::local_devnet);
}

void AppSettings::set_node_preset(NodePreset preset) {
    settings_->setValue(kNodePreset, QString::fromLatin1(wallet::to_key(preset)));
}

// wallet::read_saved_node reads the same keys for the CLI: keep the two in step.
tron::NodeConfig AppSettings::node() const {
    // A preset's endpoints come from the wallet core; mainnet wants an API key (kept for every
    // preset, so switching back and forth does not lose it).
    auto const preset = node_preset();
    tron::NodeConfig node = wallet::preset_node(preset);
    node.api_key = settings_->value(kNodeApiKey).toString().toStdString();
    if (preset == NodePreset::custom) {
        node.wallet_address =
            settings_->value(kNodeWallet, "127.0.0.1:50051").toString().toStdString();
        node.solidity_address =
            settings_->value(kNodeSolidity, "127.0.0.1:50061").toString().toStdString();
        node.tls = settings_->value(kNodeTls, false).toBool();
    }
    return node;
}

void AppSettings::set_custom_node(tron::NodeConfig const& node) {
    settings_->setValue(kNodeWallet, QString::fromStdString(node.wallet_address));
    settings_->setValue(kNodeSolidity, QString::fromStdString(node.solidity_address));
    settings_->setValue(kNodeTls, node.tls);
    settings_->setValue(kNodeApiKey, QString::fromStdString(node.api_key));
}

QString AppSettings::asset() const {
    return settings_->value(kAsset, "1002000").toString();
}

void AppSettings::set_asset(QString const& asset) {
    settings_->setValue(kAsset, asset);
}

bool AppSettings::sell_lanes() const {
    return settings_->value(kSell, true).toBool();
}

void AppSettings::set_sell_lanes(bool on) {
    settings_->setValue(kSell, on);
}

lanes::Units AppSettings::price_medium() const {
    return settings_->value(kPriceMedium, qint64{kDefaultPriceMedium}).toLongLong();
}

lanes::Units AppSettings::price_fast() const {
    return settings_->value(kPriceFast, qint64{kDefaultPriceFast}).toLongLong();
}

void AppSettings::set_prices(lanes::Units medium, lanes::Units fast) {
    settings_->setValue(kPriceMedium, qint64{medium});
    settings_->setValue(kPriceFast, qint64{fast});
}

lanes::LaneShares AppSettings::shares() const {
    lanes::LaneShares shares;
    shares.permille[0] = settings_->value(kShareSlow, shares.permille[0]).toInt();
    shares.permille[1] = settings_->value(kShareMedium, shares.permille[1]).toInt();
    shares.permille[2] = settings_->value(kShareFast, shares.permille[2]).toInt();
    return shares;
}

void AppSettings::set_shares(lanes::LaneShares shares) {
    settings_->setValue(kShareSlow, shares.permille[0]);
    settings_->setValue(kShareMedium, shares.permille[1]);
    settings_->setValue(kShareFast, shares.permille[2]);
}

lanes::Lane AppSettings::default_lane() const {
    auto const text = settings_->value(kDefaultLane, "slow").toString().toStdString();
    return lanes::lane_from_string(text).value_or(lanes::Lane::slow);
}

void AppSettings::set_default_lane(lanes::Lane lane) {
    settings_->setValue(kDefaultLane, QString::fromLatin1(lanes::to_string(lane)));
}

lanes::Caps AppSettings::caps() const {
    lanes::Caps caps;
    caps.max_price_per_gib = settings_->value(kCapPrice, qint64{kDefaultCapPrice}).toLongLong();
    caps.max_per_torrent = settings_->value(kCapTorrent, qint64{0}).toLongLong();
    caps.max_per_day = settings_->value(kCapDay, qint64{kDefaultCapDay}).toLongLong();
    return caps;
}

void AppSettings::set_caps(lanes::Caps caps) {
    settings_->setValue(kCapPrice, qint64{caps.max_price_per_gib});
    settings_->setValue(kCapTorrent, qint64{caps.max_per_torrent});
    settings_->setValue(kCapDay, qint64{caps.max_per_day});
}

QString AppSettings::listen_interfaces() const {
    return settings_->value(kListen, "0.0.0.0:6881,[::]:6881").toString();
}

void AppSettings::set_listen_interfaces(QString const& interfaces) {
    settings_->setValue(kListen, interfaces);
}

int AppSettings::upload_limit_kib() const {
    return settings_->value(kUpLimit, 0).toInt();
}

int AppSettings::download_limit_kib() const {
    return settings_->value(kDownLimit, 0).toInt();
}

void AppSettings::set_rate_limits_kib(int upload, int download) {
    settings_->setValue(kUpLimit, upload);
    settings_->setValue(kDownLimit, download);
}

AppSettings::Network AppSettings::network() const {
    Network n;
    auto const& s = *settings_;
    n.dht = s.value("network/dht", n.dht).toBool();
    n.pex = s.value("network/pex", n.pex).toBool();
    n.lsd = s.value("network/lsd", n.lsd).toBool();
    n.upnp = s.value("network/upnp", n.upnp).toBool();
    auto const encryption = s.value("network/encryption", n.encryption).toString();
    if (QStringList{"prefer", "require", "disable"}.contains(encryption)) n.encryption = encryption;
    auto const proxy = s.value("network/proxy_type", n.proxy_type).toString();
    if (QStringList{"none", "socks5", "http"}.contains(proxy)) n.proxy_type = proxy;
    // A host name is at most 253 characters; anything longer in the file is not one.
    n.proxy_host = s.value("network/proxy_host").toString().trimmed().left(253);
    int const port = s.value("network/proxy_port", n.proxy_port).toInt();
    if (port > 0 && port < 65536) n.proxy_port = port;
    return n;
}

void AppSettings::set_network(Network const& n) {
    settings_->setValue("network/dht", n.dht);
    settings_->setValue("network/pex", n.pex);
    settings_->setValue("network/lsd", n.lsd);
    settings_->setValue("network/upnp", n.upnp);
    settings_->setValue("network/encryption", n.encryption);
    settings_->setValue("network/proxy_type", n.proxy_type);
    settings_->setValue("network/proxy_host", n.proxy_host.trimmed());
    settings_->setValue("network/proxy_port", n.proxy_port);
}

AltSpeed AppSettings::alt_speed() const {
    AltSpeed alt;
    auto const& s = *settings_;
    alt.upload_kib = std::max(0, s.value("alt_speed/upload_kib", 0).toInt());
    alt.download_kib = std::max(0, s.value("alt_speed/download_kib", 0).toInt());
    alt.manual = s.value("alt_speed/manual", false).toBool();
    alt.scheduled = s.value("alt_speed/scheduled", false).toBool();
    auto const time = [&](char const* key, QTime fallback) {
        auto const t = QTime::fromString(s.value(key).toString(), QStringLiteral("HH:mm"));
        return t.isValid() ? t : fallback;
    };
    alt.from = time("alt_speed/from", alt.from);
    alt.to = time("alt_speed/to", alt.to);
    auto const days = s.value("alt_speed/days", QStringLiteral("every_day")).toString();
    alt.days = days == QLatin1String("weekdays")   ? AltSpeed::Days::weekdays
               : days == QLatin1String("weekends") ? AltSpeed::Days::weekends
                                                   : AltSpeed::Days::every_day;
    return alt;
}

void AppSettings::set_alt_speed(AltSpeed const& alt) {
    settings_->setValue("alt_speed/upload_kib", alt.upload_kib);
    settings_->setValue("alt_speed/download_kib", alt.download_kib);
    settings_->setValue("alt_speed/manual", alt.manual);
    settings_->setValue("alt_speed/scheduled", alt.scheduled);
    settings_->setValue("alt_speed/from", alt.from.toString(QStringLiteral("HH:mm")));
    settings_->setValue("alt_speed/to", alt.to.toString(QStringLiteral("HH:mm")));
    settings_->setValue("alt_speed/days", alt.days == AltSpeed::Days::weekdays   ? "weekdays"
                                          : alt.days == AltSpeed::Days::weekends ? "weekends"
                                                                                 : "every_day");
}

QString AppSettings::default_save_path() const {
    auto const fallback = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    return settings_->value(kSavePath, fallback).toString();
}

void AppSettings::set_default_save_path(QString const& path) {
    settings_->setValue(kSavePath, path);
}

bool AppSettings::close_to_tray() const {
    return settings_->value(kCloseToTray, true).toBool();
}

void AppSettings::set_close_to_tray(bool on) {
    settings_->setValue(kCloseToTray, on);
}

bool AppSettings::tray_notice_shown() const {
    return settings_->value(kTrayNotice, false).toBool();
}

void AppSettings::set_tray_notice_shown(bool shown) {
    settings_->setValue(kTrayNotice, shown);
}

bool AppSettings::seed_24_7() const {
    return settings_->value(kSeed247, true).toBool();
}

void AppSettings::set_seed_24_7(bool on) {
    settings_->setValue(kSeed247, on);
}

bool AppSettings::autostart() const {
    return settings_->value(kAutostart, false).toBool();
}

void AppSettings::set_autostart(bool on) {
    settings_->setValue(kAutostart, on);
}

bool AppSettings::skip_add_dialog() const {
    return settings_->value(kSkipDialog, false).toBool();
}

void AppSettings::set_skip_add_dialog(bool on) {
    settings_->setValue(kSkipDialog, on);
}

bool AppSettings::notifications() const {
    return settings_->value(kNotifications, true).toBool();
}

void AppSettings::set_notifications(bool on) {
    settings_->setValue(kNotifications, on);
}

}  // namespace lanetorrent::ui
