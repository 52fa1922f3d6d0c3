#include "base/wallet_history.hpp"

#include <QDateTime>
#include <QMetaObject>
#include <QSaveFile>
#include <algorithm>
#include <exception>

#include "base/display_text.hpp"
#include "base/format.hpp"
#include "lanes/ledger.hpp"

namespace lanetorrent::ui {

namespace {

QString qs(std::string const& text) {
    return QString::fromStdString(text);
}

constexpr int token_decimals = 6;  // BTT and TRX alike (tron-facts.md)
constexpr char const* btt_asset = "1002000";

bool outgoing(MoneyMove::Kind kind) {
    return kind != MoneyMove::Kind::lane_received;
}

QString time_text(qint64 ms) {
    if (ms <= 0) return {};
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString csv_kind(MoneyMove::Kind kind) {
    switch (kind) {
        case MoneyMove::Kind::lane_paid:
            return QStringLiteral("lane payment");
        case MoneyMove::Kind::lane_received:
            return QStringLiteral("lane earnings");
        case MoneyMove::Kind::sent:
            return QStringLiteral("sent");
    }
    return {};
}

// One CSV field. Text someone else chose (a torrent's name) that starts like a formula is made
// inert with a leading quote mark, as OWASP advises; numbers are written by us and left alone.
QString csv_field(QString text, bool is_text = true) {
    static QString const formula_starts = QStringLiteral("=+-@\t\r");
    if (is_text && !text.isEmpty() && formula_starts.contains(text.front())) {
        text.prepend(QLatin1Char('\''));
    }
    bool const quote = text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
                       text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'));
    if (!quote) return text;
    text.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString torrent_text(MoneyMove const& move) {
    if (move.torrent_ids.isEmpty()) return {};
    auto const name = move.torrent_names.value(0);
    auto text = name.isEmpty() ? move.torrent_ids.front() : display_text(name);
    if (move.torrent_ids.size() > 1) {
        text = WalletHistoryModel::tr("%1 and %n more", nullptr, int(move.torrent_ids.size() - 1))
                   .arg(text);
    }
    return text;
}

}  // namespace

std::vector<MoneyMove> lane_moves(lanes::Ledger const& ledger) {
    std::vector<MoneyMove> moves;
    for (auto const role : {lanes::Role::spend, lanes::Role::earn}) {
        for (auto const& record : ledger.settlements(role)) {
            MoneyMove move;
            move.kind = role == lanes::Role::spend ? MoneyMove::Kind::lane_paid
                                                   : MoneyMove::Kind::lane_received;
            move.time_ms = record.created_ms;
            move.peer = qs(role == lanes::Role::spend ? record.channel.payee : record.channel.payer);
            move.asset = qs(record.channel.asset);
            move.amount = record.to - record.from;
            move.txid = qs(record.txid);
            move.status = QString::fromLatin1(lanes::to_string(record.status));
            for (auto const& share : ledger.settlement_torrents(record)) {
                if (share.torrent.empty()) continue;  // continued from another device
                move.torrent_ids << qs(share.torrent);
            }
            moves.push_back(std::move(move));
        }
    }
    std::stable_sort(moves.begin(), moves.end(),
                     [](auto const& a, auto const& b) { return a.time_ms > b.time_ms; });
    return moves;
}

std::vector<MoneyMove> send_moves(std::vector<WalletTransfer> const& transfers) {
    std::vector<MoneyMove> moves;
    moves.reserve(transfers.size());
    for (auto const& transfer : transfers) {
        MoneyMove move;
        move.kind = MoneyMove::Kind::sent;
        move.time_ms = transfer.time_ms;
        move.peer = transfer.to;
        move.asset = transfer.asset;
        move.amount = transfer.amount;
        move.txid = transfer.txid;
        move.status = transfer.status;
        moves.push_back(std::move(move));
    }
    return moves;
}

std::vector<MoneyMove> merge_moves(std::vector<MoneyMove> lanes, std::vector<MoneyMove> sends) {
    std::vector<MoneyMove> all = std::move(lanes);
    all.insert(all.end(), std::make_move_iterator(sends.begin()),
               std::make_move_iterator(sends.end()));
    std::stable_sort(all.begin(), all.end(),
                     [](auto const& a, auto const& b) { return a.time_ms > b.time_ms; });
    return all;
}

QString asset_unit(QString const& asset) {
    if (asset == QLatin1String(btt_asset)) return QStringLiteral("BTT");
    if (asset == QLatin1String("TRX")) return QStringLiteral("TRX");
    return WalletHistoryModel::tr("token %1").arg(asset);
}

QString move_amount_text(MoneyMove const& move) {
    auto const text = qs(format_token(move.amount, token_decimals,
                                      asset_unit(move.asset).toStdString()));
    return (outgoing(move.kind) ? QStringLiteral("−") : QStringLiteral("+")) + text;
}

// The status words the ledger and the transfer tracker store (lanes::to_string,
// wallet::to_string, "failed (expired)"), as the table shows them; the CSV keeps the stored word.
QString move_status_text(QString const& status) {
    if (status == QLatin1String("signed")) return WalletHistoryModel::tr("signed");
    if (status == QLatin1String("pending")) return WalletHistoryModel::tr("pending");
    if (status == QLatin1String("confirmed")) return WalletHistoryModel::tr("confirmed");
    if (status == QLatin1String("solidified")) return WalletHistoryModel::tr("solidified");
    if (status == QLatin1String("failed")) return WalletHistoryModel::tr("failed");
    if (status == QLatin1String("expired")) return WalletHistoryModel::tr("expired");
    if (status == QLatin1String("failed (expired)"))
        return WalletHistoryModel::tr("failed (expired)");
    return status;
}

QString move_kind_text(MoneyMove::Kind kind) {
    switch (kind) {
        case MoneyMove::Kind::lane_paid:
            return WalletHistoryModel::tr("Lane payment");
        case MoneyMove::Kind::lane_received:
            return WalletHistoryModel::tr("Lane earnings");
        case MoneyMove::Kind::sent:
            return WalletHistoryModel::tr("Sent");
    }
    return {};
}

QString history_csv(std::vector<MoneyMove> const& moves) {
    QString out = QStringLiteral(
        "Time (UTC),Type,Torrent,Info-hash,Peer address,Amount,Unit,Status,Transaction\r\n");
    for (auto const& move : moves) {
        auto const amount = qs(plain_amount(move.amount, token_decimals));
        QStringList const fields = {
            csv_field(move.time_ms > 0 ? QDateTime::fromMSecsSinceEpoch(move.time_ms, Qt::UTC)
                                             .toString(Qt::ISODate)
                                       : QString(),
                      false),
            csv_field(csv_kind(move.kind), false),
            csv_field(move.torrent_names.join(QStringLiteral("; "))),
            csv_field(move.torrent_ids.join(QLatin1Char(' '))),
            csv_field(move.peer),
            csv_field(outgoing(move.kind) ? QLatin1Char('-') + amount : amount, false),
            csv_field(asset_unit(move.asset)),
            csv_field(move.status),
            csv_field(move.txid),
        };
        out += fields.join(QLatin1Char(',')) + QStringLiteral("\r\n");
    }
    return out;
}

Status export_history_csv(std::vector<MoneyMove> const& moves, QString const& path) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return Error{"cannot write " + path.toStdString() + ": " +
                     file.errorString().toStdString()};
    }
    auto const bytes = history_csv(moves).toUtf8();
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        return Error{"cannot write " + path.toStdString() + ": " +
                     file.errorString().toStdString()};
    }
    return Ok{};
}

WalletHistoryModel::WalletHistoryModel(std::filesystem::path ledger_file, WalletService* wallet,
                                       NameOf name_of, QObject* parent)
    : QAbstractTableModel(parent),
      ledger_file_(std::move(ledger_file)),
      wallet_(wallet),
      name_of_(std::move(name_of)) {
    thread_.setObjectName(QStringLiteral("history reader"));
    reader_ = new QObject;
    reader_->moveToThread(&thread_);
    thread_.start();
    if (wallet_) connect(wallet_, &WalletService::historyChanged, this, &WalletHistoryModel::publish);
    publish();  // the sends at once; the ledger follows
    reload();
}

WalletHistoryModel::~WalletHistoryModel() {
    thread_.quit();
    thread_.wait();
    delete reader_;
    ledger_.reset();  // the reader thread is gone: nothing else uses the connection
}

void WalletHistoryModel::reload() {
    if (reading_) {
        read_again_ = true;
        return;
    }
    reading_ = true;
    QMetaObject::invokeMethod(
        reader_,
        [this] {
            std::vector<MoneyMove> moves;
            QString error;
            std::error_code ec;
            // No file: nothing was ever paid; opening would create one.
            if (std::filesystem::exists(ledger_file_, ec)) {
                if (!ledger_) {
                    auto opened = lanes::Ledger::open(ledger_file_);
                    if (opened) {
                        ledger_ = std::move(opened).value();
                    } else {
                        error = qs(opened.error());
                    }
                }
                if (ledger_) {
                    try {
                        moves = lane_moves(*ledger_);
                    } catch (std::exception const& e) {
                        error = tr("cannot read the lanes ledger: %1").arg(qs(e.what()));
                        ledger_.reset();  // open it afresh next time
                    }
                }
            }
            QMetaObject::invokeMethod(
                this,
                [this, moves = std::move(moves), error]() mutable {
                    read_done(std::move(moves), error);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void WalletHistoryModel::read_done(std::vector<MoneyMove> lanes, QString error) {
    reading_ = false;
    if (error.isEmpty()) {
        lane_moves_ = std::move(lanes);
        publish();
    } else {
        emit loadFailed(error);
    }
    if (read_again_) {
        read_again_ = false;
        reload();
        return;
    }
    emit loaded();
}

void WalletHistoryModel::publish() {
    auto moves =
        merge_moves(lane_moves_, wallet_ ? send_moves(wallet_->history()) : std::vector<MoneyMove>{});
    for (auto& move : moves) {
        move.torrent_names.clear();
        for (auto const& id : move.torrent_ids) {
            move.torrent_names << (name_of_ ? name_of_(id) : QString());
        }
    }
    beginResetModel();
    moves_ = std::move(moves);
    endResetModel();
}

int WalletHistoryModel::rowCount(QModelIndex const& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(moves_.size());
}

int WalletHistoryModel::columnCount(QModelIndex const& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant WalletHistoryModel::data(QModelIndex const& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    auto const& move = moves_[static_cast<std::size_t>(index.row())];
    if (role == SortRole) {
        switch (index.column()) {
            case time:
                return move.time_ms;
            case amount:
                return outgoing(move.kind) ? -move.amount : move.amount;
            default:
                return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() == amount) {
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole && index.column() == torrent) {
        QStringList lines;
        for (int i = 0; i < move.torrent_ids.size(); ++i) {
            auto const name = move.torrent_names.value(i);
            lines << (name.isEmpty() ? move.torrent_ids[i]
                                     : display_text(name) + QStringLiteral(" (") +
                                           move.torrent_ids[i] + QLatin1Char(')'));
        }
        return lines.join(QLatin1Char('\n'));
    }
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole) return {};
    switch (index.column()) {
        case time:
            return time_text(move.time_ms);
        case kind:
            return move_kind_text(move.kind);
        case torrent:
            return torrent_text(move);
        case peer:
            return move.peer;
        case amount:
            return move_amount_text(move);
        case status:
            return move_status_text(move.status);
        case txid:
            return move.txid;
        default:
            return {};
    }
}

QVariant WalletHistoryModel::headerData(int section, Qt::Orientation orientation,
                                        int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
        case time:
            return tr("Time");
        case kind:
            return tr("Type");
        case torrent:
            return tr("Torrent");
        case peer:
            return tr("Peer / recipient");
        case amount:
            return tr("Amount");
        case status:
            return tr("Status");
        case txid:
            return tr("Transaction");
        default:
            return {};
    }
}

}  // namespace lanetorrent::ui
