#include "devnet/config.hpp"

#include <charconv>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "tron/address.hpp"
#include "tron/bytes.hpp"
#include "tron/keys.hpp"

namespace lanetorrent::devnet {
namespace {

Result<std::int64_t> parse_amount(std::string_view text, std::string_view what) {
    std::int64_t value = 0;
    auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) {
        return Error{"invalid " + std::string(what) + " amount '" + std::string(text) + "'"};
    }
    return value;
}

Result<GenesisPermission> read_permission(nlohmann::json const& json, int default_id) {
    GenesisPermission permission;
    permission.id = json.value("id", default_id);
    permission.name = json.value("name", std::string{});
    permission.threshold = json.value("threshold", std::int64_t{1});
    for (auto const& entry : json.value("keys", nlohmann::json::array())) {
        auto address = tron::Address::parse(entry.at("address").get<std::string>());
        if (!address) return Error{address.error()};
        permission.keys.push_back({address->wire(), entry.value("weight", std::int64_t{1})});
    }
    return permission;
}

Result<nlohmann::json> write_permission(GenesisPermission const& permission) {
    nlohmann::json json = {{"id", permission.id},
                           {"name", permission.name},
                           {"threshold", permission.threshold},
                           {"keys", nlohmann::json::array()}};
    for (auto const& key : permission.keys) {
        auto address = tron::Address::from_bytes(std::span(
            reinterpret_cast<std::uint8_t const*>(key.address.data()), key.address.size()));
        if (!address) return Error{address.error()};
        json["keys"].push_back({{"address", address->base58()}, {"weight", key.weight}});
    }
    return json;
}

Status validate_permission(GenesisPermission const& permission, std::string const& what) {
    constexpr std::size_t kMaxKeys = 5;  // DynamicPropertiesStore.getTotalSignNum
    if (permission.keys.empty() || permission.keys.size() > kMaxKeys) {
        return Error{what + " needs 1 to 5 keys, has " + std::to_string(permission.keys.size())};
    }
    std::int64_t total = 0;
    for (std::size_t i = 0; i < permission.keys.size(); ++i) {
        auto const& key = permission.keys[i];
        if (key.weight <= 0) return Error{what + ": a key's weight must be positive"};
        for (std::size_t j = 0; j < i; ++j) {
            if (permission.keys[j].address == key.address) {
                return Error{what + " names the same key twice"};
            }
        }
        if (key.weight > std::numeric_limits<std::int64_t>::max() - total) {
            return Error{what + ": the key weights overflow"};
        }
        total += key.weight;
    }
    if (permission.threshold <= 0 || permission.threshold > total) {
        return Error{what + ": the threshold must be positive and at most the sum of the weights"};
    }
    return Ok{};
}

}  // namespace

Status validate_permissions(GenesisAccount const& account) {
    if (account.owner_permission) {
        if (account.owner_permission->id != 0) return Error{"the owner permission's id is 0"};
        if (auto status = validate_permission(*account.owner_permission, "the owner permission");
            !status) {
            return status;
        }
    }
    if (account.active_permissions.size() > 8) return Error{"at most 8 active permissions"};
    for (std::size_t i = 0; i < account.active_permissions.size(); ++i) {
        auto const& active = account.active_permissions[i];
        std::string const what = "active permission " + std::to_string(active.id);
        if (active.id < 2 || active.id > 9) return Error{what + ": ids run from 2 to 9"};
        for (std::size_t j = 0; j < i; ++j) {
            if (account.active_permissions[j].id == active.id) return Error{what + " twice"};
        }
        if (auto status = validate_permission(active, what); !status) return status;
    }
    return Ok{};
}

Result<GenesisAccount> parse_fund(std::string const& text) {
    auto const equals = text.find('=');
    auto const comma = text.find(',', equals == std::string::npos ? 0 : equals);
    if (equals == std::string::npos || comma == std::string::npos) {
        return Error{"expected ADDRESS=TRX_SUN,BTT_UNITS, got '" + text + "'"};
    }
    auto address = tron::Address::parse(std::string_view(text).substr(0, equals));
    if (!address) return Error{address.error()};
    auto trx = parse_amount(std::string_view(text).substr(equals + 1, comma - equals - 1), "TRX");
    if (!trx) return Error{trx.error()};
    auto btt = parse_amount(std::string_view(text).substr(comma + 1), "BTT");
    if (!btt) return Error{btt.error()};
    return GenesisAccount{address->wire(), trx.value(), btt.value()};
}

Result<Genesis> read_genesis(std::filesystem::path const& file) {
    std::ifstream in(file);
    if (!in) return Error{"cannot read " + file.string()};
    try {
        auto const json = nlohmann::json::parse(in);
        Genesis genesis;
        genesis.timestamp_ms = json.value("timestamp_ms", std::int64_t{0});
        genesis.asset_id = json.value("asset_id", genesis.asset_id);
        genesis.asset_name = json.value("asset_name", genesis.asset_name);
        genesis.asset_abbr = json.value("asset_abbr", genesis.asset_abbr);
        genesis.asset_precision = json.value("asset_precision", genesis.asset_precision);
        for (auto const& entry : json.value("accounts", nlohmann::json::array())) {
            auto address = tron::Address::parse(entry.at("address").get<std::string>());
            if (!address) return Error{file.string() + ": " + address.error()};
            GenesisAccount account{address->wire(), entry.value("trx_sun", std::int64_t{0}),
                                   entry.value("btt_units", std::int64_t{0})};
            account.witness = entry.value("witness", false);
            if (entry.contains("owner_permission")) {
                auto owner = read_permission(entry["owner_permission"], 0);
                if (!owner) return Error{file.string() + ": " + owner.error()};
                account.owner_permission = std::move(owner).value();
            }
            for (auto const& active : entry.value("active_permissions", nlohmann::json::array())) {
                auto permission = read_permission(active, 2);
                if (!permission) return Error{file.string() + ": " + permission.error()};
                account.active_permissions.push_back(std::move(permission).value());
            }
            if (auto status = validate_permissions(account); !status) {
                return Error{file.string() + ": " + address->base58() + ": " + status.error()};
            }
            genesis.accounts.push_back(std::move(account));
        }
        return genesis;
    } catch (nlohmann::json::exception const& e) {
        return Error{file.string() + ": " + e.what()};
    }
}

Status write_genesis(std::filesystem::path const& file, Genesis const& genesis) {
    nlohmann::json json;
    json["timestamp_ms"] = genesis.timestamp_ms;
    json["asset_id"] = genesis.asset_id;
    json["asset_name"] = genesis.asset_name;
    json["asset_abbr"] = genesis.asset_abbr;
    json["asset_precision"] = genesis.asset_precision;
    json["accounts"] = nlohmann::json::array();
    for (std::size_t i = 0; i < genesis.accounts.size(); ++i) {
        auto const& account = genesis.accounts[i];
        auto address = tron::Address::from_bytes(std::span(
            reinterpret_cast<std::uint8_t const*>(account.address.data()), account.address.size()));
        if (!address) return Error{address.error()};
        nlohmann::json entry = {{"address", address->base58()},
                                {"trx_sun", account.trx_sun},
                                {"btt_units", account.btt_units}};
        if (account.witness) entry["witness"] = true;
        if (account.owner_permission) {
            auto owner = write_permission(*account.owner_permission);
            if (!owner) return Error{owner.error()};
            entry["owner_permission"] = std::move(owner).value();
        }
        for (auto const& active : account.active_permissions) {
            auto permission = write_permission(active);
            if (!permission) return Error{permission.error()};
            entry["active_permissions"].push_back(std::move(permission).value());
        }
        if (i < genesis.demo_private_keys.size()) {
            entry["private_key"] = genesis.demo_private_keys[i];
        }
        json["accounts"].push_back(std::move(entry));
    }
    std::ofstream out(file);
    out << json.dump(2) << '\n';
    out.close();
    if (!out) return Error{"cannot write " + file.string()};
    if (!genesis.demo_private_keys.empty()) {
        // Demo keys guard only test money, but a key file readable by everyone is a bad habit.
        std::error_code ignored;
        std::filesystem::permissions(
            file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
            ignored);
    }
    return Ok{};
}

Genesis demo_genesis(int count) {
    Genesis genesis;
    for (int i = 0; i < count; ++i) {
        auto const key = tron::PrivateKey::generate();
        genesis.accounts.push_back({key.address().wire(), 10'000'000'000, 1'000'000'000'000});
        genesis.demo_private_keys.push_back(tron::to_hex(key.secret()));
    }
    return genesis;
}

}  // namespace lanetorrent::devnet
