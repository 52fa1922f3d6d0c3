// A minimal RAII layer over the SQLite C API: the devnet needs a handful of prepared statements
// and explicit transactions, not an ORM.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lanetorrent::devnet {

// SQLite failures inside the node are programming or disk errors, not user errors, so they throw;
// the gRPC layer turns them into OTHER_ERROR and the producer logs them.
struct SqliteError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Statement {
  public:
    Statement(sqlite3* db, std::string_view sql);
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
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

class Database {
  public:
    explicit Database(std::filesystem::path const& file);
    ~Database();
    Database(Database const&) = delete;
    Database& operator=(Database const&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(db_, sql); }

  private:
    sqlite3* db_ = nullptr;
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

}  // namespace lanetorrent::devnet
