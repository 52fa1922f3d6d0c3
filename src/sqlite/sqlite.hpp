// A minimal RAII layer over the SQLite C API: the devnet and the lanes ledger need a handful of
// prepared statements and explicit transactions, not an ORM.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace lanetorrent::sqlite {

// SQLite failures are programming or disk errors, not user errors, so they throw; each user turns
// them into its own kind of report (the devnet's gRPC layer into OTHER_ERROR, the ledger into an
// Error sentence). `code` is SQLite's primary result code, so a caller can tell a constraint
// violation or a file that is not a database from a disk failure.
struct SqliteError : std::runtime_error {
    explicit SqliteError(std::string const& message, int result_code = SQLITE_ERROR)
        : std::runtime_error(message), code(result_code) {}
    int code;
};

class Statement {
  public:
    Statement(sqlite3* db, std::string_view sql);
    // Finalizes the statement, or, for one from Database::cached, resets it and clears its
    // bindings, so it holds no read snapshot and is ready for the next use.
    ~Statement();
    Statement(Statement const&) = delete;
    Statement& operator=(Statement const&) = delete;

    // Binds take 1-based indexes, as SQLite does.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view blob);  // stored as a BLOB
    Statement& bind_text(int index, std::string_view text);
    Statement& bind_null(int index);

    bool step();  // true while a row is available
    void run();   // steps once, expecting no row

    std::int64_t integer(int column) const;
    std::string blob(int column) const;
    bool is_null(int column) const;

  private:
    friend class Database;
    Statement(sqlite3* db, sqlite3_stmt* cached, bool* in_use)
        : db_(db), stmt_(cached), in_use_(in_use) {}

    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    bool* in_use_ = nullptr;  // set for a cached statement: the cache's "lent out" flag
};

// How much a commit is worth. Both use WAL, so readers in other connections (or processes) never
// block the writer and a kill -9 at any instant leaves either the old or the new state.
enum class Sync {
    // A commit is in the WAL (the OS page cache) when COMMIT returns: it survives kill -9 of the
    // process but a power cut may drop the newest commits. For the devnet, whose throughput an
    // fsync per transaction would cap.
    normal,
    // COMMIT returns once the WAL is fsynced: a committed transaction survives a power cut too.
    // For money (the lanes ledger).
    full,
};

class Database {
  public:
    // Opens or creates `file`. Waits up to `busy_timeout_ms` for another connection's lock instead
    // of failing at once with SQLITE_BUSY (a reader process checkpointing, a second writer).
    Database(std::filesystem::path const& file, Sync sync, int busy_timeout_ms = 5000);
    ~Database();
    Database(Database const&) = delete;
    Database& operator=(Database const&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(db_, sql); }
    // The same statement for the same `sql`, prepared once per connection: for small queries run
    // over and over, preparing costs as much as running. Used like prepare(); if the statement
    // for `sql` is still in use (a nested call), this falls back to a fresh one.
    Statement cached(std::string const& sql);
    // Rows changed by the last INSERT, UPDATE or DELETE.
    std::int64_t changes() const { return sqlite3_changes64(db_); }

  private:
    struct CachedEntry {
        sqlite3_stmt* stmt = nullptr;
        bool in_use = false;
    };
    sqlite3* db_ = nullptr;
    // Node-based, so the in_use flags lent to Statements stay put as entries are added.
    std::unordered_map<std::string, CachedEntry> cache_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if the scope is left without commit() (an exception or
// a rejected transaction), so a block or a broadcast is applied entirely or not at all.
class WriteTransaction {
  public:
    explicit WriteTransaction(Database& db);
    ~WriteTransaction();
    WriteTransaction(WriteTransaction const&) = delete;
    WriteTransaction& operator=(WriteTransaction const&) = delete;
    void commit();

  private:
    Database& db_;
    bool done_ = false;
};

}  // namespace lanetorrent::sqlite
