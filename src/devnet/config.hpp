// What a devnet is started with: where it listens, how fast it produces blocks, and the genesis
// (initial balances and the BTT asset) it creates on first start.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace lanetorrent::devnet {

struct GenesisKey {
    std::string address;  // 21 raw bytes
    std::int64_t weight = 1;
};

// A permission other than java-tron's default (the account's own key, threshold 1), so tests can
// sign with several keys the way a multi-signature account on mainnet does.
struct GenesisPermission {
    int id = 2;  // 0 for the owner permission, 2..9 for active ones
    std::string name;
    std::int64_t threshold = 1;
    std::vector<GenesisKey> keys;
};

struct GenesisAccount {
    std::string address;  // 21 raw bytes, 0x41...
    std::int64_t trx_sun = 0;
    std::int64_t btt_units = 0;
    bool witness = false;  // holds a witness permission (id 1), as a super representative does
    std::optional<GenesisPermission> owner_permission = std::nullopt;
    std::vector<GenesisPermission> active_permissions = {};  // empty: the default active permission
};

struct Genesis {
    std::int64_t timestamp_ms = 0;  // 0: the time of the first start
    std::vector<GenesisAccount> accounts;
    std::string asset_id = "1002000";
    std::string asset_name = "BTT";
    std::string asset_abbr = "BTT";
    int asset_precision = 6;
    // Demo keys (hex) written by --genesis-demo, so a newcomer can sign with them. Never used by
    // the node itself.
    std::vector<std::string> demo_private_keys;
};

// Fee schedule; the defaults are today's mainnet values (tron-facts §4.5).
struct ChainParameters {
    std::int64_t free_net_limit = 600;
    std::int64_t transaction_fee = 1000;  // sun per byte once free bandwidth is used up
    std::int64_t create_account_fee = 100'000;
    std::int64_t create_new_account_fee_in_system_contract = 1'000'000;
    std::int64_t memo_fee = 1'000'000;
    std::int64_t allow_same_token_name = 1;
};

struct Config {
    std::string listen = "127.0.0.1:50051";
    std::string solidity_listen = "127.0.0.1:50061";
    std::filesystem::path data_dir = "devnet-data";
    std::int64_t block_interval_ms = 3000;
    std::int64_t solidify_after = 19;
    // PEM: with both set, both services speak TLS (java-tron serves plaintext; a TLS proxy in
    // front of it is what third-party providers run, and what a client's --tls is tested with).
    std::string tls_certificate_chain;
    std::string tls_private_key;
    Genesis genesis;
    ChainParameters parameters;
};

// The limits java-tron's AccountPermissionUpdateActuator enforces: 1..5 keys of positive weight,
// no key twice, a threshold the keys can reach, active ids 2..9, at most 8 active permissions.
Status validate_permissions(GenesisAccount const& account);

// "ADDRESS=TRX_SUN,BTT_UNITS" with a Base58 or hex address.
Result<GenesisAccount> parse_fund(std::string const& text);

Result<Genesis> read_genesis(std::filesystem::path const& file);
Status write_genesis(std::filesystem::path const& file, Genesis const& genesis);
// A genesis with `count` fresh keys, each holding 10 000 TRX and 1 000 000 BTT.
Genesis demo_genesis(int count);

}  // namespace lanetorrent::devnet
