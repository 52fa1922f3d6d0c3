// WalletHistory: everything that moved money, in one list, newest first: the lane settlements
// this profile paid and received (from the lanes ledger, with the torrent, the other side's
// address, the amount, the transaction and its status) and the wallet's own sends. A table
// model for the wallet page, and the same list as CSV.
//
// The ledger is read on a thread of its own through a second SQLite connection (the Session's
// stays on the GUI thread; the file is in WAL mode, so a reader never waits for a writer), so a
// long history never stalls the window.
#pragma once

#include <QAbstractTableModel>
#include <QString>
#include <QStringList>
#include <QThread>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "base/result.hpp"
#include "base/wallet_service.hpp"

namespace lanetorrent::lanes {
class Ledger;
}

namespace lanetorrent::ui {

struct MoneyMove {
    enum class Kind { lane_paid, lane_received, sent };
    Kind kind = Kind::sent;
    qint64 time_ms = 0;
    // The torrents a settlement paid for (info-hash hex), the largest share first; empty for a
    // send. Names are filled in on the GUI thread (the Session knows them).
    QStringList torrent_ids;
    QStringList torrent_names;
    QString peer;       // the other side's Tron address: payee, payer or recipient
    QString asset;      // "TRX" or a TRC-10 id
    qint64 amount = 0;  // base units, never negative: the kind says which way it went
    QString txid;
    QString status;  // signed / pending / confirmed / solidified / failed …
};

// The lane settlements of `ledger`, both roles, newest first, torrent names left empty.
std::vector<MoneyMove> lane_moves(lanes::Ledger const& ledger);
// The wallet's sends as history entries.
std::vector<MoneyMove> send_moves(std::vector<WalletTransfer> const& transfers);
// Both lists as one, newest first.
std::vector<MoneyMove> merge_moves(std::vector<MoneyMove> lanes, std::vector<MoneyMove> sends);

// The one place the history formats amounts and units (until the shared formatting module).
QString asset_unit(QString const& asset);         // "BTT", "TRX" or "token 1000001"
QString move_amount_text(MoneyMove const& move);  // "-87.835693 BTT", "+0.25 BTT"
QString move_kind_text(MoneyMove::Kind kind);

// RFC 4180 CSV: a header line, then one line per entry (CRLF line ends; a field with a comma,
// quote or line break is quoted, quotes doubled; a text field that a spreadsheet would run as a
// formula, such as a torrent named "=HYPERLINK(…)", starts with a quote mark). Amounts are signed
// decimals in whole tokens, times ISO 8601 UTC.
QString history_csv(std::vector<MoneyMove> const& moves);
// Writes history_csv() to `path` atomically (QSaveFile). Errors are for a person.
Status export_history_csv(std::vector<MoneyMove> const& moves, QString const& path);

class WalletHistoryModel : public QAbstractTableModel {
    Q_OBJECT
  public:
    enum Column { time, kind, torrent, peer, amount, status, txid, column_count };
    enum Roles { SortRole = Qt::UserRole + 1 };
    using NameOf = std::function<QString(QString const& torrent_id)>;

    // `ledger_file` may not exist yet (no lane ever paid): then only sends are listed. `wallet`
    // may be null (lanes only); `name_of` gives a torrent's name, or empty if unknown.
    WalletHistoryModel(std::filesystem::path ledger_file, WalletService* wallet, NameOf name_of,
                       QObject* parent = nullptr);
    ~WalletHistoryModel() override;

    int rowCount(QModelIndex const& parent = {}) const override;
    int columnCount(QModelIndex const& parent = {}) const override;
    QVariant data(QModelIndex const& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    std::vector<MoneyMove> const& moves() const { return moves_; }
    // Reads the ledger again on the reader thread (a call while one runs queues one more); the
    // sends are taken from the wallet service at once. `loaded` follows.
    void reload();
    bool loading() const { return reading_; }

  signals:
    void loaded();
    void loadFailed(QString message);

  private:
    void read_done(std::vector<MoneyMove> lanes, QString error);
    void publish();

    std::filesystem::path ledger_file_;
    WalletService* wallet_ = nullptr;
    NameOf name_of_;
    QThread thread_;
    QObject* reader_ = nullptr;  // lives on thread_
    // Owned by the reader thread's jobs while it runs; freed after it stops.
    std::unique_ptr<lanes::Ledger> ledger_;
    std::vector<MoneyMove> lane_moves_;
    std::vector<MoneyMove> moves_;
    bool reading_ = false;
    bool read_again_ = false;
};

}  // namespace lanetorrent::ui
