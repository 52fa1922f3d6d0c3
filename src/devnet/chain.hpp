// The devnet's chain: head, TAPOS references, the pending pool and the account state, behind one
// mutex so the gRPC threads and the block producer see a consistent view. Answers are shaped like
// java-tron's (not found = empty message), so the services only translate.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "api/api.pb.h"
#include "base/result.hpp"
#include "core/Tron.pb.h"
#include "core/contract/asset_issue_contract.pb.h"
#include "devnet/config.hpp"
#include "devnet/permissions.hpp"
#include "devnet/store.hpp"

namespace lanetorrent::devnet {

struct Head {
    std::int64_t number = 0;
    std::string id;  // 32 bytes
    std::int64_t timestamp_ms = 0;
};

// Effects of a transaction that passed every check, ready to be applied.
struct AcceptedTransfer;

class Chain {
  public:
    // Opens (or creates, writing the genesis block) the chain in config.data_dir.
    static Result<std::unique_ptr<Chain>> open(Config const& config, std::int64_t now_ms);

    Head head();
    std::int64_t solid_number();

    // Views: `solid` answers as of the latest solidified block.
    protocol::Account account(std::string const& address, bool solid);
    protocol::AccountNetMessage account_net(std::string const& address);
    protocol::BlockExtention block(std::int64_t number, bool solid);
    protocol::BlockExtention now_block(bool solid);
    protocol::Transaction transaction(std::string const& txid, bool solid);
    protocol::TransactionInfo transaction_info(std::string const& txid, bool solid);
    protocol::AssetIssueContract asset(std::string const& id);
    protocol::ChainParameters chain_parameters() const;
    std::int64_t pending_count();

    // TransferAsset2: validates like the actuator, then builds an unsigned transaction referring
    // to the head block.
    protocol::TransactionExtention transfer_asset(protocol::TransferAssetContract const& contract,
                                                  std::int64_t now_ms);
    // BroadcastTransaction: java-tron's checks in java-tron's order; on success the transaction
    // is applied to the state and durably in the pending pool before this returns.
    protocol::Return broadcast(protocol::Transaction transaction);

    // One block with every pending transaction, committed as one SQLite transaction.
    Head produce_block(std::int64_t now_ms);

    // Test hook (a fork, as a client sees one): forgets the newest block if it is not solidified,
    // and with it its transactions, whose effects on balances are undone; they are not put back
    // in the pending pool, so GetTransactionInfoById and GetTransactionById answer empty for
    // them. The next block takes the dropped one's number. Returns the dropped block's number.
    Result<std::int64_t> drop_head_block();

  private:
    Chain(Config const& config, std::filesystem::path const& db_file);
    void create_genesis(std::int64_t now_ms);
    void load_head();
    void remember(BlockRow const& block);
    protocol::BlockExtention block_extention(BlockRow const& block);
    protocol::Transaction stored_transaction(TransactionRow const& row);
    std::optional<std::string> validate_transfer(protocol::TransferAssetContract const& contract,
                                                 std::int64_t owner_trx_after_fees);
    std::int64_t recovered_free_net(AccountRow const& account) const;
    void store_permissions(GenesisAccount const& account);
    // nullopt: no such account.
    std::optional<AccountPermissions> permissions_of(std::string const& address);

    Config config_;
    std::mutex mutex_;
    Store store_;
    Head head_;
    // TAPOS: the latest block id for each low 16 bits of a block number (java-tron's
    // RecentBlockStore), bytes 8..16 of the id.
    std::array<std::string, 65536> recent_;
};

// Tron's block id: 8-byte big-endian number, then bytes 8..32 of SHA-256(raw header).
std::string block_id(protocol::BlockHeader::raw const& raw);

}  // namespace lanetorrent::devnet
