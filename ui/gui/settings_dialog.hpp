// Settings: a list of pages (lanes as a seller, spending, network, downloads, Tron node, desktop)
// over AppSettings. Rate limits apply at once through the Session; selling and listening take
// effect on the next start, which the pages say.
#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QTimeEdit;

namespace lanetorrent::ui {

class AppSettings;
class NodeSettingsWidget;
class Session;

class SettingsDialog : public QDialog {
    Q_OBJECT
  public:
    // `session` may be null (no engine yet): only the settings are written then.
    SettingsDialog(AppSettings& settings, Session* session, QWidget* parent = nullptr);

    // Writes every page into the settings (and the live parts into the session).
    void apply();

  signals:
    // After apply(): the app re-reads what it mirrors (autostart entry, tray behaviour).
    void applied();

  private:
    QWidget* lanes_page();
    QWidget* spending_page();
    QWidget* network_page();
    QWidget* downloads_page();
    QWidget* node_page();
    QWidget* desktop_page();
    QDoubleSpinBox* btt_box(QString const& special_text = {});

    AppSettings& settings_;
    Session* session_;
    NodeSettingsWidget* node_widget_ = nullptr;

    QCheckBox* sell_ = nullptr;
    QDoubleSpinBox* price_medium_ = nullptr;
    QDoubleSpinBox* price_fast_ = nullptr;
    QSpinBox* share_[3] = {};
    QComboBox* default_lane_ = nullptr;
    QDoubleSpinBox* cap_price_ = nullptr;
    QDoubleSpinBox* cap_torrent_ = nullptr;
    QDoubleSpinBox* cap_day_ = nullptr;
    QLineEdit* listen_ = nullptr;
    QSpinBox* up_limit_ = nullptr;
    QSpinBox* down_limit_ = nullptr;
    QSpinBox* alt_up_ = nullptr;
    QSpinBox* alt_down_ = nullptr;
    QCheckBox* alt_manual_ = nullptr;
    QCheckBox* alt_scheduled_ = nullptr;
    QTimeEdit* alt_from_ = nullptr;
    QTimeEdit* alt_to_ = nullptr;
    QComboBox* alt_days_ = nullptr;
    QCheckBox* dht_ = nullptr;
    QCheckBox* pex_ = nullptr;
    QCheckBox* lsd_ = nullptr;
    QCheckBox* upnp_ = nullptr;
    QComboBox* encryption_ = nullptr;
    QComboBox* proxy_type_ = nullptr;
    QLineEdit* proxy_host_ = nullptr;
    QSpinBox* proxy_port_ = nullptr;
    QLineEdit* save_path_ = nullptr;
    QCheckBox* close_to_tray_ = nullptr;
    QCheckBox* seed_24_7_ = nullptr;
    QCheckBox* autostart_ = nullptr;
    QCheckBox* skip_dialog_ = nullptr;
    QCheckBox* notifications_ = nullptr;
};

}  // namespace lanetorrent::ui
