// WalletService: the wallet page's model. Keystore create/import/unlock on the profile's
// keystore file, balances, sends and history through the Tron node. Node calls run on a worker
// thread and come back as signals on the GUI thread, so the window never blocks on the network.
#pragma once

#include <QObject>
#include <QString>
#include <QThread>
#include <QTimer>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "base/profile.hpp"
#include "tron/client.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::ui {

class AppSettings;
class PassphraseKeeper;

struct WalletTransfer {
    QString txid;
    QString to;
    QString asset;      // "TRX" or a TRC-10 id
    qint64 amount = 0;  // base units (sun for TRX)
    QString status;     // pending / confirmed / solidified / failed
    qint64 time_ms = 0;
};

class WalletService : public QObject {
    Q_OBJECT
  public:
    WalletService(Profile const& profile, AppSettings& settings, QObject* parent = nullptr);
    ~WalletService() override;

    QString keystore_path() const;
    bool has_keystore() const;
    QString address() const;  // empty without a keystore
    bool unlocked() const;

    // Keystore actions (synchronous: scrypt at the default cost takes about 1.3 s; the dialog
    // shows a wait cursor). Errors are for a person.
    Status create(QString const& passphrase);
    Status import_key(QString const& private_key_hex, QString const& passphrase);
    Status unlock(QString const& passphrase);  // emits unlockedWith on success
    // Copies the keystore file to `destination` (a backup elsewhere, mode 0600) and checks that
    // the copy unlocks with `passphrase` to this wallet's address. Errors are for a person.
    Status backup_keystore(QString const& destination, QString const& passphrase) const;
    // The passphrase remembered in the system keyring, if the user wants it (base/keyring.hpp).
    PassphraseKeeper& passphrase_keeper() { return *keeper_; }

    // Node calls: results arrive as signals.
    void refresh();  // balances, then history statuses
    void test_connection(tron::NodeConfig const& node);
    // Checks address and amount now (errors for a person), then signs with a freshly unlocked key
    // and broadcasts on the worker thread.
    Status send(QString const& to, QString const& asset, qint64 amount, QString const& passphrase);
    std::vector<WalletTransfer> history() const;
    QString asset() const;  // the configured TRC-10 id (AppSettings::asset)
    bool refreshing() const { return jobs_ > 0; }

    // A Base58Check Tron address ("T…", 34 characters) or an error for a person.
    static Status validate_address(QString const& text);
    // Parses "12.5" with `precision` decimals into base units, or an error for a person.
    static Result<qint64> parse_amount(QString const& text, int precision);
    // The bandwidth a transfer costs when the account's free bandwidth is used up, in sun.
    static qint64 fee_estimate_sun();
    // The same when the transfer creates the recipient's account (about 1.1 TRX).
    static qint64 new_account_fee_estimate_sun();
    // Base units as "12.5" with `precision` decimals, trailing zeros dropped.
    static QString format_amount(qint64 units, int precision);

  signals:
    void unlockedWith(lanetorrent::tron::PrivateKey key);
    void balancesChanged(qint64 trx_sun, qint64 token_units);
    void historyChanged();
    void sendFinished(QString txid);
    void sendFailed(QString message);
    void connectionTested(bool ok, QString message);
    void nodeError(QString message);

  private:
    // Runs `work` on the worker thread; the function it returns runs back on this object's thread.
    void run(std::function<std::function<void()>()> work);
    void refresh_history();
    void emit_unlocked(tron::PrivateKey const& key);
    Status seal(tron::PrivateKey const& key, QString const& passphrase);

    Profile profile_;
    AppSettings& settings_;
    QThread thread_;
    QObject* worker_ = nullptr;  // lives on thread_
    QTimer tracking_;            // polls while a transfer is not final yet
    std::vector<WalletTransfer> history_;
    std::unique_ptr<PassphraseKeeper> keeper_;
    bool unlocked_ = false;
    bool history_busy_ = false;
    int jobs_ = 0;
};

}  // namespace lanetorrent::ui
