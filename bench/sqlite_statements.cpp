// What caching prepared statements saves the devnet: the SQLite work of one accepted
// BroadcastTransaction (pool size, duplicate check, three account reads, two account writes and
// the pending insert in one write transaction), with Database::prepare against Database::cached.
//
//   build/bench/lanetorrent-bench-sqlite-statements
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "sqlite/sqlite.hpp"

namespace {

using lanetorrent::sqlite::Database;
using lanetorrent::sqlite::Statement;
using lanetorrent::sqlite::Sync;
using lanetorrent::sqlite::WriteTransaction;

void broadcast_shaped(benchmark::State& state, bool cached) {
    auto const dir = std::filesystem::temp_directory_path() /
                     ("lanetorrent-bench-sqlite-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    {
        Database db(dir / "a.sqlite", Sync::normal);
        db.exec(
            "CREATE TABLE accounts (address BLOB PRIMARY KEY, trx INTEGER NOT NULL, btt INTEGER "
            "NOT NULL, free_net_usage INTEGER NOT NULL, free_net_time INTEGER NOT NULL, "
            "create_time INTEGER NOT NULL);"
            "CREATE TABLE transactions (txid BLOB PRIMARY KEY, bytes BLOB NOT NULL);"
            "CREATE TABLE pending (seq INTEGER PRIMARY KEY AUTOINCREMENT, txid BLOB NOT NULL "
            "UNIQUE, bytes BLOB NOT NULL, owner BLOB NOT NULL, amount INTEGER NOT NULL);");
        auto q = [&](std::string const& sql) { return cached ? db.cached(sql) : db.prepare(sql); };
        std::string const owner(21, 'A');
        std::string const to(21, 'B');
        std::string const bytes(280, 'x');
        auto put = [&](std::string const& address, std::int64_t trx, std::int64_t btt) {
            q("INSERT OR REPLACE INTO accounts VALUES (?, ?, ?, ?, ?, ?)")
                .bind(1, address)
                .bind(2, trx)
                .bind(3, btt)
                .bind(4, 0)
                .bind(5, 0)
                .bind(6, 0)
                .run();
        };
        put(owner, 1'000'000'000, 1'000'000'000);
        std::int64_t i = 0;
        for (auto _ : state) {
            std::string txid(32, '\0');
            std::snprintf(txid.data(), txid.size(), "%lld", static_cast<long long>(i));
            {
                auto s = q("SELECT COUNT(*) FROM pending");
                s.step();
            }
            {
                auto s =
                    q("SELECT 1 FROM transactions WHERE txid = ?1 UNION ALL SELECT 1 FROM pending "
                      "WHERE txid = ?1");
                s.bind(1, txid);
                s.step();
            }
            for (auto const* address : {&owner, &to, &owner}) {
                auto s =
                    q("SELECT trx, btt, free_net_usage, free_net_time, create_time FROM accounts "
                      "WHERE address = ?");
                s.bind(1, *address);
                s.step();
            }
            WriteTransaction tx(db);
            put(owner, 1'000'000'000 - i, 1);
            put(to, 0, i);
            q("INSERT INTO pending (txid, bytes, owner, amount) VALUES (?, ?, ?, ?)")
                .bind(1, txid)
                .bind(2, bytes)
                .bind(3, owner)
                .bind(4, 1)
                .run();
            tx.commit();
            // A block every 2,000 transfers, as the pool limit allows.
            if (++i % 2000 == 0) {
                db.exec("INSERT INTO transactions SELECT txid, bytes FROM pending");
                db.exec("DELETE FROM pending");
            }
        }
    }
    std::filesystem::remove_all(dir);
}

void BM_BroadcastPrepareEachTime(benchmark::State& state) {
    broadcast_shaped(state, false);
}
void BM_BroadcastCachedStatements(benchmark::State& state) {
    broadcast_shaped(state, true);
}
BENCHMARK(BM_BroadcastPrepareEachTime)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BroadcastCachedStatements)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
