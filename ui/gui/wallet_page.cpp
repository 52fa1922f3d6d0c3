#include "gui/wallet_page.hpp"

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

#include "base/session.hpp"
#include "base/wallet_history.hpp"
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
    auto* history_box = new QGroupBox(tr("History"), this);
    auto* history_layout = new QVBoxLayout(history_box);
    // Lanes and sends in one list; the ledger is read on the model's own thread.
    history_model_ = new WalletHistoryModel(
        session_ ? session_->ledger_file() : std::filesystem::path(), &wallet_,
        [session = session_](QString const& id) {
            return session ? session->torrent_name(id) : QString();
        },
        this);
    history_sorted_ = new QSortFilterProxyModel(this);
    history_sorted_->setSourceModel(history_model_);
    history_sorted_->setSortRole(WalletHistoryModel::SortRole);
    history_ = new QTableView(history_box);
    history_->setObjectName(QStringLiteral("history"));
    history_->setModel(history_sorted_);
    history_->setSortingEnabled(true);
    history_->sortByColumn(WalletHistoryModel::time, Qt::DescendingOrder);
    history_->setSelectionBehavior(QAbstractItemView::SelectRows);
    history_->setAlternatingRowColors(true);
    history_->setShowGrid(false);
    history_->setWordWrap(false);
    history_->verticalHeader()->hide();
    history_->horizontalHeader()->setStretchLastSection(true);
    history_layout->addWidget(history_, 1);
    auto* history_actions = new QHBoxLayout;
    history_actions->addStretch(1);
    export_ = button(tr("&Export CSV…"), "export_history", history_box);
    export_->setToolTip(tr("Save the whole history as a CSV file for a spreadsheet"));
    history_actions->addWidget(export_);
    history_layout->addLayout(history_actions);
    lower->addWidget(history_box, 3);
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
    connect(export_, &QPushButton::clicked, this, &WalletPage::exportHistory);
    connect(history_model_, &QAbstractItemModel::modelReset, history_,
            [this] { history_->resizeColumnsToContents(); });
    connect(history_model_, &WalletHistoryModel::loadFailed, status_, &QLabel::setText);
    connect(&wallet_, &WalletService::nodeError, status_, &QLabel::setText);
    connect(&wallet_, &WalletService::sendFinished, this, [this](QString const& txid) {
        status_->setText(tr("Sent %1; waiting for a block.").arg(txid.left(16) + "…"));
        wallet_.refresh();
    });
    connect(&wallet_, &WalletService::unlockedWith, this, &WalletPage::show_keystore_state);
    if (session_) {
        connect(session_, &Session::settlementChanged, this, &WalletPage::show_chart);
        connect(session_, &Session::settlementChanged, history_model_,
                &WalletHistoryModel::reload);
    }
    auto_refresh_.setInterval(refresh_interval);
    connect(&auto_refresh_, &QTimer::timeout, this, [this] { wallet_.refresh(); });

    trx_->setText(QStringLiteral("–"));
    token_->setText(QStringLiteral("–"));
    show_keystore_state();
    show_chart();
}

QString WalletPage::token_name() const {
    auto const asset = wallet_.asset();
    return asset == QLatin1String("1002000") ? QStringLiteral("BTT") : tr("token %1").arg(asset);
}

void WalletPage::refresh() {
    show_keystore_state();
    show_chart();
    history_model_->reload();
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

Status WalletPage::export_history(QString const& path) {
    auto const done = export_history_csv(history_model_->moves(), path);
    status_->setText(done ? tr("History saved to %1.").arg(QDir::toNativeSeparators(path))
                          : tr("Not saved: %1").arg(QString::fromStdString(done.error())));
    return done;
}

void WalletPage::exportHistory() {
    auto const suggested = QDir::home().filePath(
        QStringLiteral("lanetorrent-history-%1.csv")
            .arg(QDate::currentDate().toString(QStringLiteral("yyyy-MM-dd"))));
    auto const path = QFileDialog::getSaveFileName(this, tr("Export history"), suggested,
                                                   tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty()) (void)export_history(path);
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
