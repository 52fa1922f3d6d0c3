#include "gui/node_settings_widget.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

#include "base/node_tester.hpp"

namespace lanetorrent::ui {

namespace {

// AppSettings keeps the API key for every preset (TronGrid wants one too) but only sets it
// together with the custom addresses; this is its key in the file.
constexpr char const* api_key_setting = "node/api_key";

}  // namespace

NodeSettingsWidget::NodeSettingsWidget(AppSettings& settings, QWidget* parent)
    : QWidget(parent), settings_(settings) {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    layout->addLayout(form);
    preset_ = new QComboBox(this);
    preset_->setObjectName(QStringLiteral("node_preset"));
    preset_->addItem(tr("Local devnet (lanetorrent-devnet)"), int(NodePreset::local_devnet));
    preset_->addItem(tr("Nile testnet"), int(NodePreset::nile));
    preset_->addItem(tr("Shasta testnet"), int(NodePreset::shasta));
    preset_->addItem(tr("Mainnet (TronGrid)"), int(NodePreset::mainnet));
    preset_->addItem(tr("Custom"), int(NodePreset::custom));
    form->addRow(tr("Network:"), preset_);
    wallet_address_ = new QLineEdit(this);
    wallet_address_->setObjectName(QStringLiteral("node_wallet_address"));
    wallet_address_->setPlaceholderText(QStringLiteral("host:50051"));
    form->addRow(tr("Full node (gRPC):"), wallet_address_);
    solidity_address_ = new QLineEdit(this);
    solidity_address_->setObjectName(QStringLiteral("node_solidity_address"));
    solidity_address_->setPlaceholderText(QStringLiteral("host:50061"));
    form->addRow(tr("Solidity node (gRPC):"), solidity_address_);
    tls_ = new QCheckBox(tr("Use TLS (third-party providers; TronGrid and java-tron are plain)"),
                         this);
    tls_->setObjectName(QStringLiteral("node_tls"));
    form->addRow(QString(), tls_);
    api_key_ = new QLineEdit(this);
    api_key_->setObjectName(QStringLiteral("node_api_key"));
    api_key_->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    api_key_->setPlaceholderText(tr("TRON-PRO-API-KEY, if the node asks for one"));
    form->addRow(tr("API key:"), api_key_);

    auto* row = new QHBoxLayout;
    test_ = new QPushButton(tr("Test connection"), this);
    test_->setObjectName(QStringLiteral("node_test"));
    result_ = new QLabel(this);
    result_->setObjectName(QStringLiteral("node_test_result"));
    result_->setWordWrap(true);
    result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    row->addWidget(test_);
    row->addWidget(result_, 1);
    layout->addLayout(row);
    layout->addStretch(1);

    show_settings();
    connect(preset_, &QComboBox::activated, this,
            [this](int index) { select_preset(NodePreset(preset_->itemData(index).toInt())); });
    for (auto* edit : {wallet_address_, solidity_address_}) {
        connect(edit, &QLineEdit::editingFinished, this, &NodeSettingsWidget::save_custom);
    }
    connect(tls_, &QCheckBox::toggled, this, &NodeSettingsWidget::save_custom);
    connect(api_key_, &QLineEdit::editingFinished, this,
            [this] { settings_.raw().setValue(api_key_setting, api_key_->text().trimmed()); });
    connect(test_, &QPushButton::clicked, this, &NodeSettingsWidget::test_connection);
    connect(&tester_, &NodeTester::tested, this, [this](bool ok, QString const& message) {
        test_->setEnabled(true);
        result_->setText((ok ? QStringLiteral("✔ ") : QStringLiteral("✖ ")) + message);
        emit connectionTested(ok, message);
    });
}

NodeSettingsWidget::~NodeSettingsWidget() = default;

void NodeSettingsWidget::show_settings() {
    auto const preset = settings_.node_preset();
    preset_->setCurrentIndex(preset_->findData(int(preset)));
    auto const node = settings_.node();
    wallet_address_->setText(QString::fromStdString(node.wallet_address));
    solidity_address_->setText(QString::fromStdString(node.solidity_address));
    tls_->setChecked(node.tls);
    api_key_->setText(QString::fromStdString(node.api_key));
    bool const custom = preset == NodePreset::custom;
    wallet_address_->setReadOnly(!custom);
    solidity_address_->setReadOnly(!custom);
    tls_->setEnabled(custom);
}

void NodeSettingsWidget::select_preset(NodePreset preset) {
    settings_.set_node_preset(preset);
    show_settings();
    result_->clear();
}

void NodeSettingsWidget::save_custom() {
    if (settings_.node_preset() != NodePreset::custom) return;
    settings_.set_custom_node(node());
}

tron::NodeConfig NodeSettingsWidget::node() const {
    tron::NodeConfig node = settings_.node();
    node.wallet_address = wallet_address_->text().trimmed().toStdString();
    node.solidity_address = solidity_address_->text().trimmed().toStdString();
    node.tls = tls_->isChecked();
    node.api_key = api_key_->text().trimmed().toStdString();
    return node;
}

QString NodeSettingsWidget::result_text() const {
    return result_->text();
}

void NodeSettingsWidget::test_connection() {
    test_->setEnabled(false);
    result_->setText(tr("Connecting…"));
    tester_.test(node());
}

}  // namespace lanetorrent::ui
