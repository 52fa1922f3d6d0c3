#include "sqlite/sqlite.hpp"

namespace lanetorrent::sqlite {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    throw SqliteError(std::string(what) + ": " + sqlite3_errmsg(db), sqlite3_errcode(db) & 0xff);
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
        SQLITE_OK) {
        fail(db, "prepare '" + std::string(sql) + "'");
    }
}

Statement::~Statement() {
    if (in_use_ == nullptr) {
        sqlite3_finalize(stmt_);
        return;
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
    return *this;
}

Statement& Statement::bind(int index, std::string_view blob) {
    if (sqlite3_bind_blob64(stmt_, index, blob.data(), blob.size(), SQLITE_TRANSIENT) !=
        SQLITE_OK) {
        fail(db_, "bind");
    }
    return *this;
}

Statement& Statement::bind_text(int index, std::string_view text) {
    if (sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8) != SQLITE_OK) {
        fail(db_, "bind");
    }
    return *this;
}

Statement& Statement::bind_null(int index) {
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "bind");
    return *this;
}

bool Statement::step() {
    switch (sqlite3_step(stmt_)) {
        case SQLITE_ROW:
            return true;
        case SQLITE_DONE:
            return false;
        default:
            fail(db_, "step");
    }
}

void Statement::run() {
    while (step()) {
    }
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

std::string Statement::blob(int column) const {
    auto const* data = static_cast<char const*>(sqlite3_column_blob(stmt_, column));
    auto const size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
    return data == nullptr ? std::string() : std::string(data, size);
}

bool Statement::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Database::Database(std::filesystem::path const& file, Sync sync, int busy_timeout_ms) {
    int const rc =
        sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    if (rc != SQLITE_OK) {
        std::string const message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw SqliteError("cannot open " + file.string() + ": " + message, rc & 0xff);
    }
    // Before the pragmas: switching to WAL needs a lock another connection may hold.
    sqlite3_busy_timeout(db_, busy_timeout_ms);
    try {
        // The first statement that reads the file: a file that is not a database fails here.
        exec("PRAGMA journal_mode = WAL");
        exec(sync == Sync::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    } catch (...) {
        sqlite3_close(db_);
        throw;
    }
}

Database::~Database() {
    for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
    sqlite3_close(db_);
}

Statement Database::cached(std::string const& sql) {
    auto [it, inserted] = cache_.try_emplace(sql);
    auto& entry = it->second;
    if (inserted) {
        if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &entry.stmt, nullptr) != SQLITE_OK) {
            cache_.erase(it);
            fail(db_, "prepare '" + sql + "'");
        }
    } else if (entry.in_use) {
        return Statement(db_, sql);
    }
    entry.in_use = true;
    return Statement(db_, entry.stmt, &entry.in_use);
}

void Database::exec(std::string_view sql) {
    char* error = nullptr;
    int const rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string const message = error ? error : "unknown error";
        sqlite3_free(error);
        throw SqliteError("exec '" + std::string(sql) + "': " + message, rc & 0xff);
    }
}

WriteTransaction::WriteTransaction(Database& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (SqliteError const&) {
            // Nothing useful to do in a destructor; SQLite rolls back on close anyway.
        }
    }
}

void WriteTransaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace lanetorrent::sqlite
