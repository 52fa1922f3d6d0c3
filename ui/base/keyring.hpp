// The wallet passphrase in the system keyring (the Secret Service on Linux: GNOME Keyring,
// KWallet, KeePassXC; through QtKeychain), so that a tray app started at login can pay for lanes
// without anyone typing it. Opt-in: nothing is stored, or even asked of the keyring, until the
// user ticks "Remember" in an unlock, create or import dialog; forget() removes it again.
//
// Every keyring call is asynchronous and bounded: without a Secret Service (no D-Bus session, a
// headless server) QtKeychain fails at once, and a keyring that waits for a prompt nobody sees
// is given up after `timeout()`. Either way the caller gets a sentence and falls back to asking.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>
#include <chrono>
#include <functional>

namespace QKeychain {
class Job;
}

namespace lanetorrent::ui {

class AppSettings;
class WalletService;

class PassphraseKeeper : public QObject {
    Q_OBJECT
  public:
    PassphraseKeeper(WalletService& wallet, AppSettings& settings, QObject* parent = nullptr);
    ~PassphraseKeeper() override;

    // The user asked to remember the passphrase (and it was stored): the app reads it at start.
    bool remembered() const;
    bool busy() const { return job_ != nullptr; }

    // Reads the passphrase and unlocks the wallet with it. unlockFinished(true, sentence) once
    // unlocked; (false, why) when nothing is remembered, the keyring cannot be reached or says
    // no, or the remembered passphrase no longer unlocks the keystore.
    void unlock_from_keyring();
    // Stores the passphrase (the wallet must unlock with it); rememberFinished(ok, sentence).
    void remember(QString const& passphrase);
    // Removes it from the keyring and stops reading it at start; forgetFinished(ok, sentence).
    void forget();

    // The keyring entry: one per keystore file, so two profiles never share a passphrase.
    QString service() const;
    QString key() const;

    std::chrono::milliseconds timeout() const { return timeout_; }
    void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

  signals:
    void unlockFinished(bool unlocked, QString message);
    void rememberFinished(bool ok, QString message);
    void forgetFinished(bool ok, QString message);

  private:
    // Starts `job`; `done(ok, error sentence)` runs once, on its answer or on the timeout.
    void run(QKeychain::Job* job, std::function<void(QKeychain::Job&, QString const&)> done);
    void set_remembered(bool on);

    WalletService& wallet_;
    AppSettings& settings_;
    QPointer<QObject> job_;  // the running QKeychain::Job (incomplete here)
    QTimer deadline_;
    std::chrono::milliseconds timeout_{std::chrono::seconds(20)};
};

}  // namespace lanetorrent::ui
