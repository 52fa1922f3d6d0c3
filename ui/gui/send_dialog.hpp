// Send TRX or the token: recipient (checked as it is typed), amount in token units, the fee the
// node may burn, then a confirmation page that repeats amount and address before the passphrase
// signs. The dialog closes once the node has accepted the transfer; its status follows in the
// wallet page's history.
#pragma once

#include <QDialog>

#include "base/wallet_service.hpp"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace lanetorrent::ui {

class SendDialog : public QDialog {
    Q_OBJECT
  public:
    // `token_name` ("BTT") and `precision` (6) describe the configured asset.
    SendDialog(WalletService& wallet, QString const& token_name, int precision,
               QWidget* parent = nullptr);

    // The buttons' actions, callable from tests.
    bool review();  // form -> confirmation; false (and the reason shown) if the input is wrong
    void back();
    bool confirm();  // signs and broadcasts; false if the service refused at once

    bool confirming() const;
    QString confirmation_text() const;
    QString error_text() const;
    QString address_hint() const;  // the live verdict on the recipient field
    QString fee_text() const;
    void set_recipient(QString const& address);
    void set_amount(QString const& amount);
    void set_passphrase(QString const& passphrase);
    void choose_trx(bool trx);

  private:
    QString asset() const;
    QString unit() const;
    int precision() const;
    void check_address();
    void show_error(QString const& text);
    void busy(bool on);

    WalletService& wallet_;
    QString token_name_;
    int precision_;
    QStackedWidget* pages_ = nullptr;
    QLineEdit* to_ = nullptr;
    QLabel* to_hint_ = nullptr;
    QComboBox* asset_ = nullptr;
    QLineEdit* amount_ = nullptr;
    QLabel* fee_ = nullptr;
    QLabel* summary_ = nullptr;
    QLineEdit* passphrase_ = nullptr;
    QLabel* error_ = nullptr;
    QPushButton* next_ = nullptr;
    QPushButton* send_ = nullptr;
    QPushButton* back_ = nullptr;
    qint64 units_ = 0;
};

}  // namespace lanetorrent::ui
