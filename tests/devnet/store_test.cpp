// The devnet store's prepared-statement cache (sqlite::Database::cached) on real SQLite files.
#include <gtest/gtest.h>

#include "sqlite/sqlite.hpp"
#include "temp_dir.hpp"

namespace lanetorrent::devnet::test {
namespace {

using sqlite::Database;
using sqlite::Sync;

TEST(DevnetStore, CachedStatementsAreResetBetweenUses) {
    lanetorrent::test::TempDir dir("devnet-store");
    Database db(dir.path() / "a.sqlite", Sync::normal);
    db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
    for (int k = 1; k <= 3; ++k) {
        db.cached("INSERT INTO t VALUES (?, ?)").bind(1, k).bind(2, 10 * k).run();
    }
    auto value = [&](int k) -> std::optional<std::int64_t> {
        auto s = db.cached("SELECT v FROM t WHERE k = ?");
        s.bind(1, k);
        if (!s.step()) return std::nullopt;
        return s.integer(0);
    };
    EXPECT_EQ(value(2), 20);
    EXPECT_EQ(value(3), 30);  // new bindings, not the last call's
    EXPECT_EQ(value(4), std::nullopt);

    // A statement left after its first row must not pin a read snapshot: another connection's
    // commit is visible to the next use.
    Database other(dir.path() / "a.sqlite", Sync::normal);
    other.exec("UPDATE t SET v = 99 WHERE k = 2");
    EXPECT_EQ(value(2), 99);

    // Nested use of the same SQL gets a statement of its own.
    auto outer = db.cached("SELECT v FROM t WHERE k = ?");
    outer.bind(1, 1);
    ASSERT_TRUE(outer.step());
    EXPECT_EQ(value(3), 30);
    EXPECT_EQ(outer.integer(0), 10);
}

TEST(DevnetStore, ABadCachedStatementThrowsAndIsNotKept) {
    lanetorrent::test::TempDir dir("devnet-store");
    Database db(dir.path() / "a.sqlite", Sync::normal);
    EXPECT_THROW(db.cached("SELECT * FROM missing"), sqlite::SqliteError);
    db.exec("CREATE TABLE missing (x INTEGER)");
    auto s = db.cached("SELECT * FROM missing");
    EXPECT_FALSE(s.step());
}

}  // namespace
}  // namespace lanetorrent::devnet::test
