#include "devnet/chain.hpp"

#include <algorithm>
#include <filesystem>

#include "devnet/wire.hpp"

namespace lanetorrent::devnet {
namespace {

constexpr std::int64_t kRecentBlocks = 65536;
constexpr std::int64_t kBandwidthWindowMs = 24LL * 3600 * 1000;
constexpr std::int64_t kTotalNetLimit = 43'200'000'000;
// Any fixed 0x41 address: the devnet has a single producer and nobody checks its signature.
std::string witness_address() {
    return std::string(1, '\x41') + "devnet-producer-0000";
}

std::string transactions_root(std::vector<TransactionRow> const& rows) {
    // java-tron builds a Merkle tree; a hash over the txids is enough to make the header commit
    // to its transactions, and no client recomputes it.
    std::string all;
    for (auto const& row : rows) all += row.txid;
    return rows.empty() ? std::string(32, '\0') : sha256_string(all);
}

}  // namespace

std::string block_id(protocol::BlockHeader::raw const& raw) {
    std::string id = sha256_string(raw.SerializeAsString());
    auto const number = static_cast<std::uint64_t>(raw.number());
    for (int i = 0; i < 8; ++i) id[i] = static_cast<char>(number >> (56 - 8 * i));
    return id;
}

Chain::Chain(Config const& config, std::filesystem::path const& db_file)
    : config_(config), store_(db_file) {}

Result<std::unique_ptr<Chain>> Chain::open(Config const& config, std::int64_t now_ms) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) return Error{"cannot create " + config.data_dir.string() + ": " + ec.message()};
    for (auto const& account : config.genesis.accounts) {
        if (auto status = validate_permissions(account); !status) {
            return Error{"genesis account " + base58_or_hex(account.address) + ": " +
                         status.error()};
        }
    }
    try {
        std::unique_ptr<Chain> chain(new Chain(config, config.data_dir / "devnet.sqlite"));
        if (!chain->store_.initialized()) chain->create_genesis(now_ms);
        chain->load_head();
        return chain;
    } catch (SqliteError const& e) {
        return Error{e.what()};
    }
}

void Chain::create_genesis(std::int64_t now_ms) {
    auto const& genesis = config_.genesis;
    std::int64_t const timestamp = genesis.timestamp_ms != 0 ? genesis.timestamp_ms : now_ms;
    WriteTransaction tx(store_.db());
    std::int64_t supply = 0;
    for (auto const& account : genesis.accounts) {
        auto row = store_.account(account.address).value_or(AccountRow{account.address});
        row.trx_sun += account.trx_sun;
        row.btt_units += account.btt_units;
        row.create_time_ms = timestamp;
        store_.put_account(row);
        supply += account.btt_units;
        store_permissions(account);
    }
    protocol::AssetIssueContract asset;
    asset.set_id(genesis.asset_id);
    asset.set_owner_address(genesis.accounts.empty() ? witness_address()
                                                     : genesis.accounts.front().address);
    asset.set_name(genesis.asset_name);
    asset.set_abbr(genesis.asset_abbr);
    asset.set_total_supply(std::max<std::int64_t>(supply, 1));
    asset.set_precision(genesis.asset_precision);
    asset.set_trx_num(1);
    asset.set_num(1);
    asset.set_start_time(timestamp);
    asset.set_end_time(timestamp + 1);
    asset.set_description("lanetorrent-devnet test token");
    asset.set_url("https://localhost/");
    store_.put_asset(genesis.asset_id, asset.SerializeAsString());

    protocol::BlockHeader header;
    auto& raw = *header.mutable_raw_data();
    raw.set_timestamp(timestamp);
    raw.set_txtrieroot(std::string(32, '\0'));
    raw.set_parenthash(std::string(32, '\0'));
    raw.set_number(0);
    raw.set_witness_address(witness_address());
    store_.put_block({0, block_id(raw), timestamp, header.SerializeAsString()});
    store_.mark_initialized();
    tx.commit();
}

namespace {

protocol::Permission genesis_permission(GenesisPermission const& spec,
                                        protocol::Permission::PermissionType type) {
    protocol::Permission permission;
    permission.set_type(type);
    permission.set_id(spec.id);
    permission.set_permission_name(!spec.name.empty()                    ? spec.name
                                   : type == protocol::Permission::Owner ? "owner"
                                                                         : "active");
    permission.set_threshold(spec.threshold);
    permission.set_parent_id(0);
    if (type == protocol::Permission::Active)
        permission.set_operations(active_default_operations());
    for (auto const& key : spec.keys) {
        auto& entry = *permission.add_keys();
        entry.set_address(key.address);
        entry.set_weight(key.weight);
    }
    return permission;
}

}  // namespace

void Chain::store_permissions(GenesisAccount const& account) {
    auto const& address = account.address;
    if (account.witness) {
        store_.put_permission(address, kWitnessPermissionId,
                              default_witness_permission(address).SerializeAsString());
    }
    if (account.owner_permission) {
        store_.put_permission(
            address, kOwnerPermissionId,
            genesis_permission(*account.owner_permission, protocol::Permission::Owner)
                .SerializeAsString());
    }
    for (auto const& active : account.active_permissions) {
        store_.put_permission(
            address, active.id,
            genesis_permission(active, protocol::Permission::Active).SerializeAsString());
    }
}

std::optional<AccountPermissions> Chain::permissions_of(std::string const& address) {
    if (!store_.account(address)) return std::nullopt;
    auto permissions = default_permissions(address, false);
    bool custom_active = false;
    for (auto const& bytes : store_.permissions(address)) {
        protocol::Permission permission;
        if (!permission.ParseFromString(bytes)) continue;
        if (permission.id() == kOwnerPermissionId) {
            permissions.owner = std::move(permission);
        } else if (permission.id() == kWitnessPermissionId) {
            permissions.witness = std::move(permission);
        } else {
            // Stored active permissions replace the default one, as an update on mainnet does.
            if (!custom_active) permissions.actives.clear();
            custom_active = true;
            permissions.actives.push_back(std::move(permission));
        }
    }
    return permissions;
}

void Chain::load_head() {
    for (auto const& block : store_.recent_blocks(kRecentBlocks)) remember(block);
}

void Chain::remember(BlockRow const& block) {
    head_ = {block.number, block.id, block.timestamp_ms};
    recent_[static_cast<std::size_t>(block.number & 0xffff)] = block.id.substr(8, 8);
}

Head Chain::head() {
    std::lock_guard lock(mutex_);
    return head_;
}

std::int64_t Chain::solid_number() {
    std::lock_guard lock(mutex_);
    return std::max<std::int64_t>(0, head_.number - config_.solidify_after);
}

std::int64_t Chain::recovered_free_net(AccountRow const& account) const {
    // java-tron recovers used bandwidth linearly over a 24 h window.
    std::int64_t const elapsed = head_.timestamp_ms - account.free_net_time_ms;
    if (elapsed <= 0) return account.free_net_usage;
    if (elapsed >= kBandwidthWindowMs) return 0;
    return account.free_net_usage * (kBandwidthWindowMs - elapsed) / kBandwidthWindowMs;
}

protocol::Account Chain::account(std::string const& address, bool solid) {
    std::lock_guard lock(mutex_);
    auto row = store_.account(address);
    if (!row) return {};
    if (solid) {
        // Undo what the not-yet-solid transactions did; the state itself is only kept at head.
        std::int64_t const solid_number =
            std::max<std::int64_t>(0, head_.number - config_.solidify_after);
        for (auto const& tx : store_.transactions_after(solid_number, address)) {
            if (tx.recipient == address) {
                if (tx.created_recipient) return {};
                row->btt_units -= tx.amount;
            }
            if (tx.owner == address) {
                row->btt_units += tx.amount;
                row->trx_sun += tx.fee;
            }
        }
    }
    protocol::Account account;
    account.set_address(address);
    account.set_balance(row->trx_sun);
    account.set_create_time(row->create_time_ms);
    account.set_free_net_usage(row->free_net_usage);
    account.set_latest_consume_free_time(row->free_net_time_ms);
    if (row->btt_units != 0) {
        (*account.mutable_assetv2())[config_.genesis.asset_id] = row->btt_units;
    }
    if (auto permissions = permissions_of(address)) {
        *account.mutable_owner_permission() = permissions->owner;
        if (permissions->witness) *account.mutable_witness_permission() = *permissions->witness;
        for (auto const& active : permissions->actives) *account.add_active_permission() = active;
    }
    return account;
}

protocol::AccountNetMessage Chain::account_net(std::string const& address) {
    std::lock_guard lock(mutex_);
    protocol::AccountNetMessage net;
    auto row = store_.account(address);
    if (!row) return net;
    net.set_freenetused(recovered_free_net(*row));
    net.set_freenetlimit(config_.parameters.free_net_limit);
    net.set_totalnetlimit(kTotalNetLimit);
    return net;
}

protocol::Transaction Chain::stored_transaction(TransactionRow const& row) {
    protocol::Transaction transaction;
    transaction.ParseFromString(row.bytes);
    auto& result = *transaction.add_ret();
    result.set_contractret(protocol::Transaction::Result::SUCCESS);
    if (row.fee != row.net_fee) result.set_fee(row.fee - row.net_fee);
    return transaction;
}

protocol::BlockExtention Chain::block_extention(BlockRow const& block) {
    protocol::BlockExtention extention;
    extention.mutable_block_header()->ParseFromString(block.header);
    extention.set_blockid(block.id);
    for (auto const& row : store_.block_transactions(block.number)) {
        auto& entry = *extention.add_transactions();
        *entry.mutable_transaction() = stored_transaction(row);
        entry.set_txid(row.txid);
        entry.mutable_result()->set_result(true);
    }
    return extention;
}

protocol::BlockExtention Chain::block(std::int64_t number, bool solid) {
    std::lock_guard lock(mutex_);
    std::int64_t const limit =
        solid ? std::max<std::int64_t>(0, head_.number - config_.solidify_after) : head_.number;
    if (number < 0 || number > limit) return {};
    auto row = store_.block(number);
    return row ? block_extention(*row) : protocol::BlockExtention{};
}

protocol::BlockExtention Chain::now_block(bool solid) {
    std::int64_t number = 0;
    {
        std::lock_guard lock(mutex_);
        number =
            solid ? std::max<std::int64_t>(0, head_.number - config_.solidify_after) : head_.number;
    }
    return block(number, solid);
}

protocol::Transaction Chain::transaction(std::string const& txid, bool solid) {
    std::lock_guard lock(mutex_);
    auto row = store_.transaction(txid);
    if (!row) return {};
    std::int64_t const solid_number =
        std::max<std::int64_t>(0, head_.number - config_.solidify_after);
    if (solid && (row->block_number < 0 || row->block_number > solid_number)) return {};
    return stored_transaction(*row);
}

protocol::TransactionInfo Chain::transaction_info(std::string const& txid, bool solid) {
    std::lock_guard lock(mutex_);
    auto row = store_.transaction(txid);
    if (!row || row->block_number < 0) return {};
    std::int64_t const solid_number =
        std::max<std::int64_t>(0, head_.number - config_.solidify_after);
    if (solid && row->block_number > solid_number) return {};
    auto block = store_.block(row->block_number);
    protocol::TransactionInfo info;
    info.set_id(row->txid);
    info.set_fee(row->fee);
    info.set_blocknumber(row->block_number);
    info.set_blocktimestamp(block ? block->timestamp_ms : 0);
    auto& receipt = *info.mutable_receipt();
    receipt.set_net_usage(row->net_usage);
    receipt.set_net_fee(row->net_fee);
    receipt.set_result(protocol::Transaction::Result::SUCCESS);
    return info;
}

protocol::AssetIssueContract Chain::asset(std::string const& id) {
    std::lock_guard lock(mutex_);
    protocol::AssetIssueContract asset;
    if (auto bytes = store_.asset(id)) asset.ParseFromString(*bytes);
    return asset;
}

protocol::ChainParameters Chain::chain_parameters() const {
    auto const& p = config_.parameters;
    protocol::ChainParameters parameters;
    auto add = [&](char const* key, std::int64_t value) {
        auto& entry = *parameters.add_chainparameter();
        entry.set_key(key);
        entry.set_value(value);
    };
    add("getFreeNetLimit", p.free_net_limit);
    add("getTransactionFee", p.transaction_fee);
    add("getCreateAccountFee", p.create_account_fee);
    add("getCreateNewAccountFeeInSystemContract", p.create_new_account_fee_in_system_contract);
    add("getMemoFee", p.memo_fee);
    add("getAllowSameTokenName", p.allow_same_token_name);
    add("getMaintenanceTimeInterval", 21'600'000);
    return parameters;
}

std::int64_t Chain::pending_count() {
    std::lock_guard lock(mutex_);
    return store_.pending_count();
}

Head Chain::produce_block(std::int64_t now_ms) {
    std::lock_guard lock(mutex_);
    WriteTransaction tx(store_.db());
    protocol::BlockHeader header;
    auto& raw = *header.mutable_raw_data();
    // Timestamps must grow even if the clock steps back; TAPOS and expiry are judged by them.
    raw.set_timestamp(std::max(now_ms, head_.timestamp_ms + 1));
    raw.set_parenthash(head_.id);
    raw.set_number(head_.number + 1);
    raw.set_witness_address(witness_address());
    raw.set_version(30);
    auto const pending = store_.pending();
    raw.set_txtrieroot(transactions_root(pending));
    BlockRow const block{raw.number(), block_id(raw), raw.timestamp(), header.SerializeAsString()};
    store_.put_block(block);
    store_.confirm_pending(block.number);
    tx.commit();
    remember(block);
    return head_;
}

Result<std::int64_t> Chain::drop_head_block() {
    std::lock_guard lock(mutex_);
    std::int64_t const number = head_.number;
    if (number <= 0) return Error{"the head is the genesis block"};
    if (config_.solidify_after == 0) {
        return Error{"block " + std::to_string(number) + " is solidified (--solidify-after 0)"};
    }
    auto const parent = store_.block(number - 1);
    if (!parent) return Error{"block " + std::to_string(number - 1) + " is missing"};
    WriteTransaction tx(store_.db());
    auto rows = store_.block_transactions(number);
    // Newest first, so a recipient created in this block is gone only after its last use.
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
        auto const& row = *it;
        if (auto owner = store_.account(row.owner)) {
            owner->trx_sun += row.fee;
            owner->btt_units += row.amount;
            owner->free_net_usage =
                std::max<std::int64_t>(0, owner->free_net_usage - row.net_usage);
            store_.put_account(*owner);
        }
        if (auto recipient = store_.account(row.recipient)) {
            recipient->btt_units -= row.amount;
            if (row.created_recipient && recipient->btt_units == 0 && recipient->trx_sun == 0) {
                store_.delete_account(row.recipient);
            } else {
                store_.put_account(*recipient);
            }
        }
    }
    store_.delete_block_transactions(number);
    store_.delete_block(number);
    tx.commit();
    // TAPOS: the slot now names the block 65 536 earlier, if there is one.
    auto const older = store_.block(number - kRecentBlocks);
    recent_[static_cast<std::size_t>(number & 0xffff)] = older ? older->id.substr(8, 8) : "";
    head_ = {parent->number, parent->id, parent->timestamp_ms};
    return number;
}

}  // namespace lanetorrent::devnet
