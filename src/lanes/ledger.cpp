#include "lanes/ledger.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <system_error>
#include <utility>

#include "sqlite/sqlite.hpp"
#include "tron/clock.hpp"

namespace lanetorrent::lanes {

using sqlite::Database;
using sqlite::SqliteError;
using sqlite::Statement;
using sqlite::WriteTransaction;

namespace {

// PRAGMA user_version of the schema this build writes. A later build that changes the schema
// bumps it and adds a step to migrate(); a file with a higher version than this is refused
// rather than misread.
constexpr std::int64_t kSchemaVersion = 1;

// Channels are keyed by their text columns everywhere (no surrogate ids), so a row of any table
// reads on its own in `sqlite3 lanes.sqlite` and the settlement index can name the channel.
constexpr char const* kSchemaV1 = R"sql(
CREATE TABLE channels (
    role TEXT NOT NULL, payer TEXT NOT NULL, payee TEXT NOT NULL, asset TEXT NOT NULL,
    iou_amount INTEGER NOT NULL DEFAULT 0, iou_seq INTEGER NOT NULL DEFAULT 0,
    iou_signature BLOB NOT NULL DEFAULT x'',
    settled INTEGER NOT NULL DEFAULT 0, last_settled_ms INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (role, payer, payee, asset));
-- Every accepted (earn) or issued (spend) IOU. `increase` is amount minus the previous amount
-- on the channel: summing it per torrent or per period gives what was earned or spent there.
CREATE TABLE ious (
    role TEXT NOT NULL, payer TEXT NOT NULL, payee TEXT NOT NULL, asset TEXT NOT NULL,
    torrent TEXT NOT NULL, amount INTEGER NOT NULL, seq INTEGER NOT NULL,
    increase INTEGER NOT NULL CHECK (increase > 0), signature BLOB NOT NULL,
    at_ms INTEGER NOT NULL,
    UNIQUE (role, payer, payee, asset, seq));
CREATE INDEX ious_by_time ON ious (role, at_ms);
CREATE INDEX ious_by_torrent ON ious (role, torrent);
CREATE TABLE settlements (
    txid TEXT PRIMARY KEY,
    role TEXT NOT NULL, payer TEXT NOT NULL, payee TEXT NOT NULL, asset TEXT NOT NULL,
    from_amount INTEGER NOT NULL, to_amount INTEGER NOT NULL CHECK (to_amount > from_amount),
    transaction_bytes BLOB NOT NULL, status TEXT NOT NULL, block INTEGER NOT NULL,
    created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
-- The last line of defence against paying one debt twice: whatever the caller does, two
-- settlements of a channel from the same amount cannot both be alive.
CREATE UNIQUE INDEX settlements_one_per_debt
    ON settlements (role, payer, payee, asset, from_amount) WHERE status != 'failed';
CREATE TABLE traffic (
    role TEXT NOT NULL, torrent TEXT NOT NULL, peer TEXT NOT NULL, lane INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    PRIMARY KEY (role, torrent, peer, lane));
CREATE TABLE live_peers (
    role TEXT NOT NULL, torrent TEXT NOT NULL, endpoint TEXT NOT NULL, client TEXT NOT NULL,
    address TEXT NOT NULL, lane INTEGER NOT NULL, rate INTEGER NOT NULL, debt INTEGER NOT NULL,
    paid INTEGER NOT NULL, updated_ms INTEGER NOT NULL);
)sql";

constexpr char const* kSettlementColumns =
    "txid, role, payer, payee, asset, from_amount, to_amount, transaction_bytes, status, block, "
    "created_ms, updated_ms";

char const* role_text(Role role) {
    return role == Role::earn ? "earn" : "spend";
}

Role role_from(std::string const& text) {
    return text == "earn" ? Role::earn : Role::spend;
}

SettlementStatus status_from(std::string const& text) {
    for (auto status : {SettlementStatus::signed_, SettlementStatus::pending,
                        SettlementStatus::confirmed, SettlementStatus::solidified}) {
        if (text == to_string(status)) return status;
    }
    return SettlementStatus::failed;
}

bool is_final(SettlementStatus status) {
    return status == SettlementStatus::solidified || status == SettlementStatus::failed;
}

bool counts_as_settled(SettlementStatus status) {
    return status == SettlementStatus::confirmed || status == SettlementStatus::solidified;
}

// Forward moves may skip a step (a watcher polling the chain can first see a transaction already
// in a block, or already solid), and a final status stays. The one move back: a confirmed
// settlement whose block a fork dropped is pending again (it may return in another block, or
// expire and fail); solidified blocks are never dropped.
bool allowed(SettlementStatus from, SettlementStatus to) {
    if (is_final(from)) return false;
    if (to == SettlementStatus::failed) return true;
    if (from == SettlementStatus::confirmed && to == SettlementStatus::pending) return true;
    return static_cast<int>(to) > static_cast<int>(from);
}

Lane lane_from(std::int64_t value) {
    return value >= 0 && value < lane_count ? static_cast<Lane>(value) : Lane::slow;
}

// Binds the channel's four key columns at `first`..`first + 3`.
Statement& bind_channel(Statement& s, int first, ChannelKey const& key) {
    return s.bind_text(first, role_text(key.role))
        .bind_text(first + 1, key.payer)
        .bind_text(first + 2, key.payee)
        .bind_text(first + 3, key.asset);
}

// Reads the channel key from columns `first`..`first + 3`.
ChannelKey read_channel(Statement const& s, int first) {
    return ChannelKey{role_from(s.blob(first)), s.blob(first + 1), s.blob(first + 2),
                      s.blob(first + 3)};
}

SettlementRecord read_settlement(Statement const& s) {
    SettlementRecord r;
    r.txid = s.blob(0);
    r.channel = read_channel(s, 1);
    r.from = s.integer(5);
    r.to = s.integer(6);
    r.transaction = s.blob(7);
    r.status = status_from(s.blob(8));
    r.block = s.integer(9);
    r.created_ms = s.integer(10);
    r.updated_ms = s.integer(11);
    return r;
}

std::int64_t user_version(Database& db) {
    auto s = db.prepare("PRAGMA user_version");
    return s.step() ? s.integer(0) : 0;
}

Status check_version(std::int64_t version, std::filesystem::path const& file) {
    if (version <= kSchemaVersion) return Ok{};
    return Error{"the ledger " + file.string() + " has schema version " + std::to_string(version) +
                 ", newer than this LaneTorrent understands (" + std::to_string(kSchemaVersion) +
                 "); upgrade LaneTorrent"};
}

// Brings the schema to kSchemaVersion inside one transaction, so a crash mid-way leaves the old
// version to migrate again. Version 0 is an empty (new) file.
Status migrate(Database& db, std::filesystem::path const& file) {
    // An up-to-date file needs no write lock: a reader (`lanes status`) must open while the
    // client is in the middle of a write.
    auto version = user_version(db);
    if (version == kSchemaVersion) return Ok{};
    if (auto checked = check_version(version, file); !checked) return checked;
    WriteTransaction tx(db);
    version = user_version(db);  // again under the lock: another process may have migrated
    if (auto checked = check_version(version, file); !checked) return checked;
    if (version == kSchemaVersion) return Ok{};
    if (version < 1) db.exec(kSchemaV1);
    db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    tx.commit();
    return Ok{};
}

// The ledger holds addresses and signatures: readable by its owner only. Created with 0600
// before SQLite opens it (SQLite gives the -wal and -shm files the database file's mode), and
// tightened if an older file was looser.
Status make_private(std::filesystem::path const& file) {
    int const fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return Error{"cannot create the ledger " + file.string() + ": " +
                     std::error_code(errno, std::generic_category()).message()};
    }
    int const rc = ::fchmod(fd, 0600);
    int const error = errno;
    ::close(fd);
    if (rc != 0) {
        return Error{"cannot restrict the ledger " + file.string() +
                     " to its owner: " + std::error_code(error, std::generic_category()).message()};
    }
    return Ok{};
}

std::string open_error(std::filesystem::path const& file, SqliteError const& e) {
    if (e.code == SQLITE_NOTADB || e.code == SQLITE_CORRUPT) {
        return "the ledger " + file.string() + " is not a valid LaneTorrent ledger (" + e.what() +
               "); move it aside to start a new one";
    }
    return "cannot open the ledger " + file.string() + ": " + e.what();
}

}  // namespace

char const* to_string(SettlementStatus status) {
    switch (status) {
        case SettlementStatus::signed_:
            return "signed";
        case SettlementStatus::pending:
            return "pending";
        case SettlementStatus::confirmed:
            return "confirmed";
        case SettlementStatus::solidified:
            return "solidified";
        case SettlementStatus::failed:
            return "failed";
    }
    return "failed";
}

struct Ledger::Impl {
    explicit Impl(std::filesystem::path const& file) : db(file, sqlite::Sync::full) {}

    Database db;

    // Creates the channel's row if it has none, so later UPDATEs always find one.
    void ensure_channel(ChannelKey const& key) {
        auto s = db.prepare(
            "INSERT INTO channels (role, payer, payee, asset) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING");
        bind_channel(s, 1, key).run();
    }

    // settled is derived from the settlements, not incremented: a repeated status change cannot
    // count a transfer twice, and a confirmed transfer that a fork later drops (-> failed) stops
    // counting.
    // What settlements in a block have paid: the contiguous run of their ranges from where the
    // channel's settlements begin (0 for a seller; a payer's second device begins where the
    // seller said the first one had settled). Not the highest `to`: if a fork drops a block with
    // an earlier settlement after a later one confirmed, the gap must not count as paid.
    void recompute_settled(ChannelKey const& key, std::int64_t now_ms, bool settled_now) {
        auto ranges = db.prepare(
            "SELECT from_amount, to_amount, status FROM settlements "
            "WHERE role = ? AND payer = ? AND payee = ? AND asset = ? AND status != 'failed' "
            "ORDER BY from_amount");
        bind_channel(ranges, 1, key);
        std::optional<Units> settled;
        while (ranges.step()) {
            Units const from = ranges.integer(0);
            Units const to = ranges.integer(1);
            bool const in_block = counts_as_settled(status_from(ranges.blob(2)));
            if (!settled) {
                if (!in_block) break;  // the first one is not in a block: nothing is settled
                if (key.role == Role::earn && from != 0) break;
                settled = from;
            }
            if (from > *settled || !in_block) break;
            settled = std::max(*settled, to);
        }
        auto s = db.prepare(
            "UPDATE channels SET settled = ?5, "
            "last_settled_ms = CASE WHEN ?6 THEN ?7 ELSE last_settled_ms END "
            "WHERE role = ?1 AND payer = ?2 AND payee = ?3 AND asset = ?4");
        bind_channel(s, 1, key)
            .bind(5, settled.value_or(0))
            .bind(6, settled_now ? 1 : 0)
            .bind(7, now_ms)
            .run();
    }

    Units sum_increases(std::string_view where, Role role, auto bind_rest) {
        auto s = db.prepare("SELECT COALESCE(SUM(increase), 0) FROM ious WHERE role = ? " +
                            std::string(where));
        s.bind_text(1, role_text(role));
        bind_rest(s);
        return s.step() ? s.integer(0) : 0;
    }
};

Ledger::Ledger(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Ledger::~Ledger() = default;

Result<std::unique_ptr<Ledger>> Ledger::open(std::filesystem::path const& file) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) return Error{"cannot create " + file.parent_path().string() + ": " + ec.message()};
    if (auto made = make_private(file); !made) return Error{made.error()};
    try {
        auto impl = std::make_unique<Impl>(file);
        if (auto migrated = migrate(impl->db, file); !migrated) return Error{migrated.error()};
        return std::unique_ptr<Ledger>(new Ledger(std::move(impl)));
    } catch (SqliteError const& e) {
        return Error{open_error(file, e)};
    }
}

Result<Units, IouError> Ledger::record_iou(IouRecord const& iou) {
    using Kind = IouError::Kind;
    try {
        WriteTransaction tx(impl_->db);
        auto const current = channel(iou.channel);
        if (iou.amount <= current.iou_amount) {
            return IouError{Kind::stale, "IOU amount " + std::to_string(iou.amount) +
                                             " does not exceed " +
                                             std::to_string(current.iou_amount)};
        }
        if (iou.seq <= current.iou_seq) {
            return IouError{Kind::stale, "IOU seq " + std::to_string(iou.seq) +
                                             " does not exceed " + std::to_string(current.iou_seq)};
        }
        Units const increase = iou.amount - current.iou_amount;
        std::int64_t const at_ms = iou.at_ms != 0 ? iou.at_ms : tron::now_ms();
        impl_->ensure_channel(iou.channel);
        auto update = impl_->db.prepare(
            "UPDATE channels SET iou_amount = ?5, iou_seq = ?6, iou_signature = ?7 "
            "WHERE role = ?1 AND payer = ?2 AND payee = ?3 AND asset = ?4");
        bind_channel(update, 1, iou.channel)
            .bind(5, iou.amount)
            .bind(6, iou.seq)
            .bind(7, iou.signature)
            .run();
        auto insert = impl_->db.prepare(
            "INSERT INTO ious (role, payer, payee, asset, torrent, amount, seq, increase, "
            "signature, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        bind_channel(insert, 1, iou.channel)
            .bind_text(5, iou.torrent)
            .bind(6, iou.amount)
            .bind(7, iou.seq)
            .bind(8, increase)
            .bind(9, iou.signature)
            .bind(10, at_ms)
            .run();
        tx.commit();
        return increase;
    } catch (SqliteError const& e) {
        return IouError{Kind::storage, std::string("cannot record the IOU: ") + e.what()};
    }
}

ChannelState Ledger::channel(ChannelKey const& key) const {
    ChannelState state;
    auto s = impl_->db.prepare(
        "SELECT iou_amount, iou_seq, iou_signature, settled, last_settled_ms FROM channels "
        "WHERE role = ? AND payer = ? AND payee = ? AND asset = ?");
    if (!bind_channel(s, 1, key).step()) return state;
    state.iou_amount = s.integer(0);
    state.iou_seq = s.integer(1);
    state.iou_signature = s.blob(2);
    state.settled = s.integer(3);
    state.last_settled_ms = s.integer(4);
    // The oldest IOU whose cumulative amount goes beyond what is settled: from then on, some of
    // the debt has been waiting for a settlement.
    auto first = impl_->db.prepare(
        "SELECT COALESCE(MIN(at_ms), 0) FROM ious "
        "WHERE role = ? AND payer = ? AND payee = ? AND asset = ? AND amount > ?");
    bind_channel(first, 1, key).bind(5, state.settled);
    if (first.step()) state.first_unsettled_ms = first.integer(0);
    return state;
}

std::vector<ChannelKey> Ledger::channels(Role role) const {
    auto s = impl_->db.prepare(
        "SELECT role, payer, payee, asset FROM channels WHERE role = ? "
        "ORDER BY payer, payee, asset");
    s.bind_text(1, role_text(role));
    std::vector<ChannelKey> keys;
    while (s.step()) keys.push_back(read_channel(s, 0));
    return keys;
}

Status Ledger::add_settlement(SettlementRecord const& record) {
    if (record.to <= record.from || record.from < 0) {
        return Error{"settlement " + record.txid + " moves nothing: from " +
                     std::to_string(record.from) + " to " + std::to_string(record.to)};
    }
    try {
        WriteTransaction tx(impl_->db);
        if (settlement(record.txid)) {
            return Error{"settlement " + record.txid + " is already recorded (a replay)"};
        }
        auto rival = impl_->db.prepare(
            "SELECT txid, status FROM settlements WHERE role = ? AND payer = ? AND payee = ? "
            "AND asset = ? AND from_amount = ? AND status != 'failed'");
        bind_channel(rival, 1, record.channel).bind(5, record.from);
        if (rival.step()) {
            return Error{"the channel already has settlement " + rival.blob(0) + " (" +
                         rival.blob(1) + ") from " + std::to_string(record.from)};
        }
        impl_->ensure_channel(record.channel);
        auto insert =
            impl_->db.prepare("INSERT INTO settlements (" + std::string(kSettlementColumns) +
                              ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        insert.bind_text(1, record.txid);
        bind_channel(insert, 2, record.channel)
            .bind(6, record.from)
            .bind(7, record.to)
            .bind(8, record.transaction)
            .bind_text(9, to_string(record.status))
            .bind(10, record.block)
            .bind(11, record.created_ms)
            .bind(12, record.updated_ms)
            .run();
        if (counts_as_settled(record.status)) {
            impl_->recompute_settled(record.channel, record.updated_ms, true);
        }
        tx.commit();
        return Ok{};
    } catch (SqliteError const& e) {
        return Error{"cannot record settlement " + record.txid + ": " + e.what()};
    }
}

Status Ledger::set_settlement_status(std::string const& txid, SettlementStatus status,
                                     std::int64_t block, std::int64_t now_ms) {
    try {
        WriteTransaction tx(impl_->db);
        auto const current = settlement(txid);
        if (!current) return Error{"no settlement " + txid + " in the ledger"};
        if (current->status == status) return Ok{};  // a watcher repeating itself
        if (!allowed(current->status, status)) {
            return Error{"settlement " + txid + " cannot go from " + to_string(current->status) +
                         " to " + to_string(status)};
        }
        auto update = impl_->db.prepare(
            "UPDATE settlements SET status = ?, block = CASE WHEN ? > 0 THEN ? ELSE block END, "
            "updated_ms = ? WHERE txid = ?");
        update.bind_text(1, to_string(status))
            .bind(2, block)
            .bind(3, block)
            .bind(4, now_ms)
            .bind_text(5, txid)
            .run();
        // Only the first move into confirmed counts as the moment of settling.
        bool const settled_now = counts_as_settled(status) && !counts_as_settled(current->status);
        if (counts_as_settled(status) || counts_as_settled(current->status)) {
            impl_->recompute_settled(current->channel, now_ms, settled_now);
        }
        tx.commit();
        return Ok{};
    } catch (SqliteError const& e) {
        return Error{"cannot update settlement " + txid + ": " + e.what()};
    }
}

std::optional<SettlementRecord> Ledger::settlement(std::string const& txid) const {
    auto s = impl_->db.prepare("SELECT " + std::string(kSettlementColumns) +
                               " FROM settlements WHERE txid = ?");
    s.bind_text(1, txid);
    if (!s.step()) return std::nullopt;
    return read_settlement(s);
}

// A confirmed settlement stays open until it is solid, and the next one may be signed meanwhile:
// the newest is the one that decides whether another may start.
std::optional<SettlementRecord> Ledger::open_settlement(ChannelKey const& key) const {
    auto s = impl_->db.prepare("SELECT " + std::string(kSettlementColumns) +
                               " FROM settlements WHERE role = ? AND payer = ? AND payee = ? "
                               "AND asset = ? AND status IN ('signed', 'pending', 'confirmed') "
                               "ORDER BY from_amount DESC LIMIT 1");
    if (!bind_channel(s, 1, key).step()) return std::nullopt;
    return read_settlement(s);
}

std::vector<SettlementRecord> Ledger::settlements(Role role) const {
    auto s = impl_->db.prepare("SELECT " + std::string(kSettlementColumns) +
                               " FROM settlements WHERE role = ? "
                               "ORDER BY created_ms DESC, rowid DESC");
    s.bind_text(1, role_text(role));
    std::vector<SettlementRecord> records;
    while (s.step()) records.push_back(read_settlement(s));
    return records;
}

std::vector<SettlementRecord> Ledger::open_settlements(Role role) const {
    auto s = impl_->db.prepare("SELECT " + std::string(kSettlementColumns) +
                               " FROM settlements WHERE role = ? AND status IN ('signed', "
                               "'pending', 'confirmed') ORDER BY created_ms DESC, rowid DESC");
    s.bind_text(1, role_text(role));
    std::vector<SettlementRecord> records;
    while (s.step()) records.push_back(read_settlement(s));
    return records;
}

void Ledger::add_traffic(std::vector<TrafficDelta> const& deltas) {
    WriteTransaction tx(impl_->db);
    for (auto const& delta : deltas) {
        if (delta.bytes == 0) continue;
        Statement insert = impl_->db.prepare(
            "INSERT INTO traffic (role, torrent, peer, lane, bytes) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (role, torrent, peer, lane) DO UPDATE SET bytes = bytes + excluded.bytes");
        insert.bind_text(1, role_text(delta.role))
            .bind_text(2, delta.torrent)
            .bind_text(3, delta.peer)
            .bind(4, static_cast<std::int64_t>(delta.lane))
            .bind(5, delta.bytes)
            .run();
    }
    tx.commit();
}

std::vector<TrafficRow> Ledger::traffic(Role role) const {
    auto s = impl_->db.prepare(
        "SELECT torrent, peer, lane, bytes FROM traffic WHERE role = ? ORDER BY torrent, peer");
    s.bind_text(1, role_text(role));
    std::vector<TrafficRow> rows;
    while (s.step()) {
        auto torrent = s.blob(0);
        auto peer = s.blob(1);
        if (rows.empty() || rows.back().torrent != torrent || rows.back().peer != peer) {
            rows.push_back(TrafficRow{role, std::move(torrent), std::move(peer), {}});
        }
        rows.back().bytes[static_cast<std::size_t>(lane_from(s.integer(2)))] += s.integer(3);
    }
    return rows;
}

Units Ledger::total_for_torrent(Role role, std::string const& torrent) const {
    return impl_->sum_increases("AND torrent = ?", role,
                                [&](Statement& s) { s.bind_text(2, torrent); });
}

Units Ledger::total_since(Role role, std::int64_t since_ms) const {
    return impl_->sum_increases("AND at_ms >= ?", role, [&](Statement& s) { s.bind(2, since_ms); });
}

std::vector<Ledger::DayTotal> Ledger::daily_totals(
    std::int64_t since_ms, std::optional<std::string> const& torrent) const {
    constexpr std::int64_t day_ms = 86'400'000;
    auto s = impl_->db.prepare(
        "SELECT at_ms / 86400000 AS day, "
        "SUM(CASE WHEN role = 'earn' THEN increase ELSE 0 END), "
        "SUM(CASE WHEN role = 'spend' THEN increase ELSE 0 END) "
        "FROM ious WHERE at_ms >= ? AND (? = 0 OR torrent = ?) GROUP BY day ORDER BY day");
    s.bind(1, since_ms).bind(2, std::int64_t{torrent ? 1 : 0}).bind_text(3, torrent.value_or(""));
    std::vector<DayTotal> days;
    while (s.step()) days.push_back(DayTotal{s.integer(0) * day_ms, s.integer(1), s.integer(2)});
    return days;
}

std::map<std::string, Units> Ledger::totals_by_torrent(Role role) const {
    auto s = impl_->db.prepare(
        "SELECT torrent, SUM(increase) FROM ious WHERE role = ? GROUP BY torrent");
    s.bind_text(1, role_text(role));
    std::map<std::string, Units> totals;
    while (s.step()) totals[s.blob(0)] = s.integer(1);
    return totals;
}

Units Ledger::total(Role role) const {
    return impl_->sum_increases("", role, [](Statement&) {});
}

std::vector<IouRecord> Ledger::ious(ChannelKey const& key) const {
    auto s = impl_->db.prepare(
        "SELECT torrent, amount, seq, signature, at_ms FROM ious "
        "WHERE role = ? AND payer = ? AND payee = ? AND asset = ? ORDER BY seq");
    bind_channel(s, 1, key);
    std::vector<IouRecord> records;
    while (s.step()) {
        records.push_back(
            IouRecord{key, s.blob(0), s.integer(1), s.integer(2), s.blob(3), s.integer(4)});
    }
    return records;
}

std::vector<Ledger::TorrentShare> Ledger::settlement_torrents(
    SettlementRecord const& settlement) const {
    // The IOU at `amount` with `increase` covers (amount - increase, amount]; its overlap with
    // the settlement's range is what this transfer paid for that torrent.
    auto s = impl_->db.prepare(
        "SELECT torrent, SUM(MIN(amount, ?6) - MAX(amount - increase, ?5)) AS part FROM ious "
        "WHERE role = ?1 AND payer = ?2 AND payee = ?3 AND asset = ?4 "
        "AND amount > ?5 AND amount - increase < ?6 "
        "GROUP BY torrent ORDER BY part DESC, torrent");
    bind_channel(s, 1, settlement.channel).bind(5, settlement.from).bind(6, settlement.to);
    std::vector<TorrentShare> shares;
    while (s.step()) shares.push_back(TorrentShare{s.blob(0), s.integer(1)});
    return shares;
}

void Ledger::replace_live_peers(std::vector<LivePeer> const& peers) {
    // One transaction: a reader sees the previous second's table or this one, never a mix.
    WriteTransaction tx(impl_->db);
    impl_->db.exec("DELETE FROM live_peers");
    for (auto const& peer : peers) {
        auto s = impl_->db.prepare(
            "INSERT INTO live_peers (role, torrent, endpoint, client, address, lane, rate, debt, "
            "paid, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s.bind_text(1, role_text(peer.role))
            .bind_text(2, peer.torrent)
            .bind_text(3, peer.endpoint)
            .bind_text(4, peer.client)
            .bind_text(5, peer.address)
            .bind(6, static_cast<std::int64_t>(peer.lane))
            .bind(7, peer.rate)
            .bind(8, peer.debt)
            .bind(9, peer.paid)
            .bind(10, peer.updated_ms)
            .run();
    }
    tx.commit();
}

std::vector<LivePeer> Ledger::live_peers() const {
    auto s = impl_->db.prepare(
        "SELECT role, torrent, endpoint, client, address, lane, rate, debt, paid, updated_ms "
        "FROM live_peers ORDER BY rowid");
    std::vector<LivePeer> peers;
    while (s.step()) {
        peers.push_back(LivePeer{role_from(s.blob(0)), s.blob(1), s.blob(2), s.blob(3), s.blob(4),
                                 lane_from(s.integer(5)), s.integer(6), s.integer(7), s.integer(8),
                                 s.integer(9)});
    }
    return peers;
}

}  // namespace lanetorrent::lanes
