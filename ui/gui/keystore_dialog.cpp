#include "gui/keystore_dialog.hpp"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace lanetorrent::ui {

namespace {

QLineEdit* secret_field(QString const& name, QWidget* parent) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setEchoMode(QLineEdit::Password);
    return edit;
}

}  // namespace

KeystoreDialog::KeystoreDialog(WalletService& wallet, Mode mode, QWidget* parent)
    : QDialog(parent), wallet_(wallet), mode_(mode) {
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(this);
    intro->setWordWrap(true);
    auto* form = new QFormLayout;
    switch (mode) {
        case Mode::create:
            setWindowTitle(tr("Create wallet"));
            intro->setText(
                tr("A new key is generated and stored encrypted in this profile. "
                   "Without the passphrase nobody, not even you, can spend from it."));
            break;
        case Mode::import_key:
            setWindowTitle(tr("Import private key"));
            intro->setText(
                tr("Paste the 64 hex digits of an existing Tron private key. It is "
                   "stored encrypted under the passphrase you choose."));
            key_ = secret_field(QStringLiteral("private_key"), this);
            form->addRow(tr("Private key:"), key_);
            break;
        case Mode::unlock:
            setWindowTitle(tr("Unlock wallet"));
            intro->setText(tr("Unlocking lets downloads pay for medium and fast lanes."));
            break;
    }
    layout->addWidget(intro);
    layout->addLayout(form);
    passphrase_ = secret_field(QStringLiteral("passphrase"), this);
    form->addRow(tr("Passphrase:"), passphrase_);
    if (mode != Mode::unlock) {
        repeat_ = secret_field(QStringLiteral("passphrase_repeat"), this);
        form->addRow(tr("Repeat passphrase:"), repeat_);
    }
    error_ = new QLabel(this);
    error_->setObjectName(QStringLiteral("error"));
    error_->setWordWrap(true);
    error_->setStyleSheet(
        QStringLiteral("color: palette(bright-text); background: #b3261e;"
                       " padding: 4px;"));
    error_->hide();
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)
        ->setText(mode == Mode::unlock ? tr("Unlock")
                                       : (mode == Mode::create ? tr("Create") : tr("Import")));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &KeystoreDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::finished, this, &KeystoreDialog::clear_secrets);
}

bool KeystoreDialog::submit() {
    auto show_error = [this](QString const& text) {
        error_->setText(text);
        error_->show();
        return false;
    };
    if (repeat_ && passphrase_->text() != repeat_->text()) {
        repeat_->clear();
        return show_error(tr("The two passphrases differ."));
    }
    Status status = Ok{};
    {
        // scrypt takes a noticeable fraction of a second.
        QApplication::setOverrideCursor(Qt::WaitCursor);
        switch (mode_) {
            case Mode::create:
                status = wallet_.create(passphrase_->text());
                break;
            case Mode::import_key:
                status = wallet_.import_key(key_->text(), passphrase_->text());
                break;
            case Mode::unlock:
                status = wallet_.unlock(passphrase_->text());
                break;
        }
        QApplication::restoreOverrideCursor();
    }
    clear_secrets();
    if (!status) return show_error(QString::fromStdString(status.error()));
    accept();
    return true;
}

QString KeystoreDialog::error_text() const {
    return error_->isHidden() ? QString() : error_->text();
}

void KeystoreDialog::clear_secrets() {
    for (auto* edit : {key_, passphrase_, repeat_}) {
        if (edit) edit->clear();
    }
}

}  // namespace lanetorrent::ui
