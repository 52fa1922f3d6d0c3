#include "base/paid_lane_watch.hpp"

#include <QCoreApplication>

#include "base/keyring.hpp"
#include "base/session.hpp"
#include "base/torrent_list_model.hpp"
#include "base/wallet_service.hpp"

namespace lanetorrent::ui {

namespace {

using namespace std::chrono_literals;

bool running(TorrentRow const& row) {
    return row.state != TorrentState::paused && row.state != TorrentState::error;
}

}  // namespace

HeldReason held_reason(bool has_keystore, bool unlocked, std::optional<qint64> token_units,
                       std::optional<qint64> trx_sun, qint64 fee_sun) {
    if (!has_keystore) return HeldReason::no_wallet;
    if (!unlocked) return HeldReason::wallet_locked;
    if (token_units && *token_units <= 0) return HeldReason::no_tokens;
    if (trx_sun && *trx_sun < fee_sun) return HeldReason::no_trx_for_fees;
    return HeldReason::none;
}

QString held_reason_text(HeldReason reason) {
    switch (reason) {
        case HeldReason::none:
            return {};
        case HeldReason::no_wallet:
            return PaidLaneWatch::tr(
                "It stays in the slow lane: there is no wallet to pay from. Create or "
                "import one on the Wallet tab.");
        case HeldReason::wallet_locked:
            return PaidLaneWatch::tr("It stays in the slow lane until the wallet is unlocked.");
        case HeldReason::no_tokens:
            return PaidLaneWatch::tr(
                "It stays in the slow lane: the wallet has no BTT to pay with.");
        case HeldReason::no_trx_for_fees:
            return PaidLaneWatch::tr(
                "The wallet has too little TRX for the network fees: payments fail once "
                "the free bandwidth is used, and the download drops to the slow lane.");
    }
    return {};
}

PaidLaneWatch::PaidLaneWatch(Session& session, WalletService& wallet, QObject* parent)
    : QObject(parent), session_(session), wallet_(wallet) {
    connect(&wallet_, &WalletService::balancesChanged, this, [this](qint64 trx, qint64 token) {
        trx_sun_ = trx;
        token_units_ = token;
        check_held();
    });
    connect(&wallet_, &WalletService::unlockedWith, this, [this] {
        // Held-for-a-locked-wallet notices are over; balances decide from here.
        wallet_.refresh();
        check_held();
    });
    connect(&session_, &Session::torrentsUpdated, this, &PaidLaneWatch::check_held);
    connect(&session_, &Session::laneChanged, this, [this](QString const& id, lanes::Lane lane) {
        if (!started_ || lane == lanes::Lane::slow || asked_for_.contains(id)) return;
        if (!wallet_.has_keystore() || wallet_.unlocked()) return;
        asked_for_.insert(id);
        auto const row = session_.row(id.toStdString());
        emit unlockWanted(
            PaidLaneWatch::tr("“%1” is set to the %2 lane, which needs an unlocked "
                              "wallet to pay; until then it downloads in the slow lane.")
                .arg(row ? row->name : id, lane_text(lane).toLower()));
    });
    balances_.setInterval(5min);
    connect(&balances_, &QTimer::timeout, this, [this] {
        if (wallet_.unlocked() && session_.wants_paid_lane()) wallet_.refresh();
    });
}

void PaidLaneWatch::start() {
    auto& keeper = wallet_.passphrase_keeper();
    balances_.start();
    if (wallet_.has_keystore() && !wallet_.unlocked() && keeper.remembered()) {
        connect(
            &keeper, &PassphraseKeeper::unlockFinished, this,
            [this](bool unlocked, QString const& message) {
                emit keyringResult(unlocked, message);
                started_ = true;
                if (!unlocked) ask_if_needed(message);
                check_held();
            },
            Qt::SingleShotConnection);
        keeper.unlock_from_keyring();
        return;
    }
    started_ = true;
    ask_if_needed({});
    check_held();
}

bool PaidLaneWatch::should_ask_to_unlock() const {
    return wallet_.has_keystore() && !wallet_.unlocked() && session_.wants_paid_lane();
}

HeldReason PaidLaneWatch::reason_now() const {
    if (!session_.wants_paid_lane()) return HeldReason::none;
    return held_reason(wallet_.has_keystore(), wallet_.unlocked(), token_units_, trx_sun_,
                       WalletService::fee_estimate_sun());
}

void PaidLaneWatch::ask_if_needed(QString const& prefix) {
    if (!should_ask_to_unlock()) return;
    auto const waiting = session_.paid_lane_downloads();
    for (auto const& id : waiting) asked_for_.insert(QString::fromStdString(id));
    QString message =
        tr("%n download(s) set to a paid lane wait in the slow lane until the "
           "wallet is unlocked.",
           nullptr, static_cast<int>(waiting.size()));
    if (!prefix.isEmpty()) message = prefix + QLatin1Char(' ') + message;
    emit unlockWanted(message);
}

void PaidLaneWatch::check_held() {
    if (!started_) return;  // the keyring may unlock in a moment
    auto const reason = held_reason(wallet_.has_keystore(), wallet_.unlocked(), token_units_,
                                    trx_sun_, WalletService::fee_estimate_sun());
    std::map<TorrentId, HeldReason> now;
    for (auto const& id : session_.paid_lane_downloads()) {
        auto const* row = session_.find_row(id);
        if (!row || !running(*row) || reason == HeldReason::none) continue;
        now[id] = reason;
        auto const before = noticed_.find(id);
        if (before != noticed_.end() && before->second == reason) continue;
        emit heldInSlow(QString::fromStdString(id), row->name, held_reason_text(reason));
    }
    noticed_ = std::move(now);
}

}  // namespace lanetorrent::ui
