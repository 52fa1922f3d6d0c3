#include "base/keyring.hpp"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QCryptographicHash>

#include "base/app_settings.hpp"
#include "base/wallet_service.hpp"

namespace lanetorrent::ui {

namespace {

QString const remembered_key = QStringLiteral("wallet/passphrase_in_keyring");

// QtKeychain's errors as a person reads them.
QString keyring_error(QKeychain::Job const& job) {
    switch (job.error()) {
        case QKeychain::NoError:
            return {};
        case QKeychain::EntryNotFound:
            return PassphraseKeeper::tr("the system keyring has no passphrase for this wallet");
        case QKeychain::AccessDeniedByUser:
        case QKeychain::AccessDenied:
            return PassphraseKeeper::tr("the system keyring refused access (%1)")
                .arg(job.errorString());
        case QKeychain::NoBackendAvailable:
        case QKeychain::NotImplemented:
            return PassphraseKeeper::tr(
                       "no system keyring is available (%1); a Secret Service such as GNOME "
                       "Keyring or KWallet must be running")
                .arg(job.errorString());
        default:
            return PassphraseKeeper::tr("the system keyring failed (%1)").arg(job.errorString());
    }
}

}  // namespace

PassphraseKeeper::PassphraseKeeper(WalletService& wallet, AppSettings& settings, QObject* parent)
    : QObject(parent), wallet_(wallet), settings_(settings) {
    deadline_.setSingleShot(true);
}

PassphraseKeeper::~PassphraseKeeper() {
    // A job still running reports to nobody: QtKeychain deletes it when it ends.
    if (job_) job_->disconnect(this);
}

bool PassphraseKeeper::remembered() const {
    return settings_.raw().value(remembered_key, false).toBool();
}

void PassphraseKeeper::set_remembered(bool on) {
    settings_.raw().setValue(remembered_key, on);
    settings_.raw().sync();
}

QString PassphraseKeeper::service() const {
    return QStringLiteral("LaneTorrent wallet");
}

QString PassphraseKeeper::key() const {
    // The path itself would do, but a hash keeps a home directory's layout out of the keyring's
    // list of entries.
    auto const hash =
        QCryptographicHash::hash(wallet_.keystore_path().toUtf8(), QCryptographicHash::Sha256);
    return QStringLiteral("passphrase ") + QString::fromLatin1(hash.toHex().left(16)) +
           QStringLiteral(" (") + wallet_.address() + QStringLiteral(")");
}

void PassphraseKeeper::run(QKeychain::Job* job,
                           std::function<void(QKeychain::Job&, QString const&)> done) {
    if (job_) {
        job_->disconnect(this);
        job_ = nullptr;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false);  // never a plain-text file instead of a keyring
    job_ = job;
    auto finish =
        std::make_shared<std::function<void(QKeychain::Job&, QString const&)>>(std::move(done));
    connect(job, &QKeychain::Job::finished, this, [this, finish](QKeychain::Job* finished) {
        if (static_cast<QObject*>(finished) != job_.data()) return;
        deadline_.stop();
        deadline_.disconnect(this);
        job_ = nullptr;
        (*finish)(*finished, keyring_error(*finished));
    });
    deadline_.disconnect(this);
    connect(&deadline_, &QTimer::timeout, this, [this, job, finish] {
        if (job_.data() != static_cast<QObject*>(job)) return;
        job->disconnect(this);
        job_ = nullptr;
        auto const seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout_).count();
        (*finish)(*job, tr("the system keyring did not answer within %1 s").arg(seconds));
    });
    deadline_.start(timeout_);
    job->start();
}

void PassphraseKeeper::unlock_from_keyring() {
    if (!wallet_.has_keystore()) {
        emit unlockFinished(false, tr("There is no wallet to unlock yet."));
        return;
    }
    auto* job = new QKeychain::ReadPasswordJob(service());
    job->setKey(key());
    run(job, [this](QKeychain::Job& done, QString const& error) {
        if (!error.isEmpty()) {
            emit unlockFinished(false, tr("The passphrase could not be read: %1.").arg(error));
            return;
        }
        auto& read = static_cast<QKeychain::ReadPasswordJob&>(done);
        QString passphrase = read.textData();
        auto const unlocked = wallet_.unlock(passphrase);
        passphrase.fill(QChar(0));
        if (!unlocked) {
            emit unlockFinished(false,
                                tr("The passphrase in the system keyring does not unlock this "
                                   "wallet (%1).")
                                    .arg(QString::fromStdString(unlocked.error())));
            return;
        }
        emit unlockFinished(true, tr("Wallet unlocked with the passphrase in the system keyring."));
    });
}

void PassphraseKeeper::remember(QString const& passphrase) {
    auto* job = new QKeychain::WritePasswordJob(service());
    job->setKey(key());
    job->setTextData(passphrase);
    run(job, [this](QKeychain::Job&, QString const& error) {
        if (!error.isEmpty()) {
            emit rememberFinished(false,
                                  tr("The passphrase was not remembered: %1. LaneTorrent asks "
                                     "for it after each restart.")
                                      .arg(error));
            return;
        }
        set_remembered(true);
        emit rememberFinished(true, tr("The passphrase is in the system keyring: paid lanes work "
                                       "after a restart without asking."));
    });
}

void PassphraseKeeper::forget() {
    // Stop reading it at start whatever the keyring says: that is what the user asked for.
    set_remembered(false);
    auto* job = new QKeychain::DeletePasswordJob(service());
    job->setKey(key());
    run(job, [this](QKeychain::Job& done, QString const& error) {
        if (!error.isEmpty() && done.error() != QKeychain::EntryNotFound) {
            emit forgetFinished(false, tr("LaneTorrent no longer reads the passphrase at start, "
                                          "but the keyring could not delete it: %1.")
                                           .arg(error));
            return;
        }
        emit forgetFinished(true, tr("The passphrase is no longer in the system keyring."));
    });
}

}  // namespace lanetorrent::ui
