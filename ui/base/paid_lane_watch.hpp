// Never a silent slow lane. A download set to a paid lane (medium or fast) is bought only while
// the wallet is unlocked and holds the token (and TRX for the transfers' fees); otherwise the
// lanes service quietly keeps it in the slow lane. The watch says so:
//  - at start, and whenever a torrent is set to a paid lane while the wallet is locked, it asks for
//    the passphrase (unlockWanted) — after trying the system keyring first when the user chose to
//    remember the passphrase there;
//  - for each download held in the slow lane it raises heldInSlow once per reason (a locked wallet,
//    no wallet, no tokens, no TRX for fees), which the app turns into a tray notification.
#pragma once

#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>
#include <map>
#include <optional>

#include "engine/torrent_id.hpp"

namespace lanetorrent::ui {

class Session;
class WalletService;

enum class HeldReason { none, no_wallet, wallet_locked, no_tokens, no_trx_for_fees };

// Why a paid-lane download would be held in the slow lane, given what the wallet knows. Balances
// are nullopt until the node has answered: unknown is not "empty".
HeldReason held_reason(bool has_keystore, bool unlocked, std::optional<qint64> token_units,
                       std::optional<qint64> trx_sun, qint64 fee_sun);
// One sentence for a notification.
QString held_reason_text(HeldReason reason);

class PaidLaneWatch : public QObject {
    Q_OBJECT
  public:
    PaidLaneWatch(Session& session, WalletService& wallet, QObject* parent = nullptr);

    // Call once the window is up: tries the keyring if the passphrase is remembered there, then
    // asks (unlockWanted) if a paid lane is wanted and the wallet is still locked.
    void start();
    // A paid lane is wanted, there is a wallet, and it is locked.
    bool should_ask_to_unlock() const;
    // The reason a paid-lane download is held now (none when bought, or when no paid lane).
    HeldReason reason_now() const;

  signals:
    // Ask for the passphrase; `message` says why (how many downloads wait, a keyring failure).
    void unlockWanted(QString message);
    void heldInSlow(QString id, QString name, QString message);
    // The keyring unlocked the wallet at start, or could not (a sentence either way).
    void keyringResult(bool unlocked, QString message);

  private:
    void ask_if_needed(QString const& prefix);
    void check_held();

    Session& session_;
    WalletService& wallet_;
    bool started_ = false;
    std::optional<qint64> token_units_;
    std::optional<qint64> trx_sun_;
    std::map<TorrentId, HeldReason> noticed_;
    QSet<QString> asked_for_;  // torrents the user was already asked to unlock for
    QTimer balances_;          // refreshes balances while paid lanes are bought
};

}  // namespace lanetorrent::ui
