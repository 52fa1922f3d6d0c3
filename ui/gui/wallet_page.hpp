// The wallet tab: address (copy, QR code), TRX and token balances, Send…, the history of
// everything that moved money (lane settlements paid and received, sends) with an export to CSV,
// and earned/spent per day. Without a keystore, or while it is
// locked, the page offers Create / Import / Unlock instead of pretending there is nothing to do.
#pragma once

#include <QTimer>
#include <QWidget>

#include "base/wallet_service.hpp"

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace lanetorrent::ui {

class EarningsChart;
class QrCodeWidget;
class Session;
class WalletHistoryModel;

class WalletPage : public QWidget {
    Q_OBJECT
  public:
    WalletPage(WalletService& wallet, Session* session, QWidget* parent = nullptr);

    QString token_name() const;  // "BTT" for the default asset
    static constexpr int token_precision = 6;

    // Re-reads the keystore state, the history and the chart; asks the node for balances.
    void refresh();
    QString trx_text() const;
    QString token_text() const;
    QString status_text() const;
    QTableView* history_table() const { return history_; }
    WalletHistoryModel* history_model() const { return history_model_; }
    // Writes the history as CSV to `path`; the Export button asks where first. Errors (also
    // shown on the page) are for a person.
    Status export_history(QString const& path);
    QrCodeWidget* qr_code() const { return qr_; }
    EarningsChart* chart() const { return chart_; }

  public slots:
    void openSendDialog();
    void openKeystoreDialog(int mode);  // KeystoreDialog::Mode
    void exportHistory();               // asks for a file, then export_history()

  protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

  private:
    void show_keystore_state();
    void show_chart();

    WalletService& wallet_;
    Session* session_;
    QLabel* address_ = nullptr;
    QPushButton* copy_ = nullptr;
    QrCodeWidget* qr_ = nullptr;
    QLabel* trx_ = nullptr;
    QLabel* token_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* keystore_note_ = nullptr;
    QPushButton* create_ = nullptr;
    QPushButton* import_ = nullptr;
    QPushButton* unlock_ = nullptr;
    QPushButton* send_ = nullptr;
    QPushButton* export_ = nullptr;
    WalletHistoryModel* history_model_ = nullptr;
    QSortFilterProxyModel* history_sorted_ = nullptr;
    QTableView* history_ = nullptr;
    EarningsChart* chart_ = nullptr;
    QTimer auto_refresh_;
};

}  // namespace lanetorrent::ui
