#include "base/wallet_service.hpp"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include "base/app_settings.hpp"
#include "base/keyring.hpp"
#include "base/passphrase_rules.hpp"
#include "base/format.hpp"
#include "tron/node_error_text.hpp"
#include "wallet/balances.hpp"
#include "wallet/fees.hpp"
#include "wallet/keystore.hpp"
#include "wallet/node_probe.hpp"
#include "wallet/send.hpp"
#include "wallet/sent_store.hpp"
#include "wallet/tracking.hpp"

namespace lanetorrent::ui {

namespace {

using namespace std::chrono_literals;

// A passphrase as UTF-8 for the keystore, wiped when it goes out of scope.
class SecretBytes {
  public:
    explicit SecretBytes(QString const& text) : bytes_(text.toUtf8()) {}
    ~SecretBytes() { bytes_.fill('\0'); }
    SecretBytes(SecretBytes const&) = delete;
    SecretBytes& operator=(SecretBytes const&) = delete;
    std::string_view view() const { return {bytes_.constData(), std::size_t(bytes_.size())}; }

  private:
    QByteArray bytes_;
};

QString text(std::string const& s) {
    return QString::fromStdString(s);
}

bool final_status(QString const& status) {
    return status == QLatin1String("solidified") || status.startsWith(QLatin1String("failed"));
}

QString status_text(wallet::TransferState state) {
    // A transfer no block took before it expired is gone: for a person, it failed.
    if (state == wallet::TransferState::expired) return QStringLiteral("failed (expired)");
    return QString::fromLatin1(wallet::to_string(state));
}

}  // namespace

WalletService::WalletService(Profile const& profile, AppSettings& settings, QObject* parent)
    : QObject(parent), profile_(profile), settings_(settings) {
    keeper_ = std::make_unique<PassphraseKeeper>(*this, settings_);
    thread_.setObjectName(QStringLiteral("wallet worker"));
    worker_ = new QObject;
    worker_->moveToThread(&thread_);
    thread_.start();
    tracking_.setInterval(1s);
    connect(&tracking_, &QTimer::timeout, this, &WalletService::refresh_history);
    // Statuses from the profile's record, without the node: the list is there at once.
    for (auto const& record : wallet::SentStore::of(profile_).list()) {
        history_.push_back({text(record.txid), text(record.to), text(record.asset), record.amount,
                            QStringLiteral("pending"), record.time_ms});
    }
}

WalletService::~WalletService() {
    tracking_.stop();
    thread_.quit();
    thread_.wait();
    delete worker_;
}

QString WalletService::keystore_path() const {
    return QString::fromStdString((profile_.data_dir() / "keystore.json").string());
}

bool WalletService::has_keystore() const {
    std::error_code ec;
    return std::filesystem::exists(keystore_path().toStdString(), ec);
}

QString WalletService::address() const {
    auto address = wallet::Keystore::address_of(keystore_path().toStdString());
    return address ? text(address->base58()) : QString();
}

bool WalletService::unlocked() const {
    return unlocked_;
}

QString WalletService::asset() const {
    return settings_.asset();
}

void WalletService::emit_unlocked(tron::PrivateKey const& key) {
    unlocked_ = true;
    emit unlockedWith(key);
}

Status WalletService::create(QString const& passphrase) {
    // Generated here rather than by Keystore::create so the new key can go to the session
    // without a second (slow) unlock.
    return seal(tron::PrivateKey::generate(), passphrase);
}

Status WalletService::import_key(QString const& private_key_hex, QString const& passphrase) {
    SecretBytes hex(private_key_hex.trimmed());
    auto key = tron::PrivateKey::from_hex(hex.view());
    if (!key)
        return Error{tr("that is not a private key: %1").arg(text(key.error())).toStdString()};
    return seal(key.value(), passphrase);
}

Status WalletService::seal(tron::PrivateKey const& key, QString const& passphrase) {
    if (auto const rules = check_new_passphrase(passphrase); !rules) return rules;
    auto const path = keystore_path().toStdString();
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    SecretBytes secret(passphrase);
    if (auto saved = wallet::Keystore::import(path, key, secret.view()); !saved) return saved;
    emit_unlocked(key);
    refresh();
    return Ok{};
}

Status WalletService::unlock(QString const& passphrase) {
    if (!has_keystore())
        return Error{tr("there is no wallet yet: create or import one").toStdString()};
    SecretBytes secret(passphrase);
    auto key = wallet::Keystore::unlock(keystore_path().toStdString(), secret.view());
    if (!key) return Error{key.error()};
    emit_unlocked(key.value());
    return Ok{};
}

Status WalletService::backup_keystore(QString const& destination, QString const& passphrase) const {
    if (!has_keystore())
        return Error{tr("there is no wallet yet: create or import one").toStdString()};
    if (destination.isEmpty()) return Error{tr("choose where to save the copy").toStdString()};
    QFileInfo const target(destination);
    if (target.absoluteFilePath() == QFileInfo(keystore_path()).absoluteFilePath()) {
        return Error{tr("that is the keystore itself: save the copy somewhere else").toStdString()};
    }
    QFile original(keystore_path());
    if (!original.open(QIODevice::ReadOnly)) {
        return Error{tr("cannot read the keystore: %1").arg(original.errorString()).toStdString()};
    }
    QByteArray const bytes = original.readAll();
    QSaveFile copy(destination);
    if (!copy.open(QIODevice::WriteOnly) || copy.write(bytes) != bytes.size() ||
        !copy.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) || !copy.commit()) {
        return Error{tr("cannot write %1: %2").arg(destination, copy.errorString()).toStdString()};
    }
    // Read back what was written, as a restore would: the copy must open with the passphrase
    // and hold this wallet's key.
    SecretBytes secret(passphrase);
    auto const key = wallet::Keystore::unlock(destination.toStdString(), secret.view());
    if (!key) return Error{tr("the copy does not unlock: %1").arg(text(key.error())).toStdString()};
    if (text(key->address().base58()) != address()) {
        return Error{tr("the copy holds another key than this wallet").toStdString()};
    }
    return Ok{};
}

void WalletService::run(std::function<std::function<void()>()> work) {
    ++jobs_;
    QMetaObject::invokeMethod(
        worker_,
        [this, work = std::move(work)] {
            auto done = work();
            QMetaObject::invokeMethod(
                this,
                [this, done = std::move(done)] {
                    --jobs_;
                    done();
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void WalletService::refresh() {
    auto const node = settings_.node();
    if (auto const address = wallet::Keystore::address_of(keystore_path().toStdString())) {
        auto const asset = settings_.asset().toStdString();
        run([this, node, address = address.value(), asset]() -> std::function<void()> {
            tron::TronClient client(node);
            auto balances = wallet::fetch_balances(client, address, asset);
            if (!balances) {
                return [this, message = text(tron::plain_node_error(balances.failure(), node))] {
                    emit nodeError(message);
                };
            }
            return [this, b = balances.value()] { emit balancesChanged(b.trx_sun, b.asset_units); };
        });
    }
    refresh_history();
}

void WalletService::refresh_history() {
    if (history_busy_) return;
    history_busy_ = true;
    auto const node = settings_.node();
    auto const dir = wallet::SentStore::of(profile_).dir();
    // Final statuses do not change: ask the node only about the rest.
    QHash<QString, QString> known;
    for (auto const& entry : history_) known.insert(entry.txid, entry.status);
    run([this, node, dir, known]() -> std::function<void()> {
        tron::TronClient client(node);
        std::vector<WalletTransfer> entries;
        QString error;
        for (auto const& record : wallet::SentStore(dir).list()) {
            WalletTransfer entry{text(record.txid),
                                 text(record.to),
                                 text(record.asset),
                                 record.amount,
                                 known.value(text(record.txid), "pending"),
                                 record.time_ms};
            auto txid = wallet::parse_txid(record.txid);
            if (txid && error.isEmpty() && !final_status(entry.status)) {
                auto progress = wallet::check_transfer(client, txid.value(), record.expiration_ms);
                if (progress) {
                    entry.status = status_text(progress->state);
                } else {
                    error = text(tron::plain_node_error(progress.failure(), node));
                }
            }
            entries.push_back(entry);
        }
        return [this, entries = std::move(entries), error] {
            history_busy_ = false;
            bool const changed = entries.size() != history_.size() ||
                                 !std::equal(entries.begin(), entries.end(), history_.begin(),
                                             [](auto const& a, auto const& b) {
                                                 return a.txid == b.txid && a.status == b.status;
                                             });
            history_ = entries;
            if (changed) emit historyChanged();
            if (!error.isEmpty()) emit nodeError(error);
            bool const open = std::any_of(history_.begin(), history_.end(),
                                          [](auto const& e) { return !final_status(e.status); });
            if (open && !tracking_.isActive()) tracking_.start();
            if (!open) tracking_.stop();
        };
    });
}

void WalletService::test_connection(tron::NodeConfig const& node) {
    run([this, node]() -> std::function<void()> {
        auto probe = wallet::probe_node(node);
        return [this, ok = probe.ok(), message = text(probe ? probe.value() : probe.error())] {
            emit connectionTested(ok, message);
        };
    });
}

Status WalletService::send(QString const& to, QString const& asset, qint64 amount,
                           QString const& passphrase) {
    if (auto valid = validate_address(to); !valid) return valid;
    if (amount <= 0) return Error{tr("the amount must be more than zero").toStdString()};
    if (asset.isEmpty()) return Error{tr("choose what to send: TRX or the token").toStdString()};
    if (!has_keystore())
        return Error{tr("there is no wallet yet: create or import one").toStdString()};
    SecretBytes secret(passphrase);
    auto key = wallet::Keystore::unlock(keystore_path().toStdString(), secret.view());
    if (!key) return Error{key.error()};
    if (!unlocked_) emit_unlocked(key.value());

    wallet::TransferIntent intent{tron::Address::parse(to.trimmed().toStdString()).value(),
                                  asset.toStdString(), amount};
    auto const node = settings_.node();
    auto const dir = wallet::SentStore::of(profile_).dir();
    run([this, node, dir, key = key.value(), intent]() -> std::function<void()> {
        tron::TronClient client(node);
        auto transfer = wallet::prepare_transfer(client, key, intent);
        if (!transfer) {
            return [this, message = text(tron::plain_node_error(transfer.failure(), node))] {
                emit sendFailed(message);
            };
        }
        wallet::SentStore store(dir);
        if (auto sent = wallet::record_and_broadcast(client, store, transfer.value()); !sent) {
            return [this, message = text(sent.error())] { emit sendFailed(message); };
        }
        return [this, t = transfer.value()] {
            history_.push_back({text(t.txid_hex()), text(t.to.base58()), text(t.asset), t.amount,
                                QStringLiteral("pending"), t.timestamp_ms()});
            emit historyChanged();
            emit sendFinished(text(t.txid_hex()));
            if (!tracking_.isActive()) tracking_.start();
        };
    });
    return Ok{};
}

std::vector<WalletTransfer> WalletService::history() const {
    return history_;
}

Status WalletService::validate_address(QString const& text) {
    auto const trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Error{tr("enter the recipient's Tron address (T…)").toStdString()};
    auto address = tron::Address::from_base58(trimmed.toStdString());
    if (!address) return Error{address.error()};
    return Ok{};
}

// The exact parser the CLI uses too (base/format.hpp); a send of nothing is refused here.
Result<qint64> WalletService::parse_amount(QString const& text, int precision) {
    auto const units = lanetorrent::parse_amount(text.trimmed().toStdString(), precision);
    if (!units) return Error{units.error()};
    if (units.value() <= 0) return Error{tr("the amount must be more than zero").toStdString()};
    return units.value();
}

qint64 WalletService::fee_estimate_sun() {
    return wallet::transfer_fee_estimate_sun(false);
}

qint64 WalletService::new_account_fee_estimate_sun() {
    return wallet::transfer_fee_estimate_sun(true);
}

QString WalletService::format_amount(qint64 units, int precision) {
    return QString::fromStdString(lanetorrent::format_amount(units, precision));
}

}  // namespace lanetorrent::ui
