#include "devnet/store.hpp"

namespace lanetorrent::devnet {
namespace {

constexpr char const* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    address BLOB PRIMARY KEY, trx INTEGER NOT NULL, btt INTEGER NOT NULL,
    free_net_usage INTEGER NOT NULL, free_net_time INTEGER NOT NULL,
    create_time INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS permissions (
    address BLOB NOT NULL, id INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY (address, id));
CREATE TABLE IF NOT EXISTS assets (id TEXT PRIMARY KEY, bytes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (
    number INTEGER PRIMARY KEY, id BLOB NOT NULL, timestamp INTEGER NOT NULL,
    header BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS transactions (
    txid BLOB PRIMARY KEY, bytes BLOB NOT NULL, block_number INTEGER NOT NULL,
    seq INTEGER NOT NULL, fee INTEGER NOT NULL, net_usage INTEGER NOT NULL,
    net_fee INTEGER NOT NULL, result INTEGER NOT NULL DEFAULT 0, owner BLOB NOT NULL,
    recipient BLOB NOT NULL, amount INTEGER NOT NULL, created_recipient INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS transactions_by_block ON transactions (block_number, seq);
CREATE TABLE IF NOT EXISTS pending (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, txid BLOB NOT NULL UNIQUE, bytes BLOB NOT NULL,
    fee INTEGER NOT NULL, net_usage INTEGER NOT NULL, net_fee INTEGER NOT NULL,
    owner BLOB NOT NULL, recipient BLOB NOT NULL, amount INTEGER NOT NULL,
    created_recipient INTEGER NOT NULL);
)sql";

constexpr char const* kTransactionColumns =
    "txid, bytes, block_number, fee, net_usage, net_fee, owner, recipient, amount, "
    "created_recipient";
constexpr char const* kPendingColumns =
    "txid, bytes, -1, fee, net_usage, net_fee, owner, recipient, amount, created_recipient";

TransactionRow read_transaction(Statement const& s) {
    return TransactionRow{s.blob(0),    s.blob(1), s.integer(2), s.integer(3), s.integer(4),
                          s.integer(5), s.blob(6), s.blob(7),    s.integer(8), s.integer(9) != 0};
}

BlockRow read_block(Statement const& s) {
    return BlockRow{s.integer(0), s.blob(1), s.integer(2), s.blob(3)};
}

std::vector<TransactionRow> read_transactions(Statement& s) {
    std::vector<TransactionRow> rows;
    while (s.step()) rows.push_back(read_transaction(s));
    return rows;
}

}  // namespace

// WAL with synchronous=NORMAL: a commit is in the WAL (the OS page cache) before the node answers,
// so kill -9 of the node loses neither an acknowledged transaction nor a produced block, which is
// the durability a local test node owes. Only a power cut could drop the newest commits. FULL
// fsynced every accepted transfer: measured with bench/devnet_throughput.cpp, one fdatasync per
// transfer (~0.5 ms) capped the node near 1,000 transfers/s.
Store::Store(std::filesystem::path const& file) : db_(file, sqlite::Sync::normal) {
    db_.exec(kSchema);
}

bool Store::initialized() {
    auto s = db_.cached("SELECT 1 FROM meta WHERE key = 'initialized'");
    return s.step();
}

void Store::mark_initialized() {
    db_.cached("INSERT OR REPLACE INTO meta (key, value) VALUES ('initialized', '1')").run();
}

std::optional<AccountRow> Store::account(std::string const& address) {
    auto s = db_.cached(
        "SELECT trx, btt, free_net_usage, free_net_time, create_time FROM accounts "
        "WHERE address = ?");
    s.bind(1, address);
    if (!s.step()) return std::nullopt;
    return AccountRow{address,      s.integer(0), s.integer(1),
                      s.integer(2), s.integer(3), s.integer(4)};
}

void Store::put_account(AccountRow const& row) {
    db_.cached("INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?, ?, ?)")
        .bind(1, row.address)
        .bind(2, row.trx_sun)
        .bind(3, row.btt_units)
        .bind(4, row.free_net_usage)
        .bind(5, row.free_net_time_ms)
        .bind(6, row.create_time_ms)
        .run();
}

std::vector<std::string> Store::permissions(std::string const& address) {
    auto s = db_.cached("SELECT bytes FROM permissions WHERE address = ? ORDER BY id");
    s.bind(1, address);
    std::vector<std::string> rows;
    while (s.step()) rows.push_back(s.blob(0));
    return rows;
}

void Store::put_permission(std::string const& address, int id, std::string const& bytes) {
    db_.cached("INSERT OR REPLACE INTO permissions VALUES (?, ?, ?)")
        .bind(1, address)
        .bind(2, std::int64_t{id})
        .bind(3, bytes)
        .run();
}

std::optional<std::string> Store::asset(std::string const& id) {
    auto s = db_.cached("SELECT bytes FROM assets WHERE id = ?");
    s.bind_text(1, id);
    if (!s.step()) return std::nullopt;
    return s.blob(0);
}

void Store::put_asset(std::string const& id, std::string const& bytes) {
    db_.cached("INSERT OR REPLACE INTO assets VALUES (?, ?)").bind_text(1, id).bind(2, bytes).run();
}

std::optional<BlockRow> Store::block(std::int64_t number) {
    auto s = db_.cached("SELECT number, id, timestamp, header FROM blocks WHERE number = ?");
    s.bind(1, number);
    if (!s.step()) return std::nullopt;
    return read_block(s);
}

std::optional<BlockRow> Store::head_block() {
    auto s =
        db_.cached("SELECT number, id, timestamp, header FROM blocks ORDER BY number DESC LIMIT 1");
    if (!s.step()) return std::nullopt;
    return read_block(s);
}

std::vector<BlockRow> Store::recent_blocks(std::int64_t count) {
    auto s = db_.cached(
        "SELECT number, id, timestamp, header FROM "
        "(SELECT * FROM blocks ORDER BY number DESC LIMIT ?) ORDER BY number");
    s.bind(1, count);
    std::vector<BlockRow> rows;
    while (s.step()) rows.push_back(read_block(s));
    return rows;
}

void Store::put_block(BlockRow const& row) {
    db_.cached("INSERT INTO blocks VALUES (?, ?, ?, ?)")
        .bind(1, row.number)
        .bind(2, row.id)
        .bind(3, row.timestamp_ms)
        .bind(4, row.header)
        .run();
}

bool Store::has_transaction(std::string const& txid) {
    auto s = db_.cached(
        "SELECT 1 FROM transactions WHERE txid = ?1 UNION ALL SELECT 1 FROM pending WHERE txid = "
        "?1");
    s.bind(1, txid);
    return s.step();
}

std::optional<TransactionRow> Store::transaction(std::string const& txid) {
    static std::string const sql = std::string("SELECT ") + kTransactionColumns +
                                   " FROM transactions WHERE txid = ?1 UNION ALL SELECT " +
                                   kPendingColumns + " FROM pending WHERE txid = ?1";
    auto s = db_.cached(sql);
    s.bind(1, txid);
    if (!s.step()) return std::nullopt;
    return read_transaction(s);
}

std::vector<TransactionRow> Store::block_transactions(std::int64_t number) {
    static std::string const sql = std::string("SELECT ") + kTransactionColumns +
                                   " FROM transactions WHERE block_number = ? ORDER BY seq";
    auto s = db_.cached(sql);
    s.bind(1, number);
    return read_transactions(s);
}

std::vector<TransactionRow> Store::pending() {
    static std::string const sql =
        std::string("SELECT ") + kPendingColumns + " FROM pending ORDER BY seq";
    auto s = db_.cached(sql);
    return read_transactions(s);
}

std::int64_t Store::pending_count() {
    auto s = db_.cached("SELECT COUNT(*) FROM pending");
    s.step();
    return s.integer(0);
}

void Store::add_pending(TransactionRow const& row) {
    db_.cached(
           "INSERT INTO pending (txid, bytes, fee, net_usage, net_fee, owner, recipient, amount, "
           "created_recipient) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .bind(1, row.txid)
        .bind(2, row.bytes)
        .bind(3, row.fee)
        .bind(4, row.net_usage)
        .bind(5, row.net_fee)
        .bind(6, row.owner)
        .bind(7, row.recipient)
        .bind(8, row.amount)
        .bind(9, std::int64_t{row.created_recipient})
        .run();
}

std::vector<TransactionRow> Store::confirm_pending(std::int64_t number) {
    auto rows = pending();
    db_.cached(
           "INSERT INTO transactions (txid, bytes, block_number, seq, fee, net_usage, net_fee, "
           "owner, recipient, amount, created_recipient) SELECT txid, bytes, ?, seq, fee, "
           "net_usage, net_fee, owner, recipient, amount, created_recipient FROM pending")
        .bind(1, number)
        .run();
    db_.exec("DELETE FROM pending");
    for (auto& row : rows) row.block_number = number;
    return rows;
}

void Store::delete_block(std::int64_t number) {
    db_.cached("DELETE FROM blocks WHERE number = ?").bind(1, number).run();
}

void Store::delete_block_transactions(std::int64_t number) {
    db_.cached("DELETE FROM transactions WHERE block_number = ?").bind(1, number).run();
}

void Store::delete_account(std::string const& address) {
    db_.cached("DELETE FROM accounts WHERE address = ?").bind(1, address).run();
    db_.cached("DELETE FROM permissions WHERE address = ?").bind(1, address).run();
}

std::vector<TransactionRow> Store::transactions_after(std::int64_t number,
                                                      std::string const& address) {
    static std::string const sql = std::string("SELECT ") + kTransactionColumns +
                                   " FROM transactions WHERE block_number > ?1 AND (owner = ?2 OR "
                                   "recipient = ?2) UNION ALL SELECT " +
                                   kPendingColumns +
                                   " FROM pending WHERE owner = ?2 OR recipient = ?2";
    auto s = db_.cached(sql);
    s.bind(1, number).bind(2, address);
    return read_transactions(s);
}

}  // namespace lanetorrent::devnet
