// The devnet's durable state in one SQLite file. Every method runs inside the caller's
// WriteTransaction (or none, for reads); the Store never commits on its own, so the chain decides
// what is atomic: one broadcast, or one block.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sqlite/sqlite.hpp"

namespace lanetorrent::devnet {

// The devnet's code predates the shared library and names these unqualified.
using sqlite::Database;
using sqlite::SqliteError;
using sqlite::Statement;
using sqlite::WriteTransaction;

struct AccountRow {
    std::string address;  // 21 raw bytes
    std::int64_t trx_sun = 0;
    std::int64_t btt_units = 0;
    std::int64_t free_net_usage = 0;
    std::int64_t free_net_time_ms = 0;  // head block time of the last free-bandwidth use
    std::int64_t create_time_ms = 0;
};

struct BlockRow {
    std::int64_t number = 0;
    std::string id;  // 32 bytes
    std::int64_t timestamp_ms = 0;
    std::string header;  // serialized protocol::BlockHeader
};

// A transaction the node accepted, with what applying it did, so that a solidified view can undo
// the effects of transactions that are not solid yet.
struct TransactionRow {
    std::string txid;
    std::string bytes;               // serialized protocol::Transaction, without ret
    std::int64_t block_number = -1;  // -1 while pending
    std::int64_t fee = 0;            // all sun burnt: bandwidth + memo + new-account fees
    std::int64_t net_usage = 0;      // bandwidth bytes taken from the free allowance
    std::int64_t net_fee = 0;        // sun burnt for bandwidth (incl. the 0.1 TRX creation fee)
    std::string owner;
    std::string recipient;
    std::int64_t amount = 0;
    bool created_recipient = false;
};

class Store {
  public:
    explicit Store(std::filesystem::path const& file);

    Database& db() { return db_; }

    bool initialized();
    void mark_initialized();

    std::optional<AccountRow> account(std::string const& address);
    void put_account(AccountRow const& row);

    // Permissions that differ from java-tron's defaults (a witness's, a multi-signature owner or
    // active permission), serialized protocol::Permission, by id.
    std::vector<std::string> permissions(std::string const& address);
    void put_permission(std::string const& address, int id, std::string const& bytes);

    std::optional<std::string> asset(std::string const& id);  // serialized AssetIssueContract
    void put_asset(std::string const& id, std::string const& bytes);

    std::optional<BlockRow> block(std::int64_t number);
    std::optional<BlockRow> head_block();
    std::vector<BlockRow> recent_blocks(std::int64_t count);  // newest last
    void put_block(BlockRow const& row);

    bool has_transaction(std::string const& txid);  // in a block or pending
    std::optional<TransactionRow> transaction(std::string const& txid);
    std::vector<TransactionRow> block_transactions(std::int64_t number);
    std::vector<TransactionRow> pending();
    std::int64_t pending_count();
    void add_pending(TransactionRow const& row);
    // Moves every pending transaction into block `number`, in arrival order.
    std::vector<TransactionRow> confirm_pending(std::int64_t number);
    // For the fork test hook: forgets block `number`, its transactions, or an account.
    void delete_block(std::int64_t number);
    void delete_block_transactions(std::int64_t number);
    void delete_account(std::string const& address);
    // Transactions touching `address` that are pending or in a block after `number`.
    std::vector<TransactionRow> transactions_after(std::int64_t number, std::string const& address);

  private:
    Database db_;
};

}  // namespace lanetorrent::devnet
