// Create a wallet, import a private key, or unlock the keystore. The passphrase fields are wiped
// as soon as the keystore has used them, whatever the outcome.
#pragma once

#include <QDialog>

#include "base/wallet_service.hpp"

class QLabel;
class QLineEdit;
class QPushButton;

namespace lanetorrent::ui {

class KeystoreDialog : public QDialog {
    Q_OBJECT
  public:
    enum class Mode { create, import_key, unlock };

    KeystoreDialog(WalletService& wallet, Mode mode, QWidget* parent = nullptr);

    Mode mode() const { return mode_; }
    // What OK does, callable from tests: true and accept() on success, else the error is shown.
    bool submit();
    QString error_text() const;

  private:
    void clear_secrets();

    WalletService& wallet_;
    Mode mode_;
    QLineEdit* key_ = nullptr;  // import only
    QLineEdit* passphrase_ = nullptr;
    QLineEdit* repeat_ = nullptr;  // create and import
    QLabel* error_ = nullptr;
};

}  // namespace lanetorrent::ui
