// Create a wallet, import a private key, or unlock the keystore. The passphrase fields are wiped
// as soon as the keystore has used them, whatever the outcome.
//
// A new passphrase (create, import) must pass base/passphrase_rules.hpp (10 characters at least,
// no well-known ones) and shows a strength hint as it is typed. Every mode offers to remember the
// passphrase in the system keyring (base/keyring.hpp), so that paid lanes work after a restart;
// unticking it forgets a remembered one. After a wallet is created the dialog turns into a backup
// step: save a copy of the keystore elsewhere, checked to unlock with the passphrase, or skip it
// after a warning. Errors are word-wrapped and the dialog grows to show them whole.
#pragma once

#include <QDialog>

#include "base/wallet_service.hpp"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace lanetorrent::ui {

class KeystoreDialog : public QDialog {
    Q_OBJECT
  public:
    enum class Mode { create, import_key, unlock };

    KeystoreDialog(WalletService& wallet, Mode mode, QWidget* parent = nullptr);
    ~KeystoreDialog() override;

    Mode mode() const { return mode_; }
    // Why the app asks (the startup prompt: downloads waiting for a paid lane); shown on top.
    void set_reason(QString const& text);
    // What OK does, callable from tests: true on success (and accept(), or the backup step after
    // a create), else the error is shown.
    bool submit();
    QString error_text() const;
    QString strength_text() const;  // create and import: the hint under the passphrase
    void set_remember(bool remember);
    bool remember() const;

    // The backup step (after create).
    bool on_backup_page() const;
    // Saves the copy to `path` and checks it unlocks; the outcome shows in the dialog.
    Status save_backup(QString const& path);
    // Skips the backup; without `confirmed` asks first (a warning with Yes/No).
    bool skip_backup(bool confirmed);
    QString backup_text() const;

  public slots:
    void reject() override;

  private:
    void clear_secrets();
    void show_error(QString const& text);
    void update_strength();
    void show_backup_page();
    void choose_backup_file();
    void grow_to_fit();

    WalletService& wallet_;
    Mode mode_;
    QStackedWidget* pages_ = nullptr;
    QLabel* reason_ = nullptr;
    QLineEdit* key_ = nullptr;  // import only
    QLineEdit* passphrase_ = nullptr;
    QLineEdit* repeat_ = nullptr;  // create and import
    QLabel* strength_ = nullptr;   // create and import
    QCheckBox* remember_ = nullptr;
    QLabel* error_ = nullptr;
    QPushButton* ok_ = nullptr;
    QPushButton* cancel_ = nullptr;
    // The backup step: the passphrase is kept (in memory only) until the copy is checked.
    QString kept_passphrase_;
    QLabel* backup_status_ = nullptr;
    QPushButton* backup_done_ = nullptr;
    bool backed_up_ = false;
};

}  // namespace lanetorrent::ui
