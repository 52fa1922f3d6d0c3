#include "gui/wallet_page.hpp"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include "base/session.hpp"
#include "gui/earnings_chart.hpp"
#include "gui/keystore_dialog.hpp"
#include "gui/qr_code_widget.hpp"
#include "gui/send_dialog.hpp"

namespace lanetorrent::ui {

namespace {

using namespace std::chrono_literals;

constexpr auto refresh_interval = 30s;

QPushButton* button(QString const& text, char const* name, QWidget* parent) {
    auto* b = new QPushButton(text, parent);
    b->setObjectName(QLatin1String(name));
    return b;
}

}  // namespace

WalletPage::WalletPage(WalletService& wallet, Session* session, QWidget* parent)
    : QWidget(parent), wallet_(wallet), session_(session) {
    auto* layout = new QVBoxLayout(this);

    // Account: address, copy, QR; balances beside it.
    auto* account = new QGroupBox(tr("Account"), this);
    auto* grid = new QGridLayout(account);
    qr_ = new QrCodeWidget(account);
    grid->addWidget(qr_, 0, 0, 4, 1);
    address_ = new QLabel(account);
    address_->setObjectName(QStringLiteral("address"));
    address_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    address_->setStyleSheet(QStringLiteral("font-family: monospace; font-size: 12pt;"));
    copy_ = button(tr("Copy"), "copy_address", account);
    auto* address_row = new QHBoxLayout;
    address_row->addWidget(address_, 1);
    address_row->addWidget(copy_);
    grid->addLayout(address_row, 0, 1, 1, 2);
    trx_ = new QLabel(account);
    trx_->setObjectName(QStringLiteral("trx_balance"));
    token_ = new QLabel(account);
    token_->setObjectName(QStringLiteral("token_balance"));
    for (auto* label : {trx_, token_}) label->setStyleSheet(QStringLiteral("font-size: 14pt;"));
    grid->addWidget(new QLabel(tr("TRX:"), account), 1, 1);
    grid->addWidget(trx_, 1, 2);
    grid->addWidget(new QLabel(token_name() + QLatin1Char(':'), account), 2, 1);
    grid->addWidget(token_, 2, 2);
    auto* actions = new QHBoxLayout;
    auto* refresh_button = button(tr("Refresh"), "refresh", account);
    send_ = button(tr("Send…"), "send", account);
    create_ = button(tr("Create wallet…"), "create", account);
    import_ = button(tr("Import key…"), "import", account);
    unlock_ = button(tr("Unlock…"), "unlock", account);
    for (auto* b : {refresh_button, send_, create_, import_, unlock_}) actions->addWidget(b);
    actions->addStretch(1);
    grid->addLayout(actions, 3, 1, 1, 2);
    keystore_note_ = new QLabel(account);
    keystore_note_->setWordWrap(true);
    grid->addWidget(keystore_note_, 4, 0, 1, 3);
    grid->setColumnStretch(2, 1);
    layout->addWidget(account);

    status_ = new QLabel(this);
    status_->setObjectName(QStringLiteral("status"));
    status_->setWordWrap(true);
    layout->addWidget(status_);

    auto* lower = new QHBoxLayout;
    history_ = new QTableWidget(0, 5, this);
    history_->setObjectName(QStringLiteral("history"));
    history_->setHorizontalHeaderLabels(
        {tr("Time"), tr("Amount"), tr("To"), tr("Status"), tr("Transaction")});
    history_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    history_->setSelectionBehavior(QAbstractItemView::SelectRows);
    history_->verticalHeader()->hide();
    history_->horizontalHeader()->setStretchLastSection(true);
    lower->addWidget(history_, 3);
    chart_ = new EarningsChart(this);
    lower->addWidget(chart_, 2);
    layout->addLayout(lower, 1);

    connect(copy_, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(wallet_.address()); });
    connect(refresh_button, &QPushButton::clicked, this, &WalletPage::refresh);
    connect(send_, &QPushButton::clicked, this, &WalletPage::openSendDialog);
    connect(create_, &QPushButton::clicked, this,
            [this] { openKeystoreDialog(int(KeystoreDialog::Mode::create)); });
    connect(import_, &QPushButton::clicked, this,
            [this] { openKeystoreDialog(int(KeystoreDialog::Mode::import_key)); });
    connect(unlock_, &QPushButton::clicked, this,
            [this] { openKeystoreDialog(int(KeystoreDialog::Mode::unlock)); });

    connect(&wallet_, &WalletService::balancesChanged, this, [this](qint64 sun, qint64 units) {
        trx_->setText(WalletService::format_amount(sun, 6));
        token_->setText(WalletService::format_amount(units, token_precision));
        status_->clear();
    });
    connect(&wallet_, &WalletService::historyChanged, this, &WalletPage::show_history);
    connect(&wallet_, &WalletService::nodeError, status_, &QLabel::setText);
    connect(&wallet_, &WalletService::sendFinished, this, [this](QString const& txid) {
        status_->setText(tr("Sent %1; waiting for a block.").arg(txid.left(16) + "…"));
        wallet_.refresh();
    });
    connect(&wallet_, &WalletService::unlockedWith, this, &WalletPage::show_keystore_state);
    if (session_) {
        connect(session_, &Session::settlementChanged, this, &WalletPage::show_chart);
    }
    auto_refresh_.setInterval(refresh_interval);
    connect(&auto_refresh_, &QTimer::timeout, this, [this] { wallet_.refresh(); });

    trx_->setText(QStringLiteral("–"));
    token_->setText(QStringLiteral("–"));
    show_keystore_state();
    show_history();
    show_chart();
}

QString WalletPage::token_name() const {
    auto const asset = wallet_.asset();
    return asset == QLatin1String("1002000") ? QStringLiteral("BTT") : tr("token %1").arg(asset);
}

void WalletPage::refresh() {
    show_keystore_state();
    show_chart();
    wallet_.refresh();
}

QString WalletPage::trx_text() const {
    return trx_->text();
}
QString WalletPage::token_text() const {
    return token_->text();
}
QString WalletPage::status_text() const {
    return status_->text();
}

void WalletPage::show_keystore_state() {
    bool const exists = wallet_.has_keystore();
    bool const unlocked = wallet_.unlocked();
    auto const address = wallet_.address();
    address_->setText(exists ? address : tr("No wallet yet"));
    qr_->set_text(address);
    qr_->setVisible(exists);
    copy_->setEnabled(exists);
    create_->setVisible(!exists);
    import_->setVisible(!exists);
    unlock_->setVisible(exists && !unlocked);
    send_->setEnabled(exists);
    keystore_note_->setText(
        !exists ? tr("Create a wallet, or import a Tron private key, to pay for faster lanes "
                     "and to be paid for seeding.")
                : (unlocked ? QString()
                            : tr("The wallet is locked: downloads stay in the slow lane until "
                                 "you unlock it.")));
    keystore_note_->setVisible(!keystore_note_->text().isEmpty());
}

void WalletPage::show_history() {
    auto const entries = wallet_.history();
    history_->setRowCount(int(entries.size()));
    int row = 0;
    // Newest first: the one just sent is the one being watched.
    for (auto it = entries.rbegin(); it != entries.rend(); ++it, ++row) {
        bool const trx = it->asset == QLatin1String("TRX");
        auto const amount = WalletService::format_amount(it->amount, 6) + QLatin1Char(' ') +
                            (trx ? QStringLiteral("TRX")
                                 : (it->asset == wallet_.asset() ? token_name() : it->asset));
        QStringList const cells = {it->time_ms ? QDateTime::fromMSecsSinceEpoch(it->time_ms)
                                                     .toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                                               : QString(),
                                   amount, it->to, it->status, it->txid};
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            if (column == 1) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            history_->setItem(row, column, item);
        }
    }
    history_->resizeColumnsToContents();
}

void WalletPage::show_chart() {
    if (!session_) return;
    chart_->set_days(session_->history(std::nullopt, 30), token_precision, token_name());
}

void WalletPage::openSendDialog() {
    if (!wallet_.has_keystore()) {
        openKeystoreDialog(int(KeystoreDialog::Mode::create));
        return;
    }
    auto* dialog = new SendDialog(wallet_, token_name(), token_precision, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void WalletPage::openKeystoreDialog(int mode) {
    auto* dialog = new KeystoreDialog(wallet_, KeystoreDialog::Mode(mode), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, &WalletPage::refresh);
    dialog->open();
}

void WalletPage::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    refresh();
    auto_refresh_.start();
}

void WalletPage::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    auto_refresh_.stop();
}

}  // namespace lanetorrent::ui
