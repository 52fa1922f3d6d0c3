// AppSettings: every user setting of the desktop app, typed, with its default, persisted with
// QSettings. With --profile DIR the file is DIR/config/lanetorrent.ini; otherwise the XDG config
// location ($XDG_CONFIG_HOME/lanetorrent/lanetorrent.ini), next to the engine's own config.
#pragma once

#include <QSettings>
#include <QString>
#include <memory>

#include "base/alt_speed.hpp"
#include "base/profile.hpp"
#include "lanes/lane.hpp"
#include "lanes/lane_service.hpp"
#include "tron/client.hpp"
#include "wallet/node_settings.hpp"

namespace lanetorrent::ui {

// The presets and their endpoints are the wallet core's, so the CLI reads this file's node too.
using NodePreset = wallet::NodePreset;

class AppSettings {
  public:
    explicit AppSettings(Profile const& profile);

    QSettings& raw() { return *settings_; }
    void sync() { settings_->sync(); }

    // Tron node. A preset fills in the addresses; custom uses the ones stored here.
    NodePreset node_preset() const;
    void set_node_preset(NodePreset preset);
    tron::NodeConfig node() const;  // what the lanes and the wallet connect to
    void set_custom_node(tron::NodeConfig const& node);
    QString asset() const;  // TRC-10 id, "1002000" (BTTOLD) by default
    void set_asset(QString const& asset);

    // Selling lanes (needs a wallet address to be paid to).
    bool sell_lanes() const;
    void set_sell_lanes(bool on);
    lanes::Units price_medium() const;  // base units per GiB
    lanes::Units price_fast() const;
    void set_prices(lanes::Units medium, lanes::Units fast);
    lanes::LaneShares shares() const;
    void set_shares(lanes::LaneShares shares);

    // Buying lanes: the lane preselected in the add dialog and the caps.
    lanes::Lane default_lane() const;
    void set_default_lane(lanes::Lane lane);
    lanes::Caps caps() const;
    void set_caps(lanes::Caps caps);

    // Network and disk.
    QString listen_interfaces() const;
    void set_listen_interfaces(QString const& interfaces);
    int upload_limit_kib() const;  // 0 = unlimited
    int download_limit_kib() const;
    void set_rate_limits_kib(int upload, int download);
    // Peer discovery and privacy, as qBittorrent's Connection and BitTorrent pages have them.
    // Read at start (the engine is configured once); a loopback-only profile keeps discovery off.
    struct Network {
        bool dht = true;
        bool pex = true;
        bool lsd = true;
        bool upnp = true;
        QString encryption = QStringLiteral("prefer");  // prefer / require / disable
        QString proxy_type = QStringLiteral("none");    // none / socks5 / http
        QString proxy_host;
        int proxy_port = 1080;
    };
    Network network() const;
    void set_network(Network const& network);
    // The alternative global limits and their schedule (base/alt_speed.hpp).
    AltSpeed alt_speed() const;
    void set_alt_speed(AltSpeed const& alt);
    QString default_save_path() const;  // XDG download dir by default
    void set_default_save_path(QString const& path);

    // Desktop behaviour.
    bool close_to_tray() const;
    void set_close_to_tray(bool on);
    bool tray_notice_shown() const;  // the one-time "still running in the tray" notice
    void set_tray_notice_shown(bool shown);
    bool seed_24_7() const;  // keep seeding (and earning) while the window is closed
    void set_seed_24_7(bool on);
    bool autostart() const;  // mirrors the XDG autostart entry
    void set_autostart(bool on);
    bool skip_add_dialog() const;
    void set_skip_add_dialog(bool on);
    bool notifications() const;
    void set_notifications(bool on);

  private:
    std::unique_ptr<QSettings> settings_;
};

}  // namespace lanetorrent::ui
