#include "gui/keystore_dialog.hpp"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "base/keyring.hpp"
#include "base/passphrase_rules.hpp"

namespace lanetorrent::ui {

namespace {

QLineEdit* secret_field(QString const& name, QWidget* parent) {
    auto* edit = new QLineEdit(parent);
    edit->setObjectName(name);
    edit->setEchoMode(QLineEdit::Password);
    return edit;
}

QLabel* wrapped_label(QString const& name, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

void wipe(QString& text) {
    text.fill(QChar(0));
    text.clear();
}

}  // namespace

KeystoreDialog::KeystoreDialog(WalletService& wallet, Mode mode, QWidget* parent)
    : QDialog(parent), wallet_(wallet), mode_(mode) {
    auto* layout = new QVBoxLayout(this);
    // Grows (never shrinks below) what the contents need, a shown error included.
    layout->setSizeConstraint(QLayout::SetMinimumSize);
    setMinimumWidth(460);
    pages_ = new QStackedWidget(this);
    layout->addWidget(pages_);

    auto* form_page = new QWidget(pages_);
    auto* form_layout = new QVBoxLayout(form_page);
    form_layout->setContentsMargins(0, 0, 0, 0);
    reason_ = wrapped_label(QStringLiteral("reason"), form_page);
    reason_->hide();
    form_layout->addWidget(reason_);
    auto* intro = wrapped_label(QStringLiteral("intro"), form_page);
    auto* form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);
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
            key_ = secret_field(QStringLiteral("private_key"), form_page);
            form->addRow(tr("Private key:"), key_);
            break;
        case Mode::unlock:
            setWindowTitle(tr("Unlock wallet"));
            intro->setText(tr("Unlocking lets downloads pay for medium and fast lanes."));
            break;
    }
    form_layout->addWidget(intro);
    form_layout->addLayout(form);
    passphrase_ = secret_field(QStringLiteral("passphrase"), form_page);
    form->addRow(tr("Passphrase:"), passphrase_);
    if (mode != Mode::unlock) {
        strength_ = wrapped_label(QStringLiteral("strength"), form_page);
        form->addRow(QString(), strength_);
        repeat_ = secret_field(QStringLiteral("passphrase_repeat"), form_page);
        form->addRow(tr("Repeat passphrase:"), repeat_);
        connect(passphrase_, &QLineEdit::textChanged, this, &KeystoreDialog::update_strength);
        update_strength();
    }
    auto& keeper = wallet_.passphrase_keeper();
    remember_ = new QCheckBox(
        tr("Remember the passphrase in the system keyring, so paid lanes keep working after a "
           "restart"),
        form_page);
    remember_->setObjectName(QStringLiteral("remember"));
    remember_->setChecked(keeper.remembered());
    remember_->setToolTip(
        tr("Stored by the desktop's Secret Service (GNOME Keyring, KWallet), unlocked with your "
           "login. Untick to forget a remembered passphrase."));
    form_layout->addWidget(remember_);
    error_ = wrapped_label(QStringLiteral("error"), form_page);
    error_->setStyleSheet(
        QStringLiteral("color: palette(bright-text); background: #b3261e;"
                       " padding: 4px;"));
    error_->hide();
    form_layout->addWidget(error_);
    form_layout->addStretch(1);
    pages_->addWidget(form_page);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    ok_ = buttons->button(QDialogButtonBox::Ok);
    cancel_ = buttons->button(QDialogButtonBox::Cancel);
    ok_->setText(mode == Mode::unlock ? tr("Unlock")
                                      : (mode == Mode::create ? tr("Create") : tr("Import")));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &KeystoreDialog::submit);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(this, &QDialog::finished, this, [this] {
        clear_secrets();
        wipe(kept_passphrase_);
    });
}

KeystoreDialog::~KeystoreDialog() {
    clear_secrets();
    wipe(kept_passphrase_);
}

void KeystoreDialog::set_reason(QString const& text) {
    reason_->setText(text);
    reason_->setVisible(!text.isEmpty());
    grow_to_fit();
}

void KeystoreDialog::show_error(QString const& text) {
    error_->setText(text);
    error_->show();
    grow_to_fit();
}

// A word-wrapped label asks for its height only once the width is known, and a top-level
// QDialog does not ask again when one is shown: without this a new error pushed the dialog's own
// text out of sight (the "passphrases differ" error cut the intro off).
void KeystoreDialog::grow_to_fit() {
    if (!layout()) return;
    layout()->activate();
    int const needed = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width())
                                                     : layout()->totalSizeHint().height();
    if (height() < needed) resize(width(), needed);
}

void KeystoreDialog::update_strength() {
    if (!strength_) return;
    auto const text = passphrase_->text();
    if (text.isEmpty()) {
        strength_->setText(tr("At least %1 characters. A few unrelated words are strong and "
                              "easy to remember.")
                               .arg(min_passphrase_length));
        return;
    }
    auto const rating = rate_passphrase(text);
    strength_->setText(tr("Strength: %1. %2").arg(rating.label, rating.hint));
}

QString KeystoreDialog::strength_text() const {
    return strength_ ? strength_->text() : QString();
}

void KeystoreDialog::set_remember(bool remember) {
    remember_->setChecked(remember);
}

bool KeystoreDialog::remember() const {
    return remember_->isChecked();
}

bool KeystoreDialog::submit() {
    if (on_backup_page()) return false;
    if (repeat_) {
        if (auto const rules = check_new_passphrase(passphrase_->text()); !rules) {
            repeat_->clear();
            show_error(
                tr("Choose a longer passphrase: %1.").arg(QString::fromStdString(rules.error())));
            return false;
        }
        if (passphrase_->text() != repeat_->text()) {
            repeat_->clear();
            show_error(tr("The two passphrases differ. Type the same passphrase in both fields."));
            return false;
        }
    }
    QString passphrase = passphrase_->text();
    Status status = Ok{};
    {
        // scrypt takes a noticeable fraction of a second.
        QApplication::setOverrideCursor(Qt::WaitCursor);
        switch (mode_) {
            case Mode::create:
                status = wallet_.create(passphrase);
                break;
            case Mode::import_key:
                status = wallet_.import_key(key_->text(), passphrase);
                break;
            case Mode::unlock:
                status = wallet_.unlock(passphrase);
                break;
        }
        QApplication::restoreOverrideCursor();
    }
    clear_secrets();
    if (!status) {
        wipe(passphrase);
        // Said in the window's language even when the reason comes from the keystore's English.
        auto const reason = QString::fromStdString(status.error());
        switch (mode_) {
            case Mode::create:
                show_error(tr("The wallet was not created: %1").arg(reason));
                break;
            case Mode::import_key:
                show_error(tr("The key was not imported: %1").arg(reason));
                break;
            case Mode::unlock:
                show_error(tr("The wallet did not unlock: %1").arg(reason));
                break;
        }
        return false;
    }
    auto& keeper = wallet_.passphrase_keeper();
    if (remember_->isChecked()) {
        keeper.remember(passphrase);
    } else if (keeper.remembered()) {
        keeper.forget();
    }
    if (mode_ == Mode::create) {
        kept_passphrase_ = passphrase;
        wipe(passphrase);
        show_backup_page();
        return true;
    }
    wipe(passphrase);
    accept();
    return true;
}

void KeystoreDialog::show_backup_page() {
    setWindowTitle(tr("Back up the new wallet"));
    auto* page = new QWidget(pages_);
    page->setObjectName(QStringLiteral("backup_page"));
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* intro = wrapped_label(QStringLiteral("backup_intro"), page);
    intro->setText(
        tr("Your wallet %1 is ready. Save a copy of its keystore file somewhere else now (a USB "
           "stick, another disk, your password manager): if this disk fails or the profile is "
           "deleted, the copy and your passphrase are the only way back to its BTT and TRX. The "
           "copy is encrypted with your passphrase.")
            .arg(wallet_.address()));
    layout->addWidget(intro);
    auto* save = new QPushButton(tr("Save a copy…"), page);
    save->setObjectName(QStringLiteral("save_backup"));
    layout->addWidget(save, 0, Qt::AlignLeft);
    backup_status_ = wrapped_label(QStringLiteral("backup_status"), page);
    layout->addWidget(backup_status_);
    layout->addStretch(1);
    pages_->addWidget(page);
    pages_->setCurrentWidget(page);
    connect(save, &QPushButton::clicked, this, &KeystoreDialog::choose_backup_file);

    // OK becomes "Done" (enabled once a copy is checked), Cancel becomes "Skip".
    ok_->setText(tr("Done"));
    ok_->setEnabled(false);
    backup_done_ = ok_;
    cancel_->setText(tr("Skip backup"));
    disconnect(ok_, nullptr, nullptr, nullptr);
    disconnect(cancel_, nullptr, nullptr, nullptr);
    auto* box = qobject_cast<QDialogButtonBox*>(ok_->parentWidget());
    if (box) {
        disconnect(box, &QDialogButtonBox::accepted, this, &KeystoreDialog::submit);
        disconnect(box, &QDialogButtonBox::rejected, this, &QDialog::reject);
    }
    connect(ok_, &QPushButton::clicked, this, [this] {
        if (backed_up_) accept();
    });
    connect(cancel_, &QPushButton::clicked, this, &KeystoreDialog::reject);
    grow_to_fit();
}

void KeystoreDialog::choose_backup_file() {
    QString const suggestion = QDir::home().filePath(
        QStringLiteral("lanetorrent-wallet-%1.json").arg(wallet_.address().left(8)));
    QString const path = QFileDialog::getSaveFileName(this, tr("Save a copy of the keystore"),
                                                      suggestion, tr("Keystore (*.json)"));
    if (!path.isEmpty()) (void)save_backup(path);  // the outcome shows in the dialog
}

Status KeystoreDialog::save_backup(QString const& path) {
    QApplication::setOverrideCursor(Qt::WaitCursor);
    auto const saved = wallet_.backup_keystore(path, kept_passphrase_);
    QApplication::restoreOverrideCursor();
    if (!saved) {
        backup_status_->setText(tr("The copy was not saved: %1. Try another place.")
                                    .arg(QString::fromStdString(saved.error())));
    } else {
        backed_up_ = true;
        wipe(kept_passphrase_);
        backup_status_->setText(
            tr("Saved to %1, and checked: the copy unlocks with your passphrase and holds this "
               "wallet's key. Keep it away from this computer.")
                .arg(QDir::toNativeSeparators(QFileInfo(path).absoluteFilePath())));
        backup_done_->setEnabled(true);
    }
    grow_to_fit();
    return saved;
}

bool KeystoreDialog::skip_backup(bool confirmed) {
    if (!confirmed) {
        auto const answer = QMessageBox::warning(
            this, tr("Skip the backup?"),
            tr("Without a copy of the keystore, a failed disk or a deleted profile loses this "
               "wallet and everything in it for good. You can still copy %1 later. Skip the "
               "backup?")
                .arg(QDir::toNativeSeparators(wallet_.keystore_path())),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes) return false;
    }
    wipe(kept_passphrase_);
    // The wallet exists and is unlocked: skipping the copy is still a success.
    accept();
    return true;
}

bool KeystoreDialog::on_backup_page() const {
    return pages_->count() > 1 && pages_->currentIndex() == 1;
}

QString KeystoreDialog::backup_text() const {
    return backup_status_ ? backup_status_->text() : QString();
}

QString KeystoreDialog::error_text() const {
    return error_->isHidden() ? QString() : error_->text();
}

void KeystoreDialog::clear_secrets() {
    for (auto* edit : {key_, passphrase_, repeat_}) {
        if (edit) edit->clear();
    }
}

// Escape or the window's close button on the backup step: the same warning as "Skip backup".
void KeystoreDialog::reject() {
    if (on_backup_page() && !backed_up_) {
        skip_backup(false);
        return;
    }
    QDialog::reject();
}

}  // namespace lanetorrent::ui
