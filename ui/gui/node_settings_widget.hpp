// The Tron node the wallet and the lanes talk to: a preset (local devnet, Nile, Shasta, mainnet)
// or custom addresses, TLS and an API key, with a button that tries the connection. A page of the
// settings dialog; every change is written to AppSettings as it is made.
#pragma once

#include <QWidget>

#include "base/app_settings.hpp"
#include "base/node_tester.hpp"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace lanetorrent::ui {

class NodeSettingsWidget : public QWidget {
    Q_OBJECT
  public:
    NodeSettingsWidget(AppSettings& settings, QWidget* parent = nullptr);
    ~NodeSettingsWidget() override;  // never waits: a running test's answer is dropped

    // What the fields say now (the preset's addresses, or the custom ones).
    tron::NodeConfig node() const;
    void select_preset(NodePreset preset);
    void test_connection();
    QString result_text() const;

  signals:
    void connectionTested(bool ok, QString message);

  private:
    void show_settings();
    void save_custom();

    AppSettings& settings_;
    QComboBox* preset_ = nullptr;
    QLineEdit* wallet_address_ = nullptr;
    QLineEdit* solidity_address_ = nullptr;
    QCheckBox* tls_ = nullptr;
    QLineEdit* api_key_ = nullptr;
    QPushButton* test_ = nullptr;
    QLabel* result_ = nullptr;
    NodeTester tester_;
};

}  // namespace lanetorrent::ui
