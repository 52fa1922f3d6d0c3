#include "gui/send_dialog.hpp"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace lanetorrent::ui {

namespace {

constexpr int trx_precision = 6;  // 1 TRX = 1 000 000 sun

QString trx(qint64 sun) {
    return WalletService::format_amount(sun, trx_precision) + QStringLiteral(" TRX");
}

}  // namespace

SendDialog::SendDialog(WalletService& wallet, QString const& token_name, int precision,
                       QWidget* parent)
    : QDialog(parent), wallet_(wallet), token_name_(token_name), precision_(precision) {
    setWindowTitle(tr("Send"));
    setMinimumWidth(520);
    auto* layout = new QVBoxLayout(this);
    pages_ = new QStackedWidget(this);
    layout->addWidget(pages_);

    // Page 1: what to send where.
    auto* form_page = new QWidget(pages_);
    auto* form = new QFormLayout(form_page);
    to_ = new QLineEdit(form_page);
    to_->setObjectName(QStringLiteral("recipient"));
    to_->setPlaceholderText(tr("T… (34 characters)"));
    form->addRow(tr("To:"), to_);
    to_hint_ = new QLabel(form_page);
    to_hint_->setObjectName(QStringLiteral("recipient_hint"));
    to_hint_->setWordWrap(true);
    form->addRow(QString(), to_hint_);
    asset_ = new QComboBox(form_page);
    asset_->setObjectName(QStringLiteral("asset"));
    asset_->addItem(token_name_, wallet_.asset());
    asset_->addItem(QStringLiteral("TRX"), QStringLiteral("TRX"));
    amount_ = new QLineEdit(form_page);
    amount_->setObjectName(QStringLiteral("amount"));
    amount_->setPlaceholderText(QStringLiteral("0.0"));
    auto* amount_row = new QHBoxLayout;
    amount_row->addWidget(amount_, 1);
    amount_row->addWidget(asset_);
    form->addRow(tr("Amount:"), amount_row);
    fee_ = new QLabel(form_page);
    fee_->setObjectName(QStringLiteral("fee"));
    fee_->setWordWrap(true);
    fee_->setText(tr("Fee: free while the account's daily free bandwidth lasts, otherwise about "
                     "%1; about %2 if the recipient's account does not exist yet.")
                      .arg(trx(WalletService::fee_estimate_sun()),
                           trx(WalletService::new_account_fee_estimate_sun())));
    form->addRow(QString(), fee_);
    pages_->addWidget(form_page);

    // Page 2: say it back, then sign.
    auto* confirm_page = new QWidget(pages_);
    auto* confirm = new QVBoxLayout(confirm_page);
    summary_ = new QLabel(confirm_page);
    summary_->setObjectName(QStringLiteral("summary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    confirm->addWidget(summary_);
    auto* pass_form = new QFormLayout;
    passphrase_ = new QLineEdit(confirm_page);
    passphrase_->setObjectName(QStringLiteral("passphrase"));
    passphrase_->setEchoMode(QLineEdit::Password);
    pass_form->addRow(tr("Keystore passphrase:"), passphrase_);
    confirm->addLayout(pass_form);
    confirm->addStretch(1);
    pages_->addWidget(confirm_page);

    error_ = new QLabel(this);
    error_->setObjectName(QStringLiteral("error"));
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #b3261e;"));
    error_->hide();
    layout->addWidget(error_);

    auto* buttons = new QHBoxLayout;
    auto* cancel = new QPushButton(tr("Cancel"), this);
    back_ = new QPushButton(tr("Back"), this);
    next_ = new QPushButton(tr("Review…"), this);
    send_ = new QPushButton(tr("Sign and send"), this);
    next_->setDefault(true);
    buttons->addWidget(cancel);
    buttons->addStretch(1);
    buttons->addWidget(back_);
    buttons->addWidget(next_);
    buttons->addWidget(send_);
    layout->addLayout(buttons);
    back_->hide();
    send_->hide();

    connect(to_, &QLineEdit::textChanged, this, &SendDialog::check_address);
    connect(cancel, &QPushButton::clicked, this, &QDialog::reject);
    connect(next_, &QPushButton::clicked, this, &SendDialog::review);
    connect(back_, &QPushButton::clicked, this, &SendDialog::back);
    connect(send_, &QPushButton::clicked, this, &SendDialog::confirm);
    connect(&wallet_, &WalletService::sendFinished, this, [this] {
        busy(false);
        accept();
    });
    connect(&wallet_, &WalletService::sendFailed, this, [this](QString const& message) {
        busy(false);
        show_error(tr("Not sent: %1").arg(message));
    });
    connect(this, &QDialog::finished, passphrase_, &QLineEdit::clear);
}

QString SendDialog::asset() const {
    return asset_->currentData().toString();
}
QString SendDialog::unit() const {
    return asset_->currentText();
}
int SendDialog::precision() const {
    return asset() == QLatin1String("TRX") ? trx_precision : precision_;
}

void SendDialog::check_address() {
    if (to_->text().trimmed().isEmpty()) {
        to_hint_->clear();
        return;
    }
    auto const valid = WalletService::validate_address(to_->text());
    to_hint_->setText(valid ? tr("✔ valid Tron address")
                            : QStringLiteral("✖ ") + QString::fromStdString(valid.error()));
    to_hint_->setStyleSheet(valid ? QStringLiteral("color: #1b7f3b;")
                                  : QStringLiteral("color: #b3261e;"));
}

void SendDialog::show_error(QString const& text) {
    error_->setText(text);
    error_->setVisible(!text.isEmpty());
}

bool SendDialog::review() {
    if (auto valid = WalletService::validate_address(to_->text()); !valid) {
        show_error(QString::fromStdString(valid.error()));
        return false;
    }
    auto units = WalletService::parse_amount(amount_->text(), precision());
    if (!units) {
        show_error(QString::fromStdString(units.error()));
        return false;
    }
    units_ = units.value();
    show_error({});
    summary_->setText(
        tr("<p>Send <b>%1 %2</b><br>to <b><tt>%3</tt></b></p>"
           "<p>Check the address: a payment cannot be taken back. The network may burn up to "
           "%4 from this wallet's TRX as the fee.</p>")
            .arg(WalletService::format_amount(units_, precision()), unit(), to_->text().trimmed(),
                 trx(WalletService::new_account_fee_estimate_sun())));
    pages_->setCurrentIndex(1);
    next_->hide();
    back_->show();
    send_->show();
    send_->setDefault(true);
    passphrase_->setFocus();
    return true;
}

void SendDialog::back() {
    pages_->setCurrentIndex(0);
    passphrase_->clear();
    show_error({});
    send_->hide();
    back_->hide();
    next_->show();
    next_->setDefault(true);
}

bool SendDialog::confirm() {
    if (!confirming()) return false;
    auto status = wallet_.send(to_->text().trimmed(), asset(), units_, passphrase_->text());
    passphrase_->clear();
    if (!status) {
        show_error(QString::fromStdString(status.error()));
        return false;
    }
    show_error({});
    busy(true);
    return true;
}

void SendDialog::busy(bool on) {
    send_->setEnabled(!on);
    back_->setEnabled(!on);
    send_->setText(on ? tr("Sending…") : tr("Sign and send"));
}

bool SendDialog::confirming() const {
    return pages_->currentIndex() == 1;
}
QString SendDialog::confirmation_text() const {
    return summary_->text();
}
QString SendDialog::error_text() const {
    return error_->isHidden() ? QString() : error_->text();
}
QString SendDialog::address_hint() const {
    return to_hint_->text();
}
QString SendDialog::fee_text() const {
    return fee_->text();
}
void SendDialog::set_recipient(QString const& address) {
    to_->setText(address);
}
void SendDialog::set_amount(QString const& amount) {
    amount_->setText(amount);
}
void SendDialog::set_passphrase(QString const& passphrase) {
    passphrase_->setText(passphrase);
}
void SendDialog::choose_trx(bool trx_on) {
    asset_->setCurrentIndex(trx_on ? 1 : 0);
}

}  // namespace lanetorrent::ui
